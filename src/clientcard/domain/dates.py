"""The one date/time parser behind every CLI option that takes a date or a time.

Everything is relative to ``now`` (timezone-aware; its tzinfo is the user's zone) and every
result is expressed in that zone. Input is stripped and case-insensitive.

Forms (tried in this order):

* ``now`` (a moment); ``today``/``tomorrow``/``yesterday`` (all-day).
* Weekdays (``mon``/``monday``, ``tue``/``tues``, ``wed``, ``thu``/``thur``/``thurs``, ...): the
  next such day strictly after today, so ``fri`` typed on a Friday is a week away. All-day.
* ``sod eod sow eow som eom soy eoy``: all-day Whens. ``s*`` words name the first day of the
  day/week/month/year (weeks start Monday), ``e*`` words name the last day (today, Sunday, the
  last of the month, Dec 31). Being all-day, ``due eow`` stays on time until Sunday ends.
* ISO dates (all-day) and date-times, with optional seconds and ``Z``/offset; a date-time with an
  offset is converted into the local zone, one without is read as local wall time.
* Offsets ``+3d 3d -2d 4h 30min 2w 1mo 1y``. Bare ``m`` is rejected as ambiguous. Offsets in
  d/w/mo/y are calendar arithmetic on today's date (all-day; ``mo``/``y`` clamp, so Jan 31 + 1mo
  is Feb 28/29); offsets in h/min are elapsed time from now (a moment).
* Anchor plus offsets: ``today+3d``, ``eow-1d``, ``fri+1w``, ``som+1mo`` -- any other form
  followed by one or more ``+N unit``/``-N unit``. d/w/mo/y keep the anchor's all-day-ness and
  wall-clock time; h/min add elapsed time and always give a moment (``today+4h`` = today 04:00).
* A time alone (``15:00``, ``9:30``, ``3pm``, ``3:30pm``, ``12am`` = midnight, ``12pm`` = noon)
  is that time today, even if it has already passed (no rolling to tomorrow).
* A day form and a time, in either order (``fri 15:00``, ``tomorrow 9am``, ``eom 17:00``).
* Numeric dates with ``/``, ``.`` or ``-`` follow ``date_order``: a leading 4-digit year is
  always year/month/day; a trailing 4-digit year is day/month/year (dmy) or month/day/year (mdy)
  and an error under ymd; two numbers are month/day (ymd, mdy) or day/month (dmy) of this year,
  even if that day has already passed (no rolling; unlike month names below).
* Anything else that contains a month name goes to ``dateutil.parser`` (``dec 24``, ``24 dec
  2027 3pm``); missing fields come from today, a missing day is the 1st, and without a year it
  is the next such date on or after today (``march`` in November is next March). Inputs without
  a month name never reach dateutil, so it cannot guess a numeric order behind date_order's back.
  In an option about what already happened (``past``: ``log --at``), a date without its year is
  the latest such date on or before today instead (``dec 10`` on 20 December is the 10th gone).
Nonexistent local times (spring-forward gap) are normalised through UTC, so 02:30 on a day
where clocks jump from 02:00 to 03:00 becomes 03:30; all-day ends are the next local midnight.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from clientcard.domain.errors import InvalidValue
from clientcard.domain.when import _UNITS, _apply, _at, _Bad, _Ctx, _day, _normalise, _read_time

# Defined with the parsed moment (domain/when.py), named here as they always were.
from clientcard.domain.when import DateOrder as DateOrder
from clientcard.domain.when import When as When
from clientcard.domain.when import local_day_start as local_day_start
from clientcard.i18n import N_, _

# Translated where shown: the Chinese catalog lists Chinese examples (明天, 下周三下午3点...).
ACCEPTED = N_(
    "2026-12-01, 2026-12-01T15:00, now, today, tomorrow, yesterday, mon..sun, "
    "sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h 30min 2w 1mo 1y, today+3d, eow-1d, "
    "15:00, 3pm, fri 15:00, tomorrow 9am, 11/12, 'dec 24'"
)


# The years a date may fall in: wide enough for any client's life, narrow enough to catch a
# slip of the keyboard (0226 for 2026).
YEARS = (1900, 2200)


class DateParseError(InvalidValue, ValueError):
    """The user typed something that is not a date; ``str()`` is one line for the CLI."""

    def __init__(self, text: str, hint: str = "") -> None:
        self.text, self.hint = text, hint
        if hint:
            message = _("cannot read {text} as a date ({hint}); accepted: {accepted}")
        else:
            message = _("cannot read {text} as a date; accepted: {accepted}")
        super().__init__(message.format(text=repr(text), hint=hint, accepted=_(ACCEPTED)))


def zone_of(now: datetime) -> tzinfo:
    """The user's zone, as every service reads it: off the command's `now` (clock.now() is
    always aware, in the user's zone), so the zone is passed once, with the time."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.tzinfo


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar day `moment` falls on in `tz`."""
    return moment.astimezone(tz).date()


def today_of(now: datetime) -> date:
    """Today, in the user's zone."""
    return local_date(now, zone_of(now))


def utc_midnight(d: date) -> datetime:
    """Midnight UTC of date `d`: where a calendar date that belongs to no zone (an all-day
    promise's `due_on`) sorts among moments. A sort key, never a moment anything happens."""
    return datetime.combine(d, time(), tzinfo=UTC)


def format_local(dt: datetime, tz: tzinfo, *, all_day: bool = False) -> str:
    if dt.tzinfo is None:
        raise ValueError("format_local needs an aware datetime")
    local = dt.astimezone(tz)
    day = local.date().isoformat()
    return day if all_day else f"{day} {local.hour:02d}:{local.minute:02d}"


_WEEKDAY_NAMES = (
    "mon monday, tue tues tuesday, wed weds wednesday, thu thur thurs thursday, fri friday, "
    "sat saturday, sun sunday"
)
_WEEKDAYS = {n: i for i, names in enumerate(_WEEKDAY_NAMES.split(",")) for n in names.split()}
_MONTH_NAME = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\b"
)


