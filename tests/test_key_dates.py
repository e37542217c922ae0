"""A card's key dates: `date add|list|remove`, 29 February included.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai. The birthday used throughout falls on
Sunday 2026-11-29: with the default leads (a card 5 days ahead, a call on the day) its card date
is Tuesday 2026-11-24, and a card, gift or call from Tuesday 2026-11-17 on clears it.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import csv
import io
from typing import Any

import pytest

from helpers import ZHANG, add, add_date, assert_error, dates, day, greetings
from helpers import greeting_brief as brief

pytestmark = pytest.mark.usefixtures("migrated")


DATE_KEYS = [
    "id",
    "client_id",
    "client",
    "kind",
    "date",
    "year",
    "yearly",
    "note",
    "days_until",
    "lunar",  # issue 18: a lunar date's 08-15, null for a solar one
]


KINDS = "birthday, anniversary, promotion, company-move, new-product, certification, other"


# ---- helpers ------------------------------------------------------------------------------


def stored(query) -> list[tuple[Any, ...]]:
    return query("SELECT client_id, kind, month, day, year, yearly, note FROM key_date ORDER BY id")


# ---- date add -----------------------------------------------------------------------------


def test_add_a_birthday_without_a_year(ok, query, zhang):
    result = ok("date", "add", "张伟", "birthday", "11-29", "--note", "喜欢普洱茶")
    assert result.stdout == (
        f"Added date D1 birthday 11-29 (yearly) for {ZHANG}: next Sun 2026-11-29, in 9 days\n"
    )
    assert stored(query) == [(zhang, "birthday", 11, 29, None, 1, "喜欢普洱茶")]


def test_a_birth_year_is_kept_as_the_origin(ok, query, zhang):
    out = ok("date", "add", "1", "birthday", "1980-11-29").stdout
    assert out == (
        f"Added date D1 birthday 1980-11-29 (yearly) for {ZHANG}: next Sun 2026-11-29, in 9 days\n"
    )
    assert stored(query) == [(zhang, "birthday", 11, 29, 1980, 1, None)]
    assert dates(ok)[0]["year"] == 1980


def test_anniversaries_are_yearly_and_one_off_kinds_keep_their_year(ok, query, zhang):
    ok("date", "add", "1", "anniversary", "2001-06-01")
    out = ok("date", "add", "1", "promotion", "2026-12-03").stdout
    assert out == f"Added date D2 promotion 2026-12-03 for {ZHANG}: Thu 2026-12-03, in 13 days\n"
    assert stored(query) == [
        (zhang, "anniversary", 6, 1, 2001, 1, None),
        (zhang, "promotion", 12, 3, 2026, 0, None),
    ]


def test_yearly_makes_any_kind_recur(ok, query, zhang):
    out = ok("date", "add", "1", "certification", "05-03", "--yearly").stdout
    assert out == (
        f"Added date D1 certification 05-03 (yearly) for {ZHANG}: next Mon 2027-05-03, "
        "in 164 days\n"
    )
    ok("date", "add", "1", "company-move", "2019-03-01", "--yearly")
    assert stored(query) == [
        (zhang, "certification", 5, 3, None, 1, None),
        (zhang, "company-move", 3, 1, 2019, 1, None),
    ]


def test_every_kind_is_accepted(ok, query, zhang):
    for kind in KINDS.split(", "):
        ok("date", "add", "1", kind, "2027-01-15")
    ok("date", "add", "1", "New_Product", "2027-01-16")
    assert [row[1] for row in stored(query)] == [*KINDS.split(", "), "new-product"]


@pytest.mark.parametrize(
    ("when", "month_day"),
    [
        ("05-03", (5, 3)),
        ("5-3", (5, 3)),
        ("05/03", (5, 3)),
        ("05.03", (5, 3)),
        ("may 3", (5, 3)),
        ("3 May", (5, 3)),
        ("December 24", (12, 24)),
    ],
)
def test_a_yearly_date_may_omit_the_year(ok, query, zhang, when, month_day):
    ok("date", "add", "1", "birthday", when)
    assert stored(query) == [(zhang, "birthday", *month_day, None, 1, None)]


def test_a_dash_is_month_day_whatever_the_date_order(ok, query, zhang):
    ok("config", "set", "date_order", "dmy")
    ok("date", "add", "1", "birthday", "05-03")
    ok("date", "add", "1", "anniversary", "05/03")
    assert stored(query) == [
        (zhang, "birthday", 5, 3, None, 1, None),
        (zhang, "anniversary", 3, 5, None, 1, None),
    ]


def test_relative_days_keep_their_year(ok, query, zhang):
    ok("date", "add", "1", "promotion", "today")
    ok("date", "add", "1", "company-move", "fri")
    assert stored(query) == [
        (zhang, "promotion", 11, 20, 2026, 0, None),
        (zhang, "company-move", 11, 27, 2026, 0, None),
    ]


def test_add_quiet_prints_only_the_id(ok, zhang):
    assert ok("date", "add", "1", "birthday", "11-29", "-q").stdout == "1\n"
    assert ok("date", "add", "1", "other", "2027-01-01", "--quiet").stdout == "2\n"


def test_a_date_on_an_archived_card_is_kept_but_not_due(ok, zhang):
    ok("archive", "1")
    out = ok("date", "add", "1", "birthday", "11-22").stdout
    assert out == (
        f"Added date D1 birthday 11-22 (yearly) for {ZHANG}: next Sun 2026-11-22, in 2 days; "
        "the card is archived: not in `due` until unarchived\n"
    )
    assert greetings(ok, "--week") == []
    ok("unarchive", "1")
    assert [i["what"] for i in greetings(ok, "--week")] == ["birthday on Sun 2026-11-22"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1", "bday", "11-29"], 2, f"unknown kind 'bday'; KIND is one of {KINDS}"),
        (["1", "birthday", "02-30"], 2, "'02-30' is no date: there is no day 30 in month 2"),
        (["1", "birthday", "13-01"], 2, "'13-01' is no date: there is no month 13"),
        (["1", "birthday", "04/31"], 2, "'04/31' is no date: there is no day 31 in month 4"),
        (
            ["1", "birthday", "2027-02-29"],
            2,
            "cannot read '2027-02-29' as a date (no such day); accepted: 2026-12-01, "
            "2026-12-01T15:00, now, today, tomorrow, yesterday, mon..sun, "
            "sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h 30min 2w 1mo 1y, today+3d, eow-1d, "
            "15:00, 3pm, fri 15:00, tomorrow 9am, 11/12, 'dec 24'",
        ),
        (
            ["1", "birthday", "blorp"],
            2,
            "cannot read 'blorp' as a date; accepted: 2026-12-01, 2026-12-01T15:00, now, today, "
            "tomorrow, yesterday, mon..sun, sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h "
            "30min 2w 1mo 1y, today+3d, eow-1d, 15:00, 3pm, fri 15:00, tomorrow 9am, 11/12, "
            "'dec 24'",
        ),
        (
            ["1", "promotion", "05-03"],
            2,
            "a promotion happens once: give its year (e.g. 2026-05-03), or add --yearly to "
            "greet it every year",
        ),
        (
            ["1", "company-move", "dec 24"],
            2,
            "a company move happens once: give its year (e.g. 2026-12-24), or add --yearly to "
            "greet it every year",
        ),
        (["1", "birthday", "March"], 2, "'March' has no day; give it, e.g. 'march 3'"),
        (
            ["1", "birthday", "2026-12-01 15:00"],
            2,
            "'2026-12-01 15:00' has a time; an occasion is a whole day",
        ),
        (
            ["Nobody", "birthday", "11-29"],
            1,
            "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        ),
        (["  ", "birthday", "11-29"], 2, "a client must be named: give its id or its name"),
    ],
    ids=[
        "unknown-kind",
        "feb-30",
        "month-13",
        "april-31",
        "feb-29-of-a-common-year",
        "unreadable",
        "one-off-without-year",
        "one-off-month-name-without-year",
        "month-without-day",
        "a-time",
        "unknown-client",
        "blank-client",
    ],
)
def test_bad_date_add_changes_nothing(cli, snapshot, zhang, args, code, message):
    before = snapshot()
    assert_error(cli("date", "add", *args), code, message)
    assert snapshot() == before


def test_the_same_date_twice_is_refused(cli, ok, snapshot, birthday):
    ok("date", "add", "1", "birthday", "1980-11-29")  # a year: another date
    before = snapshot()
    result = cli("date", "add", "张伟", "birthday", "nov 29")
    assert_error(
        result,
        3,
        "#1 张伟 already has this birthday as date D1; see `clientcard date list 1`",
    )
    assert snapshot() == before


# ---- 29 February ----------------------------------------------------------------------------


def test_feb_29_falls_on_feb_28_in_common_years(ok, query, zhang):
    out = ok("date", "add", "1", "anniversary", "02-29").stdout
    assert out == (
        f"Added date D1 anniversary 02-29 (yearly) for {ZHANG}: next Sun 2027-02-28, in 100 days\n"
    )
    assert stored(query) == [(zhang, "anniversary", 2, 29, None, 1, None)]
    assert brief(greetings(ok, env=day("2027-02-23"))) == [
        (
            "张伟",
            "anniversary on Sun 2027-02-28",
            "2027-02-23",
            "post a card by Tue 2027-02-23 for the Sun 2027-02-28 anniversary, or call on the day",
        )
    ]
    assert greetings(ok, env=day("2027-02-22")) == []
    # 2028 is a leap year: the day itself.
    assert [(d["date"], d["days_until"]) for d in dates(ok, env=day("2027-03-01"))] == [
        ("2028-02-29", 365)
    ]
    assert brief(greetings(ok, env=day("2028-02-24"))) == [
        (
            "张伟",
            "anniversary on Tue 2028-02-29",
            "2028-02-24",
            "post a card by Thu 2028-02-24 for the Tue 2028-02-29 anniversary, or call on the day",
        )
    ]


def test_feb_29_with_a_birth_year(ok, zhang):
    add_date(ok, "1", "birthday", "2000-02-29")
    assert [(d["date"], d["year"]) for d in dates(ok)] == [("2027-02-28", 2000)]


# ---- date list ----------------------------------------------------------------------------


@pytest.fixture
def book(ok, zhang) -> None:
    """Three cards' dates, added out of order."""
    add(ok, "Acme", "--grade", "B")
    add(ok, "Old Co", "--grade", "C")
    add_date(ok, "Acme", "birthday", "1980-12-30")  # 1
    add_date(ok, "张伟", "promotion", "2026-05-03", "--note", "升为总监")  # 2: past
    add_date(ok, "张伟", "birthday", "11-29", "--note", "喜欢普洱茶")  # 3
    add_date(ok, "Acme", "company-move", "2026-12-03")  # 4
    add_date(ok, "Old Co", "birthday", "11-21")  # 5: archived below
    add_date(ok, "张伟", "new-product", "2026-10-01")  # 6: past
    ok("archive", "Old Co")


