"""The lunar calendar (issue 18, item 4): lunar birthdays and yearly holidays.

domain/lunar.py converts through a table generated from lunar-python (domain/lunar_gen.py):
checked here against the library on every year, and against the published dates of 2024-2030.
Then the commands: `date add --lunar`, `holiday add --lunar` and `--preset cn` (twice), `due` in
2027 with the clock pinned, the card page, the calendar file, the book file, bad input, and
both engines.
"""

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lunar_python import Lunar, LunarYear, Solar

from clientcard.domain import lunar, lunar_gen
from clientcard.domain.errors import InvalidValue
from clientcard.domain.lunar import LunarDate, parse_lunar
from clientcard.domain.lunar_table import FIRST_YEAR, LAST_YEAR
from helpers import add, assert_error, at, day, greetings, make_customer

pytestmark = pytest.mark.usefixtures("migrated")

TABLE = Path(lunar_gen.__file__).with_name("lunar_table.py")
YEARS_RANGE = range(FIRST_YEAR, LAST_YEAR + 1)


def solar_of(solar: Solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


# ---- the table against the library ---------------------------------------------------------


def test_the_committed_table_is_what_the_generator_writes() -> None:
    """Regenerate: python -m clientcard.domain.lunar_gen > src/clientcard/domain/lunar_table.py"""
    assert TABLE.read_text(encoding="utf-8") == lunar_gen.render()


def test_every_month_of_every_year_begins_where_the_library_says() -> None:
    for year in YEARS_RANGE:
        library = LunarYear.fromYear(year)
        assert lunar.leap_month(year) == library.getLeapMonth(), year
        for month in library.getMonths():
            if month.getYear() != year:
                continue
            number, leap = abs(month.getMonth()), month.getMonth() < 0
            first = Solar.fromJulianDay(month.getFirstJulianDay())
            assert lunar.to_solar(year, number, 1, leap) == solar_of(first), (year, number)
            assert lunar.month_days(year, number, leap) == month.getDayCount(), (year, number)


def test_the_lunar_years_follow_each_other_without_a_gap() -> None:
    for year in range(FIRST_YEAR, LAST_YEAR):
        days = sum(lunar.month_days(year, m, leap) for m, leap, _ in lunar._months(year))
        assert lunar.new_year(year) + timedelta(days=days) == lunar.new_year(year + 1)


def test_qingming_is_the_librarys_every_year() -> None:
    for year in YEARS_RANGE:
        term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
        assert lunar.qingming(year) == solar_of(term), year


def test_solar_to_lunar_agrees_with_the_library_on_a_day_of_every_year() -> None:
    for year in YEARS_RANGE:
        d = date(year, 1 + year % 12, 1 + year % 28)
        found = lunar.to_lunar(d)
        library = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        if d < lunar.new_year(FIRST_YEAR):
            assert found is None
            continue
        assert found == LunarDate(
            abs(library.getMonth()), library.getDay(), library.getMonth() < 0, library.getYear()
        ), d


@given(st.dates(min_value=date(1900, 1, 31), max_value=date(2101, 1, 28)))
def test_solar_to_lunar_and_back_is_the_same_day(d: date) -> None:
    found = lunar.to_lunar(d)
    assert found is not None
    assert found.year is not None
    assert lunar.to_solar(found.year, found.month, found.day, found.leap) == d
    assert lunar.falls_on(found._replace(year=None), found.year) == d


def test_outside_the_table_a_lunar_date_falls_on_no_day() -> None:
    assert lunar.to_lunar(date(1900, 1, 30)) is None
    assert lunar.to_lunar(lunar.new_year(LAST_YEAR + 0) + timedelta(days=400)) is None
    assert lunar.falls_on(LunarDate(8, 15), LAST_YEAR + 1) is None
    assert lunar.qingming(LAST_YEAR + 1) is None


# The dates issue 18 gives, as published (the State Council's calendars): each also checked
# against lunar-python, so a disagreement would show which is wrong.
PUBLISHED = {
    "春节": (
        LunarDate(1, 1),
        [
            "2024-02-10",
            "2025-01-29",
            "2026-02-17",
            "2027-02-06",
            "2028-01-26",
            "2029-02-13",
            "2030-02-03",
        ],
    ),
    "中秋": (
        LunarDate(8, 15),
        [
            "2024-09-17",
            "2025-10-06",
            "2026-09-25",
            "2027-09-15",
            "2028-10-03",
            "2029-09-22",
            "2030-09-12",
        ],
    ),
    "端午": (
        LunarDate(5, 5),
        [
            "2024-06-10",
            "2025-05-31",
            "2026-06-19",
            "2027-06-09",
            "2028-05-28",
            "2029-06-16",
            "2030-06-05",
        ],
    ),
}
QINGMING = ["2024-04-04", "2025-04-04", "2026-04-05", "2027-04-05", "2028-04-04", "2029-04-04"]
QINGMING.append("2030-04-05")


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_the_published_dates_of_2024_to_2030(name: str) -> None:
    when, published = PUBLISHED[name]
    for year, expected in zip(range(2024, 2031), published, strict=True):
        assert lunar.falls_on(when, year) == date.fromisoformat(expected), (name, year)
        library = Lunar.fromYmd(year, when.month, when.day).getSolar()
        assert solar_of(library) == date.fromisoformat(expected), (name, year)


def test_the_published_qingming_of_2024_to_2030() -> None:
    for year, expected in zip(range(2024, 2031), QINGMING, strict=True):
        assert lunar.qingming(year) == date.fromisoformat(expected)


# ---- the rules of a yearly lunar date ------------------------------------------------------


def test_a_leap_month_birthday_falls_in_the_ordinary_month_without_that_leap_month() -> None:
    born = LunarDate(4, 8, leap=True)
    assert lunar.leap_month(2020) == 4
    assert lunar.falls_on(born, 2020) == date(2020, 5, 30)  # 闰四月初八
    assert lunar.falls_on(born, 2021) == date(2021, 5, 19)  # 四月初八
    # An ordinary month's date never falls in the leap month after it.
    assert lunar.falls_on(LunarDate(4, 8), 2020) == date(2020, 4, 30)


def test_day_30_of_a_29_day_month_falls_on_its_last_day() -> None:
    year = next(y for y in range(2024, 2040) if lunar.month_days(y, 12) == 29)
    last = lunar.to_solar(year, 12, 29)
    assert lunar.falls_on(LunarDate(12, 30), year) == last
    assert lunar.to_lunar(last + timedelta(days=1)) == LunarDate(1, 1, False, year + 1)


def test_a_yearly_lunar_date_falls_once_a_lunar_year() -> None:
    # 腊月 of a lunar year falls in January of the next solar year.
    days = lunar.occurrences(LunarDate(12, 8), True, date(2027, 1, 1), date(2028, 12, 31))
    assert days == [date(2027, 1, 15), date(2028, 1, 4)]
    assert lunar.next_on(LunarDate(8, 15), True, date(2027, 9, 16)) == date(2028, 10, 3)
    # A birth year is the origin.
    assert lunar.occurrences(
        LunarDate(8, 15, year=2028), True, date(2027, 1, 1), date(2028, 12, 31)
    ) == [date(2028, 10, 3)]


# ---- reading a lunar date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("八月十五", LunarDate(8, 15)),
        ("农历八月十五", LunarDate(8, 15)),
        ("08-15", LunarDate(8, 15)),
        ("8/15", LunarDate(8, 15)),
        ("8.15", LunarDate(8, 15)),
        ("正月初一", LunarDate(1, 1)),
        ("一月初十", LunarDate(1, 10)),
        ("冬月二十", LunarDate(11, 20)),
        ("十一月廿三", LunarDate(11, 23)),
        ("腊月廿三", LunarDate(12, 23)),
        ("十二月三十", LunarDate(12, 30)),
        ("九月初九", LunarDate(9, 9)),
        ("五月二十一", LunarDate(5, 21)),
        ("七月初七日", LunarDate(7, 7)),
        ("闰四月初八", LunarDate(4, 8, leap=True)),
        ("L04-08", LunarDate(4, 8, leap=True)),
        ("l4/8", LunarDate(4, 8, leap=True)),
        ("1980-08-15", LunarDate(8, 15, year=1980)),
        ("1980年八月十五", LunarDate(8, 15, year=1980)),
        ("一九八〇年八月十五", LunarDate(8, 15, year=1980)),
        ("2020-L04-08", LunarDate(4, 8, leap=True, year=2020)),
    ],
)
def test_lunar_dates_as_people_write_them(text: str, expected: LunarDate) -> None:
    assert parse_lunar(text) == expected


