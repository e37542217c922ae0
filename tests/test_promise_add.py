"""Making a promise: `promise add`, and the times a promise cannot be closed or dated at.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); `wed` is 2026-11-25 and `mon` is
2026-11-23. Times are stored in UTC: Wednesday 00:00 local is "2026-11-24 16:00" in the table.
"""

# Issue 12 point 4: promise messages name "promise P3" and "card #1" (updated below).
import pytest

from helpers import NOW_UTC as MADE_UTC
from helpers import ZHANG, assert_error, at, promise
from helpers import promise_events as events

pytestmark = pytest.mark.usefixtures("migrated")


# ---- add ----------------------------------------------------------------------------------


def test_add_a_deliverable_due_on_a_day(ok, query, zhang):
    result = ok("promise", "add", "张伟", "送报价单 quote", "--due", "wed")
    assert (
        result.stdout
        == f"Promised: promise P1 '送报价单 quote' for card {ZHANG}, deliverable 2026-11-25\n"
    )
    assert query(
        "SELECT client_id, what, kind, due_at, all_day, place, status, short_notice, made_at, "
        "closed_at FROM promise"
    ) == [
        (
            zhang,
            "送报价单 quote",
            "deliverable",
            # Issue 11: an all-day promise's due_at is its date's midnight UTC (due_on: the date).
            "2026-11-25 00:00:00.000000",
            1,
            None,
            "open",
            0,
            MADE_UTC,
            None,
        )
    ]
    # Issue 11: the event keeps the date's midnight UTC too (and the date in due_on).
    assert events(query, 1) == [
        ("made", MADE_UTC, "2026-11-25 00:00:00.000000", 1, None, None, 0, None)
    ]
    assert query("SELECT due_on FROM promise_event") == [("2026-11-25",)]


def test_add_a_deliverable_due_at_a_time(ok, query, zhang):
    out = ok("promise", "add", "1", "call back", "--due", "today 17:00").stdout
    assert (
        out == f"Promised: promise P1 'call back' for card {ZHANG}, deliverable 2026-11-20 17:00\n"
    )
    assert query("SELECT due_at, all_day FROM promise") == [("2026-11-20 09:00:00.000000", 0)]


def test_add_an_appointment_with_a_place(ok, query, zhang):
    out = ok(
        "promise", "add", "1", "喝咖啡", "--at", "mon 15:00", "--where", "星巴克 国贸店"
    ).stdout
    assert out == (
        f"Promised: promise P1 '喝咖啡' for card {ZHANG}, appointment 2026-11-23 15:00 at 星巴克 国贸店\n"  # noqa: E501
    )
    assert query("SELECT kind, due_at, all_day, place FROM promise") == [
        ("appointment", "2026-11-23 07:00:00.000000", 0, "星巴克 国贸店")
    ]


def test_add_quiet_prints_only_the_id(ok, zhang):
    assert ok("promise", "add", "1", "a", "--due", "fri", "-q").stdout == "1\n"
    assert ok("promise", "add", "1", "b", "--at", "fri 10:00", "--quiet").stdout == "2\n"


def test_due_today_is_still_in_time(ok, query, zhang):
    late_evening = at("2026-11-20T23:59:00")
    assert promise(ok, "1", "the brochure", "--due", "today", env=late_evening) == 1
    # Issue 11: the date's midnight UTC, and the calendar date itself in due_on.
    assert query("SELECT due_at, all_day, due_on FROM promise") == [
        ("2026-11-20 00:00:00.000000", 1, "2026-11-20")
    ]


