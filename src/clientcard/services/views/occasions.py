"""The views of occasions and holidays: a client's key date, a holiday, and a holiday a card
will be greeted for (which reads like an occasion)."""

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from clientcard.domain.occasions import (
    DayOfYear,
    HolidayRule,
    OccasionKind,
    audience_words,
    day_text,
)
from clientcard.domain.refs import record_ref
from clientcard.i18n import N_, _, ngettext
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys

# The kinds of occasion as a card's line names them (their values), for the catalog.
KIND_WORDS = (
    N_("birthday"),
    N_("anniversary"),
    N_("promotion"),
    N_("company-move"),
    N_("new-product"),
    N_("certification"),
    N_("other"),
)


def _ago(days: int) -> str:
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in {n} day", "in {n} days", days).format(n=days)
    return ngettext("{n} day ago", "{n} days ago", -days).format(n=-days)


@dataclass(frozen=True)
class OccasionView(Keyed):
    """A key date and the next day it falls on (a one-off date: its day, even past)."""

    id: int
    client: ClientRef
    kind: OccasionKind
    day: DayOfYear
    yearly: bool
    note: str | None
    next_on: date
    days_until: int
    client_archived: bool = False

    # `date list`, and the card page's `upcoming_occasions` (docs/occasions.md).
    KEYS: ClassVar[Keys["OccasionView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "kind",
        ("date", "next_on"),
        ("year", "day.year"),
        "yearly",
        "note",
        "days_until",
        # Issue 18: a lunar date's `08-15` / `L04-08` (a leap month), null for a solar one.
        ("lunar", lambda v: v.day.lunar_code()),
    )

    def describe(self) -> str:
        """`D3 birthday 11-29 (yearly)`, `D4 birthday 农历八月十五 (yearly)`."""
        message = _("{ref} {kind} {day} (yearly)") if self.yearly else _("{ref} {kind} {day}")
        return message.format(
            ref=record_ref("date", self.id), kind=_(self.kind.value), day=self.day.label()
        )

    def when(self) -> str:
        """`next Sun 2026-11-29, in 9 days`."""
        message = _("next {day}, {ago}") if self.yearly else _("{day}, {ago}")
        return message.format(day=day_text(self.next_on), ago=_ago(self.days_until))


@dataclass(frozen=True)
class HolidayView(Keyed):
    """A holiday on one day, or a yearly one (`rule`) and the next day it falls on."""

    id: int
    on: date
    name: str
    audience: str
    cards: int  # live cards in the audience now
    days_until: int
    rule: HolidayRule | None = None

    # `holiday list` (docs/occasions.md). `rule`: a yearly holiday's `solar:10-01`,
    # `lunar:08-15`, `lunar:L04-08` or `qingming`; null for one on one day.
    KEYS: ClassVar[Keys["HolidayView"]] = Keys(
        "id",
        ("date", "on"),
        "name",
        "audience",
        "cards",
        "days_until",
        ("rule", lambda v: v.rule.code() if v.rule is not None else None),
    )

    def every_year(self) -> str:
        """For people: `农历八月十五`, `10-01`, `清明`; empty for a holiday on one day."""
        return self.rule.label() if self.rule is not None else ""

    def describe(self) -> str:
        """`H2 春节 on Sat 2027-02-06 for customers`; a yearly one: `H3 中秋 (every year,
        农历八月十五) next on Wed 2027-09-15 for customers`."""
        day = day_text(self.on)
        ref = record_ref("holiday", self.id)
        if self.rule is not None:
            return _("{ref} {name} (every year, {rule}) next on {day} for {audience}").format(
                ref=ref,
                name=self.name,
                rule=self.rule.label(),
                day=day,
                audience=audience_words(self.audience),
            )
        return _("{ref} {name} on {day} for {audience}").format(
            ref=ref, name=self.name, day=day, audience=audience_words(self.audience)
        )


@dataclass(frozen=True)
class HolidayGreetingView(Keyed):
    """A holiday a card will be greeted for (its audience holds the card), for the card page.
    Its row has the keys of an occasion's, with kind `holiday` and the holiday's id."""

    id: int
    client: ClientRef
    name: str
    on: date
    days_until: int

    KEYS: ClassVar[Keys["HolidayGreetingView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        ("kind", lambda v: "holiday"),
        ("date", "on"),
        ("year", "on.year"),
        ("yearly", lambda v: False),
        ("note", "name"),
        "days_until",
        ("lunar", lambda v: None),
    )
