"""Turn a ``--source`` argument (a URL or a local file) into a readable page.

Local files are read here; URLs go through the Scrapy crawler (``crawler.fetching.fetch``), so
that robots.txt, throttling, timeouts and the address guard apply to every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from w3lib.encoding import html_to_unicode

from crawler.errors import InputError
from crawler.extraction.extract import Page, Unreadable, read_html
from crawler.localfile import read_capped
from verify.cleantext import clean_text

Loaded = Page | Unreadable | InputError


def is_url(source: str) -> bool:
    return source.split(":", 1)[0].lower() in ("http", "https")


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


def read_local(path: str) -> Page:
    """Read a local HTML or text file. Raises InputError for unusable input."""
    text = read_local_text(path)
    if looks_html(text):
        return read_html(text, url=Path(path).resolve().as_uri())
    if not text.strip():
        raise Unreadable("empty_extraction", "the file is empty")
    return Page(text=text, full_text=text, extractor="plain text")


def load_sources(sources: Iterable[str], replay: str | None = None) -> dict[str, Loaded]:
    """Load each distinct source once: a Page, or why it could not be read."""
    loaded: dict[str, Loaded] = {}
    urls = []
    for source in dict.fromkeys(sources):
        if is_url(source):
            urls.append(source)
            continue
        try:
            loaded[source] = read_local(source)
        except (Unreadable, InputError) as exc:
            loaded[source] = exc
    if urls:
        from crawler.fetching.fetch import fetch_pages  # Scrapy is only started when needed

        loaded.update(fetch_pages(urls, replay=replay))
    return loaded
