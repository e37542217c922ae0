"""Complaints as a user sees them: `complaint add|step|resolve|reopen|list|show`, their targets,
and their place at the top of `due`.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8), stored as 01:00 UTC. The default
targets (hours from receipt to the first response / to the resolution): urgent 4 / 24, high
24 / 72, normal 48 / 168, low 120 / 336. Urgency in `due`: complaint 1000 + severity (urgent 300,
high 200, normal 100, low 0) + grade (A 50 ... F 0) + overdue (500 + 5 a day).
"""

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest

from clientcard.domain.settings import Settings
from clientcard.store.db import transaction
from helpers import NOW_UTC, ZHANG, add, assert_error, at, complaint, due
from helpers import complaint_listing as listing
from helpers import complaint_row as row
from helpers import complaint_steps as steps

pytestmark = pytest.mark.usefixtures("migrated")

LIST_KEYS = [
    "id",
    "client_id",
    "client",
    "severity",
    "what",
    "status",
    "received_at",
    "first_response_at",
    "resolved_at",
    "response_due",
    "resolve_due",
    "past_target",
    "satisfaction",
]


# ---- helpers ------------------------------------------------------------------------------


# ---- add ----------------------------------------------------------------------------------


def test_add_prints_the_first_response_target(ok, query, zhang):
    result = ok("complaint", "add", "张伟", "货到晚了三天", "--severity", "urgent")
    assert result.stdout == f"Complaint #1 from {ZHANG} (urgent): answer by 2026-11-20 13:00\n"
    assert row(query) == (zhang, "货到晚了三天", "urgent", "open", NOW_UTC, None, None, None, None)
    assert steps(query) == [("received", NOW_UTC, "货到晚了三天", None)]


@pytest.mark.parametrize(
    ("options", "severity", "answer_by"),
    [
        ([], "normal", "2026-11-22 09:00"),
        (["--severity", "low"], "low", "2026-11-25 09:00"),
        (["-s", "HIGH"], "high", "2026-11-21 09:00"),
        (["--severity", " Normal "], "normal", "2026-11-22 09:00"),
    ],
)
def test_severity_sets_the_target(ok, query, zhang, options, severity, answer_by):
    out = ok("complaint", "add", "1", "wrong invoice", *options).stdout
    assert out == f"Complaint #1 from {ZHANG} ({severity}): answer by {answer_by}\n"
    assert row(query)[2] == severity


def test_add_quiet_prints_only_the_id(ok, zhang):
    assert ok("complaint", "add", "1", "a", "-q").stdout == "1\n"
    assert ok("complaint", "add", "1", "b", "--quiet").stdout == "2\n"


def test_add_received_earlier(ok, query, zhang):
    out = ok("complaint", "add", "1", "wrong invoice", "--at", "yesterday 17:00").stdout
    assert out == f"Complaint #1 from {ZHANG} (normal): answer by 2026-11-21 17:00\n"
    assert row(query)[4] == "2026-11-19 09:00:00.000000"
    assert steps(query) == [("received", "2026-11-19 09:00:00.000000", "wrong invoice", None)]


def test_add_received_so_long_ago_that_the_answer_is_already_late(ok, zhang):
    out = ok("complaint", "add", "1", "broken", "-s", "urgent", "--at", "2026-11-18 08:00").stdout
    assert out == (
        f"Complaint #1 from {ZHANG} (urgent): answer by 2026-11-18 12:00 "
        "(past by 1 d 21 h: answer now)\n"
    )


def test_cjk_and_markup_are_kept_as_typed(ok, zhang):
    what = "客户说 [bold]发票[/bold] 写错了 很生气"
    complaint(ok, "张伟", what)
    assert listing(ok)[0]["what"] == what
    assert what in ok("complaint", "show", "1").stdout


