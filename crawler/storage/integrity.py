"""``sourcecheck db check``: ask the database itself whether it is intact.

SQLite has its own full check (``PRAGMA integrity_check``: every page, index and
constraint); PostgreSQL keeps its own consistency and has no cheap equivalent short
of the ``amcheck`` extension (which needs superuser rights to install), so for it, and
for both, what is checked here is what sourcecheck relies on: a schema revision this
version knows, every table of the schema present, and every table readable to its end.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from crawler.storage import db as dbmod
from crawler.storage.models import Base

# SQLite stops listing after this many problems; one is enough to say "damaged".
MAX_PROBLEMS = 20


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]


def check_database(engine: Engine) -> list[str]:
    """The problems found in the database (empty when it is intact).

    Raises :class:`crawler.errors.InputError` when it cannot be reached, is not a
    sourcecheck database, or was made by a newer version: that is not damage.
    """
    problems: list[str] = []
    try:
        if engine.url.get_backend_name() == "sqlite":
            with engine.connect() as conn:
                rows = conn.execute(text(f"PRAGMA integrity_check({MAX_PROBLEMS})")).scalars()
                problems += [f"integrity_check: {r}" for r in rows if r != "ok"]
            if problems:
                return problems
        current = dbmod.current_revision(engine)
        dbmod.check_revision_known(engine, current)
        dbmod.refuse_foreign(engine, current)
        if current is None:
            return ["no sourcecheck schema in this database (sourcecheck db upgrade creates it)"]
        present = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    problems.append(f"table {table.name} is missing")
                    continue
                conn.execute(select(func.count()).select_from(table)).scalar_one()
    except OperationalError as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc).lower():
            return [f"the database cannot be read: {_first_line(exc)}"]
        raise
    except DatabaseError as exc:  # "database disk image is malformed" and the like
        return [f"the database cannot be read: {_first_line(exc)}"]
    return problems
