"""Holidays (`holiday add|list|remove`): greeting many clients at once, on one dated day or every
year by a rule (a solar or lunar month and day, the solar term 清明: `--preset cn`), and the
holidays a card will be greeted for (for the card page)."""

from datetime import date, datetime, timedelta

from clientcard.domain import lunar
from clientcard.domain.cards import check_length, clean_text
from clientcard.domain.dates import today_of
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.lunar import LunarDate
from clientcard.domain.occasions import (
    Audience,
    HolidayRule,
    Yearly,
    audience_tag,
    day_text,
    parse_audience,
    parse_day,
    parse_preset,
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


def rule_of(holiday: Holiday) -> HolidayRule | None:
    """A yearly holiday's rule; None for a holiday on one day."""
    if holiday.yearly is None:
        return None
    return HolidayRule(Yearly(holiday.yearly), holiday.month, holiday.day, holiday.leap)


def holiday_days(holiday: Holiday, first: date, last: date) -> list[date]:
    """The days a holiday falls on from `first` to `last`: its day, or its rule's each year."""
    rule = rule_of(holiday)
    if rule is not None:
        return rule.days(first, last)
    assert holiday.on is not None
    return [holiday.on] if first <= holiday.on <= last else []


def holidays_between(db: Db, first: date, last: date) -> list[tuple[Holiday, date]]:
    """The holidays falling from `first` to `last`, each with its day, by day: dated ones
    through the index on their day, and every yearly one (a handful: `on` is null)."""
    holidays = db.select(
        Holiday,
        'WHERE ("on" >= :first AND "on" <= :last) OR "on" IS NULL',
        first=first,
        last=last,
    )
    found = [(h, d) for h in holidays for d in holiday_days(h, first, last)]
    return sorted(found, key=lambda pair: (pair[1], pair[0].id or 0))


def holidays_for(
    db: Db, client: Client, *, now: datetime, within_days: int = 60
) -> list[HolidayGreetingView]:
    """The holidays from today to `within_days` ahead whose audience holds this card."""
    today = today_of(now)
    found = []
    for holiday, on in holidays_between(db, today, today + timedelta(days=within_days)):
        assert holiday.id is not None
        source, where = audience_cards(holiday.audience)
        where.add("client.id = :client_id", client_id=client.id)
        if db.rows(f"{source} {where}", **where.params):
            days = (on - today).days
            found.append(
                HolidayGreetingView(holiday.id, ClientRef.of(client), holiday.name, on, days)
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
    rule = rule_of(holiday)
    on = rule.next_on(today) if rule is not None else holiday.on
    assert on is not None
    return HolidayView(
        id=holiday.id,
        on=on,
        name=holiday.name,
        audience=holiday.audience,
        cards=_count(db, holiday.audience),
        days_until=(on - today).days,
        rule=rule,
    )


def _name_of(name: str | None) -> str:
    text = clean_text(name, "name")
    if text is None:
        raise InvalidValue(_("name the holiday, e.g. 春节 or 'Mid-Autumn Festival'"))
    check_length("name", text)
    return text


def _same_rule(db: Db, name: str, rule: HolidayRule) -> Holiday | None:
    """The yearly holiday of this name and rule already on file."""
    for holiday in db.select(Holiday, 'WHERE "on" IS NULL AND name = :name', name=name):
        if rule_of(holiday) == rule:
            return holiday
    return None


def _insert_rule(db: Db, name: str, rule: HolidayRule, audience: str) -> Holiday:
    holiday = Holiday(
        on=None,
        name=name,
        audience=audience,
        author=db.author(),
        yearly=rule.yearly.value,
        month=rule.month,
        day=rule.day,
        leap=rule.leap,
    )
    db.insert(holiday)
    return holiday


def add_holiday(
    db: Db,
    when: str | None,
    name: str | None,
    *,
    audience: str = Audience.customers.value,
    yearly: bool = False,
    lunar_day: str | None = None,
    now: datetime,
    settings: Settings,
) -> HolidayView:
    """A holiday greeting its audience: customers (live cards with a sale), all live cards, or
    the live cards with a tag. On one day (`when`), every year on a solar month and day
    (`when` without a year and `yearly`), or every year on a lunar date (`lunar_day`: 八月十五,
    08-15, 闰四月初八)."""
    text = _name_of(name)
    who = parse_audience(audience)
    if lunar_day is not None:
        if when is not None:
            raise InvalidValue(_("give the day (WHEN) or --lunar with a lunar date, not both"))
        found = lunar.parse_lunar(lunar_day)
        if found.year is not None:
            raise InvalidValue(
                _("a lunar holiday comes every year: give its month and day, e.g. {day}").format(
                    day=LunarDate(found.month, found.day, found.leap).code()
                )
            )
        rule: HolidayRule | None = HolidayRule(Yearly.lunar, found.month, found.day, found.leap)
    elif when is None:
        raise InvalidValue(_("give the day (WHEN), or --lunar with a lunar date such as 八月十五"))
    elif yearly:
        day = parse_day(when, now, date_order=settings.date_order, yearly=True, what="holiday")
        rule = HolidayRule(Yearly.solar, day.month, day.day)
    else:
        rule = None
    if rule is not None:
        existing = _same_rule(db, text, rule)
        if existing is not None:
            raise Refused(
                _("{name} every year on {day} is already holiday {ref}").format(
                    name=text, day=rule.label(), ref=record_ref("holiday", existing.id)
                )
            )
        holiday = _insert_rule(db, text, rule, who)
        return _holiday_view(db, holiday, today_of(now))
    assert when is not None
    moment = parse(when, now, settings)
    if not moment.all_day:
        raise InvalidValue(
            _("{value} has a time; a holiday is a whole day").format(value=repr(when.strip()))
        )
    on = moment.start.date()
    dated = db.first(Holiday, 'WHERE "on" = :day AND name = :name', day=on, name=text)
    if dated is not None:
        raise Refused(
            _("{text} on {day_text} is already holiday {ref}").format(
                text=text, day_text=day_text(on), ref=record_ref("holiday", dated.id)
            )
        )
    holiday = Holiday(on=on, name=text, audience=who, author=db.author())
    db.insert(holiday)
    return _holiday_view(db, holiday, today_of(now))


def add_preset(
    db: Db, preset: str, *, audience: str = Audience.customers.value, now: datetime
) -> tuple[list[HolidayView], int]:
    """A preset's yearly holidays (`--preset cn`: 元旦 春节 元宵 清明 端午 七夕 中秋 重阳 国庆):
    those not yet on file by the same name and rule are added; the views of the added ones,
    and how many were already there (running it twice adds nothing)."""
    holidays = parse_preset(preset)
    who = parse_audience(audience)
    today = today_of(now)
    added = []
    for name, rule in holidays:
        if _same_rule(db, name, rule) is None:
            added.append(_holiday_view(db, _insert_rule(db, name, rule, who), today))
    return added, len(holidays) - len(added)


def list_holidays(db: Db, *, now: datetime) -> list[HolidayView]:
    """Every holiday on file: dated ones by their day, yearly ones by their next day."""
    today = today_of(now)
    views = [_holiday_view(db, h, today) for h in db.select(Holiday, "ORDER BY id")]
    return sorted(views, key=lambda v: (v.on, v.id))


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
