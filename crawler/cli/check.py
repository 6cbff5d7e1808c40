"""``sourcecheck check``: one quote against its source, or a batch of them."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from crawler.errors import EXIT_INPUT, InputError, exit_code_for
from crawler.extraction.extract import Page, Unreadable
from crawler.job import Checked, check_batch, check_one, parse_batch


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _human(checked: Checked) -> str:
    from crawler.reporting.render import render_result  # not needed for --json

    match, page = checked.result.match, checked.loaded
    texts = None
    if match is not None and isinstance(page, Page):
        # only the text the match is in: the full page text is built on demand
        texts = {str(match.location): page.page_text if match.location == "page" else page.text}
    detail = checked.loaded.detail if isinstance(checked.loaded, Unreadable) else None
    return render_result(checked.result, checked.source, texts, _colour(), detail, checked.speaker)


def _run_batch(path: str, replay: str | None, as_json: bool) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise InputError(f"batch file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read batch file {path}: {exc}") from None
    statuses: list[str] = []
    bad_input = False
    for line, answer in check_batch(parse_batch(lines), replay=replay):
        if isinstance(answer, str):
            bad_input = True
            out: dict[str, Any] = {"id": line.id, "error": answer}
            text = json.dumps(out, ensure_ascii=False) if as_json else f"{line.id}: error: {answer}"
            click.echo(text)
            continue
        statuses.append(str(answer.result.status))
        statuses.extend(answer.result.findings)
        if as_json:
            click.echo(json.dumps({"id": line.id, **answer.to_dict()}, ensure_ascii=False))
        else:
            click.echo(f"{line.id}: {_human(answer)}\n")
    return EXIT_INPUT if bad_input else exit_code_for(statuses)


@click.command()
@click.argument("quote", required=False)
@click.option("--source", "-s", metavar="URL|FILE", help="The cited source: a URL or a local file.")
@click.option(
    "--batch", type=click.Path(), help="A JSONL file: one {id, quote, source[, speaker]} a line."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object a line in batch).")
@click.option("--replay", type=click.Path(), help="Serve URLs from recorded fixtures, no network.")
@click.option(
    "--outlet",
    type=click.Choice(["guardian", "bbc", "independent"]),
    help="With no --source: find the quote's source at this outlet.",
)
@click.option("--title", help="With no --source: the cited article's title.")
@click.option(
    "--around", metavar="YYYY-MM-DD", help="With no --source: the source's date, give or take."
)
@click.option(
    "--speaker", metavar="NAME", help="Who the quote is attributed to: checked against the source."
)
def check(
    quote: str | None,
    source: str | None,
    batch: str | None,
    as_json: bool,
    replay: str | None,
    outlet: str | None,
    title: str | None,
    around: str | None,
    speaker: str | None,
) -> None:
    """Check one QUOTE against its --source, or every line of a --batch file.

    With no --source, the source is searched for first (--outlet, --title and
    --around narrow the search; without --around, the 30 days before today) and the
    result says how it was found; nothing found is no_source, exit status 3.

    \b
    Examples:
      sourcecheck check "sent around 3,000 troops" --source page.html
      sourcecheck check "sent around 3,000 troops" --source https://www.bbc.com/news/... --json
      sourcecheck check "they're fair game" --source page.html --speaker "John Kirby"
      sourcecheck check --batch quotes.jsonl --json
      sourcecheck check "they’re fair game" --outlet guardian --around 2024-10-23

    Exit status: 0 all verified, 1 some altered, not found or misattributed (the
    words are in the source, said by someone else), 2 usage or input error, 3 some
    source unavailable (and none altered, not found or misattributed), or none found.
    """
    if batch is not None:
        if quote is not None or source is not None or speaker is not None:
            raise click.UsageError("--batch takes no QUOTE, --source or --speaker")
        sys.exit(_run_batch(batch, replay, as_json))
    if quote is not None and source is None:
        from crawler.cli.discover import find_and_check
        from crawler.job import validate_quote

        sys.exit(
            find_and_check(validate_quote(quote), outlet, title, around, replay, as_json, speaker)
        )
    if quote is None or source is None:
        raise click.UsageError("give a QUOTE and --source (or --batch FILE)")
    checked = check_one(quote, source, replay=replay, speaker=speaker)
    if as_json:
        click.echo(json.dumps(checked.to_dict(), ensure_ascii=False))
    else:
        click.echo(_human(checked))
    sys.exit(exit_code_for([str(checked.result.status), *checked.result.findings]))
