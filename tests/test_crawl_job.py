"""The main job end to end on replay: run, crawl again, history, lock, interruption.

Each crawl runs the CLI in a child process: a Twisted reactor starts once per process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.crawling.lock import crawl_lock
from crawler.storage.db import make_engine, make_sessions, resolve_url
from crawler.storage.models import Snapshot, Verification
from tests.support.cli_run import FIXTURES, sourcecheck

CITING = str(FIXTURES / "pages" / "citing-article.html")


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return sourcecheck(*argv, env=env)


def report(db: Path) -> list[dict]:
    child = cli("report", "--db", str(db), "--format", "json")
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)["quotes"]


def by_outlet(rows: list[dict]) -> dict[str | None, str]:
    return {r["outlet"]: r["status"] for r in rows if r["outlet"]}


def test_run_verifies_each_outlets_quote_and_lists_the_rest_as_no_source(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sc.db"
    child = cli(
        "run",
        CITING,
        "--no-discover",
        "--replay",
        str(FIXTURES),
        "--db",
        str(db),
        "--format",
        "json",
    )
    # the Guardian quote is altered in the source ("helping" for "letting"): exit 1
    assert child.returncode == 1, child.stderr
    assert "crawl: 3 quote(s) due from 3 source(s)" in child.stderr
    rows = report(db)
    assert by_outlet(rows) == {"independent": "verified", "bbc": "verified", "guardian": "altered"}
    assert sum(r["status"] == "no_source" for r in rows) == 12
    guardian = next(r for r in rows if r["outlet"] == "guardian")
    assert [(c["quote"], c["source"]) for c in guardian["changes"]] == [("letting", "helping")]
    # the same article again adds nothing, and nothing is due within --recheck-after
    again = cli("run", CITING, "--no-discover", "--replay", str(FIXTURES), "--db", str(db))
    assert "15 quotation(s) found, 0 new" in again.stderr
    assert "nothing due" in again.stderr


def test_crawl_again_keeps_history_and_sees_an_edited_source(tmp_path: Path) -> None:
    recording = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, recording)
    db = tmp_path / "sc.db"
    first = cli("run", CITING, "--no-discover", "--replay", str(recording), "--db", str(db))
    assert first.returncode == 1, first.stderr
    bbc = recording / "pages" / "bbc-russia-invasion-explainer.html"
    bbc.write_text(bbc.read_text(encoding="utf-8").replace("24 February", "23 February"))
    second = cli("crawl", "--replay", str(recording), "--db", str(db), "--recheck-after", "0")
    assert second.returncode == 1, second.stderr
    assert "3 quote(s) due from 3 source(s): 2 altered, 1 verified" in second.stdout
    row = next(r for r in report(db) if r["outlet"] == "bbc")
    assert row["status"] == "altered"
    assert {"source_edited", "content_changed"} <= set(row["what_changed"])
    assert any("number" in c["flags"] for c in row["changes"])
    engine = make_engine(resolve_url(str(db)))
    with make_sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Verification)) == 6
    engine.dispose()


def test_a_second_crawl_waits_for_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "sc.db"
    assert (
        cli("run", CITING, "--no-discover", "--replay", str(FIXTURES), "--db", str(db)).returncode
        == 1
    )
    engine = make_engine(resolve_url(str(db)))
    with crawl_lock(engine):
        child = cli("crawl", "--replay", str(FIXTURES), "--db", str(db), "--recheck-after", "0")
    engine.dispose()
    assert child.returncode == 75
    assert "another crawl is running" in child.stderr and child.stderr.count("\n") == 1


def test_an_interrupted_crawl_keeps_whole_sources_and_the_next_run_finishes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sc.db"
    # store the article's quotes without crawling: intake, then a crawl that is killed
    killed = cli(
        "run",
        CITING,
        "--no-discover",
        "--replay",
        str(FIXTURES),
        "--db",
        str(db),
        env={
            "SOURCECHECK_SETTINGS_MODULE": "tests.support.crash_settings",
            "SOURCECHECK_TEST_KILL_AFTER": "1",
        },
    )
    assert killed.returncode == -9  # SIGKILL, mid-run
    engine = make_engine(resolve_url(str(db)))
    sessions = make_sessions(engine)
    with sessions() as session:
        snapshots = session.scalars(select(Snapshot)).all()
        assert len(snapshots) == 1  # the first source, whole
        verdicts = session.scalars(select(Verification)).all()
        assert [v.snapshot_id for v in verdicts] == [snapshots[0].id]
    resumed = cli("crawl", "--replay", str(FIXTURES), "--db", str(db))
    assert "2 quote(s) due from 2 source(s)" in resumed.stdout, resumed.stderr
    with sessions() as session:
        counts = session.execute(
            select(Verification.quote_id, func.count()).group_by(Verification.quote_id)
        ).all()
    engine.dispose()
    assert sorted(n for _, n in counts) == [1, 1, 1]


@pytest.mark.parametrize("value", ["soon", "-1h", "3x"])
def test_bad_recheck_after_is_an_input_error(tmp_path: Path, value: str) -> None:
    child = cli("crawl", "--db", str(tmp_path / "sc.db"), "--recheck-after", value)
    assert child.returncode == 2
    assert child.stderr.startswith("error: not a duration")
