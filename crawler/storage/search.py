"""Where else does a quote appear? Search every stored snapshot.

Two steps, so that the costly one runs on a handful of pages only:

1. Candidates from an inverted index of word shingles: every run of
   three consecutive words of a snapshot's text (words normalised as the
   engine normalises them: case, diacritics, apostrophes, thousands separators), hashed
   to a short token. A quote's shingles are looked up, the snapshots holding the most of
   them are the shortlist. One changed word breaks at most three shingles, so an altered
   quote still shares most of its shingles with its source.
2. The full engine (:func:`verify.check_quote`) on the shortlist: the verdict against
   each snapshot, with its diff. Only ``verified`` and ``altered`` are hits.

What the index holds, and why: the hashed shingle tokens of a snapshot's ``main_text``
and, where it was stored, its ``page_text`` (the engine reads both), never the text
itself, which stays in ``snapshots`` only. Tokens are made in Python
(:mod:`crawler.storage.shingle_index`) on both backends, so SQLite and PostgreSQL hold
the same tokens and give the same results.
A snapshot whose page text was not stored (its main text verified every quote) is
searched by its main text only; an unreadable snapshot has no text and no entry.

Storage: SQLite, a contentless FTS5 table (``detail=none``: no positions, no copy of the
tokens); PostgreSQL, an ``int4[]`` of the tokens with a GIN index (the inverted index
behind its full-text search; a ``tsvector`` of the same tokens measured four times the
size of the text). A snapshot is indexed in the transaction that stores it
(:func:`crawler.storage.store.record_snapshot`), so it is findable as soon as it is
committed. A deleted snapshot is gone at once: every candidate is read back through
``snapshots``. PostgreSQL drops its tokens by cascade; SQLite 3.40's contentless FTS5
cannot delete without the original tokens, so its postings stay until
``sourcecheck index rebuild`` (they only cost a lookup; the join filters them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crawler.storage.models import Snapshot, Source
from crawler.storage.shingle_index import (
    INDEX_TABLE,
    include_name,
    index_snapshot,
    index_snapshots,
    is_index_table,
    postings,
    quote_shingles,
    rebuild_index,
    shingle_tokens,
)
from verify import Result, Status, check_quote

__all__ = [
    "INDEX_TABLE",
    "Elsewhere",
    "Hit",
    "elsewhere",
    "find_snapshots",
    "include_name",
    "index_snapshot",
    "index_snapshots",
    "is_index_table",
    "quote_shingles",
    "rebuild_index",
    "shingle_tokens",
]

# A long quote is looked up by this many of its shingles, spread along it: for quotes up
# to 60 words no more than two are skipped between picks (see _spread), and a longer
# quote costs no more than a 60-word one.
MAX_QUERY_SHINGLES = 20
# A shingle held by more snapshots than this ("one of the") says little about where a
# quote is, and reading its postings would cost more than all the others together.
COMMON_POSTINGS = 2000
# At most this many distinct texts are put through the full engine per search.
EXTRA_CHECKS = 20


def _spread(tokens: list[int], most: int) -> list[int]:
    """At most ``most`` tokens, evenly spread, the first and last always among them:
    with no more than two skipped between picks, any changed word (which breaks three
    consecutive shingles) breaks a picked one, so a verbatim copy outranks an altered
    one."""
    if len(tokens) <= most:
        return tokens
    last = len(tokens) - 1
    return [tokens[round(i * last / (most - 1))] for i in range(most)]


# --- finding -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One stored source whose snapshot holds the quote or a close variant.

    ``snapshot_at`` is the newest snapshot of the source that holds it (the verdict is
    against that one); ``first_seen`` the earliest that does, so the first publication
    stands out; ``snapshots`` how many of the source's snapshots hold it.
    """

    url: str
    outlet: str | None
    title: str | None
    snapshot_id: int
    snapshot_at: datetime
    first_seen: datetime
    snapshots: int
    result: Result

    def to_dict(self) -> dict[str, Any]:
        verdict = self.result.to_dict()
        return {
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "snapshot_id": self.snapshot_id,
            "snapshot_at": self.snapshot_at.isoformat(),
            "first_seen": self.first_seen.isoformat(),
            "snapshots": self.snapshots,
            "status": verdict["status"],
            "score": verdict["score"],
            "match": verdict["match"],
            "changes": verdict["changes"],
        }