def _word_day(t: date) -> dict[str, date]:
    monday = t - timedelta(days=t.weekday())
    next_month = (t.replace(day=1) + timedelta(days=32)).replace(day=1)
    return {
        "today": t,
        "tomorrow": t + timedelta(days=1),
        "yesterday": t - timedelta(days=1),
        "sod": t,
        "eod": t,
        "sow": monday,
        "eow": monday + timedelta(days=6),
        "som": t.replace(day=1),
        "eom": next_month - timedelta(days=1),
        "soy": t.replace(month=1, day=1),
        "eoy": t.replace(month=12, day=31),
    }


def _parse_word(s: str, ctx: _Ctx) -> When | None:
    if s == "now":
        return When(ctx.now, False)
    if s in _WEEKDAYS and ctx.past:  # strictly before today: 1..7 days back
        back = (ctx.today.weekday() - _WEEKDAYS[s] - 1) % 7 + 1
        return _day(ctx.today - timedelta(days=back), ctx)
    if s in _WEEKDAYS:  # strictly after today: 1..7 days ahead
        ahead = (_WEEKDAYS[s] - ctx.today.weekday() - 1) % 7 + 1
        return _day(ctx.today + timedelta(days=ahead), ctx)
    d = _word_day(ctx.today).get(s)
    return None if d is None else _day(d, ctx)


def _parse_iso(s: str, ctx: _Ctx) -> When | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}([t ]\d|$)", s):
        return None
    if len(s) == 10:
        try:
            return _day(date.fromisoformat(s), ctx)
        except ValueError:
            raise _Bad(_("no such day")) from None
    try:
        dt = datetime.fromisoformat(s.upper())
    except ValueError:
        return None  # maybe "2026-12-01 3pm" or an offset form; the other forms decide
    if dt.tzinfo is None:
        return When(_normalise(dt.replace(tzinfo=ctx.tz), ctx.tz), False)
    return When(dt.astimezone(ctx.tz), False)


def _parse_time(s: str, ctx: _Ctx) -> When | None:
    t = _read_time(s)
    return None if t is None else _at(ctx.today, t, ctx)


