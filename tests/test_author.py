"""crawler/extraction/author.py must give trafilatura's ``extract_author`` answer, on
every recorded page and on generated ones, and must leave the page's tree as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import tostring
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html

from crawler.extraction.author import page_author

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def both(html: str) -> tuple[str | None, str | None]:
    tree = load_html(html)
    before = tostring(tree)
    ours = page_author(tree)
    assert tostring(tree) == before, "the page's tree was changed"
    return ours, extract_author(load_html(html))


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_every_fixture_page(path: Path) -> None:
    ours, theirs = both(path.read_text(encoding="utf-8", errors="replace"))
    assert ours == theirs


@pytest.mark.parametrize(
    ("body", "author"),
    [
        ('<p class="byline">Jane Doe</p>', "Jane Doe"),
        # inside an element trafilatura deletes first: not a byline
        ('<div class="sidebar"><p class="byline">Jane Doe</p></div>', None),
        (
            '<div class="sidebar"><p class="byline">Jane Doe</p></div><span class="author">'
            "Sam Roe</span>",
            "Sam Roe",
        ),
        # a date inside the byline is deleted, and the text around it joins up
        ('<span class="byline">By Jane Doe <time>May 5, 2024</time>in Paris</span>', None),
        ('<div class="byline">Jane Doe<time>May 5</time></div>', "Jane Doe"),
        # too long for a byline at the first XPath: the next one is tried
        ('<a rel="author">' + "x " * 80 + '</a><div class="writer">Jane Doe</div>', "Jane Doe"),
        ("<author>Jane Doe</author>", "Jane Doe"),
        ("<div><rel>me</rel>Jane Doe</div>", None),
    ],
)
def test_cases(body: str, author: str | None) -> None:
    ours, theirs = both(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert ours == theirs
    if author is not None:
        assert ours == author


TAGS = ["a", "div", "span", "p", "section", "time", "figure", "h3", "strong", "author", "rel"]
CLASSES = [
    "",
    "author",
    "byline",
    "Byline",
    "author-name",
    "writer",
    "sidebar",
    "comments",
    "Comments-box",
    "quote",
    "print",
    "title",
    "date",
    "meta-date",
    "article-share",
    "x author y",
]
IDS = ["", "author", "comments", "commentlist", "main"]
TEXTS = ["Jane Doe", "By", " ", "", "Sam Roe and Jo Poe", "me", "May 5", "x" * 130]


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = ""
    if cls := draw(st.sampled_from(CLASSES)):
        attrs += f' class="{cls}"'
    if ident := draw(st.sampled_from(IDS)):
        attrs += f' id="{ident}"'
    if draw(st.booleans()):
        attrs += ' rel="author"'
    if draw(st.integers(0, 5)) == 0:
        attrs += ' data-component="Figure"'
    inner = draw(st.sampled_from(TEXTS))
    if depth < 3:
        for _ in range(draw(st.integers(0, 3))):
            inner += draw(element(depth + 1)) + draw(st.sampled_from(TEXTS))
    return f"<{tag}{attrs}>{inner}</{tag}>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(element(), min_size=1, max_size=4))
def test_generated_pages(parts: list[str]) -> None:
    ours, theirs = both("<html><body>" + "".join(parts) + "</body></html>")
    assert ours == theirs
