"""Normalisation: what counts as typography, and the offsets back to the original."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from verify.normalize import normalize_word, tokenize
from verify.source import SourceText


def words(text: str) -> list[str]:
    return [t.word for t in tokenize(text)]


def test_case_diacritics_and_compatibility_forms_fold() -> None:
    assert words("Zoë’s CAFÉ ﬁne") == ["zoe's", "cafe", "fine"]
    assert normalize_word("Straße") == "strasse"


def test_every_whitespace_kind_separates_words() -> None:
    text = "a\u00a0b\u202fc\u2009d\u3000e\nf\r\ng\u2028h\u2029i\tj"
    assert words(text) == list("abcdefghij")


def test_soft_hyphen_and_joiners_stay_inside_a_word() -> None:
    assert words("super\u00admarket zero\u200dwidth de\u200bparted") == [
        "supermarket",
        "zerowidth",
        "departed",
    ]


def test_apostrophes_unify_and_quote_marks_vanish() -> None:
    assert words("“Ukraine’s” ‘fair game’ don't") == ["ukraine's", "fair", "game", "don't"]
    assert words("Ukraine's") == words("Ukraine’s") == words("Ukraineʼs")


def test_dashes_and_hyphens_separate_words() -> None:
    expected = ["long", "range", "a", "b"]
    for dash in "-‐‑‒–—―−":
        assert words(f"long{dash}range a {dash} b") == expected


def test_ellipsis_character_is_not_a_word() -> None:
    assert words("wait… what...") == ["wait", "what"]


def test_numbers_keep_their_separators_as_one_token() -> None:
    assert words("3,000 troops, 12,000,000 and 1.5bn") == [
        "3000",
        "troops",
        "12000000",
        "and",
        "1.5bn",
    ]
    assert words("3,000") != words("3,500")


def test_meaningful_symbols_are_tokens() -> None:
    assert words("5% of $700") == ["5", "%", "of", "$", "700"]
    assert words("5%") != words("5 per cent")


def test_full_stops_and_commas_join_only_digits() -> None:
    assert words("U.S. troops end.The 1.5 3,000") == [
        "u",
        "s",
        "troops",
        "end",
        "the",
        "1.5",
        "3000",
    ]


def test_camel_case_stays_one_word() -> None:
    assert words("iPhone captionGeorge") == ["iphone", "captiongeorge"]


def test_no_space_scripts_tokenise_per_character() -> None:
    assert words("中文abc") == ["中", "文", "abc"]


def test_tokens_keep_an_offset_map() -> None:
    text = "Hello,  World’s end"
    tokens = tokenize(text)
    assert [t.word for t in tokens] == ["hello", "world's", "end"]
    assert (tokens[0].start, tokens[0].end) == (0, 5)
    assert text[tokens[1].start : tokens[1].end] == "World’s"


_ALPHABET = st.sampled_from(
    [*"aZé9 ,.-—’'\"“”…\u00a0\u00ad\u200b\n[]()%$", "ﬁ", "3,000", "U.S.", "e\u0301", "中", "ß"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_every_token_maps_back_to_its_own_original_span(text: str) -> None:
    tokens = tokenize(text)
    previous_end = 0
    for token in tokens:
        assert 0 <= previous_end <= token.start < token.end <= len(text)
        # The original characters, normalised again, give the same word.
        assert normalize_word(text[token.start : token.end]) == token.word
        assert token.word
        previous_end = token.end


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_source_text_agrees_with_tokenize(text: str) -> None:
    src = SourceText(text)
    tokens = tokenize(text)
    assert src.words == [t.word for t in tokens]
    for k, token in enumerate(tokens):
        assert src.span(k) == (token.start, token.end)


def test_source_text_agrees_with_tokenize_across_chunks() -> None:
    rng = random.Random(7)
    vocabulary = ["troops", "3,000", "U.S.", "iPhone", "Zoë’s", "long-range", "—", "…", "\n\n"]
    text = " ".join(rng.choice(vocabulary) for _ in range(5000))
    src = SourceText(text)
    tokens = tokenize(text)
    assert src.words == [t.word for t in tokens]
    for k in rng.sample(range(len(tokens)), 300):
        assert src.span(k) == (tokens[k].start, tokens[k].end)
    assert src.find_run(["long", "range"]) == [
        k for k in range(len(tokens) - 1) if src.words[k : k + 2] == ["long", "range"]
    ]


def test_the_no_space_script_finder_agrees_with_a_class_of_the_scripts_ranges() -> None:
    import re

    from verify import normalize

    ranges = re.compile(f"[{normalize._NO_SPACE_SCRIPTS}]")
    for code in range(0x10000):
        ch = chr(code)
        assert normalize._has_no_space_script(ch, 0, 1) == bool(ranges.search(ch)), hex(code)
    text = "Ukraine’s “reform” — 한국어 and more"
    assert not normalize._has_no_space_script(text, 0, text.index("한"))
    assert normalize._has_no_space_script(text, 0, len(text))
