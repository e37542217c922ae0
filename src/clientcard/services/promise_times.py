"""When a promise's time comes, and the query of a promise with its client: the rules `due`
reads (services/agenda.py) without the promise actions of services/promises.py, which also
uses them. Apart so that `due` does not import those actions (and the contact they record, the
card lookup...): issue 12, speed.

An all-day promise (a deliverable due on a day) is a calendar date, `due_on`, the same date in
any zone; its `due_at` is that date's midnight in UTC, a sort key for the index only. Every rule
reads the date through `due_day()` and `starts()`, never `due_at` of an all-day promise.
"""

from datetime import date, datetime, timedelta, tzinfo

from clientcard.domain.agenda import PromiseKind, PromiseStatus
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.settings import Settings
from clientcard.store.db import columns
from clientcard.store.records import Client, Promise

# A promise with its client (`promise list`, `due`).
PROMISE_WITH_CLIENT = (
    f"SELECT {columns(Promise, 'promise')}, {columns(Client, 'client')} "
    "FROM promise JOIN client ON client.id = promise.client_id"
)


def due_day(promise: Promise, tz: tzinfo) -> date:
    """The promise's day: an all-day promise's calendar date (the same in every zone), else the
    local day of its time."""
    if promise.all_day and promise.due_on is not None:
        return promise.due_on
    return local_date(promise.due_at, tz)


def starts(promise: Promise, tz: tzinfo) -> datetime:
    """When the promise's time comes: an appointment's or a timed deliverable's moment, an
    all-day promise's local midnight starting its date."""
    if promise.all_day:
        return local_day_start(due_day(promise, tz), tz)
    return promise.due_at


def day_end(promise: Promise, now: datetime) -> datetime:
    """The next local midnight after the promise's day (exclusive)."""
    tz = zone_of(now)
    return local_day_start(due_day(promise, tz) + timedelta(days=1), tz)


def on_time(promise: Promise, moment: datetime, now: datetime) -> bool:
    """Whether something done at `moment` keeps the promise on time: a deliverable due on a day
    until that day ends; one due at a time up to that time; an appointment any time on its day
    (the meeting itself may run late; `due` flags it only once its day is over)."""
    if promise.all_day or promise.kind == PromiseKind.appointment:
        return moment < day_end(promise, now)
    return moment <= promise.due_at


def notice_point(promise: Promise, now: datetime) -> datetime:
    """The time notice is measured against: an appointment's time, a deliverable's day start."""
    return starts(promise, zone_of(now))


def to_confirm(promise: Promise, now: datetime, settings: Settings) -> bool:
    """An open appointment not yet confirmed whose time lies within the notice window from now:
    confirm it with the client, or tell them now if it cannot be kept."""
    return (
        promise.status == PromiseStatus.open
        and promise.kind == PromiseKind.appointment
        and promise.confirmed_at is None
        and now < promise.due_at <= now + timedelta(hours=settings.notice_hours)
    )
