"""A read page and why a page could not be read: the types every stage passes on.

Kept apart from :mod:`crawler.extraction.extract`, which imports trafilatura (a quarter
of a second): a command that only receives pages (a local check whose page is read
ahead, a report) does not load the extractor for their types.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from verify import Result

# What a page's full text is built from: its HTML, the tree it was parsed into, or a
# callable that gives the text and its link-only texts (built in another process).
PageSource = Union[str, "HtmlElement", Callable[[], tuple[str, list[tuple[str, str]]]], None]


@cache
def _trafilatura() -> str:
    """The default extractor's name and version, read without importing it."""
    from importlib.metadata import version

    return f"trafilatura {version('trafilatura')}"


class Unreadable(Exception):
    """The page could not be read; ``reason`` is the ``unavailable`` reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(eq=False)
class Page:
    """A readable page: its main text, metadata, and its full visible text.

    The full text (``page_text``) is built from ``html`` (the page's HTML, or the
    tree it was parsed into) on first use: it costs about half as much as the
    main-text extraction, and most quotes are settled by the main text alone.
    ``full_text`` holds it once built (or when given); ``page_text_cpu`` the CPU
    seconds building it took (the crawl's per-stage breakdown counts them apart).
    """

    text: str
    full_text: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    extractor: str = field(default_factory=_trafilatura)
    paywalled: bool = False  # the page says its body is for subscribers only
    url: str | None = None
    # Link-only text (related stories, navigation) as (text, address): kept out of
    # ``page_text``, built with it (see crawler.extraction.links).
    link_texts: list[tuple[str, str]] | None = None
    page_text_cpu: float = 0.0

    def __post_init__(self) -> None:
        # What the page text is built from. Not a field: a page is exported with its
        # item (``scrapy crawl -O``), and a parsed tree is not data.
        self._html: PageSource = None
        # Verdicts given where the page was read (a batch's pool process), by (quote,
        # claimed speaker): crawler.crawling.checking.verdict answers from them. Not a
        # field either: they travel with the page, they are not exported with it.
        self.verdicts: dict[tuple[str, str | None], Result] = {}

    @property
    def html(self) -> PageSource:
        """The page's HTML, or the tree it was parsed into (or what builds its text and
        links elsewhere), until the page text is built."""
        return self._html

    @html.setter
    def html(self, value: PageSource) -> None:
        self._html = value

    @property
    def page_text(self) -> str:
        if self.full_text is None:
            started = time.thread_time()
            source = self._html
            if callable(source):  # a read-ahead process builds it (crawler/extraction/ahead.py)
                self.full_text, self.link_texts = source()
            elif source is not None and (not isinstance(source, str) or source):  # tree or HTML
                from crawler.extraction.extract import visible_text_and_links

                self.full_text, self.link_texts = visible_text_and_links(source, self.url)
            else:
                self.full_text = self.text
            self._html = None  # the text is what is kept
            self.page_text_cpu += time.thread_time() - started
        return self.full_text

    @property
    def links(self) -> list[tuple[str, str]]:
        """The page's link-only texts with their addresses (built with ``page_text``)."""
        self.page_text  # noqa: B018 - builds link_texts on first use
        return self.link_texts or []
