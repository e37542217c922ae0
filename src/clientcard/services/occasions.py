"""Occasions: a client's key dates (`date add|list|remove`), dated holidays (`holiday
add|list|remove`), the greetings they make due in `due`, and the card page's upcoming occasions.

`due` reads only what can be due: key dates through the (month, day) index, holidays through the
index on their day, and the greetings that clear them in one grouped query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from clientcard.domain.agenda import Channel, ItemKind, urgency
from clientcard.domain.cards import check_length, clean_text
from clientcard.domain.dates import local_day_start
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.occasions import (
    GRACE_DAYS,
    GREETING_CHANNELS,
    Audience,
    DayOfYear,
    OccasionKind,
    audience_tag,
    call_cleared_from,
    card_cleared_from,
    day_text,
    greeting,
    greeting_reason,
    month_day_ranges,
    next_on,
    occurrences,
    parse_audience,
    parse_day,
    parse_kind,
    parse_span,
    yearly_of,
)
from clientcard.domain.settings import Settings
from clientcard.services.clients import ref_of
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import local_date, parse
from clientcard.services.views import ClientRef, DueItem
from clientcard.store.models import Client, ClientTag, Contact, Holiday, KeyDate

OCCASION_FIELDS = [
    "id",
    "client_id",
    "client",
    "kind",
    "date",
    "year",
    "yearly",
    "note",
    "days_until",
]
HOLIDAY_FIELDS = ["id", "date", "name", "audience", "cards", "days_until"]

# Up to this many clients, the greetings that clear occasions are read by client id; beyond it
# (a holiday for thousands of customers) by their time alone, which the window keeps recent.
MAX_IDS_IN_QUERY = 500


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} ago"


@dataclass(frozen=True)
class OccasionView:
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

    def describe(self) -> str:
        """`#3 birthday 11-29 (yearly)`."""
        return f"#{self.id} {self.kind.value} {self.day.text()}" + (
            " (yearly)" if self.yearly else ""
        )

    def when(self) -> str:
        """`next Sun 2026-11-29, in 9 days`."""
        prefix = "next " if self.yearly else ""
        return f"{prefix}{day_text(self.next_on)}, {_ago(self.days_until)}"

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client.id,
            "client": self.client.name,
            "kind": self.kind,
            "date": self.next_on,
            "year": self.day.year,
            "yearly": self.yearly,
            "note": self.note,
            "days_until": self.days_until,
        }


@dataclass(frozen=True)
class HolidayView:
    id: int
    on: date
    name: str
    audience: str
    cards: int  # live cards in the audience now
    days_until: int

    def describe(self) -> str:
        return f"#{self.id} {self.name} on {day_text(self.on)} for {self.audience}"

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.on,
            "name": self.name,
            "audience": self.audience,
            "cards": self.cards,
            "days_until": self.days_until,
        }


def _today(now: datetime) -> date:
    assert now.tzinfo is not None
    return local_date(now, now.tzinfo)


def _day_of(key_date: KeyDate) -> DayOfYear:
    return DayOfYear(key_date.month, key_date.day, key_date.year)


def occasion_view(key_date: KeyDate, client: Client, today: date) -> OccasionView:
    assert key_date.id is not None
    on = next_on(_day_of(key_date), key_date.yearly, today)
    return OccasionView(
        id=key_date.id,
        client=ref_of(client),
        kind=OccasionKind(key_date.kind),
        day=_day_of(key_date),
        yearly=key_date.yearly,
        note=key_date.note,
        next_on=on,
        days_until=(on - today).days,
        client_archived=client.archived_at is not None,
    )


def _order(views: list[OccasionView]) -> list[OccasionView]:
    """Soonest first; one-off dates already past come last, the most recent first."""
    return sorted(
        views,
        key=lambda v: (v.days_until < 0, abs(v.days_until), v.client.name, v.client.id, v.id),
    )


# ---- key dates -------------------------------------------------------------------------------


def add_date(
    session: Session,
    ref: str,
    kind: str,
    when: str,
    *,
    yearly: bool = False,
    note: str | None = None,
    now: datetime,
    settings: Settings,
) -> OccasionView:
    """Record a client's occasion. Birthdays and anniversaries recur every year; other kinds
    happen once unless `yearly`."""
    occasion = parse_kind(kind)
    recurs = yearly_of(occasion, yearly)
    day = parse_day(when, now, date_order=settings.date_order, yearly=recurs, what=occasion.label)
    client = resolve_client(session, ref)
    assert client.id is not None
    same = session.exec(
        select(KeyDate).where(
            KeyDate.client_id == client.id,
            KeyDate.kind == occasion.value,
            KeyDate.month == day.month,
            KeyDate.day == day.day,
        )
    ).all()
    for other in same:
        if other.year == day.year:
            raise Refused(
                f"#{client.id} {client.name} already has this {occasion.label} as date "
                f"#{other.id}; see `clientcard date list {client.id}`"
            )
    key_date = KeyDate(
        client_id=client.id,
        kind=occasion.value,
        month=day.month,
        day=day.day,
        year=day.year,
        yearly=recurs,
        note=clean_text(note),
    )
    session.add(key_date)
    session.flush()
    return occasion_view(key_date, client, _today(now))


def list_dates(
    session: Session,
    ref: str | None = None,
    *,
    within: str | None = None,
    now: datetime,
    settings: Settings,
) -> list[OccasionView]:
    """Key dates by their next day, soonest first: one card's, or every live card's.
    `within` keeps those whose next day falls from today to then."""
    today = _today(now)
    last = parse_span(within, now, date_order=settings.date_order) if within else None
    query = select(KeyDate, Client).join(Client, col(Client.id) == col(KeyDate.client_id))
    if ref:
        query = query.where(KeyDate.client_id == resolve_client(session, ref).id)
    else:
        query = query.where(col(Client.archived_at).is_(None))
    if last is not None:
        ranges = _month_day_filter(today, last)
        if ranges is not None:
            query = query.where(ranges)
    views = [occasion_view(k, c, today) for k, c in session.exec(query)]
    if last is not None:
        views = [v for v in views if today <= v.next_on <= last]
    return _order(views)


def remove_date(session: Session, date_id: int, *, now: datetime) -> OccasionView:
    key_date = session.get(KeyDate, date_id)
    if key_date is None:
        raise NotFound(f"no date #{date_id}; see `clientcard date list`")
    client = session.get(Client, key_date.client_id)
    assert client is not None
    view = occasion_view(key_date, client, _today(now))
    session.delete(key_date)
    session.flush()
    return view


def upcoming_occasions(
    session: Session,
    client_id: int,
    *,
    now: datetime,
    settings: Settings,
    within_days: int = 60,
) -> list[OccasionView]:
    """For the card page: the client's key dates falling from today to `within_days` ahead,
    soonest first."""
    today = _today(now)
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"no card #{client_id}")
    rows = session.exec(select(KeyDate).where(KeyDate.client_id == client_id))
    last = today + timedelta(days=within_days)
    views = [occasion_view(k, client, today) for k in rows]
    return _order([v for v in views if today <= v.next_on <= last])


@dataclass(frozen=True)
class HolidayGreetingView:
    """A holiday a card will be greeted for (its audience holds the card), for the card page.
    Its row has the keys of an occasion's, with kind `holiday` and the holiday's id."""

    id: int
    client: ClientRef
    name: str
    on: date
    days_until: int

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client.id,
            "client": self.client.name,
            "kind": "holiday",
            "date": self.on,
            "year": self.on.year,
            "yearly": False,
            "note": self.name,
            "days_until": self.days_until,
        }


def holidays_for(
    session: Session, client_id: int, *, now: datetime, within_days: int = 60
) -> list[HolidayGreetingView]:
    """The holidays from today to `within_days` ahead whose audience holds this card."""
    today = _today(now)
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"no card #{client_id}")
    holidays = session.exec(
        select(Holiday)
        .where(col(Holiday.on) >= today, col(Holiday.on) <= today + timedelta(days=within_days))
        .order_by(col(Holiday.on), col(Holiday.id))
    ).all()
    found = []
    for holiday in holidays:
        assert holiday.id is not None
        audience = _audience_cards(holiday.audience).where(col(Client.id) == client_id)
        if session.exec(audience).first() is not None:
            days = (holiday.on - today).days
            found.append(
                HolidayGreetingView(holiday.id, ref_of(client), holiday.name, holiday.on, days)
            )
    return found


def _month_day_filter(first: date, last: date) -> Any:
    """A condition on the (month, day) index for the key dates that can fall from `first` to
    `last`; None when any can."""
    runs = month_day_ranges(first, last)
    if runs is None:
        return None
    return or_(
        *(
            and_(col(KeyDate.month) == month, col(KeyDate.day).between(low, high))
            for month, low, high in runs
        )
    )


# ---- holidays --------------------------------------------------------------------------------


def _audience_cards(audience: str) -> Any:
    """The live cards a holiday greets: a query of their id, name and grade."""
    query = select(Client.id, Client.name, Client.grade).where(col(Client.archived_at).is_(None))
    tag = audience_tag(audience)
    if tag is not None:
        query = query.join(ClientTag, col(ClientTag.client_id) == col(Client.id)).where(
            ClientTag.tag == tag
        )
    elif audience == Audience.customers:
        query = query.where(col(Client.first_sale_at).is_not(None))
    return query


def _count(session: Session, audience: str) -> int:
    sub = _audience_cards(audience).subquery()
    return int(session.exec(select(func.count()).select_from(sub)).one())


def _holiday_view(session: Session, holiday: Holiday, today: date) -> HolidayView:
    assert holiday.id is not None
    return HolidayView(
        id=holiday.id,
        on=holiday.on,
        name=holiday.name,
        audience=holiday.audience,
        cards=_count(session, holiday.audience),
        days_until=(holiday.on - today).days,
    )


def add_holiday(
    session: Session,
    when: str,
    name: str,
    *,
    audience: str = Audience.customers.value,
    now: datetime,
    settings: Settings,
) -> HolidayView:
    """A holiday on one day (lunar holidays move: add each year's), greeting its audience:
    customers (live cards with a sale), all live cards, or the live cards with a tag."""
    day = parse(when, now, settings)
    if not day.all_day:
        raise InvalidValue(f"{when.strip()!r} has a time; a holiday is a whole day")
    text = clean_text(name)
    if text is None:
        raise InvalidValue("name the holiday, e.g. 春节 or 'Mid-Autumn Festival'")
    check_length("name", text)
    who = parse_audience(audience)
    on = day.start.date()
    existing = session.exec(select(Holiday).where(Holiday.on == on, Holiday.name == text)).first()
    if existing is not None:
        raise Refused(f"{text} on {day_text(on)} is already holiday #{existing.id}")
    holiday = Holiday(on=on, name=text, audience=who)
    session.add(holiday)
    session.flush()
    return _holiday_view(session, holiday, _today(now))


def list_holidays(session: Session, *, now: datetime) -> list[HolidayView]:
    """Every holiday on file, by day."""
    today = _today(now)
    rows = session.exec(select(Holiday).order_by(col(Holiday.on), col(Holiday.id)))
    return [_holiday_view(session, h, today) for h in rows]


def remove_holiday(session: Session, holiday_id: int, *, now: datetime) -> HolidayView:
    holiday = session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound(f"no holiday #{holiday_id}; see `clientcard holiday list`")
    view = _holiday_view(session, holiday, _today(now))
    session.delete(holiday)
    session.flush()
    return view


# ---- due -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Occasion:
    """One occasion of one client that may need a greeting."""

    key: tuple[str, int, int]  # one item per occasion and client
    client_id: int
    client: str
    grade: Grade
    on: date
    what: str
    occasion: str  # inside a sentence: "the Sun 2026-11-29 birthday"
    past: str  # after the day: "the birthday was Sun 2026-11-29"
    note: str | None
    record_id: int


def _key_date_occasions(session: Session, first: date, last: date) -> list[_Occasion]:
    query = (
        select(KeyDate, Client.name, Client.grade)
        .join(Client, col(Client.id) == col(KeyDate.client_id))
        .where(col(Client.archived_at).is_(None))
    )
    condition = _month_day_filter(first, last)
    if condition is not None:
        query = query.where(condition)
    found = []
    for key_date, name, grade in session.exec(query):
        assert key_date.id is not None
        kind = OccasionKind(key_date.kind).label
        for on in occurrences(_day_of(key_date), key_date.yearly, first, last):
            found.append(
                _Occasion(
                    key=("date", key_date.id, key_date.client_id),
                    client_id=key_date.client_id,
                    client=name,
                    grade=Grade(grade),
                    on=on,
                    what=f"{kind} on {day_text(on)}",
                    occasion=f"the {day_text(on)} {kind}",
                    past=f"the {kind} was {day_text(on)}",
                    note=key_date.note,
                    record_id=key_date.id,
                )
            )
    return found


def _holiday_occasions(session: Session, first: date, last: date) -> list[_Occasion]:
    holidays = session.exec(
        select(Holiday)
        .where(col(Holiday.on) >= first, col(Holiday.on) <= last)
        .order_by(col(Holiday.on), col(Holiday.id))
    ).all()
    found = []
    for holiday in holidays:
        assert holiday.id is not None
        for client_id, name, grade in session.exec(_audience_cards(holiday.audience)):
            found.append(
                _Occasion(
                    key=("holiday", holiday.id, client_id),
                    client_id=client_id,
                    client=name,
                    grade=Grade(grade),
                    on=holiday.on,
                    what=f"{holiday.name} greetings",
                    occasion=f"{holiday.name} on {day_text(holiday.on)}",
                    past=f"{holiday.name} was {day_text(holiday.on)}",
                    note=None,
                    record_id=holiday.id,
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


def _last_greetings(session: Session, client_ids: set[int], since: datetime) -> dict[int, _Greeted]:
    """The latest greeting contacts (card or gift; call) since `since` of each client, in one
    query: grouped by client through the (client_id, at) index for a few clients; for a
    holiday's thousands of customers, the greetings since then through the index on `at` (the
    window keeps them few), folded here."""
    greeting = col(Contact.via).in_(sorted(c.value for c in GREETING_CHANNELS))
    latest: dict[int, _Greeted] = {}
    if len(client_ids) <= MAX_IDS_IN_QUERY:
        rows = session.exec(
            select(Contact.client_id, Contact.via, func.max(Contact.at))
            .where(greeting, col(Contact.at) >= since, col(Contact.client_id).in_(client_ids))
            .group_by(col(Contact.client_id), col(Contact.via))
        ).all()
    else:
        rows = session.exec(
            select(Contact.client_id, Contact.via, Contact.at).where(
                greeting, col(Contact.at) >= since
            )
        ).all()
    for client_id, via, at in rows:
        if client_id in client_ids and at is not None:
            latest.setdefault(client_id, _Greeted()).note(via, at)
    return latest


def occasion_items(
    session: Session, end: datetime, now: datetime, settings: Settings
) -> list[DueItem]:
    """The greetings due by `end`: one per key date, and one per holiday and client in its
    audience, unless a card, gift or call since shortly before the card date cleared it."""
    tz = now.tzinfo
    assert tz is not None
    today = local_date(now, tz)
    last_day = local_date(end - timedelta(microseconds=1), tz)
    lead_card, lead_call = settings.lead_days("card"), settings.lead_days("call")
    first = today - timedelta(days=GRACE_DAYS)
    last = last_day + timedelta(days=max(lead_card, lead_call))
    if last < first:
        return []
    found = _key_date_occasions(session, first, last) + _holiday_occasions(session, first, last)
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
        session,
        {o.client_id for o, _ in planned},
        min(min(card_from(o.on), call_from(o.on)) for o, _ in planned),
    )
    items: list[DueItem] = []
    seen: set[tuple[str, int, int]] = set()
    for occasion, plan in sorted(planned, key=lambda p: p[0].on):
        if occasion.key in seen or done(occasion):
            continue
        seen.add(occasion.key)
        reason = greeting_reason(plan, occasion.occasion, today, past=occasion.past)
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
                what=occasion.what,
                due=plan.due,
                sort_key=local_day_start(plan.due, tz),
                overdue=plan.overdue,
                overdue_days=plan.overdue_days,
                reason=f"{reason} · {occasion.note}" if occasion.note else reason,
                record_id=occasion.record_id,
            )
        )
    return items
