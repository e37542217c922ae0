"""Issue 5: `due`, `show` and `list` read through indexes; none of them scans a big table.

Every statement a command runs is statements on the sqlite3 path and asked for its plan with
`EXPLAIN QUERY PLAN`. SQLite's planner assumes big tables when it has no statistics, so a small
book shows the plans a 100,000-card book gets. (What the plans cost is measured by
benchmarks/run.py, never timed here.)
"""

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("migrated")

# Tables that grow with the book. Reading one of them whole ("SCAN t", with or without an index
# to walk) makes a command's cost follow the book instead of its result.
BIG = (
    "client",
    "client_tag",
    "contact",
    "promise",
    "promise_event",
    "complaint",
    "complaint_step",
    "sale",
    "key_date",
    "person",
    "grade_change",
    "rating_change",
)
SCAN = re.compile(r"\bSCAN (\w+)")
# Full reads whose result is the whole scan: a holiday greeting is owed to its whole audience
# (every live customer, say), so reading that audience follows the result, not the book.
RESULT_SIZED = ("first_sale_at IS NOT NULL",)


@pytest.fixture
def book(ok) -> None:
    """A little of everything `due` and `show` read, on a few cards."""
    ok("add", "张伟", "--company", "阿里", "--grade", "A", "--tag", "vip", "-q")
    ok("add", "Bob Li", "--grade", "B", "--referred-by", "张伟", "-q")
    ok("add", "Carol Wu", "--grade", "D", "-q")
    ok("log", "1", "demo", "--via", "visit", "--at", "2026-11-18 10:00")
    ok("log", "2", "--via", "call", "--at", "2026-11-19 15:00")
    ok("promise", "add", "1", "send the quote", "--due", "2026-11-21")
    ok("promise", "add", "2", "meet", "--at", "2026-11-20 15:00")
    ok("complaint", "add", "2", "late delivery")
    ok("sale", "1", "12000", "--what", "first order")
    ok("date", "add", "1", "birthday", "11-25")
    ok("holiday", "add", "2026-11-26", "Thanksgiving")
    ok("person", "add", "1", "李娜", "--role", "secretary")
    ok("rate", "1", "--credit", "good")
    ok("grade", "3", "C", "-r", "budget next year")


def plans(db_path: Path, statements: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    """(statement, one line of its plan) for every SELECT the command ran."""
    found = []
    with sqlite3.connect(db_path) as connection:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params):
                found.append((sql, str(row[-1])))
    return found


def full_scans(db_path: Path, statements: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [
        f"{detail}  <-  {' '.join(sql.split())[:200]}"
        for sql, detail in plans(db_path, statements)
        if (m := SCAN.search(detail))
        and m.group(1) in BIG
        and not any(reason in sql for reason in RESULT_SIZED)
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["due", "--today"],
        ["due", "--week", "--format", "json"],
        ["show", "1"],
        ["show", "2", "--format", "json"],
        ["list", "--grade", "A", "--limit", "50"],
        ["list", "--tag", "vip"],
        ["log", "1", "--via", "call"],
        ["promise", "add", "3", "call back", "--due", "mon"],
    ],
    ids=" ".join,
)
def test_an_everyday_command_never_reads_a_big_table_whole(
    ok, db_path: Path, book: None, statements: list[tuple[str, dict[str, Any]]], command: list[str]
) -> None:
    statements.clear()
    ok(*command)
    assert statements, "the probe saw no statement: it would prove nothing"
    assert full_scans(db_path, statements) == []


def test_the_contact_log_of_a_card_is_read_through_its_index(
    ok, db_path: Path, book: None, statements: list[tuple[str, dict[str, Any]]]
) -> None:
    statements.clear()
    ok("show", "1")
    contact_plans = [d for _, d in plans(db_path, statements) if " contact " in f" {d} "]
    assert contact_plans
    assert all("USING" in d and "INDEX" in d for d in contact_plans), contact_plans


def test_the_probe_sees_a_full_scan(
    ok, db_path: Path, book: None, statements: list[tuple[str, dict[str, Any]]]
) -> None:
    """Not vacuous: a filter on a column without an index (credit) reads every card, and is
    reported. (A search used to be that example; issue 18 gave it an index.)"""
    statements.clear()
    ok("list", "--credit", "poor")
    assert any("SCAN client" in line for line in full_scans(db_path, statements))


def test_a_search_reads_the_search_index_not_the_cards(
    ok, db_path: Path, book: None, statements: list[tuple[str, dict[str, Any]]]
) -> None:
    """A word inside a field is looked up in the search index (issue 18: FTS5 trigrams, and
    their terms for a word of two characters), so no table of the book is read in full."""
    statements.clear()
    ok("list", "--search", "wu", "--grade", "D")
    ok("search", "wu")
    ok("search", "wei")
    scans = [d for _, d in plans(db_path, statements) if (m := SCAN.search(d)) and m[1] in BIG]
    assert scans == []
