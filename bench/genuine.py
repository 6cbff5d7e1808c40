"""Genuine quotes: passages of a page, quoted the way writers really quote them.

Each generator takes a :class:`Source` (a page's sentences) and a seeded
``random.Random`` and returns ``(quote, variant)`` or ``None`` when the page has no
passage the kind can use. A genuine quote must be verified: its words are the
page's words, changed only by typography and by the conventions of quoting.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bench.conventions import neutral, number_style

Made = tuple[str, str] | None

# A source sentence that itself holds square brackets or an ellipsis would blur the
# quoting conventions the cases test ("[2]" in a source is not an editorial insertion).
CONVENTION_MARKS = re.compile(r"[\[\]…]|\.\s?\.\s?\.")
# Ends like a sentence: a paragraph without it is a heading or a caption, which a
# writer does not run into the next paragraph.
SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)」]*$")


# The most page text (folded characters) that may sit between two paragraphs the
# truth says are consecutive, for a quote across them to count as genuine.
FURNITURE_CHARS = 150


def prose(text: str) -> bool:
    return bool(SENTENCE_END.search(text)) and not CONVENTION_MARKS.search(text)


ELLIPSES = ["...", "…", ". . .", "[…]", "[...]"]
PRONOUN_STANDINS = {
    "he": ["the minister", "the president", "the official"],
    "she": ["the minister", "the chief executive", "the official"],
    "they": ["the officials", "the protesters", "the researchers"],
    "it": ["the company", "the government", "the report"],
    "him": ["the minister", "the suspect"],
    "them": ["the officials", "the residents"],
    "his": ["the minister's", "the president's"],
    "her": ["the minister's", "the official's"],
    "their": ["the officials'", "the families'"],
    "this": ["the decision", "the change"],
    "we": ["the company", "the government"],
}


@dataclass
class Sentence:
    para: int
    index: int  # position within the page's whole sentence list
    text: str


@dataclass
class Source:
    """What a generator may draw on: the page's sentences and an "is it there" test."""

    sentences: list[Sentence]  # every sentence, in page order
    good: list[Sentence]  # the quotable ones, present on the page
    names: list[str]  # capitalised names seen on the page, for bracketed stand-ins
    spaced: bool
    present: Callable[[str], bool]  # the passage occurs in the page's visible text
    in_order: Callable[[list[str]], bool]  # these passages occur in this order
    # folded characters of page text between two passages (None: not in that order)
    gap: Callable[[str, str], int | None] = lambda a, b: None
    complete: bool = False  # the truth is the whole body: adjacent paragraphs are adjacent


def _shuffled(items: list, rng: random.Random) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


def verbatim(src: Source, rng: random.Random) -> Made:
    return (rng.choice(src.good).text, "sentence") if src.good else None


def typo_quotes(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        t = s.text
        if re.search(r"[‘’“”]", t):
            out = re.sub(r"[‘’]", "'", re.sub(r"[“”]", '"', t))
            return out, "curly to straight"
        if re.search(r"[\"']", t):
            out = re.sub(r'(^|[\s(\[])"', r"\1“", t).replace('"', "”")
            out = re.sub(r"(^|[\s(\[])'", r"\1‘", out).replace("'", "’")
            return out, "straight to curly"
    return None


def typo_dash(src: Source, rng: random.Random) -> Made:
    swaps = [("—", ["–", "-", "--"]), ("–", ["—", "-"]), (" - ", [" – ", " — "])]
    for s in _shuffled(src.good, rng):
        for dash, others in swaps:
            if dash in s.text:
                other = rng.choice(others)
                return s.text.replace(dash, other), f"{dash.strip()} to {other.strip()}"
    for s in _shuffled(src.good, rng):
        if re.search(r"\w-\w", s.text):
            other = rng.choice(["‑", "–"])
            return re.sub(r"(?<=\w)-(?=\w)", other, s.text), f"hyphen to {other}"
    return None


def typo_case(src: Source, rng: random.Random) -> Made:
    candidates = [s for s in src.good if src.spaced and any(c.isupper() for c in s.text)]
    if not candidates:
        return None
    t = rng.choice(candidates).text
    how = rng.choice(["lower", "upper", "first letter"])
    if how == "lower":
        return t.lower(), how
    if how == "upper":
        return t.upper(), how
    i = next(i for i, c in enumerate(t) if c.isalpha())
    return t[:i] + t[i].swapcase() + t[i + 1 :], how


def typo_space(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        words = s.text.split(" ")
        if len(words) < 4:
            continue
        gaps = [" "] * (len(words) - 1)
        for i, ws in zip(rng.sample(range(len(gaps)), 3), ["  ", "\u00a0", "\n"], strict=False):
            gaps[i] = ws
        out = words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))
        return " " + out + "  ", "double space, nbsp, newline, padding"
    return None


