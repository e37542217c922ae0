"""Issue 4's "Done when": a scripted month for three clients, Monday 2026-12-07 to Monday
2027-01-04 in Shanghai, with the clock pinned and moved day by day. Every `due` list and every card
page below was written by hand, as a careful salesperson would expect it; the urgencies follow
docs/agenda.md: kind + grade + (overdue: 500 + 5 a day) + value (5 per full 10,000 bought in the
last 12 months). Kinds: promise 250, thanks 150, occasion 120, followup 100, complaint 1000 +
severity (normal 100). Grades: A 50, B 40, D 20.

The cast (added on Monday 7 December):
    #1 张伟 (阿里), A: a prospect; a quote promised for Fri 11, delivered late on Mon 14; first
        sale Thu 17 (12,000), thanked by a call on Fri 18; birthday Sat 19 (card date Mon 14),
        a card handed to his secretary 李娜 on the day.
    #2 Bob Li (Li Trading), B: a customer: 8,000 in Nov 2025 (over 12 months ago), 30,000 in
        Mar 2026; a complaint left on Fri 11 at 19:30, first answered Mon 14 10:00 (past the
        48 h target), resolved Wed 16 with satisfaction 4; a repeat order Mon 21 (20,000),
        thanked by e-mail Wed 23; rated on the 7th, re-rated on the 16th and the 22nd.
    #3 Carol Wu (Wu Design), D: a prospect; promoted Wed 30 (card date Fri 25), greeted late.
元旦 (Fri 2027-01-01) is a holiday for customers: 张伟 and Bob are greeted, Carol is not.
"""

# Issue 12 point 4: records name themselves by kind: "promise P3", "complaint C1", "sale S3",
# "holiday H1", and "card #1" (updated below).
import json
import re
import shlex
from typing import Any

import pytest

from helpers import Salesperson, page_matches

DAMAGED = "2 of the 3 machines arrived damaged"
QUOTE = "send the quote 报价单"
BIRTHDAY = ("occasion", "张伟", "birthday on Sat 2026-12-19")
CARD_OR_CALL = "post a card by Mon 2026-12-14 for the Sat 2026-12-19 birthday, or call on the day"
HOLIDAY = "元旦"
SECTIONS = [
    "Open complaints",
    "Resolved complaints",  # issue 12: the whole card shows how complaints ended
    "Open promises",
    "Coming occasions (60 days)",
    "Close contacts",
    "Recent sales",  # issue 12: the whole card shows the sales themselves
    "Recent contacts",
    "Grade history",
    "Referred",
]
Item = tuple[str, str, str, int, int, tuple[str, ...]]


class Month(Salesperson):
    """The salesperson at work: a clock to move (`at`), and the commands they type (`do`)."""

    def typed(self, line: str) -> str:
        return self.do(*shlex.split(line))

    def items(self, *window: str) -> list[dict[str, Any]]:
        items = json.loads(self.do("due", *window, "--format", "json"))
        page = self.do("due", *window)
        table = page.splitlines()
        if items:  # the page lists the same items, grouped (issue 12: no urgency column)
            page_matches(page, items)
        else:
            assert len(table) == 1
            assert whose_removed(table[0]).startswith("Nothing due ")
        urgencies = [i["urgency"] for i in items]
        assert urgencies == sorted(urgencies, reverse=True)
        return items

    def due(self, *window: str) -> list[Item]:
        return [
            (i["kind"], i["client"], i["what"], i["urgency"], i["overdue_days"], tuple(i["flags"]))
            for i in self.items(*window)
        ]

    def due_is(self, expected: list[Item], *window: str) -> None:
        assert self.due(*window) == expected

    def reasons_are(self, expected: dict[tuple[str, str, str], str], *window: str) -> None:
        got = {(i["kind"], i["client"], i["what"]): i["reason"] for i in self.items(*window)}
        assert got == expected

    def table_is(self, expected: list[tuple[str, ...]], *window: str) -> None:
        """Urg, Kind, Due, Client, Gr, What of each item. Issue 12: the page for people has no
        urgency column and groups the items, so this reads them from JSON, and checks that the
        page shows each item's card and what (and the JSON order is the urgency order)."""
        items = self.items(*window)
        page = self.do("due", *window)
        rows = [
            (str(i["urgency"]), i["kind"], i["due"][:16].replace("T", " "), i["client"],
             i["grade"], i["what"])
            for i in items
        ]  # fmt: skip
        assert all(f"#{i['client_id']} {i['client']} · {i['grade']}" in page for i in items)
        assert all(f"{i['what']} — " in page for i in items)
        assert rows == expected

    def quiet(self) -> None:
        result = self.cli("due", "--today", "--quiet")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")

    def page(self, client: str) -> tuple[str, dict[str, str], dict[str, list[tuple[str, ...]]]]:
        """`show CLIENT`: the title line, the label/value lines, and each section's rows."""
        blocks = self.do("show", client).rstrip("\n").split("\n\n")
        head = blocks[0].splitlines()
        fields = {line[:16].strip(): line[16:].strip() for line in head[1:]}
        sections = {}
        for block in blocks[1:]:
            title, *rest = block.splitlines()
            rows = rest[2:] if len(rest) > 1 else []  # header and rule, or "  none"
            cells = [tuple(re.split(r"\s{2,}", row.strip())) for row in rows]
            sections[title] = cells
        assert list(sections) == SECTIONS
        return head[0], fields, sections

    def card(self, client: str) -> dict[str, Any]:
        return json.loads(self.do("show", client, "--format", "json"))


