"""The shared queue's serializer: JSON holding only what a request needs, checked on read.

scrapy-redis pickles queued requests by default, so anyone who can write to the Redis
server can make every worker run code (unpickling calls whatever the payload names).
This module is the ``SCHEDULER_SERIALIZER`` instead (scrapy-redis wants a module with
``loads`` and ``dumps``): a request is written as a small JSON object (its URL, the
name of its callback and errback, its priority, and the request meta this project
sets), and read back only if every field has the expected type and value: an http(s)
URL, a callback the spider really uses, meta keys from a fixed list. JSON cannot name
code, and anything else raises :class:`BadQueueEntry`, which
:class:`SafePriorityQueue` logs and skips.

What is left out on purpose: headers, cookies, body, method (a source fetch is a plain
GET; the middlewares add the rest), and any meta that would weaken a guard
(``dont_obey_robotstxt``, ``proxy``, ``handle_httpstatus_all``...).
"""

from __future__ import annotations

import json
import logging
from dataclasses import fields
from typing import Any

from scrapy_redis.queue import PriorityQueue

from spiders.base import META
from spiders.items import SourcePage

logger = logging.getLogger(__name__)

VERSION = 1
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # an AMP follow-up carries the AMP page's HTML
MAX_URL_CHARS = 8192
CALLBACKS = {"parse"}  # spiders/base.py: the only callback a queued request has
ERRBACKS = {"failed"}
# Scrapy's own bookkeeping that survives a redirect or a retry, with its type.
_PLAIN_META: dict[str, type | tuple[type, ...]] = {
    "redirect_times": int,
    "redirect_ttl": int,
    "retry_times": int,
    "depth": int,
    "redirect_urls": list,
    "redirect_reasons": list,
}
_PAGE_FIELDS = {f.name for f in fields(SourcePage)} - {"page"}


class BadQueueEntry(ValueError):
    """A queue entry that is not a request this project wrote."""


# --- writing ---------------------------------------------------------------------------


def _page_out(item: Any) -> dict[str, Any]:
    if not isinstance(item, SourcePage):
        raise BadQueueEntry(f"amp_item is a {type(item).__name__}, not a SourcePage")
    return {name: getattr(item, name) for name in _PAGE_FIELDS}


def dumps(obj: dict[str, Any]) -> bytes:
    """``request.to_dict()`` as the JSON this module reads back; other meta is dropped."""
    meta = obj.get("meta") or {}
    ours = dict(meta.get(META) or {})
    if ours.get("amp_item") is not None:
        ours["amp_item"] = _page_out(ours["amp_item"])
    out_meta: dict[str, Any] = {META: ours}
    out_meta.update({k: meta[k] for k in _PLAIN_META if k in meta})
    entry = {
        "v": VERSION,
        "url": obj["url"],
        "callback": obj.get("callback"),
        "errback": obj.get("errback"),
        "priority": int(obj.get("priority") or 0),
        "dont_filter": bool(obj.get("dont_filter")),
        "meta": out_meta,
    }
    return json.dumps(entry, ensure_ascii=False).encode("utf-8")


# --- reading ---------------------------------------------------------------------------


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise BadQueueEntry(what)


def _is_url(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_URL_CHARS
        and value.split(":", 1)[0].lower() in ("http", "https")
    )


def _page_in(data: Any) -> SourcePage:
    _expect(isinstance(data, dict) and set(data) <= _PAGE_FIELDS, "amp_item has unknown fields")
    page = SourcePage(**data)
    for name in ("requested_url", "canonical_url", "outlet", "kind", "html", "detail"):
        _expect(isinstance(getattr(page, name), str), f"amp_item.{name} is not text")
    for name in ("final_url", "layout", "body_text", "fetched_at", "reason"):
        _expect(getattr(page, name) is None or isinstance(getattr(page, name), str), name)
    _expect(page.status is None or type(page.status) is int, "amp_item.status")
    _expect(isinstance(page.paywalled, bool), "amp_item.paywalled")
    headers = page.headers
    _expect(
        isinstance(headers, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()),
        "amp_item.headers",
    )
    return page


def _meta_in(meta: Any) -> dict[str, Any]:
    _expect(isinstance(meta, dict), "meta is not an object")
    unknown = set(meta) - {META, *_PLAIN_META}
    _expect(not unknown, f"meta keys not allowed: {sorted(unknown)[:5]}")
    ours = meta.get(META)
    _expect(isinstance(ours, dict), "no sourcecheck meta")
    _expect(set(ours) <= {"requested", "canonical", "amp_item"}, "unknown sourcecheck meta")
    _expect(_is_url(ours.get("requested")) and _is_url(ours.get("canonical")), "meta URLs")
    out: dict[str, Any] = {META: {"requested": ours["requested"], "canonical": ours["canonical"]}}
    if ours.get("amp_item") is not None:
        out[META]["amp_item"] = _page_in(ours["amp_item"])
    for key, kind in _PLAIN_META.items():
        if key in meta:
            value = meta[key]
            _expect(isinstance(value, kind) and not isinstance(value, bool), f"meta {key}")
            if isinstance(value, list):
                _expect(all(isinstance(v, str | int) for v in value), f"meta {key}")
            out[key] = value
    return out


def loads(data: bytes | str) -> dict[str, Any]:
    """The request dict for ``scrapy.utils.request.request_from_dict``, or BadQueueEntry."""
    _expect(len(data) <= MAX_ENTRY_BYTES, "entry too large")
    try:
        entry = json.loads(data)
    except (ValueError, RecursionError):  # includes a pickle: it is not JSON
        raise BadQueueEntry("not a JSON queue entry") from None
    _expect(isinstance(entry, dict) and entry.get("v") == VERSION, "not a version-1 entry")
    _expect(_is_url(entry.get("url")), "url is not an http(s) URL")
    _expect(entry.get("callback") in CALLBACKS | {None}, "callback not allowed")
    _expect(entry.get("errback") in ERRBACKS | {None}, "errback not allowed")
    priority = entry.get("priority", 0)
    _expect(type(priority) is int and abs(priority) < 1 << 31, "priority")
    _expect(isinstance(entry.get("dont_filter", False), bool), "dont_filter")
    return {
        "url": entry["url"],
        "callback": entry.get("callback"),
        "errback": entry.get("errback"),
        "method": "GET",
        "priority": priority,
        "dont_filter": entry.get("dont_filter", False),
        "meta": _meta_in(entry.get("meta")),
    }


class SafePriorityQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue, skipping (and logging) entries it cannot trust.

    scrapy-redis lets a decoding error escape from ``pop`` and stop the worker: one
    planted entry would stop every worker. Here it is logged and dropped instead.
    """

    def pop(self, timeout: int = 0) -> Any:
        """The request with the lowest score (the highest priority; among equal scores
        the first member, as scrapy-redis's ZRANGE 0 0 gives), removed atomically.

        scrapy-redis pops with ZRANGE + ZREMRANGEBYRANK in a MULTI/EXEC pipeline: four
        replies to parse for every page a worker fetches. ZPOPMIN (Redis 5.0+) is the
        same atomic pop in one command.
        """
        popped = self.server.zpopmin(self.key)
        return self._decode_request(popped[0][0]) if popped else None

    def _decode_request(self, encoded_request: bytes) -> Any:
        try:
            return super()._decode_request(encoded_request)
        except (BadQueueEntry, ValueError, TypeError) as exc:
            logger.error(
                "skipped a queue entry in %s that is not a request sourcecheck wrote (%s): %r",
                self.key,
                exc,
                bytes(encoded_request[:80]),
            )
            return None
