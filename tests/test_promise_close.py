"""Promises as a user sees them: `promise add|done|move|cancel|missed|list` and the keep-rate.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); `wed` is 2026-11-25 and `mon` is
2026-11-23. Times are stored in UTC: Wednesday 00:00 local is "2026-11-24 16:00" in the table.
"""

import csv
import io

import pytest

from helpers import NOW_UTC as MADE_UTC
from helpers import ZHANG, add, assert_error, at, keep_rate, promise
from helpers import promise_events as events
from helpers import promise_listing as listing
from helpers import promise_status as status

pytestmark = pytest.mark.usefixtures("migrated")

NOW = "2026-11-20T09:00:00"


# ---- helpers ------------------------------------------------------------------------------


# ---- add ----------------------------------------------------------------------------------


def test_add_a_deliverable_due_on_a_day(ok, query, zhang):
    result = ok("promise", "add", "张伟", "送报价单 quote", "--due", "wed")
    assert result.stdout == f"Promised #1 '送报价单 quote' for {ZHANG}, deliverable 2026-11-25\n"
    assert query(
        "SELECT client_id, what, kind, due_at, all_day, place, status, short_notice, made_at, "
        "closed_at FROM promise"
    ) == [
        (
            zhang,
            "送报价单 quote",
            "deliverable",
            "2026-11-24 16:00:00.000000",
            1,
            None,
            "open",
            0,
            MADE_UTC,
            None,
        )
    ]
    assert events(query, 1) == [
        ("made", MADE_UTC, "2026-11-24 16:00:00.000000", 1, None, None, 0, None)
    ]


def test_add_a_deliverable_due_at_a_time(ok, query, zhang):
    out = ok("promise", "add", "1", "call back", "--due", "today 17:00").stdout
    assert out == f"Promised #1 'call back' for {ZHANG}, deliverable 2026-11-20 17:00\n"
    assert query("SELECT due_at, all_day FROM promise") == [("2026-11-20 09:00:00.000000", 0)]


def test_add_an_appointment_with_a_place(ok, query, zhang):
    out = ok(
        "promise", "add", "1", "喝咖啡", "--at", "mon 15:00", "--where", "星巴克 国贸店"
    ).stdout
    assert out == (
        f"Promised #1 '喝咖啡' for {ZHANG}, appointment 2026-11-23 15:00 at 星巴克 国贸店\n"
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
    assert query("SELECT due_at, all_day FROM promise") == [("2026-11-19 16:00:00.000000", 1)]


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


# ---- done ---------------------------------------------------------------------------------


def test_done_on_time(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    result = ok("promise", "done", "1", env=at("2026-11-25T16:00:00"))
    assert result.stdout == f"Kept: #1 'the quote' for {ZHANG}, deliverable 2026-11-25\n"
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
    assert result.stdout == f"Kept late: #1 'the quote' for {ZHANG}, deliverable 2026-11-25\n"
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
    assert_error(cli("promise", "done", "99"), 1, "no promise #99; see `clientcard promise list`")
    assert_error(cli("promise", "done", "2"), 3, "promise #2 is already closed (kept)")
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
    message = f"promise #1 is already closed ({shown})"
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
        f"Moved #1 '喝咖啡' for {ZHANG}, appointment 2026-11-24 15:00 at 星巴克; "
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
        None,
        0,
        "客户开会",
    )


def test_a_short_notice_move_says_it_counts_against_the_keep_rate(ok, query, zhang):
    promise(ok, "1", "coffee", "--at", "today 15:00")
    result = ok("promise", "move", "1", "--to", "mon 15:00", env=at("2026-11-20T13:00:00"))
    assert result.stdout == (
        f"Moved #1 'coffee' for {ZHANG}, appointment 2026-11-23 15:00; "
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
    assert query("SELECT due_at, all_day FROM promise") == [("2026-11-24 16:00:00.000000", 1)]


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
    assert out.startswith(f"Moved #1 'the quote' for {ZHANG}, deliverable 2026-11-26 12:00; polite")
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
        (["9", "--to", "tue 15:00"], 1, "no promise #9; see `clientcard promise list`"),
        (["2", "--to", "tue 15:00"], 3, "promise #2 is already closed (kept)"),
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
    assert out == (
        f"Cancelled by client: #1 'coffee' for {ZHANG}, appointment 2026-11-23 15:00 at 星巴克\n"
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
        f"Cancelled by me: #1 'the quote' for {ZHANG}, deliverable 2026-11-25; "
        "counts against your keep-rate\n"
    )
    assert status(query, 1) == ("cancelled_by_me", 0, MADE_UTC)
    assert events(query, 1)[-1][5] == "me"
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_missed(ok, query, zhang):
    promise(ok, "1", "the quote", "--due", "wed")
    out = ok("promise", "missed", "1", env=at("2026-11-26T09:00:00")).stdout
    assert out == (
        f"Missed: #1 'the quote' for {ZHANG}, deliverable 2026-11-25; "
        "counts against your keep-rate\n"
    )
    assert status(query, 1) == ("missed", 0, "2026-11-26 01:00:00.000000")
    assert events(query, 1)[-1][:2] == ("missed", "2026-11-26 01:00:00.000000")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["cancel", "1", "--by", "them"], 2, "--by is client or me, not 'them'"),
        (["cancel", "1"], 2, "missing option '--by' (see `clientcard promise cancel --help`)"),
        (["cancel", "7", "--by", "me"], 1, "no promise #7; see `clientcard promise list`"),
        (["missed", "7"], 1, "no promise #7; see `clientcard promise list`"),
    ],
)
def test_bad_cancel_or_missed_changes_nothing(cli, ok, snapshot, zhang, args, code, message):
    promise(ok, "1", "the quote", "--due", "wed")
    before = snapshot()
    assert_error(cli("promise", *args), code, message)
    assert snapshot() == before


