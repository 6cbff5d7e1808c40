"""Record every response a crawl receives: fixtures (body + manifest) and WARC.

:class:`RecordMiddleware` sits next to the network (after the address guard), so it
sees each raw response: every redirect hop, robots.txt, error pages, and bodies
still compressed as they came over the wire. ``SOURCECHECK_RECORD_DIR`` keeps each
body in ``pages/`` (gzip undone, so it reads like fixtures/) with a
``manifest.json`` entry (the fixtures format :mod:`crawler.fetching.replay` reads);
``SOURCECHECK_RECORD_WARC`` appends each response, bytes as received, to a WARC file
(warcio): the evidence of what a source said when it was checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zlib
from io import BytesIO
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.fetching.replay import MANIFEST, without_secrets
from spiders.base import headers_dict, now_iso
from spiders.items import SourcePage
from spiders.registry import spider_for_url

_ENCODING_SUFFIX = {"gzip": ".gz", "x-gzip": ".gz", "deflate": ".deflate", "br": ".br"}


def file_name(url: str, content_type: str, encoding: str) -> str:
    """A readable, unique file name for a recorded body."""
    parts = urlsplit(url)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.hostname}{parts.path}").strip("-")[:80]
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    ext = ".html" if "html" in content_type else ".txt" if "text" in content_type else ".bin"
    # Service answers (APIs, sitemaps, feeds) keep a name that says what they hold.
    if "html" not in content_type and ("json" in content_type or "xml" in content_type):
        ext = ".json" if "json" in content_type else ".xml"
    return f"{stem}-{digest}{ext}{_ENCODING_SUFFIX.get(encoding, '')}"


class RecordMiddleware:
    """Downloader middleware: keep what the network answered (see module doc)."""

    def __init__(self, into: str | None, warc: str | None, max_size: int = 0) -> None:
        if not into and not warc:
            raise NotConfigured
        self.into = Path(into) if into else None
        self.max_size = max_size
        self.entries: dict[str, dict[str, Any]] = {}
        self.warc_path = warc
        self._warc_file: Any = None
        self._warc: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        mw = cls(
            settings.get("SOURCECHECK_RECORD_DIR"),
            settings.get("SOURCECHECK_RECORD_WARC"),
            settings.getint("DOWNLOAD_MAXSIZE"),
        )
        crawler.signals.connect(mw.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if "replayed" in response.flags:
            return response
        headers = headers_dict(response)
        headers = {k: v for k, v in headers.items() if k.lower() != "transfer-encoding"}
        if self.into is not None:
            self._keep(request, response, headers)
        if self.warc_path:
            self._write_warc(response, headers)
        return response

    def _keep(self, request: Request, response: Response, headers: dict[str, str]) -> None:
        assert self.into is not None
        location = response.headers.get(b"Location")
        outlet = spider_for_url(request.url).outlet
        entry: dict[str, Any] = {
            # An API key in the URL is a credential: it never goes into a recording.
            "url": without_secrets(request.url),
            "final_url": without_secrets(response.url),
            "status": response.status,
            "headers": headers,
            "file": None,
            "fetched_at": now_iso(),
            "reconstructed": False,
            "outlet": None if outlet == "generic" else outlet,
            "layout": None,
            "note": "recorded by sourcecheck record",
        }
        if 300 <= response.status < 400 and location:
            entry["final_url"] = response.urljoin(location.decode("latin-1"))
            entry["layout"] = "redirect"
        elif response.body:
            body, headers = _decoded(response.body, headers, self.max_size)
            entry["headers"] = headers
            if urlsplit(request.url).path == "/robots.txt":
                name = f"pages/robots/{urlsplit(request.url).netloc.replace(':', '_')}.txt"
                entry["layout"] = "robots"
            else:
                ctype = headers.get("Content-Type", "").lower()
                encoding = headers.get("Content-Encoding", "").lower()
                name = f"pages/{file_name(entry['url'], ctype, encoding)}"
            path = self.into / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            entry["file"] = name
        self.entries[entry["url"]] = entry

    def _write_warc(self, response: Response, headers: dict[str, str]) -> None:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        if self._warc is None:
            assert self.warc_path is not None
            self._warc_file = open(self.warc_path, "ab")  # noqa: SIM115 - closed in close()
            self._warc = WARCWriter(self._warc_file, gzip=self.warc_path.endswith(".gz"))
        status = f"{response.status} {_reason_phrase(response.status)}"
        http_headers = StatusAndHeaders(status, list(headers.items()), protocol="HTTP/1.1")
        record = self._warc.create_warc_record(
            without_secrets(response.url),
            "response",
            payload=BytesIO(response.body),
            http_headers=http_headers,
        )
        self._warc.write_record(record)

    def item_scraped(self, item: SourcePage) -> None:
        """Note in the manifest which outlet layout read the page."""
        for url in (item.final_url, item.canonical_url):
            if url in self.entries and item.layout:
                self.entries[url]["layout"] = item.layout

    def close(self) -> None:
        if self._warc_file is not None:
            self._warc_file.close()
            self._warc_file = self._warc = None
        if self.into is not None and self.entries:
            merge_manifest(self.into / MANIFEST, list(self.entries.values()))


def merge_manifest(path: Path, entries: list[dict[str, Any]]) -> None:
    """Add entries to a manifest (a newer entry for the same URL replaces the old)."""
    data: dict[str, Any] = {"version": 1, "entries": []}
    if path.exists():
        loaded = json.loads(path.read_text(encoding="utf-8"))
        data = loaded if isinstance(loaded, dict) else {"version": 1, "entries": loaded}
    new_urls = {e["url"] for e in entries}
    data["entries"] = [e for e in data.get("entries", []) if e.get("url") not in new_urls]
    data["entries"].extend(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so an interrupted run never leaves half a manifest.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, path)


def _decoded(body: bytes, headers: dict[str, str], limit: int) -> tuple[bytes, dict[str, str]]:
    """The body as a reader would see it (gzip / deflate undone), so fixtures stay
    readable; the WARC keeps the bytes as they came. A body that would inflate past
    ``limit`` (a gzip bomb) or uses another coding is kept as received, with its
    ``Content-Encoding``."""
    coding = next(
        (v.lower().strip() for k, v in headers.items() if k.lower() == "content-encoding"), ""
    )
    plain = {k: v for k, v in headers.items() if k.lower() != "content-length"}
    if not coding or coding == "identity":
        return body, plain
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    if coding not in wbits:
        return body, headers
    try:
        inflater = zlib.decompressobj(wbits[coding])
        out = inflater.decompress(body, limit or 0)
    except zlib.error:
        return body, headers
    if inflater.unconsumed_tail:  # stopped at the limit
        return body, headers
    return out, {k: v for k, v in plain.items() if k.lower() != "content-encoding"}


def _reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
