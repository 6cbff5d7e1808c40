"""The stored data: citing articles, their quotes, cited sources, fetched snapshots and
every verification ever made (history is kept: a verification is never updated).

The schema is defined here once; Alembic migrations under ``crawler/storage/migrations`` must
match it (a test compares them). Times are stored in UTC and come back timezone-aware
on every backend (see :class:`UTCDateTime`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Constraint names that Alembic can address on every backend (SQLite batch mode needs
# named constraints to drop or alter them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUSES = ("verified", "altered", "not_found", "unavailable")
URL_MAX = 2048  # longer URLs are refused at intake: they would not fit a btree index row
HASH_LEN = 64  # hex SHA-256


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC, returned timezone-aware.

    SQLite keeps no time zone: without this, values read back would be naive and
    could not be compared with aware ones. Naive input is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Article(Base):
    """A citing article, by its URL (or a local file's URI or path)."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    quotes: Mapped[list[Quote]] = relationship(
        back_populates="article", order_by="Quote.position", passive_deletes=True
    )


class Source(Base):
    """A cited source, by its canonical URL: fetched once per run however often cited."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX), unique=True)
    outlet: Mapped[str | None] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quote(Base):
    """One quotation in a citing article, with what the article attributes it to."""

    __tablename__ = "quotes"
    __table_args__ = (
        # Adding the same article again adds nothing: a quote is the same quote when it
        # stands at the same place with the same words.
        UniqueConstraint("article_id", "position", "text_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique constraint below starts with it.
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    kind: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(32))
    cited_url: Mapped[str | None] = mapped_column(String(URL_MAX))
    cited_title: Mapped[str | None] = mapped_column(Text)
    # The source to fetch; None when the article names no link (``no_source``).
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped[Article] = relationship(back_populates="quotes")
    source: Mapped[Source | None] = relationship()


class Snapshot(Base):
    """One fetch of a source: what came back and what was read from it.

    A failed fetch is a snapshot too, with ``unavailable_reason`` set and no text, so
    that "the source is gone" is recorded with its time like any other observation.
    ``content_hash`` is the hash of the extracted main text (not the raw HTML, which
    changes with every advert and timestamp), so it changes when the article does.
    """

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_source_id_fetched_at", "source_id", "fetched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    # Text, not String(URL_MAX): not indexed, and a redirect may lead anywhere.
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(64))
    sitename: Mapped[str | None] = mapped_column(Text)
    main_text: Mapped[str | None] = mapped_column(Text)
    page_text: Mapped[str | None] = mapped_column(Text)
    extractor: Mapped[str | None] = mapped_column(String(64))
    extractor_version: Mapped[str | None] = mapped_column(String(64))
    unavailable_reason: Mapped[str | None] = mapped_column(String(64))
    unavailable_detail: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship()


class Verification(Base):
    """One verdict for one quote against one snapshot. Never updated: history."""

    __tablename__ = "verifications"
    __table_args__ = (
        CheckConstraint("status IN ('" + "', '".join(STATUSES) + "')", name="status"),
        # A retried write of the same check (same quote, snapshot, matcher) adds nothing.
        UniqueConstraint("quote_id", "snapshot_id", "matcher_version"),
        # "Latest verification per quote" and "checked since" both walk this index.
        Index("ix_verifications_quote_id_checked_at", "quote_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("snapshots.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    match_start: Mapped[int | None] = mapped_column(Integer)
    match_end: Mapped[int | None] = mapped_column(Integer)
    match_location: Mapped[str | None] = mapped_column(String(16))
    match_text: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    matcher_version: Mapped[str] = mapped_column(String(64))
    # Who the source says spoke the matched words (verify.speaker): same, different,
    # source_voice or unknown; None when no words were found to attribute.
    attribution_status: Mapped[str | None] = mapped_column(String(16))
    source_speaker: Mapped[str | None] = mapped_column(Text)
    attribution_evidence: Mapped[str | None] = mapped_column(Text)

    quote: Mapped[Quote] = relationship()
    snapshot: Mapped[Snapshot | None] = relationship()


class Discovery(Base):
    """One search for the source of a quote the article does not link (issue 10).

    Kept like a verification: each search adds a row. ``found_by`` names the finder
    that found the chosen source (``guardian_api``, ``sitemap``, ``store``), or is None
    when nothing held the quote; ``record`` is the whole search (finders, queries,
    window, every candidate tried and why it was not chosen), so a reader can retrace it.
    """

    __tablename__ = "discoveries"
    __table_args__ = (Index("ix_discoveries_quote_id_searched_at", "quote_id", "searched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    searched_at: Mapped[datetime] = mapped_column(default=utcnow)
    found_by: Mapped[str | None] = mapped_column(String(32))
    source_url: Mapped[str | None] = mapped_column(Text)
    query: Mapped[str | None] = mapped_column(Text)
    window_from: Mapped[str | None] = mapped_column(String(10))
    window_to: Mapped[str | None] = mapped_column(String(10))
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    quote: Mapped[Quote] = relationship()
