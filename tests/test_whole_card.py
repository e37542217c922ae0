"""Issue 12, point 5: the whole card. `show` lists resolved complaints (count, the last with its
result and satisfaction), the recent sales (date, amount, what; count and total), and the
contacts that came from promises, sales and complaints; `show --format json` holds them all
(added keys). The page reads at 60, 80 and 120 columns with CJK and long text."""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json
import re

import pytest

from clientcard.output.agenda import cells
from helpers import add, at, sale

LONG = "the policy documents arrived late and incomplete, 文件缺页, and the courier lost a box"
RESULT = "sent a complete new set of documents 新文件 and apologised in person at his office"
WHAT = "家庭保险 for the whole family including grandparents and a supplementary accident cover"


@pytest.fixture
def card(ok) -> None:
    add(ok, "张伟", "--company", "阿里巴巴", "--grade", "A", "--phone", "138 1111 2222",
        env=at("2026-12-01T09:00:00"))  # fmt: skip
    sale(ok, "张伟", "12000", "--what", WHAT, env=at("2026-12-01T10:00:00"))
    sale(ok, "张伟", "800", "--what", "tea", env=at("2026-12-02T10:00:00"))
    ok("complaint", "add", "张伟", LONG, env=at("2026-12-02T11:00:00"))
    ok("complaint", "step", "1", "called, sent the missing pages", "--via", "call",
       env=at("2026-12-03T11:00:00"))  # fmt: skip
    ok("complaint", "resolve", "1", "--result", RESULT, "--satisfaction", "4",
       env=at("2026-12-03T15:00:00"))  # fmt: skip
    ok("complaint", "add", "张伟", "wrong invoice", env=at("2026-12-03T16:00:00"))
    ok("complaint", "resolve", "2", "--result", "new invoice", "--satisfaction", "5",
       env=at("2026-12-03T17:00:00"))  # fmt: skip


def show(ok, *options: str, width: int = 120) -> str:
    out: str = ok("show", "张伟", *options, env={**at("2026-12-04T09:00:00"),
                                                "COLUMNS": str(width)}).stdout  # fmt: skip
    return out


def section(page: str, title: str) -> list[str]:
    block = next(b for b in page.split("\n\n") if b.startswith(title + "\n"))
    return block.splitlines()[3:]


def test_the_page_counts_complaints_and_sales_and_shows_how_the_last_ended(ok, card):
    page = show(ok)
    assert "Complaints      0 open, 2 resolved\n" in page
    assert "Sales           2 sales, 12,800.00 CNY in all\n" in page
    resolved = section(page, "Resolved complaints")
    assert re.split(r"\s{2,}", resolved[0].strip()) == [
        "C2", "2026-12-03", "wrong invoice", "new invoice", "5/5"
    ]  # fmt: skip  # the last resolved first
    assert resolved[1].strip().startswith("C1  2026-12-03  the policy")
    sales = [re.split(r"\s{2,}", line.strip()) for line in section(page, "Recent sales")]
    assert sales[0] == ["2026-12-02 10:00", "800.00 CNY", "tea", "li"]
    assert sales[1][:2] == ["2026-12-01 10:00", "12,000.00 CNY"]


def test_contacts_say_which_record_they_came_from(ok, card):
    rows = section(show(ok), "Recent contacts")
    froms = [re.split(r"\s{2,}", r.strip())[-2] for r in rows if r.startswith("2026")]
    assert froms == ["complaint C1", "sale S2", "sale S1"]


def test_a_prospect_without_complaints_or_sales_says_none(ok):
    add(ok, "Bob Li", env=at("2026-12-01T09:00:00"))
    page = ok("show", "Bob Li", env=at("2026-12-04T09:00:00")).stdout
    assert "Complaints " not in page
    assert "Sales " not in page
    assert "Resolved complaints\n  none\n" in page
    assert "Recent sales\n  none\n" in page


def test_only_the_last_three_resolved_are_shown_and_the_count_says_so(ok, card):
    for n, day in ((3, "05"), (4, "06")):
        ok("complaint", "add", "张伟", f"late call {n}", env=at(f"2026-12-{day}T09:00:00"))
        ok("complaint", "resolve", str(n), "--result", "called", env=at(f"2026-12-{day}T10:00:00"))
    page = ok("show", "张伟", env=at("2026-12-07T09:00:00")).stdout
    assert "0 open, 4 resolved (the last 3 below)" in page
    ids = [line.split()[0] for line in section(page, "Resolved complaints") if line[:2].strip()]
    assert ids == ["C4", "C3", "C2"]


def test_json_holds_them_all(ok, card):
    data = json.loads(show(ok, "--format", "json"))
    assert [c["id"] for c in data["resolved_complaints"]] == [2, 1]
    first = data["resolved_complaints"][1]
    assert (first["result"], first["satisfaction"], first["status"]) == (RESULT, 4, "resolved")
    assert first["resolved_at"] == "2026-12-03T15:00:00+08:00"
    assert "client_id" not in first
    assert "client" not in first
    assert data["recent_sales"] == [
        {"id": 2, "amount": "800.00", "currency": "CNY", "what": "tea",
         "sold_at": "2026-12-02T10:00:00+08:00", "author": "li"},
        {"id": 1, "amount": "12000.00", "currency": "CNY", "what": WHAT,
         "sold_at": "2026-12-01T10:00:00+08:00", "author": "li"},
    ]  # fmt: skip
    assert (data["value"]["sales"], data["value"]["total_purchases"]) == (2, "12800.00")
    assert data["open_complaints"] == []
    assert [c["source"] for c in data["recent_contacts"]] == ["complaint", "sale", "sale"]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_card_reads_at_each_width(ok, card, width):
    page = show(ok, width=width)
    assert all(cells(line) <= width for line in page.splitlines()), page
    assert "…" not in page  # nothing cut: long words fold, short fields never shrink
    for short in ("2026-12-03", "2026-12-01 10:00", "12,000.00 CNY", "5/5", "#1 张伟", "sale S1"):
        assert short in page, (short, page)
    words = " ".join(page.split())
    assert "grandparents" in words
    assert "apologised" in words


def test_nothing_is_stored_by_reading_the_card(ok, card, query):
    before = query("SELECT count(*) FROM contact")
    show(ok)
    assert query("SELECT count(*) FROM contact") == before
