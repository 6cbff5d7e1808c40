"""Human-readable output of a verdict: the source's own words, differences marked.

Markers follow ``git diff --word-diff=plain``: ``[-source words-]`` are in the source
but not the quote, ``{+quote words+}`` are in the quote but not the source. On a
terminal they are coloured as well.
"""

from __future__ import annotations

import click

from crawler.reporting.placement import source_segments
from verify import Result, Status

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
    """The match in its context, with each change marked in place."""

    m = result.match
    assert m is not None
    changes = [c.to_dict() for c in result.changes]
    parts = []
    for kind, text in source_segments(source_text, m.start, m.end, changes):
        # spaces around a marker keep it off its neighbours; runs of them fold below
        if kind == "source":
            parts.append(f" {_deleted(text, colour)} ")
        elif kind == "quote":
            parts.append(f" {_inserted(text, colour)} ")
        else:
            parts.append(text)
    return " ".join("".join(parts).split())


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
    for change in result.changes:
        flags = f" ({', '.join(change.flags)})" if change.flags else ""
        lines.append(f"  {change.op}: source {change.source!r} -> quote {change.quote!r}{flags}")
    if result.status is Status.ALTERED:
        flagged = sorted({f for c in result.changes for f in c.flags})
        note = f"; meaning-changing: {', '.join(flagged)}" if flagged else ""
        lines.append(f"{len(result.changes)} change(s) between quote and source{note}")
    elif result.status is Status.NOT_FOUND:
        lines.append("the source was read, and nothing in it matches the quote")
    return "\n".join(lines)
