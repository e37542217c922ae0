"""Time the everyday commands on a PostgreSQL URL beside the same commands on the SQLite file
(issue 17, "Fast on a server"): whole processes, interleaved in one run.

    python benchmarks/server.py [--size 28000 | --book PATH] [--url URL] [--runs 9]
                                [--out benchmarks/out/server.json] [--no-old-path]

The book is the benchmark's generated one (benchmarks/generate.py, cached as run.py caches it),
or `--book`. It is loaded into PostgreSQL the way a team moves a book onto its server: `clientcard
export --book` from the file, `clientcard import --book` into an empty database. That database is
`--url` (it must be empty: a new one), else a new database on a throwaway server this script
starts (tests/postgres_server.py: initdb into a temporary folder, a Unix socket, fsync off) and
stops at the end. The file's writes go to a scratch copy (the book itself is never written).

The commands (`due --today`, `show ID`, `list`, `list --grade A`, `log ID --via call ...`, `add
NAME`) run on up to three sides, every process through the virtualenv's interpreter (`python -c`,
as the `clientcard` script does), with run.py's pinned clock and zone and bytecode written:

- `file`: the SQLite file by its path (sqlite3);
- `server`: the PostgreSQL URL (store/pg.py, psycopg directly);
- `server-old` (unless --no-old-path): the same URL through the path before issue 17, SQLAlchemy
  Core (store/migrate.py's `open_database` and store/alchemy.py's AlchemyDb), put back in place of
  store/open.py's `_url_transaction` by the launcher: the before beside the after.

One warm-up round, then `--runs` rounds; in each round every command runs on every side, the
side that goes first rotating by round. Each sample is GNU time's wall, CPU (user + system) and
peak memory of the process. Each round also times the floor: `python -c pass`, and `python -c
'import psycopg'` (what the server's path loads that the file's does not). Prints a table of
medians and the target (server <= 0.30 s a command),
with the load average (`uptime`) at the start and at the end, and writes it all to --out.
benchmarks/README.md explains it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)
import imports  # noqa: E402
import run  # noqa: E402

from clientcard.store.urls import mask_url  # noqa: E402

DEFAULT_SIZE = 28_000
DEFAULT_OUT = HERE / "out" / "server.json"
TARGET_S = 0.30
SIDES = ("file", "server", "server-old")

# The CLI as the console script runs it.
LAUNCH = "import sys; sys.argv[0] = 'clientcard'; from clientcard.script import main; main()"
# The same, with the URL path as it was before issue 17: SQLAlchemy Core for every command.
LAUNCH_OLD = """
import sys
from contextlib import contextmanager
import clientcard.store.open as store_open

@contextmanager
def through_sqlalchemy(url, *, write):
    from clientcard.store.alchemy import alchemy_transaction
    from clientcard.store.migrate import open_database
    from clientcard.store.pg import alchemy_url

    engine = open_database(alchemy_url(url))
    try:
        with alchemy_transaction(engine, write=write) as opened:
            yield opened
    finally:
        engine.dispose()

store_open._url_transaction = through_sqlalchemy
sys.argv[0] = "clientcard"
from clientcard.script import main
main()
"""


# The floor, in the same rounds: the interpreter alone, and the interpreter importing psycopg
# (what the server's path loads that the file's does not).
FLOORS = (
    ("pass", "python -c pass", "pass"),
    ("psycopg", "python -c 'import psycopg'", "import psycopg"),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    args: tuple[str, ...]
    write: bool = False


def steps(probes: dict[str, Any]) -> list[Step]:
    busy, writer = str(probes["busy_id"]), str(probes["write_id"])
    return [
        Step("due_today", "due --today", ("due", "--today")),
        Step("show", "show CLIENT", ("show", busy)),
        Step("list", "list", ("list",)),
        Step("list_grade_a", "list --grade A", ("list", "--grade", "A")),
        Step(
            "log",
            "log CLIENT --via call",
            ("log", writer, "--via", "call", "called about the quote"),
            write=True,
        ),
        Step("add", "add NAME", ("add", "Bench 客户", "-q"), write=True),
    ]


def start_server() -> tuple[Any, str]:
    """A throwaway server (tests/postgres_server.py) and a new database on it."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from postgres_server import PostgresServer

    try:
        server = PostgresServer.prepare()
    except BaseException as exc:  # it skips (pytest's exception) where it cannot run
        raise SystemExit(f"server.py: no PostgreSQL to run on ({exc}); give --url") from None
    server.start()
    return server, server.create_database()


def load(book: Path, url: str, python: Path, env: dict[str, str], work: Path) -> dict[str, Any]:
    """The book onto the server: export --book from the file, import --book into the database."""
    exported = work / "server-book.jsonl"
    timings = {}
    for name, args in (
        ("export", ["--db", str(book), "export", "--book", "-o", str(exported)]),
        ("import", ["--db", url, "import", "--book", str(exported)]),
    ):
        started = datetime.now(UTC)
        done = subprocess.run(
            [str(python), "-c", LAUNCH, *args], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"server.py: {name} --book failed: {done.stderr.strip()}")
        timings[name] = (datetime.now(UTC) - started).total_seconds()
    exported.unlink()
    return timings


