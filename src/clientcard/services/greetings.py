"""The greetings that occasions make due in `due`: key dates and holidays.

`due` reads only what can be due: key dates through the (month, day) index, holidays through the
index on their day, and the greetings that clear them in one grouped query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clientcard.domain.agenda import Channel, ItemKind, urgency
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.grades import Grade
from clientcard.domain.occasions import (
    GRACE_DAYS,
    GREETING_CHANNELS,
    Greeting,
    OccasionKind,
    call_cleared_from,
    card_cleared_from,
    greeting,
    occurrences,
)
from clientcard.domain.settings import Settings
from clientcard.i18n import N_
from clientcard.services.holidays import audience_cards, holidays_between
from clientcard.services.occasions import KEY_DATE_AND_CLIENT, day_of, month_day_filter
from clientcard.services.said import Said, day_said, said
from clientcard.services.views import DueItem
from clientcard.store.db import Db
from clientcard.store.records import Client, KeyDate
from clientcard.store.where import Where

# Up to this many clients, the greetings that clear occasions are read by client id; beyond it
# (a holiday for thousands of customers) by their time alone, which the window keeps recent.
MAX_IDS_IN_QUERY = 500


# ---- due -------------------------------------------------------------------------------------

# An occasion's kind as a reason names it (OccasionKind.label, translated for people).
OCCASION_LABELS = {
    "birthday": N_("birthday"),
    "anniversary": N_("anniversary"),
    "promotion": N_("promotion"),
    "company-move": N_("company move"),
    "new-product": N_("new product"),
    "certification": N_("certification"),
    "other": N_("other"),
}


def _greeting_reason(g: Greeting, occasion: Said, today: date, *, past: Said) -> Said:
    """Why the greeting is listed, in English (the machine formats) and
    in the interface's language."""
    if g.overdue:
        return said(N_("belated: {past}; call now"), past=past)
    if g.card_by >= today:
        if g.call_on == g.on:
            return said(
                N_("post a card by {day} for {occasion}, or call on the day"),
                day=day_said(g.card_by),
                occasion=occasion,
            )
        return said(
            N_("post a card by {day} for {occasion}, or call by {call_day}"),
            day=day_said(g.card_by),
            occasion=occasion,
            call_day=day_said(g.call_on),
        )
    if today <= g.call_on < g.on:
        return said(
            N_("call by {day} for {occasion} (too late to post a card)"),
            day=day_said(g.call_on),
            occasion=occasion,
        )
    return said(N_("call on {day} (too late to post a card)"), day=day_said(g.on))


@dataclass(frozen=True)
class _Occasion:
    """One occasion of one client that may need a greeting."""

    key: tuple[str, int, int]  # one item per occasion and client
    client_id: int
    client: str
    grade: Grade
    on: date
    what: Said
    occasion: Said  # inside a sentence: "the Sun 2026-11-29 birthday"
    past: Said  # after the day: "the birthday was Sun 2026-11-29"
    note: str | None
    record_id: int
    yearly: bool = False  # a yearly holiday (issue 18)

    @property
    def ident(self) -> str:
        """Which greeting, for a calendar's UID: a key date's in one year (`date-3-2026`: a
        birthday's greeting each year is an event of its own), a holiday's for one card
        (`holiday-7-12`)."""
        kind, record_id, client_id = self.key
        if kind == "date":
            return f"date-{record_id}-{self.on.year}"
        if self.yearly:  # a yearly holiday's greeting each year is an event of its own
            return f"holiday-{record_id}-{client_id}-{self.on.year}"
        return f"holiday-{record_id}-{client_id}"


def _key_date_occasions(db: Db, first: date, last: date) -> list[_Occasion]:
    where = Where("client.archived_at IS NULL")
    ranges = month_day_filter(first, last)
    if ranges is not None:
        condition, days = ranges
        where.add(condition, **days)
    # By id, so that a client's occasions on the same day come in the same order everywhere.
    query = f"{KEY_DATE_AND_CLIENT} {where.tail('key_date.id')}"
    found = []
    for key_date, client in db.pairs(KeyDate, Client, query, **where.params):
        assert key_date.id is not None
        kind = said(OCCASION_LABELS.get(key_date.kind, OccasionKind(key_date.kind).label))
        for on in occurrences(day_of(key_date), key_date.yearly, first, last):
            found.append(
                _Occasion(
                    key=("date", key_date.id, key_date.client_id),
                    client_id=key_date.client_id,
                    client=client.name,
                    grade=Grade(client.grade),
                    on=on,
                    what=said(N_("{kind} on {day}"), kind=kind, day=day_said(on)),
                    occasion=said(N_("the {day} {kind}"), kind=kind, day=day_said(on)),
                    past=said(N_("the {kind} was {day}"), kind=kind, day=day_said(on)),
                    note=key_date.note,
                    record_id=key_date.id,
                )
            )
    return found