DATE_HELP = (
    "accepted: 2026-12-01, 2026-12-01T15:00, now, today, tomorrow, yesterday, mon..sun, "
    "sod/eod/sow/eow/som/eom/soy/eoy, +3d 3d -2d 4h 30min 2w 1mo 1y, today+3d, eow-1d, 15:00, "
    "3pm, fri 15:00, tomorrow 9am, 11/12, 'dec 24'"
)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["1", "x", "--severity", "critical"],
            2,
            "unknown severity 'critical'; a severity is one of low, normal, high, urgent",
        ),
        (
            ["1", "x", "-s", ""],
            2,
            "unknown severity ''; a severity is one of low, normal, high, urgent",
        ),
        (["1", "  "], 2, "say what the complaint is, e.g. 'the delivery came three days late'"),
        (["1", ""], 2, "say what the complaint is, e.g. 'the delivery came three days late'"),
        (
            ["1", "x", "--at", "10:00"],
            2,
            "--at '10:00' is in the future; it must be now or earlier",
        ),
        (
            ["1", "x", "--at", "tomorrow"],
            2,
            "--at 'tomorrow' is in the future; it must be now or earlier",
        ),
        (["1", "x", "--at", "blorp"], 2, f"cannot read 'blorp' as a date; {DATE_HELP}"),
        (["Nobody", "x"], 1, "no card matches 'Nobody'; try `clientcard list --search Nobody`"),
    ],
    ids=[
        "unknown-severity",
        "empty-severity",
        "blank-what",
        "empty-what",
        "future-time",
        "future-day",
        "unreadable-date",
        "unknown-client",
    ],
)
def test_bad_add_changes_nothing(cli, snapshot, zhang, args, code, message):
    before = snapshot()
    assert_error(cli("complaint", "add", *args), code, message)
    assert snapshot() == before


def test_add_for_an_archived_card_is_refused(cli, ok, snapshot, zhang):
    ok("archive", "1")
    before = snapshot()
    assert_error(cli("complaint", "add", "1", "x"), 3, "#1 张伟 is archived; unarchive it first")
    assert snapshot() == before


# ---- step ---------------------------------------------------------------------------------


def test_the_first_step_is_the_first_response(ok, query, zhang):
    complaint(ok, "1", "wrong invoice")
    first = ok("complaint", "step", "1", "打电话道歉", env=at("2026-11-20T11:30:00"))
    assert first.stdout == (
        f"Step on complaint #1 from {ZHANG}: first response 2 h after receipt "
        "(target 48 h, on time); resolve by 2026-11-27 09:00\n"
    )
    second = ok("complaint", "step", "1", "sent a new invoice", env=at("2026-11-21T10:00:00"))
    assert second.stdout == (
        f"Step on complaint #1 from {ZHANG}: step 1 d 1 h after receipt; "
        "resolve by 2026-11-27 09:00\n"
    )
    assert row(query)[3:6] == ("open", NOW_UTC, "2026-11-20 03:30:00.000000")
    assert steps(query) == [
        ("received", NOW_UTC, "wrong invoice", None),
        ("step", "2026-11-20 03:30:00.000000", "打电话道歉", None),
        ("step", "2026-11-21 02:00:00.000000", "sent a new invoice", None),
    ]


def test_a_late_first_response_says_by_how_much(ok, zhang):
    complaint(ok, "1", "broken", "-s", "urgent")
    out = ok("complaint", "step", "1", "called", env=at("2026-11-20T14:15:00")).stdout
    assert out == (
        f"Step on complaint #1 from {ZHANG}: first response 5 h after receipt "
        "(target 4 h, late by 1 h); resolve by 2026-11-21 09:00\n"
    )


def test_a_step_after_the_resolution_target_says_so(ok, zhang):
    complaint(ok, "1", "broken", "-s", "urgent")
    out = ok("complaint", "step", "1", "called", env=at("2026-11-22T09:00:00")).stdout
    assert out == (
        f"Step on complaint #1 from {ZHANG}: first response 2 d after receipt "
        "(target 4 h, late by 1 d 20 h); past the target (2026-11-21 09:00) by 1 d: resolve now\n"
    )


def test_a_step_recorded_later_but_dated_earlier_becomes_the_first_response(ok, query, zhang):
    complaint(ok, "1", "wrong invoice")
    ok("complaint", "step", "1", "e-mailed", env=at("2026-11-20T15:00:00"))
    out = ok(
        "complaint", "step", "1", "called first", "--at", "10:00", env=at("2026-11-20T16:00:00")
    ).stdout
    assert "first response 1 h after receipt" in out
    assert row(query)[5] == "2026-11-20 02:00:00.000000"
    assert [s[2] for s in steps(query)] == ["wrong invoice", "e-mailed", "called first"]


