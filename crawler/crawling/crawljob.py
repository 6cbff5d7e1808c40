"""The scheduled job: re-verify every stored quote that is due, one fetch per source.

:func:`run_crawl` takes the crawl lock, selects the due quotes, crawls their sources
through the outlet spiders with :class:`crawler.crawling.store_pipeline.StorePipeline` storing
each source's snapshot and verdicts as it arrives, and sums up what this run stored.
:func:`run_crawl_workers` does the same as one of several workers sharing a queue in
Redis (:mod:`crawler.crawling.workers`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from crawler.crawling.lock import crawl_lock
from crawler.errors import exit_code_for
from crawler.storage.models import Verification, utcnow
from crawler.storage.store import due_by_source, due_quotes, quotes_without_source
from verify import MISATTRIBUTED, findings_for

DEFAULT_RECHECK_AFTER = timedelta(hours=24)

STORE_PIPELINE = "crawler.crawling.store_pipeline.StorePipeline"


@dataclass
class CrawlSummary:
    due_quotes: int = 0
    sources: int = 0
    no_source: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    unchecked: int = 0  # due, but no verdict was stored (the run was cut short)
    misattributed: int = 0  # verdicts whose words the source gives another speaker

    @property
    def exit_code(self) -> int:
        return exit_code_for([*self.statuses.elements()] + [MISATTRIBUTED] * self.misattributed)

    def line(self, with_no_source: bool = True) -> str:
        """The one-line summary a cron mail or a log shows.

        ``with_no_source=False`` for ``run``: the unsourced quotes are counted over the
        whole database, which beside one article's report reads as that article's.
        """
        if not self.due_quotes:
            counts = "nothing due"
        else:
            counts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items())) or "none"
        parts = [f"crawl: {self.due_quotes} quote(s) due from {self.sources} source(s): {counts}"]
        if self.misattributed:
            parts.append(f"{self.misattributed} {MISATTRIBUTED}")
        if self.unchecked:
            parts.append(f"{self.unchecked} not checked")
        if self.no_source and with_no_source:
            parts.append(f"{self.no_source} quote(s) with no cited source (no_source)")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "due_quotes": self.due_quotes,
            "sources": self.sources,
            "no_source": self.no_source,
            "statuses": dict(self.statuses),
            "unchecked": self.unchecked,
            "misattributed": self.misattributed,
        }


def _stored_since(
    session: Session, quote_ids: list[int], since: datetime
) -> dict[int, tuple[str, str | None]]:
    """The newest verdict (and its attribution status) stored for each quote since ``since``."""
    if not quote_ids:
        return {}
    rows = session.execute(
        select(Verification.quote_id, Verification.status, Verification.attribution_status)
        .where(Verification.quote_id.in_(quote_ids), Verification.checked_at >= since)
        .order_by(Verification.checked_at, Verification.id)
    )
    return {quote_id: (status, said) for quote_id, status, said in rows}


def _count(summary: CrawlSummary, stored: dict[int, tuple[str, str | None]]) -> None:
    summary.statuses = Counter(status for status, _ in stored.values())
    summary.misattributed = sum(bool(findings_for(*found)) for found in stored.values())


def run_crawl(
    engine: Engine,
    sessions: sessionmaker[Session],
    recheck_after: timedelta = DEFAULT_RECHECK_AFTER,
    replay: str | None = None,
    record: str | None = None,
    warc: str | None = None,
    on_source: Callable[[], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> CrawlSummary:
    """:func:`crawl_due` in a reactor of its own (one crawl per process)."""
    from crawler.fetching.fetch import in_reactor  # Scrapy starts only now

    options = CrawlOptions(recheck_after, replay, record, warc, settings_overrides)
    return in_reactor(
        lambda runner: crawl_due(runner, engine, sessions, options, on_source, on_start)
    )


@dataclass(frozen=True)
class CrawlOptions:
    """How one crawl runs: what is due, and where responses come from or go to."""

    recheck_after: timedelta = DEFAULT_RECHECK_AFTER
    replay: str | None = None
    record: str | None = None
    warc: str | None = None
    settings_overrides: dict[str, Any] | None = None


async def crawl_due(
    runner: Any,
    engine: Engine,
    sessions: sessionmaker[Session],
    options: CrawlOptions,
    on_source: Callable[[], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> CrawlSummary:
    """Verify every due quote inside a running reactor.

    Raises :class:`crawler.errors.LockHeld` if another run is on.
    """
    from crawler.fetching.fetch import crawl_items, crawl_settings, project_settings

    with crawl_lock(engine):
        started = utcnow()
        with sessions() as session:
            due = due_by_source(session, options.recheck_after, started)
            urls = [source.url for source in due]
            quote_ids = [q.id for quotes in due.values() for q in quotes]
            summary = CrawlSummary(
                due_quotes=len(quote_ids),
                sources=len(urls),
                no_source=len(quotes_without_source(session)),
            )
        if on_start is not None:
            on_start(len(urls))
        if urls:
            overrides: dict[str, Any] = {
                # the project's pipelines (extraction, a deployment's own) plus the store
                "ITEM_PIPELINES": {
                    **project_settings().getdict("ITEM_PIPELINES"),
                    STORE_PIPELINE: 400,
                },
                "SOURCECHECK_DB": engine.url.render_as_string(hide_password=False),
                "SOURCECHECK_RECHECK_AFTER": options.recheck_after.total_seconds(),
                "SOURCECHECK_RUN_STARTED": started.isoformat(),
            }
            overrides.update(options.settings_overrides or {})
            settings = crawl_settings(options.replay, options.record, options.warc, overrides)
            await crawl_items(
                runner,
                urls,
                settings,
                on_item=(lambda _item: on_source()) if on_source else None,
            )
        with sessions() as session:
            stored = _stored_since(session, quote_ids, started)
        _count(summary, stored)
        summary.unchecked = len(quote_ids) - len(stored)
        return summary


def run_crawl_workers(
    engine: Engine,
    sessions: sessionmaker[Session],
    redis_url: str,
    recheck_after: timedelta = DEFAULT_RECHECK_AFTER,
    on_source: Callable[[], None] | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> CrawlSummary:
    """Work on the shared run in Redis until nothing is left for this worker.

    The summary is the run's, as this worker leaves it: every verdict stored since the
    run started (by any worker), and the quotes still due (held by live workers, or
    left for the next run). ``sources`` counts what this worker fetched.
    """
    from crawler.crawling.workers import run_workers  # scrapy-redis is the optional `scale` extra
    from crawler.fetching.fetch import project_settings

    # Shared: workers run together; a single-process crawl (exclusive) excludes them.
    with crawl_lock(engine, shared=True):
        overrides: dict[str, Any] = {
            "LOG_LEVEL": os.environ.get("SOURCECHECK_LOG_LEVEL", "ERROR"),
            "ITEM_PIPELINES": {
                **project_settings().getdict("ITEM_PIPELINES"),
                STORE_PIPELINE: 400,
            },
            "SOURCECHECK_DB": engine.url.render_as_string(hide_password=False),
            "SOURCECHECK_RECHECK_AFTER": recheck_after.total_seconds(),
        }
        overrides.update(settings_overrides or {})
        info, fetched = run_workers(
            engine,
            sessions,
            redis_url,
            recheck_after,
            overrides,
            on_item=(lambda _item: on_source()) if on_source else None,
        )
        with sessions() as session:
            stored = _stored_since(session, _checked_since(session, info.started), info.started)
            left = len(due_quotes(session, recheck_after, info.started))
            no_source = len(quotes_without_source(session))
        summary = CrawlSummary(due_quotes=len(stored) + left, sources=fetched, no_source=no_source)
        _count(summary, stored)
        summary.unchecked = left
        return summary


def _checked_since(session: Session, since: datetime) -> list[int]:
    rows = session.execute(
        select(Verification.quote_id).where(Verification.checked_at >= since).distinct()
    )
    return list(rows.scalars())
