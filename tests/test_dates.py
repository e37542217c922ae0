"""The one date parser: every accepted form, DST days, rejected input, ISO round trips."""

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcard.domain.dates import (
    DateOrder,
    DateParseError,
    When,
    format_local,
    local_day_start,
    parse_when,
)

BER = ZoneInfo("Europe/Berlin")
NYC = ZoneInfo("America/New_York")
SHA = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 30, tzinfo=BER)  # a Friday


def day(y: int, m: int, d: int, tz: ZoneInfo = BER) -> datetime:
    return datetime(y, m, d, tzinfo=tz)


def at(y: int, m: int, d: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=BER)


def test_pinned_now_is_a_friday() -> None:
    assert calendar.weekday(2026, 11, 20) == calendar.FRIDAY


FORMS_FROM_NOW = [
    # words
    ("now", NOW, False),
    ("today", day(2026, 11, 20), True),
    ("  TODAY  ", day(2026, 11, 20), True),
    ("tomorrow", day(2026, 11, 21), True),
    ("yesterday", day(2026, 11, 19), True),
    # weekdays: strictly after today
    ("fri", day(2026, 11, 27), True),
    ("Friday", day(2026, 11, 27), True),
    ("sat", day(2026, 11, 21), True),
    ("sun", day(2026, 11, 22), True),
    ("mon", day(2026, 11, 23), True),
    ("monday", day(2026, 11, 23), True),
    ("tues", day(2026, 11, 24), True),
    ("wed", day(2026, 11, 25), True),
    ("thur", day(2026, 11, 26), True),
    ("thurs", day(2026, 11, 26), True),
    # start/end of day/week/month/year
    ("sod", day(2026, 11, 20), True),
    ("eod", day(2026, 11, 20), True),
    ("sow", day(2026, 11, 16), True),
    ("eow", day(2026, 11, 22), True),
    ("som", day(2026, 11, 1), True),
    ("eom", day(2026, 11, 30), True),
    ("soy", day(2026, 1, 1), True),
    ("eoy", day(2026, 12, 31), True),
    # offsets from today (calendar) or from now (elapsed)
    ("+3d", day(2026, 11, 23), True),
    ("3d", day(2026, 11, 23), True),
    ("-2d", day(2026, 11, 18), True),
    ("2w", day(2026, 12, 4), True),
    ("1mo", day(2026, 12, 20), True),
    ("1y", day(2027, 11, 20), True),
    ("+4h", at(2026, 11, 20, 14, 30), False),
    ("30min", at(2026, 11, 20, 11, 0), False),
    ("-90min", at(2026, 11, 20, 9, 0), False),
    # anchor plus offsets
    ("today+3d", day(2026, 11, 23), True),
    ("today + 3d", day(2026, 11, 23), True),
    ("eow-1d", day(2026, 11, 21), True),
    ("tomorrow+1w", day(2026, 11, 28), True),
    ("fri+1w", day(2026, 12, 4), True),
    ("som+1mo", day(2026, 12, 1), True),
    ("eom-1w+2d", day(2026, 11, 25), True),
    ("now+1d", at(2026, 11, 21, 10, 30), False),
    ("today+4h", at(2026, 11, 20, 4, 0), False),
    ("2026-12-01-3d", day(2026, 11, 28), True),
    # a time alone is today, even when already past
    ("15:00", at(2026, 11, 20, 15, 0), False),
    ("9:30", at(2026, 11, 20, 9, 30), False),
    ("23:59:59", at(2026, 11, 20, 23, 59, 59), False),
    ("3pm", at(2026, 11, 20, 15, 0), False),
    ("3 PM", at(2026, 11, 20, 15, 0), False),
    ("3:30pm", at(2026, 11, 20, 15, 30), False),
    ("12am", at(2026, 11, 20, 0, 0), False),
    ("12pm", at(2026, 11, 20, 12, 0), False),
    # a day plus a time
    ("fri 15:00", at(2026, 11, 27, 15, 0), False),
    ("tomorrow 9am", at(2026, 11, 21, 9, 0), False),
    ("9am tomorrow", at(2026, 11, 21, 9, 0), False),
    ("today 17:30", at(2026, 11, 20, 17, 30), False),
    ("2026-12-01 3pm", at(2026, 12, 1, 15, 0), False),
    ("eom 17:00", at(2026, 11, 30, 17, 0), False),
    ("dec 24 3pm", at(2026, 12, 24, 15, 0), False),
    # ISO
    ("2026-12-01", day(2026, 12, 1), True),
    ("2026-12-01T15:00", at(2026, 12, 1, 15, 0), False),
    ("2026-12-01 15:00", at(2026, 12, 1, 15, 0), False),
    ("2026-12-01T15:00:45", at(2026, 12, 1, 15, 0, 45), False),
    ("2026-12-01T15:00Z", at(2026, 12, 1, 16, 0), False),
    ("2026-12-01t15:00z", at(2026, 12, 1, 16, 0), False),
    ("2026-12-01T15:00+05:30", at(2026, 12, 1, 10, 30), False),
    # month names: the next such date on or after today
    ("dec 24", day(2026, 12, 24), True),
    ("24 December", day(2026, 12, 24), True),
    ("march", day(2027, 3, 1), True),
    ("nov 20", day(2026, 11, 20), True),
    ("nov 19", day(2027, 11, 19), True),
    ("march 2027", day(2027, 3, 1), True),
    ("feb 29", day(2028, 2, 29), True),
    # numbers under the default ymd order; no rolling to next year
    ("11/12", day(2026, 11, 12), True),
    ("2026/11/12", day(2026, 11, 12), True),
    ("2026.11.12", day(2026, 11, 12), True),
    ("2026-1-5", day(2026, 1, 5), True),
]