def test_bad_steps_change_nothing(cli, ok, snapshot, zhang):
    complaint(ok, "1", "open one", "--at", "08:00")
    complaint(ok, "1", "closed one")
    ok("complaint", "resolve", "2", "--result", "refunded")
    before = snapshot()
    assert_error(
        cli("complaint", "step", "99", "x"),
        1,
        "no complaint #99; see `clientcard complaint list --all`",
    )
    assert_error(
        cli("complaint", "step", "2", "x"),
        3,
        "complaint #2 is resolved; reopen it first (`clientcard complaint reopen 2`)",
    )
    assert_error(
        cli("complaint", "step", "1", " "), 2, "say what was done, e.g. 'called and apologised'"
    )
    assert_error(
        cli("complaint", "step", "1", "x", "--at", "07:59"),
        2,
        "--at '07:59' is before the complaint was received (2026-11-20 08:00)",
    )
    assert_error(
        cli("complaint", "step", "1", "x", "--at", "09:01"),
        2,
        "--at '09:01' is in the future; it must be now or earlier",
    )
    result = cli("complaint", "step", "x1", "called")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.count("\n") == 1
    assert snapshot() == before


# ---- resolve ------------------------------------------------------------------------------


def test_resolve_with_the_result_and_satisfaction(ok, query, zhang):
    complaint(ok, "1", "货到晚了三天")
    ok("complaint", "step", "1", "道歉", env=at("2026-11-20T11:30:00"))
    result = ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "换了新货",
        "--satisfaction",
        "4",
        env=at("2026-11-21T10:00:00"),
    )
    assert result.stdout == (
        f"Resolved complaint #1 from {ZHANG} 1 d 1 h after receipt (target 168 h, on time); "
        "satisfaction 4/5\n"
    )
    assert row(query) == (
        zhang,
        "货到晚了三天",
        "normal",
        "resolved",
        NOW_UTC,
        "2026-11-20 03:30:00.000000",
        "2026-11-21 02:00:00.000000",
        "换了新货",
        4,
    )
    assert steps(query) == [
        ("received", NOW_UTC, "货到晚了三天", None),
        ("step", "2026-11-20 03:30:00.000000", "道歉", None),
        ("resolved", "2026-11-21 02:00:00.000000", "换了新货", 4),
    ]


def test_resolving_at_once_is_the_first_response(ok, query, zhang):
    complaint(ok, "1", "wrong invoice")
    out = ok("complaint", "resolve", "1", "--result", "new invoice", env=at("2026-11-20T10:00:00"))
    assert out.stdout == (
        f"Resolved complaint #1 from {ZHANG} 1 h after receipt (target 168 h, on time)\n"
    )
    assert row(query)[5:9] == (
        "2026-11-20 02:00:00.000000",
        "2026-11-20 02:00:00.000000",
        "new invoice",
        None,
    )


def test_resolved_late(ok, zhang):
    complaint(ok, "1", "broken", "-s", "urgent")
    late = at("2026-11-22T09:00:00")
    ok("complaint", "step", "1", "called", "--at", "2026-11-20 10:00", env=late)
    out = ok("complaint", "resolve", "1", "--result", "repaired", env=at("2026-11-22T09:00:00"))
    assert out.stdout == (
        f"Resolved complaint #1 from {ZHANG} 2 d after receipt (target 24 h, late by 1 d)\n"
    )


def test_resolve_at_an_earlier_time(ok, query, zhang):
    complaint(ok, "1", "wrong invoice")
    ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "fixed",
        "--at",
        "yesterday 18:00",
        env=at("2026-11-21T09:00:00"),
    )
    assert row(query)[6] == "2026-11-20 10:00:00.000000"


@pytest.mark.parametrize("value", ["7", "0", "-1", "abc", "4.5", "", "٣", "五"])
def test_satisfaction_is_a_whole_number_from_1_to_5(cli, ok, snapshot, zhang, value):
    complaint(ok, "1", "x")
    before = snapshot()
    result = cli("complaint", "resolve", "1", "--result", "done", "--satisfaction", value)
    assert_error(result, 2, f"--satisfaction must be a whole number from 1 to 5, not {value!r}")
    assert snapshot() == before


