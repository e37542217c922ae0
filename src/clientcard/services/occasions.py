"""Occasions: a client's key dates (`date add|list|remove`) and the card page's upcoming ones.

Holidays are in services/holidays.py; the greetings both make due in `due`, in
services/greetings.py."""

from datetime import date, datetime, timedelta

from clientcard.domain import lunar
from clientcard.domain.cards import clean_text
from clientcard.domain.dates import today_of
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.occasions import (
    DayOfYear,
    OccasionKind,
    month_day_ranges,
    next_on,
    parse_day,
    parse_kind,
    parse_lunar_day,
    parse_span,
    yearly_of,
)
from clientcard.domain.refs import record_ref
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.lookup import resolve_client
from clientcard.services.views import ClientRef
from clientcard.services.views.occasions import OccasionView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, KeyDate
from clientcard.store.where import Where


def day_of(key_date: KeyDate) -> DayOfYear:
    return DayOfYear(
        key_date.month, key_date.day, key_date.year, lunar=key_date.lunar, leap=key_date.leap
    )


def occasion_view(key_date: KeyDate, client: Client, today: date) -> OccasionView:
    assert key_date.id is not None
    on = next_on(day_of(key_date), key_date.yearly, today)
    return OccasionView(
        id=key_date.id,
        client=ClientRef.of(client),
        kind=OccasionKind(key_date.kind),
        day=day_of(key_date),
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


def month_day_filter(first: date, last: date) -> tuple[str, dict[str, int]] | None:
    """A condition on the (month, day) index for the key dates that can fall from `first` to
    `last`, on the table `key_date`, and its parameters; None when any can. Solar dates by
    the solar days' (month, day), lunar ones by the lunar days' (domain/lunar.py): each term
    is a range of the index, so both read through it."""
    solar = month_day_ranges(first, last)
    moon = lunar.month_day_ranges(first, last)
    if solar is None or moon is None:
        return None
    params: dict[str, int] = {}
    terms: list[str] = []
    for calendar, runs in (("NOT key_date.lunar", solar), ("key_date.lunar", moon)):
        for month, low, high in runs:
            i = len(terms)
            params |= {f"month_{i}": month, f"low_{i}": low, f"high_{i}": high}
            terms.append(
                f"(key_date.month = :month_{i} AND key_date.day BETWEEN :low_{i} AND :high_{i}"
                f" AND {calendar})"
            )
    return f"({' OR '.join(terms)})", params


# A key date and its card.
KEY_DATE_AND_CLIENT = (
    f"SELECT {columns(KeyDate, 'key_date')}, {columns(Client, 'client')} "
    "FROM key_date JOIN client ON client.id = key_date.client_id"
)


# ---- key dates -------------------------------------------------------------------------------


def add_date(
    db: Db,
    ref: str,
    kind: str,
    when: str | None,
    *,
    yearly: bool = False,
    note: str | None = None,
    lunar_day: str | None = None,
    now: datetime,
    settings: Settings,
) -> OccasionView:
    """Record a client's occasion. Birthdays and anniversaries recur every year; other kinds
    happen once unless `yearly`. `lunar_day` (instead of `when`) is a lunar date: 八月十五,
    08-15, 闰四月初八 / L04-08 (domain/lunar.py)."""
    occasion = parse_kind(kind)
    recurs = yearly_of(occasion, yearly)
    if (when is None) == (lunar_day is None):
        raise InvalidValue(
            _("give the day (WHEN) or --lunar with a lunar date, not both")
            if when is not None
            else _("give the day (WHEN), or --lunar with a lunar date such as 八月十五")
        )
    if lunar_day is not None:
        day = parse_lunar_day(lunar_day, yearly=recurs, what=occasion.label)
    else:
        assert when is not None
        day = parse_day(
            when, now, date_order=settings.date_order, yearly=recurs, what=occasion.label
        )
    client = db.lock(resolve_client(db, ref))
    assert client.id is not None
    same = db.select(
        KeyDate,
        "WHERE client_id = :client_id AND kind = :kind AND month = :month AND day = :day",
        client_id=client.id,
        kind=occasion.value,
        month=day.month,
        day=day.day,
    )
    for other in same:
        if (other.year, other.lunar, other.leap) == (day.year, day.lunar, day.leap):
            raise Refused(
                _(
                    "#{id} {name} already has this {label} as date {record_ref}; see "
                    "`clientcard date list {id}`"
                ).format(
                    id=client.id,
                    name=client.name,
                    label=occasion.label,
                    record_ref=record_ref("date", other.id),
                )
            )
    key_date = KeyDate(
        author=db.author(),
        client_id=client.id,
        kind=occasion.value,
        month=day.month,
        day=day.day,
        year=day.year,
        yearly=recurs,
        note=clean_text(note, "note"),
        lunar=day.lunar,
        leap=day.leap,
    )
    db.insert(key_date)
    return occasion_view(key_date, client, today_of(now))


def list_dates(
    db: Db,
    ref: str | None = None,
    *,
    within: str | None = None,
    now: datetime,
    settings: Settings,
) -> list[OccasionView]:
    """Key dates by their next day, soonest first: one card's, or every live card's.
    `within` keeps those whose next day falls from today to then."""
    today = today_of(now)
    last = parse_span(within, now, date_order=settings.date_order) if within else None
    if ref:
        where = Where("key_date.client_id = :client_id", client_id=resolve_client(db, ref).id)
    else:
        where = Where("client.archived_at IS NULL")
    if last is not None:
        ranges = month_day_filter(today, last)
        if ranges is not None:
            condition, days = ranges
            where.add(condition, **days)
    pairs = db.pairs(KeyDate, Client, f"{KEY_DATE_AND_CLIENT} {where}", **where.params)
    views = [occasion_view(k, c, today) for k, c in pairs]
    if last is not None:
        views = [v for v in views if today <= v.next_on <= last]
    return _order(views)


def remove_date(db: Db, date_id: int, *, now: datetime) -> OccasionView:
    key_date = db.get(KeyDate, date_id)
    if key_date is None:
        raise NotFound(
            _("no date {ref}; see `clientcard date list`").format(ref=record_ref("date", date_id))
        )
    client = db.get(Client, key_date.client_id)
    assert client is not None
    view = occasion_view(key_date, client, today_of(now))
    db.delete(key_date)
    return view


def upcoming_occasions(
    db: Db,
    client: Client,
    *,
    now: datetime,
    settings: Settings,
    within_days: int = 60,
) -> list[OccasionView]:
    """For the card page: the client's key dates falling from today to `within_days` ahead,
    soonest first."""
    today = today_of(now)
    rows = db.select(KeyDate, "WHERE client_id = :client_id", client_id=client.id)
    last = today + timedelta(days=within_days)
    views = [occasion_view(k, client, today) for k in rows]
    return _order([v for v in views if today <= v.next_on <= last])
