"""The two data paths (store/db.py) read the same book the same way.

A book file is opened with the stdlib sqlite3 driver when named by its path, and through
SQLAlchemy Core when named by an `sqlite:///` URL, which is the path PostgreSQL takes. Every
read below runs on the same file both ways and must print the same bytes. (tests/test_month.py
also plays its whole scripted month, writes included, on each path; tests/test_postgres.py
builds this book on PostgreSQL itself and runs the same reads there.)
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("migrated")

READS = [
    ["due", "--week", "--format", "json"],
    ["due", "--until", "2027-01-31", "--format", "csv"],
    ["show", "1", "--format", "json"],
    ["show", "2", "--format", "json"],
    ["show", "张伟"],
    ["list", "--format", "json"],
    ["list", "--archived", "--format", "json"],
    ["list", "--search", "LI", "--format", "tsv"],
    ["list", "--customers", "--sort", "updated", "--format", "json"],
    ["contacts", "--format", "json"],
    ["promise", "list", "--all", "--format", "json"],
    ["complaint", "list", "--all", "--format", "json"],
    ["sales", "--format", "json"],
    ["date", "list", "--format", "json"],
    ["holiday", "list", "--format", "json"],
    ["grade", "3", "--format", "json"],
    ["rate", "1", "--history", "--format", "json"],
    ["person", "list", "1", "--format", "json"],
    ["grade"],
]


# The book the reads run on (tests/test_postgres.py builds it on PostgreSQL too).
BOOK = [
    ["add", "张伟", "--company", "阿里", "--grade", "A", "--tag", "vip", "--tag", "北京", "-q"],
    ["add", "Bob Li", "--grade", "B", "--referred-by", "张伟", "--email", "bob@li.example", "-q"],
    ["add", "Carol Wu", "--grade", "D", "-q"],
    ["add", "Old Friend", "-q"],
    ["archive", "4"],
    ["log", "1", "demo 演示", "--via", "visit", "--at", "2026-11-18 10:00"],
    ["log", "2", "--via", "call", "--at", "2026-11-19 15:00", "--next", "2026-11-24"],
    ["promise", "add", "1", "send the quote", "--due", "2026-11-21"],
    ["promise", "add", "2", "meet", "--at", "2026-11-21 15:00", "--where", "上海"],
    ["promise", "add", "3", "call back", "--due", "2026-11-27"],
    ["promise", "move", "3", "--to", "2026-11-30", "-r", "travel"],
    ["complaint", "add", "2", "late delivery", "--severity", "high"],
    ["sale", "1", "12000.50", "--what", "first order"],
    ["sale", "2", "300", "--on", "2025-10-01"],
    ["date", "add", "1", "birthday", "11-25"],
    ["date", "add", "3", "promotion", "2026-12-03"],
    ["holiday", "add", "2026-11-26", "Thanksgiving"],
    ["person", "add", "1", "李娜", "--role", "secretary"],
    ["rate", "1", "--credit", "good", "--satisfaction", "4"],
    ["grade", "3", "C", "-r", "budget next year"],
    ["snooze", "3", "2026-12-15", "-r", "after the budget"],
]


@pytest.fixture
def book(ok) -> None:
    for args in BOOK:
        ok(*args)


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_both_paths_print_the_same(ok, book: None, db_path: Path, args: list[str]) -> None:
    by_path = ok("--db", str(db_path), *args).stdout
    by_url = ok("--db", f"sqlite:///{db_path}", *args).stdout
    assert by_path.strip(), "nothing to compare"
    assert by_url == by_path
