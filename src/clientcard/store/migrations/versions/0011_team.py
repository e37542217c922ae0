"""A team's book: who did what, handovers, book settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

- `author` on every record a person makes (contact, grade_change, promise, promise_event,
  complaint, complaint_step, sale, key_date, holiday, person, rating_change, client_merge), and
  on client `created_by` and `updated_by`: the user's name. Null for every existing row: who
  made it was not recorded, so it is not guessed (shown as unknown).
- handover: every time a card changes hands (handed over, claimed from the pool, returned to
  the pool, given back), from whom, to whom (null: the pool), when, why, by whom.
- book_setting and book_setting_change: the settings that belong to the book (cadences,
  currency, windows, working hours, pool rules), with who changed each and when.
- ix_client_owner: the cards of one owner (`list --owner`, `due --mine`, `handover --from`).
- Columns are added with ALTER TABLE, nullable and without a default: no table is copied on
  SQLite and no row rewritten on PostgreSQL, so the upgrade takes moments on any book.
- Downgrade: the tables and columns dropped (who did what since 0011 is lost).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTHORED = (
    "contact",
    "grade_change",
    "promise",
    "promise_event",
    "complaint",
    "complaint_step",
    "sale",
    "key_date",
    "holiday",
    "person",
    "rating_change",
    "client_merge",
)


def _name() -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=100)


def upgrade() -> None:
    # op.add_column, not batch mode: SQLite adds a nullable column without copying the table.
    for table in AUTHORED:
        op.add_column(table, sa.Column("author", _name(), nullable=True))
    op.add_column("client", sa.Column("created_by", _name(), nullable=True))
    op.add_column("client", sa.Column("updated_by", _name(), nullable=True))
    op.create_index("ix_client_owner", "client", ["owner"], unique=False)
    op.create_table(
        "handover",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("from_owner", _name(), nullable=True),
        sa.Column("to_owner", _name(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("author", _name(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_handover_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
    )
    op.create_index("ix_handover_client_id_id", "handover", ["client_id", "id"], unique=False)
    op.create_table(
        "book_setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changed_by", _name(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_book_setting")),
    )
    op.create_table(
        "book_setting_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("author", _name(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_setting_change")),
    )


def downgrade() -> None:
    op.drop_table("book_setting_change")
    op.drop_table("book_setting")
    op.drop_index("ix_handover_client_id_id", table_name="handover")
    op.drop_table("handover")
    op.drop_index("ix_client_owner", table_name="client")
    # SQLite drops a column by copying the table: batch mode.
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("updated_by")
        batch_op.drop_column("created_by")
    for table in reversed(AUTHORED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("author")
