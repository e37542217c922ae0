"""Occasions: a client's key dates (birthdays, promotions...), dated holidays, and when a
greeting for one is due (docs/occasions.md explains it to users).

A key date is a month and a day, with a year when one was given. A yearly date recurs every year
(from its year on, when it has one: a birth year is the origin); a one-off date happens once.
February 29 recurs on February 28 in years without it, so the greeting stays in February.

A greeting for an occasion on day D is due `lead.card` days before D by a mailed card, or
`lead.call` days before D by a call (default 5 and 0: a card needs the post, a call is made on the
day). It is listed from the first of those days still ahead, and is overdue only once D has
passed; an occasion missed by more than GRACE_DAYS days drops out (a belated greeting a month on
does more harm than good). The greeting is done by a card or gift logged from CARD_EARLY_DAYS
before the card date on (posted a little early), or by a call logged on or after the call day:
a routine call a week before a birthday is not the birthday greeting.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from clientcard.domain import lunar
from clientcard.domain.agenda import Channel
from clientcard.domain.cards import clean_tag
from clientcard.domain.dates import DateOrder, parse_when
from clientcard.domain.errors import InvalidValue
from clientcard.domain.lunar import LunarDate
from clientcard.domain.weekdays import day_name
from clientcard.i18n import N_, _, language


class OccasionKind(StrEnum):
    """What a key date is (the KIND of `date add`)."""

    birthday = "birthday"
    anniversary = "anniversary"
    promotion = "promotion"
    company_move = "company-move"
    new_product = "new-product"
    certification = "certification"
    other = "other"

    @property
    def label(self) -> str:
        """As a sentence says it: `company move`."""
        return self.value.replace("-", " ")


KINDS = ", ".join(k.value for k in OccasionKind)

# Birthdays and anniversaries come back every year; the other kinds happen once unless --yearly.
YEARLY_BY_DEFAULT = frozenset({OccasionKind.birthday, OccasionKind.anniversary})

# An occasion missed by more than this many days no longer shows in `due`.
GRACE_DAYS = 7
# A card or gift logged from this many days before the card date on clears the occasion.
CARD_EARLY_DAYS = 3
# The contacts that are a greeting.
GREETING_CHANNELS = frozenset({Channel.card, Channel.gift, Channel.call})


def parse_kind(text: str) -> OccasionKind:
    try:
        return OccasionKind(text.strip().lower().replace("_", "-"))
    except ValueError:
        raise InvalidValue(
            _("unknown kind {text}; KIND is one of {choices}").format(
                text=repr(text), choices=KINDS
            )
        ) from None


def yearly_of(kind: OccasionKind, yearly: bool) -> bool:
    """`--yearly` makes any kind recur; birthdays and anniversaries always do."""
    return yearly or kind in YEARLY_BY_DEFAULT


# ---- reading a key date ----------------------------------------------------------------------

_MONTH_DAY = re.compile(r"-{0,2}(\d{1,2})([-/.])(\d{1,2})")
_MONTH_NAME = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\b"
)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class DayOfYear:
    """A key date as typed: month and day, and the year when one was given. A lunar one
    (issue 18) has a lunar month, day and year, `leap` for a leap month (domain/lunar.py)."""

    month: int
    day: int
    year: int | None
    lunar: bool = False
    leap: bool = False

    def text(self) -> str:
        """`11-29` without a year, `1980-11-29` with one; a lunar leap month: `L04-08`."""
        md = f"{'L' if self.leap else ''}{self.month:02d}-{self.day:02d}"
        return md if self.year is None else f"{self.year:04d}-{md}"

    def lunar_date(self) -> LunarDate:
        return LunarDate(self.month, self.day, self.leap, self.year)

    def lunar_code(self) -> str | None:
        """A lunar date's `08-15` / `L04-08` / `1980-08-15`; None for a solar one."""
        return self.text() if self.lunar else None

    def label(self) -> str:
        """As people read it: `11-29`, or `农历八月十五`."""
        return self.lunar_date().label() if self.lunar else self.text()


