"""Place a segmented quote in a source text, piece by piece, all pieces together.

Two passes:

1. *Exact*: every piece of the quote is looked up as a run of words in the
   source's joined word string (``str.find``), and the pieces are chained in order
   under their links (any gap after an ellipsis, a bounded one after a bracket, none
   between sentences unless whole lines lie between). All occurrences are kept and
   chained together, not greedily one by one, so that a repeated word (a name)
   cannot anchor a piece in the wrong place.
2. *Fuzzy*, only when the exact pass fails: each piece gets a few candidate windows
   by diagonal voting (a run of quote words, or a single rare word, found at source
   position ``p`` for quote position ``i`` votes for the diagonal ``p - i``), each
   window gets a word diff (:mod:`verify.diff`), and the pieces' candidates are
   combined in order to maximise the words matched in total; a link broken (a gap
   where the quote marks none) is recorded, never verified.

Why not ``fuzz.partial_ratio_alignment`` for the candidates: it returns one window,
never longer than the quote (an extra source word truncates it), and for needles
over 64 characters its heuristic may miss the best window. Voting on word positions
finds several windows of any length in time proportional to the shared words.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter

from rapidfuzz.distance import Indel

from verify.diff import Op, Placement, align_window
from verify.segment import Piece, SegmentedQuote
from verify.source import SourceText

# At most this many (quote word, source position) votes per piece: a long quote
# made of common words must not cost more than a few milliseconds.
_VOTE_BUDGET = 4000
# Runs of this many words anchor a long piece; at most so many runs are looked up,
# and so many occurrences of each kept.
_BLOCK = 4
_ANCHOR_BLOCKS = 40
_ANCHOR_HITS = 20
# A quote in more pieces than this has its sentences joined for the fuzzy pass.
_MANY_PIECES = 12
# A new sentence of a quote may skip at most this many source words, in whole lines.
_PARAGRAPH_SKIP = 50
# ...or at most this many words of a label glued to the paragraph before.
_GLUED_LABEL = 8
_SENTENCE_END_RE = re.compile(r"[.!?…]")
# ...or this many words of furniture run in between two paragraphs' sentences.
_FURNITURE_MIN = 4
_FURNITURE_MAX = 30
_FURNITURE_RE = re.compile(
    r"\b(?:subscribe|sign up|newsletter|inbox|click to|tweet|advertisement|read more|"
    r"related:|follow us|share this|getty images|photograph:|image:|credit:|download)",
    re.IGNORECASE,
)
# Diagonals scored in full (the rest have too few votes to matter).
_SCORED_DIAGONALS = 200
# A piece longer than this has only its two most promising windows diffed.
_LONG_PIECE = 50
# Candidate windows aligned per piece.
_CANDIDATES = 4
# Exact occurrences of one piece considered when chaining pieces.
_OCCURRENCE_LIMIT = 2000


@dataclass(slots=True)
class Alignment:
    """The best placement of every piece (``None`` for a piece found nowhere)."""

    placements: list[Placement | None]
    matched: int
    total: int
    gap_violations: list[int] = field(default_factory=list)
    # The pieces placed, one per placement (the fuzzy pass may join sentences).
    pieces: tuple[Piece, ...] = ()

    @property
    def verified(self) -> bool:
        return (
            self.total > 0
            and all(p is not None and p.exact for p in self.placements)
            and not self.gap_violations
            and self.matched == self.total
        )


# -- exact pass -------------------------------------------------------------------------


def _exact_starts(piece: Piece, src: SourceText) -> list[int]:
    """Every source position where ``piece`` occurs word for word."""
    words = piece.words
    single = [len(w.forms) == 1 for w in words]
    # Longest run of words with one form: the anchor searched with str.find.
    best_a = best_b = 0
    a = 0
    for i, one in enumerate([*single, False]):
        if not one:
            if i - a > best_b - best_a:
                best_a, best_b = a, i
            a = i + 1
    if best_b > best_a:
        found = [
            p - best_a
            for p in src.find_run([w.word for w in words[best_a:best_b]], _OCCURRENCE_LIMIT)
        ]
    else:
        found = sorted({p for form in words[0].forms for p in src.find_run([form])})
    n, size = len(words), len(src)
    found = [p for p in found if p >= 0 and p + n <= size]
    multi = [i for i in range(n) if not single[i]]
    if not multi:
        return found
    return [p for p in found if all(src.words[p + i] in words[i].forms for i in multi)]


exact_starts = _exact_starts


def link_fits(piece: Piece, src: SourceText, end: int, start: int) -> bool:
    """May ``piece`` start at source word ``start`` when the previous one ended at ``end``?"""
    gap = start - end
    if gap < 0:
        return False
    if piece.link == "ellipsis":
        return True
    if piece.link == "bracket":
        return gap <= piece.max_gap
    if gap == 0:
        return True
    # A new sentence may skip whole lines of the source (a caption, an advert, a
    # "Read more" link between two paragraphs), never part of a line...
    if piece.link != "sentence" or gap > _PARAGRAPH_SKIP:
        return False
    if _furniture_fits(src, end, start):
        return True
    if not src.starts_line(start):
        return False
    if src.starts_line(end):
        return _lines_are_furniture(src.text[src.span(end)[0] : src.span(start)[0]])
    # ...or a short label the page glued to the end of the paragraph before
    # ("every day.Click To Tweet"): right after a full stop, with no sentence of its own.
    if gap > _GLUED_LABEL:
        return False
    before = src.text[src.span(end - 1)[1] : src.span(end)[0]]
    label = src.text[src.span(end)[0] : src.span(start)[0]]
    return bool(_SENTENCE_END_RE.search(before)) and not _SENTENCE_END_RE.search(label)


# A skipped whole line of prose this long is a paragraph the quote dropped.
_FURNITURE_LINE_WORDS = 12
_LINE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def _lines_are_furniture(skipped: str) -> bool:
    """Are the whole lines a sentence of the quote skipped page furniture (a caption, a
    "Read more" link, a credit), not a paragraph it silently dropped? A line that is
    short, or does not end like a sentence, is furniture; a long sentence-ending one is
    an omission, which only an ellipsis may make."""
    for line in skipped.splitlines():
        words = line.split()
        if len(words) > _FURNITURE_LINE_WORDS and _LINE_END_RE.search(line):
            return False
    return True


def _furniture_fits(src: SourceText, end: int, start: int) -> bool:
    """May a new sentence of the quote start at ``start``, past page furniture that a
    text without line breaks runs in between two paragraphs ("... on Feb. 14. Let our
    news meet your inbox. Sign Up He was arrested ...")?

    Only what looks like furniture, not a sentence the quote dropped: the skipped
    words follow a sentence end, the next sentence starts with a capital, they are at
    least a few words (a dropped "The" or "However," before a name is an omission),
    and they are either a label or caption that runs into the next sentence with no
    full stop of its own, or a call to subscribe, sign up, share or read more.
    """
    gap = start - end
    if not _FURNITURE_MIN <= gap <= _FURNITURE_MAX:
        return False
    before = src.text[src.span(end - 1)[1] : src.span(end)[0]]
    first = src.text[src.span(start)[0] : src.span(start)[1]]
    if not (_SENTENCE_END_RE.search(before) and first[:1].isupper()):
        return False
    skipped = src.text[src.span(end)[0] : src.span(start)[0]]
    return not _SENTENCE_END_RE.search(skipped) or bool(_FURNITURE_RE.search(skipped))


def _widest_gap(piece: Piece) -> int:
    return {"bracket": piece.max_gap, "sentence": _PARAGRAPH_SKIP}.get(piece.link, 0)


def _fitting_end(piece: Piece, src: SourceText, ends: list[int], start: int) -> int | None:
    """The latest of the sorted ``ends`` after which ``piece`` may start at ``start``."""
    k = bisect_right(ends, start) - 1
    if piece.link == "ellipsis":
        return ends[k] if k >= 0 else None
    lowest = start - _widest_gap(piece)
    while k >= 0 and ends[k] >= lowest:
        if link_fits(piece, src, ends[k], start):
            return ends[k]
        k -= 1
    return None


def exact_alignment(quote: SegmentedQuote, src: SourceText) -> Alignment | None:
    """The most compact word-for-word chain of all pieces, or None.

    Consecutive sentences are first looked up together (one search, the usual case);
    only if that fails are they chained one by one, which lets a sentence skip whole
    lines of the source.
    """
    joined = _joined_sentences(quote.pieces)
    found = _exact_chain(joined, src)
    if found is None and len(joined) < len(quote.pieces):
        found = _exact_chain(quote.pieces, src)
    return found


def _exact_chain(pieces: tuple[Piece, ...], src: SourceText) -> Alignment | None:
    starts: list[list[int]] = []
    for piece in pieces:
        starts.append(_exact_starts(piece, src))
        if not starts[-1]:
            return None
    # reachable[j]: sorted starts of piece j that some chain of pieces 0..j reaches.
    reachable: list[list[int]] = [starts[0]]
    for j in range(1, len(pieces)):
        prev_ends = [s + len(pieces[j - 1].words) for s in reachable[-1]]
        ok = [s for s in starts[j] if _fitting_end(pieces[j], src, prev_ends, s) is not None]
        if not ok:
            return None
        reachable.append(ok)
    # Backtrack: the last piece as early as possible, each earlier piece as late as
    # its successor allows (the tightest chain).
    chosen = [reachable[-1][0]]
    for j in range(len(pieces) - 2, -1, -1):
        n = len(pieces[j].words)
        ends = [s + n for s in reachable[j]]
        end = _fitting_end(pieces[j + 1], src, ends, chosen[0])
        assert end is not None  # reachable[j + 1] holds only starts with a fitting end
        chosen.insert(0, end - n)
    placements: list[Placement | None] = []
    for j, (piece, s) in enumerate(zip(pieces, chosen, strict=True)):
        n = len(piece.words)
        placements.append(Placement(j, s, s + n, n, [Op("equal", 0, n, s, s + n)]))
    total = sum(len(p.words) for p in pieces)
    return Alignment(placements, total, total, [], tuple(pieces))


# -- fuzzy pass -------------------------------------------------------------------------


def _anchor_votes(piece: Piece, src: SourceText) -> dict[int, int]:
    """Votes from runs of a few quote words found verbatim in the source.

    A long quote that differs in a word or two still has most of its short runs
    intact, and each one found pins the quote's diagonal at C speed (``str.find``);
    at most ``_ANCHOR_BLOCKS`` runs, spread over the quote, are looked up.
    """
    words = piece.words
    n = len(words)
    starts: Sequence[int] = range(0, n - _BLOCK + 1, _BLOCK)
    if len(starts) > _ANCHOR_BLOCKS:
        step = len(starts) / _ANCHOR_BLOCKS
        starts = [starts[int(k * step)] for k in range(_ANCHOR_BLOCKS)]
    votes: dict[int, int] = {}
    found: dict[tuple[str, ...], list[int]] = {}
    for b in starts:
        block = words[b : b + _BLOCK]
        if any(len(w.forms) > 1 for w in block):
            continue
        run = tuple(w.word for w in block)
        if run not in found:  # a quote that repeats itself looks each run up once
            found[run] = src.find_run(list(run), _ANCHOR_HITS)
        for p in found[run]:
            votes[p - b] = votes.get(p - b, 0) + _BLOCK
    return votes


def _word_votes(piece: Piece, src: SourceText, budget: int) -> dict[int, int]:
    """Votes from single shared words, rarest first, within a budget."""
    words = piece.words
    order = sorted((sum(src.count(f) for f in w.forms), i) for i, w in enumerate(words))
    votes: dict[int, int] = {}
    spent = 0
    voters: dict[str, int] = {}
    for count, i in order:
        if count == 0:
            continue
        if spent + count > budget and voters:
            break
        word = words[i].word
        # A word the quote repeats ("no no no") votes from a few of its places only.
        if voters.get(word, 0) >= 3:
            continue
        voters[word] = voters.get(word, 0) + 1
        spent += count
        for form in words[i].forms:
            positions = src.positions(form)
            if len(positions) > budget:
                positions = positions[:: len(positions) // budget + 1]
            for p in positions:
                d = p - i
                votes[d] = votes.get(d, 0) + 1
    return votes


def _diagonals(piece: Piece, src: SourceText, budget: int = _VOTE_BUDGET) -> list[int]:
    """Source positions where the piece most plausibly starts, best first."""
    n = len(piece.words)
    votes = _anchor_votes(piece, src) if n >= 3 * _BLOCK else {}
    if not votes:
        votes = _word_votes(piece, src, budget)
    if not votes:
        return []
    # Score a diagonal by the votes within +-slack of it (insertions and deletions
    # shift the diagonal), then keep the best few that are far enough apart. Only the
    # diagonals with the most votes of their own are scored.
    slack = 2 + n // 8
    diagonals = sorted(votes)
    prefix = [0, *accumulate(votes[d] for d in diagonals)]
    scored = []
    for d, _ in heapq.nlargest(_SCORED_DIAGONALS, votes.items(), key=itemgetter(1)):
        lo = bisect_left(diagonals, d - slack)
        hi = bisect_right(diagonals, d + slack)
        scored.append((prefix[hi] - prefix[lo], -d))
    scored.sort(reverse=True)
    chosen: list[int] = []
    for _, neg_d in scored:
        d = -neg_d
        if all(abs(d - c) > max(n // 2, slack) for c in chosen):
            chosen.append(d)
            if len(chosen) >= _CANDIDATES:
                break
    return chosen


def _candidates(piece: Piece, j: int, src: SourceText, budget: int) -> list[Placement]:
    n = len(piece.words)
    found: list[Placement] = []
    exact = _exact_starts(piece, src)
    for s in exact[: _CANDIDATES * 4]:
        found.append(Placement(j, s, s + n, n, [Op("equal", 0, n, s, s + n)]))
    if exact and n >= 3:
        return found
    slack = 4 + n // 3
    windows = [
        (max(0, d - slack), min(len(src), d + n + slack)) for d in _diagonals(piece, src, budget)
    ]
    if n > _LONG_PIECE and len(windows) > 2:
        # The full diff of a long piece costs; rank the windows by how many words
        # they share in order (Indel distance, in C) and diff only the best two.
        words = [w.word for w in piece.words]
        windows.sort(key=lambda w: Indel.distance(words, src.words[w[0] : w[1]]) - (w[1] - w[0]))
        windows = windows[:2]
    for lo, hi in windows:
        placement = align_window(piece, j, src, lo, hi)
        if placement is not None:
            found.append(placement)
    return found


# A placement's worth: its matched words first, then (to break ties between two
# passages matching as many words) the fewer differences.
_WORD = 1000


def _worth(placement: Placement) -> int:
    return _WORD * placement.matched - sum(op.tag != "equal" for op in placement.ops)


def _joined_sentences(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The pieces with each run of sentence-linked ones joined into one.

    A quote of many short sentences would otherwise cost a search per sentence;
    joined, a sentence can no longer skip a caption, but it is still aligned.
    """
    out: list[Piece] = []
    for piece in pieces:
        if out and piece.link == "sentence":
            last = out[-1]
            out[-1] = Piece([*last.words, *piece.words], last.link, last.max_gap, last.bracket)
        else:
            out.append(piece)
    return tuple(out)


def fuzzy_alignment(quote: SegmentedQuote, src: SourceText) -> Alignment:
    """The best in-order combination of candidate placements of the pieces."""
    pieces = quote.pieces
    if len(pieces) > _MANY_PIECES:
        pieces = _joined_sentences(pieces)
    budget = max(_VOTE_BUDGET // len(pieces), 200)
    total = sum(len(p.words) for p in pieces)
    # A state: (score, end of last placed piece, placements so far, gap violations).
    states: list[tuple[int, int, list[Placement | None], list[int]]] = [(0, -1, [], [])]
    for j, piece in enumerate(pieces):
        cands = _candidates(piece, j, src, budget)
        new_states = []
        for score, last_end, chosen, bad in states:
            new_states.append((score, last_end, [*chosen, None], bad))
            for c in cands:
                if c.start < last_end:
                    continue
                violation = (
                    bool(chosen)
                    and chosen[-1] is not None
                    and not link_fits(piece, src, last_end, c.start)
                )
                new_states.append(
                    (
                        score + _worth(c) - (_WORD if violation else 0),
                        c.end,
                        [*chosen, c],
                        [*bad, j] if violation else bad,
                    )
                )
        # Keep the Pareto front: a state is worth keeping only if no other has a
        # higher score with an earlier end.
        new_states.sort(key=lambda s: (s[1], -s[0]))
        front = []
        best = None
        for state in new_states:
            if best is None or state[0] > best:
                front.append(state)
                best = state[0]
        states = front[-64:]
    score, _, chosen, bad = max(states, key=lambda s: s[0])
    matched = sum(p.matched for p in chosen if p is not None)
    return Alignment(chosen, matched, total, bad, pieces)


def align(quote: SegmentedQuote, src: SourceText) -> Alignment:
    """The best alignment of the quote in the source: exact if there is one."""
    exact = exact_alignment(quote, src)
    if exact is not None:
        return exact
    return fuzzy_alignment(quote, src)