def whose_removed(line: str) -> str:
    """On a team's book (PostgreSQL, whose cards have owners) `due` first says whose agenda it
    is (issue 17): the same line without it."""
    return re.sub(r"^(Everyone's agenda|Agenda of [^:]+): ", "", line)


@pytest.fixture(params=["sqlite3", "postgresql"])
def month(request, cli, ok, monkeypatch, db_path) -> Month:
    """The month is played on both data paths (store/db.py): a book file opened with the stdlib
    driver, and a real PostgreSQL database opened with psycopg (a new one, from the
    `postgres_url` fixture in conftest.py). Every list and page must be the same to the
    character."""
    if request.param == "postgresql":
        monkeypatch.setenv("CLIENTCARD_DB", request.getfixturevalue("postgres_url"))
    return Month(cli, ok, monkeypatch)


def test_a_month_of_work(month: Month):
    play(month)


def test_a_thank_you_call_the_day_before_is_not_the_birthday_greeting(month: Month):
    m = month
    m.at("2026-12-14T09:00:00").do("add", "张伟", "--company", "阿里", "--grade", "A")
    m.do("date", "add", "张伟", "birthday", "12-19", "--note", "喜欢普洱茶")
    m.at("2026-12-17T15:00:00").do("sale", "张伟", "12000", "--what", "家庭保险")
    m.at("2026-12-18T10:00:00").do("log", "张伟", "thank-you call for the order", "--via", "call")
    m.at("2026-12-19T09:00:00")
    assert m.due() == [(*BIRTHDAY, 175, 0, ())]  # 120 + A 50 + value 5


