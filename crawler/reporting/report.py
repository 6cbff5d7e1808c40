"""What the report says about each quote, and its JSON form.

:func:`build_report` turns the stored history into typed rows
(:class:`crawler.reporting.rows.ReportRow`) that every format shares; the terminal table
is in :mod:`crawler.reporting.table`, the HTML page in :mod:`crawler.reporting.html`. The evidence
excerpt is cut from the stored snapshot text with the engine's own offsets, so the
report shows the source's words as they were when the verdict was given.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.errors import InputError
from crawler.reporting.findings import finding_codes
from crawler.reporting.placement import quote_segments, source_segments
from crawler.reporting.rows import (
    ArticleRef,
    EvidenceFrom,
    Previous,
    ReportRow,
    SnapshotFacts,
    StoredMatch,
)
from crawler.storage.history import (
    NO_SOURCE,
    PENDING,
    QuoteState,
    latest_with_previous,
)
from crawler.storage.models import Article, Snapshot
from crawler.storage.search import elsewhere
from verify import MISATTRIBUTED, Attribution, findings_for
from verify.check import omitted_words

STATUS_ORDER = ("verified", "altered", "not_found", "unavailable", PENDING, NO_SOURCE)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _searched_text(snapshot: Snapshot | None, location: str | None) -> str | None:
    if snapshot is None:
        return None
    return snapshot.page_text if location == "page" else snapshot.main_text


def _row(state: QuoteState) -> ReportRow:
    quote, current, previous = state.quote, state.current, state.previous
    row = ReportRow(
        quote_id=quote.id,
        article=ArticleRef(state.article.url, state.article.title),
        position=quote.position,
        quote=quote.text,
        kind=quote.kind,
        speaker=quote.speaker,
        outlet=quote.outlet or (state.source.outlet if state.source else None),
        cited_url=quote.cited_url,
        cited_title=quote.cited_title,
        source_url=state.source.url if state.source else None,
        status=state.status,
        what_changed=list(state.changes),
        what_changed_text=state.describe_changes(),
        quote_segments=[["equal", quote.text]],
    )
    if current is None:
        return row
    if current.attribution_status is not None:
        row.attribution = Attribution(
            current.attribution_status, current.source_speaker, current.attribution_evidence
        )
    snapshot = current.snapshot
    row.checked = True
    row.score = round(current.score, 1)
    row.checked_at = _iso(current.checked_at)
    row.matcher_version = current.matcher_version
    row.reason = current.reason
    row.changes = current.changes
    row.quote_segments = [list(s) for s in quote_segments(quote.text, current.changes)]
    row.finding_details = current.findings or []
    own = list(findings_for(current.status, current.attribution_status))
    row.findings = finding_codes(own, row.finding_details)
    row.evidence_from = evidence_from(snapshot)
    if snapshot is not None:
        row.snapshot = SnapshotFacts(
            final_url=snapshot.final_url,
            status_code=snapshot.status_code,
            fetched_at=_iso(snapshot.fetched_at),
            title=snapshot.title,
            content_hash=snapshot.content_hash,
            unavailable_detail=snapshot.unavailable_detail,
        )
    if current.match_start is not None and current.match_end is not None:
        row.match = StoredMatch(
            current.match_text, current.match_start, current.match_end, current.match_location
        )
        text = _searched_text(snapshot, current.match_location)
        if text is not None:
            # Words a harmless ellipsis left out are not stored with the verdict (they
            # are no change): the pure engine finds them again in the stored text.
            omitted = omitted_words(quote.text, text)
            segments = source_segments(
                text, current.match_start, current.match_end, current.changes, omitted
            )
            row.evidence = [list(s) for s in segments]
    if previous is not None:
        row.previous = Previous(
            previous.status, round(previous.score, 1), _iso(previous.checked_at)
        )
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


def evidence_from(snapshot: Snapshot | None) -> EvidenceFrom | None:
    """Where the verdict's text came from: the live page, or an archived capture."""
    if snapshot is None:
        return None
    if getattr(snapshot, "origin", "live") == "archive":
        return EvidenceFrom("archive", snapshot.archive_url, _iso(snapshot.captured_at))
    return EvidenceFrom("live", snapshot.final_url or snapshot.requested_url)


def build_report(session: Session, article: str | None = None) -> list[ReportRow]:
    """One row per stored quote (of one article when given), latest verdict first."""
    article_id = None if article is None else find_article(session, article)
    rows = [_row(state) for state in latest_with_previous(session, article_id)]
    for row in rows:
        if row.status == "not_found":  # where else the words appear (issue 13)
            row.elsewhere = elsewhere(session, row.quote, [row.source_url, row.cited_url])
    from crawler.discovery.job import discovery_fields  # found_by and the search record

    discovery_fields(session, rows)
    return rows


def misattribution_text(row: ReportRow) -> str:
    """What a misattributed row's reader needs: who the source says it was."""
    found = row.attribution
    if found is not None and found.status == "source_voice":
        return "MISATTRIBUTED: the source says this in its own voice"
    said = found.source_speaker if found is not None else None
    return f"MISATTRIBUTED: the source says {said or 'someone else'}"


def summary(rows: list[ReportRow]) -> dict[str, int]:
    """How many quotes have each status, in the contract's order (zero counts kept)."""
    counts = Counter(row.status for row in rows)
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


def summary_line(rows: list[ReportRow]) -> str:
    parts = [f"{n} {status}" for status, n in summary(rows).items() if n]
    misattributed = sum(MISATTRIBUTED in row.findings for row in rows)
    if misattributed:
        parts.append(f"{misattributed} {MISATTRIBUTED}")
    return f"{len(rows)} quote(s): " + (", ".join(parts) if parts else "none stored")


def render_json(rows: list[ReportRow], generated_at: datetime) -> str:
    quotes = [row.to_dict() for row in rows]
    doc = {"generated_at": _iso(generated_at), "summary": summary(rows), "quotes": quotes}
    return json.dumps(doc, ensure_ascii=False, indent=2)
