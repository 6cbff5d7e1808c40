"""Placeholder matcher (exact match after case folding) until the engine lands.

Replaced by the real engine (normalisation, segmentation, word alignment).
"""

from __future__ import annotations

from verify.types import Location, Match, QuoteError, Result, Status


def check_quote(quote: str, main_text: str, page_text: str | None = None) -> Result:
    if not any(ch.isalnum() for ch in quote):
        raise QuoteError("the quote has no words")
    for location, text in ((Location.MAIN_TEXT, main_text), (Location.PAGE, page_text or "")):
        at = text.casefold().find(quote.strip().casefold())
        if at >= 0:
            end = at + len(quote.strip())
            return Result(Status.VERIFIED, 100.0, Match(text[at:end], at, end, location))
    return Result(Status.NOT_FOUND, 0.0)
