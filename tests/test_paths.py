"""The backends (store/db.py) read the same book the same way.

The book below is built by the same commands on a file (SqliteDb, on sqlite3) and on a PostgreSQL
database (PgDb, on psycopg), and every read must print the same bytes on both. An `sqlite:///`
URL names the file itself (issue 17: it opens on sqlite3 as its path does), and an SQLite URL
that store/open.py leaves to SQLAlchemy (one with a query) reads it through AlchemyDb: those
print the same as well. (tests/test_month.py also plays its whole scripted month, writes
included, on the file and on PostgreSQL.)
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


@pytest.fixture
def on_server(ok, postgres_url: str) -> str:
    """The same book on a new PostgreSQL database."""
    for args in BOOK:
        ok("--db", postgres_url, *args)
    return postgres_url


def test_every_backend_prints_the_same(
    ok, book: None, on_server: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_path = {" ".join(args): ok("--db", str(db_path), *args).stdout for args in READS}
    assert all(out.strip() for out in by_path.values()), "nothing to compare"
    for db in (f"sqlite:///{db_path}", f"sqlite:///{db_path}?timeout=5", on_server):
        by_db = {" ".join(args): ok("--db", db, *args).stdout for args in READS}
        assert by_db == by_path, db


def test_an_sqlite_url_is_the_file_on_sqlite3(ok, book: None, db_path: Path, monkeypatch) -> None:
    """`sqlite:///PATH` opens PATH as the path does: not through SQLAlchemy (whose AlchemyDb
    would fail here), with the same writes landing in the same file."""
    from clientcard.store import alchemy

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("an sqlite:/// URL went through SQLAlchemy")

    monkeypatch.setattr(alchemy, "alchemy_transaction", refuse)
    monkeypatch.chdir(db_path.parent)
    ok("--db", f"sqlite:///{db_path.name}", "log", "3", "--via", "call")  # relative to here
    ok("--db", f"sqlite:///{db_path}", "log", "3", "--via", "email")
    shown = ok("--db", str(db_path), "contacts", "3", "--format", "json").stdout
    assert shown.count('"via"') == 2
