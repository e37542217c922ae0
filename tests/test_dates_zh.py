"""Chinese dates and times (issue 18): every form docs/dates.md lists, read at a pinned now,
with the edges (month and year ends, leap days, 周日 on a Sunday), refused input in both
languages, occasions typed as 12月10日, and the CLI options that take them."""

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcard.domain.dates import DateParseError, When, parse_when
from clientcard.domain.errors import InvalidValue
from clientcard.domain.numerals import read_number
from clientcard.domain.occasions import DayOfYear, parse_day, parse_span
from helpers import add, assert_error, at

pytestmark = pytest.mark.usefixtures("migrated")

SHA = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHA)  # Friday 20 November 2026, 09:00 (conftest's)


def read(text: str, now: datetime = NOW, *, past: bool = False) -> tuple[date, time | None]:
    """(the day, the time or None for a whole day) of `text` read at `now`."""
    when = parse_when(text, now, past=past)
    local = when.start.astimezone(SHA)
    return local.date(), None if when.all_day else local.time()


def d(y: int, m: int, dd: int) -> date:
    return date(y, m, dd)


# (text, day, time or None for all day), read on Friday 2026-11-20 at 09:00.
FORMS = [
    # day words
    ("今天", d(2026, 11, 20), None),
    ("今日", d(2026, 11, 20), None),
    ("明天", d(2026, 11, 21), None),
    ("明日", d(2026, 11, 21), None),
    ("后天", d(2026, 11, 22), None),
    ("大后天", d(2026, 11, 23), None),
    ("昨天", d(2026, 11, 19), None),
    ("前天", d(2026, 11, 18), None),
    ("大前天", d(2026, 11, 17), None),
    ("现在", d(2026, 11, 20), time(9, 0)),
    # weekdays alone: strictly after today, as the English `fri` (周五 on a Friday is a week on)
    ("周一", d(2026, 11, 23), None),
    ("周三", d(2026, 11, 25), None),
    ("周五", d(2026, 11, 27), None),
    ("周六", d(2026, 11, 21), None),
    ("周日", d(2026, 11, 22), None),
    ("周天", d(2026, 11, 22), None),
    ("周7", d(2026, 11, 22), None),
    ("星期一", d(2026, 11, 23), None),
    ("星期日", d(2026, 11, 22), None),
    ("星期天", d(2026, 11, 22), None),
    ("礼拜一", d(2026, 11, 23), None),
    ("礼拜天", d(2026, 11, 22), None),
    # weeks: Monday-first, as in China
    ("下周三", d(2026, 11, 25), None),
    ("下个星期三", d(2026, 11, 25), None),
    ("下礼拜一", d(2026, 11, 23), None),
    ("下周日", d(2026, 11, 29), None),
    ("上周五", d(2026, 11, 13), None),
    ("上个礼拜五", d(2026, 11, 13), None),
    ("本周五", d(2026, 11, 20), None),
    ("这周五", d(2026, 11, 20), None),
    ("本周一", d(2026, 11, 16), None),
    ("这个星期天", d(2026, 11, 22), None),
    ("下下周一", d(2026, 11, 30), None),
    ("上上周五", d(2026, 11, 6), None),
    ("下周", d(2026, 11, 23), None),
    ("本周", d(2026, 11, 16), None),
    ("上周", d(2026, 11, 9), None),
    ("周1", d(2026, 11, 23), None),
    ("礼拜日", d(2026, 11, 22), None),
    ("下礼拜三", d(2026, 11, 25), None),
    ("这个星期五", d(2026, 11, 20), None),
    ("今年", d(2026, 1, 1), None),
    ("后年", d(2028, 1, 1), None),
    ("前年", d(2024, 1, 1), None),
    ("明年初", d(2027, 1, 1), None),
    ("11月", d(2027, 11, 1), None),  # as `nov` typed on 20 November
    ("傍晚6点", d(2026, 11, 20), time(18, 0)),
    ("早晨", d(2026, 11, 20), time(8, 0)),
    ("清晨", d(2026, 11, 20), time(6, 0)),
    ("夜里", d(2026, 11, 20), time(22, 0)),
    ("凌晨", d(2026, 11, 20), time(1, 0)),
    ("中午", d(2026, 11, 20), time(12, 0)),
    ("两个月之前", d(2026, 9, 20), None),
    # months and years: a period is its first day; 底/末 the last, 初 the first
    ("下个月", d(2026, 12, 1), None),
    ("下月", d(2026, 12, 1), None),
    ("上个月", d(2026, 10, 1), None),
    ("本月", d(2026, 11, 1), None),
    ("这个月", d(2026, 11, 1), None),
    ("下下个月", d(2027, 1, 1), None),
    ("月底", d(2026, 11, 30), None),
    ("月末", d(2026, 11, 30), None),
    ("月初", d(2026, 11, 1), None),
    ("下个月底", d(2026, 12, 31), None),
    ("下月初", d(2026, 12, 1), None),
    ("下个月10号", d(2026, 12, 10), None),
    ("本月25日", d(2026, 11, 25), None),
    ("年底", d(2026, 12, 31), None),
    ("年末", d(2026, 12, 31), None),
    ("年初", d(2026, 1, 1), None),
    ("明年", d(2027, 1, 1), None),
    ("明年底", d(2027, 12, 31), None),
    ("去年", d(2025, 1, 1), None),
    ("今年底", d(2026, 12, 31), None),
    ("明年3月", d(2027, 3, 1), None),
    ("明年3月10日", d(2027, 3, 10), None),
    # calendar dates; without a year the next such day on or after today (as `dec 10`)
    ("12月10日", d(2026, 12, 10), None),
    ("12月10号", d(2026, 12, 10), None),
    ("2026年12月10日", d(2026, 12, 10), None),
    ("十二月十日", d(2026, 12, 10), None),
    ("十二月十号", d(2026, 12, 10), None),
    ("二\u3007二六年十二月十日", d(2026, 12, 10), None),
    ("2026年12月", d(2026, 12, 1), None),
    ("2027年1月", d(2027, 1, 1), None),
    ("12月", d(2026, 12, 1), None),
    ("11月20日", d(2026, 11, 20), None),  # today is on or after today
    ("11月19日", d(2027, 11, 19), None),  # yesterday's date: next year's
    ("3月", d(2027, 3, 1), None),
    ("12月底", d(2026, 12, 31), None),
    ("2月29日", d(2028, 2, 29), None),  # the next 29 February
    ("25号", d(2026, 11, 25), None),
    ("10号", d(2026, 12, 10), None),  # passed this month: next month's
    ("31号", d(2026, 12, 31), None),  # November has no 31st
    ("1月1日", d(2027, 1, 1), None),
    # times alone: today, even once passed (as the English `15:00`)
    ("下午3点", d(2026, 11, 20), time(15, 0)),
    ("下午三点", d(2026, 11, 20), time(15, 0)),
    ("上午10点", d(2026, 11, 20), time(10, 0)),
    ("上午十点半", d(2026, 11, 20), time(10, 30)),
    ("晚上8点", d(2026, 11, 20), time(20, 0)),
    ("晚上十一点", d(2026, 11, 20), time(23, 0)),
    ("中午12点", d(2026, 11, 20), time(12, 0)),
    ("中午1点", d(2026, 11, 20), time(13, 0)),
    ("早上7点", d(2026, 11, 20), time(7, 0)),
    ("凌晨2点", d(2026, 11, 20), time(2, 0)),
    ("凌晨12点", d(2026, 11, 20), time(0, 0)),
    ("下午15点", d(2026, 11, 20), time(15, 0)),
    ("3点", d(2026, 11, 20), time(15, 0)),  # a bare 1点-6点 is the afternoon
    ("3点半", d(2026, 11, 20), time(15, 30)),
    ("3点15分", d(2026, 11, 20), time(15, 15)),
    ("3点15", d(2026, 11, 20), time(15, 15)),
    ("3点零五分", d(2026, 11, 20), time(15, 5)),
    ("3点一刻", d(2026, 11, 20), time(15, 15)),
    ("3点三刻", d(2026, 11, 20), time(15, 45)),
    ("3点整", d(2026, 11, 20), time(15, 0)),
    ("3:00", d(2026, 11, 20), time(3, 0)),  # digits with a colon: as written
    ("3时", d(2026, 11, 20), time(3, 0)),  # the 24-hour 时: as written
    ("15点", d(2026, 11, 20), time(15, 0)),
    ("15时", d(2026, 11, 20), time(15, 0)),
    ("0点", d(2026, 11, 20), time(0, 0)),
    ("十五点", d(2026, 11, 20), time(15, 0)),
    ("二十三点", d(2026, 11, 20), time(23, 0)),
    ("下午3:30", d(2026, 11, 20), time(15, 30)),
    ("\uff11\uff15\uff1a\uff10\uff10", d(2026, 11, 20), time(15, 0)),  # full-width 15:00
    ("下午", d(2026, 11, 20), time(14, 0)),  # a part of the day alone: its usual hour
    ("上午", d(2026, 11, 20), time(9, 0)),
    ("晚上", d(2026, 11, 20), time(20, 0)),
    # a day and a time, with or without spaces
    ("下周三下午3点", d(2026, 11, 25), time(15, 0)),
    ("下周三 下午 3 点", d(2026, 11, 25), time(15, 0)),
    ("明天上午10点半", d(2026, 11, 21), time(10, 30)),
    ("明天 上午10点半", d(2026, 11, 21), time(10, 30)),
    ("12月10日下午3点", d(2026, 12, 10), time(15, 0)),
    ("2026年12月10日15:00", d(2026, 12, 10), time(15, 0)),
    ("明天15:00", d(2026, 11, 21), time(15, 0)),
    ("明天 15:00", d(2026, 11, 21), time(15, 0)),
    ("明天 9am", d(2026, 11, 21), time(9, 0)),
    ("昨天下午", d(2026, 11, 19), time(14, 0)),
    ("今晚", d(2026, 11, 20), time(20, 0)),
    ("今晚8点", d(2026, 11, 20), time(20, 0)),
    ("明早", d(2026, 11, 21), time(8, 0)),
    ("明早9点", d(2026, 11, 21), time(9, 0)),
    ("昨晚", d(2026, 11, 19), time(20, 0)),
    ("周三十点", d(2026, 11, 25), time(10, 0)),  # 周三 + 十点, not 周 + 三十点
    ("周五下午两点", d(2026, 11, 27), time(14, 0)),
    ("下周一上午9点一刻", d(2026, 11, 23), time(9, 15)),
    ("三天后下午3点", d(2026, 11, 23), time(15, 0)),
    ("fri 下午3点", d(2026, 11, 27), time(15, 0)),  # an English day, a Chinese time
    ("2026-12-01 下午3点", d(2026, 12, 1), time(15, 0)),
    ("tomorrow 15点", d(2026, 11, 21), time(15, 0)),
    ("明天+3d", d(2026, 11, 24), None),  # an English offset after a Chinese day
    # offsets: calendar days, weeks, months, years from today; hours and minutes from now
    ("三天后", d(2026, 11, 23), None),
    ("3天后", d(2026, 11, 23), None),
    ("3 天后", d(2026, 11, 23), None),
    ("三天以后", d(2026, 11, 23), None),
    ("三天之后", d(2026, 11, 23), None),
    ("十天后", d(2026, 11, 30), None),
    ("一周后", d(2026, 11, 27), None),
    ("两周后", d(2026, 12, 4), None),
    ("一个星期后", d(2026, 11, 27), None),
    ("两个礼拜后", d(2026, 12, 4), None),
    ("一个月后", d(2026, 12, 20), None),
    ("两个月后", d(2027, 1, 20), None),
    ("半个月后", d(2026, 12, 5), None),  # 15 days
    ("半年后", d(2027, 5, 20), None),  # 6 months
    ("一年后", d(2027, 11, 20), None),
    ("3天前", d(2026, 11, 17), None),
    ("三天前", d(2026, 11, 17), None),
    ("一周前", d(2026, 11, 13), None),
    ("两个月以前", d(2026, 9, 20), None),
    ("3小时后", d(2026, 11, 20), time(12, 0)),
    ("半小时后", d(2026, 11, 20), time(9, 30)),
    ("30分钟后", d(2026, 11, 20), time(9, 30)),
    ("两小时前", d(2026, 11, 20), time(7, 0)),
]


