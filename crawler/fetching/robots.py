"""robots.txt with its ``Crawl-delay`` honoured.

Scrapy's RobotsTxtMiddleware obeys Allow/Disallow but ignores ``Crawl-delay`` (an
old open issue). This subclass keeps all of Scrapy's behaviour and, when a host's
robots.txt asks for a delay, spaces the requests to that host at least that far
apart (capped by ``SOURCECHECK_CRAWL_DELAY_MAX``), on top of Scrapy's own delay.
It waits in the middleware, before the request reaches the downloader, so it needs
none of the downloader's internals.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class CrawlDelayRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_delay = settings.getfloat("SOURCECHECK_CRAWL_DELAY_MAX", 30.0)
        self.replay = bool(settings.get("SOURCECHECK_REPLAY"))
        self.delays: dict[str, float] = {}
        self.next_start: dict[str, float] = {}
        self.locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """Scrapy's parser for the request's host, the same for every waiter.

        Scrapy (2.19) lets the requests that arrive while robots.txt is downloading
        await one shared Deferred; awaiting it as a future consumes its result, so
        only the first waiter gets the parser and the others get None, which means
        "allow everything" (tests/test_service_fetch.py caught a disallowed path
        fetched that way). Once the download is done, the parser is in ``_parsers``:
        read it from there.
        """
        parser = await super().robot_parser(request)
        settled = self._parsers.get(urlparse_cached(request).netloc)
        if parser is None and settled is not None and not isinstance(settled, Deferred):
            return settled
        return parser

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)  # raises IgnoreRequest when disallowed
        if rp is not None:
            delay = rp.crawl_delay(self.agent) or 0.0
            self.delays[urlparse_cached(request).netloc] = min(float(delay), self.max_delay)

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        await super().process_request(request)
        host = urlparse_cached(request).netloc
        if self.replay or request.meta.get("dont_obey_robotstxt") or not self.delays.get(host):
            return
        async with self.locks[host]:
            wait = self.wait(host, time.monotonic())
            if wait > 0:
                await asyncio.sleep(wait)

    def wait(self, host: str, now: float) -> float:
        """How long a request to ``host`` starting ``now`` must wait; books its slot."""
        start = max(now, self.next_start.get(host, now))
        self.next_start[host] = start + self.delays.get(host, 0.0)
        return start - now
