"""Quoting conventions must not hide a change of meaning (issue 9), on recorded pages.

Each row of the issue's table, checked through the CLI (`sourcecheck check QUOTE
--source PAGE --json`) against pages reconstructed in the outlets' markup with text
written for these tests: an ellipsis or a bracket that hides a negation, a number or
a name is ``altered``; link text never verifies; the same number in another style
is ``verified`` with a note; pieces out of order are ``altered`` (order).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
SWIFT = str(PAGES / "bbc-2019-swift-big-machine-performing.html")
ASSANGE = str(PAGES / "guardian-2019-assange-sweden-investigation.html")
NASA = str(PAGES / "independent-2018-nasa-moon-lander-companies.html")
BEIJING = str(PAGES / "guardian-2019-hong-kong-beijing-strategy.html")


def check(capsys: pytest.CaptureFixture[str], quote: str, page: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", quote, "--source", page, "--json"])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def flags_of(result: dict[str, Any]) -> set[str]:
    return {f for change in result["changes"] for f in change["flags"]}


@pytest.mark.parametrize(
    ("quote", "page", "op", "flag", "source_words"),
    [
        # an ellipsis within one sentence over a negation, a number or a qualifier
        (
            "In fact, we do ... have the right to keep her from performing live anywhere.",
            SWIFT, "omit", "negation", "not",
        ),
        (
            "the evidence is [...] strong enough to form the basis of an indictment",
            ASSANGE, "omit", "negation", "not",
        ),
        (
            "Beijing has calculated that bloody suppression should be avoided ... by offering "
            "concessions",
            BEIJING, "omit", "negation", "but not",
        ),
        ("preliminary … caused by enemy fire", BEIJING, "omit", "negation", "reports do not"),
        ("Assange is battling extradition to the United States, where he faces … charges", ASSANGE,
         "omit", "number", "18"),
        ("NASA announced that … US companies will compete for contracts", NASA, "omit",
         "number", "nine"),
        ("The contracts, worth … $2.6bn over ten years", NASA, "omit", "qualifier", "up to"),
        # a bracket in place of a number, a negation or a name, saying something else
        ("Taylor Swift's first [seven] albums were released through Big Machine", SWIFT,
         "replace", "number", "six"),
        ("the evidence has [not] weakened considerably", ASSANGE, "replace", "negation", ""),
        ("Assange is battling extradition to the [Justice] States", ASSANGE, "replace", "name",
         "United"),
    ],
)  # fmt: skip
def test_a_convention_that_hides_a_change_is_altered(
    capsys: pytest.CaptureFixture[str],
    quote: str,
    page: str,
    op: str,
    flag: str,
    source_words: str,
) -> None:
    code, result = check(capsys, quote, page)
    assert code == 1
    assert result["status"] == "altered", result
    (change,) = [c for c in result["changes"] if flag in c["flags"]]
    assert change["op"] == op
    assert source_words in change["source"]
    if op == "omit":
        assert change["quote"] == "…"


@pytest.mark.parametrize(
    ("quote", "page"),
    [
        # an ellipsis over neutral words, or across sentences
        ("Swedish prosecutors have dropped their investigation into … Julian Assange", ASSANGE),
        (
            "the evidence has weakened considerably ... the evidence is not strong enough to form "
            "the basis of an indictment",
            ASSANGE,
        ),
        # brackets for a pronoun, a capital, a note; and the source's own bracket re-worded
        ("[He] is being held at Belmarsh prison in south-east London", ASSANGE),
        ("[Julian Assange] is being held at Belmarsh prison", ASSANGE),
        ("[t]he evidence is not strong enough [sic] to form the basis of an indictment", ASSANGE),
        (
            "[They were] 12 pages of detailed laws that nobody outside the committee had seen",
            BEIJING,
        ),
    ],
)
def test_a_convention_that_keeps_the_meaning_is_verified(
    capsys: pytest.CaptureFixture[str], quote: str, page: str
) -> None:
    code, result = check(capsys, quote, page)
    assert (code, result["status"]) == (0, "verified"), result
    assert result["changes"] == []


@pytest.mark.parametrize(
    ("quote", "quote_style", "source_style"),
    [
        ("NASA announced that 9 US companies will compete for contracts", "9", "nine"),
        ("Shares in Corvane Aerospace, which had expected to be on the list but was left off, "
         "fell 3.38 per cent on the news", "3.38 per cent", "3.38%"),
        ("Corvane's planned $22.6 billion merger with a satellite operator", "$22.6 billion",
         "$22.6bn"),
    ],
)  # fmt: skip
def test_the_same_number_in_another_style_is_verified_with_a_note(
    capsys: pytest.CaptureFixture[str], quote: str, quote_style: str, source_style: str
) -> None:
    code, result = check(capsys, quote, NASA)
    assert (code, result["status"]) == (0, "verified"), result
    assert result["changes"] == []
    assert {"kind": "number_style", "quote": quote_style, "source": source_style} in result["notes"]


def test_thousands_separators_are_typography(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = check(capsys, "About 3000 people work on lunar projects", NASA)
    assert result["status"] == "verified"


def test_another_value_in_another_style_is_still_altered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, result = check(capsys, "NASA announced that 8 US companies will compete", NASA)
    assert (code, result["status"]) == (1, "altered")
    assert "number" in flags_of(result)
    quote = (
        "Shares in Corvane Aerospace, which had expected to be on the list but was left off, "
        "fell 3.39 per cent on the news"
    )
    _, result = check(capsys, quote, NASA)
    assert result["status"] == "altered"
    assert "number" in flags_of(result) and result["notes"] == []


def test_words_found_only_as_link_text_are_not_found_with_the_link(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quote = "Taylor Swift wants to re-record her old hits after ownership row"
    code, result = check(capsys, quote, SWIFT)
    assert (code, result["status"]) == (1, "not_found"), result
    assert result["link_hint"] == {
        "text": quote,
        "url": "https://www.bbc.co.uk/news/entertainment-arts-49317082",
    }
    assert "https://www.bbc.co.uk/news/entertainment-arts-49317082" in result["reason"]


def test_link_text_inside_a_body_sentence_is_still_the_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    html = (
        Path(SWIFT)
        .read_text(encoding="utf-8")
        .replace(
            "a long message posted to her fans",
            'a long message <a href="/x">posted to her fans</a>',
        )
    )
    page = tmp_path / "linked.html"
    page.write_text(html, encoding="utf-8")
    _, result = check(capsys, "in a long message posted to her fans", str(page))
    assert result["status"] == "verified"


def test_halves_in_the_other_order_are_altered_with_the_order_noted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quote = (
        "I've tried to work this out privately through my team ... I just want to be able to "
        "perform my own music"
    )
    code, result = check(capsys, quote, SWIFT)
    assert (code, result["status"]) == (1, "altered"), result
    assert flags_of(result) == {"order"}
    assert result["changes"][0]["op"] == "move"


def test_terminal_diff_shows_omitted_words_as_omitted(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", "Swedish prosecutors have dropped their investigation into … Julian Assange",
         "--source", ASSANGE]
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    assert "[…omitted: an allegation of rape against the WikiLeaks founder…]" in out
    code = main(["check", "In fact, we do ... have the right to keep her", "--source", SWIFT])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "[…omitted: not…]" in out and "(negation)" in out
