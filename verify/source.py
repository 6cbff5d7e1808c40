"""A source text prepared for matching: its words, a searchable string, an index.

Preparing a page is the costly part of a check, so it is done once per text and
memoised (a batch checks many quotes against one page). Only what every check
needs is built up front: the normalised words and one string of them, in which a
quote's words are found with ``str.find`` (C speed). The word-position index (for
fuzzy matching) and the original character spans (to show the source's own words)
are built lazily, the spans one chunk at a time, so that a 100,000-word page stays
well within the time budget of a single quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import add

from verify.normalize import normalize_word, raw_spans, token_pattern

# Texts are tokenised in chunks of about this many characters, cut at whitespace, so
# that the span of one word can be recovered without re-reading the whole text. A check
# reads the spans of the one or two chunks its match is in: at 4,096 characters that
# was a sixth of a crawl's check; more chunks cost the first tokenising little.
_CHUNK_CHARS = 1024
_SPACE_RE = re.compile(r"\s")
# Words counted one search at a time before the whole text is counted at once.
_LOOKUPS_BEFORE_INDEX = 40


class SourceText:
    """The words of one source text and the ways to find them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._chunk_starts: list[int] = []
        self._chunk_ends: list[int] = []
        chunks: list[list[str]] = []
        pos, size = 0, len(text)
        while pos < size:
            cut = pos + _CHUNK_CHARS
            if cut >= size:
                cut = size
            else:
                space = _SPACE_RE.search(text, cut)
                cut = space.start() if space else size
            # The slower pattern for no-space scripts only where a chunk holds them.
            chunks.append(token_pattern(text, pos, cut).findall(text, pos, cut))
            self._chunk_starts.append(pos)
            self._chunk_ends.append(cut)
            pos = cut
        raws = list(chain.from_iterable(chunks))
        counts = [len(chunk) for chunk in chunks]
        self._chunk_first = [0, *accumulate(counts)]
        # normalize_word is a dict's lookup (memoised): mapping it over every token
        # costs a hash and a lookup each.
        self.words: list[str] = list(map(normalize_word, raws))
        # " w0 w1 w2 ... " : a run of words is found as " a b c " with str.find.
        self.joined = " " + " ".join(self.words) + " "
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._word_at: list[int] | None = None
        self._positions: dict[str, list[int]] = {}
        self._counter: Counter[str] | None = None
        self._counts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.words)

    # -- finding words ---------------------------------------------------------------

    def find_run(self, words: list[str], limit: int = 2000) -> list[int]:
        """Start indices of every exact occurrence of the run ``words`` (up to ``limit``)."""
        needle = " " + " ".join(words) + " "
        joined = self.joined
        found: list[int] = []
        at = joined.find(needle)
        if at < 0:
            return found
        if self._word_at is None:
            # Offset in ``joined`` of the space before each word.
            self._word_at = [0, *accumulate(map(add, map(len, self.words), repeat(1)))]
        word_at = self._word_at
        while at >= 0 and len(found) < limit:
            found.append(bisect_right(word_at, at) - 1)
            at = joined.find(needle, at + 1)
        return found

    def count(self, word: str) -> int:
        """About how many times ``word`` occurs (to rank words by rarity).

        The first words are counted with ``str.count`` on the joined string (which
        misses a word repeated back to back: it ranks, it does not index); past a
        few dozen, one ``Counter`` of the whole text is cheaper.
        """
        if self._counter is not None:
            return self._counter.get(word, 0)
        found = self._counts.get(word)
        if found is None:
            if len(self._counts) >= _LOOKUPS_BEFORE_INDEX:
                self._counter = Counter(self.words)
                return self._counter.get(word, 0)
            found = self.joined.count(f" {word} ") if word else 0
            self._counts[word] = found
        return found

    def positions(self, word: str) -> list[int]:
        """Indices of every occurrence of ``word`` (memoised)."""
        found = self._positions.get(word)
        if found is None:
            found = self.find_run([word], limit=len(self.words)) if word else []
            self._positions[word] = found
        return found

    # -- back to the original text ------------------------------------------------------

    def span(self, k: int) -> tuple[int, int]:
        """The original character span of word ``k``."""
        chunk = bisect_right(self._chunk_first, k) - 1
        spans = self._spans.get(chunk)
        if spans is None:
            spans = raw_spans(
                token_pattern(self.text, self._chunk_starts[chunk], self._chunk_ends[chunk]),
                self.text,
                self._chunk_starts[chunk],
                self._chunk_ends[chunk],
            )
            self._spans[chunk] = spans
        return spans[k - self._chunk_first[chunk]]

    def starts_line(self, k: int) -> bool:
        """True when a line break lies between word ``k - 1`` and word ``k``."""
        if k <= 0 or k >= len(self.words):
            return True
        return "\n" in self.text[self.span(k - 1)[1] : self.span(k)[0]]

    def original(self, first: int, last: int) -> tuple[str, int, int]:
        """The original text of words ``first`` to ``last`` inclusive, with its offsets."""
        start = self.span(first)[0]
        end = self.span(last)[1]
        return self.text[start:end], start, end


@lru_cache(maxsize=8)
def prepare(text: str) -> SourceText:
    """The prepared form of ``text``, memoised: a batch checks many quotes per page."""
    return SourceText(text)
