"""The main job of sourcecheck, as a library: start reading here.

sourcecheck answers one question: is this quote really in the source the article
cites? The job has four stages, each a package:

1. intake (:mod:`verify.intake`, pure): a citing article's quotations, each with its
   speaker, the outlet it is attributed to and the link it gives;
2. fetching (:mod:`crawler.fetching`): each cited source, politely, through Scrapy;
3. extraction and checking (:mod:`crawler.extraction`, :mod:`crawler.crawling` and the
   pure engine :mod:`verify`): the verdict, with its evidence;
4. storage and reporting (:mod:`crawler.storage`, :mod:`crawler.reporting`): every
   verdict kept, and what changed since the check before.

Each command of the CLI (:mod:`crawler.cli`) parses its options, calls one function
here and prints what it returns:

======================================  ====================================
:func:`read_article`                    ``sourcecheck quotes ARTICLE``
:func:`run_article`                     ``sourcecheck run ARTICLE``
:func:`crawl`                           ``sourcecheck crawl``
:func:`crawl_as_worker`                 ``sourcecheck crawl --workers-from``
:func:`check_one`, :func:`check_batch`  ``sourcecheck check``
======================================  ====================================

    >>> from crawler.job import RunOptions, open_store, run_article
    >>> with open_store("/tmp/demo.db") as store:  # doctest: +SKIP
    ...     outcome = run_article(store, "fixtures/pages/citing-article.html",
    ...                           RunOptions(replay="fixtures"))
    >>> outcome.summary.line()  # doctest: +SKIP
    'crawl: 3 quote(s) due from 3 source(s): 1 altered, 2 verified; ...'

The design (verdicts, fields, commands, exit codes) is ``docs/design.md``. Scrapy,
SQLAlchemy and Alembic are imported only by the functions that need them, so that a
check of a local file starts as fast as a script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.errors import InputError
from crawler.extraction.page import Page, Unreadable
from crawler.fetching.sources import Loaded, is_url, load_sources, looks_html, read_local_text
from verify import QuoteError, Result

if TYPE_CHECKING:  # the storage and crawl modules import SQLAlchemy and Scrapy
    from crawler.archive.sources import Archived
    from crawler.archive.verdicts import Checked as ArchiveVerdict
    from crawler.crawling.crawljob import CrawlSummary
    from crawler.reporting.rows import ReportRow
    from crawler.storage.db import Store
    from verify.intake import Quotation

__all__ = [
    "BatchLine",
    "Checked",
    "CitingArticle",
    "Progress",
    "RunOptions",
    "RunOutcome",
    "check_batch",
    "check_one",
    "crawl",
    "crawl_as_worker",
    "open_store",
    "read_article",
    "run_article",
]


def open_store(db: str | None = None) -> Any:
    """The database for a run (a context manager yielding a :class:`Store`): ``db`` is a
    path or SQLAlchemy URL, else ``$SOURCECHECK_DB``, else the default SQLite file."""
    from crawler.storage.db import open_store as _open

    return _open(db)


# --- intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitingArticle:
    """A citing article as intake read it."""

    key: str  # its URL, or a local file's absolute path: what it is stored under
    title: str | None
    quotations: list[Quotation]


def read_article(article: str, replay: str | None = None) -> CitingArticle:
    """The quotations in ARTICLE: a URL (fetched through the crawler), an HTML file or a
    plain-text file. Raises :class:`Unreadable` when a URL cannot be read."""
    if is_url(article):
        from crawler.fetching.fetch import fetch_html  # Scrapy starts only for a URL

        html, final_url = fetch_html(article, replay=replay)
        return _article_from_html(article, html, final_url)
    return _read_local_article(article)


def _article_from_html(url: str, html: str, final_url: str) -> CitingArticle:
    from verify.intake import find_quotes_in_html

    return CitingArticle(url, None, find_quotes_in_html(html, base_url=final_url))


def _read_local_article(path: str) -> CitingArticle:
    text = read_local_text(path, what="article")
    if not text.strip():
        raise InputError(f"article file is empty: {path}")
    from verify.intake import find_quotes_in_html, find_quotes_in_text

    key = str(Path(path).resolve())
    if looks_html(text):
        return CitingArticle(key, _html_title(text), find_quotes_in_html(text))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return CitingArticle(key, first[:300] or None, find_quotes_in_text(text))


def _html_title(html: str) -> str | None:
    import html as htmllib
    import re

    found = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return (" ".join(htmllib.unescape(found[1]).split()) or None) if found else None


def _store_article(store: Store, cited: CitingArticle) -> int:
    """Store the article and its quotations; how many quotations were new."""
    from crawler.storage.store import add_article, text_hash

    content_hash = text_hash("\n".join(q.text for q in cited.quotations))
    with store.sessions.begin() as session:
        _, added = add_article(session, cited.key, cited.title, content_hash, cited.quotations)
    return added


# --- the crawl ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOptions:
    """How a run crawls: what is due, and where responses come from or go to."""

    recheck_after: timedelta = timedelta(hours=24)
    replay: str | None = None  # a recording (fixtures folder or WARC) instead of the network
    record: str | None = None  # record every response into this folder
    warc: str | None = None  # and/or into this WARC file
    # Search for the source of each quote the article does not link (crawler/discovery),
    # counting its time cues back from ``published`` (else the article's own date).
    discover: bool = False
    published: date | None = None
    # Check against the archived capture closest to this date, not the live page.
    as_of: date | None = None
    # When the quotes were cited (the citing article's date): a live miss is checked
    # against the capture from then. ``run_article`` reads it from the article.
    cited_on: date | None = None


@dataclass(frozen=True)
class Progress:
    """Callbacks for a progress bar: the number of sources, then one call per source."""

    on_start: Callable[[int], None]
    on_source: Callable[[], None]


def _crawl_options(options: RunOptions) -> Any:
    from crawler.archive.sources import archive_overrides
    from crawler.crawling.crawljob import CrawlOptions

    overrides = archive_overrides(options.as_of, None)
    if options.cited_on is not None:  # the crawl asks the archive only for a live miss
        overrides["SOURCECHECK_CITED_ON"] = options.cited_on.isoformat()
    return CrawlOptions(
        options.recheck_after, options.replay, options.record, options.warc, overrides
    )


def crawl(store: Store, options: RunOptions, progress: Progress | None = None) -> CrawlSummary:
    """Verify every stored quote that is due, fetching each cited source once.

    Raises :class:`crawler.errors.LockHeld` when another crawl holds the lock.
    """
    from crawler.fetching.fetch import in_reactor

    return in_reactor(lambda runner: _crawl_in(runner, store, options, progress))


async def _crawl_in(
    runner: Any, store: Store, options: RunOptions, progress: Progress | None
) -> CrawlSummary:
    """The crawl of what is due, inside a running reactor (crawl and run_article)."""
    from crawler.crawling.crawljob import crawl_due

    return await crawl_due(
        runner,
        store.engine,
        store.sessions,
        _crawl_options(options),
        progress.on_source if progress else None,
        progress.on_start if progress else None,
    )


def crawl_as_worker(store: Store, redis_url: str, recheck_after: timedelta) -> CrawlSummary:
    """One of several workers sharing the run queued in Redis (docs/scale.md)."""
    try:
        import redis

        from crawler.crawling.crawljob import run_crawl_workers
    except ModuleNotFoundError as exc:
        raise InputError(f"--workers-from needs sourcecheck[scale] installed ({exc})") from None
    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        server.ping()
        server.close()
    except ValueError as exc:
        raise InputError(f"not a Redis URL: {redis_url} ({exc})") from None
    except redis.RedisError as exc:
        raise InputError(f"cannot reach Redis at {redis_url}: {exc}") from None
    # No progress bar: a worker cannot know how much of the run will be its share.
    return run_crawl_workers(store.engine, store.sessions, redis_url, recheck_after)


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`run_article` did: the article read, the quotations new to the store,
    the crawl's summary, and the report rows of this article's quotes."""

    article: CitingArticle
    added: int
    summary: CrawlSummary
    rows: list[ReportRow]
    discovery: Any = None  # a DiscoverySummary when the run searched for sources


