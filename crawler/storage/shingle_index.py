"""The search index of stored snapshots: word-shingle tokens, and their storage on
SQLite (a contentless FTS5 table) and PostgreSQL (an ``int4[]`` with a GIN index).

:mod:`crawler.storage.search` is the interface; this module makes the tokens and reads
and writes them. Why and how: see that module's docstring and docs/storage.md.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from crawler.errors import InputError
from crawler.storage.models import Snapshot
from verify.normalize import normalize_word, raw_tokens, token_pattern

INDEX_TABLE = "snapshot_find"
SHINGLE_WORDS = 3  # fixed by _shingles
_MIX_A, _MIX_B = 0x9E3779B1, 0x85EBCA77  # odd constants: a shingle's word order counts


def is_index_table(name: str | None) -> bool:
    """The index's own tables (FTS5 makes shadow tables): kept out of model comparison,
    because the models cannot describe a virtual table."""
    return bool(name) and str(name).startswith(INDEX_TABLE)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: the index's tables are made by hand (an FTS5
    virtual table has no model), so autogenerate must neither drop nor describe them."""
    return not (type_ == "table" and is_index_table(name))


# --- tokens ------------------------------------------------------------------------------


@lru_cache(maxsize=262_144)
def _word_hash(raw: str) -> int:
    # crc32: fast and stable across processes (Python's hash() is not).
    return zlib.crc32(normalize_word(raw).encode("utf-8"))


def _shingles(text: str) -> list[int]:
    """The hashed token of every run of three words, in order.

    Why not hash the joined words: building and hashing a string per shingle cost 2 ms
    a page; mixing the three words' cached hashes costs a tenth of that. A collision
    only adds a candidate, which the engine then rejects: never a false hit.
    """
    hashes = [_word_hash(raw) for raw in raw_tokens(token_pattern(text), text)]
    return [
        (a * _MIX_A + b * _MIX_B + c) & 0xFFFFFFFF
        for a, b, c in zip(hashes, hashes[1:], hashes[2:], strict=False)
    ]


def shingle_tokens(*texts: str | None) -> list[int]:
    """The distinct shingle tokens (32-bit hashes) of the texts: what the index holds
    for a snapshot."""
    hashes: set[int] = set()
    for body in texts:
        if body:
            hashes.update(_shingles(body))
    return sorted(hashes)


def quote_shingles(quote: str) -> list[int]:
    """The quote's shingle tokens in order, without repeats."""
    return list(dict.fromkeys(_shingles(quote)))


def _array_literal(tokens: Sequence[int]) -> str:
    """``{1,-2,...}``: the tokens as an ``int4[]`` literal."""
    # _signed, written out: a call per token cost as much as the rest of the literal
    return "{" + ",".join([str(t - 4294967296 if t >= 2147483648 else t) for t in tokens]) + "}"


def _signed(token: int) -> int:
    # PostgreSQL has no unsigned integer: the same 32 bits as an int4.
    return token - (1 << 32) if token >= 1 << 31 else token


# --- the two backends --------------------------------------------------------------------


