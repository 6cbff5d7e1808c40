"""The address guard, failure reasons and retry backoff, without a crawl."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.fetching.middlewares import (
    AddressGuardMiddleware,
    BackoffRetryMiddleware,
    parse_allow_hosts,
    refusal,
)
from spiders.failures import Refused, reason_for


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),  # carrier-grade NAT: not public
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fd00:ec2::254", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("::ffff:169.254.169.254", True),
        ("2002:7f00:1::", True),  # 6to4 wrapping 127.0.0.1
        ("93.184.216.34", False),
        ("151.101.1.111", False),
        ("2a04:4e42::81", False),
    ],
)
def test_refusal(address: str, refused: bool) -> None:
    assert (refusal(ipaddress.ip_address(address)) is not None) is refused


def guard(allow: str = "", replay: bool = False) -> AddressGuardMiddleware:
    return AddressGuardMiddleware(parse_allow_hosts(allow), replay=replay)


def refused_reason(mw: AddressGuardMiddleware, url: str) -> str | None:
    try:
        asyncio.run(mw.process_request(Request(url)))
    except Refused as exc:
        return exc.reason
    return None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/file.html",
        "data:text/html,<p>hi</p>",
        "http://127.0.0.1:8765/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_guard_refuses(url: str) -> None:
    assert refused_reason(guard(), url) == "blocked_address"


def test_allow_list_is_exact() -> None:
    mw = guard("127.0.0.1:8765, Internal.Test")
    assert refused_reason(mw, "http://127.0.0.1:8765/x") is None
    assert refused_reason(mw, "http://127.0.0.1:8766/x") == "blocked_address"
    assert refused_reason(mw, "http://internal.test/x") is None  # any port of a bare host
    assert refused_reason(mw, "file:///etc/passwd") == "blocked_address"  # never opened


def test_replay_checks_only_the_scheme() -> None:
    mw = guard(replay=True)  # nothing reaches the network under replay
    assert refused_reason(mw, "http://127.0.0.1/x") is None
    assert refused_reason(mw, "file:///etc/passwd") == "blocked_address"


def _response(status: int, **headers: str) -> Response:
    return Response("https://example.org/x", status=status, headers=headers)


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (HttpError(_response(404), "x"), "http_404"),
        (HttpError(_response(503), "x"), "http_503"),
        (HttpError(_response(302, Location="file:///etc/passwd"), "x"), "blocked_address"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (IgnoreRequest("... exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."), "too_large"),
        (DownloadCancelledError("Received 11 bytes which is larger"), "too_large"),
        (DownloadTimeoutError("took longer than 1.0 seconds"), "timeout"),
        (CannotResolveHostError("nowhere.invalid"), "dns"),
        (Refused("not_recorded", "x"), "not_recorded"),
    ],
)
def test_reason_for(exc: Exception, reason: str) -> None:
    assert reason_for(exc)[0] == reason


def test_backoff_delays() -> None:
    settings = Settings(
        {"SOURCECHECK_RETRY_BACKOFF_BASE": 1.0, "SOURCECHECK_RETRY_BACKOFF_MAX": 10.0}
    )
    mw = BackoffRetryMiddleware(settings)
    first = Request("https://example.org/x")
    third = Request("https://example.org/x", meta={"retry_times": 2})
    assert mw.delay(first, _response(503)) == 1.0
    assert mw.delay(third, _response(503)) == 4.0
    assert mw.delay(Request("https://e.org", meta={"retry_times": 9}), None) == 10.0  # capped
    assert mw.delay(first, _response(429, **{"Retry-After": "7"})) == 7.0
    assert mw.delay(first, _response(429, **{"Retry-After": "3600"})) == 10.0


def test_resolver_refuses_non_public_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from twisted.internet.error import DNSLookupError

    from crawler.fetching.middlewares import GuardedResolver

    monkeypatch.setenv("SOURCECHECK_ALLOW_HOSTS", "intranet.test:8080")
    resolver = GuardedResolver(None, 0, 1.0)
    assert resolver.check("93.184.216.34", "example.org") == "93.184.216.34"
    assert resolver.check("10.1.2.3", "intranet.test") == "10.1.2.3"  # named in the allow list
    with pytest.raises(DNSLookupError, match="private"):
        resolver.check("10.1.2.3", "rebinding.example")  # answered public, now private


def test_crawl_delay_from_robots_txt_spaces_requests() -> None:
    from scrapy.robotstxt import ProtegoRobotParser
    from scrapy.utils.test import get_crawler

    from crawler.fetching.robots import CrawlDelayRobotsTxtMiddleware

    crawler = get_crawler(
        settings_dict={
            "ROBOTSTXT_OBEY": True,
            "ROBOTSTXT_USER_AGENT": "sourcecheck",
            "SOURCECHECK_CRAWL_DELAY_MAX": 30,
        }
    )
    mw = CrawlDelayRobotsTxtMiddleware.from_crawler(crawler)
    robots = b"User-agent: *\nCrawl-delay: 5\n\nUser-agent: slowpoke\nCrawl-delay: 999\n"
    parser = ProtegoRobotParser.from_crawler(crawler, robots)
    mw.process_request_2(parser, Request("https://e.org/a"))
    assert mw.delays["e.org"] == 5.0
    # Three requests arriving together start 0, 5 and 10 seconds apart.
    assert [mw.wait("e.org", 100.0) for _ in range(3)] == [0.0, 5.0, 10.0]
    assert mw.wait("e.org", 200.0) == 0.0  # long after: no wait
    capped = ProtegoRobotParser.from_crawler(crawler, b"User-agent: *\nCrawl-delay: 999\n")
    mw.process_request_2(capped, Request("https://slow.org/a"))
    assert mw.delays["slow.org"] == 30.0
