"""Pinyin keys: names found and sorted by pinyin (issue 18)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- client.sort_key: what every listing by name orders by (the name's pinyin, then the name:
  `zhang wei\\x1f张伟`; a Latin name case-folded: `alice\\x1falice`), filled for every card.
- client.pinyin and client.initials: the name's full pinyin and initials (`zhangwei`, `zw`),
  null for a name without a Chinese character; `show zw` looks them up by prefix.
- client.search_key gains the pinyin and initials of the name and the company (after its own
  fields), for the cards that have Chinese in them, so `list --search zw` finds them: every
  reading of a polyphonic character, a few spellings per field (domain.pinyin.search_forms,
  the very function `add` calls, so an upgraded card has the keys a fresh `add` writes;
  tests/test_pinyin.py compares them).
- The three columns are text compared by code point: PostgreSQL's "C" collation (SQLite's
  BINARY is its default), so both engines order alike. Indexed after they are filled.
- The keys are computed by `clientcard.domain.pinyin` (its table generated from pypinyin), in
  batches of BATCH cards, one executemany UPDATE each: at 100,000 cards about 4 s on SQLite
  (docs/performance.md).
- Downgrade: the columns and indexes dropped, the pinyin taken out of the search keys.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from clientcard.domain.pinyin import forms as pinyin_forms
from clientcard.domain.pinyin import search_forms, sort_key

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
FIELD_BREAK = "\x1f"
# domain.cards.SEARCHED_FIELDS and the phones and e-mails: the fields search_key had before
SEARCH_FIELDS = 5


def _byte_ordered() -> sa.types.TypeEngine[Any]:
    return sa.String().with_variant(sa.String(collation="C"), "postgresql")


def upgrade() -> None:
    # op.add_column, not batch mode: SQLite adds a column without copying the table.
    op.add_column(
        "client", sa.Column("sort_key", _byte_ordered(), nullable=False, server_default="")
    )
    op.add_column("client", sa.Column("pinyin", _byte_ordered(), nullable=True))
    op.add_column("client", sa.Column("initials", _byte_ordered(), nullable=True))
    _fill()
    op.create_index("ix_client_sort_key", "client", ["sort_key"], unique=False)
    op.create_index("ix_client_pinyin", "client", ["pinyin"], unique=False)
    op.create_index("ix_client_initials", "client", ["initials"], unique=False)


def _fill() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT id, name, company, search_key FROM client WHERE id > :last"
                f" ORDER BY id LIMIT {BATCH}"
            ),
            {"last": last},
        ).all()
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        for key, name, company, searched in rows:
            full, initials = pinyin_forms(name) or (None, None)
            extra = search_forms(name, company)
            fields = (searched or "").split(FIELD_BREAK)[:SEARCH_FIELDS]
            updates.append(
                {
                    "key": key,
                    "sort_key": sort_key(name),
                    "pinyin": full,
                    "initials": initials,
                    "search_key": FIELD_BREAK.join(fields + extra) if extra else searched,
                }
            )
        connection.execute(
            sa.text(
                "UPDATE client SET sort_key = :sort_key, pinyin = :pinyin,"
                " initials = :initials, search_key = :search_key WHERE id = :key"
            ),
            updates,
        )
        last = rows[-1][0]


def downgrade() -> None:
    connection = op.get_bind()
    rows = list(
        connection.execute(
            sa.text("SELECT id, search_key FROM client WHERE pinyin IS NOT NULL")
        ).all()
    )
    # a company in Chinese under a Latin name: its pinyin is in the key too
    rows += connection.execute(
        sa.text("SELECT id, search_key FROM client WHERE pinyin IS NULL AND search_key LIKE :p"),
        {"p": "%" + (FIELD_BREAK + "%") * SEARCH_FIELDS},
    ).all()
    updates = [
        {"key": key, "search_key": FIELD_BREAK.join(searched.split(FIELD_BREAK)[:SEARCH_FIELDS])}
        for key, searched in rows
    ]
    if updates:
        connection.execute(
            sa.text("UPDATE client SET search_key = :search_key WHERE id = :key"), updates
        )
    op.drop_index("ix_client_initials", table_name="client")
    op.drop_index("ix_client_pinyin", table_name="client")
    op.drop_index("ix_client_sort_key", table_name="client")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("initials")
        batch_op.drop_column("pinyin")
        batch_op.drop_column("sort_key")
