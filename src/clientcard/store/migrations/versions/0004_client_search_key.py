"""client.search_key: the searched fields case-folded, so a search needs no function per card

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from clientcard.domain.cards import search_key

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "search_key",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            )
        )
    # Fill it in Python: the case-fold is Unicode's (ß -> ss), which no SQL lower() does.
    connection = op.get_bind()
    client = sa.table(
        "client",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("company", sa.String),
        sa.column("notes", sa.String),
        sa.column("phone", sa.String),
        sa.column("email", sa.String),
        sa.column("search_key", sa.String),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                client.c.id,
                client.c.name,
                client.c.company,
                client.c.notes,
                client.c.phone,
                client.c.email,
            )
            .where(client.c.id > last)
            .order_by(client.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            client.update()
            .where(client.c.id == sa.bindparam("key"))
            .values(search_key=sa.bindparam("value")),
            [{"key": r.id, "value": search_key(*r[1:])} for r in rows],
        )
        last = rows[-1].id
    # A search reads every card's key: from this narrow index rather than the whole rows.
    op.create_index("ix_client_search_key", "client", ["search_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_search_key")
        batch_op.drop_column("search_key")
