"""Extraction in a process pool (SOURCECHECK_EXTRACT_PROCESSES > 0) gives what
extraction in the crawl process gives: the same pages, reasons and verdicts."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.extraction.extract import Page, read_html
from crawler.extraction.pipeline import ExtractPipeline, PooledExtractPipeline
from crawler.extraction.pool import read_in_child
from spiders.base import ArticleSpider
from tests.support.cli_run import FIXTURES, REPO, batch, sourcecheck
from tests.test_replay_e2e import EDGE_CASES

POOL_ENV = {"SOURCECHECK_SETTINGS_MODULE": "tests.support.extpool_settings"}
IN_PROCESS_ENV = {"SOURCECHECK_SETTINGS_MODULE": "tests.support.extract_inprocess_settings"}
INDEPENDENT_HTML = FIXTURES / "pages" / "independent-nis-north-korea-troops.html"
CONSENT_HTML = FIXTURES / "pages" / "consent-wall-europost.html"


def test_a_child_sends_back_the_page_without_its_html() -> None:
    html = INDEPENDENT_HTML.read_text(encoding="utf-8")
    sent = read_in_child(html, "https://www.independent.co.uk/x-b1.html", None)
    assert isinstance(sent, Page) and sent.html is None
    received = pickle.loads(pickle.dumps(sent))  # what crosses the process boundary
    local = read_html(html, url="https://www.independent.co.uk/x-b1.html")
    assert (received.text, received.title, received.date, received.extractor) == (
        local.text,
        local.title,
        local.date,
        local.extractor,
    )


def test_a_child_sends_back_why_a_page_is_unreadable_as_data() -> None:
    sent = read_in_child(CONSENT_HTML.read_text(encoding="utf-8"), None, None)
    assert isinstance(sent, tuple) and sent[0] == "consent_wall" and sent[1]


def test_the_setting_chooses_the_pooled_pipeline() -> None:
    in_process = ExtractPipeline.from_crawler(
        get_crawler(ArticleSpider, {"SOURCECHECK_EXTRACT_PROCESSES": 0})
    )
    pooled = ExtractPipeline.from_crawler(
        get_crawler(ArticleSpider, {"SOURCECHECK_EXTRACT_PROCESSES": 2})
    )
    assert not isinstance(in_process, PooledExtractPipeline)
    assert isinstance(pooled, PooledExtractPipeline) and pooled.processes == 2


def test_a_batch_check_gives_the_same_results_with_the_pool(tmp_path: Path) -> None:
    rows = [{"id": i, "quote": q, "source": s} for i, q, s, _ in EDGE_CASES]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone, _ = batch(tmp_path / "a", rows, "--replay", str(FIXTURES), env=IN_PROCESS_ENV)
    pooled, run = batch(
        tmp_path / "b",
        rows,
        "--replay",
        str(FIXTURES),
        env={**POOL_ENV, "SOURCECHECK_LOG_LEVEL": "INFO"},
    )
    assert "extracting pages in a pool of 2 process(es)" in run.stderr
    assert "Traceback" not in run.stderr
    assert pooled == alone
    assert {k: (r["status"], r["reason"]) for k, r in pooled.items()} == {
        c[0]: c[3] for c in EDGE_CASES
    }


def test_a_run_stores_the_same_verdicts_with_the_pool(tmp_path: Path) -> None:
    db = tmp_path / "sc.db"
    citing = str(FIXTURES / "pages" / "citing-article.html")
    run = sourcecheck(
        "run", citing, "--no-discover", "--replay", str(FIXTURES), "--db", str(db), env=POOL_ENV
    )
    assert run.returncode == 1, run.stderr  # the Guardian quote is altered
    report = sourcecheck("report", "--db", str(db), "--format", "json")
    quotes = json.loads(report.stdout)["quotes"]
    assert {r["outlet"]: r["status"] for r in quotes if r["outlet"]} == {
        "independent": "verified",
        "bbc": "verified",
        "guardian": "altered",
    }


def test_a_killed_crawl_leaves_no_pool_process_behind(tmp_path: Path) -> None:
    # The pool's processes share the crawl's stdout and stderr, so run() returns only
    # once they have left too: a pool process left behind makes this time out.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    citing = str(FIXTURES / "pages" / "citing-article.html")
    db = str(tmp_path / "sc.db")
    killed = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "run",
            citing,
            "--no-discover",
            "--replay",
            str(FIXTURES),
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        env={
            **inherited,
            "PYTHONPATH": str(REPO),
            "SOURCECHECK_SETTINGS_MODULE": "tests.support.crash_pool_settings",
            "SOURCECHECK_TEST_KILL_AFTER": "1",
        },
        cwd=REPO,
        timeout=30,
    )
    assert killed.returncode == -9, killed.stderr  # killed mid-run, after a pooled page
