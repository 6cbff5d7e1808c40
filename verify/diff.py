"""The word diff of one piece of a quote against a window of source words.

``rapidfuzz.distance.Indel.opcodes`` on the two word lists gives the longest common
subsequence: the most quote words matched, in order. Indel rather than Levenshtein
because an extra source word should show as an omission, not shift a substitution
along. The raw opcodes are then made readable and honest:

- matched blocks slide across dropped source words that repeat them, so that a
  common word is not matched a sentence away (``_slide``, ``_drop_stray_edges``);
- the window's context before the first and after the last matched word is not an
  omission (``_trim``), and a replacement at an edge takes no more source words than
  it replaces;
- a replacement whose two sides spell the same letters ("long range" / "longrange",
  "min[ute]s" / "minutes", "Boeing 's" / "Boeing's") is typography, so equal;
- equal words at the ends of a replacement are peeled off ("we can" / "we cannot"
  is "can" / "cannot").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from verify.segment import Piece, QuoteWord
from verify.source import SourceText

_FROM_QUOTE = {"delete": "insert", "insert": "delete"}
# Word breaks are looked for only in differences of at most this many quote words
# (twice as many source words): a long difference is no typography, and trying every
# cut of it would cost its length squared.
_SHORT = 6
# Characters that may join or split words without changing them.
_WORD_BREAKS = str.maketrans("", "", "'.,")


@dataclass(slots=True)
class Op:
    """One run of the word diff of a piece against the source.

    ``tag`` is ``equal``, ``insert`` (quote words missing from the source),
    ``delete`` (source words the quote silently dropped) or ``replace``.
    Quote indices are into the piece's words, source indices into the source words.
    """

    tag: str
    q1: int
    q2: int
    s1: int
    s2: int


@dataclass(slots=True)
class Placement:
    """A piece placed at source words ``start`` to ``end`` (exclusive)."""

    piece: int
    start: int
    end: int
    matched: int
    ops: list[Op] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return all(op.tag == "equal" for op in self.ops)


def _same_letters(q_words: list[str], s_words: list[str]) -> bool:
    """The same words, or the same up to word breaks (see :func:`_typographic`)."""
    return q_words == s_words or _typographic(q_words, s_words)


def _typographic(q_words: list[str], s_words: list[str]) -> bool:
    """True when two runs differ only by word breaks ("long-range" / "longrange")."""
    if not q_words or not s_words:
        return False
    if "".join(q_words) == "".join(s_words):
        return True
    # A word split at its apostrophe ("Boeing 's", left by a link in the page's
    # markup) or at a full stop or comma ("U.S." for "US", "3 000" for "3,000") is
    # still the same word; a one-for-one swap ("its" / "it's", "1.5" / "15") is not.
    return len(q_words) != len(s_words) and "".join(q_words).translate(_WORD_BREAKS) == "".join(
        s_words
    ).translate(_WORD_BREAKS)


def align_window(piece: Piece, j: int, src: SourceText, lo: int, hi: int) -> Placement | None:
    """Align the piece's words against source words ``lo`` to ``hi``.

    A word with a bracketed part (``idea[s]``) is first tried in the form the window
    holds; if that leaves differences, its full form is tried too: the source may
    hold the bracket itself (``idea[s]`` tokenises as ``idea s``, equal to ``ideas``
    up to a word break).
    """
    window = src.words[lo:hi]
    present = set(window)
    q = [_form_in(w, present) for w in piece.words]
    best = _align_words(q, j, src, lo, hi)
    primary = [w.word for w in piece.words]
    if q != primary and (best is None or not best.exact):
        other = _align_words(primary, j, src, lo, hi)
        if other is not None and (best is None or _quality(other) > _quality(best)):
            best = other
    return best


def _quality(placement: Placement) -> tuple[bool, int, int]:
    return placement.exact, placement.matched, -len(placement.ops)


def _align_words(q: list[str], j: int, src: SourceText, lo: int, hi: int) -> Placement | None:
    window = src.words[lo:hi]
    # Indel speaks of editing the quote into the window: its "delete" drops quote words
    # (the quote has words the source lacks: our "insert") and its "insert" adds source
    # words (the quote silently omitted them: our "delete").
    raw = [
        Op(
            _FROM_QUOTE.get(op.tag, op.tag),
            op.src_start,
            op.src_end,
            op.dest_start + lo,
            op.dest_end + lo,
        )
        for op in Indel.opcodes(q, window)
    ]
    _slide(raw, src.words, len(q))
    ops = _merge(raw)
    # The window is wider than the match: source words before the first and after the
    # last quote word are context, not omissions.
    _trim(ops)
    _drop_stray_edges(ops)
    # A replacement at either edge takes no more source words than it replaces: past
    # the quote's last word, the source just goes on.
    # (Unless some of those source words spell the quote's words: "min[ute]s".)
    if ops and ops[0].tag == "replace":
        op = ops[0]
        tail = next(
            (
                k
                for k in range(op.s2 - 1, max(op.s1, op.s2 - 2 * _SHORT) - 1, -1)
                if op.q2 - op.q1 <= _SHORT and _same_letters(q[op.q1 : op.q2], src.words[k : op.s2])
            ),
            None,
        )
        op.s1 = tail if tail is not None else max(op.s1, op.s2 - (op.q2 - op.q1))
    if ops and ops[-1].tag == "replace":
        op = ops[-1]
        head = next(
            (
                k
                for k in range(op.s1 + 1, min(op.s2, op.s1 + 2 * _SHORT) + 1)
                if op.q2 - op.q1 <= _SHORT and _same_letters(q[op.q1 : op.q2], src.words[op.s1 : k])
            ),
            None,
        )
        op.s2 = head if head is not None else min(op.s2, op.s1 + (op.q2 - op.q1))
    if ops and ops[0].tag == "replace" and _glued(q, ops[0], src, at_start=True):
        ops[0].tag = "equal"
    if ops and ops[-1].tag == "replace" and _glued(q, ops[-1], src, at_start=False):
        ops[-1].tag = "equal"
    if not any(op.tag == "equal" for op in ops):
        return None
    split: list[Op] = []
    for op in ops:
        if op.tag == "replace" and _typographic(q[op.q1 : op.q2], src.words[op.s1 : op.s2]):
            op.tag = "equal"
        split.extend(_peel(op, q, src.words) if op.tag == "replace" else [op])
    merged = _merge(split)
    # Words found equal up to word breaks may now repeat the words dropped beside
    # them: slide and trim once more.
    _slide(merged, src.words, len(q))
    merged = _merge(merged)
    _trim(merged)
    if not any(op.tag == "equal" for op in merged):
        return None
    matched = sum(op.q2 - op.q1 for op in merged if op.tag == "equal")
    # The placement spans from the first to the last source word the quote touches.
    touched = [op for op in merged if op.s2 > op.s1]
    start = touched[0].s1 if touched else lo
    end = touched[-1].s2 if touched else lo
    return Placement(j, start, end, matched, merged)


def _glued(q: list[str], op: Op, src: SourceText, at_start: bool) -> bool:
    """True when the quote's edge word is the end (or start) of a source word glued to
    another by the page's markup: "George" in "captionGeorge", where a lower-case
    letter meets a capital. Only at the quote's edges: inside a quote, a glued word
    is two words of the quote ("long range" / "longrange" is taken as typography).
    """
    if op.q2 - op.q1 != 1 or op.s2 - op.s1 != 1:
        return False
    word, glued = q[op.q1], src.words[op.s1]
    start, end = src.span(op.s1)
    original = src.text[start:end]
    if len(original) != len(glued) or len(glued) <= len(word):
        return False
    if at_start:
        cut = len(glued) - len(word)
        fits = glued.endswith(word)
    else:
        cut = len(word)
        fits = glued.startswith(word)
    return fits and original[cut - 1].islower() and original[cut].isupper()


def _trim(ops: list[Op]) -> None:
    while ops and ops[0].tag == "delete":
        ops.pop(0)
    while ops and ops[-1].tag == "delete":
        ops.pop()


def _slide(ops: list[Op], words: list[str], n: int) -> None:
    """Move matched blocks across dropped source words that repeat them.

    The longest common subsequence is indifferent to where a repeated word is taken:
    for "the troops" in "the east. The troops" it may match the first "the" and drop
    "east the" between. When the dropped words end with the block's own words, the
    block can move to their end (or, in the quote's second half, to their start),
    so that matches gather and the dropped words fall outside the match.
    """
    for i in range(len(ops) - 1):
        block, gap = ops[i], ops[i + 1]
        if block.tag != "equal" or gap.tag != "delete" or 2 * block.q2 > n:
            continue
        k, dropped = block.s2 - block.s1, words[gap.s1 : gap.s2]
        if len(dropped) >= k and dropped[len(dropped) - k :] == words[block.s1 : block.s2]:
            ops[i] = Op("delete", block.q1, block.q1, block.s1, block.s1 + len(dropped))
            ops[i + 1] = Op("equal", block.q1, block.q2, gap.s2 - k, gap.s2)
    for i in range(len(ops) - 1, 0, -1):
        block, gap = ops[i], ops[i - 1]
        if block.tag != "equal" or gap.tag != "delete" or 2 * block.q1 < n:
            continue
        k, dropped = block.s2 - block.s1, words[gap.s1 : gap.s2]
        if len(dropped) >= k and dropped[:k] == words[block.s1 : block.s2]:
            ops[i - 1] = Op("equal", block.q1, block.q2, gap.s1, gap.s1 + k)
            ops[i] = Op("delete", block.q2, block.q2, gap.s1 + k, block.s2)


def _merge(ops: list[Op]) -> list[Op]:
    """Adjacent differences become one (a replacement when both sides have words);
    adjacent equal blocks become one."""
    out: list[Op] = []
    for op in ops:
        last = out[-1] if out else None
        if last is not None and (last.tag == "equal") == (op.tag == "equal"):
            if op.tag == "equal" and (last.q2 != op.q1 or last.s2 != op.s1):
                out.append(Op(op.tag, op.q1, op.q2, op.s1, op.s2))
                continue
            last.q2, last.s2 = op.q2, op.s2
            if last.tag != "equal":
                has_q, has_s = last.q2 > last.q1, last.s2 > last.s1
                last.tag = "replace" if has_q and has_s else "insert" if has_q else "delete"
            continue
        out.append(Op(op.tag, op.q1, op.q2, op.s1, op.s2))
    return out


def _drop_stray_edges(ops: list[Op]) -> None:
    """Let go of a word or two matched far from the rest at either edge.

    When the quote's first words differ from the source, the longest common
    subsequence may still pair a common first word ("we") with an occurrence a
    sentence earlier, leaving a long run of source words between: the quote's
    edge is then a replacement of its own words, not that stray match.
    """
    for first, second in ((0, 1), (-1, -2)):
        if len(ops) < 2 or ops[first].tag != "equal" or ops[second].tag == "equal":
            continue
        block, gap = ops[first], ops[second]
        k = block.q2 - block.q1
        extra = (gap.s2 - gap.s1) - (gap.q2 - gap.q1)
        if k <= 2 and extra > k + 2:
            lo, hi = (block, gap) if first == 0 else (gap, block)
            merged = Op("replace", lo.q1, hi.q2, lo.s1, hi.s2)
            if first == 0:
                ops[0:2] = [merged]
            else:
                ops[-2:] = [merged]


def _peel(op: Op, q: list[str], words: list[str]) -> list[Op]:
    """A replacement without the equal words at its two ends ("we can" / "we cannot")."""
    q1, q2, s1, s2 = op.q1, op.q2, op.s1, op.s2
    head = 0
    while q1 + head < q2 and s1 + head < s2 and q[q1 + head] == words[s1 + head]:
        head += 1
    tail = 0
    while (
        q2 - tail > q1 + head and s2 - tail > s1 + head and q[q2 - tail - 1] == words[s2 - tail - 1]
    ):
        tail += 1
    out = []
    if head:
        out.append(Op("equal", q1, q1 + head, s1, s1 + head))
    middle_q, middle_s = (q1 + head, q2 - tail), (s1 + head, s2 - tail)
    if middle_q[1] > middle_q[0] or middle_s[1] > middle_s[0]:
        tag = "replace"
        if middle_q[1] == middle_q[0]:
            tag = "delete"
        elif middle_s[1] == middle_s[0]:
            tag = "insert"
        out.extend(_typographic_part(Op(tag, *middle_q, *middle_s), q, words))
    if tail:
        out.append(Op("equal", q2 - tail, q2, s2 - tail, s2))
    return out


def _typographic_part(op: Op, q: list[str], words: list[str]) -> list[Op]:
    """A replacement whose quote words are, up to word breaks, the last (or first)
    of its source words: those are equal, the rest dropped ("pr oject's" for
    "repository. The project's")."""
    if op.tag != "replace" or op.q2 - op.q1 > _SHORT or op.s2 - op.s1 > 2 * _SHORT:
        return [op]
    q_words = q[op.q1 : op.q2]
    for k in range(op.s1 + 1, op.s2):
        if _typographic(q_words, words[k : op.s2]):
            return [Op("delete", op.q1, op.q1, op.s1, k), Op("equal", op.q1, op.q2, k, op.s2)]
        if _typographic(q_words, words[op.s1 : op.s2 - (k - op.s1)]):
            cut = op.s2 - (k - op.s1)
            return [Op("equal", op.q1, op.q2, op.s1, cut), Op("delete", op.q2, op.q2, cut, op.s2)]
    return [op]


def _form_in(word: QuoteWord, present: set[str]) -> str:
    for form in word.forms:
        if form in present:
            return form
    return word.word
