"""Exports for fact-checkers: schema.org ClaimReview (JSON-LD) and CSV for spreadsheets.

Both read the report rows (crawler/reporting/rows.py) and the one table of findings
(crawler/reporting/findings.py), which holds each finding's words and rating, so a
new finding is exported as soon as it has its entry there.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from crawler.reporting.findings import (
    BEST_RATING,
    WORST_RATING,
    altered_review,
    describe_change,
    ordered,
    primary,
)
from crawler.reporting.rows import ReportRow

SCHEMA_CONTEXT = "https://schema.org"
PUBLISHER = "sourcecheck"


def _iri(url: str) -> str:
    """An article's address as an IRI: a web URL as it is, a local path as a file: URI."""
    if "://" in url:
        return url
    path = Path(url)
    return path.as_uri() if path.is_absolute() else url


def _evidence_url(row: ReportRow) -> str | None:
    final = row.snapshot.final_url if row.snapshot is not None else None
    return final or row.source_url or row.cited_url


def _review_words(row: ReportRow) -> str:
    finding = primary(row)
    if finding.code == "altered":
        return altered_review(row.changes)
    return finding.review


def _review_body(row: ReportRow) -> str:
    """What a reader needs besides the rating: the differences, or why it could not be read."""
    parts = [describe_change(change) for change in row.changes]
    parts += row.what_changed_text
    if row.reason:
        detail = row.unavailable_detail
        parts.append(f"{row.reason}: {detail}" if detail else row.reason)
    return "; ".join(parts)


def claim_review(row: ReportRow) -> dict[str, Any] | None:
    """One quotation's ClaimReview, or None when it was not checked (no source, pending)."""
    finding = primary(row)
    if finding.rating is None or not row.checked_at:
        return None
    claim: dict[str, Any] = {
        "@type": "Claim",
        "appearance": {
            "@type": "CreativeWork",
            "url": _iri(row.article.url),
            **({"headline": row.article.title} if row.article.title else {}),
        },
    }
    if row.speaker:
        claim["author"] = {"@type": "Person", "name": row.speaker}
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": row.quote,
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": finding.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": _review_words(row),
        },
        "datePublished": row.checked_at[:10],
        "author": {"@type": "Organization", "name": PUBLISHER},
    }
    if evidence := _evidence_url(row):
        review["url"] = evidence
    if body := _review_body(row):
        review["reviewBody"] = body
    return review


def render_claimreview(rows: list[ReportRow]) -> str:
    """One JSON-LD document: a ``@graph`` of ClaimReview nodes, one per checked quotation."""
    graph = [review for row in ordered(rows) if (review := claim_review(row)) is not None]
    return json.dumps({"@context": SCHEMA_CONTEXT, "@graph": graph}, ensure_ascii=False, indent=2)


CSV_COLUMNS = (
    "article_url",
    "article_title",
    "quote",
    "speaker",
    "outlet",
    "cited_url",
    "finding",
    "status",
    "words_in_place",
    "what_changed",
    "reason",
    "detail",
    "evidence_url",
    "checked_at",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """The cell as text, with a leading apostrophe if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(row: ReportRow) -> dict[str, str]:
    from crawler.reporting.table import in_place, what_changed_cell

    values = {
        "article_url": row.article.url,
        "article_title": row.article.title,
        "quote": row.quote,
        "speaker": row.speaker,
        "outlet": row.outlet,
        "cited_url": row.cited_url,
        "finding": primary(row).code,
        "status": row.status,
        "words_in_place": in_place(row, "{:.0f}"),
        "what_changed": what_changed_cell(row),
        "reason": row.reason,
        "detail": row.unavailable_detail,
        "evidence_url": _evidence_url(row),
        "checked_at": row.checked_at,
    }
    return {key: spreadsheet_safe(value) for key, value in values.items()}


def render_csv(rows: list[ReportRow]) -> str:
    """One row per quotation, problems first (the csv module does the quoting)."""

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in ordered(rows):
        writer.writerow(csv_row(row))
    return out.getvalue()