def run_article(
    store: Store, article: str, options: RunOptions, progress: Progress | None = None
) -> RunOutcome:
    """The main job: read ARTICLE, store its quotations, crawl what is due, report.

    A URL article is read by the same crawler, in the same reactor, as its sources.
    """
    if not is_url(article):
        cited = _read_local_article(article)
        added = _store_article(store, cited)
        options, found = _date_and_discover(store, article, cited, options, None)
        summary = crawl(store, options, progress)
        return RunOutcome(cited, added, summary, _report_rows(store, cited.key), found)

    from crawler.fetching.fetch import crawl_html, crawl_settings, in_reactor

    async def main(runner: Any) -> RunOutcome:
        settings = crawl_settings(options.replay, settings_overrides={"ITEM_PIPELINES": {}})
        html, final_url = await crawl_html(runner, article, settings)
        cited = _article_from_html(article, html, final_url)
        added = _store_article(store, cited)
        dated, found = _date_and_discover(store, article, cited, options, html)
        summary = await _crawl_in(runner, store, dated, progress)
        return RunOutcome(cited, added, summary, _report_rows(store, cited.key), found)

    return in_reactor(main)


def _date_and_discover(
    store: Store, article: str, cited: CitingArticle, options: RunOptions, html: str | None
) -> tuple[RunOptions, Any]:
    """The article's date (``--published``, else its own), then the search for the
    unlinked quotes' sources before the crawl (issue 10). The date is also when the
    quotes were cited: a live miss is checked against the capture from then (issue 11)."""
    from dataclasses import replace

    from crawler.discovery.job import discover_stored, published_of

    published, where = published_of(article, options.published, html)
    if options.cited_on is None and not where.startswith("today"):
        options = replace(options, cited_on=published)
    if not options.discover:
        return options, None
    attributions = {q.position: q.attribution for q in cited.quotations}
    found = discover_stored(
        store.sessions, cited.key, attributions, published, options.replay, options.record
    )
    found.published, found.published_from = published, where
    return options, found


