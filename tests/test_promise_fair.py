"""Issue 11, points 4, 5 and 8: promises judged fairly.

- `promise confirm ID`: a confirmed appointment shows "confirmed" instead of "confirm or tell the
  client now" in `due`, `show` and `promise list` (JSON `confirmed_at`).
- `promise move --by-client` and a cancellation by the client never count against the keep-rate,
  whatever the notice; the line says to thank them. My own moves keep the notice rule; notice
  under an hour is told in minutes.
- A promise due on a day is a calendar date (`due_on`): due on that date in any zone.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8).
"""

# Issue 12 point 4: promise messages name "promise P3" and "card #1" (updated below).
import json

import pytest

from helpers import ZHANG, assert_error, at, due, keep_rate, lines, promise, table
from helpers import promise_events as events
from helpers import promise_listing as listing
from helpers import promise_status as status

pytestmark = pytest.mark.usefixtures("migrated")

CONFIRM_NOW = "in 6 h: confirm or tell the client now · at 星巴克"


@pytest.fixture
def coffee(ok, zhang) -> int:
    """An appointment with 张伟 today at 15:00: six hours away, inside the notice window."""
    return promise(ok, "张伟", "喝咖啡", "--at", "15:00", "--where", "星巴克")


def appointment_item(ok, **kwargs):
    [item] = [i for i in due(ok, **kwargs) if i["kind"] == "appointment"]
    return item


# ---- promise confirm ----------------------------------------------------------------------


def test_confirming_an_appointment_takes_it_off_the_confirm_now_list(ok, query, coffee):
    before = appointment_item(ok)
    assert (before["reason"], before["urgency"]) == (CONFIRM_NOW, 300 + 50)
    out = ok("promise", "confirm", str(coffee), env=at("2026-11-20T09:30:00")).stdout
    assert out == (
        f"Confirmed: promise P1 '喝咖啡' for card {ZHANG}, appointment 2026-11-20 15:00 at 星巴克\n"
    )
    assert query("SELECT confirmed_at, status FROM promise") == [
        ("2026-11-20 01:30:00.000000", "open")
    ]
    assert events(query, coffee)[-1][:2] == ("confirmed", "2026-11-20 01:30:00.000000")
    after = appointment_item(ok, env=at("2026-11-20T10:00:00"))
    # No longer "confirm now" (300): an appointment's own weight, 200, plus grade A's 50.
    assert (after["reason"], after["urgency"]) == ("in 5 h: confirmed · at 星巴克", 200 + 50)
    [row] = listing(ok)
    assert row["confirmed_at"] == "2026-11-20T09:30:00+08:00"


def test_confirming_twice_changes_nothing_and_says_so(ok, query, snapshot, coffee):
    ok("promise", "confirm", "1", env=at("2026-11-20T09:30:00"))
    before = snapshot()
    out = ok("promise", "confirm", "1").stdout
    assert out == (
        f"Unchanged: promise P1 '喝咖啡' for card {ZHANG}, appointment 2026-11-20 15:00 at 星巴克 "
        "was already confirmed (2026-11-20 09:30)\n"
    )
    assert snapshot() == before
    assert [e[0] for e in events(query, 1)] == ["made", "confirmed"]


@pytest.mark.parametrize(
    ("setup", "args", "code", "message"),
    [
        (
            [["promise", "add", "1", "the quote", "--due", "mon"]],
            ["promise", "confirm", "2"],
            3,
            "promise P2 is a deliverable: only an appointment is confirmed; mark the deliverable "
            "done once delivered",
        ),
        (
            [["promise", "done", "1", "--at", "15:30"]],
            ["promise", "confirm", "1"],
            3,
            "promise P1 is already closed (kept)",
        ),
        ([], ["promise", "confirm", "9"], 1, "no promise P9; see `clientcard promise list`"),
        ([], ["promise", "confirm", "1"], 3, "appointment P1 was at 2026-11-20 15:00: mark it "
         "done or missed"),
    ],
    ids=["deliverable", "closed", "unknown", "passed"],
)  # fmt: skip
def test_what_cannot_be_confirmed_is_refused_and_changes_nothing(
    cli, ok, snapshot, coffee, setup, args, code, message
):
    late = at("2026-11-20T16:00:00")
    for command in setup:
        ok(*command, env=late)
    before = snapshot()
    assert_error(cli(*args, env=late), code, message)
    assert snapshot() == before


