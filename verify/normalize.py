"""Normalisation and tokenisation with offsets back to the original text.

A quote and its source are compared word by word. Each word (token) keeps the
span of original characters it came from, so that everything shown to a user is
cut from the original text, never rebuilt from the normalised form.

What counts as typography, and so is folded away:

- letter case (``casefold``) and Unicode compatibility forms (NFKC/NFKD: ligatures,
  full-width letters, superscripts);
- diacritics (``é`` == ``e``);
- every kind of whitespace, line and paragraph break, zero-width and soft hyphen
  characters (a soft hyphen or joiner inside a word does not split it);
- curly, straight and prime apostrophes inside a word (``Ukraine’s`` == ``Ukraine's``);
- punctuation, quote marks, dashes and hyphens between words: they separate words
  and are otherwise ignored (``long-range`` gives the words ``long`` and ``range``);
- thousands separators in numbers (``3,000`` == ``3000``: one number token).

Symbols that carry meaning stay as tokens of their own: ``%``, currency signs and
``&`` (``5%`` is not ``5 per cent``; ``$700`` is not ``£700``).

Scripts written without spaces between words (Chinese, Japanese, Thai...) are
tokenised one character at a time, so that a quote starting mid-sentence can
still be found.

Why a regex tokenizer over the original text rather than normalising character by
character and keeping a per-character map: the token spans then come straight from
``re.finditer`` (exact by construction) and a 100,000-word page tokenises in tens
of milliseconds; each distinct token is normalised once (memoised).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

# Combining marks and Indic blocks (whose vowel signs Python's \w does not count as
# word characters): kept inside a word so that decomposed text is one token.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# Invisible characters that may sit inside a word without splitting it: soft hyphen,
# zero-width space, non-joiner and joiner, word joiner, byte-order mark. (A zero-width
# space is a line-break hint, mostly inside long words; where it stands between two
# words instead, the matcher reads the glued pair as the two words, up to a break.)
_JOINERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Apostrophe spellings that join the two halves of one word (don't, Ukraine’s).
_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u2032"
# Scripts written without spaces: one token per character.
# Korean separates words with spaces but particles attach to them: syllables too.
_NO_SPACE_SCRIPTS = (
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f"
)
# Symbols that change meaning and so are tokens: percent, ampersand, currencies.
_SYMBOLS = "%&\u2030$\u00a2-\u00a5\u058f\u060b\u09f2\u09f3\u0e3f\u17db\u20a0-\u20c0\ufe69\uff04"

# One character class for word characters (an alternation per character would be
# four times slower): a page of 100,000 words tokenises in about 30 ms. Apostrophes
# join a word's parts (don't, Ukraine’s); "." and "," only join digits ("3,000",
# "1.5bn"), so "U.S." is "U S" and a page's glued "end.The" is two words.
_W = rf"[\w{_MARKS}{_JOINERS}]"
_INNER = rf"(?:[{_APOSTROPHES}]|(?<=\d)[.,](?=\d))"
# A token starts with a letter or digit: a lone soft hyphen or mark is no word.
# (Possessive quantifiers: nothing after them could use a character back, and the
# engine then keeps no backtracking state; some 15% faster.)
_FAST_RE = re.compile(rf"\w{_W}*+(?:{_INNER}{_W}++)*+|[{_SYMBOLS}]")
# When a stretch of text holds a no-space script, those characters must not be
# swallowed into a longer word: a slower pattern with a per-character guard.
_NS = f"[{_NO_SPACE_SCRIPTS}]"
_W_NS = rf"(?:(?!{_NS})[\w{_MARKS}{_JOINERS}])"


@lru_cache(maxsize=1)
def _fast_ns_re() -> re.Pattern[str]:
    # Compiled on first use: most texts hold no such script, and it costs a start-up
    # a fifth of its engine's import time.
    return re.compile(
        rf"{_NS}[{_MARKS}{_JOINERS}]*+|(?!{_NS})\w{_W_NS}*+(?:{_INNER}{_W_NS}++)*+|[{_SYMBOLS}]"
    )


# Whether a stretch holds a no-space script. A class of the scripts' own ranges (over
# 50,000 characters) costs ``re`` about 15 ms to compile, a tenth of a one-quote check's
# start-up: instead, a cheap class finds the candidates (from U+0E00 up, less the
# Latin and Greek extensions and the punctuation that English pages are full of) and
# each one is looked up in the ranges.
_NS_CANDIDATE_RE = re.compile("[^\x00-\u0dff\u1e00-\u206f]")
_NS_RANGES = sorted((ord(a), ord(b)) for a, b in re.findall("(.)-(.)", _NO_SPACE_SCRIPTS))
_NS_STARTS = [start for start, _ in _NS_RANGES]


def _has_no_space_script(text: str, pos: int, end: int) -> bool:
    for found in _NS_CANDIDATE_RE.finditer(text, pos, end):
        code = ord(found.group())
        k = bisect_right(_NS_STARTS, code) - 1
        if k >= 0 and code <= _NS_RANGES[k][1]:
            return True
    return False


_JOINERS_RE = re.compile(f"[{_JOINERS}]")
_APOSTROPHES_RE = re.compile(f"[{_APOSTROPHES}]")
_THOUSANDS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")


class Token(NamedTuple):
    """One word: its normalised form and the span of original text it came from.

    (A named tuple: a long quote makes thousands, and a frozen dataclass costs
    several times more to build.)
    """

    word: str
    start: int
    end: int


def _normalized(raw: str) -> str:
    """The normalised form of one token's original characters."""
    if raw.isascii():
        word = raw.lower()
        if "`" in word:
            word = word.replace("`", "'")
    else:
        word = _APOSTROPHES_RE.sub("'", _JOINERS_RE.sub("", raw))
        decomposed = unicodedata.normalize("NFKD", word)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        # A token made only of marks (a Thai vowel sign) keeps them rather than vanish.
        word = unicodedata.normalize("NFKC", (stripped or decomposed).casefold())
        # Compatibility forms may bring back punctuation (e.g. the fraction slash);
        # keep it: it is still one token, compared as a whole.
    if "," in word:
        word = _THOUSANDS_RE.sub(lambda m: m.group().replace(",", ""), word)
    # A word never holds a space (the matcher joins words with spaces), nor is empty.
    return word.replace(" ", "") or raw


