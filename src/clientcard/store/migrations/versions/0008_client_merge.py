"""Merged cards: the client_merge table

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

- client_merge: one row per card merged into another (`clientcard merge KEEP OTHER`): the kept
  card (client_id, ON DELETE CASCADE), the merged card's id and name, when, the fields taken
  from it, the values that did not win, from either card (JSON) and how many records moved (JSON).
  A new table: no existing row changes.
- Downgrade: the table dropped (the merges' record with it; the merged records stay moved).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_merge",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("merged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("taken", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("dropped", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("moved", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_client_merge_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_merge")),
    )
    with op.batch_alter_table("client_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_merge_client_id"), ["client_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("client_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_merge_client_id"))
    op.drop_table("client_merge")
