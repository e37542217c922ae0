"""Issue 11, points 1-3 and the confirm-by-contact half of 4: every real touch is a contact.

A kept appointment, a sale and a complaint step taken with the client record a contact through
the one service function (services/touches.py `record_contact`) that `log` calls; a greeting
keeps in touch without moving the sales follow-up; thank-yous are due from the day of the sale
(or referral) until done; a contact confirms the client's appointments within the notice window.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); times are stored in UTC.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json
from typing import Any

import pytest

from clientcard.services import touches
from clientcard.services.contacts import log_contact
from clientcard.services.promises import done
from clientcard.services.sales import record_sale
from helpers import (
    CONTACT_KEYS,
    ZHANG,
    add,
    add_date,
    assert_error,
    at,
    complaint,
    due,
    greetings,
    lines,
    promise,
    sale,
)

pytestmark = pytest.mark.usefixtures("migrated")


def card_times(query, client_id: int = 1) -> tuple[Any, ...]:
    """(last_contact_at, last_visit_at, followed_up_at, next_followup_on) as stored."""
    return query(
        "SELECT last_contact_at, last_visit_at, followed_up_at, next_followup_on "
        "FROM client WHERE id = ?",
        (client_id,),
    )[0]


def contacts(query, client_id: int = 1) -> list[tuple[Any, ...]]:
    """(at, via, summary, source, source_id, greeting) of the card's contacts, oldest first."""
    return query(
        "SELECT at, via, summary, source, source_id, greeting FROM contact "
        "WHERE client_id = ? ORDER BY at, id",
        (client_id,),
    )


def thanks(ok, *options: str, **kwargs: Any) -> list[tuple[Any, ...]]:
    """(client, what, due, overdue_days, reason, record_id) of each thank-you in `due`."""
    return [
        (i["client"], i["what"], i["due"], i["overdue_days"], i["reason"], i["record_id"])
        for i in due(ok, "--kind", "thanks", *options, **kwargs)
    ]


# ---- one function for every touch ----------------------------------------------------------


def test_every_action_that_touches_a_client_goes_through_record_contact() -> None:
    """Not a copy each: `log`, `promise done`, `sale` and `complaint step` call the one
    function, and touches.py imports none of the services that call it (no cycle)."""
    import inspect

    from clientcard.services import complaints

    for action in (log_contact, done, record_sale, complaints.add_step):
        assert "record_contact(" in inspect.getsource(action), action.__name__
    source = inspect.getsource(touches)
    for above in ("promises", "sales", "complaints", "contacts", "clients"):
        assert f"services.{above} import" not in source, above


# ---- a kept appointment ----------------------------------------------------------------------


def test_a_kept_appointment_is_a_meeting_at_its_time(ok, query) -> None:
    add(ok, "李雷", "--company", "韩梅梅贸易", "--grade", "F")
    pid = promise(ok, "李雷", "第一次拜访", "--at", "2026-11-21 15:00", "--where", "their office")
    out = ok("promise", "done", str(pid), env=at("2026-11-21T17:30")).stdout
    assert out.endswith("; logged as a meeting\n")
    # At the appointment's time (15:00 local = 07:00 UTC), not when it was marked done.
    assert contacts(query) == [
        ("2026-11-21 07:00:00.000000", "meeting", "第一次拜访", "appointment", pid, 0)
    ]
    # The F card has had its first visit; the follow-up counts 180 days from the meeting.
    assert card_times(query) == (
        "2026-11-21 07:00:00.000000",
        "2026-11-21 07:00:00.000000",
        "2026-11-21 07:00:00.000000",
        "2027-05-20",
    )


def test_a_kept_appointment_by_phone_is_no_visit(ok, query, zhang) -> None:
    pid = promise(ok, "张伟", "电话会议", "--at", "2026-11-20 15:00")
    out = ok("promise", "done", str(pid), "--via", "CALL", env=at("2026-11-20T16:00")).stdout
    assert out.endswith("; logged as a call\n")
    assert card_times(query) == (
        "2026-11-20 07:00:00.000000",
        None,
        "2026-11-20 07:00:00.000000",
        "2026-11-27",  # grade A: 7 days
    )


