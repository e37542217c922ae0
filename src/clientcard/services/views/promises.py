"""The views of promises: one promise, and the keep-rate."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from clientcard.domain.agenda import PromiseKind, PromiseStatus
from clientcard.i18n import _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class PromiseView(Keyed):
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
    reason: str | None = None  # why it was last moved or cancelled, as given with --reason
    confirmed_at: datetime | None = None  # an appointment the client confirmed
    to_confirm: bool = False  # an open appointment within the notice window, not confirmed
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    # `promise list` (docs/formats.md).
    KEYS: ClassVar[Keys["PromiseView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "kind",
        "what",
        ("due", lambda v: v.due_value()),
        "all_day",
        ("where", "place"),
        "status",
        "overdue",
        "moves",
        "short_notice",
        "made_at",
        "closed_at",
        "reason",
        "confirmed_at",
        "author",
    )

    def due_value(self) -> datetime | date:
        """The local day when the promise is due all that day, else the moment."""
        return self.due_day if self.due_day is not None else self.due

    def confirmation(self) -> str | None:
        """For people: `confirmed`, or `confirm or tell the client now` for an appointment in
        the notice window not yet confirmed; nothing otherwise."""
        if self.confirmed_at is not None:
            return _("confirmed")
        return _("confirm or tell the client now") if self.to_confirm else None


@dataclass(frozen=True)
class KeepRate(Keyed):
    kept_on_time: int
    counted: int
    rate: float | None

    KEYS: ClassVar[Keys["KeepRate"]] = Keys("kept_on_time", "counted", "rate")

    def short(self) -> str:
        if self.rate is None:
            return _("no closed promises yet")
        return _("{rate} ({kept} of {counted} kept on time)").format(
            rate=format(self.rate, ".0%"), kept=self.kept_on_time, counted=self.counted
        )

    def describe(self) -> str:
        return _("keep-rate: {rate}").format(rate=self.short())
