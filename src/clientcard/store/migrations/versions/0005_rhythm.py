"""The rhythm: time in grade, greetings, contacts' sources, phone keys, calendar-date promises

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

- client.graded_at: since when the card holds its grade (its newest grade_change, else its
  creation); client.followed_up_at: the last contact that counts as a sales follow-up (every
  contact logged so far did); client.phone_key and email_key: the phone's digits with the
  country code and the case-folded e-mail, for duplicate checks and lookups; client.thanks_since:
  since when a pending thank-you is due (the oldest sale since the last contact);
  client.referred_at: when its referrer was recorded (for a card already referred, its creation).
- contact.source, source_id: the record that made a contact (none so far); contact.greeting.
- promise.due_on and promise_event.due_on: an all-day promise's calendar date. Its due_at was the
  start of that day in the zone of whoever made it; the date is read back in the zone this
  migration runs in (the user's: TZ, else the system's) and due_at becomes the date's midnight in
  UTC, a sort key only. promise.confirmed_at: an appointment confirmed with the client.
"""

import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from clientcard.clock import local_tz

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy wrote a moment into SQLite's text

# Calling codes of the regions the first users work in, as domain.cards had them when this
# migration was written; a national number (no + or 00) is read in the default region, CN.
DEFAULT_CALLING_CODE = "86"


def phone_key(phone: str | None) -> str | None:
    """`clientcard.domain.cards.phone_key` as it was when this migration was written: the digits,
    an international prefix (+ or 00) kept as the country code, a national number's trunk 0
    dropped and the default country code put in front; None without digits."""
    if not phone:
        return None
    text = unicodedata.normalize("NFKC", phone).strip()
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    if not digits:
        return None
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:] or None
    return DEFAULT_CALLING_CODE + digits.removeprefix("0")


def email_key(email: str | None) -> str | None:
    return email.strip().casefold() or None if email else None


def _moment(value: Any) -> datetime | None:
    """A stored moment, aware UTC: PostgreSQL hands back datetimes, SQLite text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(moment: datetime) -> Any:
    """A moment as this database stores it."""
    if op.get_bind().dialect.name == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None).strftime(SQLITE_MOMENT)
    return moment


def _batches(sql: str, **params: Any) -> Iterator[Sequence[Any]]:
    """The rows of `sql` (which selects `id` first and has `WHERE id > :last`), in id order."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(f"{sql} ORDER BY id LIMIT {BATCH}"), {**params, "last": last}
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = ", ".join(f"{name} = :{name}" for name in rows[0] if name != "key")
    op.get_bind().execute(sa.text(f"UPDATE {table} SET {columns} WHERE id = :key"), rows)


def _floating(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("graded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("followed_up_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("phone_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column("email_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("thanks_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("referred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("greeting", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("promise_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))

    _fill_clients()
    op.execute("UPDATE client SET referred_at = created_at WHERE referred_by_id IS NOT NULL")
    _fill_all_day("promise")
    _fill_all_day("promise_event")

    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.alter_column(
            "graded_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
        batch_op.create_index("ix_client_phone_key", ["phone_key"], unique=False)
        batch_op.create_index("ix_client_email_key", ["email_key"], unique=False)
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.alter_column("greeting", existing_type=sa.Boolean(), server_default=None)


def _fill_clients() -> None:
    connection = op.get_bind()
    for rows in _batches(
        "SELECT id, created_at, last_contact_at, phone, email, thanks_due_at"
        " FROM client WHERE id > :last"
    ):
        ids = [row[0] for row in rows]
        graded: dict[int, Any] = dict(
            connection.execute(
                sa.text(
                    "SELECT client_id, max(changed_at) FROM grade_change"
                    " WHERE client_id IN :ids GROUP BY client_id"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": ids},
            ).all()
        )
        updates = []
        for key, created_at, last_contact_at, phone, email, thanks_due_at in rows:
            since = None
            if thanks_due_at is not None:
                since = _thanks_since(key, _moment(last_contact_at)) or _moment(thanks_due_at)
            graded_at = _moment(graded.get(key)) or _moment(created_at)
            assert graded_at is not None
            updates.append(
                {
                    "key": key,
                    "graded_at": _stored(graded_at),
                    "followed_up_at": last_contact_at,
                    "phone_key": phone_key(phone),
                    "email_key": email_key(email),
                    "thanks_since": None if since is None else _stored(since),
                }
            )
        _update("client", updates)


def _thanks_since(client_id: int, last_contact: datetime | None) -> datetime | None:
    """The oldest sale not yet followed by a contact: what the pending thank-you is for."""
    sold = [
        _moment(at)
        for (at,) in op.get_bind()
        .execute(sa.text("SELECT sold_at FROM sale WHERE client_id = :id"), {"id": client_id})
        .all()
    ]
    after = [at for at in sold if at is not None and (last_contact is None or at > last_contact)]
    return min(after, default=None)


def _fill_all_day(table: str) -> None:
    zone = local_tz()
    for rows in _batches(
        f"SELECT id, due_at FROM {table} WHERE id > :last AND all_day = :yes", yes=True
    ):
        updates = []
        for key, due_at in rows:
            moment = _moment(due_at)
            if moment is None:
                continue
            day = moment.astimezone(zone).date()
            updates.append({"key": key, "due_on": day, "due_at": _stored(_floating(day))})
        _update(table, updates)


def downgrade() -> None:
    zone = local_tz()
    for table in ("promise", "promise_event"):
        for rows in _batches(
            f"SELECT id, due_on FROM {table} WHERE id > :last AND due_on IS NOT NULL"
        ):
            updates = []
            for key, due_on in rows:
                day = date.fromisoformat(due_on) if isinstance(due_on, str) else due_on
                start = datetime.combine(day, time(), zone)
                updates.append({"key": key, "due_at": _stored(start)})
            _update(table, updates)
    with op.batch_alter_table("promise_event", schema=None) as batch_op:
        batch_op.drop_column("due_on")
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("due_on")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("greeting")
        batch_op.drop_column("source_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_email_key")
        batch_op.drop_index("ix_client_phone_key")
        batch_op.drop_column("referred_at")
        batch_op.drop_column("thanks_since")
        batch_op.drop_column("email_key")
        batch_op.drop_column("phone_key")
        batch_op.drop_column("followed_up_at")
        batch_op.drop_column("graded_at")