def test_bad_resolves_change_nothing(cli, ok, snapshot, zhang):
    complaint(ok, "1", "x", "--at", "08:00")
    ok("complaint", "step", "1", "called", "--at", "08:30")
    complaint(ok, "1", "y")
    ok("complaint", "resolve", "2", "--result", "refunded")
    before = snapshot()
    assert_error(
        cli("complaint", "resolve", "9", "--result", "x"),
        1,
        "no complaint #9; see `clientcard complaint list --all`",
    )
    assert_error(
        cli("complaint", "resolve", "2", "--result", "again"),
        3,
        "complaint #2 is already resolved (2026-11-20 09:00)",
    )
    assert_error(
        cli("complaint", "resolve", "1", "--result", "  "),
        2,
        "say how it was resolved, e.g. --result 'replaced the unit'",
    )
    assert_error(
        cli("complaint", "resolve", "1"),
        2,
        "missing option '--result' (see `clientcard complaint resolve --help`)",
    )
    assert_error(
        cli("complaint", "resolve", "1", "--result", "x", "--at", "08:15"),
        2,
        "--at '08:15' is before its last step (2026-11-20 08:30)",
    )
    assert_error(
        cli("complaint", "resolve", "1", "--result", "x", "--at", "tomorrow"),
        2,
        "--at 'tomorrow' is in the future; it must be now or earlier",
    )
    assert snapshot() == before


# ---- reopen -------------------------------------------------------------------------------


def test_reopen_clears_the_resolution_and_keeps_every_step(ok, query, zhang):
    complaint(ok, "1", "货到晚了三天")
    ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "换了新货",
        "--satisfaction",
        "2",
        env=at("2026-11-21T10:00:00"),
    )
    out = ok("complaint", "reopen", "1", "--reason", "还是坏的", env=at("2026-11-22T09:00:00"))
    assert out.stdout == f"Reopened complaint #1 from {ZHANG}: resolve by 2026-11-27 09:00\n"
    assert row(query) == (
        zhang,
        "货到晚了三天",
        "normal",
        "open",
        NOW_UTC,
        "2026-11-21 02:00:00.000000",  # the resolution answered the client: that stays
        None,
        None,
        None,
    )
    assert steps(query) == [
        ("received", NOW_UTC, "货到晚了三天", None),
        ("resolved", "2026-11-21 02:00:00.000000", "换了新货", 2),
        ("reopened", "2026-11-22 01:00:00.000000", "还是坏的", None),
    ]
    # handled again and resolved a second time: both resolutions stay in the timeline
    ok("complaint", "step", "1", "上门维修", env=at("2026-11-23T09:00:00"))
    ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "修好了",
        "--satisfaction",
        "5",
        env=at("2026-11-23T12:00:00"),
    )
    assert [s[0] for s in steps(query)] == ["received", "resolved", "reopened", "step", "resolved"]
    assert row(query)[3:] == (
        "resolved",
        NOW_UTC,
        "2026-11-21 02:00:00.000000",
        "2026-11-23 04:00:00.000000",
        "修好了",
        5,
    )


def test_a_reopened_complaint_is_measured_from_its_receipt(ok, zhang):
    complaint(ok, "1", "broken", "-s", "urgent")
    ok("complaint", "resolve", "1", "--result", "swapped", env=at("2026-11-20T10:00:00"))
    out = ok("complaint", "reopen", "1", env=at("2026-11-22T09:00:00")).stdout
    assert out == (
        f"Reopened complaint #1 from {ZHANG}: past the target (2026-11-21 09:00) by 1 d: "
        "resolve now\n"
    )
    [item] = due(ok, env=at("2026-11-22T09:00:00"))
    assert item["flags"] == ["past_resolve_target"]
    assert item["reason"] == "urgent, past the resolution target by 1 d"


def test_no_step_before_the_reopening(cli, ok, snapshot, zhang):
    complaint(ok, "1", "x")
    ok("complaint", "resolve", "1", "--result", "done", env=at("2026-11-20T10:00:00"))
    ok("complaint", "reopen", "1", env=at("2026-11-20T12:00:00"))
    before = snapshot()
    assert_error(
        cli("complaint", "step", "1", "x", "--at", "11:00", env=at("2026-11-20T13:00:00")),
        2,
        "--at '11:00' is before the complaint was reopened (2026-11-20 12:00)",
    )
    assert snapshot() == before