def test_a_kept_deliverable_records_no_contact_and_refuses_via(cli, ok, query, zhang) -> None:
    pid = promise(ok, "张伟", "send the quote", "--due", "mon")
    assert_error(
        cli("promise", "done", str(pid), "--via", "email"),
        2,
        f"--via goes with an appointment; P{pid} is a deliverable: log how you delivered it "
        "with `clientcard log`",
    )
    assert query("SELECT status FROM promise") == [("open",)]
    assert not ok("promise", "done", str(pid)).stdout.endswith("meeting\n")
    assert contacts(query) == []


def test_a_bad_channel_for_a_kept_appointment_changes_nothing(cli, ok, query, snapshot) -> None:
    add(ok, "张伟")
    pid = promise(ok, "张伟", "meet", "--at", "2026-11-20 10:00")
    before = snapshot()
    result = cli("promise", "done", str(pid), "--via", "pigeon", env=at("2026-11-20T11:00"))
    assert result.exit_code == 2
    assert "unknown channel 'pigeon'" in result.stderr
    assert snapshot() == before


# ---- a sale ----------------------------------------------------------------------------------


def test_a_sale_is_a_meeting_on_its_day(ok, query, zhang) -> None:
    out = ok("sale", "张伟", "12000", "--what", "家庭保险").stdout
    assert out == (
        f"Sale S1: 12,000.00 CNY to {ZHANG} for '家庭保险'; first sale: now a customer; "
        "thank them by 2026-11-22; logged as a meeting, next follow-up 2026-11-27\n"
    )
    assert contacts(query) == [
        (
            "2026-11-20 01:00:00.000000",
            "meeting",
            "sale of 12,000.00 CNY: 家庭保险",
            "sale",
            1,
            0,
        )
    ]
    assert card_times(query)[:3] == ("2026-11-20 01:00:00.000000",) * 3


def test_a_sale_by_phone_and_a_sale_that_was_no_meeting(ok, query, zhang) -> None:
    sale(ok, "张伟", "100", "--via", "call")
    assert card_times(query)[:2] == ("2026-11-20 01:00:00.000000", None)
    add(ok, "Maria", "--grade", "B")
    out = ok("sale", "Maria", "50", "--no-contact").stdout
    assert "logged as" not in out
    assert contacts(query, 2) == []
    assert card_times(query, 2) == (None, None, None, "2026-12-04")  # 14 days after added


def test_a_sale_refuses_via_with_no_contact_and_a_bad_channel(cli, query, zhang) -> None:
    assert_error(
        cli("sale", "张伟", "100", "--via", "call", "--no-contact"),
        2,
        "give --via or --no-contact, not both",
    )
    result = cli("sale", "张伟", "100", "--via", "telepathy")
    assert result.exit_code == 2
    assert "unknown channel 'telepathy'" in result.stderr
    assert query("SELECT count(*) FROM sale") == [(0,)]


def test_a_sales_own_contact_is_not_the_thank_you(ok, query, zhang) -> None:
    sale(ok, "张伟", "12000")
    assert thanks(ok) == [
        (
            "张伟",
            "thank them for the purchase",
            "2026-11-22",
            0,
            "sale of 12,000.00 CNY on 2026-11-20: thank them by 2026-11-22",
            1,
        )
    ]
    # A second sale an hour later: its meeting does not thank for the first either.
    sale(ok, "张伟", "3000", env=at("2026-11-20T10:00"))
    assert [t[1:4] for t in thanks(ok, env=at("2026-11-20T10:00"))] == [
        ("thank them for 2 purchases", "2026-11-22", 0)
    ]
    out = ok("log", "张伟", "谢谢", "--via", "call", env=at("2026-11-20T11:00")).stdout
    assert out.endswith("; thank-you done\n")
    assert thanks(ok, env=at("2026-11-20T11:00")) == []
    assert query("SELECT thanks_due_at, thanks_since FROM client") == [(None, None)]