@pytest.mark.parametrize(("text", "day", "at_time"), FORMS)
def test_every_chinese_form_reads_relative_to_a_friday_in_shanghai(
    text: str, day: date, at_time: time | None
) -> None:
    assert read(text) == (day, at_time)


# A bare N点 (no part of the day before it) is a working day's hour: 1点-6点 are the afternoon,
# 7点-12点 the morning and noon, 0点 and 13点-23点 as written; digits with a colon, the 24-hour
# 时 and any part of the day are as written (docs/dates.md).
BARE_HOURS = [
    ("0点", time(0)),
    ("1点", time(13)),
    ("一点", time(13)),
    ("两点", time(14)),
    ("3点", time(15)),
    ("三点半", time(15, 30)),
    ("4点一刻", time(16, 15)),
    ("5点", time(17)),
    ("6点", time(18)),
    ("6点59分", time(18, 59)),
    ("7点", time(7)),
    ("8点半", time(8, 30)),
    ("九点", time(9)),
    ("11点", time(11)),
    ("12点", time(12)),
    ("13点", time(13)),
    ("18点", time(18)),
    ("23点", time(23)),
    ("3:00", time(3)),
    ("15:00", time(15)),
    ("6:30", time(6, 30)),
    ("3时", time(3)),
    ("凌晨3点", time(3)),
    ("早上6点", time(6)),
    ("上午3点", time(3)),
    ("下午3点", time(15)),
    ("3am", time(3)),
]


