"""A page's author from its markup, as :func:`trafilatura.metadata.extract_author` finds
it, at less than half the cost.

Why our own: trafilatura's step copies the whole tree, deletes from the copy every
element that cannot hold a byline (comments, sidebars, quotes, figures, dates), then
runs up to three XPaths whose EXSLT ``re:test`` calls back into Python for every
element. On the evaluation corpus that was 2.8 ms of a page's 3.9 ms of metadata (half
the pages have no author in their meta tags or JSON-LD and reach this step).

Here the same tests are made in one walk of the page's own tree, and the deletion is
applied only where it can change the answer: a candidate inside an element trafilatura
would delete is skipped, and a candidate holding one is read from a pruned copy of
itself alone. A deletion changes no other element's text (its tail moves to its
previous sibling or its parent, outside the candidate), so the answer is the same;
tests/test_author.py holds it to trafilatura's on every fixture page and on generated pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_author
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS


def _any_of(test: str, attribute: str, *literals: str) -> str:
    return "(" + " or ".join(f"{test}(@{attribute}, '{s}')" for s in literals) + ")"


# trafilatura.xpaths.AUTHOR_XPATHS (2.x), tested on each element in one walk of the
# page: its three XPaths walk it once each, and most pages that reach this step try all
# three (1.3 ms for this walk on the evaluation pages, 4.5 ms for the three XPaths,
# whose EXSLT re:test calls back into Python for every element). Each re:test of
# alternated literals is the same literals' ``in``; "[Aa]uthor" is "Author" or "author".
_FIRST_TAGS = frozenset(("a", "address", "div", "link", "p", "span", "strong"))
_SECOND_TAGS = frozenset(("a", "div", "h3", "h4", "p", "span"))
_FIRST_CLASS = ("authorname", "author-name", "AuthorName", "authorName")
_SECOND_ID = ("author", "zuozhe", "bianji", "xiaobian")
_SECOND_CLASS = (
    "author",
    "channel-name",
    "zuozhe",
    "bianji",
    "xiaobian",
    "submitted-by",
    "posted-by",
    "journalist-name",
)
_THIRD_ID = ("Author", "author")
_THIRD_CLASS = ("Author", "author", "screenname", "writer", "Byline", "byline")


def _substrings(literals: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """A test of whether a text holds any of ``literals``: one regex search, in C,
    where ``any(s in text for s in literals)`` ran a Python generator per element."""
    return re.compile("|".join(map(re.escape, literals))).search


_first_class = _substrings(_FIRST_CLASS)
_second_id = _substrings(_SECOND_ID)
_second_class = _substrings(_SECOND_CLASS)
_third_id = _substrings(_THIRD_ID)
_third_class = _substrings(_THIRD_CLASS)


def _candidates(tree: HtmlElement) -> list[list[HtmlElement]] | None:
    """The elements each of trafilatura's three author XPaths selects, in document
    order; None where a <rel> element makes its ``rel='me'`` test (a child element's
    text) matter."""
    found: list[list[HtmlElement]] = [[], [], []]
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction: not in //*
            continue
        if tag == "rel":
            return None
        if tag == "author":
            found[0].append(element)
        attrs = element.attrib
        if not attrs:
            continue
        cls = attrs.get("class", "")
        ident = attrs.get("id", "")
        itemprop = attrs.get("itemprop", "")
        if (
            tag in _FIRST_TAGS
            and tag != "author"
            and (
                attrs.get("rel") == "author"
                or ident == "author"
                or cls == "author"
                or itemprop == "author name"
                or attrs.get("data-testid") in ("AuthorCard", "AuthorURL")
                or _first_class(cls)
            )
        ):
            found[0].append(element)
        if tag in _SECOND_TAGS and (
            cls in ("byline", "username", "byl", "BBL")
            or "author" in itemprop
            or _second_id(ident)
            or _second_class(cls)
        ):
            found[1].append(element)
        if (
            "Byline" in attrs.get("data-component", "")
            or "author" in itemprop
            or _third_id(ident)
            or _third_class(cls)
        ):
            found[2].append(element)
    return found


# What trafilatura.xpaths.AUTHOR_DISCARD_XPATHS deletes, as a test of one element
# (``^`` is starts-with).
_DISCARDED_TAGGED = (
    "(self::a or self::div or self::section or self::span) and (@id='comments'"
    " or @class='comments' or @class='title' or @class='date' or "
    + _any_of("starts-with", "id", "comments")
    + " or "
    + _any_of("contains", "id", "commentlist", "comment-list", "ProductReviews")
    + " or "
    + _any_of("starts-with", "class", "Comments", "comments")
    + " or "
    + _any_of(
        "contains",
        "class",
        "commentlist",
        "comments-list",
        "sidebar",
        "is-hidden",
        "quote",
        "embedly-instagram",
        "article-share",
        "article-support",
        "print",
        "category",
        "meta-date",
        "meta-reviewer",
    )
    + " or contains(@data-component, 'Figure'))"
)
_DISCARDED_ABOVE = XPath(
    f"ancestor-or-self::*[{_DISCARDED_TAGGED}] | ancestor-or-self::time | ancestor-or-self::figure"
)
_DISCARDED_BELOW = XPath(
    f"descendant::*[{_DISCARDED_TAGGED}] | descendant::time | descendant::figure"
)


def page_author(tree: HtmlElement) -> str | None:
    """The author trafilatura's ``extract_author(tree)`` gives, found without copying
    or pruning the whole tree."""
    candidates = _candidates(tree) if tree.getparent() is None else None
    if candidates is None:
        # A subtree (its XPaths would search the whole document), or a <rel> element
        # (whose text a deletion inside it could change): rare enough to leave to
        # trafilatura itself.
        return extract_author(tree)
    for found in candidates:
        for element in found:
            if _deleted(element, tree):
                continue
            if _DISCARDED_BELOW(element):
                element = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


def _deleted(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether trafilatura's pruned copy no longer holds ``element``."""
    # trafilatura's delete_element leaves an element without a parent where it is: the
    # root is never deleted.
    return any(found is not root for found in _DISCARDED_ABOVE(element))