def test_a_confirmed_appointment_tomorrow_stays_on_today_s_agenda_as_confirmed(ok, zhang):
    promise(ok, "张伟", "breakfast", "--at", "sat 08:00")  # 23 h away: inside the notice window
    assert appointment_item(ok)["reason"] == "in 23 h: confirm or tell the client now"
    ok("promise", "confirm", "1")
    item = appointment_item(ok)
    assert (item["reason"], item["urgency"]) == ("in 23 h: confirmed", 250)
    # Beyond the notice window nothing is listed today, confirmed or not.
    promise(ok, "张伟", "lunch", "--at", "sun 12:00")
    ok("promise", "confirm", "2")
    assert [i["what"] for i in due(ok)] == ["breakfast"]
    assert [i["reason"] for i in due(ok, "--until", "sun 23:00")][-1] == "appointment, confirmed"


def test_show_and_promise_list_say_confirmed_or_confirm_now(ok, coffee):
    promise(ok, "张伟", "lunch", "--at", "tue 12:00")  # beyond the notice window: nothing to say
    promise(ok, "张伟", "the quote", "--due", "today")
    rows = table(ok("promise", "list").stdout)
    assert rows[0].split()[-1] == "Confirmation"
    # issue 12 point 4: the table names a promise P3
    assert [r.split()[0] for r in rows[1:-1]] == ["P3", "P1", "P2"]
    assert rows[2].endswith("confirm or tell the client now")
    assert not rows[1].endswith("now")
    assert not rows[3].endswith("now")
    ok("promise", "confirm", "1")
    rows = table(ok("promise", "list").stdout)
    assert rows[2].rstrip().endswith("confirmed")
    page = lines(ok("show", "张伟"))
    start = page.index("Open promises")
    assert page[start + 1].split()[-1] == "Confirmation"
    coffee_line = next(line for line in page[start:] if "喝咖啡" in line)
    assert coffee_line.endswith("confirmed")
    promises = json.loads(ok("show", "1", "-f", "json").stdout)["open_promises"]
    [shown] = [p for p in promises if p["id"] == 1]
    assert shown["confirmed_at"] == "2026-11-20T09:00:00+08:00"


def test_a_moved_appointment_needs_confirming_again(ok, query, coffee):
    ok("promise", "confirm", "1")
    ok("promise", "move", "1", "--to", "18:00", "--by-client")
    assert query("SELECT confirmed_at FROM promise") == [(None,)]
    assert appointment_item(ok)["reason"] == "in 9 h: confirm or tell the client now · at 星巴克"
    [row] = listing(ok)
    assert row["confirmed_at"] is None


# ---- moves and cancellations by the client ------------------------------------------------


def test_a_move_the_client_asks_for_at_30_minutes_is_theirs(ok, query, coffee):
    out = ok(
        "promise", "move", "1", "--to", "tomorrow 10:00", "--by-client", "--reason", "客户开会",
        env=at("2026-11-20T14:30:00"),
    ).stdout  # fmt: skip
    assert out == (
        f"Moved: promise P1 '喝咖啡' for card {ZHANG}, appointment 2026-11-21 10:00 at 星巴克; at the client's "  # noqa: E501
        "request (told 30 min ahead): thank them for telling you; it does not count against "
        "your keep-rate\n"
    )
    assert status(query, 1) == ("open", 0, None)
    moved = events(query, 1)[-1]
    assert (moved[0], moved[5], moved[6], moved[7]) == ("moved", "client", 0, "客户开会")
    assert keep_rate(ok) == "no closed promises yet"
    ok("promise", "done", "1", env=at("2026-11-21T11:00:00"))
    assert keep_rate(ok, env=at("2026-11-21T11:00:00")) == "100% (1 of 1 kept on time)"