EXAMPLES = "八月十五, 正月初一, 闰四月初八, 08-15 or L04-08"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("十三月初一", "'十三月初一' is no lunar date: there is no lunar month 13"),
        ("13-01", "'13-01' is no lunar date: there is no lunar month 13"),
        ("八月三十一", "'八月三十一' is no lunar date: a lunar month has 29 or 30 days, not 31"),
        ("8/31", "'8/31' is no lunar date: a lunar month has 29 or 30 days, not 31"),
        ("闰正月初一", "'闰正月初一' is no lunar date: no year from 1900 to 2100 has a 闰正月"),
        ("L12-01", "'L12-01' is no lunar date: no year from 1900 to 2100 has a 闰腊月"),
        ("2025-L04-08", "'2025-L04-08' is no lunar date: the lunar year 2025 has no 闰四月"),
        ("1850-08-15", "'1850-08-15': lunar dates are known from 1900 to 2100 only"),
        ("mid-autumn", "'mid-autumn' is no lunar date; give e.g. " + EXAMPLES),
        (
            "八月",
            "'八月' is no lunar date; give e.g. 八月十五, 正月初一, 闰四月初八, 08-15 or L04-08",
        ),
    ],
)
def test_impossible_lunar_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_lunar(text)
    assert str(raised.value) == message


