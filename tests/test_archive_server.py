"""The archive's limits, against local CDX and capture servers on 127.0.0.1 (the two
endpoint settings point at them): 429 then success, 403, the pace, a ban."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli_run import FIXTURES, batch
from tests.support.serviceserver import Answer, ServiceServer

JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
QUOTE = (
    "Two soldiers from the DPRK were taken prisoner in the Kursk region after being wounded "
    "in fighting, and both are now in Kyiv"
)
CAPTURE = (FIXTURES / "pages" / "independent-archive-kursk-prisoners-20241030.html").read_bytes()
GONE_PAGE: list[Answer] = [(404, HTML, b"<html><body><h1>Not found</h1></body></html>")]


def cdx_answer(original: str, timestamp: str = "20241030081544") -> bytes:
    header = ["timestamp", "original", "statuscode", "mimetype", "digest", "length"]
    return json.dumps([header, [timestamp, original, "200", "text/html", "D1", "100"]]).encode()


@pytest.fixture
def server() -> Iterator[ServiceServer]:
    srv = ServiceServer({})
    yield srv
    srv.stop()


def env_for(srv: ServiceServer, **extra: str) -> dict[str, str]:
    return {
        "SOURCECHECK_ALLOW_HOSTS": srv.host,
        "SOURCECHECK_CDX_URL": f"{srv.base}/cdx/search/cdx",
        "SOURCECHECK_WAYBACK_URL": f"{srv.base}/web/",
        **extra,
    }


def gone_article(srv: ServiceServer, name: str, cdx: list[Answer] | None = None) -> str:
    """A gone article on the local server; the CDX route answers ``cdx`` for it."""
    url = f"{srv.base}/news/{name}"
    srv.routes[f"/news/{name}"] = GONE_PAGE
    srv.routes[f"/web/20241030081544id_/{url}"] = [(200, HTML, CAPTURE)]
    if cdx is not None:
        srv.routes["/cdx/search/cdx"] = cdx
    return url


def test_a_429_is_waited_out_then_the_capture_is_read(server: ServiceServer, tmp_path: Path):
    url = gone_article(server, "a")
    server.routes["/cdx/search/cdx"] = [
        (429, {"Retry-After": "1", **JSON}, b'{"error": "slow down"}'),
        (200, JSON, cdx_answer(url)),
    ]
    results, run = batch(tmp_path, [{"id": 1, "quote": QUOTE, "source": url}], env=env_for(server))
    assert results[1]["status"] == "verified", run.stdout + run.stderr
    assert results[1]["reason"] == "http_404" and results[1]["evidence"]["kind"] == "archive"
    queries = server.hits("/cdx/search/cdx")
    assert len(queries) == 2  # one retry, no storm
    assert queries[1][2] - queries[0][2] >= 0.95  # Retry-After honoured
    assert "url=" in queries[0][1] and "output=json" in queries[0][1]
    assert "filter=statuscode%3A200" in queries[0][1]
    assert len(server.hits(f"/web/20241030081544id_/{url}")) == 1


def test_a_403_is_archive_blocked_and_asked_once(server: ServiceServer, tmp_path: Path):
    url = gone_article(server, "b", [(403, HTML, b"<h1>Blocked Site Error</h1>")])
    results, run = batch(tmp_path, [{"id": 1, "quote": QUOTE, "source": url}], env=env_for(server))
    assert results[1]["status"] == "unavailable", run.stderr
    assert (results[1]["reason"], results[1]["archive"]["reason"]) == (
        "http_404",
        "archive_blocked",
    )
    assert len(server.hits("/cdx/search/cdx")) == 1


def test_archive_requests_keep_their_pace(server: ServiceServer, tmp_path: Path):
    urls = [gone_article(server, name) for name in ("c", "d", "e")]
    # One CDX answer lists a capture for each article (the finder matches by its choice).
    header = ["timestamp", "original", "statuscode", "mimetype", "digest", "length"]
    rows = [["20241030081544", u, "200", "text/html", "D", "1"] for u in urls]
    by_query: list[Answer] = [(200, JSON, json.dumps([header, r]).encode()) for r in rows]
    server.routes["/cdx/search/cdx"] = by_query
    rows_in = [{"id": i, "quote": QUOTE, "source": u} for i, u in enumerate(urls)]
    env = env_for(server, SOURCECHECK_ARCHIVE_DELAY="0.6")
    results, run = batch(tmp_path, rows_in, env=env)
    archive_times = sorted(
        t for path, _, t in server.requests if path.startswith(("/cdx/", "/web/"))
    )
    assert len(archive_times) == 6, run.stderr  # a CDX query and a capture per source
    gaps = [b - a for a, b in itertools.pairwise(archive_times)]
    assert min(gaps) >= 0.55, gaps
    assert {r["status"] for r in results.values()} <= {"verified", "not_found", "altered"}


def test_a_ban_longer_than_the_backoff_stops_archive_lookups(
    server: ServiceServer, tmp_path: Path
) -> None:
    urls = [gone_article(server, name) for name in ("f", "g")]
    server.routes["/cdx/search/cdx"] = [(429, {"Retry-After": "3600", **JSON}, b"{}")]
    rows = [{"id": i, "quote": QUOTE, "source": u} for i, u in enumerate(urls)]
    results, run = batch(tmp_path, rows, env=env_for(server))
    assert len(server.hits("/cdx/search/cdx")) == 1, run.stderr  # never asked again
    for row in results.values():
        assert row["status"] == "unavailable"
        assert row["archive"]["reason"] == "archive_rate_limited"


def test_an_article_redirected_to_the_home_page_is_gone(server: ServiceServer, tmp_path: Path):
    url = gone_article(server, "moved")
    home = b"<html><head><title>Home</title></head><body>" + b"<p>Latest news.</p>" * 80
    server.routes["/news/moved"] = [(301, {"Location": "/"}, b"")]
    server.routes["/"] = [(200, HTML, home + b"</body></html>")]
    server.routes["/cdx/search/cdx"] = [(200, JSON, cdx_answer(url))]
    results, run = batch(tmp_path, [{"id": 1, "quote": QUOTE, "source": url}], env=env_for(server))
    row = results[1]
    assert (row["status"], row["reason"]) == ("verified", "redirect_home"), run.stderr
    assert row["evidence"]["kind"] == "archive"


def test_a_replayed_crawl_asks_an_opened_local_archive(server: ServiceServer, tmp_path: Path):
    """The live page from the recording (the Independent 404 fixture); the archive from a
    local server opened with SOURCECHECK_ALLOW_HOSTS, since it is not in the recording."""
    gone = (
        "https://www.independent.co.uk/news/world/europe/"
        "ukraine-kursk-north-korean-soldiers-captured-b2599999.html"
    )
    server.routes["/cdx/search/cdx"] = [(200, JSON, cdx_answer(gone))]
    server.routes[f"/web/20241030081544id_/{gone}"] = [(200, HTML, CAPTURE)]
    rows = [{"id": 1, "quote": QUOTE, "source": gone}]
    results, run = batch(tmp_path, rows, "--replay", str(FIXTURES), env=env_for(server))
    row = results[1]
    assert (row["status"], row["reason"]) == ("verified", "http_404"), run.stderr
    assert row["evidence"]["url"].startswith(server.base)
