"""Complaints' rules: severities, the timeline's kinds, response-time targets, satisfaction.

The card method puts complaints before anything else: of 100 dissatisfied clients only a few
complain, and those who do are worth keeping. So every complaint has two targets, counted from
the moment it was received, in hours per severity (config `response.<severity>` and
`resolve.<severity>`):

- the **first response**: someone listened to the client (a handling step, or the resolution);
- the **resolution**, to the client's satisfaction.

A complaint is *past target* while it has no first response after the response target, or is
still open after the resolution target. A reopened complaint keeps its receipt time: it was not
resolved to the client's satisfaction, so it is measured from when the client first complained.

The hours are working hours (issue 11): only the time inside the working day (`work.hours`) of a
working day (`work.days`), in the user's zone, counts, and a complaint received outside it is
counted from the next opening. The severities configured as round-the-clock
(`complaint.round_the_clock`, default urgent) count clock hours, nights and weekends included.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache

from clientcard.domain.dates import zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import CAUSE_MAX, Settings
from clientcard.i18n import N_, _


class Severity(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


SEVERITIES = ", ".join(s.value for s in Severity)


class ComplaintStatus(StrEnum):
    open = "open"
    resolved = "resolved"
    # Closed without a resolution: the card was archived with `--cancel-open`. Neither open
    # (not in `due`, no target) nor resolved (no result, no satisfaction).
    cancelled = "cancelled"


class StepKind(StrEnum):
    """The kinds of entry in a complaint's timeline (ComplaintStep.kind)."""

    received = "received"
    step = "step"
    resolved = "resolved"
    reopened = "reopened"
    cancelled = "cancelled"  # the text says why: "archived"


class Target(StrEnum):
    """Which target a complaint is past (the JSON `past_target`)."""

    response = "response"
    resolution = "resolution"


class Responsibility(StrEnum):
    """Who was responsible for what the client complains about (issue 16): `us` (the
    salesperson and their team), `company` (our company: a product, the billing, the
    warehouse), `partner` (a supplier, a carrier, an insurer), `client` (the client's own doing:
    a misuse, a misunderstanding), `unknown` (not said, the default)."""

    us = "us"
    company = "company"
    partner = "partner"
    client = "client"
    unknown = "unknown"


RESPONSIBILITIES = ", ".join(r.value for r in Responsibility)

SATISFACTION_MIN, SATISFACTION_MAX = 1, 5


def parse_severity(text: str) -> Severity:
    try:
        return Severity(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            _("unknown severity {text}; a severity is one of {choices}").format(
                text=repr(text), choices=SEVERITIES
            )
        ) from None


def parse_responsibility(text: str) -> Responsibility:
    try:
        return Responsibility(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            _("unknown responsibility {text}; it is one of {choices}").format(
                text=repr(text), choices=RESPONSIBILITIES
            )
        ) from None


def is_cause_name(name: str) -> bool:
    """Whether `name` could be a cause of `complaint.causes`: lower case letters, digits, `-`
    and `_`, at most CAUSE_MAX characters (domain/settings.py checks the list this way)."""
    return (
        0 < len(name) <= CAUSE_MAX
        and name == name.lower()
        and all(ch.isalnum() or ch in "-_" for ch in name)
    )


def parse_cause(text: str, settings: Settings) -> str | None:
    """One of the configured causes (`complaint.causes`), None for an empty text (no cause)."""
    name = text.strip().lower()
    if not name:
        return None
    causes = settings.complaint_causes
    if name not in causes:
        raise InvalidValue(
            _("unknown cause {text}; a cause is one of {choices} (config complaint.causes)").format(
                text=repr(text), choices=", ".join(causes)
            )
        )
    return name


def parse_satisfaction(text: str | None, option: str = "--satisfaction") -> int | None:
    """The client's satisfaction, a whole number from 1 to 5 (None when not given)."""
    if text is None:
        return None
    cleaned = text.strip()
    # At most 9 digits: Python reads no more than 4,300 as a number, and 9 are plenty.
    number = cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9
    value = int(cleaned) if number else None
    if value is None or not SATISFACTION_MIN <= value <= SATISFACTION_MAX:
        raise InvalidValue(
            _("{option} must be a whole number from {low} to {high}, not {value}").format(
                option=option, low=SATISFACTION_MIN, high=SATISFACTION_MAX, value=repr(text)
            )
        )
    return value


def target_hours(severity: Severity, settings: Settings) -> tuple[int, int]:
    """The severity's (response, resolution) targets in hours, as configured."""
    return settings.response_hours(severity.value), settings.resolve_hours(severity.value)