def test_a_lunar_date_is_written_as_a_card_shows_it() -> None:
    assert LunarDate(8, 15).label() == "农历八月十五"
    assert LunarDate(4, 8, leap=True).label() == "农历闰四月初八"
    assert LunarDate(12, 30).label() == "农历腊月三十"
    assert LunarDate(11, 20).label() == "农历冬月二十"
    assert LunarDate(1, 21).label() == "农历正月廿一"
    assert LunarDate(4, 8, leap=True).code() == "L04-08"
    assert LunarDate(8, 15, year=1980).code() == "1980-08-15"


# ---- the commands --------------------------------------------------------------------------

IN_2027 = "2027-09-10T09:00:00"  # five days before 中秋 (2027-09-15)


@pytest.fixture
def lunar_birthday(ok, zhang: int) -> int:
    return int(ok("date", "add", "1", "birthday", "--lunar", "八月十五", "-q").stdout)


@pytest.mark.parametrize("typed", ["八月十五", "08-15", "8/15", "农历八月十五"])
def test_date_add_lunar(ok, zhang: int, typed: str) -> None:
    out = ok("date", "add", "1", "birthday", "--lunar", typed).stdout
    # Now is 2026-11-20: this year's 中秋 was 2026-09-25; the next is 2027-09-15.
    assert out == (
        "Added date D1 birthday 农历八月十五 (yearly) for #1 张伟 (阿里): next Wed 2027-09-15, "
        "in 299 days\n"
    )
    (row,) = json.loads(ok("date", "list", "--format", "json").stdout)
    assert (row["date"], row["lunar"], row["yearly"], row["year"]) == (
        "2027-09-15",
        "08-15",
        True,
        None,
    )


