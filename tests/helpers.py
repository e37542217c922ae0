"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Self

import pytest
from typer.testing import CliRunner, Result

from clientcard.cli import app

# The pinned clock and zone of every test (conftest.py sets them; a module-scoped builder that
# runs before the per-test fixtures sets them itself).
PINNED_NOW = "2026-11-20T09:00:00"
PINNED_TZ = "Asia/Shanghai"
# How the pinned moment is stored (UTC text on SQLite).
NOW_UTC = "2026-11-20 01:00:00.000000"
# The `zhang` fixture's card (conftest.py) as commands name it.
ZHANG = "#1 张伟 (阿里)"

# The documented keys of a client in `list --format json|csv|tsv`, in order (docs/formats.md):
# written out here, not imported from the code, so a change to the format fails the tests.
CLIENT_KEYS = [
    "id",
    "name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "referred_by",
    "tags",
    "notes",
    "grade",
    "owner",
    "created_at",
    "updated_at",
    "archived",
    "customer",
]
# The documented keys of a `due --format json|csv|tsv` item, in order (docs/agenda.md).
DUE_KEYS = [
    "kind",
    "urgency",
    "client_id",
    "client",
    "grade",
    "what",
    "due",
    "overdue",
    "overdue_days",
    "reason",
    "flags",
    "record_id",
]

Run = Callable[..., Result]


def at(moment: str) -> dict[str, str]:
    """The env that pins the clock at `moment` (local time) for one command."""
    return {"CLIENTCARD_NOW": moment}


def assert_error(result: Result, code: int, message: str) -> None:
    """A user mistake: one line on stderr starting `clientcard: `, nothing on stdout, the code."""
    assert (result.exit_code, result.stdout, result.stderr) == (
        code,
        "",
        f"clientcard: {message}\n",
    )


# ---- adding records through the CLI -------------------------------------------------------


def add(ok: Run, name: str, *options: str, **kwargs: Any) -> int:
    """Add a card and return its id."""
    return int(ok("add", name, "--quiet", *options, **kwargs).stdout)


def promise(ok: Run, client: str, what: str, *options: str, **kwargs: Any) -> int:
    """Add a promise and return its id."""
    return int(ok("promise", "add", client, what, *options, "-q", **kwargs).stdout)


# ---- reading what the CLI prints ----------------------------------------------------------


def json_rows(*command: str) -> Callable[..., list[dict[str, Any]]]:
    """A reader of `clientcard COMMAND --format json OPTIONS...` as a list of rows:
    `json_rows("complaint", "list")(ok, "--all", env=...)`."""

    def read(ok: Run, *options: str, **kwargs: Any) -> list[dict[str, Any]]:
        return json.loads(ok(*command, "--format", "json", *options, **kwargs).stdout)

    return read


listing = json_rows("list")
"""`list --format json`: the cards."""
due = json_rows("due")
"""`due --format json`: the agenda's items."""


def lines(result: Result) -> list[str]:
    """The lines of a command's output, without trailing blanks."""
    return [line.rstrip() for line in result.stdout.splitlines()]


def table(out: str) -> list[str]:
    """A table's lines, with its rule (whose width follows the columns) checked and left out."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    assert set(lines[rule]) == {"─"}
    return lines[:rule] + lines[rule + 1 :]


def flat(value: Any) -> str:
    """A JSON value as CSV/TSV write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(flat(v) for v in value)
    return str(value)


# ---- files and databases ------------------------------------------------------------------


def write(tmp_path: Path, text: str | bytes, name: str = "cards.csv") -> str:
    """Write a file to import (text as UTF-8, line ends as given; bytes as they are)."""
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return str(path)


def rows(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement on the SQLite file at `path` (committed, connection closed)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        return list(conn.execute(sql, params))


def seeded_database(
    directory: Path, commands: Sequence[Sequence[str]] | Callable[[Run], object]
) -> Path:
    """A database built once by running `commands` through the CLI under the pinned clock: a list
    of argument lists, or a function that is handed an `ok` (which takes `env=` like the fixture).
    Tests copy it instead of repeating the commands."""
    db = directory / "cards.db"
    pinned = {
        "CLIENTCARD_NOW": PINNED_NOW,
        "TZ": PINNED_TZ,
        "CLIENTCARD_CONFIG": str(directory / "config.toml"),
    }
    runner = CliRunner()

    def ok(*args: str, env: dict[str, str] | None = None) -> Result:
        argv = ["--db", str(db), *args]
        result = runner.invoke(app, argv, env={**pinned, **(env or {})}, prog_name="clientcard")
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    if callable(commands):
        commands(ok)
    else:
        for args in commands:
            ok(*args)
    return db


# ---- scripted stories (test_week.py, test_month.py) ---------------------------------------


class Salesperson:
    """The salesperson at work: a clock to move, and the commands they type."""

    def __init__(self, cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cli, self.ok, self.monkeypatch = cli, ok, monkeypatch

    def at(self, moment: str) -> Self:
        self.monkeypatch.setenv("CLIENTCARD_NOW", moment)
        return self

    def do(self, *args: str) -> str:
        return self.ok(*args).stdout