@pytest.mark.parametrize(("text", "start", "all_day"), FORMS_FROM_NOW)
def test_every_accepted_form_reads_relative_to_a_friday_in_berlin(
    text: str, start: datetime, all_day: bool
) -> None:
    when = parse_when(text, NOW)
    assert when == When(start, all_day)
    assert when.start.tzinfo is BER
    assert when.start.replace(tzinfo=None) == start.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("now", "text", "start"),
    [
        (at(2027, 1, 31, 9), "1mo", day(2027, 2, 28)),
        (at(2028, 1, 31, 9), "1mo", day(2028, 2, 29)),
        (at(2028, 2, 29, 9), "1y", day(2029, 2, 28)),
        (at(2027, 2, 10, 9), "eom", day(2027, 2, 28)),
        (at(2028, 2, 10, 9), "eom", day(2028, 2, 29)),
        (at(2027, 1, 31, 9), "today+1mo", day(2027, 2, 28)),
        (at(2026, 12, 31, 9), "tomorrow", day(2027, 1, 1)),
        (at(2026, 12, 28, 9), "eow", day(2027, 1, 3)),
        (at(2026, 11, 22, 9), "sow", day(2026, 11, 16)),  # Sunday: still this week
        (at(2026, 11, 22, 9), "eow", day(2026, 11, 22)),
        (at(2026, 11, 23, 9), "sow", day(2026, 11, 23)),  # Monday
    ],
)
def test_calendar_arithmetic_clamps_month_ends_and_crosses_years(
    now: datetime, text: str, start: datetime
) -> None:
    assert parse_when(text, now) == When(start, True)


@pytest.mark.parametrize(
    ("order", "text", "start"),
    [
        ("ymd", "11/12", day(2026, 11, 12)),
        ("mdy", "11/12", day(2026, 11, 12)),
        ("dmy", "11/12", day(2026, 12, 11)),
        ("dmy", "11/12/2026", day(2026, 12, 11)),
        ("dmy", "11.12.2026", day(2026, 12, 11)),
        ("mdy", "11/12/2026", day(2026, 11, 12)),
        ("mdy", "11-12-2026", day(2026, 11, 12)),
        ("dmy", "2026/11/12", day(2026, 11, 12)),  # a leading 4-digit year is always y/m/d
        (DateOrder.DMY, "24/12", day(2026, 12, 24)),
        ("DMY", "24/12", day(2026, 12, 24)),
        ("dmy", "fri 15:00", at(2026, 11, 27, 15, 0)),
    ],
)
def test_numeric_dates_follow_the_date_order(
    order: DateOrder | str, text: str, start: datetime
) -> None:
    assert parse_when(text, NOW, date_order=order).start == start


def test_a_when_starts_at_its_moment_or_at_the_start_of_its_day() -> None:
    assert parse_when("fri 15:00", NOW).start == at(2026, 11, 27, 15, 0)
    assert parse_when("tomorrow", NOW).start == day(2026, 11, 21)


def test_a_moment_ends_and_is_overdue_at_its_start() -> None:
    when = parse_when("fri 15:00", NOW)
    assert when.end == when.start == when.deadline


def test_an_all_day_when_is_overdue_at_the_next_local_midnight() -> None:
    when = parse_when("eow", NOW)
    assert when.deadline == when.end == day(2026, 11, 23)


def utc_hours(when: When) -> timedelta:
    return when.end.astimezone(UTC) - when.start.astimezone(UTC)


