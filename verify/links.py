"""Link text is not the article's words.

A page shows other pages' headlines as links (related stories, "More on this story",
most-read lists, navigation). Those words never verify a quote; but a quote found
word for word in one is worth a hint: the words are a link to another address, which
may be the source the writer meant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from verify.align import align
from verify.segment import SegmentedQuote
from verify.source import prepare
from verify.types import LinkHint


def link_hint(quote: SegmentedQuote, links: Sequence[tuple[str, str]]) -> LinkHint | None:
    """The link whose text holds the quote word for word, or None.

    ``links`` are (link text, address) pairs. The texts are searched as one text, one
    link a line, so that a quote never runs from one link into the next.
    """
    kept = [(" ".join(text.split()), url) for text, url in links if text and text.strip()]
    if not kept:
        return None
    starts: list[int] = []
    pos = 0
    for text, _ in kept:
        starts.append(pos)
        pos += len(text) + 1
    src = prepare("\n".join(text for text, _ in kept))
    alignment = align(quote, src)
    if not alignment.verified:
        return None
    placed = [p for p in alignment.placements if p is not None]
    first = bisect_right(starts, src.span(placed[0].start)[0]) - 1
    last = bisect_right(starts, src.span(placed[-1].end - 1)[0]) - 1
    if first != last:
        return None
    text, url = kept[first]
    return LinkHint(text, url)
