"""What the report says about each quote, and its table and JSON forms.

:func:`build_report` turns the stored history into plain rows (dicts, JSON-ready) that
every format shares; the HTML page is in :mod:`crawler.reporting.html`. The evidence
excerpt is cut from the stored snapshot text with the engine's own offsets, so the
report shows the source's words as they were when the verdict was given.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime
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
    }
    if current is None:
        return row
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


def build_report(session: Session, article: str | None = None) -> list[dict[str, Any]]:
    """One row per stored quote (of one article when given), latest verdict first."""
    article_id = None
    if article is not None:
        article_id = session.execute(
            select(Article.id).where(Article.url == article)
        ).scalar_one_or_none()
        if article_id is None:
            raise InputError(f"no stored article {article!r}")
    rows = [_row(state) for state in latest_with_previous(session, article_id)]
    from crawler.discovery.job import discovery_fields  # found_by and the search record

    discovery_fields(session, rows)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many quotes have each status, in the contract's order (zero counts kept)."""
    counts = Counter(row["status"] for row in rows)
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


def summary_line(rows: list[dict[str, Any]]) -> str:
    parts = [f"{n} {status}" for status, n in summary(rows).items() if n]
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


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


TABLE_LABELS = {CONTENT_CHANGED: "text changed"}  # the rest read well as they are


def _what_changed_cell(row: dict[str, Any]) -> str:
    notes = [TABLE_LABELS.get(code, code.replace("_", " ")) for code in row["what_changed"]]
    if not notes and row["checked_at"]:
        notes.append("unchanged" if row["previous"] else "first check")
    if row.get("found_by") not in (None, "link"):
        notes.insert(0, f"found by {row['found_by']}")
    text = ", ".join(notes)
    if row["reason"]:
        text = f"{text} ({row['reason']})" if text else row["reason"]
    return text


def render_table(rows: list[dict[str, Any]], colour: bool = False, width: int | None = None) -> str:
    """A fixed-width table: quote, speaker, outlet, verdict, score, checked, what changed."""
    width = width or (shutil.get_terminal_size().columns if colour else PIPE_WIDTH)
    fixed = {"speaker": 14, "outlet": 10, "verdict": 11, "score": 5, "checked": 16}
    changed_w = 32
    quote_w = max(20, width - sum(fixed.values()) - changed_w - 2 * (len(fixed) + 1))
    header = ["quote", "speaker", "outlet", "verdict", "score", "checked (UTC)", "what changed"]
    widths = [quote_w, *fixed.values(), changed_w]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        checked = (row["checked_at"] or "")[:16].replace("T", " ")
        changed = _what_changed_cell(row)
        no_score = row["score"] is None or row["status"] == "unavailable"
        score = "" if no_score else f"{row['score']:.0f}"
        cells = [
            _cut(row["quote"], quote_w),
            _cut(row["speaker"] or "-", fixed["speaker"]),
            _cut(row["outlet"] or "-", fixed["outlet"]),
            row["status"],
            score,
            checked or "never",
            _cut(changed, changed_w),
        ]
        padded = [c.ljust(w) for c, w in zip(cells, widths, strict=True)]
        if colour and row["status"] in _COLOURS:
            padded[3] = click.style(padded[3], fg=_COLOURS[row["status"]], bold=True)
        lines.append("  ".join(padded).rstrip())
    lines.append("")
    lines.append(summary_line(rows))
    return "\n".join(lines)
