"""Runs of capitalised words that may name a person: what the speaker rules read.

A run is capitalised words with only spaces between them ("Ludwig van Beethoven": a
particle too), cut after a title ("President Volodymyr Zelenskyy" -> "Volodymyr
Zelenskyy") and before words capitalised for opening a sentence. Pure: strings in,
dataclasses out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and edit than a list)."""
    return frozenset(words.split())


# Honorifics and offices: a run of capitalised words is cut after the last of these
# ("Ukrainian President Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy").
TITLES = wordset(
    """
    President Vice Prime Minister Prof Professor Dr Mr Mrs Ms Miss Rep Representative
    Sen Senator Gov Governor Gen General Lt Col Colonel Capt Captain Adm Admiral Sgt
    Chairman Chairwoman Chair Deputy Secretary Chancellor King Queen Prince Princess
    Pope Judge Justice Rev Reverend Sir Dame Lord Lady Mayor Spokesperson Spokesman
    Spokeswoman Ambassador Chief Director Speaker Leader Commander Congressman
    Congresswoman Councillor Premier Attorney Editor Dictator Historian Investigator MP
    Brigadier Executive State Superintendent Sheriff Coach Detective Inspector Bishop
    Archbishop Rabbi Imam Cardinal
    """
)
# Words that begin a sentence or a clause and are capitalised only because of that.
LEADING_STOP = wordset(
    """
    A An And As At Also After Although According Around Because Before But By Could
    Earlier Even For From Here However How If In It Later Like Meanwhile Now Of On Or
    Since So That The Then There These They This Those Though To Today Under When Where
    While Who Why With Would Yet Yesterday Last Next Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September
    October November December He She We I You His Her Our Their My Its What Which
    Whose Whom Are Is Was Were Has Have Had Be Not Will Can Did Does Do Please Just
    Once Both Another Each Every Some Many Several Enter Day-by-day
    """
)
NATIONALITIES = wordset(
    """
    American British English Scottish Welsh Irish French German Russian Ukrainian
    Chinese Korean Japanese Indian Israeli Palestinian Iranian Syrian Polish Hungarian
    Belarusian Georgian Turkish Soviet European African Asian Australian Canadian
    Mexican Italian Spanish Dutch Swedish Finnish Norwegian Danish Taiwanese
    """
)
# A run with one of these words names a place, an organisation or a thing, not a person.
NOT_PERSON = wordset(
    """
    Council House Service Services Party Ministry Committee Research Agency Foundation
    Department Office Union Nations Intelligence Security Defense Defence Army Forces
    Force Navy News Times Post Journal Institute University College Bank Court Congress
    Senate Parliament Government Kremlin Pentagon Organization Organisation Association
    Group Company Corporation Inc Ltd Corp Commission Board Authority Bureau Centre
    Center Treasury Club Church Media Press Network Assembly Administration Armament Pact War Day
    Century Empire Region Program Programme Summit Propaganda Telegram Twitter Facebook
    X Korea States America Kingdom Republic Russia Ukraine China Taiwan Europe Poland
    Germany Africa Asia Israel Gaza Iran Syria Japan India France Britain England London
    Washington Moscow Kyiv Kiev Beijing Pyongyang Seoul Vladivostok Donbas Crimea Kursk
    Georgia Hungary North South East West Street Square School High Hospital Airport
    Museum Station Hotel Stadium Park Tour Anniversary Festival Awards Album Show Series
    Cup League Championship Games Olympics Bridge Avenue Road Building MPs Tory Tories
    Labour Democrats Republicans Conservatives Liberals Water Energy Airlines Rail Home
    Analysis City Directorate Mission Division Unit Secretariat Trust Fund Alliance
    Coalition Federation Society Partnership Initiative Project Laboratory Observatory
    Systems Robotics Technologies Solutions Labs Holdings Partners Capital Ventures
    Studios Records Entertainment Motors Airways Hospital Clinic Foundation Images Report
    Technology Papers Live Francisco Libya Iraq Afghanistan Pakistan Egypt Canada Mexico
    Brazil Australia Spain Italy Sweden Norway Tunisia Lebanon Twitter Instagram YouTube
    """
)
PARTICLES = wordset("von van de der den da di du la le bin ibn al")
PREPOSITIONS = wordset(
    """
    of from with by for to in on at about against into over under between among than
    like via the a an
    """
)
ABBREVIATIONS = wordset(
    """
    Mr Mrs Ms Dr Prof Rep Sen Gov Gen Lt Col St Jr Sr No vs Mt Capt Sgt Adm Rev Inc Ltd
    Co Corp U.S U.K U.N e.g i.e
    """
)

