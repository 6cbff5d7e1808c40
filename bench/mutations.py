"""Mutated quotes: a page's sentence with its meaning changed. Never ``verified``.

Each generator returns ``(quote, mutation)`` or ``None``. The caller checks that the
result is really absent from the page (letters and digits only, so that no
accident of punctuation makes a mutation "present"), and retries otherwise.
Edits stay inside the quote (never its first or last two words): dropping a
quote's first word would only make a genuine mid-sentence start.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from rapidfuzz import fuzz

from bench.genuine import Sentence, Source

Made = tuple[str, str] | None

NUMBER_WORDS = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
    "billion", "dozen",
]  # fmt: skip
_SCALE = {"hundred": "thousand", "thousand": "million", "million": "billion", "billion": "million"}

AUXILIARIES = {
    "is": "is not", "are": "are not", "was": "was not", "were": "were not",
    "will": "will not", "would": "would not", "can": "cannot", "could": "could not",
    "should": "should not", "must": "must not", "may": "may not", "might": "might not",
    "has": "has not", "have": "have not", "had": "had not", "does": "does not",
    "did": "did not", "do": "do not",
}  # fmt: skip
_CONTRACTED = {"wo": "will", "ca": "can", "sha": "shall"}  # won't, can't, shan't

ANTONYMS = {
    "increase": "decrease", "increased": "decreased", "rise": "fall", "rose": "fell",
    "higher": "lower", "more": "fewer", "most": "least", "first": "last", "largest":
    "smallest", "biggest": "smallest", "strong": "weak", "stronger": "weaker", "good": "bad",
    "best": "worst", "before": "after", "after": "before", "win": "lose", "won": "lost",
    "support": "oppose", "supported": "opposed", "early": "late", "earlier": "later",
    "high": "low", "major": "minor", "open": "closed", "new": "old", "old": "new",
    "positive": "negative", "approved": "rejected", "accepted": "rejected", "agreed": "refused",
    "up": "down", "down": "up", "always": "sometimes", "many": "few", "large": "small",
    "small": "large", "long": "short", "rising": "falling", "gained": "lost", "safe": "unsafe",
}  # fmt: skip
INSERTABLE = [
    "also", "only", "reportedly", "recently", "very", "allegedly", "still", "secretly",
    "quickly", "officially", "finally", "largely", "nearly", "always", "clearly", "fully",
    "just", "even", "privately", "personally",
]  # fmt: skip
_STOPWORD_TEXT = (
    "the a an and or but of to in on at for with by from as is are was were be been being "
    "that this these those it its he she they them his her their we our you your i me my not "
    "no nor so than then there here which who whom whose what when where why how all any "
    "both each few more most other some such only own same too very can will just should "
    "would could said says have has had do does did also into about over after before "
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _word(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token)


def _interior(words: list[str]) -> range:
    return range(2, len(words) - 2)


def _candidates(src: Source, rng: random.Random) -> list[Sentence]:
    pool = list(src.good)
    rng.shuffle(pool)
    return pool


def number_changed(src: Source, rng: random.Random) -> Made:
    for s in _candidates(src, rng):
        digits = list(re.finditer(r"\d+(?:[.,]\d+)*", s.text))
        if digits:
            m = rng.choice(digits)
            num = m.group()
            places = [i for i, c in enumerate(num) if c.isdigit()]
            i = rng.choice(places[1:] if len(places) > 1 and rng.random() < 0.7 else places)
            choices = [d for d in "0123456789" if d != num[i] and not (i == 0 and d == "0")]
            new = num[:i] + rng.choice(choices) + num[i + 1 :]
            return s.text[: m.start()] + new + s.text[m.end() :], f"{num} -> {new}"
        if not src.spaced:
            continue
        words = list(re.finditer(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", s.text, re.I))
        if words:
            m = rng.choice(words)
            old = m.group().lower()
            new = _SCALE.get(old) or rng.choice([w for w in NUMBER_WORDS[:12] if w != old])
            if m.group()[0].isupper():
                new = new.capitalize()
            return s.text[: m.start()] + new + s.text[m.end() :], f"{m.group()} -> {new}"
    return None


def negation_added(src: Source, rng: random.Random) -> Made:
    for s in _candidates(src, rng):
        words = s.text.split()
        spots = [
            i
            for i in range(1, len(words) - 2)
            if words[i] in AUXILIARIES
            and _word(words[i + 1]).lower() not in ("not", "never", "no", "n't")
        ]
        if spots:
            i = rng.choice(spots)
            out = [*words[:i], AUXILIARIES[words[i]], *words[i + 1 :]]
            return " ".join(out), f"{words[i]} -> {AUXILIARIES[words[i]]}"
    return None


def negation_dropped(src: Source, rng: random.Random) -> Made:
    for s in _candidates(src, rng):
        words = s.text.split()
        for i in rng.sample(range(len(words)), len(words)):
            w = words[i]
            bare = _word(w).lower()
            if bare in ("not", "never") and 0 < i < len(words) - 1 and w == bare:
                return " ".join(words[:i] + words[i + 1 :]), f"'{w}' dropped"
            m = re.fullmatch(r"(\W*)(\w+)n[’']t(\W*)", w)
            if m and i > 0:
                stem = m.group(2)
                positive = _CONTRACTED.get(stem.lower(), stem)
                if stem[0].isupper():
                    positive = positive.capitalize()
                new = m.group(1) + positive + m.group(3)
                return " ".join([*words[:i], new, *words[i + 1 :]]), f"{w} -> {new}"
            if bare == "cannot" and i > 0:
                return " ".join([*words[:i], w.replace("not", ""), *words[i + 1 :]]), f"{w} -> can"
    return None


def _vocabulary(src: Source) -> list[str]:
    words = {
        _word(w)
        for s in src.good
        for w in s.text.split()
        if _word(w).isalpha() and _word(w).islower() and len(_word(w)) >= 4
    }
    return sorted(words - STOPWORDS)


def word_substituted(src: Source, rng: random.Random) -> Made:
    vocab = _vocabulary(src)
    for s in _candidates(src, rng):
        words = s.text.split()
        spots = [i for i in _interior(words) if _word(words[i]).lower() in ANTONYMS]
        if spots and rng.random() < 0.5:
            i = rng.choice(spots)
            old = _word(words[i])
            new = ANTONYMS[old.lower()]
            new = new.capitalize() if old[0].isupper() else new
        else:
            spots = [
                i
                for i in _interior(words)
                if _word(words[i]).isalpha()
                and _word(words[i]).islower()
                and len(_word(words[i])) >= 4
                and _word(words[i]) not in STOPWORDS
            ]
            if not spots or not vocab:
                continue
            i = rng.choice(spots)
            old = _word(words[i])
            others = [v for v in vocab if fuzz.ratio(v, old) < 50 and v[:4] != old[:4]]
            if not others:
                continue
            new = rng.choice(others)
        out = [*words[:i], words[i].replace(old, new, 1), *words[i + 1 :]]
        return " ".join(out), f"{old} -> {new}"
    return None


def word_omitted(src: Source, rng: random.Random) -> Made:
    for s in _candidates(src, rng):
        words = s.text.split()
        if not src.spaced or len(words) < 9:
            continue
        n = rng.choice([1, 1, 2, 3])
        spots = [
            i
            for i in range(2, len(words) - 2 - n)
            if n > 1 or (len(_word(words[i])) >= 4 and _word(words[i]).lower() not in STOPWORDS)
        ]
        if not spots:
            continue
        i = rng.choice(spots)
        dropped = " ".join(words[i : i + n])
        return " ".join(words[:i] + words[i + n :]), f"'{dropped}' silently omitted"
    return None


def word_inserted(src: Source, rng: random.Random) -> Made:
    vocab = _vocabulary(src)
    for s in _candidates(src, rng):
        words = s.text.split()
        if not src.spaced or len(words) < 6:
            continue
        spots = [i for i in range(2, len(words) - 1) if not re.search(r"[.!?:;]$", words[i - 1])]
        if not spots:
            continue
        i = rng.choice(spots)
        pool = INSERTABLE if src.english and rng.random() < 0.8 else vocab
        new = rng.choice([w for w in pool if w not in (_word(words[i]).lower(), words[i - 1])])
        return " ".join([*words[:i], new, *words[i:]]), f"'{new}' inserted"
    return None


def spliced(src: Source, rng: random.Random) -> Made:
    for a in _candidates(src, rng):
        far = [b for b in src.good if abs(b.index - a.index) >= 3]
        if not far:
            continue
        b = rng.choice(far)
        if not src.spaced:
            ta, tb = a.text, b.text
            return ta[: len(ta) // 2] + tb[len(tb) // 2 :], "halves of two distant sentences"
        wa, wb = a.text.split(), b.text.split()
        ka = rng.randint(4, max(4, len(wa) - 3))
        kb = rng.randint(min(3, len(wb) - 4), len(wb) - 4)
        quote = " ".join(wa[:ka] + wb[kb:])
        return quote, f"first {ka} words of one sentence + last {len(wb) - kb} of another"
    return None


# other_page is built by the caller: it needs a second page.
MUTATIONS: dict[str, Callable[[Source, random.Random], Made]] = {
    "number_changed": number_changed,
    "negation_added": negation_added,
    "negation_dropped": negation_dropped,
    "word_substituted": word_substituted,
    "word_omitted": word_omitted,
    "word_inserted": word_inserted,
    "spliced": spliced,
}
ENGLISH_ONLY = {"negation_added", "negation_dropped"}
