"""Read a fetched page: its main text, its full visible text and its metadata.

The main text comes from trafilatura (or from an outlet's own body selectors when a
spider found them). Main-text extraction sometimes drops real body text, so the
full visible text of the page is kept too: the matcher searches it before it ever
says ``not_found``. A page that yields no usable text raises :class:`Unreadable`
with a reason, so that the verdict is ``unavailable``, never ``not_found``.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import html2txt
from trafilatura.metadata import Document
from trafilatura.utils import load_html

from crawler.extraction.fast_xpaths import fast_xpaths
from crawler.extraction.links import take_out_links
from crawler.extraction.metadata import DATE_PARAMS, page_metadata
from crawler.extraction.page import Page, Unreadable
from verify.cleantext import clean_text

# Below this many characters of main text a page is not an article we can judge
# (an empty shell, an error page, a login or consent stub).
MIN_TEXT_CHARS = 200

EXTRACTOR = f"trafilatura {trafilatura.__version__}"

# How trafilatura is called for a page's main text and metadata.
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,  # reader comments must never verify a quote
    "with_metadata": True,
    "favor_recall": True,
    "date_extraction_params": DATE_PARAMS,  # see crawler/extraction/metadata.py
}

_CONSENT = re.compile(
    r"\b(cookies?|consent|privacy (?:settings|preferences|policy)|accept all|"
    r"manage (?:preferences|options)|we and our (?:\d+ )?partners|legitimate interest)\b",
    re.IGNORECASE,
)


# Reader-comment sections and items. trafilatura's REMOVE_COMMENTS_XPATH is not used
# here: it drops any class that merely starts with "comment", and the BBC puts body
# text in ``div.comment-introduction``. These match whole class tokens and ids only.
_COMMENT_NODES = (
    "//*[re:test(@class, '(^|\\s)(comments?|comment-(list|body|thread|item|section|"
    "container|area|wrapper)|coral-\\S+|vf-comment\\S*|dsq-\\S+)(\\s|$)', 'i')]"
    " | //*[re:test(@id, '^(comments?([-_]\\w+)?|disqus_thread|coral_thread|"
    "vf-conversations|respond)$', 'i')]"
    " | //*[@data-component='comments' or @data-gu-name='comments']"
)
_RE_NS = {"re": "http://exslt.org/regular-expressions"}


def looks_like_consent_wall(text: str) -> bool:
    """True when a short text is mostly about cookies and consent, not an article."""
    if len(text) > 3000:
        return False
    hits = len(_CONSENT.findall(text))
    return hits >= 2 or (hits >= 1 and len(text) < 600)


def visible_text(html: str | HtmlElement) -> str:
    """The page's whole visible text, link text included, without scripts, styles and
    reader comments: what a reader sees (a consent wall's buttons are often links)."""
    return visible_text_and_links(html, keep_links=True)[0]


def visible_text_and_links(
    html: str | HtmlElement, url: str | None = None, keep_links: bool = False
) -> tuple[str, list[tuple[str, str]]]:
    """The page's whole visible text, and its link-only texts with their addresses.

    This is the fallback the matcher searches when main-text extraction dropped real
    body text; reader comments are cut from it because a commenter repeating a
    sentence must never verify a quote, and so is text the page shows only as a link
    to another page (another article's headline is not this article's words).
    """
    tree = load_html(html)
    if tree is None:
        return "", []
    doomed = tree.xpath(_COMMENT_NODES, namespaces=_RE_NS)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            # keep the tail: it is text of the parent, not of the comment
            if el.tail and el.tail.strip():
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
    links = [] if keep_links else take_out_links(tree, url)
    return html2txt(tree) or "", links


# libxml2 (under lxml, under trafilatura) stops building the tree at this depth unless
# told XML_PARSE_HUGE, which also lifts its other limits: a page nested deeper reads as
# empty. Said as what it is, not as "only 0 characters" of an empty page.
MAX_PARSER_DEPTH = 256


def nested_too_deep(html: str) -> bool:
    """True when libxml2 gave up on the page for nesting past :data:`MAX_PARSER_DEPTH`."""
    parser = etree.HTMLParser(recover=True)
    try:
        etree.fromstring(html, parser)
    except (etree.LxmlError, ValueError):
        return False
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def read_html(
    html: str | HtmlElement, url: str | None = None, body_text: str | None = None
) -> Page:
    """Extract a page, given as HTML or as the tree a spider parsed it into (parsed
    with its HTML comments stripped, as trafilatura's own parser does; trafilatura
    copies the tree, so it is left for the page text). ``body_text`` is an outlet
    spider's selector result, if any: then it is the main text, and trafilatura only
    reads the metadata.

    Raises :class:`Unreadable` (``empty_extraction`` or ``consent_wall``) when the
    page holds no usable article text.
    """
    # Control characters go before extraction, so that the texts, and the offsets the
    # verdict gives into them, are those stored (verify/cleantext.py). A spider's tree
    # was parsed from the response's text: its extracted texts are cleaned below.
    if isinstance(html, str):
        html = clean_text(html)
    body_text = clean_text(body_text) if body_text else body_text
    if isinstance(html, str) and not html.strip():
        raise Unreadable("empty_extraction", "the page is empty")
    text_html = html if isinstance(html, str) else None
    if text_html is not None:
        # Parsed once, as trafilatura parses it (the metadata, the main text and the page
        # text all read the one tree): given the HTML, each parsed it again.
        tree = load_html(text_html)
        if tree is not None:
            html = tree
    if body_text and body_text.strip():
        doc = _metadata(html, url)
    elif url:
        # The metadata read apart (what we store, without the categories, tags and
        # licence trafilatura would also look for), then the main text alone: the same
        # text, since trafilatura reads the metadata first from the same tree and the
        # text's extraction does not use it when given the URL.
        doc = _metadata(html, url)
        options = {**EXTRACT_OPTIONS, "with_metadata": False}
        with fast_xpaths():  # its slowest XPaths in Python, no needless copy: the same result
            extracted = trafilatura.bare_extraction(html, url=url, **options)
        if isinstance(extracted, dict):  # only with as_dict=True, which is never passed
            raise TypeError("trafilatura returned a dict")
        if doc is not None:
            doc.text = extracted.text if extracted is not None else None
        else:
            doc = extracted
    else:
        with fast_xpaths():
            extracted = trafilatura.bare_extraction(html, url=url, **EXTRACT_OPTIONS)
        if isinstance(extracted, dict):  # only with as_dict=True, which is never passed
            raise TypeError("trafilatura returned a dict")
        doc = extracted
    main = (body_text or "").strip() or (doc.text if doc is not None and doc.text else "")
    main = clean_text(main)
    if len(main.strip()) < MIN_TEXT_CHARS:
        if text_html is not None and nested_too_deep(text_html):
            raise Unreadable(
                "too_deeply_nested",
                f"the page nests its elements deeper than the HTML parser reads "
                f"({MAX_PARSER_DEPTH} levels), so its text could not be extracted",
            )
        visible = visible_text(text_html if text_html is not None else html)
        if looks_like_consent_wall(visible) or looks_like_consent_wall(main):
            raise Unreadable("consent_wall", "only a cookie or consent notice was found")
        raise Unreadable(
            "empty_extraction", f"only {len(main.strip())} characters of main text were found"
        )
    if looks_like_consent_wall(main):
        raise Unreadable("consent_wall", "the main text is a cookie or consent notice")

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None) if doc is not None else None
        return str(value) if value else None

    page = Page(
        text=main,
        title=meta("title"),
        author=meta("author"),
        date=meta("date"),
        sitename=meta("sitename"),
        extractor="selectors" if body_text else EXTRACTOR,
        # The base for the page's link addresses: the page's own canonical address
        # when it was read from a file.
        url=url if url and url.startswith("http") else meta("url") or url,
    )
    page.html = html
    return page


def _metadata(html: str | HtmlElement, url: str | None) -> Document | None:
    """The metadata alone, as :func:`trafilatura.bare_extraction` reads it with
    :data:`EXTRACT_OPTIONS`: for a page whose main text the outlet's selectors gave, the
    rest of trafilatura's work (most of it) would be thrown away."""
    tree = load_html(html)
    if tree is None:
        return None
    return page_metadata(tree, url)
