"""Quote segmentation: the conventions of quoting, read before any matching.

A quote is cut into *pieces*, runs of words that must each appear in the source
word for word, in order:

- an ellipsis (``...``, ``…``, ``. . .``, ``[…]``, ``[...]``, ``(...)``) marks omitted
  words: the next piece may start anywhere after the previous one ends;
- a square bracket standing alone (``[the North Korean presence]``, ``[Russia]’s``)
  is an editorial insertion standing for some unknown source words: the next piece
  must start within a few words of the previous one (whatever the bracket says);
- a bracket inside a word (``[T]he``, ``reform[s]``) changes the word: it matches the
  word with or without the bracketed letters (case is folded anyway);
- ``[sic]`` and notes such as ``[emphasis added]`` stand for nothing;
- a new sentence (after ``.``, ``!`` or ``?``, or a line break) starts a new piece
  that must follow directly, unless the source has whole lines between (a caption
  between two paragraphs); "Mr." and "U.S." end no sentence.

Punctuation and quote marks around and inside the quote are not words (see
:mod:`verify.normalize`), so a quote may start mid-sentence, drop its full stop or
keep its quotation marks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from verify.normalize import normalize_word, tokenize
from verify.types import QuoteError

Link = Literal["start", "ellipsis", "bracket", "sentence"]

_DOTS = r"\.(?:[\s\u200b]{0,3}\.){2,}"
_ELLIPSIS = (
    rf"\[\s*(?:{_DOTS}|…)\s*\]"  # [...] [. . .] […]
    rf"|\(\s*(?:{_DOTS}|…)\s*\)"  # (...) (…)
    rf"|{_DOTS}|…"  # ... . . . …
)
_ELLIPSIS_RE = re.compile(_ELLIPSIS)
_MARKER_RE = re.compile(rf"{_ELLIPSIS}|\[[^\[\]]*\]")
# Editorial notes that stand for nothing in the source.
_NOTES = {
    "sic",
    "sic!",
    "emphasis added",
    "emphasis mine",
    "emphasis in original",
    "original emphasis",
    "italics added",
    "italics mine",
    "",
}
# An editor's stand-in is a few words; a longer bracket is the source's own text.
_LONGEST_STAND_IN = 8
# Between two words of a quote, the end of a sentence or a line: the quote may join
# two paragraphs of the source there (see Piece).
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*\s|\n")
# Words whose full stop ends no sentence (single letters: "U.S.", "J. K.").
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "gov", "sen", "rep", "lt",
    "col", "capt", "sgt", "vs", "etc", "inc", "ltd", "co", "corp",
    *"abcdefghijklmnopqrstuvwxyz",
})
# fmt: on
# A possessive after a bracket (``[Russia]’s``) belongs to the bracket.
_POSSESSIVE_RE = re.compile(r"['\u2019]s\b")
# Invisible in the tokenizer's eyes but keeps a word whole: put in place of the
# square brackets of ``[T]he`` so the offsets of the quote stay the same.
_WORD_JOINER = "\u2060"


@dataclass(frozen=True, slots=True)
class QuoteWord:
    """A word of the quote: the forms it may take in the source, and where it is."""

    forms: tuple[str, ...]
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.forms[0]


@dataclass(slots=True)
class Piece:
    """Words that must appear in the source consecutively.

    ``link`` says how this piece follows the previous one: ``ellipsis`` (any number
    of source words may lie between), ``bracket`` (at most ``max_gap`` source words
    may lie between: the bracket's stand-in), ``sentence`` (a new sentence: it must
    follow directly, unless whole lines of the source lie between, such as a caption
    or a "Read more" link that the page puts between two paragraphs) or ``start``
    for the first piece.
    """

    words: list[QuoteWord] = field(default_factory=list)
    link: Link = "start"
    max_gap: int = 0
    bracket: str = ""


@dataclass(frozen=True, slots=True)
class SegmentedQuote:
    """The pieces of a quote, and the stand-ins before its first and after its last word.

    ``leading`` and ``trailing`` are bracketed stand-ins at the quote's edges
    (``[He] said``): they constrain nothing, unless the source has a bracket of its
    own there, which the quote then copies and must copy right.
    """

    quote: str
    pieces: tuple[Piece, ...]
    leading: str = ""
    trailing: str = ""

    @property
    def words(self) -> list[QuoteWord]:
        return [word for piece in self.pieces for word in piece.words]


def _bracket_gap(content: str) -> int:
    """How many source words a bracketed stand-in may replace."""
    return min(20, 4 + 2 * len(tokenize(content)))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def segment(quote: str) -> SegmentedQuote:
    """Cut ``quote`` into pieces. Raises :class:`QuoteError` when it has no words.

    The quote is put in Unicode NFC first: a quote pasted in decomposed form
    (Korean jamo, Japanese voicing marks, accents as combining marks) then reads
    like the page, which is composed. Offsets refer to that composed quote.
    """
    quote = unicodedata.normalize("NFC", quote)
    work = list(quote)
    # (position, kind, max_gap, text): the breaks between pieces.
    breaks: list[tuple[int, Link, int, str]] = []
    # Spans of bracketed letters inside a word, for the word's other form.
    inner: list[tuple[int, int]] = []
    for m in _MARKER_RE.finditer(quote):
        start, end = m.span()
        text = m.group()
        if _ELLIPSIS_RE.fullmatch(text):
            breaks.append((start, "ellipsis", 0, text))
            work[start:end] = " " * (end - start)
            continue
        content = text[1:-1].strip()
        if len(tokenize(content)) > _LONGEST_STAND_IN:
            # Too long for an editor's stand-in: the source's own brackets, copied.
            continue
        if content.casefold() in _NOTES:
            work[start:end] = " " * (end - start)
            continue
        before = quote[start - 1] if start else " "
        after = quote[end] if end < len(quote) else " "
        if _is_word_char(before) or _is_word_char(after):
            work[start] = work[end - 1] = _WORD_JOINER
            inner.append((start + 1, end - 1))
            continue
        possessive = _POSSESSIVE_RE.match(quote, end)
        if possessive:
            end = possessive.end()
        breaks.append((start, "bracket", _bracket_gap(content), text))
        work[start:end] = " " * (end - start)
    worked = "".join(work)
    tokens = tokenize(worked)
    if not any(any(ch.isalnum() for ch in token.word) for token in tokens):
        raise QuoteError("the quote has no words")

    pieces: list[Piece] = [Piece()]
    next_break = 0
    for token in tokens:
        link: Link | None = None
        gap = 0
        marks: list[str] = []
        while next_break < len(breaks) and breaks[next_break][0] < token.start:
            _, kind, max_gap, bracket = breaks[next_break]
            link = "ellipsis" if kind == "ellipsis" or link == "ellipsis" else "bracket"
            gap += max_gap
            marks.append(bracket)
            next_break += 1
        if link is None and pieces[-1].words:
            between = quote[pieces[-1].words[-1].end : token.start]
            if _SENTENCE_END_RE.search(between) and (
                "\n" in between or not _abbreviation(quote, pieces[-1].words[-1])
            ):
                link = "sentence"
        if link is not None and pieces[-1].words:
            pieces.append(Piece(link=link, max_gap=gap, bracket=" ".join(marks)))
        elif link is not None and len(pieces) > 1:
            # Two breaks with no word between: the looser one wins.
            piece = pieces[-1]
            piece.link = "ellipsis" if "ellipsis" in (piece.link, link) else "bracket"
            piece.max_gap += gap
        if inner:
            word = _quote_word(worked, token.start, token.end, token.word, inner)
        else:  # (most quotes: no bracket inside a word, one form each)
            word = QuoteWord((token.word,), token.start, token.end)
        pieces[-1].words.append(word)
    # A stand-in before the first word or after the last one starts or ends no piece.
    first_word = tokens[0].start if tokens else len(quote)
    last_word = tokens[-1].end if tokens else 0
    leading = " ".join(b[3] for b in breaks if b[1] == "bracket" and b[0] < first_word)
    trailing = " ".join(b[3] for b in breaks if b[1] == "bracket" and b[0] >= last_word)
    return SegmentedQuote(quote, tuple(piece for piece in pieces if piece.words), leading, trailing)


def _abbreviation(quote: str, word: QuoteWord) -> bool:
    """True for a word whose full stop ends no sentence ("Mr.", "U.S.")."""
    return word.word in _ABBREVIATIONS or "." in quote[word.start : word.end]


def _quote_word(
    worked: str, start: int, end: int, word: str, inner: list[tuple[int, int]]
) -> QuoteWord:
    forms = [word]
    for inner_start, inner_end in inner:
        if start <= inner_start and inner_end <= end:
            # The word without the bracketed letters: "reform[s]" may be "reform".
            bare = worked[start:inner_start] + worked[inner_end:end]
            bare_word = normalize_word(bare)
            if bare_word and bare_word not in forms:
                forms.append(bare_word)
    return QuoteWord(tuple(forms), start, end)
