"""Several phones and e-mail addresses per card: the client_reach table

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

- client_reach: one row per phone or e-mail address of a card (kind `phone` or `email`), in
  order (position 0 is the main one), with a label (none yet), the value as typed and its key.
- Each card's phone field is split into its numbers, each kept as typed (trimmed): at , ; / and
  their full-width forms, the ideographic comma and line breaks when two parts or more hold a
  whole number of 7 digits or more (so "010 6552 1234 / 8001" or "ask reception / 8001" stays
  whole), each part then at
  blanks when every blank-separated group is a whole number of 7 digits or more
  ("13800138000 13900139000" is two numbers, "138 0013 8000" one);
  its e-mail field at commas, semicolons and blanks. The card keeps the first of each as its
  main phone and e-mail (client.phone, phone_key, email, email_key), and its search_key gets
  every number, as typed and as digits with the country code, so `list --search` finds any.
- Downgrade: the numbers (and addresses) joined by ", " back into the card's field when they
  fit its 100 (200) characters, else the main one alone; the table dropped.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# domain.cards as it was when this migration was written.
DEFAULT_CALLING_CODE = "86"
PHONE_SEPARATORS = re.compile("[,;/\n\uff0c\uff1b\uff0f\u3001]")
EMAIL_SEPARATORS = re.compile(r"[,;\s\uff0c\uff1b\u3001]+")
MIN_NUMBER_DIGITS = 7
FIELD_BREAK = "\x1f"


def phone_key(phone: str | None) -> str | None:
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


def split_phones(text: str | None) -> list[str]:
    parts = [p.strip() for p in PHONE_SEPARATORS.split(text or "")]
    if sum(sum(ch.isdigit() for ch in p) >= MIN_NUMBER_DIGITS for p in parts) < 2:
        parts = [(text or "").strip()]
    numbers: list[str] = []
    for part in parts:
        groups = part.split()
        if len(groups) > 1 and all(
            sum(ch.isdigit() for ch in g) >= MIN_NUMBER_DIGITS for g in groups
        ):
            numbers.extend(groups)
        elif part:
            numbers.append(part)
    return numbers


def split_emails(text: str | None) -> list[str]:
    return [part for part in EMAIL_SEPARATORS.split(text or "") if part]


def phones_searched(numbers: list[str]) -> str:
    keys = [key for key in map(phone_key, numbers) if key]
    return " ".join(numbers + keys)


def search_key(*values: str | None) -> str:
    return FIELD_BREAK.join((value or "").casefold() for value in values)


def upgrade() -> None:
    op.create_table(
        "client_reach",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_client_reach_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_reach")),
    )
    with op.batch_alter_table("client_reach", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_reach_client_id_kind_position",
            ["client_id", "kind", "position"],
            unique=False,
        )
        batch_op.create_index("ix_client_reach_kind_key", ["kind", "key"], unique=False)
    _fill()


def _fill() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT id, name, company, notes, phone, email FROM client WHERE id > :last"
                " AND (phone IS NOT NULL OR email IS NOT NULL)"
                f" ORDER BY id LIMIT {BATCH}"
            ),
            {"last": last},
        ).all()
        if not rows:
            return
        reach: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for key, name, company, notes, phone, email in rows:
            phones = split_phones(phone)
            emails = split_emails(email)
            for kind, values, keyed in (
                ("phone", phones, phone_key),
                ("email", emails, email_key),
            ):
                for position, value in enumerate(values):
                    reach.append(
                        {
                            "client_id": key,
                            "kind": kind,
                            "position": position,
                            "value": value[:200],
                            "key": keyed(value),
                        }
                    )
            main_phone = phones[0] if phones else None
            main_email = emails[0] if emails else None
            updates.append(
                {
                    "key": key,
                    "phone": main_phone,
                    "phone_key": phone_key(main_phone),
                    "email": main_email,
                    "email_key": email_key(main_email),
                    "search_key": search_key(
                        name, company, notes, phones_searched(phones), " ".join(emails)
                    ),
                }
            )
        if reach:
            connection.execute(
                sa.text(
                    "INSERT INTO client_reach (client_id, kind, position, label, value, key)"
                    " VALUES (:client_id, :kind, :position, NULL, :value, :key)"
                ),
                reach,
            )
        connection.execute(
            sa.text(
                "UPDATE client SET phone = :phone, phone_key = :phone_key, email = :email,"
                " email_key = :email_key, search_key = :search_key WHERE id = :key"
            ),
            updates,
        )
        last = rows[-1][0]


def downgrade() -> None:
    connection = op.get_bind()
    joined: dict[tuple[int, str], list[str]] = {}
    for client_id, kind, value in connection.execute(
        sa.text("SELECT client_id, kind, value FROM client_reach ORDER BY client_id, position")
    ).all():
        joined.setdefault((client_id, kind), []).append(value)
    for (client_id, kind), values in joined.items():
        text = ", ".join(values)
        if len(text) > (100 if kind == "phone" else 200):
            continue  # the main one alone, as the card holds it
        connection.execute(
            sa.text(f"UPDATE client SET {kind} = :text WHERE id = :id"),
            {"text": text, "id": client_id},
        )
    with op.batch_alter_table("client_reach", schema=None) as batch_op:
        batch_op.drop_index("ix_client_reach_kind_key")
        batch_op.drop_index("ix_client_reach_client_id_kind_position")
    op.drop_table("client_reach")
