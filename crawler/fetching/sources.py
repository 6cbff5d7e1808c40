"""Turn a ``--source`` argument (a URL or a local file) into a readable page.

Local files are read here; URLs go through the Scrapy crawler (``crawler.fetching.fetch``), so
that robots.txt, throttling, timeouts and the address guard apply to every request.
"""

from __future__ import annotations

import atexit
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from w3lib.encoding import html_to_unicode

from crawler.errors import InputError
from crawler.extraction import ahead
from crawler.extraction.page import Page, Unreadable
from crawler.localfile import read_capped
from verify.cleantext import clean_text

if TYPE_CHECKING:
    from crawler.extraction.pool import Check, Outcome


Loaded = Page | Unreadable | InputError


def is_url(source: str) -> bool:
    return source.split(":", 1)[0].lower() in ("http", "https")


# A URL scheme (RFC 3986) of two letters or more: one letter is a Windows drive (C:\\).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def unsupported_scheme(source: str) -> InputError | None:
    """The error for a URL whose scheme we do not fetch (ftp:, file:, data:), else None.

    Without this, ``file:///etc/passwd`` would be taken for a relative file path and
    reported as "source file not found", which sends the user looking in the wrong place.
    """
    found = _SCHEME.match(source)
    if found is None or is_url(source):
        return None
    if "://" not in source and found[1].lower() not in ("file", "data", "javascript", "mailto"):
        return None  # "notes:draft.html" is more likely a file name than a URL
    return InputError(
        f"invalid_url: the scheme is not supported ({found[1]}:); "
        "give an http(s) URL or a local file path"
    )


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    # Control bytes other than whitespace are rare in text in any charset.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def looks_html(text: str) -> bool:
    head = text[:4096].lower()
    return any(tag in head for tag in ("<html", "<!doctype html", "<body", "<p", "<div", "<head"))


def read_local_text(path: str, what: str = "source") -> str:
    """A local HTML or text file's text, decoded as a browser would.

    Raises InputError (naming it as the ``what`` file) for a missing, unreadable, binary
    or too large file, and for anything that is not a regular file (a device, a FIFO:
    crawler/localfile.py). Shared by ``check --source``, ``quotes`` and ``run``.
    """
    data = read_capped(path, what)
    if _looks_binary(data):
        raise InputError(f"{what} file is binary, not HTML or text: {path}")
    # w3lib finds the charset the way browsers do (BOM, then <meta>), cp1252 fallback.
    _, text = html_to_unicode(None, data)
    return clean_text(text)  # NUL and other controls past the binary sniff's 8 KB


def _read_html(html: str, url: str) -> Page:
    # trafilatura is imported when a page is read here, not with this module: a local
    # check whose page is read ahead in another process never loads it.
    from crawler.extraction.extract import read_html

    return read_html(html, url=url)


def read_local(path: str) -> Page:
    """Read a local HTML or text file. Raises InputError for unusable input."""
    text = read_local_text(path)
    if looks_html(text):
        return _read_html(text, Path(path).resolve().as_uri())
    return _plain_text(text)


def _plain_text(text: str) -> Page:
    if not text.strip():
        raise Unreadable("empty_extraction", "the file is empty")
    return Page(text=text, full_text=text, extractor="plain text")


# A batch of at least this many local HTML pages is read in a pool of processes, one a
# CPU: extraction and checking hold the GIL, so each pool process extracts a page and
# checks its quotes (``checks``), and the main process answers the lines in order.
POOL_MIN_PAGES = 4


class _Loading(dict[str, Loaded]):
    """The loaded sources, where a page still being extracted in the pool is waited for
    on first use (so matching overlaps extraction)."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[str, tuple[Future[Outcome], str]] = {}

    def __missing__(self, source: str) -> Loaded:
        future, html = self.pending.pop(source)
        try:
            outcome = future.result()
        except Exception:  # a broken pool (a child died): read it here instead
            try:
                self[source] = _read_html(html, Path(source).resolve().as_uri())
            except Unreadable as exc:
                self[source] = exc
            return self[source]
        if isinstance(outcome, Page):
            outcome.html = html  # the child does not send the HTML back
            self[source] = outcome
        else:
            self[source] = Unreadable(*outcome)
        return self[source]


def load_sources(
    sources: Iterable[str],
    replay: str | None = None,
    checks: Mapping[str, Sequence[Check]] | None = None,
) -> dict[str, Loaded]:
    """Load each distinct source once: a Page, or why it could not be read.

    ``checks``: the quotes (with their claimed speakers) to be checked against each
    source; pages read in the pool come back with their verdicts (``Page.verdicts``)."""
    loaded = _Loading()
    urls = []
    htmls: dict[str, str] = {}
    for source in dict.fromkeys(sources):
        if is_url(source):
            urls.append(source)
            continue
        if (error := unsupported_scheme(source)) is not None:
            loaded[source] = error
            continue
        if (reader := ahead.take()) is not None and (early := reader.read(source)) is not None:
            loaded[source] = early  # read while this process loaded (crawler/extraction/ahead.py)
            continue
        try:
            text = read_local_text(source)
            if looks_html(text):
                htmls[source] = text
            else:
                loaded[source] = _plain_text(text)
        except (Unreadable, InputError) as exc:
            loaded[source] = exc
    if len(htmls) >= POOL_MIN_PAGES and (os.cpu_count() or 1) > 1:
        _extract_in_pool(htmls, loaded, checks or {})
    else:
        for source, html in htmls.items():
            try:
                loaded[source] = _read_html(html, Path(source).resolve().as_uri())
            except Unreadable as exc:
                loaded[source] = exc
    if urls:
        from crawler.fetching.fetch import fetch_pages  # Scrapy is only started when needed

        loaded.update(fetch_pages(urls, replay=replay))
    return loaded


def _extract_in_pool(
    htmls: dict[str, str], loaded: _Loading, checks: Mapping[str, Sequence[Check]]
) -> None:
    from crawler.extraction.pool import POOL

    POOL.acquire(os.cpu_count() or 1)
    # Shut down when the process exits: the caller reads the results lazily.
    atexit.register(POOL.release)
    for source, html in htmls.items():
        url = Path(source).resolve().as_uri()
        loaded.pending[source] = (POOL.submit(html, url, None, checks.get(source, ())), html)
