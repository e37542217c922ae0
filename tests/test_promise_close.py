"""What becomes of a promise: `promise done|move|cancel|missed`, notice and short notice.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); `wed` is 2026-11-25 and `mon` is
2026-11-23. Times are stored in UTC: Monday 15:00 local is "2026-11-23 07:00" in the table; a
promise due all day is its date (`due_on`), with that date's midnight UTC as its `due_at`.
"""

# Issue 12 point 4: promise messages name "promise P3" and "card #1" (updated below).
import pytest

from helpers import NOW_UTC as MADE_UTC
from helpers import ZHANG, assert_error, at, keep_rate, promise
from helpers import promise_events as events
from helpers import promise_listing as listing
from helpers import promise_status as status

pytestmark = pytest.mark.usefixtures("migrated")


# ---- done ---------------------------------------------------------------------------------


def test_done_on_time(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    result = ok("promise", "done", "1", env=at("2026-11-25T16:00:00"))
    assert (
        result.stdout == f"Kept: promise P1 'the quote' for card {ZHANG}, deliverable 2026-11-25\n"
    )
    assert status(query, 1) == ("kept", 0, "2026-11-25 08:00:00.000000")
    assert events(query, 1)[-1] == (
        "kept",
        "2026-11-25 08:00:00.000000",
        None,
        None,
        None,
        None,
        0,
        None,
    )


def test_done_late(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    result = ok("promise", "done", "1", env=at("2026-11-26T10:00:00"))
    assert (
        result.stdout
        == f"Kept late: promise P1 'the quote' for card {ZHANG}, deliverable 2026-11-25\n"
    )
    assert status(query, 1) == ("kept_late", 0, "2026-11-26 02:00:00.000000")
    assert events(query, 1)[-1][:2] == ("kept_late", "2026-11-26 02:00:00.000000")


DEADLINES = [
    # due on a day: until the end of that local day
    (["--due", "wed"], "2026-11-25 23:59:59", "kept"),
    (["--due", "wed"], "2026-11-26 00:00", "kept_late"),
    (["--due", "wed"], "2026-11-26", "kept_late"),  # "done on Thursday" is late
    (["--due", "wed"], "2026-11-25", "kept"),
    (["--due", "wed"], "2026-11-21", "kept"),  # early
    # due at a time: by that time
    (["--due", "wed 17:00"], "2026-11-25 17:00", "kept"),
    (["--due", "wed 17:00"], "2026-11-25 17:01", "kept_late"),
    # an appointment: kept when marked done by the end of its day
    (["--at", "wed 15:00"], "2026-11-25 15:00", "kept"),
    (["--at", "wed 15:00"], "2026-11-25 23:59", "kept"),
    (["--at", "wed 15:00"], "2026-11-26 00:00", "kept_late"),
    (["--at", "wed 15:00"], "2026-11-26", "kept_late"),
]


def test_done_deadlines(ok, query, zhang):
    for i, (due, done_at, expected) in enumerate(DEADLINES, start=1):
        assert promise(ok, "1", f"promise {i}", *due) == i
        ok("promise", "done", str(i), "--at", done_at, env=at("2026-11-27T09:00:00"))
        assert status(query, i)[0] == expected, (due, done_at)


def test_done_at_records_when_it_was_kept(ok, query, zhang):
    promise(ok, "1", "x", "--due", "wed")
    ok("promise", "done", "1", "--at", "yesterday 18:30", env=at("2026-11-26T09:00:00"))
    assert status(query, 1) == ("kept", 0, "2026-11-25 10:30:00.000000")


def test_done_bad_input_changes_nothing(cli, ok, snapshot, zhang):
    promise(ok, "1", "x", "--due", "wed")
    promise(ok, "1", "y", "--due", "thu")
    ok("promise", "done", "2")
    before = snapshot()
    assert_error(cli("promise", "done", "99"), 1, "no promise P99; see `clientcard promise list`")
    assert_error(cli("promise", "done", "2"), 3, "promise P2 is already closed (kept)")
    assert_error(
        cli("promise", "done", "1", "--at", "10:00"),
        2,
        "--at '10:00' is in the future; it must be now or earlier",
    )
    assert_error(
        cli("promise", "done", "1", "--at", "blorp"),
        2,
        cli("promise", "add", "1", "x", "--due", "blorp").stderr.removeprefix("clientcard: ")[:-1],
    )
    result = cli("promise", "done", "x1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.count("\n") == 1
    assert snapshot() == before


@pytest.mark.parametrize(
    ("close", "shown"),
    [
        (["done"], "kept"),
        (["missed"], "missed"),
        (["cancel", "--by", "client"], "cancelled by client"),
        (["cancel", "--by", "me"], "cancelled by me"),
    ],
)
def test_a_closed_promise_cannot_be_closed_or_moved_again(cli, ok, snapshot, zhang, close, shown):
    promise(ok, "1", "x", "--due", "today")
    # missed only once its time is over (Saturday); the others at once
    when = at("2026-11-21T09:00:00") if close == ["missed"] else None
    ok("promise", close[0], "1", *close[1:], env=when)
    before = snapshot()
    message = f"promise P1 is already closed ({shown})"
    for again in (
        ["done"],
        ["missed"],
        ["cancel", "--by", "me"],
        ["move", "--to", "thu"],
    ):
        assert_error(cli("promise", again[0], "1", *again[1:]), 3, message)
    assert snapshot() == before


# ---- move ---------------------------------------------------------------------------------


def test_a_polite_move(ok, query, zhang):
    promise(ok, "1", "喝咖啡", "--at", "mon 15:00", "--where", "星巴克")
    result = ok("promise", "move", "1", "--to", "tue 15:00", "--reason", "客户开会")
    assert result.stdout == (
        f"Moved: promise P1 '喝咖啡' for card {ZHANG}, appointment 2026-11-24 15:00 at 星巴克; "
        "polite move (told 78 h ahead)\n"
    )
    assert query("SELECT due_at, all_day, short_notice, status FROM promise") == [
        ("2026-11-24 07:00:00.000000", 0, 0, "open")
    ]
    assert events(query, 1)[-1] == (
        "moved",
        MADE_UTC,
        "2026-11-24 07:00:00.000000",
        0,
        MADE_UTC,
        "me",  # issue 11: a move records whose it was (me, or the client with --by-client)
        0,
        "客户开会",
    )


def test_a_short_notice_move_says_it_counts_against_the_keep_rate(ok, query, zhang):
    promise(ok, "1", "coffee", "--at", "today 15:00")
    result = ok("promise", "move", "1", "--to", "mon 15:00", env=at("2026-11-20T13:00:00"))
    assert result.stdout == (
        f"Moved: promise P1 'coffee' for card {ZHANG}, appointment 2026-11-23 15:00; "
        "short notice (told 2 h ahead): counts against your keep-rate\n"
    )
    assert status(query, 1) == ("open", 1, None)
    assert events(query, 1)[-1][6] == 1
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_a_move_after_the_time_is_short_notice(ok, query, zhang):
    promise(ok, "1", "coffee", "--at", "today 10:00")
    result = ok("promise", "move", "1", "--to", "mon 10:00", env=at("2026-11-20T13:00:00"))
    assert result.stdout.endswith(
        "short notice (told 3 h after the time): counts against your keep-rate\n"
    )
    assert status(query, 1) == ("open", 1, None)


@pytest.mark.parametrize(
    ("told", "short", "verdict"),
    [
        ("2026-11-22 15:00", False, "polite move (told 24 h ahead)"),  # exactly the window
        ("2026-11-22 14:59", False, "polite move (told 24 h ahead)"),
        ("2026-11-22 15:01", True, "short notice (told 24 h ahead): counts against your keep-rate"),
        ("2026-11-23 09:00", True, "short notice (told 6 h ahead): counts against your keep-rate"),
    ],
)
def test_notice_is_measured_against_the_appointment_time(ok, query, zhang, told, short, verdict):
    promise(ok, "1", "coffee", "--at", "mon 15:00")
    out = ok(
        "promise", "move", "1", "--to", "wed 15:00", "--told", told, env=at("2026-11-23T10:00:00")
    ).stdout
    assert out.endswith(f"; {verdict}\n")
    assert status(query, 1)[1] == int(short)
    assert events(query, 1)[-1][6] == int(short)


@pytest.mark.parametrize(
    ("told", "short"),
    [
        ("2026-11-22 00:00", False),  # 24 h before Monday 00:00
        ("2026-11-21 18:00", False),
        ("2026-11-22 00:01", True),
        ("2026-11-22 23:00", True),  # the evening before: short notice
        ("2026-11-23 08:00", True),  # on the day
    ],
)
def test_notice_for_a_deliverable_due_on_a_day_counts_from_that_day_start(
    ok, query, zhang, told, short
):
    promise(ok, "1", "the quote", "--due", "mon")
    ok("promise", "move", "1", "--to", "wed", "--told", told, env=at("2026-11-23T09:00:00"))
    assert status(query, 1)[1] == int(short)


def test_notice_for_a_deliverable_due_at_a_time_counts_from_that_time(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "mon 17:00")
    ok(
        "promise",
        "move",
        "1",
        "--to",
        "wed",
        "--told",
        "2026-11-22 17:00",
        env=at("2026-11-23T09:00:00"),
    )
    assert status(query, 1)[1] == 0
    # Issue 11: an all-day promise's due_at is its date's midnight UTC, the date is due_on.
    assert query("SELECT due_at, all_day, due_on FROM promise") == [
        ("2026-11-25 00:00:00.000000", 1, "2026-11-25")
    ]


def test_a_short_notice_move_is_flagged_forever(ok, query, zhang):
    promise(ok, "1", "coffee", "--at", "today 15:00")
    ok("promise", "move", "1", "--to", "mon 15:00", env=at("2026-11-20T14:00:00"))
    out = ok("promise", "move", "1", "--to", "fri 15:00", env=at("2026-11-20T15:00:00")).stdout
    assert out.endswith("polite move (told 72 h ahead)\n")
    assert status(query, 1)[1] == 1
    assert [e[6] for e in events(query, 1)] == [0, 1, 0]
    [row] = listing(ok, env=at("2026-11-20T15:00:00"))
    assert (row["moves"], row["short_notice"], row["due"]) == (
        2,
        True,
        "2026-11-27T15:00:00+08:00",
    )
    ok("promise", "done", "1", env=at("2026-11-27T16:00:00"))
    assert status(query, 1)[:2] == ("kept", 1)
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_a_move_can_change_a_deliverable_day_to_a_time(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    out = ok("promise", "move", "1", "--to", "thu 12:00").stdout
    assert out.startswith(
        f"Moved: promise P1 'the quote' for card {ZHANG}, deliverable 2026-11-26 12:00; polite"
    )
    assert query("SELECT all_day FROM promise") == [(0,)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["1", "--to", "tue"],
            2,
            "an appointment needs a time, e.g. --to 'fri 15:00'; for a deliverable use --due",
        ),
        (["1", "--to", "08:00"], 2, "--to '08:00' is already past; give a later time"),
        (
            ["1", "--to", "tue 15:00", "--told", "10:00"],
            2,
            "--told '10:00' is in the future; it must be now or earlier",
        ),
        (["9", "--to", "tue 15:00"], 1, "no promise P9; see `clientcard promise list`"),
        (["2", "--to", "tue 15:00"], 3, "promise P2 is already closed (kept)"),
        (["1"], 2, "missing option '--to' (see `clientcard promise move --help`)"),
    ],
    ids=["appointment-day-only", "past", "told-in-the-future", "unknown", "closed", "no-to"],
)
def test_bad_move_changes_nothing(cli, ok, snapshot, zhang, args, code, message):
    promise(ok, "1", "coffee", "--at", "mon 15:00")
    promise(ok, "1", "quote", "--due", "mon")
    ok("promise", "done", "2")
    before = snapshot()
    assert_error(cli("promise", "move", *args), code, message)
    assert snapshot() == before


# ---- cancel and missed --------------------------------------------------------------------


def test_cancel_by_the_client(ok, query, zhang):
    promise(ok, "1", "coffee", "--at", "mon 15:00", "--where", "星巴克")
    out = ok("promise", "cancel", "1", "--by", "client", "--reason", "客户出差").stdout
    # Issue 11: the client's cancellation says to thank them for telling you.
    assert out == (
        f"Cancelled by client: promise P1 'coffee' for card {ZHANG}, appointment 2026-11-23 15:00 at 星巴克; "  # noqa: E501
        "thank them for telling you (it does not count against your keep-rate)\n"
    )
    assert status(query, 1) == ("cancelled_by_client", 0, MADE_UTC)
    assert events(query, 1)[-1] == (
        "cancelled",
        MADE_UTC,
        None,
        None,
        None,
        "client",
        0,
        "客户出差",
    )
    assert keep_rate(ok) == "no closed promises yet"


def test_cancel_by_me(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    out = ok("promise", "cancel", "1", "--by", " ME ").stdout
    assert out == (
        f"Cancelled by me: promise P1 'the quote' for card {ZHANG}, deliverable 2026-11-25; "
        "counts against your keep-rate\n"
    )
    assert status(query, 1) == ("cancelled_by_me", 0, MADE_UTC)
    assert events(query, 1)[-1][5] == "me"
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_missed(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    out = ok("promise", "missed", "1", env=at("2026-11-26T09:00:00")).stdout
    assert out == (
        f"Missed: promise P1 'the quote' for card {ZHANG}, deliverable 2026-11-25; "
        "counts against your keep-rate\n"
    )
    assert status(query, 1) == ("missed", 0, "2026-11-26 01:00:00.000000")
    assert events(query, 1)[-1][:2] == ("missed", "2026-11-26 01:00:00.000000")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["cancel", "1", "--by", "them"], 2, "--by is client or me, not 'them'"),
        (["cancel", "1"], 2, "missing option '--by' (see `clientcard promise cancel --help`)"),
        (["cancel", "7", "--by", "me"], 1, "no promise P7; see `clientcard promise list`"),
        (["missed", "7"], 1, "no promise P7; see `clientcard promise list`"),
    ],
)
def test_bad_cancel_or_missed_changes_nothing(cli, ok, snapshot, zhang, args, code, message):
    promise(ok, "1", "the quote", "--due", "wed")
    before = snapshot()
    assert_error(cli("promise", *args), code, message)
    assert snapshot() == before