def test_bad_reopens_change_nothing(cli, ok, snapshot, zhang):
    complaint(ok, "1", "x")
    before = snapshot()
    assert_error(
        cli("complaint", "reopen", "1"),
        3,
        "complaint #1 is open; only a resolved complaint is reopened",
    )
    assert_error(
        cli("complaint", "reopen", "2"), 1, "no complaint #2; see `clientcard complaint list --all`"
    )
    assert snapshot() == before


# ---- list ---------------------------------------------------------------------------------


@pytest.fixture
def three(ok, zhang) -> None:
    """Three complaints for 张伟 and one for 李娜 (grade F); #2 is resolved."""
    add(ok, "李娜", "--grade", "F")
    complaint(ok, "1", "wrong invoice", "--at", "2026-11-19 08:00")  # 1
    complaint(ok, "1", "rude driver", "-s", "high")  # 2
    ok("complaint", "resolve", "2", "--result", "apologised", "--satisfaction", "3")
    complaint(ok, "2", "发错了颜色", "-s", "low", "--at", "2026-11-10")  # 3: answer by 11-15
    complaint(ok, "1", "broken", "-s", "urgent")  # 4


def test_list_shows_open_complaints_most_urgent_first(ok, three):
    # #3: low, past its response target: 1000 + 0 + 0 + 500 + 5 x 5 days = 1525;
    # #4: urgent 1350; #1: normal 1150. #2 is resolved.
    rows = listing(ok)
    assert [r["id"] for r in rows] == [3, 4, 1]
    assert all(list(r) == LIST_KEYS for r in rows)
    assert rows[0] == {
        "id": 3,
        "client_id": 2,
        "client": "李娜",
        "severity": "low",
        "what": "发错了颜色",
        "status": "open",
        "received_at": "2026-11-10T00:00:00+08:00",
        "first_response_at": None,
        "resolved_at": None,
        "response_due": "2026-11-15T00:00:00+08:00",
        "resolve_due": "2026-11-24T00:00:00+08:00",
        "past_target": "response",
        "satisfaction": None,
    }
    assert [r["past_target"] for r in rows] == ["response", None, None]


def test_list_all_puts_resolved_ones_last(ok, three):
    rows = listing(ok, "--all")
    assert [(r["id"], r["status"]) for r in rows] == [
        (3, "open"),
        (4, "open"),
        (1, "open"),
        (2, "resolved"),
    ]
    assert rows[3] | {} == {
        "id": 2,
        "client_id": 1,
        "client": "张伟",
        "severity": "high",
        "what": "rude driver",
        "status": "resolved",
        "received_at": "2026-11-20T09:00:00+08:00",
        "first_response_at": "2026-11-20T09:00:00+08:00",
        "resolved_at": "2026-11-20T09:00:00+08:00",
        "response_due": "2026-11-21T09:00:00+08:00",
        "resolve_due": "2026-11-23T09:00:00+08:00",
        "past_target": None,
        "satisfaction": 3,
    }
    assert listing(ok, "--all") == listing(ok, "--open", "--all")
    assert [r["id"] for r in listing(ok, "--all", "--open")] == [3, 4, 1]


def test_list_of_one_card(ok, three):
    assert [r["id"] for r in listing(ok, "张伟")] == [4, 1]
    assert [r["id"] for r in listing(ok, "2", "--all")] == [3]


def test_list_csv(ok, three):
    out = ok("complaint", "list", "--format", "csv").stdout
    records = list(csv.reader(io.StringIO(out)))
    assert records[0] == LIST_KEYS
    assert records[1] == [
        "3",
        "2",
        "李娜",
        "low",
        "发错了颜色",
        "open",
        "2026-11-10T00:00:00+08:00",
        "",
        "",
        "2026-11-15T00:00:00+08:00",
        "2026-11-24T00:00:00+08:00",
        "response",
        "",
    ]


def test_list_table(ok, three):
    out = ok("complaint", "list", "--all").stdout
    assert out.splitlines() == [
        "ID   Received           Client   Severity   What            Status     "
        "Next target                  Past target   Sat",
        "─" * 117,
        " 3   2026-11-10 00:00   李娜     low        发错了颜色      open       "
        "answer by 2026-11-15 00:00   response",
        " 4   2026-11-20 09:00   张伟     urgent     broken          open       "
        "answer by 2026-11-20 13:00",
        " 1   2026-11-19 08:00   张伟     normal     wrong invoice   open       "
        "answer by 2026-11-21 08:00",
        " 2   2026-11-20 09:00   张伟     high       rude driver     resolved"
        "                                                3",
    ]


