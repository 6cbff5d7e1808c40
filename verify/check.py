"""The verdict: is this quote in this source, word for word?

``verified`` only when every word of the quote is found, in order, after
normalisation (typography only), with gaps only where the quote marks them (an
ellipsis, a bracketed stand-in) or where a new sentence of the quote starts after
whole lines the page put between two paragraphs (a caption, a "Read more" link).
Anything else that still matches one passage closely (most of the quote's words,
matched in place, not scattered) is ``altered``, with the word diff; the rest is
``not_found``. No score threshold decides ``verified``: a single changed word,
however long the quote, is a change.

``score`` is the share of the quote's words matched in place (100 when verified).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from verify.align import Alignment, align
from verify.conventions import bracket_changes, bracket_flags, bracket_names, ellipsis_gaps
from verify.flags import NEGATIONS, NUMBER_WORDS, change_flags, is_negation, is_number
from verify.links import link_hint
from verify.normalize import tokenize
from verify.numbers import restyled
from verify.order import misordered
from verify.segment import _ELLIPSIS_RE, SegmentedQuote, segment
from verify.source import SourceText, prepare
from verify.types import Change, Location, Match, Note, QuoteError, Result, Status

__all__ = [
    "NEGATIONS",
    "NUMBER_WORDS",
    "check_quote",
    "is_negation",
    "is_number",
    "judge",
    "omitted_words",
]

# ``altered`` needs a coherent passage: at least this share of the quote's words
# matched in place, at least this many words, and the matched words not scattered
# (at least this share of the source words spanned are matched quote words).
ALTERED_MIN_SHARE = 0.6
ALTERED_MIN_WORDS = 3
ALTERED_MIN_DENSITY = 0.5

# The flag words live in verify.flags; these names stay importable from here.
_flags = change_flags

# A silent omission longer than this many words is shown by its two ends.
_SHOWN_OMISSION = 60


def _skipped_text(src: SourceText, first: int, stop: int) -> str:
    """The source's own words ``first`` to ``stop`` (exclusive), shortened if long."""
    if stop - first <= _SHOWN_OMISSION:
        return src.original(first, stop - 1)[0]
    half = _SHOWN_OMISSION // 2
    head = src.original(first, first + half - 1)[0]
    tail = src.original(stop - half, stop - 1)[0]
    return f"{head} … {tail}"


def _changes(quote: SegmentedQuote, alignment: Alignment, src: SourceText) -> list[Change]:
    text = quote.quote
    changes: list[Change] = []
    last_end: int | None = None
    for piece, placement in zip(alignment.pieces, alignment.placements, strict=True):
        words = piece.words
        if placement is None:
            changes.append(
                Change(
                    "insert",
                    text[words[0].start : words[-1].end],
                    "",
                    _flags([w.word for w in words], []),
                )
            )
            continue
        if placement.piece in alignment.gap_violations and last_end is not None:
            # The quote joins what the source keeps apart: the words between are a
            # silent omission (or more than the bracket could stand in for).
            gap_text = _skipped_text(src, last_end, placement.start)
            _, gap_start, gap_end = src.original(last_end, placement.start - 1)
            changes.append(
                Change(
                    "replace" if piece.link == "bracket" else "delete",
                    piece.bracket if piece.link == "bracket" else "",
                    gap_text,
                    _flags([], src.words[last_end : placement.start]),
                    gap_start,
                    gap_end,
                )
            )
        for op in placement.ops:
            if op.tag == "equal":
                continue
            q_words = [w.word for w in words[op.q1 : op.q2]]
            s_words = src.words[op.s1 : op.s2]
            q_text = text[words[op.q1].start : words[op.q2 - 1].end] if op.q2 > op.q1 else ""
            if op.s2 > op.s1:
                s_text, start, end = src.original(op.s1, op.s2 - 1)
            else:  # the quote's extra words stand right after the source word before
                s_text = ""
                start = end = src.span(op.s1 - 1)[1] if op.s1 > 0 else src.span(0)[0]
            changes.append(Change(op.tag, q_text, s_text, _flags(q_words, s_words), start, end))
        last_end = placement.end
    return changes


_BRACKET_BEFORE_RE = re.compile(r"\[([^\[\]]*)\][^\w\[\]]*$")
_BRACKET_AFTER_RE = re.compile(r"^[^\w\[\]]*\[([^\[\]]*)\]")
_BRACKET_IN_RE = re.compile(r"\[([^\[\]]*)\]")


def _words(text: str) -> list[str]:
    return [t.word for t in tokenize(text)]