def test_a_leap_month_birthday(ok, zhang: int) -> None:
    out = ok("date", "add", "1", "birthday", "--lunar", "闰四月初八", env=at(IN_2027)).stdout
    # 2027 has no 闰四月 and its 四月初八 is past; 2028's leap month is the fifth: 四月初八.
    assert out == (
        "Added date D1 birthday 农历闰四月初八 (yearly) for #1 张伟 (阿里): next Tue 2028-05-02, "
        "in 235 days\n"
    )
    (row,) = json.loads(ok("date", "list", "--format", "json").stdout)
    assert row["lunar"] == "L04-08"


def test_the_card_shows_the_lunar_date_with_this_years_solar_day(ok, lunar_birthday) -> None:
    page = ok("show", "1", env=at(IN_2027)).stdout
    assert "2027-09-15  birthday 农历八月十五" in page
    listing = ok("date", "list", env=at(IN_2027)).stdout
    assert "农历八月十五" in listing
    assert "2027-09-15" in listing


def test_due_greets_a_lunar_birthday_on_its_solar_day_in_2027(ok, lunar_birthday) -> None:
    # The card's lead is 5 days: on 2027-09-10 the card is due, for 2027-09-15.
    (item,) = greetings(ok, env=at(IN_2027))
    assert (item["what"], item["due"]) == ("birthday on Wed 2027-09-15", "2027-09-10")
    assert item["reason"].startswith("post a card by Fri 2027-09-10 for the Wed 2027-09-15")
    assert greetings(ok, env=day("2027-09-09")) == []
    (call,) = greetings(ok, env=day("2027-09-15"))
    assert call["reason"] == "call on Wed 2027-09-15 (too late to post a card)"
    # And in 2028, on 2028-10-03.
    (later,) = greetings(ok, env=day("2028-10-03"))
    assert later["what"] == "birthday on Tue 2028-10-03"


def test_a_greeting_logged_clears_the_lunar_birthday(ok, lunar_birthday) -> None:
    ok("log", "1", "--via", "card", env=at("2027-09-09T10:00:00"))
    assert greetings(ok, env=at(IN_2027)) == []


def test_the_lead_days_of_the_book_apply_to_lunar_dates(ok, lunar_birthday) -> None:
    ok("config", "set", "--book", "lead.card", "10")
    (item,) = greetings(ok, env=day("2027-09-05"))
    assert item["due"] == "2027-09-05"


def test_the_calendar_file_has_the_solar_day_and_no_rule(ok, lunar_birthday) -> None:
    ics = ok("due", "--week", "--format", "ics", env=at(IN_2027)).stdout
    assert "DTSTART;VALUE=DATE:20270910" in ics
    assert "SUMMARY:张伟 (A): birthday on Wed 2027-09-15" in ics
    assert "RRULE" not in ics
    exported = ok("export", "--format", "ics", "--until", "2028-12-31", env=day("2028-09-01"))
    assert "birthday on Tue 2028-10-03" in exported.stdout
    assert "RRULE" not in exported.stdout


def test_a_one_off_lunar_date_needs_its_lunar_year(cli, ok, zhang: int) -> None:
    assert_error(
        cli("date", "add", "1", "promotion", "--lunar", "八月十五"),
        2,
        "a promotion happens once: give its lunar year (e.g. 2027-08-15), or add --yearly to "
        "greet it every year",
    )
    ok("date", "add", "1", "promotion", "--lunar", "2027-08-15")
    (row,) = json.loads(ok("date", "list", "--format", "json").stdout)
    assert (row["date"], row["yearly"], row["lunar"]) == ("2027-09-15", False, "2027-08-15")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lunar", "十三月初一"], "'十三月初一' is no lunar date: there is no lunar month 13"),
        (
            ["--lunar", "三月三十一"],
            "'三月三十一' is no lunar date: a lunar month has 29 or 30 days, not 31",
        ),
        (
            ["--lunar", "闰腊月初八"],
            "'闰腊月初八' is no lunar date: no year from 1900 to 2100 has a 闰腊月",
        ),
        ([], "give the day (WHEN), or --lunar with a lunar date such as 八月十五"),
        (
            ["11-29", "--lunar", "八月十五"],
            "give the day (WHEN) or --lunar with a lunar date, not both",
        ),
    ],
)
def test_bad_lunar_dates_are_refused_in_one_line(cli, zhang: int, args, message) -> None:
    assert_error(cli("date", "add", "1", "birthday", *args), 2, message)


