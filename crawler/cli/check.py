"""``sourcecheck check``: one quote against its source, or a batch of them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from crawler.dates import parse_date
from crawler.errors import EXIT_INPUT, InputError, exit_code_for
from crawler.extraction.page import Page, Unreadable
from crawler.job import Checked, check_batch, check_one, parse_batch
from crawler.localfile import read_capped
from crawler.safetext import for_terminal, json_line


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _human(checked: Checked) -> str:
    from crawler.reporting.render import render_result  # not needed for --json

    match, page = checked.result.match, checked.loaded
    archive = checked.archive
    if archive is not None and archive.archived:
        page = archive.page or page  # the verdict's offsets point into the capture's text
    texts = None
    if match is not None and isinstance(page, Page):
        # only the text the match is in: the full page text is built on demand
        texts = {str(match.location): page.page_text if match.location == "page" else page.text}
    detail = checked.loaded.detail if isinstance(checked.loaded, Unreadable) else None
    text = render_result(checked.result, checked.source, texts, _colour(), detail, checked.speaker)
    if archive is None:
        return text
    from crawler.archive.verdicts import describe

    head, _, rest = text.partition("\n")
    return "\n".join(line for line in [head, *describe(archive), rest] if line)


@contextmanager
def _where_else(db_url: str | None) -> Iterator[Callable[[Checked], dict[str, Any] | None]]:
    """With --db: a lookup of where else the store holds a not_found quote (issue 13);
    without it, nothing is searched and nothing imported."""
    if db_url is None:
        yield lambda _checked: None
        return
    from crawler.cli.find import WhereElse

    with WhereElse(db_url) as where_else:

        def lookup(checked: Checked) -> dict[str, Any] | None:
            found = where_else.lookup(checked.quote, checked.source, checked.result)
            return None if found is None else found.to_dict()

        yield lookup


def _run_batch(
    path: str,
    replay: str | None,
    as_json: bool,
    as_of: Any,
    cited_on: Any,
    db_url: str | None = None,
) -> int:
    try:
        lines = read_capped(path, "batch").decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read batch file {path}: {exc}") from None
    with _where_else(db_url) as lookup:
        return _answer_batch(lines, replay, as_json, lookup, as_of, cited_on)


def _answer_batch(
    lines: list[str],
    replay: str | None,
    as_json: bool,
    lookup: Callable[[Checked], dict[str, Any] | None],
    as_of: Any = None,
    cited_on: Any = None,
) -> int:
    statuses: list[str] = []
    bad_input = False
    for line, answer in check_batch(parse_batch(lines), replay, as_of, cited_on):
        if isinstance(answer, str):
            bad_input = True
            out: dict[str, Any] = {"id": line.id, "error": answer}
            text = json_line(out) if as_json else for_terminal(f"{line.id}: error: {answer}")
            click.echo(text)
            continue
        statuses.append(str(answer.result.status))
        statuses.extend(answer.result.findings)
        found = lookup(answer)
        if as_json:
            row = {"id": line.id, **answer.to_dict()}
            if found is not None:
                row["elsewhere"] = found
            click.echo(json_line(row))
        else:
            text = _human(answer)
            if found is not None:
                text += f"\nelsewhere: {for_terminal(found['summary'])}"
            click.echo(f"{for_terminal(str(line.id))}: {text}\n")
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
@click.option(
    "--as-of",
    metavar="DATE",
    help="Check against the archived capture closest to DATE (YYYY-MM-DD), not the live page.",
)
@click.option(
    "--cited-on",
    metavar="DATE",
    help="When the quote was cited: a miss on the live page is checked against the "
    "archived capture from then (source_edited_since_citation).",
)
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
    outlet: str | None,
    title: str | None,
    around: str | None,
    speaker: str | None,
    as_of: str | None,
    cited_on: str | None,
    db_url: str | None,
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
      sourcecheck check "sent around 3,000 troops" --source page.html --db store.db

    With --db, a not_found quote is searched in every stored page (read only):
    the answer says where else the words appear, if anywhere (JSON: "elsewhere").

    Exit status: 0 all verified, 1 some altered, not found or misattributed (the
    words are in the source, said by someone else), 2 usage or input error, 3 some
    source unavailable (and none altered, not found or misattributed), or none found.
    """
    as_of_date, cited_date = parse_date(as_of, "--as-of date"), parse_date(cited_on, "date")
    if batch is not None:
        if quote is not None or source is not None or speaker is not None:
            raise click.UsageError("--batch takes no QUOTE, --source or --speaker")
        sys.exit(_run_batch(batch, replay, as_json, as_of_date, cited_date, db_url))
    if quote is not None and source is None:
        from crawler.cli.discover import find_and_check
        from crawler.job import validate_quote

        sys.exit(
            find_and_check(validate_quote(quote), outlet, title, around, replay, as_json, speaker)
        )
    if quote is None or source is None:
        raise click.UsageError("give a QUOTE and --source (or --batch FILE)")
    checked = check_one(quote, source, replay, speaker, as_of_date, cited_date)
    with _where_else(db_url) as lookup:
        found = lookup(checked)
    if as_json:
        out = checked.to_dict()
        if found is not None:
            out["elsewhere"] = found
        click.echo(json_line(out))
    else:
        click.echo(_human(checked))
        if found is not None:
            click.echo(for_terminal(f"elsewhere: {found['summary']}"))
    sys.exit(exit_code_for([str(checked.result.status), *checked.result.findings]))
