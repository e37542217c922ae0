"""Recording a sale: `sale`, what it refuses, amounts of money, and the thank-you it makes due.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8). Times are stored in UTC: the
pinned moment is "2026-11-20 01:00:00.000000" in the tables, and the end of Sunday 2026-11-22
(the thank-you deadline of a sale today, 2 days) is "2026-11-22 16:00:00.000000".
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
from typing import Any

import pytest

from clientcard.domain.errors import InvalidValue
from clientcard.domain.money import format_amount, format_money, machine_amount, parse_amount
from helpers import NOW_UTC, ZHANG, add, assert_error, at, due, sale

pytestmark = pytest.mark.usefixtures("migrated")


SUNDAY_END_UTC = "2026-11-22 16:00:00.000000"  # thanks_due_at of a sale today
# Issue 11: a sale is a meeting, logged as a contact; its line ends with the next follow-up.
MET = "; logged as a meeting, next follow-up {}\n"


NEGATIVE = (
    "'-5' is a negative number: no value here may be below zero (see `clientcard sale --help`)"
)


ACCEPTED = (
    "give a number above 0 with at most 2 decimals, e.g. 1234, 1234.5, 1,234.56 or 1 234.56; "
    "also 1.5万, 2千, 3k, 1.2w, 一万五, ¥1,500, 1500元 or CNY 1500"
)


# ---- helpers ------------------------------------------------------------------------------


def thanks(ok, *options: str, **kwargs: Any) -> list[dict[str, Any]]:
    return due(ok, "--kind", "thanks", *options, **kwargs)


def client_row(query, client_id: int = 1) -> tuple[Any, ...]:
    return query(
        "SELECT first_sale_at, thanks_due_at, updated_at FROM client WHERE id = ?", (client_id,)
    )[0]


# The thank-you of a sale of 12,000.00 now to 张伟 (grade A), as `due` lists it.
THANKS_ITEM = {
    "kind": "thanks",
    "urgency": 205,  # thanks 150 + grade A 50 + value 5 (12,000 bought in 12 months)
    "client_id": 1,
    "client": "张伟",
    "grade": "A",
    "what": "thank them for the purchase",
    "due": "2026-11-22",
    "overdue": False,
    "overdue_days": 0,
    "reason": "sale of 12,000.00 CNY on 2026-11-20: thank them by 2026-11-22",  # issue 11
    "flags": [],
    "record_id": 1,
    "company": "阿里",
    "phone": None,
}


# ---- money --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("1234", 123400),
        ("1234.5", 123450),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("1 234.56", 123456),
        ("12 345", 1234500),
        ("1,234,567.8", 123456780),
        ("0.01", 1),
        (" 7 ", 700),
        # full-width, as a Chinese input method types it
        ("\uff11\uff12\uff0c\uff13\uff14\uff15\uff0e\uff16", 1234560),
        ("12\u00a0345", 1234500),  # a no-break space between the groups
        ("999,999,999,999.99", 99999999999999),
    ],
)
def test_an_amount_is_read_exactly_into_minor_units(typed: str, minor: int) -> None:
    assert parse_amount(typed) == minor


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("-5", "amount '-5' is negative"),
        ("0", "amount '0' is not above 0"),
        ("0.00", "amount '0.00' is not above 0"),
        ("12.345", "amount '12.345' has more than 2 decimals"),
        ("1.000", "amount '1.000' has more than 2 decimals"),
        ("1 234,56", "amount '1 234,56' has a decimal comma"),
        ("12,5", "amount '12,5' has a decimal comma"),
        ("1000000000000", "amount '1000000000000' is above the largest amount, 999,999,999,999.99"),
        ("abc", "cannot read 'abc' as an amount"),
        ("NaN", "cannot read 'NaN' as an amount"),
        ("Infinity", "cannot read 'Infinity' as an amount"),
        ("1e3", "cannot read '1e3' as an amount"),
        ("+5", "cannot read '+5' as an amount"),
        ("1,2345", "cannot read '1,2345' as an amount"),
        ("1,234 567", "cannot read '1,234 567' as an amount"),
        ("¥", "cannot read '¥' as an amount"),
        ("100 dollars", "cannot read '100 dollars' as an amount"),
        ("", "an amount is needed"),
    ],
)
def test_a_bad_amount_says_what_is_accepted(typed: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_amount(typed)
    assert str(raised.value) == f"{problem}; {ACCEPTED}"


def test_amounts_are_written_for_people_and_for_machines() -> None:
    assert format_amount(1234560) == "12,345.60"
    assert format_money(1234560, "CNY") == "12,345.60 CNY"
    assert format_amount(5) == "0.05"
    assert format_amount(-123456) == "-1,234.56"
    assert machine_amount(1234560) == "12345.60"
    assert machine_amount(100) == "1.00"
    assert machine_amount(-5) == "-0.05"
    # exact at any size: no float anywhere
    assert machine_amount(parse_amount("999,999,999,999.99") * 3) == "2999999999999.97"


# ---- sale ---------------------------------------------------------------------------------


def test_a_first_sale_makes_a_customer_and_a_thank_you_due(ok, query, zhang) -> None:
    result = ok("sale", "张伟", "12000")
    assert result.stdout == (
        f"Sale S1: 12,000.00 CNY to {ZHANG}; first sale: now a customer; thank them by 2026-11-22"
        + MET.format("2026-11-27")
    )
    assert query("SELECT id, client_id, amount_minor, what, sold_at, recorded_at FROM sale") == [
        (1, zhang, 1200000, None, NOW_UTC, NOW_UTC)
    ]
    assert client_row(query) == (NOW_UTC, SUNDAY_END_UTC, NOW_UTC)


def test_a_second_sale_after_the_thanks_makes_a_new_one_due(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    ok("log", "1", "--via", "call", "谢谢", env=at("2026-11-20T11:00"))
    out = ok("sale", "1", "1,500.5", "--what", "家庭保险 family plan", env=at("2026-11-21T15:30"))
    assert out.stdout == (
        f"Sale S2: 1,500.50 CNY to {ZHANG} for '家庭保险 family plan'; thank them by 2026-11-23"
        + MET.format("2026-11-28")
    )
    assert query("SELECT amount_minor, what, sold_at FROM sale WHERE id = 2") == [
        (150050, "家庭保险 family plan", "2026-11-21 07:30:00.000000")
    ]
    # customer since the first sale; the thank-you is for the new one
    assert client_row(query)[:2] == (NOW_UTC, "2026-11-23 16:00:00.000000")


def test_a_second_sale_before_the_thanks_keeps_the_first_deadline(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    out = ok("sale", "1", "1,500.5", "--what", "家庭保险", env=at("2026-11-21T15:30")).stdout
    assert out == (
        f"Sale S2: 1,500.50 CNY to {ZHANG} for '家庭保险'; thank them by 2026-11-22"
        + MET.format("2026-11-28")
    )
    assert client_row(query)[1] == SUNDAY_END_UTC
    assert thanks(ok, env=at("2026-11-22T09:00")) == [
        {
            **THANKS_ITEM,
            "what": "thank them for 2 purchases (latest: 家庭保险)",
            "reason": "2 sales since 2026-11-20, the latest 1,500.50 CNY on 2026-11-21: "
            "thank them by 2026-11-22",
            "record_id": 2,
        }
    ]


def test_a_new_sale_does_not_excuse_an_overdue_thank_you(ok, query, zhang) -> None:
    sale(ok, "1", "12000", "--on", "mon 10:00")  # thank them by Wednesday 2026-11-18
    out = ok("sale", "1", "100").stdout
    assert out == (
        f"Sale S2: 100.00 CNY to {ZHANG}; thank them by 2026-11-18 (overdue)"
        + MET.format("2026-11-27")
    )
    assert [(i["due"], i["overdue_days"], i["record_id"]) for i in thanks(ok)] == [
        ("2026-11-18", 2, 2)
    ]


def test_quiet_prints_only_the_id(ok, zhang) -> None:
    assert ok("sale", "1", "100", "-q").stdout == "1\n"
    assert ok("sale", "1", "100", "--quiet").stdout == "2\n"


@pytest.mark.parametrize(
    ("typed", "minor"), [("1234", 123400), ("1,234.56", 123456), ("1 234.5", 123450)]
)
def test_the_amount_is_stored_in_minor_units(ok, query, zhang, typed: str, minor: int) -> None:
    sale(ok, "1", typed)
    assert query("SELECT amount_minor, typeof(amount_minor) FROM sale") == [(minor, "integer")]


def test_a_backdated_sale_at_a_time(ok, query, zhang) -> None:
    out = ok("sale", "1", "800", "--on", "wed 10:00").stdout
    assert out == (
        f"Sale S1: 800.00 CNY to {ZHANG} on 2026-11-18 10:00; first sale: now a customer; "
        "thank them by 2026-11-20" + MET.format("2026-11-25")
    )
    assert query("SELECT sold_at FROM sale") == [("2026-11-18 02:00:00.000000",)]
    assert client_row(query)[:2] == ("2026-11-18 02:00:00.000000", "2026-11-20 16:00:00.000000")


def test_a_sale_on_a_day_alone_is_the_start_of_that_day(ok, query, zhang) -> None:
    out = ok("sale", "1", "800", "--on", "2026-11-17").stdout
    assert out == (
        f"Sale S1: 800.00 CNY to {ZHANG} on 2026-11-17; first sale: now a customer; "
        "thank them by 2026-11-19 (overdue)" + MET.format("2026-11-24")
    )
    assert query("SELECT sold_at FROM sale") == [("2026-11-16 16:00:00.000000",)]


def test_an_older_backdated_sale_keeps_the_thank_you_of_the_latest(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    out = ok("sale", "1", "300", "--on", "2026-10-01 11:00").stdout
    # not the first sale recorded, but now the earliest: the customer dates from it
    # Its meeting is older than the last contact: the follow-up stays (issue 11).
    assert out == f"Sale S2: 300.00 CNY to {ZHANG} on 2026-10-01 11:00" + MET.format("2026-11-27")
    assert client_row(query)[:2] == ("2026-10-01 03:00:00.000000", SUNDAY_END_UTC)


def test_no_thanks_makes_none_due(ok, query, zhang) -> None:
    out = ok("sale", "1", "300", "--on", "2025-03-01", "--no-thanks").stdout
    assert out == (
        f"Sale S1: 300.00 CNY to {ZHANG} on 2025-03-01; first sale: now a customer; "
        "no thank-you due (--no-thanks)" + MET.format("2025-03-08")
    )
    assert client_row(query)[:2] == ("2025-02-28 16:00:00.000000", None)
    assert thanks(ok, "--week") == []


def test_the_thank_you_deadline_follows_thanks_days(ok, query, zhang) -> None:
    ok("config", "set", "--book", "thanks_days", "0")
    assert "; thank them by 2026-11-20;" in ok("sale", "1", "10").stdout
    assert thanks(ok)[0]["reason"] == "sale of 10.00 CNY on 2026-11-20: thank them by 2026-11-20"
    ok("log", "1", "--via", "call", env=at("2026-11-20T10:00"))
    ok("config", "set", "--book", "thanks_days", "1")
    sale(ok, "1", "20", env=at("2026-11-20T11:00"))
    assert thanks(ok, "--tomorrow")[0]["reason"] == (
        "sale of 20.00 CNY on 2026-11-20: thank them by 2026-11-21"
    )


def test_the_currency_setting_names_the_amounts(ok, zhang) -> None:
    ok("config", "set", "--book", "currency", "eur")
    assert ok("sale", "1", "99.9").stdout.startswith(f"Sale S1: 99.90 EUR to {ZHANG};")


# ---- refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1", "-5"], 2, NEGATIVE),
        (["1", "-5", "--what", "x"], 2, NEGATIVE),
        (["1", "abc"], 2, f"cannot read 'abc' as an amount; {ACCEPTED}"),
        (["1", "0"], 2, f"amount '0' is not above 0; {ACCEPTED}"),
        (["1", "12.345"], 2, f"amount '12.345' has more than 2 decimals; {ACCEPTED}"),
        (["1", "1 234,56"], 2, f"amount '1 234,56' has a decimal comma; {ACCEPTED}"),
        (["1", "NaN"], 2, f"cannot read 'NaN' as an amount; {ACCEPTED}"),
        (["Nobody", "100"], 1, "no card matches 'Nobody'; try `clientcard list --search Nobody`"),
        (["Nobody", "-1"], 2, NEGATIVE.replace("-5", "-1")),
        (
            ["1", "--amount", "5"],
            2,
            "no such option: --amount (Possible options: --on) (see `clientcard sale --help`)",
        ),
        (
            ["1", "100", "--on", "tomorrow"],
            2,
            "--on 'tomorrow' is in the future; a sale is recorded once it is made",
        ),
        (
            ["1", "100", "--on", "10:00"],
            2,
            "--on '10:00' is in the future; a sale is recorded once it is made",
        ),
        (
            ["1", "100", "--wat"],
            2,
            # Issue 11 added --via, a close match too.
            "no such option: --wat (Possible options: --via, --what) "
            "(see `clientcard sale --help`)",
        ),
    ],
)
def test_a_bad_sale_is_refused_and_changes_nothing(
    cli, ok, snapshot, zhang, args: list[str], code: int, message: str
) -> None:
    sale(ok, "1", "50")
    before = snapshot()
    assert_error(cli("sale", *args), code, message)
    assert snapshot() == before


def test_a_bad_date_is_refused(cli, snapshot, zhang) -> None:
    before = snapshot()
    result = cli("sale", "1", "100", "--on", "blorp")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: cannot read 'blorp' as a date; accepted: ")
    assert snapshot() == before


def test_a_sale_to_an_archived_card_is_refused(cli, ok, snapshot, zhang) -> None:
    ok("archive", "1")
    before = snapshot()
    assert_error(cli("sale", "1", "100"), 3, "#1 张伟 is archived; unarchive it first")
    assert snapshot() == before


# ---- the thank-you in `due` ---------------------------------------------------------------


def test_a_sale_makes_a_thank_you_due_within_two_days(ok, zhang) -> None:
    sale(ok, "1", "12000")
    # Issue 11: due from the day of the sale (by Sunday), not only on its last day.
    assert thanks(ok) == [THANKS_ITEM]
    assert thanks(ok, "--tomorrow") == [THANKS_ITEM]
    assert thanks(ok, "--week") == [THANKS_ITEM]
    assert thanks(ok, env=at("2026-11-22T18:00")) == [THANKS_ITEM]


def test_a_late_thank_you_is_overdue(ok, zhang) -> None:
    sale(ok, "1", "12000", "--what", "2 trucks")
    items = thanks(ok, env=at("2026-11-24T08:00"))
    assert items == [
        {
            **THANKS_ITEM,
            "urgency": 205 + 500 + 2 * 5,
            "what": "thank them for the purchase of 2 trucks",
            "overdue": True,
            "overdue_days": 2,
            "reason": "sale of 12,000.00 CNY on 2026-11-20: late by 2 days: thank them now",
        }
    ]


def test_the_thank_you_shows_in_the_table(ok, zhang) -> None:
    # Issue 12: `due` for people is a page grouped by kind (tests/test_agenda_page.py).
    sale(ok, "1", "12000")
    out = ok("due", "--kind", "thanks", env=at("2026-11-22T08:00")).stdout
    assert out == (
        "Due today, Sun 2026-11-22: 1 item\n"
        "\n"
        "Thank-yous (1)\n"
        "  today  #1 张伟 · A · 阿里\n"
        "         thank them for the purchase — sale of 12,000.00 CNY on 2026-11-20: thank them by"
        " 2026-11-22\n"  # issue 11: the reason names the day
    )


def test_a_logged_call_clears_the_thank_you(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    out = ok("log", "1", "--via", "call", "谢谢您的订单", env=at("2026-11-21T10:00")).stdout
    assert out.endswith("; thank-you done\n")  # issue 11: a referral is thanked too
    assert not ok("log", "1", "--via", "call", env=at("2026-11-21T11:00")).stdout.endswith(
        "done\n"
    )  # said once: the second call thanks for nothing
    assert client_row(query)[1] is None
    assert thanks(ok, "--week") == []
    assert thanks(ok, env=at("2026-11-25T09:00")) == []


@pytest.mark.parametrize("via", ["card", "email", "visit", "gift", "sms"])
def test_any_channel_clears_the_thank_you(ok, query, zhang, via: str) -> None:
    sale(ok, "1", "12000")
    ok("log", "1", "--via", via)
    assert client_row(query)[1] is None


def test_a_backdated_contact_before_the_sale_does_not_clear_it(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    ok("log", "1", "--via", "call", "--at", "yesterday 15:00")
    ok("log", "1", "--via", "visit", "--at", "today 08:59")
    assert client_row(query)[1] == SUNDAY_END_UTC
    assert thanks(ok, "--week") == [THANKS_ITEM]


def test_a_contact_after_a_backdated_sale_clears_it(ok, query, zhang) -> None:
    sale(ok, "1", "12000", "--on", "wed 10:00")
    ok("log", "1", "--via", "call", "--at", "wed 16:00")
    assert client_row(query)[1] is None


def test_a_contact_between_two_sales_thanks_for_the_first_only(ok, query, zhang) -> None:
    sale(ok, "1", "500", "--on", "mon 10:00")  # thank them by Wednesday
    sale(ok, "1", "12000", "--on", "thu 10:00")  # still by Wednesday: overdue now
    assert [(i["due"], i["overdue"]) for i in thanks(ok)] == [("2026-11-18", True)]
    ok("log", "1", "--via", "call", "--at", "thu 08:00")  # thanked for Monday's
    assert client_row(query)[1] == "2026-11-21 16:00:00.000000"  # by Saturday, for Thursday's
    # Issue 11: due from the day of the sale, so today too.
    assert [(i["due"], i["overdue"], i["what"], i["reason"]) for i in thanks(ok)] == [
        (
            "2026-11-21",
            False,
            "thank them for the purchase",
            "sale of 12,000.00 CNY on 2026-11-19: thank them by 2026-11-21",
        )
    ]


def test_a_sale_entered_after_the_thank_you_was_logged_makes_none_due(ok, query, zhang) -> None:
    ok("log", "1", "--via", "call", "thanked for the order", "--at", "wed 16:00")
    out = ok("sale", "1", "12000", "--on", "wed 10:00").stdout
    assert out == (
        f"Sale S1: 12,000.00 CNY to {ZHANG} on 2026-11-18 10:00; first sale: now a customer; "
        "no thank-you due: contacted after it (2026-11-18 16:00)" + MET.format("2026-11-25")
    )
    assert client_row(query)[1] is None
    assert thanks(ok, "--week") == []


def test_a_new_sale_after_the_thanks_makes_a_new_one_due(ok, query, zhang) -> None:
    sale(ok, "1", "12000")
    ok("log", "1", "--via", "call", env=at("2026-11-20T11:00"))
    sale(ok, "1", "3000", env=at("2026-11-20T14:00"))
    items = thanks(ok, "--week")
    assert [(i["record_id"], i["due"], i["reason"]) for i in items] == [
        (2, "2026-11-22", "sale of 3,000.00 CNY on 2026-11-20: thank them by 2026-11-22")
    ]


def test_an_archived_card_owes_no_thank_you_in_due(ok, zhang) -> None:
    sale(ok, "1", "12000")
    # Issue 11: a pending thank-you stops a plain archive; --cancel-open clears it for good.
    ok("archive", "1", "--cancel-open")
    assert thanks(ok, "--week") == []
    ok("unarchive", "1")
    assert thanks(ok, "--week") == []


def test_thank_yous_come_after_promises_and_before_follow_ups(ok) -> None:
    add(ok, "Ann", "--grade", "A", env=at("2026-11-13T09:00"))  # follow-up due today
    add(ok, "Bob", "--grade", "A")
    sale(ok, "Bob", "100", "--on", "2026-11-18 10:00")  # thank-you due today
    ok("promise", "add", "Ann", "the quote", "--due", "today")
    items = due(ok)
    assert [(i["kind"], i["client"], i["urgency"]) for i in items] == [
        ("promise", "Ann", 300),
        ("thanks", "Bob", 200),
        ("followup", "Ann", 150),
    ]
