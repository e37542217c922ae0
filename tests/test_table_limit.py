"""A table for people shows at most TABLE_ROWS rows unless --limit says otherwise, and says when
more match; json, csv and tsv always show every row. (A table of 30,000 contacts took Rich 12 s
and 260 MiB; docs/performance.md.)"""

import json
from pathlib import Path

import pytest

from clientcard.cli import _common

pytestmark = pytest.mark.usefixtures("migrated")

MORE = "; more match. --limit N shows more, --format csv shows them all."


def test_a_list_table_shows_the_first_hundred_cards_and_says_more_match(ok, tmp_path: Path) -> None:
    book = tmp_path / "cards.csv"
    book.write_text("name\n" + "".join(f"Card {i:03d}\n" for i in range(1, 102)), encoding="utf-8")
    ok("import", str(book))
    table = ok("list").stdout.splitlines()
    assert table[-1] == "The first 100 cards" + MORE
    assert sum(line.lstrip()[:1].isdigit() for line in table) == 100
    assert "Card 100" in table[-2]
    assert "Card 101" not in "\n".join(table)
    assert len(json.loads(ok("list", "--format", "json").stdout)) == 101
    assert len(ok("list", "--format", "csv").stdout.splitlines()) == 102  # and the header
    assert ok("list", "--limit", "101").stdout.splitlines()[-1] == "101 cards"


@pytest.fixture
def three_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "TABLE_ROWS", 3)


@pytest.mark.usefixtures("three_rows")
def test_exactly_a_tables_worth_says_nothing_more(ok) -> None:
    for name in ("A", "B", "C"):
        ok("add", name, "-q")
    assert ok("list").stdout.splitlines()[-1] == "3 cards"
    ok("add", "D", "-q")
    assert ok("list").stdout.splitlines()[-1] == "The first 3 cards" + MORE


@pytest.mark.usefixtures("three_rows")
def test_contacts_sales_dates_and_due_are_cut_the_same_way(ok) -> None:
    for name in ("A", "B", "C", "D"):
        ok("add", name, "--grade", "A", "-q")
        ok("log", name, "--via", "call", "--at", "2026-11-01")  # grade A: overdue since 11-08
        ok("sale", name, "100")
        ok("date", "add", name, "birthday", "11-25")
    assert ok("contacts").stdout.splitlines()[-1] == "The first 3 contacts" + MORE
    assert ok("sales").stdout.splitlines()[-1] == (
        "3 of 4 sales, total 400.00 CNY. --limit N shows more, --format csv shows them all."
    )
    assert ok("date", "list").stdout.splitlines()[-1] == "The first 3 dates" + MORE
    # Issue 12: the agenda page says how many more there are. Issue 11: each sale logs a meeting,
    # so the follow-ups are no longer due: 4 thank-yous and 4 greetings, 3 shown.
    assert ok("due", "--week").stdout.splitlines()[-1] == (
        "5 more, less urgent: --limit N shows more, --format csv shows them all."
    )
    for command in (["contacts"], ["sales"], ["date", "list"], ["due", "--week"]):
        rows = json.loads(ok(*command, "--format", "json").stdout)
        assert len(rows) >= 4, command
    assert len(ok("date", "list", "--limit", "2", "--format", "json").stdout.split("{")) == 3
