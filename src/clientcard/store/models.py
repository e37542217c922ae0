"""The tables. They are the one source of truth for the schema; Alembic migrations
(store/migrations/versions) bring every existing database up to them, and a test checks that the
migrated schema equals these models.

Times are aware datetimes; SQLModel's UTCDateTime stores them in UTC and returns them in UTC
(a timestamp with time zone on PostgreSQL, UTC text on SQLite).
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

# Named constraints: Alembic's SQLite batch mode and PostgreSQL both need names to alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Client(SQLModel, table=True):
    """One card: a client or a prospect."""

    __tablename__ = "client"
    __table_args__ = (
        Index("ix_client_name_key", "name_key"),
        Index("ix_client_grade", "grade"),
        Index("ix_client_updated_at", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    company: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    source: str | None = Field(default=None, max_length=200)
    referred_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            "referred_by_id",
            Integer,
            ForeignKey("client.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
    )
    notes: str | None = None
    grade: str = Field(default="F", max_length=1)
    owner: str | None = Field(default=None, max_length=100)
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None


class ClientTag(SQLModel, table=True):
    """A tag on a card. A table of its own so `list --tag` is an indexed lookup."""

    __tablename__ = "client_tag"
    __table_args__ = (Index("ix_client_tag_tag", "tag"),)

    client_id: int = Field(
        sa_column=Column(
            "client_id", Integer, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
        )
    )
    tag: str = Field(primary_key=True, max_length=100)


class GradeChange(SQLModel, table=True):
    """One step in a card's grade history: from (None for the first), to, when, why."""

    __tablename__ = "grade_change"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(
            "client_id",
            Integer,
            ForeignKey("client.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    from_grade: str | None = Field(default=None, max_length=1)
    to_grade: str = Field(max_length=1)
    changed_at: datetime
    reason: str | None = None
