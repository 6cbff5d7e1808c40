"""The shared queue runs no code: a pickle planted in Redis is logged and skipped.

Real Redis (127.0.0.1:6379; tests/support/services.py's skip-or-fail rule). The payload,
if unpickled, would create a marker file: the test shows it never exists, both when the
queue class reads the entry directly and when a real worker process meets it.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import scrapy

from crawler.crawling import queue_serializer
from crawler.crawling.queue_serializer import SafePriorityQueue
from spiders.base import META
from spiders.items import SourcePage
from tests.support.services import redis_server_url

REPO = Path(__file__).resolve().parent.parent


class Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


class Probe(scrapy.Spider):
    name = "probe"

    def parse(self, response: object) -> None:  # pragma: no cover - never called
        pass

    def failed(self, failure: object) -> None:  # pragma: no cover - never called
        pass


@pytest.fixture
def server() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server_url())
    yield client
    client.close()


def _request(**extra: object) -> scrapy.Request:
    spider = Probe()
    meta = {META: {"requested": "https://a.example/x", "canonical": "https://a.example/x"}}
    meta.update(extra)  # type: ignore[arg-type]
    return scrapy.Request(
        "https://a.example/x", callback=spider.parse, errback=spider.failed, meta=meta
    )


def test_a_request_round_trips_as_json_with_only_what_it_needs(server: redis.Redis) -> None:
    key = f"sourcecheck-test-{uuid.uuid4().hex[:8]}:%(spider)s:requests"
    spider = Probe()
    queue = SafePriorityQueue(server, spider, key, serializer=queue_serializer)
    try:
        amp = SourcePage(requested_url="https://a.example/x", canonical_url="https://a.example/x")
        amp.html, amp.headers = "<p>amp</p>", {"Content-Type": "text/html"}
        request = _request(redirect_times=1, redirect_urls=["https://a.example/y"], proxy="x")
        request.meta[META]["amp_item"] = amp
        queue.push(request)
        raw = server.zrange(queue.key, 0, -1)[0]
        entry = json.loads(raw)  # JSON, not pickle
        assert "proxy" not in entry["meta"] and "headers" not in entry
        back = queue.pop()
        assert back is not None and back.url == request.url and back.callback == spider.parse
        assert back.meta[META]["amp_item"].html == "<p>amp</p>"
        assert back.meta["redirect_urls"] == ["https://a.example/y"]
    finally:
        server.delete(queue.key)


def test_pop_takes_requests_in_scrapy_redis_order(server: redis.Redis) -> None:
    """SafePriorityQueue pops with one ZPOPMIN; scrapy-redis's own pop (ZRANGE and
    ZREMRANGEBYRANK in a transaction) gives the same requests in the same order:
    highest priority first, equal priorities in member order."""
    spider = Probe()
    ours, theirs = (
        SafePriorityQueue(server, spider, f"sourcecheck-test-{uuid.uuid4().hex}", queue_serializer)
        for _ in "ab"
    )
    try:
        for n, priority in enumerate((0, 5, 0, -3, 5, 0, 2, -3, 0)):
            request = _request()
            request = request.replace(url=f"https://a.example/{(n * 7) % 10}", priority=priority)
            ours.push(request)
            theirs.push(request)
        order = [r.url for r in iter(ours.pop, None)]
        base = super(SafePriorityQueue, theirs)
        assert order == [r.url for r in iter(base.pop, None)]
        assert len(order) == 9 and ours.pop() is None
    finally:
        server.delete(ours.key, theirs.key)


def test_a_planted_pickle_is_skipped_and_runs_nothing(server: redis.Redis, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    key = f"sourcecheck-test-{uuid.uuid4().hex[:8]}:%(spider)s:requests"
    queue = SafePriorityQueue(server, Probe(), key, serializer=queue_serializer)
    try:
        bad = [
            pickle.dumps(Planted(marker)),
            b'{"v": 1, "url": "file:///etc/passwd", "meta": {}}',
            json.dumps({"v": 1, "url": "https://a.example/", "callback": "__init__"}).encode(),
            json.dumps(
                {
                    "v": 1,
                    "url": "https://a.example/",
                    "callback": "parse",
                    "meta": {META: {"requested": "https://a.example/"}, "proxy": "http://x"},
                }
            ).encode(),
            b"[" * 100_000,
        ]
        for n, payload in enumerate(bad):
            server.zadd(queue.key, {payload: -n})
        assert [queue.pop() for _ in bad] == [None] * len(bad)
        assert not marker.exists()
    finally:
        server.delete(queue.key)


def test_a_worker_meets_a_planted_pickle_and_runs_nothing(tmp_path: Path) -> None:
    """A real worker joins a run whose queue holds a planted pickle."""
    url = redis_server_url()
    server = redis.Redis.from_url(url)
    prefix = f"sourcecheck-test-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "pwned"
    run_id = uuid.uuid4().hex[:12]
    try:
        started = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        server.set(f"{prefix}:run", json.dumps({"id": run_id, "started": started}))
        server.set(f"{prefix}:{run_id}:fed", "1")
        server.zadd(f"{prefix}:{run_id}:bbc:requests", {pickle.dumps(Planted(marker)): 0})
        db = tmp_path / "w.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
        env.update(
            PYTHONPATH=str(REPO),
            SOURCECHECK_REDIS_PREFIX=prefix,
            SOURCECHECK_SETTINGS_MODULE="tests.support.worker_settings",
            SOURCECHECK_LOG_LEVEL="ERROR",
        )
        argv = [sys.executable, "-m", "crawler", "crawl", "--workers-from", url, "--db", str(db)]
        child = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        assert child.returncode == 0, child.stderr[-2000:]
        assert "skipped a queue entry" in child.stderr
        assert not marker.exists()
        assert server.zcard(f"{prefix}:{run_id}:bbc:requests") == 0
    finally:
        keys = list(server.scan_iter(match=f"{prefix}:*"))
        if keys:
            server.delete(*keys)
        server.close()
