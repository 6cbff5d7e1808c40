"""Stand-ins for trafilatura.xpaths.BODY_XPATH[0], [2] and [3], the expressions that
find the page's main container (see :mod:`crawler.extraction.xpath_rules` for how each
XPath test reads in Python). [1] (``(.//article)[1]``) and [4] are left to lxml: without
``re:test`` they cost 11 ms over the 276 evaluation pages, against 407 ms for these three.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.extraction.xpath_rules import Rule, pattern, search

_B0_ID = pattern(
    "(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text"
)
_B0_CLASS = pattern(
    "post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper"
    "|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content"
    "|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container"
)
_FOUR = "self::article or self::div or self::main or self::section"

BODY_0 = f"""
        .//*[{_FOUR}][
        @class='post' or @class='entry' or
        @itemprop='articleBody' or @id='articleContent' or
        re:test(@id, '{_B0_ID}') or
        re:test(@class, '{_B0_CLASS}')
        ][1]
        """
_b0_id, _b0_class = search(_B0_ID), search(_B0_CLASS)


def body_0(tree: etree._Element) -> list[etree._Element]:
    # [1] without parentheses: the first passing child of each parent, not one element
    # (trafilatura reads only the first of them).
    by_id, by_class = _b0_id, _b0_class
    found: list[etree._Element] = []
    parents: set[etree._Element] = set()
    for el in tree.iterdescendants("article", "div", "main", "section"):
        i, c = el.get("id"), el.get("class")
        if (
            (c is not None and (c == "post" or c == "entry" or by_class(c)))
            or (i is not None and (i == "articleContent" or by_id(i)))
            or el.get("itemprop") == "articleBody"
        ):
            parent = el.getparent()
            if parent not in parents:
                parents.add(parent)
                found.append(el)
    return found


_B2_ID = pattern("^primary|story-body")
_B2_FULLTEXT = pattern("fulltext")
_B2_CLASS = pattern(
    "^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post"
    "|main-column|wpb_text_column|story-body|field-body"
)
_B2_NAMES = ("postarea", "art-postcontent", "text", "cell", "story")
_B2_EQ = " or ".join(f"@class='{name}'" for name in _B2_NAMES)

BODY_2 = f"""
        (.//*[{_FOUR}][
        @role='article' or
        @id='article' or @id='story' or
        {_B2_EQ} or
        re:test(@id, '{_B2_ID}') or
        re:test(@class, '{_B2_FULLTEXT}', 'i') or
        re:test(@class, '{_B2_CLASS}')
        ])[1]
        """
_b2_id, _b2_fulltext = search(_B2_ID), search(_B2_FULLTEXT, re.IGNORECASE)
_b2_class = search(_B2_CLASS)


def body_2(tree: etree._Element) -> list[etree._Element]:
    for el in tree.iterdescendants("article", "div", "main", "section"):
        i, c = el.get("id"), el.get("class")
        if (
            (c is not None and (c in _B2_NAMES or _b2_fulltext(c) or _b2_class(c)))
            or (i is not None and (i == "article" or i == "story" or _b2_id(i)))
            or el.get("role") == "article"
        ):
            return [el]
    return []


_B3_ID = pattern("content-main|content-body|contentBody")
_B3_CLASS = pattern("content[-_]main|content(?:-|__)body")
_CM = "contains(translate(@id, 'CM','cm'), 'main-content') or " + (
    "contains(translate(@class, 'CM','cm'), 'main-content')"
)

BODY_3 = f"""
        (.//*[{_FOUR}][
        @id='content' or @class='content' or
        re:test(@id, '{_B3_ID}') or
        re:test(@class, '{_B3_CLASS}') or
        {_CM} or
        contains(translate(@class, 'CP','cp'), 'page-content')
        ])[1]
        """
_b3_id, _b3_class = search(_B3_ID), search(_B3_CLASS)
_LOWER_CM, _LOWER_CP = str.maketrans("CM", "cm"), str.maketrans("CP", "cp")


def body_3(tree: etree._Element) -> list[etree._Element]:
    for el in tree.iterdescendants("article", "div", "main", "section"):
        i, c = el.get("id"), el.get("class")
        if (
            c is not None
            and (
                c == "content"
                or _b3_class(c)
                or "main-content" in c.translate(_LOWER_CM)
                or "page-content" in c.translate(_LOWER_CP)
            )
        ) or (
            i is not None
            and (i == "content" or _b3_id(i) or "main-content" in i.translate(_LOWER_CM))
        ):
            return [el]
    return []


BODY_RULES: dict[str, dict[int, Rule]] = {
    "BODY_XPATH": {0: Rule(BODY_0, body_0), 2: Rule(BODY_2, body_2), 3: Rule(BODY_3, body_3)},
}
