"""What the report says about each quote, and its table and JSON forms.

:func:`build_report` turns the stored history into plain rows (dicts, JSON-ready) that
every format shares; the HTML page is in :mod:`crawler.reporting.html`. The evidence
excerpt is cut from the stored snapshot text with the engine's own offsets, so the
report shows the source's words as they were when the verdict was given.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.errors import InputError
from crawler.reporting.placement import quote_segments, source_segments
from crawler.storage.history import (
    CONTENT_CHANGED,
    NO_SOURCE,
    PENDING,
    QuoteState,
    latest_with_previous,
)
from crawler.storage.models import Article, Snapshot
from verify import MISATTRIBUTED, findings_for
from verify.check import omitted_words

STATUS_ORDER = ("verified", "altered", "not_found", "unavailable", PENDING, NO_SOURCE)
PIPE_WIDTH = 160  # the table's width when not on a terminal (a file, a pipe, a mail)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _searched_text(snapshot: Snapshot | None, location: str | None) -> str | None:
    if snapshot is None:
        return None
    return snapshot.page_text if location == "page" else snapshot.main_text


def _row(state: QuoteState) -> dict[str, Any]:
    quote, current, previous = state.quote, state.current, state.previous
    row: dict[str, Any] = {
        "quote_id": quote.id,
        "article": {"url": state.article.url, "title": state.article.title},
        "position": quote.position,
        "quote": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker,
        "outlet": quote.outlet or (state.source.outlet if state.source else None),
        "cited_url": quote.cited_url,
        "cited_title": quote.cited_title,
        "source_url": state.source.url if state.source else None,
        "status": state.status,
        "score": None,
        "checked_at": None,
        "reason": None,
        "match": None,
        "changes": [],
        "what_changed": list(state.changes),
        "what_changed_text": state.describe_changes(),
        "previous": None,
        "evidence": None,
        "quote_segments": [["equal", quote.text]],
        "attribution": None,
        "findings": [],
    }
    if current is None:
        return row
    if current.attribution_status is not None:
        row["attribution"] = {
            "status": current.attribution_status,
            "source_speaker": current.source_speaker,
            "evidence": current.attribution_evidence,
        }
    row["findings"] = list(findings_for(current.status, current.attribution_status))
    snapshot = current.snapshot
    row |= {
        "score": round(current.score, 1),
        "checked_at": _iso(current.checked_at),
        "matcher_version": current.matcher_version,
        "reason": current.reason,
        "changes": current.changes,
        "quote_segments": [list(s) for s in quote_segments(quote.text, current.changes)],
    }
    if snapshot is not None:
        row["snapshot"] = {
            "final_url": snapshot.final_url,
            "status_code": snapshot.status_code,
            "fetched_at": _iso(snapshot.fetched_at),
            "title": snapshot.title,
            "content_hash": snapshot.content_hash,
            "unavailable_detail": snapshot.unavailable_detail,
        }
    if current.match_start is not None and current.match_end is not None:
        row["match"] = {
            "text": current.match_text,
            "start": current.match_start,
            "end": current.match_end,
            "location": current.match_location,
        }
        text = _searched_text(snapshot, current.match_location)
        if text is not None:
            # Words a harmless ellipsis left out are not stored with the verdict (they
            # are no change): the pure engine finds them again in the stored text.
            omitted = omitted_words(quote.text, text)
            segments = source_segments(
                text, current.match_start, current.match_end, current.changes, omitted
            )
            row["evidence"] = [list(s) for s in segments]
    if previous is not None:
        row["previous"] = {
            "status": previous.status,
            "score": round(previous.score, 1),
            "checked_at": _iso(previous.checked_at),
        }
    return row


def find_article(session: Session, article: str) -> int:
    """A stored article's id from its URL, its id, or a local file's path as given to ``run``."""
    candidates = [article]
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", article):
        candidates.append(str(Path(article).expanduser().resolve()))
    for candidate in candidates:
        found = session.execute(
            select(Article.id).where(Article.url == candidate)
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    if article.isdigit() and session.get(Article, int(article)) is not None:
        return int(article)
    raise InputError(f"no stored article {article!r} (give its URL, its id or its file path)")


def build_report(session: Session, article: str | None = None) -> list[dict[str, Any]]:
    """One row per stored quote (of one article when given), latest verdict first."""
    article_id = None if article is None else find_article(session, article)
    rows = [_row(state) for state in latest_with_previous(session, article_id)]
    from crawler.discovery.job import discovery_fields  # found_by and the search record

    discovery_fields(session, rows)
    return rows


def misattribution_text(row: dict[str, Any]) -> str:
    """What a misattributed row's reader needs: who the source says it was."""
    found = row.get("attribution") or {}
    if found.get("status") == "source_voice":
        return "MISATTRIBUTED: the source says this in its own voice"
    return f"MISATTRIBUTED: the source says {found.get('source_speaker') or 'someone else'}"


def summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many quotes have each status, in the contract's order (zero counts kept)."""
    counts = Counter(row["status"] for row in rows)
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


def summary_line(rows: list[dict[str, Any]]) -> str:
    parts = [f"{n} {status}" for status, n in summary(rows).items() if n]
    misattributed = sum(MISATTRIBUTED in row.get("findings", ()) for row in rows)
    if misattributed:
        parts.append(f"{misattributed} {MISATTRIBUTED}")
    return f"{len(rows)} quote(s): " + (", ".join(parts) if parts else "none stored")


