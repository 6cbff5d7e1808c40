"""Alembic environment: runs inside the installed package, driven by crawler.storage.db.

The config is built in code (:func:`crawler.storage.db.alembic_config`), which hands over the
engine it already made, so that SQLite's per-connection pragmas apply to migrations too.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from crawler.storage.db import make_engine
from crawler.storage.models import Base, UTCDateTime
from crawler.storage.shingle_index import include_name

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render model-only types as plain SQLAlchemy ones, so a migration never imports
    crawler.storage.models (a migration must keep working when the models move on)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """``--sql`` mode: print the DDL instead of running it."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
