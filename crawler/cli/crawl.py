"""``sourcecheck crawl`` (the scheduled job) and ``sourcecheck run`` (intake, crawl, report)."""

from __future__ import annotations

import json
import re
import sys
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from crawler.cli.db import db_option
from crawler.cli.find import not_found_elsewhere
from crawler.cli.report import report_options, write_report
from crawler.crawling.crawljob import CrawlSummary, run_crawl
from crawler.errors import InputError, exit_code_for
from crawler.fetching.sources import is_url
from crawler.storage.db import make_engine, resolve_url
from crawler.storage.models import utcnow

# Exit status when another crawl holds the lock (sysexits' EX_TEMPFAIL: try later).
EXIT_LOCKED = 75

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``7d``, ``2w`` or a plain number of seconds."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", value or "")
    if not found:
        raise InputError(f"not a duration: {value!r} (use e.g. 30m, 24h, 7d)")
    return timedelta(seconds=float(found[1]) * _UNITS[found[2] or "s"])


def _progress(enabled: bool) -> tuple[Any, Any, Any]:
    """A progress bar on a terminal (stderr), nothing otherwise."""
    if not enabled:
        return nullcontext(), None, None
    state: dict[str, Any] = {}

    def on_start(total: int) -> None:
        bar = click.progressbar(length=max(total, 1), label="sources", file=sys.stderr)
        state["bar"] = bar.__enter__()

    def on_source() -> None:
        if "bar" in state:
            state["bar"].update(1)

    class _Closer:
        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc: object) -> None:
            if "bar" in state:
                state["bar"].__exit__(None, None, None)

    return _Closer(), on_start, on_source


def _ensure_schema(engine: Any) -> None:
    """The upgrade policy of storage/db.py; an unreachable database is bad input (exit 2)."""
    from sqlalchemy.exc import OperationalError

    from crawler.storage.db import describe, ensure_schema

    try:
        ensure_schema(engine)
    except OperationalError as exc:
        first = str(exc.orig or exc).strip().splitlines()[0]
        raise InputError(f"cannot open the database {describe(engine)}: {first}") from None


def crawl_and_summarise(
    db_url: str | None,
    recheck_after: timedelta,
    replay: str | None,
    record: str | None,
    warc: str | None,
) -> CrawlSummary:
    from crawler.crawling.lock import LockHeld
    from crawler.storage.db import make_sessions

    engine = make_engine(resolve_url(db_url))
    try:
        _ensure_schema(engine)
        closer, on_start, on_source = _progress(sys.stderr.isatty())
        with closer:
            return run_crawl(
                engine,
                make_sessions(engine),
                recheck_after,
                replay=replay,
                record=record,
                warc=warc,
                on_start=on_start,
                on_source=on_source,
            )
    except LockHeld as exc:
        click.echo(f"sourcecheck: {exc}; nothing done", err=True)
        sys.exit(EXIT_LOCKED)
    finally:
        engine.dispose()


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