_ANCHOR_WORD = re.compile(r"[^\W\d_]{4,}")
_EDITORIAL = re.compile(r"\.\.\.|…|\[")


def _anchor_windows(quote: str, main_text: str) -> list[tuple[int, int]]:
    """Stretches of the text around the quote's two longest words, each wide enough to
    hold the whole quote. None for a quote with an ellipsis or brackets (its parts may
    stand far apart), nor for a word found nowhere or in many places."""
    if _EDITORIAL.search(quote):
        return []
    words = sorted(set(_ANCHOR_WORD.findall(quote.lower())), key=len, reverse=True)[:2]
    reach = int(len(quote) * 1.5) + 100
    windows: list[tuple[int, int]] = []
    for word in words:
        places = [m.start() for m in re.finditer(re.escape(word), main_text, re.IGNORECASE)]
        if 0 < len(places) <= 3:
            windows.extend((max(0, p - reach), p + reach) for p in places)
    return windows


def _shifted(result: Result, offset: int) -> Result:
    match = result.match
    if match is None:
        return result
    return replace(
        result,
        match=replace(match, start=match.start + offset, end=match.end + offset),
        changes=tuple(
            replace(
                c,
                start=None if c.start is None else c.start + offset,
                end=None if c.end is None else c.end + offset,
            )
            for c in result.changes
        ),
    )


def _verdict(quote: str, main_text: str, page_text: str | None) -> Result:
    """The engine's verdict on one stored text.

    Why a shortcut: preparing a whole page costs the engine more than aligning a quote
    in it, and a search checks ten pages or more. A quote verified in a stretch of the
    main text is verified in the whole of it (the same words are there), so a stretch
    around the quote's longest words is tried first. Anything short of ``verified``
    goes to the full engine on the whole texts, which alone decides altered and
    not_found (an altered verdict from a stretch was measured to differ: the engine
    weighs the passage against the whole text).
    """
    for start, end in _anchor_windows(quote, main_text):
        result = check_quote(quote, main_text[start:end])
        if result.status is Status.VERIFIED:
            return _shifted(result, start)
    return check_quote(quote, main_text, page_text)


def _shortlist(session: Session, quote: str) -> list[tuple[int, int]]:
    """(snapshot id, shingles shared) for the snapshots worth a full check, best first."""
    tokens = _spread(quote_shingles(quote), MAX_QUERY_SHINGLES)
    if not tokens:
        return []
    found = postings(session, tokens, COMMON_POSTINGS)
    per_token = Counter(k for k, _ in found)
    distinctive = {k for k in range(len(tokens)) if per_token[k] <= COMMON_POSTINGS}
    # A quote made only of common phrases is looked up by them all (first postings only).
    used = distinctive or set(range(len(tokens)))
    shared = Counter(i for k, i in found if k in used)
    # An altered quote keeps at least a quarter of its shingles (one word breaks three of
    # eight-word quote's six); fewer in common is a coincidence of phrasing.
    least = max(1, math.ceil(len(used) / 4))
    return [(i, n) for i, n in shared.most_common() if n >= least]


