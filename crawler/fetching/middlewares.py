"""Downloader middlewares: the address guard and retries with backoff."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.settings import BaseSettings
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet import error as twisted_error
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from spiders.failures import Refused

ALLOW_ENV = "SOURCECHECK_ALLOW_HOSTS"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services: the classic server-side request forgery target.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_allow_hosts(value: str) -> frozenset[str]:
    """``SOURCECHECK_ALLOW_HOSTS``: comma-separated ``host`` or ``host:port``."""
    return frozenset(p.strip().lower() for p in value.split(",") if p.strip())


def refusal(ip: IPAddress) -> str | None:
    """Why an address must not be fetched, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address dressed as IPv6 (::ffff:127.0.0.1, 6to4, Teredo) is judged
        # as the IPv4 address it reaches.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return refusal(embedded)
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata"
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    for kind, hit in checks:
        if hit:
            return f"a {kind}"
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal is its own answer)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns", f"cannot resolve {host}: {exc}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


class AddressGuardMiddleware:
    """Refuse every request that is not http(s) to a public address.

    Runs for every request Scrapy downloads: start requests, each redirect hop
    (RedirectMiddleware makes a new request that passes through here again) and
    robots.txt. The host is resolved here and each of its addresses checked;
    ``SOURCECHECK_ALLOW_HOSTS`` (environment only, so that no page or setting can
    open it) names the private hosts tests and local set-ups may reach. Under
    replay nothing reaches the network, so only the scheme is checked.
    """

    def __init__(self, allow: frozenset[str], replay: bool = False) -> None:
        self.allow = allow
        self.replay = replay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            parse_allow_hosts(os.environ.get(ALLOW_ENV, "")),
            replay=bool(crawler.settings.get("SOURCECHECK_REPLAY")),
        )

    def allowed(self, host: str, port: int) -> bool:
        host = host.lower()
        return host in self.allow or f"{host}:{port}" in self.allow

    async def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise Refused("blocked_address", f"only http(s) is fetched, not {scheme}:")
        if self.replay:
            return None
        host = parts.hostname or ""
        if not host:
            raise Refused("blocked_address", "the URL has no host")
        port = parts.port or _DEFAULT_PORTS[scheme]
        if self.allowed(host, port):
            return None
        for ip in await resolve(host, port):
            why = refusal(ip)
            if why is not None:
                where = host if host.strip("[]") == str(ip) else f"{host} ({ip})"
                raise Refused("blocked_address", f"{where} is {why} address")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting before each retry.

    Scrapy (2.19) retries 429 and 5xx at once, which is what a struggling or
    rate-limiting server least needs. This subclass keeps Scrapy's retry logic
    and settings (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS) and sleeps
    ``SOURCECHECK_RETRY_BACKOFF_BASE * 2**attempt`` seconds first, or the server's
    ``Retry-After``, never more than ``SOURCECHECK_RETRY_BACKOFF_MAX``.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("SOURCECHECK_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("SOURCECHECK_RETRY_BACKOFF_MAX", 60.0)

    def delay(self, request: Request, response: Response | None) -> float:
        attempt = request.meta.get("retry_times", 0)
        wait = self.backoff_base * (2**attempt)
        if response is not None and (retry_after := _retry_after(response)) is not None:
            wait = retry_after
        return max(0.0, min(wait, self.backoff_max))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(self.delay(request, response))
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self.delay(request, None))
        return retry


def _retry_after(response: Response) -> float | None:
    value = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


@implementer(IResolverSimple)
class GuardedResolver(CachingThreadedResolver):
    """Scrapy's DNS resolver, refusing to hand out non-public addresses.

    The address guard resolves a host before the request is sent, but the download
    handler resolves it again to connect: a name that changes its answer between
    the two (DNS rebinding) would slip past. Checking here, where the connection's
    own address comes from, closes that gap. Hosts named in
    ``SOURCECHECK_ALLOW_HOSTS`` (any port) are let through; the middleware has
    already checked their port. Scrapy then reports the refusal as a DNS failure.
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float) -> None:
        super().__init__(reactor, cache_size, timeout)
        allow = parse_allow_hosts(os.environ.get(ALLOW_ENV, ""))
        self.allow_names = {entry.rsplit(":", 1)[0] if ":" in entry else entry for entry in allow}

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:
        d = super().getHostByName(name, timeout)
        d.addCallback(self.check, name)
        return d

    def check(self, address: str, name: str) -> str:
        if name.lower() in self.allow_names:
            return address
        why = refusal(ipaddress.ip_address(address))
        if why is not None:
            raise twisted_error.DNSLookupError(f"{name} resolved to {address}, {why} address")
        return address
