"""The conventions of quoting may shorten a quote; they may not change its meaning.

An ellipsis stands for omitted words, not for omitted meaning: when the words on
both sides of one belong to one sentence of the source and the words it elides
include a negation, a number or a qualifier limiting the claim ("only",
"reportedly", "may", "almost", "up to"...; see :mod:`verify.flags`), the omission is
a change (op ``omit``). An ellipsis across sentences, or over neutral words, is not.

A bracket stands in for words, it does not replace facts: one that takes the place
of a number, a negation or a proper name of the source and says something else
(``[seven]`` for "six", ``[not]`` where the source has none, ``[Russia]`` for
"Ukraine") is a change (op ``replace``). A bracket naming who a pronoun means, a
capital changed, ``[sic]`` or added context are not.

These checks run on an alignment the matcher already found (placements of the
quote's pieces in the source): they only look at the source words between pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verify.align import Alignment
from verify.flags import is_negation, omission_flags
from verify.normalize import tokenize
from verify.numbers import number_spans
from verify.segment import Piece, SegmentedQuote
from verify.source import SourceText
from verify.types import Change, Note

ELLIPSIS_MARK = "…"

# A sentence ends at ".", "!", "?" or "…" (after closing quotes or brackets) followed
# by space and a new sentence's first character; or at a line break.
_SENTENCE_BREAK_RE = re.compile(r"(\w*)[.!?…]+[\"'”’)\]]*\s+[\"'“‘(\[]*(?=[A-Z0-9À-Ý])|\n")
# Words whose full stop ends no sentence ("Mr. Smith", "U.S. forces", "No. 10").
_OWN_BRACKET_BEFORE_RE = re.compile(r"\][^\w\[\]]*$")
_OWN_BRACKET_AFTER_RE = re.compile(r"^[^\w\[\]]*\[")
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "gov", "sen", "rep", "lt",
    "col", "capt", "sgt", "vs", "etc", "inc", "ltd", "co", "corp", "no", "vol", "fig",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "rev", "hon",
})
# Capitalised words that are no names: pronouns, determiners, and words that start
# a bracketed stand-in ("[The minister]", "[He]").
_NOT_NAMES = frozenset({
    "i", "he", "she", "it", "we", "they", "you", "him", "her", "them", "us", "me", "his",
    "hers", "its", "our", "their", "your", "my", "this", "that", "these", "those", "the",
    "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "but", "who",
    "which", "what", "there", "here", "mr", "mrs", "ms", "dr", "sir", "lord", "lady",
})
# fmt: on


def sentence_break(text: str) -> bool:
    """Does ``text`` hold the end of a sentence or a paragraph? (It should run from
    the start of the word before the break to the first character after it.)"""
    for m in _SENTENCE_BREAK_RE.finditer(text):
        if m.group(0) == "\n":
            return True
        word = m.group(1)
        initial = len(word) == 1 and word.isalpha()  # "J. K. Rowling", "U.S."
        if word.casefold() not in _ABBREVIATIONS and not initial:
            return True
    return False


def breaks_before(src: SourceText, k: int) -> bool:
    """Does a sentence (or paragraph) end between source words ``k - 1`` and ``k``?"""
    if k <= 0 or k >= len(src):
        return True
    return sentence_break(src.text[src.span(k - 1)[0] : src.span(k)[1]])


def _placed_links(alignment: Alignment) -> Iterator[tuple[Piece, int, int]]:
    """Each piece placed right after another placed piece, with the source gap
    (``end`` of the previous piece, ``start`` of this one) when its link held."""
    last_end: int | None = None
    for piece, placement in zip(alignment.pieces, alignment.placements, strict=True):
        if placement is None:
            last_end = None
            continue
        if last_end is not None and placement.piece not in alignment.gap_violations:
            yield piece, last_end, placement.start
        last_end = placement.end


def ellipsis_omissions(alignment: Alignment, src: SourceText) -> list[Change]:
    """The meaning an ellipsis hides: an ``omit`` per ellipsis within one source
    sentence whose elided words hold a negation, a number or a qualifier."""
    return [c for c in ellipsis_gaps(alignment, src) if isinstance(c, Change)]


def omitted_notes(alignment: Alignment, src: SourceText) -> list[Note]:
    """The source words each harmless ellipsis left out (for display only)."""
    return [n for n in ellipsis_gaps(alignment, src) if isinstance(n, Note)]


# More words than any sentence has.
_LONGEST_SENTENCE = 250
# A long omission is shown by its two ends.
_SHOWN_WORDS = 30


def ellipsis_gaps(alignment: Alignment, src: SourceText) -> list[Change | Note]:
    """Each ellipsis's left-out source words: a flagged ``omit`` change when they hold
    a negation, number or qualifier within one sentence, otherwise an ``omitted`` note."""
    out: list[Change | Note] = []
    for piece, end, start in _placed_links(alignment):
        if piece.link != "ellipsis" or start <= end:
            continue
        # Within one sentence: no sentence ends between the last word kept, the
        # elided words and the next word kept. (A gap longer than any sentence, in a
        # text without punctuation, is not read as one.)
        one_sentence = start - end <= _LONGEST_SENTENCE and not any(
            breaks_before(src, k) for k in range(end, start + 1)
        )
        flags = omission_flags(src.words[end:start]) if one_sentence else ()
        if flags:
            text, s_start, s_end = src.original(end, start - 1)
            out.append(Change("omit", ELLIPSIS_MARK, text, flags, s_start, s_end))
            continue
        text, s_start, s_end = src.original(end, start - 1)
        if start - end > _SHOWN_WORDS:
            half = _SHOWN_WORDS // 2
            head = src.original(end, end + half - 1)[0]
            tail = src.original(start - half, start - 1)[0]
            text = f"{head} … {tail}"
        out.append(Note("omitted", ELLIPSIS_MARK, text, s_start, s_end))
    return out


def _names(src: SourceText, first: int, stop: int) -> set[str]:
    """Proper names among source words ``first`` to ``stop``: capitalised words that
    do not start a sentence, or that start one but are capitalised elsewhere too."""
    found: set[str] = set()
    for k in range(first, stop):
        s, e = src.span(k)
        raw = src.text[s:e]
        word = src.words[k]
        if not raw[:1].isupper() or word in _NOT_NAMES:
            continue
        if not breaks_before(src, k) or re.search(rf"[a-z,;] {re.escape(raw)}\b", src.text):
            found.add(word)
    return found


def bracket_names(bracket: str, source: str = "") -> set[str]:
    """The names a bracket gives: its capitalised words, and (for a quote put in lower
    case) its words that ``source`` writes capitalised inside a sentence."""
    names: set[str] = set()
    for token in tokenize(bracket):
        raw = bracket[token.start : token.end]
        if token.word in _NOT_NAMES or not raw[:1].isalpha():
            continue
        if raw[:1].isupper() or (
            source and re.search(rf"[a-z,;] {re.escape(raw[:1].upper() + raw[1:])}\b", source)
        ):
            names.add(token.word)
    return names


def bracket_flags(
    bracket: str, source_words: list[str], source_names: set[str], source: str = ""
) -> tuple[str, ...]:
    """What a bracket changes of the source words it stands for (nothing: ``()``).

    ``negation`` when it adds or drops one; ``number`` when the source words hold a
    number and the bracket does not say the same value; ``name`` when the source
    words hold a proper name and the bracket names someone or something else.
    """
    words = [t.word for t in tokenize(bracket)]
    flags: list[str] = []
    s_numbers = [s.value for s in number_spans(source_words)]
    if s_numbers and [s.value for s in number_spans(words)] != s_numbers:
        flags.append("number")
    if sum(map(is_negation, words)) != sum(map(is_negation, source_words)):
        flags.append("negation")
    mine = bracket_names(bracket, source)
    if (
        source_names
        and mine
        and not mine & source_names
        and not _initials(mine, source_names)
        and not _named_together(bracket, mine, source_names, source)
    ):
        flags.append("name")
    return tuple(flags)


def _named_together(bracket: str, mine: set[str], source_names: set[str], source: str) -> bool:
    """Does ``source`` run the bracket's name, whole, and one of the source's names
    together as one title and name ("Prime Minister Boris Johnson" for "[the prime
    minister]" in place of "Johnson")? Then both name one person or thing."""
    if not source:
        return False
    phrase = [t.word for t in tokenize(bracket) if t.word in mine]
    whole = r"\s+".join(rf"(?i:{re.escape(w)})" for w in phrase)
    cap = r"(?:[A-Z][\w'’.-]*\s+){0,3}"  # case-sensitive: a run of capitalised words
    for name in source_names:
        other = rf"(?i:{re.escape(name)})"
        for pattern in (rf"\b{whole}\s+{cap}{other}\b", rf"\b{other}\s+{cap}{whole}\b"):
            if re.search(pattern, source):
                return True
    return False


