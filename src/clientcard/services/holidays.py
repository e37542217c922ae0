"""Holidays (`holiday add|list|remove`): one dated day each, greeting many clients at once, and
the holidays a card will be greeted for (for the card page)."""

from datetime import date, datetime, timedelta

from clientcard.domain.cards import check_length, clean_text
from clientcard.domain.dates import today_of
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.occasions import (
    Audience,
    audience_tag,
    day_text,
    parse_audience,
)
from clientcard.domain.refs import record_ref
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.schedule import parse
from clientcard.services.views import ClientRef
from clientcard.services.views.occasions import HolidayGreetingView, HolidayView
from clientcard.store.db import Db
from clientcard.store.records import Client, Holiday
from clientcard.store.where import Where


def holidays_for(
    db: Db, client: Client, *, now: datetime, within_days: int = 60
) -> list[HolidayGreetingView]:
    """The holidays from today to `within_days` ahead whose audience holds this card."""
    today = today_of(now)
    holidays = db.select(
        Holiday,
        'WHERE "on" >= :first AND "on" <= :last ORDER BY "on", id',
        first=today,
        last=today + timedelta(days=within_days),
    )
    found = []
    for holiday in holidays:
        assert holiday.id is not None
        source, where = audience_cards(holiday.audience)
        where.add("client.id = :client_id", client_id=client.id)
        if db.rows(f"{source} {where}", **where.params):
            days = (holiday.on - today).days
            found.append(
                HolidayGreetingView(
                    holiday.id, ClientRef.of(client), holiday.name, holiday.on, days
                )
            )
    return found


# ---- holidays --------------------------------------------------------------------------------


def audience_cards(audience: str) -> tuple[str, Where]:
    """The live cards a holiday greets: a query of their id, name and grade without its WHERE,
    and the `Where` to follow it (a caller may add conditions to it)."""
    source = "SELECT client.id, client.name, client.grade FROM client"
    where = Where("client.archived_at IS NULL")
    tag = audience_tag(audience)
    if tag is not None:
        source += " JOIN client_tag ON client_tag.client_id = client.id"
        where.add("client_tag.tag = :tag", tag=tag)
    elif audience == Audience.customers:
        where.add("client.first_sale_at IS NOT NULL")
    return source, where


def _count(db: Db, audience: str) -> int:
    source, where = audience_cards(audience)
    return int(db.scalar(f"SELECT count(*) FROM ({source} {where}) AS audience", **where.params))


def _holiday_view(db: Db, holiday: Holiday, today: date) -> HolidayView:
    assert holiday.id is not None
    return HolidayView(
        id=holiday.id,
        on=holiday.on,
        name=holiday.name,
        audience=holiday.audience,
        cards=_count(db, holiday.audience),
        days_until=(holiday.on - today).days,
    )


def add_holiday(
    db: Db,
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
        raise InvalidValue(
            _("{value} has a time; a holiday is a whole day").format(value=repr(when.strip()))
        )
    text = clean_text(name, "name")
    if text is None:
        raise InvalidValue(_("name the holiday, e.g. 春节 or 'Mid-Autumn Festival'"))
    check_length("name", text)
    who = parse_audience(audience)
    on = day.start.date()
    existing = db.first(Holiday, 'WHERE "on" = :day AND name = :name', day=on, name=text)
    if existing is not None:
        raise Refused(
            _("{text} on {day_text} is already holiday {ref}").format(
                text=text, day_text=day_text(on), ref=record_ref("holiday", existing.id)
            )
        )
    holiday = Holiday(on=on, name=text, audience=who, author=db.author())
    db.insert(holiday)
    return _holiday_view(db, holiday, today_of(now))


def list_holidays(db: Db, *, now: datetime) -> list[HolidayView]:
    """Every holiday on file, by day."""
    today = today_of(now)
    rows = db.select(Holiday, 'ORDER BY "on", id')
    return [_holiday_view(db, h, today) for h in rows]


def remove_holiday(db: Db, holiday_id: int, *, now: datetime) -> HolidayView:
    holiday = db.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound(
            _("no holiday {ref}; see `clientcard holiday list`").format(
                ref=record_ref("holiday", holiday_id)
            )
        )
    view = _holiday_view(db, holiday, today_of(now))
    db.delete(holiday)
    return view
