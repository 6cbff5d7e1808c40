"""Outlet body selectors, versioned by layout (the way fundus keeps its parsers).

Outlets redesign every few years; an old article keeps the layout it was published
in. Each :class:`Layout` names the design it belongs to and the CSS selector of its
body blocks; a spider tries its layouts newest first and the first that yields a
real body wins. When none does, extraction falls back to trafilatura.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector, SelectorList

# Below this many characters a layout's selector matched furniture, not a body.
MIN_BODY_CHARS = 200

_SPACE = re.compile(r"\s+")
_UNIT_TAGS = {"p", "li", "h2", "h3", "h4", "blockquote", "pre"}
# Text inside these is never article prose.
_TEXT_XPATH = (
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)"
    " and not(ancestor::figcaption) and not(ancestor::aside) and not(ancestor::button)]"
)


@dataclass(frozen=True, slots=True)
class Layout:
    """One design of an outlet's article page.

    ``body`` selects the body blocks in document order; within each block the
    paragraph-like elements matched by ``units`` are the text (a block that is
    itself a paragraph is taken whole).
    """

    name: str
    body: str
    units: str = "p, li, h2, h3, blockquote > p"

    def body_text(self, selector: Selector | SelectorList) -> str | None:
        blocks = _outermost(list(selector.css(self.body)))
        paragraphs: list[str] = []
        for block in blocks:
            tag = block.root.tag if isinstance(block.root.tag, str) else ""
            units = [block] if tag.lower() in _UNIT_TAGS else _outermost(block.css(self.units))
            for unit in units:
                text = _SPACE.sub(" ", " ".join(unit.xpath(_TEXT_XPATH).getall())).strip()
                if text and (not paragraphs or paragraphs[-1] != text):
                    paragraphs.append(text)
        body = "\n\n".join(paragraphs)
        return body if len(body) >= MIN_BODY_CHARS else None


def _outermost(nodes: list[Selector] | SelectorList) -> list[Selector]:
    """The nodes that are not inside another of the nodes (so no text is read twice:
    a ``div.text-wrapper`` inside ``[itemprop=articleBody]``, a ``p`` inside an ``li``)."""
    roots = {id(n.root) for n in nodes}
    return [n for n in nodes if not any(id(a) in roots for a in n.root.iterancestors())]


def first_matching(
    layouts: tuple[Layout, ...], selector: Selector | SelectorList
) -> tuple[Layout, str] | None:
    """The newest layout whose selector finds a body, with that body's text."""
    for layout in layouts:
        text = layout.body_text(selector)
        if text is not None:
            return layout, text
    return None