@pytest.mark.parametrize(("text", "at_time"), BARE_HOURS)
def test_a_bare_hour_from_one_to_six_is_the_afternoon(text: str, at_time: time) -> None:
    assert read(text) == (d(2026, 11, 20), at_time)
    assert read("明天" + text) == (d(2026, 11, 21), at_time)


@pytest.mark.parametrize(
    ("text", "now", "day", "at_time"),
    [
        # month ends
        ("月底", datetime(2028, 2, 10, 9, tzinfo=SHA), d(2028, 2, 29), None),  # leap February
        ("月底", datetime(2027, 2, 10, 9, tzinfo=SHA), d(2027, 2, 28), None),
        ("一个月后", datetime(2027, 1, 31, 9, tzinfo=SHA), d(2027, 2, 28), None),  # clamps
        ("下个月", datetime(2027, 1, 31, 9, tzinfo=SHA), d(2027, 2, 1), None),
        ("下个月底", datetime(2027, 1, 31, 9, tzinfo=SHA), d(2027, 2, 28), None),
        ("明天", datetime(2026, 11, 30, 9, tzinfo=SHA), d(2026, 12, 1), None),
        ("10号", datetime(2026, 11, 10, 9, tzinfo=SHA), d(2026, 11, 10), None),  # today
        ("31号", datetime(2027, 2, 1, 9, tzinfo=SHA), d(2027, 3, 31), None),
        # year ends
        ("明天", datetime(2026, 12, 31, 9, tzinfo=SHA), d(2027, 1, 1), None),
        ("后天", datetime(2026, 12, 31, 9, tzinfo=SHA), d(2027, 1, 2), None),
        ("年底", datetime(2026, 12, 31, 9, tzinfo=SHA), d(2026, 12, 31), None),  # today
        ("下个月", datetime(2026, 12, 15, 9, tzinfo=SHA), d(2027, 1, 1), None),
        ("上个月", datetime(2027, 1, 15, 9, tzinfo=SHA), d(2026, 12, 1), None),
        ("下周一", datetime(2026, 12, 30, 9, tzinfo=SHA), d(2027, 1, 4), None),
        ("12月10日", datetime(2026, 12, 20, 9, tzinfo=SHA), d(2027, 12, 10), None),  # as `dec 10`
        ("12月", datetime(2026, 12, 20, 9, tzinfo=SHA), d(2027, 12, 1), None),  # as `dec`
        ("1月5日", datetime(2026, 12, 20, 9, tzinfo=SHA), d(2027, 1, 5), None),
        ("12月31日下午3点", datetime(2026, 12, 31, 16, tzinfo=SHA), d(2026, 12, 31), time(15)),
        # leap days
        ("2月29日", datetime(2028, 2, 1, 9, tzinfo=SHA), d(2028, 2, 29), None),
        ("2028年2月29日", NOW, d(2028, 2, 29), None),
        ("一年后", datetime(2028, 2, 29, 9, tzinfo=SHA), d(2029, 2, 28), None),
        ("明天", datetime(2028, 2, 28, 9, tzinfo=SHA), d(2028, 2, 29), None),
        # Sunday, the last day of a Monday-first week
        ("周日", datetime(2026, 11, 22, 9, tzinfo=SHA), d(2026, 11, 29), None),  # a week on
        ("下周日", datetime(2026, 11, 22, 9, tzinfo=SHA), d(2026, 11, 29), None),
        ("本周日", datetime(2026, 11, 22, 9, tzinfo=SHA), d(2026, 11, 22), None),  # today
        ("本周一", datetime(2026, 11, 22, 9, tzinfo=SHA), d(2026, 11, 16), None),
        ("下周一", datetime(2026, 11, 22, 9, tzinfo=SHA), d(2026, 11, 23), None),
        ("周一", datetime(2026, 11, 23, 9, tzinfo=SHA), d(2026, 11, 30), None),  # a week on
        ("下周一", datetime(2026, 11, 23, 9, tzinfo=SHA), d(2026, 11, 30), None),
        # a time that has passed is still today
        ("上午8点", NOW, d(2026, 11, 20), time(8)),
    ],
)
def test_chinese_forms_at_the_edges_of_months_years_and_weeks(
    text: str, now: datetime, day: date, at_time: time | None
) -> None:
    assert read(text, now) == (day, at_time)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("周五", d(2026, 11, 13)),  # in the past: strictly before today, as `fri`
        ("周四", d(2026, 11, 19)),
        ("星期日", d(2026, 11, 15)),
        ("上周五", d(2026, 11, 13)),  # a named week is that week's, past or not
        ("本周三", d(2026, 11, 18)),
        ("昨天", d(2026, 11, 19)),
    ],
)
def test_in_the_past_a_weekday_alone_is_the_last_one_before_today(text: str, day: date) -> None:
    assert read(text, past=True) == (day, None)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("11月10日", d(2026, 11, 10)),  # this year's, already passed
        ("12月10日", d(2025, 12, 10)),  # not yet this year: last year's, never next year's
        ("11月20日", d(2026, 11, 20)),  # today
        ("25号", d(2026, 10, 25)),  # this month's 25th is still to come: last month's
        ("10号", d(2026, 11, 10)),
        ("12月", d(2025, 12, 1)),
        ("2月29日", d(2024, 2, 29)),  # the latest 29 February
    ],
)
def test_in_the_past_a_day_without_its_year_is_the_latest_on_or_before_today(
    text: str, day: date
) -> None:
    """`log --at 12月10日` typed on 20 December is the 10th just gone, not next year's."""
    assert read(text, past=True) == (day, None)


