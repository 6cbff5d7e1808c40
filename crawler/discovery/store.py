"""The store finder: snapshots already stored (any outlet) that hold the quote's words.

The search is the store's own index (:func:`crawler.storage.search.find_snapshots`, the
one ``sourcecheck find`` uses): distinctive word shingles first, then the verification
engine on the shortlist, so a stored copy of the quote or a close variant is found at
any size of store, whatever its punctuation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crawler.discovery.candidates import Candidate, Wanted
from crawler.storage.models import Snapshot
from crawler.storage.search import find_snapshots
from verify.outlets import outlet_for_url

FINDER = "store"
LIMIT = 20  # stored sources read as candidates for one quotation


def candidates(session: Session, wanted: Wanted) -> tuple[list[Candidate], str]:
    """Stored candidates for a quotation (on its outlet's site when it names one, dated
    within its window when the snapshot knows the article's date)."""
    from crawler.discovery.sitemap import parse_day

    query = "index search for the quotation's words"
    out = []
    for hit in find_snapshots(session, wanted.text, LIMIT):
        if wanted.outlet and outlet_for_url(hit.url) != wanted.outlet:
            continue
        snapshot = session.get(Snapshot, hit.snapshot_id)
        if snapshot is None or not snapshot.main_text:
            continue
        day = parse_day(snapshot.date)
        if day is not None and not wanted.window.contains(day):
            continue
        out.append(Candidate(hit.url, FINDER, query, hit.title, day, snapshot.main_text))
    return out, query
