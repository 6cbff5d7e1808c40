"""The HTML report: one self-contained page (no scripts, no external assets).

Problems come first (the order of crawler/reporting/findings.py), one section per
finding, with the quotes that cite no source folded into one list at the end; the
filters by verdict, outlet and article are CSS only (crawler/reporting/filters.py),
so the page works as well with scripts off, which its CSP enforces anyway.

Everything from an article or a source is untrusted and goes through :func:`esc`;
links are made only for http(s) URLs (a ``javascript:`` URL is shown as text). The
page also carries a Content-Security-Policy that forbids scripts, as a second wall.
Written with the standard library rather than a template engine: the page is small,
and one escaping function that every value passes through is easy to audit.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from crawler.reporting.archive_html import ARCHIVE_CSS, archive_evidence, archive_sides
from crawler.reporting.filters import Filters
from crawler.reporting.findings import FINDINGS, RANK, notes, ordered, primary
from crawler.reporting.report import misattribution_text, summary
from crawler.reporting.rows import ReportRow
from crawler.reporting.table import in_place
from crawler.storage.history import (
    EDITED_SINCE_CITATION,
    SOURCE_EDITED,
    SOURCE_GONE,
    VERDICT_CHANGED,
)
from verify import MISATTRIBUTED

ALERTS = {SOURCE_EDITED, SOURCE_GONE, VERDICT_CHANGED, EDITED_SINCE_CITATION}

# Derived from the one table of findings (crawler/reporting/findings.py).
LABELS = {f.code: f.label for f in FINDINGS if f.role == "verdict"}
COLOURS = {f.code: f.colour for f in FINDINGS}
MEANINGS = {f.code: f.meaning for f in FINDINGS}

SCORE_MEANING = "the share of the quote's words found in place in the source"

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 Georgia,'DejaVu Serif',serif;color:#1f2328;background:#f6f5f1}
header,main{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:28px}
h1{font:700 30px/1.2 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;margin:0 0 6px}
h2{font:700 21px/1.3 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;margin:36px 0 4px}
.meta,.article-url,.facts,.evidence,figcaption,.legend,.changes{
  font-family:'Helvetica Neue',Arial,'DejaVu Sans',sans-serif}
.meta{color:#57606a;margin:0 0 18px}
.summary{display:flex;gap:32px;flex-wrap:wrap;align-items:center;background:#fff;
  border:1px solid #d0d7de;border-radius:8px;padding:16px 20px}
.legend{margin:0;padding:0;list-style:none;font-size:14px;color:#57606a;max-width:520px}
.legend li{margin:2px 0}
.article-url{font-size:14px;color:#57606a;overflow-wrap:anywhere;margin:0 0 12px}
.card{background:#fff;border:1px solid #d0d7de;border-left:6px solid var(--c);
  border-radius:8px;padding:16px 20px;margin:14px 0}
.facts{display:flex;flex-wrap:wrap;gap:4px 20px;align-items:center;font-size:14px;
  color:#57606a}
.badge{color:#fff;background:var(--c);border-radius:999px;padding:2px 12px;
  font-weight:700;font-size:13px;letter-spacing:.02em;text-transform:uppercase}
.badge.misattributed{background:#c62828}
.alert.misattributed{background:#ffebe9;border-color:#ff8182;color:#82071e}
.alert,.info{font:600 14px/1.4 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;
  background:#fff4e5;border:1px solid #f0b96c;color:#7a4100;border-radius:6px;
  padding:6px 10px;margin:10px 0 0}
.info{font-weight:400;background:#ddf4ff;border-color:#8cc8f0;color:#0a3069}
.summary svg{max-width:100%;height:auto}
.sides{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;margin-top:12px}
@media (max-width:760px){.sides{grid-template-columns:minmax(0,1fr)}}
figure{margin:0}
figcaption{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;
  color:#57606a;margin-bottom:4px}
blockquote{margin:0;padding:10px 14px;background:#f6f8fa;border-radius:6px;
  white-space:pre-wrap;overflow-wrap:anywhere}
.context{color:#6e7781}
.equal{background:#dafbe1}
del{background:#ffd7d5;color:#82071e;text-decoration:line-through}
ins{background:#fff1b8;color:#5c3c00;text-decoration:none;border-bottom:2px solid #d4a72c;
  margin-left:3px}
mark{background:#fff1b8;color:#5c3c00;border-bottom:2px solid #d4a72c}
del.omitted{background:none;color:#8c959f;text-decoration:line-through}
.omitted-label{color:#8c959f;font-style:italic;font-size:12px;margin:0 3px}
.note{font-style:italic;color:#57606a}
.changes{font-size:14px;margin:10px 0 0;padding-left:20px}
.flag{font-weight:700;color:#c62828}
.evidence{font-size:13px;color:#57606a;margin:10px 0 0;word-break:break-all}
a{color:#0969da}
.since{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:4px 20px 10px;
  margin-top:14px;font-family:'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;font-size:14px}
.since h2{font-size:16px;margin:10px 0 4px}
.since ul{margin:0;padding-left:20px}
.bar{max-width:1100px;margin:0 auto;padding:0 24px}
.dot{display:inline-block;width:12px;height:12px;border-radius:50%;background:var(--c);
  margin-right:8px}
.nosource summary{cursor:pointer}
.nosource summary h2{display:inline;font-size:18px}
.nosource ul{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 20px 10px 36px}
.nosource li{margin:4px 0}
.card .article-url{margin:8px 0 0}
footer{max-width:1100px;margin:30px auto;padding:0 24px;color:#8c959f;font:13px sans-serif}
"""


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def link(url: str | None, text: str | None = None) -> str:
    """An <a> for an http(s) URL; any other URL (a file path, javascript:) as plain text."""
    if not url:
        return ""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text or url)}</a>'
    return esc(text or url)


