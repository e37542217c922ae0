"""The issue's "Done when": a scripted week of a salesperson's work, Monday 2026-11-16 to Sunday
2026-11-22 in Shanghai, with the clock pinned and moved as the week goes. Every `due` list below
was written by hand, as the salesperson would expect it, and is checked in every format.

The cast (all added on Monday morning):
    #1 张伟 (阿里)  A  on the edge of buying: a quote, a coffee, a proposal
    #2 Bob Li       B  a paper card typed in: last called 30 October, so overdue from the start
    #3 Carol Wu     C  waiting for a health check-up: a re-check on Thursday
    #4 Dan Ma       D  a brochure promised for Wednesday, moved to Friday with notice
    #5 Eve Xu       E  a demo that the client cancels
    #6 周峰         F  researched, never visited: first visit on Wednesday
The promises and what becomes of them:
    P1 张伟 quote, due Wed            kept on time (Wed)
    P2 张伟 coffee, Thu 15:00 at a café   moved at short notice to Fri 10:00, then kept
    P3 Dan brochure, due Wed          moved politely (Mon) to Fri, kept on time (Fri)
    P4 Eve demo, Wed 10:00            cancelled by the client (Tue)
    P5 Bob call back, Tue 17:00       missed (Wed)
    P6 周峰 company intro, due Thu    cancelled by me (Wed: handed over at the visit)
    P7 张伟 proposal, due Fri         kept late (Sat)
    P8 Bob contract draft, due Sat    kept early (Thu)
Keep-rate at the end: on time P1, P3, P8 out of P1, P2, P3, P5, P6, P7, P8 = 3 of 7.
"""

# Issue 12 point 4: promise messages name "promise P3" and "card #1" (updated below).
import csv
import io
import json
from typing import Any

import pytest

from helpers import DUE_KEYS, Salesperson, flat, page_matches


class Week(Salesperson):
    """The salesperson at work: a clock to move (`at`), and the commands they type (`do`)."""

    def promise(self, *args: str) -> int:
        return int(self.ok("promise", "add", *args, "-q").stdout)

    def due(self, *window: str) -> list[tuple[Any, ...]]:
        """(kind, client, what, due, overdue_days) of each item, after checking that the JSON,
        CSV, TSV and table formats list the same items in the same order."""
        items = json.loads(self.ok("due", *window, "--format", "json").stdout)
        assert all(list(item) == DUE_KEYS for item in items)
        urgencies = [item["urgency"] for item in items]
        assert urgencies == sorted(urgencies, reverse=True)
        as_text = [[flat(v) for v in item.values()] for item in items]
        rows = list(csv.reader(io.StringIO(self.ok("due", *window, "--format", "csv").stdout)))
        assert rows == [DUE_KEYS, *as_text]
        tsv = self.ok("due", *window, "--format", "tsv").stdout.splitlines()
        assert [line.split("\t") for line in tsv] == [DUE_KEYS, *as_text]
        page = self.ok("due", *window).stdout
        table = page.splitlines()
        if items:  # issue 12: the page for people groups the items (no urgency column)
            page_matches(page, items)
            assert all(f"#{i['client_id']} {i['client']} · " in page for i in items)
        else:
            assert len(table) == 1
            assert table[0].startswith("Nothing due ")
        return [(i["kind"], i["client"], i["what"], i["due"], i["overdue_days"]) for i in items]

    def reasons(self, *window: str) -> list[str]:
        return [i["reason"] for i in json.loads(self.ok("due", *window, "-f", "json").stdout)]

    def check(self) -> int:
        return self.cli("due", "--check", "--quiet").exit_code

    def keep_rate(self, *client: str) -> str:
        last = self.ok("promise", "list", "--all", *client).stdout.splitlines()[-1]
        return last.removeprefix("Keep-rate").removeprefix(":").strip()

    def statuses(self) -> dict[int, tuple[str, bool]]:
        rows = json.loads(self.ok("promise", "list", "--all", "-f", "json").stdout)
        return {r["id"]: (r["status"], r["short_notice"]) for r in rows}


