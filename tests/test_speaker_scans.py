"""The speaker check's scans made cheaper, held to the plain versions they replaced: the
same answers on any text (made of the pieces those scans look for)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import intake, names
from verify.article_html import Paragraph
from verify.attribution import (
    ABBREVIATIONS,
    ARTICLE_BEFORE,
    LEADING_STOP,
    NATIONALITIES,
    NOT_PERSON,
    ORG_LINK,
    PARTICLES,
    POSSESSIVE_BEFORE,
    PREPOSITIONS,
    SPEECH_VERB,
    SPEECH_VERBS,
    TITLES,
    UNNAMED_PERSON,
    Antecedents,
    Name,
    People,
    by_first_letter,
    is_organisation,
    last_speech_verb,
    looks_like_person,
    name_runs,
    sentence_spans,
    speaker_of,
)
from verify.intake import (
    TITLE_CUE,
    _titles,
    find_quotes_in_html,
    find_quotes_in_text,
    quoted_spans,
)

# Speech verbs, their pieces and their neighbours ("sayings", "told-", "put it"), names,
# articles, quote marks and punctuation: the texts the scans below are asked about.
PIECES = [
    *SPEECH_VERBS.replace("[sz]", "s").split("|"),
    "emphasized",
    "sa",
    "ing",
    "s",
    "ed",
    "put",
    "it",
    "out",
    "Titled",
    "entitled",
    "HEADLINE",
    "headlined",
    "the",
    "a",
    "an",
    "one",
    "man",
    "woman",
    "manager",
    "source",
    "fans",
    "official",
    "John",
    "Kirby",
    "Kirby’s",
    "O'Neil's",
    "Mr.",
    "U.S.",
    "NASA",
    "J.",
    "van",
    "de",
    "Ministry",
    "of",
    "Water",
    "Resources",
    "for",
    "quickly",
    "she",
    "Hosting",
    "(",
    "McDonald",
    "iPhone",
    "3B",
    "x-Berlin",
    "-Berlin",
    "_Kirby",
    "Ωmega",
    "ǅ",
    "Ⅻ",
    "²",
    "ß",
    "\u00a0",
    "\t",
    " ",
    "  ",
    "\n",
    ",",
    ".",
    ":",
    "-",
    "’",
    "'",
    '"',
    "“",
    "”",
    "3",
    "_",
    "é",
    "É",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_speech_verbs_grouped_by_letter_match_as_the_plain_alternation(text: str) -> None:
    plain = re.compile(r"\b(?:" + SPEECH_VERBS + r")\b")
    assert spans(SPEECH_VERB, text) == spans(plain, text)
    assert bool(SPEECH_VERB.match(text)) == bool(plain.match(text))


def test_grouping_keeps_the_order_within_a_letter() -> None:
    assert by_first_letter("say|tell|says|s") == "s(?:ay|ays|)|t(?:ell)"


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_titles_as_when_every_span_was_searched(text: str) -> None:
    every = [(a, b) for a, b in quoted_spans(text) if TITLE_CUE.search(text[:a])]
    assert _titles(text) == every


# -- names: the first versions, which read every word of every string they were given ----

_WORD = re.compile(r"[^\W\d_][\w.’'\-]*")
_POSSESSIVE = re.compile(r"[’']s?$")


def name_runs_reference(text: str) -> list[Name]:
    words = list(_WORD.finditer(text))
    names: list[Name] = []
    i = 0
    while i < len(words):
        if not words[i].group()[:1].isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            gap = text[words[j].end() : words[j + 1].start()]
            nxt = words[j + 1].group()
            if gap.strip() or _POSSESSIVE.search(words[j].group()) or _ends_sentence(words[j]):
                break
            if nxt[:1].isupper() or (
                nxt in PARTICLES and j + 2 < len(words) and words[j + 2].group()[:1].isupper()
            ):
                j += 1
                continue
            break
        run = words[i : j + 1]
        names.extend(_clean_run(text, run, words[i - 1].group() if i else ""))
        i = j + 1
    return names


def _ends_sentence(word: re.Match[str]) -> bool:
    token = word.group()
    return token.endswith(".") and len(token) > 2 and token.rstrip(".") not in ABBREVIATIONS


def _clean_run(text: str, run: list[re.Match[str]], before: str) -> list[Name]:
    tokens = [w.group() for w in run]
    bare = [t.rstrip(".") for t in tokens]
    cut = 0
    for k, token in enumerate(bare):
        if token in TITLES:
            cut = k + 1
    titled = cut > 0
    while cut < len(bare) and (bare[cut] in LEADING_STOP or bare[cut] in NATIONALITIES):
        cut += 1
    while len(bare) - cut > 2 and bare[cut] in NOT_PERSON:
        cut += 1
    lead_in = text[: run[0].start()].rstrip(' “"(')
    opens_sentence = not lead_in or lead_in.endswith((".", "!", "?", ":"))
    if cut == 0 and opens_sentence and len(bare) > 1 and bare[0].endswith("ing"):
        cut = 1
    kept = run[cut:]
    if not kept:
        return []
    possessive = bool(_POSSESSIVE.search(kept[-1].group()))
    words = [_POSSESSIVE.sub("", w.group()) for w in kept]
    words[-1] = words[-1].rstrip(".") if len(words[-1]) > 2 else words[-1]
    if cut > 0:
        before = tokens[cut - 1]
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


def seen_reference(ants: Antecedents, text: str, people: People) -> None:
    runs = name_runs_reference(text)
    unnamed = [m.start() for m in UNNAMED_PERSON.finditer(text)]
    after_article = {m.end() for m in ARTICLE_BEFORE.finditer(text)}
    after_possessive = {m.end() for m in POSSESSIVE_BEFORE.finditer(text)}
    for k, name in enumerate(runs):
        if unnamed and unnamed[0] < name.start:
            ants.person = None
            unnamed = [at for at in unnamed if at > name.start]
        if (
            k
            and is_organisation(runs[k - 1])
            and ORG_LINK.fullmatch(text[runs[k - 1].end : name.start])
        ):
            continue
        if is_organisation(name):
            ants.organisation = name.text
            nxt = runs[k + 1] if k + 1 < len(runs) else None
            if nxt and ORG_LINK.fullmatch(text[name.end : nxt.start]):
                ants.organisation = text[name.start : nxt.end]
        elif (
            not name.possessive
            and name.start not in after_article
            and name.start not in after_possessive
            and looks_like_person(name)
            and (
                " " in name.text
                or name.titled
                or people.knows(name.text)
                or SPEECH_VERB.match(re.sub(r"^,?\s*(?:\w+ly\b)?,?\s*", "", text[name.end :]))
            )
        ):
            ants.person = people.full(name.text)
    if unnamed:
        ants.person = None


@settings(max_examples=1000, deadline=None)
@given(TEXTS, st.data())
def test_name_runs_of_a_text_and_of_its_prefixes_as_found_alone(
    text: str, data: st.DataObject
) -> None:
    assert name_runs(text) == name_runs_reference(text)
    for end in data.draw(st.lists(st.integers(0, len(text)), max_size=4)):
        assert name_runs(text, end) == name_runs_reference(text[:end])


@settings(max_examples=1000, deadline=None)
@given(TEXTS, st.data())
def test_antecedents_after_a_prefix_as_after_the_prefix_alone(
    text: str, data: st.DataObject
) -> None:
    people = People()
    people.learn(data.draw(TEXTS))
    start = (
        data.draw(st.sampled_from([None, "Jane Roe"])),
        data.draw(st.sampled_from([None, "NIS"])),
    )
    for end in [None, *data.draw(st.lists(st.integers(0, len(text) + 1), max_size=4))]:
        ants, expected = Antecedents(*start), Antecedents(*start)
        ants.seen(text, people, end)
        seen_reference(expected, text[:end], people)
        assert ants == expected


def test_prefix_runs_are_taken_from_the_paragraphs() -> None:
    text = "Ukrainian President Volodymyr Zelenskyy told Ludwig van Beethoven and Mr. John Kirby"
    names._runs_of.cache_clear()
    for end in range(len(text) + 1):
        assert name_runs(text, end) == name_runs_reference(text[:end])
    assert names._runs_of.cache_info().currsize == 1  # the paragraph's runs only


UNNAMED_NOUNS = (
    "mother|father|woman|man|resident|user|parent|"
    "witness|neighbou?r|customer|passenger|voter|fan|employee|worker|official|source"
)


def test_the_unnamed_nouns_are_those_of_the_pattern() -> None:
    from verify.attribution import _UNNAMED_ENDS

    assert all(UNNAMED_PERSON.fullmatch(f"one {noun}") for noun in _UNNAMED_ENDS)
    assert UNNAMED_PERSON.pattern.endswith(f"(?:{UNNAMED_NOUNS})\\b")
    assert len(_UNNAMED_ENDS) == len(UNNAMED_NOUNS.split("|")) + 1  # neighbou?r: two


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_unnamed_people_found_as_by_the_pattern_that_opens_with_a_boundary(text: str) -> None:
    plain = re.compile(rf"\b(?:[Oo]ne|[Aa]n?(?: \w+)?) (?:{UNNAMED_NOUNS})\b")
    assert spans(UNNAMED_PERSON, text) == spans(plain, text)


# -- who reported speech is about: found when asked, as it was found at once ----------------

PAGES = Path(__file__).parent / "data" / "speakers" / "pages"
SENTENCE_PIECES = [
    "John Kirby said.",
    "He added:",
    "She told reporters that the plan would fail.",
    "Kirby said the troops were fair game.",
    "The ministry said it would respond.",
    "“We will not give up on this plan at all,” she said.",
    "“This is the end of a long and hard road for us.”",
    "Lee Jae-myung warned officials.",
    "One resident said:",
    "But the talks went on.",
    "However, he defended his decision.",
]
ARTICLES = st.lists(
    st.lists(st.sampled_from(SENTENCE_PIECES), min_size=1, max_size=3).map(" ".join),
    max_size=6,
).map("\n\n".join)


def _reported_speaker_at_once(paragraph: Paragraph, ctx: Any) -> str | None:
    if paragraph.heading:
        return None
    masked = intake._mask_quotes(paragraph.text)
    for start, end in reversed(sentence_spans(masked)):
        verb = last_speech_verb(masked[start:end])
        if verb is not None:
            break
    else:
        return None
    clause = masked[start : start + verb.start()]
    ants = ctx.antecedents.after(masked[:start], ctx.people)
    return speaker_of(clause, ctx.people, ants)[0]


def _both_ways(find: Any, *args: Any) -> tuple[Any, Any]:
    asked = find(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(intake, "_reported_speaker", _reported_speaker_at_once)
        at_once = find(*args)
    return asked, at_once


@settings(max_examples=200, deadline=None)
@given(ARTICLES)
def test_reported_speakers_found_when_asked_as_at_once(text: str) -> None:
    asked, at_once = _both_ways(find_quotes_in_text, text)
    assert asked == at_once


def test_reported_speakers_found_when_asked_as_at_once_on_the_pinned_pages() -> None:
    for folder in sorted(PAGES.iterdir()):
        html = (folder / "source.html").read_text(encoding="utf-8")
        asked, at_once = _both_ways(find_quotes_in_html, html)
        assert asked == at_once
        assert any(q.speaker for q in asked)


def _reported_reading_all_first(
    paragraphs: list[Paragraph], offsets: list[int], index: int, start: int
) -> tuple[str, str] | None:
    people, ants = People(), Antecedents()
    for p in paragraphs[:index]:
        people.learn(p.text)
        ants.seen(p.text, people)
    text = paragraphs[index].text
    people.learn(text)
    at = start - offsets[index]
    for s0, s1 in sentence_spans(text):
        if not s0 <= at < s1:
            continue
        verb = last_speech_verb(text[s0:at])
        if verb is None:
            return ("", text[s0:s1]) if SPEECH_VERB.search(text[at:s1]) else None
        clause = text[s0 : s0 + verb.start()]
        speaker, _ = speaker_of(clause, people, ants.after(text[:s0], people))
        return (speaker or "", text[s0:s1])
    return None


@settings(max_examples=100, deadline=None)
@given(ARTICLES)
def test_the_speaker_check_reads_the_names_before_only_when_wanted(text: str) -> None:
    from verify import speaker

    text = text.replace("\n\n", "\n")
    # Whole sentences, and their second halves: reported speech ("Kirby said the ...").
    spans = [(at, b) for a, b in sentence_spans(text) for at in (a, (a + b) // 2) if b > a]
    asked = [speaker.check_speaker(text, a, b, "John Kirby") for a, b in spans]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(speaker, "_reported", _reported_reading_all_first)
        speaker._read_source.cache_clear()
        first = [speaker.check_speaker(text, a, b, "John Kirby") for a, b in spans]
    speaker._read_source.cache_clear()
    assert asked == first


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_antecedents_taken_in_when_asked_answer_as_taken_in_at_once(
    text: str, data: st.DataObject
) -> None:
    people = People()
    people.learn(data.draw(TEXTS))
    start = Antecedents(data.draw(st.sampled_from([None, "Jane Roe"])), "NIS")
    end = data.draw(st.one_of(st.none(), st.integers(0, len(text))))
    now, later = start.after(text, people, end), start.later(text, people, end)
    for word in ("he", "It", "She"):
        assert later.pronoun(word) == now.pronoun(word)
    for phrase in ("the actor", "the ministry", "the tweet shown above"):
        assert later.description(phrase) == now.description(phrase)
