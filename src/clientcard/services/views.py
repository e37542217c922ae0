"""What services hand back: plain, immutable values with the documented machine keys."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clientcard.domain.agenda import Channel, FollowupKind, ItemKind, PromiseKind, PromiseStatus
from clientcard.domain.grades import Grade

CLIENT_FIELDS = [
    "id",
    "name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "referred_by",
    "tags",
    "notes",
    "grade",
    "owner",
    "created_at",
    "updated_at",
    "archived",
    "customer",
]


@dataclass(frozen=True)
class ClientRef:
    id: int
    name: str
    company: str | None
    grade: Grade

    def label(self) -> str:
        return f"#{self.id} {self.name}" + (f" ({self.company})" if self.company else "")


@dataclass(frozen=True)
class ClientView:
    id: int
    name: str
    company: str | None
    title: str | None
    phone: str | None
    email: str | None
    address: str | None
    source: str | None
    referred_by: ClientRef | None
    tags: list[str]
    notes: str | None
    grade: Grade
    owner: str | None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    first_sale_at: datetime | None = None  # set by the first sale: a customer, not a prospect

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def customer(self) -> bool:
        return self.first_sale_at is not None

    def ref(self) -> ClientRef:
        return ClientRef(self.id, self.name, self.company, self.grade)

    def row(self) -> dict[str, Any]:
        """The machine form: the keys of CLIENT_FIELDS (referred_by is the referrer's id)."""
        values = {k: getattr(self, k) for k in CLIENT_FIELDS if k != "referred_by"}
        values["referred_by"] = self.referred_by.id if self.referred_by else None
        return {k: values[k] for k in CLIENT_FIELDS}

    def summary(self) -> str:
        parts = [f"#{self.id} {self.name}"]
        if self.company:
            parts.append(self.company)
        parts.append(f"grade {self.grade}")
        if self.tags:
            parts.append("tags " + ",".join(self.tags))
        if self.customer:
            parts.append("customer")
        if self.archived:
            parts.append("archived")
        return " · ".join(parts)


@dataclass(frozen=True)
class GradeChangeView:
    client: ClientRef
    from_grade: Grade | None
    to_grade: Grade
    changed_at: datetime
    reason: str | None

    def row(self) -> dict[str, Any]:
        return {
            "client_id": self.client.id,
            "client": self.client.name,
            "from_grade": self.from_grade,
            "to_grade": self.to_grade,
            "changed_at": self.changed_at,
            "reason": self.reason,
        }


GRADE_CHANGE_FIELDS = ["client_id", "client", "from_grade", "to_grade", "changed_at", "reason"]


@dataclass(frozen=True)
class CardView:
    """Everything `show` prints about one card."""

    client: ClientView
    history: list[GradeChangeView]
    referrals: list[ClientRef] = field(default_factory=list)
    agenda: "CardAgenda | None" = None

    def row(self) -> dict[str, Any]:
        data = self.client.row()
        data["referred_by"] = _ref_row(self.client.referred_by)
        data["grade_meaning"] = self.client.grade.meaning
        data["archived_at"] = self.client.archived_at
        data["grade_history"] = [
            {k: v for k, v in h.row().items() if k not in ("client_id", "client")}
            for h in self.history
        ]
        data["referrals"] = [_ref_row(r) for r in self.referrals]
        if self.agenda is not None:
            data.update(self.agenda.row())
        return data


def _ref_row(ref: ClientRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "name": ref.name, "company": ref.company, "grade": ref.grade}


@dataclass(frozen=True)
class LadderRow:
    grade: Grade
    meaning: str
    action: str
    cards: int

    def row(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "meaning": self.meaning,
            "action": self.action,
            "cards": self.cards,
        }


LADDER_FIELDS = ["grade", "meaning", "action", "cards"]


@dataclass(frozen=True)
class FollowupView:
    """A card's next follow-up: when, and why then."""

    on: date | None
    kind: FollowupKind
    note: str | None
    last_contact_at: datetime | None

    def describe(self) -> str:
        if self.on is None:
            return "none"
        why = {
            FollowupKind.cadence: "by the grade's cadence",
            FollowupKind.explicit: "date set by you",
            FollowupKind.recheck: "re-check",
        }[self.kind]
        return f"{self.on.isoformat()} ({why}{': ' + self.note if self.note else ''})"


CONTACT_FIELDS = ["id", "client_id", "client", "at", "via", "summary", "with", "next"]


@dataclass(frozen=True)
class ContactView:
    id: int
    client: ClientRef
    at: datetime
    via: Channel
    summary: str | None
    with_person: str | None
    next_on: date | None

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client.id,
            "client": self.client.name,
            "at": self.at,
            "via": self.via,
            "summary": self.summary,
            "with": self.with_person,
            "next": self.next_on,
        }


