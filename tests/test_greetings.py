"""The greetings that key dates make due in `due` (kind `occasion`), what `due` reads to find
them, and a card's coming occasions.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai. The birthday used throughout falls on
Sunday 2026-11-29: with the default leads (a card 5 days ahead, a call on the day) its card date
is Tuesday 2026-11-24, and a card, gift or call from Tuesday 2026-11-17 on clears it.

A customer is a card with a first sale (issue 4, part 2); the tests set `first_sale_at` directly
so that they do not depend on the sales commands.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from clientcard.domain.settings import Settings
from clientcard.store.open import transaction
from helpers import add, add_date, at, dates, day, greetings, make_customer, stored_card
from helpers import greeting_brief as brief

pytestmark = pytest.mark.usefixtures("migrated")


CARD_REASON = "post a card by Tue 2026-11-24 for the Sun 2026-11-29 birthday, or call on the day"


# ---- greetings in `due` -----------------------------------------------------------------------


def test_a_birthday_next_week_appears_five_days_ahead_for_a_card(ok, birthday):
    # Not earlier: on Monday the card date is still a day away.
    for d in ("2026-11-20", "2026-11-22", "2026-11-23"):
        assert greetings(ok, env=day(d)) == [], d
    items = greetings(ok, env=day("2026-11-24"))
    assert items == [
        {
            "kind": "occasion",
            "urgency": 170,
            "client_id": 1,
            "client": "张伟",
            "grade": "A",
            "what": "birthday on Sun 2026-11-29",
            "due": "2026-11-24",
            "overdue": False,
            "overdue_days": 0,
            "reason": f"{CARD_REASON} · 喜欢普洱茶",
            "flags": [],
            "record_id": 1,
            "company": "阿里",
            "phone": None,
        }
    ]


def test_a_wider_window_shows_the_card_date_ahead(ok, birthday):
    assert brief(greetings(ok, "--week")) == [
        ("张伟", "birthday on Sun 2026-11-29", "2026-11-24", f"{CARD_REASON} · 喜欢普洱茶")
    ]
    assert greetings(ok, "--week", env=day("2026-11-17")) == []  # the week ends on Mon 23
    assert len(greetings(ok, "--week", env=day("2026-11-18"))) == 1
    assert len(greetings(ok, "--until", "mon", env=day("2026-11-18"))) == 0
    assert len(greetings(ok, "--until", "tue", env=day("2026-11-18"))) == 1


def test_the_due_table_shows_the_greeting(ok, birthday):
    # Issue 12: `due` for people is a page grouped by kind, the card's company on its line.
    assert ok("due", env=day("2026-11-24")).stdout == (
        "Due today, Tue 2026-11-24: 1 item\n"
        "\n"
        "Greetings (1)\n"
        "  today  #1 张伟 · A · 阿里\n"
        f"         birthday on Sun 2026-11-29 — {CARD_REASON}\n"
        "         · 喜欢普洱茶\n"  # wrapped inside its column at 120 columns
    )


@pytest.mark.parametrize("via", ["card", "gift"])
def test_a_logged_greeting_clears_it(ok, birthday, via):
    assert len(greetings(ok, env=day("2026-11-24"))) == 1
    ok("log", "张伟", "生日贺卡", "--via", via, env=at("2026-11-24T10:00:00"))
    assert greetings(ok, env=at("2026-11-24T10:01:00")) == []
    assert greetings(ok, "--week", env=day("2026-11-29")) == []
    assert greetings(ok, env=day("2026-11-30")) == []  # nor is it overdue after the day


@pytest.mark.parametrize("via", ["email", "visit", "sms"])
def test_other_channels_do_not_clear_it(ok, birthday, via):
    ok("log", "张伟", "--via", via, env=at("2026-11-24T10:00:00"))
    assert len(greetings(ok, env=at("2026-11-24T10:01:00"))) == 1


def test_a_card_counts_from_three_days_before_the_card_date(ok, birthday):
    # The card date is Tue 2026-11-24: a card on Fri 20 is too early, one on Sat 21 counts.
    ok("log", "1", "--via", "card", env=at("2026-11-20T23:00:00"))
    assert len(greetings(ok, env=day("2026-11-24"))) == 1
    ok("log", "1", "--via", "card", "--at", "2026-11-21 00:30", env=day("2026-11-24"))
    assert greetings(ok, env=at("2026-11-24T10:00:00")) == []


def test_a_routine_call_before_the_day_is_not_the_greeting(ok, birthday):
    # A call about business on the card date, or the day before the birthday, leaves the
    # greeting due: only a call on the day (lead.call = 0) is the birthday call.
    ok("log", "1", "问报价进度", "--via", "call", env=at("2026-11-24T10:00:00"))
    assert len(greetings(ok, env=at("2026-11-24T10:01:00"))) == 1
    ok("log", "1", "--via", "call", env=at("2026-11-28T10:00:00"))
    assert len(greetings(ok, env=day("2026-11-29"))) == 1
    ok("log", "1", "生日快乐", "--via", "call", env=at("2026-11-29T09:00:00"))
    assert greetings(ok, env=at("2026-11-29T09:01:00")) == []


def test_a_call_on_the_day_after_the_card_date(ok, birthday):
    # Too late for the post, not yet the day: nothing due today, the call is due on Sunday.
    for d in ("2026-11-25", "2026-11-28"):
        assert greetings(ok, env=day(d)) == [], d
    late = ("张伟", "birthday on Sun 2026-11-29", "2026-11-29")
    reason = "call on Sun 2026-11-29 (too late to post a card) · 喜欢普洱茶"
    assert brief(greetings(ok, "--week", env=day("2026-11-25"))) == [(*late, reason)]
    items = greetings(ok, env=day("2026-11-29"))
    assert brief(items) == [(*late, reason)]
    assert (items[0]["overdue"], items[0]["urgency"]) == (False, 170)
    ok("log", "1", "--via", "call", "生日快乐", env=at("2026-11-29T10:00:00"))
    assert greetings(ok, env=at("2026-11-29T10:01:00")) == []


def test_a_missed_occasion_is_overdue_for_a_week_then_drops_out(ok, birthday):
    items = greetings(ok, env=day("2026-11-30"))
    assert [(i["due"], i["overdue"], i["overdue_days"], i["urgency"]) for i in items] == [
        ("2026-11-29", True, 1, 120 + 50 + 500 + 5)
    ]
    assert items[0]["reason"] == "belated: the birthday was Sun 2026-11-29; call now · 喜欢普洱茶"
    assert [i["overdue_days"] for i in greetings(ok, env=day("2026-12-06"))] == [7]
    assert greetings(ok, env=day("2026-12-07")) == []


def test_an_overdue_greeting_makes_check_fail(cli, birthday):
    check = ("due", "--check", "--quiet", "--kind", "occasion")
    assert cli(*check, env=day("2026-11-29")).exit_code == 0
    assert cli(*check, env=day("2026-11-30")).exit_code == 1


def test_a_yearly_date_without_a_year_across_the_year_end(ok, zhang):
    add_date(ok, "张伟", "birthday", "12-30")  # 1
    add_date(ok, "张伟", "anniversary", "01-02")  # 2
    # Seen from Sunday Dec 27: the birthday's card date (Fri 25) has passed; the anniversary's
    # is tomorrow, in the next year's occasion.
    assert brief(greetings(ok, "--tomorrow", env=day("2026-12-27"))) == [
        (
            "张伟",
            "anniversary on Sat 2027-01-02",
            "2026-12-28",
            "post a card by Mon 2026-12-28 for the Sat 2027-01-02 anniversary, or call on the day",
        ),
    ]
    assert brief(greetings(ok, "--week", env=day("2026-12-27"))) == [
        (
            "张伟",
            "anniversary on Sat 2027-01-02",
            "2026-12-28",
            "post a card by Mon 2026-12-28 for the Sat 2027-01-02 anniversary, or call on the day",
        ),
        (
            "张伟",
            "birthday on Wed 2026-12-30",
            "2026-12-30",
            "call on Wed 2026-12-30 (too late to post a card)",
        ),
    ]
    # From the new year: last year's birthday is a belated greeting, its next one a year on.
    items = greetings(ok, env=day("2027-01-01"))
    assert [(i["what"], i["overdue_days"]) for i in items] == [("birthday on Wed 2026-12-30", 2)]
    assert [(d["id"], d["date"]) for d in dates(ok, env=day("2027-01-01"))] == [
        (2, "2027-01-02"),
        (1, "2027-12-30"),
    ]


def test_one_off_dates_are_greeted_once(ok, zhang):
    add_date(ok, "1", "promotion", "2026-11-27")
    add_date(ok, "1", "company-move", "2026-05-03")
    assert [i["what"] for i in greetings(ok, "--week")] == ["promotion on Fri 2026-11-27"]
    assert greetings(ok, "--until", "2027-12-31", env=day("2026-12-05")) == []


def test_one_item_per_occasion_however_long_the_window(ok, birthday):
    items = greetings(ok, "--until", "2028-12-31")
    assert [i["what"] for i in items] == ["birthday on Sun 2026-11-29"]
    # Greeted this year: the next one is next year's.
    ok("log", "1", "--via", "card", env=at("2026-11-24T10:00:00"))
    until = greetings(ok, "--until", "2028-12-31", env=at("2026-11-24T10:01:00"))
    assert [i["what"] for i in until] == ["birthday on Mon 2027-11-29"]


def test_the_lead_times_come_from_the_config(ok, birthday):
    ok("config", "set", "--book", "lead.card", "7")
    assert greetings(ok, env=day("2026-11-21")) == []
    assert [i["due"] for i in greetings(ok, env=day("2026-11-22"))] == ["2026-11-22"]
    ok("config", "set", "--book", "lead.call", "1")
    assert [i["reason"] for i in greetings(ok, env=day("2026-11-22"))] == [
        "post a card by Sun 2026-11-22 for the Sun 2026-11-29 birthday, or call by "
        "Sat 2026-11-28 · 喜欢普洱茶"
    ]
    items = greetings(ok, "--week", env=day("2026-11-23"))
    assert brief(items) == [
        (
            "张伟",
            "birthday on Sun 2026-11-29",
            "2026-11-28",
            "call by Sat 2026-11-28 for the Sun 2026-11-29 birthday (too late to post a card)"
            " · 喜欢普洱茶",
        )
    ]


def test_greetings_rank_by_grade_and_sit_between_kinds(ok, zhang):
    add(ok, "Fang", "--grade", "F")
    add_date(ok, "Fang", "birthday", "11-25")
    add_date(ok, "张伟", "birthday", "11-25")
    items = greetings(ok)
    assert [(i["client"], i["urgency"]) for i in items] == [("张伟", 170), ("Fang", 120)]


def test_archived_cards_never_appear(ok, db_path, birthday):
    make_customer(db_path, 1)
    ok("holiday", "add", "2026-11-26", "感恩节")
    assert len(greetings(ok, "--week")) == 2
    ok("archive", "1")
    assert greetings(ok, "--week") == []


def test_cjk_names_and_notes(ok, query):
    add(ok, "欧阳娜娜", "--company", "腾讯")
    add_date(ok, "欧阳", "birthday", "11-24", "--note", "属马, 爱喝龙井")
    add(ok, "Ōtani Shōhei")
    add_date(ok, "ōtani", "anniversary", "11-24", "--note", "結婚記念日 🎉")
    assert query("SELECT note FROM key_date ORDER BY id") == [
        ("属马, 爱喝龙井",),
        ("結婚記念日 🎉",),
    ]
    assert [(i["client"], i["reason"].split(" · ")[1]) for i in greetings(ok, "--week")] == [
        ("Ōtani Shōhei", "結婚記念日 🎉"),
        ("欧阳娜娜", "属马, 爱喝龙井"),
    ]


# ---- what `due` reads ---------------------------------------------------------------------


@pytest.fixture
def statements(db_path) -> Iterator[tuple[Any, list[str]]]:
    """A read transaction on the test's database, and the SQL it runs (with its values)."""
    seen: list[str] = []

    def record(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    with transaction(str(db_path), write=False) as db:
        db.connection.set_trace_callback(record)  # type: ignore[attr-defined]
        yield db, seen


def run_occasion_items(session: Any, until: str) -> list[Any]:
    from clientcard.clock import now
    from clientcard.services.agenda import window_end
    from clientcard.services.greetings import occasion_items

    moment: datetime = now()
    settings = Settings()
    return occasion_items(session, window_end(None, until, moment, settings), moment, settings)


@pytest.mark.parametrize("cards", [2, 12])
def test_due_reads_a_fixed_number_of_queries(ok, db_path, statements, cards):
    for i in range(cards):
        add(ok, f"Card {i}")
        make_customer(db_path, i + 1)
        add_date(ok, str(i + 1), "birthday", "11-25")
        add_date(ok, str(i + 1), "anniversary", "06-01")  # outside the window: not read
        ok("log", str(i + 1), "--via", "call", env=day("2026-11-01"))
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    ok("holiday", "add", "2027-02-06", "春节")  # outside the window
    session, seen = statements
    items = run_occasion_items(session, "sun")
    assert len(items) == 2 * cards
    # The key dates, the holidays, the one holiday's audience, the clearing greetings.
    assert len(seen) == 4
    assert "FROM key_date" in seen[0]
    assert "GROUP BY" in seen[3]


def test_the_key_dates_are_read_through_their_index(ok, statements, birthday):
    session, seen = statements
    run_occasion_items(session, "sun")
    plan = session.connection.execute("EXPLAIN QUERY PLAN " + seen[0])
    assert any("ix_key_date_month_day" in str(row) for row in plan)


# ---- the card page ------------------------------------------------------------------------


def test_upcoming_occasions_of_one_card(ok, db_path, birthday):
    from clientcard.clock import now
    from clientcard.services.occasions import upcoming_occasions

    add_date(ok, "1", "promotion", "2026-12-03")
    add_date(ok, "1", "anniversary", "03-01")  # more than 60 days ahead
    add_date(ok, "1", "company-move", "2026-10-01")  # past
    add(ok, "Acme")
    add_date(ok, "Acme", "birthday", "11-21")
    with transaction(str(db_path), write=False) as s:
        moment: datetime = now()
        views = upcoming_occasions(s, stored_card(s, 1), now=moment, settings=Settings())
        card = stored_card(s, 1)
        wider = upcoming_occasions(s, card, now=moment, settings=Settings(), within_days=120)
    assert [(v.id, v.row()["date"], v.days_until) for v in views] == [
        (1, datetime(2026, 11, 29).date(), 9),
        (2, datetime(2026, 12, 3).date(), 13),
    ]
    assert views[0].row() == {
        "id": 1,
        "client_id": 1,
        "client": "张伟",
        "kind": "birthday",
        "date": datetime(2026, 11, 29).date(),
        "year": None,
        "yearly": True,
        "note": "喜欢普洱茶",
        "days_until": 9,
        "lunar": None,
    }
    assert [v.id for v in wider] == [1, 2, 3]
