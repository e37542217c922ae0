"""Issue 15, point 2 on a server: `backup` of a book behind a database URL writes its lossless
book export (a private file, read through again to check it); `restore` loads such a file into
an empty database. A book export also restores an SQLite book, in place of the book."""

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from test_book import assert_error, export, seed


def backed_up_to(result: Any) -> Path:
    first = result.stdout.splitlines()[0]
    return Path(first.rsplit(" to ", 1)[1])


@pytest.fixture(params=["sqlite-url", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite-url":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_backup_writes_the_book_export(ok, server: str, tmp_path: Path) -> None:
    seed(ok, "--db", server)
    done = ok("--db", server, "backup")
    path = backed_up_to(done)
    assert done.stdout.startswith("Backed up 4 cards (")
    assert "as a book export" in done.stdout
    assert path.name.endswith(".book.jsonl")
    assert path.parent.name == "backups"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == export(ok, "--db", server)


def test_restore_loads_it_into_an_empty_database(
    ok, server: str, tmp_path: Path, postgres_url: str
) -> None:
    seed(ok)
    file = tmp_path / "b.book.jsonl"
    ok("backup", str(tmp_path / "copy.db"))
    file.write_text(export(ok), encoding="utf-8")
    done = ok("--db", server, "restore", str(file))  # nothing is replaced: no --yes needed
    assert done.stdout.startswith("Restored 4 cards (")
    assert export(ok, "--db", server) == export(ok)


def test_restore_into_a_server_book_that_holds_anything_is_refused(
    cli, ok, server: str, tmp_path: Path
) -> None:
    seed(ok)
    file = tmp_path / "b.book.jsonl"
    file.write_text(export(ok), encoding="utf-8")
    ok("--db", server, "add", "someone")
    assert_error(cli("--db", server, "restore", str(file), "--yes"), 3, "already holds 1 card")


def test_a_server_is_not_restored_from_an_sqlite_file(cli, ok, server: str, tmp_path: Path) -> None:
    ok("add", "x")
    ok("backup", str(tmp_path / "copy.db"))
    assert_error(
        cli("--db", server, "restore", str(tmp_path / "copy.db")), 2, "restored from a book export"
    )


def test_keep_deletes_older_book_exports(ok, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ok("--db", server, "add", "x")
    made = []
    for minute in range(3):
        monkeypatch.setenv("CLIENTCARD_NOW", f"2026-11-20T09:0{minute}:00")
        made.append(backed_up_to(ok("--db", server, "backup", "--keep", "2")))
    assert not made[0].exists()
    assert made[1].exists()
    assert made[2].exists()


def test_a_server_books_backups_are_named_by_its_database(ok, postgres_url: str) -> None:
    ok("--db", postgres_url, "add", "x")
    name = postgres_url.split("?")[0].rsplit("/", 1)[1]  # book_N, before ?host=/.../socket
    assert backed_up_to(ok("--db", postgres_url, "backup")).name.startswith(f"{name}-")


def test_a_server_is_named_with_its_database() -> None:
    from clientcard.store.backup import server_book_stand_in

    names = [
        server_book_stand_in(url).name
        for url in (
            "postgresql+psycopg://me@db.example.com/team",
            "postgresql+psycopg://me@db2.example.com:5433/team",
            "postgresql+psycopg:///team?host=/run/postgresql",
            "postgresql+psycopg://me:secret@10.0.0.5/团队",
        )
    ]
    assert names == ["team_db_example_com", "team_db2_example_com", "team", "团队_10_0_0_5"]


def test_backup_to_a_named_file_or_folder(ok, cli, tmp_path: Path) -> None:
    server = f"sqlite:///{tmp_path / 'server.db'}"
    ok("--db", server, "add", "张伟")
    named = tmp_path / "mine.jsonl"
    assert backed_up_to(ok("--db", server, "backup", str(named))) == named
    assert_error(cli("--db", server, "backup", str(named)), 2, "exists already")
    folder = tmp_path / "f"
    folder.mkdir()
    into = backed_up_to(ok("--db", server, "backup", str(folder)))
    assert into.parent == folder
    assert into.name.startswith("server-")
    assert json.loads(into.read_text(encoding="utf-8").splitlines()[0])["clientcard"] == "book"


def test_an_sqlite_book_is_restored_from_a_book_export(
    ok, cli, tmp_path: Path, db_path: Path
) -> None:
    seed(ok)
    whole = export(ok)
    file = tmp_path / "b.book.jsonl"
    file.write_text(whole, encoding="utf-8")
    ok("add", "added after")
    assert_error(cli("restore", str(file)), 3, f"restoring {file} (4 cards) replaces the book")
    done = ok("restore", str(file), "--yes")
    assert "the book it replaced is kept as " in done.stdout
    assert export(ok) == whole
    assert [p for p in db_path.parent.iterdir() if p.name.startswith(".clientcard-restore")] == []


def test_a_damaged_export_restores_nothing(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    whole = export(ok)
    file = tmp_path / "b.book.jsonl"
    file.write_text(whole[: len(whole) // 2], encoding="utf-8")
    assert_error(cli("restore", str(file), "--yes"), 2, "cut short")
    assert export(ok) == whole


@pytest.mark.parametrize("engine_kind", ["sqlite", "postgresql"])
def test_an_export_is_one_state_while_others_write(
    ok, request: pytest.FixtureRequest, tmp_path: Path, engine_kind: str
) -> None:
    """The export reads one state of the book while another process writes. (On PostgreSQL
    each statement would otherwise see its own state: a card's last contact older than a
    contact exported after it, or a table's count off by the rows added meanwhile.)"""
    if engine_kind == "postgresql":
        book = url = str(request.getfixturevalue("postgres_url"))
    else:
        book = str(tmp_path / "book.db")
        url = f"sqlite:///{book}"
    import threading
    from datetime import UTC, datetime, timedelta

    from clientcard.services.book import export_book
    from clientcard.store.open import transaction
    from clientcard.store.records import Client, Contact

    NOW = datetime(2026, 11, 1, tzinfo=UTC)

    from clientcard.store.alchemy import alchemy_transaction, make_engine

    ok("--db", book, "add", "张伟")
    with transaction(book, write=True) as db:  # reading them makes the export take time
        db.insert_many(
            (
                Client(
                    name=f"c{i}",
                    name_key=f"c{i}",
                    created_at=NOW,
                    updated_at=NOW,
                    graded_at=NOW,
                    search_key="",
                )
                for i in range(5000)
            ),
            Client,
        )
    stop = threading.Event()
    written = []
    engine = make_engine(url)

    def writer() -> None:
        moment = datetime(2026, 11, 1, tzinfo=UTC)
        while not stop.is_set():
            moment += timedelta(minutes=1)
            with alchemy_transaction(engine, write=True) as db:
                db.insert(Contact(client_id=1, at=moment, via="call", logged_at=moment))
                card = db.get(Client, 1)
                assert card is not None
                card.last_contact_at = moment
                db.update(card)
            written.append(moment)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        exports = []
        while len(exports) < 5 or len(written) < 20:
            with transaction(book, write=False) as db:
                exports.append([json.loads(line) for line in export_book(db)])
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    for lines in exports:
        tables = {}
        for line in lines:
            if isinstance(line, dict) and "table" in line:
                rows: list[Any] = []
                tables[line["table"]] = (line["columns"], rows)
            elif isinstance(line, list):
                rows.append(line)
        columns, cards = tables["client"]
        last = cards[0][columns.index("last_contact_at")]
        columns, contacts = tables["contact"]
        at = columns.index("at")
        assert last == max((c[at] for c in contacts), default=None)


def test_keep_never_deletes_the_backup_it_just_made(
    ok, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock set back (or a stamp already taken) sorts the new copy first: it stays all the
    same, and a new copy in a second already used takes the next number after the highest."""
    ok("add", "张伟")
    folder = db_path.parent / "backups"
    later = backed_up_to(ok("backup"))  # 2026-11-20T01:00:00Z
    monkeypatch.setenv("CLIENTCARD_NOW", "2026-11-19T09:00:00")
    done = ok("backup", "--keep", "1")
    made = backed_up_to(done)
    assert made.exists()
    assert not later.exists()
    assert done.stdout.splitlines()[1] == "Deleted 1 older backup; 1 kept at most."
    monkeypatch.setenv("CLIENTCARD_NOW", "2026-11-20T09:00:00")
    for _ in range(3):
        ok("backup")
    (folder / later.name.replace(".db", "-2.db")).unlink()  # the -2 gone: the next is -4
    assert backed_up_to(ok("backup", "--keep", "2")).name == later.name.replace(".db", "-4.db")
    assert sorted(p.name for p in folder.iterdir()) == [
        later.name.replace(".db", "-3.db"),
        later.name.replace(".db", "-4.db"),
    ]
