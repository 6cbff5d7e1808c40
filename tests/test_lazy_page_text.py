"""The full page text is the fallback of a miss, and only of a miss (issue 8).

Through the product path (``crawler.job.check_one``, ``check_batch`` on fixture pages):
a quote the main text verifies never builds the page text, and a quote that only the
page text holds is still verified there. Switching the fallback off fails the second
test; building the page text eagerly fails the first. At the engine's level, a miss
judges the main text once per reading however many texts are searched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import verify.check
from crawler.extraction.extract import Page
from crawler.job import check_batch, check_one, parse_batch
from verify import Location, Result, Status, check_quote
from verify.segment import SegmentedQuote

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
SNYDER = str(PAGES / "guardian-snyder-1938.html")
VLADIVOSTOK = str(PAGES / "bbc-2019-putin-kim-vladivostok.html")

# In the article's body: trafilatura's main text holds it.
IN_BODY = "What that decade teaches is that aggression which pays does not stop; it learns."
# The standfirst sits outside the Guardian's body: only the full page text holds it.
STANDFIRST = "The historian and author of On Tyranny on appeasement, the price of looking away"
# An image caption the main text drops.
CAPTION = "Mr Kim was greeted with a military band when he arrived at Vladivostok station"


def _page(checked: object) -> Page:
    loaded = getattr(checked, "loaded", None)
    assert isinstance(loaded, Page)
    return loaded


def test_a_quote_the_main_text_verifies_never_builds_the_page_text() -> None:
    checked = check_one(IN_BODY, SNYDER)
    assert checked.result.status is Status.VERIFIED
    assert checked.result.match is not None
    assert checked.result.match.location is Location.MAIN_TEXT
    page = _page(checked)
    assert page.full_text is None and page.page_text_cpu == 0.0


def test_a_quote_only_the_page_text_holds_is_verified_there() -> None:
    checked = check_one(STANDFIRST, SNYDER)
    assert checked.result.status is Status.VERIFIED, checked.result
    assert checked.result.match is not None
    assert checked.result.match.location is Location.PAGE
    page = _page(checked)
    assert page.full_text is not None
    match = checked.result.match
    assert page.page_text[match.start : match.end] == match.text


def test_a_batch_builds_the_page_text_only_for_the_page_whose_quote_missed() -> None:
    lines = parse_batch(
        [
            f'{{"id": 1, "quote": "{IN_BODY}", "source": "{SNYDER}"}}',
            f'{{"id": 2, "quote": "{CAPTION}", "source": "{VLADIVOSTOK}"}}',
        ]
    )
    answers = {line.id: answer for line, answer in check_batch(lines)}
    in_body, caption = answers[1], answers[2]
    assert not isinstance(in_body, str) and not isinstance(caption, str)
    assert in_body.result.status is Status.VERIFIED
    assert _page(in_body).full_text is None
    assert caption.result.status is Status.VERIFIED
    assert caption.result.match is not None and caption.result.match.location is Location.PAGE


def test_a_miss_judges_the_main_text_once_and_builds_the_page_text_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judged: list[Location] = []
    real_judge = verify.check.judge

    def counting_judge(quote: SegmentedQuote, text: str, location: Location) -> Result:
        judged.append(location)
        return real_judge(quote, text, location)

    monkeypatch.setattr(verify.check, "judge", counting_judge)
    built: list[str] = []

    def page_text() -> str:
        built.append("page")
        return "Menu\nThe mayor said the bridge will open in spring.\nFooter"

    main = "The council met on Tuesday to discuss the budget for the coming year."
    result = check_quote("the bridge will open in spring", main, page_text)
    assert result.status is Status.VERIFIED
    assert result.match is not None and result.match.location is Location.PAGE
    assert built == ["page"]
    assert judged.count(Location.MAIN_TEXT) == 1

    judged.clear()
    built.clear()
    found = check_quote("the budget for the coming year", main, page_text, links=lambda: [])
    assert found.status is Status.VERIFIED and built == []
    assert judged == [Location.MAIN_TEXT]
