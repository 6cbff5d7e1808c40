"""The engine's rules for quoting conventions (issue 9), on texts written for these tests."""

from __future__ import annotations

import pytest

from verify import Result, Status, check_quote
from verify.numbers import number_spans

SOURCE = (
    "The council said the new bridge will only open to buses in 2026. "
    "Officials reportedly told contractors that the road may close for about 40 days. "
    "Mr. Patel, the engineer, said the concrete was not poured on time. "
    "Residents were told on Monday, at a meeting in the library, that work would start soon.\n\n"
    "Prime Minister Ada Moss visited the site. Later, Moss said the cost had risen to £12m, "
    "or 4.5 per cent more than planned, and that the first phase was finished."
)


def check(quote: str, source: str = SOURCE) -> Result:
    return check_quote(quote, source)


@pytest.mark.parametrize(
    ("quote", "flag", "elided"),
    [
        ("the new bridge will … open to buses", "qualifier", "only"),
        ("Officials … told contractors that the road", "qualifier", "reportedly"),
        ("the road … close for about 40 days", "qualifier", "may"),
        ("the road may close for … days", "qualifier", "about 40"),
        ("the concrete was … poured on time", "negation", "not"),
        ("will only open to buses … Officials", "number", "in 2026"),
    ],
)
def test_an_ellipsis_within_a_sentence_may_not_hide_meaning(
    quote: str, flag: str, elided: str
) -> None:
    result = check(quote)
    if quote.endswith("Officials"):  # across a sentence end: stays verified
        assert result.status is Status.VERIFIED
        return
    assert result.status is Status.ALTERED, result
    (change,) = result.changes
    assert (change.op, change.quote, change.source) == ("omit", "…", elided)
    assert flag in change.flags
    assert SOURCE[change.start : change.end] == elided


def test_an_ellipsis_over_neutral_words_or_across_sentences_is_verified() -> None:
    result = check("Residents were told … that work would start soon")
    assert result.status is Status.VERIFIED
    (note,) = result.notes
    assert note.kind == "omitted" and note.source == "on Monday, at a meeting in the library"
    # "Mr." ends no sentence, so this ellipsis is inside one: "not" is hidden
    assert check("Mr. Patel, the engineer, said the concrete was … poured on time").status is (
        Status.ALTERED
    )
    assert check("the road may close for about 40 days. … work would start soon").status is (
        Status.VERIFIED
    )


@pytest.mark.parametrize(
    ("quote", "status", "flag"),
    [
        ("Later, [the prime minister] said the cost had risen", Status.VERIFIED, None),
        ("Later, [she] said the cost had risen", Status.VERIFIED, None),
        ("Later, [Ada Moss] said the cost had risen", Status.VERIFIED, None),
        ("Later, [Tom Reyes] said the cost had risen", Status.ALTERED, "name"),
        ("the cost had risen to [£15m], or 4.5 per cent", Status.ALTERED, "number"),
        ("the cost had risen to [£12m], or 4.5 per cent", Status.VERIFIED, None),
        ("the concrete was [in fact] poured on time", Status.ALTERED, "negation"),
        ("the concrete [was not] poured on time", Status.VERIFIED, None),
        ("the concrete was [never] poured on time", Status.VERIFIED, None),
        ("the road may [not] close for about 40 days", Status.ALTERED, "negation"),
    ],
)
def test_a_bracket_may_not_replace_a_fact(quote: str, status: Status, flag: str | None) -> None:
    result = check(quote)
    assert result.status is status, result
    if flag:
        assert flag in {f for c in result.changes for f in c.flags}


@pytest.mark.parametrize(
    ("quote", "note"),
    [
        ("the cost had risen to £12 million", ("£12 million", "£12m")),
        ("or 4.5% more than planned", ("4.5%", "4.5 per cent")),
        ("and that the 1st phase was finished", ("1st", "first")),
        ("the road may close for about forty days", ("forty", "40")),
    ],
)
def test_the_same_number_in_another_style_is_a_note(quote: str, note: tuple[str, str]) -> None:
    result = check(quote)
    assert result.status is Status.VERIFIED, result
    assert [(n.kind, n.quote, n.source) for n in result.notes] == [("number_style", *note)]


@pytest.mark.parametrize(
    "quote",
    ["the cost had risen to £13 million", "or 4.6% more than planned", "for about 41 days"],
)
def test_another_value_in_another_style_is_not_verified(quote: str) -> None:
    assert check(quote).status is not Status.VERIFIED


def test_number_reader() -> None:
    def values(text: str) -> list[tuple[str, str, bool]]:
        return [
            (s.value.currency, str(s.value.value), s.value.percent)
            for s in number_spans(text.split())
        ]

    assert values("$ 22.6bn") == values("$ 22.6 billion") == [("$", "2.26E+10", False)]
    assert values("twenty five %") == values("25 per cent") == [("", "25", True)]
    assert values("three hundred") == [("", "3E+2", False)]


def test_pieces_in_another_order_are_altered_with_order() -> None:
    result = check("that work would start soon. Officials reportedly told contractors")
    assert result.status is Status.ALTERED
    assert [c.op for c in result.changes] == ["move"]
    assert result.changes[0].flags == ("order",)


def test_link_text_gives_a_hint_never_a_verdict() -> None:
    links = [("Bridge costs soar as council admits delays", "https://example.org/b")]
    result = check_quote("Bridge costs soar as council admits delays", SOURCE, links=links)
    assert result.status is Status.NOT_FOUND
    assert result.link_hint is not None and result.link_hint.url == "https://example.org/b"
    assert "https://example.org/b" in (result.reason or "")
    # found in the article itself: the link is no reason to doubt it
    verified = check_quote("Residents were told on Monday", SOURCE, links=links)
    assert verified.status is Status.VERIFIED and verified.link_hint is None