_MAX_OFFSET_DIGITS = 9  # more days, hours or years than any date holds
_OFFSET = re.compile(r"([+-]?)\s*(\d+)\s*([a-z]+)")
_BARE_OFFSETS = re.compile(r"[+-]?\s*\d+\s*[a-z]+(?:\s*[+-]\s*\d+\s*[a-z]+)*")
_TRAILING_OFFSETS = re.compile(r"(?:\s*[+-]\s*\d+\s*[a-z]+)+$")


def _parse_offsets(s: str, ctx: _Ctx) -> When | None:
    """Offsets alone (from now for h/min, else from today) or after any other form."""
    if _BARE_OFFSETS.fullmatch(s):
        parts: list[tuple[str, str, str]] = _OFFSET.findall(s)
        if len(parts) == 1 and not parts[0][0] and parts[0][2] not in (*_UNITS, "m"):
            return None  # e.g. "24 dec": not an offset, let dateutil have a look
        hours = any(unit in ("h", "min") for _, _, unit in parts)
        anchor = When(ctx.now, False) if hours else _day(ctx.today, ctx)
    else:
        tail = _TRAILING_OFFSETS.search(s)
        if tail is None:
            return None
        parts = _OFFSET.findall(tail[0])
        anchor = _parse(s[: tail.start()].strip(), ctx)
    for sign, n, unit in parts:
        if len(n) > _MAX_OFFSET_DIGITS:  # Python reads at most 4,300 digits as a number
            raise _Bad(_("offset goes out of range"))
        anchor = _apply(anchor, sign, int(n), unit, ctx)
    return anchor


def _parse_day_and_time(s: str, ctx: _Ctx) -> When | None:
    words = s.rsplit(maxsplit=1)
    if len(words) != 2:
        return None
    for day_text, time_text in (words, s.split(maxsplit=1)[::-1]):
        t = _read_time(time_text)
        if t is not None:
            day = _parse(day_text, ctx)
            if not day.all_day:
                raise _Bad(_("{text} already has a time").format(text=repr(day_text)))
            return _at(day.start.date(), t, ctx)
    return None


_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})(?:\2(\d{1,4}))?")


def _parse_numeric(s: str, ctx: _Ctx) -> When | None:
    m = _NUMERIC.fullmatch(s)
    if m is None:
        return None
    a, b, c = m[1], m[3], m[4]
    if c is None and len(a) <= 2:
        y, mo, d = ctx.today.year, int(a), int(b)
        if ctx.order == DateOrder.DMY:
            mo, d = d, mo
    elif c is not None and len(a) == 4 and len(c) <= 2:
        y, mo, d = int(a), int(b), int(c)
    elif c is not None and len(c) == 4 and len(a) <= 2:
        if ctx.order == DateOrder.YMD:
            raise _Bad(
                _(
                    "date_order is ymd but the year is last; "
                    "run `clientcard config set date_order dmy|mdy` or write 2026-12-01"
                )
            )
        y, mo, d = int(c), int(a), int(b)
        if ctx.order == DateOrder.DMY:
            mo, d = d, mo
    else:
        raise _Bad(_("write the year with 4 digits, first (or last with dmy/mdy)"))
    try:
        return _day(date(y, mo, d), ctx)
    except ValueError:
        raise _Bad(
            _("no such day: year {year}, month {month}, day {day} ({order})").format(
                year=y, month=mo, day=d, order=ctx.order
            )
        ) from None


# A number of one or two digits standing alone (not part of a time such as 15:00).
_SHORT_NUMBER = re.compile(r"(?<![\d:])\d{1,2}(?![\d:])")

_A = datetime(2000, 1, 1)  # two leap-year defaults that differ in every field: a field of
_B = datetime(2004, 12, 28, 23)  # the result that agrees between them was typed by the user


