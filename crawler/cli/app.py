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
from sqlalchemy.exc import SQLAlchemyError

from crawler.cli.crawl import crawl, run_cmd
from crawler.cli.db import db_group
from crawler.cli.quotes import quotes
from crawler.cli.record import record
from crawler.cli.report import report
from crawler.crawling.checking import verdict
from crawler.crawling.storage_failures import failure_line
from crawler.errors import EXIT_INPUT, EXIT_STORAGE, InputError, exit_code_for
from crawler.extraction.extract import Page, Unreadable
from crawler.fetching.sources import Loaded, load_sources
from crawler.localfile import read_capped
from crawler.reporting.render import render_result
from crawler.safetext import for_terminal, json_line
from verify import QuoteError, Result
from verify.cleantext import MAX_QUOTE_CHARS, too_long

EXIT_INTERNAL = 4


def verify_against(quote: str, loaded: Loaded) -> Result:
    """The verdict for one quote against one loaded source (InputError propagates)."""
    if isinstance(loaded, InputError):
        raise loaded
    return verdict(quote, loaded)


def _validate_quote(quote: Any) -> str:
    if quote is None:
        raise InputError("the quote is missing")
    if not isinstance(quote, str):
        raise InputError("quote must be a string")
    if not quote.strip():
        raise InputError("the quote is empty")
    if too_long(quote):
        raise InputError(
            f"the quote is too long ({len(quote):,} characters; the limit is {MAX_QUOTE_CHARS:,})"
        )
    if not any(ch.isalnum() for ch in quote):
        raise InputError("the quote has no words, only punctuation")
    return quote


def _no_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity, which no JSON parser reads back: refuse them.
    raise ValueError(f"{name} is not valid JSON")


# One line of a batch: (id, quote, source, error); the id is the line number unless the
# line names a usable one.
BatchRow = tuple[Any, str | None, str | None, str | None]


def _parse_batch_line(n: int, line: str) -> BatchRow:
    """One batch line checked; whatever it holds, an error of its own, never an exception."""
    try:
        item = json.loads(line, parse_constant=_no_constant)
    except RecursionError:
        return n, None, None, f"line {n}: nested too deeply to read"
    except ValueError as exc:
        return n, None, None, f"line {n}: not valid JSON: {exc}"
    if not isinstance(item, dict):
        return n, None, None, f"line {n}: a line must be a JSON object"
    item_id = item.get("id", n)
    try:
        quote = _validate_quote(item.get("quote"))
        source = item.get("source")
        if source is None:
            raise InputError("the source is missing")
        if not isinstance(source, str):
            raise InputError("source must be a string")
        if not source.strip():
            raise InputError("the source is empty")
        if "\x00" in source:
            raise InputError("the source contains a NUL character")
    except InputError as exc:
        return item_id, None, None, f"line {n}: {exc}"
    return item_id, quote, source, None


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


def _run_batch(path: str, replay: str | None, as_json: bool) -> int:
    try:
        lines = read_capped(path, "batch").decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read batch file {path}: {exc}") from None
    rows = [_parse_batch_line(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    loaded = load_sources([r[2] for r in rows if r[2]], replay=replay)
    statuses: list[str] = []
    bad_input = False
    for item_id, quote, source, error in rows:
        out: dict[str, Any] = {"id": item_id}
        if error is None and quote is not None and source is not None:
            try:
                result = verify_against(quote, loaded[source])
                out.update(_result_dict(result, loaded[source], quote, source))
                statuses.append(str(result.status))
            except (InputError, QuoteError) as exc:
                error = str(exc)
            except Exception as exc:  # one line's bug must not cost the others' answers
                error = f"internal error: {type(exc).__name__}: {exc}"
        if error is not None:
            bad_input = True
            out = {"id": item_id, "error": error}
        if as_json:
            click.echo(json_line(out))
        elif error is not None:
            click.echo(for_terminal(f"{item_id}: error: {error}"))
        else:
            text = render_result(result, str(source), _texts(loaded[str(source)]), _colour())
            click.echo(f"{for_terminal(str(item_id))}: {text}\n")
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
def check(
    quote: str | None, source: str | None, batch: str | None, as_json: bool, replay: str | None
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
    if batch is not None:
        if quote is not None or source is not None:
            raise click.UsageError("--batch takes no QUOTE or --source")
        sys.exit(_run_batch(batch, replay, as_json))
    if quote is None or source is None:
        raise click.UsageError("give a QUOTE and --source (or --batch FILE)")
    quote = _validate_quote(quote)
    loaded = load_sources([source], replay=replay)[source]
    result = verify_against(quote, loaded)
    if as_json:
        click.echo(json_line(_result_dict(result, loaded, quote, source)))
    else:
        click.echo(render_result(result, source, _texts(loaded), _colour()))
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
        click.echo(for_terminal(f"error: {exc}"), err=True)  # may quote a hostile input
        return EXIT_INPUT
    except SQLAlchemyError as exc:  # read-only, full, gone: what was stored before stays
        click.echo(for_terminal(f"error: storage failed: {failure_line(exc)}"), err=True)
        return EXIT_STORAGE
    except Exception as exc:  # the boundary: one line, never a traceback
        if os.environ.get("SOURCECHECK_DEBUG"):
            raise
        click.echo(for_terminal(f"internal error: {type(exc).__name__}: {exc}"), err=True)
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
