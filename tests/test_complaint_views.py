"""Where complaints are shown: `complaint list|show`, the top of `due`, and the card page's
service.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8), stored as 01:00 UTC; the default
targets and the urgency of a complaint in `due` are set out in test_complaint_add.py.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import csv
import io
import json
from datetime import datetime

import pytest

from clientcard.domain.settings import Settings
from clientcard.store.open import transaction
from helpers import ZHANG, add, assert_error, at, clock_hour_targets, complaint, due, stored_card
from helpers import complaint_listing as listing

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def clock_hours(isolated) -> None:
    """Issue 11: these tests check targets in clock hours, configured as before it."""
    clock_hour_targets()


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
    "cause",  # issue 16: why it happened, who was responsible
    "cause_note",
    "responsibility",
    "author",  # issue 17: who took it down
]


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
        "cause": None,
        "cause_note": None,
        "responsibility": "unknown",
        "author": "li",
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
        "cause": None,
        "cause_note": None,
        "responsibility": "unknown",
        "author": "li",
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
        "",
        "",
        "unknown",
        "li",
    ]


def test_list_table(ok, three):
    out = ok("complaint", "list", "--all").stdout
    # Issue 12 point 4: a complaint's id reads C3, not a bare 3 a card could have.
    assert out.splitlines() == [
        "ID  Received          Client  Severity  What           Status    Next target        "
        "         Past target  Satisfaction",
        "─" * 118,
        "C3  2026-11-10 00:00  李娜    low       发错了颜色     open      answer by "
        "2026-11-15 00:00  response",
        "C4  2026-11-20 09:00  张伟    urgent    broken         open      answer by 2026-11-20 "
        "13:00",
        "C1  2026-11-19 08:00  张伟    normal    wrong invoice  open      answer by 2026-11-21 "
        "08:00",
        "C2  2026-11-20 09:00  张伟    high      rude driver    resolved                       "
        "                             3/5",
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
        f"Complaint C1 from {ZHANG}",
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
        "When              After    Event     What          Satisfaction  By",
        "─" * 67,
        "2026-11-20 09:00  0 min    received  货到晚了三天                li",
        "2026-11-20 14:15  5 h      step      打电话道歉                  li",
        "2026-11-21 08:00  23 h     resolved  换了新货               2/5  li",
        "2026-11-21 10:00  1 d 1 h  reopened  还是坏的                    li",
        "2026-11-22 09:30  2 d      resolved  上门修好               5/5  li",
    ]


def test_show_json(ok, handled):
    page = json.loads(ok("complaint", "show", "1", "--format", "json").stdout)
    # issue 17: author after the keys that were there before it
    assert list(page) == [*LIST_KEYS[:-1], "result", "timeline", "author"]
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
        "cause": None,
        "cause_note": None,
        "responsibility": "unknown",
        "result": "上门修好",
        "timeline": None,
        "author": "li",
    }
    assert page["timeline"] == [
        {
            "kind": "received",
            "at": "2026-11-20T09:00:00+08:00",
            "minutes_after_receipt": 0,
            "text": "货到晚了三天",
            "satisfaction": None,
            "author": "li",
        },
        {
            "kind": "step",
            "at": "2026-11-20T14:15:00+08:00",
            "minutes_after_receipt": 315,
            "text": "打电话道歉",
            "satisfaction": None,
            "author": "li",
        },
        {
            "kind": "resolved",
            "at": "2026-11-21T08:00:00+08:00",
            "minutes_after_receipt": 1380,
            "text": "换了新货",
            "satisfaction": 2,
            "author": "li",
        },
        {
            "kind": "reopened",
            "at": "2026-11-21T10:00:00+08:00",
            "minutes_after_receipt": 1500,
            "text": "还是坏的",
            "satisfaction": None,
            "author": "li",
        },
        {
            "kind": "resolved",
            "at": "2026-11-22T09:30:00+08:00",
            "minutes_after_receipt": 2910,
            "text": "上门修好",
            "satisfaction": 5,
            "author": "li",
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
        cli("complaint", "show", "1"), 1, "no complaint C1; see `clientcard complaint list --all`"
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
        "company": None,
        "phone": None,
    }
    assert items[1]["reason"] == "low, no response yet: answer by 2026-11-25 09:00"
    # Issue 12: the page for people groups complaints first, the most urgent on top.
    page = ok("due").stdout.splitlines()
    assert page[2:4] == ["Complaints (2)", "  5 d late   #2 李娜 · F"]


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
    ok("archive", "2", "--cancel-open")  # issue 11: an open complaint stops a plain archive
    assert [i["kind"] for i in due(ok, "--kind", "complaint")] == []
    # still on record; cancelled with the card, #2 is closed now and sorts after #1, oldest first
    assert [r["id"] for r in listing(ok, "--all")] == [1, 2]


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
        views = open_complaints(s, stored_card(s, 1), now=moment, settings=Settings())
        other = open_complaints(s, stored_card(s, 2), now=moment, settings=Settings())
    assert [v.id for v in views] == [4, 1]
    assert views[0].row()["what"] == "broken"
    assert [(v.id, v.past_target) for v in other] == [(3, "response")]