def test_list_is_soonest_first_with_past_one_offs_last(ok, book):
    rows = dates(ok)
    assert list(rows[0]) == DATE_KEYS
    assert rows[0] == {
        "id": 3,
        "client_id": 1,
        "client": "张伟",
        "kind": "birthday",
        "date": "2026-11-29",
        "year": None,
        "yearly": True,
        "note": "喜欢普洱茶",
        "days_until": 9,
        "lunar": None,
    }
    assert [(r["id"], r["date"], r["days_until"]) for r in rows] == [
        (3, "2026-11-29", 9),
        (4, "2026-12-03", 13),
        (1, "2026-12-30", 40),
        (6, "2026-10-01", -50),
        (2, "2026-05-03", -201),
    ]


def test_list_as_a_table(ok, book):
    # Issue 12 point 4: a date's id reads D3, not a bare 3 a card could have.
    assert ok("date", "list").stdout == (
        "ID  Next        In days  Client  Kind          Year  Yearly  Note\n"
        "───────────────────────────────────────────────────────────────────────\n"
        "D3  2026-11-29        9  张伟    birthday            yes     喜欢普洱茶\n"
        "D4  2026-12-03       13  Acme    company-move  2026  no\n"
        "D1  2026-12-30       40  Acme    birthday      1980  yes\n"
        "D6  2026-10-01      -50  张伟    new-product   2026  no\n"
        "D2  2026-05-03     -201  张伟    promotion     2026  no      升为总监\n"
    )


