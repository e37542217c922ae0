"""What `report activity` reads instead of guessing (issue 16, migration 0010): a card's first
visit (`client.first_visit_at`, kept by `log` and `merge`) and when each sales follow-up was
due (`contact.due_by`, recorded by `log`); the migration fills first visits from the contacts
on SQLite and PostgreSQL, and an 0009 book file loads with them."""

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from alembic import command

from clientcard.store.migrate import create_at_revision
from helpers import Run, at, rows
from test_book import book_file_of, load
from test_migrations import alembic_config, make_database_at

# Shanghai is 8 hours ahead of UTC: a local midnight is 16:00 UTC the day before.


def dues(db_path: Path) -> list[tuple[Any, ...]]:
    return rows(db_path, "SELECT at, greeting, due_by FROM contact ORDER BY id")


@pytest.mark.usefixtures("migrated")
def test_log_records_when_each_follow_up_was_due(ok: Run, db_path: Path) -> None:
    ok("add", "张伟", "--grade", "B", "-q", env=at("2026-11-01T09:00:00"))  # due 11-15
    ok("log", "张伟", "--via", "call", env=at("2026-11-10T10:00:00"))  # -> 11-24
    ok("log", "张伟", "--via", "card", "--greeting", env=at("2026-11-12T10:00:00"))
    # Dated before the card's last follow-up: it answered a due date no longer known.
    ok("log", "张伟", "--via", "call", "--at", "2026-11-05 15:00", env=at("2026-11-12T11:00:00"))
    ok("log", "张伟", "--via", "visit", env=at("2026-11-30T10:00:00"))  # due 11-24: late
    assert dues(db_path) == [
        ("2026-11-10 02:00:00.000000", 0, "2026-11-15 16:00:00.000000"),  # the end of 11-15
        ("2026-11-12 02:00:00.000000", 1, None),
        ("2026-11-05 07:00:00.000000", 0, None),
        ("2026-11-30 02:00:00.000000", 0, "2026-11-24 16:00:00.000000"),
    ]
    # `show` and JSON do not show it.
    assert "due_by" not in ok("show", "张伟", "-f", "json").stdout


@pytest.mark.usefixtures("migrated")
def test_the_first_visit_is_the_earliest_visit_or_meeting(ok: Run, db_path: Path) -> None:
    def first() -> Any:
        return rows(db_path, "SELECT first_visit_at FROM client")[0][0]

    ok("add", "张伟", "-q", env=at("2026-11-01T09:00:00"))
    ok("log", "张伟", "--via", "call", env=at("2026-11-02T10:00:00"))
    assert first() is None
    ok("log", "张伟", "--via", "visit", env=at("2026-11-10T10:00:00"))
    assert first() == "2026-11-10 02:00:00.000000"
    ok("log", "张伟", "--via", "meeting", env=at("2026-11-12T10:00:00"))
    assert first() == "2026-11-10 02:00:00.000000"
    ok("log", "张伟", "--via", "meeting", "--at", "2026-11-05 15:00", env=at("2026-11-12T11:00:00"))
    assert first() == "2026-11-05 07:00:00.000000"


@pytest.mark.usefixtures("migrated")
def test_merge_keeps_the_earlier_first_visit(ok: Run, db_path: Path) -> None:
    ok("add", "张伟", "-q", env=at("2026-11-01T09:00:00"))
    ok("add", "张伟伟", "-q", env=at("2026-11-01T09:00:00"))
    ok("log", "#1", "--via", "visit", env=at("2026-11-10T10:00:00"))
    ok("log", "#2", "--via", "visit", env=at("2026-11-03T10:00:00"))
    ok("merge", "#1", "#2", "--yes", env=at("2026-11-12T10:00:00"))
    assert rows(db_path, "SELECT id, first_visit_at FROM client") == [
        (1, "2026-11-03 02:00:00.000000")
    ]


# ---- migration 0010 -------------------------------------------------------------------------

CARDS = [(1, "张伟"), (2, "李娜"), (3, "Amy")]
# Card 1: a call, a meeting, a visit (first visit: the meeting); card 2: only calls; card 3: none.
CONTACTS = [
    (1, 1, "2026-10-01 01:00:00", "call"),
    (2, 1, "2026-10-03 01:00:00", "visit"),
    (3, 1, "2026-10-02 01:00:00", "meeting"),
    (4, 2, "2026-10-02 01:00:00", "call"),
]


