"""The store finder: snapshots already stored (any outlet) that hold the quote's words.

A simple version: a case-insensitive substring search (SQL ``LIKE``) of the stored
main texts for a few of the quote's distinctive word runs. The full-text index being
built for ``sourcecheck find`` (issue 13) will replace :func:`find_text`, the one
function that searches; everything else here stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crawler.discovery.candidates import Candidate, Wanted
from crawler.storage.models import Snapshot, Source
from verify.cues import distinctive_runs
from verify.outlets import outlet_for_url

FINDER = "store"
_PLAIN = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class StoredText:
    url: str
    title: str | None
    date: str | None
    text: str


def find_text(session: Session, phrases: list[str], limit: int = 20) -> list[StoredText]:
    """The latest readable snapshot of each source whose main text contains any of the
    phrases (case-insensitive), newest first, at most ``limit``."""
    if not phrases:
        return []
    lowered = func.lower(Snapshot.main_text)
    query = (
        select(Source.url, Snapshot.title, Snapshot.date, Snapshot.main_text)
        .join(Source, Source.id == Snapshot.source_id)
        .where(Snapshot.main_text.is_not(None))
        .where(or_(*(lowered.contains(p.lower(), autoescape=True) for p in phrases)))
        .order_by(Snapshot.fetched_at.desc())
    )
    found: dict[str, StoredText] = {}
    for url, title, day, text in session.execute(query):
        if url not in found and text:
            found[url] = StoredText(url, title, day, text)
        if len(found) >= limit:
            break
    return list(found.values())


def phrases_for(text: str) -> list[str]:
    """Plain stretches (letters, digits, single spaces) of at least three words from the
    quote's distinctive runs: punctuation and apostrophes differ between copies."""
    out = []
    for run in distinctive_runs(text, size=6, limit=3):
        stretches = [s for s in _PLAIN.findall(run) if len(s.split()) >= 3]
        if stretches:
            out.append(max(stretches, key=len))
    return out


def candidates(session: Session, wanted: Wanted) -> tuple[list[Candidate], str]:
    """Stored candidates for a quotation (on its outlet's site when it names one)."""
    from crawler.discovery.sitemap import parse_day

    phrases = phrases_for(wanted.text)
    query = " OR ".join(f'"{p}"' for p in phrases)
    out = []
    for hit in find_text(session, phrases):
        if wanted.outlet and outlet_for_url(hit.url) != wanted.outlet:
            continue
        day = parse_day(hit.date)
        if day is not None and not wanted.window.contains(day):
            continue
        out.append(Candidate(hit.url, FINDER, query, hit.title, day, hit.text))
    return out, query