# Weekends and N-and-a-half offsets (issue 18's follow-up): (text, now, day typed in an option
# about what is to come, day in an option about the past (`log --at`), time or None).
FRI, SAT, SUN = NOW, datetime(2026, 11, 21, 9, tzinfo=SHA), datetime(2026, 11, 22, 9, tzinfo=SHA)
WEEKENDS_AND_HALVES = [
    # 周末 alone: the next Saturday on or after today; in the past the latest on or before it
    ("周末", FRI, d(2026, 11, 21), d(2026, 11, 14), None),
    ("周末", SAT, d(2026, 11, 21), d(2026, 11, 21), None),  # a Saturday: today, both ways
    ("周末", SUN, d(2026, 11, 28), d(2026, 11, 21), None),  # a Sunday: next's, or yesterday
    # a named week's weekend: its Saturday, past or not (as 本周五)
    ("本周末", FRI, d(2026, 11, 21), d(2026, 11, 21), None),
    ("这周末", FRI, d(2026, 11, 21), d(2026, 11, 21), None),
    ("这个周末", SUN, d(2026, 11, 21), d(2026, 11, 21), None),
    ("下周末", FRI, d(2026, 11, 28), d(2026, 11, 28), None),
    ("下个周末", FRI, d(2026, 11, 28), d(2026, 11, 28), None),
    ("下周末", SUN, d(2026, 11, 28), d(2026, 11, 28), None),
    ("上周末", FRI, d(2026, 11, 14), d(2026, 11, 14), None),
    ("上个周末", SUN, d(2026, 11, 14), d(2026, 11, 14), None),
    ("下下周末", FRI, d(2026, 12, 5), d(2026, 12, 5), None),
    ("上上周末", FRI, d(2026, 11, 7), d(2026, 11, 7), None),
    ("下周末", datetime(2026, 12, 28, 9, tzinfo=SHA), d(2027, 1, 9), d(2027, 1, 9), None),
    ("周末下午3点", FRI, d(2026, 11, 21), d(2026, 11, 14), time(15)),
    ("下周末上午10点", FRI, d(2026, 11, 28), d(2026, 11, 28), time(10)),
    # N and a half: months are a month then 15 days (as 半个月), years 18 months; days and hours
    # are elapsed time from now (as 半天, 半小时)
    ("一个半月后", FRI, d(2027, 1, 4), d(2027, 1, 4), None),
    ("1个半月后", FRI, d(2027, 1, 4), d(2027, 1, 4), None),
    ("一个月半后", FRI, d(2027, 1, 4), d(2027, 1, 4), None),
    ("三个半月后", FRI, d(2027, 3, 7), d(2027, 3, 7), None),
    ("一个半月前", FRI, d(2026, 10, 5), d(2026, 10, 5), None),
    ("一个半月后", datetime(2027, 1, 31, 9, tzinfo=SHA), d(2027, 3, 15), d(2027, 3, 15), None),
    ("一年半后", FRI, d(2028, 5, 20), d(2028, 5, 20), None),
    ("两年半以后", FRI, d(2029, 5, 20), d(2029, 5, 20), None),
    ("一年半前", FRI, d(2025, 5, 20), d(2025, 5, 20), None),
    ("一天半后", FRI, d(2026, 11, 21), d(2026, 11, 21), time(21)),
    ("一个半小时后", FRI, d(2026, 11, 20), d(2026, 11, 20), time(10, 30)),
    ("两个半小时前", FRI, d(2026, 11, 20), d(2026, 11, 20), time(6, 30)),
    ("半个月后", FRI, d(2026, 12, 5), d(2026, 12, 5), None),  # as before
    # forms that worked already, beside them
    ("大后天", FRI, d(2026, 11, 23), d(2026, 11, 23), None),
    ("大前天", FRI, d(2026, 11, 17), d(2026, 11, 17), None),
    ("下下周三", FRI, d(2026, 12, 2), d(2026, 12, 2), None),
    ("下下个月", FRI, d(2027, 1, 1), d(2027, 1, 1), None),
    ("下月初", FRI, d(2026, 12, 1), d(2026, 12, 1), None),
    ("年初", FRI, d(2026, 1, 1), d(2026, 1, 1), None),
]


