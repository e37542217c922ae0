"""Holidays: `holiday add|list|remove`, their audience, and the greetings they make due.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai.

A customer is a card with a first sale (issue 4, part 2); the tests set `first_sale_at` directly
so that they do not depend on the sales commands.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json

import pytest

from helpers import add, assert_error, day, greetings, make_customer

pytestmark = pytest.mark.usefixtures("migrated")


HOLIDAY_KEYS = ["id", "date", "name", "audience", "cards", "days_until", "rule"]


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
    assert out == "Added holiday H1 春节 on Sat 2027-02-06 for customers (2 live cards now)\n"
    assert query('SELECT "on", name, audience FROM holiday') == [
        ("2027-02-06", "春节", "customers")
    ]
    assert ok("holiday", "add", "2027-02-06", "元宵", "--for", "TAG:VIP", "-q").stdout == "2\n"
    out = ok("holiday", "add", "2026-12-25", "Christmas", "--for", "all").stdout
    assert out == "Added holiday H3 Christmas on Fri 2026-12-25 for all (3 live cards now)\n"
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
            "rule": None,
        },
        {
            "id": 1,
            "date": "2027-02-06",
            "name": "春节",
            "audience": "customers",
            "cards": 2,
            "days_until": 78,
            "rule": None,
        },
    ]
    assert list(rows[0]) == HOLIDAY_KEYS
    # Issue 12 point 4: a holiday's id reads H2, not a bare 2 a card could have.
    assert ok("holiday", "list").stdout == (
        "ID  Date        In days  Holiday    For        Cards\n"
        "────────────────────────────────────────────────────\n"
        "H2  2026-12-25       35  Christmas  tag:vip        1\n"
        "H1  2027-02-06       78  春节       customers      2\n"
    )


def test_list_holidays_when_empty(ok):
    assert ok("holiday", "list").stdout == (
        "No holidays. Add one with: clientcard holiday add 2027-02-06 春节\n"
    )
    assert ok("holiday", "list", "-f", "json").stdout == "[]\n"


def test_remove_a_holiday(ok, query, customers):
    ok("holiday", "add", "2027-02-06", "春节")
    out = ok("holiday", "remove", "1").stdout
    assert out == "Removed holiday H1 春节 on Sat 2027-02-06 for customers\n"
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
        (["2027-02-06", "春节"], 3, "春节 on Sat 2027-02-06 is already holiday H1"),
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
    assert_error(cli("holiday", "remove", "3"), 1, "no holiday H3; see `clientcard holiday list`")
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
