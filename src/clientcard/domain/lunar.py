"""The Chinese lunar calendar (农历): reading a lunar date, and the solar day it falls on.

Pure and fast: it reads domain/lunar_table.py (generated from the `lunar-python` library by
domain/lunar_gen.py), never a lunar library, so `due` can use it (docs/occasions.md).

A lunar date is a month (1-12, 正月 to 腊月), a day (1-30, 初一 to 三十) and whether the month is a
leap month (闰月), sometimes with a lunar year. A yearly lunar date falls once in every lunar year:
- a date in a leap month (闰四月初八) falls, in a lunar year without that leap month, on the
  same day of the ordinary month (四月初八); an ordinary month's date never falls in the leap
  month that follows it;
- day 30 in a month of 29 days falls on the month's last day (廿九).
The table covers the lunar years 1900-2100; outside them a lunar date falls on no day.
"""

import re
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from clientcard.domain.errors import InvalidValue
from clientcard.domain.lunar_table import FIRST_YEAR, LAST_YEAR, QINGMING, YEARS
from clientcard.i18n import _

MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_DIGITS = "〇一二三四五六七八九"
_DAY_TENS = ("初", "十", "廿", "三")

# The leap months some year of the table has (闰正月 and 闰腊月 are not among them).
LEAP_MONTHS = frozenset(leap for _, leap, _ in YEARS if leap)


class LunarDate(NamedTuple):
    """A lunar month and day, a leap month or not, and the lunar year when one was given. (A
    named tuple: `due` imports this module, and a dataclass is compiled at every start.)"""

    month: int
    day: int
    leap: bool = False
    year: int | None = None

    def text(self) -> str:
        """`八月十五`, `闰四月初八`, `1980年八月十五` (without 农历: see `label`)."""
        year = "" if self.year is None else f"{self.year}年"
        return f"{year}{'闰' if self.leap else ''}{month_name(self.month)}{day_name(self.day)}"

    def label(self) -> str:
        """`农历八月十五`: as a card shows it."""
        return f"农历{self.text()}"

    def code(self) -> str:
        """`08-15`, `L04-08` (a leap month), `1980-08-15`: machine formats and the book."""
        md = f"{'L' if self.leap else ''}{self.month:02d}-{self.day:02d}"
        return md if self.year is None else f"{self.year:04d}-{md}"


def month_name(month: int) -> str:
    """`正月`, `二月`... `冬月`, `腊月`."""
    return f"{MONTH_NAMES[month - 1]}月"


def day_name(day: int) -> str:
    """`初一`... `初十`, `十一`... `二十`, `廿一`... `三十`."""
    if day == 10:
        return "初十"
    if day == 20:
        return "二十"
    if day == 30:
        return "三十"
    return f"{_DAY_TENS[day // 10]}{_DIGITS[day % 10]}"


# ---- reading ---------------------------------------------------------------------------------

