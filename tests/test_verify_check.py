"""The verdict: verified, altered (with the diff), not_found, and where."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import Location, QuoteError, Status, check_quote
from verify.normalize import tokenize

# A source written for these tests (in the manner of the seed article's sources).
SOURCE = (
    "South Korea’s National Intelligence Service said Pyongyang has sent around 3,000 "
    "troops — including special forces — to Russia’s far east for military training "
    "and acclimatising at the bases there, in what could be readiness for combat.\n\n"
    "The troops have been supplied with Russian military uniforms, weapons and false "
    "identification documents ahead of their deployment for combat, the NIS said.\n\n"
    "Mr Kirby said: “If they do deploy to fight against Ukraine, they’re fair game. "
    "They’re fair targets.” He said the long-range missiles were not yet in place.\n\n"
    "The enemy’s plans are to use them to reinforce conscripts and border guards in the "
    "border regions. Kim Jong Un met Putin; Putin then met Kim Jong Un’s envoy again."
)


def check(quote: str, main: str = SOURCE, page: str | None = None):
    return check_quote(quote, main, page)


# -- verified ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "The troops have been supplied with Russian military uniforms",
        # typography: case, quotes, dashes, spaces, diacritics-free source
        "THE TROOPS HAVE BEEN SUPPLIED WITH RUSSIAN MILITARY UNIFORMS",
        "Pyongyang has sent around 3,000 troops - including special forces - to Russia's far east",
        "pyongyang has sent around 3000 troops -- including special forces -- to russia’s far east",
        "Pyongyang\u00a0has sent  around\n3,000 troops",
        "“If they do deploy to fight against Ukraine, they're fair game.”",
        "He said the long range missiles were not yet in place.",
        "He said the longrange missiles",
        # mid-sentence, no full stop, multi-sentence, cross-paragraph
        "has sent around 3,000 troops",
        "for combat.\n\nThe troops have been supplied",
        "the NIS said. Mr Kirby said: “If they do deploy",
        # ellipses in every spelling
        "The troops have been supplied … weapons and false identification documents",
        "The troops have been supplied ... weapons and false identification documents",
        "The troops have been supplied . . . weapons and false identification documents",
        "The troops have been supplied [...] weapons and false identification documents",
        "Pyongyang has sent […] military uniforms",
        # brackets
        "The enemy’s plans are to use [the North Korean presence] to reinforce conscripts",
        "[T]roops have been supplied with Russian military uniforms",
        "[T]he troops have been [sic] supplied with Russian military uniform[s]",
        "[The NIS] said Pyongyang has sent around 3,000 troops",
    ],
)
def test_genuine_quotes_are_verified(quote: str) -> None:
    result = check(quote)
    assert result.status is Status.VERIFIED, result
    assert result.score == 100.0
    assert result.match is not None
    assert result.match.location is Location.MAIN_TEXT
    assert SOURCE[result.match.start : result.match.end] == result.match.text


def test_zero_width_spaces_inside_or_between_words() -> None:
    assert check("The troops have been sup\u200bplied with Russian").status is Status.VERIFIED
    assert check("The\u200btroops\u200bhave\u200bbeen\u200bsupplied").status is Status.VERIFIED
    assert check("The\u200btroops\u200bhave\u200bnot\u200bbeen").status is Status.ALTERED


def test_decomposed_quote_matches_composed_page() -> None:
    source = "Le président a été réélu. 류화영 역시 거짓말을 하고 있다."
    quote = unicodedata.normalize("NFKD", "président a été réélu. 류화영 역시 거짓말을")
    assert check(quote, source).status is Status.VERIFIED


def test_match_is_the_source_s_own_words() -> None:
    result = check("“pyongyang has sent around 3,000 troops - including special forces”")
    assert result.match is not None
    assert result.match.text == (
        "Pyongyang has sent around 3,000 troops — including special forces"
    )


def test_words_the_page_glued_together_are_typography() -> None:
    source = "Read more captionGeorge Osborne said the plan was over.It was late.\nNext"
    for quote in ["George Osborne said the plan", "the plan was over. It was late", "it was late."]:
        assert check(quote, source).status is Status.VERIFIED, quote
    # ...but only a capital after a lower-case letter marks the glue at an edge.
    assert check("ext", "Read more. Next").status is Status.NOT_FOUND


def test_us_with_and_without_stops() -> None:
    source = "The U.S. government said on Monday that it would act."
    assert check("The US government said", source).status is Status.VERIFIED
    assert check("The U.S. government said", source).status is Status.VERIFIED


def test_a_repeated_name_does_not_anchor_the_wrong_place() -> None:
    # "Kim Jong Un" occurs twice; the ellipsis piece must be found after the first.
    result = check("Kim Jong Un met Putin; … Kim Jong Un’s envoy again")
    assert result.status is Status.VERIFIED
    assert result.match is not None
    assert result.match.text.startswith("Kim Jong Un met Putin")
    assert result.match.text.endswith("envoy again")


def test_a_quote_across_paragraphs_may_skip_a_caption_line() -> None:
    source = (
        "The minister spoke for an hour.\n\nPhoto: the minister at the podium\n\n"
        "Nobody in the hall asked a question afterwards."
    )
    quote = "The minister spoke for an hour. Nobody in the hall asked a question"
    assert check(quote, source).status is Status.VERIFIED
    # Words skipped inside a line are a silent omission, not a paragraph break.
    inline = "The minister spoke for an hour, then left. Nobody in the hall asked a question."
    result = check(quote, inline)
    assert result.status is Status.ALTERED
    assert [(c.op, c.source) for c in result.changes] == [("delete", "then left")]


def test_furniture_run_into_the_text_is_skipped_but_a_dropped_sentence_is_not() -> None:
    source = (
        "The hearing is set for Feb. 14. Sign up for our newsletter and get the news "
        "in your inbox. He was arrested in April. The court fined him twice."
    )
    quote = "The hearing is set for Feb. 14. He was arrested in April."
    assert check(quote, source).status is Status.VERIFIED
    caption = source.replace(
        "Sign up for our newsletter and get the news in your inbox.",
        "Sleek new laptop keyboard photographed via iFixit",
    )
    assert check(quote, caption).status is Status.VERIFIED
    # A real sentence between them is a silent omission.
    quote = "He was arrested in April. The hearing is set for Feb. 14."
    plain = (
        "He was arrested in April. He pleaded guilty to every charge. "
        "The hearing is set for Feb. 14."
    )
    result = check(quote, plain)
    assert result.status is Status.ALTERED
    assert result.changes[0].op == "delete"


def test_ellipsis_pieces_must_keep_their_order() -> None:
    result = check("Russian military uniforms … Pyongyang has sent around 3,000 troops")
    assert result.status is not Status.VERIFIED


# -- altered ----------------------------------------------------------------------------


def test_changed_number_is_altered_and_flagged() -> None:
    result = check("Pyongyang has sent around 3,500 troops to Russia’s far east")
    assert result.status is Status.ALTERED
    assert any(
        c.op == "replace" and c.quote == "3,500" and c.source == "3,000" and "number" in c.flags
        for c in result.changes
    ), result.changes
    assert result.score < 100


def test_number_word_change_is_flagged() -> None:
    source = "The agency said five people were hurt in the blast on Monday."
    result = check("The agency said six people were hurt in the blast", source)
    assert result.status is Status.ALTERED
    assert result.changes[0].flags == ("number",)


def test_added_negation_is_altered_and_flagged() -> None:
    result = check("The troops have not been supplied with Russian military uniforms")
    assert result.status is Status.ALTERED
    (change,) = result.changes
    assert change.op == "insert"
    assert change.quote == "not"
    assert "negation" in change.flags


def test_dropped_negation_is_altered_and_flagged() -> None:
    result = check("He said the long-range missiles were yet in place")
    assert result.status is Status.ALTERED
    (change,) = result.changes
    assert change.op == "delete"
    assert change.source == "not"
    assert change.flags == ("negation",)


def test_contraction_negation_is_flagged() -> None:
    source = "We do want this war to end soon, the minister said."
    result = check("We don't want this war to end soon", source)
    assert result.status is Status.ALTERED
    assert "negation" in result.changes[0].flags


def test_substituted_word_is_altered() -> None:
    result = check("The troops have been supplied with Chinese military uniforms")
    assert result.status is Status.ALTERED
    (change,) = result.changes
    assert (change.op, change.quote, change.source) == ("replace", "Chinese", "Russian")
    assert change.flags == ()


def test_silently_omitted_words_are_altered() -> None:
    result = check("Pyongyang has sent to Russia’s far east for military training")
    assert result.status is Status.ALTERED
    assert [c.op for c in result.changes] == ["delete"]
    assert "3,000 troops" in result.changes[0].source
    assert "number" in result.changes[0].flags


def test_inserted_word_is_altered() -> None:
    result = check("The troops have been secretly supplied with Russian military uniforms")
    assert result.status is Status.ALTERED
    assert [(c.op, c.quote) for c in result.changes] == [("insert", "secretly")]


def test_per_cent_and_the_percent_sign_are_one_value_in_two_styles() -> None:
    source = "Turnout rose by 5 per cent in the northern regions this year."
    result = check("Turnout rose by 5% in the northern regions", source)
    assert result.status is Status.VERIFIED
    assert [(n.kind, n.quote, n.source) for n in result.notes] == [
        ("number_style", "5%", "5 per cent")
    ]
    assert check("Turnout rose by 6% in the northern regions", source).status is Status.ALTERED


def test_a_changed_bracket_the_source_prints_itself_is_altered() -> None:
    source = "[2] Joint Commission safety goal on alarm management for hospitals."
    assert check("[2] Joint Commission safety goal", source).status is Status.VERIFIED
    result = check("[5] Joint Commission safety goal", source)
    assert result.status is Status.ALTERED
    assert result.changes[0].source == "[2]"


def test_altered_match_points_at_the_passage() -> None:
    result = check("The troops have been supplied with Chinese military uniforms")
    assert result.match is not None
    assert result.match.text == "The troops have been supplied with Russian military uniforms"
    assert SOURCE[result.match.start : result.match.end] == result.match.text


# -- not found --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "The autocrats of the world are watching closely to see what happens next",
        # shares common words with the source but is another sentence
        "The war is now in a new phase and the troops will be there for the long term",
        "surrender",
    ],
)
def test_sentences_not_in_the_source_are_not_found(quote: str) -> None:
    result = check(quote)
    assert result.status is Status.NOT_FOUND
    assert result.changes == ()


def test_distant_halves_glued_without_an_ellipsis_are_not_verified() -> None:
    quote = "Pyongyang has sent around 3,000 troops to reinforce conscripts and border guards"
    assert check(quote).status in (Status.ALTERED, Status.NOT_FOUND)
    # ...while the same halves with an ellipsis are a faithful quote.
    quote = "Pyongyang has sent around 3,000 troops … to reinforce conscripts and border guards"
    assert check(quote).status is Status.VERIFIED


# -- where ------------------------------------------------------------------------------


def test_page_text_is_searched_when_the_main_text_lacks_the_quote() -> None:
    main = "The minister spoke briefly to reporters outside the ministry on Tuesday."
    page = "Menu Home News\n" + SOURCE + "\nFooter"
    result = check("the troops have been supplied with Russian military uniforms", main, page)
    assert result.status is Status.VERIFIED
    assert result.match is not None
    assert result.match.location is Location.PAGE
    assert page[result.match.start : result.match.end] == result.match.text


def test_a_verified_page_match_beats_an_altered_main_text_one() -> None:
    main = SOURCE.replace("3,000", "2,000")
    page = SOURCE
    result = check("Pyongyang has sent around 3,000 troops", main, page)
    assert result.status is Status.VERIFIED
    assert result.match is not None and result.match.location is Location.PAGE


def test_main_text_wins_when_both_hold_the_quote() -> None:
    result = check("Pyongyang has sent around 3,000 troops", SOURCE, "Menu\n" + SOURCE)
    assert result.match is not None and result.match.location is Location.MAIN_TEXT


# -- edge cases -------------------------------------------------------------------------


@pytest.mark.parametrize("quote", ["", "   \n", "“”", "— … !"])
def test_a_quote_without_words_raises(quote: str) -> None:
    with pytest.raises(QuoteError):
        check(quote)


def test_a_quote_of_one_repeated_word() -> None:
    source = "He said no. " + "no " * 50 + "and then left."
    assert check("no " * 20, source).status is Status.VERIFIED
    assert check("no " * 80, source).status is not Status.VERIFIED


def test_a_long_quote_in_a_long_source() -> None:
    paragraph = SOURCE.replace("3,000", "{n}")
    source = "\n\n".join(paragraph.format(n=n) for n in range(200))
    quote = paragraph.format(n=150) + "\n\n" + paragraph.format(n=151)
    result = check(quote, source)
    assert result.status is Status.VERIFIED
    assert result.match is not None and "151" in result.match.text
    altered = quote.replace("supplied", "given")
    assert check(altered, source).status is Status.ALTERED


# -- properties -------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [*"ab [](){}.…—-’'\"“\n\u00a0\u00ad\u200b%$", "[…]", "[sic]", "[T]he", "3,000", "not", "the"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_quote_gets_a_verdict_or_a_quote_error(quote: str) -> None:
    try:
        result = check(quote)
    except QuoteError:
        return
    assert result.status in (Status.VERIFIED, Status.ALTERED, Status.NOT_FOUND)
    assert 0 <= result.score <= 100
    if result.match is not None:
        assert SOURCE[result.match.start : result.match.end] == result.match.text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 200), st.integers(1, 40))
def test_every_run_of_source_words_is_verified(first: int, length: int) -> None:
    tokens = tokenize(SOURCE)
    first = min(first, len(tokens) - 1)
    last = min(first + length, len(tokens)) - 1
    quote = SOURCE[tokens[first].start : tokens[last].end]
    result = check(quote)
    assert result.status is Status.VERIFIED, (quote, result)
    assert result.match is not None
    # The same words (a repeated run may be matched at its other occurrence).
    assert [t.word for t in tokenize(result.match.text)] == [t.word for t in tokenize(quote)]


PARAGRAPHS = (
    "The minister said the plan would work. It was the best plan.\n\n"
    "{middle}\n\n"
    "Critics were not convinced."
)


def test_a_silently_dropped_paragraph_is_not_verified() -> None:
    middle = (
        "He spent three weeks in the capital meeting officials from every department, "
        "and they all agreed the budget had to be cut by a third."
    )
    result = check_quote(
        "It was the best plan. Critics were not convinced.", PARAGRAPHS.format(middle=middle)
    )
    assert result.status is Status.ALTERED
    assert any(c.op == "delete" and "three weeks" in c.source for c in result.changes)


def test_a_caption_between_two_quoted_paragraphs_is_furniture() -> None:
    text = PARAGRAPHS.format(middle="Photograph: Jane Doe/Getty Images")
    result = check_quote("It was the best plan. Critics were not convinced.", text)
    assert result.status is Status.VERIFIED


def test_changes_carry_the_source_offsets_of_their_words() -> None:
    source = "Officials said 3,000 troops were sent. They will defend the border."
    number = check_quote("said 3,500 troops were sent", source)
    (change,) = number.changes
    assert source[change.start : change.end] == "3,000" and "number" in change.flags
    negation = check_quote("They will not defend the border.", source)
    (insert,) = negation.changes
    assert insert.op == "insert" and insert.start == insert.end
    assert source[: insert.start].endswith("will")
