"""The records the services work on: one plain class per table.

GENERATED from clientcard/store/models.py by `python -m clientcard.store.records_gen`; do not
edit by hand (tests/test_db.py fails when this file is stale). Times are aware datetimes in
UTC; `__kinds__` tells the data access layer (store/db.py) which columns to convert.

Each record is what `@dataclass(kw_only=True, slots=True)` would make (slots, a keyword-only
`__init__`, and `__eq__` and `__repr__` from store/recordbase.py), written out: a dataclass
writes and compiles its methods each time its module is imported, which cost every command
about 45 M instructions (issue 12, speed), where this file's bytecode is cached.
"""

from datetime import date, datetime
from typing import ClassVar

from clientcard.store.recordbase import Record


class BookSetting(Record):
    """A setting of the book itself (issue 17, migration 0011): what changes what the book"""

    __table__: ClassVar[str] = "book_setting"
    __columns__: ClassVar[tuple[str, ...]] = ("key", "value", "changed_at", "changed_by")
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "datetime", "")
    __key__: ClassVar[tuple[str, ...]] = ("key",)
    __lengths__: ClassVar[dict[str, int]] = {"key": 100, "changed_by": 100}
    __slots__ = __columns__

    key: str
    value: str
    changed_at: datetime
    changed_by: str | None

    def __init__(
        self,
        *,
        key: str,
        value: str,
        changed_at: datetime,
        changed_by: str | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.changed_at = changed_at
        self.changed_by = changed_by


class BookSettingChange(Record):
    """Every change of a book setting: the new value (None: back to the default), when, and"""

    __table__: ClassVar[str] = "book_setting_change"
    __columns__: ClassVar[tuple[str, ...]] = ("id", "key", "value", "at", "author")
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "datetime", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"key": 100, "author": 100}
    __slots__ = __columns__

    id: int | None
    key: str
    value: str | None
    at: datetime
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        key: str,
        value: str | None = None,
        at: datetime,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.key = key
        self.value = value
        self.at = at
        self.author = author


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
        "first_visit_at",
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
        "created_by",
        "updated_by",
        "sort_key",
        "pinyin",
        "initials",
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
        "",
        "",
        "",
        "",
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "name": 200,
        "name_key": 200,
        "company": 200,
        "title": 200,
        "phone": 100,
        "email": 200,
        "address": 500,
        "source": 200,
        "grade": 1,
        "owner": 100,
        "followup_kind": 20,
        "credit": 10,
        "phone_key": 100,
        "email_key": 200,
        "created_by": 100,
        "updated_by": 100,
    }
    __slots__ = __columns__

    id: int | None
    name: str
    name_key: str
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
    archived_at: datetime | None
    last_contact_at: datetime | None
    last_visit_at: datetime | None
    first_visit_at: datetime | None
    next_followup_on: date | None
    followup_kind: str
    followup_note: str | None
    first_sale_at: datetime | None
    thanks_due_at: datetime | None
    credit: str | None
    satisfaction: int | None
    loyalty: int | None
    search_key: str
    graded_at: datetime
    followed_up_at: datetime | None
    phone_key: str | None
    email_key: str | None
    thanks_since: datetime | None
    referred_at: datetime | None
    created_by: str | None
    updated_by: str | None
    sort_key: str
    pinyin: str | None
    initials: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        name: str,
        name_key: str,
        company: str | None = None,
        title: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        address: str | None = None,
        source: str | None = None,
        referred_by_id: int | None = None,
        notes: str | None = None,
        grade: str = "F",
        owner: str | None = None,
        created_at: datetime,
        updated_at: datetime,
        archived_at: datetime | None = None,
        last_contact_at: datetime | None = None,
        last_visit_at: datetime | None = None,
        first_visit_at: datetime | None = None,
        next_followup_on: date | None = None,
        followup_kind: str = "cadence",
        followup_note: str | None = None,
        first_sale_at: datetime | None = None,
        thanks_due_at: datetime | None = None,
        credit: str | None = None,
        satisfaction: int | None = None,
        loyalty: int | None = None,
        search_key: str = "",
        graded_at: datetime,
        followed_up_at: datetime | None = None,
        phone_key: str | None = None,
        email_key: str | None = None,
        thanks_since: datetime | None = None,
        referred_at: datetime | None = None,
        created_by: str | None = None,
        updated_by: str | None = None,
        sort_key: str = "",
        pinyin: str | None = None,
        initials: str | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.name_key = name_key
        self.company = company
        self.title = title
        self.phone = phone
        self.email = email
        self.address = address
        self.source = source
        self.referred_by_id = referred_by_id
        self.notes = notes
        self.grade = grade
        self.owner = owner
        self.created_at = created_at
        self.updated_at = updated_at
        self.archived_at = archived_at
        self.last_contact_at = last_contact_at
        self.last_visit_at = last_visit_at
        self.first_visit_at = first_visit_at
        self.next_followup_on = next_followup_on
        self.followup_kind = followup_kind
        self.followup_note = followup_note
        self.first_sale_at = first_sale_at
        self.thanks_due_at = thanks_due_at
        self.credit = credit
        self.satisfaction = satisfaction
        self.loyalty = loyalty
        self.search_key = search_key
        self.graded_at = graded_at
        self.followed_up_at = followed_up_at
        self.phone_key = phone_key
        self.email_key = email_key
        self.thanks_since = thanks_since
        self.referred_at = referred_at
        self.created_by = created_by
        self.updated_by = updated_by
        self.sort_key = sort_key
        self.pinyin = pinyin
        self.initials = initials

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
        __slots__ = __columns__

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

        def __init__(
            self,
            *,
            id: int,
            name: str,
            company: str | None,
            title: str | None,
            phone: str | None,
            email: str | None,
            address: str | None,
            source: str | None,
            referred_by_id: int | None,
            notes: str | None,
            grade: str,
            owner: str | None,
            created_at: datetime,
            updated_at: datetime,
            archived_at: object,
            first_sale_at: object,
            graded_at: datetime,
            last_visit_at: object,
        ) -> None:
            self.id = id
            self.name = name
            self.company = company
            self.title = title
            self.phone = phone
            self.email = email
            self.address = address
            self.source = source
            self.referred_by_id = referred_by_id
            self.notes = notes
            self.grade = grade
            self.owner = owner
            self.created_at = created_at
            self.updated_at = updated_at
            self.archived_at = archived_at
            self.first_sale_at = first_sale_at
            self.graded_at = graded_at
            self.last_visit_at = last_visit_at


