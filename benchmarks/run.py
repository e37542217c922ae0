"""Time the installed clientcard on generated books (issue 5): whole processes, as users run them.

    python benchmarks/run.py [--sizes 1000,28000,100000] [--runs 5]
                             [--out benchmarks/out/results.json] [--only KEY,...] [--rebuild]
                             [--against OTHER/bin/clientcard]

For each size: build (or reuse) a book with benchmarks/generate.py, copy it to a scratch file for
the commands that write, and run every command once to warm up and then --runs times, round
robin, with CLIENTCARD_NOW and TZ pinned. Each run is one process of the console script
`clientcard` installed next to this interpreter; its wall time is measured around the process
and its peak memory is that process's own ru_maxrss (os.wait4), so the peak is per command.
In the same run: the floor, `python -c pass` and `python -c "import sqlmodel, typer, rich,
dateutil"` with the same interpreter. Prints a table and the targets of issue 5 (met or not),
and writes everything, with the machine, to --out as JSON. benchmarks/README.md explains it.

With --against, another installed clientcard (say a venv with the code before a change) runs
every clientcard command in the same round robin, on the same books and its own scratch copies,
and the table shows both medians and their ratio: a comparison is only valid within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

DEFAULT_SIZES = "1000,28000,100000"
DEFAULT_OUT = HERE / "out" / "results.json"
IMPORT_ROWS = 100_000
PACKAGES = [
    "clientcard", "typer", "click", "rich", "sqlmodel", "sqlalchemy", "pydantic", "pydantic-core",
    "alembic", "python-dateutil", "platformdirs", "tomli-w",
]  # fmt: skip

# Issue 5, part 3.
READ_TARGET_S = 0.25
WRITE_TARGET_S = 0.30
GROWTH_TARGET = 1.15
STARTUP_TARGET_S = 0.25
COMPLETE_CLIENT_TARGET_S = 0.15  # issue 12: a client completed from the book
COMPLETE_PREFIXES = {"cn": "张", "latin": "Jos", "id": "15"}  # complete_client_<kind>
IMPORT_TARGET_ROWS_S = 20_000
EXPORT_TARGET_ROWS_S = 50_000
PEAK_TARGET_MIB = 80.0
TARGET_SIZES = (28_000, 100_000)
BASE_SIZE = 1_000


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    args: Callable[[Context], list[str]]  # after the program
    kind: str  # startup | read | write | import | export | floor
    env: dict[str, str] = field(default_factory=dict)
    program: str = "clientcard"  # or "python" for the floor
    env_of: Callable[[Context], dict[str, str]] | None = None  # more, for one book


@dataclass
class Context:
    """One size: the book, its scratch copy and the probes the generator recorded."""

    size: int
    book: Path
    scratch: Path
    probes: dict[str, Any]
    csv: Path | None = None
    import_db: Path | None = None
    against_scratch: Path | None = None  # the --against program's own copy for the writes
    taskrc: Path | None = None  # Taskwarrior's settings for this size's task list (the peer)


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    rc: int
    stderr: str


def _db(ctx: Context) -> list[str]:
    return ["--db", str(ctx.book)]


def _scratch(ctx: Context) -> list[str]:
    return ["--db", str(ctx.scratch)]


COMMANDS = [
    Command("help", "--help", lambda c: ["--help"], "startup"),
    Command(
        "complete",
        "completion (`clientcard gr<TAB>`)",
        lambda c: [],
        "startup",
        env={
            "_CLIENTCARD_COMPLETE": "complete_bash",
            "COMP_WORDS": "clientcard gr",
            "COMP_CWORD": "1",
        },
    ),
    Command(
        "complete_client",
        "completion of a client (`clientcard log 林芳<TAB>`)",
        lambda c: [],
        "startup",
        env={"_CLIENTCARD_COMPLETE": "complete_bash", "COMP_CWORD": "4"},
        env_of=lambda c: {"COMP_WORDS": f"clientcard --db {c.book} log {c.probes['search_cn']}"},
    ),
    # Issue 12: the prefixes a salesperson really types after `log `: one Chinese character (a
    # common surname: thousands of cards at 100,000), three Latin letters, two digits of an id.
    *(
        Command(
            f"complete_client_{kind}",
            f"completion of a client (`clientcard log {typed}<TAB>`)",
            lambda c: [],
            "startup",
            env={"_CLIENTCARD_COMPLETE": "complete_bash", "COMP_CWORD": "4"},
            env_of=lambda c, typed=typed: {"COMP_WORDS": f"clientcard --db {c.book} log {typed}"},
        )
        for kind, typed in COMPLETE_PREFIXES.items()
    ),
    Command("due_today", "due --today", lambda c: [*_db(c), "due", "--today"], "read"),
    Command(
        "due_week_json",
        "due --week --format json",
        lambda c: [*_db(c), "due", "--week", "--format", "json"],
        "read",
    ),
    Command(
        "show", "show <busy card>", lambda c: [*_db(c), "show", str(c.probes["busy_id"])], "read"
    ),
    Command(
        "list_grade_a",
        "list --grade A --limit 50",
        lambda c: [*_db(c), "list", "--grade", "A", "--limit", "50"],
        "read",
    ),
    Command(
        "search_cn",
        "list --search <2-char Chinese name>",
        lambda c: [*_db(c), "list", "--search", c.probes["search_cn"]],
        "read",
    ),
    Command(
        "search_latin",
        "list --search <5-letter word>",
        lambda c: [*_db(c), "list", "--search", c.probes["search_latin"]],
        "read",
    ),
    Command(
        "log",
        "log <id> --via call",
        lambda c: [*_scratch(c), "log", str(c.probes["write_id"]), "--via", "call"],
        "write",
    ),
    Command("add", "add NAME", lambda c: [*_scratch(c), "add", "Bench 测试"], "write"),
    Command(
        "promise",
        'promise add <id> "x" --due fri',
        lambda c: [*_scratch(c), "promise", "add", str(c.probes["write_id"]), "x", "--due", "fri"],
        "write",
    ),
    Command(
        "import_csv",
        f"import a {IMPORT_ROWS:,}-row CSV",
        lambda c: ["--db", str(c.import_db), "import", str(c.csv)],
        "import",
    ),
    Command(
        "export_json",
        "export --format json (every card)",
        lambda c: [*_db(c), "export", "--format", "json"],
        "export",
    ),
    Command(
        "peer_task_overdue",
        "peer: Taskwarrior `task overdue` (as many tasks as cards)",
        lambda c: [f"rc:{c.taskrc}", "overdue"],
        "peer",
        program="task",
    ),
    Command(
        "floor_imports",
        'floor: python -c "import sqlmodel, typer, rich, dateutil"',
        lambda c: ["-c", "import sqlmodel, typer, rich, dateutil"],
        "floor",
        program="python",
    ),
    Command(
        "floor_stack",
        'floor: python -c "import typer, rich.table, dateutil, sqlite3" (what a command needs)',
        lambda c: ["-c", "import typer, rich.table, dateutil, sqlite3"],
        "floor",
        program="python",
    ),
    Command(
        "floor_pass", "floor: python -c pass", lambda c: ["-c", "pass"], "floor", program="python"
    ),
]
NO_IMPORT = {
    "command": "import_csv",
    "label": f"import a {IMPORT_ROWS:,}-row CSV",
    "kind": "import",
    "na": True,
    "error": "n/a: no import command (`clientcard import --help` does not exit 0)",
}
MAIN, AGAINST = "main", "against"  # the two sides of a comparison (--against)
READ_KEYS = ["due_today", "show", "list_grade_a", "search_cn", "search_latin"]
WRITE_KEYS = ["log", "add", "promise"]
COMPLETE_CLIENT_KEYS = ["complete_client", *(f"complete_client_{k}" for k in COMPLETE_PREFIXES)]
STARTUP_KEYS = ["help", "complete", *COMPLETE_CLIENT_KEYS]
# Issue 12: `due --today` side by side with Taskwarrior's overdue list and the stack's floor.
PEER_KEY, FLOOR_KEY = "peer_task_overdue", "floor_stack"
PEER_TARGETS = {28_000: 4.0, 100_000: 12.0}  # due --today at least this many times faster
FLOOR_TARGET = 1.6  # hot commands at most this many times the floor
HOT_KEYS = ["due_today", "show", "list_grade_a", "search_cn", "search_latin", "log", "add",
            "promise"]  # fmt: skip


# ---- running one process -------------------------------------------------------------------


# A process's ru_maxrss starts at its parent's when it execs (Linux keeps the high-water mark of
# the memory it replaces), so a command launched straight from this script would report this
# script's size if larger. Each command is therefore launched by a small wrapper: GNU time, or
# else this few-line Python (whose own ~10 MiB then is the least any command can report).
WRAPPER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)))
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
"""


