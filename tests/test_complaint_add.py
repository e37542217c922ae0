"""Receiving a complaint: `complaint add`, and the first-response and resolution targets it
sets.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8), stored as 01:00 UTC. The default
targets (hours from receipt to the first response / to the resolution): urgent 4 / 24, high
24 / 72, normal 48 / 168, low 120 / 336. Urgency in `due`: complaint 1000 + severity (urgent 300,
high 200, normal 100, low 0) + grade (A 50 ... F 0) + overdue (500 + 5 a day).
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
from typing import Any

import pytest

from helpers import NOW_UTC, ZHANG, assert_error, at, clock_hour_targets, complaint, due
from helpers import complaint_listing as listing
from helpers import complaint_row as row
from helpers import complaint_steps as steps

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def clock_hours(isolated) -> None:
    """Issue 11: these tests check targets in clock hours, configured as before it."""
    clock_hour_targets()


# ---- add ----------------------------------------------------------------------------------


def test_add_prints_the_first_response_target(ok, query, zhang):
    result = ok("complaint", "add", "张伟", "货到晚了三天", "--severity", "urgent")
    assert result.stdout == f"Complaint C1 from {ZHANG}, urgent: answer by 2026-11-20 13:00\n"
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
    assert out == f"Complaint C1 from {ZHANG}, {severity}: answer by {answer_by}\n"
    assert row(query)[2] == severity


def test_add_quiet_prints_only_the_id(ok, zhang):
    assert ok("complaint", "add", "1", "a", "-q").stdout == "1\n"
    assert ok("complaint", "add", "1", "b", "--quiet").stdout == "2\n"


def test_add_received_earlier(ok, query, zhang):
    out = ok("complaint", "add", "1", "wrong invoice", "--at", "yesterday 17:00").stdout
    assert out == f"Complaint C1 from {ZHANG}, normal: answer by 2026-11-21 17:00\n"
    assert row(query)[4] == "2026-11-19 09:00:00.000000"
    assert steps(query) == [("received", "2026-11-19 09:00:00.000000", "wrong invoice", None)]


def test_add_received_so_long_ago_that_the_answer_is_already_late(ok, zhang):
    out = ok("complaint", "add", "1", "broken", "-s", "urgent", "--at", "2026-11-18 08:00").stdout
    assert out == (
        f"Complaint C1 from {ZHANG}, urgent: answer by 2026-11-18 12:00 "
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
    ok("config", "set", "--book", "response.normal", "2")
    ok("config", "set", "--book", "resolve.normal", "10h")
    out = ok("complaint", "add", "1", "x").stdout
    assert out == f"Complaint C1 from {ZHANG}, normal: answer by 2026-11-20 11:00\n"
    [c] = listing(ok)
    assert (c["response_due"], c["resolve_due"]) == (
        "2026-11-20T11:00:00+08:00",
        "2026-11-20T19:00:00+08:00",
    )
