"""Python stand-ins for trafilatura's slowest XPath expressions, for our extraction only.

Why our own: in trafilatura 2.3.1's main-text path about a quarter of
:func:`read_html`'s CPU went to nine XPaths that prune the page and find its main
container (RAW_TREE_PRUNE, REMOVE_COMMENTS_AND_LISTS, OVERALL_DISCARD,
DISCARD_IMAGE_ELEMENTS, BODY_XPATH 0, 2 and 3: 2.2 s over the 276 evaluation pages, of
read_html's 8.1 s). Their EXSLT ``re:test`` calls back into Python's ``re`` for every
element. The same tests in one walk of lxml's iterator, reading the attributes and
running the same regular expressions, take 0.5 s; read_html went from 29.4 to 22.1 ms
a page (docs/scale.md, "The fourth round"). REMOVE_COMMENTS_XPATH is left alone: with
read_html's options (comments off, favor_recall) trafilatura never runs it.

Each stand-in is called like the XPath object it replaces (``expr(tree)``) and returns
the same elements in the same (document) order; tests/test_fast_xpaths.py holds each
to its XPath on every fixture page, in the very trees trafilatura hands it, and on
generated trees. Each records the XPath text it was written for, and replaces
trafilatura's expression only while that text is unchanged (a trafilatura upgrade that
touches one keeps its own, and the test that they all match fails).

They are installed only inside :func:`fast_xpaths`, around sourcecheck's own calls to
``trafilatura.bare_extraction``: trafilatura called anywhere else (the bench's
"trafilatura alone") is stock trafilatura.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
from lxml import etree
from trafilatura import xpaths

from crawler.extraction import compare_bypass
from crawler.extraction.xpath_body_rules import BODY_RULES
from crawler.extraction.xpath_rules import PRUNE_RULES, Rule

__all__ = ["STALE", "StandIn", "fast_xpaths", "stand_ins"]


class StandIn:
    """One rule standing in for the trafilatura XPath object whose text it was written for."""

    __slots__ = ("name", "path", "select", "xpath")

    def __init__(self, name: str, rule: Rule, xpath: etree.XPath) -> None:
        self.name = name
        self.path: str = rule.path
        self.select: Callable[[etree._Element], list[etree._Element]] = rule.select
        self.xpath = xpath

    def __call__(self, tree: Any, **variables: Any) -> Any:
        # Written for an element as the context node, without XPath variables: anything
        # else (a whole document, say) is the XPath's own work.
        if variables or not isinstance(tree, etree._Element):
            return self.xpath(tree, **variables)
        return self.select(tree)

    def __repr__(self) -> str:
        return f"<StandIn {self.name}>"


# Where trafilatura's functions look the lists up: the globals of the modules that
# imported them from trafilatura.xpaths (core: the raw-tree prunes; main_extractor:
# BODY_XPATH and the section prunes; external: OVERALL_DISCARD_XPATH, precision only).
RULES: dict[str, dict[int, Rule]] = {**PRUNE_RULES, **BODY_RULES}

_MODULES = (trafilatura.core, trafilatura.main_extractor, trafilatura.external)

# The rules whose XPath text is no longer trafilatura's (after an upgrade): those
# expressions stay trafilatura's own. tests/test_fast_xpaths.py asserts it is empty.
STALE: list[str] = []


def _build() -> tuple[dict[str, list[Any]], list[tuple[Any, str, Any, Any]]]:
    lists: dict[str, list[Any]] = {}
    swaps: list[tuple[Any, str, Any, Any]] = []
    for list_name, rules in RULES.items():
        found = getattr(xpaths, list_name, None)
        if not isinstance(found, list):
            STALE.extend(f"{list_name}[{i}]" for i in rules)
            continue
        original: list[Any] = found
        replaced: list[Any] = list(original)
        for index, rule in rules.items():
            name = f"{list_name}[{index}]"
            if index < len(original) and getattr(original[index], "path", None) == rule.path:
                replaced[index] = StandIn(name, rule, original[index])
            else:
                STALE.append(name)
        lists[list_name] = replaced
        # Only where the module still holds trafilatura.xpaths' own list.
        swaps.extend(
            (module, list_name, original, replaced)
            for module in _MODULES
            if getattr(module, list_name, None) is original
        )
    return lists, swaps


_LISTS, _SWAPS = _build()

# And the comparison step without its copy of the page when it will not compare
# (crawler/extraction/compare_bypass.py), under the same kind of guard.
if compare_bypass.unchanged():
    _SWAPS.append(
        (
            trafilatura.core,
            "_extract_and_compare",
            trafilatura.core._extract_and_compare,
            compare_bypass.extract_and_compare,
        )
    )
else:
    STALE.append("_extract_and_compare")

_lock = threading.Lock()
_depth = 0


def stand_ins() -> dict[str, list[Any]]:
    """Each replaced list as it is while :func:`fast_xpaths` is on (for the tests)."""
    return {name: list(items) for name, items in _LISTS.items()}


@contextmanager
def fast_xpaths() -> Iterator[None]:
    """Run the body with trafilatura's expressions replaced by their stand-ins (and its
    comparison step by :func:`compare_bypass.extract_and_compare`).

    The swap is of module globals, so another thread running trafilatura meanwhile
    sees the stand-ins too: that is still correct, because a stand-in returns exactly
    what its XPath returns. A count (under a lock) makes nested and concurrent uses put
    trafilatura's own lists back only when the last one leaves.
    """
    global _depth
    with _lock:
        if _depth == 0:
            for module, name, _original, replaced in _SWAPS:
                setattr(module, name, replaced)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for module, name, original, _replaced in _SWAPS:
                    setattr(module, name, original)