PROMISE_FIELDS = [
    "id",
    "client_id",
    "client",
    "kind",
    "what",
    "due",
    "all_day",
    "where",
    "status",
    "overdue",
    "moves",
    "short_notice",
    "made_at",
    "closed_at",
]


@dataclass(frozen=True)
class PromiseView:
    id: int
    client: ClientRef
    kind: PromiseKind
    what: str
    due: datetime
    all_day: bool
    place: str | None
    status: PromiseStatus
    short_notice: bool
    made_at: datetime
    closed_at: datetime | None
    overdue: bool
    due_day: date | None = None  # the local day, when the promise has no time (due all day)
    moves: int = 0

    def due_value(self) -> datetime | date:
        """The local day when the promise is due all that day, else the moment."""
        return self.due_day if self.due_day is not None else self.due

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client.id,
            "client": self.client.name,
            "kind": self.kind,
            "what": self.what,
            "due": self.due_value(),
            "all_day": self.all_day,
            "where": self.place,
            "status": self.status,
            "overdue": self.overdue,
            "moves": self.moves,
            "short_notice": self.short_notice,
            "made_at": self.made_at,
            "closed_at": self.closed_at,
        }


@dataclass(frozen=True)
class KeepRate:
    kept_on_time: int
    counted: int
    rate: float | None

    def short(self) -> str:
        if self.rate is None:
            return "no closed promises yet"
        return f"{self.rate:.0%} ({self.kept_on_time} of {self.counted} kept on time)"

    def describe(self) -> str:
        return f"keep-rate: {self.short()}"

    def row(self) -> dict[str, Any]:
        return {"kept_on_time": self.kept_on_time, "counted": self.counted, "rate": self.rate}


DUE_FIELDS = [
    "kind",
    "urgency",
    "client_id",
    "client",
    "grade",
    "what",
    "due",
    "overdue",
    "overdue_days",
    "reason",
    "flags",
    "record_id",
]


@dataclass(frozen=True)
class DueItem:
    """One line of `due`: something to do for a client, and why now."""

    kind: ItemKind
    urgency: int
    client_id: int
    client: str
    grade: Grade
    what: str
    due: date | datetime  # a day for follow-ups and all-day promises, else a moment
    sort_key: datetime
    overdue: bool
    overdue_days: int
    reason: str
    record_id: int | None  # the promise, complaint, sale or occasion behind the item
    flags: tuple[str, ...] = ()  # e.g. open_complaint, past_response_target

    def row(self) -> dict[str, Any]:
        values = {k: getattr(self, k) for k in DUE_FIELDS}
        values["flags"] = list(self.flags)
        return values


@dataclass(frozen=True)
class CardAgenda:
    """The agenda part of a card's page: contact rhythm, recent contacts, open promises."""

    followup: FollowupView
    recent_contacts: list[ContactView]
    open_promises: list[PromiseView]
    keep_rate: KeepRate

    def row(self) -> dict[str, Any]:
        f = self.followup
        return {
            "last_contact_at": f.last_contact_at,
            "next_followup": {"on": f.on, "kind": f.kind, "note": f.note},
            "recent_contacts": [
                {k: v for k, v in c.row().items() if k not in ("client_id", "client")}
                for c in self.recent_contacts
            ],
            "open_promises": [
                {k: v for k, v in p.row().items() if k not in ("client_id", "client")}
                for p in self.open_promises
            ],
            "keep_rate": self.keep_rate.row(),
        }
