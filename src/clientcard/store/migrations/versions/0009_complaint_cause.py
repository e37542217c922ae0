"""Complaints' cause and responsibility

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

- complaint.cause: one of the configured causes (`complaint.causes`: product, delivery,
  service...), null until someone says why it happened.
- complaint.cause_note: the cause in the user's own words, null.
- complaint.responsibility: who was responsible, `us`, `company`, `partner`, `client` or
  `unknown`; not null. Every existing complaint gets `unknown` (nobody said), written by the
  column's server default while it is added, which is then dropped: the application writes the
  value itself, as for every column.
- On SQLite the complaint table is copied once (batch mode, for the dropped default); there are
  few complaints (about 1,500 on a book of 100,000 cards), so it is quick.
- Downgrade: the three columns dropped (what they said is lost).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cause_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "responsibility",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="unknown",
            )
        )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.alter_column(
            "responsibility",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=10),
            existing_nullable=False,
            server_default=None,
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_column("responsibility")
        batch_op.drop_column("cause_note")
        batch_op.drop_column("cause")
