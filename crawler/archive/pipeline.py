"""Where the crawl meets the archive: an item pipeline and a small downloader middleware.

Why a pipeline and not spider callbacks: whether the archive is needed is known only
once the page is read (gone, or redirected to the home page) or verified (a miss that
may be a stealth edit), and that happens after extraction, in the pipelines. From
here the lookups are sent with ``crawler.engine.download_async``: the same downloader
middlewares as every page (robots.txt, address guard, record/replay, the archive's
pacing), in the same crawl, with no second reactor and no second process.
"""

from __future__ import annotations

import weakref
from collections.abc import Coroutine
from datetime import date, datetime
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from crawler.archive.finder import ArchiveFinder, ArchiveMiss
from crawler.archive.throttle import ARCHIVE_META
from crawler.archive.verdicts import GONE_REASONS, Checked, check_as_of, check_edit, check_gone
from crawler.crawling.checking import verdict
from crawler.dates import parse_date
from crawler.extraction.page import Page, Unreadable
from spiders.base import META
from spiders.failures import Refused
from spiders.items import SourcePage
from verify import Result

_FINDERS: weakref.WeakKeyDictionary[Crawler, ArchiveFinder] = weakref.WeakKeyDictionary()
_HOME_PATHS = ("", "/", "/index.html", "/index.htm", "/home", "/en", "/en/", "/uk", "/us")


def finder_for(crawler: Crawler) -> ArchiveFinder:
    """One finder (and one lookup cache) per crawler, shared by the pipelines."""
    if crawler not in _FINDERS:
        _FINDERS[crawler] = ArchiveFinder(crawler)
    return _FINDERS[crawler]


def redirected_home(item: SourcePage) -> bool:
    """True when an article URL ended on the site's home page: the article is gone."""
    if not item.final_url or item.final_url == item.canonical_url:
        return False
    asked, ended = urlsplit(item.canonical_url), urlsplit(item.final_url)
    return (
        asked.path.rstrip("/") not in ("",)
        and ended.path in _HOME_PATHS
        and not ended.query
        and (ended.hostname or "").removeprefix("www.")
        == (asked.hostname or "").removeprefix("www.")
    )


def archive_settings(settings: BaseSettings) -> tuple[bool, Any, Any]:
    return (
        settings.getbool("SOURCECHECK_ARCHIVE_ENABLED", True),
        parse_date(settings.get("SOURCECHECK_AS_OF"), "--as-of date"),
        parse_date(settings.get("SOURCECHECK_CITED_ON"), "citing date"),
    )


class ArchivePipeline:
    """Attach the archived capture an item needs (after extraction, before storing).

    ``gone``: the live page is gone (:data:`GONE_REASONS`); the capture closest to the
    citing date (or the newest) is read. ``as_of``: the capture closest to
    ``SOURCECHECK_AS_OF`` replaces the live page. ``cited``: with
    ``SOURCECHECK_ARCHIVE_EAGER`` (``check --cited-on``), the capture from the citing
    date is read for the edit check; the crawl's store pipeline asks for it lazily
    instead, only for a quote the live page does not verify.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled, self.as_of, self.cited_on = archive_settings(crawler.settings)
        self.eager = crawler.settings.getbool("SOURCECHECK_ARCHIVE_EAGER", False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: SourcePage) -> SourcePage | Coroutine[Any, Any, SourcePage]:
        if item.reason is None and redirected_home(item):
            item.reason = "redirect_home"
            item.detail = f"the page redirects to the site's home page ({item.final_url})"
            item.page = None
        wanted = self.as_of is not None or item.reason in GONE_REASONS
        if self.eager and self.cited_on is not None and item.page is not None:
            wanted = True
        if not wanted or (not self.enabled and self.as_of is None):
            # Nothing to ask the archive: the item goes on at once, as without this stage.
            return item
        return self.look_up(item)  # Scrapy awaits a returned coroutine

    async def look_up(self, item: SourcePage) -> SourcePage:
        finder = finder_for(self.crawler)
        url = item.requested_url
        if self.as_of is not None:
            item.archive_mode = "as_of"
            item.archive = (
                await finder.find(url, self.as_of)
                if self.enabled
                else ArchiveMiss("archive_off", "archive lookups are switched off")
            )
        elif item.reason in GONE_REASONS:
            item.archive_mode = "gone"
            item.archive = await finder.find(url, self.cited_on)
        elif self.eager and self.cited_on is not None and item.page is not None:
            item.archive_mode = "cited"
            item.archive = await finder.find(url, self.cited_on)
        return item


class AsOfMiddleware:
    """With ``SOURCECHECK_AS_OF`` the live page is not fetched at all: the spider's
    request stops here (reason ``as_of``) and the archive pipeline reads the capture."""

    def __init__(self, as_of: Any) -> None:
        if as_of is None:
            raise NotConfigured
        self.as_of = as_of

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.get("SOURCECHECK_AS_OF") or None)

    def process_request(self, request: Request) -> None:
        if META in request.meta and not request.meta.get(ARCHIVE_META):
            raise Refused("as_of", f"checked against the archive as of {self.as_of}")
        return None


def checked_verdict(
    quote: str,
    outcome: Page | Unreadable,
    archive: Any,
    mode: str | None,
    speaker: str | None = None,
) -> Checked:
    """The verdict with whatever capture the pipeline attached (no more lookups), and
    who said it when ``speaker`` is claimed."""
    if mode == "as_of":
        return check_as_of(quote, archive or ArchiveMiss("no_capture"), speaker)
    if isinstance(outcome, Unreadable):
        if outcome.reason in GONE_REASONS:
            return check_gone(quote, outcome, archive, speaker)
        return Checked(Result.unavailable(outcome.reason))
    live = verdict(quote, outcome, speaker)
    if archive is not None and live.status in ("altered", "not_found"):
        return check_edit(quote, outcome, live, archive)
    return Checked(live)


def edit_check_needed(
    crawler: Crawler, item: SourcePage, checked: Checked, cited_on: date | datetime | None
) -> bool:
    """True when a live miss should be checked against the capture from ``cited_on``
    (the crawl's edit check): only then does the store pipeline wait for the archive."""
    return (
        item.archive_mode not in ("as_of", "gone")
        and item.page is not None
        and cited_on is not None
        and checked.result.status in ("altered", "not_found")
        and crawler.settings.getbool("SOURCECHECK_ARCHIVE_ENABLED", True)
    )


async def edit_check(
    crawler: Crawler, item: SourcePage, quote: str, live: Checked, cited_on: date | datetime
) -> Checked:
    """The capture from ``cited_on``, looked up now, against a live miss."""
    copy = await finder_for(crawler).find(item.requested_url, cited_on)
    assert isinstance(item.page, Page)
    return check_edit(quote, item.page, live.result, copy)
