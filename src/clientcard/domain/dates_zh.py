"""Chinese dates and times for the one date parser (domain/dates.py; docs/dates.md lists them).

dates.py imports this module only when the text it reads is not ASCII, so English input costs
nothing more. Input arrives stripped, lower-cased and NFKC-folded (full-width digits and colons
are ASCII by then). Spaces between parts are optional.

A text is a day part, a time part, or a day part then a time part:

* day words: 今天/今日 明天/明日 后天 大后天 昨天/昨日 前天 大前天 (whole days), 现在 (now);
  今晚 明晚 昨晚 今早 明早 are the day with 晚上/早上.
* weekdays 周一..周日 (周天), 星期一..星期日 (星期天), 礼拜一..礼拜天 (礼拜日), 周1..周7. Alone,
  as the English `fri`: the next such day strictly after today (周五 on a Friday is a week away),
  or with `past` the last one strictly before. With 本/这 (this week), 下/下个 (next week), 上/上个
  (last week), 下下 / 上上 (two weeks on / back): that day of that Monday-first week, as in
  China; 本周五 on a Friday is today. 本周 下周 上周 alone are that week's Monday.
* weekends: 周末 is a Saturday, as a Chinese salesperson schedules it. 本周末/这周末, 下周末
  (下个周末), 上周末, 下下周末, 上上周末: that week's Saturday, past or not. 周末 alone: the next
  Saturday on or after today, or with `past` the latest on or before it.
* months: 本月/这个月 下个月/下月 上个月/上月 下下个月 are that month's first day; 月初 and
  月底/月末 after them (or alone: this month) its first and last day; a day after them
  (下个月10号) that day.
* years: 今年 明年 去年 后年 前年 are 1 January; with 初 / 底 / 末 (明年底) the first or last day;
  年初 年底 年末 alone are this year's.
* calendar dates: 2026年12月10日, 12月10日, 12月10号, 十二月十日, 2026年12月 (the 1st), 12月 (the
  1st), 10号 (this month's 10th, or next month's once it has passed), 12月底. Without a year,
  as the English `dec 10`: the next such day on or after today (12月10日 typed on 20 December
  is next year's; 2月29日 is the next 29 February).
* offsets: N天后 N周后 N个星期后 N个礼拜后 N个月后 N年后, 半个月后 (15 days), 半年后 (6 months),
  N小时后 N分钟后 半小时后, and the same with 前 (N天前); 以后/之后/以前/之前 as well. N and a
  half: 一个半月后 (a month, then 15 days), 一年半后 (18 months), 一天半后 (36 hours, from now),
  一个半小时后 (90 minutes); half a week (两周半, 半周) is refused, it is no whole day. Days,
  weeks, months and years are calendar arithmetic on today (whole days, months clamp: 1月31日 +
  一个月 is the end of February); hours and minutes are elapsed time from now.
* times: N点 N点半 N点一刻 N点三刻 N点M分 N点M N点整 N时, 15:00, 3pm, after an optional part of
  the day: 凌晨 早上/早晨/清晨 上午 中午 下午 傍晚 晚上/夜里. 下午 傍晚 晚上 add 12 hours to
  1-11 (下午3点 = 15:00; 下午15点 is 15:00 too); 中午1点 is 13:00; without a part of the day a
  bare 1点-6点 is the afternoon (3点 = 15:00: a salesperson's 3点 is not 3 a.m.); 7点-12点,
  0点 and 13点-23点 are as written, and so are 3时 and 3:00 (as the English `3:00`). A part of
  the day alone is its usual hour (PART_HOURS: 昨天下午 = yesterday 14:00). A time without a
  day is today, even once it has passed, as the English `15:00`.
* any English day form before a Chinese time (2026-12-01 下午3点, fri 15点).

Numbers may be digits or Chinese numerals (一..十, 十一, 二十三, 两, 零 and U+3007:
domain/numerals.py).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, time, timedelta

from clientcard.domain.numerals import DIGITS, read_number
from clientcard.domain.when import When, _apply, _at, _Bad, _Ctx, _day
from clientcard.i18n import _

# Unbounded repeats (lengths are checked when read): bounded ones cost compile time.
_NUM = "(?:[0-9]+|[" + "".join(DIGITS) + "十百]+)"
_YEAR_DIGITS = "(?:[0-9]+|[" + "".join(DIGITS) + "]+)"

_WORD_DAYS = {
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
}
_SHORTHAND = {"今晚": "今天晚上", "明晚": "明天晚上", "昨晚": "昨天晚上", "今早": "今天早上"}
_SHORTHAND.update({"明早": "明天早上", "昨早": "昨天早上"})

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY.update({str(i + 1): i for i in range(7)})
_WEEK_SHIFT = {"": None, "本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "上": -1, "上个": -1}
_WEEK_SHIFT.update({"下下": 2, "下下个": 2, "上上": -2, "上上个": -2})
_WEEK = re.compile(
    r"(?P<shift>下下个|上上个|下下|上上|下个|上个|这个|下|上|本|这)?"
    r"(?P<word>周|星期|礼拜)(?P<day>[一二三四五六日天1-7末])?"
)
_SATURDAY = 5  # 周末, the weekend, is its Saturday (docs/dates.md)
_MONTH_SHIFT = {"本": 0, "这个": 0, "这": 0, "下个": 1, "下": 1, "上个": -1, "上": -1}
_MONTH_SHIFT.update({"下下个": 2, "上上个": -2})
_REL_MONTH = re.compile(
    r"(?P<shift>下下个|上上个|下个|上个|这个|本|下|上|这)?月"
    r"(?:(?P<edge>初|底|末)|(?P<day>" + _NUM + r")[日号])?"
)
_YEAR_WORDS = {"今": 0, "明": 1, "去": -1, "后": 2, "前": -2}
_CALENDAR = re.compile(
    r"(?:(?P<year>" + _YEAR_DIGITS + r")年|(?P<yword>[今明去后前])年)?"
    r"(?:(?P<month>" + _NUM + r")月份?)?"
    r"(?:(?P<day>" + _NUM + r")[日号])?"
    r"(?P<edge>初|底|末)?"
)
_OFFSET_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "mo", "年": "y"}
_OFFSET_UNITS.update({"小时": "h", "钟头": "h", "分钟": "min"})
# N, 半 (half a unit), or N and a half: 一个半月 (半 before a unit counted with 个) or 一年半,
# 一天半, 一个月半 (半 after the unit).
_OFFSET = re.compile(
    r"(?:(?P<n>" + _NUM + r")(?:(?P<and_half>个半)|个)?|(?P<half>半)个?)"
    r"(?P<unit>天|日|周|星期|礼拜|月|年|小时|钟头|分钟)(?P<half_after>半)?"
    r"(?P<dir>以后|之后|后|以前|之前|前)"
)
# Half of a unit, in a smaller unit that is whole: 半个月 15 days, 半年 6 months, 半天 12 hours,
# 半小时 30 minutes. Half a week (3.5 days) and half a minute are no date.
_HALVES = {"mo": (15, "d"), "y": (6, "mo"), "d": (12, "h"), "h": (30, "min")}

# The hour a part of the day alone means (昨天下午 = yesterday 14:00), and how its hours read.
PART_HOURS = {
    "凌晨": 1,
    "早上": 8,
    "早晨": 8,
    "清晨": 6,
    "上午": 9,
    "中午": 12,
    "下午": 14,
    "傍晚": 18,
    "晚上": 20,
    "夜里": 22,
}
_PARTS = "|".join(sorted(PART_HOURS, key=len, reverse=True))
_TIME = re.compile(
    r"(?P<part>" + _PARTS + r")?\s*"
    r"(?:(?P<hour>" + _NUM + r")\s*(?P<mark>[点時时])\s*"
    r"(?:(?P<half>半)|(?P<quarter>一刻|三刻)|(?P<minute>" + _NUM + r")\s*分?|整)?"
    r"|(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})"
    r"|(?P<en>[0-9]{1,2}(?::[0-9]{2})?\s*(?:am|pm)))?"
)


def _number(text: str) -> int:
    n = read_number(text)
    if n is None:
        raise _Bad(_("{text} is not a number").format(text=repr(text)))
    return n


def _month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    months = y * 12 + m - 1 + k
    return months // 12, months % 12 + 1


def _check_month(m: int) -> None:
    if not 1 <= m <= 12:
        raise _Bad(_("there is no month {month}").format(month=m))


def _make_date(y: int, m: int, d: int) -> date:
    _check_month(m)
    if not 1 <= d <= _month_end(y, m) or not 1900 <= y <= 2200:
        raise _Bad(
            _("no such day: year {year}, month {month}, day {day}").format(year=y, month=m, day=d)
        )
    return date(y, m, d)


def _read_time(text: str) -> time | None:
    """The time `text` says, None if it is no time, _Bad if it is one badly."""
    m = _TIME.fullmatch(text)
    if m is None or not text:
        return None
    part = m["part"]
    if m["en"]:
        from clientcard.domain.when import _read_time as read_english

        t = read_english(m["en"].replace(" ", ""))
        if t is None or part:
            return None
        return t
    if m["hh"] is not None:
        hour, minute = int(m["hh"]), int(m["mm"])
    elif m["hour"] is not None:
        hour = _number(m["hour"])
        minute = 30 if m["half"] else 0
        if m["quarter"]:
            minute = 15 if m["quarter"] == "一刻" else 45
        if m["minute"]:
            minute = _number(m["minute"])
    elif part:
        return time(PART_HOURS[part])
    else:
        return None
    if minute > 59:
        raise _Bad(_("{text} is not a time of day").format(text=repr(text)))
    if part:
        hour = _part_hour(part, hour, text)
    elif m["mark"] == "点" and 1 <= hour <= 6:
        hour += 12  # a bare 3点 is a working day's 15:00, not 03:00 (docs/dates.md)
    if hour > 23:
        raise _Bad(_("{text} is not a time of day").format(text=repr(text)))
    return time(hour, minute)


def _part_hour(part: str, hour: int, text: str) -> int:
    """The hour of `hour` o'clock in `part` of the day."""
    if part == "凌晨" and hour <= 12:
        return hour % 12
    if part in ("早上", "早晨", "清晨", "上午") and hour <= 12:
        return hour
    if part == "中午" and hour in (11, 12, 13, 1, 2):
        return hour + 12 if hour < 3 else hour
    if part == "下午" and 1 <= hour <= 23:
        return hour + 12 if hour < 12 else hour
    if part in ("傍晚", "晚上", "夜里") and (5 <= hour <= 11 or 17 <= hour <= 23):
        return hour + 12 if hour < 12 else hour
    raise _Bad(
        _("{text}: there is no {hour} o'clock in {part}").format(
            text=repr(text), hour=hour, part=part
        )
    )


