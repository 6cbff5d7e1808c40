"""The rules behind :mod:`crawler.extraction.fast_xpaths`: trafilatura 2.3.1's XPaths,
each beside the same selection made in one walk of the tree.

How each XPath test reads in Python (lxml 6, libxml2 2.14):

- ``.//*[self::a or self::b]``: ``iterdescendants("a", "b")``, elements only, in
  document order, the context element itself excluded; ``.//*``: every element
  (``iterdescendants(etree.Element)``: never a comment or processing instruction).
- ``@x`` as a string: ``el.get("x")``, and ``''`` when it is missing. ``@a|@b`` as a
  string is the value of whichever of the two comes first in the element's attributes
  (libxml2 keeps them in source order): :func:`_first`.
- ``re:test(s, p)``: lxml's EXSLT ``re.compile(p, re.UNICODE).search(s)`` (with
  ``re.IGNORECASE`` for the flag ``'i'``). None of these patterns matches ``''``
  (tests/test_fast_xpaths.py checks it), so a missing attribute never matches.
- ``contains(translate(@x, 'N', 'n'), 'nav')``: ``'nav' in x.replace('N', 'n')``.
- ``step[pred][1]`` (no parentheses) keeps, under each parent, the first child that
  passes; ``(path)[1]`` keeps the first in document order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

Select = Callable[[etree._Element], list[etree._Element]]


@dataclass(frozen=True)
class Rule:
    path: str  # the XPath text (XPath.path) the selection was written for, to the byte
    select: Select


def _first(el: etree._Element, a: str, va: str | None, b: str, vb: str | None) -> str | None:
    """``@a|@b`` as a string, given the two attributes' values (None: neither is there)."""
    if va is None or vb is None:
        return vb if va is None else va
    for key in el.keys():  # noqa: SIM118 - iterating an element gives its children
        if key == a:
            return va
        if key == b:
            break
    return vb


# Every pattern, for the test that none matches '' (a missing attribute's string).
PATTERNS: list[str] = []


def pattern(text: str) -> str:
    PATTERNS.append(text)
    return text


def search(text: str, flags: int = 0) -> Callable[[str], re.Match[str] | None]:
    """What lxml's EXSLT ``re:test`` runs (``flags``: re.IGNORECASE for its ``'i'``)."""
    return re.compile(text, re.UNICODE | flags).search


# --- trafilatura.xpaths.RAW_TREE_PRUNE_XPATH ----------------------------------------

_MVP = pattern("mvp-post-add-(?:box|wrap)")
_MVP_OR_SCROLL = pattern("mvp-post-add-(?:box|wrap)|infinite-?scroll")

RAW_TREE_PRUNE_0 = f"""
        .//*[self::div or self::section or self::aside][
        re:test(@id, '{_MVP_OR_SCROLL}') or
        re:test(@class, '{_MVP_OR_SCROLL}')][
        not(.//h1) or re:test(@id, '{_MVP}') or re:test(@class, '{_MVP}')]
        """


_mvp_or_scroll, _mvp = search(_MVP_OR_SCROLL), search(_MVP)


def raw_tree_prune_0(tree: etree._Element) -> list[etree._Element]:
    either, mvp = _mvp_or_scroll, _mvp
    found = []
    for el in tree.iterdescendants("div", "section", "aside"):
        i, c = el.get("id"), el.get("class")
        if ((i is not None and either(i)) or (c is not None and either(c))) and (
            next(el.iterdescendants("h1"), None) is None
            or (i is not None and mvp(i))
            or (c is not None and mvp(c))
        ):
            found.append(el)
    return found


RAW_TREE_PRUNE_1 = (
    ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]"
)


def raw_tree_prune_1(tree: etree._Element) -> list[etree._Element]:
    return [
        el
        for el in tree.iterdescendants("div", "section", "aside")
        if "elementor-share-buttons" in (el.get("class") or "")
    ]


# --- trafilatura.xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH -----------------------------

