"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

import ast
import json
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Self

import pytest
from typer.testing import CliRunner, Result

from clientcard.cli import app
from clientcard.store.db import Db
from clientcard.store.records import Client

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
    # Issue 11: the F kind and time in grade.
    "f_kind",
    "grade_since",
    "days_in_grade",
    # Issue 14: every phone and e-mail address, labelled (`phone`, `email`: the main ones).
    "phones",
    "emails",
    # Issue 17: who added the card, who changed it last.
    "created_by",
    "updated_by",
]
# The documented keys of a `due --format json|csv|tsv` item, in order (docs/agenda.md).
# The keys of a contact in JSON, CSV and TSV (docs/formats.md), in order.
CONTACT_KEYS = [
    "id",
    "client_id",
    "client",
    "at",
    "via",
    "summary",
    "with",
    "next",
    "source",
    "source_id",
    "greeting",
    "author",  # issue 17: who logged it
]

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
    "company",  # issue 12: the card's company and the phone to call
    "phone",
]

# Issue 11 made the targets of high, normal and low complaints count working hours, with new
# defaults. The complaint tests written before it check targets in clock hours, configured as
# they were then (`clock_hour_targets`); working hours: tests/test_ladder_time.py.
CLOCK_HOUR_TARGETS = {
    "complaint.round_the_clock": "low,normal,high,urgent",
    "response.high": "24",
    "response.normal": "48",
    "response.low": "120",
    "resolve.high": "72",
    "resolve.normal": "168",
    "resolve.low": "336",
}


def clock_hour_targets() -> None:
    """Configure the complaint targets as before issue 11: clock hours, 24/48/120 and
    72/168/336 hours (the test's own config file)."""
    from clientcard.store.config_file import set_value

    for key, value in CLOCK_HOUR_TARGETS.items():
        set_value(key, value)


Run = Callable[..., Result]
Query = Callable[..., list[tuple[Any, ...]]]


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
        "CLIENTCARD_USER": "li",  # who did what (conftest.py)
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


# ---- cards (test_card_*.py) ---------------------------------------------------------------


def card(ok: Run, ref: str) -> dict[str, Any]:
    """The card `ref` names, as `show --format json` writes it."""
    return json.loads(ok("show", ref, "--format", "json").stdout)


def card_ids(ok: Run, *options: str) -> list[int]:
    """The ids `list` shows, in order."""
    return [row["id"] for row in listing(ok, *options)]


def page_fields(result: Result) -> dict[str, str]:
    """The label/value lines of a `show` page (between the title and the first blank line)."""
    out = lines(result)
    labelled = out[1 : out.index("")]
    return dict(re.split(r"\s{2,}", line, maxsplit=1) for line in labelled)


# ---- promises (test_promise_*.py) ---------------------------------------------------------

promise_listing = json_rows("promise", "list")
"""`promise list --format json`."""


def promise_status(query: Query, promise_id: int) -> tuple[Any, ...]:
    return query("SELECT status, short_notice, closed_at FROM promise WHERE id = ?", (promise_id,))[
        0
    ]


def promise_events(query: Query, promise_id: int) -> list[tuple[Any, ...]]:
    return query(
        "SELECT event, at, due_at, all_day, told_at, by, short_notice, reason "
        "FROM promise_event WHERE promise_id = ? ORDER BY id",
        (promise_id,),
    )


def keep_rate(ok: Run, *options: str, **kwargs: Any) -> str:
    """The keep-rate in the footer of `promise list --all`, without its label."""
    last = ok("promise", "list", "--all", *options, **kwargs).stdout.splitlines()[-1]
    match = re.fullmatch(r"(?:No promises\. )?Keep-rate:? (.*?)\.?", last)
    assert match, last
    return match[1]


# ---- complaints (test_complaint_*.py) -----------------------------------------------------

complaint_listing = json_rows("complaint", "list")
"""`complaint list --format json`."""


def complaint(ok: Run, client: str, what: str, *options: str, **kwargs: Any) -> int:
    """Add a complaint and return its id."""
    return int(ok("complaint", "add", client, what, *options, "-q", **kwargs).stdout)


def complaint_row(query: Query, complaint_id: int = 1) -> tuple[Any, ...]:
    return query(
        "SELECT client_id, what, severity, status, received_at, first_response_at, resolved_at, "
        "result, satisfaction FROM complaint WHERE id = ?",
        (complaint_id,),
    )[0]


def complaint_steps(query: Query, complaint_id: int = 1) -> list[tuple[Any, ...]]:
    return query(
        "SELECT kind, at, text, satisfaction FROM complaint_step WHERE complaint_id = ? "
        "ORDER BY id",
        (complaint_id,),
    )


# ---- key dates, greetings and holidays (test_key_dates.py, test_greetings.py, ...) --------

dates = json_rows("date", "list")
"""`date list --format json`."""


def day(d: str) -> dict[str, str]:
    """The clock at 09:00 on day `d`."""
    return at(f"{d}T09:00:00")


