"""Discoveries: the search for each quote's source when the article gives no link.

Revision ID: 0002_discovery
Revises: 0001
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_discovery"
# The initial migration's revision id is "0001" (its file is 0001_initial.py).
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "discoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("searched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by", sa.String(length=32), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("window_from", sa.String(length=10), nullable=True),
        sa.Column("window_to", sa.String(length=10), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_discoveries_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discoveries")),
    )
    op.create_index(
        "ix_discoveries_quote_id_searched_at",
        "discoveries",
        ["quote_id", "searched_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_discoveries_quote_id_searched_at", table_name="discoveries")
    op.drop_table("discoveries")
