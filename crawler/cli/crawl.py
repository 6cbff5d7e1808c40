"""``sourcecheck crawl`` (the scheduled job) and ``sourcecheck run`` (intake, crawl, report)."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from crawler.cli.db import db_option
from crawler.cli.report import report_options, write_report
from crawler.errors import EXIT_STORAGE, InputError, exit_code_for
from crawler.job import Progress
from crawler.safetext import for_terminal

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``7d``, ``2w`` or a plain number of seconds."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", value or "")
    if not found:
        raise InputError(f"not a duration: {value!r} (use e.g. 30m, 24h, 7d)")
    return timedelta(seconds=float(found[1]) * _UNITS[found[2] or "s"])


def _progress(enabled: bool) -> Progress | None:
    """A progress bar on a terminal (stderr), nothing otherwise."""
    if not enabled:
        return None
    state: dict[str, Any] = {}

    def on_start(total: int) -> None:
        bar = click.progressbar(length=max(total, 1), label="sources", file=sys.stderr)
        state["bar"] = bar.__enter__()

    def on_source() -> None:
        if "bar" in state:
            state["bar"].update(1)
            if state["bar"].finished:
                state.pop("bar").__exit__(None, None, None)

    return Progress(on_start, on_source)


def _crawl_options(func: Any) -> Any:
    func = click.option("--warc", type=click.Path(dir_okay=False), help="Also keep a WARC.")(func)
    func = click.option(
        "--record", type=click.Path(file_okay=False), help="Record every response into DIR."
    )(func)
    func = click.option(
        "--replay", type=click.Path(), help="Serve responses from recorded fixtures or a WARC."
    )(func)
    func = click.option(
        "--recheck-after",
        default="24h",
        show_default=True,
        help="Re-verify quotes last checked longer ago than this (0 = all).",
    )(func)
    return db_option(func)


@click.command()
@_crawl_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--workers-from",
    "redis_url",
    metavar="REDIS_URL",
    help="Be one of several workers sharing a queue in Redis (redis://host:6379/0).",
)
def crawl(
    db_url: str | None,
    recheck_after: str,
    replay: str | None,
    record: str | None,
    warc: str | None,
    as_json: bool,
    redis_url: str | None,
) -> None:
    """Verify every stored quote that is due, fetching each cited source once.

    A quote is due when it was never checked, or last checked longer ago than
    --recheck-after. Safe to run from cron: a lock keeps two runs from overlapping
    (exit 75 when one is running), and every source's verdicts are stored as one
    transaction, so an interrupted run keeps what it finished.

    \b
    Examples:
      sourcecheck crawl
      sourcecheck crawl --recheck-after 7d --warc evidence.warc.gz
      sourcecheck crawl --replay fixtures --db /tmp/demo.db
      sourcecheck crawl --workers-from redis://10.0.0.5:6379/0 --db postgresql+psycopg://...

    With --workers-from, any number of workers (on one machine or many) share one
    queue of the due sources in Redis, and each source is fetched once per run; the
    summary is the run's as this worker leaves it. Queued requests are JSON checked
    on read (never pickled), but Redis must still be private. See docs/security.md.

    Exit status: 0 all verified, 1 some altered or not found, 2 bad input,
    3 some source unavailable (and none altered or not found), 5 some verdicts
    could not be stored (those stored are kept; one line says why), 75 locked.
    """
    from crawler.cli.find import not_found_elsewhere
    from crawler.job import RunOptions, crawl_as_worker, open_store
    from crawler.job import crawl as crawl_job

    delay = parse_duration(recheck_after)
    started = datetime.now(UTC)
    with open_store(db_url) as store:
        if redis_url:
            if replay or record or warc:
                raise InputError(
                    "--workers-from cannot be combined with --replay, --record or --warc"
                )
            summary = crawl_as_worker(store, redis_url, delay)
        else:
            options = RunOptions(delay, replay, record, warc)
            summary = crawl_job(store, options, _progress(sys.stderr.isatty()))
    # A not_found is said with where else the words appear in the store (issue 13).
    found = not_found_elsewhere(db_url, started) if summary.statuses.get("not_found") else []
    if as_json:
        click.echo(json.dumps({**summary.to_dict(), "not_found_elsewhere": found}))
    else:
        click.echo(summary.line())
        for item in found:
            text = " ".join(item["quote"].split())
            text = text if len(text) <= 60 else text[:59] + "…"
            click.echo(for_terminal(f"not_found “{text}”: {item['elsewhere']['summary']}"))
    if error := summary.storage_error():
        click.echo(for_terminal(f"error: {error}"), err=True)
    sys.exit(summary.exit_code)


@click.command("run")
@click.argument("article")
@_crawl_options
@report_options
@click.option(
    "--discover/--no-discover",
    default=True,
    show_default=True,
    help="Search for the source of each quote the article does not link.",
)
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="The article's publication date (default: its own meta or date line).",
)
@click.option(
    "--as-of",
    metavar="DATE",
    help="Check every source against its archived capture closest to DATE (YYYY-MM-DD).",
)
def run_cmd(
    article: str,
    db_url: str | None,
    recheck_after: str,
    replay: str | None,
    record: str | None,
    warc: str | None,
    fmt: str,
    output: str | None,
    discover: bool,
    published: str | None,
    as_of: str | None,
) -> None:
    """Find an ARTICLE's quotes, verify them against their sources, and report.

    ARTICLE is a URL, an HTML file or a plain-text file. The same as
    `sourcecheck quotes`, storing what it finds, then `sourcecheck crawl` and
    `sourcecheck report --article ARTICLE`.

    A quote with no link is searched for (the Guardian Content API, the outlets'
    sitemaps and feeds, stored snapshots) within a window read from the article's
    time cues, counted back from its publication date; a found source is checked and
    reported with how it was found (found_by), a quote whose search found nothing
    stays no_source with what was searched. --no-discover checks linked quotes only.

    \b
    Examples:
      sourcecheck run fixtures/pages/citing-article.html --replay fixtures
      sourcecheck run fixtures/pages/citing-article.txt --published 2024-10-24 --replay fixtures
      sourcecheck run https://example.com/opinion/piece --format html -o report.html

    Exit status as for `sourcecheck crawl`, over all of the article's quotes.
    """
    from crawler.dates import parse_date, parse_day
    from crawler.job import RunOptions, open_store, run_article
    from crawler.reporting.report import summary_line

    given = parse_day(published, "--published date")
    as_of_date = parse_date(as_of, "--as-of date")
    options = RunOptions(
        parse_duration(recheck_after), replay, record, warc, discover, given, as_of_date
    )
    with open_store(db_url) as store:
        outcome = run_article(store, article, options, _progress(sys.stderr.isatty()))
    found = len(outcome.article.quotations)
    click.echo(f"{found} quotation(s) found, {outcome.added} new", err=True)
    if outcome.discovery is not None:
        click.echo(outcome.discovery.line(), err=True)
    click.echo(outcome.summary.line(with_no_source=False), err=True)
    # This article's quotes only: the crawl may also have re-checked other stored
    # articles' due quotes, but `run` answers for the article it was given.
    click.echo(f"{article}: {summary_line(outcome.rows)}", err=True)
    if error := outcome.summary.storage_error():
        click.echo(for_terminal(f"error: {error}"), err=True)
    write_report(outcome.rows, fmt, output)
    if outcome.summary.storage_failures:
        sys.exit(EXIT_STORAGE)
    misattributed = [f for r in outcome.rows for f in r.findings]
    sys.exit(exit_code_for([r.status for r in outcome.rows] + misattributed))