def test_the_same_lunar_birthday_twice_is_refused(cli, ok, lunar_birthday) -> None:
    result = cli("date", "add", "1", "birthday", "--lunar", "08-15")
    assert result.exit_code != 0
    assert "already has this birthday as date D1" in result.stderr
    # The solar 08-15 is another day.
    ok("date", "add", "1", "birthday", "08-15")


# ---- holidays ------------------------------------------------------------------------------


PRESET = ["元旦", "春节", "元宵", "清明", "端午", "七夕", "中秋", "重阳", "国庆"]


@pytest.fixture
def customer(ok, db_path: Path, zhang: int) -> None:
    make_customer(db_path, 1)


def test_the_preset_twice_adds_the_nine_holidays_once(ok, customer) -> None:
    out = ok("holiday", "add", "--preset", "cn").stdout.splitlines()
    assert [line.split()[3] for line in out] == PRESET
    assert out[6] == (
        "Added holiday H7 中秋 (every year, 农历八月十五) next on Wed 2027-09-15 for customers"
    )
    assert ok("holiday", "add", "--preset", "cn").stdout == (
        "9 holidays of the preset were already on file: kept as they are.\n"
    )
    rows = json.loads(ok("holiday", "list", "--format", "json", env=day("2027-01-01")).stdout)
    assert [(r["name"], r["date"], r["rule"]) for r in rows] == [
        ("元旦", "2027-01-01", "solar:01-01"),
        ("春节", "2027-02-06", "lunar:01-01"),
        ("元宵", "2027-02-20", "lunar:01-15"),
        ("清明", "2027-04-05", "qingming"),
        ("端午", "2027-06-09", "lunar:05-05"),
        ("七夕", "2027-08-08", "lunar:07-07"),
        ("中秋", "2027-09-15", "lunar:08-15"),
        ("国庆", "2027-10-01", "solar:10-01"),
        ("重阳", "2027-10-08", "lunar:09-09"),
    ]


def test_preset_holidays_are_removed_one_by_one_and_come_back(ok, customer) -> None:
    ok("holiday", "add", "--preset", "cn")
    out = ok("holiday", "remove", "H7").stdout
    assert out.startswith("Removed holiday H7 中秋 (every year, 农历八月十五)")
    names = [r["name"] for r in json.loads(ok("holiday", "list", "--format", "json").stdout)]
    assert "中秋" not in names
    assert len(names) == 8
    out = ok("holiday", "add", "--preset", "cn").stdout
    assert out.startswith("Added holiday H10 中秋 (every year, 农历八月十五)")
    assert out.endswith("8 holidays of the preset were already on file: kept as they are.\n")


def test_due_greets_customers_on_2027s_mid_autumn(ok, customer) -> None:
    ok("holiday", "add", "--preset", "cn")
    add(ok, "Prospect")  # no sale: not a customer
    items = greetings(ok, env=at(IN_2027))
    assert [(i["client"], i["what"], i["due"]) for i in items] == [
        ("张伟", "中秋 greetings", "2027-09-10")
    ]
    assert items[0]["reason"].startswith("post a card by Fri 2027-09-10 for 中秋 on Wed 2027-09-15")
    # 2028's, without retyping anything.
    (later,) = greetings(ok, env=day("2028-09-28"))
    assert later["what"] == "中秋 greetings"
    assert "Tue 2028-10-03" in later["reason"]
    # 春节 2028 and 清明 2029.
    assert [i["what"] for i in greetings(ok, env=day("2028-01-21"))] == ["春节 greetings"]
    assert [i["what"] for i in greetings(ok, env=day("2029-03-30"))] == ["清明 greetings"]