def chart(counts: dict[str, int]) -> str:
    """Horizontal bars of verdict counts, as inline SVG (with a text title for readers)."""
    shown = [(status, n) for status, n in counts.items() if n]
    if not shown:
        return '<p class="note">No quotes stored yet.</p>'
    biggest = max(n for _, n in shown)
    row_h, label_w, bar_w = 30, 150, 300
    height = row_h * len(shown)
    parts = [
        f'<svg role="img" width="{label_w + bar_w + 50}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 50} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Helvetica Neue, Arial, DejaVu Sans, sans-serif" font-size="14">',
        "<title>" + esc(", ".join(f"{n} {LABELS[s].lower()}" for s, n in shown)) + "</title>",
    ]
    for i, (status, n) in enumerate(shown):
        y = i * row_h
        w = max(3, round(bar_w * n / biggest))
        parts.append(
            f'<text x="{label_w - 10}" y="{y + 20}" text-anchor="end" fill="#1f2328">'
            f"{esc(LABELS[status])}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{row_h - 10}" rx="3" '
            f'fill="{COLOURS[status]}"/>'
            f'<text x="{label_w + w + 8}" y="{y + 20}" font-weight="700" fill="#1f2328">'
            f"{n}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _segments_html(segments: list[list[str]], quote_side: bool = False) -> str:
    # On the quote's side only the changed words are marked; on the source's side the
    # matched passage is tinted so that it stands out from its context.
    equal = "span" if quote_side else "span class=equal"
    tags = {"context": "span class=context", "equal": equal, "changed": "mark"}
    out = []
    for kind, text in segments:
        if kind == "omitted":
            # Words an ellipsis left out: struck and dimmed, never shown as matching.
            out.append(
                f'<del class="omitted" title="left out by the quote\'s ellipsis">'
                f'{esc(text)}</del><span class="omitted-label">…omitted</span>'
            )
        elif kind == "moved":
            out.append(
                f'<mark class="moved" title="in the source, in another order">{esc(text)}</mark>'
            )
        elif kind == "source":
            out.append(f'<del title="in the source, not in the quote">{esc(text)}</del>')
        elif kind == "quote":
            out.append(f'<ins title="in the quote, not in the source">{esc(text)}</ins>')
        else:
            tag = tags.get(kind, "span")
            out.append(f"<{tag}>{esc(text)}</{tag.split()[0]}>")
    return "".join(out)


def _source_side(row: ReportRow) -> str:
    status = row.status
    if row.evidence:
        on_page = row.match is not None and row.match.location == "page"
        caption = f"The source says ({'full page text' if on_page else 'article'})"
        body = _segments_html(row.evidence)
        return f"<figcaption>{esc(caption)}</figcaption><blockquote>{body}</blockquote>"
    if status == "unavailable":
        detail = row.unavailable_detail
        text = f"Could not be read: {row.reason or 'unknown reason'}"
        text += f" ({detail})" if detail else ""
    elif status == "not_found":
        text = "The source was read; nothing in it matches this quote."
        if row.elsewhere is not None:
            text += f" Elsewhere: {row.elsewhere.describe()}."
        if row.reason:  # e.g. the words appear only as a link to another page
            text += f" Note: {row.reason}."
    elif status == "no_source":
        text = "The article gives no link for this quote"
        text += f" (it names {row.outlet})." if row.outlet else "."
        if row.search:
            text += f" A search found none: {row.search.get('summary')}."
    elif status == "pending":
        text = "Not checked yet."
    else:
        text = "The source's text is not stored."
    return f'<figcaption>The source</figcaption><blockquote class="note">{esc(text)}</blockquote>'


def _change_list(row: ReportRow) -> str:
    """Every change as a line; the only rendering for changes the engine could not place."""
    if not row.changes:
        return ""
    items = []
    for change in row.changes:
        flags = "".join(f' <span class="flag">{esc(f)}</span>' for f in change.get("flags", []))
        source, quote = change.get("source") or "", change.get("quote") or ""
        if change.get("op") == "omit":
            text = f"the quote’s ellipsis leaves out “{esc(source)}”"
        elif change.get("op") == "move":
            text = f"“{esc(quote)}” stands elsewhere in the source: the order is changed"
        elif change.get("op") == "insert":
            text = f"the quote adds “{esc(quote)}”"
        elif change.get("op") == "delete":
            text = f"the quote leaves out “{esc(source)}”"
        else:
            text = f"the source says “{esc(source)}”, the quote “{esc(quote)}”"
        items.append(f"<li>{text}{flags}</li>")
    return f'<ul class="changes">{"".join(items)}</ul>'


def _card(row: ReportRow, filters: Filters) -> str:
    finding = primary(row)
    facts = [f'<span class="badge">{esc(finding.label)}</span>']
    facts += [
        f'<span class="badge note-badge" style="--c:{n.colour}">{esc(n.label)}</span>'
        for n in notes(row)
    ]
    misattributed = ""
    found = row.attribution
    if MISATTRIBUTED in row.findings:
        # The words are right, the speaker is not: say who the source says spoke them.
        said = f" ({found.evidence})" if found is not None and found.evidence else ""
        misattributed = f'<p class="alert misattributed">{esc(misattribution_text(row) + said)}</p>'
    elif found is not None and found.source_speaker and not row.speaker:
        facts.append(f"the source says <b>{esc(found.source_speaker)}</b>")
    if words := in_place(row, "{:.0f}% of the quote's words in place"):
        facts.append(f'<span title="{esc(SCORE_MEANING)}">{esc(words)}</span>')
    if row.speaker:
        facts.append(f"said by <b>{esc(row.speaker)}</b>")
    if row.outlet:
        facts.append(f"cited outlet: {esc(row.outlet)}")
    if row.found_by not in (None, "link"):
        facts.append(f"found by {esc(row.found_by)}; the article does not link it")
    if row.checked_at:
        facts.append(f"checked {esc(row.checked_at[:16].replace('T', ' '))} UTC")
    if row.previous:
        prev = row.previous
        facts.append(f"before: {esc(LABELS.get(prev.status, prev.status).lower())}")
    alert = ""
    if row.what_changed_text:
        # A changed verdict is news; a changed text under the same verdict is a note.
        kind = "alert" if set(row.what_changed) & ALERTS else "info"
        alert = f'<p class="{kind}">{esc("; ".join(row.what_changed_text))}</p>'
    quote = f"<blockquote>{_segments_html(row.quote_segments, quote_side=True)}</blockquote>"
    evidence = ""
    if row.source_url:
        snap = row.snapshot
        final = (snap.final_url if snap is not None else None) or row.source_url
        fetched = ""
        if snap is not None and snap.fetched_at:
            fetched = f", fetched {esc(snap.fetched_at[:16].replace('T', ' '))} UTC"
        code = f", HTTP {esc(snap.status_code)}" if snap is not None and snap.status_code else ""
        evidence = f'<p class="evidence">Evidence: {link(final)}{fetched}{code}</p>'
        evidence = archive_evidence(row) or evidence
    article = row.article
    cited_in = f'<p class="article-url">In {link(article.url, article.title or article.url)}</p>'
    return (
        f'<article class="card {filters.classes(row)}" id="q-{int(row.quote_id)}" '
        f'style="--c:{finding.colour}">'
        f'<div class="facts">{"".join(f"<span>{fact}</span>" for fact in facts)}</div>'
        f"{misattributed}{alert}"
        f"{cited_in}"
        f'<div class="sides"><figure><figcaption>The article quotes</figcaption>{quote}</figure>'
        f"<figure>{_source_side(row)}</figure></div>"
        f"{archive_sides(row)}{_change_list(row)}{evidence}</article>"
    )


def _since_last_check(rows: list[ReportRow]) -> str:
    """A list, at the top, of the quotes whose verdict or source changed: the news."""
    # Changed verdicts first: a source edited or gone is the news; a text change under
    # the same verdict follows.
    changed = sorted(
        (row for row in rows if row.what_changed),
        key=lambda row: not set(row.what_changed) & ALERTS,
    )
    if not changed:
        return ""
    items = []
    for row in changed:
        quote = row.quote if len(row.quote) <= 90 else row.quote[:89] + "…"
        what = "; ".join(row.what_changed_text)
        items.append(f'<li><a href="#q-{int(row.quote_id)}">“{esc(quote)}”</a>: {esc(what)}</li>')
    return (
        f'<div class="since"><h2>Changed since the last check ({len(changed)})</h2>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def _no_source_list(rows: list[ReportRow], filters: Filters) -> str:
    """The quotes with no cited source, folded: nothing can be checked, so they wait last."""
    if not rows:
        return ""
    items = []
    for row in rows:
        who = f' <span class="note">({esc(row.speaker)})</span>' if row.speaker else ""
        named = f' <span class="note">names {esc(row.outlet)}</span>' if row.outlet else ""
        # What was searched, so that no_source never reads as "nobody looked" (issue 10).
        search = row.search or {}
        searched = (
            f'<br><span class="note">A search found none: {esc(search["summary"])}.</span>'
            if search.get("summary")
            else ""
        )
        items.append(
            f'<li class="{filters.classes(row)}" id="q-{int(row.quote_id)}">'
            f"“{esc(row.quote)}”{who}{named}{searched}</li>"
        )
    return (
        f'<section class="group g-no_source"><details class="nosource">'
        f"<summary><h2>No source cited ({len(rows)})</h2> "
        f'<span class="note">{esc(MEANINGS["no_source"])} Nothing to check against.</span>'
        f"</summary><ul>{''.join(items)}</ul></details></section>"
    )


def _groups(rows: list[ReportRow], filters: Filters) -> str:
    """One section per finding, problems first; the unsourced quotes folded at the end."""
    sections = []
    by_finding: OrderedDict[str, list[ReportRow]] = OrderedDict()
    for row in ordered(rows):
        by_finding.setdefault(primary(row).code, []).append(row)
    for code, items in by_finding.items():
        if code == "no_source":
            continue
        finding = primary(items[0])
        sections.append(
            f'<section class="group g-{esc(code)}">'
            f'<h2><span class="dot" style="--c:{finding.colour}"></span>'
            f"{esc(finding.label)} ({len(items)})</h2>"
            + "".join(_card(row, filters) for row in items)
            + "</section>"
        )
    sections.append(_no_source_list(by_finding.get("no_source", []), filters))
    return "".join(sections)


def render_html(rows: list[ReportRow], generated_at: datetime) -> str:
    """The whole report page."""
    counts = dict(sorted(summary(rows).items(), key=lambda kv: RANK.get(kv[0], 99)))
    articles = {row.article.url for row in rows}
    legend = "".join(
        f'<li><b style="color:{COLOURS[s]}">{esc(LABELS[s])}</b>: {esc(MEANINGS[s])}</li>'
        for s, n in counts.items()
        if n
    )
    filters = Filters(rows)
    problems = sum(1 for row in rows if primary(row).needs_person)
    headline = (
        f"{problems} of {len(rows)} quote(s) need a person's look"
        if problems
        else f"No quote of {len(rows)} needs a person's look"
    )
    when = generated_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        "<title>Quote check report · sourcecheck</title>"
        f"<style>{CSS}{ARCHIVE_CSS}{filters.css()}</style></head><body>"
        "<header><h1>Do the quotes match their sources?</h1>"
        f'<p class="meta"><b>{esc(headline)}</b> · {len(rows)} quote(s) from '
        f"{len(articles)} article(s) · report generated {esc(when)}</p>"
        f'<div class="summary">{chart(counts)}<ul class="legend">{legend}'
        f"<li><b>Words in place</b>: {esc(SCORE_MEANING)}.</li></ul></div>"
        f"{_since_last_check(rows)}</header>"
        f'{filters.inputs()}<div class="bar">{filters.bar()}</div>'
        f"<main>{_groups(rows, filters)}</main>"
        "<footer>Made by sourcecheck. Highlighted in the source: "
        "<del>struck out</del> words the quote changed or left out, "
        "<ins>underlined</ins> the quote's words instead.</footer>"
        "</body></html>\n"
    )
