"""The verify stage's work left out or done once, held to the plain versions it replaced:
the same verdicts, the same speakers, on the fixtures' pages and on generated texts."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import intake, normalize, speaker
from verify.article_html import Paragraph
from verify.attribution import Antecedents, sentence_spans
from verify.intake import find_quotes_in_html, find_quotes_in_text, quoted_spans
from verify.segment import QuoteWord, _quote_word
from verify.types import Attribution

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PAGES = sorted((REPO / "fixtures" / "pages").glob("*.html"))
SPEAKER_PAGES = sorted((REPO / "tests" / "data" / "speakers" / "pages").glob("*/source.html"))

# Sentences with the quotations and attribution lines the speaker check's walk finds:
# quote marks of each kind, paired, nested and left open; lines ending in a colon, with
# and without a speech verb; paragraphs that go on with a block ("And", "The troops",
# "But even as he ..."); names, pronouns, Q&A labels and dash lines.
SENTENCES = [
    "John Kirby said:",
    "He added:",
    "As The Independent reported:",
    "One resident said:",
    "The plan:",
    "The troops were ready for war and peace.",
    "The troops have been supplied with food.",
    "And the troops were ready for war and peace again.",
    "But even as he was uttering those words, it ended.",
    "He said the plan was fine.",
    "Kirby said the troops were fair game.",
    "The ministry said it would respond.",
    "“We will not give up on this plan at all,” she said.",
    "“This is the end of a long and hard road for us.”",
    '"They will come back to the table soon," Kirby said.',
    "“It goes on and on into the next paragraph,",
    "“Short,” he said.",
    '"mixed marks,” as some pages have them in a long line.',
    "“He said ‘no’ to them and “then” left the room for good.”",
    "Lee Jae-myung warned officials.",
    "KIRBY: We are watching it very closely now.",
    "Q: What will you do next, Mr Kirby?",
    "A: We will wait and see what happens here.",
    "— John Kirby",
    "However, he defended his decision.",
    "Titled “The Road Ahead Of Us All”, the report said so.",
    "she told reporters: “we will not go back on it at all.”",
    "John Kirby summed it up with a metaphor.",
    "Jane Roe told reporters about the plan.",
    "It was the ministry’s plan, Kirby said.",
]
PARAGRAPHS = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map(" ".join)
TEXTS = st.lists(PARAGRAPHS, min_size=1, max_size=10).map("\n".join)


def _walking_always(reading: speaker._Reading, *_: object) -> bool:
    return True


def _attribution(text: str, start: int, end: int, claimed: str | None) -> Attribution:
    return speaker.check_speaker(text, start, end, claimed, byline="Jane Roe")


def _both_ways(
    text: str, spans: list[tuple[int, int]], claimed: str | None
) -> tuple[list[Attribution], list[Attribution]]:
    """Each span's attribution as the check gives it and as when it always walked, with
    one reading for all the spans (a crawl's several quotes against one page)."""
    speaker._read_source.cache_clear()
    now = [_attribution(text, a, b, claimed) for a, b in spans]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(speaker._Reading, "may_hold", _walking_always)
        speaker._read_source.cache_clear()
        walked = [_attribution(text, a, b, claimed) for a, b in spans]
    speaker._read_source.cache_clear()
    return now, walked


def _passages(text: str) -> Iterator[tuple[int, int]]:
    """Each sentence, its halves, and each quotation the source's walk finds."""
    for a, b in sentence_spans(text):
        yield from ((a, b), (a, (a + b) // 2), ((a + b) // 2, b))
    reading = speaker._Reading(text)
    for q in reading.quotes_to(len(reading.paragraphs) - 1):
        a, b = speaker._span_of(q, reading.paragraphs, reading.offsets)
        yield from ((a, b), (a - 5, b + 5), (a + 3, b))


def _spans_hold_every_quotation(text: str) -> None:
    reading = speaker._Reading(text)
    last = len(reading.paragraphs) - 1
    around = list(reading.spans_around(0, last))
    for q in reading.quotes_to(last):
        a, b = speaker._span_of(q, reading.paragraphs, reading.offsets)
        assert any(x <= a and b <= y for x, y in around), (q, around)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_the_spans_around_hold_every_quotation_of_the_walk(text: str) -> None:
    _spans_hold_every_quotation(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.tuples(st.integers(0, 400), st.integers(1, 120)), max_size=6))
def test_the_speaker_check_as_when_it_always_walked(
    text: str, picks: list[tuple[int, int]]
) -> None:
    spans = [*_passages(text), *((a, a + n) for a, n in picks)]
    for claimed in (None, "John Kirby"):
        now, walked = _both_ways(text, spans, claimed)
        assert now == walked


@functools.cache
def _page_texts() -> list[str]:
    from crawler.extraction.extract import read_html
    from crawler.extraction.page import Unreadable
    from crawler.fetching.sources import read_local_text

    texts = []
    for path in [*FIXTURE_PAGES, *SPEAKER_PAGES]:
        try:
            page = read_html(read_local_text(str(path)), url="https://example.com/a")
        except Unreadable:
            continue
        texts.extend([page.text, page.page_text])
    return texts


def test_the_fixture_pages_are_read() -> None:
    assert len(_page_texts()) >= 30


@pytest.mark.parametrize("n", range(4))
def test_the_speaker_check_as_when_it_always_walked_on_the_fixture_pages(n: int) -> None:
    for text in _page_texts()[n::4]:
        _spans_hold_every_quotation(text)
        spans = list(_passages(text))
        now, walked = _both_ways(text, spans, "John Kirby")
        assert now == walked, json.dumps(text[:80])


# -- who a paragraph named before a quotation: asked for only when a rule wants it --------


def _inline_quotes_at_once(
    paragraph: Paragraph, index: int, ctx: Any, nxt: Paragraph | None
) -> list[dict[str, Any]]:
    """intake._inline_quotes as it was, finding who the paragraph named before each
    quotation as it reads it."""
    text = paragraph.text
    masked = intake._mask_quotes(text)
    titles = intake._titles(text)
    found = []
    bare: list[bool] = []
    local: list[str | None] = []
    goes_on = nxt is not None and nxt.text[:1] in '“"' and nxt.blockquote is None
    for a, b in quoted_spans(text, open_to_end=goes_on):
        inner = text[a + 1 : b]
        quoted = inner.strip().rstrip(",;:").strip()
        if (a, b) in titles or len(intake._words(quoted)) < ctx.min_words:
            continue
        whole = not text[:a].strip() and not text[b + 1 :].strip(" .,")
        s0, s1 = intake._sentence_at(text, a)
        sentence = text[s0:s1]
        pre, post = intake._mask_quotes(text[s0:a]), intake._mask_quotes(text[b + 1 : s1])
        named = intake.outlet_named_in(pre) or intake.outlet_named_in(post)
        title = next((text[x + 1 : y].strip() for x, y in titles if s0 <= x < s1), None)
        href = intake._link_in(text, paragraph.links, s0, s1, (a, b + 1))
        bare.append(
            not intake._title_case(quoted)
            and not intake._words(pre)
            and (not intake._words(post) or intake._ends_inside(quoted, post))
        )
        ants = ctx.antecedents.later(masked, ctx.people, a)
        local.append(
            intake._last_said(masked, a, ctx) or Antecedents().after(masked, ctx.people, a).person
        )
        found.append(
            {
                "text": quoted,
                "kind": "inline",
                "speaker": None
                if intake._title_case(quoted)
                else intake._inline_speaker(pre, post, ctx, ants)
                or (ctx.previous_speaker if whole else None),
                "outlet": named[0] if named else None,
                "title": title,
                "url": intake._resolve(href, ctx.base_url),
                "paragraph": index,
                "start": a + 1 + len(inner) - len(inner.lstrip()),
                "attribution": sentence,
            }
        )
    opens = not text[:1].isalnum()
    previous = ctx.previous_speaker if opens else None
    for k, draft in enumerate(found):  # intake._carry_speakers as it was
        if draft["speaker"] or not bare[k]:
            continue
        earlier = [d["speaker"] for d in found[:k] if d["speaker"]]
        later = [d["speaker"] for d in found[k + 1 :] if d["speaker"]]
        if earlier:
            draft["speaker"] = earlier[-1]
        elif k == 0 and previous:
            draft["speaker"] = previous
        elif local[k]:
            draft["speaker"] = local[k]
        elif later:
            draft["speaker"] = later[0]
    return found


def _quotations_both_ways(find: Any, *args: Any) -> tuple[Any, Any]:
    asked = find(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(intake, "_inline_quotes", _inline_quotes_at_once)
        at_once = find(*args)
    return asked, at_once


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_quotations_as_when_the_names_before_each_were_found_at_once(text: str) -> None:
    for find in (find_quotes_in_text, _source_quotations):
        asked, at_once = _quotations_both_ways(find, text.replace("\n", "\n\n"))
        assert asked == at_once


def _source_quotations(text: str) -> list[Any]:
    speaker._read_source.cache_clear()
    reading = speaker._Reading(text)
    return reading.quotes_to(len(reading.paragraphs) - 1)


def test_quotations_as_when_the_names_before_each_were_found_at_once_on_the_pages() -> None:
    for path in [*FIXTURE_PAGES, *SPEAKER_PAGES]:
        from crawler.fetching.sources import read_local_text

        html = read_local_text(str(path))
        asked, at_once = _quotations_both_ways(find_quotes_in_html, html)
        assert asked == at_once, path.name
    for text in _page_texts():
        asked, at_once = _quotations_both_ways(_source_quotations, text)
        assert asked == at_once


# -- a token's normalised form: memoised in a dict -----------------------------------------

WORDS = st.text(
    alphabet=st.sampled_from([*"aZé3,.’'`", "\u00ad", "\u200b", "ﬁ", "Ⅻ", "İ", "ß", "\u0301", "٣"]),
    min_size=1,
    max_size=8,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.integers(1, 8))
def test_normalized_words_as_found_afresh_when_the_memo_fills(words: list[str], limit: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalize, "_MEMO_WORDS", limit)
        for word in words * 2:
            assert normalize.normalize_word(word) == normalize._normalized(word)


# -- small things: the paragraph a passage starts in, a quote's words ----------------------


def _paragraph_at_by_scan(offsets: list[int], paragraphs: list[Paragraph], at: int) -> int:
    index = 0
    for k, offset in enumerate(offsets):
        if offset <= at:
            index = k
    return index if paragraphs else -1


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.integers(-2, 500), max_size=10))
def test_the_paragraph_at_an_offset_as_found_by_a_scan(text: str, ats: list[int]) -> None:
    for source_text in (text, "\n\n " + text.replace("\n", "\n \n"), ""):
        paragraphs, offsets = speaker._paragraphs(source_text)
        for at in ats:
            assert speaker._paragraph_at(offsets, paragraphs, at) == _paragraph_at_by_scan(
                offsets, paragraphs, at
            )


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS, st.integers(0, 50), st.integers(0, 50))
def test_a_quote_word_without_brackets_as_the_function_makes_it(
    worked: str, word: str, start: int, length: int
) -> None:
    # segment() makes the word itself when no bracket stands inside a word of the quote
    expected = QuoteWord((word,), start, start + length)
    assert _quote_word(worked, start, start + length, word, []) == expected