def test_holiday_add_lunar(ok, customer) -> None:
    out = ok("holiday", "add", "--lunar", "八月十五", "中秋").stdout
    assert out == (
        "Added holiday H1 中秋 (every year, 农历八月十五) next on Wed 2027-09-15 for customers "
        "(1 live card now)\n"
    )
    card = ok("show", "1", env=at(IN_2027)).stdout
    assert "2027-09-15  holiday" in card


def test_holiday_add_yearly_on_a_solar_day(ok, customer) -> None:
    out = ok("holiday", "add", "12-25", "Christmas", "--yearly").stdout
    assert out.startswith("Added holiday H1 Christmas (every year, 12-25) next on Fri 2026-12-25")
    (item,) = greetings(ok, "--until", "2027-12-31", env=day("2027-12-20"))
    assert "Sat 2027-12-25" in item["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--lunar", "十三月初一", "x"],
            "'十三月初一' is no lunar date: there is no lunar month 13",
        ),
        (
            ["--lunar", "八月十五"],
            "with --lunar, give only the NAME: holiday add --lunar 八月十五 中秋",
        ),
        (["--lunar", "八月十五", " "], "name the holiday, e.g. 春节 or 'Mid-Autumn Festival'"),
        (
            ["--lunar", "八月十五", "a", "b"],
            "with --lunar, give only the NAME: holiday add --lunar 八月十五 中秋",
        ),
        (["--preset", "us"], "unknown preset 'us'; --preset is one of cn"),
        (["--preset", "cn", "春节"], "--preset takes no WHEN, NAME, --lunar or --yearly"),
        (
            ["--lunar", "1980-08-15", "中秋"],
            "a lunar holiday comes every year: give its month and day, e.g. 08-15",
        ),
    ],
)
def test_bad_holidays_are_refused_in_one_line(cli, args, message) -> None:
    assert_error(cli("holiday", "add", *args), 2, message)


def test_the_same_lunar_holiday_twice_is_refused(cli, ok) -> None:
    ok("holiday", "add", "--lunar", "08-15", "中秋")
    assert_error(
        cli("holiday", "add", "--lunar", "八月十五", "中秋"),
        3,
        "中秋 every year on 农历八月十五 is already holiday H1",
    )


