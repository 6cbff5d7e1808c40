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

from crawler.cli.crawl import crawl, run_cmd
from crawler.cli.db import db_group
from crawler.cli.find import WhereElse, find, index_group
from crawler.cli.quotes import quotes
from crawler.cli.record import record
from crawler.cli.report import report
from crawler.crawling.checking import verdict
from crawler.errors import EXIT_INPUT, InputError, exit_code_for
from crawler.extraction.extract import Page, Unreadable
from crawler.fetching.sources import Loaded, load_sources
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


def _texts(loaded: Loaded) -> dict[str, str] | None:
    if isinstance(loaded, Page):
        return {"main_text": loaded.text, "page": loaded.page_text}
    return None


def _run_batch(path: str, replay: str | None, as_json: bool, db_url: str | None = None) -> int:
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
    loaded = load_sources([r[3] for r in rows if r[3]], replay=replay)
    with WhereElse(db_url) as where_else:
        return _answer_batch(rows, loaded, as_json, where_else)


def _answer_batch(
    rows: list[tuple[int, Any, str | None, str | None, str | None]],
    loaded: dict[str, Loaded],
    as_json: bool,
    where_else: WhereElse,
) -> int:
    statuses: list[str] = []
    bad_input = False
    for _n, item_id, quote, source, error in rows:
        if error is None and quote is not None and source is not None:
            try:
                result = verify_against(quote, loaded[source])
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
        statuses.append(str(result.status))
        assert quote is not None and source is not None
        found_elsewhere = where_else.lookup(quote, source, result)
        if as_json:
            row = {"id": item_id, **_result_dict(result, loaded[source], quote, source)}
            if found_elsewhere is not None:
                row["elsewhere"] = found_elsewhere.to_dict()
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            text = render_result(result, source, _texts(loaded[source]), _colour())
            if found_elsewhere is not None:
                text += f"\nelsewhere: {found_elsewhere.describe()}"
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
    "--db",
    "db_url",
    metavar="PATH|URL",
    help="A store to search when a quote is not_found: where else do the words appear?",
)
def check(
    quote: str | None,
    source: str | None,
    batch: str | None,
    as_json: bool,
    replay: str | None,
    db_url: str | None,
) -> None:
    """Check one QUOTE against its --source, or every line of a --batch file.

    \b
    Examples:
      sourcecheck check "sent around 3,000 troops" --source page.html
      sourcecheck check "sent around 3,000 troops" --source https://www.bbc.com/news/... --json
      sourcecheck check --batch quotes.jsonl --json
      sourcecheck check "sent around 3,000 troops" --source page.html --db store.db

    With --db, a not_found quote is searched in every stored page (read only):
    the result says where else the words appear, if anywhere (JSON: "elsewhere").

    Exit status: 0 all verified, 1 some altered or not found, 2 usage or input
    error, 3 some source unavailable (and none altered or not found).
    """
    if batch is not None:
        if quote is not None or source is not None:
            raise click.UsageError("--batch takes no QUOTE or --source")
        sys.exit(_run_batch(batch, replay, as_json, db_url))
    if quote is None or source is None:
        raise click.UsageError("give a QUOTE and --source (or --batch FILE)")
    quote = _validate_quote(quote)
    loaded = load_sources([source], replay=replay)[source]
    result = verify_against(quote, loaded)
    with WhereElse(db_url) as where_else:
        found_elsewhere = where_else.lookup(quote, source, result)
    if as_json:
        out = _result_dict(result, loaded, quote, source)
        if found_elsewhere is not None:
            out["elsewhere"] = found_elsewhere.to_dict()
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(render_result(result, source, _texts(loaded), _colour()))
        if found_elsewhere is not None:
            click.echo(f"elsewhere: {found_elsewhere.describe()}")
    sys.exit(exit_code_for([str(result.status)]))


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
cli.add_command(find)
cli.add_command(index_group)