def argv_of(side: str, step: Step, python: Path, dbs: dict[str, str]) -> list[str]:
    launch = LAUNCH_OLD if side == "server-old" else LAUNCH
    return [str(python), "-c", launch, "--db", dbs[side], *step.args]


def measure(
    plan: list[Step], sides: list[str], runs: int, python: Path, dbs: dict[str, str],
    env: dict[str, str], work: Path,
) -> dict[tuple[str, str], list[imports.Timed]]:  # fmt: skip
    samples: dict[tuple[str, str], list[imports.Timed]] = {}
    stdout = work / "server-stdout.txt"
    for round_ in range(runs + 1):
        name = "warm-up" if round_ == 0 else str(round_)
        order = sides[round_ % len(sides) :] + sides[: round_ % len(sides)]
        for key, _, code in FLOORS:
            timed = imports.timed([str(python), "-c", code], env, stdout)
            print(f"  floor {key} run {name}: {timed.seconds:.3f} s", file=sys.stderr)
            if round_ > 0:
                samples.setdefault((key, "floor"), []).append(timed)
        for step in plan:
            for side in order:
                timed = imports.timed(argv_of(side, step, python, dbs), env, stdout)
                if timed.rc != 0:
                    raise SystemExit(
                        f"server.py: {step.label} on {side} failed ({timed.rc}): {timed.stderr}"
                    )
                print(f"  {side} {step.key} run {name}: {timed.seconds:.3f} s", file=sys.stderr)
                if round_ > 0:
                    samples.setdefault((step.key, side), []).append(timed)
    stdout.unlink(missing_ok=True)
    return samples


def summary(timed: list[imports.Timed]) -> dict[str, Any]:
    seconds = [t.seconds for t in timed]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "cpu_s": statistics.median(t.cpu for t in timed),
        "peak_mib": max(t.peak_mib for t in timed),
        "samples": seconds,
    }


def table(results: list[dict[str, Any]], sides: list[str]) -> str:
    head = f"{'command':<24}" + "".join(f"{s:>22}" for s in sides) + "   server <= 0.30 s"
    lines = [head, "-" * len(head)]
    for row in results:
        cells = "".join(f"{row[s]['median_s']:>9.3f} s ({row[s]['cpu_s']:.2f} cpu)" for s in sides)
        met = "met" if row["met"] else "NOT met"
        lines.append(f"{row['label']:<24}{cells}   {met}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--book", type=Path, help="an SQLite book (else the generated one)")
    parser.add_argument("--url", help="an empty PostgreSQL database (else a throwaway server)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-old-path", action="store_true")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--now", default=generate.DEFAULT_NOW)
    parser.add_argument("--tz", default=generate.DEFAULT_TZ)
    args = parser.parse_args(argv)

    out: Path = args.out.parent
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="server-bench-", dir=out))
    env = run.child_env(work, args.now, args.tz)
    python = run.script_interpreter(run.installed_clientcard())
    if args.book is not None:
        book, probes = args.book, json.loads(Path(f"{args.book}.json").read_text())["probes"]
    else:
        meta = run.book_for(args.size, out, args.seed, args.now, args.tz, rebuild=False)
        book, probes = out / f"book-{args.size}.db", meta["probes"]
    scratch = work / "book.db"
    run.fresh_copy(book, scratch)
    sides = [s for s in SIDES if not (args.no_old_path and s == "server-old")]
    plan = steps(probes)
    server = None
    url = args.url
    try:
        if url is None:
            server, url = start_server()
        print(f"loading the book into {mask_url(url)} ...", file=sys.stderr)
        loaded = load(scratch, url, python, env, work)
        dbs = {"file": str(scratch), "server": url, "server-old": url}
        load_start = list(os.getloadavg())
        samples = measure(plan, sides, args.runs, python, dbs, env, work)
        load_end = list(os.getloadavg())
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)

    results = []
    for step in plan:
        row: dict[str, Any] = {"key": step.key, "label": step.label, "argv": list(step.args)}
        for side in sides:
            row[side] = summary(samples[(step.key, side)])
        row["met"] = row["server"]["median_s"] <= TARGET_S
        results.append(row)
    report = {
        "issue": 17,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "book": {"path": str(book), "cards": probes.get("cards", args.size)},
        "server": "a throwaway server (fsync off)" if server is not None else mask_url(url),
        "load_seconds": loaded,
        "runs": args.runs,
        "sides": sides,
        "pinned": {"CLIENTCARD_NOW": args.now, "TZ": args.tz},
        "machine": run.machine(python),
        "load_average": {"start": load_start, "end": load_end},
        "target_s": TARGET_S,
        "results": results,
        "floors": [
            {"key": key, "label": label, **summary(samples[(key, "floor")])}
            for key, label, _ in FLOORS
        ],
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(results, sides))
    floors = ", ".join(
        f"{f['label']} {f['median_s']:.3f} s ({f['cpu_s']:.2f} cpu)" for f in report["floors"]
    )
    print(f"floor: {floors}")
    print(
        f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in load_start)} at the start, "
        f"{' '.join(f'{x:.2f}' for x in load_end)} at the end; {args.runs} runs, medians"
    )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
