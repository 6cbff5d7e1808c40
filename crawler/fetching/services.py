"""Fetch outside services (APIs, sitemaps, feeds) through the project's Scrapy stack.

Every call to a service (the Guardian Content API, an outlet's sitemap or feed, an
archive's index) goes through :func:`fetch_services`, so it gets what every page
fetch gets: robots.txt (with Crawl-delay), the address guard, politeness, retries
with backoff that honours ``Retry-After``, and record / replay. It returns, for each
requested URL, a :class:`ServiceResponse`: the status, headers, body (gzip undone,
including a ``.xml.gz`` sitemap served as a file) and final URL, or the reason it
could not be read (``http_403``, ``http_429``, ``timeout``, ``robots``,
``not_recorded``, ...), never an exception.

Each request names its service (:class:`ServiceRequest`); a service listed in the
``SOURCECHECK_SERVICE_DELAYS`` setting gets a Scrapy download slot of its own with
that delay and one request at a time (the Guardian API's developer keys allow about
one call a second), whichever host it is on.

A Twisted reactor cannot be restarted, and a caller usually goes on to crawl pages
after asking a service, so by default the crawl runs in a fresh child process
(``isolate=True``); ``isolate=False`` runs it here, once per process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from twisted.python.failure import Failure

from crawler.errors import InputError
from crawler.fetching.replay import Recording, RecordingError
from spiders.base import headers_dict
from spiders.failures import reason_for

SERVICE_META = "sourcecheck_service"
# Every 4xx / 5xx answer reaches the callback with its body (an API's error message
# is evidence of why it failed), after RetryMiddleware has had its turn with 429 and
# 5xx. 3xx is left out so that RedirectMiddleware still follows redirects.
_ERROR_STATUSES = list(range(400, 600))
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    """One URL to fetch from a named service (the name picks its rate)."""

    url: str
    service: str = ""


@dataclass(frozen=True, slots=True)
class ServiceResponse:
    """What a service answered for one requested URL, or why it could not be read."""

    url: str
    service: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    final_url: str | None = None
    reason: str | None = None  # None when the body is readable (a 2xx answer)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def text(self) -> str:
        return self.body.decode(self.charset, errors="replace")

    @property
    def charset(self) -> str:
        ctype = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        for part in ctype.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return "utf-8"

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def slot_name(service: str) -> str:
    return f"service:{service}"


def service_slots(delays: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``DOWNLOAD_SLOTS`` entries for ``SOURCECHECK_SERVICE_DELAYS``: one request at a
    time, ``delay`` seconds apart, no jitter (a rate limit is a floor, not an average)."""
    return {
        slot_name(name): {"concurrency": 1, "delay": float(delay), "jitter": 0.0}
        for name, delay in delays.items()
    }


