"""Discovery as a step of the main job: dates, searches, storage and the report's view.

``sourcecheck run`` calls :func:`discover_stored` after storing the article's quotes
and before the crawl: each quote with no link is searched for, a found source is
attached to it (so the crawl checks it like a linked one), and every search is kept
as a :class:`~crawler.storage.models.Discovery` row. The report reads those rows back
with :func:`discovery_fields`.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.discovery import store as store_finder
from crawler.discovery.candidates import Candidate, Search, Wanted
from crawler.discovery.discover import discover
from crawler.storage.models import Article, Discovery, Quote
from crawler.storage.store import attach_source
from verify.cues import date_line, published_in_html, search_window

if TYPE_CHECKING:
    from crawler.reporting.rows import ReportRow

log = logging.getLogger(__name__)


def published_of(article: str, given: date | None, html: str | None) -> tuple[date, str]:
    """The citing article's publication date, and where it came from.

    ``given`` (``--published``) wins; else the page's meta / JSON-LD date (``html``, as
    fetched, for a URL), or a local file's own (a plain text's date line); else today,
    said so (the windows then count back from today).
    """
    if given is not None:
        return given, "--published"
    from crawler.fetching.sources import is_url, looks_html, read_local_text

    found: date | None = None
    if html is not None:
        found = published_in_html(html)
    elif not is_url(article):
        text = read_local_text(article, what="article")
        found = published_in_html(text) if looks_html(text) else date_line(text)
    if found is not None:
        return found, "the article"
    return datetime.now(UTC).date(), "today (no date in the article; give --published)"


def wanted_of(quote: dict[str, Any] | Quote, key: int, published: date) -> Wanted:
    get = quote.get if isinstance(quote, dict) else lambda name: getattr(quote, name, None)
    attribution = get("attribution")
    return Wanted(
        key=key,
        text=str(get("text")),
        window=search_window(attribution, published),
        outlet=get("outlet"),
        speaker=get("speaker"),
        title=get("title") or get("cited_title"),
    )


@dataclass
class DiscoverySummary:
    searched: int = 0
    found: Counter[str] = field(default_factory=Counter)
    published: date | None = None
    published_from: str = ""

    def line(self) -> str:
        if not self.searched:
            return "discovery: every quote has a link; nothing to search"
        found = sum(self.found.values())
        how = ", ".join(f"{name} {n}" for name, n in sorted(self.found.items()))
        when = (
            f" (published {self.published}, from {self.published_from})" if self.published else ""
        )
        return (
            f"discovery: {found} of {self.searched} quote(s) without a link found"
            + (f" ({how})" if how else "")
            + (f"; {self.searched - found} no_source" if self.searched > found else "")
            + when
        )


def store_search(sessions: sessionmaker[Session]) -> Any:
    def search(wanted: Wanted) -> tuple[list[Candidate], str]:
        with sessions() as session:
            return store_finder.candidates(session, wanted)

    return search


def discover_stored(
    sessions: sessionmaker[Session],
    article_key: str,
    attributions: dict[int, str | None],
    published: date,
    replay: str | None = None,
    record: str | None = None,
) -> DiscoverySummary:
    """Search for the source of each stored quote of the article that has none.

    ``attributions`` maps a quote's position to its attribution sentence (the time
    cues are read from it; it is not stored with the quote).
    """
    with sessions() as session:
        quotes = session.scalars(
            select(Quote)
            .join(Article, Article.id == Quote.article_id)
            .where(Article.url == article_key, Quote.source_id.is_(None))
        ).all()
        wanted = []
        for quote in quotes:
            row = {
                "text": quote.text,
                "outlet": quote.outlet,
                "speaker": quote.speaker,
                "title": quote.cited_title,
                "attribution": attributions.get(quote.position),
            }
            wanted.append(wanted_of(row, quote.id, published))
    summary = DiscoverySummary(searched=len(wanted))
    if not wanted:
        return summary
    searches = discover(wanted, replay=replay, record=record, store=store_search(sessions))
    with sessions.begin() as session:
        for quote_id, search in searches.items():
            keep(session, quote_id, search)
            if search.chosen is not None:
                summary.found[search.chosen.found_by] += 1
    return summary


def keep(session: Session, quote_id: int, search: Search) -> None:
    """Store the search; attach the chosen source to the quote."""
    chosen = search.chosen
    source_url = None
    if chosen is not None:
        quote = session.get(Quote, quote_id)
        if quote is not None:
            source_url = attach_source(session, quote, chosen.url).url  # canonical
    session.add(
        Discovery(
            quote_id=quote_id,
            found_by=chosen.found_by if chosen else None,
            source_url=source_url,
            query=chosen.query if chosen else None,
            window_from=search.wanted.window.start.isoformat(),
            window_to=search.wanted.window.end.isoformat(),
            record=search.to_dict(),
        )
    )


def discovery_fields(session: Session, rows: list[ReportRow]) -> None:
    """Add ``found_by`` and ``search`` to report rows (the latest search of each quote).

    ``found_by`` is ``link`` when the article links the source, the finder's name when
    a search found it; a quote whose search found nothing keeps ``no_source`` and its
    reason says what was searched.
    """
    ids = [row.quote_id for row in rows]
    latest: dict[int, Discovery] = {}
    if ids:
        found = session.scalars(
            select(Discovery).where(Discovery.quote_id.in_(ids)).order_by(Discovery.searched_at)
        )
        latest = {d.quote_id: d for d in found}
    for row in rows:
        search = latest.get(row.quote_id)
        row.search = search.record if search is not None else None
        if row.cited_url:
            row.found_by = "link"
        elif search is not None and search.source_url and search.source_url == row.source_url:
            row.found_by = search.found_by
        else:
            row.found_by = None
        if row.status == "no_source" and search is not None:
            row.reason = search.record.get("summary")
