"""One crawl at a time per database: the lock that makes ``sourcecheck crawl`` cron-safe.

An advisory ``flock`` on a file beside the SQLite database (or, for a server
database, in the user's cache directory, named after the URL). The kernel drops it
when the process dies, so a killed run never leaves a stale lock behind. For
PostgreSQL a session advisory lock is taken as well, so that runs on different
machines sharing one database do not overlap either.

Crawl workers (``sourcecheck crawl --workers-from``) run together by design: they take
the lock *shared*, so that any number of them run at once while a single-process
crawl, which takes it exclusively, waits for them all (and they for it).
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_cache_dir
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from crawler.errors import LockHeld
from crawler.storage.db import is_sqlite_file

# pg_try_advisory_lock takes a bigint: a fixed key for "the sourcecheck crawl".
PG_LOCK_KEY = int.from_bytes(hashlib.sha256(b"sourcecheck crawl").digest()[:7], "big")


def lock_path(url: URL) -> Path:
    if is_sqlite_file(url):
        return Path(f"{url.database}.lock")
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()
    return Path(user_cache_dir("sourcecheck")) / f"crawl-{digest[:16]}.lock"


@contextmanager
def crawl_lock(engine: Engine, shared: bool = False) -> Iterator[Path]:
    """Hold the crawl lock for ``engine``'s database, or raise :class:`LockHeld`.

    ``shared``: a crawl worker's hold, which other workers' shared holds do not block.
    """
    path = lock_path(engine.url)
    path.parent.mkdir(parents=True, exist_ok=True)
    pg_lock = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
    pg_unlock = "pg_advisory_unlock_shared" if shared else "pg_advisory_unlock"
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"another crawl is running (lock {path})") from None
        try:
            if engine.url.get_backend_name() == "postgresql":
                with engine.connect() as conn:
                    got = conn.execute(text(f"SELECT {pg_lock}(:k)"), {"k": PG_LOCK_KEY})
                    if not got.scalar():
                        raise LockHeld("another crawl is running (PostgreSQL advisory lock)")
                    try:
                        yield path
                    finally:
                        conn.execute(text(f"SELECT {pg_unlock}(:k)"), {"k": PG_LOCK_KEY})
            else:
                yield path
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
