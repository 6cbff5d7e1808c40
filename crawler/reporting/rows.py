"""The report's rows: one typed row per stored quote, and the parts it is made of.

:func:`crawler.reporting.report.build_report` makes them from the stored history;
the table, the JSON document, the HTML page and the exports read them. A row's
:meth:`ReportRow.to_dict` is the contract of ``report --json`` (docs/design.md, "A
result"): its keys, their order and which of them appear only sometimes are kept
exactly, so the JSON a user's scripts read does not change with the types.

What a verdict stored as JSON (its ``changes``, the archive's ``finding_details``, a
search's record) stays the stored dicts: the JSON output repeats them as stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from verify import Attribution

if TYPE_CHECKING:
    from crawler.storage.search import Elsewhere


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The citing article a quote is from."""

    url: str
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title}


@dataclass(frozen=True, slots=True)
class StoredMatch:
    """Where the stored verdict placed the quote: offsets into the stored text that
    ``location`` names (``main_text`` or ``page``)."""

    text: str | None
    start: int
    end: int
    location: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "location": self.location}


@dataclass(frozen=True, slots=True)
class SnapshotFacts:
    """What the fetch of the source the verdict rests on said."""

    final_url: str | None
    status_code: int | None
    fetched_at: str | None
    title: str | None
    content_hash: str | None
    unavailable_detail: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "final_url": self.final_url,
            "status_code": self.status_code,
            "fetched_at": self.fetched_at,
            "title": self.title,
            "content_hash": self.content_hash,
            "unavailable_detail": self.unavailable_detail,
        }


@dataclass(frozen=True, slots=True)
class EvidenceFrom:
    """Where a verdict's text came from: the live page (``kind`` ``live``), or an
    archived capture (``archive``, with the day it was captured)."""

    kind: str
    url: str | None
    captured_at: str | None = None

    @property
    def archived(self) -> bool:
        return self.kind == "archive"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "url": self.url}
        if self.archived:
            out["captured_at"] = self.captured_at
        return out


@dataclass(frozen=True, slots=True)
class Previous:
    """The verdict before the latest one."""

    status: str
    score: float
    checked_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "score": self.score, "checked_at": self.checked_at}


@dataclass(slots=True)
class ReportRow:
    """One stored quote: what it is, its latest verdict with evidence, what changed.

    ``checked`` says a verdict is stored (then the JSON carries ``matcher_version``);
    ``evidence`` and ``quote_segments`` are ``[kind, text]`` pairs
    (crawler/reporting/placement.py). ``elsewhere`` is set for ``not_found`` rows,
    ``search`` and ``found_by`` by the discovery (crawler/discovery/job.py).
    """

    quote_id: int
    article: ArticleRef
    position: int
    quote: str
    kind: str
    speaker: str | None
    outlet: str | None
    cited_url: str | None
    cited_title: str | None
    source_url: str | None
    status: str
    score: float | None = None
    checked_at: str | None = None
    reason: str | None = None
    match: StoredMatch | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    what_changed: list[str] = field(default_factory=list)
    what_changed_text: list[str] = field(default_factory=list)
    previous: Previous | None = None
    evidence: list[list[str]] | None = None
    evidence_from: EvidenceFrom | None = None
    quote_segments: list[list[str]] = field(default_factory=list)
    attribution: Attribution | None = None
    findings: list[str] = field(default_factory=list)  # misattributed, ...
    finding_details: list[dict[str, Any]] = field(default_factory=list)  # the archive's
    checked: bool = False
    matcher_version: str | None = None
    snapshot: SnapshotFacts | None = None
    elsewhere: Elsewhere | None = None
    search: dict[str, Any] | None = None
    found_by: str | None = None

    @property
    def unavailable_detail(self) -> str | None:
        return self.snapshot.unavailable_detail if self.snapshot is not None else None

    @property
    def archived(self) -> bool:
        """The verdict rests on an archived capture, not the live page."""
        return self.evidence_from is not None and self.evidence_from.archived

    def archive_misses(self) -> list[dict[str, Any]]:
        """The archive's accounts of a capture it did not have (``archive_miss``)."""
        return [f for f in self.finding_details if f.get("code") == "archive_miss"]

    def to_dict(self) -> dict[str, Any]:
        """The row as ``report --json`` gives it."""
        out: dict[str, Any] = {
            "quote_id": self.quote_id,
            "article": self.article.to_dict(),
            "position": self.position,
            "quote": self.quote,
            "kind": self.kind,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "cited_url": self.cited_url,
            "cited_title": self.cited_title,
            "source_url": self.source_url,
            "status": self.status,
            "score": self.score,
            "checked_at": self.checked_at,
            "reason": self.reason,
            "match": self.match.to_dict() if self.match is not None else None,
            "changes": self.changes,
            "what_changed": self.what_changed,
            "what_changed_text": self.what_changed_text,
            "previous": self.previous.to_dict() if self.previous is not None else None,
            "evidence": self.evidence,
            "evidence_from": self.evidence_from.to_dict() if self.evidence_from else None,
            "quote_segments": self.quote_segments,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "findings": self.findings,
            "finding_details": self.finding_details,
        }
        if self.checked:
            out["matcher_version"] = self.matcher_version
        if self.snapshot is not None:
            out["snapshot"] = self.snapshot.to_dict()
        if self.elsewhere is not None:
            out["elsewhere"] = self.elsewhere.to_dict()
        out["search"] = self.search
        out["found_by"] = self.found_by
        return out
