"""Downloader middleware: the Internet Archive's limits, for archive requests only.

Scrapy's per-slot delay and AutoThrottle pace one host, and our retry middleware
backs off one request at a time. The archive needs more: it asks for about one call
a second from a client, and a client that keeps calling past its 429 answers is
firewalled for an hour (doubling each time). So every archive request in the process
waits its turn here (``SOURCECHECK_ARCHIVE_DELAY`` apart), a 429 pauses *all* of them
for Retry-After (or ``SOURCECHECK_ARCHIVE_BACKOFF``), the request is tried again at
most ``SOURCECHECK_ARCHIVE_RETRIES`` times, and a Retry-After past
``SOURCECHECK_ARCHIVE_BACKOFF_MAX`` ends archive lookups for the run: one more call
would only lengthen the ban. Requests are archive requests when the finder marks them
(``request.meta["sourcecheck_archive"]``); everything else passes untouched.
"""

from __future__ import annotations

import asyncio
import time
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.fetching.middlewares import _retry_after
from spiders.failures import Refused

ARCHIVE_META = "sourcecheck_archive"
_BACKOFF_CODES = (429, 503)


class ArchiveGate:
    """The process-wide turn-taking of archive requests (shared by every crawler)."""

    def __init__(self) -> None:
        self.next_at = 0.0  # monotonic time the next archive request may leave
        self.closed_reason: str | None = None  # set when the archive told us to stop
        self.sent: list[float] = []  # monotonic send times (tests and the log read them)
        self._lock: asyncio.Lock | None = None

    def lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def wait_turn(self, delay: float) -> None:
        async with self.lock():
            now = time.monotonic()
            if self.next_at > now:
                await asyncio.sleep(self.next_at - now)
            self.next_at = time.monotonic() + delay
            self.sent.append(time.monotonic())

    def pause(self, seconds: float) -> None:
        self.next_at = max(self.next_at, time.monotonic() + seconds)


GATE = ArchiveGate()


class ArchiveThrottleMiddleware:
    def __init__(self, settings: BaseSettings) -> None:
        self.delay = max(0.0, settings.getfloat("SOURCECHECK_ARCHIVE_DELAY", 1.0))
        self.backoff = settings.getfloat("SOURCECHECK_ARCHIVE_BACKOFF", 60.0)
        self.backoff_max = settings.getfloat("SOURCECHECK_ARCHIVE_BACKOFF_MAX", 300.0)
        self.retries = settings.getint("SOURCECHECK_ARCHIVE_RETRIES", 1)
        self.gate = GATE

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings)

    async def process_request(self, request: Request) -> None:
        if not request.meta.get(ARCHIVE_META):
            return None
        if self.gate.closed_reason is not None:
            raise Refused("archive_rate_limited", self.gate.closed_reason)
        await self.gate.wait_turn(self.delay)
        return None

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if not request.meta.get(ARCHIVE_META) or response.status not in _BACKOFF_CODES:
            return response
        wait = _retry_after(response)
        wait = self.backoff if wait is None else max(0.0, wait)
        if wait > self.backoff_max:
            self.gate.closed_reason = (
                f"the archive asked us to wait {wait:.0f} s (Retry-After); "
                "no more archive requests this run"
            )
            return response
        # Every archive request waits, not only this one: that is what the archive counts.
        self.gate.pause(wait)
        tries = request.meta.get("archive_tries", 0)
        if tries >= self.retries:
            return response
        retry = request.replace(dont_filter=True)
        retry.meta["archive_tries"] = tries + 1
        return retry
