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


TAGS = [
    "a",
    "address",
    "div",
    "link",
    "span",
    "p",
    "section",
    "time",
    "figure",
    "h3",
    "h4",
    "strong",
    "author",
    "rel",
    "li",
]
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
    "AuthorName",
    "authorname",
    "screenname",
    "username",
    "byl",
    "BBL",
    "posted-by",
    "Comments",
    "is-hidden",
]
IDS = ["", "author", "Author", "comments", "commentlist", "comments-2", "main", "xiaobian"]
OTHER = [
    ' itemprop="author"',
    ' itemprop="author name"',
    ' data-testid="AuthorCard"',
    ' data-component="Byline"',
    ' data-component="Figure"',
    ' rel="author"',
]
TEXTS = ["Jane Doe", "By", " ", "", "Sam Roe and Jo Poe", "me", "May 5", "x" * 130]


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = ""
    if cls := draw(st.sampled_from(CLASSES)):
        attrs += f' class="{cls}"'
    if ident := draw(st.sampled_from(IDS)):
        attrs += f' id="{ident}"'
    for other in draw(st.lists(st.sampled_from(OTHER), max_size=2, unique=True)):
        attrs += other
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


def test_each_tag_and_attribute_alone() -> None:
    """Every tag and attribute value the XPaths name, one at a time: each literal of
    trafilatura's tests is tried on its own, which generated pages may miss."""
    attributes = [f' class="{c}"' for c in CLASSES if c] + [f' id="{i}"' for i in IDS if i]
    attributes += [
        *OTHER,
        ' class="a-byline-b"',
        ' class="channel-name"',
        ' class="journalist-name"',
        ' class="submitted-by"',
        ' class="writer-x"',
        ' id="zuozhe"',
        ' id="bianji"',
        ' data-testid="AuthorURL"',
        ' class="zuozhe"',
        ' class="bianji"',
        ' class="xiaobian"',
        ' class="article-support"',
        ' class="meta-reviewer"',
        ' class="embedly-instagram"',
        ' class="category"',
        ' id="ProductReviews"',
        ' id="comment-list"',
    ]
    for tag in TAGS:
        for attribute in attributes:
            for inner in ("Jane Doe", "By Jane Doe <time>today</time>"):
                html = (
                    f"<html><body><p>x</p><{tag}{attribute}>{inner}</{tag}>"
                    f'<span class="writer">Sam Roe</span></body></html>'
                )
                ours, theirs = both(html)
                assert ours == theirs, html