@pytest.mark.parametrize(("text", "now", "ahead", "back", "at_time"), WEEKENDS_AND_HALVES)
def test_weekends_and_n_and_a_half_both_ahead_and_in_the_past(
    text: str, now: datetime, ahead: date, back: date, at_time: time | None
) -> None:
    assert read(text, now) == (ahead, at_time)
    assert read(text, now, past=True) == (back, at_time)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("两周半后", "half a 周 is not a date"),  # 17.5 days: no whole day
        ("一个半星期后", "half a 星期 is not a date"),
        ("一分钟半后", "half a 分钟 is not a date"),
        ("半年半后", "'半年半后' says half twice"),
        ("一个半月半后", "'一个半月半后' says half twice"),
        ("星期末", "the weekend is written 周末"),
        ("下礼拜末", "the weekend is written 周末"),
    ],
)
def test_a_bad_weekend_or_half_says_why(text: str, hint: str) -> None:
    for past in (False, True):
        with pytest.raises(DateParseError) as caught:
            parse_when(text, NOW, past=past)
        assert str(caught.value).startswith(f"cannot read {text!r} as a date ({hint}); accepted:")


@pytest.mark.parametrize(
    "text",
    [
        "一个半半月后",
        "半半年后",
        "一半个月后",
        "周末末",
        "下下下周末",
        "周末周末",
        "半个半月后",
        "一个半后",
    ],
)
def test_nonsense_around_weekends_and_halves_is_refused(text: str) -> None:
    for past in (False, True):
        with pytest.raises(DateParseError, match="accepted: 2026-12-01"):
            parse_when(text, NOW, past=past)