_MONTH_WORDS = {f"{name}月": i + 1 for i, name in enumerate(MONTH_NAMES)} | {
    "一月": 1,
    "元月": 1,
    "十一月": 11,
    "十二月": 12,
}


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled when a lunar date is first read (`date add --lunar`), not when `due` starts."""
    numeric = re.compile(r"(?:(\d{4})[-/.年])?([lL闰])?(\d{1,2})[-/.月](\d{1,2})日?")
    chinese = re.compile(r"(?:(\d{4}|[〇零一二三四五六七八九]{4})年)?(闰)?(.+?月)(.+?)[日号]?")
    return numeric, chinese


def _small_number(text: str) -> int | None:
    """A Chinese number from 1 to 39 as a day is written: 初八, 十五, 廿一, 二十一, 三十, 卅, 8."""
    if text.isascii() and text.isdigit():
        return int(text)
    s = text.removeprefix("初")
    s = s.replace("廿", "二十").replace("卅", "三十")
    if s == "十":
        return 10
    if s.startswith("十"):
        s = "一" + s
    if "十" in s:
        tens, _, ones = s.partition("十")
        if len(tens) != 1 or tens not in _DIGITS[1:] or len(ones) > 1:
            return None
        if ones and ones not in _DIGITS[1:]:
            return None
        return _DIGITS.index(tens) * 10 + (_DIGITS.index(ones) if ones else 0)
    if len(s) == 1 and s in _DIGITS[1:] and text.startswith("初"):
        return _DIGITS.index(s)
    return None


def _month_number(text: str) -> int | None:
    if text in _MONTH_WORDS:
        return _MONTH_WORDS[text]
    number = _small_number(text.removesuffix("月"))
    return number


def _chinese_year(text: str) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    return int("".join(str(_DIGITS.index(_DIGITS[0] if c == "零" else c)) for c in text))


def parse_lunar(text: str) -> LunarDate:
    """A lunar date as typed: `八月十五`, `正月初一`, `闰四月初八`, `腊月廿三`, `冬月初十` (`农历`
    before it is fine), `08-15`, `8/15`, `L04-08` (a leap month), with a lunar year before it
    when known: `1980-08-15`, `1980年八月十五`. Refused in one line: a month that is not 1-12, a
    day that is not 1-30, a leap month no year of the table has."""
    s = "".join(text.split()).removeprefix("农历")
    numeric, chinese = _patterns()
    found = numeric.fullmatch(s)
    if found is not None:
        year = int(found[1]) if found[1] else None
        leap, month, day = found[2] is not None, int(found[3]), int(found[4])
    else:
        found = chinese.fullmatch(s)
        month_number = None if found is None else _month_number(found[3])
        day_number = None if found is None else _small_number(found[4])
        if found is None or month_number is None or day_number is None:
            raise InvalidValue(
                _(
                    "{text!r} is no lunar date; give e.g. 八月十五, 正月初一, 闰四月初八, "
                    "08-15 or L04-08"
                ).format(text=text.strip())
            )
        year = _chinese_year(found[1]) if found[1] else None
        leap, month, day = found[2] is not None, month_number, day_number
    return check_lunar(text, LunarDate(month, day, leap, year))


def check_lunar(text: str, when: LunarDate) -> LunarDate:
    """Refuse a lunar date no year has (or, with its year, that year has not)."""
    shown = text.strip()
    if not 1 <= when.month <= 12:
        raise InvalidValue(
            _("{text!r} is no lunar date: there is no lunar month {month}").format(
                text=shown, month=when.month
            )
        )
    if not 1 <= when.day <= 30:
        raise InvalidValue(
            _("{text!r} is no lunar date: a lunar month has 29 or 30 days, not {day}").format(
                text=shown, day=when.day
            )
        )
    if when.leap and when.month not in LEAP_MONTHS:
        raise InvalidValue(
            _("{text!r} is no lunar date: no year from {first} to {last} has a {leap}").format(
                text=shown, first=FIRST_YEAR, last=LAST_YEAR, leap=f"闰{month_name(when.month)}"
            )
        )
    if when.year is not None:
        if not FIRST_YEAR <= when.year <= LAST_YEAR:
            raise InvalidValue(
                _("{text!r}: lunar dates are known from {first} to {last} only").format(
                    text=shown, first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        if when.leap and leap_month(when.year) != when.month:
            raise InvalidValue(
                _("{text!r} is no lunar date: the lunar year {year} has no {leap}").format(
                    text=shown, year=when.year, leap=f"闰{month_name(when.month)}"
                )
            )
        days = month_days(when.year, when.month, when.leap)
        if when.day > days:
            raise InvalidValue(
                _("{text!r} is no lunar date: that month of {year} has {days} days").format(
                    text=shown, year=when.year, days=days
                )
            )
    return when


# ---- the table -------------------------------------------------------------------------------


def leap_month(year: int) -> int:
    """The leap month of a lunar year, 0 when it has none."""
    return YEARS[year - FIRST_YEAR][1]


def _months(year: int) -> list[tuple[int, bool, int]]:
    """The months of a lunar year in order: (month, leap, days)."""
    _, leap, bits = YEARS[year - FIRST_YEAR]
    months: list[tuple[int, bool]] = []
    for month in range(1, 13):
        months.append((month, False))
        if month == leap:
            months.append((month, True))
    return [(m, is_leap, 30 if bits >> i & 1 else 29) for i, (m, is_leap) in enumerate(months)]


def month_days(year: int, month: int, leap: bool = False) -> int:
    """The days of a lunar month (29 or 30); the leap one must exist."""
    for m, is_leap, days in _months(year):
        if (m, is_leap) == (month, leap):
            return days
    raise ValueError(f"the lunar year {year} has no leap month {month}")


def new_year(year: int) -> date:
    """The solar day of 正月初一 (春节) of a lunar year of the table."""
    return date.fromordinal(YEARS[year - FIRST_YEAR][0])


def to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar day of an exact lunar date of the table (the month and day must exist)."""
    offset = 0
    for m, is_leap, days in _months(year):
        if (m, is_leap) == (month, leap):
            if not 1 <= day <= days:
                raise ValueError(f"lunar {year}-{month}: no day {day}")
            return new_year(year) + timedelta(days=offset + day - 1)
        offset += days
    raise ValueError(f"the lunar year {year} has no leap month {month}")