def test_empty_lists(ok, zhang):
    assert ok("complaint", "list").stdout == "No open complaints.\n"
    assert ok("complaint", "list", "--all").stdout == "No complaints.\n"
    assert ok("complaint", "list", "-f", "json").stdout == "[]\n"
    assert ok("complaint", "list", "-f", "tsv").stdout == "\t".join(LIST_KEYS) + "\n"


def test_list_of_an_unknown_card(cli, zhang):
    assert_error(
        cli("complaint", "list", "Nobody"),
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
    )


# ---- show ---------------------------------------------------------------------------------


@pytest.fixture
def handled(ok, zhang) -> None:
    """An urgent complaint answered late, resolved, reopened and resolved again."""
    complaint(ok, "1", "货到晚了三天", "-s", "urgent")
    ok("complaint", "step", "1", "打电话道歉", env=at("2026-11-20T14:15:00"))
    ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "换了新货",
        "--satisfaction",
        "2",
        env=at("2026-11-21T08:00:00"),
    )
    ok("complaint", "reopen", "1", "--reason", "还是坏的", env=at("2026-11-21T10:00:00"))
    ok(
        "complaint",
        "resolve",
        "1",
        "--result",
        "上门修好",
        "--satisfaction",
        "5",
        env=at("2026-11-22T09:30:00"),
    )


def test_show_the_whole_timeline(ok, handled):
    out = ok("complaint", "show", "1", env=at("2026-11-23T09:00:00")).stdout
    assert out.splitlines() == [
        f"Complaint #1 from {ZHANG}",
        "What            货到晚了三天",
        "Severity        urgent (answer within 4 h, resolve within 24 h)",
        "Status          resolved",
        "Received        2026-11-20 09:00",
        "First response  2026-11-20 14:15, 5 h after receipt (late by 1 h)",
        "Resolution      2026-11-22 09:30, 2 d after receipt (late by 1 d)",
        "Result          上门修好",
        "Satisfaction    5/5",
        "",
        "Timeline",
        "When               After     Event      What           Sat",
        "─" * 58,
        "2026-11-20 09:00   0 min     received   货到晚了三天",
        "2026-11-20 14:15   5 h       step       打电话道歉",
        "2026-11-21 08:00   23 h      resolved   换了新货         2",
        "2026-11-21 10:00   1 d 1 h   reopened   还是坏的",
        "2026-11-22 09:30   2 d       resolved   上门修好         5",
    ]


def test_show_json(ok, handled):
    page = json.loads(ok("complaint", "show", "1", "--format", "json").stdout)
    assert list(page) == [*LIST_KEYS, "result", "timeline"]
    assert page | {"timeline": None} == {
        "id": 1,
        "client_id": 1,
        "client": "张伟",
        "severity": "urgent",
        "what": "货到晚了三天",
        "status": "resolved",
        "received_at": "2026-11-20T09:00:00+08:00",
        "first_response_at": "2026-11-20T14:15:00+08:00",
        "resolved_at": "2026-11-22T09:30:00+08:00",
        "response_due": "2026-11-20T13:00:00+08:00",
        "resolve_due": "2026-11-21T09:00:00+08:00",
        "past_target": None,
        "satisfaction": 5,
        "result": "上门修好",
        "timeline": None,
    }
    assert page["timeline"] == [
        {
            "kind": "received",
            "at": "2026-11-20T09:00:00+08:00",
            "minutes_after_receipt": 0,
            "text": "货到晚了三天",
            "satisfaction": None,
        },
        {
            "kind": "step",
            "at": "2026-11-20T14:15:00+08:00",
            "minutes_after_receipt": 315,
            "text": "打电话道歉",
            "satisfaction": None,
        },
        {
            "kind": "resolved",
            "at": "2026-11-21T08:00:00+08:00",
            "minutes_after_receipt": 1380,
            "text": "换了新货",
            "satisfaction": 2,
        },
        {
            "kind": "reopened",
            "at": "2026-11-21T10:00:00+08:00",
            "minutes_after_receipt": 1500,
            "text": "还是坏的",
            "satisfaction": None,
        },
        {
            "kind": "resolved",
            "at": "2026-11-22T09:30:00+08:00",
            "minutes_after_receipt": 2910,
            "text": "上门修好",
            "satisfaction": 5,
        },
    ]