def gnu_time() -> str | None:
    """/usr/bin/time when it is GNU time (which takes -f %M -o FILE)."""
    path = shutil.which("time", path="/usr/bin:/bin") or "/usr/bin/time"
    try:
        probe = subprocess.run([path, "-f", "%M", "-o", os.devnull, "true"], capture_output=True)
    except OSError:
        return None
    return path if probe.returncode == 0 else None


@dataclass(frozen=True)
class Launcher:
    """Runs one command and reads its peak memory (KiB) from a file."""

    prefix: tuple[str, ...]  # then the file for the peak, then the command
    name: str

    @classmethod
    def find(cls, python: Path) -> Launcher:
        found = gnu_time()
        if found:
            return cls((found, "-f", "%M", "-o"), f"{found} -f %M")
        return cls((str(python), "-c", WRAPPER), "a Python wrapper with os.wait4")

    def run(self, argv: list[str], env: dict[str, str], stdout: Path) -> Sample:
        """One whole process: wall time around it, and its own peak resident memory."""
        with (
            stdout.open("wb") as out,
            tempfile.TemporaryFile() as err,
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
        ):
            full = [*self.prefix, rss.name, *argv]
            started = time.perf_counter()
            proc = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            seconds = time.perf_counter() - started
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")[-2000:]
            text = Path(rss.name).read_text().strip().splitlines()
        try:  # GNU time writes "Command exited with non-zero status N" first when it fails
            peak = int(text[-1]) / 1024
        except (IndexError, ValueError):
            peak = float("nan")
        return Sample(seconds, peak, proc.returncode, stderr)