def _weekday(m: re.Match[str], ctx: _Ctx) -> When:
    shift = _WEEK_SHIFT[m["shift"] or ""]
    t = ctx.today
    if m["day"] is None:  # 下周, 本周: that week's Monday
        if shift is None:
            raise _Bad(_("say which week: 本周, 下周 or 上周"))
        return _day(t - timedelta(days=t.weekday()) + timedelta(weeks=shift), ctx)
    if m["day"] == "末":
        if m["word"] != "周":  # 周末 only: 星期末 and 礼拜末 are not said
            raise _Bad(_("the weekend is written 周末"))
        return _weekend(shift, ctx)
    wd = _WEEKDAY[m["day"]]
    if shift is None and ctx.past:  # strictly before today, as the English `fri` in the past
        return _day(t - timedelta(days=(t.weekday() - wd - 1) % 7 + 1), ctx)
    if shift is None:  # strictly after today, as the English `fri`
        return _day(t + timedelta(days=(wd - t.weekday() - 1) % 7 + 1), ctx)
    monday = t - timedelta(days=t.weekday())
    return _day(monday + timedelta(weeks=shift, days=wd), ctx)


def _weekend(shift: int | None, ctx: _Ctx) -> When:
    """周末: the weekend's Saturday. With 本/这/下/上/下下/上上 that Monday-first week's, past
    or not (下周末 on a Friday is 8 days on); alone the next Saturday on or after today, or in
    the past the latest on or before it (on a Sunday, yesterday)."""
    t = ctx.today
    if shift is not None:
        return _day(t - timedelta(days=t.weekday()) + timedelta(weeks=shift, days=_SATURDAY), ctx)
    if ctx.past:
        return _day(t - timedelta(days=(t.weekday() - _SATURDAY) % 7), ctx)
    return _day(t + timedelta(days=(_SATURDAY - t.weekday()) % 7), ctx)


