"""Choosing a quotation's source among the candidates: cheap shortlist, then the engine.

The shortlist costs nothing: the share of the quote's word 4-grams a candidate's text
holds, and the similarity of its title to a cited title. Only the best few are given
to the verification engine, and only a candidate that verifies the quote, or holds an
altered version of it (with enough of the quote's own word runs to be the same
passage), is chosen. Another article on the same story that does not hold the quote
gets ``not_found`` from the engine and is never chosen: a wrong source would turn a
missing source into an accusation.
"""

from __future__ import annotations

from crawler.discovery.candidates import Candidate, Search
from verify import QuoteError, Status, check_quote
from verify.cues import run_hits, title_similarity

SHORTLIST = 3
# An altered candidate must share at least this share of the quote's 4-grams: a loose
# resemblance is not the same passage.
MIN_ALTERED_HITS = 0.2
# A cited title this close puts a candidate on the shortlist even without shared runs.
TITLE_MATCH = 85.0


def _title_score(search: Search, candidate: Candidate) -> float:
    if search.wanted.title and candidate.title:
        return title_similarity(search.wanted.title, candidate.title)
    return 0.0


def choose(search: Search) -> Candidate | None:
    """Verify the shortlist and set ``search.chosen`` (None when nothing holds the quote)."""
    quote = search.wanted.text
    readable = [c for c in search.candidates if c.text]
    scored: list[tuple[float, float, Candidate]] = []
    for candidate in readable:
        assert candidate.text is not None
        hits = run_hits(quote, candidate.text)
        title = _title_score(search, candidate)
        candidate.rank = hits
        if hits > 0 or title >= TITLE_MATCH:
            scored.append((hits, title, candidate))
        else:
            candidate.note = "shares none of the quote's word runs"
    scored.sort(key=lambda s: (-s[0], -s[1]))
    best: tuple[int, float, Candidate] | None = None
    for hits, _title, candidate in scored[:SHORTLIST]:
        assert candidate.text is not None
        try:
            result = check_quote(quote, candidate.text)
        except QuoteError as exc:
            candidate.note = str(exc)
            continue
        candidate.status, candidate.score = str(result.status), result.score
        if result.status == Status.VERIFIED:
            order = 2
        elif result.status == Status.ALTERED and hits >= MIN_ALTERED_HITS:
            order = 1
        else:
            candidate.note = "does not hold the quote"
            continue
        if best is None or (order, result.score) > (best[0], best[1]):
            best = (order, result.score, candidate)
    for _hits, _title, candidate in scored[SHORTLIST:]:
        candidate.note = candidate.note or "not shortlisted"
    search.chosen = best[2] if best else None
    return search.chosen
