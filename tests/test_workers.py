"""Crawl workers sharing one Redis queue and one PostgreSQL database, as separate processes.

Real services (tests/support/services.py: skipped with the reason when unreachable, failed
under SOURCECHECK_REQUIRE_SERVICES=1): each test gets its own scratch PostgreSQL
database and its own Redis key prefix, and removes both. The pages are written here
and served from 127.0.0.1 by testbed/pageserver.py, which counts every request.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.storage.db import make_engine, make_sessions, upgrade
from crawler.storage.models import Quote, Snapshot, Verification
from crawler.storage.store import add_article
from testbed.pageserver import PageServer, article_html, sentences
from tests.support.services import redis_server_url, scratch_postgres_database
from verify.intake import Quotation

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = "<the test Redis>"  # filled in by the test that needs it
PAGES = 30


@dataclass
class Setup:
    server: PageServer
    db_url: str
    redis_url: str
    prefix: str
    quotes: dict[int, str]  # quote id -> the verdict it must get

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
        return {
            **inherited,
            "PYTHONPATH": str(REPO),
            "SOURCECHECK_ALLOW_HOSTS": self.server.host,
            "SOURCECHECK_SETTINGS_MODULE": "tests.support.worker_settings",
            "SOURCECHECK_REDIS_PREFIX": self.prefix,
        }

    def worker(self) -> subprocess.Popen[str]:
        argv = [sys.executable, "-m", "crawler", "crawl", "--json"]
        argv += ["--workers-from", self.redis_url, "--db", self.db_url]
        return subprocess.Popen(
            argv,
            env=self.env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def verdicts(self) -> dict[int, list[str]]:
        engine = make_engine(self.db_url)
        try:
            with make_sessions(engine)() as session:
                rows = session.execute(
                    select(Verification.quote_id, Verification.status).order_by(Verification.id)
                )
                out: dict[int, list[str]] = {q: [] for q in self.quotes}
                for quote_id, status in rows:
                    out[quote_id].append(status)
                return out
        finally:
            engine.dispose()

    def verdicts_per_snapshot(self) -> list[int]:
        engine = make_engine(self.db_url)
        try:
            with make_sessions(engine)() as session:
                query = select(func.count()).select_from(Verification)
                return list(session.execute(query.group_by(Verification.snapshot_id)).scalars())
        finally:
            engine.dispose()

    def count(self, model: type) -> int:
        engine = make_engine(self.db_url)
        try:
            with make_sessions(engine)() as session:
                return session.execute(select(func.count()).select_from(model)).scalar_one()
        finally:
            engine.dispose()

    def redis_keys(self) -> list[bytes]:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            return list(client.scan_iter(match=f"{self.prefix}:*"))
        finally:
            client.close()


def store_quotes(db_url: str, base: str) -> dict[int, str]:
    """Two quotes citing each page: one exact, one with a number changed (altered)."""
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = make_sessions(engine)
    expected: dict[int, str] = {}
    with sessions.begin() as session:
        found = []
        for i in range(PAGES):
            url = f"{base}/news/story-{i}"
            exact = sentences(i)[0]
            altered = sentences(i)[1].replace(str(i + 12), str(i + 13))
            found.append(Quotation(exact, "inline", position=2 * i, url=url))
            found.append(Quotation(altered, "inline", position=2 * i + 1, url=url))
        add_article(session, f"{base}/citing", None, None, found)
        for quote in session.execute(select(Quote).order_by(Quote.position)).scalars():
            expected[quote.id] = "verified" if quote.position % 2 == 0 else "altered"
    engine.dispose()
    return expected


@pytest.fixture
def setup(request: pytest.FixtureRequest) -> Iterator[Setup]:
    redis_url = redis_server_url()
    gate_after = getattr(request, "param", None)
    server = PageServer(
        {f"/news/story-{i}": article_html(i) for i in range(PAGES)}, gate_after=gate_after
    )
    prefix = f"sourcecheck-test-{uuid.uuid4().hex[:10]}"
    try:
        with scratch_postgres_database("sourcecheck_w") as url:
            db_url = url.render_as_string(hide_password=False)
            quotes = store_quotes(db_url, server.base)
            yield Setup(server, db_url, redis_url, prefix, quotes)
    finally:
        server.stop()
        import redis

        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 1, (proc.returncode, err[-3000:])  # some quotes are altered
    return json.loads(out)


def test_two_workers_share_one_queue(setup: Setup) -> None:
    first, second = setup.worker(), setup.worker()
    summaries = [finish(first), finish(second)]
    # Every source fetched exactly once, by one worker or the other.
    assert setup.server.page_hits() == {f"/news/story-{i}": 1 for i in range(PAGES)}
    assert sum(s["sources"] for s in summaries) == PAGES
    assert setup.count(Snapshot) == PAGES
    # Every quote verified exactly once, with the verdict its text deserves.
    assert setup.verdicts() == {q: [status] for q, status in setup.quotes.items()}
    # The run is complete: its queue, duplicate filter and heartbeats are gone.
    assert setup.redis_keys() == []
    # The last worker to leave sums up the whole run.
    assert max(s["statuses"].get("verified", 0) for s in summaries) == PAGES


@pytest.mark.parametrize("setup", [5], indirect=True)  # hold every request after the 5th
def test_a_killed_worker_loses_nothing(setup: Setup) -> None:
    worker = setup.worker()
    deadline = time.monotonic() + 30
    while setup.count(Verification) < 2 or sum(setup.server.page_hits().values()) <= 5:
        assert worker.poll() is None, worker.communicate()
        assert time.monotonic() < deadline, "the worker stored nothing"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)  # with requests in flight, held by the server
    worker.communicate()
    stored_before = setup.count(Verification)
    assert stored_before < len(setup.quotes)
    setup.server.gate.set()

    finish(setup.worker())
    # The restarted worker found what the dead one held and fetched it again.
    hits = setup.server.page_hits()
    assert set(hits) == {f"/news/story-{i}" for i in range(PAGES)}
    assert sum(hits.values()) > PAGES  # the killed worker's in-flight pages, twice
    # Nothing lost, nothing doubled, nothing half-written: each stored fetch holds
    # the verdicts of both quotes that cite its page.
    assert setup.verdicts() == {q: [status] for q, status in setup.quotes.items()}
    assert set(setup.verdicts_per_snapshot()) == {2}
    assert setup.redis_keys() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers-from", "http://127.0.0.1:6379/0"], "not a Redis URL"),
        (
            ["--workers-from", "redis://127.0.0.1:1/0"],
            "cannot reach Redis at redis://127.0.0.1:1/0",
        ),
        (["--workers-from", "redis://127.0.0.1:1/0", "--replay", "fixtures"], "cannot be combined"),
        (
            ["--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "--workers-from", REDIS_URL],
            "cannot open the database postgresql+psycopg://nobody@127.0.0.1:1/x",
        ),
    ],
)
def test_bad_worker_options_are_input_errors(tmp_path: Path, args: list[str], message: str) -> None:
    from tests.support.cli_run import sourcecheck

    args = [redis_server_url() if a == REDIS_URL else a for a in args]
    db = [] if "--db" in args else ["--db", str(tmp_path / "w.db")]
    run = sourcecheck("crawl", *db, *args)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1  # one clear line, no traceback


def test_an_abandoned_run_is_replaced(setup: Setup) -> None:
    """A run left by a worker that died long ago is ended, not finished with its old
    start time and its old queue: a new run feeds everything due now."""
    import redis

    from crawler.storage.models import utcnow

    started = (utcnow() - timedelta(hours=7)).isoformat()
    client = redis.Redis.from_url(setup.redis_url)
    try:
        client.set(f"{setup.prefix}:run", json.dumps({"id": "old", "started": started}))
        stale = json.dumps({"url": f"{setup.server.base}/news/stale", "recover": False})
        client.rpush(f"{setup.prefix}:old:generic:sources", stale)
    finally:
        client.close()
    finish(setup.worker())
    assert setup.server.page_hits() == {f"/news/story-{i}": 1 for i in range(PAGES)}
    assert setup.verdicts() == {q: [status] for q, status in setup.quotes.items()}
    assert setup.redis_keys() == []