class ServiceSpider(scrapy.Spider):
    """Fetch given service URLs; each answer goes into ``results``, not into items."""

    name = "sourcecheck-services"

    def __init__(
        self,
        requests: list[ServiceRequest],
        results: dict[str, ServiceResponse],
        slotted: frozenset[str] = frozenset(),
        max_size: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.service_requests = requests
        self.results = results
        self.slotted = slotted
        self.max_size = max_size

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for wanted in self.service_requests:
            meta: dict[str, Any] = {
                SERVICE_META: wanted,
                "handle_httpstatus_list": _ERROR_STATUSES,
            }
            if wanted.service in self.slotted:
                meta["download_slot"] = slot_name(wanted.service)
                # AutoThrottle would otherwise lower the slot's delay on a fast answer.
                meta["autothrottle_dont_adjust_delay"] = True
            yield scrapy.Request(
                wanted.url,
                callback=self.parse,
                errback=self.failed,
                dont_filter=True,
                meta=meta,
            )

    def parse(self, response: Response) -> None:
        wanted: ServiceRequest = response.meta[SERVICE_META]
        headers = headers_dict(response)
        body = response.body
        reason, detail = None, ""
        if body[:2] == _GZIP_MAGIC:
            # A sitemap served as a .gz file (no Content-Encoding): Scrapy's
            # HttpCompressionMiddleware leaves it alone; gunzip it within the size limit.
            try:
                body = gunzip(body, max_size=self.max_size)
            except (OSError, EOFError, ValueError) as exc:
                reason, detail = "bad_gzip", f"cannot gunzip the body: {exc}"
            except IgnoreRequest:
                reason, detail = "too_large", "the body decompresses past the size limit"
        if reason is None and response.status >= 400:
            reason, detail = f"http_{response.status}", f"the server answered {response.status}"
        self.results[wanted.url] = ServiceResponse(
            url=wanted.url,
            service=wanted.service,
            status=response.status,
            headers=headers,
            body=body,
            final_url=response.url,
            reason=reason,
            detail=detail,
        )

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        wanted: ServiceRequest = request.meta[SERVICE_META]
        reason, detail = reason_for(failure)
        response = getattr(failure.value, "response", None)
        self.results[wanted.url] = ServiceResponse(
            url=wanted.url,
            service=wanted.service,
            status=response.status if isinstance(response, Response) else None,
            headers=headers_dict(response) if isinstance(response, Response) else {},
            final_url=response.url if isinstance(response, Response) else None,
            reason=reason,
            detail=detail,
        )


def _as_request(item: ServiceRequest | str) -> ServiceRequest:
    return item if isinstance(item, ServiceRequest) else ServiceRequest(item)


def fetch_services(
    requests: Iterable[ServiceRequest | str],
    replay: str | None = None,
    record: str | None = None,
    warc: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
    isolate: bool = True,
) -> dict[str, ServiceResponse]:
    """Fetch each URL once; a :class:`ServiceResponse` for every requested URL.

    ``replay`` / ``record`` / ``warc`` as for page fetches. A malformed URL gets
    reason ``invalid_url``; a missing recording raises :class:`InputError`.
    """
    wanted = list({r.url: r for r in map(_as_request, requests)}.values())
    if replay:
        try:
            Recording.load(replay)  # fail early, as bad input, not inside the crawl
        except RecordingError as exc:
            raise InputError(str(exc)) from None
    if not wanted:
        return {}
    args = (wanted, replay, record, warc, settings_overrides)
    if not isolate:
        return _fetch_here(*args)
    # spawn, not fork: a forked child would inherit this process's used reactor.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_fetch_here, *args).result()


def _fetch_here(
    wanted: list[ServiceRequest],
    replay: str | None,
    record: str | None,
    warc: str | None,
    settings_overrides: dict[str, Any] | None,
) -> dict[str, ServiceResponse]:
    from crawler.fetching.fetch import _check_url, project_settings

    results: dict[str, ServiceResponse] = {}
    valid: list[ServiceRequest] = []
    for item in wanted:
        if (error := _check_url(item.url)) is not None:
            results[item.url] = ServiceResponse(
                item.url, item.service, reason="invalid_url", detail=str(error)
            )
        else:
            valid.append(item)
    if not valid:
        return results
    overrides: dict[str, Any] = {
        "LOG_LEVEL": os.environ.get("SOURCECHECK_LOG_LEVEL", "CRITICAL"),
        "ITEM_PIPELINES": {},
    }
    if replay:
        overrides["SOURCECHECK_REPLAY"] = str(Path(replay).resolve())
    if record:
        overrides["SOURCECHECK_RECORD_DIR"] = str(Path(record).resolve())
    if warc:
        overrides["SOURCECHECK_RECORD_WARC"] = str(Path(warc).resolve())
    overrides.update(settings_overrides or {})
    settings = project_settings(overrides)
    delays = settings.getdict("SOURCECHECK_SERVICE_DELAYS")
    slots = {**settings.getdict("DOWNLOAD_SLOTS"), **service_slots(delays)}
    settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")

    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(ServiceSpider)
    process.crawl(
        crawler,
        requests=valid,
        results=results,
        slotted=frozenset(delays),
        max_size=settings.getint("DOWNLOAD_MAXSIZE"),
    )
    process.start()
    for item in valid:
        results.setdefault(
            item.url,
            ServiceResponse(
                item.url, item.service, reason="fetch_failed", detail="the crawl ended first"
            ),
        )
    return results
