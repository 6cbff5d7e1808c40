"""Each quote's latest verdict beside the one before it: what changed between runs.

Kept apart from :mod:`crawler.storage.store` (which writes) because reports only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from crawler.storage.models import Article, Quote, Snapshot, Source, Verification

# What changed, as stable codes (JSON) with the words a report shows for each.
SOURCE_EDITED = "source_edited"
SOURCE_GONE = "source_gone"
SOURCE_BACK = "source_back"
CONTENT_CHANGED = "content_changed"
VERDICT_CHANGED = "verdict_changed"
# The verdict rests on an archived capture (the live page is gone, or --as-of).
ARCHIVE_FALLBACK = "archive_fallback"
# The live page misses the quote, but the capture from the citing date holds it.
EDITED_SINCE_CITATION = "source_edited_since_citation"
# Live reasons that mean the page is gone (crawler/archive/verdicts.py's GONE_REASONS).
GONE_REASONS = frozenset({"http_404", "http_410", "dns", "redirect_home"})

DESCRIPTIONS = {
    SOURCE_EDITED: "source edited: the quote was verified before",
    SOURCE_GONE: "source gone: it could be read before",
    SOURCE_BACK: "source back: it could not be read before",
    CONTENT_CHANGED: "source text changed since the last check",
    VERDICT_CHANGED: "verdict changed",
    ARCHIVE_FALLBACK: "checked in the archived copy",
    EDITED_SINCE_CITATION: "source edited since citation: the archived copy holds the quote",
}

NO_SOURCE = "no_source"  # the article names no link for the quote
PENDING = "pending"  # has a source, never checked yet


@dataclass(frozen=True, slots=True)
class QuoteState:
    """One quote, its latest and previous verification (with their snapshots)."""

    quote: Quote
    article: Article
    source: Source | None
    current: Verification | None
    previous: Verification | None
    changes: tuple[str, ...]

    @property
    def status(self) -> str:
        if self.current is not None:
            return self.current.status
        return PENDING if self.quote.source_id is not None else NO_SOURCE

    def describe_changes(self) -> list[str]:
        out = []
        for code in self.changes:
            text = DESCRIPTIONS[code]
            if code == VERDICT_CHANGED and self.previous and self.current:
                text = f"{text}: {self.previous.status} → {self.current.status}"
            out.append(text)
        return out


def origin(verification: Verification) -> str:
    """Where a verdict's text came from: "live" or "archive"."""
    snapshot = verification.snapshot
    return getattr(snapshot, "origin", None) or "live"


def _live_gone(verification: Verification) -> bool:
    """The live page could not be read: unavailable, or gone and read from the archive."""
    if verification.status == "unavailable":
        return True
    return origin(verification) == "archive" and verification.reason in GONE_REASONS


def _archive_codes(current: Verification) -> list[str]:
    codes = []
    if origin(current) == "archive":
        codes.append(ARCHIVE_FALLBACK)
    if any(f.get("code") == EDITED_SINCE_CITATION for f in current.findings or []):
        codes.append(EDITED_SINCE_CITATION)
    return codes


def what_changed(current: Verification | None, previous: Verification | None) -> tuple[str, ...]:
    """The change codes between two successive verifications of one quote.

    A verdict on an archived copy is not a verdict on the live page: a live page that
    went (its quote now verified in the capture) is ``source_gone``, never "unchanged";
    ``source_edited`` and ``content_changed`` compare live with live only, so an
    archive fallback is never taken for an edit. What the archive says about the
    current verdict (``archive_fallback``, ``source_edited_since_citation``) is added
    even on a first check.
    """
    if current is None:
        return ()
    if previous is None:
        return tuple(_archive_codes(current))
    was, now = previous.status, current.status
    same_origin = origin(previous) == origin(current)
    codes: list[str] = []
    if _live_gone(current) and not _live_gone(previous):
        codes.append(SOURCE_GONE)
    elif _live_gone(previous) and not _live_gone(current):
        codes.append(SOURCE_BACK)
    elif was == "verified" and now in ("altered", "not_found") and same_origin:
        codes.append(SOURCE_EDITED)
    elif was != now:
        codes.append(VERDICT_CHANGED)
    old_hash = _hash(previous.snapshot)
    new_hash = _hash(current.snapshot)
    if same_origin and old_hash and new_hash and old_hash != new_hash:
        codes.append(CONTENT_CHANGED)
    return tuple(codes + _archive_codes(current))


def _hash(snapshot: Snapshot | None) -> str | None:
    return snapshot.content_hash if snapshot is not None else None


def latest_with_previous(session: Session, article_id: int | None = None) -> list[QuoteState]:
    """Every quote (of one article, or all) with its two most recent verifications.

    One window-function query (SQLite 3.25+ and PostgreSQL) over the
    ``(quote_id, checked_at)`` index, rather than a query per quote.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=Verification.quote_id,
            order_by=(Verification.checked_at.desc(), Verification.id.desc()),
        )
        .label("rank")
    )
    ranked = select(Verification.id, rank).subquery()
    recent = (
        select(Verification, ranked.c.rank)
        .join(ranked, ranked.c.id == Verification.id)
        .where(ranked.c.rank <= 2)
        .options(joinedload(Verification.snapshot))
    )
    if article_id is not None:
        recent = recent.join(Quote, Quote.id == Verification.quote_id).where(
            Quote.article_id == article_id
        )
    by_quote: dict[int, list[Verification | None]] = {}
    for verification, rank_no in session.execute(recent):
        slots = by_quote.setdefault(verification.quote_id, [None, None])
        slots[rank_no - 1] = verification
    quotes = select(Quote).options(joinedload(Quote.article), joinedload(Quote.source))
    if article_id is not None:
        quotes = quotes.where(Quote.article_id == article_id)
    quotes = quotes.order_by(Quote.article_id, Quote.position, Quote.id)
    states = []
    for quote in session.execute(quotes).scalars():
        current, previous = by_quote.get(quote.id, [None, None])
        states.append(
            QuoteState(
                quote=quote,
                article=quote.article,
                source=quote.source,
                current=current,
                previous=previous,
                changes=what_changed(current, previous),
            )
        )
    return states
