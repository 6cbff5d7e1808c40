"""The HTML report's archive parts: where archived evidence came from, and an edited
source shown "as cited" (the capture) beside "as now" (the live page).

Kept apart from :mod:`crawler.reporting.html` so the archive's additions stay in one
place; everything shown goes through the same :func:`esc` and :func:`link`.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit

from crawler.reporting.rows import ReportRow

ARCHIVE_CSS = """
.edited{border:1px solid #f0b96c;border-radius:6px;padding:8px 12px;margin-top:12px}
.edited h3{font:700 14px/1.4 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;margin:0 0 6px}
.archived{font-style:normal}
"""


def _esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    if not url:
        return ""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_esc(url)}" rel="noopener noreferrer">{_esc(text or url)}</a>'
    return _esc(text or url)


def archive_evidence(row: ReportRow) -> str:
    """The evidence line for a verdict read in an archived copy ("" for a live one)."""
    source = row.evidence_from
    misses = row.archive_misses()
    if misses and not row.archived:
        miss = misses[0]
        detail = f" ({_esc(miss['detail'])})" if miss.get("detail") else ""
        return (
            f'<p class="evidence archived">The live page could not be read '
            f"({_esc(row.reason)}), and the archive had no usable copy: "
            f"{_esc(miss.get('reason'))}{detail}</p>"
        )
    if source is None or not source.archived:
        return ""
    day = (source.captured_at or "")[:10] or "an unknown date"
    gone = ""
    if row.reason and row.status != "unavailable":
        gone = f"; the live page is gone ({_esc(row.reason)})"
    return (
        f'<p class="evidence archived">Evidence: the archived copy of {_esc(day)} '
        f"{_link(source.url)}{gone}</p>"
    )


def _marked(diff_text: str | None) -> str:
    """``[-as cited-]{+as now+}`` markers as <del>/<ins>, everything else escaped."""
    if not diff_text:
        return ""
    out, rest = [], diff_text
    while rest:
        starts = [(rest.find(m), m) for m in ("[-", "{+") if rest.find(m) >= 0]
        if not starts:
            out.append(_esc(rest))
            break
        at, mark = min(starts)
        end_mark = "-]" if mark == "[-" else "+}"
        end = rest.find(end_mark, at + 2)
        if end < 0:
            out.append(_esc(rest))
            break
        out.append(_esc(rest[:at]))
        tag = "del" if mark == "[-" else "ins"
        out.append(f"<{tag}>{_esc(rest[at + 2 : end])}</{tag}>")
        rest = rest[end + 2 :]
    return "".join(out)


def archive_sides(row: ReportRow) -> str:
    """For a source edited since citation: the captured passage beside the live one."""
    parts = []
    for finding in row.finding_details:
        if finding.get("code") != "source_edited_since_citation":
            continue
        day = (finding.get("captured_at") or "")[:10]
        now = finding.get("as_now")
        now_html = _esc(now) if now else '<span class="note">no longer on the page</span>'
        edit = ""
        if finding.get("diff_text"):
            edit = f'<p class="evidence">The edit: {_marked(finding["diff_text"])}</p>'
        parts.append(
            '<div class="edited"><h3>Source edited since citation: the writer quoted the '
            "page as it was</h3>"
            '<div class="sides">'
            f"<figure><figcaption>As cited (archived copy of {_esc(day)})</figcaption>"
            f"<blockquote>{_esc(finding.get('as_cited'))}</blockquote></figure>"
            f"<figure><figcaption>As now (live page)</figcaption>"
            f"<blockquote>{now_html}</blockquote></figure></div>"
            f"{edit}"
            f'<p class="evidence">Archived copy: {_link(finding.get("archive_url"))}</p></div>'
        )
    return "".join(parts)
