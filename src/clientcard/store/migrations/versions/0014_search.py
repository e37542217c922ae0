"""Search over everything (issue 18)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

- search_card and search_record: the search index (store/fulltext.py), one row a card (its
  name, company, title, address, notes and search key) and one row a record with words
  (contacts, promises, complaints with their steps, sales, occasions, close contacts), built
  here from the book's rows and kept up to date by triggers on every source table.
- SQLite: FTS5 tables with the trigram tokenizer (SQLite 3.34 or later). PostgreSQL: plain
  tables with a pg_trgm GIN index on their text where the extension is (migration 0004 made it
  where it could); without it, search reads the tables (`db status` says so).
- Downgrade: the tables, triggers and functions dropped (the source rows are untouched).
"""

from collections.abc import Sequence

from alembic import op

from clientcard.store import fulltext

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _execute(sql: str) -> None:
    op.get_bind().exec_driver_sql(sql)


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    trigram = False
    if dialect == "postgresql":
        trigram = bool(
            connection.exec_driver_sql(
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
            ).scalar()
        )
    fulltext.create(_execute, dialect, trigram=trigram)


def downgrade() -> None:
    fulltext.drop(_execute, op.get_bind().dialect.name)
