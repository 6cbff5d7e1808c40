"""When was a quote cited? The citing article's publication date.

``run`` reads it from the article the way discovery does
(:func:`crawler.discovery.job.published_of`: ``--published``, the page's meta or
JSON-LD date, a plain text's date line), and the crawl asks :func:`cited_on_for` per
quote, which prefers a date stored with the quote's article.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
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