def falls_on(when: LunarDate, year: int) -> date | None:
    """The solar day a yearly lunar date falls on in the lunar year `year` (module docstring:
    a leap month's date in the ordinary month of a year without it, day 30 on a 29th); None
    outside the table."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    leap = when.leap and leap_month(year) == when.month
    day = min(when.day, month_days(year, when.month, leap))
    return to_solar(year, when.month, day, leap)


def to_lunar(d: date) -> LunarDate | None:
    """The lunar date of a solar day (with its lunar year); None outside the table."""
    ordinal = d.toordinal()
    index = ordinal - YEARS[0][0]
    if index < 0:
        return None
    year = min(FIRST_YEAR + index // 354, LAST_YEAR)
    while year > FIRST_YEAR and YEARS[year - FIRST_YEAR][0] > ordinal:
        year -= 1
    while year < LAST_YEAR and YEARS[year + 1 - FIRST_YEAR][0] <= ordinal:
        year += 1
    offset = ordinal - YEARS[year - FIRST_YEAR][0]
    for month, leap, days in _months(year):
        if offset < days:
            return LunarDate(month, offset + 1, leap, year)
        offset -= days
    return None  # after the last lunar year of the table


def occurrences(when: LunarDate, yearly: bool, first: date, last: date) -> list[date]:
    """The solar days a lunar date falls on from `first` to `last` (both included): a yearly
    one once a lunar year (from its year on, when it has one), a one-off one in its year."""
    if not yearly:
        assert when.year is not None
        d = falls_on(when, when.year)
        return [d] if d is not None and first <= d <= last else []
    # A lunar year begins between January 21 and February 20: its 腊月 falls in the next
    # solar year.
    start = max(first.year - 1, when.year or FIRST_YEAR)
    days = (falls_on(when, y) for y in range(start, last.year + 1))
    return [d for d in days if d is not None and first <= d <= last]


def next_on(when: LunarDate, yearly: bool, today: date) -> date | None:
    """The next solar day the lunar date falls on, today included (a one-off one: its day,
    even past); None when the table has none."""
    if not yearly:
        assert when.year is not None
        return falls_on(when, when.year)
    start = max(today.year - 1, when.year or FIRST_YEAR)
    for year in range(start, min(start + 3, LAST_YEAR) + 1):
        d = falls_on(when, year)
        if d is not None and d >= today:
            return d
    return None


def qingming(year: int) -> date | None:
    """The solar term 清明 of a solar year (April 4, 5 or 6); None outside the table."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return date(year, 4, int(QINGMING[year - FIRST_YEAR]))


def month_day_ranges(first: date, last: date) -> list[tuple[int, int, int]] | None:
    """The (lunar month, first day, last day) runs of the lunar dates that can fall from
    `first` to `last`, leap or not (a leap month's days under its month number; the last day
    of a 29-day month also takes day 30), for reading lunar key dates through their
    (month, day) index. None when the span covers a whole lunar year, or leaves the table."""
    if (last - first).days >= 353:
        return None
    days: dict[int, set[int]] = {}
    d = first
    while d <= last:
        lunar = to_lunar(d)
        if lunar is None:
            return None
        assert lunar.year is not None
        days.setdefault(lunar.month, set()).add(lunar.day)
        if lunar.day == 29 and month_days(lunar.year, lunar.month, lunar.leap) == 29:
            days[lunar.month].add(30)
        d += timedelta(days=1)
    return day_runs(days)


def day_runs(days: dict[int, set[int]]) -> list[tuple[int, int, int]]:
    """Days of each month as runs of consecutive days, `(month, first, last)`, by month: what
    a window of `due` reads through the (month, day) index, for lunar dates here and for solar
    ones (occasions.py)."""
    runs = []
    for month in sorted(days):
        ordered = sorted(days[month])
        start = prev = ordered[0]
        for day in ordered[1:]:
            if day != prev + 1:
                runs.append((month, start, prev))
                start = day
            prev = day
        runs.append((month, start, prev))
    return runs
