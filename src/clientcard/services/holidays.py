"""Holidays (`holiday add|list|remove`): one dated day each, greeting many clients at once, and
the holidays a card will be greeted for (for the card page)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from clientcard.domain.cards import check_length, clean_text
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.occasions import (
    Audience,
    audience_tag,
    day_text,
    parse_audience,
)
from clientcard.domain.settings import Settings
from clientcard.services.clients import ref_of
from clientcard.services.occasions import today_of
from clientcard.services.schedule import parse
from clientcard.services.views import ClientRef
from clientcard.store.models import Client, ClientTag, Holiday

HOLIDAY_FIELDS = ["id", "date", "name", "audience", "cards", "days_until"]


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
    today = today_of(now)
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
        audience = audience_cards(holiday.audience).where(col(Client.id) == client_id)
        if session.exec(audience).first() is not None:
            days = (holiday.on - today).days
            found.append(
                HolidayGreetingView(holiday.id, ref_of(client), holiday.name, holiday.on, days)
            )
    return found


# ---- holidays --------------------------------------------------------------------------------


def audience_cards(audience: str) -> Any:
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
    sub = audience_cards(audience).subquery()
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
    return _holiday_view(session, holiday, today_of(now))


def list_holidays(session: Session, *, now: datetime) -> list[HolidayView]:
    """Every holiday on file, by day."""
    today = today_of(now)
    rows = session.exec(select(Holiday).order_by(col(Holiday.on), col(Holiday.id)))
    return [_holiday_view(session, h, today) for h in rows]


def remove_holiday(session: Session, holiday_id: int, *, now: datetime) -> HolidayView:
    holiday = session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound(f"no holiday #{holiday_id}; see `clientcard holiday list`")
    view = _holiday_view(session, holiday, today_of(now))
    session.delete(holiday)
    session.flush()
    return view
