"""The views of a card: a reference to one (ClientRef) and its fields (ClientView)."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from clientcard.domain.grades import Grade
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
        return f"#{self.id} {self.name}" + (f" ({self.company})" if self.company else "")


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
    )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def customer(self) -> bool:
        return self.first_sale_at is not None

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


CLIENT_FIELDS = ClientView.KEYS.names