def test_list_within_a_span(ok, book):
    assert [r["id"] for r in dates(ok, "--within", "30d")] == [3, 4]
    assert [r["id"] for r in dates(ok, "--within", "13")] == [3, 4]
    assert [r["id"] for r in dates(ok, "--within", "12d")] == [3]
    assert [r["id"] for r in dates(ok, "--within", "eoy")] == [3, 4, 1]
    assert [r["id"] for r in dates(ok, "张伟", "--within", "1mo")] == [3]


def test_list_within_across_the_year_end(ok, book):
    add_date(ok, "Acme", "anniversary", "01-02")  # 7
    rows = dates(ok, "--within", "1w", env=day("2026-12-27"))
    assert [(r["id"], r["date"], r["days_until"]) for r in rows] == [
        (1, "2026-12-30", 3),
        (7, "2027-01-02", 6),
    ]


def test_list_one_card_even_archived(ok, book):
    assert [r["id"] for r in dates(ok, "张伟")] == [3, 6, 2]
    assert [r["id"] for r in dates(ok, "Old Co")] == [5]
    assert 5 not in [r["id"] for r in dates(ok)]


def test_list_as_csv(ok, book):
    out = ok("date", "list", "张伟", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == DATE_KEYS
    assert rows[1] == [
        *("3", "1", "张伟", "birthday", "2026-11-29", "", "true", "喜欢普洱茶", "9"),
        "",  # lunar
    ]


def test_list_when_empty(ok, zhang):
    assert ok("date", "list").stdout == (
        "No dates. Add one with: clientcard date add CLIENT birthday 05-03\n"
    )
    assert ok("date", "list", "--within", "2w").stdout == (
        "No dates within 2w. Add one with: clientcard date add CLIENT birthday 05-03\n"
    )
    assert ok("date", "list", "--format", "json").stdout == "[]\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--within", "-3d"], 2, "--within '-3d' is in the past; give e.g. 30d, 2w or eom"),
        (["Nobody"], 1, "no card matches 'Nobody'; try `clientcard list --search Nobody`"),
    ],
)
def test_bad_date_list(cli, zhang, args, code, message):
    assert_error(cli("date", "list", *args), code, message)


# ---- date remove --------------------------------------------------------------------------


def test_remove_a_date(ok, query, birthday):
    out = ok("date", "remove", "1").stdout
    assert out == f"Removed date D1 birthday 11-29 (yearly) of {ZHANG}\n"
    assert stored(query) == []
    assert greetings(ok, "--week") == []


def test_remove_an_unknown_date_changes_nothing(cli, snapshot, birthday):
    before = snapshot()
    assert_error(cli("date", "remove", "9"), 1, "no date D9; see `clientcard date list`")
    assert snapshot() == before
