"""crawler/fetching/services.py: service answers through the Scrapy stack.

One local server on 127.0.0.1 plays an API and a sitemap host; each failure comes
back as a reason, gzipped sitemaps are unpacked, a named service keeps its own
rate, and a recording replays with another API key.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.fetching.replay import Recording, without_secrets
from crawler.fetching.services import ServiceRequest, fetch_services
from tests.support.serviceserver import ServiceServer

JSON = {"Content-Type": "application/json"}
SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://example.org/a</loc></url></urlset>"
)
ROUTES = {
    "/robots.txt": [(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")],
    "/search": [(200, JSON, json.dumps({"response": {"status": "ok", "results": []}}).encode())],
    "/forbidden": [(403, JSON, b'{"message": "Invalid authentication credentials"}')],
    # 429 once with Retry-After, then the answer: retried after the wait, then read.
    "/limited": [
        (429, {"Retry-After": "1", **JSON}, b'{"message": "slow down"}'),
        (200, JSON, b'{"ok": true}'),
    ],
    "/always-limited": [(429, {"Retry-After": "0", **JSON}, b"{}")],
    "/sitemap.xml.gz": [(200, {"Content-Type": "application/x-gzip"}, gzip.compress(SITEMAP))],
    "/sitemap-encoded.xml": [
        (200, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}, gzip.compress(SITEMAP))
    ],
    "/private/feed": [(200, {"Content-Type": "application/rss+xml"}, b"<rss/>")],
    "/rated": [(200, JSON, b"{}")],
}


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ServiceServer]:
    srv = ServiceServer(ROUTES)
    monkeypatch.setenv("SOURCECHECK_ALLOW_HOSTS", srv.host)
    monkeypatch.setenv("SOURCECHECK_SETTINGS_MODULE", "tests.support.fault_settings")
    yield srv
    srv.stop()


def test_answers_and_reasons_from_a_local_service(server: ServiceServer) -> None:
    base = server.base
    got = fetch_services(
        [
            f"{base}/search?q=x&api-key=test",
            f"{base}/forbidden",
            f"{base}/limited",
            f"{base}/always-limited",
            f"{base}/sitemap.xml.gz",
            f"{base}/sitemap-encoded.xml",
            f"{base}/private/feed",
            "http://10.0.0.1/search",
            "http://exa mple.org:x/",
        ],
        settings_overrides={"SOURCECHECK_RETRY_BACKOFF_MAX": 2.0},
    )
    search = got[f"{base}/search?q=x&api-key=test"]
    assert search.ok and search.status == 200
    assert json.loads(search.body)["response"]["status"] == "ok"
    assert search.header("content-type") == "application/json"

    forbidden = got[f"{base}/forbidden"]
    assert (forbidden.reason, forbidden.status) == ("http_403", 403)
    assert b"Invalid authentication" in forbidden.body  # the API's own message is kept

    limited = got[f"{base}/limited"]
    assert limited.ok and json.loads(limited.body) == {"ok": True}
    first, second = server.hits("/limited")[:2]
    assert second[2] - first[2] >= 0.9  # Retry-After: 1 was honoured, not the tiny backoff
    assert got[f"{base}/always-limited"].reason == "http_429"
    assert len(server.hits("/always-limited")) == 3  # RETRY_TIMES=2: tried three times

    for path in ("/sitemap.xml.gz", "/sitemap-encoded.xml"):
        assert got[f"{base}{path}"].body == SITEMAP, path
    assert got[f"{base}/private/feed"].reason == "robots"
    assert not server.hits("/private/feed")
    assert got["http://10.0.0.1/search"].reason == "blocked_address"
    assert got["http://exa mple.org:x/"].reason == "invalid_url"


def test_a_named_service_keeps_its_own_rate(server: ServiceServer) -> None:
    urls = [ServiceRequest(f"{server.base}/rated?n={n}", "slowapi") for n in range(3)]
    got = fetch_services(urls, settings_overrides={"SOURCECHECK_SERVICE_DELAYS": {"slowapi": 0.5}})
    assert all(r.ok and r.service == "slowapi" for r in got.values())
    times = sorted(t for _p, _q, t in server.hits("/rated"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # The tests' settings put no delay on the host; the service's slot spaces its calls.
    assert len(gaps) == 2 and min(gaps) >= 0.45


def test_record_keeps_no_api_key_and_replay_matches_without_it(
    server: ServiceServer, tmp_path: Path
) -> None:
    secret = "s3cret-key"
    url = f"{server.base}/search?q=%22troops%22&api-key={secret}&page=1"
    recorded = fetch_services([url], record=str(tmp_path))
    assert recorded[url].ok
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert secret not in manifest
    assert without_secrets(url) in {e.url for e in Recording.load(tmp_path).exact.values()}

    server.stop()  # replay must not need the server
    again = f"{server.base}/search?q=%22troops%22&api-key=another&page=1"
    missing = f"{server.base}/search?q=other&api-key=another"
    replayed = fetch_services([again, missing], replay=str(tmp_path))
    assert replayed[again].ok
    assert replayed[again].body == recorded[url].body
    assert replayed[missing].reason == "not_recorded"


def test_without_secrets_drops_only_the_key() -> None:
    assert (
        without_secrets("https://api.test/s?q=a&api-key=k&page=2")
        == "https://api.test/s?q=a&page=2"
    )
    assert without_secrets("https://api.test/s?q=a") == "https://api.test/s?q=a"