def test_a_sale_entered_after_the_thank_you_call_makes_none_due(ok, query, zhang) -> None:
    ok("log", "张伟", "--via", "call", "--at", "2026-11-19 16:00")
    out = ok("sale", "张伟", "800", "--on", "2026-11-19 15:00").stdout
    assert "no thank-you due: contacted after it (2026-11-19 16:00)" in out
    assert thanks(ok) == []


# ---- a complaint step ------------------------------------------------------------------------


def test_a_complaint_step_taken_with_the_client_is_a_contact(ok, query, zhang) -> None:
    cid = complaint(ok, "张伟", "送货晚了三天", "--at", "2026-11-20 08:00")
    ok("complaint", "step", str(cid), "ordered a replacement")  # internal: no contact
    assert contacts(query) == []
    out = ok("complaint", "step", str(cid), "打电话道歉", "--via", "call").stdout
    assert out.endswith("; logged as a call\n")
    assert contacts(query) == [
        ("2026-11-20 01:00:00.000000", "call", "打电话道歉", "complaint", cid, 0)
    ]
    assert card_times(query) == (
        "2026-11-20 01:00:00.000000",
        None,
        "2026-11-20 01:00:00.000000",
        "2026-11-27",
    )


def test_a_complaint_step_with_a_bad_channel_changes_nothing(cli, ok, snapshot, zhang) -> None:
    cid = complaint(ok, "张伟", "late")
    before = snapshot()
    result = cli("complaint", "step", str(cid), "called", "--via", "smoke")
    assert result.exit_code == 2
    assert "unknown channel 'smoke'" in result.stderr
    assert snapshot() == before


# ---- the card says where a contact came from -------------------------------------------------


def test_show_and_contacts_say_which_record_a_contact_came_from(ok, zhang) -> None:
    pid = promise(ok, "张伟", "renewal meeting", "--at", "2026-11-20 10:00")
    ok("promise", "done", str(pid), env=at("2026-11-20T11:00"))
    ok("sale", "张伟", "500", env=at("2026-11-20T12:00"))
    cid = complaint(ok, "张伟", "wrong invoice", env=at("2026-11-20T13:00"))
    ok(
        "complaint",
        "step",
        str(cid),
        "sent the right one",
        "--via",
        "email",
        env=at("2026-11-20T14:00"),
    )
    ok("log", "张伟", "chat", "--via", "call", env=at("2026-11-20T15:00"))
    ok("log", "张伟", "a card", "--via", "card", "--greeting", env=at("2026-11-20T16:00"))
    later = at("2026-11-20T17:00")
    page = lines(ok("show", "张伟", env=later))
    start = page.index("Recent contacts")
    assert [line.split()[-3:] for line in page[start + 3 : start + 8]] == [  # issue 17: By
        ["card", "greeting", "li"],
        ["call", "chat", "li"],
        ["complaint", f"C{cid}", "li"],
        ["sale", "S1", "li"],
        ["appointment", f"P{pid}", "li"],
    ]
    shown = json.loads(ok("show", "张伟", "--format", "json", env=later).stdout)
    assert [(c["source"], c["source_id"], c["greeting"]) for c in shown["recent_contacts"]] == [
        (None, None, True),
        (None, None, False),
        ("complaint", cid, False),
        ("sale", 1, False),
        ("appointment", pid, False),
    ]
    listed = json.loads(ok("contacts", "张伟", "--format", "json", env=later).stdout)
    assert list(listed[0]) == CONTACT_KEYS


# ---- greetings -------------------------------------------------------------------------------


