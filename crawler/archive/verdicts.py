"""Verdicts that use an archived copy: a gone source, ``--as-of``, and stealth edits.

The live page stays the first witness. The archive is read only when the live page
is gone (the verdict then rests on the copy, keeps the live reason and says so in
``evidence``), when the user asks for a date (``--as-of``), or when a quote that is
altered or not found on the live page may have been there when it was cited (the
finding ``source_edited_since_citation``: the writer quoted correctly, the source
changed since).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from crawler.archive.copies import ArchiveCopy, ArchiveMiss, ArchiveOutcome
from crawler.crawling.checking import verdict
from crawler.extraction.page import Page, Unreadable
from crawler.reporting.findings import finding_codes
from verify import QuoteError, Result, Status, check_quote

# Live reasons that mean the page is gone, not merely unreadable today: only these
# send the check to the archive (a paywall or a robots.txt refusal does not).
GONE_REASONS = frozenset({"http_404", "http_410", "dns", "redirect_home"})
EDITED = "source_edited_since_citation"
# A stored finding: the archive was asked, and had no usable copy (its reason kept).
ARCHIVE_MISS = "archive_miss"
_MISSES = (Status.ALTERED, Status.NOT_FOUND)


@dataclass
class Checked:
    """A verdict with where its evidence came from and what the archive showed."""

    result: Result
    evidence: dict[str, Any] | None = None  # {"kind": "archive", "url", "captured_at"}
    archive: dict[str, Any] | None = None  # the lookup's account, whenever one was made
    findings: list[dict[str, Any]] = field(default_factory=list)
    archived: bool = False  # the verdict rests on the archived copy
    page: Page | None = None  # that copy's page (the match offsets point into its text)

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict()
        if self.evidence is not None:
            out["evidence"] = self.evidence
        if self.archive is not None:
            out["archive"] = self.archive
        if self.findings:
            # ``findings`` holds codes (``misattributed``, ``source_edited_since_citation``),
            # ``finding_details`` what the archive showed for each (both texts, the edit).
            out["findings"] = finding_codes(out.get("findings", []), self.findings)
            out["finding_details"] = self.findings
        return out


def is_gone(outcome: Page | Unreadable) -> bool:
    return isinstance(outcome, Unreadable) and outcome.reason in GONE_REASONS


def needs_edit_check(result: Result) -> bool:
    return result.status in _MISSES


def check_as_of(quote: str, copy: ArchiveOutcome, speaker: str | None = None) -> Checked:
    """``--as-of``: the capture is the source; no capture is ``unavailable``."""
    if isinstance(copy, ArchiveCopy) and copy.page is not None:
        result = verdict(quote, copy.page, speaker)
        return Checked(result, copy.evidence(), copy.account(), archived=True, page=copy.page)
    return Checked(Result.unavailable(copy.reason or "no_capture"), archive=copy.account())


def check_gone(
    quote: str, live: Unreadable, copy: ArchiveOutcome | None, speaker: str | None = None
) -> Checked:
    """A gone source: the verdict on the capture, keeping the live reason."""
    if isinstance(copy, ArchiveCopy) and copy.page is not None:
        result = replace(verdict(quote, copy.page, speaker), reason=live.reason)
        return Checked(result, copy.evidence(), copy.account(), archived=True, page=copy.page)
    account = copy.account() if copy is not None else None
    return Checked(Result.unavailable(live.reason), archive=account)


def check_edit(quote: str, live: Page, live_result: Result, copy: ArchiveOutcome) -> Checked:
    """A miss on the live page, checked against the capture from the citing date."""
    checked = Checked(live_result, archive=copy.account())
    if not isinstance(copy, ArchiveCopy) or copy.page is None:
        return checked
    then = verdict(quote, copy.page)
    if then.status is Status.VERIFIED and then.match is not None:
        checked.findings.append(edited_finding(then, copy, live, live_result))
    return checked


def edited_finding(then: Result, copy: ArchiveCopy, live: Page, now: Result) -> dict[str, Any]:
    """Both texts and the word diff between the capture's passage and the live page."""
    assert then.match is not None
    as_cited = then.match.text
    finding: dict[str, Any] = {
        "code": EDITED,
        "text": (
            f"the quote was in the archived copy of {copy.day}; the source changed since "
            "it was cited"
        ),
        "archive_url": copy.url,
        "captured_at": copy.captured_at,
        "as_cited": as_cited,
        "as_now": now.match.text if now.match is not None else None,
        "diff": [],
        "diff_text": None,
    }
    try:
        # The captured passage, looked for on the live page: its changes are the edit.
        since = check_quote(as_cited, live.text, lambda: live.page_text)
    except QuoteError:
        return finding
    if since.match is not None and since.status is not Status.NOT_FOUND:
        finding["as_now"] = since.match.text
        finding["diff"] = [
            {"op": c.op, "as_cited": c.quote, "as_now": c.source, "flags": list(c.flags)}
            for c in since.changes
        ]
        searched = live.text if str(since.match.location) == "main_text" else live.page_text
        finding["diff_text"] = diff_text(searched, since)
    else:
        finding["as_now"] = None
        finding["diff_text"] = "the passage is no longer on the live page"
    return finding


def diff_text(text: str, since: Result) -> str:
    """The live passage in context with the edit marked: ``[-as cited-]{+as now+}``."""
    from crawler.reporting.placement import source_segments

    assert since.match is not None
    changes = [c.to_dict() for c in since.changes]
    parts: list[str] = []
    added = ""  # the live page's words, shown after the captured words they replaced
    for kind, segment in source_segments(text, since.match.start, since.match.end, changes):
        if kind == "source":  # on the live page, not in the capture: added since
            added = f" {{+{segment}+}} "
            continue
        if kind == "quote":  # in the capture, not on the live page: removed since
            parts.append(f" [-{segment}-] ")
        parts.append(added)
        added = ""
        if kind != "quote":
            parts.append(segment)
    parts.append(added)
    return " ".join("".join(parts).split())


def describe(checked: Checked) -> list[str]:
    """The lines the CLI adds for the archive: where the verdict came from, and edits."""
    lines = []
    result, account = checked.result, checked.archive or {}
    if checked.archived and checked.evidence is not None:
        day = str(checked.evidence["captured_at"])[:10]
        verb = {
            Status.VERIFIED: "verified",
            Status.ALTERED: "altered",
            Status.NOT_FOUND: "not found",
        }.get(result.status, str(result.status))
        line = f"{verb} in the archived copy of {day}"
        if result.reason in GONE_REASONS:
            line += f"; the live page is gone ({result.reason})"
        lines.append(line)
        lines.append(f"archived copy: {checked.evidence['url']}")
    elif account.get("reason"):
        where = (
            f"the archived copy of {str(account['captured_at'])[:10]}"
            if account.get("captured_at")
            else "the archive"
        )
        gone = f"the live page is gone ({result.reason}); " if result.reason in GONE_REASONS else ""
        lines.append(f"{gone}{where}: {account['reason']} ({account.get('detail') or ''})")
    for finding in checked.findings:
        if finding["code"] == EDITED:
            lines.append(f"source edited since citation: {finding['text']}")
            lines.append(f"  as cited: {finding['as_cited']}")
            lines.append(f"  as now:   {finding['as_now'] or '(no longer on the page)'}")
            if finding.get("diff_text"):
                lines.append(f"  edit:     {finding['diff_text']}")
    return lines


__all__ = ["ArchiveMiss", "Checked", "check_as_of", "check_edit", "check_gone", "describe"]