DUE_PAST = "is already past; give a later time"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["1", "x", "--due", "blorp"],
            2,
            "cannot read 'blorp' as a date; accepted: 2026-12-01, 2026-12-01T15:00, now, today, "
            "tomorrow, yesterday, mon..sun, sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h 30min "
            "2w 1mo 1y, today+3d, eow-1d, 15:00, 3pm, fri 15:00, tomorrow 9am, 11/12, 'dec 24'",
        ),
        (
            ["1", "x", "--at", "mon"],
            2,
            "an appointment needs a time, e.g. --at 'fri 15:00'; for a deliverable use --due",
        ),
        (
            ["1", "x", "--at", "2026-11-23"],
            2,
            "an appointment needs a time, e.g. --at 'fri 15:00'; for a deliverable use --due",
        ),
        (["1", "x", "--at", "08:59"], 2, f"--at '08:59' {DUE_PAST}"),
        (["1", "x", "--at", "now"], 2, f"--at 'now' {DUE_PAST}"),
        (["1", "x", "--due", "yesterday"], 2, f"--due 'yesterday' {DUE_PAST}"),
        (["1", "x", "--due", "today 09:00"], 2, f"--due 'today 09:00' {DUE_PAST}"),
        (
            ["1", "x", "--due", "wed", "--at", "mon 15:00"],
            2,
            "give --due or --at, not both: a promise is a deliverable or a meeting",
        ),
        (
            ["1", "x"],
            2,
            "give --due WHEN for something to deliver, or --at WHEN for an appointment",
        ),
        (
            ["1", "x", "--due", "wed", "--where", "office"],
            2,
            "--where goes with an appointment (--at WHEN)",
        ),
        (["1", "  ", "--due", "wed"], 2, "say what was promised, e.g. 'send the quote'"),
        (
            ["Nobody", "x", "--due", "wed"],
            1,
            "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        ),
    ],
    ids=[
        "due-unparseable",
        "appointment-day-only",
        "appointment-iso-day",
        "appointment-past",
        "appointment-now",
        "due-yesterday",
        "due-past-time",
        "both",
        "neither",
        "where-without-at",
        "nothing-promised",
        "unknown-client",
    ],
)
def test_bad_add_changes_nothing(cli, snapshot, zhang, args, code, message):
    before = snapshot()
    assert_error(cli("promise", "add", *args), code, message)
    assert snapshot() == before


def test_add_for_an_archived_card_is_refused(cli, ok, snapshot, zhang):
    ok("archive", "1")
    before = snapshot()
    result = cli("promise", "add", "1", "x", "--due", "wed")
    assert_error(result, 3, "#1 张伟 is archived; unarchive it first")
    assert snapshot() == before


# ---- things that cannot have happened yet, or before the promise ----------------------------


def test_an_appointment_is_not_done_before_it_takes_place(cli, ok, snapshot, zhang):
    promise(ok, "1", "lunch", "--at", "today 12:00")
    before = snapshot()
    assert_error(
        cli("promise", "done", "1"),
        3,
        "appointment P1 is at 2026-11-20 12:00: mark it done once it has taken place, "
        "or move or cancel it",
    )
    assert snapshot() == before
    assert ok("promise", "done", "1", env=at("2026-11-20T13:30:00")).stdout.startswith(
        "Kept: promise P1"
    )


def test_a_promise_is_not_missed_before_its_time(cli, ok, snapshot, zhang):
    promise(ok, "1", "the quote", "--due", "tue")
    before = snapshot()
    assert_error(
        cli("promise", "missed", "1"),
        3,
        "promise P1 is due 2026-11-24 00:00, not yet missed; if you cannot keep it, move it "
        "and tell the client, or cancel it --by me",
    )
    assert snapshot() == before
    assert ok("promise", "missed", "1", env=at("2026-11-25T00:00:00")).stdout.startswith("Missed")


@pytest.mark.parametrize(
    ("args", "option"),
    [(["move", "1", "--to", "fri", "--told", "2020-01-01"], "--told"),
     (["done", "1", "--at", "2020-01-01"], "--at")],
)  # fmt: skip
def test_nothing_is_dated_before_the_promise_was_made(cli, ok, snapshot, zhang, args, option):
    promise(ok, "1", "the quote", "--due", "tue")
    before = snapshot()
    assert_error(
        cli("promise", *args),
        2,
        f"{option} '2020-01-01' is before the promise was made (2026-11-20 09:00)",
    )
    assert snapshot() == before


def test_a_weekday_in_told_means_the_last_such_day(ok, zhang):
    promise(ok, "1", "lunch", "--at", "fri 12:00", env=at("2026-11-16T08:00:00"))  # made Monday
    out = ok("promise", "move", "1", "--to", "sat 12:00", "--told", "tue").stdout
    assert out.endswith("polite move (told 84 h ahead)\n")  # Tue 17th 00:00 to Fri 20th 12:00


def test_a_move_to_the_same_time_is_refused_and_changes_nothing(cli, ok, snapshot, zhang):
    promise(ok, "1", "the quote", "--due", "fri")
    before = snapshot()
    assert_error(
        cli("promise", "move", "1", "--to", "fri"),
        3,
        "promise P1 is already due 2026-11-27 00:00; give a different time to --to",
    )
    assert snapshot() == before
