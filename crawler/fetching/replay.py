"""Replay recorded responses instead of the network.

A recording is a fixtures folder (``manifest.json`` plus the body files it names,
the format ``sourcecheck record`` writes) or a WARC file (``.warc`` / ``.warc.gz``,
as written with ``--warc``). :class:`ReplayMiddleware` answers every request from it,
redirects (3xx with ``Location``) and robots.txt included, and never touches the
network. A URL that was not recorded fails with reason ``not_recorded``; a host
whose robots.txt was not recorded is treated as allowing everything (as Scrapy
treats a robots.txt that answers 404).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from spiders.failures import Refused
from spiders.registry import canonical_url

MANIFEST = "manifest.json"
# Headers that describe the transfer, not the body we stored.
_TRANSFER_HEADERS = {"transfer-encoding", "content-length"}


class RecordingError(ValueError):
    """The recording cannot be read (missing, malformed)."""


@dataclass(frozen=True, slots=True)
class Recorded:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str | None = None


# Query parameters that carry a credential, not a question: a recording never keeps
# them (crawler/fetching/record.py drops them) and replay matches without them, so a
# run with another API key replays the same answers.
SECRET_PARAMS = frozenset({"api-key"})


def without_secrets(url: str) -> str:
    """``url`` without its credential parameters (the rest kept in order)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SECRET_PARAMS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _key(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return url


class Recording:
    """Recorded responses, found by exact URL or else by canonical URL."""

    def __init__(self, entries: list[Recorded], source: str) -> None:
        self.source = source
        self.exact: dict[str, Recorded] = {}
        self.canonical: dict[str, Recorded] = {}
        self.keyless: dict[str, Recorded] = {}
        for entry in entries:
            self.exact.setdefault(entry.url, entry)
            self.keyless.setdefault(without_secrets(entry.url), entry)
        for entry in entries:
            self.canonical.setdefault(_key(entry.url), entry)

    def __len__(self) -> int:
        return len(self.exact)

    def lookup(self, url: str) -> Recorded | None:
        return (
            self.exact.get(url)
            or self.keyless.get(without_secrets(url))
            or self.canonical.get(_key(url))
        )

    @classmethod
    def load(cls, path: str | Path) -> Self:
        p = Path(path)
        if p.is_dir():
            return cls(read_manifest(p / MANIFEST), str(p))
        if p.name.endswith((".warc", ".warc.gz")) and p.is_file():
            return cls(read_warc(p), str(p))
        if p.name == MANIFEST and p.is_file():
            return cls(read_manifest(p), str(p.parent))
        raise RecordingError(f"no recording at {path} (a folder with {MANIFEST}, or a WARC file)")


def read_manifest(manifest: Path) -> list[Recorded]:
    """The entries of a fixtures manifest (``{"version": 1, "entries": [...]}``)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordingError(f"no {MANIFEST} in {manifest.parent}") from None
    except (OSError, ValueError) as exc:
        raise RecordingError(f"cannot read {manifest}: {exc}") from None
    rows = data.get("entries", []) if isinstance(data, dict) else data
    base = manifest.parent.resolve()
    # Entries without a URL (local input such as a text file) are not responses.
    rows = [row for row in rows if isinstance(row, dict) and row.get("url")]
    entries = [_entry(row, base, manifest) for row in rows]
    # A page recorded under its final URL after a redirect: answer the first URL with
    # the redirect, so the crawl sees what the server did.
    by_url = {e.url for e in entries}
    for row in rows:
        final = row.get("final_url")
        if final and final != row["url"] and final in by_url and int(row["status"]) < 300:
            entries = [e for e in entries if e.url != row["url"]]
            entries.append(Recorded(row["url"], 301, {"Location": final}, b""))
    return entries


def _entry(row: dict[str, Any], base: Path, manifest: Path) -> Recorded:
    try:
        url, status = str(row["url"]), int(row["status"])
    except (KeyError, TypeError, ValueError):
        raise RecordingError(f"{manifest}: an entry lacks url or status: {row!r}") from None
    headers = {str(k): str(v) for k, v in (row.get("headers") or {}).items()}
    body = b""
    if row.get("file"):
        path = (base / row["file"]).resolve()
        if not path.is_relative_to(base):
            raise RecordingError(f"{manifest}: {row['file']} is outside the recording")
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise RecordingError(f"{manifest}: cannot read {row['file']}: {exc}") from None
    has_location = any(k.lower() == "location" for k in headers)
    if 300 <= status < 400 and not has_location and row.get("final_url"):
        headers["Location"] = row["final_url"]
    headers = {k: v for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS}
    return Recorded(url, status, headers, body, row.get("fetched_at"))


def read_warc(path: Path) -> list[Recorded]:
    """The response records of a WARC file (bodies decoded, as a browser sees them)."""
    from warcio.archiveiterator import ArchiveIterator

    entries = []
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                status = int(record.http_headers.get_statuscode() or 0)
                # content_stream() undoes chunking and Content-Encoding, so those
                # headers no longer describe the body.
                body = record.content_stream().read()
                headers = {
                    k: v
                    for k, v in record.http_headers.headers
                    if k.lower() not in (*_TRANSFER_HEADERS, "content-encoding")
                }
                date = record.rec_headers.get_header("WARC-Date")
                entries.append(Recorded(url, status, headers, body, date))
    except OSError as exc:
        raise RecordingError(f"cannot read WARC {path}: {exc}") from None
    return entries


class ReplayMiddleware:
    """Downloader middleware: answer from ``SOURCECHECK_REPLAY``, never the network."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("SOURCECHECK_REPLAY")
        if not path:
            raise NotConfigured
        return cls(Recording.load(path))

    def process_request(self, request: Request) -> Response:
        recorded = self.recording.lookup(request.url)
        if recorded is None:
            if urlsplit(request.url).path == "/robots.txt":
                return Response(request.url, status=404, request=request, flags=["replayed"])
            raise Refused("not_recorded", f"{request.url} is not in {self.recording.source}")
        request.meta["fetched_at"] = recorded.fetched_at
        headers = Headers(recorded.headers)
        if location := headers.get(b"Location"):
            # Redirects are recorded as the server sent them; resolve relative ones.
            headers[b"Location"] = urljoin(recorded.url, location.decode("latin-1"))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=recorded.body)
        return cls(
            url=request.url,
            status=recorded.status,
            headers=headers,
            body=recorded.body,
            request=request,
            flags=["replayed"],
        )
