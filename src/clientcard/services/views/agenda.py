"""The view of `due`: one thing to do for a client, whichever source made it due."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from clientcard.domain.agenda import ItemKind
from clientcard.domain.grades import Grade
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class DueItem(Keyed):
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
    # The card's company and the phone to call (its first number), filled in by `due` for
    # every item whatever its source.
    company: str | None = None
    phone: str | None = None
    # For a calendar (`due --format ics`, `export --format ics`; docs/calendar.md), not keys of
    # the machine formats: the appointment's place; which record the item is, stable while the
    # record lives (`promise-3`, `followup-12` for card #12's follow-up: the event's UID); and
    # when the record or its card last changed, filled in only when `due` is asked for it.
    place: str | None = None
    ident: str = ""
    changed_at: datetime | None = None
    # The card's sort_key (issue 18): items due alike are ordered by name as `list` orders
    # them, Chinese names by pinyin. Not a key of the machine formats.
    client_order: str = ""
    # The reason, and a follow-up's `what`, in the interface's language, for people
    # (`shown_row()`); the keys `reason` and `what` stay English for JSON/CSV/TSV. None: as the key.
    reason_shown: str | None = None
    what_shown: str | None = None

    SHOWN: ClassVar[dict[str, str]] = {"reason": "reason_shown", "what": "what_shown"}

    # `due` (docs/agenda.md).
    KEYS: ClassVar[Keys["DueItem"]] = Keys(
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
        ("flags", lambda v: list(v.flags)),
        "record_id",
        "company",
        "phone",
    )