def test_even_a_move_by_the_client_after_the_time_is_theirs(ok, query, coffee):
    out = ok(
        "promise", "move", "1", "--to", "18:00", "--by-client", env=at("2026-11-20T15:10:00")
    ).stdout
    assert out.endswith(
        "; at the client's request (told 10 min after the time): thank them for telling you; "
        "it does not count against your keep-rate\n"
    )
    assert status(query, 1)[1] == 0


@pytest.mark.parametrize(
    ("moment", "told"),
    [
        ("2026-11-20T14:30:00", "told 30 min ahead"),
        ("2026-11-20T14:59:00", "told 1 min ahead"),
        ("2026-11-20T15:00:00", "told 0 min ahead"),
        ("2026-11-20T15:45:00", "told 45 min after the time"),
        ("2026-11-20T13:50:00", "told 1 h ahead"),  # 70 min: whole hours from an hour on
        ("2026-11-20T12:00:00", "told 3 h ahead"),
    ],
)
def test_my_own_move_keeps_the_notice_rule_and_says_minutes_under_an_hour(
    ok, query, coffee, moment, told
):
    out = ok("promise", "move", "1", "--to", "tomorrow 10:00", env=at(moment)).stdout
    assert out.endswith(f"; short notice ({told}): counts against your keep-rate\n")
    assert status(query, 1)[1] == 1
    assert events(query, 1)[-1][5] == "me"
    assert keep_rate(ok, env=at(moment)) == "0% (0 of 1 kept on time)"


def test_my_polite_move_still_counts_nothing(ok, query, zhang):
    promise(ok, "张伟", "demo", "--at", "wed 10:00")
    out = ok("promise", "move", "1", "--to", "thu 10:00").stdout
    assert out.endswith("; polite move (told 121 h ahead)\n")
    assert (status(query, 1)[1], keep_rate(ok)) == (0, "no closed promises yet")


def test_the_client_cancelling_ten_minutes_before_never_counts(ok, query, coffee):
    out = ok("promise", "cancel", "1", "--by", "client", env=at("2026-11-20T14:50:00")).stdout
    assert out.endswith("; thank them for telling you (it does not count against your keep-rate)\n")
    assert status(query, 1)[:2] == ("cancelled_by_client", 0)
    assert keep_rate(ok) == "no closed promises yet"
    # ... while my own cancellation counts, whatever the notice.
    promise(ok, "张伟", "lunch", "--at", "2026-12-10 12:00")
    out = ok("promise", "cancel", "2", "--by", "me").stdout
    assert out.endswith("; counts against your keep-rate\n")
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_my_short_notice_move_still_counts_when_the_client_cancels_later(ok, coffee):
    ok("promise", "move", "1", "--to", "tomorrow 10:00", env=at("2026-11-20T14:00:00"))
    ok("promise", "cancel", "1", "--by", "client", env=at("2026-11-20T18:00:00"))
    assert keep_rate(ok, env=at("2026-11-20T18:00:00")) == "0% (0 of 1 kept on time)"


