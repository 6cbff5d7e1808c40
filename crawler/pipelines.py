"""Item pipeline: read each fetched page into a :class:`crawler.extract.Page`."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.extract import Unreadable, read_html
from spiders.items import SourcePage


class ExtractPipeline:
    """Extract the main text of every readable page (``SOURCECHECK_EXTRACT_ENABLED``).

    The outlet spider's selector text, when it found one, is the main text; else
    trafilatura's. A page with no usable text gets its ``unavailable`` reason here
    (``empty_extraction``, ``consent_wall``), so the item always ends either with a
    ``page`` or with a ``reason``.
    """

    def __init__(self, enabled: bool = True) -> None:
        if not enabled:
            raise NotConfigured("SOURCECHECK_EXTRACT_ENABLED is off")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getbool("SOURCECHECK_EXTRACT_ENABLED", True))

    def process_item(self, item: SourcePage) -> SourcePage:
        if item.reason is not None or item.page is not None:
            return item
        try:
            html = item.extract_html or item.html  # without reader comments, if any
            item.page = read_html(html, url=item.final_url, body_text=item.body_text)
            item.page.paywalled = item.paywalled
        except Unreadable as exc:
            item.reason, item.detail = exc.reason, exc.detail
            if item.paywalled:  # the wall, not the extractor, is why there is no text
                item.reason, item.detail = "paywall", "the page marks its body as for subscribers"
        return item