_WORD = re.compile(r"[^\W\d_][\w.’'\-]*")
_POSSESSIVE = re.compile(r"[’']s?$")
_LETTER = re.compile(r"[^\W\d_]")  # what a word starts with
# A letter other than a-z: where a capitalised word may start (most words do not).
_CAPITAL = re.compile(r"[^\W\d_a-z]")
_SPACE_WORD = re.compile(r"\s+([^\W\d_][\w.’'\-]*)")  # the next word, after spaces only


@dataclass(frozen=True, slots=True)
class Name:
    """A run of capitalised words that may name a person."""

    text: str  # cleaned: titles and sentence-initial words dropped
    start: int
    end: int
    titled: bool  # a title preceded it ("President Zelenskyy"): a person for sure
    possessive: bool  # "Putin’s Ministry": not the subject of the sentence
    after_preposition: bool  # "from Vladimir Putin", "of the United Russia party"


def name_runs(text: str, end: int | None = None) -> list[Name]:
    """Every run of capitalised words in ``text`` (or in ``text[:end]``) that could be a
    person's name."""
    # A paragraph's names are read by several passes (who is known, who a pronoun
    # means, each quotation's speaker): found once. What comes before each quotation
    # is asked for again and again: a prefix's runs are taken from its paragraph's.
    if end is None or end >= len(text):
        return list(_name_runs(text))
    return list(_prefix_runs(text, end))


@lru_cache(maxsize=256)
def _name_runs(text: str) -> tuple[Name, ...]:
    return tuple(name for _, _, found in _runs_of(text) for name in found)


# A run as where its first word starts, its last word (the match) and the names
# :func:`_clean_run` makes of it.
_Run = tuple[int, re.Match[str], list[Name]]


@lru_cache(maxsize=256)
def _runs_of(text: str) -> list[_Run]:
    return _runs(text, 0)


@lru_cache(maxsize=256)
def _prefix_runs(text: str, end: int) -> tuple[Name, ...]:
    """The runs of ``text[:end]``, as :func:`_runs` finds them there, taken from those of
    ``text``: a run whose decisions read only words that end before the cut is the same
    in the prefix (they read a run's words, the next word and, after a particle, the one
    after that), so only the last runs are found again."""
    names: list[Name] = []
    resume = end  # where the runs are looked for again
    for (first, _, found), settled in zip(_runs_of(text), _settled(text), strict=True):
        if settled > end:
            resume = first
            break
        names.extend(found)
    names.extend(name for _, _, found in _runs(text[:end], resume) for name in found)
    return tuple(names)


@lru_cache(maxsize=256)
def _settled(text: str) -> list[float]:
    """For each run, where the word two words after its last ends: a prefix that goes
    that far holds every word the run's decisions read (infinite: no such word)."""
    ends: list[float] = []
    for _, last, _ in _runs_of(text):
        following = _next_word(text, last.end())
        after = _next_word(text, following.end()) if following else None
        ends.append(after.end() if after else math.inf)
    return ends


def _is_letter(ch: str) -> bool:
    return ch.isalnum() and not ch.isdecimal()  # [^\W\d_]: \w is alnum or _, \d decimal


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_.’'-"  # [\w.’'\-]


def _next_word(text: str, at: int) -> re.Match[str] | None:
    """The first word that starts at ``at`` or after (``at`` is not inside a word)."""
    letter = _LETTER.search(text, at)
    return _WORD.match(text, letter.start()) if letter else None