def _parse_dateutil(s: str, ctx: _Ctx) -> When:
    if s.isdigit():
        raise _Bad(_("a bare number is not a date"))
    if not _MONTH_NAME.search(s):  # numbers alone follow date_order in _parse_numeric instead
        raise _Bad("")
    from dateutil import parser as du_parser  # only for a month name: not at import

    first, dmy = ctx.order == DateOrder.YMD, ctx.order == DateOrder.DMY
    try:
        a: datetime = du_parser.parse(s, default=_A, yearfirst=first, dayfirst=dmy)
        b: datetime = du_parser.parse(s, default=_B, yearfirst=first, dayfirst=dmy)
    except (ValueError, OverflowError) as exc:
        raise _Bad(_("no such day") if "out of range" in str(exc) else "") from None
    if a.month != b.month:
        raise _Bad("")
    if a.day != b.day and _SHORT_NUMBER.search(s):
        # `may 32`: dateutil reads a day that cannot be as a two-digit year (2032) and would
        # give 1 May. A short number beside a month name is a day: refuse it, never roll it.
        raise _Bad(_("no such day"))
    day = a.day if a.day == b.day else 1
    # Without its year, the next such day on or after today; in an option about what already
    # happened (`log --at`, ctx.past), the latest on or before it.
    step = -1 if ctx.past else 1
    years = [a.year] if a.year == b.year else range(ctx.today.year, ctx.today.year + 9 * step, step)
    dates = [date(y, a.month, day) for y in years if day <= calendar.monthrange(y, a.month)[1]]
    found = next(
        (d for d in dates if a.year == b.year or (d <= ctx.today if ctx.past else d >= ctx.today)),
        None,
    )
    if found is None:
        raise _Bad(_("no such day"))
    if a.hour != b.hour:
        return _day(found, ctx)
    moment = datetime.combine(found, a.timetz())
    if moment.tzinfo is None:
        return When(_normalise(moment.replace(tzinfo=ctx.tz), ctx.tz), False)
    return When(moment.astimezone(ctx.tz), False)


_FORMS: tuple[Callable[[str, _Ctx], When | None], ...] = (
    _parse_word,
    _parse_iso,
    _parse_time,
    _parse_offsets,
    _parse_day_and_time,
    _parse_numeric,
)


def _parse(s: str, ctx: _Ctx) -> When:
    if not s.isascii():  # Chinese: domain/dates_zh.py, imported only for such text
        from clientcard.domain import dates_zh

        found = dates_zh.parse(s, ctx, _parse)
        if found is not None:
            return found
    for form in _FORMS:
        when = form(s, ctx)
        if when is not None:
            return when
    return _parse_dateutil(s, ctx)


def _order(value: DateOrder | str) -> DateOrder:
    try:
        return DateOrder(str(value).lower())
    except ValueError:
        raise ValueError(f"unknown date_order {value!r}; expected one of: ymd, dmy, mdy") from None


def parse_when(
    text: str,
    now: datetime,
    *,
    date_order: DateOrder | str = DateOrder.YMD,
    past: bool = False,
) -> When:
    """Parse a user-typed date or time relative to ``now``; raise DateParseError if unreadable.

    ``past`` is for options about what already happened (``log --at``, ``--since``, ``--told``):
    there a weekday name means the most recent such day strictly before today (``mon`` typed on
    a Friday is this week's Monday), not the next one."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("parse_when needs a timezone-aware `now`")
    ctx = _Ctx(now, now.tzinfo, now.date(), _order(date_order), past)
    s = " ".join(text.split()).lower()
    if not s.isascii():  # full-width digits and colons (as a Chinese input method types them)
        import unicodedata

        s = " ".join(unicodedata.normalize("NFKC", s).split()).lower()
    if not s:
        raise DateParseError(text.strip(), "empty")
    try:
        when = _parse(s, ctx)
        when.end  # noqa: B018 -- must be representable too (not 9999-12-31)
        year = when.start.astimezone(ctx.tz).year
        if not YEARS[0] <= year <= YEARS[1]:  # 0226 for 2026 is a slip, not a date
            raise _Bad(
                _("year {year} is out of range; clientcard takes {first} to {last}").format(
                    year=year, first=YEARS[0], last=YEARS[1]
                )
            )
    except _Bad as e:
        raise DateParseError(text.strip(), str(e)) from None
    except OverflowError:
        raise DateParseError(text.strip(), "out of range") from None
    return when
