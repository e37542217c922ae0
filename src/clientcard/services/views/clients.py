"""The views of a card: a reference to one (ClientRef) and its fields (ClientView)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from clientcard.domain.dates import local_date, zone_of
from clientcard.domain.grades import FKind, Grade, days_held, f_kind
from clientcard.i18n import _, ngettext
from clientcard.services.views.keys import Keyed, Keys


class StoredCard(Protocol):
    """What a reference is made of: a stored card (store.records.Client), read-only here so
    that views need not import the store."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str | None: ...
    @property
    def grade(self) -> str: ...


@dataclass(frozen=True)
class ClientRef(Keyed):
    id: int
    name: str
    company: str | None
    grade: Grade

    # A card named on another's page: its referrer, its referrals (`show`).
    KEYS: ClassVar[Keys["ClientRef"]] = Keys("id", "name", "company", "grade")

    @classmethod
    def of(cls, card: StoredCard) -> "ClientRef":
        """The reference to a stored card (one that has its id)."""
        assert card.id is not None
        return cls(card.id, card.name, card.company, Grade(card.grade))

    def label(self) -> str:
        """`#1 张伟 (阿里)`, in Chinese with full-width brackets: for people's lines only."""
        company = _(" ({company})").format(company=self.company) if self.company else ""
        return f"#{self.id} {self.name}{company}"


def labelled(entries: Sequence[tuple[str | None, str]], name: str) -> list[dict[str, str | None]]:
    """Phones (`name` "number") or e-mail addresses ("address") as the machine formats give
    them: `[{"label": "work", "number": "010 6552 1234"}, ...]` (docs/formats.md)."""
    return [{"label": label, name: value} for label, value in entries]


@dataclass(frozen=True)
class ClientView(Keyed):
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
    # Issue 11: since when it holds its grade; its last visit (None: never visited, which makes
    # an F card's kind); the command's now, which time in grade is counted to (None: not asked).
    graded_at: datetime | None = None
    last_visit_at: datetime | None = None
    as_of: datetime | None = None
    # Issue 14: every phone and e-mail address, (label or None, as typed), the main one first
    # (it is also `phone`, `email`).
    phones: tuple[tuple[str | None, str], ...] = ()
    emails: tuple[tuple[str | None, str], ...] = ()
    # Issue 17: who added the card and who changed it last (None: before it was recorded).
    created_by: str | None = None
    updated_by: str | None = None

    # `list` and `export` (docs/formats.md); referred_by is the referrer's id.
    KEYS: ClassVar[Keys["ClientView"]] = Keys(
        "id",
        "name",
        "company",
        "title",
        "phone",
        "email",
        "address",
        "source",
        ("referred_by", lambda v: v.referred_by.id if v.referred_by else None),
        "tags",
        "notes",
        "grade",
        "owner",
        "created_at",
        "updated_at",
        "archived",
        "customer",
        "f_kind",
        ("grade_since", "graded_at"),
        "days_in_grade",
        ("phones", lambda v: labelled(v.phones, "number")),
        ("emails", lambda v: labelled(v.emails, "address")),
        "created_by",
        "updated_by",
    )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def customer(self) -> bool:
        return self.first_sale_at is not None

    @property
    def f_kind(self) -> FKind | None:
        """An F card's kind: `new` (never visited) or `slow` (visited); None for A-E."""
        return f_kind(self.grade, self.last_visit_at is not None)

    @property
    def grade_label(self) -> str:
        """The grade as `list` marks it: `A`... `E`, `F-new`, `F-slow`."""
        kind = self.f_kind
        return kind.label if kind else self.grade.value

    @property
    def grade_meaning(self) -> str:
        kind = self.f_kind
        return kind.meaning if kind else self.grade.meaning

    @property
    def grade_action(self) -> str:
        kind = self.f_kind
        return kind.action if kind else self.grade.action

    @property
    def days_in_grade(self) -> int | None:
        """Whole calendar days (in the user's zone) since it took its grade."""
        if self.as_of is None or self.graded_at is None:
            return None
        return days_held(self.graded_at, self.as_of, zone_of(self.as_of))

    def time_in_grade(self) -> str | None:
        """`grade D for 47 days (since 2026-10-20)`."""
        days = self.days_in_grade
        if days is None or self.graded_at is None or self.as_of is None:
            return None
        since = local_date(self.graded_at, zone_of(self.as_of)).isoformat()
        return ngettext(
            "grade {grade} for {n} day (since {since})",
            "grade {grade} for {n} days (since {since})",
            days,
        ).format(grade=self.grade.value, n=days, since=since)

    def summary(self) -> str:
        parts = [f"#{self.id} {self.name}"]
        if self.company:
            parts.append(self.company)
        parts.append(_("grade {grade}").format(grade=self.grade))
        if self.tags:
            parts.append(_("tags {tags}").format(tags=",".join(self.tags)))
        if self.customer:
            parts.append(_("customer"))
        if self.archived:
            parts.append(_("archived"))
        return " · ".join(parts)


CLIENT_FIELDS = ClientView.KEYS.names