def _word_before(text: str, at: int) -> str:
    """The word before the one that starts at ``at`` ("" if none)."""
    k = at - 1
    while k >= 0 and not _is_letter(text[k]):
        k -= 1
    if k < 0:
        return ""
    while k > 0 and _in_word(text[k - 1]):  # back to where its run of word characters starts:
        k -= 1  # the word starts at the first letter of that run
    found = _next_word(text, k)
    return found.group() if found else ""


def _starts_word(text: str, at: int) -> bool:
    """Whether the letter at ``at`` starts a word: no letter before it in its run of word
    characters (a word runs from the first letter of such a run to its end)."""
    k = at
    while k > 0 and _in_word(text[k - 1]):
        if _is_letter(text[k - 1]):
            return False
        k -= 1
    return True


def _runs(text: str, start: int) -> list[_Run]:
    """The runs of capitalised words that start at ``start`` or after, ``start`` being a
    word's start or the end of a run.

    Runs are found from the capital letters: tokenising every word (the first version
    went word by word) was most of the speaker check's cost, and most words are not
    capitalised. The words a run's decisions read are found around it: the next one after
    spaces alone, after a particle the one after that, and the one before it. A property
    test holds this to the word-by-word version.
    """
    found: list[_Run] = []
    at = start
    for capital in _CAPITAL.finditer(text, start):
        first = capital.start()
        if first < at or not text[first].isupper() or not _starts_word(text, first):
            continue
        word = _WORD.match(text, first)
        run = []
        while word is not None:
            run.append(word)
            if _POSSESSIVE.search(word.group()) or _ends_sentence(word):
                break
            nxt = _SPACE_WORD.match(text, word.end())
            if nxt is None:  # no next word, or more than spaces before it
                break
            token = nxt.group(1)
            if token[:1].isupper() or (
                token in PARTICLES
                and (letter := _LETTER.search(text, nxt.end())) is not None
                and letter.group().isupper()
            ):
                word = _WORD.match(text, nxt.start(1))
                continue
            break
        if run:
            found.append((first, run[-1], _clean_run(text, run)))
            at = run[-1].end()
    return found


def _ends_sentence(word: re.Match[str]) -> bool:
    """ "Division." of "the Central Division. Boudreau said": a full stop that is not an
    initial's or an abbreviation's ends the name."""
    token = word.group()
    return token.endswith(".") and len(token) > 2 and token.rstrip(".") not in ABBREVIATIONS


def _clean_run(text: str, run: list[re.Match[str]]) -> list[Name]:
    tokens = [w.group() for w in run]
    bare = [t.rstrip(".") for t in tokens]
    cut = 0
    for k, token in enumerate(bare):
        if token in TITLES:
            cut = k + 1
    titled = cut > 0
    while cut < len(bare) and (bare[cut] in LEADING_STOP or bare[cut] in NATIONALITIES):
        cut += 1
    # "Treasury Danny Alexander": an organisation's name before a person's.
    while len(bare) - cut > 2 and bare[cut] in NOT_PERSON:
        cut += 1
    # "Hosting Cook said": a sentence's first word, capitalised only for being first (not
    # "-ed" or "-ly": Ted, Fred, Emily, Kimberly).
    if cut == 0 and len(bare) > 1 and bare[0].endswith("ing") and _opens_sentence(text, run[0]):
        cut = 1
    kept = run[cut:]
    if not kept:
        return []
    possessive = bool(_POSSESSIVE.search(kept[-1].group()))
    words = [_POSSESSIVE.sub("", w.group()) for w in kept]
    words[-1] = words[-1].rstrip(".") if len(words[-1]) > 2 else words[-1]
    # The word before the name: the run's own (a title) or the text's.
    before = tokens[cut - 1] if cut > 0 else _word_before(text, run[0].start())
    return [
        Name(
            text=" ".join(words),
            start=kept[0].start(),
            end=kept[-1].end(),
            titled=titled,
            possessive=possessive,
            after_preposition=before in PREPOSITIONS,
        )
    ]


def _opens_sentence(text: str, word: re.Match[str]) -> bool:
    """Whether nothing but a sentence's end, spaces, quote marks or "(" come before."""
    k = word.start()  # the first version cut and stripped all the text before, each run
    while k > 0 and text[k - 1] in ' “"(':
        k -= 1
    return k == 0 or text[k - 1] in ".!?:"
