"""Mutated quotes: a page's passage with its meaning changed. Never ``verified``.

Each edit works on one passage's text and returns ``(quote, mutation)`` or ``None``.
``mutate`` picks the passage (one sentence, or a run of two or three so that one
changed word hides in a long quote), applies the edit, and sometimes dresses the
result in allowed conventions (other quote marks, case, spacing, an ellipsis to a
later sentence): the engine's leniency about those must never hide the change.
The caller checks that the changed passage is really absent from the page (letters
and digits only) and retries otherwise. Edits stay inside the passage (never its
first or last two words): dropping a first word only makes a genuine mid-sentence start.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bench.conventions import bracket_replaces, ellipsis_hides
from bench.genuine import ELLIPSES, Source, prose

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
# One token turned negative: hard for a matcher that splits words at apostrophes.
CONTRACTIONS = {
    "is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't", "will": "won't",
    "would": "wouldn't", "can": "can't", "could": "couldn't", "should": "shouldn't",
    "has": "hasn't", "have": "haven't", "had": "hadn't", "does": "doesn't", "did": "didn't",
    "do": "don't",
}  # fmt: skip
_POSITIVE_STEM = {"wo": "will", "ca": "can", "sha": "shall"}  # won't, can't, shan't

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
SMALL_INSERTABLE = ["the", "all", "that", "so", "now", "then"]
_STOPWORD_TEXT = (
    "the a an and or but of to in on at for with by from as is are was were be been being "
    "that this these those it its he she they them his her their we our you your i me my not "
    "no nor so than then there here which who whom whose what when where why how all any "
    "both each few more most other some such only own same too very can will just should "
    "would could said says have has had do does did also into about over after before "
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass
class Page:
    """What an edit may draw on besides the passage itself."""

    vocabulary: list[str]  # lower-case content words of the page
    english: bool
    spaced: bool
    lexicon: frozenset[str] = frozenset()  # every lower-case word of every page: real words
    names: tuple[str, ...] = ()  # capitalised names seen on the page
    text: str = ""  # the page's paragraphs, joined


def _word(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token)


def _content(token: str) -> bool:
    w = _word(token)
    return w.isalpha() and w.islower() and len(w) >= 4 and w not in STOPWORDS


def _swap(words: list[str], i: int, new: str) -> str:
    return " ".join([*words[:i], new, *words[i + 1 :]])


def number_changed(text: str, page: Page, rng: random.Random) -> Made:
    digits = list(re.finditer(r"\d+(?:[.,]\d+)*", text))
    if digits:
        m = rng.choice(digits)
        num = m.group()
        if "." in num and rng.random() < 0.3:  # 1.5% -> 15%: the point dropped
            new = num.replace(".", "", 1).lstrip("0") or "0"
        else:
            places = [i for i, c in enumerate(num) if c.isdigit()]
            i = rng.choice(places[1:] if len(places) > 1 and rng.random() < 0.7 else places)
            choices = [d for d in "0123456789" if d != num[i] and not (i == 0 and d == "0")]
            new = num[:i] + rng.choice(choices) + num[i + 1 :]
        return text[: m.start()] + new + text[m.end() :], f"{num} -> {new}"
    if not page.english:
        return None
    words = list(re.finditer(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", text, re.I))
    if not words:
        return None
    m = rng.choice(words)
    old = m.group().lower()
    new = _SCALE.get(old) or rng.choice([w for w in NUMBER_WORDS[:12] if w != old])
    new = new.capitalize() if m.group()[0].isupper() else new
    return text[: m.start()] + new + text[m.end() :], f"{m.group()} -> {new}"


def negation_added(text: str, page: Page, rng: random.Random) -> Made:
    if not page.english:
        return None
    words = text.split()
    # "there is a plan" -> "there is no plan": the article itself turned negative
    articles = [
        i
        for i in range(2, len(words) - 2)
        if words[i] in ("a", "an", "any", "some") and words[i - 1] in AUXILIARIES
    ]
    if articles and rng.random() < 0.3:
        i = rng.choice(articles)
        return _swap(words, i, "no"), f"{words[i - 1]} {words[i]} -> {words[i - 1]} no"
    spots = [
        i
        for i in range(1, len(words) - 2)
        if words[i] in AUXILIARIES
        and _word(words[i + 1]).lower() not in ("not", "never", "no", "n't")
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    how = rng.random()
    if how < 0.25:
        new = CONTRACTIONS[words[i]]
    elif how < 0.35:
        new = f"{words[i]} never"
    else:
        new = AUXILIARIES[words[i]]
    return _swap(words, i, new), f"{words[i]} -> {new}"


def negation_dropped(text: str, page: Page, rng: random.Random) -> Made:
    if not page.english:
        return None
    words = text.split()
    for i in rng.sample(range(1, len(words) - 1), len(words) - 2):
        w = words[i]
        bare = _word(w).lower()
        if bare in ("not", "never") and w == bare:
            if bare == "not" and rng.random() < 0.3:  # one letter: a real word, the other sense
                return _swap(words, i, "now"), "not -> now"
            return " ".join(words[:i] + words[i + 1 :]), f"'{w}' dropped"
        m = re.fullmatch(r"(\W*)(\w+)n[’']t(\W*)", w)
        if m:
            stem = m.group(2)
            positive = _POSITIVE_STEM.get(stem.lower(), stem)
            positive = positive.capitalize() if stem[0].isupper() else positive
            new = m.group(1) + positive + m.group(3)
            return _swap(words, i, new), f"{w} -> {new}"
        if bare == "cannot":
            return _swap(words, i, w.replace("not", "")), f"{w} -> can"
        if w in ("no", "nothing", "nobody", "none") and i < len(words) - 2:
            if w == "no" and _word(words[i + 1]).lower() in ("one", "longer", "matter"):
                continue
            new = {"no": "some", "nothing": "something", "nobody": "somebody", "none": "some"}[w]
            if w == "no" and rng.random() < 0.5:
                return " ".join(words[:i] + words[i + 1 :]), "'no' dropped"
            return _swap(words, i, new), f"{w} -> {new}"
    return None


def _inflections(word: str, lexicon: frozenset[str]) -> list[str]:
    """Other forms of the word (plural, tense) that are real words somewhere in the corpus."""
    stem = re.sub(r"(ies|es|s|ed|ing|e)$", "", word)
    forms = {word + "s", word[:-1], stem, stem + "s", stem + "es", stem + "ed", stem + "ing",
             stem + "e", stem + "es", stem + "ies", stem + "y"}  # fmt: skip
    return sorted(f for f in forms if f != word and len(f) >= 3 and f in lexicon)


def word_substituted(text: str, page: Page, rng: random.Random) -> Made:
    words = text.split()
    interior = range(2, len(words) - 2)
    opposites = [i for i in interior if _word(words[i]).lower() in ANTONYMS]
    content = [i for i in interior if _content(words[i])]
    how = rng.random()
    if opposites and how < 0.35:
        i = rng.choice(opposites)
        old = _word(words[i])
        new = ANTONYMS[old.lower()]
        new = new.capitalize() if old[0].isupper() else new
    elif content and how < 0.6:  # a near miss: another form of the same word
        forms = [(i, f) for i in content for f in _inflections(_word(words[i]), page.lexicon)]
        if not forms:
            return None
        i, new = rng.choice(forms)
        old = _word(words[i])
    elif content:
        i = rng.choice(content)
        old = _word(words[i])
        near = [v for v in page.vocabulary if 1 <= Levenshtein.distance(v, old) <= 2]
        far = [v for v in page.vocabulary if fuzz.ratio(v, old) < 50 and v[:4] != old[:4]]
        pool = near if near and rng.random() < 0.5 else far
        if not pool:
            return None
        new = rng.choice(pool)
    else:
        return None
    return _swap(words, i, words[i].replace(old, new, 1)), f"{old} -> {new}"


def word_omitted(text: str, page: Page, rng: random.Random) -> Made:
    words = text.split()
    if not page.spaced or len(words) < 9:
        return None
    n = rng.choice([1, 1, 2, 3])
    small = rng.random() < 0.25  # a small word: "the", "that", "of" silently dropped
    spots = [
        i
        for i in range(2, len(words) - 2 - n)
        if n > 1 or (_word(words[i]).lower() in STOPWORDS) == small
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    dropped = " ".join(words[i : i + n])
    return " ".join(words[:i] + words[i + n :]), f"'{dropped}' silently omitted"


def word_inserted(text: str, page: Page, rng: random.Random) -> Made:
    words = text.split()
    if not page.spaced or len(words) < 6:
        return None
    spots = [i for i in range(2, len(words) - 1) if not re.search(r"[.!?:;]$", words[i - 1])]
    if not spots:
        return None
    i = rng.choice(spots)
    if page.english:
        pool = SMALL_INSERTABLE if rng.random() < 0.2 else INSERTABLE
    else:
        pool = page.vocabulary
    pool = [w for w in pool if w not in (_word(words[i]).lower(), _word(words[i - 1]).lower())]
    if not pool:
        return None
    new = rng.choice(pool)
    return " ".join([*words[:i], new, *words[i:]]), f"'{new}' inserted"


def ellipsis_hid(text: str, page: Page, rng: random.Random) -> Made:
    return ellipsis_hides(text, rng, ELLIPSES) if page.spaced and page.english else None


def bracket_replaced(text: str, page: Page, rng: random.Random) -> Made:
    if not (page.spaced and page.english):
        return None
    return bracket_replaces(text, rng, list(page.names), page.text)


EDITS: dict[str, Callable[[str, Page, random.Random], Made]] = {
    "number_changed": number_changed,
    "negation_added": negation_added,
    "negation_dropped": negation_dropped,
    "word_substituted": word_substituted,
    "word_omitted": word_omitted,
    "word_inserted": word_inserted,
    "ellipsis_hides": ellipsis_hid,
    "bracket_replaces": bracket_replaced,
}


def vocabulary(src: Source) -> list[str]:
    return sorted({_word(w) for s in src.good for w in s.text.split() if _content(w)})


def lexicon(sources: list[Source]) -> frozenset[str]:
    return frozenset(
        _word(w) for src in sources for s in src.sentences for w in s.text.split()
        if _word(w).isalpha() and _word(w).islower()
    )  # fmt: skip


def dress(text: str, rng: random.Random) -> tuple[str, str]:
    """Typography a genuine quote may differ by, laid over a mutated one."""
    how = rng.choice(["quotes", "case", "spacing"])
    if how == "quotes":
        straight = re.sub(r"[‘’]", "'", re.sub(r"[“”]", '"', text))
        if straight != text:
            return straight, "curly quotes made straight"
        return text.replace("'", "’"), "apostrophes made curly"
    if how == "case":
        return text.lower(), "lower case"
    return "  ".join(text.split(" ")).replace(", ", ",\u00a0"), "extra spacing"


def mutate(kind: str, src: Source, page: Page, rng: random.Random) -> tuple[str, str, str] | None:
    """``(quote, changed passage, mutation)``: the passage must then be absent from the page."""
    pool = list(src.good)
    rng.shuffle(pool)
    for s in pool:
        text = s.text
        if rng.random() < 0.25:  # the change hidden in a longer quote
            run = src.sentences[s.index : s.index + rng.choice([2, 3])]
            if len(run) > 1 and all(r.para == s.para and prose(r.text) for r in run):
                text = " ".join(r.text for r in run)
        made = EDITS[kind](text, page, rng)
        if made is None:
            continue
        changed, what = made
        quote = changed
        layer = rng.random()
        if layer < 0.25 and page.spaced:
            quote, dressed = dress(changed, rng)
            what += f"; {dressed}"
        elif layer < 0.4 and page.spaced:
            later = [b for b in src.good if b.index > s.index + 1 and b.para - s.para <= 2]
            if later:
                quote = f"{changed} {rng.choice(ELLIPSES)} {rng.choice(later).text}"
                what += "; an ellipsis to a later sentence"
        return quote, changed, what
    return None


def spliced(src: Source, rng: random.Random) -> Made:
    """The start of one sentence glued to the end of a distant one, no ellipsis.

    Half the time the join is on a word both sentences share ("... the council said
    the ..."), so that every word pair of the quote is on the page.
    """
    pool = list(src.good)
    rng.shuffle(pool)
    for a in pool:
        far = [b for b in src.good if abs(b.index - a.index) >= 3]
        if not far:
            continue
        b = rng.choice(far)
        if not src.spaced:
            ta, tb = a.text, b.text
            return ta[: len(ta) // 2] + tb[len(tb) // 2 :], "halves of two distant sentences"
        wa, wb = a.text.split(), b.text.split()
        if rng.random() < 0.5:
            pivots = [
                (i, j)
                for i in range(3, len(wa) - 2)
                for j in range(2, len(wb) - 3)
                if wa[i].lower() == wb[j].lower() and wa[i + 1 : i + 2] != wb[j + 1 : j + 2]
            ]
            if pivots:
                i, j = rng.choice(pivots)
                quote = " ".join(wa[:i] + wb[j:])
                return quote, f"joined on '{wa[i]}': {i} words of one sentence + {len(wb) - j}"
        ka = rng.randint(4, max(4, len(wa) - 3))
        kb = rng.randint(min(3, len(wb) - 4), len(wb) - 4)
        quote = " ".join(wa[:ka] + wb[kb:])
        return quote, f"first {ka} words of one sentence + last {len(wb) - kb} of another"
    return None


def misordered(src: Source, rng: random.Random) -> Made:
    """Two passages joined by an ellipsis in the wrong order: later first, earlier after.

    An ellipsis only omits words; it never licenses moving them, so the segments of a
    quote must appear in the source in the quote's order.
    """
    pool = [s for s in src.good if src.spaced]
    rng.shuffle(pool)
    for a in pool:
        later = [b for b in src.good if b.index > a.index and b.para - a.para <= 2]
        if not later:
            continue
        b = rng.choice(later)
        first, second = b.text, a.text
        if rng.random() < 0.5:  # parts of each, not whole sentences
            wb, wa = b.text.split(), a.text.split()
            first = " ".join(wb[: max(5, len(wb) // 2)])
            second = " ".join(wa[len(wa) // 2 :])
        if src.in_order([first, second]):
            continue  # this order occurs somewhere too: not a misordering
        ell = rng.choice(ELLIPSES)
        return f"{first} {ell} {second}", "a later passage first, an earlier one after the ellipsis"
    return None