def add_date(ok: Run, client: str, kind: str, when: str, *options: str, **kwargs: Any) -> int:
    """Add a key date and return its id."""
    return int(ok("date", "add", client, kind, when, *options, "-q", **kwargs).stdout)


def greetings(ok: Run, *options: str, **kwargs: Any) -> list[dict[str, Any]]:
    """The occasion items of `due` (today unless a window is given), as JSON."""
    out = ok("due", "--kind", "occasion", "--format", "json", *options, **kwargs).stdout
    return json.loads(out)


def greeting_brief(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(client, what, due, reason) of each item, in order."""
    return [(i["client"], i["what"], i["due"], i["reason"]) for i in items]


def make_customer(db_path: Path, client_id: int) -> None:
    """Make a card a customer (a first sale on 2026-11-01) without going through `sale`."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute(
            "UPDATE client SET first_sale_at = '2026-11-01 02:00:00.000000' WHERE id = ?",
            (client_id,),
        )


# ---- sales (test_sale*.py) ----------------------------------------------------------------


def sale(ok: Run, client: str, amount: str, *options: str, **kwargs: Any) -> int:
    """Record a sale and return its id."""
    return int(ok("sale", client, amount, *options, "-q", **kwargs).stdout)


def imports_in(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Every import statement of a source file, anywhere in it (inside functions and
    `if TYPE_CHECKING:` too), as (module, the names taken from it): `import a.b` is
    `("a.b", ())`, `from a import b, c` is `("a", ("b", "c"))`."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: a relative import"  # ruff bans them too
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def stored_card(db: Db, ref: str | int) -> Client:
    """The card a service reader takes, looked up as the CLI would (`NotFound` if none)."""
    from clientcard.services.lookup import resolve_client

    return resolve_client(db, str(ref))


def imported_names(path: Path) -> set[str]:
    """The modules a file imports, and `module.name` for each name taken from one: so that
    `from clientcard.store import open` is seen as `clientcard.store.open`."""
    found: set[str] = set()
    for module, names in imports_in(path):
        found.update((module, *(f"{module}.{name}" for name in names)))
    return found


# ---- the agenda page (`due` for people, issue 12) -------------------------------------------

# The page's groups, in order, and the kinds each holds (docs/agenda.md).
PAGE_GROUPS = [
    ("Complaints", {"complaint"}),
    ("Promises and appointments", {"promise", "appointment"}),
    ("Thank-yous", {"thanks"}),
    ("Follow-ups and re-checks", {"followup", "first_visit", "recheck"}),
    ("Greetings", {"occasion"}),
]
_GROUP_HEADER = re.compile(r"^(\S.*) \((\d+)\)$")
_ITEM_HEAD = re.compile(r"^  (\S.*?)\s{2,}#(\d+) ")


def page_groups(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The JSON items as the page groups them: the groups in the page's order, each in the
    order of the JSON (most urgent first)."""
    groups = [(title, [i for i in items if i["kind"] in kinds]) for title, kinds in PAGE_GROUPS]
    return [(title, members) for title, members in groups if members]


def read_page(text: str) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """`due` for people: each group's title, the count its header says, and its items as
    (when, card id), in order."""
    groups: list[tuple[str, int, list[tuple[str, int]]]] = []
    for line in text.splitlines():
        header = _GROUP_HEADER.match(line)
        if header:
            groups.append((header.group(1), int(header.group(2)), []))
            continue
        head = _ITEM_HEAD.match(line)
        if head:
            groups[-1][2].append((head.group(1), int(head.group(2))))
    return groups


def page_matches(text: str, items: list[dict[str, Any]]) -> None:
    """The page lists the JSON's items, grouped, each group's count in its header."""
    assert [(t, n, [cid for _, cid in rows]) for t, n, rows in read_page(text)] == [
        (title, len(members), [i["client_id"] for i in members])
        for title, members in page_groups(items)
    ]


def in_a_terminal(command: list[str], env: dict[str, str], columns: int = 80) -> str:
    """Run `command` in a pseudo-terminal `columns` wide (40 lines) and return what it printed,
    decoded as UTF-8 ("replace"); fails unless it exits 0. A minute at most."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the program ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(timeout=10) == 0
    return b"".join(chunks).decode("utf-8", "replace")


# ---- what a command imports (test_startup.py, test_lazy_tree.py) ----------------------------

MAIN_PROGRAM = """
import json, sys
from clientcard.cli import main
sys.argv = ["clientcard", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nLOADED=" + json.dumps(sorted(sys.modules)))
"""


def run_main(args: list[str], env: dict[str, str]) -> tuple[str, set[str]]:
    """Run the CLI's main with `args` in a fresh interpreter (os.environ updated by `env`);
    return what it printed and the names of every module it had imported when it ended."""
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", MAIN_PROGRAM, json.dumps(args)],
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    output, _, loaded = proc.stdout.rpartition("\nLOADED=")
    return output, set(json.loads(loaded))