def installed_clientcard() -> Path:
    """The console script installed with this interpreter (a virtualenv's bin/), else PATH's."""
    beside = Path(sys.executable).parent / "clientcard"
    if beside.exists():
        return beside
    found = shutil.which("clientcard")
    if found is None:
        raise SystemExit("run.py: no installed `clientcard` next to this Python or on PATH")
    return Path(found)


def script_interpreter(script: Path) -> Path:
    """The interpreter a console script runs with (its #! line), for the floor."""
    first = script.read_bytes().split(b"\n", 1)[0].decode(errors="replace")
    if first.startswith("#!"):
        candidate = Path(first[2:].strip().split()[0])
        if candidate.exists():
            return candidate
    return Path(sys.executable)


def child_env(out: Path, now: str, tz: str) -> dict[str, str]:
    """The environment every timed process gets: the pinned clock and zone, and no settings
    file or data directory of the user's."""
    # Without PYTHONDONTWRITEBYTECODE (set in some sandboxes), so that the warm-up writes the
    # `.pyc` files an installed package has: else every run compiles clientcard's source.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLIENTCARD_", "_CLIENTCARD")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        {
            "CLIENTCARD_NOW": now,
            "TZ": tz,
            "CLIENTCARD_CONFIG": str(out / "bench-config.toml"),  # absent: the defaults
            "XDG_CONFIG_HOME": str(out / "xdg-config"),
            "XDG_DATA_HOME": str(out / "xdg-data"),
            "COLUMNS": "120",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return env


# ---- books ---------------------------------------------------------------------------------


def book_for(size: int, out: Path, seed: int, now: str, tz: str, rebuild: bool) -> dict[str, Any]:
    """Reuse benchmarks/out/book-N.db when it was built from the same generator and settings."""
    path = out / f"book-{size}.db"
    meta_path = Path(f"{path}.json")
    if path.exists() and meta_path.exists() and not rebuild:
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        wanted = {"cards": size, "seed": seed, "now": now, "tz": tz}
        if all(meta.get(k) == v for k, v in wanted.items()) and (
            meta.get("generator") == generate.source_digest()
        ):
            print(f"book {size:,}: reusing {path}", file=sys.stderr)
            return meta
    print(f"book {size:,}: generating {path} ...", file=sys.stderr)
    meta = generate.build(path, size, seed, now, tz, force=True)
    print(f"book {size:,}: built in {meta['seconds']['total']:.1f} s", file=sys.stderr)
    return meta


def fresh_copy(source: Path, target: Path) -> None:
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def schema_revision(book: Path) -> str | None:
    """The Alembic revision a book is at (clientcard upgrades an older one when it opens it)."""
    with closing(sqlite3.connect(book)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            return None
    return None if row is None else str(row[0])


def write_import_csv(path: Path, seed: int, now: str, tz: str) -> None:
    """100,000 new cards as CSV, with the client columns of docs/formats.md that a user types
    (no id, referrer or timestamps)."""
    import csv

    zone = ZoneInfo(tz)
    book = generate.generate(IMPORT_ROWS, seed + 1, generate.parse_now(now, zone), zone)
    tags: dict[int, list[str]] = {}
    for client_id, tag in book.rows["client_tag"]:
        tags.setdefault(client_id, []).append(tag)
    columns = generate.TABLE_COLUMNS["client"].replace(" ", "").split(",")
    wanted = ["name", "company", "title", "phone", "email", "address", "source", "notes", "grade"]
    index = [columns.index(c) for c in wanted]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*wanted, "tags"])
        for row in book.rows["client"]:
            writer.writerow([*(row[i] for i in index), ",".join(tags.get(row[0], []))])


def taskwarrior() -> Path | None:
    """Taskwarrior's `task` (Debian's `taskwarrior` package), when installed."""
    found = shutil.which("task")
    return Path(found) if found else None