def test_a_date_with_a_time_is_a_moment_in_the_users_zone() -> None:
    when = parse_when("下周三下午3点", NOW)
    assert when == When(datetime(2026, 11, 25, 15, 0, tzinfo=SHA), False)
    assert when.start.tzinfo is SHA


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("十三月", "there is no month 13"),
        ("13月1日", "there is no month 13"),
        ("2月30日", "there is no day 30 in month 2"),
        ("2027年2月29日", "no such day: year 2027, month 2, day 29"),
        ("4月31日", "there is no day 31 in month 4"),
        ("25点", "'25点' is not a time of day"),
        ("明天25点", "'25点' is not a time of day"),
        ("3点60分", "'3点60分' is not a time of day"),
        ("晚上12点", "'晚上12点': there is no 12 o'clock in 晚上"),
        ("下午0点", "'下午0点': there is no 0 o'clock in 下午"),
        ("32号", "there is no day 32 in a month"),
        ("现在下午3点", "'现在' already has a time"),
        ("周", "say which week: 本周, 下周 or 上周"),
        ("半周后", "half a 周 is not a date"),
        ("9999年1月1日", "no such day: year 9999, month 1, day 1"),
        ("26年12月10日", "write the year with 4 digits, e.g. 2026年"),
    ],
)
def test_a_bad_chinese_date_says_why_and_what_is_accepted(text: str, hint: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, NOW)
    assert str(caught.value) == (
        f"cannot read {text!r} as a date ({hint}); accepted: 2026-12-01, 2026-12-01T15:00, now, "
        "today, tomorrow, yesterday, mon..sun, sod/eod/sow/eow/som/eom/soy/eoy, "
        "+3d 3d -2d 4h 30min 2w 1mo 1y, today+3d, eow-1d, 15:00, 3pm, fri 15:00, tomorrow 9am, "
        "11/12, 'dec 24'"
    )


