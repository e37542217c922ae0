"""Lunar occasions and holidays (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

- key_date.lunar, key_date.leap: a lunar (农历) key date, its month, day and year lunar, in a
  leap month (闰月) or not. False for every existing row (they are solar).
- holiday: yearly holidays (`holiday add --lunar`, `--yearly`, `--preset cn`). `on` becomes
  nullable (null: a yearly holiday); yearly (solar | lunar | qingming), month, day, leap say
  its rule. Existing holidays keep their day and have no rule.
- The boolean columns are added NOT NULL with a constant default: SQLite adds them without
  copying the table, PostgreSQL without rewriting it. Making `holiday.on` nullable copies that
  small table on SQLite (batch mode).
- Downgrade: the yearly holidays are deleted (an older clientcard cannot read them), then the
  columns dropped; lunar key dates are deleted too (their month and day are not solar).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    op.add_column("key_date", _flag("lunar"))
    op.add_column("key_date", _flag("leap"))
    with op.batch_alter_table("holiday", schema=None) as batch_op:
        batch_op.alter_column("on", existing_type=sa.Date(), nullable=True)
        batch_op.add_column(
            sa.Column("yearly", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True)
        )
        batch_op.add_column(sa.Column("month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("day", sa.Integer(), nullable=True))
        batch_op.add_column(_flag("leap"))


def downgrade() -> None:
    op.execute('DELETE FROM holiday WHERE "on" IS NULL')
    op.execute("DELETE FROM key_date WHERE lunar")
    with op.batch_alter_table("holiday", schema=None) as batch_op:
        batch_op.drop_column("leap")
        batch_op.drop_column("day")
        batch_op.drop_column("month")
        batch_op.drop_column("yearly")
        batch_op.alter_column("on", existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table("key_date", schema=None) as batch_op:
        batch_op.drop_column("leap")
        batch_op.drop_column("lunar")
