"""`backup` and `restore` of an SQLite book (docs/backup.md): a copy taken while another
process writes, checked and put back; the automatic folder and --keep; the refusals."""

import os
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from helpers import Run, add, assert_error

pytestmark = pytest.mark.usefixtures("migrated")

STAMPED = "cards-20261120T010000Z"  # the pinned clock (09:00 in Shanghai) in UTC


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def integrity(path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_goes_to_the_backups_folder_private_and_checked(ok: Run, db_path: Path) -> None:
    add(ok, "张伟", "--company", "阿里", "--phone", "13800138000")
    add(ok, "Li Na")
    out = ok("backup").stdout
    copy = db_path.parent / "backups" / f"{STAMPED}.db"
    assert out == f"Backed up 2 cards (5 records in 18 tables) to {copy}\n"
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert integrity(copy) == [("ok",)]
    assert dump(copy) == dump(db_path)
    # one file: the copy is out of WAL mode, with no -wal beside it
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    # the same second again: a second file, numbered
    again = ok("backup").stdout
    assert again.endswith(f"to {copy.parent / (STAMPED + '-2.db')}\n")


def test_backup_to_a_path_of_ones_own(ok: Run, cli: Run, tmp_path: Path) -> None:
    add(ok, "王芳")
    target = tmp_path / "mine.db"
    assert ok("backup", str(target)).stdout == (
        f"Backed up 1 card (2 records in 18 tables) to {target}\n"
    )
    assert mode(target) == 0o600
    assert_error(
        cli("backup", str(target)), 2, f"{target} exists already; give the name of a new file"
    )
    folder = tmp_path / "shelf"
    folder.mkdir()
    assert ok("backup", str(folder)).stdout.endswith(f"to {folder / (STAMPED + '.db')}\n")
    assert_error(
        cli("backup", str(tmp_path / "nowhere" / "x.db")),
        2,
        f"cannot write the backup {tmp_path / 'nowhere' / 'x.db'}: the folder "
        f"{tmp_path / 'nowhere'} does not exist",
    )


def test_keep_deletes_all_but_the_newest_automatic_backups(
    ok: Run, cli: Run, db_path: Path
) -> None:
    add(ok, "张伟")
    folder = db_path.parent / "backups"
    for _ in range(3):
        ok("backup")
    (folder / "notes.txt").write_text("mine")  # not a backup: never deleted
    out = ok("backup", "--keep", "2").stdout.splitlines()
    assert out[1] == "Deleted 2 older backups; 2 kept at most."
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{STAMPED}-3.db",
        f"{STAMPED}-4.db",
        "notes.txt",
    ]
    assert ok("backup", "--keep", "5").stdout.splitlines()[1] == (
        "Deleted 0 older backups; 5 kept at most."
    )
    assert_error(
        cli("backup", str(db_path.parent / "x.db"), "--keep", "1"),
        2,
        "--keep works on the backups folder only: leave out PATH",
    )
    assert cli("backup", "--keep", "0").exit_code == 2


WRITER = """
import sys
from pathlib import Path
from typer.testing import CliRunner
from clientcard.cli import app
runner = CliRunner()
stop = Path(sys.argv[1])
i = 0
while not stop.exists():
    i += 1
    r = runner.invoke(app, ["add", f"Writer {i}", "--phone", f"1390000{i:04d}", "--tag", "w"])
    assert r.exit_code == 0, r.output
"""


def test_a_backup_taken_while_another_process_writes_is_whole_and_restores(
    ok: Run, db_path: Path, tmp_path: Path
) -> None:
    add(ok, "张伟")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)], env=dict(os.environ), stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while count(db_path, "client") < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        copies = []
        for i in range(5):
            target = tmp_path / f"copy{i}.db"
            out = ok("backup", str(target)).stdout
            cards = count(target, "client")
            assert out.startswith(f"Backed up {cards:,} cards (")
            copies.append(target)
            time.sleep(0.05)
    finally:
        stop.touch()
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    counts = [count(c, "client") for c in copies]
    assert counts == sorted(counts)
    assert counts[0] >= 5
    assert count(db_path, "client") > counts[0]  # the writer went on meanwhile
    for c in copies:
        assert integrity(c) == [("ok",)]
        # a consistent state: every card's tag and phone came in its own transaction
        assert count(c, "client") - 1 == count(c, "client_tag")
    ok("restore", str(copies[0]), "--yes")
    assert count(db_path, "client") == counts[0]
    assert integrity(db_path) == [("ok",)]