def _greetings_due(ok) -> dict[str, int]:
    """`report activity`'s greetings due per month, August to October 2027."""
    out = ok(
        "report",
        "activity",
        "--since",
        "2027-08-01",
        "--by",
        "month",
        "-f",
        "csv",
        env=at("2027-10-20T09:00:00"),
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    return {r["bucket"]: int(r["greetings_due"]) for r in rows}


def test_the_activity_report_counts_lunar_dates_and_yearly_holidays(ok, customer) -> None:
    """Due greetings per month: 七夕 (08-08); a solar anniversary (09-14), the lunar birthday
    and 中秋 (09-15); 国庆 (10-01) and 重阳 (10-08)."""
    ok("date", "add", "1", "birthday", "--lunar", "八月十五")
    ok("date", "add", "1", "anniversary", "09-14")
    ok("holiday", "add", "--preset", "cn")
    assert _greetings_due(ok) == {"2027-08": 1, "2027-09": 3, "2027-10": 2}


# ---- the book file and the schema ----------------------------------------------------------


def test_the_book_file_carries_lunar_dates_and_yearly_holidays(ok, tmp_path, customer) -> None:
    ok("date", "add", "1", "birthday", "--lunar", "闰四月初八")
    ok("holiday", "add", "--preset", "cn")
    ok("holiday", "add", "2027-12-25", "Christmas")
    book = tmp_path / "book.jsonl"
    ok("export", "--book", "-o", str(book))
    lines = book.read_text(encoding="utf-8").splitlines()
    key_dates = next(i for i, line in enumerate(lines) if '"table":"key_date"' in line)
    header = json.loads(lines[key_dates])
    assert dict(zip(header["columns"], json.loads(lines[key_dates + 1]), strict=True)) | {
        "author": None
    } == {
        "id": 1,
        "client_id": 1,
        "kind": "birthday",
        "month": 4,
        "day": 8,
        "year": None,
        "yearly": True,
        "note": None,
        "author": None,
        "lunar": True,
        "leap": True,
    }
    other = tmp_path / "other.db"
    ok("import", "--book", str(book), env={"CLIENTCARD_DB": str(other)})
    again = tmp_path / "again.jsonl"
    ok("export", "--book", "-o", str(again), env={"CLIENTCARD_DB": str(other)})
    assert again.read_bytes() == book.read_bytes()


def _downgrade(url: str, revision: str) -> None:
    import sqlalchemy
    from alembic import command
    from alembic.config import Config

    from clientcard.store.migrate import MIGRATIONS_DIR

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def test_migration_0013_down_and_up_again(ok, db_path: Path, customer) -> None:
    """Down to 0012: the yearly holidays and lunar dates go (an older clientcard cannot read
    them), the others stay; the next command brings the book up again."""
    ok("date", "add", "1", "birthday", "11-29")
    ok("date", "add", "1", "anniversary", "--lunar", "八月十五")
    ok("holiday", "add", "2027-02-06", "春节")
    ok("holiday", "add", "--preset", "cn")
    _downgrade(f"sqlite:///{db_path}", "0012")
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0012",)]
        assert conn.execute('SELECT "on", name FROM holiday').fetchall() == [("2027-02-06", "春节")]
        assert conn.execute("SELECT kind, month, day FROM key_date").fetchall() == [
            ("birthday", 11, 29)
        ]
    rows = json.loads(ok("holiday", "list", "--format", "json").stdout)
    assert [(r["date"], r["name"], r["rule"]) for r in rows] == [("2027-02-06", "春节", None)]
    ok("holiday", "add", "--preset", "cn")
    assert len(json.loads(ok("holiday", "list", "--format", "json").stdout)) == 10


# ---- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def on_postgres(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
    return postgres_url


def test_lunar_dates_and_yearly_holidays_on_postgresql(ok, on_postgres: str) -> None:
    """The SQL this adds (the lunar terms of the (month, day) filter, `"on" IS NULL`, the
    boolean columns) on the other engine."""
    ok("add", "张伟", "-q")
    ok("sale", "1", "1000", env=day("2027-01-05"))
    ok("date", "add", "1", "birthday", "--lunar", "八月十五")
    ok("date", "add", "1", "anniversary", "09-14")
    ok("holiday", "add", "--preset", "cn")
    assert ok("holiday", "add", "--preset", "cn").stdout.startswith("9 holidays")
    items = greetings(ok, "--until", "2027-09-20", env=at(IN_2027))
    assert sorted(i["what"] for i in items) == [
        "anniversary on Tue 2027-09-14",
        "birthday on Wed 2027-09-15",
        "中秋 greetings",
    ]
    listed = json.loads(
        ok("date", "list", "--within", "30d", "--format", "json", env=at(IN_2027)).stdout
    )
    assert [(r["kind"], r["lunar"]) for r in listed] == [
        ("anniversary", None),
        ("birthday", "08-15"),
    ]
    assert _greetings_due(ok) == {"2027-08": 1, "2027-09": 3, "2027-10": 2}
    assert "BDAY" not in ok("export", "--format", "vcard").stdout
    ok("add", "张伟 dup", "-q")
    ok("date", "add", "2", "birthday", "--lunar", "八月十五")
    ok("merge", "1", "2", "--yes")
    assert len(json.loads(ok("date", "list", "--format", "json").stdout)) == 2
    ok("holiday", "remove", "H7")
    assert len(json.loads(ok("holiday", "list", "--format", "json").stdout)) == 8
    # Migration 0013 down (the yearly holidays and lunar dates go) and up again.
    _downgrade(on_postgres, "0012")
    ok("db", "upgrade")
    assert json.loads(ok("holiday", "list", "--format", "json").stdout) == []
    (left,) = json.loads(ok("date", "list", "--format", "json").stdout)
    assert left["kind"] == "anniversary"


def test_a_card_posted_before_a_lunar_occasion_is_logged_as_its_greeting(ok, customer) -> None:
    """`log --via card` near a lunar birthday or a yearly holiday is the greeting (it leaves
    the follow-up alone); far from them it is an ordinary contact."""
    ok("holiday", "add", "--preset", "cn")
    out = ok("log", "1", "--via", "card", env=at("2027-09-12T10:00:00")).stdout
    assert out.startswith("Logged card greeting with #1 张伟")
    assert greetings(ok, env=at("2027-09-13T09:00:00")) == []
    out = ok("log", "1", "--via", "card", env=at("2027-11-20T10:00:00")).stdout
    assert out.startswith("Logged card with #1 张伟")


def test_a_card_posted_before_a_lunar_birthday_is_its_greeting(ok, lunar_birthday) -> None:
    out = ok("log", "1", "--via", "card", env=at("2027-09-12T10:00:00")).stdout
    assert out.startswith("Logged card greeting with #1 张伟")


def test_date_list_within_finds_lunar_dates_by_their_solar_day(ok, lunar_birthday) -> None:
    ok("date", "add", "1", "anniversary", "09-20")
    ok("date", "add", "1", "other", "--lunar", "腊月初八", "--yearly")
    listed = json.loads(
        ok("date", "list", "--within", "2w", "--format", "json", env=at(IN_2027)).stdout
    )
    assert [(r["kind"], r["date"], r["lunar"]) for r in listed] == [
        ("birthday", "2027-09-15", "08-15"),
        ("anniversary", "2027-09-20", None),
    ]
    exported = ok("export", "--what", "occasions", "--format", "csv", env=at(IN_2027)).stdout
    assert "08-15" in exported
    assert "12-08" in exported


def test_a_yearly_holidays_greeting_has_a_uid_per_year(ok, customer) -> None:
    ok("holiday", "add", "--lunar", "八月十五", "中秋")
    ics = ok("due", "--week", "--format", "ics", env=at(IN_2027)).stdout
    assert "UID:holiday-1-1-2027." in ics
    assert "RRULE" not in ics


def test_a_vcard_has_no_bday_for_a_lunar_birthday(ok, lunar_birthday) -> None:
    vcard = ok("export", "--format", "vcard").stdout
    assert "BDAY" not in vcard
    ok("date", "add", "1", "birthday", "1980-03-02")
    assert "BDAY:1980-03-02" in ok("export", "--format", "vcard").stdout


def test_a_merge_keeps_a_lunar_and_a_solar_date_of_the_same_numbers(ok) -> None:
    add(ok, "张伟")
    add(ok, "张伟 dup")
    ok("date", "add", "1", "birthday", "--lunar", "08-15")
    ok("date", "add", "2", "birthday", "08-15")
    ok("date", "add", "2", "anniversary", "--lunar", "08-15")
    ok("date", "add", "1", "anniversary", "--lunar", "08-15")
    ok("merge", "1", "2", "--yes")
    rows = json.loads(ok("date", "list", "1", "--format", "json").stdout)
    assert sorted((r["kind"], r["lunar"] or "") for r in rows) == [
        ("anniversary", "08-15"),
        ("birthday", ""),
        ("birthday", "08-15"),
    ]
