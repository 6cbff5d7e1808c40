"""Misordered halves: every piece of the quote is in the source, but not in this order.

A quote made of sentences, or of parts joined by an ellipsis, whose parts are each
found word for word but only in another order, puts words in the speaker's mouth in
a sequence they did not say: ``altered``, with each piece out of place listed as a
``move`` change flagged ``order``. Not ``not_found``: every word is there.
"""

from __future__ import annotations

from bisect import bisect_left

from verify.align import exact_starts
from verify.segment import SegmentedQuote
from verify.source import SourceText
from verify.types import Change

# Each piece must be this many words at least: two-word scraps are found anywhere.
MIN_PIECE_WORDS = 3


def misordered(
    quote: SegmentedQuote, src: SourceText
) -> tuple[list[Change], int, tuple[int, int]] | None:
    """The ``move`` changes, the number of quote words in order, and the source words
    (first, last exclusive) all pieces span; None unless every piece is found exactly
    and no in-order choice of their occurrences exists."""
    pieces = quote.pieces
    if len(pieces) < 2 or any(len(p.words) < MIN_PIECE_WORDS for p in pieces):
        return None
    starts = [exact_starts(p, src) for p in pieces]
    if not all(starts):
        return None
    # An in-order choice exists (each piece after the previous one ends)? Then the
    # quote is spliced, not misordered: leave it to the word diff.
    end = 0
    for piece, found in zip(pieces, starts, strict=True):
        k = bisect_left(found, end)
        if k == len(found):
            break
        end = found[k] + len(piece.words)
    else:
        return None
    # Each piece at its first occurrence; the longest run of pieces in source order
    # stays, the others moved.
    first = [found[0] for found in starts]
    keep = _longest_increasing(first)
    text = quote.quote
    changes: list[Change] = []
    for j, piece in enumerate(pieces):
        if j in keep:
            continue
        words = piece.words
        s, e = first[j], first[j] + len(words)
        source_text, s_start, s_end = src.original(s, e - 1)
        changes.append(
            Change(
                "move",
                text[words[0].start : words[-1].end],
                source_text,
                ("order",),
                s_start,
                s_end,
            )
        )
    in_order = sum(len(pieces[j].words) for j in keep)
    stop = max(f + len(p.words) for f, p in zip(first, pieces, strict=True))
    return changes, in_order, (min(first), stop)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of a longest strictly increasing subsequence of ``values`` (n is small)."""
    best: list[list[int]] = []
    for i, v in enumerate(values):
        chain: list[int] = []
        for j in range(i):
            if values[j] < v and len(best[j]) > len(chain):
                chain = best[j]
        best.append([*chain, i])
    longest: list[int] = []
    for chain in best:
        if len(chain) > len(longest):
            longest = chain
    return set(longest)
