"""First visits, when a follow-up was due, and indexes for the activity report

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

- client.first_visit_at: the card's first contact by a visit channel (`visit` or `meeting`,
  domain/agenda.py VISIT_CHANNELS as they are today, written here so this migration keeps
  its meaning), null when it was never visited; filled from the contacts by one UPDATE.
  Indexed: `report activity` counts the cards first visited in a period.
- contact.due_by: when a sales follow-up was due (the next local midnight after the card's
  next follow-up day as it stood when the contact was logged), null. Null for every existing
  contact: what was due when it was logged is not recorded anywhere, so it is not guessed.
- ix_contact_via_greeting_at_due_by: a period's contacts of each channel and kind (sales or
  greeting) are counted per week or month by index ranges, their timeliness from the index
  alone (ix_contact_at stays: `contacts` lists the newest first by it).
- ix_client_archived: the archived cards' ids, a partial index (archived_at IS NOT NULL), so
  that a period's key dates of live cards are the book's less the archived cards' few.
- ix_grade_change_client_id_changed_at replaces ix_grade_change_client_id (its prefix): a
  card's grade at a moment is one indexed probe.
- ix_client_ladder replaces ix_client_grade (its prefix): the cards by grade with what the
  reports count of each (archived_at, first_sale_at, last_visit_at, created_at,
  last_contact_at), so `report funnel`, `movement` and `stale` count from the index, not the
  cards' rows.
- ix_grade_change_changed_at: a period's grade changes with their card and grades, from the
  index alone (`report movement`).
- Columns are added with ALTER TABLE (no table copy on SQLite). On the benchmark book of
  100,000 cards and about a million contacts the whole upgrade takes a few seconds
  (docs/performance.md).
- Downgrade: the columns dropped (due dates recorded since are lost), the old grade_change
  index back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("first_visit_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_by", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE client SET first_visit_at = (SELECT min(contact.at) FROM contact"
        " WHERE contact.client_id = client.id AND contact.via IN ('visit', 'meeting'))"
        " WHERE client.last_visit_at IS NOT NULL"
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_first_visit_at"), ["first_visit_at"], unique=False
        )
    op.create_index(
        "ix_client_archived",
        "client",
        ["id"],
        unique=False,
        sqlite_where=sa.text("archived_at IS NOT NULL"),
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_via_greeting_at_due_by", ["via", "greeting", "at", "due_by"], unique=False
        )
    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grade_change_client_id"))
        batch_op.create_index(
            "ix_grade_change_client_id_changed_at", ["client_id", "changed_at"], unique=False
        )
        batch_op.create_index(
            "ix_grade_change_changed_at",
            ["changed_at", "client_id", "from_grade", "to_grade"],
            unique=False,
        )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_grade")
        batch_op.create_index(
            "ix_client_ladder",
            [
                "grade",
                "archived_at",
                "first_sale_at",
                "last_visit_at",
                "created_at",
                "last_contact_at",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_ladder")
        batch_op.create_index("ix_client_grade", ["grade"], unique=False)
    with op.batch_alter_table("grade_change", schema=None) as batch_op:
        batch_op.drop_index("ix_grade_change_changed_at")
        batch_op.drop_index("ix_grade_change_client_id_changed_at")
        batch_op.create_index(batch_op.f("ix_grade_change_client_id"), ["client_id"], unique=False)
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_via_greeting_at_due_by")
        batch_op.drop_column("due_by")
    op.drop_index("ix_client_archived", table_name="client")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_first_visit_at"))
        batch_op.drop_column("first_visit_at")
