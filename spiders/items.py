"""The item every outlet spider yields: one fetched (or unfetchable) source page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SourcePage:
    """One requested source URL and what became of it.

    ``reason`` is set when the page cannot be read (an ``unavailable`` reason such as
    ``http_404``, ``robots`` or ``paywall``); ``html`` then may be empty. ``body_text``
    is what the outlet's body selectors found (None when no layout matched, so that
    extraction falls back to trafilatura). ``page`` is filled by the extraction
    pipeline (a ``crawler.extraction.extract.Page``); spiders never set it.
    """

    requested_url: str
    canonical_url: str
    final_url: str | None = None
    status: int | None = None
    outlet: str = "generic"
    layout: str | None = None
    kind: str = "article"  # "article" or "live" (a live blog)
    html: str = ""
    # Reader comments were cut from ``tree``: ``html`` is not what extraction may read.
    reader_comments: bool = False
    # The page marks its body as for subscribers (JSON-LD isAccessibleForFree: false):
    # what it shows is read, but only a verified quote stands (see crawler.crawling.checking).
    paywalled: bool = False
    body_text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None
    reason: str | None = None
    detail: str = ""
    page: Any = None
    # Filled by crawler.archive.pipeline: the archived capture read for this source
    # (an ArchiveCopy or ArchiveMiss) and why it was looked up ("gone", "as_of", "cited").
    archive: Any = None
    archive_mode: str | None = None

    def __post_init__(self) -> None:
        # The page as the spider parsed it (an lxml tree), less its reader comments,
        # so that a reader's words can never verify a quote: extraction reads this
        # tree rather than parsing ``html`` again (None: extraction parses ``html``).
        # Not a field: items are exported (``scrapy crawl -O``), and a tree is no data.
        self.tree: Any = None
