"""client.search_key: the searched fields case-folded, so a search needs no function per card

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def search_key(*values: str | None) -> str:
    """`clientcard.domain.cards.search_key` as it was when this migration was written, copied so
    that the migration stays what it was when the domain changes: name, company, notes, phone
    and e-mail, case-folded, joined by a unit separator."""
    return "\x1f".join((value or "").casefold() for value in values)


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
    _create_search_index()


def _create_search_index() -> None:
    """SQLite: a plain index, which a search scans as a narrow copy of every key, instead of the
    whole rows. PostgreSQL: a B-tree would refuse a key over about 2.7 kB (long notes), so a
    trigram index (the pg_trgm extension, in PostgreSQL's contrib), which also serves
    `LIKE '%...%'`. Where pg_trgm cannot be had (not installed, or no right to create it), the
    book goes without the index: a search then reads the table, and nothing else changes."""
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
    op.create_index(
        "ix_client_search_key",
        "client",
        ["search_key"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_key": "gin_trgm_ops"},
    )


def downgrade() -> None:
    # IF EXISTS: a PostgreSQL book without pg_trgm went without the index.
    op.drop_index("ix_client_search_key", table_name="client", if_exists=True)
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("search_key")
