"""Issue 12, point 1: `clientcard due` for people is a page that reads at any width from 60
columns up (docs/agenda.md, "The page").

The pinned book below is drawn at 60, 80 and 120 columns and compared with the expected pages
checked in under tests/pages/, so that a change of layout shows as a diff to review. After an
intended change, rewrite them with `CLIENTCARD_UPDATE_PAGES=1 pytest tests/test_agenda_page.py`
and read the diff. Now is pinned to Friday 2026-11-20 09:00 in Shanghai.
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from clientcard.output.agenda import cells, when_text, wrap
from helpers import (
    add,
    add_date,
    at,
    complaint,
    in_a_terminal,
    page_matches,
    promise,
    read_page,
    sale,
    seeded_database,
)

pytestmark = pytest.mark.usefixtures("migrated")

PAGES = Path(__file__).resolve().parent / "pages"
WIDTHS = [60, 80, 120]
LONG_NAME = "Maximilian Oberhausen-Lindqvist"
LONG_COMPANY = "Internationale Versicherungsgesellschaft für Logistik und Transport AG"


def build_book(ok) -> None:
    """Every group of the page, CJK and long Latin text, cards with and without a company or
    a phone, a phone field holding two numbers."""
    old = at("2026-10-01T10:00:00")
    two = "138 0013 8000, 010 6552 1234"
    add(ok, "张伟", "--grade", "A", "--company", "平安保险", "--phone", two, env=old)
    add(ok, LONG_NAME, "--grade", "B", "--company", LONG_COMPANY, "--phone", "+49 30 1234 5678",
        env=old)  # fmt: skip
    add(ok, "欧阳娜娜", "--grade", "C", "--company", "阿里巴巴", "--phone", "13912345678", env=old)
    add(ok, "Amy Lee", "--grade", "E", env=old)  # no company, no phone; follow-up overdue
    add(ok, "李娜", "--grade", "F", "--phone", "021-6888 1234", env=at("2026-05-20T10:00:00"))
    promise(ok, "张伟", "把新的报价单和理赔流程说明发给张总和他的助理", "--due", "2026-11-18",
            env=old)  # fmt: skip
    promise(ok, LONG_NAME, "walk through the renewal terms", "--at", "today 15:00", "--where",
            "their office in Charlottenburg")  # fmt: skip
    complaint(ok, "欧阳娜娜", "理赔太慢\uff0c三个星期没有回复", "-s", "high",
              env=at("2026-11-19T10:00:00"))  # fmt: skip
    # Ordered by e-mail, not at a meeting (issue 11: a sale is a contact unless --no-contact,
    # which would move the follow-up and confirm the appointment this page shows unconfirmed).
    sale(ok, LONG_NAME, "12000", "--what", "fleet insurance", "--no-contact",
         env=at("2026-11-19T16:00:00"))  # fmt: skip
    ok("log", "张伟", "报价已发", "--via", "call", env=at("2026-11-13T10:00:00"))
    add_date(ok, "张伟", "birthday", "11-29", "--note", "喜欢普洱茶")


@pytest.fixture(scope="module")
def book_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("page"), build_book)


@pytest.fixture
def book(book_db: Path, db_path: Path) -> None:
    shutil.copyfile(book_db, db_path)


def page(ok, width: int, *options: str) -> str:
    out: str = ok("due", "--week", *options, env={"COLUMNS": str(width)}).stdout
    return out


def items(ok, *options: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(
        ok("due", "--week", "--format", "json", *options).stdout
    )
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_at_each_width_is_the_one_checked_in(ok, book, width):
    drawn = page(ok, width)
    expected = PAGES / f"due-week-{width}.txt"
    if os.environ.get("CLIENTCARD_UPDATE_PAGES"):
        expected.write_text(drawn, encoding="utf-8")
    assert drawn == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_terminal_and_no_short_field_is_cut(ok, book, width):
    drawn = page(ok, width)
    assert all(cells(line) <= width for line in drawn.splitlines()), drawn
    lines = drawn.splitlines()
    for item in items(ok):
        # The card's id, name (up to 12 characters) and grade on one line, and the phone whole;
        # a longer name breaks only at its spaces.
        head = f"#{item['client_id']} {item['client']} · {item['grade']}"
        if len(item["client"]) <= 12:
            assert any(head in line for line in lines), (head, drawn)
        else:
            words = head.split()
            assert all(any(word in line.split() for line in lines) for word in words), words
        if item["phone"]:
            assert any(line.endswith(item["phone"]) for line in lines), item["phone"]
    # Dates and times never wrap.
    for moment in re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", page(ok, 200)):
        assert moment in drawn


def test_the_page_lists_every_item_grouped_with_counts(ok, book):
    found = items(ok)
    assert {i["kind"] for i in found} == {
        "complaint", "promise", "appointment", "thanks", "followup", "first_visit", "occasion"
    }  # fmt: skip
    drawn = page(ok, 80)
    page_matches(drawn, found)
    assert [(title, count) for title, count, _ in read_page(drawn)] == [
        ("Complaints", 1),
        ("Promises and appointments", 2),
        ("Thank-yous", 1),
        ("Follow-ups and re-checks", 4),
        ("Greetings", 1),
    ]
    assert (
        drawn.splitlines()[0]
        == "Due this week, Fri 2026-11-20 to Thu 2026-11-26: 9 items, 4 overdue"
    )
    assert "Urg" not in drawn  # the score stays in JSON, CSV and TSV
    # "154 d late" (李娜, never visited, F-new cadence 30 d since May: issue 11) sets the width.
    assert drawn.splitlines()[3].startswith("  10:00       #3 欧阳娜娜 · C")


def test_an_item_is_when_who_and_phone_then_what_and_why(ok, book):
    lines = page(ok, 200).splitlines()
    first = next(i for i, line in enumerate(lines) if "#1 张伟 · A · 平安保险" in line)
    assert lines[first].split("  ")[1] == "2 d late"
    assert lines[first].endswith("  138 0013 8000")  # the first of the card's two numbers
    assert lines[first + 1].strip() == (
        "把新的报价单和理赔流程说明发给张总和他的助理 — overdue: deliver, or tell the client why "
        "and the new date (promise P1)"
    )
    no_phone = next(line for line in lines if "#4 Amy Lee · E" in line)
    assert no_phone.endswith("#4 Amy Lee · E")


def test_the_phone_key_is_the_first_number_of_the_card(ok, book, query):
    by_client = {i["client"]: i for i in items(ok)}
    assert by_client["张伟"]["phone"] == "138 0013 8000"
    assert by_client["张伟"]["company"] == "平安保险"
    assert by_client["Amy Lee"]["phone"] is None
    assert by_client["Amy Lee"]["company"] is None
    assert by_client["李娜"]["phone"] == "021-6888 1234"
    # The card itself keeps both numbers (issue 14: as two phones, the first the main one).
    assert query("SELECT phone FROM client WHERE id = 1") == [("138 0013 8000",)]
    assert query(
        "SELECT value FROM client_reach WHERE client_id = 1 AND kind = 'phone' ORDER BY position"
    ) == [("138 0013 8000",), ("010 6552 1234",)]
    header = ok("due", "--week", "--format", "csv").stdout.splitlines()[0]
    assert header.endswith(",record_id,company,phone")


def test_limit_keeps_the_most_urgent_and_says_how_many_more(ok, book):
    drawn = page(ok, 80, "--limit", "3")
    assert [i["client_id"] for i in items(ok, "--limit", "3")] == [
        i["client_id"] for i in items(ok)[:3]
    ]
    page_matches(drawn, items(ok, "--limit", "3"))
    assert drawn.splitlines()[0].endswith(": 9 items, 4 overdue")  # the title counts them all
    assert drawn.splitlines()[-1] == (
        "6 more, less urgent: --limit N shows more, --format csv shows them all."
    )
    assert "more, less urgent" not in page(ok, 80, "--limit", "9")


def test_a_page_longer_than_a_table_is_cut_at_100_items(ok):
    old = at("2026-10-01T10:00:00")
    for n in range(102):
        add(ok, f"客户{n:03d}", "--grade", "A", env=old)
    drawn = page(ok, 80)
    assert sum(len(rows) for _, _, rows in read_page(drawn)) == 100
    assert drawn.splitlines()[-1].startswith("2 more, less urgent:")
    assert len(items(ok)) == 102  # machine formats show them all


def test_user_text_cannot_draw_on_the_page(ok):
    add(ok, "Evil\x1b[2J", "--company", "Bad\nCo", "--grade", "A", env=at("2026-10-01T10:00:00"))
    drawn = page(ok, 80)
    assert "\x1b" not in drawn
    assert "#1 Evil\\x1b[2J · A · Bad\\nCo" in drawn


# ---- the layout's rules, on their own -------------------------------------------------------


def test_wrap_breaks_at_spaces_and_between_cjk_characters_only():
    assert wrap("send the brochure to the client", 12) == ["send the", "brochure to", "the client"]
    assert wrap("理赔太慢三个星期没有回复", 10) == ["理赔太慢三", "个星期没有", "回复"]
    assert wrap("call 张伟 about 理赔", 9) == ["call 张伟", "about 理", "赔"]
    assert wrap("#12 Maximilian · B and more", 20, keep="#12 Maximilian · B") == [
        "#12 Maximilian · B",
        "and more",
    ]
    assert wrap("Donaudampfschifffahrt", 8) == ["Donaudam", "pfschiff", "fahrt"]  # too wide alone
    assert cells("张伟 Amy") == 8


@pytest.mark.parametrize(
    ("due", "overdue", "days", "text"),
    [
        ("2026-11-18", True, 2, "2 d late"),
        ("2026-11-20T08:00", True, 0, "08:00 late"),
        ("2026-11-20", False, 0, "today"),
        ("2026-11-20T15:00", False, 0, "15:00"),
        ("2026-11-21", False, 0, "Sat"),
        ("2026-11-23T10:00", False, 0, "Mon 10:00"),
        ("2026-11-28T13:06", False, 0, "11-28 13:06"),
        ("2026-12-24", False, 0, "2026-12-24"),
    ],
)
def test_when_reads_as_a_person_says_it(due, overdue, days, text):
    from datetime import date, datetime

    value = datetime.fromisoformat(due) if "T" in due else date.fromisoformat(due)
    assert when_text(value, overdue, days, date(2026, 11, 20)) == text


# ---- a real terminal ------------------------------------------------------------------------


def test_the_installed_clientcard_in_an_80_column_terminal(book, db_path, tmp_path):
    """The console script, run in a pseudo-terminal 80 columns wide (no COLUMNS): the page is
    laid out at the terminal's width, with no escape codes."""
    script = Path(sys.executable).parent / "clientcard"
    if not script.exists():
        pytest.skip("no installed clientcard console script next to this Python")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env |= {"CLIENTCARD_DB": str(db_path), "TERM": "xterm", "PYTHONIOENCODING": "utf-8"}
    drawn = in_a_terminal([str(script), "due", "--week"], env).replace("\r\n", "\n")
    assert "\x1b" not in drawn
    assert drawn == (PAGES / "due-week-80.txt").read_text(encoding="utf-8")
