"""spiders/tree.py: the spider's tree, its element classes chosen in C, reads exactly as
the tree ``response.selector`` parses."""

import subprocess
import sys
from copy import deepcopy
from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement
from scrapy.http import HtmlResponse

from crawler.extraction.extract import Unreadable, read_html, visible_text_and_links
from spiders.tree import html_selector

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
URL = "https://example.org/news/story"


def _response(path: Path) -> HtmlResponse:
    return HtmlResponse(URL, body=path.read_bytes(), headers={"Content-Type": "text/html"})


def _without_comments(root: HtmlElement) -> HtmlElement:
    # as the spider hands its tree to extraction (ArticleSpider.drop_comments)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root


def _read(root: HtmlElement) -> tuple[object, ...]:
    try:
        page = read_html(deepcopy(root), url=URL)
    except Unreadable as exc:
        return ("unreadable", exc.reason, exc.detail)
    return (page.text, page.title, page.author, page.date, page.sitename, page.url)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_the_tree_reads_as_response_selectors_does(path: Path) -> None:
    ours = html_selector(_response(path)).root
    theirs = _response(path).selector.root
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert ours.base == theirs.base
    # every element is a plain HtmlElement: no Python lookup picks a class
    assert {type(el) for el in ours.iter(etree.Element)} <= {HtmlElement}
    ours, theirs = _without_comments(ours), _without_comments(theirs)
    assert _read(ours) == _read(theirs)
    assert visible_text_and_links(deepcopy(ours), URL) == visible_text_and_links(
        deepcopy(theirs), URL
    )


def test_form_elements_are_plain_elements_and_read_the_same() -> None:
    body = (
        b"<html><body><form action='/s'><label>Name <input name='q' value='x'></label>"
        b"<select name='s'><option>One</option></select><textarea>Typed</textarea></form>"
        b"<p>" + b"A sentence of the article body that is long enough to count. " * 8 + b"</p>"
        b"</body></html>"
    )
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html"})
    ours = html_selector(response).root
    assert type(ours.find(".//form")) is HtmlElement
    assert type(response.selector.root.find(".//form")) is not HtmlElement  # FormElement
    assert _read(ours) == _read(response.selector.root)


def test_a_pool_process_parses_with_the_lookup_in_c() -> None:
    # In a process of its own: the lookup changes trafilatura's module-wide parser.
    code = (
        "from trafilatura.utils import load_html\n"
        "from spiders.tree import use_in_trafilaturas_parser\n"
        "html = '<html><body><form><input name=q></form><p>x</p></body></html>'\n"
        "before = type(load_html(html).find('.//form')).__name__\n"
        "use_in_trafilaturas_parser()\n"
        "print(before, type(load_html(html).find('.//form')).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PAGES.parent.parent,
    ).stdout.split()
    assert out == ["FormElement", "HtmlElement"]