def _relative_month(m: re.Match[str], ctx: _Ctx) -> When:
    t = ctx.today
    y, mo = _add_months(t.year, t.month, _MONTH_SHIFT[m["shift"] or "本"])
    if m["day"] is not None:
        return _day(_make_date(y, mo, _number(m["day"])), ctx)
    last = m["edge"] in ("底", "末")
    return _day(date(y, mo, _month_end(y, mo) if last else 1), ctx)


def _calendar(m: re.Match[str], ctx: _Ctx) -> When | None:
    year_text, yword, month_text, day_text, edge = (
        m["year"],
        m["yword"],
        m["month"],
        m["day"],
        m["edge"],
    )
    t = ctx.today
    if not (year_text or yword or month_text or day_text):
        return None
    year = None
    if year_text:
        if len(year_text) != 4:
            raise _Bad(_("write the year with 4 digits, e.g. {example}").format(example="2026年"))
        year = _number(year_text)
    elif yword:
        year = t.year + _YEAR_WORDS[yword]
    month = _number(month_text) if month_text else None
    day = _number(day_text) if day_text else None
    if month is not None:
        _check_month(month)
    if edge and day is not None:
        return None
    if month is None and day is None:  # 2026年, 明年, 明年底
        assert year is not None
        return _day(
            _make_date(year, 12, 31) if edge in ("底", "末") else _make_date(year, 1, 1), ctx
        )
    # A day without its year is the next such day on or after today, or, in an option about
    # what already happened (`log --at`, ctx.past), the latest on or before it.
    step = -1 if ctx.past else 1

    def ahead(d: date) -> bool:
        return d <= t if ctx.past else d >= t

    if month is None:  # 10号: this month's, or the next month's that has it once it has passed
        assert day is not None
        if year is not None:
            return None
        if not 1 <= day <= 31:
            raise _Bad(_("there is no day {day} in a month").format(day=day))
        for k in range(13):
            y, mo = _add_months(t.year, t.month, k * step)
            if day <= _month_end(y, mo) and ahead(date(y, mo, day)):
                return _day(date(y, mo, day), ctx)
        raise _Bad(_("there is no day {day} in a month").format(day=day))  # pragma: no cover
    if day is None:  # 2026年12月, 12月, 12月底: its first (or last) day

        def pick(y: int) -> date:
            return date(y, month, _month_end(y, month) if edge in ("底", "末") else 1)

        if year is not None:
            _make_date(year, month, 1)
            return _day(pick(year), ctx)
        found = pick(t.year)
        return _day(found if ahead(found) else pick(t.year + step), ctx)
    if year is not None:
        return _day(_make_date(year, month, day), ctx)
    if not 1 <= day <= _month_end(2000, month):
        raise _Bad(_("there is no day {day} in month {month}").format(day=day, month=month))
    for y in range(t.year, t.year + 9 * step, step):  # as `dec 10` does
        if day <= _month_end(y, month) and ahead(date(y, month, day)):
            return _day(date(y, month, day), ctx)
    raise _Bad(_("no such day"))  # pragma: no cover - a 29 February comes within 8 years


