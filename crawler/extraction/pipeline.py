"""Item pipeline: read each fetched page into a :class:`crawler.extraction.extract.Page`."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures.process import BrokenProcessPool

from lxml.html import tostring
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import is_asyncio_available

from crawler.crawling.stages import add_cpu
from crawler.extraction.extract import Page, Unreadable, read_html
from crawler.extraction.pool import POOL, Outcome
from spiders.items import SourcePage


class ExtractPipeline:
    """Extract the main text of every readable page (``SOURCECHECK_EXTRACT_ENABLED``).

    The outlet spider's selector text, when it found one, is the main text; else
    trafilatura's. A page with no usable text gets its ``unavailable`` reason here
    (``empty_extraction``, ``consent_wall``), so the item always ends either with a
    ``page`` or with a ``reason``.

    ``SOURCECHECK_EXTRACT_PROCESSES`` > 0 extracts in that many pool processes
    (:class:`PooledExtractPipeline`); 0 extracts in the crawl process.
    """

    def __init__(self, enabled: bool = True, stats: StatsCollector | None = None) -> None:
        if not enabled:
            raise NotConfigured("SOURCECHECK_EXTRACT_ENABLED is off")
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        enabled = crawler.settings.getbool("SOURCECHECK_EXTRACT_ENABLED", True)
        processes = crawler.settings.getint("SOURCECHECK_EXTRACT_PROCESSES", 0)
        if processes > 0:
            return PooledExtractPipeline(enabled, processes, crawler.stats)
        return cls(enabled, crawler.stats)

    def process_item(self, item: SourcePage) -> SourcePage:
        if item.reason is not None or item.page is not None:
            return item
        started = time.thread_time()
        # The spider's parsed tree (without reader comments), so the page is parsed once.
        source = item.tree if item.tree is not None else item.html
        item.tree = None  # the page (its lazy page text) holds it from here
        try:
            outcome: Outcome = read_html(source, url=item.final_url, body_text=item.body_text)
        except Unreadable as exc:
            outcome = exc.reason, exc.detail
        settle(item, outcome)
        add_cpu(self.stats, "extract", started)
        return item


class PooledExtractPipeline(ExtractPipeline):
    """The same extraction, in a process pool shared by the process's crawlers, so that
    it overlaps with fetching, parsing, verification and storage (see
    :mod:`crawler.extraction.pool`). Needs the asyncio reactor (the project's default)."""

    def __init__(
        self, enabled: bool = True, processes: int = 1, stats: StatsCollector | None = None
    ) -> None:
        super().__init__(enabled, stats)
        self.processes = processes

    def open_spider(self) -> None:
        if not is_asyncio_available():
            raise RuntimeError("SOURCECHECK_EXTRACT_PROCESSES needs the asyncio reactor")
        POOL.acquire(self.processes)

    def close_spider(self) -> None:
        POOL.release()

    async def process_item(self, item: SourcePage) -> SourcePage:  # type: ignore[override]
        # Scrapy awaits a coroutine pipeline method: the same item, later.
        if item.reason is not None or item.page is not None:
            return item
        started = time.thread_time()
        # A tree cannot cross to the pool: the HTML goes, serialised again from the
        # tree only when reader comments were cut from it.
        tree, item.tree = item.tree, None
        html = tostring(tree, encoding="unicode") if item.reader_comments else item.html
        future = POOL.submit(html, item.final_url, item.body_text)
        add_cpu(self.stats, "extract", started)
        generation = POOL.generation
        try:
            outcome = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            POOL.renew(generation)  # this item fails (fetch_failed); the crawl goes on
            raise
        if isinstance(outcome, Page):
            # The child did not send the page back; the page text is built (if a verdict
            # needs it) from the tree the spider parsed, not by parsing the HTML again.
            outcome.html = tree if tree is not None else html
        settle(item, outcome)
        return item


def settle(item: SourcePage, outcome: Outcome) -> None:
    """Put a read page, or why it could not be read, on the item."""
    if isinstance(outcome, Page):
        item.page = outcome
        item.page.paywalled = item.paywalled
        return
    item.reason, item.detail = outcome
    if item.paywalled:  # the wall, not the extractor, is why there is no text
        item.reason, item.detail = "paywall", "the page marks its body as for subscribers"
