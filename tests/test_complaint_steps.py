"""Handling a complaint: `complaint step|resolve|reopen`, and how each step counts against the
complaint's targets.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8), stored as 01:00 UTC; the default
targets and the urgency of a complaint in `due` are set out in test_complaint_add.py.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import pytest

from helpers import NOW_UTC, ZHANG, assert_error, at, clock_hour_targets, complaint, due
from helpers import complaint_row as row
from helpers import complaint_steps as steps

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def clock_hours(isolated) -> None:
    """Issue 11: these tests check targets in clock hours, configured as before it."""
    clock_hour_targets()


# ---- step ---------------------------------------------------------------------------------


def test_the_first_step_is_the_first_response(ok, query, zhang):
    complaint(ok, "1", "wrong invoice")
    first = ok("complaint", "step", "1", "打电话道歉", env=at("2026-11-20T11:30:00"))
    assert first.stdout == (
        f"Step on complaint C1 from {ZHANG}: first response 2 h after receipt "
        "(target 48 h, on time); resolve by 2026-11-27 09:00\n"
    )
    second = ok("complaint", "step", "1", "sent a new invoice", env=at("2026-11-21T10:00:00"))
    assert second.stdout == (
        f"Step on complaint C1 from {ZHANG}: step 1 d 1 h after receipt; "
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
        f"Step on complaint C1 from {ZHANG}: first response 5 h after receipt "
        "(target 4 h, late by 1 h); resolve by 2026-11-21 09:00\n"
    )


def test_a_step_after_the_resolution_target_says_so(ok, zhang):
    complaint(ok, "1", "broken", "-s", "urgent")
    out = ok("complaint", "step", "1", "called", env=at("2026-11-22T09:00:00")).stdout
    assert out == (
        f"Step on complaint C1 from {ZHANG}: first response 2 d after receipt "
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
        "no complaint C99; see `clientcard complaint list --all`",
    )
    assert_error(
        cli("complaint", "step", "2", "x"),
        3,
        "complaint C2 is resolved; reopen it first (`clientcard complaint reopen C2`)",
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
        f"Resolved complaint C1 from {ZHANG} 1 d 1 h after receipt (target 168 h, on time); "
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
        f"Resolved complaint C1 from {ZHANG} 1 h after receipt (target 168 h, on time)\n"
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
        f"Resolved complaint C1 from {ZHANG} 2 d after receipt (target 24 h, late by 1 d)\n"
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
        "no complaint C9; see `clientcard complaint list --all`",
    )
    assert_error(
        cli("complaint", "resolve", "2", "--result", "again"),
        3,
        "complaint C2 is already resolved (2026-11-20 09:00)",
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
    assert out.stdout == f"Reopened complaint C1 from {ZHANG}: resolve by 2026-11-27 09:00\n"
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
        f"Reopened complaint C1 from {ZHANG}: past the target (2026-11-21 09:00) by 1 d: "
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
        "complaint C1 is open; only a resolved complaint is reopened",
    )
    assert_error(
        cli("complaint", "reopen", "2"), 1, "no complaint C2; see `clientcard complaint list --all`"
    )
    assert snapshot() == before
