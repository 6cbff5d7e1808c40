"""The report as a table for a terminal: problems first, fitted to the width.

Every cell holds an article's or a source's own text, so each goes through
:func:`crawler.safetext.for_terminal` before it is printed.
"""

from __future__ import annotations

import shutil
import textwrap

import click

from crawler.reporting.report import misattribution_text, summary_line
from crawler.reporting.rows import ReportRow
from crawler.safetext import for_terminal
from crawler.storage.history import CONTENT_CHANGED, NO_SOURCE
from verify import MISATTRIBUTED

PIPE_WIDTH = 160  # the table's width when not on a terminal (a file, a pipe, a mail)

_COLOURS = {
    "verified": "green",
    "altered": "yellow",
    "not_found": "red",
    "unavailable": "magenta",
}
GAP = "  "
MIN_QUOTE, MIN_CHANGED, MIN_NAME = 20, 16, 8


def _cut(text: str | None, width: int) -> str:
    text = " ".join(for_terminal(text or "").split())  # cells hold articles' own text
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


TABLE_LABELS = {CONTENT_CHANGED: "text changed"}  # the rest read well as they are


def what_changed_cell(row: ReportRow) -> str:
    """Since the last check, then in words what differs, or why it could not be read."""
    from crawler.reporting.findings import describe_change

    notes = [TABLE_LABELS.get(code, code.replace("_", " ")) for code in row.what_changed]
    if not notes and row.checked_at and row.previous:
        notes.append("unchanged")
    if row.found_by not in (None, "link"):
        notes.insert(0, f"found by {row.found_by}")
    if MISATTRIBUTED in row.findings:
        notes.insert(0, misattribution_text(row))
    notes += [describe_change(change) for change in row.changes]
    source = row.evidence_from
    if source is not None and source.archived and source.captured_at:
        # "archive fallback" alone would hide which copy: name its day.
        notes = [n for n in notes if n != "archive fallback"]
        notes.append(f"archived copy {source.captured_at[:10]}")
    if row.reason:
        detail = row.unavailable_detail
        notes.append(f"{row.reason}: {detail}" if detail else row.reason)
    elif row.status == "not_found":
        notes.append("no passage of the source matches")
    for miss in row.archive_misses():
        notes.append(f"archive: {miss.get('reason')}")
    if not notes and row.checked_at:
        notes.append("first check")
    return "; ".join(notes)


def in_place(row: ReportRow, style: str) -> str:
    """The share of the quote's words in place, in ``style`` ("" when it means nothing:
    no verdict, or a source that could not be read)."""
    if row.score is None or row.status == "unavailable":
        return ""
    return style.format(row.score)


def verdict_word(row: ReportRow) -> str:
    """The verdict column: the status in words, or the cause that explains it."""
    from crawler.reporting.findings import primary

    finding = primary(row)
    return finding.label.lower() if finding.role == "cause" else finding.code.replace("_", " ")


def table_width() -> int:
    """The terminal's width; ``COLUMNS`` when set; else PIPE_WIDTH (a file, a pipe)."""
    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns


def _widths(rows: list[ReportRow], width: int) -> dict[str, int]:
    """Column widths that fit ``width``: names whole where they fit, then the quote.

    Dropped as the width shrinks: the check time, then the score, then the outlet; the
    quote and what changed share the rest; names are cut only when nothing else is left.
    """

    def longest(values: list[str], header: str, cap: int) -> int:
        return min(cap, max([len(header), *map(len, values)]))

    cols = {
        "speaker": longest([r.speaker or "-" for r in rows], "speaker", 32),
        "outlet": longest([r.outlet or "-" for r in rows], "outlet", 24),
        "verdict": longest([verdict_word(r) for r in rows], "verdict", 24),
        "in place": 8,
        "checked (UTC)": 16,
    }
    changed_natural = max([MIN_CHANGED, *(len(what_changed_cell(r)) for r in rows)])

    def spare() -> int:
        used = sum(cols.values()) + len(GAP) * (len(cols) + 1)
        return width - used - MIN_QUOTE - MIN_CHANGED

    if spare() < 30:  # the check time matters less than room for what changed
        del cols["checked (UTC)"]
    if spare() < 0:
        del cols["in place"]
    for name in ("speaker", "outlet"):
        if spare() < 0:
            cols[name] = max(MIN_NAME, cols[name] + spare())
    if spare() < 0:  # a very narrow terminal: the outlet goes, then the flexible columns shrink
        del cols["outlet"]
    deficit = max(0, -spare())
    min_quote, min_changed = MIN_QUOTE - deficit // 2, MIN_CHANGED - (deficit - deficit // 2)
    left = max(0, spare())
    need_quote = max([MIN_QUOTE, *(len(" ".join(r.quote.split())) for r in rows)]) - MIN_QUOTE
    need_changed = changed_natural - MIN_CHANGED
    if need_quote + need_changed <= left:  # both whole: the table is as wide as it needs
        give_changed, give_quote = need_changed, need_quote
    else:  # share the room: what changed (the finding in words) takes up to 3/5 of it
        give_changed = min(need_changed, max(left * 3 // 5, left - need_quote))
        give_quote = left - give_changed
    quote = max(6, min_quote + give_quote)
    changed = max(6, min_changed + give_changed)
    return {"quote": quote, **cols, "what changed": changed}


def render_table(rows: list[ReportRow], colour: bool = False, width: int | None = None) -> str:
    """Problems first; quotes with no cited source folded into one list at the end."""
    from crawler.reporting.findings import ordered

    width = width or table_width()
    rows = ordered(rows)
    listed = [r for r in rows if r.status != NO_SOURCE]
    unsourced = [r for r in rows if r.status == NO_SOURCE]
    widths = _widths(listed, width)
    lines = [GAP.join(h.ljust(w) for h, w in widths.items()).rstrip()]
    lines.append(GAP.join("-" * w for w in widths.values()))
    for row in listed:
        cells = {
            "quote": row.quote,
            "speaker": row.speaker or "-",
            "outlet": row.outlet or "-",
            "verdict": verdict_word(row),
            "in place": in_place(row, "{:.0f}%"),
            "checked (UTC)": (row.checked_at or "")[:16].replace("T", " ") or "never",
            "what changed": what_changed_cell(row),
        }
        padded = [_cut(cells[name], w).ljust(w) for name, w in widths.items()]
        if colour and row.status in _COLOURS:
            at = list(widths).index("verdict")
            padded[at] = click.style(padded[at], fg=_COLOURS[row.status], bold=True)
        lines.append(GAP.join(padded).rstrip())
    if unsourced:
        lines.append("")
        lines.append(f"no source cited ({len(unsourced)}), nothing to check against:")
        for row in unsourced:
            who = f" ({row.speaker})" if row.speaker else ""
            lines.append("  " + _cut(f"“{row.quote}”{who}", width - 2))
            summary_of_search = (row.search or {}).get("summary")
            if summary_of_search:  # no_source is never "nobody looked": say what was searched
                lines.append("    " + _cut(f"{summary_of_search}", width - 4))
    lines.append("")
    for row in rows:
        if row.elsewhere is not None:
            line = f"not_found “{_cut(row.quote, 40)}”: {row.elsewhere.describe()}"
            lines.append(_cut(line, width))  # the whole sentence is in JSON and HTML
    if "in place" in widths:
        lines += textwrap.wrap(
            "in place: the share of the quote's words found in place in the source", width
        )
    lines += textwrap.wrap(summary_line(rows), width)
    return "\n".join(lines)