class ClientMerge(Record):
    """A card merged into this one (`clientcard merge KEEP OTHER`, issue 14, migration 0008):"""

    __table__: ClassVar[str] = "client_merge"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "merged_id",
        "merged_name",
        "merged_at",
        "taken",
        "dropped",
        "moved",
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "datetime", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"merged_name": 200, "taken": 200, "author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    merged_id: int
    merged_name: str
    merged_at: datetime
    taken: str | None
    dropped: str | None
    moved: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        merged_id: int,
        merged_name: str,
        merged_at: datetime,
        taken: str | None = None,
        dropped: str | None = None,
        moved: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.merged_id = merged_id
        self.merged_name = merged_name
        self.merged_at = merged_at
        self.taken = taken
        self.dropped = dropped
        self.moved = moved
        self.author = author


class ClientReach(Record):
    """One of a card's phones or e-mail addresses (issue 14, migration 0007): its kind (`phone`"""

    __table__: ClassVar[str] = "client_reach"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "kind",
        "position",
        "label",
        "value",
        "key",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"kind": 10, "label": 50, "value": 200, "key": 200}
    __slots__ = __columns__

    id: int | None
    client_id: int
    kind: str
    position: int
    label: str | None
    value: str
    key: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        kind: str,
        position: int,
        label: str | None = None,
        value: str,
        key: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.kind = kind
        self.position = position
        self.label = label
        self.value = value
        self.key = key