def _report_rows(store: Store, article_key: str | None) -> list[ReportRow]:
    from crawler.reporting.report import build_report

    with store.sessions() as session:
        return build_report(session, article_key)


# --- checking quotes against sources given by hand ------------------------------------


@dataclass(frozen=True)
class Checked:
    """One quote checked against one source: the verdict and the source as loaded.

    ``archive`` is what the Internet Archive added (crawler/archive): the evidence of a
    verdict read in an archived copy, the lookup's account, the findings.
    """

    quote: str
    source: str
    result: Result
    loaded: Page | Unreadable
    speaker: str | None = None  # who the citing article says spoke the quote
    archive: ArchiveVerdict | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"quote": self.quote, "source": self.source}
        if self.speaker is not None:
            out["speaker"] = self.speaker
        out.update(self.result.to_dict())
        if isinstance(self.loaded, Unreadable) and self.loaded.detail:
            out["detail"] = self.loaded.detail
        if isinstance(self.loaded, Page):
            out["title"] = self.loaded.title
        if self.archive is not None:
            out.update(self.archive.to_dict())
        return out


def validate_quote(quote: Any) -> str:
    """The quote, or :class:`InputError` saying why it cannot be checked."""
    from verify.cleantext import MAX_QUOTE_CHARS, too_long

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


def _checked(
    quote: str,
    source: str,
    loaded: Loaded,
    speaker: str | None = None,
    archived: Archived | None = None,
) -> Checked:
    if isinstance(loaded, InputError):
        raise loaded
    if archived is None:  # a local file: no archive to ask, and none of its code to load
        from crawler.crawling.checking import verdict

        return Checked(quote, source, verdict(quote, loaded, speaker), loaded, speaker)
    from crawler.archive.sources import checked_for

    with_archive = checked_for(quote, loaded, archived, speaker)
    return Checked(quote, source, with_archive.result, loaded, speaker, with_archive)


def validate_speaker(speaker: Any) -> str | None:
    """The claimed speaker (None when not given), or :class:`InputError` saying why not."""
    if speaker is None:
        return None
    if not isinstance(speaker, str) or not any(ch.isalpha() for ch in speaker):
        raise InputError("the speaker must be a name")
    return speaker.strip()


