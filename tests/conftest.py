"""Shared fixtures: a migrated database on each backend (SQLite always, PostgreSQL when
reachable; see tests/support/services.py for the skip-or-fail rule)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from crawler.storage.db import make_engine, make_sessions, upgrade
from crawler.storage.models import Base
from tests.support.services import scratch_postgres_database


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """A scratch PostgreSQL database for this test session, migrated to head."""
    with scratch_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A session factory on an empty, migrated database, once per backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        upgrade(engine)
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    try:
        yield make_sessions(engine)
    finally:
        engine.dispose()