# Distinct words remembered, at most: about as much memory as the lru_cache it replaces.
_MEMO_WORDS = 65536


class _Memo(dict[str, str]):
    """Each token's normalised form, found once. A page's every token is looked up
    (``SourceText``): a dict's own lookup, with ``__missing__`` only for a new word,
    costs half the time of an ``lru_cache`` wrapper's (0.19 to 0.11 ms a page of the
    evaluation pages). Emptied when full: the forms are the same when found again."""

    def __missing__(self, raw: str) -> str:
        if len(self) >= _MEMO_WORDS:
            self.clear()
        word = self[raw] = _normalized(raw)
        return word


normalize_word: Callable[[str], str] = _Memo().__getitem__
"""The normalised form of one token's original characters (memoised)."""


def token_pattern(text: str, pos: int = 0, endpos: int | None = None) -> re.Pattern[str]:
    """The tokenizer pattern for ``text[pos:endpos]`` (the slower one only for no-space
    scripts; both give the same tokens on text without them)."""
    end = len(text) if endpos is None else endpos
    return _fast_ns_re() if _has_no_space_script(text, pos, end) else _FAST_RE


def raw_tokens(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> list[str]:
    """The original characters of each token of ``text[pos:endpos]``."""
    return pattern.findall(text, pos, len(text) if endpos is None else endpos)


def raw_spans(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> list[tuple[int, int]]:
    """The spans of the tokens :func:`raw_tokens` gives, in the same order."""
    end = len(text) if endpos is None else endpos
    return [m.span() for m in pattern.finditer(text, pos, end)]


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into normalised words with their original character spans."""
    return [
        Token(normalize_word(text[start:end]), start, end)
        for start, end in raw_spans(token_pattern(text), text)
    ]