# ---- list and the keep-rate ----------------------------------------------------------------


@pytest.fixture
def book(ok) -> None:
    """Two cards, four promises: one kept, one cancelled by the client, two open."""
    add(ok, "张伟", "--company", "阿里", "--grade", "A")
    add(ok, "Bob", "--grade", "B")
    promise(ok, "张伟", "送报价单", "--due", "wed")
    promise(ok, "Bob", "lunch", "--at", "mon 12:00", "--where", "食堂")
    promise(ok, "张伟", "brochure", "--due", "today")
    promise(ok, "Bob", "call back", "--due", "sat")
    ok("promise", "done", "3")
    ok("promise", "cancel", "4", "--by", "client")


PROMISE_KEYS = [
    "id",
    "client_id",
    "client",
    "kind",
    "what",
    "due",
    "all_day",
    "where",
    "status",
    "overdue",
    "moves",
    "short_notice",
    "made_at",
    "closed_at",
]


def test_list_shows_open_promises_soonest_first(ok, book):
    rows = listing(ok)
    assert [list(r) for r in rows] == [PROMISE_KEYS] * 2
    assert rows == [
        {
            "id": 2,
            "client_id": 2,
            "client": "Bob",
            "kind": "appointment",
            "what": "lunch",
            "due": "2026-11-23T12:00:00+08:00",
            "all_day": False,
            "where": "食堂",
            "status": "open",
            "overdue": False,
            "moves": 0,
            "short_notice": False,
            "made_at": "2026-11-20T09:00:00+08:00",
            "closed_at": None,
        },
        {
            "id": 1,
            "client_id": 1,
            "client": "张伟",
            "kind": "deliverable",
            "what": "送报价单",
            "due": "2026-11-25",
            "all_day": True,
            "where": None,
            "status": "open",
            "overdue": False,
            "moves": 0,
            "short_notice": False,
            "made_at": "2026-11-20T09:00:00+08:00",
            "closed_at": None,
        },
    ]
    assert listing(ok, "--open") == rows


def test_list_all_and_by_client(ok, book):
    assert [(r["id"], r["status"]) for r in listing(ok, "--all")] == [
        (3, "kept"),
        (4, "cancelled_by_client"),
        (2, "open"),
        (1, "open"),
    ]
    assert [r["id"] for r in listing(ok, "张伟", "--all")] == [3, 1]
    assert [r["id"] for r in listing(ok, "Bob")] == [2]


def test_list_marks_overdue_promises(ok, book):
    rows = listing(ok, env=at("2026-11-26T00:00:00"))
    assert [(r["id"], r["overdue"]) for r in rows] == [(2, True), (1, True)]
    rows = listing(ok, env=at("2026-11-25T23:59:00"))
    assert [(r["id"], r["overdue"]) for r in rows] == [(2, True), (1, False)]


def test_list_table_with_the_keep_rate_footer(ok, book):
    out = [line.rstrip() for line in ok("promise", "list", "--all").stdout.splitlines()]
    assert out[0].split() == ["ID", "Due", "Client", "Kind", "What", "Where", "Status", "Moves"]
    assert [line.split()[0] for line in out[2:-1]] == ["3", "4", "2", "1"]
    assert out[2].split() == ["3", "2026-11-20", "张伟", "deliverable", "brochure", "kept", "0"]
    assert keep_rate(ok) == "100% (1 of 1 kept on time)"


