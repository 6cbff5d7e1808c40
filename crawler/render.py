"""Human-readable output of a verdict: the source's own words, differences marked.

Markers follow ``git diff --word-diff=plain``: ``[-source words-]`` are in the source
but not the quote, ``{+quote words+}`` are in the quote but not the source. On a
terminal they are coloured as well.
"""

from __future__ import annotations

import click

from verify import Result, Status

CONTEXT_CHARS = 120

_STATUS_COLOUR = {
    Status.VERIFIED: "green",
    Status.ALTERED: "yellow",
    Status.NOT_FOUND: "red",
    Status.UNAVAILABLE: "magenta",
}


def _deleted(text: str, colour: bool) -> str:
    return click.style(f"[-{text}-]", fg="red", bold=True) if colour else f"[-{text}-]"


def _inserted(text: str, colour: bool) -> str:
    return click.style(f"{{+{text}+}}", fg="green", bold=True) if colour else f"{{+{text}+}}"


def _context(result: Result, source_text: str, colour: bool) -> str:
    m = result.match
    assert m is not None
    lo = max(0, m.start - CONTEXT_CHARS)
    hi = min(len(source_text), m.end + CONTEXT_CHARS)
    before = ("…" if lo > 0 else "") + source_text[lo : m.start]
    after = source_text[m.end : hi] + ("…" if hi < len(source_text) else "")
    placed = [c for c in result.changes if c.start is not None and c.end is not None]
    body: list[str] = []
    pos = m.start
    for change in sorted(placed, key=lambda c: (c.start, c.end)):
        start, end = change.start or 0, change.end or 0
        if start < pos:
            continue
        body.append(source_text[pos:start])
        if change.source:
            body.append(_deleted(source_text[start:end], colour))
        if change.quote:
            body.append(_inserted(change.quote, colour))
        pos = end
    body.append(source_text[pos : m.end])
    middle = "".join(body)
    if colour and not placed:
        middle = click.style(middle, underline=True)
    text = f"{before}{middle}{after}"
    return " ".join(text.split())


def render_result(result: Result, source: str, texts: dict[str, str] | None, colour: bool) -> str:
    """The verdict, the source's words around the match, and the reason."""
    status = str(result.status)
    head = click.style(status, fg=_STATUS_COLOUR[result.status], bold=True) if colour else status
    lines = [f"{head}  score {result.score:.1f}  source {source}"]
    if result.reason:
        lines.append(f"reason: {result.reason}")
    if result.match is not None and texts is not None:
        source_text = texts.get(str(result.match.location), "")
        where = "main text" if str(result.match.location) == "main_text" else "full page text"
        span = f"characters {result.match.start}-{result.match.end}"
        lines.append(f"in the source ({where}, {span}):")
        lines.append("  " + _context(result, source_text, colour))
    unplaced = [c for c in result.changes if c.start is None]
    for change in result.changes if unplaced else ():
        flags = f" ({', '.join(change.flags)})" if change.flags else ""
        lines.append(f"  {change.op}: source {change.source!r} -> quote {change.quote!r}{flags}")
    if result.status is Status.ALTERED:
        flagged = sorted({f for c in result.changes for f in c.flags})
        note = f"; meaning-changing: {', '.join(flagged)}" if flagged else ""
        lines.append(f"{len(result.changes)} change(s) between quote and source{note}")
    elif result.status is Status.NOT_FOUND:
        lines.append("the source was read, and nothing in it matches the quote")
    return "\n".join(lines)