@pytest.fixture
def maria(ok) -> int:
    """Grade A Maria, last sales contact today (Fri 20), birthday Sun 29, a quote due Mon 23."""
    mid = add(ok, "Maria", "--grade", "A")
    add_date(ok, "Maria", "birthday", "11-29")
    ok("log", "Maria", "pitched the plan", "--via", "visit")
    promise(ok, "Maria", "send the quote", "--due", "2026-11-23")
    return mid


def test_a_birthday_card_keeps_in_touch_but_does_not_move_the_follow_up(ok, query, maria) -> None:
    tuesday = at("2026-11-24T09:00")  # the card date
    assert greetings(ok, env=tuesday) != []
    out = ok("log", "Maria", "birthday card", "--via", "card", env=tuesday).stdout
    assert out == (
        "Logged card greeting with #1 Maria; a greeting: follow-up unchanged, "
        "2026-11-27 (by the grade's cadence)\n"
    )
    assert card_times(query) == (
        "2026-11-24 01:00:00.000000",  # the last contact moves: kept in touch
        "2026-11-20 01:00:00.000000",
        "2026-11-20 01:00:00.000000",  # the last sales contact does not
        "2026-11-27",
    )
    assert contacts(query)[-1][-1] == 1
    assert greetings(ok, env=tuesday) == []  # it cleared the birthday greeting


def test_no_greeting_makes_a_greeting_card_a_sales_contact(ok, query, maria) -> None:
    monday = at("2026-11-23T09:00")
    out = ok("log", "Maria", "card + brochure", "--via", "card", "--no-greeting", env=monday)
    assert out.stdout.startswith("Logged card with #1 Maria; next follow-up 2026-11-30")
    assert card_times(query)[2:] == ("2026-11-23 01:00:00.000000", "2026-11-30")


def test_a_call_that_greets_is_also_a_sales_contact(ok, query, maria) -> None:
    sunday = at("2026-11-29T10:00")
    ok("log", "Maria", "happy birthday", "--via", "call", env=sunday)
    assert greetings(ok, env=sunday) == []
    assert card_times(query)[2:] == ("2026-11-29 02:00:00.000000", "2026-12-06")
    assert contacts(query)[-1][-1] == 0


def test_a_card_outside_any_occasion_is_a_sales_contact(ok, query, maria) -> None:
    # Fri 20: the birthday card would clear from Sat 21 on (card date Tue 24 minus 3 days).
    ok("log", "Maria", "sent the brochure", "--via", "card", env=at("2026-11-20T12:00"))
    assert card_times(query)[2:] == ("2026-11-20 04:00:00.000000", "2026-11-27")
    assert contacts(query)[-1][-1] == 0


def test_greeting_by_hand_on_any_channel(ok, query, maria) -> None:
    out = ok("log", "Maria", "新年快乐", "--via", "email", "--greeting", env=at("2026-11-25T09:00"))
    assert "greeting" in out.stdout
    assert card_times(query)[2:] == ("2026-11-20 01:00:00.000000", "2026-11-27")
    # --next is a date you set yourself: a greeting still sets it.
    ok(
        "log",
        "Maria",
        "gift",
        "--via",
        "gift",
        "--greeting",
        "--next",
        "2026-12-10",
        env=at("2026-11-25T10:00"),
    )
    assert card_times(query)[2:] == ("2026-11-20 01:00:00.000000", "2026-12-10")


def test_a_holiday_card_is_a_greeting(ok, query) -> None:
    add(ok, "王芳", "--grade", "B")
    ok("holiday", "add", "2026-12-25", "Christmas", "--for", "all")
    ok("log", "王芳", "圣诞贺卡", "--via", "card", env=at("2026-12-19T09:00"))
    assert contacts(query)[-1][-1] == 1
    assert card_times(query)[2:] == (None, "2026-12-04")  # 14 days after added, unchanged


# ---- thank-yous on time ------------------------------------------------------------------------


