"""Where a verdict's changes stand in the source's text and in the quote: pure text.

Shared by the terminal (:mod:`crawler.reporting.render`) and the HTML report, so
both mark the same words; no click, no SQLAlchemy, so ``sourcecheck check`` on a
local file imports neither.
"""

from __future__ import annotations

import re
from typing import Any

# (kind, text); kind: context | equal | source | quote | changed | omitted | moved
Segment = tuple[str, str]

EXCERPT_CONTEXT = 160  # characters of source text shown either side of the match


def _placed(text: str, start: int, end: int, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes with source offsets: the engine's, or found by searching the match.

    An engine that gives no offsets still gives each change's source words, in order:
    they are looked up as whole words inside the match, each after the previous one.
    A change that cannot be found (or has no source words, an insert) is not placed;
    every change is listed beside the excerpt anyway.
    """
    placed = []
    cursor = start
    for change in changes:
        if change.get("start") is not None and change.get("end") is not None:
            placed.append(change)
            cursor = max(cursor, change["end"])
            continue
        words = (change.get("source") or "").split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
        found = re.compile(pattern, re.IGNORECASE).search(text, cursor, end)
        if found is None:
            continue
        placed.append({**change, "start": found.start(), "end": found.end()})
        cursor = found.end()
    return placed


def source_segments(
    text: str,
    start: int,
    end: int,
    changes: list[dict[str, Any]],
    omitted: list[dict[str, Any]] | None = None,
) -> list[Segment]:
    """The source's words around a match, split where the quote differs from them.

    ``source`` segments are the source's words that the quote replaced or dropped;
    ``quote`` segments are the quote's words that stand there instead; ``omitted``
    segments are words an ellipsis of the quote left out (an ``omit`` change, or the
    ``omitted`` notes of a harmless ellipsis): never shown as matching text; ``moved``
    a piece of the quote that stands here in the source, in another order.
    """
    changes = [
        *changes,
        *({**n, "op": "omit", "quote": ""} for n in omitted or [] if n.get("start") is not None),
    ]
    lo = max(0, start - EXCERPT_CONTEXT)
    hi = min(len(text), end + EXCERPT_CONTEXT)
    segments: list[Segment] = [("context", ("…" if lo > 0 else "") + text[lo:start])]
    pos = start
    for change in sorted(_placed(text, start, end, changes), key=lambda c: (c["start"], c["end"])):
        c_start, c_end = change["start"], change["end"]
        if c_start < pos or c_end > end:  # overlapping or outside the match: not placeable
            continue
        segments.append(("equal", text[pos:c_start]))
        if change.get("op") in ("omit", "move"):
            # An ellipsis's gap, or a piece out of order: the source's words are
            # marked as such, the quote's "…" is not a word standing there.
            kind = "omitted" if change["op"] == "omit" else "moved"
            segments.append((kind, text[c_start:c_end]))
            pos = c_end
            continue
        if c_end > c_start:
            segments.append(("source", text[c_start:c_end]))
        if change.get("quote"):
            segments.append(("quote", change["quote"]))
        pos = c_end
    segments.append(("equal", text[pos:end]))
    segments.append(("context", text[end:hi] + ("…" if hi < len(text) else "")))
    return [(kind, s) for kind, s in segments if s]


def quote_segments(quote: str, changes: list[dict[str, Any]]) -> list[Segment]:
    """The quote with the words it changed marked, found in order (case-insensitive)."""
    segments: list[Segment] = []
    pos = 0
    lowered = quote.casefold()
    for change in changes:
        words = (change.get("quote") or "").strip()
        if not words:
            continue
        at = lowered.find(words.casefold(), pos)
        if at < 0:
            continue
        segments.append(("equal", quote[pos:at]))
        segments.append(("changed", quote[at : at + len(words)]))
        pos = at + len(words)
    segments.append(("equal", quote[pos:]))
    return [(kind, s) for kind, s in segments if s]
