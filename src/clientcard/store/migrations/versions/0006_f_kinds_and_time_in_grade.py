"""F in two kinds and time in grade: the first visit's own rhythm, and an index on graded_at

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

- A never-visited F card (no contact by visit or meeting: client.last_visit_at is null) now
  comes due for its first visit on its own cadence, `cadence.F-new` (30 days by default), not on
  the F cadence (180). The cards of that kind whose next follow-up follows the cadence
  (followup_kind `cadence`) get it recomputed: the day of their last sales contact
  (followed_up_at), else the day they were added, in the zone this migration runs in (the
  user's: TZ, else the system's), plus 30 days. Dates the user set (explicit, recheck) stay.
- ix_client_graded_at, for `list --sort in-grade`.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from clientcard.clock import local_tz

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# cadence.F-new's default when this migration was written; the setting did not exist before,
# so no book has another value yet (a later `config set cadence.F-new` reschedules the cards).
F_NEW_DAYS = 30


def _moment(value: Any) -> datetime:
    """A stored moment, aware UTC: PostgreSQL hands back datetimes, SQLite text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index("ix_client_graded_at", ["graded_at"], unique=False)
    zone = local_tz()
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT id, followed_up_at, created_at FROM client WHERE id > :last"
                " AND grade = 'F' AND last_visit_at IS NULL AND followup_kind = 'cadence'"
                f" ORDER BY id LIMIT {BATCH}"
            ),
            {"last": last},
        ).all()
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        for key, followed_up_at, created_at in rows:
            base = _moment(followed_up_at if followed_up_at is not None else created_at)
            day: date = base.astimezone(zone).date() + timedelta(days=F_NEW_DAYS)
            updates.append({"key": key, "on": day})
        connection.execute(
            sa.text("UPDATE client SET next_followup_on = :on WHERE id = :key"), updates
        )
        last = rows[-1][0]


def downgrade() -> None:
    # The first-visit dates stay: a book back at 0005 reschedules a card at its next contact.
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_graded_at")