_C_ID = pattern("^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_C_CLASS = pattern("^[Cc]omment(?!ary)|(?:article|post)-comments")
_C_LIST_ID = pattern("^(?:[Cc]omment(?!ary)|comol)")

_TAGS = "self::div or self::list or self::section or self::details or self::ol or self::ul"
REMOVE_COMMENTS_AND_LISTS_0 = f"""
        .//*[{_TAGS}][
        re:test(@id, '{_C_ID}') or
        re:test(@class, '{_C_CLASS}')][
        not(self::ol or self::ul) or re:test(@id, '{_C_LIST_ID}') or re:test(@class, '{_C_CLASS}')]
        """


_c_id, _c_class, _c_list_id = search(_C_ID), search(_C_CLASS), search(_C_LIST_ID)


def remove_comments_and_lists_0(tree: etree._Element) -> list[etree._Element]:
    by_id, by_class, list_by_id = _c_id, _c_class, _c_list_id
    found = []
    for el in tree.iterdescendants("div", "list", "section", "details", "ol", "ul"):
        i, c = el.get("id"), el.get("class")
        if c is not None and by_class(c):
            found.append(el)  # passes both predicates
        elif i is not None and by_id(i) and (el.tag not in ("ol", "ul") or list_by_id(i)):
            found.append(el)
    return found


# --- trafilatura.xpaths.OVERALL_DISCARD_XPATH ---------------------------------------

_COOKIE = pattern("cookie")
_BOTH = "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
_OD_ID = pattern(
    _BOTH + "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related"
    "|message-container|premium|^ad-"
)
_OD_CLASS = pattern(
    _BOTH + "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-"
    "|(?:^| )ad-|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline"
    "|Byline|share-|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated"
    "|next-|-stories|most-popular|more-on|meta|rating|attachment|timestamp|user-info"
    "|user-profile|-icon|article-infos|message-container|slide|viewport|overlay|options"
    "|expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline"
)

_SIX = "self::div or self::item or self::list or self::p or self::section or self::span"
OVERALL_DISCARD_0 = f"""
        .//*[{_SIX}][
        @data-lp-replacement-content or
        contains(translate(@role, 'N', 'n'), 'nav') or
        contains(@data-component, 'MostPopularStories') or
        re:test(@id|@class, '{_COOKIE}') or
        re:test(@id, '{_OD_ID}') or
        re:test(@class, '{_OD_CLASS}')]
        """


_cookie, _od_id, _od_class = search(_COOKIE), search(_OD_ID), search(_OD_CLASS)


def overall_discard_0(tree: etree._Element) -> list[etree._Element]:
    cookie, by_id, by_class = _cookie, _od_id, _od_class
    found = []
    for el in tree.iterdescendants("div", "item", "list", "p", "section", "span"):
        get = el.get
        i, c = get("id"), get("class")
        first = _first(el, "id", i, "class", c)
        role, component = get("role"), get("data-component")
        if (
            (c is not None and by_class(c))
            or (i is not None and by_id(i))
            or (first is not None and cookie(first))
            or get("data-lp-replacement-content") is not None
            or (role is not None and "nav" in role.replace("N", "n"))
            or (component is not None and "MostPopularStories" in component)
        ):
            found.append(el)
    return found


_HIDDEN = pattern("hidden")
_OD1_ID = pattern("reader-comments|akismet")
_OD1_CLASS = pattern(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded"
)

OVERALL_DISCARD_1 = f"""
        .//*[@class='comments-title' or
        starts-with(@id|@class, 'reply-') or
        re:test(@id|@style, '{_HIDDEN}') or
        contains(@style, 'display:none') or contains(@style, 'display: none') or
        re:test(@id, '{_OD1_ID}') or
        re:test(@class, '{_OD1_CLASS}') or @aria-hidden='true']
        """


_hidden, _od1_id, _od1_class = search(_HIDDEN), search(_OD1_ID), search(_OD1_CLASS)


def overall_discard_1(tree: etree._Element) -> list[etree._Element]:
    hidden, by_id, by_class = _hidden, _od1_id, _od1_class
    found = []
    for el in tree.iterdescendants(etree.Element):
        get = el.get
        i, c, s = get("id"), get("class"), get("style")
        if i is None and c is None and s is None:
            if get("aria-hidden") == "true":
                found.append(el)
            continue
        id_or_class = _first(el, "id", i, "class", c)
        id_or_style = _first(el, "id", i, "style", s)
        if (
            (c is not None and (c == "comments-title" or by_class(c)))
            or (id_or_class is not None and id_or_class.startswith("reply-"))
            or (id_or_style is not None and hidden(id_or_style))
            or (s is not None and ("display:none" in s or "display: none" in s))
            or (i is not None and by_id(i))
            or get("aria-hidden") == "true"
        ):
            found.append(el)
    return found


# --- trafilatura.xpaths.DISCARD_IMAGE_ELEMENTS --------------------------------------

DISCARD_IMAGE_0 = f"""
    .//*[{_SIX}][
    contains(@id, 'caption') or contains(@class, 'caption')]
    """


def discard_image_0(tree: etree._Element) -> list[etree._Element]:
    return [
        el
        for el in tree.iterdescendants("div", "item", "list", "p", "section", "span")
        if "caption" in (el.get("id") or "") or "caption" in (el.get("class") or "")
    ]


PRUNE_RULES: dict[str, dict[int, Rule]] = {
    "RAW_TREE_PRUNE_XPATH": {
        0: Rule(RAW_TREE_PRUNE_0, raw_tree_prune_0),
        1: Rule(RAW_TREE_PRUNE_1, raw_tree_prune_1),
    },
    "REMOVE_COMMENTS_AND_LISTS_XPATH": {
        0: Rule(REMOVE_COMMENTS_AND_LISTS_0, remove_comments_and_lists_0)
    },
    "OVERALL_DISCARD_XPATH": {
        0: Rule(OVERALL_DISCARD_0, overall_discard_0),
        1: Rule(OVERALL_DISCARD_1, overall_discard_1),
    },
    "DISCARD_IMAGE_ELEMENTS": {0: Rule(DISCARD_IMAGE_0, discard_image_0)},
}
