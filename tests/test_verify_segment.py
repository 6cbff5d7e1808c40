"""Quote segmentation: ellipses, editorial brackets, stripped punctuation."""

from __future__ import annotations

import pytest

from verify.segment import segment
from verify.types import QuoteError


def piece_words(quote: str) -> list[list[str]]:
    return [[w.word for w in piece.words] for piece in segment(quote).pieces]


@pytest.mark.parametrize(
    "ellipsis",
    ["...", "…", ". . .", "[…]", "[...]", "(...)", "(…)", "....", ".\u00a0.\u00a0.", ".\u2009.\t."],
)
def test_every_ellipsis_spelling_splits_the_quote(ellipsis: str) -> None:
    quote = f"the troops have been supplied {ellipsis} ahead of their deployment"
    pieces = segment(quote).pieces
    assert [[w.word for w in p.words] for p in pieces] == [
        ["the", "troops", "have", "been", "supplied"],
        ["ahead", "of", "their", "deployment"],
    ]
    assert pieces[1].link == "ellipsis"


def test_leading_and_trailing_ellipses_and_quote_marks_are_dropped() -> None:
    assert piece_words("“…the troops have been supplied…”") == [
        ["the", "troops", "have", "been", "supplied"]
    ]


def test_a_bracketed_stand_in_is_a_bounded_gap() -> None:
    quote = "The enemy’s plans are to use [the North Korean presence] to reinforce conscripts"
    pieces = segment(quote).pieces
    assert [[w.word for w in p.words] for p in pieces] == [
        ["the", "enemy's", "plans", "are", "to", "use"],
        ["to", "reinforce", "conscripts"],
    ]
    assert pieces[1].link == "bracket"
    assert 4 <= pieces[1].max_gap <= 20
    assert pieces[1].bracket == "[the North Korean presence]"


def test_a_letter_case_bracket_is_part_of_the_word() -> None:
    words = segment("[T]he troops").words
    assert words[0].forms[0] == "the"
    assert [w.word for w in words] == ["the", "troops"]


def test_a_suffix_bracket_matches_with_or_without_it() -> None:
    (word,) = segment("reform[s]").words
    assert set(word.forms) == {"reforms", "reform"}


def test_sic_and_notes_stand_for_nothing() -> None:
    assert piece_words("they was [sic] here [emphasis added]") == [["they", "was", "here"]]


def test_edge_stand_ins_are_kept_aside() -> None:
    quote = segment("[He] said it was over [in 2024]")
    assert quote.leading == "[He]"
    assert quote.trailing == "[in 2024]"
    assert [w.word for w in quote.words] == ["said", "it", "was", "over"]


def test_a_long_bracket_is_the_source_s_own_text() -> None:
    quote = "Zoodles [1 cup zucchini noodles, 8 oz. cooked chicken, edamame and sesame oil]"
    assert all(piece.link != "bracket" for piece in segment(quote).pieces)
    assert "zucchini" in [w.word for w in segment(quote).words]


def test_sentences_are_pieces_that_may_skip_whole_lines() -> None:
    pieces = segment("He left. Then U.S. troops came!\nAnd Mr. Kim spoke").pieces
    assert [p.link for p in pieces] == ["start", "sentence", "sentence"]
    assert [w.word for w in pieces[1].words] == ["then", "u", "s", "troops", "came"]


def test_word_offsets_point_into_the_quote() -> None:
    quote = "“Pyongyang has sent … 3,000 troops”"
    for word in segment(quote).words:
        assert quote[word.start : word.end].casefold().replace(",", "") == word.word


@pytest.mark.parametrize("quote", ["", "   ", "\u00a0\n", "...", "“ ” — !?", "[sic]", "[…]"])
def test_a_quote_without_words_is_an_error(quote: str) -> None:
    with pytest.raises(QuoteError):
        segment(quote)
