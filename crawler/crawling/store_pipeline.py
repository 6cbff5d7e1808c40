"""Item pipeline: verify every due quote that cites a fetched source, and store it all.

Runs after :class:`crawler.extraction.pipeline.ExtractPipeline`. Each item is one source: the
quotes that cite it and are due are read from the database (not handed over by the
process that started the crawl), so several workers sharing one queue need nothing
but the database. The snapshot and its verdicts are written in one transaction.
Switched on by ``SOURCECHECK_DB``.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, NoReturn, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from sqlalchemy.exc import SQLAlchemyError

from crawler import interrupts
from crawler.archive.citing import cited_on_for
from crawler.archive.pipeline import checked_verdict, edit_check, edit_check_needed
from crawler.archive.store import archive_snapshot
from crawler.archive.verdicts import ARCHIVE_MISS, Checked
from crawler.crawling.stages import add_cpu, add_seconds
from crawler.crawling.storage_failures import STORAGE_FAILURES, failure_line
from crawler.dates import parse_date
from crawler.extraction.page import Page, Unreadable
from crawler.storage.db import engine_for, make_sessions
from crawler.storage.models import utcnow
from crawler.storage.store import due_quote_rows, matcher_version, record_source_check
from spiders.items import SourcePage
from verify import QuoteError


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str, recheck_after: float, started: str) -> None:
        self.crawler = crawler
        self.engine, self.owns_engine = engine_for(db_url)
        self.sessions = make_sessions(self.engine)
        self.recheck_after = timedelta(seconds=recheck_after)
        self.started = datetime.fromisoformat(started) if started else utcnow()
        self.matcher_version = matcher_version()
        # The citing date for a quote whose article has none stored (set by `run`).
        self.cited_on = parse_date(crawler.settings.get("SOURCECHECK_CITED_ON"), "citing date")

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

    def process_item(self, item: SourcePage) -> SourcePage | Coroutine[Any, Any, SourcePage]:
        try:
            stored = self._store(item)
        except SQLAlchemyError as exc:
            self._not_stored(item, exc)
        if isinstance(stored, Coroutine):  # waiting for the archive's edit check
            return self._guarded(item, stored)
        return stored

    async def _guarded(
        self, item: SourcePage, pending: Coroutine[Any, Any, SourcePage]
    ) -> SourcePage:
        try:
            return await pending
        except SQLAlchemyError as exc:
            self._not_stored(item, exc)

    def _not_stored(self, item: SourcePage, exc: SQLAlchemyError) -> NoReturn:
        # Read-only, full, locked or gone: this source is not stored (its transaction
        # rolled back) and the run must say so; the sources stored so far stay.
        STORAGE_FAILURES.append(f"{item.canonical_url}: {failure_line(exc)}")
        self.crawler.stats.inc_value("sourcecheck/storage_failed")
        raise DropItem(f"not stored: {failure_line(exc)}") from None

    def _store(self, item: SourcePage) -> SourcePage | Coroutine[Any, Any, SourcePage]:
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
        with self.sessions() as session:
            due = [
                (q.id, q.text, q.speaker, cited_on_for(SimpleNamespace(article=q), self.cited_on))
                for q in due_quote_rows(
                    session, item.canonical_url, self.recheck_after, self.started
                )
            ]
        add_cpu(stats, "store", started)  # reading what is due is the store's work
        started = time.thread_time()
        checks: list[tuple[int, Checked]] = []
        edits: list[tuple[int, str, Checked, Any]] = []
        for quote_id, text, speaker, cited_on in due:
            try:
                # The live page, or the capture the archive pipeline read for a gone
                # source or --as-of (crawler/archive); the speaker intake found in the
                # citing article, checked against the source.
                checked = checked_verdict(text, outcome, item.archive, item.archive_mode, speaker)
            except QuoteError:  # intake keeps such quotes out; never let one stop a run
                stats.inc_value("sourcecheck/quote_error")
                continue
            if edit_check_needed(self.crawler, item, checked, cited_on):
                edits.append((quote_id, text, checked, cited_on))
            else:
                checks.append((quote_id, checked))
        # CPU by stage (crawler/crawling/stages.py): the page text is built within a verdict.
        page_text_cpu = outcome.page_text_cpu if isinstance(outcome, Page) else 0.0
        add_seconds(stats, "page_text", page_text_cpu)
        add_cpu(stats, "verify", started, less=page_text_cpu)
        if not edits:
            return self.store(item, outcome, checks)
        # A miss that may be an edit since citation: wait for the archive's capture.
        return self.store_after_edit_checks(item, outcome, checks, edits)  # Scrapy awaits it

    async def store_after_edit_checks(
        self,
        item: SourcePage,
        outcome: Page | Unreadable,
        checks: list[tuple[int, Checked]],
        edits: list[tuple[int, str, Checked, Any]],
    ) -> SourcePage:
        for quote_id, text, live, cited_on in edits:
            checks.append((quote_id, await edit_check(self.crawler, item, text, live, cited_on)))
        return self.store(item, outcome, checks)

    def store(
        self, item: SourcePage, outcome: Page | Unreadable, checks: list[tuple[int, Checked]]
    ) -> SourcePage:
        results = []
        archived: set[int] = set()
        findings: dict[int, list[dict[str, Any]]] = {}
        stats = self.crawler.stats
        for quote_id, checked in checks:
            result = checked.result
            results.append((quote_id, result))
            if checked.archived:
                archived.add(quote_id)
            if checked.findings:
                findings[quote_id] = checked.findings
            elif checked.archive and checked.archive.get("reason") and not checked.archived:
                # The archive was asked and had no usable copy: say so in the report too.
                findings[quote_id] = [{"code": ARCHIVE_MISS, **checked.archive}]
            stats.inc_value(f"sourcecheck/verdict/{result.status}")
            for finding in result.findings:
                stats.inc_value(f"sourcecheck/finding/{finding}")
        fetched = datetime.fromisoformat(item.fetched_at) if item.fetched_at else None
        started = time.thread_time()
        record_source_check(
            self.sessions,
            item.canonical_url,
            item.requested_url,
            outcome,
            results,
            self.matcher_version,
            final_url=item.final_url,
            status_code=item.status,
            fetched_at=fetched,
            outlet=item.outlet,
            checked_at=utcnow(),
            # Re-checked under a lock on the source: another worker may have stored
            # this source's verdicts while we verified.
            due_since=(self.recheck_after, self.started),
            archive=archive_snapshot(item, archived),
            findings=findings,
        )
        add_cpu(stats, "store", started)
        stats.inc_value("sourcecheck/sources_stored")
        # Stored: let the page's text go, so that a long crawl's memory stays flat even
        # where the item itself is kept (fetch_items keeps every item for its caller).
        item.html, item.tree, item.body_text, item.page = "", None, None, None
        item.archive = None
        return item
