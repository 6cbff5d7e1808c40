"""``sourcecheck db``: create and upgrade the database schema, show its revision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

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
        with dbmod.database_errors(engine):
            before = dbmod.current_revision(engine)
            dbmod.upgrade(engine)
            after = dbmod.current_revision(engine)
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
    if dbmod.is_sqlite_file(url) and not Path(url.database or "").exists():
        click.echo(f"empty (no database file at {url.database})")  # do not create one
        return
    engine = dbmod.make_engine(url)
    try:
        with dbmod.database_errors(engine):
            current = dbmod.current_revision(engine)
            head = dbmod.head_revision(engine)
    finally:
        engine.dispose()
    state = "newest" if current == head else f"needs upgrade to {head}"
    click.echo(f"{current or 'empty'} ({state})")