def _dialect(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise InputError(f"searching stored snapshots needs SQLite or PostgreSQL, not {name}")
    return name


def _add(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if _dialect(session) == "sqlite":
        # Decimal numbers: one term each to FTS5's tokenizer, never a query operator.
        stmt = text(f"INSERT INTO {INDEX_TABLE} (rowid, tokens) VALUES (:id, :joined)")
        params = [{"id": r["id"], "joined": " ".join(map(str, r["tokens"]))} for r in rows]
    else:
        stmt = text(
            f"INSERT INTO {INDEX_TABLE} (snapshot_id, tokens) "
            "VALUES (:id, CAST(:tokens AS int4[])) "
            "ON CONFLICT (snapshot_id) DO UPDATE SET tokens = EXCLUDED.tokens"
        )
        # The array as PostgreSQL's own literal, cast by the server: psycopg's dumper
        # walks a Python list element by element (a third of a page's storage CPU).
        params = [{"id": r["id"], "tokens": _array_literal(r["tokens"])} for r in rows]
    session.execute(stmt, params)


def postings(session: Session, tokens: Sequence[int], cap: int) -> list[tuple[int, int]]:
    """(query token number, snapshot id) for each token's snapshots, at most ``cap`` + 1
    each (one more than the cap tells a common shingle)."""
    if _dialect(session) == "sqlite":
        part = (
            f"SELECT {{n}} AS k, rowid AS id FROM (SELECT rowid FROM {INDEX_TABLE} "
            f"WHERE {INDEX_TABLE} MATCH :t{{n}} LIMIT :cap)"
        )
        params: dict[str, Any] = {f"t{n}": f'"{t}"' for n, t in enumerate(tokens)}
    else:
        part = (
            f"SELECT {{n}} AS k, id FROM (SELECT snapshot_id AS id FROM {INDEX_TABLE} "
            f"WHERE tokens @> ARRAY[CAST(:t{{n}} AS int4)] LIMIT :cap) AS s{{n}}"
        )
        params = {f"t{n}": _signed(t) for n, t in enumerate(tokens)}
    sql = text(" UNION ALL ".join(part.format(n=n) for n in range(len(tokens))))
    if _dialect(session) == "sqlite":
        rows = session.execute(sql, {**params, "cap": cap + 1}).all()
    else:
        # The planner prices a sequential scan by the table's few heap pages, not by
        # the token arrays it would have to fetch from TOAST and decompress row by row
        # (measured: 0.6 s at 3,000 snapshots, and growing with the store). The GIN
        # index is always the way here; the setting is put back for the transaction.
        session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
        rows = session.execute(sql, {**params, "cap": cap + 1}).all()
        session.execute(text("SELECT set_config('enable_seqscan', 'on', true)"))
    return [(int(k), int(i)) for k, i in rows]


def _clear(session: Session) -> None:
    if _dialect(session) == "sqlite":
        session.execute(text(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('delete-all')"))
    else:
        session.execute(text(f"TRUNCATE {INDEX_TABLE}"))


# --- keeping the index current -----------------------------------------------------------


def index_snapshot(
    session: Session, snapshot_id: int, main_text: str | None, page_text: str | None
) -> None:
    """Index one stored snapshot, in the caller's transaction (a no-op without text,
    or on a backend other than SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name not in ("sqlite", "postgresql"):
        return
    tokens = shingle_tokens(main_text, page_text)
    if tokens:
        _add(session, [{"id": snapshot_id, "tokens": tokens}])


def index_snapshots(
    session: Session, rows: Iterable[tuple[int, str | None, str | None]], batch: int = 500
) -> int:
    """Index (snapshot id, main text, page text) rows in batches; how many had text."""
    count = 0
    pending: list[dict[str, Any]] = []
    for snapshot_id, main_text, page_text in rows:
        tokens = shingle_tokens(main_text, page_text)
        if tokens:
            pending.append({"id": snapshot_id, "tokens": tokens})
        if len(pending) >= batch:
            _add(session, pending)
            count += len(pending)
            pending = []
    _add(session, pending)
    return count + len(pending)


def rebuild_index(session: Session, batch: int = 500) -> int:
    """Index every stored snapshot afresh (for stores made before the index, or to drop
    a SQLite index's stale postings); how many snapshots were indexed. Works inside the
    caller's transaction: commit it to keep the result."""
    _clear(session)
    query = (
        select(Snapshot.id, Snapshot.main_text, Snapshot.page_text)
        .where(Snapshot.main_text.is_not(None))
        .order_by(Snapshot.id)
        .execution_options(yield_per=batch)
    )
    rows = ((i, m, p) for i, m, p in session.execute(query))
    return index_snapshots(session, rows, batch)