def write_task_list(book: Path, folder: Path, now: str, tz: str) -> Path:
    """The peer's data: one pending task per live card of the book, due on the card's next
    follow-up, written as Taskwarrior 2.6 stores it (`pending.data`, one `[key:"value" ...]`
    line per task), with its settings file; returns the settings file. Taskwarrior reads the
    real clock (it cannot be pinned), so every due date is moved by the time between the
    book's pinned "now" and the real one: the overdue list then holds the same cards as
    clientcard's overdue follow-ups."""
    import uuid

    zone = ZoneInfo(tz)
    pinned = generate.parse_now(now, zone)
    shift = datetime.now(zone).date() - pinned.date()
    data = folder / "data"
    shutil.rmtree(folder, ignore_errors=True)
    data.mkdir(parents=True)
    entry = int(pinned.timestamp()) - 86_400 * 365
    with closing(sqlite3.connect(book)) as conn:
        cards = conn.execute(
            "SELECT id, name, next_followup_on FROM client WHERE archived_at IS NULL ORDER BY id"
        ).fetchall()
    lines = []
    for card_id, name, on in cards:
        day = date.fromisoformat(on) + shift
        due = int(datetime.combine(day, datetime.min.time(), tzinfo=zone).timestamp())
        text = f"follow up {name}".replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace("[", "&open;").replace("]", "&close;")
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"clientcard-bench/{card_id}")
        lines.append(
            f'[description:"{text}" due:"{due}" entry:"{entry}" modified:"{entry}" '
            f'status:"pending" uuid:"{key}"]\n'
        )
    (data / "pending.data").write_text("".join(lines), encoding="utf-8")
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).write_text("")
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\ncolor=off\ndefaultwidth=120\n")
    return rc


# ---- the machine ---------------------------------------------------------------------------


def installed_versions(python: Path) -> dict[str, Any]:
    """The Python, SQLite and package versions an interpreter runs with."""
    probe = (
        "import json, sqlite3, sys\n"
        "from importlib.metadata import version, PackageNotFoundError\n"
        "def v(p):\n"
        "    try:\n"
        "        return version(p)\n"
        "    except PackageNotFoundError:\n"
        "        return None\n"
        f"print(json.dumps({{'python': sys.version, 'sqlite': sqlite3.sqlite_version, "
        f"'packages': {{p: v(p) for p in {PACKAGES!r}}}}}))"
    )
    found: dict[str, Any] = json.loads(
        subprocess.run(
            [str(python), "-c", probe], capture_output=True, text=True, check=True
        ).stdout
    )
    return found


