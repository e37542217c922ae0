"""The tables. They are the one source of truth for the schema; Alembic migrations
(store/migrations/versions) bring every existing database up to them, and a test checks that the
migrated schema equals these models.

Times are aware datetimes; SQLModel's UTCDateTime stores them in UTC and returns them in UTC
(a timestamp with time zone on PostgreSQL, UTC text on SQLite).
"""

from datetime import date, datetime

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
        Index("ix_client_next_followup_on", "next_followup_on"),
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
    # The agenda (issue 3): the last contact and visit, and the next follow-up (a local date),
    # why it is due then (cadence, explicit, recheck) and the note shown with it.
    last_contact_at: datetime | None = None
    last_visit_at: datetime | None = None
    next_followup_on: date | None = None
    followup_kind: str = Field(default="cadence", max_length=20)
    followup_note: str | None = None


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


def _client_fk(*, index: bool) -> Column[int]:
    return Column(
        "client_id",
        Integer,
        ForeignKey("client.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


class Contact(SQLModel, table=True):
    """One touch with a client, logged the moment it happened."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_client_id_at", "client_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_client_fk(index=False))  # ix_contact_client_id_at covers it
    at: datetime = Field(index=True)
    via: str = Field(max_length=20)
    summary: str | None = None
    with_person: str | None = Field(default=None, max_length=200)
    next_on: date | None = None
    logged_at: datetime


class Promise(SQLModel, table=True):
    """Something promised to a client: a deliverable due by a time, or an appointment at one.

    `status` is the current state; every change is also a PromiseEvent, so nothing is lost."""

    __tablename__ = "promise"
    __table_args__ = (Index("ix_promise_status_due_at", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_client_fk(index=True))
    what: str
    kind: str = Field(max_length=20)  # deliverable | appointment
    due_at: datetime  # the start of the due day when all_day, else the moment
    all_day: bool = False
    place: str | None = Field(default=None, max_length=200)
    status: str = Field(default="open", max_length=20)
    short_notice: bool = False  # moved at short notice at least once: never "kept on time"
    made_at: datetime
    closed_at: datetime | None = None


class PromiseEvent(SQLModel, table=True):
    """One state change of a promise: made, kept, kept_late, moved, cancelled, missed."""

    __tablename__ = "promise_event"

    id: int | None = Field(default=None, primary_key=True)
    promise_id: int = Field(
        sa_column=Column(
            "promise_id",
            Integer,
            ForeignKey("promise.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    event: str = Field(max_length=20)
    at: datetime
    due_at: datetime | None = None  # the due time after this event (made, moved)
    all_day: bool | None = None
    told_at: datetime | None = None  # moved: when the client was told
    by: str | None = Field(default=None, max_length=20)  # cancelled: client | me
    short_notice: bool = False
    reason: str | None = None