def test_0010_fills_first_visits_and_downgrades(ok: Run, db_path: Path) -> None:
    make_database_at(db_path, "0009")
    with sqlite3.connect(db_path) as conn:
        for cid, name in CARDS:
            conn.execute(
                "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
                " graded_at, followup_kind, search_key, last_visit_at) VALUES (?, ?, ?, 'F',"
                " ?, ?, ?, 'cadence', '', ?)",
                [cid, name, name, *["2026-09-01 01:00:00.000000"] * 3,
                 "2026-10-03 01:00:00.000000" if cid == 1 else None],
            )  # fmt: skip
        for key, cid, when, via in CONTACTS:
            conn.execute(
                "INSERT INTO contact (id, client_id, at, via, logged_at, greeting)"
                " VALUES (?, ?, ?, ?, ?, 0)",
                [key, cid, when + ".000000", via, when + ".000000"],
            )
    ok("list")  # opens the book: the upgrade
    assert rows(db_path, "SELECT id, first_visit_at FROM client ORDER BY id") == [
        (1, "2026-10-02 01:00:00.000000"),
        (2, None),
        (3, None),
    ]
    assert rows(db_path, "SELECT count(*) FROM contact WHERE due_by IS NOT NULL") == [(0,)]
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    engine.dispose()
    assert "first_visit_at" not in [r[1] for r in rows(db_path, "PRAGMA table_info(client)")]
    assert "due_by" not in [r[1] for r in rows(db_path, "PRAGMA table_info(contact)")]
    assert rows(db_path, "SELECT count(*) FROM contact") == [(4,)]


def test_0010_on_postgresql(ok: Run, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0009")
            for cid, name in CARDS:
                connection.execute(
                    sqlalchemy.text(
                        "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
                        " graded_at, followup_kind, search_key, last_visit_at) VALUES (:id,"
                        " :name, :name, 'F', :at, :at, :at, 'cadence', '', :visit)"
                    ),
                    {"id": cid, "name": name, "at": "2026-09-01 01:00+00",
                     "visit": "2026-10-03 01:00+00" if cid == 1 else None},
                )  # fmt: skip
            for key, cid, when, via in CONTACTS:
                connection.execute(
                    sqlalchemy.text(
                        "INSERT INTO contact (id, client_id, at, via, logged_at, greeting)"
                        " VALUES (:id, :cid, :at, :via, :at, false)"
                    ),
                    {"id": key, "cid": cid, "at": when + "+00", "via": via},
                )
            connection.execute(sqlalchemy.text("SELECT setval('client_id_seq', 3)"))
            connection.execute(sqlalchemy.text("SELECT setval('contact_id_seq', 4)"))
        monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
        ok("db", "upgrade")  # a PostgreSQL book is upgraded by `db upgrade` only (issue 17)
        ok("list")
        with engine.connect() as connection:
            found = connection.execute(
                sqlalchemy.text(
                    "SELECT id, first_visit_at AT TIME ZONE 'UTC' FROM client ORDER BY id"
                )
            ).all()
        assert [(i, str(v) if v else None) for i, v in found] == [
            (1, "2026-10-02 01:00:00"),
            (2, None),
            (3, None),
        ]
        # 李娜 had no follow-up due (the rows above set none): nothing recorded.
        ok("log", "李娜", "--via", "visit", env=at("2026-11-10T10:00:00"))
        with engine.connect() as connection:
            found = connection.execute(
                sqlalchemy.text(
                    "SELECT client.first_visit_at AT TIME ZONE 'UTC', contact.due_by"
                    " FROM client JOIN contact ON contact.client_id = client.id"
                    " WHERE client.id = 2 AND contact.via = 'visit'"
                )
            ).all()
        assert [(str(v), d) for v, d in found] == [("2026-11-10 02:00:00", None)]
    finally:
        engine.dispose()


# ---- the book file --------------------------------------------------------------------------


def book_0009(tmp_path: Path) -> str:
    """A book file at schema 0009, as that clientcard wrote it: a card visited twice."""
    path = tmp_path / "old.db"
    create_at_revision(path, "0009")
    with sqlite3.connect(path) as c:
        c.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, "
            "followup_kind, search_key, graded_at, last_visit_at) VALUES (1, '张伟', '张伟', "
            "'B', '2026-11-01 02:00:00.000000', '2026-11-01 02:00:00.000000', 'cadence', "
            "'张伟', '2026-11-01 02:00:00.000000', '2026-11-04 02:00:00.000000')"
        )
        for key, when in [(1, "2026-11-04"), (2, "2026-11-02")]:
            c.execute(
                "INSERT INTO contact (id, client_id, at, via, logged_at, greeting)"
                f" VALUES ({key}, 1, '{when} 02:00:00.000000', 'visit',"
                f" '{when} 02:00:00.000000', 0)"
            )
    return book_file_of(path, "0009")


def test_a_0009_book_file_loads_with_its_first_visits(ok: Run, tmp_path: Path) -> None:
    text = book_0009(tmp_path)
    assert '"first_visit_at"' not in text
    new = tmp_path / "new.db"
    done = load(ok, text, tmp_path, "--db", str(new))
    assert "brought from schema revision 0009 to the current one" in done.stdout
    assert rows(new, "SELECT first_visit_at FROM client") == [("2026-11-02 02:00:00.000000",)]
    assert rows(new, "SELECT count(*) FROM contact WHERE due_by IS NULL") == [(2,)]
    exported = ok("--db", str(new), "export", "--book").stdout
    assert exported.startswith('{"clientcard":"book","format":1,"schema":"0014"}\n')
    assert '"first_visit_at"' in exported
    assert '"due_by"' in exported
