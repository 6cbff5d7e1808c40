"""Damaged, foreign and newer databases are input errors, never internal errors.

Random bytes, a text file or someone else's SQLite database as --db: "not a sourcecheck
database" (exit 2). A database from a newer version: "made by a newer sourcecheck"
(exit 2) from every command, db current and db upgrade included. `db check` runs the
database's own integrity check and exits 6 on damage.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.errors import EXIT_DB_DAMAGED, EXIT_INPUT
from crawler.storage.db import make_engine, upgrade
from tests.support.cli_run import sourcecheck

ARTICLE = "fixtures/pages/citing-article.txt"


def _commands(db: str) -> list[tuple[str, ...]]:
    return [
        ("report", "--db", db),
        ("crawl", "--db", db),
        ("run", ARTICLE, "--db", db),
        ("db", "current", "--db", db),
        ("db", "upgrade", "--db", db),
        ("db", "check", "--db", db),
    ]


def _one_line_exit_2(args: tuple[str, ...], expected: str) -> None:
    run = sourcecheck(*args, timeout=60)
    assert run.returncode == EXIT_INPUT, (args, run.returncode, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], (args, lines)


@pytest.mark.parametrize("kind", ["random", "text", "foreign"])
def test_not_a_sourcecheck_database(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "x.db"
    if kind == "random":
        db.write_bytes(os.urandom(8192))
    elif kind == "text":
        db.write_text("just some notes\n" * 100, "utf-8")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    before = db.read_bytes()
    # crawl and run start the most: once (random bytes) is enough for them
    commands = _commands(str(db))
    for args in commands if kind == "random" else commands[3:] + commands[:1]:
        _one_line_exit_2(args, "not a sourcecheck database")
    if kind == "foreign":  # refused, never migrated into (SQLite may set its journal mode)
        with sqlite3.connect(db) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
        assert names == ["invoices"]
    else:
        assert db.read_bytes() == before


def _newer(path: Path) -> str:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    return str(path)


def test_a_database_from_a_newer_version(tmp_path: Path) -> None:
    db = _newer(tmp_path / "new.db")
    for args in _commands(db):
        _one_line_exit_2(args, "made by a newer sourcecheck")


def test_a_newer_postgres_database(postgres_url: object) -> None:
    from sqlalchemy.engine import URL

    assert isinstance(postgres_url, URL)
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        was = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    try:
        shown = postgres_url.render_as_string(hide_password=False)
        for args in (("report", "--db", shown), ("db", "current", "--db", shown)):
            _one_line_exit_2(args, "made by a newer sourcecheck")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": was})
        engine.dispose()


def test_db_check_finds_damage(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
        conn.execute("CREATE INDEX filler_x ON filler (x)")
    ok = sourcecheck("db", "check", "--db", str(db))
    assert ok.returncode == 0 and ok.stdout.strip().endswith(": ok"), ok.stdout + ok.stderr
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # trample pages past the header
        data[offset + 8 : offset + 400] = os.urandom(392)
    db.write_bytes(bytes(data))
    bad = sourcecheck("db", "check", "--db", str(db))
    assert bad.returncode == EXIT_DB_DAMAGED, (bad.returncode, bad.stdout, bad.stderr)
    assert "damaged" in bad.stderr and "Traceback" not in bad.stderr


def test_db_check_on_postgres(postgres_url: object) -> None:
    from sqlalchemy.engine import URL

    assert isinstance(postgres_url, URL)
    run = sourcecheck("db", "check", "--db", postgres_url.render_as_string(hide_password=False))
    assert run.returncode == 0 and run.stdout.strip().endswith(": ok"), run.stdout + run.stderr