def check_one(
    quote: str,
    source: str,
    replay: str | None = None,
    speaker: str | None = None,
    as_of: date | None = None,
    cited_on: date | None = None,
) -> Checked:
    """Check QUOTE against SOURCE (a URL or a local file), and who said it when SPEAKER
    is given. Raises InputError on bad input.

    A gone URL is checked in its archived capture; ``as_of`` checks the capture closest
    to that date instead of the live page; ``cited_on`` (when the quote was cited) checks
    a live miss against the capture from then (docs/design.md, "The archive").
    """
    quote = validate_quote(quote)
    speaker = validate_speaker(speaker)
    if not is_url(source) and as_of is None:  # a local file: the archive has no part in it
        # The engine first: while it loads, a page reader (crawler/extraction/ahead.py)
        # is still reading the page.
        import crawler.crawling.checking  # noqa: F401

        return _checked(quote, source, load_sources([source])[source], speaker)
    from crawler.archive.sources import load_with_archive

    loaded, archived = load_with_archive([source], replay, as_of, cited_on)
    return _checked(quote, source, loaded[source], speaker, archived.get(source))


@dataclass(frozen=True)
class BatchLine:
    """One line of a batch: what to check, or why the line cannot be checked."""

    number: int
    id: Any
    quote: str | None = None
    source: str | None = None
    error: str | None = None
    speaker: str | None = None


def _no_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity, which no JSON parser reads back: refuse them.
    raise ValueError(f"{name} is not valid JSON")


def parse_batch_line(number: int, line: str) -> BatchLine:
    """One batch line: whatever it holds, what to check or an error of its own, never an
    exception (a 100k-deep nesting, a NUL, a quote that is not text, a NaN id)."""
    import json

    try:
        item = json.loads(line, parse_constant=_no_constant)
    except RecursionError:
        return BatchLine(number, number, error=f"line {number}: nested too deeply to read")
    except ValueError as exc:
        return BatchLine(number, number, error=f"line {number}: not valid JSON: {exc}")
    if not isinstance(item, dict):
        return BatchLine(number, number, error=f"line {number}: a line must be a JSON object")
    item_id = item.get("id", number)
    try:
        quote = validate_quote(item.get("quote"))
        source = item.get("source")
        if source is None:
            raise InputError("the source is missing")
        if not isinstance(source, str):
            raise InputError("source must be a string")
        if not source.strip():
            raise InputError("the source is empty")
        if "\x00" in source:
            raise InputError("the source contains a NUL character")
        speaker = validate_speaker(item.get("speaker"))
    except InputError as exc:
        return BatchLine(number, item_id, error=f"line {number}: {exc}")
    return BatchLine(number, item_id, quote, source, speaker=speaker)


def parse_batch(lines: Iterable[str]) -> list[BatchLine]:
    """``{"id", "quote", "source"}`` objects (and an optional ``"speaker"``), one a line;
    a bad line keeps its error."""
    return [parse_batch_line(n, line) for n, line in enumerate(lines, 1) if line.strip()]


def check_batch(
    lines: list[BatchLine],
    replay: str | None = None,
    as_of: date | None = None,
    cited_on: date | None = None,
) -> Iterator[tuple[BatchLine, Checked | str]]:
    """Each line with its verdict or its error, in order; each distinct source is
    fetched and extracted once (``as_of``, ``cited_on``: as for :func:`check_one`)."""
    from crawler.archive.sources import load_with_archive

    sources = [line.source for line in lines if line.source]
    checks: dict[str, list[tuple[str, str | None]]] = {}
    for line in lines:
        if line.error is None and line.quote is not None and line.source is not None:
            checks.setdefault(line.source, []).append((line.quote, line.speaker))
    loaded, archived = load_with_archive(sources, replay, as_of, cited_on, checks)
    for line in lines:
        if line.error is not None or line.quote is None or line.source is None:
            yield line, line.error or f"line {line.number}: nothing to check"
            continue
        try:
            answer: Checked | str = _checked(
                line.quote,
                line.source,
                loaded[line.source],
                line.speaker,
                archived.get(line.source),
            )
        except (InputError, QuoteError) as exc:
            answer = str(exc)
        except Exception as exc:  # one line's bug must not cost the other lines' answers
            answer = f"internal error: {type(exc).__name__}: {exc}"
        yield line, answer