def _holiday_occasions(db: Db, first: date, last: date) -> list[_Occasion]:
    found = []
    for holiday, on in holidays_between(db, first, last):
        assert holiday.id is not None
        source, where = audience_cards(holiday.audience)
        for client_id, name, grade in db.rows(f"{source} {where}", **where.params):
            found.append(
                _Occasion(
                    key=("holiday", holiday.id, client_id),
                    client_id=client_id,
                    client=name,
                    grade=Grade(grade),
                    on=on,
                    what=said(N_("{holiday} greetings"), holiday=holiday.name),
                    occasion=said(N_("{holiday} on {day}"), holiday=holiday.name, day=day_said(on)),
                    past=said(N_("{holiday} was {day}"), holiday=holiday.name, day=day_said(on)),
                    note=None,
                    record_id=holiday.id,
                    yearly=holiday.on is None,
                )
            )
    return found


@dataclass
class _Greeted:
    """A client's latest greeting contacts: by card or gift, and by call."""

    card: datetime | None = None
    call: datetime | None = None

    def note(self, via: str, at: datetime) -> None:
        if via == Channel.call:
            self.call = at if self.call is None or at > self.call else self.call
        else:
            self.card = at if self.card is None or at > self.card else self.card


def _last_greetings(db: Db, client_ids: set[int], since: datetime) -> dict[int, _Greeted]:
    """The latest greeting contacts (card or gift; call) since `since` of each client, in one
    query: grouped by client through the (client_id, at) index for a few clients; for a
    holiday's thousands of customers, the greetings since then through the index on `at` (the
    window keeps them few), folded here."""
    vias = sorted(c.value for c in GREETING_CHANNELS)
    latest: dict[int, _Greeted] = {}
    if len(client_ids) <= MAX_IDS_IN_QUERY:
        rows = db.rows(
            "SELECT contact.client_id, contact.via, max(contact.at) FROM contact "
            "WHERE contact.via IN :vias AND contact.at >= :since AND contact.client_id IN :ids "
            "GROUP BY contact.client_id, contact.via",
            ("", "", "datetime"),
            vias=vias,
            since=since,
            ids=sorted(client_ids),
        )
    else:
        rows = db.rows(
            "SELECT contact.client_id, contact.via, contact.at FROM contact "
            "WHERE contact.via IN :vias AND contact.at >= :since",
            ("", "", "datetime"),
            vias=vias,
            since=since,
        )
    for client_id, via, at in rows:
        if client_id in client_ids and at is not None:
            latest.setdefault(client_id, _Greeted()).note(via, at)
    return latest


def occasion_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    """The greetings due by `end`: one per key date, and one per holiday and client in its
    audience, unless a card, gift or call since shortly before the card date cleared it."""
    tz = zone_of(now)
    today = local_date(now, tz)
    last_day = local_date(end - timedelta(microseconds=1), tz)
    lead_card, lead_call = settings.lead_days("card"), settings.lead_days("call")
    first = today - timedelta(days=GRACE_DAYS)
    last = last_day + timedelta(days=max(lead_card, lead_call))
    if last < first:
        return []
    found = _key_date_occasions(db, first, last) + _holiday_occasions(db, first, last)
    planned = []
    for occasion in found:
        plan = greeting(occasion.on, today, lead_card=lead_card, lead_call=lead_call)
        if plan is not None and plan.due <= last_day:
            planned.append((occasion, plan))
    if not planned:
        return []

    def card_from(on: date) -> datetime:
        return local_day_start(card_cleared_from(on, lead_card=lead_card), tz)

    def call_from(on: date) -> datetime:
        return local_day_start(call_cleared_from(on, lead_call=lead_call), tz)

    def done(occasion: _Occasion) -> bool:
        greeted = greetings.get(occasion.client_id)
        if greeted is None:
            return False
        by_card = greeted.card is not None and greeted.card >= card_from(occasion.on)
        by_call = greeted.call is not None and greeted.call >= call_from(occasion.on)
        return by_card or by_call

    greetings = _last_greetings(
        db,
        {o.client_id for o, _ in planned},
        min(min(card_from(o.on), call_from(o.on)) for o, _ in planned),
    )
    items: list[DueItem] = []
    seen: set[tuple[str, int, int]] = set()
    for occasion, plan in sorted(planned, key=lambda p: p[0].on):
        if occasion.key in seen or done(occasion):
            continue
        seen.add(occasion.key)
        reason = _greeting_reason(plan, occasion.occasion, today, past=occasion.past)
        if occasion.note:
            reason += said(N_(" · {note}"), note=occasion.note)
        items.append(
            DueItem(
                kind=ItemKind.occasion,
                urgency=urgency(
                    ItemKind.occasion,
                    occasion.grade,
                    overdue=plan.overdue,
                    overdue_days=plan.overdue_days,
                ),
                client_id=occasion.client_id,
                client=occasion.client,
                grade=occasion.grade,
                what=occasion.what.english,
                what_shown=occasion.what.shown,
                due=plan.due,
                sort_key=local_day_start(plan.due, tz),
                overdue=plan.overdue,
                overdue_days=plan.overdue_days,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=occasion.record_id,
                ident=occasion.ident,
            )
        )
    return items