def crawl_as_worker(db_url: str | None, recheck_after: timedelta, redis_url: str) -> CrawlSummary:
    """One of several workers sharing the run queued in Redis (docs/scale.md)."""
    from crawler.crawling.lock import LockHeld
    from crawler.storage.db import make_sessions

    try:
        from crawler.crawling.crawljob import run_crawl_workers
    except ModuleNotFoundError as exc:
        raise InputError(f"--workers-from needs sourcecheck[scale] installed ({exc})") from None
    import redis

    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        server.ping()
        server.close()
    except ValueError as exc:
        raise InputError(f"not a Redis URL: {redis_url} ({exc})") from None
    except redis.RedisError as exc:
        raise InputError(f"cannot reach Redis at {redis_url}: {exc}") from None
    engine = make_engine(resolve_url(db_url))
    try:
        _ensure_schema(engine)
        # No progress bar: a worker cannot know how much of the run will be its share.
        return run_crawl_workers(engine, make_sessions(engine), redis_url, recheck_after)
    except LockHeld as exc:
        click.echo(f"sourcecheck: {exc}; nothing done", err=True)
        sys.exit(EXIT_LOCKED)
    finally:
        engine.dispose()


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
    summary is the run's as this worker leaves it. Redis must be private: queued
    requests are pickled. See docs/scale.md.

    Exit status: 0 all verified, 1 some altered or not found, 2 bad input,
    3 some source unavailable (and none altered or not found), 75 locked.
    """
    started = utcnow()
    if redis_url:
        if replay or record or warc:
            raise InputError("--workers-from cannot be combined with --replay, --record or --warc")
        summary = crawl_as_worker(db_url, parse_duration(recheck_after), redis_url)
    else:
        summary = crawl_and_summarise(db_url, parse_duration(recheck_after), replay, record, warc)
    # A not_found is said with where else the words appear in the store (issue 13).
    found = not_found_elsewhere(db_url, started) if summary.statuses.get("not_found") else []
    if as_json:
        click.echo(json.dumps({**summary.to_dict(), "not_found_elsewhere": found}))
    else:
        click.echo(summary.line())
        for item in found:
            text = " ".join(item["quote"].split())
            text = text if len(text) <= 60 else text[:59] + "…"
            click.echo(f"not_found “{text}”: {item['elsewhere']['summary']}")
    sys.exit(summary.exit_code)


def _local_title(article: str) -> str | None:
    """A local article's title: its <title>, or a plain text's first line."""
    import html as htmllib

    from crawler.fetching.sources import looks_html, read_local_text

    text = read_local_text(article, what="article")
    if looks_html(text):
        found = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        return " ".join(htmllib.unescape(found[1]).split()) or None if found else None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:300] or None


def _quotes_of(article: str, replay: str | None) -> list[dict[str, Any]]:
    """The article's quotations as ``sourcecheck quotes --json`` gives them.

    A URL is fetched by ``sourcecheck quotes`` in a child process: a Twisted reactor
    cannot be started twice in one process, and the crawl that follows needs it.
    """
    if not is_url(article):
        from crawler.cli.quotes import find_quotes

        return [q.to_dict() for q in find_quotes(article)]
    import subprocess

    argv = [sys.executable, "-m", "crawler", "quotes", article, "--json"]
    if replay:
        argv += ["--replay", replay]
    child = subprocess.run(argv, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        sys.exit(child.returncode)
    return list(json.loads(child.stdout))


@click.command("run")
@click.argument("article")
@_crawl_options
@report_options
def run_cmd(
    article: str,
    db_url: str | None,
    recheck_after: str,
    replay: str | None,
    record: str | None,
    warc: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Find an ARTICLE's quotes, verify them against their sources, and report.

    ARTICLE is a URL, an HTML file or a plain-text file. The same as
    `sourcecheck quotes`, storing what it finds, then `sourcecheck crawl` and
    `sourcecheck report --article ARTICLE`.

    \b
    Examples:
      sourcecheck run fixtures/pages/citing-article.html --replay fixtures
      sourcecheck run https://example.com/opinion/piece --format html -o report.html

    Exit status as for `sourcecheck crawl`, over all of the article's quotes.
    """
    from crawler.reporting.report import build_report
    from crawler.storage.db import open_db
    from crawler.storage.store import QuoteIn, add_article, text_hash
    from spiders.registry import canonical_url

    delay = parse_duration(recheck_after)
    found = _quotes_of(article, replay)
    key = article if is_url(article) else str(Path(article).resolve())
    with open_db(db_url) as sessions, sessions.begin() as session:
        quotes = [QuoteIn.from_dict(q) for q in found]
        _, added = add_article(
            session,
            key,
            None if is_url(article) else _local_title(article),
            text_hash("\n".join(q["text"] for q in found)),
            quotes,
            canonicalize=canonical_url,
        )
    click.echo(f"{len(found)} quotation(s) found, {added} new", err=True)
    summary = crawl_and_summarise(db_url, delay, replay, record, warc)
    click.echo(summary.line(), err=True)
    with open_db(db_url) as sessions, sessions() as session:
        rows = build_report(session, key)
    write_report(rows, fmt, output)
    statuses = [str(r.get("status")) for r in rows]
    sys.exit(exit_code_for(statuses))