def render_json(rows: list[dict[str, Any]], generated_at: datetime) -> str:
    doc = {"generated_at": _iso(generated_at), "summary": summary(rows), "quotes": rows}
    return json.dumps(doc, ensure_ascii=False, indent=2)


# --- terminal table ---------------------------------------------------------------------

_COLOURS = {
    "verified": "green",
    "altered": "yellow",
    "not_found": "red",
    "unavailable": "magenta",
}
GAP = "  "
MIN_QUOTE, MIN_CHANGED, MIN_NAME = 20, 16, 8


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


TABLE_LABELS = {CONTENT_CHANGED: "text changed"}  # the rest read well as they are


def _what_changed_cell(row: dict[str, Any]) -> str:
    """Since the last check, then in words what differs, or why it could not be read."""
    from crawler.reporting.findings import describe_change

    notes = [TABLE_LABELS.get(code, code.replace("_", " ")) for code in row["what_changed"]]
    if not notes and row["checked_at"] and row["previous"]:
        notes.append("unchanged")
    if row.get("found_by") not in (None, "link"):
        notes.insert(0, f"found by {row['found_by']}")
    if MISATTRIBUTED in row.get("findings", ()):
        notes.insert(0, misattribution_text(row))
    notes += [describe_change(change) for change in row["changes"]]
    if row["reason"]:
        detail = (row.get("snapshot") or {}).get("unavailable_detail")
        notes.append(f"{row['reason']}: {detail}" if detail else row["reason"])
    elif row["status"] == "not_found":
        notes.append("no passage of the source matches")
    if not notes and row["checked_at"]:
        notes.append("first check")
    return "; ".join(notes)


def verdict_word(row: dict[str, Any]) -> str:
    """The verdict column: the status in words, or the cause that explains it."""
    from crawler.reporting.findings import primary

    finding = primary(row)
    return finding.label.lower() if finding.role == "cause" else finding.code.replace("_", " ")


def table_width() -> int:
    """The terminal's width; ``COLUMNS`` when set; else PIPE_WIDTH (a file, a pipe)."""
    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns


def _widths(rows: list[dict[str, Any]], width: int) -> dict[str, int]:
    """Column widths that fit ``width``: names whole where they fit, then the quote.

    Dropped as the width shrinks: the check time, then the score, then the outlet; the
    quote and what changed share the rest; names are cut only when nothing else is left.
    """

    def longest(values: list[str], header: str, cap: int) -> int:
        return min(cap, max([len(header), *map(len, values)]))

    cols = {
        "speaker": longest([r["speaker"] or "-" for r in rows], "speaker", 32),
        "outlet": longest([r["outlet"] or "-" for r in rows], "outlet", 24),
        "verdict": longest([verdict_word(r) for r in rows], "verdict", 24),
        "in place": 8,
        "checked (UTC)": 16,
    }
    changed_natural = max([MIN_CHANGED, *(len(_what_changed_cell(r)) for r in rows)])

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
    need_quote = max([MIN_QUOTE, *(len(" ".join(r["quote"].split())) for r in rows)]) - MIN_QUOTE
    need_changed = changed_natural - MIN_CHANGED
    if need_quote + need_changed <= left:  # both whole: the table is as wide as it needs
        give_changed, give_quote = need_changed, need_quote
    else:  # share the room: what changed (the finding in words) takes up to 3/5 of it
        give_changed = min(need_changed, max(left * 3 // 5, left - need_quote))
        give_quote = left - give_changed
    quote = max(6, min_quote + give_quote)
    changed = max(6, min_changed + give_changed)
    return {"quote": quote, **cols, "what changed": changed}


def render_table(rows: list[dict[str, Any]], colour: bool = False, width: int | None = None) -> str:
    """Problems first; quotes with no cited source folded into one list at the end."""
    from crawler.reporting.findings import ordered

    width = width or table_width()
    rows = ordered(rows)
    listed = [r for r in rows if r["status"] != NO_SOURCE]
    unsourced = [r for r in rows if r["status"] == NO_SOURCE]
    widths = _widths(listed, width)
    lines = [GAP.join(h.ljust(w) for h, w in widths.items()).rstrip()]
    lines.append(GAP.join("-" * w for w in widths.values()))
    for row in listed:
        no_score = row["score"] is None or row["status"] == "unavailable"
        cells = {
            "quote": row["quote"],
            "speaker": row["speaker"] or "-",
            "outlet": row["outlet"] or "-",
            "verdict": verdict_word(row),
            "in place": "" if no_score else f"{row['score']:.0f}%",
            "checked (UTC)": (row["checked_at"] or "")[:16].replace("T", " ") or "never",
            "what changed": _what_changed_cell(row),
        }
        padded = [_cut(cells[name], w).ljust(w) for name, w in widths.items()]
        if colour and row["status"] in _COLOURS:
            at = list(widths).index("verdict")
            padded[at] = click.style(padded[at], fg=_COLOURS[row["status"]], bold=True)
        lines.append(GAP.join(padded).rstrip())
    if unsourced:
        lines.append("")
        lines.append(f"no source cited ({len(unsourced)}), nothing to check against:")
        for row in unsourced:
            who = f" ({row['speaker']})" if row["speaker"] else ""
            lines.append("  " + _cut(f"“{row['quote']}”{who}", width - 2))
    lines.append("")
    if "in place" in widths:
        lines += textwrap.wrap(
            "in place: the share of the quote's words found in place in the source", width
        )
    lines += textwrap.wrap(summary_line(rows), width)
    return "\n".join(lines)