def find_snapshots(
    session: Session,
    quote: str,
    limit: int = 10,
    *,
    exclude_sources: Iterable[int] = (),
) -> list[Hit]:
    """Every stored source (up to ``limit``) whose snapshot holds ``quote`` or a close
    variant, with the engine's verdict: verified first, then by score, then earliest.

    ``exclude_sources`` leaves out sources by id (the cited page, when asking where else
    the words appear). A quote of fewer than three words finds nothing: any page would do.
    """
    ranked = _shortlist(session, quote)
    if not ranked:
        return []
    shared = dict(ranked[: COMMON_POSTINGS * 2])
    excluded = set(exclude_sources)
    rows = list(
        session.execute(
            select(
                Snapshot.id,
                Snapshot.source_id,
                Snapshot.fetched_at,
                Snapshot.content_hash,
                Snapshot.title,
                Source.url,
                Source.outlet,
                Snapshot.sitename,
            )
            .join(Source, Source.id == Snapshot.source_id)
            .where(Snapshot.id.in_(bindparam("ids", expanding=True)))
            .where(Snapshot.main_text.is_not(None)),
            {"ids": list(shared)},
        ).all()
    )
    # Most shingles shared first; among equals the earliest, so that with a small limit
    # the first publication is among the hits.
    rows.sort(key=lambda r: (-shared[r.id], r.fetched_at, r.id))
    by_source: dict[int, list[Any]] = {}
    for row in rows:
        if row.source_id not in excluded:
            by_source.setdefault(row.source_id, []).append(row)
    verdicts: dict[str, Result] = {}  # by content hash: one check per distinct text

    def judge(row: Any) -> Result:
        key = row.content_hash or f"id:{row.id}"
        if key not in verdicts:
            main_text, page_text = session.execute(
                select(Snapshot.main_text, Snapshot.page_text).where(Snapshot.id == row.id)
            ).one()
            verdicts[key] = _verdict(quote, main_text or "", page_text)
        return verdicts[key]

    hits: list[Hit] = []
    budget = limit + EXTRA_CHECKS
    for source_rows in by_source.values():
        if len(hits) >= limit or len(verdicts) >= budget:
            break
        found = [
            (row, result)
            for row in source_rows
            if (result := judge(row)).status in (Status.VERIFIED, Status.ALTERED)
        ]
        if not found:
            continue
        newest_row, newest = max(found, key=lambda f: (f[0].fetched_at, f[0].id))
        hits.append(
            Hit(
                url=newest_row.url,
                outlet=newest_row.outlet or newest_row.sitename,
                title=newest_row.title,
                snapshot_id=newest_row.id,
                snapshot_at=newest_row.fetched_at,
                first_seen=min(row.fetched_at for row, _ in found),
                snapshots=len(found),
                result=newest,
            )
        )
    hits.sort(key=lambda h: (h.result.status is not Status.VERIFIED, -h.result.score, h.first_seen))
    return hits


# --- "where else?" for a not_found verdict -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """Where else the store holds a quote its cited page does not: said beside every
    ``not_found``, because a quote found elsewhere is misattributed, not invented."""

    hits: tuple[Hit, ...]
    searched: bool = True  # False: the quote has too few words to search for

    @property
    def verbatim(self) -> list[Hit]:
        return [h for h in self.hits if h.result.status is Status.VERIFIED]

    @property
    def altered(self) -> list[Hit]:
        return [h for h in self.hits if h.result.status is Status.ALTERED]

    def describe(self) -> str:
        if not self.searched:
            return "not in the cited page; too short to search the other stored pages for"
        if not self.hits:
            return "not in the cited page, nor in any other stored page"
        first = min(self.verbatim or self.hits, key=lambda h: h.first_seen)
        parts = []
        if self.verbatim:
            parts.append(f"found verbatim in {len(self.verbatim)} other stored page(s)")
        if self.altered:
            parts.append(f"{'and ' if parts else 'found '}altered in {len(self.altered)}")
        when = first.first_seen.strftime("%Y-%m-%d")
        return f"not in the cited page; {' '.join(parts)}, earliest {first.url} ({when})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.describe(),
            "searched": self.searched,
            "verbatim": len(self.verbatim),
            "altered": len(self.altered),
            "pages": [
                {k: h.to_dict()[k] for k in ("url", "outlet", "status", "score", "first_seen")}
                for h in self.hits
            ],
        }


def elsewhere(
    session: Session, quote: str, cited_urls: Iterable[str | None] = (), limit: int = 5
) -> Elsewhere:
    """Where else the store holds ``quote``, leaving out the cited page (by its stored
    source URL: pass it as written and canonical)."""
    if not quote_shingles(quote):
        return Elsewhere((), searched=False)
    urls = [u for u in cited_urls if u is not None]
    excluded: list[int] = []
    if urls:
        query = select(Source.id).where(Source.url.in_(urls))
        excluded = list(session.execute(query).scalars())
    return Elsewhere(tuple(find_snapshots(session, quote, limit, exclude_sources=excluded)))