def test_the_thank_you_is_due_from_the_day_of_the_sale_until_done(ok, zhang) -> None:
    ok("sale", "张伟", "12000", env=at("2026-11-26T15:00"))
    assert thanks(ok, env=at("2026-11-26T16:00")) == [
        (
            "张伟",
            "thank them for the purchase",
            "2026-11-28",
            0,
            "sale of 12,000.00 CNY on 2026-11-26: thank them by 2026-11-28",
            1,
        )
    ]
    assert thanks(ok, env=at("2026-11-28T23:00"))[0][3:5] == (
        0,
        "sale of 12,000.00 CNY on 2026-11-26: thank them by 2026-11-28",
    )
    late = due(ok, "--kind", "thanks", env=at("2026-12-01T09:00"))
    assert [(i["overdue"], i["overdue_days"], i["reason"]) for i in late] == [
        (True, 3, "sale of 12,000.00 CNY on 2026-11-26: late by 3 days: thank them now")
    ]
    assert thanks(ok, env=at("2026-11-29T09:00"))[0][4].endswith("late by 1 day: thank them now")
    ok("log", "张伟", "谢谢", "--via", "card", env=at("2026-12-01T10:00"))
    assert thanks(ok, env=at("2026-12-01T11:00")) == []


def test_a_referral_makes_a_thank_you_due_to_the_referrer(ok, query, zhang) -> None:
    add(ok, "李娜", "--referred-by", "张伟")
    assert thanks(ok) == [
        (
            "张伟",
            "thank them for referring #2 李娜",
            "2026-11-22",
            0,
            "referred #2 李娜 on 2026-11-20: thank them by 2026-11-22",
            2,
        )
    ]
    assert query("SELECT thanks_since, thanks_due_at FROM client WHERE id = 1") == [
        ("2026-11-20 01:00:00.000000", "2026-11-22 16:00:00.000000")
    ]
    assert query("SELECT thanks_since FROM client WHERE id = 2") == [(None,)]
    ok("log", "张伟", "谢谢介绍", "--via", "call", env=at("2026-11-21T09:00"))
    assert thanks(ok, env=at("2026-11-21T09:00")) == []


def test_editing_in_a_referrer_thanks_them_once(ok, query, zhang) -> None:
    add(ok, "Bob Li", "--grade", "C")
    assert thanks(ok) == []
    ok("edit", "Bob Li", "--referred-by", "张伟", env=at("2026-11-21T09:00"))
    assert [t[1:5] for t in thanks(ok, env=at("2026-11-21T09:00"))] == [
        (
            "thank them for referring #2 Bob Li",
            "2026-11-23",
            0,
            "referred #2 Bob Li on 2026-11-21: thank them by 2026-11-23",
        )
    ]
    ok("log", "张伟", "thanks", "--via", "call", env=at("2026-11-21T10:00"))
    ok("edit", "Bob Li", "--referred-by", "1", env=at("2026-11-21T11:00"))  # the same referrer
    assert thanks(ok, env=at("2026-11-21T11:00")) == []


def test_a_card_referred_long_ago_and_edited_now_is_not_a_new_referral(ok, query, zhang) -> None:
    """What a referrer's thank-you is for comes from when the referral was recorded
    (client.referred_at), not from when the referred card was last touched."""
    add(ok, "李娜", "--referred-by", "张伟")
    ok("log", "张伟", "谢谢介绍", "--via", "call", env=at("2026-11-21T09:00"))
    ok("sale", "张伟", "2000", "--what", "车险", "--no-contact", env=at("2026-11-25T10:00"))
    ok("edit", "李娜", "--company", "平安", env=at("2026-11-25T11:00"))
    assert [t[1] for t in thanks(ok, env=at("2026-11-25T12:00"))] == [
        "thank them for the purchase of 车险"
    ]
    assert query("SELECT referred_at FROM client WHERE id = 2") == [("2026-11-20 01:00:00.000000",)]


