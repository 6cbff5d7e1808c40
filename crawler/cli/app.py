"""The ``sourcecheck`` command line.

One error boundary (:func:`main`) maps every failure to the documented exit codes:
0 all verified, 1 some altered or not found, 2 usage or input error, 3 some source
unavailable (and none altered or not found), 4 an internal error (a bug: please
report it; ``SOURCECHECK_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from crawler.archive.pipeline import parse_date
from crawler.archive.sources import Archived, checked_for, load_with_archive, texts_for
from crawler.archive.verdicts import Checked, describe
from crawler.cli.crawl import crawl, run_cmd
from crawler.cli.db import db_group
from crawler.cli.quotes import quotes
from crawler.cli.record import record
from crawler.cli.report import report
from crawler.crawling.checking import verdict
from crawler.errors import EXIT_INPUT, InputError, exit_code_for
from crawler.extraction.extract import Page, Unreadable
from crawler.fetching.sources import Loaded
from crawler.reporting.render import render_result
from verify import QuoteError, Result

EXIT_INTERNAL = 4


def verify_against(quote: str, loaded: Loaded) -> Result:
    """The verdict for one quote against one loaded source (InputError propagates)."""
    if isinstance(loaded, InputError):
        raise loaded
    return verdict(quote, loaded)


def _validate_quote(quote: Any) -> str:
    if not isinstance(quote, str) or not quote.strip():
        raise InputError("the quote is empty")
    if not any(ch.isalnum() for ch in quote):
        raise InputError("the quote has no words, only punctuation")
    return quote


def _result_dict(result: Result, loaded: Loaded, quote: str, source: str) -> dict[str, Any]:
    out: dict[str, Any] = {"quote": quote, "source": source, **result.to_dict()}
    if isinstance(loaded, Unreadable) and loaded.detail:
        out["detail"] = loaded.detail
    if isinstance(loaded, Page):
        out["title"] = loaded.title
    return out


def _checked_dict(checked: Checked, loaded: Loaded, quote: str, source: str) -> dict[str, Any]:
    """The result's JSON, with where its evidence came from when the archive was used."""
    return {**_result_dict(checked.result, loaded, quote, source), **checked.to_dict()}


def _render_checked(
    checked: Checked, source: str, loaded: Loaded, archived: Archived | None
) -> str:
    text = render_result(checked.result, source, texts_for(loaded, checked, archived), _colour())
    head, _, rest = text.partition("\n")
    return "\n".join(line for line in [head, *describe(checked), rest] if line)


def _run_batch(
    path: str, replay: str | None, as_json: bool, as_of: Any = None, cited_on: Any = None
) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise InputError(f"batch file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read batch file {path}: {exc}") from None
    rows: list[tuple[int, Any, str | None, str | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item_id: Any = n
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("a line must be a JSON object")
            item_id = item.get("id", n)
            quote = _validate_quote(item.get("quote"))
            source = item.get("source")
            if not isinstance(source, str) or not source.strip():
                raise InputError("the source is missing")
            rows.append((n, item_id, quote, source, None))
        except (ValueError, InputError) as exc:
            rows.append((n, item_id, None, None, f"line {n}: {exc}"))
    loaded, archived = load_with_archive(
        [r[3] for r in rows if r[3]], replay=replay, as_of=as_of, cited_on=cited_on
    )
    statuses: list[str] = []
    bad_input = False
    for _n, item_id, quote, source, error in rows:
        if error is None and quote is not None and source is not None:
            try:
                checked = checked_for(quote, loaded[source], archived.get(source))
                result = checked.result
            except (InputError, QuoteError) as exc:
                error = str(exc)
        if error is not None:
            bad_input = True
            out: dict[str, Any] = {"id": item_id, "error": error}
            if as_json:
                click.echo(json.dumps(out, ensure_ascii=False))
            else:
                click.echo(f"{item_id}: error: {error}")
            continue
        assert quote is not None and source is not None  # a row without them has an error
        statuses.append(str(result.status))
        if as_json:
            row = {"id": item_id, **_checked_dict(checked, loaded[source], quote, source)}
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            text = _render_checked(checked, source, loaded[source], archived.get(source))
            click.echo(f"{item_id}: {text}\n")
    return EXIT_INPUT if bad_input else exit_code_for(statuses)


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Check that what an article quotes is really in the source it cites."""


@cli.command()
@click.argument("quote", required=False)
@click.option("--source", "-s", metavar="URL|FILE", help="The cited source: a URL or a local file.")
@click.option("--batch", type=click.Path(), help="A JSONL file: one {id, quote, source} a line.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object a line in batch).")
@click.option("--replay", type=click.Path(), help="Serve URLs from recorded fixtures, no network.")
@click.option(
    "--as-of",
    metavar="DATE",
    help="Check against the archived capture closest to DATE (YYYY-MM-DD), not the live page.",
)
@click.option(
    "--cited-on",
    metavar="DATE",
    help="The date the quote was cited: a miss on the live page is checked against the "
    "archived capture from then (source_edited_since_citation).",
)
def check(
    quote: str | None,
    source: str | None,
    batch: str | None,
    as_json: bool,
    replay: str | None,
    as_of: str | None,
    cited_on: str | None,
) -> None:
    """Check one QUOTE against its --source, or every line of a --batch file.

    \b
    Examples:
      sourcecheck check "sent around 3,000 troops" --source page.html
      sourcecheck check "sent around 3,000 troops" --source https://www.bbc.com/news/... --json
      sourcecheck check --batch quotes.jsonl --json

    Exit status: 0 all verified, 1 some altered or not found, 2 usage or input
    error, 3 some source unavailable (and none altered or not found).
    """
    as_of_date = parse_date(as_of, "--as-of date")
    cited_date = parse_date(cited_on, "--cited-on date")
    if batch is not None:
        if quote is not None or source is not None:
            raise click.UsageError("--batch takes no QUOTE or --source")
        sys.exit(_run_batch(batch, replay, as_json, as_of_date, cited_date))
    if quote is None or source is None:
        raise click.UsageError("give a QUOTE and --source (or --batch FILE)")
    quote = _validate_quote(quote)
    loaded_all, archived = load_with_archive(
        [source], replay=replay, as_of=as_of_date, cited_on=cited_date
    )
    loaded = loaded_all[source]
    checked = checked_for(quote, loaded, archived.get(source))
    if as_json:
        click.echo(json.dumps(_checked_dict(checked, loaded, quote, source), ensure_ascii=False))
    else:
        click.echo(_render_checked(checked, source, loaded, archived.get(source)))
    sys.exit(exit_code_for([str(checked.result.status)]))


def main(argv: list[str] | None = None) -> int:
    """Entry point: the single error boundary that maps errors to exit codes."""
    try:
        cli.main(args=argv, prog_name="sourcecheck", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Exit as exc:  # --help and friends
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except (InputError, QuoteError) as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_INPUT
    except Exception as exc:  # the boundary: one line, never a traceback
        if os.environ.get("SOURCECHECK_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_INTERNAL
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


cli.add_command(db_group)
cli.add_command(report)
cli.add_command(quotes)
cli.add_command(record)
cli.add_command(crawl)
cli.add_command(run_cmd)