def _strip_marks(text: str) -> str:
    """Accents off Latin letters only: Cyrillic й is a letter of its own, not an и."""

    def bare(ch: str) -> str:
        if ch > "\u024f":
            return ch
        decomposed = unicodedata.normalize("NFD", ch)
        return "".join(c for c in decomposed if not unicodedata.combining(c)) or ch

    return "".join(bare(ch) for ch in unicodedata.normalize("NFC", text))


def typo_diacritics(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        out = _strip_marks(s.text)
        if out != s.text and src.spaced:
            return out, "diacritics dropped"
    return None


def _ellipsis(rng: random.Random) -> str:
    return rng.choice(ELLIPSES)


def ellipsis_within(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        words = s.text.split()
        if not src.spaced or len(words) < 10:
            continue
        ell = _ellipsis(rng)
        how = rng.random()
        if how < 0.15:  # the quote opens with an ellipsis: its start was left out
            i = rng.randint(2, len(words) - 6)
            rest = " ".join(words[i:])
            if src.present(rest):
                return f"{ell} {rest}", f"{ell} at the start"
            continue
        if how < 0.3:  # ... or closes with one
            k = rng.randint(5, len(words) - 2)
            head = " ".join(words[:k])
            if src.present(head):
                return f"{head} {ell}", f"{ell} at the end"
            continue
        short = how < 0.45  # segments of two or three words: many places could hold them
        i = rng.randint(2, 3) if short else rng.randint(3, len(words) - 5)
        j = min(len(words) - 3, i + rng.randint(1, 6))
        if short:
            j = max(j, len(words) - 3)
        left, right = " ".join(words[:i]), " ".join(words[j:])
        # An ellipsis inside a sentence may leave out only neutral words: eliding a
        # negation, a number or a qualifier is a misquote (bench.conventions).
        if neutral(words[i:j]) and src.in_order([left, right]):
            return f"{left} {ell} {right}", f"{ell} for {j - i} words"
    return None


def ellipsis_between(src: Source, rng: random.Random) -> Made:
    pool = [s for s in src.good if src.spaced]
    for a in _shuffled(pool, rng):
        reach = rng.choice([1, 1, 3, 8])  # paragraphs the omission may span
        later = [b for b in src.good if b.index > a.index and b.para - a.para <= reach]
        if not later:
            continue
        b = rng.choice(later)
        ell = _ellipsis(rng)
        how = rng.random()
        if how < 0.2:  # three segments, two ellipses
            middle = [m for m in later if m.index < b.index]
            if not middle:
                continue
            parts = [a.text, rng.choice(middle).text, b.text]
            variant = "three sentences, two ellipses"
        elif b.index >= a.index + 2 or how < 0.6:
            parts = [a.text, b.text]  # whole sentences, one or more left out between them
            variant = f"whole sentences {b.para - a.para} paragraphs apart"
        else:
            wa, wb = a.text.split(), b.text.split()
            parts = [" ".join(wa[: max(5, len(wa) // 2)]), " ".join(wb[len(wb) // 2 :])]
            variant = "end of one and start of the next omitted"
        if len(" ".join(parts).split()) <= 120 and src.in_order(parts):
            return f" {ell} ".join(parts), f"{ell}, {variant}"
    return None


def bracket_capital(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        words = s.text.split()
        if not src.spaced:
            return None
        starts = [i for i in range(2, len(words) - 5) if re.match(r"[a-z]\w", words[i])]
        if starts and rng.random() < 0.7:
            i = rng.choice(starts)
            w = words[i]
            return f"[{w[0].upper()}]{w[1:]} " + " ".join(words[i + 1 :]), "[T]he mid-sentence"
        if re.match(r"[A-Z][a-z]", words[0]) and words[0] not in ("I",):
            w = words[0]
            return f"[{w[0].lower()}]{w[1:]} " + " ".join(words[1:]), "[t]he lower-cased start"
    return None


def bracket_replace(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        words = s.text.split()
        spots = [
            i for i, w in enumerate(words) if w.lower() in PRONOUN_STANDINS and i < len(words) - 3
        ]
        if not spots or not src.spaced:
            continue
        i = rng.choice(spots)
        key = words[i].lower()
        standin = rng.choice(PRONOUN_STANDINS[key])
        if src.names and key in ("he", "she", "him", "they", "them") and rng.random() < 0.5:
            standin = rng.choice(src.names)
        if i == 0:
            standin = standin[0].upper() + standin[1:]
        if rng.random() < 0.3:  # the clarifying kind: "he [the minister] said"
            out = [*words[: i + 1], f"[{standin}]", *words[i + 1 :]]
            return " ".join(out), f"[{standin}] after {words[i]}"
        out = [*words[:i], f"[{standin}]", *words[i + 1 :]]
        return " ".join(out), f"[{standin}] for {words[i]}"
    return None


def bracket_sic(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        words = s.text.split()
        if not src.spaced or len(words) < 6:
            continue
        i = rng.randint(1, len(words) - 3)
        return " ".join([*words[: i + 1], "[sic]", *words[i + 1 :]]), f"[sic] after {words[i]}"
    return None


def mid_sentence(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        if not src.spaced:  # start after a comma: a character offset could split a word
            commas = [m.end() for m in re.finditer(r"[、，,]", s.text) if m.end() < len(s.text) - 8]
            if commas:
                return s.text[rng.choice(commas) :].strip(), "starts after a comma"
            continue
        words = s.text.split()
        starts = [i for i in range(2, len(words) - 5) if words[i][:1].isalnum()]
        if starts:
            i = rng.choice(starts)
            return " ".join(words[i:]), f"starts at word {i + 1}"
    return None


def no_full_stop(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        stripped = re.sub(r"[.!?。！？]+[\"'”’)」]*$", "", s.text)
        if rng.random() < 0.6 and stripped != s.text:
            return stripped, "sentence without its full stop"
        words = s.text.split()
        if src.spaced and len(words) >= 10:
            k = rng.randint(6, len(words) - 2)
            return " ".join(words[:k]).rstrip(",;:"), f"first {k} words"
    return None


def multi_sentence(src: Source, rng: random.Random) -> Made:
    for s in _shuffled(src.good, rng):
        n = rng.choice([2, 2, 3, 4, 5])
        run = src.sentences[s.index : s.index + n]
        if len(run) < 2 or any(r.para != s.para or not prose(r.text) for r in run):
            continue
        text = " ".join(r.text for r in run)
        if (len(text.split()) <= 160 or not src.spaced) and src.present(text):
            return text, f"{len(run)} sentences"
    return None


def cross_paragraph(src: Source, rng: random.Random) -> Made:
    # Both paragraphs real prose, not a caption or a one-line standfirst (a caption
    # run into the body is not a passage anyone quotes).
    para_words: dict[int, int] = {}
    for s in src.sentences:
        para_words[s.para] = para_words.get(s.para, 0) + len(s.text.split())
    ends = [
        s
        for s in src.sentences[:-1]
        if src.sentences[s.index + 1].para == s.para + 1
        and min(para_words[s.para], para_words[s.para + 1]) >= 12
        and len(s.text.split()) >= 3
        and prose(s.text)
        and prose(src.sentences[s.index + 1].text)
        and len(src.sentences[s.index + 1].text.split()) >= 5
    ]
    ends = _shuffled(ends, rng)
    if src.complete and rng.random() < 0.4:  # seek out paragraphs with furniture between
        ends.sort(key=lambda s: src.present(f"{s.text} {src.sentences[s.index + 1].text}"))
    for s in ends:
        nxt = src.sentences[s.index + 1]
        a, b = s.text, nxt.text
        if src.spaced and rng.random() < 0.4:
            wa, wb = a.split(), b.split()
            a = " ".join(wa[len(wa) // 2 :])
            b = " ".join(wb[: max(4, len(wb) // 2)])
        text = f"{a} {b}" if src.spaced else a + b
        words = len(text.split())
        if not (4 <= words <= 90 or not src.spaced):
            continue
        if src.present(text):
            return text, "end of a paragraph and start of the next"
        # The page puts furniture (a caption, a link, an advert's label) between two
        # paragraphs the truth says are consecutive: a writer quotes straight across it.
        between = src.gap(a, b) if src.complete else None
        if between is not None and 0 < between <= FURNITURE_CHARS:
            return text, f"across {between} characters of page furniture between paragraphs"
    return None


def combined(src: Source, rng: random.Random) -> Made:
    """Several conventions in one quote, as writers really combine them."""
    for s in _shuffled(src.good, rng):
        words = s.text.split()
        n = len(words)
        if not src.spaced or n < 14:
            continue
        done: list[str] = []
        out = list(words)
        start = rng.randint(2, n // 3) if rng.random() < 0.6 else 0
        gap = None
        if rng.random() < 0.7:
            p = rng.randint(start + 3, n - 6)
            gap = (p, min(n - 3, p + rng.randint(1, 5)))
        kept = [k for k in range(start, n) if not (gap and gap[0] <= k < gap[1])]
        pronouns = [k for k in kept[1:] if words[k].lower() in PRONOUN_STANDINS]
        if pronouns and rng.random() < 0.5:
            k = rng.choice(pronouns)
            out[k] = f"[{rng.choice(PRONOUN_STANDINS[words[k].lower()])}]"
            done.append("bracketed stand-in")
        if rng.random() < 0.3:
            k = rng.choice(kept[1:-2])
            out[k] = out[k] + " [sic]"
            done.append("[sic]")
        if start and re.match(r"[a-z]", words[start]) and rng.random() < 0.6:
            out[start] = f"[{words[start][0].upper()}]{words[start][1:]}"
            done.append("[T]he start")
        elif start:
            done.append("mid-sentence start")
        pieces: list[str] = []
        ell = _ellipsis(rng)
        for k in range(start, n):
            if gap and k == gap[0]:
                pieces.append(ell)
            if not (gap and gap[0] <= k < gap[1]):
                pieces.append(out[k])
        quote = " ".join(pieces)
        if gap:
            done.append(f"{ell} for {gap[1] - gap[0]} words")
        if rng.random() < 0.4:
            quote = re.sub(r"[.!?]+[\"'”’)]*$", "", quote)
            done.append("no full stop")
        if rng.random() < 0.5 and re.search(r"[‘’“”\"']", quote):
            quote = re.sub(r"[‘’]", "'", re.sub(r"[“”]", '"', quote))
            done.append("straight quotes")
        if rng.random() < 0.3:
            quote = quote.replace(" ", "  ", 1).replace(", ", ",\n", 1)
            done.append("spacing")
        segments = (
            [" ".join(words[start : gap[0]]), " ".join(words[gap[1] :])]
            if gap
            else [" ".join(words[start:])]
        )
        if gap and not neutral(words[gap[0] : gap[1]]):
            continue  # the ellipsis would hide a negation, number or qualifier
        if len(done) >= 2 and src.in_order(segments):
            return quote, ", ".join(done)
    return None


def number_style_quote(src: Source, rng: random.Random) -> Made:
    """One number written in another house style of the same value."""
    for s in _shuffled(src.good, rng):
        made = number_style(s.text, rng) if src.spaced else None
        if made is not None:
            return made
    return None


GENUINE: dict[str, Callable[[Source, random.Random], Made]] = {
    "verbatim": verbatim,
    "typo_quotes": typo_quotes,
    "typo_dash": typo_dash,
    "typo_case": typo_case,
    "typo_space": typo_space,
    "typo_diacritics": typo_diacritics,
    "ellipsis_within": ellipsis_within,
    "ellipsis_between": ellipsis_between,
    "bracket_capital": bracket_capital,
    "bracket_replace": bracket_replace,
    "bracket_sic": bracket_sic,
    "mid_sentence": mid_sentence,
    "no_full_stop": no_full_stop,
    "multi_sentence": multi_sentence,
    "cross_paragraph": cross_paragraph,
    "combined": combined,
    "number_style": number_style_quote,
}