@pytest.fixture
def week(cli, ok, monkeypatch) -> Week:
    return Week(cli, ok, monkeypatch)


def test_a_week_of_work(week: Week):
    w = week
    # ---- Monday 16 ------------------------------------------------------------------------
    w.at("2026-11-16T08:30:00")
    w.do("add", "张伟", "--company", "阿里", "--grade", "A")
    w.do("add", "Bob Li", "--grade", "B")
    w.do("add", "Carol Wu", "--grade", "C")
    w.do("add", "Dan Ma", "--grade", "D")
    w.do("add", "Eve Xu", "--grade", "E")
    w.do("add", "周峰", "--grade", "F")
    assert w.do("log", "Bob Li", "从纸卡录入", "--via", "call", "--at", "2026-10-30") == (
        "Logged call with #2 Bob Li; next follow-up 2026-11-13 (by the grade's cadence)\n"
    )
    assert w.do("snooze", "Carol", "thu", "-r", "health: after the November check-up") == (
        "#3 Carol Wu: next follow-up 2026-11-19 (re-check: health: after the November check-up)\n"
    )
    w.do("snooze", "周峰", "wed", "--reason", "intro via Bob Li")

    w.at("2026-11-16T09:00:00")
    w.do("log", "张伟", "约了周四喝咖啡", "--via", "call")
    assert w.promise("张伟", "send the quote 报价单", "--due", "wed") == 1
    assert w.promise("张伟", "coffee", "--at", "thu 15:00", "--where", "星巴克 国贸店") == 2
    assert w.promise("Dan Ma", "send the brochure", "--due", "wed") == 3
    assert w.promise("Eve Xu", "product demo", "--at", "wed 10:00") == 4
    assert w.promise("Bob Li", "call back with pricing", "--due", "tue 17:00") == 5

    w.at("2026-11-16T10:00:00")
    assert w.do("promise", "move", "3", "--to", "fri", "--reason", "printer delayed") == (
        "Moved: promise P3 'send the brochure' for card #4 Dan Ma, deliverable 2026-11-20; "
        "polite move (told 38 h ahead)\n"
    )

    w.at("2026-11-16T10:30:00")
    bob_overdue = ("followup", "Bob Li", "follow up", "2026-11-13", 3)
    assert w.due() == [bob_overdue]
    assert w.reasons() == ["grade B cadence 14 d since last contact 2026-10-30"]
    assert w.check() == 1
    assert w.due("--week") == [
        bob_overdue,
        ("promise", "张伟", "send the quote 报价单", "2026-11-18", 0),
        ("promise", "Bob Li", "call back with pricing", "2026-11-17T17:00:00+08:00", 0),
        ("promise", "Dan Ma", "send the brochure", "2026-11-20", 0),
        ("appointment", "张伟", "coffee", "2026-11-19T15:00:00+08:00", 0),
        ("appointment", "Eve Xu", "product demo", "2026-11-18T10:00:00+08:00", 0),
        ("recheck", "Carol Wu", "re-check", "2026-11-19", 0),
        ("first_visit", "周峰", "first visit", "2026-11-18", 0),
    ]

    # ---- Tuesday 17 -----------------------------------------------------------------------
    w.at("2026-11-17T09:00:00")
    # Issue 11: the client's cancellation says to thank them for telling you.
    assert w.do("promise", "cancel", "4", "--by", "client", "--reason", "客户出差") == (
        "Cancelled by client: promise P4 'product demo' for card #5 Eve Xu, appointment 2026-11-18 10:00; "  # noqa: E501
        "thank them for telling you (it does not count against your keep-rate)\n"
    )
    w.do("log", "Bob Li", "谈了价格", "--via", "call")  # next follow-up 2026-12-01
    assert w.promise("周峰", "send company intro", "--due", "thu") == 6
    assert w.promise("张伟", "proposal 方案", "--due", "fri") == 7

    w.at("2026-11-17T09:30:00")
    call_back = ("promise", "Bob Li", "call back with pricing", "2026-11-17T17:00:00+08:00")
    assert w.due() == [(*call_back, 0)]
    assert w.check() == 0

    w.at("2026-11-17T18:00:00")  # the call back was due at 17:00
    assert w.due("--today") == [(*call_back, 0)]
    assert w.reasons() == ["overdue: deliver, or tell the client why and the new date"]
    assert w.check() == 1

    # ---- Wednesday 18 ---------------------------------------------------------------------
    w.at("2026-11-18T08:00:00")
    assert w.due() == [
        (*call_back, 1),
        ("promise", "张伟", "send the quote 报价单", "2026-11-18", 0),
        ("first_visit", "周峰", "first visit", "2026-11-18", 0),
    ]
    assert w.reasons()[2] == "date set by you: intro via Bob Li"

    w.at("2026-11-18T09:00:00")
    w.do("promise", "missed", "5")
    w.at("2026-11-18T11:00:00")
    assert w.do("log", "周峰", "第一次拜访", "--via", "visit") == (
        "Logged visit with #6 周峰; next follow-up 2027-05-17 (by the grade's cadence)\n"
    )
    w.at("2026-11-18T11:30:00")
    w.do("promise", "cancel", "6", "--by", "me", "--reason", "handed it over at the visit")
    w.at("2026-11-18T16:00:00")
    assert w.do("promise", "done", "1").startswith("Kept: promise P1 'send the quote 报价单'")
    w.at("2026-11-18T16:30:00")
    assert w.promise("Bob Li", "send the contract draft 合同草稿", "--due", "sat") == 8

    w.at("2026-11-18T17:00:00")
    coffee_thu = ("appointment", "张伟", "coffee", "2026-11-19T15:00:00+08:00", 0)
    assert w.due() == [coffee_thu]  # tomorrow, but inside the 24 h notice: confirm it now
    assert w.reasons() == ["in 22 h: confirm or tell the client now · at 星巴克 国贸店"]
    assert w.check() == 0
    assert w.keep_rate() == "33% (1 of 3 kept on time)"

    # ---- Thursday 19 ----------------------------------------------------------------------
    w.at("2026-11-19T09:00:00")
    recheck = ("recheck", "Carol Wu", "re-check", "2026-11-19", 0)
    assert w.due() == [coffee_thu, recheck]
    assert w.reasons() == [
        "in 6 h: confirm or tell the client now · at 星巴克 国贸店",
        "re-check: health: after the November check-up",
    ]
    zhang_followup = ("followup", "张伟", "follow up", "2026-11-23", 0)
    assert w.due("--week") == [
        coffee_thu,
        ("promise", "张伟", "proposal 方案", "2026-11-20", 0),
        ("promise", "Bob Li", "send the contract draft 合同草稿", "2026-11-21", 0),
        ("promise", "Dan Ma", "send the brochure", "2026-11-20", 0),
        zhang_followup,
        recheck,
    ]

    w.at("2026-11-19T10:00:00")
    w.do("log", "Carol Wu", "体检结果下月出", "--via", "call")
    w.do("snooze", "Carol Wu", "2026-12-15", "--reason", "health: results in mid-December")
    w.at("2026-11-19T13:00:00")
    assert w.do("promise", "move", "2", "--to", "fri 10:00", "--reason", "堵车") == (
        "Moved: promise P2 'coffee' for card #1 张伟 (阿里), appointment 2026-11-20 10:00 at 星巴克 国贸店; "  # noqa: E501
        "short notice (told 2 h ahead): counts against your keep-rate\n"
    )
    assert w.keep_rate() == "25% (1 of 4 kept on time)"  # the short-notice move counts at once
    w.at("2026-11-19T16:00:00")
    w.do("promise", "done", "8")
    assert w.keep_rate() == "40% (2 of 5 kept on time)"

    # ---- Friday 20 ------------------------------------------------------------------------
    w.at("2026-11-20T09:00:00")
    proposal = ("promise", "张伟", "proposal 方案", "2026-11-20")
    assert w.due() == [
        ("appointment", "张伟", "coffee", "2026-11-20T10:00:00+08:00", 0),
        (*proposal, 0),
        ("promise", "Dan Ma", "send the brochure", "2026-11-20", 0),
    ]
    assert w.reasons()[0] == "in 1 h: confirm or tell the client now · at 星巴克 国贸店"

    w.at("2026-11-20T11:00:00")
    w.do("log", "张伟", "喝咖啡, 谈了方案", "--via", "meeting")  # next follow-up 2026-11-27
    w.at("2026-11-20T11:05:00")
    w.do("promise", "done", "2")
    w.at("2026-11-20T17:00:00")
    w.do("promise", "done", "3")

    w.at("2026-11-20T23:59:00")  # the proposal is due today, not yet overdue
    assert w.due() == [(*proposal, 0)]
    assert w.check() == 0

    # ---- Saturday 21 ----------------------------------------------------------------------
    w.at("2026-11-21T00:00:00")
    assert w.due() == [(*proposal, 1)]
    assert w.check() == 1
    w.at("2026-11-21T10:00:00")
    assert w.do("promise", "done", "7").startswith("Kept late: promise P7 'proposal 方案'")

    w.at("2026-11-21T10:30:00")
    assert w.due() == []
    assert w.do("due") == "Nothing due today. 6 live cards.\n"
    assert w.do("due", "--today", "--quiet") == ""
    assert w.check() == 0

    # ---- Sunday 22 ------------------------------------------------------------------------
    w.at("2026-11-22T09:00:00")
    assert w.do("due", "--today", "--quiet") == ""  # cron: no mail today
    assert w.due("--week") == [("followup", "张伟", "follow up", "2026-11-27", 0)]
    assert w.reasons("--week") == ["grade A cadence 7 d since last contact 2026-11-20"]
    assert w.due("--until", "2026-12-31") == [
        ("followup", "张伟", "follow up", "2026-11-27", 0),
        ("followup", "Bob Li", "follow up", "2026-12-01", 0),
        ("recheck", "Carol Wu", "re-check", "2026-12-15", 0),
        ("followup", "Eve Xu", "follow up", "2026-12-07", 0),
    ]
    w.do("archive", "Eve Xu")
    assert [item[1] for item in w.due("--until", "2026-12-31")] == ["张伟", "Bob Li", "Carol Wu"]
    assert w.do("due") == "Nothing due today. 5 live cards.\n"

    assert w.statuses() == {
        1: ("kept", False),
        2: ("kept", True),
        3: ("kept", False),
        4: ("cancelled_by_client", False),
        5: ("missed", False),
        6: ("cancelled_by_me", False),
        7: ("kept_late", False),
        8: ("kept", False),
    }
    assert w.keep_rate() == "43% (3 of 7 kept on time)"
    assert w.keep_rate("张伟") == "33% (1 of 3 kept on time)"
    assert w.keep_rate("Bob Li") == "50% (1 of 2 kept on time)"
    assert w.keep_rate("Eve Xu") == "no closed promises yet"


def test_cron_is_quiet_on_a_day_with_nothing_due(week: Week):
    w = week
    w.at("2026-11-16T08:30:00")
    w.do("add", "张伟", "--grade", "A")  # due next Monday
    for day in range(16, 23):
        w.at(f"2026-11-{day}T07:00:00")
        result = w.cli("due", "--today", "--quiet")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    w.at("2026-11-23T07:00:00")
    out = w.do("due", "--today", "--quiet")
    assert "张伟" in out
    assert w.check() == 0
    w.at("2026-11-24T07:00:00")
    assert w.check() == 1