def _offset(m: re.Match[str], ctx: _Ctx) -> When:
    unit = _OFFSET_UNITS[m["unit"]]
    sign = "-" if m["dir"].endswith("前") else "+"
    hours = unit in ("h", "min")
    anchor = When(ctx.now, False) if hours else _day(ctx.today, ctx)
    if m["half"] and m["half_after"]:  # 半年半后
        raise _Bad(_("{text} says half twice").format(text=repr(m[0])))
    if not (m["half"] or m["and_half"] or m["half_after"]):
        return _apply(anchor, sign, _number(m["n"]), unit, ctx)
    if unit not in _HALVES:
        raise _Bad(_("half a {unit} is not a date").format(unit=m["unit"]))
    if m["and_half"] and m["half_after"]:  # 一个半月半后
        raise _Bad(_("{text} says half twice").format(text=repr(m[0])))
    half, small = _HALVES[unit]
    if small == "h":  # half a day is 12 hours: from now, a moment
        anchor = When(ctx.now, False)
    if m["half"]:
        return _apply(anchor, sign, half, small, ctx)
    n = _number(m["n"])
    if small in ("h", "min"):  # 一天半 36 hours, 一个半小时 90 minutes: from now
        per = 24 if unit == "d" else 60
        return _apply(When(ctx.now, False), sign, n * per + half, small, ctx)
    if unit == "y":  # 一年半 is 18 months
        return _apply(anchor, sign, n * 12 + half, small, ctx)
    # 一个半月 is a month and 15 days (as 半个月 is 15 days): the month first, so it clamps
    return _apply(_apply(anchor, sign, n, unit, ctx), sign, half, small, ctx)


