"""URL canonicalisation shared by the outlet spiders.

Written by hand rather than with ``w3lib.url.canonicalize_url`` because that one
sorts and re-encodes the query string: fine for a duplicate filter, wrong for the
URL we actually request and store (a server may care about parameter order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say where a reader came from; they never change the page.
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "mc_", "pk_", "itm_", "__twitter")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "ocid",
        "cmp",
        "intcmp",
        "_ga",
        "share",
        "smid",
        "ito",
        "regsourcemethod",
        "amp",
    }
)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def host_of(url: str) -> str:
    """The lower-case host of a URL, without ``www.`` (for matching outlets)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def canonicalize(
    url: str,
    *,
    host: str | None = None,
    scheme: str | None = None,
    keep_params: Iterable[str] | None = None,
    path: Callable[[str], str] | None = None,
) -> str:
    """A cleaned URL: lower-case scheme and host, no default port, no fragment,
    no tracking parameters.

    ``host`` and ``scheme`` replace the URL's own (an outlet's one true host);
    ``keep_params``, when given, is the only set of query parameters kept;
    ``path`` rewrites the path (an outlet's AMP suffix, say).
    """
    parts = urlsplit(url.strip())
    new_scheme = (scheme or parts.scheme).lower()
    new_host = (host or parts.hostname or "").lower().rstrip(".")
    if ":" in new_host:  # an IPv6 literal keeps its brackets
        new_host = f"[{new_host}]"
    port = parts.port if host is None else None
    if port and port != _DEFAULT_PORTS.get(new_scheme):
        new_host = f"{new_host}:{port}"
    keep = {p.lower() for p in keep_params} if keep_params is not None else None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if (k.lower() in keep if keep is not None else not is_tracking_param(k))
    ]
    new_path = parts.path or "/"
    if path is not None:
        new_path = path(new_path)
    return urlunsplit((new_scheme, new_host, new_path, urlencode(query), ""))