def test_an_archived_referrer_is_owed_nothing(ok, query, zhang) -> None:
    ok("archive", "张伟")
    add(ok, "李娜", "--referred-by", "1")
    assert query("SELECT thanks_due_at FROM client WHERE id = 1") == [(None,)]


def test_a_referral_and_a_sale_in_one_thank_you(ok, zhang) -> None:
    add(ok, "李娜", "--referred-by", "张伟")
    ok("sale", "张伟", "2000", "--what", "车险", env=at("2026-11-21T10:00"))
    assert thanks(ok, env=at("2026-11-21T11:00")) == [
        (
            "张伟",
            "thank them for referring #2 李娜 and for the purchase of 车险",
            "2026-11-22",  # the earlier deadline stands
            0,
            "referred #2 李娜 on 2026-11-20; sale of 2,000.00 CNY on 2026-11-21: "
            "thank them by 2026-11-22",
            1,
        )
    ]


# ---- confirming appointments by contact --------------------------------------------------------


def test_a_contact_confirms_the_appointments_within_the_notice_window(ok, query, zhang) -> None:
    first = promise(ok, "张伟", "tomorrow's meeting", "--at", "2026-11-21 10:00")
    later = promise(ok, "张伟", "next week", "--at", "2026-11-27 10:00")
    deliverable = promise(ok, "张伟", "quote", "--due", "2026-11-21")
    out = ok("log", "张伟", "confirmed tomorrow", "--via", "call", env=at("2026-11-20T12:00"))
    assert out.stdout.endswith(f"; confirmed appointment P{first}\n")
    assert query("SELECT id, confirmed_at FROM promise ORDER BY id") == [
        (first, "2026-11-20 04:00:00.000000"),
        (later, None),
        (deliverable, None),
    ]


def test_a_contact_outside_the_window_or_a_greeting_confirms_nothing(ok, query, maria) -> None:
    pid = promise(ok, "Maria", "lunch", "--at", "2026-11-25 12:00")
    # 2026-11-23 09:00: 51 h before; the greeting card is in the birthday's window.
    ok("log", "Maria", "called", "--via", "call", env=at("2026-11-23T09:00"))
    ok("log", "Maria", "birthday card", "--via", "card", env=at("2026-11-24T13:00"))
    assert query("SELECT confirmed_at FROM promise WHERE id = ?", (pid,)) == [(None,)]
    ok("config", "set", "--book", "notice_hours", "48")
    out = ok("log", "Maria", "see you", "--via", "sms", env=at("2026-11-24T14:00")).stdout
    assert out.endswith(f"confirmed appointment P{pid}\n")
    # Confirmed once: a later contact does not move the time it was confirmed.
    ok("log", "Maria", "again", "--via", "call", env=at("2026-11-24T15:00"))
    assert query("SELECT confirmed_at FROM promise WHERE id = ?", (pid,)) == [
        ("2026-11-24 06:00:00.000000",)
    ]


def test_a_kept_appointment_and_a_sale_confirm_the_next_meeting(ok, query, zhang) -> None:
    first = promise(ok, "张伟", "signing", "--at", "2026-11-20 10:00")
    nxt = promise(ok, "张伟", "delivery", "--at", "2026-11-21 09:00")
    ok("promise", "done", str(first), env=at("2026-11-20T11:00"))
    assert query("SELECT confirmed_at FROM promise WHERE id = ?", (nxt,)) == [
        ("2026-11-20 02:00:00.000000",)
    ]


def test_a_referral_while_a_sale_is_owed_is_named_too(ok, zhang) -> None:
    ok("sale", "张伟", "12000", env=at("2026-11-19T15:00"))
    add(ok, "李娜", "--referred-by", "张伟")
    assert thanks(ok) == [
        (
            "张伟",
            "thank them for referring #2 李娜 and for the purchase",
            "2026-11-21",
            0,
            "referred #2 李娜 on 2026-11-20; sale of 12,000.00 CNY on 2026-11-19: "
            "thank them by 2026-11-21",
            1,
        )
    ]