def test_list_csv_and_tsv(ok, book):
    rows = list(csv.reader(io.StringIO(ok("promise", "list", "Bob", "-f", "csv").stdout)))
    assert rows[0] == PROMISE_KEYS
    assert rows[1] == [
        "2", "2", "Bob", "appointment", "lunch", "2026-11-23T12:00:00+08:00", "false", "食堂",
        "open", "false", "0", "false", "2026-11-20T09:00:00+08:00", "",
    ]  # fmt: skip
    tsv = ok("promise", "list", "Bob", "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == PROMISE_KEYS
    assert tsv[1].split("\t") == rows[1]


def test_no_promises(ok, zhang):
    assert ok("promise", "list").stdout.splitlines()[0].startswith("No open promises.")
    assert ok("promise", "list", "--all").stdout.splitlines()[0].startswith("No promises.")
    assert keep_rate(ok) == "no closed promises yet"
    assert listing(ok, "--all") == []


def test_list_for_an_unknown_client(cli, zhang):
    assert_error(
        cli("promise", "list", "Nobody"),
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
    )


# Each case: what happens to each of a few promises (all made on Friday, due Monday), then the
# keep-rate: kept on time / counted, where a client's cancellation is not counted and a
# short-notice move always counts and is never on time.
KEEP_RATES = [
    (["kept"], "100% (1 of 1 kept on time)"),
    (["kept_late"], "0% (0 of 1 kept on time)"),
    (["kept", "kept", "missed"], "67% (2 of 3 kept on time)"),
    (["kept", "kept_late", "cancel_me", "cancel_client"], "33% (1 of 3 kept on time)"),
    (["cancel_client", "cancel_client"], "no closed promises yet"),
    (["open", "polite_open"], "no closed promises yet"),
    (["short_open"], "0% (0 of 1 kept on time)"),
    (["short_kept", "kept"], "50% (1 of 2 kept on time)"),
    (["polite_kept", "kept", "missed", "open"], "67% (2 of 3 kept on time)"),
    (["short_cancel_client"], "0% (0 of 1 kept on time)"),
]

MONDAY_NOON = at("2026-11-23T12:00:00")
TUESDAY = at("2026-11-24T09:00:00")


def act(ok, pid: int, fate: str) -> None:
    if fate.startswith("short_"):  # told on Monday morning, the day it is due
        ok("promise", "move", str(pid), "--to", "fri", env=at("2026-11-23T08:00:00"))
    elif fate.startswith("polite_"):
        ok("promise", "move", str(pid), "--to", "tue", "--told", "now")
    fate = fate.split("_", 1)[1] if fate.startswith(("short_", "polite_")) else fate
    if fate == "kept":
        ok("promise", "done", str(pid), env=MONDAY_NOON)
    elif fate == "kept_late":
        ok("promise", "done", str(pid), env=TUESDAY)
    elif fate == "missed":
        ok("promise", "missed", str(pid), env=TUESDAY)
    elif fate.startswith("cancel_"):
        ok("promise", "cancel", str(pid), "--by", fate.removeprefix("cancel_"))


@pytest.mark.parametrize(("fates", "expected"), KEEP_RATES)
def test_keep_rate(ok, zhang, fates, expected):
    for i, fate in enumerate(fates, start=1):
        assert promise(ok, "1", f"promise {i}", "--due", "mon") == i
        act(ok, i, fate)
    assert keep_rate(ok, env=TUESDAY) == expected


def test_keep_rate_per_client(ok, book):
    ok("promise", "missed", "2", env=TUESDAY)
    assert keep_rate(ok, env=TUESDAY) == "50% (1 of 2 kept on time)"
    assert keep_rate(ok, "张伟", env=TUESDAY) == "100% (1 of 1 kept on time)"
    assert keep_rate(ok, "Bob", env=TUESDAY) == "0% (0 of 1 kept on time)"


# ---- things that cannot have happened yet, or before the promise ----------------------------


def test_an_appointment_is_not_done_before_it_takes_place(cli, ok, snapshot, zhang):
    promise(ok, "1", "lunch", "--at", "today 12:00")
    before = snapshot()
    assert_error(
        cli("promise", "done", "1"),
        3,
        "appointment #1 is at 2026-11-20 12:00: mark it done once it has taken place, "
        "or move or cancel it",
    )
    assert snapshot() == before
    assert ok("promise", "done", "1", env=at("2026-11-20T13:30:00")).stdout.startswith("Kept: #1")


def test_a_promise_is_not_missed_before_its_time(cli, ok, snapshot, zhang):
    promise(ok, "1", "the quote", "--due", "tue")
    before = snapshot()
    assert_error(
        cli("promise", "missed", "1"),
        3,
        "promise #1 is due 2026-11-24 00:00, not yet missed; if you cannot keep it, move it "
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
        "promise #1 is already due 2026-11-27 00:00; give a different time to --to",
    )
    assert snapshot() == before
