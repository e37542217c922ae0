"""Issue 15, Quality: a backup taken while eight processes write. Each writer works on its own
card through the CLI (`log`, `grade`, `promise add`, in that order, each its own transaction,
its clock a minute later every round); `backup` copies the book several times meanwhile. Every
copy passes `PRAGMA integrity_check` and holds one state of the book, checked by what a copy
torn between two moments would break:

- within a transaction: a card's last contact is its newest contact, and its grade (and the
  time it was graded) is its newest grade change;
- across transactions: each writer's commands commit in order, so a card's contacts, grade
  changes and promises of the writer stand at (n, n-1, n-1), (n, n, n-1) or (n, n, n);
- the copy holds the records `backup` says it copied.
"""

import os
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from helpers import Run, add

pytestmark = pytest.mark.usefixtures("migrated")

WRITERS = 8
BACKUPS = 4

WRITER = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typer.testing import CliRunner
from clientcard.cli import app

card, stop, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
runner = CliRunner()
start = datetime(2026, 11, 20, 9, 0)
for i in range(1, 2000):
    if stop.exists():
        break
    env = {"CLIENTCARD_NOW": (start + timedelta(minutes=i)).isoformat()}
    for args in (
        ["log", card, f"call {i}", "--via", "call"],
        ["grade", card, "ABCDE"[i % 5], "--reason", f"round {i}"],
        ["promise", "add", card, f"回电 {i}", "--due", "+3d"],
    ):
        r = runner.invoke(app, args, env=env)
        assert r.exit_code == 0, (args, r.output)
    if i == 3:
        ready.touch()
"""


def query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def check_one_state(copy: Path) -> None:
    assert query(copy, "PRAGMA integrity_check") == [("ok",)]
    torn_contacts = query(
        copy,
        "SELECT c.id FROM client c WHERE c.last_contact_at IS NOT "
        "(SELECT max(at) FROM contact WHERE client_id = c.id)",
    )
    assert torn_contacts == []
    torn_grades = query(
        copy,
        "SELECT c.id FROM client c JOIN grade_change g ON g.id = "
        "(SELECT max(id) FROM grade_change WHERE client_id = c.id) "
        "WHERE c.grade <> g.to_grade OR c.graded_at <> g.changed_at",
    )
    assert torn_grades == []
    for card, contacts, grades, promises in query(
        copy,
        "SELECT c.id, "
        "(SELECT count(*) FROM contact WHERE client_id = c.id), "
        "(SELECT count(*) FROM grade_change WHERE client_id = c.id AND reason LIKE 'round %'), "
        "(SELECT count(*) FROM promise WHERE client_id = c.id) FROM client c",
    ):
        n = contacts
        assert (grades, promises) in ((n - 1, n - 1), (n, n - 1), (n, n)) or n == 0, (
            card,
            contacts,
            grades,
            promises,
        )


def records(copy: Path) -> int:
    from clientcard.store.fulltext import is_index_table

    tables = [
        name
        for (name,) in query(
            copy,
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%' AND name <> 'alembic_version'",
        )
        if not is_index_table(name)  # the search index is derived, not records (issue 18)
    ]
    return sum(query(copy, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables)


def test_backups_taken_while_eight_processes_write_each_hold_one_whole_state(
    ok: Run, db_path: Path, tmp_path: Path
) -> None:
    cards = [add(ok, f"写手 {k}") for k in range(1, WRITERS + 1)]
    stop = tmp_path / "stop"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(card), str(stop), str(tmp_path / f"ready{card}")],
            env=dict(os.environ),
            stderr=subprocess.PIPE,
        )
        for card in cards
    ]
    copies: list[Path] = []
    said: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready{c}").exists() for c in cards):
            assert time.monotonic() < deadline, "the writers did not start"
            assert all(w.poll() is None for w in writers), "a writer stopped"
            time.sleep(0.05)
        for i in range(BACKUPS):
            target = tmp_path / f"copy{i}.db"
            out = ok("backup", str(target)).stdout
            m = re.fullmatch(
                rf"Backed up 8 cards \(([\d,]+) records in \d+ tables\) to {re.escape(str(target))}"
                "\n",
                out,
            )
            assert m, out
            said.append(int(m[1].replace(",", "")))
            copies.append(target)
            time.sleep(0.2)
        assert all(w.poll() is None for w in writers), "a writer stopped while backups ran"
    finally:
        stop.touch()
        for w in writers:
            assert w.wait(timeout=60) == 0, w.stderr.read() if w.stderr else ""
    for copy, count in zip(copies, said, strict=True):
        check_one_state(copy)
        assert records(copy) == count
        assert query(copy, "PRAGMA journal_mode") == [("delete",)]
    contacts = [query(c, "SELECT count(*) FROM contact")[0][0] for c in copies]
    assert contacts == sorted(contacts)
    assert contacts[0] >= WRITERS * 3  # every writer was under way before the first copy
    check_one_state(db_path)
    assert query(db_path, "SELECT count(*) FROM contact")[0][0] > contacts[0]


@pytest.mark.parametrize(
    "tear",
    [
        "DELETE FROM contact WHERE id = (SELECT max(id) FROM contact)",
        "UPDATE client SET grade = 'F' WHERE id = 1",
        "DELETE FROM grade_change WHERE id = (SELECT max(id) FROM grade_change)",
        "DELETE FROM grade_change WHERE reason = 'round 1'",
        "DELETE FROM contact WHERE id = (SELECT min(id) FROM contact)",
    ],
)
def test_the_checks_see_a_copy_torn_between_two_moments(
    ok: Run, db_path: Path, tmp_path: Path, tear: str
) -> None:
    """The checks above can fail: a copy that misses one write of a transaction, or holds a
    later command's write without an earlier one's, is caught."""
    card = add(ok, "写手")
    for i in (1, 2):
        ok(
            "log",
            str(card),
            f"call {i}",
            "--via",
            "call",
            env={"CLIENTCARD_NOW": f"2026-11-20T1{i}:00"},
        )
        ok("grade", str(card), "AB"[i - 1], "--reason", f"round {i}")
        ok("promise", "add", str(card), f"回电 {i}", "--due", "+3d")
    copy = tmp_path / "copy.db"
    ok("backup", str(copy))
    check_one_state(copy)
    with closing(sqlite3.connect(copy)) as conn, conn:
        conn.execute(tear)
    with pytest.raises(AssertionError):
        check_one_state(copy)


def test_a_copy_that_fails_the_integrity_check_is_removed(
    ok: Run, cli: Run, db_path: Path, tmp_path: Path
) -> None:
    """The copy's check reads it through a memory map (docs/backup.md, "How long it takes"): it
    is still the whole integrity check, which finds an index that does not match its table."""
    for name in ("张伟", "Li Na", "王芳"):
        add(ok, name)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        # The index keeps its entries (the grades), now declared on another column (no owner):
        # its entries are well formed, but do not match its table.
        conn.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_client_ladder ON client (owner)' "
            "WHERE name = 'ix_client_ladder'"
        )
        conn.commit()
    target = tmp_path / "copy.db"
    result = cli("backup", str(target))
    assert result.exit_code == 74, result.stderr
    assert "fails SQLite's integrity check" in result.stderr
    assert not target.exists()
