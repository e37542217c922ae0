"""The records the services work on: one plain dataclass per table.

GENERATED from clientcard/store/models.py by `python -m clientcard.store.records_gen`; do not
edit by hand (tests/test_db.py fails when this file is stale). Times are aware datetimes in
UTC; `__kinds__` tells the data access layer (store/db.py) which columns to convert.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from clientcard.store.recordbase import Record


@dataclass(kw_only=True, slots=True)
class Client(Record):
    """One card: a client or a prospect."""

    __table__: ClassVar[str] = "client"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "name_key",
        "company",
        "title",
        "phone",
        "email",
        "address",
        "source",
        "referred_by_id",
        "notes",
        "grade",
        "owner",
        "created_at",
        "updated_at",
        "archived_at",
        "last_contact_at",
        "last_visit_at",
        "next_followup_on",
        "followup_kind",
        "followup_note",
        "first_sale_at",
        "thanks_due_at",
        "credit",
        "satisfaction",
        "loyalty",
        "search_key",
        "graded_at",
        "followed_up_at",
        "phone_key",
        "email_key",
        "thanks_since",
        "referred_at",
    )
    __kinds__: ClassVar[tuple[str, ...]] = (
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "datetime",
        "datetime",
        "datetime",
        "datetime",
        "datetime",
        "date",
        "",
        "",
        "datetime",
        "datetime",
        "",
        "",
        "",
        "",
        "datetime",
        "datetime",
        "",
        "",
        "datetime",
        "datetime",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    name: str
    name_key: str
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    source: str | None = None
    referred_by_id: int | None = None
    notes: str | None = None
    grade: str = "F"
    owner: str | None = None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_visit_at: datetime | None = None
    next_followup_on: date | None = None
    followup_kind: str = "cadence"
    followup_note: str | None = None
    first_sale_at: datetime | None = None
    thanks_due_at: datetime | None = None
    credit: str | None = None
    satisfaction: int | None = None
    loyalty: int | None = None
    search_key: str = ""
    graded_at: datetime
    followed_up_at: datetime | None = None
    phone_key: str | None = None
    email_key: str | None = None
    thanks_since: datetime | None = None
    referred_at: datetime | None = None

    @dataclass(kw_only=True, slots=True)
    class Export(Record):
        """What `export` reads of a card (services/transfer.py): only the columns its row needs,
        and only the two times it prints converted (loading whole cards cost as much again as the
        rest of the export)."""

        __table__: ClassVar[str] = "client"
        __columns__: ClassVar[tuple[str, ...]] = (
            "id",
            "name",
            "company",
            "title",
            "phone",
            "email",
            "address",
            "source",
            "referred_by_id",
            "notes",
            "grade",
            "owner",
            "created_at",
            "updated_at",
            "archived_at",
            "first_sale_at",
            "graded_at",
            "last_visit_at",
        )
        __kinds__: ClassVar[tuple[str, ...]] = (
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "datetime",
            "datetime",
            "",
            "",
            "datetime",
            "",
        )
        __key__: ClassVar[tuple[str, ...]] = ("id",)

        id: int
        name: str
        company: str | None
        title: str | None
        phone: str | None
        email: str | None
        address: str | None
        source: str | None
        referred_by_id: int | None
        notes: str | None
        grade: str
        owner: str | None
        created_at: datetime
        updated_at: datetime
        archived_at: object
        first_sale_at: object
        graded_at: datetime
        last_visit_at: object


@dataclass(kw_only=True, slots=True)
class ClientTag(Record):
    """A tag on a card. A table of its own so `list --tag` is an indexed lookup."""

    __table__: ClassVar[str] = "client_tag"
    __columns__: ClassVar[tuple[str, ...]] = ("client_id", "tag")
    __kinds__: ClassVar[tuple[str, ...]] = ("", "")
    __key__: ClassVar[tuple[str, ...]] = ("client_id", "tag")

    client_id: int
    tag: str


@dataclass(kw_only=True, slots=True)
class Complaint(Record):
    """A complaint, from receipt to the client's satisfaction. Its timeline: ComplaintStep."""

    __table__: ClassVar[str] = "complaint"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "what",
        "severity",
        "status",
        "received_at",
        "first_response_at",
        "resolved_at",
        "result",
        "satisfaction",
    )
    __kinds__: ClassVar[tuple[str, ...]] = (
        "",
        "",
        "",
        "",
        "",
        "datetime",
        "datetime",
        "datetime",
        "",
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    what: str
    severity: str
    status: str = "open"
    received_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    result: str | None = None
    satisfaction: int | None = None


@dataclass(kw_only=True, slots=True)
class ComplaintStep(Record):
    """One event in a complaint's timeline: received, step, resolved, reopened."""

    __table__: ClassVar[str] = "complaint_step"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "complaint_id",
        "kind",
        "at",
        "text",
        "satisfaction",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "datetime", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    complaint_id: int
    kind: str
    at: datetime
    text: str | None = None
    satisfaction: int | None = None


@dataclass(kw_only=True, slots=True)
class Contact(Record):
    """One touch with a client, logged the moment it happened."""

    __table__: ClassVar[str] = "contact"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "at",
        "via",
        "summary",
        "with_person",
        "next_on",
        "logged_at",
        "source",
        "source_id",
        "greeting",
    )
    __kinds__: ClassVar[tuple[str, ...]] = (
        "",
        "",
        "datetime",
        "",
        "",
        "",
        "date",
        "datetime",
        "",
        "",
        "bool",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    at: datetime
    via: str
    summary: str | None = None
    with_person: str | None = None
    next_on: date | None = None
    logged_at: datetime
    source: str | None = None
    source_id: int | None = None
    greeting: bool = False


@dataclass(kw_only=True, slots=True)
class GradeChange(Record):
    """One step in a card's grade history: from (None for the first), to, when, why."""

    __table__: ClassVar[str] = "grade_change"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "from_grade",
        "to_grade",
        "changed_at",
        "reason",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "datetime", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    from_grade: str | None = None
    to_grade: str
    changed_at: datetime
    reason: str | None = None


@dataclass(kw_only=True, slots=True)
class Holiday(Record):
    """A dated holiday for greeting many clients at once (lunar holidays move every year)."""

    __table__: ClassVar[str] = "holiday"
    __columns__: ClassVar[tuple[str, ...]] = ("id", "on", "name", "audience")
    __kinds__: ClassVar[tuple[str, ...]] = ("", "date", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    on: date
    name: str
    audience: str = "customers"


@dataclass(kw_only=True, slots=True)
class KeyDate(Record):
    """A client's occasion: a birthday, a promotion, a company move... Yearly ones may have no"""

    __table__: ClassVar[str] = "key_date"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "kind",
        "month",
        "day",
        "year",
        "yearly",
        "note",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "", "bool", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    kind: str
    month: int
    day: int
    year: int | None = None
    yearly: bool = False
    note: str | None = None


@dataclass(kw_only=True, slots=True)
class Person(Record):
    """Someone around the decision-maker: an assistant, a secretary, a deputy."""

    __table__: ClassVar[str] = "person"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "name",
        "role",
        "phone",
        "email",
        "note",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    name: str
    role: str
    phone: str | None = None
    email: str | None = None
    note: str | None = None


@dataclass(kw_only=True, slots=True)
class Promise(Record):
    """Something promised to a client: a deliverable due by a time, or an appointment at one."""

    __table__: ClassVar[str] = "promise"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "what",
        "kind",
        "due_at",
        "all_day",
        "due_on",
        "place",
        "status",
        "short_notice",
        "made_at",
        "closed_at",
        "confirmed_at",
    )
    __kinds__: ClassVar[tuple[str, ...]] = (
        "",
        "",
        "",
        "",
        "datetime",
        "bool",
        "date",
        "",
        "",
        "bool",
        "datetime",
        "datetime",
        "datetime",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    what: str
    kind: str
    due_at: datetime
    all_day: bool = False
    due_on: date | None = None
    place: str | None = None
    status: str = "open"
    short_notice: bool = False
    made_at: datetime
    closed_at: datetime | None = None
    confirmed_at: datetime | None = None


@dataclass(kw_only=True, slots=True)
class PromiseEvent(Record):
    """One state change of a promise: made, kept, kept_late, moved, cancelled, missed."""

    __table__: ClassVar[str] = "promise_event"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "promise_id",
        "event",
        "at",
        "due_at",
        "all_day",
        "due_on",
        "told_at",
        "by",
        "short_notice",
        "reason",
    )
    __kinds__: ClassVar[tuple[str, ...]] = (
        "",
        "",
        "",
        "datetime",
        "datetime",
        "bool",
        "date",
        "datetime",
        "",
        "bool",
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    promise_id: int
    event: str
    at: datetime
    due_at: datetime | None = None
    all_day: bool | None = None
    due_on: date | None = None
    told_at: datetime | None = None
    by: str | None = None
    short_notice: bool = False
    reason: str | None = None


@dataclass(kw_only=True, slots=True)
class RatingChange(Record):
    """One change of a card's ratings; the card holds the latest values."""

    __table__: ClassVar[str] = "rating_change"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "at",
        "credit",
        "satisfaction",
        "loyalty",
        "reason",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "datetime", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    at: datetime
    credit: str | None = None
    satisfaction: int | None = None
    loyalty: int | None = None
    reason: str | None = None


@dataclass(kw_only=True, slots=True)
class Sale(Record):
    """A sale. Money is exact: an integer number of minor units (cents, fen)."""

    __table__: ClassVar[str] = "sale"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "amount_minor",
        "what",
        "sold_at",
        "recorded_at",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "datetime", "datetime")
    __key__: ClassVar[tuple[str, ...]] = ("id",)

    id: int | None = None
    client_id: int
    amount_minor: int
    what: str | None = None
    sold_at: datetime
    recorded_at: datetime