def play(m: Month) -> None:
    # ---- Monday 7 December: the cards are typed in ---------------------------------------
    m.at("2026-12-07T08:30:00")
    m.do("add", "张伟", "--company", "阿里", "--grade", "A", "--phone", "138 0013 8000")
    m.do("add", "Bob Li", "--company", "Li Trading", "--grade", "B")
    m.do("add", "Carol Wu", "--company", "Wu Design", "--grade", "D")
    # Old sales typed in from paper: no meeting to log (issue 11: --no-contact).
    m.do("sale", "Bob Li", "8000", "--what", "trial machine", "--on", "2025-11-15", "--no-thanks",
         "--no-contact")  # fmt: skip
    m.do("sale", "Bob Li", "30000", "--what", "3 machines", "--on", "2026-03-10", "--no-thanks",
         "--no-contact")  # fmt: skip
    m.typed('log "Bob Li" "paper card: order follow-up" --via call --at "2026-11-30 10:00"')
    m.typed('log "Carol Wu" "paper card: budget next year" --via call --at 2026-10-30')
    m.typed('person add 张伟 李娜 --role 秘书 --phone "138 0000 0000" --note "knows the budget"')
    m.typed('person add "Bob Li" "Amy Chen" --role assistant --email amy@litrading.example')
    assert m.typed(
        'rate "Bob Li" --credit good --satisfaction 4 --loyalty 3 -r "first survey"'
    ) == ("Rated #2 Bob Li (Li Trading): credit good, satisfaction 4/5, loyalty 3/5\n")
    m.do("date", "add", "张伟", "birthday", "12-19", "--note", "喜欢普洱茶")
    m.do("date", "add", "Carol Wu", "promotion", "2026-12-30", "--note", "new design director")
    assert m.do("holiday", "add", "2027-01-01", "元旦") == (
        "Added holiday H1 元旦 on Fri 2027-01-01 for customers (1 live card now)\n"
    )
    m.at("2026-12-07T09:00:00")
    # Next follow-up Mon 14. A business call, not the birthday greeting (that is a card from
    # three days before the card date, or a call on the day).
    m.do("log", "张伟", "wants a quote for a family plan", "--via", "call")
    assert m.do("promise", "add", "张伟", QUOTE, "--due", "fri", "-q") == "1\n"

    m.at("2026-12-07T09:30:00")  # a quiet first day: cron mails nothing
    m.due_is([])
    assert whose_removed(m.do("due")) == "Nothing due today. 3 live cards.\n"
    m.quiet()
    m.due_is([("promise", "张伟", QUOTE, 300, 0, ())], "--week")  # 250 + A 50

    # ---- Friday 11: the quote is due today --------------------------------------------------
    m.at("2026-12-11T09:00:00")
    m.due_is([("promise", "张伟", QUOTE, 300, 0, ())])
    # At 19:30 Bob leaves a message about damaged machines; nobody reads it until Monday.

    # ---- Monday 14: the complaint comes first -------------------------------------------------
    m.at("2026-12-14T08:00:00")
    quote_late = ("promise", "张伟", QUOTE, 815, 3, ())  # 250 + 50 + 500 + 5 x 3
    birthday_card = (*BIRTHDAY, 170, 0, ())  # the card date: 120 + A 50 (no sale yet)
    bob_followup = ("followup", "Bob Li", "follow up", 155, 0)  # 100 + B 40 + value 15 (30,000)
    zhang_followup = ("followup", "张伟", "follow up", 150, 0, ())  # 100 + 50
    m.due_is([quote_late, birthday_card, (*bob_followup, ()), zhang_followup])

    m.at("2026-12-14T08:30:00")
    m.do(
        "config", "set", "--book", "complaint.round_the_clock", "normal,urgent"
    )  # issue 11: clock hours
    m.do(
        "config", "set", "--book", "response.normal", "48"
    )  # and 0.1's 48 h, as this month was computed
    m.do("config", "set", "--book", "resolve.normal", "168")  # and its 168 h to resolve
    assert m.do("complaint", "add", "Bob Li", DAMAGED, "--at", "2026-12-11 19:30") == (
        "Complaint C1 from #2 Bob Li (Li Trading), normal: answer by 2026-12-13 19:30 "
        "(past by 13 h: answer now)\n"
    )
    # 1000 + normal 100 + B 40 + overdue since Sun 19:30 (500 + 5 x 1) + value 15 = 1660
    complaint_late = ("complaint", "Bob Li", DAMAGED, 1660, 1, ("past_response_target",))
    unhappy_followup = (*bob_followup, ("open_complaint",))
    m.due_is([complaint_late, quote_late, birthday_card, unhappy_followup, zhang_followup])
    m.reasons_are(
        {
            complaint_late[:3]: "normal, past the response target by 13 h: answer now",
            quote_late[:3]: "overdue: deliver, or tell the client why and the new date",
            BIRTHDAY: f"{CARD_OR_CALL} · 喜欢普洱茶",
            bob_followup[:3]: "open complaint: resolve it before any pitch; "
            "grade B cadence 14 d since last contact 2026-11-30",
            zhang_followup[:3]: "grade A cadence 7 d since last contact 2026-12-07",
        }
    )
    m.table_is(
        [
            ("1660", "complaint", "2026-12-13 19:30", "Bob Li", "B", DAMAGED),
            ("815", "promise", "2026-12-11", "张伟", "A", QUOTE),
            ("170", "occasion", "2026-12-14", "张伟", "A", BIRTHDAY[2]),
            ("155", "followup", "2026-12-14", "Bob Li", "B", "follow up"),
            ("150", "followup", "2026-12-14", "张伟", "A", "follow up"),
        ]
    )
    assert m.cli("due", "--check", "--quiet").exit_code == 1

    title, fields, sections = m.page("Bob Li")  # the page read before calling him back
    assert title == "#2 Bob Li · Li Trading · customer"
    assert fields["Value"] == (
        "30,000.00 CNY in the last 12 months; lifetime value 600,000.00 CNY (20 x); "
        "2 sales, 1 repeat order"
    )
    assert fields["Ratings"] == "credit good, satisfaction 4/5, loyalty 3/5"
    assert fields["Last contact"] == "2026-11-30 10:00"
    assert fields["Next follow-up"] == "2026-12-14 (by the grade's cadence)"
    assert fields["Keep-rate"] == "no closed promises yet"
    assert sections == {
        SECTIONS[0]: [("C1", "normal", DAMAGED, "2026-12-11 19:30", "response")],
        SECTIONS[1]: [],  # issue 12: none resolved yet
        SECTIONS[2]: [],
        SECTIONS[3]: [("2027-01-01", "holiday", "18", HOLIDAY)],  # a customer: greeted at New Year
        SECTIONS[4]: [("Amy Chen", "assistant", "amy@litrading.example")],
        SECTIONS[5]: [  # issue 12: the sales typed in from paper, newest first
            ("2026-03-10 00:00", "30,000.00 CNY", "3 machines", "li"),  # issue 17: by whom
            ("2025-11-15 00:00", "8,000.00 CNY", "trial machine", "li"),
        ],
        SECTIONS[6]: [("2026-11-30 10:00", "call", "paper card: order follow-up", "li")],
        SECTIONS[7]: [("2026-12-07 08:30", "B", "7 d so far", "added", "li")],  # 11: days held
        SECTIONS[8]: [],
    }
    assert fields["Complaints"] == "1 open, 0 resolved"  # issue 12
    assert fields["Sales"] == "2 sales, 38,000.00 CNY in all"  # issue 12: the older one too
    card = m.card("Bob Li")
    assert card["value"] == {
        "customer": True,
        "customer_since": "2025-11-15T00:00:00+08:00",
        "currency": "CNY",
        "purchases_12m": "30000.00",  # the November 2025 sale is over 12 months old
        "lifetime_value": "600000.00",  # 20 x 30,000
        "multiplier": 20,
        "sales": 2,
        "repeat_orders": 1,
        "total_purchases": "38000.00",
        "last_sale_at": "2026-03-10T00:00:00+08:00",
    }
    assert {k: card["ratings"][k] for k in ("credit", "satisfaction", "loyalty")} == {
        "credit": "good",
        "satisfaction": 4,
        "loyalty": 3,
    }
    assert card["open_complaints"] == [
        {
            "id": 1,
            "severity": "normal",
            "what": DAMAGED,
            "status": "open",
            "received_at": "2026-12-11T19:30:00+08:00",
            "first_response_at": None,
            "resolved_at": None,
            "response_due": "2026-12-13T19:30:00+08:00",  # + 48 h
            "resolve_due": "2026-12-18T19:30:00+08:00",  # + 168 h
            "past_target": "response",
            "satisfaction": None,
            "cause": None,  # issue 16
            "cause_note": None,
            "responsibility": "unknown",
            "author": "li",  # issue 17
        }
    ]
    assert card["upcoming_occasions"] == [
        {
            "id": 1,
            "kind": "holiday",
            "date": "2027-01-01",
            "year": 2027,
            "yearly": False,
            "note": HOLIDAY,
            "days_until": 18,
            "lunar": None,  # issue 18: a lunar date's 08-15, else null
        }
    ]
    assert [tuple(p.values()) for p in card["people"]] == [
        (2, "Amy Chen", "assistant", None, "amy@litrading.example", None)
    ]
    assert m.page("张伟")[0] == "#1 张伟 · 阿里 · prospect"

    m.at("2026-12-14T10:00:00")
    assert m.do("complaint", "step", "1", "called Bob, listened, apologised") == (
        "Step on complaint C1 from #2 Bob Li (Li Trading): first response 2 d 14 h after receipt "
        "(target 48 h, late by 14 h); resolve by 2026-12-18 19:30\n"
    )
    m.at("2026-12-14T11:00:00")
    assert m.do("promise", "done", "1").startswith(f"Kept late: promise P1 '{QUOTE}'")
    m.at("2026-12-14T14:00:00")  # a visit is not a greeting: the birthday card stays due
    m.do("log", "张伟", "brought the quote; he wants to think it over", "--via", "visit")
    complaint_answered = ("complaint", "Bob Li", DAMAGED, 1155, 0, ())  # 1000 + 100 + 40 + 15
    m.due_is([complaint_answered, birthday_card, unhappy_followup])
    assert m.items()[0]["reason"] == "normal, answered; resolve by 2026-12-18 19:30"

    # ---- Tuesday 15, Wednesday 16: no pitch to Bob until the complaint is resolved -------------
    m.at("2026-12-15T09:00:00")
    bob_late = ("followup", "Bob Li", "follow up")
    m.due_is([complaint_answered, (*bob_late, 660, 1, ("open_complaint",))])  # 155 + 500 + 5
    m.at("2026-12-16T09:00:00")
    m.due_is([complaint_answered, (*bob_late, 665, 2, ("open_complaint",))])  # 155 + 500 + 10
    m.at("2026-12-16T16:00:00")
    assert m.typed('complaint resolve 1 --result "replaced both machines" --satisfaction 4') == (
        "Resolved complaint C1 from #2 Bob Li (Li Trading) 4 d 20 h after receipt "
        "(target 168 h, on time); satisfaction 4/5\n"
    )
    m.due_is([(*bob_late, 665, 2, ())])  # the flag goes with the complaint
    assert m.items()[0]["reason"] == "grade B cadence 14 d since last contact 2026-11-30"
    (done,) = json.loads(m.do("complaint", "list", "Bob Li", "--all", "-f", "json"))
    assert (done["status"], done["first_response_at"], done["past_target"]) == (
        "resolved",
        "2026-12-14T10:00:00+08:00",
        None,
    )
    assert done["satisfaction"] == 4
    m.at("2026-12-16T17:00:00")
    m.do("log", "Bob Li", "brought the replacements", "--via", "visit", "--with", "Amy Chen")
    assert m.do("rate", "Bob Li", "--satisfaction", "3", "--reason", "answered late") == (
        "Rated #2 Bob Li (Li Trading): credit good, satisfaction 3/5 (was 4/5), loyalty 3/5\n"
    )
    m.due_is([])

    # ---- Thursday 17: 张伟 buys ---------------------------------------------------------------
    m.at("2026-12-17T15:00:00")
    assert m.do("sale", "张伟", "12000", "--what", "家庭保险") == (
        "Sale S3: 12,000.00 CNY to #1 张伟 (阿里) for '家庭保险'; first sale: now a customer; "
        "thank them by 2026-12-19; logged as a meeting, next follow-up 2026-12-24\n"
    )  # issue 11: the sale was a meeting, a contact
    thanks = ("thanks", "张伟", "thank them for the purchase of 家庭保险")
    birthday_call = (*BIRTHDAY, 175, 0, ())  # 120 + 50 + value 5 (12,000): the day itself
    m.due_is([(*thanks, 205, 0, ())])  # issue 11: due from the day of the sale, by Saturday
    m.due_is(
        [
            (*thanks, 205, 0, ()),  # 150 + 50 + 5
            birthday_call,  # issue 11: the follow-up moved to Thu 24 with the sale's meeting
        ],
        "--week",
    )

    # ---- Friday 18: the thank-you call, a day later ---------------------------------------------
    m.at("2026-12-18T10:00:00")
    assert m.do("log", "张伟", "thank-you call for the order", "--via", "call") == (
        "Logged call with #1 张伟 (阿里); next follow-up 2026-12-25 (by the grade's cadence); "
        "thank-you done\n"
    )  # issue 11: "thank-you done" (a referral is thanked too)
    m.due_is([birthday_call], "--week")
    title, fields, sections = m.page("张伟")
    assert title == "#1 张伟 · 阿里 · customer"
    assert fields["Value"] == (
        "12,000.00 CNY in the last 12 months; lifetime value 240,000.00 CNY (20 x); "
        "1 sale, 0 repeat orders"
    )
    assert fields["Ratings"] == "credit not rated, satisfaction not rated, loyalty not rated"
    assert fields["Last contact"] == "2026-12-18 10:00"
    assert fields["Next follow-up"] == "2026-12-25 (by the grade's cadence)"
    assert fields["Keep-rate"] == "0% (0 of 1 kept on time)"  # the quote came late
    assert sections == {
        SECTIONS[0]: [],
        SECTIONS[1]: [],  # issue 12: resolved complaints (none)
        SECTIONS[2]: [],
        SECTIONS[3]: [
            ("2026-12-19", "birthday", "1", "喜欢普洱茶"),
            ("2027-01-01", "holiday", "14", HOLIDAY),
        ],
        SECTIONS[4]: [("李娜", "秘书", "138 0000 0000", "knows the budget")],
        SECTIONS[5]: [("2026-12-17 15:00", "12,000.00 CNY", "家庭保险", "li")],  # 12: the sale
        SECTIONS[6]: [
            ("2026-12-18 10:00", "call", "thank-you call for the order", "li"),
            ("2026-12-17 15:00", "meeting", "sale of 12,000.00 CNY: 家庭保险", "sale S3", "li"),
            ("2026-12-14 14:00", "visit", "brought the quote; he wants to think it over", "li"),
            ("2026-12-07 09:00", "call", "wants a quote for a family plan", "li"),
        ],
        SECTIONS[7]: [("2026-12-07 08:30", "A", "11 d so far", "added", "li")],  # 11: days held
        SECTIONS[8]: [],
    }
    assert "Complaints" not in fields  # issue 12: a card that never had one says nothing
    assert fields["Sales"] == "1 sale, 12,000.00 CNY in all"  # issue 12
    card = m.card("张伟")
    assert card["customer"] is True
    assert (card["value"]["purchases_12m"], card["value"]["lifetime_value"]) == (
        "12000.00",
        "240000.00",
    )
    assert card["ratings"] == {
        "credit": None,
        "satisfaction": None,
        "loyalty": None,
        "rated_at": None,
        "history": [],
    }
    assert card["open_complaints"] == []
    assert [tuple(o.items()) for o in card["upcoming_occasions"]] == [
        (("id", 1), ("kind", "birthday"), ("date", "2026-12-19"), ("year", None),
         ("yearly", True), ("note", "喜欢普洱茶"), ("days_until", 1), ("lunar", None)),
        (("id", 1), ("kind", "holiday"), ("date", "2027-01-01"), ("year", 2027),
         ("yearly", False), ("note", HOLIDAY), ("days_until", 14), ("lunar", None)),
    ]  # fmt: skip
    assert [(p["name"], p["role"], p["phone"]) for p in card["people"]] == [
        ("李娜", "秘书", "138 0000 0000")
    ]

    # ---- Saturday 19: 张伟's birthday: a card handed to his secretary ---------------------------
    m.at("2026-12-19T09:00:00")
    m.due_is([birthday_call])
    m.reasons_are({BIRTHDAY: "call on Sat 2026-12-19 (too late to post a card) · 喜欢普洱茶"})
    m.at("2026-12-19T10:00:00")
    # Issue 11: a greeting, so the follow-up stays Fri 25 (it was Sat 26).
    m.do("log", "张伟", "生日贺卡和一饼普洱茶", "--via", "card", "--with", "李娜")
    m.due_is([])

    # ---- Monday 21: a quiet morning, then Bob's repeat order ----------------------------------
    m.at("2026-12-21T09:00:00")
    m.due_is([])
    m.quiet()
    m.at("2026-12-21T11:00:00")
    assert m.do("sale", "Bob Li", "20000", "--what", "2 more machines") == (
        "Sale S4: 20,000.00 CNY to #2 Bob Li (Li Trading) for '2 more machines'; "
        "thank them by 2026-12-23; logged as a meeting, next follow-up 2027-01-04\n"
    )  # issue 11: the sale was a meeting
    m.at("2026-12-22T09:00:00")
    assert m.typed('rate "Bob Li" --credit fair --loyalty 5 -r "repeat order; paid late"') == (
        "Rated #2 Bob Li (Li Trading): credit fair (was good), satisfaction 3/5, "
        "loyalty 5/5 (was 3/5)\n"
    )

    # ---- Wednesday 23: the thank-you is due today -------------------------------------------
    m.at("2026-12-23T09:00:00")
    bob_thanks = ("thanks", "Bob Li", "thank them for the purchase of 2 more machines")
    m.due_is([(*bob_thanks, 215, 0, ())])  # 150 + 40 + value 25 (30,000 + 20,000)
    m.reasons_are(
        {bob_thanks: "sale of 20,000.00 CNY on 2026-12-21: thank them by 2026-12-23"}  # issue 11
    )
    m.do("log", "Bob Li", "thank-you e-mail with the delivery date", "--via", "email")
    m.due_is([])
    title, fields, sections = m.page("Bob Li")
    assert title == "#2 Bob Li · Li Trading · customer"
    assert fields["Value"] == (
        "50,000.00 CNY in the last 12 months; lifetime value 1,000,000.00 CNY (20 x); "
        "3 sales, 2 repeat orders"
    )
    assert fields["Ratings"] == "credit fair, satisfaction 3/5, loyalty 5/5"
    assert fields["Last contact"] == "2026-12-23 09:00"
    assert fields["Next follow-up"] == "2027-01-06 (by the grade's cadence)"
    assert fields["Keep-rate"] == "no closed promises yet"
    assert sections[SECTIONS[0]] == []  # resolved
    assert sections[SECTIONS[1]] == [  # issue 12: and the page says how it ended
        ("C1", "2026-12-16", DAMAGED, "replaced both machines", "4/5")
    ]
    assert fields["Complaints"] == "0 open, 1 resolved"  # issue 12
    assert sections[SECTIONS[3]] == [("2027-01-01", "holiday", "9", HOLIDAY)]  # issue 12: index
    assert sections[SECTIONS[5]] == [  # issue 12: the repeat order first
        ("2026-12-21 11:00", "20,000.00 CNY", "2 more machines", "li"),
        ("2026-03-10 00:00", "30,000.00 CNY", "3 machines", "li"),
        ("2025-11-15 00:00", "8,000.00 CNY", "trial machine", "li"),
    ]
    assert fields["Sales"] == "3 sales, 58,000.00 CNY in all"  # issue 12
    assert sections[SECTIONS[6]] == [  # issue 12: index
        ("2026-12-23 09:00", "email", "thank-you e-mail with the delivery date", "li"),
        ("2026-12-21 11:00", "meeting", "sale of 20,000.00 CNY: 2 more machines", "sale S4", "li"),
        ("2026-12-16 17:00", "visit", "Amy Chen", "brought the replacements", "li"),
        ("2026-11-30 10:00", "call", "paper card: order follow-up", "li"),
    ]
    card = m.card("Bob Li")
    assert card["value"]["purchases_12m"] == "50000.00"
    assert card["value"]["lifetime_value"] == "1000000.00"  # 20 x 50,000
    assert (card["value"]["sales"], card["value"]["repeat_orders"]) == (3, 2)
    assert card["value"]["total_purchases"] == "58000.00"
    assert card["ratings"]["rated_at"] == "2026-12-22T09:00:00+08:00"
    assert [
        (h["at"][:10], h["credit"], h["satisfaction"], h["loyalty"])
        for h in card["ratings"]["history"]
    ] == [
        ("2026-12-07", "good", 4, 3),
        ("2026-12-16", None, 3, None),
        ("2026-12-22", "fair", None, 5),
    ]
    assert card["open_complaints"] == []
    assert card["upcoming_occasions"] == [
        {
            "id": 1,
            "kind": "holiday",
            "date": "2027-01-01",
            "year": 2027,
            "yearly": False,
            "note": HOLIDAY,
            "days_until": 9,
            "lunar": None,
        }
    ]
    assert [p["name"] for p in card["people"]] == ["Amy Chen"]

    # ---- Friday 25: Carol's promotion card date ------------------------------------------------
    m.at("2026-12-25T09:00:00")
    promotion = ("occasion", "Carol Wu", "promotion on Wed 2026-12-30")
    zhang_due = ("followup", "张伟", "follow up", 155, 0, ())  # issue 11: the card was a greeting
    m.due_is([zhang_due, (*promotion, 140, 0, ())])  # 120 + D 20
    m.reasons_are(
        {
            # Issue 11: the birthday card of the 19th was a greeting, not a sales contact.
            zhang_due[:3]: "grade A cadence 7 d since last sales contact 2026-12-18",
            promotion: "post a card by Fri 2026-12-25 for the Wed 2026-12-30 promotion, "
            "or call on the day · new design director",
        }
    )

    # ---- Sunday 27: the 元旦 card date: customers only -------------------------------------------
    m.at("2026-12-27T09:00:00")
    zhang_late = ("followup", "张伟", "follow up", 665, 2, ())  # 100 + 50 + 500 + 10 + 5 (11)
    new_year = "元旦 greetings"
    m.due_is(
        [
            zhang_late,
            ("occasion", "Bob Li", new_year, 185, 0, ()),  # 120 + 40 + 25
            ("occasion", "张伟", new_year, 175, 0, ()),  # 120 + 50 + 5
        ]
    )
    m.table_is(
        [
            ("665", "followup", "2026-12-25", "张伟", "A", "follow up"),  # issue 11: Fri 25
            ("185", "occasion", "2026-12-27", "Bob Li", "B", new_year),
            ("175", "occasion", "2026-12-27", "张伟", "A", new_year),
        ]
    )
    assert m.items()[1]["reason"] == (
        "post a card by Sun 2026-12-27 for 元旦 on Fri 2027-01-01, or call on the day"
    )
    m.do("log", "Bob Li", "New Year card", "--via", "card")
    m.due_is([zhang_late, ("occasion", "张伟", new_year, 175, 0, ())])

    # ---- Monday 28 to Thursday 31 ---------------------------------------------------------------
    m.at("2026-12-28T09:00:00")
    m.due_is([("followup", "张伟", "follow up", 670, 3, ())])  # issue 11: late since Fri 25
    m.do("log", "张伟", "talked about adding 重疾险", "--via", "visit")  # not a greeting
    m.at("2026-12-29T09:00:00")
    m.due_is([("followup", "Carol Wu", "follow up", 120, 0, ())])  # 60 d after 30 Oct: 100 + 20
    m.do("log", "Carol Wu", "sent the 2027 catalogue", "--via", "email")  # not a greeting
    m.at("2026-12-30T09:00:00")  # a busy day: the promotion call is forgotten
    m.due_is([(*promotion, 140, 0, ())])
    m.reasons_are(
        {promotion: "call on Wed 2026-12-30 (too late to post a card) · new design director"}
    )
    m.at("2026-12-31T09:00:00")
    m.due_is([(*promotion, 645, 1, ())])  # belated: 120 + 20 + 500 + 5
    m.reasons_are(
        {promotion: "belated: the promotion was Wed 2026-12-30; call now · new design director"}
    )
    m.table_is([("645", "occasion", "2026-12-30", "Carol Wu", "D", promotion[2])])
    assert m.cli("due", "--check", "--quiet").exit_code == 1
    m.do("log", "Carol Wu", "congratulated her on the promotion", "--via", "call")
    m.due_is([])

    # ---- Friday 1 January: 元旦, a call for the customer who got no card ----------------------
    m.at("2027-01-01T09:00:00")
    m.due_is([("occasion", "张伟", new_year, 175, 0, ())])
    assert m.items()[0]["reason"] == "call on Fri 2027-01-01 (too late to post a card)"
    m.do("log", "张伟", "新年快乐", "--via", "call", "--with", "李娜")
    m.due_is([])

    # ---- Monday 4: a quiet start to the new year -----------------------------------------------
    m.at("2027-01-04T09:00:00")
    m.due_is([])
    m.quiet()
    m.due_is(
        [
            ("followup", "Bob Li", "follow up", 165, 0, ()),  # Sun 10: 100 + 40 + 25
            ("followup", "张伟", "follow up", 155, 0, ()),  # Fri 8: 100 + 50 + 5
        ],
        "--week",
    )
    names = [c["name"] for c in json.loads(m.do("list", "--customers", "-f", "json"))]
    assert sorted(names) == ["Bob Li", "张伟"]
    assert [c["name"] for c in json.loads(m.do("list", "--prospects", "-f", "json"))] == [
        "Carol Wu"
    ]
    carol = m.card("Carol Wu")
    assert (carol["customer"], carol["value"]["lifetime_value"]) == (False, "0.00")
    assert carol["upcoming_occasions"] == []  # the promotion has passed
    assert carol["next_followup"]["on"] == "2027-03-01"  # the call on 31 Dec + 60 d


def test_the_card_page_shows_the_holiday_greeting_the_client_is_owed(month: Month):
    m = month.at("2026-12-23T09:00:00")
    m.do("add", "Bob Li", "--company", "Li Trading", "--grade", "B")
    m.do("sale", "Bob Li", "20000", "--no-thanks")
    m.do("holiday", "add", "2027-01-01", HOLIDAY)
    new_year = ("occasion", "Bob Li", "元旦 greetings", 170, 0, ())  # 120 + 40 + value 10
    m.due_is([new_year], "--until", "2026-12-27")
    _, _, sections = m.page("Bob Li")
    # issue 12: the occasions moved to index 3 (resolved complaints come before them)
    assert [r[0] for r in sections[SECTIONS[3]] if HOLIDAY in " ".join(r)] == ["2027-01-01"]
    occasions = m.card("Bob Li")["upcoming_occasions"]
    assert [o["date"] for o in occasions if HOLIDAY in json.dumps(o, ensure_ascii=False)] == [
        "2027-01-01"
    ]