class ClientTag(Record):
    """A tag on a card. A table of its own so `list --tag` is an indexed lookup."""

    __table__: ClassVar[str] = "client_tag"
    __columns__: ClassVar[tuple[str, ...]] = ("client_id", "tag")
    __kinds__: ClassVar[tuple[str, ...]] = ("", "")
    __key__: ClassVar[tuple[str, ...]] = ("client_id", "tag")
    __lengths__: ClassVar[dict[str, int]] = {"tag": 100}
    __slots__ = __columns__

    client_id: int
    tag: str

    def __init__(
        self,
        *,
        client_id: int,
        tag: str,
    ) -> None:
        self.client_id = client_id
        self.tag = tag


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
        "cause",
        "cause_note",
        "responsibility",
        "author",
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
        "",
        "",
        "",
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "severity": 10,
        "status": 10,
        "cause": 40,
        "responsibility": 10,
        "author": 100,
    }
    __slots__ = __columns__

    id: int | None
    client_id: int
    what: str
    severity: str
    status: str
    received_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    result: str | None
    satisfaction: int | None
    cause: str | None
    cause_note: str | None
    responsibility: str
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        what: str,
        severity: str,
        status: str = "open",
        received_at: datetime,
        first_response_at: datetime | None = None,
        resolved_at: datetime | None = None,
        result: str | None = None,
        satisfaction: int | None = None,
        cause: str | None = None,
        cause_note: str | None = None,
        responsibility: str = "unknown",
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.what = what
        self.severity = severity
        self.status = status
        self.received_at = received_at
        self.first_response_at = first_response_at
        self.resolved_at = resolved_at
        self.result = result
        self.satisfaction = satisfaction
        self.cause = cause
        self.cause_note = cause_note
        self.responsibility = responsibility
        self.author = author


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
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "datetime", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"kind": 10, "author": 100}
    __slots__ = __columns__

    id: int | None
    complaint_id: int
    kind: str
    at: datetime
    text: str | None
    satisfaction: int | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        complaint_id: int,
        kind: str,
        at: datetime,
        text: str | None = None,
        satisfaction: int | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.complaint_id = complaint_id
        self.kind = kind
        self.at = at
        self.text = text
        self.satisfaction = satisfaction
        self.author = author


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
        "due_by",
        "author",
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
        "datetime",
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "via": 20,
        "with_person": 200,
        "source": 20,
        "author": 100,
    }
    __slots__ = __columns__

    id: int | None
    client_id: int
    at: datetime
    via: str
    summary: str | None
    with_person: str | None
    next_on: date | None
    logged_at: datetime
    source: str | None
    source_id: int | None
    greeting: bool
    due_by: datetime | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        at: datetime,
        via: str,
        summary: str | None = None,
        with_person: str | None = None,
        next_on: date | None = None,
        logged_at: datetime,
        source: str | None = None,
        source_id: int | None = None,
        greeting: bool = False,
        due_by: datetime | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.at = at
        self.via = via
        self.summary = summary
        self.with_person = with_person
        self.next_on = next_on
        self.logged_at = logged_at
        self.source = source
        self.source_id = source_id
        self.greeting = greeting
        self.due_by = due_by
        self.author = author


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
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "datetime", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"from_grade": 1, "to_grade": 1, "author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    from_grade: str | None
    to_grade: str
    changed_at: datetime
    reason: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        from_grade: str | None = None,
        to_grade: str,
        changed_at: datetime,
        reason: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.from_grade = from_grade
        self.to_grade = to_grade
        self.changed_at = changed_at
        self.reason = reason
        self.author = author


class Handover(Record):
    """A card changing hands (issue 17, migration 0011): handed over to a colleague"""

    __table__: ClassVar[str] = "handover"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "client_id",
        "kind",
        "from_owner",
        "to_owner",
        "at",
        "reason",
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "datetime", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "kind": 10,
        "from_owner": 100,
        "to_owner": 100,
        "author": 100,
    }
    __slots__ = __columns__

    id: int | None
    client_id: int
    kind: str
    from_owner: str | None
    to_owner: str | None
    at: datetime
    reason: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        kind: str,
        from_owner: str | None = None,
        to_owner: str | None = None,
        at: datetime,
        reason: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.kind = kind
        self.from_owner = from_owner
        self.to_owner = to_owner
        self.at = at
        self.reason = reason
        self.author = author