def _check_day(text: str, month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidValue(
            _("{text} is no date: there is no month {month}").format(
                text=repr(text.strip()), month=month
            )
        )
    # 2000 is a leap year: February 29 is a day, February 30 is not.
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise InvalidValue(
            _("{text} is no date: there is no day {day} in month {month}").format(
                text=repr(text.strip()), day=day, month=month
            )
        )


def parse_day(
    text: str, now: datetime, *, date_order: DateOrder | str, yearly: bool, what: str
) -> DayOfYear:
    """The day a user typed for an occasion.

    Without a year: `MM-DD` (always month-day, as in ISO 8601's `--05-03`), `a/b` and `a.b` (by
    date_order), a month name (`may 3`, `3 may`), or in Chinese `12月10日`, `12月10号`, `十二月十日`
    (with a year: `2026年12月10日`). Only a yearly date may omit its year.
    Anything else goes through the one date parser (`2026-12-01`, `today`, `fri`, `+3d`...) and
    keeps its year. A time of day is refused: an occasion is a whole day."""
    s = " ".join(text.split()).lower()
    if not s.isascii():  # full-width digits, as an input method types them
        import unicodedata

        s = unicodedata.normalize("NFKC", s)
    numbers = _MONTH_DAY.fullmatch(s)
    chinese = None if s.isascii() else _chinese_month_day(text)
    if chinese is not None:
        year, month, day = chinese
        _check_day(text, month, 1)
        if day is None:
            raise InvalidValue(
                _("{text} has no day; give it, e.g. '{example}'").format(
                    text=repr(text.strip()), example=f"{month}月3日"
                )
            )
        _check_day(text, month, day)
        if year is not None:
            try:
                date(year, month, day)
            except ValueError:
                raise InvalidValue(
                    _("{text} is no date: there is no day {day} in month {month}").format(
                        text=repr(text.strip()), day=day, month=month
                    )
                ) from None
        found = DayOfYear(month, day, year)
    elif numbers is not None:
        first, sep, second = int(numbers[1]), numbers[2], int(numbers[3])
        dmy = sep != "-" and DateOrder(str(date_order)) == DateOrder.DMY
        found = DayOfYear(second, first, None) if dmy else DayOfYear(first, second, None)
    else:
        when = parse_when(text, now, date_order=date_order)
        if not when.all_day:
            raise InvalidValue(
                _("{text} has a time; an occasion is a whole day").format(text=repr(text.strip()))
            )
        d = when.start.date()
        named = _MONTH_NAME.search(s) is not None
        if named and not any(c.isdigit() for c in s):
            raise InvalidValue(
                _("{text} has no day; give it, e.g. '{example}'").format(
                    text=repr(text.strip()), example=f"{s} 3"
                )
            )
        typed_year = not named or _YEAR.search(s) is not None
        found = DayOfYear(d.month, d.day, d.year if typed_year else None)
    _check_day(text, found.month, found.day)
    if found.year is None and not yearly:
        raise InvalidValue(
            _(
                "a {what} happens once: give its year (e.g. {example}), "
                "or add --yearly to greet it every year"
            ).format(what=what, example=f"{now.year}-{found.month:02d}-{found.day:02d}")
        )
    return found


_CHINESE_SPAN = re.compile(r"[0-9一二两三四五六七八九十百半]+个?(?:天|日|周|星期|礼拜|月|年)")


def _chinese_month_day(text: str) -> tuple[int | None, int, int | None] | None:
    """12月10日 and its kin (domain/dates_zh.py), read only for text that is not ASCII."""
    import unicodedata

    from clientcard.domain import dates_zh
    from clientcard.domain.dates import DateParseError
    from clientcard.domain.when import _Bad

    s = unicodedata.normalize("NFKC", text).strip()
    try:
        return dates_zh.month_day(s)
    except _Bad as e:
        raise DateParseError(text.strip(), str(e)) from None


def parse_lunar_day(text: str, *, yearly: bool, what: str) -> DayOfYear:
    """A lunar day for an occasion (`date add --lunar`): 八月十五, 08-15, 闰四月初八, L04-08, with
    a lunar year before it when known (1980-08-15). Only a yearly date may omit its year."""
    found = lunar.parse_lunar(text)
    if found.year is None and not yearly:
        raise InvalidValue(
            _(
                "a {what} happens once: give its lunar year (e.g. 2027-{day}), or add --yearly "
                "to greet it every year"
            ).format(what=what, day=found.code())
        )
    return DayOfYear(found.month, found.day, found.year, lunar=True, leap=found.leap)


def parse_span(text: str, now: datetime, *, date_order: DateOrder | str) -> date:
    """The last day of `--within`: `30d`, `30` (days), `2w`, `1mo`, `eom`, `2026-12-31`, or in
    Chinese a span (`30天`, `两周`, `一个月`: read as 30天后...) or any Chinese date (`月底`)."""
    s = text.strip()
    if not s.isascii() and _CHINESE_SPAN.fullmatch(s.replace(" ", "")):
        s += "后"
    when = parse_when(f"{s}d" if s.isascii() and s.isdigit() else s, now, date_order=date_order)
    last = when.start.date()
    if last < now.date():
        raise InvalidValue(
            _("--within {text} is in the past; give e.g. 30d, 2w or eom").format(text=repr(text))
        )
    return last


# ---- occurrences -----------------------------------------------------------------------------


def on_year(month: int, day: int, year: int) -> date:
    """The day in `year`: February 29 falls on February 28 in a year without it."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences(when: DayOfYear, yearly: bool, first: date, last: date) -> list[date]:
    """The days the occasion falls on from `first` to `last` (both included). A yearly date
    with a year recurs from that year on; a lunar one on its solar day of each lunar year."""
    if when.lunar:
        return lunar.occurrences(when.lunar_date(), yearly, first, last)
    if not yearly:
        assert when.year is not None
        d = date(when.year, when.month, when.day)
        return [d] if first <= d <= last else []
    start = max(first.year, when.year or first.year)
    days = (on_year(when.month, when.day, y) for y in range(start, last.year + 1))
    return [d for d in days if first <= d <= last]


def next_on(when: DayOfYear, yearly: bool, today: date) -> date:
    """The next time the occasion falls, today included; a one-off date is its day, even past.
    (A lunar date past the lunar calendar's table never falls: `date.max`.)"""
    if when.lunar:
        return lunar.next_on(when.lunar_date(), yearly, today) or date.max
    if not yearly:
        assert when.year is not None
        return date(when.year, when.month, when.day)
    year = max(today.year, when.year or today.year)
    d = on_year(when.month, when.day, year)
    return d if d >= today else on_year(when.month, when.day, year + 1)


def month_day_ranges(first: date, last: date) -> list[tuple[int, int, int]] | None:
    """The (month, first day, last day) runs of the days from `first` to `last`, for reading key
    dates through their (month, day) index; February 29 is in when a February 28 without it is.
    None when the span covers a whole year (every key date can fall in it)."""
    if (last - first).days >= 365:
        return None
    days: dict[int, set[int]] = {}
    d = first
    while d <= last:
        days.setdefault(d.month, set()).add(d.day)
        if d.month == 2 and d.day == 28 and not calendar.isleap(d.year):
            days[2].add(29)
        d += timedelta(days=1)
    return lunar.day_runs(days)


# ---- the greeting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Greeting:
    """When a greeting for an occasion on `on` is due, seen from `today`."""

    on: date  # the occasion
    card_by: date  # post a card by then
    call_on: date  # call on (or by) then
    due: date  # the first of those still ahead, else the occasion's day
    overdue_days: int  # days since the occasion, 0 until it has passed

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def greeting(on: date, today: date, *, lead_card: int, lead_call: int) -> Greeting | None:
    """The greeting for an occasion on `on`; None once it was missed by more than GRACE_DAYS."""
    missed = (today - on).days
    if missed > GRACE_DAYS:
        return None
    card_by = on - timedelta(days=lead_card)
    call_on = on - timedelta(days=lead_call)
    ahead = [d for d in (card_by, call_on) if d >= today]
    due = min(ahead) if ahead else on
    return Greeting(on, card_by, call_on, due, max(missed, 0))


def card_cleared_from(on: date, *, lead_card: int) -> date:
    """A card or gift logged on or after this day is the greeting for the occasion on `on`."""
    return on - timedelta(days=lead_card + CARD_EARLY_DAYS)


def call_cleared_from(on: date, *, lead_call: int) -> date:
    """A call logged on or after this day is the greeting for the occasion on `on`."""
    return on - timedelta(days=lead_call)


def day_text(d: date) -> str:
    """`Wed 2027-09-15` / `周三 2027-09-15`: the weekday in the interface's language."""
    return day_name(d)


# ---- holidays --------------------------------------------------------------------------------


class Audience(StrEnum):
    customers = "customers"  # live cards with a first sale
    all = "all"  # every live card


# The audiences as people read them (`holiday list`, `holiday add`); the machine formats keep
# the code (`customers`, `all`, `tag:T`).
AUDIENCE_WORDS = {"customers": N_("customers"), "all": N_("all")}


def parse_audience(text: str) -> str:
    """`customers`, `all` or `tag:T` (T a tag, lower-cased); the first two also as the
    interface's language names them (成交客户, 全部)."""
    s = text.strip().lower()
    if s.startswith("tag:"):
        return f"tag:{clean_tag(s[4:])}"
    for code, words in AUDIENCE_WORDS.items():  # as the interface names it: 成交客户
        if s == _(words).lower():
            return code
    try:
        return Audience(s).value
    except ValueError:
        raise InvalidValue(
            _("unknown audience {text}; --for is customers, all or tag:T").format(text=repr(text))
        ) from None


def audience_words(audience: str) -> str:
    """`customers` / 成交客户, `all` / 全部, `tag:vip` / `tag vip` / 标签 vip."""
    tag = audience_tag(audience)
    if tag is not None:
        return _("tag {tag}").format(tag=tag) if language() != "en" else audience
    words = AUDIENCE_WORDS.get(audience)
    return _(words) if words is not None else audience


def audience_tag(audience: str) -> str | None:
    return audience[4:] if audience.startswith("tag:") else None


# ---- yearly holidays (issue 18) --------------------------------------------------------------


class Yearly(StrEnum):
    """How a yearly holiday finds its day each year (holiday.yearly)."""

    solar = "solar"  # a solar month and day: 元旦 01-01, 国庆 10-01
    lunar = "lunar"  # a lunar month and day: 中秋 八月十五 (domain/lunar.py)
    qingming = "qingming"  # the solar term 清明 (April 4, 5 or 6)


@dataclass(frozen=True)
class HolidayRule:
    """A yearly holiday's rule: month and day (lunar or solar), `leap` a lunar leap month; the
    solar term has neither."""

    yearly: Yearly
    month: int | None = None
    day: int | None = None
    leap: bool = False

    def days(self, first: date, last: date) -> list[date]:
        """The days it falls on from `first` to `last` (both included)."""
        if self.yearly is Yearly.qingming:
            found = (lunar.qingming(y) for y in range(first.year, last.year + 1))
            return [d for d in found if d is not None and first <= d <= last]
        assert self.month is not None
        assert self.day is not None
        if self.yearly is Yearly.lunar:
            moon = LunarDate(self.month, self.day, self.leap)
            return lunar.occurrences(moon, True, first, last)
        return occurrences(DayOfYear(self.month, self.day, None), True, first, last)

    def next_on(self, today: date) -> date:
        """The next day it falls on, today included (`date.max` past the lunar table)."""
        found = self.days(today, date(min(today.year + 2, date.max.year), 12, 31))
        return found[0] if found else date.max

    def code(self) -> str:
        """For machines and the book: `solar:10-01`, `lunar:08-15`, `lunar:L04-08`,
        `qingming`."""
        if self.yearly is Yearly.qingming:
            return self.yearly.value
        leap = "L" if self.leap else ""
        return f"{self.yearly.value}:{leap}{self.month:02d}-{self.day:02d}"

    def label(self) -> str:
        """For people: `10-01`, `农历八月十五`, `清明`."""
        if self.yearly is Yearly.qingming:
            return "清明"
        assert self.month is not None
        assert self.day is not None
        if self.yearly is Yearly.lunar:
            return LunarDate(self.month, self.day, self.leap).label()
        return f"{self.month:02d}-{self.day:02d}"


# `holiday add --preset cn`: China's holidays a salesperson greets customers for.
PRESETS: dict[str, tuple[tuple[str, HolidayRule], ...]] = {
    "cn": (
        ("元旦", HolidayRule(Yearly.solar, 1, 1)),
        ("春节", HolidayRule(Yearly.lunar, 1, 1)),
        ("元宵", HolidayRule(Yearly.lunar, 1, 15)),
        ("清明", HolidayRule(Yearly.qingming)),
        ("端午", HolidayRule(Yearly.lunar, 5, 5)),
        ("七夕", HolidayRule(Yearly.lunar, 7, 7)),
        ("中秋", HolidayRule(Yearly.lunar, 8, 15)),
        ("重阳", HolidayRule(Yearly.lunar, 9, 9)),
        ("国庆", HolidayRule(Yearly.solar, 10, 1)),
    ),
}


def parse_preset(text: str) -> tuple[tuple[str, HolidayRule], ...]:
    try:
        return PRESETS[text.strip().lower()]
    except KeyError:
        raise InvalidValue(
            _("unknown preset {preset!r}; --preset is one of {presets}").format(
                preset=text, presets=", ".join(PRESETS)
            )
        ) from None