def counts_working_hours(severity: Severity, settings: Settings) -> bool:
    """Whether the severity's targets count working hours (else clock hours)."""
    return not settings.round_the_clock(severity.value)


@lru_cache(maxsize=4096)
def _window(day: date, opens: time, closes: time | None, tz: tzinfo) -> tuple[datetime, datetime]:
    """A working day's opening and closing, as UTC moments (so that the arithmetic is real
    elapsed time, also on a day the clocks change). Remembered: `report complaints` computes
    the targets of every complaint of a year, which share their days."""
    start = datetime.combine(day, opens, tz).astimezone(UTC)
    if closes is None:  # closes at midnight
        end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    else:
        end = datetime.combine(day, closes, tz).astimezone(UTC)
    return start, end


def add_working_time(
    start: datetime,
    hours: int,
    *,
    days: frozenset[int],
    opens: time,
    closes: time | None,
    tz: tzinfo,
) -> datetime:
    """The moment `hours` of working time after `start`: only the time between `opens` and
    `closes` (None: midnight) on the week `days` (Monday 0), in zone `tz`, counts; a start
    outside it counts from the next opening. A target that ends exactly at a closing is due
    then, not at the next opening."""
    if not days:
        raise ValueError("no working days")
    remaining = timedelta(hours=hours)
    moment = start.astimezone(UTC)
    day = start.astimezone(tz).date()
    week: timedelta | None = None
    while True:
        if day.weekday() in days:
            opening, closing = _window(day, opens, closes, tz)
            moment = max(moment, opening)
            if moment < closing:
                available = closing - moment
                if remaining <= available:
                    return (moment + remaining).astimezone(tz)
                remaining -= available
                moment = closing
        day += timedelta(days=1)
        if day.weekday() == 0 and remaining > timedelta(0):
            # Whole weeks at once: a long target over a short working week stays quick.
            if week is None:
                week = sum(
                    (
                        _window(day + timedelta(days=i), opens, closes, tz)[1]
                        - _window(day + timedelta(days=i), opens, closes, tz)[0]
                        for i in range(7)
                        if (day + timedelta(days=i)).weekday() in days
                    ),
                    timedelta(0),
                )
            while remaining > week:
                remaining -= week
                day += timedelta(days=7)


def _due(
    received_at: datetime, hours: int, severity: Severity, settings: Settings, tz: tzinfo
) -> datetime:
    if not counts_working_hours(severity, settings):
        return received_at + timedelta(hours=hours)
    opens, closes = settings.work_hours
    return add_working_time(
        received_at, hours, days=settings.work_days, opens=opens, closes=closes, tz=tz
    )


def response_due(
    received_at: datetime, severity: Severity, settings: Settings, tz: tzinfo
) -> datetime:
    """By when the first response is due (working hours unless round-the-clock; `tz` is the
    user's zone, where the working day is)."""
    return _due(received_at, settings.response_hours(severity.value), severity, settings, tz)


def resolve_due(
    received_at: datetime, severity: Severity, settings: Settings, tz: tzinfo
) -> datetime:
    """By when the complaint should be resolved."""
    return _due(received_at, settings.resolve_hours(severity.value), severity, settings, tz)


def past_targets(
    *,
    received_at: datetime,
    severity: Severity,
    first_response_at: datetime | None,
    resolved: bool,
    now: datetime,
    settings: Settings,
) -> list[Target]:
    """The targets a complaint is past now: response (no first response after its target)
    and/or resolution (still open after its target). A target is met up to its exact moment.
    The working day is in the zone of `now`, the user's."""
    if resolved:
        return []
    tz = zone_of(now)
    past = []
    if first_response_at is None and now > response_due(received_at, severity, settings, tz):
        past.append(Target.response)
    if now > resolve_due(received_at, severity, settings, tz):
        past.append(Target.resolution)
    return past


def span_message(delta: timedelta) -> tuple[str, dict[str, int]]:
    """A duration as a message (marked for the catalog) and its values: `25 min`, `3 h`,
    `1 d 6 h`, `2 d` (rounded down to the minute, the hour past a day). services/said.py says it
    in both languages."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return N_("{minutes} min"), {"minutes": minutes}
    hours = minutes // 60
    if hours < 24:
        return N_("{hours} h"), {"hours": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return N_("{days} d {hours} h"), {"days": days, "hours": hours}
    return N_("{days} d"), {"days": days}


def span(delta: timedelta) -> str:
    """A duration as a person says it, in English: `25 min`, `3 h`, `1 d 6 h`, `2 d`."""
    message, values = span_message(delta)
    return message.format(**values)
