"""Human-readable output of a verdict: the source's own words, differences marked.

Markers follow ``git diff --word-diff=plain``: ``[-source words-]`` are in the source
but not the quote, ``{+quote words+}`` are in the quote but not the source. Words an
ellipsis of the quote left out are ``[…omitted: words…]`` (dimmed on a terminal), never
shown as matching text. On a terminal they are coloured as well.
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


def _omitted(text: str, colour: bool) -> str:
    marked = f"[…omitted: {text}…]"
    return click.style(marked, dim=True) if colour else marked


def _context(result: Result, source_text: str, colour: bool) -> str:
    """The match in its context, with each change marked in place."""

    m = result.match
    assert m is not None
    changes = [c.to_dict() for c in result.changes]
    omitted = [n.to_dict() for n in result.notes if n.kind == "omitted"]
    parts = []
    for kind, text in source_segments(source_text, m.start, m.end, changes, omitted):
        # spaces around a marker keep it off its neighbours; runs of them fold below
        if kind == "omitted":
            parts.append(f" {_omitted(text, colour)} ")
        elif kind == "moved":
            marked = f"[~moved: {text}~]"
            parts.append(f" {click.style(marked, fg='yellow') if colour else marked} ")
        elif kind == "source":
            parts.append(f" {_deleted(text, colour)} ")
        elif kind == "quote":
            parts.append(f" {_inserted(text, colour)} ")
        else:
            parts.append(text)
    return " ".join("".join(parts).split())


def describe_change(op: str, source: str, quote: str) -> str:
    """One change in words."""
    if op == "omit":
        return f"omit: the ellipsis leaves out {source!r}"
    if op == "move":
        return f"move: {quote!r} stands elsewhere in the source (the order is changed)"
    return f"{op}: source {source!r} -> quote {quote!r}"


def attribution_line(result: Result, speaker: str | None) -> str | None:
    """One line under the verdict: who the source says spoke the words, against the claim."""
    found = result.attribution
    if found is None:
        return None
    who = found.source_speaker
    evidence = f" ({found.evidence})" if found.evidence else ""
    if found.status == "different":
        return f"MISATTRIBUTED: the source attributes these words to {who}, not {speaker}{evidence}"
    if found.status == "source_voice":
        return f"MISATTRIBUTED: the source says this in its own voice, not quoting {speaker}"
    if found.status == "same":
        return f"speaker: {who}, as the source says{evidence}"
    if who:
        return f"speaker: the source attributes these words to {who}{evidence}"
    return None


def render_result(
    result: Result,
    source: str,
    texts: dict[str, str] | None,
    colour: bool,
    detail: str | None = None,
    speaker: str | None = None,
) -> str:
    """The verdict, who said it, the source's words around the match, the reason and its
    detail."""
    status = str(result.status)
    head = click.style(status, fg=_STATUS_COLOUR[result.status], bold=True) if colour else status
    lines = [f"{head}  score {result.score:.1f}  source {source}"]
    said = attribution_line(result, speaker)
    if said:
        lines.append(click.style(said, fg="red", bold=True) if colour and result.findings else said)
    if result.reason:
        lines.append(f"reason: {result.reason}")
    if detail:  # what the reason code means here: "cannot resolve www.bbc.com"
        lines.append(f"detail: {detail}")
    if result.match is not None and texts is not None:
        source_text = texts.get(str(result.match.location), "")
        where = "main text" if str(result.match.location) == "main_text" else "full page text"
        span = f"characters {result.match.start}-{result.match.end}"
        lines.append(f"in the source ({where}, {span}):")
        lines.append("  " + _context(result, source_text, colour))
    for change in result.changes:
        flags = f" ({', '.join(change.flags)})" if change.flags else ""
        lines.append(f"  {describe_change(change.op, change.source, change.quote)}{flags}")
    for note in result.notes:
        if note.kind == "number_style":
            lines.append(
                f"  note: the quote writes {note.quote!r} where the source writes "
                f"{note.source!r} (the same number, another style)"
            )
    if result.link_hint is not None:
        lines.append(
            f"  the quoted words appear on the page only as a link: "
            f"{result.link_hint.text!r} -> {result.link_hint.url}"
        )
    if result.status is Status.ALTERED:
        flagged = sorted({f for c in result.changes for f in c.flags})
        meaning = f"; meaning-changing: {', '.join(flagged)}" if flagged else ""
        lines.append(f"{len(result.changes)} change(s) between quote and source{meaning}")
    elif result.status is Status.NOT_FOUND:
        lines.append("the source was read, and nothing in it matches the quote")
    return "\n".join(lines)
