"""Every way a fetch can fail ends as `unavailable` with its exact reason.

One local server on 127.0.0.1 (tests/support/faultserver.py) plays each fault; all the
URLs go through ONE `sourcecheck check --batch` crawl in a subprocess, with short
timeouts and tiny retry delays from tests/support/fault_settings.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import faultserver
from tests.support.cli_run import batch

# path on the fault server -> the reason it must produce (None: verified)
FAULTS: dict[str, str | None] = {
    "/article": None,
    "/flaky": None,  # 500 once, then retried and read
    "/moved": None,  # a 301 to /article is followed
    "/busy": "http_429",  # 429 every time: retried, then given up
    "/gone": "http_404",
    "/loop/0": "too_many_redirects",
    "/slow": "timeout",
    "/big": "too_large",  # Content-Length over DOWNLOAD_MAXSIZE
    "/big-chunked": "too_large",  # no Content-Length: cut off mid-stream
    "/bomb": "too_large",  # 50 kB of gzip inflating to 50 MB
    "/image": "not_html",
    "/pdf": "not_html",
    "/private/article": "robots",
    "/consent": "consent_wall",
    "/empty": "empty_extraction",
    "/to-metadata": "blocked_address",  # a redirect hop is guarded too
    "/to-file": "blocked_address",
    "/huge-header": "bad_response",  # a 200 kB header line: not HTTP the client can read
    "/deep": "too_deeply_nested",  # the article under 5,000 nested elements
}
# Addresses the guard refuses before any request is made.
GUARDED = [
    "http://10.0.0.1/article",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[::ffff:10.0.0.1]/article",
    "http://0.0.0.0/article",
    "http://224.0.0.1/article",
]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    server, port = faultserver.start()
    base = f"http://127.0.0.1:{port}"
    rows = [{"id": p, "quote": faultserver.SENTENCE, "source": base + p} for p in FAULTS]
    rows += [{"id": u, "quote": faultserver.SENTENCE, "source": u} for u in GUARDED]
    # Loopback by another name or on another port is still loopback.
    others = {
        "localhost": f"http://localhost:{port}/article",
        "mapped": f"http://[::ffff:127.0.0.1]:{port}/article",
        "other-port": f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/article",
    }
    rows += [{"id": k, "quote": faultserver.SENTENCE, "source": u} for k, u in others.items()]
    env = {
        "SOURCECHECK_ALLOW_HOSTS": f"127.0.0.1:{port}",
        "SOURCECHECK_SETTINGS_MODULE": "tests.support.fault_settings",
        # Warnings shown, so that a deprecated Scrapy setting or API shows up here.
        "SOURCECHECK_LOG_LEVEL": "WARNING",
    }
    results, run = batch(tmp_path_factory.mktemp("faults"), rows, env=env)
    yield {"results": results, "run": run, "hits": dict(faultserver.Faults.counts)}
    faultserver.stop(server)


@pytest.mark.parametrize(("path", "reason"), FAULTS.items())
def test_fault_gives_its_reason(crawl: dict[str, Any], path: str, reason: str | None) -> None:
    row = crawl["results"][path]
    if reason is None:
        assert row["status"] == "verified", row
    else:
        assert (row["status"], row["reason"]) == ("unavailable", reason), row


def test_retries_happen(crawl: dict[str, Any]) -> None:
    hits = crawl["hits"]
    assert hits["/flaky"] == 2  # the 500, then the success
    assert hits["/busy"] == 3  # RETRY_TIMES = 2: three requests in all
    assert hits["/robots.txt"] == 1  # robots.txt once per host, not once per page


def test_redirect_to_metadata_is_never_requested(crawl: dict[str, Any]) -> None:
    # The hop to 169.254.169.254 was refused by the guard, not by a failed connection.
    assert "metadata" in crawl["results"]["/to-metadata"]["detail"]


@pytest.mark.parametrize("url", GUARDED)
def test_guard_refuses_private_addresses(crawl: dict[str, Any], url: str) -> None:
    row = crawl["results"][url]
    assert (row["status"], row["reason"]) == ("unavailable", "blocked_address"), row


@pytest.mark.parametrize("name", ["localhost", "mapped", "other-port"])
def test_allow_list_opens_only_the_named_host_and_port(crawl: dict[str, Any], name: str) -> None:
    row = crawl["results"][name]
    assert (row["status"], row["reason"]) == ("unavailable", "blocked_address"), row


def test_exit_code_reports_unavailable_sources(crawl: dict[str, Any]) -> None:
    # Some sources unavailable, none altered or not found: exit 3.
    assert crawl["run"].returncode == 3, crawl["run"].stderr


def test_no_deprecated_scrapy_api(crawl: dict[str, Any]) -> None:
    assert "Deprecat" not in crawl["run"].stderr, crawl["run"].stderr


def test_guard_closed_without_allow_list(tmp_path: Path) -> None:
    server, port = faultserver.start()
    try:
        url = f"http://127.0.0.1:{port}/article"
        results, _ = batch(tmp_path, [{"id": 1, "quote": faultserver.SENTENCE, "source": url}])
    finally:
        faultserver.stop(server)
    assert (results[1]["status"], results[1]["reason"]) == ("unavailable", "blocked_address")
    assert faultserver.Faults.counts == {}  # not even robots.txt was requested
