"""Who the source says spoke each verified or altered quote (issue 12).

Three nullable columns on verifications: ``attribution_status`` (same, different,
source_voice, unknown), ``source_speaker`` and ``attribution_evidence``. Rows stored
before have none: their speaker was never checked.

Revision ID: 0004_attribution
Revises: 0002_discovery
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_attribution"
# The initial migration's revision id is "0001" (file 0001_initial.py); the lead
# re-chains this one after the migrations merged before it.
down_revision: str | None = "0002_discovery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verifications") as batch:
        batch.add_column(sa.Column("attribution_status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("source_speaker", sa.Text(), nullable=True))
        batch.add_column(sa.Column("attribution_evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verifications") as batch:
        batch.drop_column("attribution_evidence")
        batch.drop_column("source_speaker")
        batch.drop_column("attribution_status")
