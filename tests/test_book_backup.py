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
    assert_error(cli("restore", str(file)), 3, "replaces the book")
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
