"""Find and read a source's archived capture, through the running Scrapy crawl.

:class:`ArchiveFinder` asks the CDX server for a URL's captures, chooses one
(:func:`crawler.archive.cdx.choose_capture`), downloads it raw (the ``id_`` form) and
reads it as the outlet's own page: the outlet spider's layouts and wall detection,
then extraction. Requests go through ``crawler.engine.download_async``, so the
downloader middlewares apply to them exactly as to a source page: robots.txt, the
address guard, record and replay, and the archive's own pacing
(:mod:`crawler.archive.throttle`). Either a :class:`ArchiveCopy` comes back or an
:class:`ArchiveMiss` with the reason there is none.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from parsel import Selector
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.archive.cdx import (
    Capture,
    CdxError,
    cdx_query_url,
    choose_capture,
    parse_cdx,
    raw_capture_url,
    to_timestamp,
)
from crawler.archive.copies import ArchiveCopy, ArchiveMiss, ArchiveOutcome
from crawler.archive.throttle import ARCHIVE_META
from crawler.extraction.extract import Unreadable, read_html
from crawler.fetching.services import slot_name
from spiders.base import headers_dict
from spiders.failures import reason_for
from spiders.items import SourcePage
from spiders.registry import spider_for_url

# Memento (RFC 7089) headers the archive sends with a capture: kept as evidence.
MEMENTO_HEADERS = ("Memento-Datetime", "Link", "Content-Location")
ARCHIVE_SERVICE = "archive"
_ID_URL = re.compile(r"/(\d{14})id_/")
# An error page the archive captured with status 200 (a "soft 404"): its title or
# main heading says the page is not there.
_SOFT_404 = re.compile(
    r"\b(page (?:was )?not found|404|not be found|couldn.t be found|can.t be found|"
    r"no longer (?:available|exists)|does not exist|doesn.t exist|page unavailable|"
    r"content (?:is )?(?:unavailable|not available))\b",
    re.IGNORECASE,
)


def _when_key(when: datetime | date | None) -> str:
    return to_timestamp(when) if when is not None else "latest"


class ArchiveFinder:
    """Archive lookups for one crawler; each (URL, date) is looked up once."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.cdx_url = settings.get("SOURCECHECK_CDX_URL")
        self.wayback_url = settings.get("SOURCECHECK_WAYBACK_URL")
        self._cache: dict[tuple[str, str], ArchiveOutcome] = {}

    async def _get(self, url: str) -> Response:
        meta = {
            ARCHIVE_META: True,
            # crawler/archive/throttle.py backs off for every archive request at once;
            # Scrapy's retry middleware would retry this one alone.
            "dont_retry": True,
            # The archive's own download slot, as crawler/fetching/services.py names
            # it: one request at a time, whatever else the crawl is fetching.
            "download_slot": slot_name(ARCHIVE_SERVICE),
            "autothrottle_dont_adjust_delay": True,
        }
        request = Request(url, meta=meta, dont_filter=True)
        assert self.crawler.engine is not None
        return await self.crawler.engine.download_async(request)

    async def find(self, url: str, when: datetime | date | None) -> ArchiveOutcome:
        key = (url, _when_key(when))
        if key not in self._cache:
            self._cache[key] = await self._find(url, when)
        return self._cache[key]

    async def _find(self, url: str, when: datetime | date | None) -> ArchiveOutcome:
        self.crawler.stats.inc_value("sourcecheck/archive/lookups")
        try:
            answer = await self._get(cdx_query_url(self.cdx_url, url, when))
        except Exception as exc:  # every failure is a reason, as for a source page
            reason, detail = reason_for(exc)
            return ArchiveMiss(_archive_reason(reason), f"CDX query: {detail}")
        if (miss := _status_miss(answer, "the CDX server")) is not None:
            return miss
        try:
            capture = choose_capture(parse_cdx(answer.body), when)
        except CdxError as exc:
            return ArchiveMiss("archive_error", str(exc))
        if capture is None:
            return ArchiveMiss("no_capture", f"the archive holds no capture of {url}")
        raw = raw_capture_url(self.wayback_url, capture)
        try:
            response = await self._get(raw)
        except Exception as exc:
            reason, detail = reason_for(exc)
            return ArchiveMiss(_archive_reason(reason), f"capture: {detail}")
        if (miss := _status_miss(response, "the archive")) is not None:
            return miss
        self.crawler.stats.inc_value("sourcecheck/archive/captures")
        return read_capture(capture, response)


def _archive_reason(reason: str) -> str:
    return reason if reason.startswith("archive_") else f"archive_{reason}"


def _status_miss(response: Response, who: str) -> ArchiveMiss | None:
    if response.status == 200:
        return None
    if response.status == 403:
        return ArchiveMiss(
            "archive_blocked", f"{who} answered 403: this site is not available from the archive"
        )
    if response.status in (429, 503):
        return ArchiveMiss(
            "archive_rate_limited", f"{who} answered {response.status} after backing off"
        )
    return ArchiveMiss(f"archive_http_{response.status}", f"{who} answered {response.status}")


def _captured_at(capture: Capture, response: Response, memento: dict[str, str]) -> str:
    """When the copy was made: Memento-Datetime, else the address's timestamp."""
    value = memento.get("Memento-Datetime")
    if value:
        try:
            moment = parsedate_to_datetime(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC).isoformat(timespec="seconds")
        except (TypeError, ValueError):
            pass
    # The archive redirects to the nearest capture it has: the final address says which.
    found = _ID_URL.search(response.url)
    stamp = found[1] if found else capture.timestamp
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()


def read_capture(capture: Capture, response: Response) -> ArchiveCopy:
    """Read a raw capture as its outlet's page; a wall or an error page is not the article."""
    headers = headers_dict(response)
    memento = {k: v for k, v in headers.items() if k in MEMENTO_HEADERS}
    copy = ArchiveCopy(
        capture=capture,
        url=response.url,
        captured_at=_captured_at(capture, response, memento),
        memento=memento,
    )
    if not isinstance(response, TextResponse) or "html" not in (
        headers.get("Content-Type", "").lower() or "html"
    ):
        copy.reason, copy.detail = "archive_not_html", "the capture is not an HTML page"
        return copy
    html = response.text
    spider_cls = spider_for_url(capture.original)
    spider = spider_cls(url=capture.original)
    selector = Selector(text=html)
    item = SourcePage(requested_url=capture.original, canonical_url=capture.original)
    spider.read_page(response, selector, item)
    if item.reason is not None:
        copy.reason, copy.detail = f"archive_{item.reason}", f"the capture: {item.detail}"
        return copy
    if item.paywalled:
        copy.reason, copy.detail = "archive_paywall", "the capture is a subscriber-only page"
        return copy
    if (soft := soft_404(selector)) is not None:
        copy.reason = "archive_soft_404"
        copy.detail = f"the capture is an error page, not the article ({soft!r})"
        return copy
    try:
        # The tree the spider read (reader comments cut from it), else the capture's HTML.
        source = item.tree if item.tree is not None else html
        copy.page = read_html(source, url=capture.original, body_text=item.body_text)
    except Unreadable as exc:
        copy.reason, copy.detail = f"archive_{exc.reason}", f"the capture: {exc.detail}"
    return copy


def soft_404(selector: Selector) -> str | None:
    """The title or main heading of an error page served with status 200, if it is one."""
    for css in ("title::text", "h1 ::text"):
        text = " ".join(" ".join(selector.css(css).getall()).split())
        if text and len(text) < 120 and _SOFT_404.search(text):
            return text
    return None