def parse_day(text: str, ctx: _Ctx) -> When | None:
    """A Chinese day (or a moment: 现在, 3小时后); None if `text` is not one."""
    if text in _WORD_DAYS:
        return _day(ctx.today + timedelta(days=_WORD_DAYS[text]), ctx)
    if text == "现在":
        return When(ctx.now, False)
    if text in ("年底", "年末", "年初"):
        return _day(
            date(ctx.today.year, 1, 1) if text == "年初" else date(ctx.today.year, 12, 31), ctx
        )
    m = _WEEK.fullmatch(text)
    if m is not None:
        return _weekday(m, ctx)
    m = _REL_MONTH.fullmatch(text)
    if m is not None and (m["shift"] is not None or m["edge"] is not None):
        return _relative_month(m, ctx)
    m = _OFFSET.fullmatch(text)
    if m is not None:
        return _offset(m, ctx)
    m = _CALENDAR.fullmatch(text)
    if m is not None:
        return _calendar(m, ctx)
    return None


def _day_part(text: str, ctx: _Ctx, english: Callable[[str, _Ctx], When]) -> When | None:
    if not text:
        return None
    if text.isascii():
        return english(text, ctx)  # an English day before a Chinese time
    return parse_day(text.replace(" ", ""), ctx)


def parse(s: str, ctx: _Ctx, english: Callable[[str, _Ctx], When]) -> When | None:
    """`s` (not ASCII) as a day, a time or both; None if it is none of them, _Bad if it is one
    badly; `english` reads an English day before a Chinese time (dates.py's parser, passed in
    so that this module does not import it back). Each place the text may split into a day and
    a time is tried, the longest time first (周三十点 is 周三 + 十点 once 三十点 has no day
    before it)."""
    for short, full in _SHORTHAND.items():
        if s.startswith(short):
            s = full + s[len(short) :]
    first_error: _Bad | None = None
    for i in range(len(s) + 1):
        day_text, time_text = s[:i].strip(), s[i:].strip()
        try:
            t = _read_time(time_text) if time_text else None
            if time_text and t is None:
                continue
            day = _day_part(day_text, ctx, english) if day_text else None
        except _Bad as e:
            first_error = first_error or e
            continue
        if day_text and day is None:
            continue
        if t is None:
            return day
        if day is None:
            return _at(ctx.today, t, ctx)
        if not day.all_day:
            raise _Bad(_("{text} already has a time").format(text=repr(day_text)))
        return _at(day.start.date(), t, ctx)
    if first_error is not None:
        raise first_error
    return None


def month_day(text: str) -> tuple[int | None, int, int | None] | None:
    """(year or None, month, day or None) for an occasion typed as 12月10日, 2026年12月10日,
    十二月十日 or 12月 (no day); None for any other text. _Bad for a month or day that is not."""
    s = text.replace(" ", "")
    m = _CALENDAR.fullmatch(s)
    if m is None or m["month"] is None or m["yword"] or m["edge"]:
        return None
    month = _number(m["month"])
    day = _number(m["day"]) if m["day"] else None
    year = _number(m["year"]) if m["year"] else None
    return year, month, day
