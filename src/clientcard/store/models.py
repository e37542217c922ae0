"""The tables. They are the one source of truth for the schema; Alembic migrations
(store/migrations/versions) bring every existing database up to them, and a test checks that the
migrated schema equals these models.

Every `datetime` field becomes SQLModel's UTCDateTime column type, which here decides only
what the column is: `timestamp with time zone` on PostgreSQL, a DATETIME (text) column on SQLite.
Its own conversions (refuse a naive datetime, write UTC, read back aware UTC) run only for values
that go through SQLAlchemy's typed expressions, and clientcard's never do: the data access layer
(store/db.py: `Db._bind` writes, `load_datetime` reads) does that conversion itself, and writes
SQLite's text in the form SQLAlchemy did, so books written before either way read the same.

`author` (and a card's `created_by`/`updated_by`) is who made the record (issue 17, migration
0011): the current user's name (CLIENTCARD_USER, else the database role on PostgreSQL, else the
login name); None for rows written before 0011, shown as unknown.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, false, text
from sqlmodel import Field, SQLModel

# Named constraints: Alembic's SQLite batch mode and PostgreSQL both need names to alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _owned_by(table: str, *, index: bool = True) -> Column[int]:
    """`<table>_id`: the row this one belongs to, deleted with it (ON DELETE CASCADE)."""
    return Column(
        f"{table}_id",
        Integer,
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


def byte_ordered() -> String:
    """Text compared by code point on both engines (SQLite's BINARY; PostgreSQL's "C"
    collation, not the server's locale, which ignores blanks and punctuation): the pinyin keys
    (issue 18, migration 0012), ordered and looked up by prefix ranges."""
    return String().with_variant(String(collation="C"), "postgresql")


class Client(SQLModel, table=True):
    """One card: a client or a prospect."""

    __tablename__ = "client"
    __table_args__ = (
        Index("ix_client_name_key", "name_key"),
        # Pinyin (issue 18, migration 0012): every listing by name orders by sort_key; `show
        # zhangw`, `show zw` and completion look up pinyin and initials by prefix.
        Index("ix_client_sort_key", "sort_key"),
        Index("ix_client_pinyin", "pinyin"),
        Index("ix_client_initials", "initials"),
        # The ladder (issue 16, migration 0010; it replaced ix_client_grade, its prefix): by
        # grade, with what the reports count of every card (live, customer since, visited,
        # added, last contacted), so `report funnel`, `movement` and `stale` read this index,
        # not the cards.
        Index(
            "ix_client_ladder",
            "grade",
            "archived_at",
            "first_sale_at",
            "last_visit_at",
            "created_at",
            "last_contact_at",
        ),
        Index("ix_client_updated_at", "updated_at"),
        Index("ix_client_next_followup_on", "next_followup_on"),
        Index("ix_client_thanks_due_at", "thanks_due_at"),
        Index("ix_client_phone_key", "phone_key"),
        Index("ix_client_email_key", "email_key"),
        # `list --sort in-grade` (migration 0006): the longest-held grade first, without a sort
        # of every card.
        Index("ix_client_graded_at", "graded_at"),
        # `list --owner`, `due --mine`, `handover --from` (issue 17, migration 0011).
        Index("ix_client_owner", "owner"),
        # The archived cards, a few: partial, so no query about live cards (`archived_at IS
        # NULL`) is drawn to it; `report activity` takes their dates off the book's (0010).
        Index(
            "ix_client_archived",
            "id",
            sqlite_where=text("archived_at IS NOT NULL"),
            postgresql_where=text("archived_at IS NOT NULL"),
        ),
        # `list --search` (migration 0004). On SQLite a plain index, which a search scans as a
        # narrow copy of every key; on PostgreSQL a trigram index (pg_trgm), which serves
        # `LIKE '%...%'` and has no size limit per key, unlike a B-tree (about 2.7 kB).
        Index(
            "ix_client_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
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
    # The first contact by a visit channel (issue 16, migration 0010): when the card was first
    # met face to face, kept by every write of contacts (`report activity`'s first visits).
    first_visit_at: datetime | None = Field(default=None, index=True)
    next_followup_on: date | None = None
    followup_kind: str = Field(default="cadence", max_length=20)
    followup_note: str | None = None
    # The whole card (issue 4): a first sale makes a prospect a customer; a sale makes a
    # thank-you due (cleared by the next contact); the latest ratings (history: RatingChange).
    first_sale_at: datetime | None = None
    thanks_due_at: datetime | None = None
    credit: str | None = Field(default=None, max_length=10)  # good | fair | poor
    satisfaction: int | None = None  # 1-5
    loyalty: int | None = None  # 1-5
    # What `list --search` reads (domain.cards.search_key): the name, company, notes, phone and
    # e-mail, case-folded, kept in step by every write of those fields (issue 5).
    search_key: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # The rhythm (issue 11, migration 0005). Since when the card holds its grade (the newest
    # grade_change's time, kept here so `list --sort in-grade` needs no join); the last contact
    # that counts as a sales follow-up (a greeting keeps in touch but does not move the rhythm);
    # the phone and e-mail as compared for duplicates and looked up (digits with the country
    # code; case-folded); since when a thank-you is pending (the sale or the referral); when
    # the card's referrer was recorded (what a referrer's thank-you is for).
    graded_at: datetime
    followed_up_at: datetime | None = None
    phone_key: str | None = Field(default=None, max_length=100)
    email_key: str | None = Field(default=None, max_length=200)
    thanks_since: datetime | None = None
    referred_at: datetime | None = None  # when referred_by_id was set: the referral to thank
    # Who made the card and who last changed it (issue 17, migration 0011); None: unknown.
    created_by: str | None = Field(default=None, max_length=100)
    updated_by: str | None = Field(default=None, max_length=100)
    # Pinyin (issue 18, migration 0012; domain/pinyin.py), kept by every write of the name: the
    # name's full pinyin and initials (None without a Chinese character: 张伟 `zhangwei`, `zw`),
    # and what listings by name order by (`zhang wei\x1f张伟`: the pinyin, then the name).
    sort_key: str = Field(
        default="", sa_type=byte_ordered(), sa_column_kwargs={"server_default": ""}
    )
    pinyin: str | None = Field(default=None, sa_type=byte_ordered())
    initials: str | None = Field(default=None, sa_type=byte_ordered())


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
    # A card's grade at a moment reads its changes in time order (issue 16, migration 0010);
    # the index also serves lookups by client_id alone.
    __table_args__ = (
        Index("ix_grade_change_client_id_changed_at", "client_id", "changed_at"),
        # A period's changes, and what `report movement` reads of them, from the index alone.
        Index("ix_grade_change_changed_at", "changed_at", "client_id", "from_grade", "to_grade"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client", index=False))
    from_grade: str | None = Field(default=None, max_length=1)
    to_grade: str = Field(max_length=1)
    changed_at: datetime
    reason: str | None = None
    author: str | None = Field(default=None, max_length=100)


class Contact(SQLModel, table=True):
    """One touch with a client, logged the moment it happened."""

    __tablename__ = "contact"
    # ix_contact_via_greeting_at_due_by: `report activity` counts a period's contacts of each
    # channel and kind (sales or greeting) per week or month, and whether each follow-up was on
    # time, from index ranges alone (issue 16, migration 0010).
    __table_args__ = (
        Index("ix_contact_client_id_at", "client_id", "at"),
        Index("ix_contact_via_greeting_at_due_by", "via", "greeting", "at", "due_by"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # ix_contact_client_id_at covers lookups by client_id alone.
    client_id: int = Field(sa_column=_owned_by("client", index=False))
    at: datetime = Field(index=True)
    via: str = Field(max_length=20)
    summary: str | None = None
    with_person: str | None = Field(default=None, max_length=200)
    next_on: date | None = None
    logged_at: datetime
    # Where the contact came from when another record made it (issue 11): a kept `appointment`
    # (promise id), a `sale` (sale id), a `complaint` step (complaint id); None when logged.
    source: str | None = Field(default=None, max_length=20)
    source_id: int | None = None
    # A greeting keeps in touch but is not a sales follow-up (docs/agenda.md).
    greeting: bool = False
    # When this sales follow-up was due (issue 16, migration 0010): the end (the next local
    # midnight) of the day the card's next follow-up fell on when the contact was logged.
    # None for a greeting, a contact logged with no follow-up due or older than the card's
    # last follow-up, and every contact logged before 0010.
    due_by: datetime | None = None
    author: str | None = Field(default=None, max_length=100)


class Promise(SQLModel, table=True):
    """Something promised to a client: a deliverable due by a time, or an appointment at one.

    `status` is the current state; every change is also a PromiseEvent, so nothing is lost."""

    __tablename__ = "promise"
    __table_args__ = (Index("ix_promise_status_due_at", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    what: str
    kind: str = Field(max_length=20)  # deliverable | appointment
    # A moment; for an all-day promise the due date's midnight in UTC, a sort key only: the
    # date itself is `due_on`, the same calendar date in any zone (issue 11).
    due_at: datetime
    all_day: bool = False
    due_on: date | None = None  # all-day promises: the calendar date
    place: str | None = Field(default=None, max_length=200)
    status: str = Field(default="open", max_length=20)
    short_notice: bool = False  # moved at short notice at least once: never "kept on time"
    made_at: datetime
    closed_at: datetime | None = None
    confirmed_at: datetime | None = None  # an appointment confirmed with the client
    author: str | None = Field(default=None, max_length=100)


class PromiseEvent(SQLModel, table=True):
    """One state change of a promise: made, kept, kept_late, moved, cancelled, missed."""

    __tablename__ = "promise_event"

    id: int | None = Field(default=None, primary_key=True)
    promise_id: int = Field(sa_column=_owned_by("promise"))
    event: str = Field(max_length=20)
    at: datetime
    due_at: datetime | None = None  # the due time after this event (made, moved)
    all_day: bool | None = None
    due_on: date | None = None  # the due date after this event, when all-day
    told_at: datetime | None = None  # moved: when the client was told
    by: str | None = Field(default=None, max_length=20)  # cancelled, moved: client | me
    short_notice: bool = False
    reason: str | None = None
    author: str | None = Field(default=None, max_length=100)


class Complaint(SQLModel, table=True):
    """A complaint, from receipt to the client's satisfaction. Its timeline: ComplaintStep."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_received_at", "status", "received_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    what: str
    severity: str = Field(max_length=10)  # low | normal | high | urgent
    status: str = Field(default="open", max_length=10)  # open | resolved
    received_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    result: str | None = None
    satisfaction: int | None = None  # 1-5, the client's, after resolution
    # Why it happened (issue 16, migration 0009): one of the configured causes
    # (`complaint.causes`), words of the user's own, and who was responsible for it.
    cause: str | None = Field(default=None, max_length=40)
    cause_note: str | None = None
    responsibility: str = Field(default="unknown", max_length=10)  # us | company | partner...
    author: str | None = Field(default=None, max_length=100)


class ComplaintStep(SQLModel, table=True):
    """One event in a complaint's timeline: received, step, resolved, reopened."""

    __tablename__ = "complaint_step"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(sa_column=_owned_by("complaint"))
    kind: str = Field(max_length=10)
    at: datetime
    text: str | None = None
    satisfaction: int | None = None
    author: str | None = Field(default=None, max_length=100)


class Sale(SQLModel, table=True):
    """A sale. Money is exact: an integer number of minor units (cents, fen)."""

    __tablename__ = "sale"
    __table_args__ = (Index("ix_sale_client_id_sold_at", "client_id", "sold_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client", index=False))  # ix_sale_client_id_sold_at
    amount_minor: int = Field(sa_column=Column("amount_minor", BigInteger, nullable=False))
    what: str | None = None
    sold_at: datetime = Field(index=True)
    recorded_at: datetime
    author: str | None = Field(default=None, max_length=100)


class KeyDate(SQLModel, table=True):
    """A client's occasion: a birthday, a promotion, a company move... Yearly ones may have no
    year. Indexed by (month, day) so `due` reads only the dates in its window."""

    __tablename__ = "key_date"
    __table_args__ = (Index("ix_key_date_month_day", "month", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    kind: str = Field(max_length=20)
    month: int
    day: int
    year: int | None = None
    yearly: bool = False
    note: str | None = None
    author: str | None = Field(default=None, max_length=100)
    # Issue 18 (migration 0013): a lunar date (农历): month, day and year are lunar, `leap` a
    # leap month (闰月); its solar day each year comes from domain/lunar.py.
    lunar: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    leap: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Holiday(SQLModel, table=True):
    """A holiday for greeting many clients at once: on one day (`on`), or every year by a rule
    (issue 18, migration 0013: `on` null, `yearly` solar | lunar | qingming): on the solar
    month and day, on the lunar month and day (`leap`: a leap month), or on the solar term
    清明; domain/lunar.py gives a lunar rule's day each year."""

    __tablename__ = "holiday"

    id: int | None = Field(default=None, primary_key=True)
    on: date | None = Field(default=None, index=True)
    name: str = Field(max_length=200)
    audience: str = Field(default="customers", max_length=110)  # customers | all | tag:T
    author: str | None = Field(default=None, max_length=100)
    yearly: str | None = Field(default=None, max_length=10)
    month: int | None = None
    day: int | None = None
    leap: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Person(SQLModel, table=True):
    """Someone around the decision-maker: an assistant, a secretary, a deputy."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    name: str = Field(max_length=200)
    role: str = Field(max_length=100)
    phone: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    note: str | None = None
    author: str | None = Field(default=None, max_length=100)


class RatingChange(SQLModel, table=True):
    """One change of a card's ratings; the card holds the latest values."""

    __tablename__ = "rating_change"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    at: datetime
    credit: str | None = Field(default=None, max_length=10)
    satisfaction: int | None = None
    loyalty: int | None = None
    reason: str | None = None
    author: str | None = Field(default=None, max_length=100)


class ClientReach(SQLModel, table=True):
    """One of a card's phones or e-mail addresses (issue 14, migration 0007): its kind (`phone`
    or `email`), its place among the card's others of that kind (0 is the main one, which the
    card also holds in client.phone / client.email), a label (mobile, work... or the user's
    own), the value as typed and its key (domain.cards.phone_key / email_key), by which lookups
    and duplicate checks find the card through any of its numbers."""

    __tablename__ = "client_reach"
    __table_args__ = (
        Index("ix_client_reach_client_id_kind_position", "client_id", "kind", "position"),
        Index("ix_client_reach_kind_key", "kind", "key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # ix_client_reach_client_id_kind_position covers lookups by client_id alone.
    client_id: int = Field(sa_column=_owned_by("client", index=False))
    kind: str = Field(max_length=10)
    position: int
    label: str | None = Field(default=None, max_length=50)
    value: str = Field(max_length=200)
    key: str | None = Field(default=None, max_length=200)


class ClientMerge(SQLModel, table=True):
    """A card merged into this one (`clientcard merge KEEP OTHER`, issue 14, migration 0008):
    the merged card's id and name (that card is deleted, every record of it moved here), when,
    the fields taken from it (`--take`), and, so that nothing is lost, the values that did
    not win, from either card (a JSON object, field -> value), and how many records of each kind
    moved (a JSON object, table -> count)."""

    __tablename__ = "client_merge"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=_owned_by("client"))
    merged_id: int
    merged_name: str = Field(max_length=200)
    merged_at: datetime
    taken: str | None = Field(default=None, max_length=200)
    dropped: str | None = None
    moved: str | None = None
    author: str | None = Field(default=None, max_length=100)


class Handover(SQLModel, table=True):
    """A card changing hands (issue 17, migration 0011): handed over to a colleague
    (`handover`), taken from the pool (`claim`), returned to the pool by the book's rule
    (`pool`) or given back by hand (`release`): from whom, to whom (None: the pool), when,
    why and who did it."""

    __tablename__ = "handover"
    __table_args__ = (Index("ix_handover_client_id_id", "client_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # ix_handover_client_id_id covers lookups by client_id alone.
    client_id: int = Field(sa_column=_owned_by("client", index=False))
    kind: str = Field(max_length=10)
    from_owner: str | None = Field(default=None, max_length=100)
    to_owner: str | None = Field(default=None, max_length=100)
    at: datetime
    reason: str | None = None
    author: str | None = Field(default=None, max_length=100)


class BookSetting(SQLModel, table=True):
    """A setting of the book itself (issue 17, migration 0011): what changes what the book
    means for everyone who shares it (cadences, currency, windows, working hours, pool rules),
    as opposed to a person's own settings file. Its value as `config set --book` wrote it."""

    __tablename__ = "book_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str
    changed_at: datetime
    changed_by: str | None = Field(default=None, max_length=100)


class BookSettingChange(SQLModel, table=True):
    """Every change of a book setting: the new value (None: back to the default), when, and
    who changed it."""

    __tablename__ = "book_setting_change"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100)
    value: str | None = None
    at: datetime
    author: str | None = Field(default=None, max_length=100)
