"""Snapshots say whether they came from the live site or the archive; verifications
keep what the archive showed (findings).

Revision ID: 0003_archive
Revises: 0002_discovery
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_archive"
# The initial schema's revision id is "0001" (file 0001_initial.py); the lead re-chains.
down_revision: str | None = "0002_discovery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(length=16), server_default="live", nullable=False)
        )
        batch.add_column(sa.Column("archive_url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("verifications") as batch:
        batch.add_column(sa.Column("findings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verifications") as batch:
        batch.drop_column("findings")
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("captured_at")
        batch.drop_column("archive_url")
        batch.drop_column("origin")
