"""Item pipeline: read each fetched page into a :class:`crawler.extraction.extract.Page`."""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import is_asyncio_available

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

    def __init__(self, enabled: bool = True) -> None:
        if not enabled:
            raise NotConfigured("SOURCECHECK_EXTRACT_ENABLED is off")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        enabled = crawler.settings.getbool("SOURCECHECK_EXTRACT_ENABLED", True)
        processes = crawler.settings.getint("SOURCECHECK_EXTRACT_PROCESSES", 0)
        if processes > 0:
            return PooledExtractPipeline(enabled, processes)
        return cls(enabled)

    def process_item(self, item: SourcePage) -> SourcePage:
        if item.reason is not None or item.page is not None:
            return item
        html = item.extract_html or item.html  # without reader comments, if any
        try:
            outcome: Outcome = read_html(html, url=item.final_url, body_text=item.body_text)
        except Unreadable as exc:
            outcome = exc.reason, exc.detail
        settle(item, outcome)
        return item


class PooledExtractPipeline(ExtractPipeline):
    """The same extraction, in a process pool shared by the process's crawlers, so that
    it overlaps with fetching, parsing, verification and storage (see
    :mod:`crawler.extraction.pool`). Needs the asyncio reactor (the project's default)."""

    def __init__(self, enabled: bool = True, processes: int = 1) -> None:
        super().__init__(enabled)
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
        html = item.extract_html or item.html  # without reader comments, if any
        future = POOL.submit(html, item.final_url, item.body_text)
        generation = POOL.generation
        try:
            outcome = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            POOL.renew(generation)  # this item fails (fetch_failed); the crawl goes on
            raise
        if isinstance(outcome, Page):
            outcome.html = html  # the child did not send it back; page_text is built from it
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
