"""Number values: the same number written in another house style is typography.

"nine" and "9", "3.38%" and "3.38 per cent", "$22.6bn" and "$22.6 billion", "£5m"
and "£5 million" are one value each; "3,000" and "3000" are one token already (see
:mod:`verify.normalize`). A quote that differs from its source only in such styles
is the source's words; a different value is a change.

The reading works on normalised words (the tokens of :mod:`verify.normalize`): an
optional currency sign, a number (digits, possibly with a scale glued on: ``22.6bn``,
``5m``; or cardinal number words: ``twenty five``, ``three hundred``), an optional
scale word (``billion``, ``bn``) and an optional percent (``%``, ``per cent``,
``percent``). Why our own small reader rather than a library: the packages that read
number words (word2number, text2num) take a whole phrase and raise or guess on
anything else; here we need spans over a token list, in both directions, and cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from verify.normalize import tokenize
from verify.source import SourceText, prepare
from verify.types import Note

# fmt: off
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
}
# fmt: on
_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
_SCALES = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}
# Scales glued to digits ("5m", "22.6bn", "40k"): "m" is million in a news text.
_GLUED = {"k": Decimal(10) ** 3, "m": Decimal(10) ** 6, **_SCALES}
_DIGITS_RE = re.compile(r"(\d+(?:\.\d+)?)([a-z]*)")
_CURRENCIES = frozenset("$£€¥₹₽")


@dataclass(frozen=True, slots=True)
class NumberValue:
    """What a number expression means: its currency, value and whether it is a percent."""

    currency: str
    value: Decimal
    percent: bool
    ordinal: bool = False  # "third" / "3rd"


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number expression: words ``start`` to ``end`` (exclusive) and its value."""

    start: int
    end: int
    value: NumberValue


def _digits(word: str) -> Decimal | None:
    m = _DIGITS_RE.fullmatch(word)
    if m is None:
        return None
    suffix = m.group(2)
    if suffix and suffix not in _GLUED:
        return None  # "3am", "10km", "5th" (an ordinal, read apart): not a plain count
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern only admits digits
        return None
    return value * _GLUED[suffix] if suffix else value


def _ordinal(words: list[str], i: int) -> tuple[Decimal, int] | None:
    """An ordinal from ``i`` ("3rd", "third", "twenty first"), and its end."""
    word = words[i]
    m = _DIGITS_RE.fullmatch(word)
    if m and m.group(2) in _ORDINAL_SUFFIXES and "." not in m.group(1):
        return Decimal(m.group(1)), i + 1
    if word in _ORDINALS:
        return Decimal(_ORDINALS[word]), i + 1
    if word in _UNITS and _UNITS[word] >= 20 and i + 1 < len(words):
        nxt = _ORDINALS.get(words[i + 1], 0)
        if 0 < nxt < 10:
            return Decimal(_UNITS[word] + nxt), i + 2
    return None


def _words_value(words: list[str], i: int) -> tuple[Decimal, int] | None:
    """Cardinal number words from ``i`` ("twenty five", "three hundred"), and their end."""
    if i >= len(words) or words[i] not in _UNITS:
        return None
    total = Decimal(0)
    current = Decimal(0)
    j = i
    while j < len(words):
        word = words[j]
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred" and current:
            current *= 100
        elif word in ("thousand", "million", "billion", "trillion") and current:
            total += current * _SCALES[word]
            current = Decimal(0)
        else:
            break
        j += 1
    return total + current, j


def read_number(words: list[str], i: int) -> NumberSpan | None:
    """The number expression starting at word ``i``, if one does."""
    j = i
    currency = ""
    if j < len(words) and words[j] in _CURRENCIES:
        currency = words[j]
        j += 1
    if j >= len(words):
        return None
    if not currency:
        ordinal = _ordinal(words, j)
        if ordinal is not None:
            return NumberSpan(i, ordinal[1], NumberValue("", ordinal[0], False, True))
    value = _digits(words[j])
    if value is not None:
        j += 1
    else:
        found = _words_value(words, j)
        if found is None:
            return None
        value, j = found
    if j < len(words) and words[j] in _SCALES:
        value *= _SCALES[words[j]]
        j += 1
    percent = False
    if j < len(words) and words[j] in ("%", "percent"):
        percent, j = True, j + 1
    elif words[j : j + 2] == ["per", "cent"]:
        percent, j = True, j + 2
    return NumberSpan(i, j, NumberValue(currency, value.normalize(), percent))


def number_spans(words: list[str]) -> list[NumberSpan]:
    """Every number expression in ``words``, left to right, not overlapping."""
    spans: list[NumberSpan] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _CURRENCIES or word in _UNITS or word in _ORDINALS or word[:1].isdigit():
            found = read_number(words, i)
            if found is not None:
                spans.append(found)
                i = found.end
                continue
        i += 1
    return spans


