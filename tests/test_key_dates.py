"""Occasions as a user sees them: `date add|list|remove`, `holiday add|list|remove`, and the
greetings they make due in `due` (kind `occasion`).

Now is pinned to Friday 2026-11-20 09:00 in Shanghai. The birthday used throughout falls on
Sunday 2026-11-29: with the default leads (a card 5 days ahead, a call on the day) its card date
is Tuesday 2026-11-24, and a card, gift or call from Tuesday 2026-11-17 on clears it.

A customer is a card with a first sale (issue 4, part 2); the tests set `first_sale_at` directly
so that they do not depend on the sales commands.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from clientcard.domain.settings import Settings
from clientcard.store.db import transaction
from helpers import (
    ZHANG,
    add,
    add_date,
    assert_error,
    at,
    dates,
    day,
    greetings,
    make_customer,
)
from helpers import greeting_brief as brief

pytestmark = pytest.mark.usefixtures("migrated")

DATE_KEYS = ["id", "client_id", "client", "kind", "date", "year", "yearly", "note", "days_until"]
HOLIDAY_KEYS = ["id", "date", "name", "audience", "cards", "days_until"]
KINDS = "birthday, anniversary, promotion, company-move, new-product, certification, other"
CARD_REASON = "post a card by Tue 2026-11-24 for the Sun 2026-11-29 birthday, or call on the day"


# ---- helpers ------------------------------------------------------------------------------


def stored(query) -> list[tuple[Any, ...]]:
    return query("SELECT client_id, kind, month, day, year, yearly, note FROM key_date ORDER BY id")


# ---- date add -----------------------------------------------------------------------------


def test_add_a_birthday_without_a_year(ok, query, zhang):
    result = ok("date", "add", "张伟", "birthday", "11-29", "--note", "喜欢普洱茶")
    assert result.stdout == (
        f"Added date #1 birthday 11-29 (yearly) for {ZHANG}: next Sun 2026-11-29, in 9 days\n"
    )
    assert stored(query) == [(zhang, "birthday", 11, 29, None, 1, "喜欢普洱茶")]


def test_a_birth_year_is_kept_as_the_origin(ok, query, zhang):
    out = ok("date", "add", "1", "birthday", "1980-11-29").stdout
    assert out == (
        f"Added date #1 birthday 1980-11-29 (yearly) for {ZHANG}: next Sun 2026-11-29, in 9 days\n"
    )
    assert stored(query) == [(zhang, "birthday", 11, 29, 1980, 1, None)]
    assert dates(ok)[0]["year"] == 1980


def test_anniversaries_are_yearly_and_one_off_kinds_keep_their_year(ok, query, zhang):
    ok("date", "add", "1", "anniversary", "2001-06-01")
    out = ok("date", "add", "1", "promotion", "2026-12-03").stdout
    assert out == f"Added date #2 promotion 2026-12-03 for {ZHANG}: Thu 2026-12-03, in 13 days\n"
    assert stored(query) == [
        (zhang, "anniversary", 6, 1, 2001, 1, None),
        (zhang, "promotion", 12, 3, 2026, 0, None),
    ]


def test_yearly_makes_any_kind_recur(ok, query, zhang):
    out = ok("date", "add", "1", "certification", "05-03", "--yearly").stdout
    assert out == (
        f"Added date #1 certification 05-03 (yearly) for {ZHANG}: next Mon 2027-05-03, "
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
        f"Added date #1 birthday 11-22 (yearly) for {ZHANG}: next Sun 2026-11-22, in 2 days; "
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
        "#1 张伟 already has this birthday as date #1; see `clientcard date list 1`",
    )
    assert snapshot() == before


# ---- 29 February ----------------------------------------------------------------------------


def test_feb_29_falls_on_feb_28_in_common_years(ok, query, zhang):
    out = ok("date", "add", "1", "anniversary", "02-29").stdout
    assert out == (
        f"Added date #1 anniversary 02-29 (yearly) for {ZHANG}: next Sun 2027-02-28, in 100 days\n"
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
    }
    assert [(r["id"], r["date"], r["days_until"]) for r in rows] == [
        (3, "2026-11-29", 9),
        (4, "2026-12-03", 13),
        (1, "2026-12-30", 40),
        (6, "2026-10-01", -50),
        (2, "2026-05-03", -201),
    ]


def test_list_as_a_table(ok, book):
    header = "ID   Next         In days   Client   Kind           Year   Yearly   Note"
    assert ok("date", "list").stdout == (
        f"{header}\n"
        f"{'─' * (len(header) + 6)}\n"  # the notes are wider than "Note": 喜欢普洱茶 is 10 cells
        " 3   2026-11-29         9   张伟     birthday              yes      喜欢普洱茶\n"
        " 4   2026-12-03        13   Acme     company-move   2026   no\n"
        " 1   2026-12-30        40   Acme     birthday       1980   yes\n"
        " 6   2026-10-01       -50   张伟     new-product    2026   no\n"
        " 2   2026-05-03      -201   张伟     promotion      2026   no       升为总监\n"
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
    assert rows[1] == ["3", "1", "张伟", "birthday", "2026-11-29", "", "true", "喜欢普洱茶", "9"]


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
    assert out == f"Removed date #1 birthday 11-29 (yearly) of {ZHANG}\n"
    assert stored(query) == []
    assert greetings(ok, "--week") == []


def test_remove_an_unknown_date_changes_nothing(cli, snapshot, birthday):
    before = snapshot()
    assert_error(cli("date", "remove", "9"), 1, "no date #9; see `clientcard date list`")
    assert snapshot() == before


# ---- greetings in `due` -----------------------------------------------------------------------


def test_a_birthday_next_week_appears_five_days_ahead_for_a_card(ok, birthday):
    # Not earlier: on Monday the card date is still a day away.
    for d in ("2026-11-20", "2026-11-22", "2026-11-23"):
        assert greetings(ok, env=day(d)) == [], d
    items = greetings(ok, env=day("2026-11-24"))
    assert items == [
        {
            "kind": "occasion",
            "urgency": 170,
            "client_id": 1,
            "client": "张伟",
            "grade": "A",
            "what": "birthday on Sun 2026-11-29",
            "due": "2026-11-24",
            "overdue": False,
            "overdue_days": 0,
            "reason": f"{CARD_REASON} · 喜欢普洱茶",
            "flags": [],
            "record_id": 1,
        }
    ]


def test_a_wider_window_shows_the_card_date_ahead(ok, birthday):
    assert brief(greetings(ok, "--week")) == [
        ("张伟", "birthday on Sun 2026-11-29", "2026-11-24", f"{CARD_REASON} · 喜欢普洱茶")
    ]
    assert greetings(ok, "--week", env=day("2026-11-17")) == []  # the week ends on Mon 23
    assert len(greetings(ok, "--week", env=day("2026-11-18"))) == 1
    assert len(greetings(ok, "--until", "mon", env=day("2026-11-18"))) == 0
    assert len(greetings(ok, "--until", "tue", env=day("2026-11-18"))) == 1


def test_the_due_table_shows_the_greeting(ok, birthday):
    header = (
        f"Urg   Kind       Due          Client   Gr   What                         Why{' ' * 94}ID"
    )
    assert ok("due", env=day("2026-11-24")).stdout == (
        f"{header}\n"
        f"{'─' * len(header)}\n"
        "170   occasion   2026-11-24   张伟     A    birthday on Sun 2026-11-29   "
        f"{CARD_REASON} · 喜欢普洱茶    1\n"
    )


@pytest.mark.parametrize("via", ["card", "gift"])
def test_a_logged_greeting_clears_it(ok, birthday, via):
    assert len(greetings(ok, env=day("2026-11-24"))) == 1
    ok("log", "张伟", "生日贺卡", "--via", via, env=at("2026-11-24T10:00:00"))
    assert greetings(ok, env=at("2026-11-24T10:01:00")) == []
    assert greetings(ok, "--week", env=day("2026-11-29")) == []
    assert greetings(ok, env=day("2026-11-30")) == []  # nor is it overdue after the day


@pytest.mark.parametrize("via", ["email", "visit", "sms"])
def test_other_channels_do_not_clear_it(ok, birthday, via):
    ok("log", "张伟", "--via", via, env=at("2026-11-24T10:00:00"))
    assert len(greetings(ok, env=at("2026-11-24T10:01:00"))) == 1


def test_a_card_counts_from_three_days_before_the_card_date(ok, birthday):
    # The card date is Tue 2026-11-24: a card on Fri 20 is too early, one on Sat 21 counts.
    ok("log", "1", "--via", "card", env=at("2026-11-20T23:00:00"))
    assert len(greetings(ok, env=day("2026-11-24"))) == 1
    ok("log", "1", "--via", "card", "--at", "2026-11-21 00:30", env=day("2026-11-24"))
    assert greetings(ok, env=at("2026-11-24T10:00:00")) == []


def test_a_routine_call_before_the_day_is_not_the_greeting(ok, birthday):
    # A call about business on the card date, or the day before the birthday, leaves the
    # greeting due: only a call on the day (lead.call = 0) is the birthday call.
    ok("log", "1", "问报价进度", "--via", "call", env=at("2026-11-24T10:00:00"))
    assert len(greetings(ok, env=at("2026-11-24T10:01:00"))) == 1
    ok("log", "1", "--via", "call", env=at("2026-11-28T10:00:00"))
    assert len(greetings(ok, env=day("2026-11-29"))) == 1
    ok("log", "1", "生日快乐", "--via", "call", env=at("2026-11-29T09:00:00"))
    assert greetings(ok, env=at("2026-11-29T09:01:00")) == []


def test_a_call_on_the_day_after_the_card_date(ok, birthday):
    # Too late for the post, not yet the day: nothing due today, the call is due on Sunday.
    for d in ("2026-11-25", "2026-11-28"):
        assert greetings(ok, env=day(d)) == [], d
    late = ("张伟", "birthday on Sun 2026-11-29", "2026-11-29")
    reason = "call on Sun 2026-11-29 (too late to post a card) · 喜欢普洱茶"
    assert brief(greetings(ok, "--week", env=day("2026-11-25"))) == [(*late, reason)]
    items = greetings(ok, env=day("2026-11-29"))
    assert brief(items) == [(*late, reason)]
    assert (items[0]["overdue"], items[0]["urgency"]) == (False, 170)
    ok("log", "1", "--via", "call", "生日快乐", env=at("2026-11-29T10:00:00"))
    assert greetings(ok, env=at("2026-11-29T10:01:00")) == []


def test_a_missed_occasion_is_overdue_for_a_week_then_drops_out(ok, birthday):
    items = greetings(ok, env=day("2026-11-30"))
    assert [(i["due"], i["overdue"], i["overdue_days"], i["urgency"]) for i in items] == [
        ("2026-11-29", True, 1, 120 + 50 + 500 + 5)
    ]
    assert items[0]["reason"] == "belated: the birthday was Sun 2026-11-29; call now · 喜欢普洱茶"
    assert [i["overdue_days"] for i in greetings(ok, env=day("2026-12-06"))] == [7]
    assert greetings(ok, env=day("2026-12-07")) == []


def test_an_overdue_greeting_makes_check_fail(cli, birthday):
    check = ("due", "--check", "--quiet", "--kind", "occasion")
    assert cli(*check, env=day("2026-11-29")).exit_code == 0
    assert cli(*check, env=day("2026-11-30")).exit_code == 1


def test_a_yearly_date_without_a_year_across_the_year_end(ok, zhang):
    add_date(ok, "张伟", "birthday", "12-30")  # 1
    add_date(ok, "张伟", "anniversary", "01-02")  # 2
    # Seen from Sunday Dec 27: the birthday's card date (Fri 25) has passed; the anniversary's
    # is tomorrow, in the next year's occasion.
    assert brief(greetings(ok, "--tomorrow", env=day("2026-12-27"))) == [
        (
            "张伟",
            "anniversary on Sat 2027-01-02",
            "2026-12-28",
            "post a card by Mon 2026-12-28 for the Sat 2027-01-02 anniversary, or call on the day",
        ),
    ]
    assert brief(greetings(ok, "--week", env=day("2026-12-27"))) == [
        (
            "张伟",
            "anniversary on Sat 2027-01-02",
            "2026-12-28",
            "post a card by Mon 2026-12-28 for the Sat 2027-01-02 anniversary, or call on the day",
        ),
        (
            "张伟",
            "birthday on Wed 2026-12-30",
            "2026-12-30",
            "call on Wed 2026-12-30 (too late to post a card)",
        ),
    ]
    # From the new year: last year's birthday is a belated greeting, its next one a year on.
    items = greetings(ok, env=day("2027-01-01"))
    assert [(i["what"], i["overdue_days"]) for i in items] == [("birthday on Wed 2026-12-30", 2)]
    assert [(d["id"], d["date"]) for d in dates(ok, env=day("2027-01-01"))] == [
        (2, "2027-01-02"),
        (1, "2027-12-30"),
    ]


def test_one_off_dates_are_greeted_once(ok, zhang):
    add_date(ok, "1", "promotion", "2026-11-27")
    add_date(ok, "1", "company-move", "2026-05-03")
    assert [i["what"] for i in greetings(ok, "--week")] == ["promotion on Fri 2026-11-27"]
    assert greetings(ok, "--until", "2027-12-31", env=day("2026-12-05")) == []


def test_one_item_per_occasion_however_long_the_window(ok, birthday):
    items = greetings(ok, "--until", "2028-12-31")
    assert [i["what"] for i in items] == ["birthday on Sun 2026-11-29"]
    # Greeted this year: the next one is next year's.
    ok("log", "1", "--via", "card", env=at("2026-11-24T10:00:00"))
    until = greetings(ok, "--until", "2028-12-31", env=at("2026-11-24T10:01:00"))
    assert [i["what"] for i in until] == ["birthday on Mon 2027-11-29"]


def test_the_lead_times_come_from_the_config(ok, birthday):
    ok("config", "set", "lead.card", "7")
    assert greetings(ok, env=day("2026-11-21")) == []
    assert [i["due"] for i in greetings(ok, env=day("2026-11-22"))] == ["2026-11-22"]
    ok("config", "set", "lead.call", "1")
    assert [i["reason"] for i in greetings(ok, env=day("2026-11-22"))] == [
        "post a card by Sun 2026-11-22 for the Sun 2026-11-29 birthday, or call by "
        "Sat 2026-11-28 · 喜欢普洱茶"
    ]
    items = greetings(ok, "--week", env=day("2026-11-23"))
    assert brief(items) == [
        (
            "张伟",
            "birthday on Sun 2026-11-29",
            "2026-11-28",
            "call by Sat 2026-11-28 for the Sun 2026-11-29 birthday (too late to post a card)"
            " · 喜欢普洱茶",
        )
    ]


def test_greetings_rank_by_grade_and_sit_between_kinds(ok, zhang):
    add(ok, "Fang", "--grade", "F")
    add_date(ok, "Fang", "birthday", "11-25")
    add_date(ok, "张伟", "birthday", "11-25")
    items = greetings(ok)
    assert [(i["client"], i["urgency"]) for i in items] == [("张伟", 170), ("Fang", 120)]


def test_archived_cards_never_appear(ok, db_path, birthday):
    make_customer(db_path, 1)
    ok("holiday", "add", "2026-11-26", "感恩节")
    assert len(greetings(ok, "--week")) == 2
    ok("archive", "1")
    assert greetings(ok, "--week") == []


def test_cjk_names_and_notes(ok, query):
    add(ok, "欧阳娜娜", "--company", "腾讯")
    add_date(ok, "欧阳", "birthday", "11-24", "--note", "属马, 爱喝龙井")
    add(ok, "Ōtani Shōhei")
    add_date(ok, "ōtani", "anniversary", "11-24", "--note", "結婚記念日 🎉")
    assert query("SELECT note FROM key_date ORDER BY id") == [
        ("属马, 爱喝龙井",),
        ("結婚記念日 🎉",),
    ]
    assert [(i["client"], i["reason"].split(" · ")[1]) for i in greetings(ok, "--week")] == [
        ("Ōtani Shōhei", "結婚記念日 🎉"),
        ("欧阳娜娜", "属马, 爱喝龙井"),
    ]


# ---- holidays -----------------------------------------------------------------------------


@pytest.fixture
def customers(ok, db_path, zhang) -> None:
    """张伟 (A) and Acme (B) have bought; Fang (F, tagged vip) has not."""
    add(ok, "Acme", "--grade", "B")
    add(ok, "Fang", "--grade", "F", "--tag", "vip")
    make_customer(db_path, 1)
    make_customer(db_path, 2)


def test_add_a_holiday(ok, query, customers):
    out = ok("holiday", "add", "2027-02-06", "春节").stdout
    assert out == "Added holiday #1 春节 on Sat 2027-02-06 for customers (2 live cards now)\n"
    assert query('SELECT "on", name, audience FROM holiday') == [
        ("2027-02-06", "春节", "customers")
    ]
    assert ok("holiday", "add", "2027-02-06", "元宵", "--for", "TAG:VIP", "-q").stdout == "2\n"
    out = ok("holiday", "add", "2026-12-25", "Christmas", "--for", "all").stdout
    assert out == "Added holiday #3 Christmas on Fri 2026-12-25 for all (3 live cards now)\n"
    assert query("SELECT audience FROM holiday ORDER BY id") == [
        ("customers",),
        ("tag:vip",),
        ("all",),
    ]


def test_list_holidays(ok, customers):
    ok("holiday", "add", "2027-02-06", "春节")
    ok("holiday", "add", "2026-12-25", "Christmas", "--for", "tag:vip")
    rows = json.loads(ok("holiday", "list", "--format", "json").stdout)
    assert rows == [
        {
            "id": 2,
            "date": "2026-12-25",
            "name": "Christmas",
            "audience": "tag:vip",
            "cards": 1,
            "days_until": 35,
        },
        {
            "id": 1,
            "date": "2027-02-06",
            "name": "春节",
            "audience": "customers",
            "cards": 2,
            "days_until": 78,
        },
    ]
    assert list(rows[0]) == HOLIDAY_KEYS
    header = "ID   Date         In days   Holiday     For         Cards"
    assert ok("holiday", "list").stdout == (
        f"{header}\n"
        f"{'─' * len(header)}\n"
        " 2   2026-12-25        35   Christmas   tag:vip         1\n"
        " 1   2027-02-06        78   春节        customers       2\n"
    )


def test_list_holidays_when_empty(ok):
    assert ok("holiday", "list").stdout == (
        "No holidays. Add one with: clientcard holiday add 2027-02-06 春节\n"
    )
    assert ok("holiday", "list", "-f", "json").stdout == "[]\n"


def test_remove_a_holiday(ok, query, customers):
    ok("holiday", "add", "2027-02-06", "春节")
    out = ok("holiday", "remove", "1").stdout
    assert out == "Removed holiday #1 春节 on Sat 2027-02-06 for customers\n"
    assert query("SELECT * FROM holiday") == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["2027-02-06", "x", "--for", "bosses"],
            2,
            "unknown audience 'bosses'; --for is customers, all or tag:T",
        ),
        (
            ["2027-02-06", "x", "--for", "tag:a b"],
            2,
            "tag 'a b' has a comma or a blank; give one word per --tag",
        ),
        (["2027-02-06", "  "], 2, "name the holiday, e.g. 春节 or 'Mid-Autumn Festival'"),
        (["2027-02-06", "x" * 201], 2, "name is 201 characters long; at most 200 fit"),
        (["2027-02-06 10:00", "x"], 2, "'2027-02-06 10:00' has a time; a holiday is a whole day"),
        (
            ["2027-02-30", "x"],
            2,
            "cannot read '2027-02-30' as a date (no such day); accepted: "
            "2026-12-01, 2026-12-01T15:00, now, today, tomorrow, yesterday, mon..sun, "
            "sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h 30min 2w 1mo 1y, today+3d, eow-1d, "
            "15:00, 3pm, fri 15:00, tomorrow 9am, 11/12, 'dec 24'",
        ),
        (["2027-02-06", "春节"], 3, "春节 on Sat 2027-02-06 is already holiday #1"),
    ],
    ids=["audience", "tag", "no-name", "long-name", "a-time", "no-such-day", "twice"],
)
def test_bad_holiday_add_changes_nothing(cli, ok, snapshot, args, code, message):
    ok("holiday", "add", "2027-02-06", "春节")
    before = snapshot()
    assert_error(cli("holiday", "add", *args), code, message)
    assert snapshot() == before


def test_remove_an_unknown_holiday_changes_nothing(cli, snapshot):
    before = snapshot()
    assert_error(cli("holiday", "remove", "3"), 1, "no holiday #3; see `clientcard holiday list`")
    assert snapshot() == before


def test_a_holiday_for_customers_only(ok, customers):
    ok("holiday", "add", "2027-02-06", "春节")
    assert greetings(ok, env=day("2027-01-31")) == []
    items = greetings(ok, env=day("2027-02-01"))
    reason = "post a card by Mon 2027-02-01 for 春节 on Sat 2027-02-06, or call on the day"
    assert [(i["client"], i["what"], i["due"], i["reason"], i["record_id"]) for i in items] == [
        ("张伟", "春节 greetings", "2027-02-01", reason, 1),
        ("Acme", "春节 greetings", "2027-02-01", reason, 1),
    ]
    assert [i["urgency"] for i in items] == [170, 160]


def test_a_holiday_for_all_or_a_tag(ok, customers):
    ok("holiday", "add", "2027-02-06", "春节", "--for", "all")
    ok("holiday", "add", "2027-02-06", "元宵", "--for", "tag:vip")
    items = greetings(ok, env=day("2027-02-01"))
    assert sorted((i["client"], i["what"]) for i in items) == [
        ("Acme", "春节 greetings"),
        ("Fang", "元宵 greetings"),
        ("Fang", "春节 greetings"),
        ("张伟", "春节 greetings"),
    ]


def test_the_audience_is_read_when_due_runs(ok, db_path, customers):
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    assert [i["client"] for i in greetings(ok, "--week")] == ["张伟", "Acme"]
    make_customer(db_path, 3)
    ok("archive", "Acme")
    assert [i["client"] for i in greetings(ok, "--week")] == ["张伟", "Fang"]


def test_a_holiday_greeting_is_cleared_per_client(ok, customers):
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    ok("log", "Acme", "--via", "gift", "a box of tea")
    items = greetings(ok, "--week")
    assert [(i["client"], i["what"]) for i in items] == [("张伟", "Thanksgiving greetings")]
    items = greetings(ok, env=day("2026-11-27"))
    assert [(i["client"], i["overdue_days"], i["reason"]) for i in items] == [
        ("张伟", 1, "belated: Thanksgiving was Thu 2026-11-26; call now")
    ]


def test_many_clients_are_cleared_without_a_query_each(ok, customers, monkeypatch):
    from clientcard.services import greetings as greetings_service

    monkeypatch.setattr(greetings_service, "MAX_IDS_IN_QUERY", 1)
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    ok("log", "Acme", "--via", "card", env=day("2026-11-10"))  # too early: does not count
    ok("log", "张伟", "--via", "card")  # from 3 days before the card date (Sat 11-21): counts
    assert [i["client"] for i in greetings(ok, "--week")] == ["Acme"]


def test_a_past_holiday_is_kept_but_only_due_within_the_grace(ok, customers):
    ok("holiday", "add", "2026-11-15", "Old")
    assert [i["overdue_days"] for i in greetings(ok)] == [5, 5]
    assert greetings(ok, env=day("2026-11-23")) == []


# ---- what `due` reads ---------------------------------------------------------------------


@pytest.fixture
def statements(db_path) -> Iterator[tuple[Any, list[str]]]:
    """A read transaction on the test's database, and the SQL it runs (with its values)."""
    seen: list[str] = []

    def record(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    with transaction(str(db_path), write=False) as db:
        db.connection.set_trace_callback(record)  # type: ignore[attr-defined]
        yield db, seen


def run_occasion_items(session: Any, until: str) -> list[Any]:
    from clientcard.clock import now
    from clientcard.services.agenda import window_end
    from clientcard.services.greetings import occasion_items

    moment: datetime = now()
    settings = Settings()
    return occasion_items(session, window_end(None, until, moment, settings), moment, settings)


@pytest.mark.parametrize("cards", [2, 12])
def test_due_reads_a_fixed_number_of_queries(ok, db_path, statements, cards):
    for i in range(cards):
        add(ok, f"Card {i}")
        make_customer(db_path, i + 1)
        add_date(ok, str(i + 1), "birthday", "11-25")
        add_date(ok, str(i + 1), "anniversary", "06-01")  # outside the window: not read
        ok("log", str(i + 1), "--via", "call", env=day("2026-11-01"))
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    ok("holiday", "add", "2027-02-06", "春节")  # outside the window
    session, seen = statements
    items = run_occasion_items(session, "sun")
    assert len(items) == 2 * cards
    # The key dates, the holidays, the one holiday's audience, the clearing greetings.
    assert len(seen) == 4
    assert "FROM key_date" in seen[0]
    assert "GROUP BY" in seen[3]


def test_the_key_dates_are_read_through_their_index(ok, statements, birthday):
    session, seen = statements
    run_occasion_items(session, "sun")
    plan = session.connection.execute("EXPLAIN QUERY PLAN " + seen[0])
    assert any("ix_key_date_month_day" in str(row) for row in plan)


# ---- the card page ------------------------------------------------------------------------


def test_upcoming_occasions_of_one_card(ok, db_path, birthday):
    from clientcard.clock import now
    from clientcard.services.occasions import upcoming_occasions

    add_date(ok, "1", "promotion", "2026-12-03")
    add_date(ok, "1", "anniversary", "03-01")  # more than 60 days ahead
    add_date(ok, "1", "company-move", "2026-10-01")  # past
    add(ok, "Acme")
    add_date(ok, "Acme", "birthday", "11-21")
    with transaction(str(db_path), write=False) as s:
        moment: datetime = now()
        views = upcoming_occasions(s, 1, now=moment, settings=Settings())
        wider = upcoming_occasions(s, 1, now=moment, settings=Settings(), within_days=120)
    assert [(v.id, v.row()["date"], v.days_until) for v in views] == [
        (1, datetime(2026, 11, 29).date(), 9),
        (2, datetime(2026, 12, 3).date(), 13),
    ]
    assert views[0].row() == {
        "id": 1,
        "client_id": 1,
        "client": "张伟",
        "kind": "birthday",
        "date": datetime(2026, 11, 29).date(),
        "year": None,
        "yearly": True,
        "note": "喜欢普洱茶",
        "days_until": 9,
    }
    assert [v.id for v in wider] == [1, 2, 3]
