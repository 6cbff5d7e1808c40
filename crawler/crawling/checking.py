"""One verdict for one quote against one loaded source: what every interface calls."""

from __future__ import annotations

from crawler.extraction.extract import Page, Unreadable
from verify import Result, Status, check_quote


def check_on_page(quote: str, page: Page) -> Result:
    """Search the main text first, and the full page text only when that does not verify.

    The page text is built on first use (see :class:`Page`), so a quote the main text
    verifies never pays for it.
    """
    result = check_quote(quote, page.text)
    if result.status is Status.VERIFIED:
        return result
    # Link-only text is kept out of the page text; a quote found only there gets a
    # hint (the words are a link to another address), never a verification.
    return check_quote(quote, page.text, page.page_text, links=page.links)


def verdict(quote: str, outcome: Page | Unreadable) -> Result:
    """The verdict, or ``unavailable`` with the reason the source could not be read.

    On a paywalled page only ``verified`` stands: the rest of the article is behind
    the wall, so a miss (or a near miss) says nothing about the writer.
    """
    if isinstance(outcome, Unreadable):
        return Result.unavailable(outcome.reason)
    result = check_on_page(quote, outcome)
    if outcome.paywalled and result.status is not Status.VERIFIED:
        return Result.unavailable("paywall")
    return result