def _source_bracket_changes(
    quote: SegmentedQuote, alignment: Alignment, src: SourceText
) -> list[Change]:
    """Brackets the quote read as editorial stand-ins where the source has its own.

    A source may print square brackets itself (a footnote "[2]", a clarification in
    a transcript). A quote's bracket at that very place copies the source's, so its
    words must be the source's words: "[5]" for the source's "[2]" is a change.
    """
    placed = [p for p in alignment.placements if p is not None]
    if not placed or "[" not in src.text:
        return []
    text = src.text
    # (quote's bracket, source text where its stand-in sits, regex finding a bracket)
    spots: list[tuple[str, str, re.Pattern[str]]] = []
    if quote.leading:
        start = src.span(placed[0].start)[0]
        spots.append((quote.leading, text[max(0, start - 300) : start], _BRACKET_BEFORE_RE))
    if quote.trailing:
        end = src.span(placed[-1].end - 1)[1]
        spots.append((quote.trailing, text[end : end + 300], _BRACKET_AFTER_RE))
    for piece, placement in zip(alignment.pieces, alignment.placements, strict=True):
        if piece.link == "bracket" and placement is not None and placement.start > 0:
            gap = text[src.span(placement.start - 1)[1] : src.span(placement.start)[0]]
            prev = [p for p in placed if p.end <= placement.start]
            if prev and prev[-1].end < placement.start:
                gap = text[src.span(prev[-1].end - 1)[1] : src.span(placement.start)[0]]
            spots.append((piece.bracket, gap, _BRACKET_IN_RE))
    changes: list[Change] = []
    for bracket, around, pattern in spots:
        found = pattern.search(around)
        if found is None:
            continue
        mine = [w for m in _BRACKET_IN_RE.finditer(bracket) for w in _words(m.group(1))]
        theirs = _words(found.group(1))
        if mine == theirs:
            continue
        # Both brackets are editorial: the quote may word its own differently, as
        # long as it keeps the source's numbers, negations and names.
        flags = bracket_flags(bracket, theirs, bracket_names(found.group(1)), text)
        if flags:
            changes.append(Change("replace", bracket, found.group(0).strip(), flags))
    return changes


def judge(quote: SegmentedQuote, text: str, location: Location) -> Result:
    """The verdict of one quote against one text."""
    src = prepare(text)
    alignment = align(quote, src)
    placed = [p for p in alignment.placements if p is not None]
    total = max(alignment.total, 1)
    share = alignment.matched / total
    match = None
    if placed:
        snippet, start, end = src.original(placed[0].start, placed[-1].end - 1)
        match = Match(snippet, start, end, location)
    gaps = ellipsis_gaps(alignment, src)
    omits = [g for g in gaps if isinstance(g, Change)]
    omitted = tuple(g for g in gaps if isinstance(g, Note))
    if alignment.verified:
        conflicts = [
            *_source_bracket_changes(quote, alignment, src),
            *bracket_changes(quote, alignment, src),
            *omits,
        ]
        if not conflicts:
            return Result(Status.VERIFIED, 100.0, match, notes=omitted)
        share = max(alignment.total - len(conflicts), 0) / total
        return Result(
            Status.ALTERED, round(100.0 * share, 1), match, tuple(conflicts), notes=omitted
        )
    moved = misordered(quote, src)
    if moved is not None:
        changes, in_order, (first, stop) = moved
        snippet, start, end = src.original(first, stop - 1)
        match = Match(snippet, start, end, location)
        return Result(Status.ALTERED, round(100.0 * in_order / total, 1), match, tuple(changes))
    spanned = sum(p.end - p.start for p in placed)
    density = alignment.matched / max(spanned, alignment.matched, 1)
    if (
        alignment.matched >= min(ALTERED_MIN_WORDS, total)
        and share >= ALTERED_MIN_SHARE
        and density >= ALTERED_MIN_DENSITY
    ):
        diff = (
            *_changes(quote, alignment, src),
            *bracket_changes(quote, alignment, src),
            *omits,
        )
        return Result(Status.ALTERED, round(100.0 * share, 1), match, diff, notes=omitted)
    return Result(Status.NOT_FOUND, round(100.0 * share, 1))


# The full page text, given as a string or as a callable that builds it on first use
# (a caller's page whose text costs a parse: it is not built when the main text verifies).
PageText = str | Callable[[], str] | None
Links = Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] | None


def check_quote(
    quote: str,
    main_text: str,
    page_text: PageText = None,
    *,
    links: Links = None,
) -> Result:
    """Check ``quote`` against a source's main text, then its full page text.

    The main text is searched first, in every reading of the quote and every number
    style; only when none of them verifies it is the page text (everything visible on
    the page except link text) searched too: main-text extraction sometimes drops real
    body text. ``page_text`` and ``links`` may be callables, called only then, so a
    quote the main text verifies never builds them. The quote is segmented, and judged
    against the main text, once per reading for both searches. A verified match in the
    page beats an altered one in the main text. ``links`` are the page's links as
    (link text, address): a link's text never verifies a quote, but a quote found only
    there gets a ``link_hint`` (the words appear as a link to that address) and stays
    ``not_found``.
    A number written in another style than the source's ("9" for "nine") is
    typography: listed in ``notes``, not in ``changes``.
    Raises :class:`~verify.types.QuoteError` for a quote with no words.
    """
    memo = _Memo(main_text)
    best = _best(quote, memo, None)
    if best.status is Status.VERIFIED:
        return best
    page = page_text() if callable(page_text) else page_text
    if page and page != main_text:
        best = _best(quote, memo, page)
        if best.status is Status.VERIFIED:
            return best
    pairs = links() if callable(links) else links
    if pairs:
        hint = link_hint(memo.segmented(quote), pairs)
        if hint is not None:
            reason = f"the quoted words appear only as a link to {hint.url}"
            if best.status is Status.ALTERED:
                reason = f"the quoted words appear word for word as a link to {hint.url}"
            return replace(best, link_hint=hint, reason=reason)
    return best


