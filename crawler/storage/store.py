"""The storage API the crawl job calls: intake, what is due, and recording what was seen.

Transactions: every function here works inside the caller's session and only flushes,
except :func:`record_source_check`, which is one whole unit of work (a snapshot and
all its verifications, committed together or not at all), so that a crash or Ctrl-C
mid-run leaves every finished source stored and nothing half-written.

Concurrent writers (several crawl workers on one PostgreSQL): rows that two workers
may create at once (articles, sources, quotes, verifications) are inserted with
``INSERT .. ON CONFLICT DO NOTHING`` against their unique constraints and then read
back, so a race neither fails nor duplicates. Snapshots are plain inserts: two fetches
are two observations.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import metadata
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm import Session, joinedload, sessionmaker

from crawler.errors import InputError
from crawler.extraction.page import Page, Unreadable
from crawler.storage.history import QuoteState, latest_with_previous
from crawler.storage.models import (
    URL_MAX,
    Article,
    Base,
    Quote,
    Snapshot,
    Source,
    Verification,
    utcnow,
)
from crawler.storage.shingle_index import index_snapshot
from spiders.registry import canonical_url
from verify.cleantext import clean_text
from verify.intake import Quotation
from verify.types import Result

__all__ = [
    "ArchiveSnapshot",
    "QuoteState",
    "SourceCheck",
    "add_article",
    "add_verification",
    "attach_source",
    "due_by_source",
    "due_for_source",
    "due_quote_rows",
    "due_quotes",
    "get_or_create_source",
    "latest_with_previous",
    "matcher_version",
    "quotes_without_source",
    "record_snapshot",
    "record_source_check",
    "text_hash",
]


def matcher_version() -> str:
    """What to store as ``matcher_version``: the installed sourcecheck's version."""
    try:
        return f"sourcecheck {metadata.version('sourcecheck')}"
    except metadata.PackageNotFoundError:
        return "sourcecheck unknown"


def text_hash(text: str) -> str:
    """SHA-256 of a text with its Unicode form and whitespace normalised.

    Re-extracting the same page can differ in line breaks only; that is no change.
    """
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def url_too_long(url: str) -> bool:
    """True when a URL is longer than a source or article key may be (URL_MAX)."""
    return len(url) > URL_MAX


def _check_url(url: str) -> str:
    if len(url) > URL_MAX:
        raise InputError(f"URL longer than {URL_MAX} characters: {url[:80]}…")
    return url


# --- insert-or-ignore, for concurrent writers --------------------------------------------


