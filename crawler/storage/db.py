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
import re
import stat
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
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
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
        if re.match(r"[^/\\]*:", value):
            # "::::" or "postgres:x": a mistyped URL, not a file to create in the cwd
            raise InputError(
                f"not a database URL or path: {value} (a URL needs scheme://; "
                "write a file whose name has a colon as ./NAME)"
            )
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


SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_file_state(path: str) -> str:
    """``missing``, ``empty``, ``sqlite`` or what else is at a SQLite database path.

    Read before SQLite opens the file: SQLite would block on a FIFO, read a device,
    and answer a text file with "file is not a database" only at the first query.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"  # (its folder too: creating it then says why it cannot be)
    except OSError as exc:
        raise InputError(f"cannot open the database {path}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a regular file"
        head = os.read(fd, len(SQLITE_MAGIC))
    finally:
        os.close(fd)
    if not head:
        return "empty"
    return "sqlite" if head == SQLITE_MAGIC else "not a SQLite file"


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    """An engine for URL, with SQLite made safe for a shared file."""
    url = make_url(url) if isinstance(url, str) else url
    try:
        if url.get_backend_name() == "sqlite":
            if is_sqlite_file(url) and url.query.get("uri") not in ("true", "1"):
                state = sqlite_file_state(url.database or "")
                if state not in ("missing", "empty", "sqlite"):
                    raise InputError(f"not a sourcecheck database ({state}): {url.database}")
            if is_sqlite_file(url) and url.query.get("uri") not in ("true", "1"):
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
        else:
            engine = create_engine(url, pool_pre_ping=True, **kwargs)
        return engine
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


def known_revisions(engine: Engine) -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    return {script.revision for script in scripts.walk_revisions()}


def check_revision_known(engine: Engine, current: str | None) -> None:
    """InputError when the database is at a revision this version has no script for."""
    if current is not None and current not in known_revisions(engine):
        raise InputError(
            f"the database {describe(engine)} is at schema revision {current}, which this "
            "version of sourcecheck does not know: it was made by a newer sourcecheck; "
            "upgrade sourcecheck to use it"
        )


def foreign_tables(engine: Engine) -> list[str]:
    """Tables in a database with no sourcecheck revision: someone else's data."""
    from crawler.storage.models import Base

    ours = set(Base.metadata.tables) | {"alembic_version"}
    names = inspect(engine).get_table_names()
    return sorted(n for n in names if n not in ours and not n.startswith("sqlite_"))


def refuse_foreign(engine: Engine, current: str | None) -> None:
    """InputError for a database with no sourcecheck revision that holds other tables."""
    if current is None and (other := foreign_tables(engine)):
        raise InputError(
            f"not a sourcecheck database: {describe(engine)} holds other tables "
            f"({', '.join(other[:3])}); nothing done"
        )


def ensure_schema(engine: Engine, create: bool = True) -> None:
    """Apply the upgrade policy of this module's docstring before any command uses the db.

    A file SQLite cannot read, or a database holding other tables and no sourcecheck
    revision, is "not a sourcecheck database" (exit 2): it is never migrated into.
    Without ``create`` (commands that only read), an empty SQLite database is "no
    database" rather than migrated: migrating is a write.
    """
    try:
        current = current_revision(engine)
        refuse_foreign(engine, current)
        if current is None and not create and is_sqlite_file(engine.url):
            raise InputError(f"no database at {describe(engine)} (it holds no sourcecheck data)")
    except OperationalError:
        raise  # unreachable, locked, read-only: the caller says so
    except DatabaseError as exc:
        raise InputError(
            f"not a sourcecheck database, or a damaged one: {describe(engine)}: "
            f"{_first_line(exc)} (see `sourcecheck db check`)"
        ) from None
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if current == scripts.get_current_head():
        return
    check_revision_known(engine, current)
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


def sqlite_file_missing(url: URL) -> bool:
    """True when URL names a SQLite file that does not exist (SQLite would create it).

    A ``file:`` URI (``?uri=true``) is left to SQLite: its ``mode=ro`` never creates.
    """
    if not is_sqlite_file(url) or url.query.get("uri") in ("true", "1"):
        return False
    return not Path(url.database or "").exists()


@contextmanager
def open_existing_db(value: str | None = None) -> Iterator[Store]:
    """For commands that only read (``report``, ``find``): never create a database.

    A missing SQLite file (or its folder), or a database with no sourcecheck schema in
    it, is an input error ("no database at ..."), where :func:`open_store` would create
    and migrate one.
    """
    url = resolve_url(value)
    if sqlite_file_missing(url) or (
        is_sqlite_file(url) and sqlite_file_state(url.database or "") == "empty"
    ):
        raise InputError(f"no database at {url.database}")
    engine = make_engine(url)
    try:
        with database_errors(engine):
            ensure_schema(engine, create=False)
        yield Store(engine, make_sessions(engine))
    finally:
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


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]
