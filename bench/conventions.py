"""Quoting conventions that hide a change of meaning, and house styles that do not.

- ``number_style`` (genuine): one number of the passage written in another house
  style of the same value ("nine" / "9", "3.38%" / "3.38 per cent", "$22.6bn" /
  "$22.6 billion", "£5m" / "£5 million", "3,000" / "3000"). Must be ``verified``.
- ``ellipsis_hides`` (mutation): an ellipsis inside one sentence over words that hold
  a negation, a number or a qualifier ("we do ... have the right" for "we do not
  have the right"). Must be ``altered``.
- ``bracket_replaces`` (mutation): a bracket in place of a number of the sentence
  with another value (``[seven]`` for "six"), in place of a name with another name
  of the page, or a ``[not]`` added after an auxiliary. Must be ``altered``.

Which elided words carry meaning is the rule of :mod:`verify.flags` (negations,
numbers, the qualifiers list): the genuine ellipsis cases (:mod:`bench.genuine`) use
:func:`neutral` so that they never elide such words.
"""

from __future__ import annotations

import random
import re

from verify.flags import omission_flags
from verify.normalize import tokenize

Made = tuple[str, str] | None

_SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
]  # fmt: skip
_LARGER = r"hundred|thousand|million|billion|trillion|and|point|-"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


def neutral(elided: list[str]) -> bool:
    """May an ellipsis leave out these words (no negation, number or qualifier)?"""
    return not omission_flags([t.word for w in elided for t in tokenize(w)])


def _restyles(text: str) -> list[tuple[int, int, str, str]]:
    """Every (start, end, new text, what) that writes a number of ``text`` in another
    style of the same value."""
    out: list[tuple[int, int, str, str]] = []
    for m in re.finditer(r"(?<![\w.,])(\d+(?:\.\d+)?)(%| per cent| percent)(?!\w)", text):
        other = " per cent" if m.group(2) == "%" else "%"
        out.append((m.start(), m.end(), m.group(1) + other, f"{m.group()} -> {m.group(1)}{other}"))
    for m in re.finditer(r"(?<![\w.,])([$£€]?\d+(?:\.\d+)?)(bn| billion|m| million)(?!\w)", text):
        other = {"bn": " billion", " billion": "bn", "m": " million", " million": "m"}[m.group(2)]
        out.append((m.start(), m.end(), m.group(1) + other, f"{m.group()} -> {m.group(1)}{other}"))
    for m in re.finditer(r"(?<![\w.,$£€])(\d{1,3}),(\d{3})(?![\d,.])", text):
        new = m.group(1) + m.group(2)
        out.append((m.start(), m.end(), new, f"{m.group()} -> {new}"))
    # A count, not part of a code, score or date ("9/11", "6-4", "03").
    for m in re.finditer(r"(?<![\w.,$£€/:()-])([1-9]\d?)(?![\w.,%/:)-])", text):
        if re.search(r"\b[A-Z][a-z]{2,8}\.?\s*$", text[: m.start()]):
            continue  # a date ("Dec. 12", "March 3"), not a count
        value = int(m.group(1))
        if 2 <= value <= 12:
            out.append((m.start(), m.end(), _SMALL[value], f"{m.group()} -> {_SMALL[value]}"))
    # Not part of a larger number ("twenty-five", "nine hundred", "two and a half").
    small = "|".join(_SMALL[2:])
    pattern = rf"(?<![-\u2010-\u2015])\b({small})\b(?![-\u2010-\u2015])(?!\s+(?:{_LARGER}))"
    for m in re.finditer(pattern, text):
        value = _SMALL.index(m.group().lower()) if m.group().lower() in _SMALL else -1
        if m.group().islower() and value >= 2:
            out.append((m.start(), m.end(), str(value), f"{m.group()} -> {value}"))
    return out


def number_style(text: str, rng: random.Random) -> Made:
    """A passage with one number restyled (same value), or None."""
    spots = _restyles(text)
    if not spots:
        return None
    start, end, new, what = rng.choice(spots)
    return text[:start] + new + text[end:], what


def _in_one_sentence(words: list[str], i: int, j: int) -> bool:
    """Are words ``i - 1`` to ``j`` one sentence (no sentence end before ``j``)?"""
    return not any(_SENTENCE_END.search(w) for w in words[i - 1 : j])


def ellipsis_hides(text: str, rng: random.Random, ellipses: list[str]) -> Made:
    """An ellipsis inside a sentence over words that hold a negation, number or qualifier."""
    words = text.split()
    spots = []
    for k in range(3, len(words) - 3):
        if not neutral([words[k]]) and _in_one_sentence(words, k, k + 1):
            spots.append(k)
    if not spots:
        return None
    k = rng.choice(spots)
    i = max(3, k - rng.randint(0, 2))
    j = min(len(words) - 3, k + 1 + rng.randint(0, 2))
    if not _in_one_sentence(words, i, j):
        i, j = k, k + 1
    elided = " ".join(words[i:j])
    quote = " ".join([*words[:i], rng.choice(ellipses), *words[j:]])
    return quote, f"an ellipsis over '{elided}'"


_AUXILIARY = re.compile(r"^(is|are|was|were|will|would|can|could|has|have|had|does|did)$")


def bracket_replaces(text: str, rng: random.Random, names: list[str], page: str = "") -> Made:
    """A bracket for a number (other value) or a name (another name), or ``[not]``.

    ``page`` is the page's text: a name the page runs together with the replaced word
    ("Fort" and "Worth Police Department") is the same name, not another."""
    words = text.split()
    choices: list[tuple[int, int, str, str]] = []  # (i, j, replacement, what)
    for k in range(2, len(words) - 2):
        bare = re.sub(r"^\W+|\W+$", "", words[k])
        tail = words[k][len(words[k].rstrip(",.;:")) :]
        if bare.isdigit() and len(bare) <= 4:
            new = str(int(bare) + rng.choice([1, 2, 10]))
            choices.append((k, k + 1, f"[{new}]{tail}", f"[{new}] for {bare}"))
        elif bare.lower() in _SMALL[2:]:
            new = rng.choice([w for w in _SMALL[2:] if w != bare.lower()])
            choices.append((k, k + 1, f"[{new}]{tail}", f"[{new}] for {bare}"))
        elif (
            re.fullmatch(r"[A-Z][a-z]{2,}", bare)
            and not _SENTENCE_END.search(words[k - 1])
            and words[k - 1][:1].islower()
        ):
            # Another name: not one the page runs together with this word ("Fort" and
            # "Worth Police Department" are one name), which the rule lets stand for it.
            others = [
                n
                for n in names
                if bare not in n.split()
                and not re.search(
                    rf"\b{re.escape(bare)}\s+(?:[A-Z]\S*\s+){{0,3}}{re.escape(n)}", page or text
                )
                and not re.search(
                    rf"{re.escape(n)}\s+(?:[A-Z]\S*\s+){{0,3}}{re.escape(bare)}\b", page or text
                )
            ]
            if others:
                new = rng.choice(others)
                choices.append((k, k + 1, f"[{new}]{tail}", f"[{new}] for {bare}"))
        elif _AUXILIARY.match(words[k]) and words[k + 1].lower() not in ("not", "never", "no"):
            choices.append((k + 1, k + 1, "[not]", f"[not] after {words[k]}"))
    if not choices:
        return None
    i, j, new, what = rng.choice(choices)
    return " ".join([*words[:i], new, *words[j:]]), what