def machine(python: Path) -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    found = installed_versions(python)
    try:
        memory = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = None
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    return {
        "uname": uname or " ".join(platform.uname()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": found["python"],
        "sqlite": found["sqlite"],
        "packages": found["packages"],
        "load_average_at_start": list(os.getloadavg()),
    }


# ---- the run -------------------------------------------------------------------------------


def measure(
    contexts: list[Context],
    commands: list[Command],
    runs: int,
    env: dict[str, str],
    programs: dict[str, Path],
    out: Path,
    launcher: Launcher,
    sides: dict[str, tuple[str, ...]] | None = None,
) -> list[dict[str, Any]]:
    """Warm every command up once on every book, then run them all `runs` times, round robin
    over the sizes and the commands, so a busy moment on the machine spreads over every size
    and command instead of one column of the table (the targets compare the sizes).

    `sides` says which programs run each command (default: MAIN only): with AGAINST, the
    command runs with programs["against"] right next to MAIN's run, in the warm-up and in
    every round (which of the two goes first alternates by round), the writes on the book's
    `against_scratch`. AGAINST's entries carry "program": "against"; MAIN's are unchanged."""
    stdout = out / "stdout.txt"
    results: dict[tuple[int, str, str], dict[str, Any]] = {}
    plan = [(m, (sides or {}).get(m.key, (MAIN,))) for m in commands]

    def side_of(ctx: Context, side: str) -> Context:
        if side == MAIN:
            return ctx
        assert ctx.against_scratch is not None
        return replace(ctx, scratch=ctx.against_scratch)

    argvs = {
        (c.size, m.key, side): [
            str(programs[m.program if side == MAIN else AGAINST]),
            *m.args(side_of(c, side)),
        ]
        for c in contexts
        for m, on in plan
        for side in on
    }
    envs = {
        (c.size, m.key): {**env, **m.env, **(m.env_of(c) if m.env_of else {})}
        for c in contexts
        for m in commands
    }

    def run(ctx: Context, command: Command, side: str) -> Sample:
        if command.kind == "import":
            assert ctx.import_db is not None
            fresh_copy(ctx.book, ctx.import_db)
        return launcher.run(argvs[ctx.size, command.key, side], envs[ctx.size, command.key], stdout)

    def warm_up(ctx: Context, command: Command, side: str) -> None:
        warm = run(ctx, command, side)
        entry: dict[str, Any] = {"command": command.key}
        if side != MAIN:
            entry["program"] = side
        entry |= {
            "label": command.label,
            "kind": command.kind,
            "size": ctx.size,
            "argv": argvs[ctx.size, command.key, side][1:],
            "warmup_s": round(warm.seconds, 4),
            "samples": [],
        }
        if warm.rc != 0:
            entry["error"] = f"exit {warm.rc}: {warm.stderr.strip()[-500:]}"
        output = stdout.read_bytes()
        if command.kind == "export" and warm.rc == 0:
            entry["rows"] = len(json.loads(output))
        if command.key == "complete" and b"grade" not in output:
            entry["note"] = f"completion printed {output[:200]!r}, without `grade`"
        if command.key in COMPLETE_CLIENT_KEYS:
            entry["rows"] = len(output.splitlines())  # the cards offered
        if command.key.startswith("search") and warm.rc == 0:
            found = re.search(r"(\d[\d,]*) cards?\s*$", output.decode("utf-8", "replace"))
            entry["rows"] = int(found.group(1).replace(",", "")) if found else 0
        results[ctx.size, command.key, side] = entry
        tag = "" if side == MAIN else f"  [{side}]"
        print(
            f"  {ctx.size:>7,}  warm-up  {warm.seconds:6.3f} s  {command.label}{tag}",
            file=sys.stderr,
        )

    def timed(ctx: Context, command: Command, side: str, round_: int) -> None:
        entry = results[ctx.size, command.key, side]
        if "error" in entry:
            return
        sample = run(ctx, command, side)
        if sample.rc != 0:
            entry["error"] = f"exit {sample.rc} in run {round_ + 1}: {sample.stderr[-500:]}"
            return
        entry["samples"].append(
            {"s": round(sample.seconds, 4), "peak_mib": round(sample.peak_mib, 1)}
        )

    for ctx in contexts:
        for command, on in plan:
            for side in on:
                warm_up(ctx, command, side)
    for round_ in range(runs):
        for ctx in contexts:
            for command, on in plan:
                for side in on if round_ % 2 == 0 else on[::-1]:
                    timed(ctx, command, side, round_)
        print(f"  run {round_ + 1}/{runs} done", file=sys.stderr)
    stdout.unlink(missing_ok=True)
    for entry in results.values():
        samples = entry["samples"]
        if samples:
            entry["median_s"] = round(statistics.median(s["s"] for s in samples), 4)
            entry["peak_mib"] = max(s["peak_mib"] for s in samples)
            rows = IMPORT_ROWS if entry["kind"] == "import" else entry.get("rows")
            if entry["kind"] in ("import", "export") and rows:
                entry["rows"] = rows
                entry["rows_per_s"] = round(rows / entry["median_s"])
    return list(results.values())


def has_import(clientcard: Path, env: dict[str, str]) -> bool:
    proc = subprocess.run([str(clientcard), "import", "--help"], env=env, capture_output=True)
    return proc.returncode == 0


# ---- targets -------------------------------------------------------------------------------


def evaluate(results: list[dict[str, Any]], sizes: list[int]) -> list[dict[str, Any]]:
    """Each target of issue 5, part 3: met, not met, or not measured (with why)."""
    by = {(r["command"], r["size"]): r for r in results}
    labels = {c.key: c.label for c in COMMANDS}
    targets: list[dict[str, Any]] = []

    def check(name: str, items: list[tuple[str, int, float | None, bool | None]]) -> None:
        """items: (command, size, value, ok); ok None means not measured."""
        measured = [i for i in items if i[3] is not None]
        failed = [i for i in measured if not i[3]]
        if not measured:
            status = "not measured"
        elif failed:
            status = "NOT met"
        elif len(measured) < len(items):
            status = "met where measured"
        else:
            status = "met"
        targets.append(
            {
                "target": name,
                "status": status,
                "items": [
                    {"command": labels[k], "size": s, "value": v, "ok": ok} for k, s, v, ok in items
                ],
            }
        )

    def median(key: str, size: int) -> float | None:
        r = by.get((key, size))
        return None if r is None or "median_s" not in r else float(r["median_s"])

    def limit(keys: list[str], bound: float, at: tuple[int, ...]) -> list[Any]:
        out = []
        for key in keys:
            for size in at:
                m = median(key, size)
                out.append((key, size, m, None if m is None else m <= bound))
        return out

    check(
        f"due --today, show, list <= {READ_TARGET_S} s at 28,000 and 100,000",
        limit(READ_KEYS, READ_TARGET_S, TARGET_SIZES),
    )
    check(
        f"log, add, promise <= {WRITE_TARGET_S} s at 28,000 and 100,000",
        limit(WRITE_KEYS, WRITE_TARGET_S, TARGET_SIZES),
    )
    growth = []
    for key in READ_KEYS + WRITE_KEYS:
        base = median(key, BASE_SIZE)
        for size in TARGET_SIZES:
            m = median(key, size)
            ratio = None if base is None or m is None else round(m / base, 3)
            growth.append((key, size, ratio, None if ratio is None else ratio <= GROWTH_TARGET))
    check(f"each <= {GROWTH_TARGET}x its time at 1,000 (value: the ratio)", growth)
    check(
        f"--help and completion <= {STARTUP_TARGET_S} s",
        limit(STARTUP_KEYS, STARTUP_TARGET_S, tuple(sizes)),
    )
    check(
        f"completion of a client <= {COMPLETE_CLIENT_TARGET_S} s at 100,000",
        limit(COMPLETE_CLIENT_KEYS, COMPLETE_CLIENT_TARGET_S, (100_000,)),
    )
    for key, bound, name in (
        ("import_csv", IMPORT_TARGET_ROWS_S, "CSV import"),
        ("export_json", EXPORT_TARGET_ROWS_S, "JSON export"),
    ):
        items = []
        for size in TARGET_SIZES:
            r = by.get((key, size))
            rate = None if r is None else r.get("rows_per_s")
            items.append((key, size, rate, None if rate is None else rate >= bound))
        check(f"{name} >= {bound:,} rows/s (at 28,000 and 100,000)", items)
    peaks = []
    for r in results:
        if r["size"] == 100_000 and r["kind"] not in ("floor", "peer"):
            peak = r.get("peak_mib")
            peaks.append(
                (r["command"], 100_000, peak, None if peak is None else peak <= PEAK_TARGET_MIB)
            )
    if not peaks:
        peaks = [(k, 100_000, None, None) for k in READ_KEYS + WRITE_KEYS]
    check(f"peak memory <= {PEAK_TARGET_MIB:.0f} MiB for every command at 100,000", peaks)
    return targets


def paired(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    """The median of a's time / b's time, run by run: both ran in the same round, one right
    after the other, so each pair saw the machine in the same state."""
    if not a or not b or "error" in a or "error" in b:
        return None
    pairs = [x["s"] / y["s"] for x, y in zip(a["samples"], b["samples"], strict=False) if y["s"]]
    return round(statistics.median(pairs), 3) if pairs else None


def side_by_side(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 12: per size, Taskwarrior's overdue list / `due --today` (how many times faster
    clientcard is) and each hot command / the stack's floor, each the median of the ratios
    taken pair by pair in the same run."""
    by = {(r["command"], r["size"]): r for r in results}
    out = []
    for size in sorted({r["size"] for r in results}):
        entry: dict[str, Any] = {"size": size}
        faster = paired(by.get((PEER_KEY, size)), by.get(("due_today", size)))
        if faster is not None:
            entry["taskwarrior_over_due_today"] = faster
        floor = by.get((FLOOR_KEY, size))
        over = {k: paired(by.get((k, size)), floor) for k in HOT_KEYS}
        entry["over_floor"] = {k: v for k, v in over.items() if v is not None}
        if len(entry) > 1 and (faster is not None or entry["over_floor"]):
            out.append(entry)
    return out


def side_by_side_targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets of issue 12, in the shape of `evaluate`'s."""
    labels = {c.key: c.label for c in COMMANDS}
    peer = []
    floor = []
    for row in rows:
        size = row["size"]
        if size in PEER_TARGETS and "taskwarrior_over_due_today" in row:
            value = row["taskwarrior_over_due_today"]
            peer.append(
                {"command": labels["due_today"], "size": size, "value": value,
                 "ok": value >= PEER_TARGETS[size]}
            )  # fmt: skip
        for key, value in row["over_floor"].items():
            floor.append(
                {"command": labels[key], "size": size, "value": value, "ok": value <= FLOOR_TARGET}
            )
    targets = []
    for name, items in (
        ("due --today >= 4x faster than Taskwarrior at 28,000, >= 12x at 100,000 (value: "
         "Taskwarrior / clientcard, pair by pair)", peer),
        (f"hot commands <= {FLOOR_TARGET}x the stack's floor (value: the ratio, pair by pair)",
         floor),
    ):  # fmt: skip
        status = "not measured"
        if items:
            status = "met" if all(i["ok"] for i in items) else "NOT met"
        targets.append({"target": name, "status": status, "items": items})
    return targets


def side_by_side_text(rows: list[dict[str, Any]]) -> str:
    lines = ["side by side, pair by pair (median of the ratios of runs made one after the other):"]
    for row in rows:
        size = f"{row['size']:,}"
        if "taskwarrior_over_due_today" in row:
            lines.append(
                f"  {size}: Taskwarrior's overdue list / due --today = "
                f"{row['taskwarrior_over_due_today']:.2f}x"
            )
        for key, value in row["over_floor"].items():
            lines.append(f"  {size}: {key} / the stack's floor = {value:.2f}x")
    return "\n".join(lines)


# ---- printing ------------------------------------------------------------------------------


def _cell(r: dict[str, Any] | None, rate: bool = True) -> str:
    if r is None:
        return "-"
    if "median_s" not in r:
        return "n/a" if r.get("na") else "error"
    cell = f"{r['median_s']:.3f} s {r['peak_mib']:5.1f} MiB"
    if rate and "rows_per_s" in r:
        cell = f"{r['rows_per_s']:,}/s " + cell
    return cell


def ratios(results: list[dict[str, Any]], against: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per command and size run by both: this program's median, the other's, and this / other
    (below 1: this one is faster)."""
    mine = {(r["command"], r["size"]): r for r in results}
    out = []
    for other in against:
        this = mine.get((other["command"], other["size"]), {}).get("median_s")
        theirs = other.get("median_s")
        ratio = round(this / theirs, 3) if this and theirs else None
        out.append(
            {
                "command": other["command"],
                "size": other["size"],
                "median_s": this,
                "against_median_s": theirs,
                "ratio": ratio,
            }
        )
    return out


def table(
    results: list[dict[str, Any]],
    sizes: list[int],
    against: list[dict[str, Any]] | None = None,
) -> str:
    """One row per command, one column per size; with `against` (the --against program's
    entries), three per size: this program, the other, and the ratio of their medians."""
    by = {(r["command"], r["size"]): r for r in results}
    others = {(r["command"], r["size"]): r for r in against or []}
    keys = [c.key for c in COMMANDS if any((c.key, s) in by or (c.key, s) in others for s in sizes)]
    labels = {c.key: c.label for c in COMMANDS}
    width = max(len(labels[k]) for k in keys)
    if against is None:
        head = f"{'command':<{width}}" + "".join(f" | {f'{s:,} cards':>26}" for s in sizes)
        lines = [head, "-" * len(head)]
        for key in keys:
            cells = [f" | {_cell(by.get((key, size))):>26}" for size in sizes]
            lines.append(f"{labels[key]:<{width}}" + "".join(cells))
        return "\n".join(lines)
    group = 17 + 2 + 17 + 2 + 6  # this, against, ratio
    head = f"{'command':<{width}}" + "".join(f" | {f'{s:,} cards':^{group}}" for s in sizes)
    sub = f"{'':<{width}}" + f" | {'this':>17}  {'against':>17}  {'ratio':>6}" * len(sizes)
    lines = [head, sub, "-" * len(sub)]
    for key in keys:
        cells = []
        for size in sizes:
            this, other = by.get((key, size)), others.get((key, size))
            if other is None and (this is None or this["kind"] in ("floor", "peer")):
                cells.append(f" | {_cell(this, rate=False):>17}  {'':>17}  {'':>6}")
                continue
            ratio = "-"
            if this and other and this.get("median_s") and other.get("median_s"):
                ratio = f"{this['median_s'] / other['median_s']:.2f}x"
            mine, theirs = _cell(this, rate=False), _cell(other, rate=False)
            cells.append(f" | {mine:>17}  {theirs:>17}  {ratio:>6}")
        lines.append(f"{labels[key]:<{width}}" + "".join(cells))
    return "\n".join(lines)


def targets_text(targets: list[dict[str, Any]]) -> str:
    lines = []
    for t in targets:
        lines.append(f"[{t['status']}] {t['target']}")
        for item in t["items"]:
            mark = {True: "ok ", False: "NO ", None: " - "}[item["ok"]]
            value = "not measured" if item["value"] is None else item["value"]
            lines.append(f"    {mark} {item['command']} @ {item['size']:,}: {value}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="book sizes, comma-separated")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="timed runs per command (after one warm-up); the issue asks for at least 5",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--now", default=generate.DEFAULT_NOW)
    parser.add_argument("--tz", default=generate.DEFAULT_TZ)
    parser.add_argument("--only", help="command keys to run, comma-separated (default: all)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the books")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="PATH",
        help="another installed clientcard console script (e.g. /tmp/before/venv/bin/clientcard)"
        " to run next to this one in the same round robin; the table shows both and the ratio",
    )
    args = parser.parse_args(argv)
    against: Path | None = None
    if args.against is not None:
        against = args.against.absolute()  # not resolved: a venv's bin/ may hold symlinks
        if not against.is_file() or not os.access(against, os.X_OK):
            parser.error(f"--against {args.against}: not an executable file")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    if args.runs < 5:
        print(
            f"note: --runs {args.runs}: issue 5 asks for the median of at least 5 runs",
            file=sys.stderr,
        )
    out_dir = args.out.resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    clientcard = installed_clientcard()
    python = script_interpreter(clientcard)
    launcher = Launcher.find(python)
    print(f"clientcard: {clientcard} (runs with {python}); peak memory by {launcher.name}")
    sides: tuple[str, ...] = (MAIN,)
    program_of = {MAIN: clientcard}
    if against is not None:
        sides, program_of[AGAINST] = (MAIN, AGAINST), against
        same = " (the same program: the ratios show the noise)" if against == clientcard else ""
        print(f"against: {against} (runs with {script_interpreter(against)}){same}")
    env = child_env(out_dir, args.now, args.tz)
    commands = COMMANDS
    if args.only:
        wanted = {k.strip() for k in args.only.split(",")}
        unknown = wanted - {c.key for c in COMMANDS}
        if unknown:
            parser.error(
                f"unknown command keys {sorted(unknown)}; known: "
                f"{', '.join(c.key for c in COMMANDS)}"
            )
        commands = [c for c in COMMANDS if c.key in wanted]
    want_import = any(c.kind == "import" for c in commands)
    imports = {side: want_import and has_import(program_of[side], env) for side in sides}
    importing = any(imports.values())
    task = taskwarrior()
    if task is None and any(c.kind == "peer" for c in commands):
        print("note: no Taskwarrior (`task`) installed: the peer is left out", file=sys.stderr)
    run_by = {  # which programs run each command: the floor and the peer once, the import
        # where it exists, the peer where it is installed
        c.key: (MAIN,) * (c.kind != "peer" or task is not None)
        if c.kind in ("floor", "peer")
        else tuple(s for s in sides if imports[s] or c.kind != "import")
        for c in commands
    }
    commands = [c for c in commands if run_by[c.key]]
    started = datetime.now(UTC)
    report: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine(python),
        "clientcard": str(clientcard),
        "python": str(python),
        "memory_measured_by": launcher.name,
        "pinned": {"CLIENTCARD_NOW": args.now, "TZ": args.tz, "COLUMNS": env["COLUMNS"]},
        "sizes": sizes,
        "runs": args.runs,
        "books": {},
        "results": [],
    }
    if against is not None:
        against_python = script_interpreter(against)
        found = installed_versions(against_python)
        report["against"] = {
            "clientcard": str(against),
            "python": str(against_python),
            "python_version": found["python"],
            "packages": found["packages"],
            "results": [],  # entries as in results, with "program": "against"
            "ratios": [],  # per command and size: both medians and this / against
        }
    csv_path = out_dir / f"import-{IMPORT_ROWS}.csv"
    if importing and not csv_path.exists():
        write_import_csv(csv_path, args.seed, args.now, args.tz)
    contexts = []
    for size in sizes:
        meta = book_for(size, out_dir, args.seed, args.now, args.tz, args.rebuild)
        report["books"][str(size)] = meta
        ctx = Context(
            size=size,
            book=out_dir / f"book-{size}.db",
            scratch=out_dir / f"scratch-{size}.db",
            probes=meta["probes"],
            csv=csv_path if importing else None,
            import_db=out_dir / f"scratch-import-{size}.db",
            against_scratch=out_dir / f"scratch-against-{size}.db" if against else None,
        )
        if task is not None and PEER_KEY in run_by and run_by[PEER_KEY]:
            ctx.taskrc = write_task_list(ctx.book, out_dir / f"tasks-{size}", args.now, args.tz)
        fresh_copy(ctx.book, ctx.scratch)
        if ctx.against_scratch is not None:
            fresh_copy(ctx.book, ctx.against_scratch)
        contexts.append(ctx)
    programs = {"clientcard": clientcard, "python": python}
    if task is not None:
        programs["task"] = task
    if against is not None:
        programs[AGAINST] = against
        revisions = {ctx.size: schema_revision(ctx.book) for ctx in contexts}
    measured = measure(contexts, commands, args.runs, env, programs, out_dir, launcher, run_by)
    report["results"] = [r for r in measured if "program" not in r]
    others = [r for r in measured if "program" in r]
    for ctx in contexts:
        if want_import and not imports[MAIN]:
            report["results"].append(NO_IMPORT | {"size": ctx.size})
        if against is not None and want_import and not imports[AGAINST]:
            others.append(
                {"command": "import_csv", "program": AGAINST, **NO_IMPORT, "size": ctx.size}
            )
        scratches = [ctx.scratch, out_dir / f"scratch-import-{ctx.size}.db"]
        if ctx.against_scratch is not None:
            scratches.append(ctx.against_scratch)
        for scratch in scratches:
            for path in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
                path.unlink(missing_ok=True)
    report["machine"]["load_average_at_end"] = list(os.getloadavg())
    report["seconds"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    report["targets"] = evaluate(report["results"], sizes)
    report["side_by_side"] = side_by_side(report["results"])
    report["targets"] += side_by_side_targets(report["side_by_side"])
    if against is not None:
        # A newer --against program upgrades the books it reads (with a .bak beside them): say
        # so, and drop the cache's record so that the next run builds them again.
        for ctx in contexts:
            now_at = schema_revision(ctx.book)
            if now_at != revisions[ctx.size]:
                Path(f"{ctx.book}.json").unlink(missing_ok=True)
                report["against"].setdefault("books_upgraded", {})[str(ctx.size)] = now_at
                print(
                    f"warning: {ctx.book} went from schema {revisions[ctx.size]} to {now_at} "
                    "during the run (a newer --against upgraded it); it will be rebuilt",
                    file=sys.stderr,
                )
        report["against"]["results"] = others
        report["against"]["ratios"] = ratios(report["results"], others)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(report["results"], sizes, others if against is not None else None))
    if against is not None:
        print(
            f"\nthis: {clientcard}\nagainst: {against}\nratio: this median / against median "
            "(below 1.00: this is faster), from runs interleaved in this one run"
        )
    for r in report["results"] + others:
        if "error" in r:
            side = f" [{r['program']}]" if "program" in r else ""
            print(f"\n{r['label']}{side} @ {r['size']:,}: {r['error']}")
    if report["side_by_side"]:
        print()
        print(side_by_side_text(report["side_by_side"]))
    print()
    print(targets_text(report["targets"]))
    m = report["machine"]
    print(
        f"\n{m['cpu']}, {m['cores']} cores, Python {m['python'].split()[0]}; load average "
        f"{m['load_average_at_start'][0]:.2f} at start, {m['load_average_at_end'][0]:.2f} at "
        f"end. Results: {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