def test_the_worked_example_of_docs_agenda(ok, zhang):
    """docs/agenda.md, "Keep-rate": six promises, 50 % (2 of 4 kept on time)."""

    def on(moment: str, *args: str) -> str:
        return ok(*args, env=at(moment)).stdout

    monday = "2026-11-23T09:00:00"
    promise(ok, "张伟", "send the quote", "--due", "tue", env=at(monday))
    promise(ok, "张伟", "renewal meeting", "--at", "wed 15:00", env=at(monday))
    promise(ok, "张伟", "lunch", "--at", "thu 12:00", env=at(monday))
    promise(ok, "张伟", "call back", "--due", "tue 17:00", env=at(monday))
    promise(ok, "张伟", "brochure", "--due", "wed", env=at(monday))
    promise(ok, "张伟", "demo", "--at", "mon 10:00", env=at(monday))
    on("2026-11-24T16:00:00", "promise", "done", "1")
    assert on("2026-11-24T16:30:00", "promise", "move", "4", "--to", "wed 17:00").endswith(
        "; short notice (told 30 min ahead): counts against your keep-rate\n"
    )
    assert on(
        "2026-11-24T17:00:00", "promise", "move", "6", "--to", "2026-12-01 10:00", "-r", "my trip"
    ).endswith("; polite move (told 137 h ahead)\n")
    on("2026-11-25T10:00:00", "promise", "done", "4")
    assert on(
        "2026-11-25T14:30:00", "promise", "move", "2", "--to", "thu 15:00", "--by-client",
        "--reason", "their board meeting",
    ) == (
        f"Moved: promise P2 'renewal meeting' for card {ZHANG}, appointment 2026-11-26 15:00; at the client's "  # noqa: E501
        "request (told 30 min ahead): thank them for telling you; it does not count against "
        "your keep-rate\n"
    )  # fmt: skip
    on("2026-11-26T09:00:00", "promise", "missed", "5")
    on("2026-11-26T11:00:00", "promise", "cancel", "3", "--by", "client")
    on("2026-11-26T16:00:00", "promise", "done", "2")
    end = at("2026-11-26T16:00:00")
    assert [(p["id"], p["status"], p["short_notice"]) for p in listing(ok, "--all", env=end)] == [
        (1, "kept", False),
        (5, "missed", False),
        (4, "kept", True),
        (3, "cancelled_by_client", False),
        (2, "kept", False),
        (6, "open", False),
    ]
    assert keep_rate(ok, env=end) == "50% (2 of 4 kept on time)"


# ---- calendar dates -------------------------------------------------------------------------


def quote_in(ok, zone: str, moment: str, monkeypatch, *window: str) -> list[tuple[str, bool, int]]:
    monkeypatch.setenv("TZ", zone)
    return [
        (i["due"], i["overdue"], i["overdue_days"])
        for i in due(ok, *window, env=at(moment))
        if i["what"] == "报价单"
    ]


def test_a_date_only_promise_is_stored_as_its_date(ok, query, zhang):
    promise(ok, "张伟", "报价单", "--due", "today")  # Friday 2026-11-20, made in Shanghai
    assert query("SELECT due_on, due_at, all_day FROM promise") == [
        ("2026-11-20", "2026-11-20 00:00:00.000000", 1)
    ]
    assert query("SELECT event, due_on, due_at FROM promise_event") == [
        ("made", "2026-11-20", "2026-11-20 00:00:00.000000")
    ]


@pytest.mark.parametrize(
    ("zone", "eve", "midnight"),
    [
        # Los Angeles (UTC-8): Friday 23:59 there is Saturday 15:59 in Shanghai.
        ("America/Los_Angeles", "2026-11-20T23:59:00", "2026-11-21T00:00:00"),
        ("Europe/London", "2026-11-20T23:59:00", "2026-11-21T00:00:00"),
        ("Asia/Shanghai", "2026-11-20T23:59:00", "2026-11-21T00:00:00"),
        ("Pacific/Kiritimati", "2026-11-20T23:59:00", "2026-11-21T00:00:00"),  # UTC+14
    ],
)
def test_a_date_only_promise_is_due_on_its_date_in_any_zone(
    ok, zhang, monkeypatch, zone, eve, midnight
):
    promise(ok, "张伟", "报价单", "--due", "today")  # Friday, made in Shanghai
    assert quote_in(ok, zone, "2026-11-20T00:00:00", monkeypatch) == [("2026-11-20", False, 0)]
    assert quote_in(ok, zone, eve, monkeypatch) == [("2026-11-20", False, 0)]
    assert quote_in(ok, zone, midnight, monkeypatch) == [("2026-11-20", True, 1)]
    # The day before, there, it is tomorrow's: not in today's list, in tomorrow's.
    thursday = "2026-11-19T12:00:00"
    assert quote_in(ok, zone, thursday, monkeypatch) == []
    assert quote_in(ok, zone, thursday, monkeypatch, "--tomorrow") == [("2026-11-20", False, 0)]
    [row] = listing(ok, env=at(thursday))
    assert (row["due"], row["overdue"]) == ("2026-11-20", False)