# A quote with its numbers in the source's style, and the notes that say so.
_Styled = tuple[str, tuple[Note, ...]]


class _Memo:
    """What one check learns about the quote and the main text, kept for its second
    search (with the page text): the segmented readings, their verdicts on the main
    text, and the number restylings the main text suggests."""

    def __init__(self, main_text: str) -> None:
        self.main_text = main_text
        self._segments: dict[str, SegmentedQuote] = {}
        self._main: dict[str, Result] = {}
        self._restyled: dict[tuple[str, frozenset[str] | None], list[_Styled]] = {}

    def segmented(self, reading: str) -> SegmentedQuote:
        found = self._segments.get(reading)
        if found is None:
            found = self._segments[reading] = segment(reading)
        return found

    def on_main(self, reading: str) -> Result:
        found = self._main.get(reading)
        if found is None:
            found = judge(self.segmented(reading), self.main_text, Location.MAIN_TEXT)
            self._main[reading] = found
        return found

    def restyled_on_main(self, reading: str, only: frozenset[str] | None) -> list[_Styled]:
        key = (reading, only)
        found = self._restyled.get(key)
        if found is None:
            found = self._restyled[key] = restyled(reading, self.main_text, only)
        return found


def _best(quote: str, memo: _Memo, page_text: str | None) -> Result:
    """The best verdict over the quote's readings: the first verified one, else the
    closest (against the main text, and the page text when given)."""
    best: Result | None = None
    for reading in _readings(quote):
        result = _check_reading(reading, memo, page_text)
        if result.status is not Status.VERIFIED:
            result = _restyled(reading, result, memo, page_text)
        if result.status is Status.VERIFIED:
            return result
        if best is None or _rank(result) > _rank(best):
            best = result
    assert best is not None
    return best


_SHORT_QUOTE_WORDS = 12
# A number written another way changes at most this many words of the quote.
_STYLE_WORDS = 6


def _numeric(text: str) -> bool:
    return any(is_number(t.word) for t in tokenize(text))


def _restyled(reading: str, result: Result, memo: _Memo, page_text: str | None) -> Result:
    """The verdict with the quote's numbers in the source's style, when that is better:
    a difference of number style alone is typography (kept as notes)."""
    # Only where a number may be what stopped the match: the numbers in the changes a
    # near match flagged, or any number of a short quote (a long quote not found is
    # not saved by its numbers).
    # (A style difference shows as a short change with number words on the quote's side.)
    flagged = [
        c.quote
        for c in result.changes
        if c.op != "omit"
        and "number" in c.flags
        and len(c.quote.split()) <= _STYLE_WORDS
        and _numeric(c.quote)
    ]
    only: frozenset[str] | None = None
    if flagged:
        only = frozenset(t.word for q in flagged for t in tokenize(q))
    elif len(reading.split()) > _SHORT_QUOTE_WORDS:
        return result

    def variants() -> Iterator[_Styled]:
        # The main text's styles first; the page's only when none of those verifies.
        yield from memo.restyled_on_main(reading, only)
        if page_text and page_text != memo.main_text:
            yield from restyled(reading, page_text, only)

    best = result
    for variant, notes in variants():
        found = _check_reading(variant, memo, page_text)
        if found.status is Status.VERIFIED or _rank(found) > _rank(best):
            best = replace(found, notes=(*notes, *found.notes))
            if found.status is Status.VERIFIED:
                return best
    return best


def _readings(quote: str) -> list[str]:
    """The ways to read a quote: a zero-width space is a break hint inside a word as
    often as a space between two words, so a quote holding one is read both ways."""
    if "\u200b" not in quote:
        return [quote]
    return [quote, quote.replace("\u200b", " ")]


def _rank(result: Result) -> tuple[int, float]:
    return (1 if result.status is Status.ALTERED else 0), result.score


def _check_reading(reading: str, memo: _Memo, page_text: str | None) -> Result:
    main = memo.on_main(reading)
    if main.status is Status.VERIFIED or not page_text or page_text == memo.main_text:
        return main
    page = judge(memo.segmented(reading), page_text, Location.PAGE)
    if page.status is Status.VERIFIED or _rank(page) > _rank(main):
        return page
    return main


def omitted_words(quote: str, text: str) -> list[dict[str, object]]:
    """The source words each ellipsis of ``quote`` leaves out in ``text`` (``omitted``
    notes as dicts, with offsets), for showing them as omitted; [] without one."""
    if not _ELLIPSIS_RE.search(quote):
        return []
    try:
        result = judge(segment(quote), text, Location.MAIN_TEXT)
    except QuoteError:
        return []
    return [n.to_dict() for n in result.notes if n.kind == "omitted"]