def same_value(quote_words: list[str], source_words: list[str]) -> bool:
    """Do two runs of words say the same numbers, in any style, and nothing else?

    True when both hold at least one number, their numbers have equal values in
    order, and their other words are the same.
    """
    q_spans, s_spans = number_spans(quote_words), number_spans(source_words)
    if not q_spans or len(q_spans) != len(s_spans):
        return False
    if [s.value for s in q_spans] != [s.value for s in s_spans]:
        return False
    return _rest(quote_words, q_spans) == _rest(source_words, s_spans)


def _rest(words: list[str], spans: list[NumberSpan]) -> list[str]:
    inside = {k for s in spans for k in range(s.start, s.end)}
    return [w for k, w in enumerate(words) if k not in inside]


# At most this many numbers of one quote are restyled (each costs index lookups).
_MOST_RESTYLED = 8
_WORD_OF = {v: w for w, v in _UNITS.items()}
_ORDINAL_OF = {v: w for w, v in _ORDINALS.items()}


def _forms(value: NumberValue) -> set[str]:
    """Words that may start (or follow a currency sign in) an expression of ``value``:
    found with the source's word index, so that a page is never scanned in Python."""
    v = value.value
    forms: set[str] = set()
    if value.ordinal:
        n = int(v)
        forms.update({f"{n}st", f"{n}nd", f"{n}rd", f"{n}th"})
        word = _ORDINAL_OF.get(n) or _WORD_OF.get(n - n % 10)
        if word:
            forms.add(word)
        return forms
    forms.add(format(v, "f"))
    for suffix, scale in _GLUED.items():
        scaled = (v / scale).normalize()
        if scaled >= 1 and scaled == scaled.quantize(Decimal("0.001")):
            digits = format(scaled, "f")
            forms.update({digits, digits + suffix})
    if v == v.to_integral_value() and 0 <= v < 100:
        n = int(v)
        word = _WORD_OF.get(n) or _WORD_OF.get(n - n % 10)
        if word:
            forms.add(word)
    return forms


def _source_styles(value: NumberValue, src: SourceText) -> list[tuple[tuple[str, ...], int, int]]:
    """Each place ``src`` writes ``value``: (its words, first word, end)."""
    found: dict[int, tuple[tuple[str, ...], int, int]] = {}
    for form in _forms(value):
        for p in src.positions(form):
            for start in (p - 1, p):
                span = read_number(src.words, start) if start >= 0 else None
                if span is not None and span.end > p and span.value == value:
                    style = tuple(src.words[span.start : span.end])
                    found[span.start] = (style, span.start, span.end)
    return [found[k] for k in sorted(found)]


def restyled(
    quote: str, text: str, only: frozenset[str] | None = None
) -> list[tuple[str, tuple[Note, ...]]]:
    """``quote`` with its numbers written as ``text`` writes the same values, in a few
    variants (each with a note per number restyled), most likely first.

    Which number of the quote stands where in the source is not known before
    matching, so the variants are: every number the source also writes in another
    style restyled; only those the source never writes the quote's way; and each such
    number alone. The matcher then compares words as usual: a restyled quote verifies
    only if all its other words are the source's, and a number of another value is
    never restyled, so it stays a change. With ``only``, just the numbers that hold
    one of those words (the words of the changes a near match flagged ``number``).
    """
    tokens = tokenize(quote)
    words = [t.word for t in tokens]
    spans = number_spans(words)
    if only is not None:
        spans = [s for s in spans if only.intersection(words[s.start : s.end])]
    spans = spans[:_MOST_RESTYLED]
    if not spans:
        return []
    src = prepare(text)
    # (span, the source's other style as written, the source never writes the quote's)
    options: list[tuple[NumberSpan, str, bool]] = []
    for span in spans:
        style = tuple(words[span.start : span.end])
        seen = _source_styles(span.value, src)
        other = next(((f, e) for s, f, e in seen if s != style), None)
        if other is not None:
            written = src.original(other[0], other[1] - 1)[0]
            options.append((span, written, all(s != style for s, _, _ in seen)))
    choices = [options, [o for o in options if o[2]]]
    if 1 < len(options) <= 3:
        choices.extend([o] for o in options)
    variants: list[tuple[str, tuple[Note, ...]]] = []
    for chosen in choices:
        if not chosen:
            continue
        out = quote
        notes: list[Note] = []
        for span, written, _ in sorted(chosen, key=lambda o: -o[0].start):
            a, b = tokens[span.start].start, tokens[span.end - 1].end
            notes.append(Note("number_style", quote[a:b], written))
            out = out[:a] + written + out[b:]
        if all(v[0] != out for v in variants):
            variants.append((out, tuple(reversed(notes))))
    return variants
