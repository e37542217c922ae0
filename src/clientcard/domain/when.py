"""A moment a user typed (`When`) and the pieces both date parsers share: the English one
(dates.py) and the Chinese one (dates_zh.py), which dates.py calls for text that is not ASCII.
Here so that neither parser imports the other's module back (tests/test_layers.py).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from clientcard.i18n import _


class DateOrder(StrEnum):
    YMD = "ymd"
    DMY = "dmy"
    MDY = "mdy"


class When:
    """A moment typed by a user: its start, and whether it is a whole day. (A plain class,
    not a dataclass: most commands import this module, and a dataclass is compiled at every
    start: docs/performance.md.)"""

    __slots__ = ("all_day", "start")

    def __init__(self, start: datetime, all_day: bool) -> None:
        self.start = start
        self.all_day = all_day

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return (self.start, self.all_day) == (other.start, other.all_day)

    def __hash__(self) -> int:
        return hash((self.start, self.all_day))

    def __repr__(self) -> str:
        return f"When(start={self.start!r}, all_day={self.all_day!r})"

    @property
    def end(self) -> datetime:
        """Exclusive end: the next local midnight for all-day Whens, else ``start``."""
        if not self.all_day:
            return self.start
        assert self.start.tzinfo is not None
        return local_day_start(self.start.date() + timedelta(days=1), self.start.tzinfo)

    @property
    def deadline(self) -> datetime:
        """Something due at this When is overdue after this instant."""
        return self.end


class _Bad(Exception):
    """Internal: the input was recognised but is invalid; carries a hint."""


class _Ctx:
    __slots__ = ("now", "order", "past", "today", "tz")

    def __init__(
        self, now: datetime, tz: tzinfo, today: date, order: DateOrder, past: bool = False
    ) -> None:
        self.now = now
        self.tz = tz
        self.today = today
        self.order = order
        self.past = past


def _normalise(dt: datetime, tz: tzinfo) -> datetime:
    return dt.astimezone(UTC).astimezone(tz)


def local_day_start(d: date, tz: tzinfo) -> datetime:
    """Midnight at the start of local date ``d`` (the first valid instant of that day)."""
    return _normalise(datetime.combine(d, time(), tzinfo=tz), tz)


def _day(d: date, ctx: _Ctx) -> When:
    return When(local_day_start(d, ctx.tz), True)


def _at(d: date, t: time, ctx: _Ctx) -> When:
    return When(_normalise(datetime.combine(d, t, tzinfo=ctx.tz), ctx.tz), False)


_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?")


def _read_time(s: str) -> time | None:
    """A time of day, None if ``s`` does not look like one, _Bad if it looks like one badly."""
    m = _TIME.fullmatch(s)
    if m is None or (m[2] is None and m[4] is None):
        return None
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise _Bad(_("hour {hour} is not 1-12 with am/pm").format(hour=hour))
        hour = hour % 12 + (12 if m[4] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _Bad(_("{text} is not a time of day").format(text=repr(s)))
    return time(hour, minute, second)


_CALENDAR_UNITS = {"d": "days", "w": "weeks", "mo": "months", "y": "years"}
_UNITS = ("min", "h", *_CALENDAR_UNITS)


def _apply(when: When, sign: str, n: int, unit: str, ctx: _Ctx) -> When:
    if unit == "m":
        raise _Bad(_("'m' is ambiguous: write min for minutes or mo for months"))
    if unit not in _UNITS:
        raise _Bad(
            _("unknown unit {unit}; units are {units}").format(
                unit=repr(unit), units=" ".join(_UNITS)
            )
        )
    k = -n if sign == "-" else n
    if unit in ("h", "min"):
        delta = timedelta(hours=k) if unit == "h" else timedelta(minutes=k)
        return When((when.start.astimezone(UTC) + delta).astimezone(ctx.tz), False)
    try:
        from dateutil.relativedelta import relativedelta  # only for an offset: not at import

        wall: datetime = when.start.replace(tzinfo=None) + relativedelta(
            **{_CALENDAR_UNITS[unit]: k}
        )
    except (OverflowError, ValueError) as e:
        raise _Bad(_("offset goes out of range")) from e
    if when.all_day:
        return _day(wall.date(), ctx)
    return When(_normalise(wall.replace(tzinfo=ctx.tz), ctx.tz), False)
