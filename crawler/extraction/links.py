"""Link text is not the article's words: take it out of the page's full text.

A news page shows many other pages' headlines as links: related stories, "More on
this story", most-read lists, navigation. Their words are on the page, but they are
another article's words; a quote found only there must not be verified by this page.

An ``<a href>`` is *link-only text* when the block around it (its nearest paragraph,
list item, heading, cell or division) has no text of its own outside links. A link
inside a sentence of the body (a paragraph with other words) is the article's words
and stays. Link-only text is removed from the tree (its tail kept) and recorded with
its address, so that the verdict can say where the words lead.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

# Elements that make a block of text of their own.
_BLOCKS = frozenset(
    [
        "p",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "section",
        "article",
        "aside",
        "nav",
        "header",
        "footer",
        "ul",
        "ol",
        "figcaption",
        "blockquote",
        "main",
        "body",
    ]
)


def _block(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and not (isinstance(parent.tag, str) and parent.tag in _BLOCKS):
        parent = parent.getparent()
    return parent


def _own_text(block: etree._Element) -> str:
    """The block's text outside any link."""
    parts: list[str] = []

    def walk(el: etree._Element, in_link: bool) -> None:
        link = in_link or el.tag == "a"
        if el.text and not link:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, link)
            if child.tail and not link:
                parts.append(child.tail)

    walk(block, False)
    return "".join(parts)


def take_out_links(tree: etree._Element, base_url: str | None = None) -> list[tuple[str, str]]:
    """Remove link-only text from ``tree``; return each one as (text, absolute address)."""
    links: list[tuple[str, str]] = []
    own: dict[etree._Element, bool] = {}  # block -> has text outside links
    for a in list(tree.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        block = _block(a)
        if block is None:
            continue
        if block not in own:
            own[block] = any(ch.isalnum() for ch in _own_text(block))
        if own[block]:
            continue
        text = " ".join("".join(a.itertext()).split())
        parent = a.getparent()
        if parent is None:
            continue
        if text:
            links.append((text, urljoin(base_url, href) if base_url else href))
        tail = a.tail
        prev = a.getprevious()
        parent.remove(a)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return links