@pytest.mark.parametrize(
    "text",
    ["下下下周一", "周八", "明天后天", "三天", "大明天", "下午下午", "十二月三十二日", "天后"],
)
def test_chinese_that_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(DateParseError, match="accepted: 2026-12-01"):
        parse_when(text, NOW)


CHINESE_TOKENS = ["明天", "下周", "三", "周", "下午", "3", "点", "半", "月", "日", "号", "后"]
CHINESE_TOKENS += [
    "天",
    "十",
    "年",
    "两",
    "个",
    "\uff1a",
    ":",
    "\uff11",
    " ",
    "前",
    "底",
    "初",
    "上",
    "末",
    "个",
]


@given(st.lists(st.sampled_from(CHINESE_TOKENS), max_size=7).map("".join), st.booleans())
def test_any_chinese_text_reads_as_a_when_or_a_one_line_date_parse_error(
    text: str, past: bool
) -> None:
    try:
        when = parse_when(text, NOW, past=past)
    except DateParseError as e:
        message = str(e)
    else:
        message = ""
        assert when.start.tzinfo is SHA
        assert when.end >= when.start
    assert len(message.splitlines()) <= 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("三十一", 31),
        ("两", 2),
        ("零", 0),
        ("\u3007", 0),
        ("二\u3007二六", 2026),
        ("二零二六", 2026),
        ("一百零五", 105),
        ("三千", 3000),
        ("两万", 20000),
        ("一万五", 15000),
        ("三千五", 3500),
        ("一万零五", 10005),
        ("1万5千", 15000),
        ("两千五百万", 25000000),
        ("一亿五千万", 150000000),
        ("十百", None),
        ("一两", None),
        ("万", None),
        ("二三万", None),
        ("", None),
        ("3.5", None),
    ],
)
def test_chinese_numerals_are_read_by_hand(text: str, value: int | None) -> None:
    assert read_number(text) == value


# ---- occasions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("12月10日", DayOfYear(12, 10, None)),
        ("12月10号", DayOfYear(12, 10, None)),
        ("十二月十日", DayOfYear(12, 10, None)),
        ("\uff11\uff12月\uff11\uff10日", DayOfYear(12, 10, None)),
        ("2月29日", DayOfYear(2, 29, None)),
        ("1980年12月10日", DayOfYear(12, 10, 1980)),
        ("\uff11\uff12-\uff11\uff10", DayOfYear(12, 10, None)),  # full-width 12-10
        ("明天", DayOfYear(11, 21, 2026)),
        ("下周三", DayOfYear(11, 25, 2026)),
    ],
)
def test_an_occasion_is_typed_as_12yue10ri_without_a_year(text: str, found: DayOfYear) -> None:
    assert parse_day(text, NOW, date_order="ymd", yearly=True, what="birthday") == found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("十三月", "'十三月' is no date: there is no month 13"),
        ("13月10日", "'13月10日' is no date: there is no month 13"),
        ("2月30日", "'2月30日' is no date: there is no day 30 in month 2"),
        ("2027年2月29日", "'2027年2月29日' is no date: there is no day 29 in month 2"),
        ("12月", "'12月' has no day; give it, e.g. '12月3日'"),
        ("明天下午3点", "'明天下午3点' has a time; an occasion is a whole day"),
    ],
)
def test_a_bad_chinese_occasion_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_day(text, NOW, date_order="ymd", yearly=True, what="birthday")
    assert str(caught.value) == message


def test_a_one_off_occasion_without_a_year_needs_one() -> None:
    with pytest.raises(InvalidValue, match="give its year"):
        parse_day("12月10日", NOW, date_order="ymd", yearly=False, what="promotion")


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("30天", d(2026, 12, 20)),
        ("两周", d(2026, 12, 4)),
        ("一个月", d(2026, 12, 20)),
        ("半个月", d(2026, 12, 5)),
        ("月底", d(2026, 11, 30)),
        ("三天后", d(2026, 11, 23)),
    ],
)
def test_within_takes_a_chinese_span(text: str, last: date) -> None:
    assert parse_span(text, NOW, date_order="ymd") == last


# ---- through the CLI -------------------------------------------------------------------


def zh_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Show messages in Chinese: the package's catalog (src/clientcard/locale)."""
    from clientcard import i18n

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.use(None)


