"""Start-up: help and shell completion answer without importing the database stack."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """
import json, sys
from clientcard.cli import main
sys.argv = ["clientcard", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
# (pydantic is not listed: Typer is pinned below 0.29, which validated options with it.)
stack = ("sqlmodel", "sqlalchemy", "alembic")
print("\\nLOADED=" + json.dumps(sorted(m for m in stack if m in sys.modules)))
"""


def run_cli(tmp_path: Path, args: list[str], **env: str) -> tuple[str, list[str]]:
    """Run the CLI's main in a fresh interpreter; return its output and the database modules
    it loaded."""
    full_env = {
        **os.environ,
        "CLIENTCARD_DB": str(tmp_path / "cards.db"),
        "PYTHONIOENCODING": "utf-8",
        **env,
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROGRAM, json.dumps(args)],
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    output, _, loaded = proc.stdout.rpartition("\nLOADED=")
    return output, json.loads(loaded)


@pytest.mark.parametrize("args", [["--help"], ["grade", "--help"], ["add", "--help"], []])
def test_help_does_not_import_the_database_stack(tmp_path: Path, args: list[str]) -> None:
    output, loaded = run_cli(tmp_path, args)
    assert "Usage: clientcard" in output
    assert loaded == []
    assert not (tmp_path / "cards.db").exists()


def test_shell_completion_does_not_import_the_database_stack(tmp_path: Path) -> None:
    output, loaded = run_cli(
        tmp_path,
        [],
        _CLIENTCARD_COMPLETE="complete_bash",
        COMP_WORDS="clientcard gr",
        COMP_CWORD="1",
    )
    assert "grade" in output.split()
    assert loaded == []


def test_completing_a_client_from_the_book_does_not_import_the_database_stack(
    tmp_path: Path,
) -> None:
    """Issue 12: <TAB> on CLIENT reads the book (read-only, never migrating it)."""
    run_cli(tmp_path, ["add", "张伟", "-q"])  # creates and migrates the book
    output, loaded = run_cli(
        tmp_path,
        [],
        _CLIENTCARD_COMPLETE="complete_bash",
        COMP_WORDS="clientcard log 张",
        COMP_CWORD="2",
    )
    assert output.split() == ["张伟"]
    assert loaded == []


EVERYDAY = [
    ["add", "Zhang Wei", "-q"],
    ["log", "1", "--via", "call"],
    ["promise", "add", "1", "send the brochure", "--due", "fri"],
    ["due", "--today"],
    ["due", "--week", "--format", "json"],
    ["show", "1"],
    ["show", "1", "--format", "json"],
    ["list", "--grade", "F", "--limit", "50"],
    ["list", "--search", "zhang"],
]


def test_everyday_commands_on_a_book_do_not_import_the_database_stack(tmp_path: Path) -> None:
    """Where the speed of issue 5 comes from: on an SQLite file at the current schema, the
    everyday commands run on the stdlib sqlite3 driver (store/db.py), not SQLAlchemy."""
    run_cli(tmp_path, ["list"])  # creates and migrates the new book (that does load Alembic)
    for args in EVERYDAY:
        _, loaded = run_cli(tmp_path, args)
        assert loaded == [], args


def test_the_probe_would_see_the_database_stack(tmp_path: Path) -> None:
    """The checks above are not vacuous: creating a book migrates it with Alembic, and a
    database URL goes through SQLAlchemy."""
    _, loaded = run_cli(tmp_path, ["list"])
    assert {"alembic", "sqlalchemy"} <= set(loaded)
    _, loaded = run_cli(tmp_path, ["--db", f"sqlite:///{tmp_path / 'cards.db'}", "list"])
    assert "sqlalchemy" in loaded
