"""The search index of stored snapshots (``sourcecheck find``): word-shingle tokens.

SQLite: a contentless FTS5 table (``detail=none``, no column sizes: postings only).
PostgreSQL: an ``int4[]`` of the tokens per snapshot with a GIN index, deleted with
its snapshot by cascade. The tokens are made in Python (``crawler.storage.search``), so
this migration creates the structures empty: ``sourcecheck index rebuild`` fills them
for snapshots stored before it.

Revision ID: 0005_find_index
Revises: 0004_attribution
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_find_index"
down_revision: str | None = "0004_attribution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE snapshot_find USING fts5("
            "tokens, content='', detail=none, columnsize=0)"
        )
        return
    op.create_table(
        "snapshot_find",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("tokens", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_snapshot_find_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", name="pk_snapshot_find"),
    )
    # A small pending list: GIN's fast update keeps new entries in an unsorted list that
    # every search reads whole; at the default 4 MB a lookup read 518 pages (60 ms a
    # search), at 256 kB it reads a few and is flushed into the tree more often.
    op.create_index(
        "ix_snapshot_find_tokens",
        "snapshot_find",
        ["tokens"],
        postgresql_using="gin",
        postgresql_with={"fastupdate": "on", "gin_pending_list_limit": 256},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE snapshot_find")
        return
    op.drop_index("ix_snapshot_find_tokens", table_name="snapshot_find")
    op.drop_table("snapshot_find")
