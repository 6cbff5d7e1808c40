"""Page reading: main text, comment-free page text, and unreadable pages."""

from pathlib import Path

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from crawler.extraction.extract import Unreadable, read_html, visible_text
from crawler.extraction.metadata import DATE_PARAMS, page_metadata
from crawler.fetching.sources import read_local

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def test_reader_comments_are_neither_main_nor_page_text() -> None:
    page = read_local(str(PAGES / "independent-nis-north-korea-troops.html"))
    # the body sentence is there, the commenter's altered copy and quote are not
    assert "false identification documents" in page.text
    for text in (page.text, page.page_text):
        assert "fake identification" not in text
        assert "clear step in Russia" not in text


def test_visible_text_keeps_body_and_drops_scripts() -> None:
    html = (
        "<html><body><p>Kept paragraph.</p><script>var hidden = 1;</script>"
        '<div id="comments"><p>A commenter wrote this.</p></div><p>Tail paragraph.</p>'
        "</body></html>"
    )
    text = visible_text(html)
    assert "Kept paragraph." in text and "Tail paragraph." in text
    assert "hidden" not in text and "commenter" not in text


def test_metadata_comes_from_trafilatura() -> None:
    page = read_local(str(PAGES / "guardian-snyder-1938.html"))
    assert page.title and "1938" in page.title
    assert page.extractor.startswith("trafilatura")


def test_consent_wall_is_unreadable_not_empty_article() -> None:
    with pytest.raises(Unreadable) as exc:
        read_local(str(PAGES / "consent-wall-europost.html"))
    assert exc.value.reason == "consent_wall"


@pytest.mark.parametrize("html", ["", "   ", "<html><body><p>Too short.</p></body></html>"])
def test_empty_or_tiny_page_is_empty_extraction(html: str) -> None:
    with pytest.raises(Unreadable) as exc:
        read_html(html)
    assert exc.value.reason == "empty_extraction"


def test_legacy_charset_without_header_is_decoded() -> None:
    page = read_local(str(PAGES / "legacy-cp1252-meta-charset.html"))
    assert "“" in page.page_text or "’" in page.page_text


def test_only_verified_stands_on_a_paywalled_page() -> None:
    from crawler.crawling.checking import verdict
    from crawler.extraction.extract import Page

    text = (
        "The first paragraph is free to read for everyone who visits the page today. "
        "Subscribe to read the rest of this analysis of the army and its new doctrine."
    ) * 3
    page = Page(text=text, full_text=text, paywalled=True)
    assert verdict("The first paragraph is free to read", page).status == "verified"
    missing = verdict("The army has doubled in size since the spring offensive", page)
    assert (missing.status, missing.reason) == ("unavailable", "paywall")
    altered = verdict("The first paragraph is not free to read", page)
    assert (altered.status, altered.reason) == ("unavailable", "paywall")


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_page_metadata_is_trafilaturas_without_categories_tags_licence(path: Path) -> None:
    """crawler/extraction/metadata.py repeats trafilatura's metadata steps, leaving out
    the fields we never store: the fields we do store must stay trafilatura's own (a
    trafilatura upgrade that changes its steps fails here)."""
    html = path.read_text(encoding="utf-8", errors="replace")
    url = "https://example.org/news/story"
    theirs = extract_metadata(load_html(html), url, dict(DATE_PARAMS), False, set())
    ours = page_metadata(load_html(html), url)
    for field in ("title", "author", "date", "sitename", "url", "hostname", "description"):
        assert getattr(ours, field) == getattr(theirs, field), field
