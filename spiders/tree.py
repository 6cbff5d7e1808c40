"""A fetched page's parsed tree: the one the spider reads and extraction reads after it.

The tree is parsel's (``create_root_node``, as ``response.selector`` parses an HTML
response), with one difference: every element is an :class:`lxml.html.HtmlElement`
chosen by lxml in C. ``lxml.html.HTMLParser`` picks each element's Python class by
calling :class:`lxml.html.HtmlElementClassLookup`'s ``lookup`` method, Python code run
every time an element is first touched from Python (about half a million calls over the
276 evaluation pages in trafilatura alone: its walks, ours, the page text). The only
classes it would pick differently are the form elements' (``FormElement``,
``InputElement``, ...), whose extra methods (a form's fields, an input's value) nothing
here calls: trafilatura reads the same tree the same way (identical text, metadata and
page text on the 276 pages, and tests/test_tree.py on the fixtures), about 7% faster.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
)
from parsel.selector import create_root_node
from scrapy.http import HtmlResponse
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url
from trafilatura.utils import HTML_PARSER

_LOOKUP = etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)


class HtmlTreeParser(HTMLParser):
    """``lxml.html.HTMLParser`` (the same options, the same tree), with the element
    class chosen in C: :class:`HtmlElement` for every element."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_element_class_lookup(_LOOKUP)


def use_in_trafilaturas_parser() -> None:
    """Give trafilatura's own parser (``trafilatura.utils.HTML_PARSER``, which parses
    the HTML a page arrives as in an extraction pool process) the same lookup. Called
    only in those processes (crawler/extraction/pool.py): elsewhere trafilatura's parser
    stays as shipped, so that the bench's "trafilatura alone" is trafilatura's own."""
    HTML_PARSER.set_element_class_lookup(_LOOKUP)


def html_selector(response: HtmlResponse) -> Selector:
    """The page's selector, its tree parsed as ``response.selector`` parses it (the
    same text, base URL and size limits), with :class:`HtmlTreeParser`; not cached on
    the response (see ArticleSpider.parse)."""
    root = create_root_node(
        response.text,
        HtmlTreeParser,
        base_url=get_base_url(response),
        huge_tree=True,  # parsel's default, as response.selector parses
    )
    return Selector(root=root, type="html")
