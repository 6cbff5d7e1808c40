"""Reports: rows, the table, JSON, and an HTML page that escapes untrusted text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.cli import main
from crawler.reporting.html import link, render_html
from crawler.reporting.placement import quote_segments, source_segments
from crawler.reporting.report import build_report, render_json
from crawler.reporting.rows import ReportRow
from crawler.reporting.table import render_table
from crawler.storage.models import Quote, Source
from crawler.storage.store import add_article, matcher_version, record_source_check
from tests.support import storage_data as data

NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)
EDITED = "Officials declined to say when the troops would move"
TEXTS = [q.text for q in data.QUOTES]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return data.report_db(tmp_path / "report.db")


@pytest.fixture
def rows(db_path: Path) -> list[ReportRow]:
    return data.report_rows(db_path)


def by_quote(rows: list[ReportRow]) -> dict[str, ReportRow]:
    return {row.quote: row for row in rows}


def test_rows_carry_verdict_evidence_and_changes(rows: list[ReportRow]) -> None:
    assert [r.status for r in rows] == [
        "verified",
        "altered",
        "no_source",
        "not_found",
        "unavailable",
    ]
    altered = by_quote(rows)[data.QUOTES[1].text]
    # The evidence is the source's own words, split at the changed number.
    assert altered.evidence is not None and altered.match is not None
    evidence = [tuple(s) for s in altered.evidence]
    assert ("source", "3,000") in evidence and ("quote", "5,000") in evidence
    assert "".join(t for k, t in evidence if k in ("equal", "source")) == altered.match.text
    assert [tuple(s) for s in altered.quote_segments][1] == ("changed", "5,000")
    edited = by_quote(rows)["Officials declined to say when the troops would move"]
    assert edited.what_changed == ["source_edited", "content_changed"]
    assert edited.previous is not None and edited.previous.status == "verified"
    gone = by_quote(rows)[data.SCRIPT_QUOTE]
    assert (gone.what_changed, gone.reason) == (["source_gone"], "http_404")
    assert gone.snapshot is not None and gone.snapshot.status_code == 404
    no_source = by_quote(rows)[data.QUOTES[2].text]
    assert no_source.checked_at is None and no_source.source_url is None


# ``report --json``'s row, key for key and in order: scripts read it (docs/design.md).
ROW_KEYS = [
    *("quote_id", "article", "position", "quote", "kind", "speaker", "outlet", "cited_url"),
    *("cited_title", "source_url", "status", "score", "checked_at", "reason", "match"),
    *("changes", "what_changed", "what_changed_text", "previous", "evidence", "evidence_from"),
    *("quote_segments", "attribution", "findings", "finding_details"),
]


def test_json_rows_keep_their_keys_in_order(rows: list[ReportRow]) -> None:
    keys = {row.status: list(row.to_dict()) for row in rows}
    checked = [*ROW_KEYS, "matcher_version", "snapshot", "search", "found_by"]
    assert keys["verified"] == keys["altered"] == keys["unavailable"] == checked
    found_elsewhere = ["matcher_version", "snapshot", "elsewhere", "search", "found_by"]
    assert keys["not_found"] == [*ROW_KEYS, *found_elsewhere]
    assert keys["no_source"] == [*ROW_KEYS, "search", "found_by"]
    doc = json.loads(render_json(rows, NOW))
    assert [list(q) for q in doc["quotes"]] == [list(row.to_dict()) for row in rows]
    live = next(q for q in doc["quotes"] if q["status"] == "verified")["evidence_from"]
    assert list(live) == ["kind", "url"]  # captured_at only for an archived copy


def test_source_segments_skip_overlapping_changes() -> None:
    text = "one two three four five six"
    changes = [
        {"op": "replace", "quote": "2", "source": "two", "start": 4, "end": 7},
        {"op": "replace", "quote": "x", "source": "wo thr", "start": 5, "end": 13},  # overlaps
        {"op": "insert", "quote": "and", "source": "", "start": 14, "end": 14},
    ]
    segments = source_segments(text, 0, len(text), changes)
    assert segments == [
        ("equal", "one "),
        ("source", "two"),
        ("quote", "2"),
        ("equal", " three "),
        ("quote", "and"),
        ("equal", "four five six"),
    ]
    assert quote_segments("One 2 three AND four", changes) == [
        ("equal", "One "),
        ("changed", "2"),
        ("equal", " three "),
        ("changed", "AND"),
        ("equal", " four"),
    ]


def test_table_lists_every_quote_and_a_summary(rows: list[ReportRow]) -> None:
    table = render_table(rows, width=150)
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["quote", "speaker", "outlet", "verdict"]
    assert all(len(line) <= 150 for line in lines)
    # the quote with no source is folded into one list under the table
    # ... and a line saying where else the not_found quote's words appear
    assert len(lines) == 2 + (len(rows) - 1) + 3 + 3 + 1
    assert any(line.startswith("not_found “") for line in lines)
    wide = render_table(rows, width=240)
    assert "source edited; text changed" in wide
    assert "source gone; http_404: the server answered 404" in wide
    assert lines[-1] == "5 quote(s): 1 verified, 1 altered, 1 not_found, 1 unavailable, 1 no_source"


def test_html_escapes_everything_untrusted(rows: list[ReportRow]) -> None:
    page = render_html(rows, NOW)
    assert "<script" not in page.lower()  # the page has no script of its own either
    assert "&lt;script&gt;document.body.setAttribute(&#x27;data-pwned&#x27;" in page
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "Why quotes &lt;matter&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Self-contained: nothing is loaded from anywhere.
    assert re.findall(r"<[^>]*\bsrc=", page) == [] and "url(" not in page
    hrefs = set(re.findall(r'href="([^"]*)"', page))
    anchors = {h for h in hrefs if h.startswith("#")}
    assert hrefs - anchors == {
        data.ARTICLE_URL,
        data.BBC_URL,
        data.GUARDIAN_URL,
    }
    assert "<del" in page and ">3,000</del>" in page and ">5,000</ins>" in page
    # The quotes whose verdict or source changed are listed at the top, verdicts first.
    since = page[page.index("Changed since the last check (4)") : page.index("<main>")]
    order = [by_quote(rows)[q].quote_id for q in (EDITED, data.SCRIPT_QUOTE, *TEXTS[:2])]
    assert re.findall(r'<li><a href="#q-(\d+)">', since) == [str(i) for i in order]
    assert all(f'id="{a[1:]}"' in page for a in anchors) and len(anchors) == 4


def test_only_web_urls_become_links() -> None:
    assert link("javascript:alert(1)") == "javascript:alert(1)"
    assert link("/home/me/article.html") == "/home/me/article.html"
    assert link('https://x.org/?a="b"') == (
        '<a href="https://x.org/?a=&quot;b&quot;" rel="noopener noreferrer">'
        "https://x.org/?a=&quot;b&quot;</a>"
    )


def test_report_cli_formats(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", "--db", str(db_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["altered"] == 1 and len(doc["quotes"]) == 5
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(db_path), "--format", "html", "-o", str(out)]) == 0
    assert "written to" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["report", "--db", str(db_path), "--article", data.ARTICLE_URL]) == 0
    assert "5 quote(s)" in capsys.readouterr().out
    assert main(["report", "--db", str(db_path), "--article", "https://nope.example/"]) == 2
    assert capsys.readouterr().err.startswith("error: no stored article 'https://nope.example/'")
    assert main(["report", "--db", str(db_path), "-o", str(tmp_path / "no" / "dir.txt")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot write")


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture) -> None:
    for args in (["report"], ["db"], ["db", "upgrade"], ["db", "current"]):
        assert main([*args, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Example" in out and "\n    sourcecheck " in out  # an indented example line


def test_report_reads_the_same_on_each_backend(sessions: sessionmaker[Session]) -> None:
    """The same history reads back the same on either backend."""
    data.populate(sessions)
    with sessions() as session:
        rows = build_report(session)
    assert [r.what_changed for r in rows] == [
        ["content_changed"],
        ["content_changed"],
        [],
        ["source_edited", "content_changed"],
        ["source_gone"],
    ]


def test_evidence_found_only_in_the_page_text(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        add_article(s, data.ARTICLE_URL, "t", "h", data.QUOTES[:1])
        source_id = s.execute(select(Source.id)).scalar_one()
        quote_id = s.execute(select(Quote.id)).scalar_one()
    page = data.page()
    result = data.page_location_result(page.page_text)
    record_source_check(
        sessions, source_id, data.BBC_URL, page, [(quote_id, result)], matcher_version()
    )
    with sessions() as s:
        (row,) = build_report(s)
    assert row.match is not None and row.match.location == "page"
    assert row.evidence is not None
    assert [s for s in row.evidence if s[0] == "equal"] == [["equal", data.QUOTES[0].text]]
    assert row.evidence[0][1].startswith("Menu Home News")  # page furniture as context
    assert "The source says (full page text)" in render_html([row], NOW)
    assert row.matcher_version is not None
    assert row.matcher_version.startswith(("verify ", "sourcecheck "))


def test_an_empty_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["db", "upgrade", "--db", str(tmp_path / "e.db")]) == 0  # report never creates
    assert main(["report", "--db", str(tmp_path / "e.db"), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "No quotes stored yet." in page and "0 quote(s) from 0 article(s)" in page
    assert main(["report", "--db", str(tmp_path / "e.db")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 quote(s): none stored"


def test_changes_without_offsets_are_placed_by_their_words() -> None:
    """An engine that gives no offsets: the source words are found in order, as words."""
    text = "Intro. We sent 3,000 troops to\nthe border at 3,000 metres. Outro."
    start, end = text.index("We"), text.index(" Outro")
    changes = [
        {"op": "replace", "quote": "5,000", "source": "3,000", "flags": ["number"]},
        {"op": "delete", "quote": "", "source": "to the"},  # spans a line break
        {"op": "insert", "quote": "now", "source": ""},  # nowhere to put it: listed only
        {"op": "replace", "quote": "feet", "source": "3,000 metres"},  # after the cursor
        {"op": "replace", "quote": "x", "source": "absent words"},
    ]
    segments = source_segments(text, start, end, changes)
    assert [s for s in segments if s[0] in ("source", "quote")] == [
        ("source", "3,000"),
        ("quote", "5,000"),
        ("source", "to\nthe"),
        ("source", "3,000 metres"),
        ("quote", "feet"),
    ]
    assert segments[1] == ("equal", "We sent ")  # the first 3,000, not the second
    assert "".join(t for k, t in segments if k in ("equal", "source")) == text[start:end]


def test_words_an_ellipsis_left_out_are_shown_as_omitted(
    sessions: sessionmaker[Session],
) -> None:
    """A stored verdict on a quote with an ellipsis: the report never shows the words
    the ellipsis left out as matching text, harmless (verified) or not (altered)."""
    from verify import check_quote
    from verify.intake import Quotation

    text = data.SOURCE_TEXT
    quotes = [
        Quotation(text="The minister spoke … on Tuesday morning", kind="inline", position=1,
                speaker=None, outlet="bbc", url=data.BBC_URL, title=None),
        Quotation(text="We have sent … troops to the border", kind="inline", position=2,
                speaker=None, outlet="bbc", url=data.BBC_URL, title=None),
    ]  # fmt: skip
    with sessions.begin() as s:
        add_article(s, data.ARTICLE_URL, "t", "h", quotes)
        source_id = s.execute(select(Source.id)).scalar_one()
        ids = {q.text: q.id for q in s.execute(select(Quote)).scalars()}
    page = data.page(text)
    run = [(ids[q.text], check_quote(q.text, text)) for q in quotes]
    assert [str(r.status) for _, r in run] == ["verified", "altered"]
    record_source_check(sessions, source_id, data.BBC_URL, page, run, matcher_version())
    with sessions() as s:
        rows = by_quote(build_report(s))
    harmless = rows[quotes[0].text].evidence or []
    assert ["omitted", "to reporters"] in harmless
    assert all("to reporters" not in t for kind, t in harmless if kind == "equal")
    hiding = rows[quotes[1].text].evidence or []
    assert ["omitted", "around 3,000"] in hiding
    html = render_html(list(rows.values()), NOW)
    assert '<del class="omitted"' in html and "…omitted" in html
    assert "ellipsis leaves out “around 3,000”" in html


def test_a_quote_found_only_as_link_text_says_where_the_link_goes(
    sessions: sessionmaker[Session],
) -> None:
    from verify import check_quote

    links = [("Troops sent to border as talks stall", "https://www.bbc.com/news/articles/xyz")]
    with sessions.begin() as s:
        add_article(s, data.ARTICLE_URL, "t", "h", data.QUOTES[:1])
        source_id = s.execute(select(Source.id)).scalar_one()
        quote_id = s.execute(select(Quote.id)).scalar_one()
    result = check_quote("Troops sent to border as talks stall", data.SOURCE_TEXT, links=links)
    assert str(result.status) == "not_found" and result.link_hint is not None
    page = data.page()
    record_source_check(
        sessions, source_id, data.BBC_URL, page, [(quote_id, result)], matcher_version()
    )
    with sessions() as s:
        (row,) = build_report(s)
    assert row.status == "not_found"
    assert "https://www.bbc.com/news/articles/xyz" in render_html([row], NOW)
