"""Record from a live (local) server, then replay with the server gone."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.fetching.replay import Recording, RecordingError, ReplayMiddleware
from spiders.failures import Refused
from tests.support import faultserver
from tests.support.cli_run import batch, sourcecheck


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("record")
    server, port = faultserver.start()
    base = f"http://127.0.0.1:{port}"
    env = {
        "SOURCECHECK_ALLOW_HOSTS": f"127.0.0.1:{port}",
        "SOURCECHECK_SETTINGS_MODULE": "tests.support.fault_settings",
    }
    urls = [f"{base}/article", f"{base}/moved", f"{base}/gone", f"{base}/gzipped"]
    run = sourcecheck(
        "record", *urls, "--into", str(tmp / "rec"), "--warc", str(tmp / "rec.warc.gz"), env=env
    )
    faultserver.stop(server)  # replay must not need it
    yield {"tmp": tmp, "base": base, "run": run}


def test_record_reports_each_url(recorded: dict[str, Any]) -> None:
    run, base = recorded["run"], recorded["base"]
    assert run.returncode == 3, run.stderr  # /gone is unavailable
    lines = dict(line.split("\t", 1) for line in run.stdout.splitlines())
    assert lines[f"{base}/article"].startswith("200\t")
    assert lines[f"{base}/moved"].endswith(f"{base}/article")
    assert lines[f"{base}/gone"].startswith("unavailable\thttp_404")


def test_manifest_holds_every_response(recorded: dict[str, Any]) -> None:
    rec, base = recorded["tmp"] / "rec", recorded["base"]
    entries = {e["url"]: e for e in json.loads((rec / "manifest.json").read_text())["entries"]}
    paths = ("/robots.txt", "/article", "/moved", "/gone", "/gzipped")
    assert set(entries) == {f"{base}{p}" for p in paths}
    moved = entries[f"{base}/moved"]
    assert (moved["status"], moved["file"], moved["final_url"]) == (301, None, f"{base}/article")
    assert moved["layout"] == "redirect" and moved["outlet"] is None
    robots = entries[f"{base}/robots.txt"]
    assert robots["layout"] == "robots" and robots["file"].startswith("pages/robots/")
    # Stored decoded, as the fixtures are: no Content-Encoding, no Content-Length.
    gzipped = entries[f"{base}/gzipped"]
    assert (rec / gzipped["file"]).read_bytes() == faultserver.ARTICLE
    assert not {"content-encoding", "content-length"} & {h.lower() for h in gzipped["headers"]}
    article = entries[f"{base}/article"]
    assert article["status"] == 200 and article["headers"]["Content-Type"].startswith("text/html")
    assert (rec / article["file"]).read_bytes() == faultserver.ARTICLE  # as received
    assert entries[f"{base}/gone"]["status"] == 404
    assert article["fetched_at"] and article["reconstructed"] is False


@pytest.mark.parametrize("source", ["rec", "rec.warc.gz"])
def test_replay_without_network(recorded: dict[str, Any], tmp_path: Path, source: str) -> None:
    base = recorded["base"]
    rows = [
        {"id": "article", "quote": faultserver.SENTENCE, "source": f"{base}/article"},
        {"id": "moved", "quote": faultserver.SENTENCE, "source": f"{base}/moved"},
        {"id": "gzipped", "quote": faultserver.SENTENCE, "source": f"{base}/gzipped"},
        {"id": "gone", "quote": faultserver.SENTENCE, "source": f"{base}/gone"},
        {"id": "missing", "quote": faultserver.SENTENCE, "source": f"{base}/never-fetched"},
        # robots.txt was recorded: replay obeys it before looking for the page
        {"id": "robots", "quote": faultserver.SENTENCE, "source": f"{base}/private/article"},
    ]
    # No SOURCECHECK_ALLOW_HOSTS: under replay nothing is fetched, so 127.0.0.1 is fine.
    results, run = batch(tmp_path, rows, "--replay", str(recorded["tmp"] / source))
    statuses = {k: (v["status"], v["reason"]) for k, v in results.items()}
    assert statuses == {
        "article": ("verified", None),
        "moved": ("verified", None),
        "gzipped": ("verified", None),
        "gone": ("unavailable", "http_404"),
        "missing": ("unavailable", "not_recorded"),
        "robots": ("unavailable", "robots"),
    }, run.stderr


def test_replay_of_missing_recording_is_bad_input(tmp_path: Path) -> None:
    run = sourcecheck(
        "check", "a quote", "--source", "https://example.org/x", "--replay", str(tmp_path / "no")
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "no recording" in run.stderr


def _recording(tmp_path: Path, entries: list[dict[str, Any]]) -> Recording:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": 1, "entries": entries}))
    return Recording.load(tmp_path)


def test_replay_middleware_serves_and_refuses(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(b"<html><body><p>hello</p></body></html>")
    recording = _recording(
        tmp_path,
        [
            {"url": "https://example.org/a", "status": 200, "file": "p.html", "headers": {}},
            {
                "url": "https://example.org/old",
                "status": 301,
                "file": None,
                "final_url": "https://example.org/a",
                "headers": {},
            },
        ],
    )
    mw = ReplayMiddleware(recording)
    page = mw.process_request(Request("https://example.org/a#frag"))
    assert isinstance(page, HtmlResponse) and page.status == 200 and b"hello" in page.body
    redirect = mw.process_request(Request("https://example.org/old"))
    assert redirect.status == 301 and redirect.headers[b"Location"] == b"https://example.org/a"
    robots = mw.process_request(Request("https://example.org/robots.txt"))
    assert robots.status == 404  # unrecorded robots.txt: allow all
    with pytest.raises(Refused) as refused:
        mw.process_request(Request("https://example.org/b"))
    assert refused.value.reason == "not_recorded"


def test_recording_refuses_files_outside_it(tmp_path: Path) -> None:
    (tmp_path / "rec").mkdir()
    with pytest.raises(RecordingError):
        _recording(
            tmp_path / "rec",
            [{"url": "https://e.org/", "status": 200, "file": "../../etc/passwd"}],
        )


def test_recorder_never_inflates_a_bomb() -> None:
    from crawler.fetching.record import _decoded

    headers = {"Content-Encoding": "gzip", "Content-Type": "text/html"}
    body, kept = _decoded(faultserver.BOMB, headers, limit=200_000)
    assert body == faultserver.BOMB and kept == headers  # kept as received
    small = gzip.compress(b"<p>hello</p>")
    assert _decoded(small, headers, limit=200_000) == (
        b"<p>hello</p>",
        {"Content-Type": "text/html"},
    )


def test_recording_again_replaces_entries_by_url(tmp_path: Path) -> None:
    from crawler.fetching.record import merge_manifest

    manifest = tmp_path / "manifest.json"
    merge_manifest(manifest, [{"url": "https://e.org/a", "status": 200}])
    merge_manifest(manifest, [{"url": "https://e.org/b", "status": 200}])
    merge_manifest(manifest, [{"url": "https://e.org/a", "status": 404}])
    entries = json.loads(manifest.read_text())["entries"]
    assert [(e["url"], e["status"]) for e in entries] == [
        ("https://e.org/b", 200),
        ("https://e.org/a", 404),
    ]


def test_record_refuses_what_is_not_a_url(tmp_path: Path) -> None:
    run = sourcecheck("record", "fixtures/pages/bbc-russia-invasion-explainer.html")
    assert run.returncode == 2 and "not an http(s) URL" in run.stderr
    assert "Traceback" not in run.stderr
