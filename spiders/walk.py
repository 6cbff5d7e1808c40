"""CSS selectors as one cheap XPath over a whole page (the walls and comment blocks).

A spider asks a few questions of every page that CSS states best ("is there a
``#comments`` or a ``.fb-comments``?"). Their plain union (``a, b, c``) walks the page
once per selector, and even one walk that tests every element against every selector
(``descendant-or-self::*[t1 or t2 ...]``) costs libxml2 a node-set test per element
and selector: about 1 ms a page for eight selectors. Most such selectors test one
attribute (``#x``, ``.x``, ``[data-x="y"]``, ``form[action*=x]``), and most elements
lack that attribute, so :func:`one_walk` asks the attributes instead: one walk per
attribute (``descendant-or-self::*/@class[t1 or t2]/..``) visits only the elements
that carry it and tests its value once per selector. The nodes are the same, in the
same (document) order; a selector it cannot rewrite keeps a test on the element.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parsel.csstranslator import HTMLTranslator

_STEP = re.compile(r"^descendant-or-self::([\w*-]+)(?:\[(.*)\])?$", re.S)
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_ATTRIBUTE = re.compile(r"@([A-Za-z_][\w.-]*)")
_HOLE = "\x00"  # where a literal stood, while a condition's shape is checked
# What a condition may hold besides its attribute and literals to be read from the
# attribute's value alone: string functions and comparisons, nothing that looks at
# the element (an axis, a position, not(): `:not([a])` matches elements without @a).
_VALUE_ONLY = re.compile(
    r"(?:\s+|[(),=+-]|\d+|@A|\x00|\b(?:and|or|contains|starts-with|concat"
    r"|normalize-space|substring|string-length)\b)*"
)


def _closing(text: str, start: int) -> int:
    """Where the bracket opened at ``text[start]`` closes (literals are holes here)."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def _top_level(condition: str, word: str) -> list[str]:
    """``condition`` split on ``word`` (`` and `` or `` or ``) outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(condition):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i >= start and condition.startswith(word, i):
            parts.append(condition[start:i])
            start = i + len(word)
    parts.append(condition[start:])
    return [p.strip() for p in parts]


def _requires(condition: str) -> bool:
    """True when ``condition`` (its attribute written ``@A``) is false on an element
    without that attribute, so that every element it matches carries it."""
    condition = condition.strip()
    while condition.startswith("(") and _closing(condition, 0) == len(condition) - 1:
        condition = condition[1:-1].strip()
    if len(ors := _top_level(condition, " or ")) > 1:
        return all(_requires(c) for c in ors)
    if len(ands := _top_level(condition, " and ")) > 1:
        return any(_requires(c) for c in ands)
    return condition in ("@A", f"@A = {_HOLE}")


def _value_test(condition: str) -> tuple[str, str] | None:
    """``condition`` as a test of one attribute's value (``@a`` becoming ``.``), and
    that attribute; None when it reads anything else."""
    literals = _LITERAL.findall(condition)
    shape = _LITERAL.sub(_HOLE, condition)
    names = set(_ATTRIBUTE.findall(shape))
    if len(names) != 1:
        return None
    shape = _ATTRIBUTE.sub("@A", shape)
    if not _VALUE_ONLY.fullmatch(shape) or not _requires(shape):
        return None
    pieces = shape.replace("@A", ".").split(_HOLE)
    test = pieces[0] + "".join(lit + piece for lit, piece in zip(literals, pieces[1:], strict=True))
    return names.pop(), test


@lru_cache(maxsize=32)
def one_walk(selectors: tuple[str, ...]) -> str:
    """An XPath matching what the CSS ``selectors`` match together (the nodes of their
    union, in document order), reading each attribute they test in one walk."""
    translator = HTMLTranslator()
    by_attribute: dict[tuple[str, str], list[str]] = {}
    tests, rest = [], []
    for css in selectors:
        xpath = translator.css_to_xpath(css)
        step = _STEP.match(xpath)
        if step is None or "][" in (step.group(2) or "") or " | " in xpath:
            rest.append(xpath)
            continue
        tag, condition = step.group(1), step.group(2)
        if condition and (value := _value_test(condition)) is not None:
            by_attribute.setdefault((tag, value[0]), []).append(value[1])
            continue
        parts = ([] if tag == "*" else [f"self::{tag}"]) + ([f"({condition})"] if condition else [])
        tests.append(" and ".join(parts) or "true()")
    walks = [
        f"descendant-or-self::{tag}/@{name}[" + " or ".join(f"({t})" for t in value_tests) + "]"
        for (tag, name), value_tests in by_attribute.items()
    ]
    if walks:
        rest.insert(0, "(" + " | ".join(walks) + ")/..")
    if tests:
        rest.insert(0, "descendant-or-self::*[" + " or ".join(f"({t})" for t in tests) + "]")
    return " | ".join(rest)
