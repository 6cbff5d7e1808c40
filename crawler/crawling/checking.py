"""One verdict for one quote against one loaded source: what every interface calls."""

from __future__ import annotations

from dataclasses import replace

from crawler.extraction.page import Page, Unreadable
from verify import Location, Result, Status, check_quote, check_speaker
from verify.cleantext import too_long


def check_on_page(quote: str, page: Page) -> Result:
    """One check: the main text first, the full page text only when that does not verify.

    The page text (and its links) are built on first use (see :class:`Page`), and
    ``check_quote`` asks for them only after a miss in the main text, so a quote the
    main text verifies never pays for them. Link-only text is kept out of the page
    text; a quote found only there gets a hint (the words are a link to another
    address), never a verification.
    """
    return check_quote(quote, page.text, lambda: page.page_text, links=lambda: page.links)


def with_attribution(result: Result, page: Page, speaker: str | None) -> Result:
    """The result with who the source says spoke the matched words (words found only:
    a quote that is not in the source has no speaker there to compare)."""
    match = result.match
    if match is None or result.status not in (Status.VERIFIED, Status.ALTERED):
        return result
    text = page.page_text if match.location == Location.PAGE else page.text
    attribution = check_speaker(text, match.start, match.end, speaker, byline=page.author)
    return replace(result, attribution=attribution)


def verdict(quote: str, outcome: Page | Unreadable, speaker: str | None = None) -> Result:
    """The verdict, or ``unavailable`` with the reason the source could not be read.

    On a paywalled page only ``verified`` stands: the rest of the article is behind
    the wall, so a miss (or a near miss) says nothing about the writer. ``speaker``:
    who the citing article says spoke the quote, checked against the source.
    """
    if too_long(quote):  # a hostile article must not hold a worker (verify/cleantext.py)
        return Result.unavailable("quote_too_long")
    if isinstance(outcome, Unreadable):
        return Result.unavailable(outcome.reason)
    given = outcome.verdicts.get((quote, speaker))
    if given is not None:  # given where the page was read (crawler.extraction.pool)
        return given
    result = check_on_page(quote, outcome)
    if outcome.paywalled and result.status is not Status.VERIFIED:
        return Result.unavailable("paywall")
    return with_attribution(result, outcome, speaker)
