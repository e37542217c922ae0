"""The views of contacts: one logged contact, and a card's next follow-up."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from clientcard.domain.agenda import Channel, ContactSource, FollowupKind
from clientcard.domain.refs import record_ref
from clientcard.i18n import N_, _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class FollowupView:
    """A card's next follow-up: when, and why then."""

    on: date | None
    kind: FollowupKind
    note: str | None
    last_contact_at: datetime | None

    def describe(self) -> str:
        if self.on is None:
            return _("none")
        why = _(
            {
                FollowupKind.cadence: N_("by the grade's cadence"),
                FollowupKind.explicit: N_("date set by you"),
                FollowupKind.recheck: N_("re-check"),
            }[self.kind]
        )
        if self.note:
            return _("{day} ({why}: {note})").format(
                day=self.on.isoformat(), why=why, note=self.note
            )
        return _("{day} ({why})").format(day=self.on.isoformat(), why=why)


GREETING = N_("greeting")


@dataclass(frozen=True)
class ContactView(Keyed):
    id: int
    client: ClientRef
    at: datetime
    via: Channel
    summary: str | None
    with_person: str | None
    next_on: date | None
    source: ContactSource | None = None  # the record that made it; None when logged by hand
    source_id: int | None = None
    greeting: bool = False
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    @property
    def came_from(self) -> str | None:
        """Which record a contact came from, for people: `appointment P3`, `sale S2`,
        `complaint C1` (domain/refs.py), `greeting` (a greeting logged by hand); None for a
        plain log entry."""
        if self.source is not None:
            kind = "promise" if self.source is ContactSource.appointment else self.source.value
            return _("{source} {ref}").format(
                source=_(self.source.value), ref=record_ref(kind, self.source_id)
            )
        return _(GREETING) if self.greeting else None

    # `contacts` (docs/formats.md).
    KEYS: ClassVar[Keys["ContactView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "at",
        "via",
        "summary",
        ("with", "with_person"),
        ("next", "next_on"),
        "source",
        "source_id",
        "greeting",
        "author",
    )
