"""Item pipeline: verify every due quote that cites a fetched source, and store it all.

Runs after :class:`crawler.extraction.pipeline.ExtractPipeline`. Each item is one source: the
quotes that cite it and are due are read from the database (not handed over by the
process that started the crawl), so several workers sharing one queue need nothing
but the database. The snapshot and its verdicts are written in one transaction.
Switched on by ``SOURCECHECK_DB``.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import interrupts
from crawler.crawling.checking import verdict
from crawler.crawling.stages import add_cpu, add_seconds
from crawler.extraction.extract import Page, Unreadable
from crawler.storage.db import engine_for, make_sessions
from crawler.storage.models import utcnow
from crawler.storage.store import matcher_version, record_source_check
from spiders.items import SourcePage
from verify import QuoteError, Result


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str, recheck_after: float, started: str) -> None:
        self.crawler = crawler
        self.engine, self.owns_engine = engine_for(db_url)
        self.sessions = make_sessions(self.engine)
        self.recheck_after = timedelta(seconds=recheck_after)
        self.started = datetime.fromisoformat(started) if started else utcnow()
        self.matcher_version = matcher_version()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        db_url = settings.get("SOURCECHECK_DB")
        if not db_url:
            raise NotConfigured("SOURCECHECK_DB is not set")
        return cls(
            crawler,
            db_url,
            settings.getfloat("SOURCECHECK_RECHECK_AFTER", 0.0),
            settings.get("SOURCECHECK_RUN_STARTED") or "",
        )

    def close_spider(self) -> None:
        if self.owns_engine:
            self.engine.dispose()

    def process_item(self, item: SourcePage) -> SourcePage:
        outcome: Page | Unreadable = (
            item.page
            if item.reason is None and item.page is not None
            else Unreadable(item.reason or "empty_extraction", item.detail)
        )
        stats = self.crawler.stats
        if isinstance(outcome, Unreadable) and interrupts.received() is not None:
            # Stopping on a signal cuts requests short: "unavailable" might be our own
            # doing, not the site's. Store nothing; the source stays due for next run.
            stats.inc_value("sourcecheck/not_stored_interrupted")
            return item
        started = time.thread_time()
        verify_cpu = 0.0

        def verify_due(due: list[tuple[int, str, str | None]]) -> list[tuple[int, Result]]:
            # Called by record_source_check with the quotes due under the lock on the
            # source: one transaction reads them and stores their verdicts.
            nonlocal verify_cpu
            began = time.thread_time()
            results = []
            for quote_id, text, speaker in due:
                try:
                    # the speaker intake found in the citing article, checked against the source
                    result = verdict(text, outcome, speaker)
                except QuoteError:  # intake keeps such quotes out; never let one stop a run
                    stats.inc_value("sourcecheck/quote_error")
                    continue
                results.append((quote_id, result))
                stats.inc_value(f"sourcecheck/verdict/{result.status}")
            verify_cpu += time.thread_time() - began
            return results

        fetched = datetime.fromisoformat(item.fetched_at) if item.fetched_at else None
        record_source_check(
            self.sessions,
            item.canonical_url,
            item.requested_url,
            outcome,
            verify_due,
            self.matcher_version,
            final_url=item.final_url,
            status_code=item.status,
            fetched_at=fetched,
            outlet=item.outlet,
            checked_at=utcnow(),
            # Under a lock on the source: another worker may be storing this source's
            # verdicts too (a worker presumed dead, its source pushed again).
            due_since=(self.recheck_after, self.started),
        )
        page_text_cpu = outcome.page_text_cpu if isinstance(outcome, Page) else 0.0
        add_seconds(stats, "page_text", page_text_cpu)  # built within a verdict
        add_seconds(stats, "verify", verify_cpu - page_text_cpu)
        add_cpu(stats, "store", started, less=verify_cpu)
        stats.inc_value("sourcecheck/sources_stored")
        # Stored: let the page's text go, so that a long crawl's memory stays flat even
        # where the item itself is kept (fetch_items keeps every item for its caller).
        item.html, item.tree, item.body_text, item.page = "", None, None, None
        return item
