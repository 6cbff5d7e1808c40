"""Read a fetched page: its main text, its full visible text and its metadata.

The main text comes from trafilatura (or from an outlet's own body selectors when a
spider found them). Main-text extraction sometimes drops real body text, so the
full visible text of the page is kept too: the matcher searches it before it ever
says ``not_found``. A page that yields no usable text raises :class:`Unreadable`
with a reason, so that the verdict is ``unavailable``, never ``not_found``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from trafilatura import html2txt
from trafilatura.utils import load_html

from crawler.extraction.links import take_out_links

# Below this many characters of main text a page is not an article we can judge
# (an empty shell, an error page, a login or consent stub).
MIN_TEXT_CHARS = 200

EXTRACTOR = f"trafilatura {trafilatura.__version__}"

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


class Unreadable(Exception):
    """The page could not be read; ``reason`` is the ``unavailable`` reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(eq=False)
class Page:
    """A readable page: its main text, metadata, and its full visible text.

    The full text (``page_text``) is built from ``html`` on first use: it costs about
    half as much as the main-text extraction, and most quotes are settled by the main
    text alone. ``full_text`` holds it once built (or when given).
    """

    text: str
    full_text: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    extractor: str = EXTRACTOR
    html: str | None = field(default=None, repr=False)
    paywalled: bool = False  # the page says its body is for subscribers only
    url: str | None = None
    # Link-only text (related stories, navigation) as (text, address): kept out of
    # ``page_text``, built with it (see crawler.extraction.links).
    link_texts: list[tuple[str, str]] | None = None

    @property
    def page_text(self) -> str:
        if self.full_text is None:
            if self.html:
                self.full_text, self.link_texts = visible_text_and_links(self.html, self.url)
            else:
                self.full_text = self.text
            self.html = None  # the text is what is kept
        return self.full_text

    @property
    def links(self) -> list[tuple[str, str]]:
        """The page's link-only texts with their addresses (built with ``page_text``)."""
        self.page_text  # noqa: B018 - builds link_texts on first use
        return self.link_texts or []


def looks_like_consent_wall(text: str) -> bool:
    """True when a short text is mostly about cookies and consent, not an article."""
    if len(text) > 3000:
        return False
    hits = len(_CONSENT.findall(text))
    return hits >= 2 or (hits >= 1 and len(text) < 600)


def visible_text(html: str) -> str:
    """The page's whole visible text, link text included, without scripts, styles and
    reader comments: what a reader sees (a consent wall's buttons are often links)."""
    return visible_text_and_links(html, keep_links=True)[0]


def visible_text_and_links(
    html: str, url: str | None = None, keep_links: bool = False
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


def read_html(html: str, url: str | None = None, body_text: str | None = None) -> Page:
    """Extract a page. ``body_text`` is an outlet spider's selector result, if any.

    Raises :class:`Unreadable` (``empty_extraction`` or ``consent_wall``) when the
    page holds no usable article text.
    """
    if not html.strip():
        raise Unreadable("empty_extraction", "the page is empty")
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,  # reader comments must never verify a quote
        with_metadata=True,
        favor_recall=True,
        # htmldate's extensive search costs about 15% of a page and, the first time it
        # falls back to dateparser, a multi-second stall; the date is evidence, not
        # what the verdict rests on.
        date_extraction_params={"extensive_search": False},
    )
    if isinstance(doc, dict):  # only with as_dict=True, which read_html never passes
        raise TypeError("trafilatura returned a dict")
    main = (body_text or "").strip() or (doc.text if doc is not None and doc.text else "")
    if len(main.strip()) < MIN_TEXT_CHARS:
        if looks_like_consent_wall(visible_text(html)) or looks_like_consent_wall(main):
            raise Unreadable("consent_wall", "only a cookie or consent notice was found")
        raise Unreadable(
            "empty_extraction", f"only {len(main.strip())} characters of main text were found"
        )
    if looks_like_consent_wall(main):
        raise Unreadable("consent_wall", "the main text is a cookie or consent notice")

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None) if doc is not None else None
        return str(value) if value else None

    return Page(
        text=main,
        html=html,
        title=meta("title"),
        author=meta("author"),
        date=meta("date"),
        sitename=meta("sitename"),
        extractor="selectors" if body_text else EXTRACTOR,
        # The base for the page's link addresses: the page's own canonical address
        # when it was read from a file.
        url=url if url and url.startswith("http") else meta("url") or url,
    )