def test_restore_round_trip_keeps_the_old_book(ok: Run, db_path: Path, tmp_path: Path) -> None:
    add(ok, "张伟", "--company", "阿里", "--phone", "13800138000")
    ok("promise", "add", "张伟", "quote", "--due", "mon")
    before = ok("export", "--format", "json").stdout
    whole = dump(db_path)
    target = tmp_path / "monday.db"
    ok("backup", str(target))
    add(ok, "Li Na")
    ok("delete", "张伟", "--yes")
    changed = dump(db_path)
    out = ok("restore", str(target), "--yes").stdout
    kept = db_path.with_name(f"cards.db.{STAMPED[6:]}.bak")
    assert out == (
        f"Restored 1 card (5 records) from {target} into {db_path}\n"
        f"  the book it replaced is kept as {kept}\n"
    )
    assert ok("export", "--format", "json").stdout == before
    assert dump(db_path) == whole
    assert dump(kept) == changed
    assert mode(kept) == 0o600
    assert mode(db_path) == 0o600
    assert target.exists()  # the backup itself stays as it was


def test_restore_into_no_book_yet(ok: Run, tmp_path: Path) -> None:
    add(ok, "张伟")
    target = tmp_path / "b.db"
    ok("backup", str(target))
    fresh = tmp_path / "new" / "fresh.db"
    fresh.parent.mkdir()
    out = ok("--db", str(fresh), "restore", str(target), "--yes").stdout
    assert out == f"Restored 1 card (2 records) from {target} into {fresh}\n"
    assert ok("--db", str(fresh), "list", "--format", "json").stdout.count('"name"') == 1


def test_restore_refusals_change_nothing(ok: Run, cli: Run, db_path: Path, tmp_path: Path) -> None:
    add(ok, "张伟")
    target = tmp_path / "b.db"
    ok("backup", str(target))
    add(ok, "Li Na")
    whole = dump(db_path)
    assert_error(
        cli("restore", str(target)),
        3,
        f"restoring {target} (1 card) replaces the book {db_path}, which is kept as a .bak "
        "beside it; add --yes to confirm",
    )
    text = tmp_path / "notes.txt"
    text.write_text("not a book\n" * 100)
    assert_error(
        cli("restore", str(text), "--yes"),
        2,
        f"cannot restore {text}: it is not an SQLite database; nothing was changed",
    )
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert_error(
        cli("restore", str(other), "--yes"),
        2,
        f"cannot restore {other}: it is not a clientcard book (no schema revision); "
        "nothing was changed",
    )
    newer = tmp_path / "newer.db"
    ok("backup", str(newer))
    with closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert cli("restore", str(newer), "--yes").stderr.startswith(
        f"clientcard: cannot restore {newer}: it is at schema revision 9999, newer than"
    )
    assert_error(
        cli("restore", str(tmp_path / "missing.db"), "--yes"),
        2,
        f"cannot restore {tmp_path / 'missing.db'}: no such file",
    )
    assert_error(
        cli("restore", str(db_path), "--yes"),
        2,
        f"{db_path} is the book itself; give a backup of it",
    )
    assert dump(db_path) == whole
    assert sorted(p.name for p in db_path.parent.iterdir() if ".bak" in p.name) == []


def test_no_book_no_backup(cli: Run, tmp_path: Path) -> None:
    empty = tmp_path / "none.db"
    assert_error(cli("--db", str(empty), "backup"), 3, f"there is no book at {empty} to back up")
    assert not empty.exists()


def test_a_backup_of_an_older_schema_is_migrated_when_restored(
    ok: Run, db_path: Path, tmp_path: Path
) -> None:
    from test_migrations import make_first_revision_database

    old = tmp_path / "old.db"
    make_first_revision_database(old)
    out = ok("restore", str(old), "--yes").stdout.splitlines()
    assert out[1] == "  brought from schema revision 0001 to the current one"
    assert integrity(db_path) == [("ok",)]
    assert count(db_path, "client") == count(old, "client") > 0
    with closing(sqlite3.connect(old)) as conn:  # the backup itself is left as it was
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_a_file_that_is_no_book_is_not_backed_up(cli: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
    text = tmp_path / "notes.txt"
    text.write_text("not a book\n" * 100)
    target = tmp_path / "copy.db"
    assert_error(
        cli("--db", str(other), "backup", str(target)),
        74,
        f"cannot back up {other}: it is not a clientcard book (no schema revision)",
    )
    assert_error(
        cli("--db", str(text), "backup", str(target)),
        74,
        f"cannot back up {text}: file is not a database",
    )
    assert not target.exists()


def test_restore_asks_on_a_terminal(ok: Run, db_path: Path, tmp_path: Path) -> None:
    from test_duplicates import answer_in_a_terminal

    add(ok, "张伟")
    target = tmp_path / "b.db"
    ok("backup", str(target))
    add(ok, "Li Na")
    out, code = answer_in_a_terminal(["restore", str(target)], "n")
    assert f"Restoring {target} (1 card) over the book {db_path}." in out
    assert "Replace the book with this backup? [y/N]" in out
    assert code == 3
    assert count(db_path, "client") == 2
    out, code = answer_in_a_terminal(["restore", str(target)], "y")
    assert code == 0
    assert "Restored 1 card (" in out
    assert count(db_path, "client") == 1