def _initials(mine: set[str], source_names: set[str]) -> bool:
    """Is a name of the bracket the initials of the source's names ("[NIS]" for the
    National Intelligence Service)?"""
    letters = {name[0] for name in source_names}
    return any(len(name) > 1 and set(name) <= letters for name in mine)


def bracket_changes(quote: SegmentedQuote, alignment: Alignment, src: SourceText) -> list[Change]:
    """A ``replace`` for each bracket that takes the place of a number, negation or
    name of the source and says something else (see :func:`bracket_flags`)."""
    changes: list[Change] = []
    for piece, end, start in _placed_links(alignment):
        if piece.link != "bracket" or not piece.bracket:
            continue
        changes.extend(_stand_in(piece.bracket, src, end, start))
    placed = [p for p in alignment.placements if p is not None]
    # At the quote's edges, a source's own bracket is compared in verify.check.
    if (
        placed
        and quote.leading
        and not _OWN_BRACKET_BEFORE_RE.search(src.text[: src.span(placed[0].start)[0]][-300:])
    ):
        first = placed[0].start
        lo = _sentence_start(src, first, len(tokenize(quote.leading)))
        # At an edge, which source words the bracket stands for is a guess: a name
        # there may be the bracket's own subject, so only numbers and negations count.
        changes.extend(_stand_in(quote.leading, src, lo, first, names=False))
    if (
        placed
        and quote.trailing
        and not _OWN_BRACKET_AFTER_RE.search(src.text[src.span(placed[-1].end - 1)[1] :][:300])
    ):
        last = placed[-1].end
        hi = _sentence_end(src, last, len(tokenize(quote.trailing)))
        changes.extend(_stand_in(quote.trailing, src, last, hi, names=False))
    return changes


def _stand_in(
    bracket: str, src: SourceText, end: int, start: int, names: bool = True
) -> list[Change]:
    stood_for = src.words[end:start]
    names_there = _names(src, end, start) if names else set()
    flags = bracket_flags(bracket, stood_for, names_there, src.text if names_there else "")
    if not flags:
        return []
    if start > end:
        text, s_start, s_end = src.original(end, start - 1)
    else:
        text, s_start = "", src.span(end - 1)[1] if end > 0 else 0
        s_end = s_start
    return [Change("replace", bracket, text, flags, s_start, s_end)]


def _sentence_start(src: SourceText, first: int, most: int) -> int:
    """Up to ``most`` words before word ``first``, within its sentence."""
    lo = first
    while lo > 0 and first - lo < most and not breaks_before(src, lo):
        lo -= 1
    return lo


def _sentence_end(src: SourceText, last: int, most: int) -> int:
    """Up to ``most`` words after the quote's last word ``last - 1``, in its sentence."""
    hi = last
    while hi < len(src) and hi - last < most and not breaks_before(src, hi):
        hi += 1
    return hi
