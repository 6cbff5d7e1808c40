"""Where the data lives: database URLs, engines, sessions and schema upgrades.

The database is a SQLite file in the user's data directory unless ``--db`` or the
``SOURCECHECK_DB`` environment variable names another: a file path or any SQLAlchemy
URL (``postgresql+psycopg://user@host/db`` for PostgreSQL, with the ``postgres`` extra).

Upgrade policy: a SQLite *file* is upgraded to the newest schema automatically when the
CLI opens it (new or older): it belongs to one user and one machine. Any other database
(PostgreSQL, shared by several workers) is upgraded only by ``sourcecheck db upgrade``,
run once by whoever deploys: workers racing to migrate a shared schema is how schemas
break. Opening such a database at an older revision is an input error (exit 2) that
names the command to run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.errors import InputError

ENV_VAR = "SOURCECHECK_DB"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a cron job and a person at a terminal share the file


def default_db_path() -> Path:
    return Path(user_data_dir("sourcecheck")) / "sourcecheck.db"


def resolve_url(value: str | None = None) -> URL:
    """The database URL for ``--db`` VALUE, else ``$SOURCECHECK_DB``, else the default file.

    A value without ``://`` is a file path for SQLite.
    """
    value = value or os.environ.get(ENV_VAR) or None
    if value is None:
        path = default_db_path()
    elif "://" not in value:
        path = Path(value).expanduser()
    else:
        try:
            return make_url(value)
        except ArgumentError:
            raise InputError(f"not a database URL or path: {value}") from None
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def is_sqlite_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Per connection: SQLite forgets these. Foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (a report) run while the crawl writes. It is a property of the
    # file, so setting it once per connection is cheap and idempotent.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    """An engine for URL, with SQLite made safe for a shared file."""
    url = make_url(url) if isinstance(url, str) else url
    try:
        if url.get_backend_name() == "sqlite":
            if is_sqlite_file(url):
                folder = Path(url.database or "").parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise InputError(
                        f"cannot create the database folder {folder}: {exc.strerror or exc}"
                    ) from None
            engine = create_engine(url, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            if is_sqlite_file(url):
                event.listen(engine, "connect", _sqlite_wal)
            return engine
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        hint = " (install sourcecheck[postgres])" if url.get_backend_name() == "postgresql" else ""
        raise InputError(f"no database driver for {url.drivername}{hint}: {exc}") from None


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: objects stay readable after a unit of work commits, so the
    # crawl job can keep using the quotes it loaded.
    return sessionmaker(engine, expire_on_commit=False)


# --- migrations -------------------------------------------------------------------------


def alembic_config(engine: Engine) -> Config:
    """An Alembic config built in code: works from an installed package, no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(files("crawler") / "storage" / "migrations"))
    # configparser interpolation: a literal % in a password must be doubled.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine) -> None:
    """Apply the upgrade policy of this module's docstring before any command uses the db."""
    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if current == scripts.get_current_head():
        return
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise InputError(
            f"the database {describe(engine)} is at schema revision {current}, which this "
            "version of sourcecheck does not know: it was made by a newer version"
        )
    if is_sqlite_file(engine.url) or engine.url.get_backend_name() == "sqlite":
        upgrade(engine)
        return
    shown = describe(engine)
    raise InputError(
        f"the database {shown} is not at the current schema: "
        f"run `sourcecheck db upgrade --db {shown}` first"
    )


@dataclass(frozen=True)
class Store:
    """One opened database for a whole run: one engine (a connection pool) and its sessions.

    The crawl's store pipelines use the same engine when they run in the process that
    opened it (:func:`engine_for`), so a run builds one pool and checks the schema once.
    """

    engine: Engine
    sessions: sessionmaker[Session]

    def describe(self) -> str:
        return describe(self.engine)


# The stores open in this process, by URL: what :func:`engine_for` hands out.
_OPEN: dict[str, Engine] = {}


@contextmanager
def open_store(value: str | None = None) -> Iterator[Store]:
    """The application's way in: resolve ``--db``, apply the upgrade policy, yield the store."""
    engine = make_engine(resolve_url(value))
    key = engine.url.render_as_string(hide_password=False)
    try:
        with database_errors(engine):
            ensure_schema(engine)
        _OPEN[key] = engine
        yield Store(engine, make_sessions(engine))
    finally:
        if _OPEN.get(key) is engine:
            del _OPEN[key]
        engine.dispose()


def engine_for(url: str) -> tuple[Engine, bool]:
    """The open store's engine for ``url`` in this process, else a new one; and whether
    it is new (then the caller disposes of it). A Scrapyd job or a worker process has
    no open store and builds its own."""
    if (engine := _OPEN.get(url)) is not None:
        return engine, False
    return make_engine(url), True


@contextmanager
def database_errors(engine: Engine) -> Iterator[None]:
    """The one place where a database that cannot be opened becomes bad input (exit 2)."""
    try:
        yield
    except OperationalError as exc:
        shown = describe(engine)
        raise InputError(f"cannot open the database {shown}: {_first_line(exc)}") from None


def describe(engine: Engine) -> str:
    """The database's URL with any password hidden: safe to print."""
    return engine.url.render_as_string(hide_password=True)


def _first_line(exc: OperationalError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]