def clean_values(value: Any) -> Any:
    """``value`` with every string in it cleaned of control characters, before storage.

    Intake and extraction clean text already (verify/cleantext.py); this is the last
    line, for every row this module writes, on every backend (PostgreSQL refuses NUL).
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_values(v) for v in value]
    return value


def _insert_ignore(session: Session, table: Any, values: dict[str, Any]) -> int | None:
    """Insert a row unless a unique constraint already holds it; the new id or None."""
    values = clean_values(values)
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
        return session.execute(stmt).scalar_one_or_none()
    # Other backends: a savepoint, so a lost race rolls back only this row.
    try:
        with session.begin_nested():
            inserted = session.execute(table.insert().values(**values))
            return inserted.inserted_primary_key[0]  # type: ignore[attr-defined]  # CursorResult
    except IntegrityError:
        return None


def _get_or_create(
    session: Session, model: type[Any], key: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, bool]:
    """The row with ``key`` (created with ``values`` when missing) and whether it is new."""
    key = clean_values(key)  # as _insert_ignore stores it, so that the lookup finds it
    new_id = _insert_ignore(session, model.__table__, {**key, **values})
    query = select(model).filter_by(**({"id": new_id} if new_id is not None else key))
    return session.execute(query).scalar_one(), new_id is not None


def get_or_create_source(session: Session, url: str, outlet: str | None = None) -> Source:
    """The source with this canonical URL; its outlet is filled in when first known."""
    source, _new = _get_or_create(
        session, Source, {"url": _check_url(url)}, {"outlet": outlet, "added_at": utcnow()}
    )
    if source.outlet is None and outlet is not None:
        source.outlet = outlet
    return source


# --- intake ------------------------------------------------------------------------------


def add_article(
    session: Session,
    url_or_path: str,
    title: str | None,
    content_hash: str | None,
    quotes: Iterable[Quotation],
) -> tuple[Article, int]:
    """Store a citing article and its quotes; the article and how many quotes were new.

    Idempotent: the same article (same ``url_or_path``) again adds nothing; a quote is
    new when its (position, text) was not stored before, so an edited article adds its
    edited quotes and keeps the history of the old ones. Cited URLs are canonicalised here,
    once, by their outlet spider's rule. Local files should be passed
    as an absolute path or ``file://`` URI so that two spellings are one article.
    """
    article, _new = _get_or_create(
        session,
        Article,
        {"url": _check_url(url_or_path)},
        {"title": title, "content_hash": content_hash, "added_at": utcnow()},
    )
    if content_hash is not None and article.content_hash != content_hash:
        article.content_hash = content_hash
        article.title = title or article.title
    added = 0
    for q in quotes:
        source_id = None
        cited_url = q.url
        if q.url:
            try:
                canonical: str | None = canonical_url(q.url)
            except ValueError:  # a malformed link (bad port, broken IPv6): no source
                canonical = None
            if url_too_long(q.url) or canonical is None or url_too_long(canonical):
                # One absurd link must not cost the article its other quotes: this quote
                # is stored with no source (no_source) and its link cut, ending in "…",
                # so the report shows why; the URL itself cannot be a key (URL_MAX).
                if url_too_long(q.url):
                    cited_url = q.url[: URL_MAX - 1] + "…"
            else:
                source_id = get_or_create_source(session, canonical, q.outlet).id
        values = {
            "article_id": article.id,
            "position": q.position,
            "text": q.text,
            "text_hash": text_hash(q.text),
            "kind": q.kind,
            "speaker": q.speaker,
            "outlet": q.outlet,
            "cited_url": cited_url,
            "cited_title": q.title,
            "source_id": source_id,
            "added_at": utcnow(),
        }
        if _insert_ignore(session, Quote.__table__, values) is not None:
            added += 1
    session.flush()
    return article, added


def attach_source(session: Session, quote: Quote, url: str, outlet: str | None = None) -> Source:
    """Give a quote with no link the source found for it later (discovery)."""
    source = get_or_create_source(session, canonical_url(url), outlet or quote.outlet)
    quote.source_id = source.id
    session.flush()
    return source


# --- what is due -------------------------------------------------------------------------


def _last_checked() -> Any:
    return (
        select(Verification.quote_id, func.max(Verification.checked_at).label("last"))
        .group_by(Verification.quote_id)
        .subquery()
    )


def due_quotes(
    session: Session, recheck_after: timedelta, now: datetime | None = None
) -> list[Quote]:
    """Quotes with a cited source never checked, or last checked before ``now - recheck_after``.

    Ordered by source, so the caller can fetch each source once for all its quotes.
    """
    cutoff = (now or utcnow()) - recheck_after
    last = _last_checked()
    query = (
        select(Quote)
        .outerjoin(last, last.c.quote_id == Quote.id)
        .where(Quote.source_id.is_not(None))
        .where((last.c.last.is_(None)) | (last.c.last <= cutoff))
        .order_by(Quote.source_id, Quote.id)
        # Each quote's source in the same query: callers group by it, and loading it
        # on first use was a query per quote (1.4 ms a quote before a crawl starts).
        .options(joinedload(Quote.source))
    )
    return list(session.execute(query).scalars())


def due_for_source(
    session: Session, source_url: str, recheck_after: timedelta, now: datetime | None = None
) -> list[Quote]:
    """The due quotes that cite one source (by canonical URL): what a fetched page verifies.

    A crawl passes its start time as ``now``, so that a quote another worker already
    checked during this run is no longer due.
    """
    cutoff = (now or utcnow()) - recheck_after
    query = _due_query("quotes_by_url")
    return list(session.execute(query, {"url": source_url, "cutoff": cutoff}).scalars())


def due_quote_rows(
    session: Session, source_url: str, recheck_after: timedelta, now: datetime | None = None
) -> list[Any]:
    """:func:`due_for_source` as rows of ``id``, ``text`` and ``speaker`` (and the
    article's date columns, if it has any: :func:`crawler.archive.citing.cited_on_for`):
    what a crawl reads for each fetched page, with no ORM object built."""
    cutoff = (now or utcnow()) - recheck_after
    rows = session.connection().execute(
        _due_query("rows_by_url"), {"url": source_url, "cutoff": cutoff}
    )
    return list(rows)


# The columns of a citing article that may hold its publication date.
ARTICLE_DATE_COLUMNS = ("published_at", "published", "date_published", "published_on")


@cache
def _due_query(kind: str) -> Any:
    """The quotes of one source not checked since ``:cutoff``: ``quotes_by_url`` (ORM
    quotes, ``:url``), ``rows_by_url`` (rows for the crawl, ``:url``) or ``ids`` (their
    ids, ``:source_id``). Built once: a crawl runs these for every page it stores."""
    # NOT EXISTS probes the (quote_id, checked_at) index for this source's quotes only;
    # called for every fetched source, it must not scan the whole verification history.
    checked_since = (
        select(Verification.id)
        .where(Verification.quote_id == Quote.id, Verification.checked_at > bindparam("cutoff"))
        .exists()
    )
    dates = [c for c in Article.__table__.c if c.name in ARTICLE_DATE_COLUMNS]
    wanted: dict[str, list[Any]] = {
        "quotes_by_url": [Quote],
        "rows_by_url": [Quote.id, Quote.text, Quote.speaker, *dates],
        "ids": [Quote.id],
    }
    columns = wanted[kind]
    query = select(*columns)
    if kind == "ids":
        query = query.where(Quote.source_id == bindparam("source_id"))
    else:
        query = query.join(Source, Source.id == Quote.source_id)
        query = query.where(Source.url == bindparam("url"))
    if kind == "rows_by_url" and dates:
        query = query.join(Article, Article.id == Quote.article_id)
    return query.where(~checked_since).order_by(Quote.id)


def due_by_source(
    session: Session, recheck_after: timedelta, now: datetime | None = None
) -> dict[Source, list[Quote]]:
    """:func:`due_quotes` grouped by the source to fetch: one fetch per key."""
    grouped: dict[Source, list[Quote]] = {}
    for quote in due_quotes(session, recheck_after, now):
        assert quote.source is not None  # due_quotes selects only quotes with a source
        grouped.setdefault(quote.source, []).append(quote)
    return grouped


def quotes_without_source(session: Session) -> list[Quote]:
    """Quotes whose article names no link to fetch: listed as ``no_source``, not failed."""
    query = select(Quote).where(Quote.source_id.is_(None)).order_by(Quote.article_id, Quote.id)
    return list(session.execute(query).scalars())


# --- recording a fetch and its verdicts ----------------------------------------------------


def _split_extractor(extractor: str) -> tuple[str, str | None]:
    name, _, version = extractor.partition(" ")
    return name, version or None


def record_snapshot(
    session: Session,
    source: Source,
    requested_url: str,
    outcome: Page | Unreadable,
    *,
    final_url: str | None = None,
    status_code: int | None = None,
    fetched_at: datetime | None = None,
) -> tuple[Snapshot, bool]:
    """Store one fetch of ``source``; the snapshot and whether its content changed.

    ``changed`` is True when the source was read before and its main text differs from
    the last readable snapshot; False on the first read, or when unreadable (a gone
    source is a verdict change, seen in :mod:`crawler.storage.history`, not a content change).
    """
    values = _snapshot_values(
        source.id, requested_url, outcome, final_url, status_code, fetched_at or utcnow()
    )
    previous_hash = _previous_hash(session, source.id)
    snapshot = Snapshot(**values)
    session.add(snapshot)
    session.flush()
    # Searchable from the moment it is committed (``sourcecheck find``).
    index_snapshot(session, snapshot.id, snapshot.main_text, snapshot.page_text)
    changed = (
        previous_hash is not None
        and snapshot.content_hash is not None
        and previous_hash != snapshot.content_hash
    )
    return snapshot, changed


def _snapshot_values(
    source_id: int,
    requested_url: str,
    outcome: Page | Unreadable,
    final_url: str | None,
    status_code: int | None,
    fetched_at: datetime,
) -> dict[str, Any]:
    """A snapshot row's values, cleaned for storage."""
    values: dict[str, Any] = {
        "source_id": source_id,
        "requested_url": requested_url,
        "final_url": final_url,
        "status_code": status_code,
        "fetched_at": fetched_at,
    }
    if isinstance(outcome, Unreadable):
        values |= {"unavailable_reason": outcome.reason, "unavailable_detail": outcome.detail}
    else:
        name, version = _split_extractor(outcome.extractor)
        values |= {
            "content_hash": text_hash(outcome.text),
            "title": outcome.title,
            "author": outcome.author,
            "date": outcome.date,
            "sitename": outcome.sitename,
            "main_text": outcome.text,
            # The full page text as far as a verdict needed it: built (about half the
            # cost of extraction) only for a quote the main text did not verify, and
            # reports read it only for such a match (location "page").
            "page_text": outcome.full_text,
            "extractor": name,
            "extractor_version": version,
        }
    return clean_values(values)  # type: ignore[no-any-return]  # a dict in, a dict out


def _last_hash_query(source_id: Any) -> Any:
    """The content hash of a source's last readable snapshot."""
    return (
        select(Snapshot.content_hash)
        .where(Snapshot.source_id == source_id, Snapshot.content_hash.is_not(None))
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .limit(1)
    )


def _previous_hash(session: Session, source_id: int) -> str | None:
    return session.execute(_last_hash_query(source_id)).scalar_one_or_none()


def _insert_snapshot(session: Session, values: dict[str, Any]) -> int:
    """Insert a snapshot row (``values`` already cleaned) and index its text; its id."""
    stmt = _insert_returning_id("snapshots", None)
    snapshot_id = int(session.connection().execute(stmt, values).scalar_one())
    # Searchable from the moment it is committed (``sourcecheck find``).
    index_snapshot(session, snapshot_id, values.get("main_text"), values.get("page_text"))
    return snapshot_id


def add_verification(
    session: Session,
    quote: Quote | int,
    snapshot: Snapshot | int | None,
    result: Result,
    matcher_version: str,
    checked_at: datetime | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> Verification | None:
    """Store one verdict as a new row; None when this exact check was already stored
    (same quote, snapshot and matcher version: a retried write)."""
    quote_id = quote if isinstance(quote, int) else quote.id
    snapshot_id = snapshot.id if isinstance(snapshot, Snapshot) else snapshot
    values = _verification_values(
        quote_id, snapshot_id, result, matcher_version, checked_at or utcnow(), findings
    )
    new_id = _insert_ignore(session, Verification.__table__, values)
    return session.get(Verification, new_id) if new_id is not None else None


def _verification_values(
    quote_id: int,
    snapshot_id: int | None,
    result: Result,
    matcher_version: str,
    checked_at: datetime,
    findings: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    match = result.match
    return {
        "quote_id": quote_id,
        "snapshot_id": snapshot_id,
        "status": str(result.status),
        "score": float(result.score),
        "match_start": match.start if match else None,
        "match_end": match.end if match else None,
        "match_location": str(match.location) if match else None,
        "match_text": match.text if match else None,
        "changes": [c.to_dict() for c in result.changes],
        "reason": result.reason,
        "checked_at": checked_at,
        "matcher_version": matcher_version,
        **_attribution_values(result),
        "findings": findings or None,
    }


def _insert_verifications(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert verdict rows in one statement, skipping any already stored (a retried
    write); the new rows' ids. Nothing is read back but the ids."""
    if not rows:
        return []
    table: Any = Verification.__table__
    rows = [clean_values(row) for row in rows]
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        stmt = _insert_returning_id("verifications", dialect)
        # One row (a source cited once, the common case) skips executemany's batching.
        result = session.connection().execute(stmt, rows[0] if len(rows) == 1 else rows)
        return [int(n) for n in result.scalars()]
    return [n for n in (_insert_ignore(session, table, row) for row in rows) if n is not None]


def _attribution_values(result: Result) -> dict[str, str | None]:
    found = result.attribution
    return {
        "attribution_status": found.status if found else None,
        "source_speaker": found.source_speaker if found else None,
        "attribution_evidence": found.evidence if found else None,
    }


@dataclass(frozen=True, slots=True)
class ArchiveSnapshot:
    """An archived capture to store beside (or, with ``live`` False, instead of) the
    live fetch; the verdicts of ``quotes`` rest on it."""

    outcome: Page | Unreadable
    url: str | None
    captured_at: datetime | None
    quotes: frozenset[int]
    live: bool = True


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """What :func:`record_source_check` stored."""

    snapshot_id: int
    content_changed: bool
    verification_ids: tuple[int, ...]


def record_source_check(
    sessions: sessionmaker[Session],
    source: int | str,
    requested_url: str,
    outcome: Page | Unreadable,
    results: Sequence[tuple[int, Result]],
    matcher_version: str,
    *,
    final_url: str | None = None,
    status_code: int | None = None,
    fetched_at: datetime | None = None,
    outlet: str | None = None,
    checked_at: datetime | None = None,
    due_since: tuple[timedelta, datetime] | None = None,
    archive: ArchiveSnapshot | None = None,
    findings: dict[int, list[dict[str, Any]]] | None = None,
) -> SourceCheck:
    """One source's fetch and all its quotes' verdicts, in one transaction.

    ``source`` is a source id, or a canonical URL (a source made by
    :func:`get_or_create_source` when new, with ``outlet``), which is what a spider's
    item carries. ``results`` pairs quote ids with their verdict. Takes a session
    factory, not a session, because it owns the transaction: it commits on success and
    rolls everything back on any error, so a source is wholly recorded or not at all.

    ``due_since`` (``recheck_after``, the run's start), for concurrent crawl workers:
    the source row is locked (``SELECT .. FOR UPDATE``) and only the verdicts of quotes
    still due are stored, so that two fetches of one source racing to store (a worker
    presumed dead, its source pushed again) never give a quote two verdicts in a run.
    """
    # A replayed page was fetched when it was recorded but is checked now: the crawl
    # passes both times. Left out, the check is dated by the fetch.
    checked_at = checked_at or fetched_at or utcnow()
    with sessions.begin() as session:
        # Core statements, not the ORM: nothing written here is read back (ids come
        # from RETURNING) and no ORM object is built for a row the crawl never reads.
        source_id, previous_hash = _source_for_check(
            session, source, outlet, lock=due_since is not None
        )
        if due_since is not None:
            recheck_after, since = due_since
            params = {"source_id": source_id, "cutoff": since - recheck_after}
            still_due = set(session.connection().execute(_due_query("ids"), params).scalars())
            results = [(quote_id, r) for quote_id, r in results if quote_id in still_due]
        snapshot_id, changed = None, False
        if archive is None or archive.live:
            values = _snapshot_values(
                source_id, requested_url, outcome, final_url, status_code, fetched_at or checked_at
            )
            snapshot_id = _insert_snapshot(session, values)
            content_hash = values.get("content_hash")
            changed = previous_hash is not None and content_hash is not None
            changed = changed and previous_hash != content_hash
        archived_id = None
        if archive is not None:
            values = _snapshot_values(
                source_id,
                requested_url,
                archive.outcome,
                archive.url,
                200 if archive.url else None,
                checked_at,
            )
            values |= clean_values(
                {
                    "origin": "archive",
                    "archive_url": archive.url,
                    "captured_at": archive.captured_at,
                }
            )
            archived_id = _insert_snapshot(session, values)
        on_archive = archive.quotes if archive is not None else frozenset()
        rows = [
            _verification_values(
                quote_id,
                archived_id if quote_id in on_archive or snapshot_id is None else snapshot_id,
                result,
                matcher_version,
                checked_at,
                (findings or {}).get(quote_id),
            )
            for quote_id, result in results
        ]
        ids = _insert_verifications(session, rows)
        kept = snapshot_id if snapshot_id is not None else archived_id
        assert kept is not None
        return SourceCheck(kept, changed, tuple(ids))


def _source_for_check(
    session: Session, source: int | str, outlet: str | None, lock: bool
) -> tuple[int, str | None]:
    """The id of the source being recorded (made when a URL is new), locked when
    ``lock``, and the content hash of its last readable snapshot: one statement."""
    by = "id" if isinstance(source, int) else "url"
    locks = lock and session.get_bind().dialect.name != "sqlite"
    query = _source_query(by, locks)
    params = {by: source}
    found = session.connection().execute(query, params).first()
    if found is None:
        if isinstance(source, int):
            raise NoResultFound(f"no source with id {source}")
        get_or_create_source(session, source, outlet)
        found = session.connection().execute(query, params).one()
    elif found.outlet is None and outlet is not None:  # a source's first fetch
        session.connection().execute(_set_outlet(), {"source_id": found.id, "new": outlet})
    return int(found.id), found[2]


@cache
def _set_outlet() -> Any:
    """Fill a source's outlet in (``:source_id``, ``:new``); built once, like the rest."""
    return update(Source).where(Source.id == bindparam("source_id")).values(outlet=bindparam("new"))


@cache
def _source_query(by: str, lock: bool) -> Any:
    """A source's id, outlet and last content hash, by ``:id`` or ``:url``; built once."""
    previous = _last_hash_query(Source.id).correlate(Source).scalar_subquery()
    where = Source.id == bindparam("id") if by == "id" else Source.url == bindparam("url")
    query = select(Source.id, Source.outlet, previous).where(where)
    # SQLite has no row locks (its writers take the whole file in turn): the clause
    # would only be dropped when compiled.
    return query.with_for_update(of=Source) if lock else query


@cache
def _insert_returning_id(table_name: str, ignoring_on: str | None) -> Any:
    """``INSERT .. RETURNING id`` into a table (``.. ON CONFLICT DO NOTHING`` in the
    ``ignoring_on`` dialect), the values given when executed; built once."""
    table: Any = Base.metadata.tables[table_name]
    if ignoring_on is None:
        return table.insert().returning(table.c.id)
    insert = postgresql.insert if ignoring_on == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)
