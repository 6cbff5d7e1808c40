"""A crawl that cannot store its verdicts fails, says why in one line, keeps what it had.

The database is opened read-only (a SQLite URI with ``mode=ro``: what ``chattr +i`` or a
read-only mount does to the file), so every write fails as it would on a full disk or
a revoked grant. Each crawl runs the CLI in a child process.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from crawler.errors import EXIT_STORAGE
from crawler.storage.db import make_engine, make_sessions
from crawler.storage.models import Verification
from tests.support.cli_run import FIXTURES, sourcecheck

CITING = str(FIXTURES / "pages" / "citing-article.html")


def _verifications(db: Path) -> int:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with make_sessions(engine)() as session:
            return session.execute(select(func.count(Verification.id))).scalar_one()
    finally:
        engine.dispose()


def test_a_crawl_on_a_read_only_database_fails_and_keeps_what_was_stored(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sc.db"
    first = sourcecheck("run", CITING, "--replay", str(FIXTURES), "--db", str(db))
    assert first.returncode == 1, first.stderr
    stored = _verifications(db)
    assert stored > 0
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    crawl = sourcecheck(
        "crawl", "--recheck-after", "0", "--replay", str(FIXTURES), "--db", read_only
    )
    assert crawl.returncode == EXIT_STORAGE, (crawl.returncode, crawl.stdout, crawl.stderr)
    errors = [line for line in crawl.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "storage failed" in errors[0] and "readonly" in errors[0]
    assert "Traceback" not in crawl.stderr
    assert _verifications(db) == stored  # nothing lost
    assert not (tmp_path / "file:").exists() and not Path("file:").exists()


def test_run_on_a_read_only_database_fails_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "sc.db"
    assert sourcecheck("db", "upgrade", "--db", str(db)).returncode == 0
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    run = sourcecheck("run", CITING, "--replay", str(FIXTURES), "--db", read_only)
    assert run.returncode == EXIT_STORAGE, (run.returncode, run.stderr)
    assert run.stderr.strip().splitlines()[-1].startswith("error: storage failed")
    assert "Traceback" not in run.stderr
