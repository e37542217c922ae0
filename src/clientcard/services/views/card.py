"""The view of a card as `show` starts it: its fields, grade history, referrals and agenda."""

from dataclasses import dataclass, field
from typing import Any

from clientcard.services.views.clients import ClientRef, ClientView
from clientcard.services.views.contacts import ContactView, FollowupView
from clientcard.services.views.grades import GradeChangeView
from clientcard.services.views.promises import KeepRate, PromiseView

# The keys a card's own sections leave out: the card is the page's.
CLIENT_KEYS = ("client_id", "client")


def mine(row: dict[str, Any]) -> dict[str, Any]:
    """A row without the card's keys, for a section of that card's page."""
    return {k: v for k, v in row.items() if k not in CLIENT_KEYS}


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
            "recent_contacts": [mine(c.row()) for c in self.recent_contacts],
            "open_promises": [mine(p.row()) for p in self.open_promises],
            "keep_rate": self.keep_rate.row(),
        }


@dataclass(frozen=True)
class CardView:
    """Everything `show` prints about one card."""

    client: ClientView
    history: list[GradeChangeView]
    referrals: list[ClientRef] = field(default_factory=list)
    agenda: CardAgenda | None = None

    def row(self) -> dict[str, Any]:
        data = self.client.row()
        referrer = self.client.referred_by
        data["referred_by"] = referrer.row() if referrer else None
        data["grade_meaning"] = self.client.grade.meaning
        data["archived_at"] = self.client.archived_at
        data["grade_history"] = [mine(h.row()) for h in self.history]
        data["referrals"] = [r.row() for r in self.referrals]
        if self.agenda is not None:
            data.update(self.agenda.row())
        return data
