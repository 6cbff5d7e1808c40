"""Test data built in code for the storage and report tests (no publisher's text)."""

from __future__ import annotations

from crawler.extract import Page
from crawler.store import QuoteIn
from verify.types import Change, Location, Match, Result, Status

ARTICLE_URL = "https://example.org/opinion/why-quotes-matter"

SOURCE_TEXT = (
    "The minister spoke to reporters on Tuesday morning. "
    "We have sent around 3,000 troops to the border and they are ready, she said. "
    "Officials declined to say when the troops would move. " * 3
)

QUOTES = [
    QuoteIn(
        text="We have sent around 3,000 troops to the border",
        kind="inline",
        position=120,
        speaker="The minister",
        outlet="bbc",
        url="https://www.BBC.com/news/articles/abc123#top",
        title="Troops sent to border",
    ),
    QuoteIn(
        text="We have sent around 5,000 troops to the border",
        kind="block",
        position=480,
        speaker="The minister",
        outlet="bbc",
        url="https://www.bbc.com/news/articles/abc123",
    ),
    QuoteIn(
        text="We're not going to stand by and let this happen",
        kind="inline",
        position=900,
        speaker="An official",
        outlet=None,
        url=None,
    ),
]


def page(text: str = SOURCE_TEXT, title: str = "Troops sent to border") -> Page:
    return Page(
        text=text,
        page_text="Menu Home News\n" + text + "\nCookie settings",
        title=title,
        author="A Reporter",
        date="2024-11-05",
        sitename="BBC News",
        extractor="trafilatura 2.3.1",
    )


def verified(text: str = SOURCE_TEXT) -> Result:
    quote = QUOTES[0].text
    start = text.index(quote)
    return Result(
        status=Status.VERIFIED,
        score=100.0,
        match=Match(text=quote, start=start, end=start + len(quote)),
    )


def altered_number(text: str = SOURCE_TEXT) -> Result:
    """Quote 2 says 5,000 where the source says 3,000: with placed offsets."""
    source_words = "We have sent around 3,000 troops to the border"
    start = text.index(source_words)
    number_at = start + source_words.index("3,000")
    return Result(
        status=Status.ALTERED,
        score=96.0,
        match=Match(text=source_words, start=start, end=start + len(source_words)),
        changes=(
            Change(
                op="replace",
                quote="5,000",
                source="3,000",
                flags=("number",),
                start=number_at,
                end=number_at + 5,
            ),
        ),
    )


def not_found() -> Result:
    return Result(status=Status.NOT_FOUND, score=41.0)


def unavailable(reason: str = "http_404") -> Result:
    return Result.unavailable(reason)


def page_location_result(text: str) -> Result:
    """A verdict found only in the page text (location ``page``)."""
    quote = QUOTES[0].text
    start = text.index(quote)
    return Result(
        status=Status.VERIFIED,
        score=100.0,
        match=Match(text=quote, start=start, end=start + len(quote), location=Location.PAGE),
    )