@pytest.mark.parametrize(
    ("tz", "d", "hours"),
    [
        (BER, date(2027, 3, 28), 23),  # spring forward
        (BER, date(2026, 10, 25), 25),  # fall back
        (BER, date(2026, 11, 20), 24),
        (NYC, date(2027, 3, 14), 23),
        (NYC, date(2026, 11, 1), 25),
    ],
)
def test_all_day_spans_the_real_length_of_a_dst_day(tz: ZoneInfo, d: date, hours: int) -> None:
    now = datetime.combine(d, datetime.min.time(), tzinfo=tz) + timedelta(hours=12)
    when = parse_when("today", now)
    assert when.all_day
    assert utc_hours(when) == timedelta(hours=hours)
    assert when.end == local_day_start(d + timedelta(days=1), tz)
    assert when.end.astimezone(tz).time() == datetime.min.time()


@pytest.mark.parametrize(
    ("tz", "d", "hours"),
    [(BER, date(2027, 3, 28), 23), (BER, date(2026, 10, 25), 25), (NYC, date(2026, 11, 1), 25)],
)
def test_eod_deadline_is_the_next_local_midnight_on_dst_days(
    tz: ZoneInfo, d: date, hours: int
) -> None:
    now = datetime.combine(d, datetime.min.time(), tzinfo=tz) + timedelta(hours=1)
    when = parse_when("eod", now)
    assert when.deadline == datetime.combine(d + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    assert utc_hours(when) == timedelta(hours=hours)


def test_a_time_in_the_spring_forward_gap_becomes_a_valid_instant() -> None:
    now = at(2027, 3, 28, 12)
    start = parse_when("today 02:30", now).start
    assert start == at(2027, 3, 28, 3, 30)
    assert start.astimezone(UTC).astimezone(BER).replace(tzinfo=None) == datetime(
        2027, 3, 28, 3, 30
    )


def test_a_repeated_fall_back_time_is_its_first_occurrence() -> None:
    start = parse_when("02:30", at(2026, 10, 25, 12)).start
    assert start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_days_are_calendar_days_but_hours_are_elapsed_across_dst() -> None:
    now = at(2027, 3, 27, 12)
    assert parse_when("now+1d", now).start == at(2027, 3, 28, 12)
    assert parse_when("+24h", now).start == at(2027, 3, 28, 13)


def test_a_midnight_gap_day_starts_at_the_first_valid_instant() -> None:
    sao_paulo = ZoneInfo("America/Sao_Paulo")  # 2018-11-04 00:00 jumped to 01:00
    start = local_day_start(date(2018, 11, 4), sao_paulo)
    assert start == datetime(2018, 11, 4, 1, 0, tzinfo=sao_paulo)
    assert When(local_day_start(date(2018, 11, 3), sao_paulo), True).end == start
    assert utc_hours(When(start, True)) == timedelta(hours=23)


INVALID = [
    ("pigeon", "ymd"),
    ("blorp", "ymd"),
    ("", "ymd"),
    ("   ", "ymd"),
    ("a", "ymd"),
    ("32", "ymd"),
    ("2026", "ymd"),
    ("25:00", "ymd"),
    ("13pm", "ymd"),
    ("0am", "ymd"),
    ("12:60", "ymd"),
    ("+3x", "ymd"),
    ("3m", "ymd"),
    ("fri 25:00", "ymd"),
    ("now 3pm", "ymd"),
    ("next friday", "ymd"),
    ("2026-02-30", "ymd"),
    ("2026-02-30T10:00", "ymd"),
    ("13/13/2026", "mdy"),
    ("31/4", "dmy"),
    ("11/12/2026", "ymd"),
    ("11/12/26", "dmy"),
    ("1 2", "ymd"),
    ("feb 30", "ymd"),
    ("line\nbreak", "ymd"),
    ("9999-12-31", "ymd"),  # its end would overflow
    ("+99999y", "ymd"),
]


@pytest.mark.parametrize(("text", "order"), INVALID)
def test_unreadable_input_is_a_one_line_error_naming_it_and_the_accepted_forms(
    text: str, order: str
) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, NOW, date_order=order)
    message = str(caught.value)
    assert "\n" not in message
    assert repr(text.strip()) in message
    assert "accepted: 2026-12-01" in message
    assert "tomorrow 9am" in message


def test_year_last_under_ymd_suggests_changing_the_date_order() -> None:
    with pytest.raises(DateParseError, match=r"config set date_order dmy\|mdy"):
        parse_when("11/12/2026", NOW)


def test_bare_m_is_rejected_as_ambiguous_between_minutes_and_months() -> None:
    with pytest.raises(DateParseError, match=r"ambiguous.*min.*mo"):
        parse_when("3m", NOW)


