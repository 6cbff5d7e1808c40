"""Why a request failed, as an ``unavailable`` reason.

Downloader middlewares raise :class:`Refused` with the reason already decided
(``blocked_address``, ``not_recorded``, ``dns``); everything else Scrapy raises is
mapped here, in one place, so that every failure gets a precise reason and never
turns into ``not_found``.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived


class Refused(IgnoreRequest):
    """A request refused before or instead of the network, with its reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def reason_for(failure: Failure | BaseException) -> tuple[str, str]:
    """The ``unavailable`` reason (and a detail line) for a failed request."""
    exc = failure.value if isinstance(failure, Failure) else failure
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, Refused):
        return exc.reason, exc.detail
    if isinstance(exc, HttpError):
        status = exc.response.status
        location = (exc.response.headers.get(b"Location") or b"").decode("latin-1")
        if 300 <= status < 400 and location:
            # Scrapy follows redirects to http(s) only; any other target stops here.
            scheme = location.split(":", 1)[0].lower() if ":" in location else ""
            if scheme and scheme not in ("http", "https"):
                return "blocked_address", f"refused a redirect to {scheme}: ({location})"
        return f"http_{status}", f"the server answered {status}"
    if isinstance(exc, IgnoreRequest):
        # Scrapy's own middlewares raise a bare IgnoreRequest; its message is the
        # only thing that tells robots.txt, redirect loops and gzip bombs apart.
        # tests/test_faults.py pins each of these against a real server.
        message = str(exc)
        if "robots.txt" in message:
            return "robots", "robots.txt forbids fetching this page"
        if "max redirections" in message:
            return "too_many_redirects", "the redirects did not end"
        if "DOWNLOAD_MAXSIZE" in message:
            return "too_large", "the body decompresses past the download size limit"
        return "ignored", detail
    if isinstance(exc, DownloadCancelledError):
        # The only downloads we cancel are the ones past DOWNLOAD_MAXSIZE.
        return "too_large", "the body is larger than the download size limit"
    if isinstance(exc, (DownloadTimeoutError, twisted_error.TimeoutError)):
        return "timeout", detail
    if isinstance(exc, (CannotResolveHostError, twisted_error.DNSLookupError)):
        return "dns", detail
    if isinstance(exc, (DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError)):
        return "connection_refused", detail
    if isinstance(exc, (UnsupportedURLSchemeError, NotSupported)):
        return "blocked_address", detail
    if isinstance(
        exc, (DownloadFailedError, ResponseDataLossError, ResponseFailed, ResponseNeverReceived)
    ):
        # The server answered something HTTP could not read: a header line past the
        # client's limit, a malformed status line, a connection closed mid-response.
        # The server's fault, not ours: fetch_failed is kept for our own errors.
        return "bad_response", f"the response could not be read as HTTP ({detail[:200]})"
    return "fetch_failed", f"{type(exc).__name__}: {detail}"
