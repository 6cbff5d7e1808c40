"""When was a quote cited? The citing article's publication date.

Intake (issue 10) is to store the article's date; until it does, ``run`` reads it
from the article itself with :func:`date_from_html`, and the crawl asks
:func:`cited_on_for` per quote. Both are small on purpose, so the lead can swap them
for the stored field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from parsel import Selector

from spiders.base import json_ld

_META_DATES = (
    'meta[property="article:published_time"]::attr(content)',
    'meta[name="article:published_time"]::attr(content)',
    'meta[itemprop="datePublished"]::attr(content)',
    'meta[name="date"]::attr(content)',
    'meta[name="DC.date.issued"]::attr(content)',
    "time[datetime][pubdate]::attr(datetime)",
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def date_from_html(html: str) -> date | None:
    """The article's publication date from JSON-LD ``datePublished`` or its meta tags."""
    selector = Selector(text=html)
    for node in json_ld(selector):
        if (found := _as_date(node.get("datePublished"))) is not None:
            return found
    for css in _META_DATES:
        if (found := _as_date(selector.css(css).get())) is not None:
            return found
    return None


def cited_on_for(quote: Any, fallback: date | datetime | None) -> date | datetime | None:
    """A stored quote's citing date: its article's stored date when intake keeps one,
    else ``fallback`` (the date ``run`` read from the article)."""
    article = getattr(quote, "article", None)
    for name in ("published_at", "published", "date_published", "published_on"):
        value = getattr(article, name, None)
        if isinstance(value, (date, datetime)):
            return value
        if (found := _as_date(value)) is not None:
            return found
    return fallback