def test_unknown_date_order_is_a_value_error_listing_the_orders() -> None:
    with pytest.raises(ValueError, match="ymd, dmy, mdy") as caught:
        parse_when("today", NOW, date_order="ydm")
    assert not isinstance(caught.value, DateParseError)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware") as caught:
        parse_when("today", datetime(2026, 11, 20, 10, 30))
    assert not isinstance(caught.value, DateParseError)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_an_iso_date_round_trips_to_an_all_day_when(d: date) -> None:
    assert parse_when(d.isoformat(), NOW) == When(local_day_start(d, BER), True)


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 12, 31),
        timezones=st.sampled_from([UTC, SHA]),
    )
)
def test_an_iso_datetime_round_trips_to_the_same_instant(dt: datetime) -> None:
    when = parse_when(dt.isoformat(), NOW)
    # compare in UTC: times in a repeated (fall-back) hour never compare equal across zones
    assert when.start.astimezone(UTC) == dt.astimezone(UTC)
    assert when.start.tzinfo is BER
    assert not when.all_day


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
)
def test_a_weekday_is_one_to_seven_days_ahead_on_that_weekday(naive: datetime, name: str) -> None:
    now = naive.replace(tzinfo=NYC)
    start = parse_when(name, now).start
    assert 1 <= (start.date() - now.date()).days <= 7
    assert calendar.day_abbr[start.weekday()].lower() == name


TOKENS = ["fri", "dec", "24", "+3d", "-1mo", "3pm", "15:00", "today", "/", ".", "-", "+", "m"]


@given(
    st.one_of(
        st.text(max_size=12),
        st.lists(st.sampled_from(TOKENS), max_size=5).map("".join),
        st.lists(st.sampled_from(TOKENS), max_size=4).map(" ".join),
    ),
    st.sampled_from(list(DateOrder)),
)
def test_any_text_parses_to_a_local_when_or_raises_date_parse_error(
    text: str, order: DateOrder
) -> None:
    try:
        when = parse_when(text, NOW, date_order=order)
    except DateParseError as e:
        lines = str(e).splitlines()
        assert len(lines) == 1
    else:
        assert when.start.tzinfo is BER
        assert when.end >= when.start


@pytest.mark.parametrize(
    ("dt", "tz", "all_day", "shown"),
    [
        (datetime(2026, 11, 27, 14, 0, tzinfo=UTC), BER, False, "2026-11-27 15:00"),
        (datetime(2026, 11, 27, 14, 0, 59, tzinfo=UTC), BER, False, "2026-11-27 15:00"),
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), SHA, False, "2026-11-28 07:30"),
        (day(2026, 11, 27), BER, True, "2026-11-27"),
        (day(2026, 11, 28), SHA, True, "2026-11-28"),  # converted to the zone, then the day
        (datetime(2026, 7, 1, 3, 5, tzinfo=BER), NYC, False, "2026-06-30 21:05"),
    ],
)
def test_format_local_shows_minutes_or_just_the_day(
    dt: datetime, tz: ZoneInfo, all_day: bool, shown: str
) -> None:
    assert format_local(dt, tz, all_day=all_day) == shown


def test_format_local_round_trips_through_parse_when() -> None:
    when = parse_when("fri 15:00", NOW)
    assert parse_when(format_local(when.start, BER), NOW) == when
    assert parse_when(format_local(when.start, BER, all_day=True), NOW) == parse_when("fri", NOW)


@pytest.mark.parametrize("text", ["0226-11-20", "1026-01-01 10:00", "2201-01-01", "1899-12-31"])
def test_a_year_out_of_range_is_a_slip_not_a_date(text: str) -> None:
    with pytest.raises(DateParseError, match=r"out of range; clientcard takes 1900 to 2200"):
        parse_when(text, NOW)


def test_the_years_at_the_edges_are_dates() -> None:
    assert parse_when("1900-01-01", NOW).start.year == 1900
    assert parse_when("2200-12-31", NOW).start.year == 2200


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("nov 10", date(2026, 11, 10)),  # this year's, already passed
        ("dec 10", date(2025, 12, 10)),  # not yet this year: last year's, never next year's
        ("feb 29", date(2024, 2, 29)),
    ],
)
def test_in_the_past_a_month_name_without_its_year_is_the_latest_on_or_before_today(
    text: str, day: date
) -> None:
    """`log --at "dec 10"` typed on 20 December is the 10th just gone (past=True)."""
    when = parse_when(text, NOW, past=True)
    assert when.all_day
    assert when.start.astimezone(BER).date() == day
