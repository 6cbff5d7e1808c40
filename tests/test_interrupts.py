"""Interrupts a script can trust (issue 14): SIGINT or SIGTERM at any moment of `run` or
`crawl` exits 130 or 143 with one line, keeps every finished source whole, and leaves
no half-written report. Signals are sent at several points of a local, replayed run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli_run import FIXTURES, REPO, sourcecheck

ARTICLE = str(FIXTURES / "pages" / "citing-article.html")
FOUND = "quotation(s) found"


def start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        # A key, so that discovery does not warn about the Guardian's test key: the only
        # line on stderr must be the interrupt's.
        env={**env, "PYTHONPATH": str(REPO), "SOURCECHECK_GUARDIAN_API_KEY": "test"},
    )


def stored_quotes(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(conn.execute("select count(*) from quotes").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet, or being written
        return 0


def interrupt(
    child: subprocess.Popen[str], signum: int, when: str, delay: float, db: Path
) -> list[str]:
    """Send ``signum`` ``delay`` seconds after ``when``: the start, or the moment the
    article's quotes are stored (the crawl starts then)."""
    if when == "found":
        deadline = time.monotonic() + 120
        while not stored_quotes(db) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    time.sleep(delay)
    child.send_signal(signum)
    try:
        _, rest = child.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        child.kill()
        raise AssertionError("the interrupted command did not stop") from None
    return rest.splitlines()


def assert_whole(db: Path) -> None:
    """Every source stored in full: a snapshot's source has a verdict for each of its quotes."""
    if not db.exists():
        return
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        if not {"quotes", "snapshots", "verifications"} <= tables:
            return  # stopped while the schema was being made: no verdict was stored yet
        missing = conn.execute(
            "select count(*) from quotes q join snapshots s on s.source_id = q.source_id "
            "where not exists (select 1 from verifications v where v.quote_id = q.id)"
        ).fetchone()[0]
        assert missing == 0, "a source was stored without all of its quotes' verdicts"
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("signum", "when", "delay"),
    [
        (signal.SIGINT, "start", 0.3),  # importing
        (signal.SIGINT, "found", 0.0),  # the crawl starting
        (signal.SIGINT, "found", 1.2),  # crawling
        (signal.SIGTERM, "start", 0.8),
        (signal.SIGTERM, "found", 0.6),
    ],
)
def test_an_interrupted_run_exits_128_plus_signal_with_one_line(
    tmp_path: Path, signum: int, when: str, delay: float
) -> None:
    db, page = tmp_path / "run.db", tmp_path / "report.html"
    child = start(
        "run",
        ARTICLE,
        "--replay",
        str(FIXTURES),
        "--db",
        str(db),
        "--format",
        "html",
        "-o",
        str(page),
    )
    lines = interrupt(child, signum, when, delay, db)
    if child.returncode in (0, 1, 3):  # the run finished first: nothing to test
        pytest.skip("the run finished before the signal on this machine")
    assert child.returncode == 128 + signum, lines
    name = signal.Signals(signum).name
    told = [line for line in lines if line.startswith("sourcecheck: interrupted")]
    assert len(told) == 1 and told[0].startswith(f"sourcecheck: interrupted by {name}"), lines
    assert not any("Traceback" in line or "Error" in line for line in lines), lines
    assert set(lines) - set(told) <= {line for line in lines if FOUND in line}, lines
    assert not page.exists() or page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list(tmp_path.glob("*.part"))
    assert_whole(db)
    if db.exists() and when == "found":  # nothing is lost or locked: the next crawl finishes
        again = sourcecheck("crawl", "--replay", str(FIXTURES), "--db", str(db), "--json")
        assert again.returncode in (0, 1, 3), again.stderr
        report = sourcecheck("report", "--db", str(db))
        assert "pending" not in report.stdout.splitlines()[-1]


def test_an_interrupted_crawl_exits_130(tmp_path: Path) -> None:
    db = tmp_path / "crawl.db"
    first = sourcecheck("run", ARTICLE, "--replay", str(FIXTURES), "--db", str(db))
    assert first.returncode in (0, 1, 3), first.stderr
    # every quote is due again (--recheck-after 0): a whole crawl to interrupt
    child = start("crawl", "--recheck-after", "0", "--replay", str(FIXTURES), "--db", str(db))
    lines = interrupt(child, signal.SIGINT, "start", 2.0, db)
    if child.returncode in (0, 1, 3):
        pytest.skip("the crawl finished before the signal on this machine")
    assert child.returncode == 130, lines
    assert [line for line in lines if "Traceback" in line] == []
    assert sum(line.startswith("sourcecheck: interrupted by SIGINT") for line in lines) == 1
    assert_whole(db)


def test_an_error_after_a_signal_is_reported_as_the_interruption(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Library code may wrap the signal's exception in its own (a Twisted Failure while a
    crawl starts): after a signal, the command was interrupted, not broken."""
    from crawler import interrupts
    from crawler.cli import app

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("Failure wrapping Interrupted(2)")

    monkeypatch.setattr(app.cli, "main", broken)
    assert app.main([]) == 4  # no signal: an internal error
    monkeypatch.setattr(interrupts, "_received", signal.SIGINT)
    assert app.main([]) == 130
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "sourcecheck: interrupted by SIGINT" and "internal error" in err[0]