def test_promise_add_due_next_wednesday_3pm(ok, query) -> None:
    add(ok, "张伟")
    out = ok("promise", "add", "张伟", "报价单", "--due", "下周三下午3点").stdout
    assert "2026-11-25 15:00" in out
    assert query("SELECT due_at FROM promise") == [("2026-11-25 07:00:00.000000",)]


def test_a_bare_3dian_is_three_in_the_afternoon(ok, query) -> None:
    add(ok, "张伟")
    out = ok("promise", "add", "张伟", "见面", "--at", "明天3点").stdout
    assert "2026-11-21 15:00" in out
    out = ok("promise", "add", "张伟", "回电话", "--due", "3点半").stdout  # at 09:00: not past
    assert "2026-11-20 15:30" in out
    assert query("SELECT due_at FROM promise ORDER BY id") == [
        ("2026-11-21 07:00:00.000000",),  # 15:00 in Shanghai, in UTC
        ("2026-11-20 07:30:00.000000",),
    ]


def test_promise_add_due_a_chinese_day_is_a_calendar_date(ok, query) -> None:
    add(ok, "张伟")
    ok("promise", "add", "张伟", "报价单", "--due", "月底")
    assert query("SELECT due_on FROM promise") == [("2026-11-30",)]


def test_log_at_yesterday_afternoon(ok) -> None:
    add(ok, "张伟")
    ok("log", "张伟", "聊了年终奖", "--at", "昨天下午")
    out = ok("contacts", "张伟", "--format", "json").stdout
    assert '"2026-11-19T14:00:00+08:00"' in out or "2026-11-19 14:00" in out


def test_log_at_friday_in_chinese_is_last_friday(ok) -> None:
    add(ok, "张伟")
    ok("log", "张伟", "回访", "--at", "周五下午3点")
    out = ok("contacts", "张伟", "--format", "csv").stdout
    assert "2026-11-13" in out


def test_date_add_birthday_12yue10ri_is_yearly(ok) -> None:
    add(ok, "张伟")
    out = ok("date", "add", "张伟", "birthday", "12月10日").stdout
    assert "birthday 12-10 (yearly)" in out
    assert "next Thu 2026-12-10" in out


def test_date_add_refuses_thirteenth_month(cli) -> None:
    add(cli, "张伟")
    assert_error(
        cli("date", "add", "张伟", "birthday", "十三月"),
        2,
        "'十三月' is no date: there is no month 13",
    )


def test_a_bad_chinese_due_is_refused_in_english(cli) -> None:
    add(cli, "张伟")
    result = cli("promise", "add", "张伟", "x", "--due", "2月30日")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "clientcard: cannot read '2月30日' as a date (there is no day 30 in month 2); "
        "accepted: 2026-12-01"
    )


def test_a_bad_date_is_refused_in_chinese_with_chinese_examples(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(cli, "张伟")
    zh_catalog(tmp_path, monkeypatch)
    result = cli("promise", "add", "张伟", "x", "--due", "25点")
    assert result.exit_code == 2
    message = result.stderr.removeprefix("clientcard: ").strip()
    assert message.startswith(
        "无法识别日期 '25点'\uff08'25点' 不是有效的时刻\uff09。可以这样写\uff1a今天、明天"
    )
    assert "下周三下午3点" in message
    assert "tomorrow" not in message


def test_on_a_monday_next_wednesday_is_next_weeks_and_wednesday_this_weeks(ok) -> None:
    add(ok, "张伟")
    monday = at("2026-11-23T09:00")
    out = ok("promise", "add", "张伟", "回电话", "--due", "下周三", env=monday).stdout
    assert "deliverable 2026-12-02" in out  # the Wednesday of the next Monday-first week
    out = ok("promise", "add", "张伟", "送样品", "--due", "周三", env=monday).stdout
    assert "deliverable 2026-11-25" in out  # the next Wednesday, as `wed`


def test_log_at_the_weekend_is_the_saturday_just_gone(ok) -> None:
    add(ok, "张伟")
    ok("log", "张伟", "周末去他家喝茶", "--at", "周末下午3点")
    out = ok("contacts", "张伟", "--format", "csv").stdout
    assert "2026-11-14" in out  # on Friday 20 November: last Saturday, not tomorrow


def test_promise_due_next_weekend_and_in_a_month_and_a_half(ok, query) -> None:
    add(ok, "张伟")
    ok("promise", "add", "张伟", "带样品", "--due", "下周末")
    ok("promise", "add", "张伟", "续保", "--due", "一个半月后")
    assert query("SELECT due_on FROM promise ORDER BY id") == [("2026-11-28",), ("2027-01-04",)]