def test_a_date_whose_start_lies_far_before_its_utc_midnight_is_still_read(ok, zhang, monkeypatch):
    """In Kiritimati (UTC+14) the 21st starts at 10:00 UTC on the 20th, fourteen hours before
    the row's due_at: `due` reads all-day rows a day past its horizon, then decides on the date."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    thursday = at("2026-11-20T09:00:00")
    promise(ok, "张伟", "报价单", "--due", "tomorrow", env=thursday)
    ok("config", "set", "--book", "notice_hours", "1")
    assert [i["what"] for i in due(ok, "--until", "tomorrow 10:00", env=thursday)] == ["报价单"]
    assert [i["what"] for i in due(ok, env=thursday)] == []
    assert [i["what"] for i in due(ok, "--until", "today 23:59", env=thursday)] == []


def test_a_date_only_promise_is_not_missed_before_its_date_starts_where_you_are(
    cli, ok, query, zhang, monkeypatch
):
    promise(ok, "张伟", "报价单", "--due", "tomorrow")  # Saturday
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    assert_error(
        cli("promise", "missed", "1", env=at("2026-11-20T23:00:00")),
        3,
        "promise P1 is due 2026-11-21 00:00, not yet missed; if you cannot keep it, move it and "
        "tell the client, or cancel it --by me",
    )
    ok("promise", "done", "1", env=at("2026-11-21T23:30:00"))  # late on Saturday there: in time
    assert status(query, 1)[0] == "kept"


def test_moving_a_date_only_promise_moves_its_date(cli, ok, query, zhang, monkeypatch):
    promise(ok, "张伟", "报价单", "--due", "mon")  # 2026-11-23
    monkeypatch.setenv("TZ", "Europe/London")
    # Same date in London: refused, though London's midnight is not Shanghai's.
    assert_error(
        cli("promise", "move", "1", "--to", "2026-11-23", env=at("2026-11-20T09:00:00")),
        3,
        "promise P1 is already due 2026-11-23 00:00; give a different time to --to",
    )
    ok("promise", "move", "1", "--to", "2026-11-25", env=at("2026-11-20T09:00:00"))
    assert query("SELECT due_on, due_at FROM promise") == [
        ("2026-11-25", "2026-11-25 00:00:00.000000")
    ]
    assert query("SELECT event, due_on FROM promise_event ORDER BY id") == [
        ("made", "2026-11-23"),
        ("moved", "2026-11-25"),
    ]
    # London: polite, told Friday 09:00, more than 24 h before Monday 00:00 London time (87 h).
    assert events(query, 1)[-1][6] == 0


def test_a_date_only_promise_sorts_by_its_local_day_in_any_zone(ok, zhang, monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    now = at("2026-11-20T09:00:00")
    promise(ok, "张伟", "evening call", "--due", "today 20:00", env=now)  # 2026-11-21 04:00 UTC
    promise(ok, "张伟", "报价单", "--due", "tomorrow", env=now)  # due_at 2026-11-21 00:00 UTC
    assert [p["what"] for p in listing(ok, env=now)] == ["evening call", "报价单"]
