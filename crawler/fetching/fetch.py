"""Fetch source URLs with the project's Scrapy spiders, all in one reactor per process.

A Twisted reactor cannot be restarted, so a process runs it once: :func:`in_reactor`
starts it, runs one coroutine (which may crawl as many times as it needs, one after
another: read a citing article, then crawl its sources) and stops it.
:func:`crawl_items` is one crawl inside it: the URLs grouped by outlet spider, every
spider run at once, each requested URL mapped to its item. :func:`fetch_items`,
:func:`fetch_pages` and :func:`fetch_html` are the one-crawl-per-process shortcuts.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, AsyncCrawlerRunner, Crawler
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.errors import InputError, Interrupted
from crawler.extraction.page import Page, Unreadable
from crawler.fetching.replay import Recording, RecordingError
from crawler.gc_tuning import freeze_startup
from spiders.base import META
from spiders.items import SourcePage
from spiders.registry import spider_for_url


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """crawler/settings.py, as ``scrapy.cfg`` would load it, plus ``overrides``.

    ``SOURCECHECK_SETTINGS_MODULE`` names a module whose settings are laid over
    ours (like Scrapy's ``SCRAPY_SETTINGS_MODULE``): a deployment's own politeness
    figures, or the tests' short timeouts and tiny retry delays.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if extra := os.environ.get("SOURCECHECK_SETTINGS_MODULE"):
        settings.setmodule(extra, priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def _check_url(url: str) -> InputError | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        return InputError(f"malformed URL {url!r}: {exc}")
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return InputError(f"malformed URL {url!r}: no host")
    return None


T = TypeVar("T")


def in_reactor(main: Callable[[AsyncCrawlerRunner], Awaitable[T]]) -> T:
    """Run ``main(runner)`` in this process's one reactor, and return what it returns.

    ``main`` may await :func:`crawl_items` as often as it needs. The reactor cannot be
    restarted: call this once per process.

    On SIGINT or SIGTERM the event loop is stopped at once and :class:`Interrupted` is
    raised (exit 130 or 143). Scrapy's own handlers would stop the crawls gracefully,
    but a graceful stop waits on every request in flight and, with a signal while the
    crawlers start, waited for good in our runs. Stopping the loop is safe for the data:
    each source is stored by one synchronous transaction (StorePipeline) that a loop
    stop cannot cut in two; the sources in flight are not stored and stay due.
    """
    from crawler import interrupts

    process = AsyncCrawlerProcess(project_settings(_quiet()))  # installs the reactor
    from twisted.internet import reactor

    box: dict[str, Any] = {}

    def finished(task: asyncio.Future[T]) -> None:
        try:
            box["value"] = task.result()
        except BaseException as exc:  # handed to the caller below, outside the reactor
            box["error"] = exc
        process._stop_reactor()

    def go() -> None:
        task = asyncio.ensure_future(main(process))
        task.add_done_callback(finished)

    loop = asyncio.get_event_loop()  # the one AsyncCrawlerProcess installed

    def stop_now() -> None:  # called from the signal handler: only schedule
        if loop.is_closed():  # the work is done and the loop gone: nothing to stop
            return
        loop.call_soon_threadsafe(loop.stop)

    reactor.callWhenRunning(go)  # type: ignore[attr-defined]
    freeze_startup()  # what is loaded by now lives as long as the process (gc_tuning.py)
    with interrupts.stopping(stop_now, stop_now):  # raises Interrupted after a signal
        process.start(stop_after_crawl=False, install_signal_handlers=False)
    if "error" in box:
        raise box["error"]
    if "value" not in box:
        raise Interrupted()
    return box["value"]  # type: ignore[no-any-return]


def _quiet() -> dict[str, Any]:
    # Every failure is reported as a reason (and internal errors as fetch_failed with
    # the exception), so the log, with its tracebacks, stays quiet unless asked.
    return {"LOG_LEVEL": os.environ.get("SOURCECHECK_LOG_LEVEL", "CRITICAL")}


def fetch_items(
    urls: Iterable[str],
    replay: str | None = None,
    record: str | None = None,
    warc: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
    on_item: Callable[[SourcePage], None] | None = None,
) -> dict[str, SourcePage | InputError]:
    """One crawl in a reactor of its own (see :func:`crawl_items`)."""
    settings = crawl_settings(replay, record, warc, settings_overrides)
    return in_reactor(lambda runner: crawl_items(runner, urls, settings, on_item))


def crawl_settings(
    replay: str | None = None,
    record: str | None = None,
    warc: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> Settings:
    """The project's settings for one crawl: replay, record and WARC, then overrides."""
    overrides = _quiet()
    if replay:
        try:
            Recording.load(replay)  # fail early, as bad input, not inside the crawl
        except RecordingError as exc:
            raise InputError(str(exc)) from None
        overrides["SOURCECHECK_REPLAY"] = str(Path(replay).resolve())
    if record:
        overrides["SOURCECHECK_RECORD_DIR"] = str(Path(record).resolve())
    if warc:
        overrides["SOURCECHECK_RECORD_WARC"] = str(Path(warc).resolve())
    overrides.update(settings_overrides or {})
    return project_settings(overrides)


async def crawl_items(
    runner: AsyncCrawlerRunner,
    urls: Iterable[str],
    settings: Settings,
    on_item: Callable[[SourcePage], None] | None = None,
) -> dict[str, SourcePage | InputError]:
    """Crawl ``urls`` once each; the item (or input error) for every requested URL.

    ``on_item`` is called as each item leaves the pipelines (progress reporting).
    """
    out: dict[str, SourcePage | InputError] = {}
    groups: dict[type, list[str]] = {}
    canonical_of: dict[str, str] = {}
    for url in dict.fromkeys(urls):
        if (error := _check_url(url)) is not None:
            out[url] = error
            continue
        spider = spider_for_url(url)
        canonical_of[url] = spider.canonical_url(url)
        groups.setdefault(spider, [])
        if canonical_of[url] not in groups[spider]:
            groups[spider].append(canonical_of[url])
    if not groups:
        return out

    scraped: dict[str, SourcePage] = {}

    def collect(item: SourcePage) -> None:
        scraped.setdefault(item.requested_url, item)
        if on_item is not None:
            on_item(item)

    def spider_failed(failure: Failure, response: Response) -> None:
        """A bug in a spider callback: report it for that URL, do not hide it."""
        info = response.request.meta.get(META, {}) if response.request else {}
        if "requested" in info:
            item = SourcePage(requested_url=info["requested"], canonical_url=info["canonical"])
            item.reason = "fetch_failed"
            item.detail = f"internal error: {type(failure.value).__name__}: {failure.value}"
            scraped.setdefault(item.requested_url, item)

    def item_failed(item: SourcePage, failure: Failure) -> None:
        """A bug in a pipeline: the page was fetched, but not read."""
        item.reason = "fetch_failed"
        item.detail = f"internal error: {type(failure.value).__name__}: {failure.value}"
        scraped.setdefault(item.requested_url, item)

    tasks = []
    for spider, group in groups.items():
        crawler = Crawler(spider, settings)
        crawler.signals.connect(collect, signal=signals.item_scraped)
        crawler.signals.connect(spider_failed, signal=signals.spider_error)
        crawler.signals.connect(item_failed, signal=signals.item_error)
        tasks.append(runner.crawl(crawler, urls=group))
    await asyncio.gather(*tasks)

    for url, canonical in canonical_of.items():
        item = scraped.get(canonical)
        if item is None:
            item = SourcePage(requested_url=url, canonical_url=canonical)
            item.reason, item.detail = "fetch_failed", "the crawl ended without a result"
        # The spider was given the canonical URL; each caller gets back its own URL.
        out[url] = replace(item, requested_url=url)
    return out


def fetch_pages(
    urls: Iterable[str],
    replay: str | None = None,
    record: str | None = None,
    warc: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> dict[str, Page | Unreadable | InputError]:
    """Each URL's page, or why it is unavailable (or an InputError for a bad URL)."""
    out: dict[str, Page | Unreadable | InputError] = {}
    for url, item in fetch_items(urls, replay, record, warc, settings_overrides).items():
        if isinstance(item, InputError):
            out[url] = item
        elif item.reason is not None or item.page is None:
            out[url] = Unreadable(item.reason or "empty_extraction", item.detail)
        else:
            out[url] = item.page
    return out


def fetch_html(url: str, replay: str | None = None) -> tuple[str, str]:
    """A page's HTML as served (a citing article, for quote intake) and its final URL.

    Raises :class:`Unreadable` when it cannot be fetched, InputError for a bad URL.
    Extraction is switched off: intake reads the page's own structure.
    """
    settings = crawl_settings(replay, settings_overrides={"ITEM_PIPELINES": {}})
    return in_reactor(lambda runner: crawl_html(runner, url, settings))


async def crawl_html(runner: AsyncCrawlerRunner, url: str, settings: Settings) -> tuple[str, str]:
    """:func:`fetch_html` inside a running reactor (``settings`` without pipelines)."""
    item = (await crawl_items(runner, [url], settings))[url]
    if isinstance(item, InputError):
        raise item
    if item.reason is not None or not item.html:
        raise Unreadable(item.reason or "empty_extraction", item.detail)
    return item.html, item.final_url or url
