"""What each finding is called, where it goes, and how it is rated: one table.

Every output (the terminal table, the HTML page, the ClaimReview and CSV exports)
reads :data:`FINDINGS`, so a new finding (a new verdict such as ``misattributed``, a
cause such as ``source_edited_since_citation``, a note such as ``found_by_search``)
plugs in by one entry here. A report row names its findings by code: its ``status``,
its ``what_changed`` codes, and any codes a check adds to ``row.findings``.

Roles:
- ``verdict``: a status; the row's place and badge unless a cause explains it.
- ``cause``: why a verdict is what it is (the source was edited after the quote was
  verified); it takes the badge and the place, so a writer is not accused of altering
  a quote the source changed later.
- ``note``: an extra badge (where the evidence came from); it never moves a row.

The entries are in the order a person should read them: problems first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.reporting.rows import ReportRow

# ClaimReview's numeric scale (documented in README.md "Exports").
BEST_RATING = 5
WORST_RATING = 1


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    role: str  # verdict | cause | note
    label: str  # the badge
    colour: str
    meaning: str  # the legend's sentence
    review: str = ""  # ClaimReview reviewRating.alternateName ("" = not a review)
    rating: int | None = None  # ClaimReview ratingValue, WORST_RATING..BEST_RATING
    needs_person: bool = False  # counted among the problems in summaries


FINDINGS: tuple[Finding, ...] = (
    Finding(
        "altered",
        "verdict",
        "Altered",
        "#b35900",
        "A passage of the source matches closely, but words differ.",
        "Altered quote",
        2,
        True,
    ),
    Finding(
        "misattributed",
        "verdict",
        "Misattributed",
        "#a40e26",
        "The words are in the source, but said by somebody else.",
        "Misattributed quote",
        2,
        True,
    ),
    Finding(
        "source_edited",
        "cause",
        "Source edited",
        "#9a6700",
        "The quote was verified before; the source's text has changed since.",
        "Source edited since the quote was checked",
        3,
        True,
    ),
    Finding(
        "source_edited_since_citation",
        "cause",
        "Source edited",
        "#9a6700",
        "The source was edited after the article cited it; an older copy was compared.",
        "Source edited since it was cited",
        3,
        True,
    ),
    Finding(
        "not_found",
        "verdict",
        "Not found",
        "#c62828",
        "The source was read and nothing in it matches the quote.",
        "Not found in the cited source",
        1,
        True,
    ),
    Finding(
        "unavailable",
        "verdict",
        "Source unavailable",
        "#6f42c1",
        "The source could not be read, so nothing can be said about the quote.",
        "Source unavailable",
        3,
        True,
    ),
    Finding(
        "pending",
        "verdict",
        "Not checked yet",
        "#6e7781",
        "The quote has a source that has not been checked yet.",
    ),
    Finding(
        "verified",
        "verdict",
        "Verified",
        "#1a7f37",
        "The quote is in the source, word for word (allowing typography, "
        "ellipses and bracketed insertions).",
        "Accurate quote",
        5,
    ),
    Finding(
        "no_source",
        "verdict",
        "No source cited",
        "#8c959f",
        "The article gives no link for this quote.",
    ),
    Finding(
        "found_by_search",
        "note",
        "Source found by search",
        "#0969da",
        "The article gave no link; the source was found by searching the outlet.",
    ),
    Finding(
        "archived_copy",
        "note",
        "Archived copy",
        "#0969da",
        "The live page could not be read; an archived copy was compared.",
    ),
)

BY_CODE = {f.code: f for f in FINDINGS}
RANK = {f.code: i for i, f in enumerate(FINDINGS)}
UNKNOWN_RANK = RANK["pending"]  # a status this table does not know yet: among the problems


def codes_of(row: ReportRow) -> list[str]:
    """Every finding code a report row carries, the status first."""
    codes = [row.status, *row.what_changed, *row.findings]
    found_by = row.found_by
    if found_by and found_by not in ("link", "cited"):  # issue 10: how the source was found
        codes.append("found_by_search")
    return list(dict.fromkeys(codes))


def primary(row: ReportRow) -> Finding:
    """The finding that decides a row's badge and place: a cause, else its verdict."""
    codes = codes_of(row)
    for code in codes:
        finding = BY_CODE.get(code)
        if finding is not None and finding.role == "cause":
            return finding
    # A check's own finding that ranks above the word verdict (a verified quote the
    # source puts in someone else's mouth) is what the reader must see first.
    for code in row.findings:
        finding = BY_CODE.get(code)
        if (
            finding is not None
            and finding.role == "verdict"
            and RANK[code] < RANK.get(row.status, UNKNOWN_RANK)
        ):
            return finding
    status = row.status
    return BY_CODE.get(status) or Finding(
        status, "verdict", status.replace("_", " "), "#6e7781", ""
    )


def notes(row: ReportRow) -> list[Finding]:
    """The extra badges of a row (where its evidence came from)."""
    return [BY_CODE[c] for c in codes_of(row) if c in BY_CODE and BY_CODE[c].role == "note"]


def rank(row: ReportRow) -> int:
    return RANK.get(primary(row).code, UNKNOWN_RANK)


def ordered(rows: list[ReportRow]) -> list[ReportRow]:
    """Problems first, in the table's order; within a finding, as stored (stable)."""
    return sorted(rows, key=rank)


def _words(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def describe_change(change: dict[str, Any]) -> str:
    """One change in words: "the source says 'helping', the quote 'letting'"."""
    source, quote = _words(change.get("source") or ""), _words(change.get("quote") or "")
    flags = change.get("flags") or []
    tail = f" ({', '.join(flags)})" if flags else ""
    if change.get("op") == "omit":  # issue 9: an ellipsis standing for words
        return f"the ellipsis leaves out '{source}'{tail}"
    if change.get("op") == "move":
        return f"'{quote or source}' stands elsewhere in the source{tail}"
    if change.get("op") == "insert" or not source:
        return f"the quote adds '{quote}'{tail}"
    if change.get("op") == "delete" or not quote:
        return f"the quote leaves out '{source}'{tail}"
    return f"the source says '{source}', the quote '{quote}'{tail}"


def altered_review(changes: list[dict[str, Any]]) -> str:
    """ "Altered quote: number changed" (the meaning-changing flags, else words)."""
    flags = list(dict.fromkeys(f for c in changes for f in c.get("flags", [])))
    what = " and ".join(flags) if flags else "words"
    return f"Altered quote: {what} changed"


def finding_codes(codes: list[str], details: list[dict[str, Any]]) -> list[str]:
    """The codes of a verdict's findings: its own, then those of the details the archive
    gave (issue 11). A missing capture (``archive_miss``) is no finding about the quote:
    it stays in the details."""
    more = [d["code"] for d in details if d.get("code") not in (None, "archive_miss")]
    return list(dict.fromkeys([*codes, *more]))