def test_show_an_open_complaint_past_its_target(ok, zhang):
    complaint(ok, "1", "broken", "-s", "high")
    out = ok("complaint", "show", "1", env=at("2026-11-21T12:00:00")).stdout
    assert out.splitlines()[5:7] == [
        "First response  none yet: past the target (2026-11-21 09:00) by 3 h: answer now",
        "Resolution      open: resolve by 2026-11-23 09:00",
    ]
    page = json.loads(
        ok("complaint", "show", "1", "-f", "json", env=at("2026-11-21T12:00:00")).stdout
    )
    assert (page["past_target"], page["result"]) == ("response", None)


def test_show_an_unknown_complaint(cli, zhang):
    assert_error(
        cli("complaint", "show", "1"), 1, "no complaint #1; see `clientcard complaint list --all`"
    )


# ---- targets ------------------------------------------------------------------------------


def test_past_target_at_the_right_moment(ok, zhang):
    """Urgent, received Friday 09:00: answer by 13:00, resolve by Saturday 09:00."""
    complaint(ok, "1", "broken", "-s", "urgent")

    def state(moment: str) -> tuple[Any, ...]:
        [c] = listing(ok, "--all", env=at(moment))
        items = due(ok, "--kind", "complaint", env=at(moment))
        item = items[0] if items else {}
        return (
            c["past_target"],
            item.get("flags"),
            item.get("overdue"),
            item.get("overdue_days"),
            item.get("urgency"),
            item.get("due"),
            item.get("reason"),
        )

    answer_by, resolve_by = "2026-11-20T13:00:00+08:00", "2026-11-21T09:00:00+08:00"
    assert state("2026-11-20T13:00:00") == (
        None,
        [],
        False,
        0,
        1350,
        answer_by,
        "urgent, no response yet: answer by 13:00",
    )
    assert state("2026-11-20T13:01:00") == (
        "response",
        ["past_response_target"],
        True,
        0,
        1850,
        answer_by,
        "urgent, past the response target by 1 min: answer now",
    )
    assert state("2026-11-21T09:01:00") == (
        "resolution",
        ["past_response_target", "past_resolve_target"],
        True,
        1,
        1855,
        answer_by,
        "urgent, past the response target by 20 h: answer now",
    )
    ok("complaint", "step", "1", "called", env=at("2026-11-21T10:00:00"))
    assert state("2026-11-21T10:00:00") == (
        "resolution",
        ["past_resolve_target"],
        True,
        0,
        1850,
        resolve_by,
        "urgent, past the resolution target by 1 h",
    )
    assert state("2026-11-23T10:00:00")[1:5] == (["past_resolve_target"], True, 2, 1860)
    ok("complaint", "resolve", "1", "--result", "fixed", env=at("2026-11-23T10:00:00"))
    assert state("2026-11-23T10:00:00") == (None, None, None, None, None, None, None)


def test_answered_in_time_shows_the_resolution_target(ok, zhang):
    complaint(ok, "1", "wrong invoice")
    ok("complaint", "step", "1", "called", env=at("2026-11-20T10:00:00"))
    [item] = due(ok, env=at("2026-11-20T10:00:00"))
    assert (item["due"], item["reason"], item["flags"]) == (
        "2026-11-27T09:00:00+08:00",
        "normal, answered; resolve by 2026-11-27 09:00",
        [],
    )
    [item] = due(ok, "--kind", "complaint", env=at("2026-11-27T08:00:00"))
    assert item["reason"] == "normal, answered; resolve by 09:00"
    [item] = due(ok, "--kind", "complaint", env=at("2026-11-29T10:00:00"))
    assert item["reason"] == "normal, past the resolution target by 2 d 1 h"


