"""Migrations build the schema the models describe, on SQLite and PostgreSQL, and the
CLI applies the documented upgrade policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, Table, inspect
from sqlalchemy.engine import URL

from crawler.cli import main
from crawler.storage.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    resolve_url,
    upgrade,
)
from crawler.storage.models import Base
from tests.support.services import scratch_postgres_database

TABLES = {"articles", "quotes", "sources", "snapshots", "verifications"}


def _head() -> str:
    """The newest revision (the chain grows as migrations are added)."""
    engine = make_engine(resolve_url("sqlite://"))
    try:
        return str(head_revision(engine))
    finally:
        engine.dispose()


def drift(engine: Engine, metadata: MetaData = Base.metadata) -> list:
    """What `alembic check` would report: differences between the db and the models."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def assert_migrates_without_drift(engine: Engine) -> None:
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine) is not None
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert drift(engine) == []
    # The comparison itself can fail: a model column the migration lacks is drift.
    extended = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(extended)
    Table("quotes", extended, Column("extra", Integer), extend_existing=True)
    assert [d[0] for d in drift(engine, extended)] == ["add_column"]
    command.downgrade(alembic_config(engine), "base")  # removes everything it made
    assert not TABLES & set(inspect(engine).get_table_names())


def test_migrations_on_empty_sqlite(tmp_path: Path) -> None:
    engine = make_engine(resolve_url(str(tmp_path / "fresh.db")))
    try:
        assert_migrates_without_drift(engine)
    finally:
        engine.dispose()


def test_migrations_on_empty_postgresql() -> None:
    with scratch_postgres_database() as url:
        engine = make_engine(url)
        try:
            assert_migrates_without_drift(engine)
        finally:
            engine.dispose()


def test_sqlite_pragmas_are_on(tmp_path: Path) -> None:
    engine = make_engine(resolve_url(str(tmp_path / "p.db")))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        engine.dispose()


def test_resolve_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCECHECK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = resolve_url(None)
    assert default.get_backend_name() == "sqlite"
    assert default.database == str(tmp_path / "xdg" / "sourcecheck" / "sourcecheck.db")
    monkeypatch.setenv("SOURCECHECK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    assert resolve_url("rel.db").database == str(Path("rel.db").resolve())  # --db wins
    pg = resolve_url("postgresql+psycopg://u:p%40ss@db.example/sc")
    assert (pg.drivername, pg.password, pg.database) == ("postgresql+psycopg", "p@ss", "sc")


def test_cli_upgrades_a_new_sqlite_file_by_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep" / "dir" / "auto.db"
    assert main(["db", "current", "--db", str(path)]) == 0
    assert "empty" in capsys.readouterr().out
    assert not path.exists()  # looking does not create
    assert main(["report", "--db", str(path), "--format", "json"]) == 0
    assert '"quotes": []' in capsys.readouterr().out
    assert main(["db", "current", "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{_head()} (newest)"


def test_db_upgrade_command_and_the_shared_db_policy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A PostgreSQL database is never migrated behind the operator's back."""
    with scratch_postgres_database() as url:
        shown = url.render_as_string(hide_password=False)
        assert main(["report", "--db", shown]) == 2
        err = capsys.readouterr().err
        assert "sourcecheck db upgrade" in err and err.count("\n") == 1
        assert main(["db", "upgrade", "--db", shown]) == 0
        assert f"empty -> {_head()}" in capsys.readouterr().err
        assert main(["db", "upgrade", "--db", shown]) == 0
        assert f"already at revision {_head()}" in capsys.readouterr().err
        assert main(["report", "--db", shown]) == 0


def test_unreachable_or_bad_database_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    closed_port = URL.create("postgresql+psycopg", username="x", host="127.0.0.1", port=9)
    bad = closed_port.render_as_string(hide_password=False) + "/nope?connect_timeout=2"
    assert main(["report", "--db", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot open the database") and err.count("\n") == 1
    assert main(["report", "--db", "nosuchdriver://x/y"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_a_database_from_a_newer_version_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.db"
    engine = make_engine(resolve_url(str(path)))
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    assert main(["report", "--db", str(path)]) == 2
    assert "revision 9999, which this version of sourcecheck does not know" in (
        capsys.readouterr().err
    )
