"""A hostile citing article: NUL and control characters, an endless quote, a huge link.

Intake and storage clean control characters on every backend (PostgreSQL refuses NUL
in text: a NUL after the first 8 KB used to crash intake there), an over-long quotation
is marked and never aligned, and one cited URL past 2,048 characters costs only its own
quote a source, never the article.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.crawling.checking import verdict
from crawler.extraction.extract import Page
from crawler.storage.models import URL_MAX, Quote
from crawler.storage.store import add_article
from tests.support.cli_run import FIXTURES, sourcecheck
from tests.support.fixture_urls import BBC
from verify.cleantext import MAX_QUOTE_CHARS, clean_text
from verify.intake import Quotation, find_quotes_in_html

FILLER = "<p>" + "The council met again on Thursday to discuss the budget. " * 20 + "</p>"


def _article(*paragraphs: str) -> str:
    return (
        "<!doctype html><html><head><title>Hostile</title></head><body><article>"
        + FILLER * 10  # past the first 8 KB, where the binary sniff looks
        + "".join(paragraphs)
        + "</article></body></html>"
    )


NUL_QUOTE = (
    "<p>The mayor said: “We will rebuild the old\x00 sea wall before the winter\x1b[31m"
    " storms arrive,” and left the hall.</p>"
)


def test_clean_text_keeps_text_and_drops_controls() -> None:
    assert clean_text("a\x00b\x1bc\x7fd\x85e\tf\ng\r\nh\udc80") == "abcde\tf\ng\r\nh\ufffd"
    assert clean_text("plain “text”") == "plain “text”"


def test_intake_cleans_control_characters() -> None:
    found = find_quotes_in_html(_article(NUL_QUOTE))
    assert found and "rebuild the old sea wall" in found[0].text
    assert clean_text(found[0].text) == found[0].text


def test_storage_cleans_nul_on_every_backend(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        quotes = [
            Quotation(text="we will\x00 rebuild it", kind="inline", position=0, speaker="A\x00")
        ]
        add_article(session, "https://news.example/a", "Title\x00", None, quotes)
    with sessions() as session:
        stored = session.execute(select(Quote)).scalar_one()
        assert (stored.text, stored.speaker) == ("we will rebuild it", "A")


def test_run_stores_an_article_with_a_nul_on_postgres(tmp_path: Path, postgres_url: object) -> None:
    from sqlalchemy.engine import URL

    assert isinstance(postgres_url, URL)
    article = tmp_path / "nul.html"
    article.write_text(_article(NUL_QUOTE), "utf-8")
    run = sourcecheck(
        "run", str(article), "--db", postgres_url.render_as_string(hide_password=False)
    )
    assert run.returncode in (0, 1, 3), run.stderr
    assert "1 quotation(s) found, 1 new" in run.stderr, run.stderr


def test_an_over_long_quote_is_an_input_error_in_check(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("word " * 500, "utf-8")
    run = sourcecheck("check", "word " * 2000, "--source", str(page))
    assert run.returncode == 2
    assert f"the limit is {MAX_QUOTE_CHARS:,}" in run.stderr


def test_an_over_long_quote_is_marked_at_intake_and_unavailable_in_a_crawl(
    tmp_path: Path,
) -> None:
    endless = "word " * 4000
    article = tmp_path / "long.html"
    article.write_text(
        _article(
            f'<p>The BBC <a href="{BBC}">reported</a>: “{endless} and so on,” it said.</p>',
            f'<p>A link nobody can store: <a href="https://x.example/{"a" * 3000}">here</a> '
            "the mayor said “we will rebuild the old sea wall this year” to everyone.</p>",
        ),
        "utf-8",
    )
    listed = sourcecheck("quotes", str(article), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    long = next(r for r in rows if r["too_long"])
    assert len(long["text"]) == MAX_QUOTE_CHARS + 1 and long["text"].endswith("…")

    db = tmp_path / "t.db"
    run = sourcecheck(
        "run", str(article), "--replay", str(FIXTURES), "--db", str(db), "--format", "json"
    )
    assert "Traceback" not in run.stderr and run.returncode == 3, run.stderr
    report = json.loads(run.stdout)["quotes"]
    by_status = {(r["status"], r["reason"]) for r in report}
    assert ("unavailable", "quote_too_long") in by_status, report
    huge = next(r for r in report if "rebuild the old sea wall" in r["quote"])
    assert huge["status"] == "no_source"


def test_the_verdict_refuses_to_align_an_over_long_quote() -> None:
    page = Page(text="word " * 100)
    result = verdict("word " * (MAX_QUOTE_CHARS // 4), page)
    assert (result.status, result.reason) == ("unavailable", "quote_too_long")


def test_a_url_too_long_is_stored_cut_without_a_source(sessions: sessionmaker[Session]) -> None:
    long_url = "https://x.example/" + "a" * 3000
    with sessions.begin() as session:
        quotes = [
            Quotation(text="the first quote here", kind="inline", position=0, url=long_url),
            Quotation(text="the second quote here", kind="inline", position=1, url=BBC),
        ]
        add_article(session, "https://news.example/b", None, None, quotes)
    with sessions() as session:
        first, second = session.execute(select(Quote).order_by(Quote.position)).scalars()
        assert first.source_id is None and first.cited_url is not None
        assert len(first.cited_url) == URL_MAX and first.cited_url.endswith("…")
        assert second.source_id is not None