def test_targets_come_from_the_config(ok, zhang):
    ok("config", "set", "response.normal", "2")
    ok("config", "set", "resolve.normal", "10h")
    out = ok("complaint", "add", "1", "x").stdout
    assert out == f"Complaint #1 from {ZHANG} (normal): answer by 2026-11-20 11:00\n"
    [c] = listing(ok)
    assert (c["response_due"], c["resolve_due"]) == (
        "2026-11-20T11:00:00+08:00",
        "2026-11-20T19:00:00+08:00",
    )


# ---- due ----------------------------------------------------------------------------------


def test_a_complaint_tops_due_even_above_an_overdue_promise(ok, zhang):
    old = at("2026-11-01T10:00:00")
    add(ok, "李娜", "--grade", "F", env=old)
    ok("promise", "add", "张伟", "send the quote", "--due", "2026-11-18", env=old)
    complaint(ok, "李娜", "wrong colour", "-s", "low")  # 1: not past target
    complaint(ok, "李娜", "late again", "-s", "low", "--at", "2026-11-10")  # 2: past target
    items = due(ok)
    assert [(i["kind"], i["record_id"], i["urgency"], i["flags"]) for i in items[:3]] == [
        ("complaint", 2, 1525, ["past_response_target"]),
        ("complaint", 1, 1000, []),
        ("promise", 1, 810, []),
    ]
    assert items[0] == {
        "kind": "complaint",
        "urgency": 1525,
        "client_id": 2,
        "client": "李娜",
        "grade": "F",
        "what": "late again",
        "due": "2026-11-15T00:00:00+08:00",
        "overdue": True,
        "overdue_days": 5,
        "reason": "low, past the response target by 5 d 9 h: answer now",
        "flags": ["past_response_target"],
        "record_id": 2,
    }
    assert items[1]["reason"] == "low, no response yet: answer by 2026-11-25 09:00"
    table = ok("due").stdout.splitlines()
    assert table[2].split()[:3] == ["1525", "complaint", "2026-11-15"]


def test_every_open_complaint_is_due_whatever_the_window(ok, zhang):
    complaint(ok, "1", "x", "-s", "low")  # answer by 2026-11-25, past --today's end
    assert [i["kind"] for i in due(ok, "--today")] == ["complaint"]
    assert [i["kind"] for i in due(ok, "--until", "10:00")] == ["complaint"]
    assert [i["kind"] for i in due(ok, "--kind", "promise")] == []


def test_resolved_complaints_and_archived_cards_are_not_due(ok, zhang):
    add(ok, "李娜")
    complaint(ok, "1", "resolved")
    ok("complaint", "resolve", "1", "--result", "ok")
    complaint(ok, "2", "archived card")
    ok("archive", "2")
    assert [i["kind"] for i in due(ok, "--kind", "complaint")] == []
    # still on record
    assert [r["id"] for r in listing(ok, "--all")] == [2, 1]


def test_an_open_complaint_marks_the_clients_follow_up(ok):
    old = at("2026-11-01T10:00:00")
    add(ok, "Amy", "--grade", "A", env=old)  # follow-up due 2026-11-08: overdue
    add(ok, "Ben", "--grade", "A", env=old)
    complaint(ok, "Amy", "late delivery")
    items = {(i["kind"], i["client"]): i for i in due(ok)}
    assert items["followup", "Amy"]["flags"] == ["open_complaint"]
    assert items["followup", "Amy"]["reason"] == (
        "open complaint: resolve it before any pitch; "
        "grade A cadence 7 d; never contacted since added 2026-11-01"
    )
    assert items["followup", "Ben"]["flags"] == []
    assert items["complaint", "Amy"]["flags"] == []
    ok("complaint", "resolve", "1", "--result", "redelivered")
    items = {(i["kind"], i["client"]): i for i in due(ok)}
    assert items["followup", "Amy"]["flags"] == []
    assert ("complaint", "Amy") not in items


# ---- the card page's service --------------------------------------------------------------


def test_open_complaints_of_one_card(ok, db_path, three):
    from clientcard.clock import now
    from clientcard.services.complaints import open_complaints

    with transaction(str(db_path), write=False) as s:
        moment: datetime = now()
        views = open_complaints(s, 1, now=moment, settings=Settings())
        other = open_complaints(s, 2, now=moment, settings=Settings())
    assert [v.id for v in views] == [4, 1]
    assert views[0].row()["what"] == "broken"
    assert [(v.id, v.past_target) for v in other] == [(3, "response")]