class Holiday(Record):
    """A holiday for greeting many clients at once: on one day (`on`), or every year by a rule"""

    __table__: ClassVar[str] = "holiday"
    __columns__: ClassVar[tuple[str, ...]] = (
        "id",
        "on",
        "name",
        "audience",
        "author",
        "yearly",
        "month",
        "day",
        "leap",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "date", "", "", "", "", "", "", "bool")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "name": 200,
        "audience": 110,
        "author": 100,
        "yearly": 10,
    }
    __slots__ = __columns__

    id: int | None
    on: date | None
    name: str
    audience: str
    author: str | None
    yearly: str | None
    month: int | None
    day: int | None
    leap: bool

    def __init__(
        self,
        *,
        id: int | None = None,
        on: date | None = None,
        name: str,
        audience: str = "customers",
        author: str | None = None,
        yearly: str | None = None,
        month: int | None = None,
        day: int | None = None,
        leap: bool = False,
    ) -> None:
        self.id = id
        self.on = on
        self.name = name
        self.audience = audience
        self.author = author
        self.yearly = yearly
        self.month = month
        self.day = day
        self.leap = leap


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
        "author",
        "lunar",
        "leap",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "", "bool", "", "", "bool", "bool")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"kind": 20, "author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    kind: str
    month: int
    day: int
    year: int | None
    yearly: bool
    note: str | None
    author: str | None
    lunar: bool
    leap: bool

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        kind: str,
        month: int,
        day: int,
        year: int | None = None,
        yearly: bool = False,
        note: str | None = None,
        author: str | None = None,
        lunar: bool = False,
        leap: bool = False,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.kind = kind
        self.month = month
        self.day = day
        self.year = year
        self.yearly = yearly
        self.note = note
        self.author = author
        self.lunar = lunar
        self.leap = leap


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
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {
        "name": 200,
        "role": 100,
        "phone": 100,
        "email": 200,
        "author": 100,
    }
    __slots__ = __columns__

    id: int | None
    client_id: int
    name: str
    role: str
    phone: str | None
    email: str | None
    note: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        name: str,
        role: str,
        phone: str | None = None,
        email: str | None = None,
        note: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.name = name
        self.role = role
        self.phone = phone
        self.email = email
        self.note = note
        self.author = author


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
        "author",
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
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"kind": 20, "place": 200, "status": 20, "author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    what: str
    kind: str
    due_at: datetime
    all_day: bool
    due_on: date | None
    place: str | None
    status: str
    short_notice: bool
    made_at: datetime
    closed_at: datetime | None
    confirmed_at: datetime | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        what: str,
        kind: str,
        due_at: datetime,
        all_day: bool = False,
        due_on: date | None = None,
        place: str | None = None,
        status: str = "open",
        short_notice: bool = False,
        made_at: datetime,
        closed_at: datetime | None = None,
        confirmed_at: datetime | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.what = what
        self.kind = kind
        self.due_at = due_at
        self.all_day = all_day
        self.due_on = due_on
        self.place = place
        self.status = status
        self.short_notice = short_notice
        self.made_at = made_at
        self.closed_at = closed_at
        self.confirmed_at = confirmed_at
        self.author = author


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
        "author",
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
        "",
    )
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"event": 20, "by": 20, "author": 100}
    __slots__ = __columns__

    id: int | None
    promise_id: int
    event: str
    at: datetime
    due_at: datetime | None
    all_day: bool | None
    due_on: date | None
    told_at: datetime | None
    by: str | None
    short_notice: bool
    reason: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        promise_id: int,
        event: str,
        at: datetime,
        due_at: datetime | None = None,
        all_day: bool | None = None,
        due_on: date | None = None,
        told_at: datetime | None = None,
        by: str | None = None,
        short_notice: bool = False,
        reason: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.promise_id = promise_id
        self.event = event
        self.at = at
        self.due_at = due_at
        self.all_day = all_day
        self.due_on = due_on
        self.told_at = told_at
        self.by = by
        self.short_notice = short_notice
        self.reason = reason
        self.author = author


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
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "datetime", "", "", "", "", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"credit": 10, "author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    at: datetime
    credit: str | None
    satisfaction: int | None
    loyalty: int | None
    reason: str | None
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        at: datetime,
        credit: str | None = None,
        satisfaction: int | None = None,
        loyalty: int | None = None,
        reason: str | None = None,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.at = at
        self.credit = credit
        self.satisfaction = satisfaction
        self.loyalty = loyalty
        self.reason = reason
        self.author = author


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
        "author",
    )
    __kinds__: ClassVar[tuple[str, ...]] = ("", "", "", "", "datetime", "datetime", "")
    __key__: ClassVar[tuple[str, ...]] = ("id",)
    __lengths__: ClassVar[dict[str, int]] = {"author": 100}
    __slots__ = __columns__

    id: int | None
    client_id: int
    amount_minor: int
    what: str | None
    sold_at: datetime
    recorded_at: datetime
    author: str | None

    def __init__(
        self,
        *,
        id: int | None = None,
        client_id: int,
        amount_minor: int,
        what: str | None = None,
        sold_at: datetime,
        recorded_at: datetime,
        author: str | None = None,
    ) -> None:
        self.id = id
        self.client_id = client_id
        self.amount_minor = amount_minor
        self.what = what
        self.sold_at = sold_at
        self.recorded_at = recorded_at
        self.author = author
