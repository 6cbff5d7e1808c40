"""``sourcecheck db``: create and upgrade the database schema, show its revision."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.exc import DatabaseError, OperationalError

from crawler.errors import EXIT_DB_DAMAGED, InputError
from crawler.storage import db as dbmod

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    """The ``--db`` option every storage command shares."""
    return click.option(
        "--db",
        "db_url",
        metavar="PATH|URL",
        envvar=dbmod.ENV_VAR,
        show_envvar=True,
        help=(
            "The database: a SQLite file path or a SQLAlchemy URL such as "
            "postgresql+psycopg://user@host/db. Default: sourcecheck.db in the user's "
            "data directory."
        ),
    )(func)


@click.group("db")
def db_group() -> None:
    """Create, upgrade and inspect the database schema.

    \b
    A SQLite file is upgraded automatically whenever a command opens it. A shared
    database (PostgreSQL) is upgraded only by `sourcecheck db upgrade`, once, by
    whoever deploys a new version, before the workers start.

    \b
    Examples:
      sourcecheck db current
      sourcecheck db upgrade --db postgresql+psycopg://postgres@127.0.0.1/sourcecheck
    """


def _unreadable(engine: Any, exc: DatabaseError) -> InputError:
    """What a command on the database says when it cannot use it: one line, exit 2."""
    first = str(exc.orig or exc).strip().splitlines()[0]
    if isinstance(exc, OperationalError) and "malformed" not in first:
        return InputError(f"cannot open the database {dbmod.describe(engine)}: {first}")
    return InputError(
        f"not a sourcecheck database, or a damaged one: {dbmod.describe(engine)}: {first} "
        "(see `sourcecheck db check`)"
    )


@db_group.command("upgrade")
@db_option
def upgrade_cmd(db_url: str | None) -> None:
    """Upgrade the database schema to the newest revision (creating it if empty).

    \b
    Examples:
      sourcecheck db upgrade
      sourcecheck db upgrade --db postgresql+psycopg://postgres@127.0.0.1/sourcecheck
    """
    engine = dbmod.make_engine(dbmod.resolve_url(db_url))
    try:
        before = dbmod.current_revision(engine)
        dbmod.check_revision_known(engine, before)
        dbmod.refuse_foreign(engine, before)
        dbmod.upgrade(engine)
        after = dbmod.current_revision(engine)
    except DatabaseError as exc:
        raise _unreadable(engine, exc) from None
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"{dbmod.describe(engine)}: already at revision {after}", err=True)
    else:
        click.echo(f"{dbmod.describe(engine)}: upgraded {before or 'empty'} -> {after}", err=True)


@db_group.command("current")
@db_option
def current_cmd(db_url: str | None) -> None:
    """Print the database's schema revision and whether it is the newest.

    \b
    Example:
      sourcecheck db current --db ~/sourcecheck.db
    """
    url = dbmod.resolve_url(db_url)
    if dbmod.sqlite_file_missing(url):
        click.echo(f"empty (no database file at {url.database})")  # do not create one
        return
    engine = dbmod.make_engine(url)
    try:
        current = dbmod.current_revision(engine)
        dbmod.check_revision_known(engine, current)
        dbmod.refuse_foreign(engine, current)
        head = dbmod.head_revision(engine)
    except DatabaseError as exc:
        raise _unreadable(engine, exc) from None
    finally:
        engine.dispose()
    state = "newest" if current == head else f"needs upgrade to {head}"
    click.echo(f"{current or 'empty'} ({state})")


@db_group.command("check")
@db_option
def check_cmd(db_url: str | None) -> None:
    """Run the database's own integrity check and report any damage.

    SQLite: PRAGMA integrity_check. Both backends: the schema revision is known and
    every table is present and readable to its end.

    \b
    Example:
      sourcecheck db check --db ~/sourcecheck.db

    Exit status: 0 intact, 2 bad input (no database there, not a sourcecheck
    database, made by a newer sourcecheck, unreachable), 6 damage found (restore
    from a backup; the lines printed say what is damaged).
    """
    from crawler.storage.integrity import check_database

    url = dbmod.resolve_url(db_url)
    if dbmod.sqlite_file_missing(url):
        raise InputError(f"no database at {url.database}")
    engine = dbmod.make_engine(url)
    try:
        problems = check_database(engine)
    except OperationalError as exc:
        raise _unreadable(engine, exc) from None
    finally:
        engine.dispose()
    if problems:
        for line in problems:
            click.echo(f"{dbmod.describe(engine)}: {line}")
        click.echo(f"{dbmod.describe(engine)}: damaged ({len(problems)} problem(s))", err=True)
        sys.exit(EXIT_DB_DAMAGED)
    click.echo(f"{dbmod.describe(engine)}: ok")
