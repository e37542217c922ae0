"""Time the whole book out and in (issue 15, "Speed"): `export --book`, `import --book` and
`backup` of the 100,000-card book (about 1.7 million records), as whole processes, with their
peak memory, for one or more installed clientcards side by side.

    python benchmarks/book.py [--book PATH] [--clientcard PATH ...] [--runs 3]
                              [--out benchmarks/out/book.json]

For each clientcard (a console script, each in its own virtualenv, e.g. of different commits)
the book is copied once to `out/book-bench-<n>.db` and opened once by that program (so a schema
upgrade, and the backup clientcard makes before one, are never timed); the book itself is never
written. Then one warm-up round and `--runs` rounds; in every round each clientcard in turn
(who goes first rotates by round) runs:

- `export --book -o F` from its prepared copy: records/s = the record count of F's end line
  (`{"end":"book","records":N}`) / the wall time of the process;
- `import --book F` into a new file (deleted before every run): records/s the same way;
- `backup PATH` of its prepared copy (the copy deleted after every run);
- `due --week --format ics` on its prepared copy, when its `due --help` offers `--format ics`
  (else skipped, with a note).

A clientcard whose `export --help` has no `--book` (the code before issue 15's book) runs the
backup only. The warm-up round also exports the imported book again and compares the two
files: export -> import -> export must give the same bytes (said in the table and the JSON).
Every process gets run.py's pinned clock and zone and writes its bytecode (no
PYTHONDONTWRITEBYTECODE); its wall time, CPU time and peak resident memory come from GNU time.
Targets: export >= 100,000 records/s, import >= 50,000 records/s, both peak <= 150 MiB, backup
<= 5 s, `due --week --format ics` <= 0.3 s. benchmarks/README.md explains it.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)
import imports  # noqa: E402
import run  # noqa: E402

DEFAULT_BOOK_SIZE = 100_000
DEFAULT_OUT = HERE / "out" / "book.json"
STEPS = ("export", "import", "backup", "ics")
TARGETS: dict[str, tuple[str, float]] = {  # step -> (what, limit)
    "export": ("records_per_s", 100_000),
    "import": ("records_per_s", 50_000),
    "backup": ("median_s", 5.0),
    "ics": ("median_s", 0.3),
}
PEAK_TARGET_MIB = 150.0
PEAK_STEPS = ("export", "import")  # the peak the issue asks of the book's way out and in
FIND_PACKAGE = "import clientcard, os; print(os.path.dirname(clientcard.__file__))"
LABELS = {
    "export": "export --book",
    "import": "import --book",
    "backup": "backup",
    "ics": "due --week --format ics",
}


@dataclass
class Program:
    """One clientcard under test, with its prepared copy of the book and scratch files."""

    index: int
    clientcard: Path
    label: str
    work: Path  # out/book-bench-<index>
    steps: list[str]
    notes: list[str] = field(default_factory=list)
    samples: dict[str, list[imports.Timed]] = field(default_factory=dict)
    records: dict[str, int | None] = field(default_factory=dict)
    round_trip: dict[str, Any] | None = None

    @property
    def book(self) -> Path:
        return self.work.with_name(self.work.name + ".db")

    @property
    def export_file(self) -> Path:
        return self.work.with_name(self.work.name + "-export.jsonl")

    @property
    def again_file(self) -> Path:
        return self.work.with_name(self.work.name + "-again.jsonl")

    @property
    def imported(self) -> Path:
        return self.work.with_name(self.work.name + "-imported.db")

    @property
    def backup(self) -> Path:
        return self.work.with_name(self.work.name + "-backup.db")

    def scratch(self) -> list[Path]:
        files = [self.book, self.export_file, self.again_file, self.imported, self.backup]
        return [Path(f"{f}{end}") for f in files for end in ("", "-wal", "-shm", "-journal")]


# ---- asking a clientcard what it has ---------------------------------------------------------


def has_option(help_text: str, option: str) -> bool:
    """Whether a command's --help lists `option` among its options (a line of the options
    table starts with it), not merely names it in its prose."""
    pattern = re.compile(rf"^[\s│|]*{re.escape(option)}\b(?!-)")
    return any(pattern.match(line) for line in help_text.splitlines())


def offers_ics(help_text: str) -> bool:
    """Whether `due --help` lists ics among the choices of --format (`<table|...|ics>`, or
    `[table|...|ics]` in plain help)."""
    return any(
        re.match(r"^[\s│|]*--format\b", line) and re.search(r"[<\[][\w|]*\bics\b[\w|]*[>\]]", line)
        for line in help_text.splitlines()
    )


def help_of(clientcard: Path, env: dict[str, str], *command: str) -> str:
    proc = subprocess.run(
        [str(clientcard), *command, "--help"],
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout if proc.returncode == 0 else ""


def label_of(clientcard: Path) -> str:
    """The short commit of the source the clientcard runs (an editable install's checkout),
    else its virtualenv's folder."""
    python = run.script_interpreter(clientcard)
    fallback = clientcard.parent.parent.parent.name or str(clientcard)
    try:
        where = subprocess.run(
            [str(python), "-c", FIND_PACKAGE],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit = subprocess.run(
            ["git", "-C", where, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return fallback
    return commit or fallback


def versions_of(clientcard: Path) -> dict[str, Any]:
    try:
        return run.installed_versions(run.script_interpreter(clientcard))
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError):
        return {}


# ---- one run of a step ----------------------------------------------------------------------


def end_records(path: Path) -> int | None:
    """The record count of a book file's end line, `{"end":"book","records":N}`."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 4096))
        tail = f.read().decode("utf-8", "replace").strip().splitlines()
    try:
        end = json.loads(tail[-1])
    except (IndexError, json.JSONDecodeError):
        return None
    if not isinstance(end, dict) or end.get("end") != "book":
        return None
    count = end.get("records")
    return count if isinstance(count, int) else None


def backed_up_records(stdout: Path) -> int | None:
    """`Backed up 2 cards (7 records in 16 tables) to ...`: the 7."""
    found = re.search(r"\(([\d,]+) records? in", stdout.read_text("utf-8", "replace"))
    return int(found[1].replace(",", "")) if found else None


def remove(*paths: Path) -> None:
    for path in paths:
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            stale.unlink(missing_ok=True)


def argv_of(program: Program, step: str, export_to: Path | None = None) -> list[str]:
    cc = str(program.clientcard)
    if step == "export":
        return [cc, "--db", str(program.book), "export", "--book", "-o", str(export_to)]
    if step == "import":
        return [cc, "--db", str(program.imported), "import", "--book", str(program.export_file)]
    if step == "backup":
        return [cc, "--db", str(program.book), "backup", str(program.backup)]
    return [cc, "--db", str(program.book), "due", "--week", "--format", "ics"]


def run_step(program: Program, step: str, env: dict[str, str], out: Path) -> imports.Timed:
    stdout = out / f"book-bench-{program.index}-stdout.txt"
    if step == "export":
        remove(program.export_file)
        argv = argv_of(program, step, program.export_file)
    elif step == "import":
        remove(program.imported)
        argv = argv_of(program, step)
    elif step == "backup":
        remove(program.backup)
        argv = argv_of(program, step)
    else:
        argv = argv_of(program, step)
    sample = imports.timed(argv, env, stdout)
    if sample.rc != 0:
        raise SystemExit(f"book.py: {' '.join(argv)} failed (exit {sample.rc}): {sample.stderr}")
    if step == "export":
        program.records["export"] = end_records(program.export_file)
    elif step == "import":
        program.records["import"] = end_records(program.export_file)
    elif step == "backup":
        program.records["backup"] = backed_up_records(stdout)
        remove(program.backup)
    return sample


def check_round_trip(program: Program, env: dict[str, str], out: Path) -> dict[str, Any]:
    """Export the book just imported (untimed) and compare it with the export it came from."""
    stdout = out / f"book-bench-{program.index}-stdout.txt"
    remove(program.again_file)
    argv = [
        str(program.clientcard), "--db", str(program.imported),
        "export", "--book", "-o", str(program.again_file),
    ]  # fmt: skip
    sample = imports.timed(argv, env, stdout)
    if sample.rc != 0:
        raise SystemExit(f"book.py: {' '.join(argv)} failed (exit {sample.rc}): {sample.stderr}")
    same = filecmp.cmp(program.export_file, program.again_file, shallow=False)
    found = {
        "identical": same,
        "bytes": program.export_file.stat().st_size,
        "bytes_again": program.again_file.stat().st_size,
        "records": end_records(program.export_file),
    }
    remove(program.again_file)
    return found


# ---- the run --------------------------------------------------------------------------------


def prepare(program: Program, source: Path, env: dict[str, str]) -> None:
    """A copy of the book that this program has opened once (any schema upgrade done)."""
    run.fresh_copy(source, program.book)
    subprocess.run(
        [str(program.clientcard), "--db", str(program.book), "list", "--limit", "1"],
        env=env,
        capture_output=True,
        check=True,
    )
    for backup in program.book.parent.glob(f"{program.book.name}.*.bak"):  # before an upgrade
        backup.unlink()


def measure(programs: list[Program], env: dict[str, str], out: Path, runs: int) -> None:
    """One warm-up round (with the round-trip check), then `runs` rounds; in each round every
    program runs its steps in turn, the first program rotating by round."""
    for program in programs:
        program.samples = {step: [] for step in program.steps}
    for round_ in range(runs + 1):
        start = round_ % len(programs)
        for program in programs[start:] + programs[:start]:
            for step in program.steps:
                sample = run_step(program, step, env, out)
                if round_:  # the first round warms up
                    program.samples[step].append(sample)
                print(
                    f"  {program.label} {step} run {round_ or 'warm-up'}: {sample.seconds:.2f} s "
                    f"(cpu {sample.cpu:.2f} s), {sample.peak_mib:.1f} MiB",
                    file=sys.stderr,
                )
                if step == "import" and program.round_trip is None:
                    program.round_trip = check_round_trip(program, env, out)
            remove(program.imported, program.export_file)


def summary(program: Program) -> list[dict[str, Any]]:
    results = []
    for step, taken in program.samples.items():
        seconds = [s.seconds for s in taken]
        median = statistics.median(seconds)
        records = program.records.get(step)
        entry: dict[str, Any] = {
            "step": step,
            "command": LABELS[step],
            "argv": argv_of(program, step, program.export_file)[1:],
            "median_s": round(median, 4),
            "min_s": round(min(seconds), 4),
            "max_s": round(max(seconds), 4),
            "median_cpu_s": round(statistics.median(s.cpu for s in taken), 4),
            "peak_mib": round(max(s.peak_mib for s in taken), 1),
            "records": records,
            "records_per_s": round(records / median) if records and step != "ics" else None,
            "samples": [
                {"s": round(s.seconds, 4), "cpu_s": round(s.cpu, 4), "peak_mib": s.peak_mib}
                for s in taken
            ],
        }
        results.append(entry)
    return results


def judge(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of issue 15's "Speed" that the results measure."""
    targets = []
    for r in results:
        what, limit = TARGETS[r["step"]]
        value = r[what]
        if what == "records_per_s":
            text = f"{r['command']} >= {limit:,.0f} records/s"
            met = value is not None and value >= limit
        else:
            text, met = f"{r['command']} <= {limit:g} s", value <= limit
        targets.append({"target": text, "value": value, "met": met})
        if r["step"] in PEAK_STEPS:
            targets.append(
                {
                    "target": f"{r['command']} peak <= {PEAK_TARGET_MIB:g} MiB",
                    "value": r["peak_mib"],
                    "met": r["peak_mib"] <= PEAK_TARGET_MIB,
                }
            )
    return targets


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'clientcard':<12} {'command':<24} {'median':>8} {'min-max':>15} {'cpu':>8} "
        f"{'records/s':>10} {'peak':>10}"
    ]
    for p in report["clientcards"]:
        for r in p["results"]:
            rate = f"{r['records_per_s']:,}" if r["records_per_s"] else "-"
            spread = f"{r['min_s']:.2f}-{r['max_s']:.2f} s"
            lines.append(
                f"{p['label']:<12} {r['command']:<24} {r['median_s']:>6.2f} s "
                f"{spread:>15} {r['median_cpu_s']:>6.2f} s {rate:>10} "
                f"{r['peak_mib']:>6.1f} MiB"
            )
    lines.append("")
    for p in report["clientcards"]:
        trip = p["round_trip"]
        if trip is not None:
            said = (
                "byte-identical" if trip["identical"]
                else f"DIFFERENT ({trip['bytes']:,} and {trip['bytes_again']:,} bytes)"
            )  # fmt: skip
            records = f"{trip['records']:,}" if trip["records"] is not None else "?"
            lines.append(
                f"{p['label']}: export -> import -> export: {said} "
                f"({trip['bytes'] / 2**20:.1f} MiB, {records} records)"
            )
        for note in p["notes"]:
            lines.append(f"{p['label']}: {note}")
    lines.append("")
    for p in report["clientcards"]:
        for t in p["targets"]:
            value = f"{t['value']:,}" if t["value"] is not None else "-"
            lines.append(f"{'ok' if t['met'] else 'NO':<3} {p['label']:<12} {t['target']}: {value}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    parser.add_argument(
        "--book",
        type=Path,
        help="the book to export and back up (copied, never written); default: run.py's cached "
        f"book of {DEFAULT_BOOK_SIZE:,} cards in benchmarks/out/, built if needed",
    )
    parser.add_argument("--book-size", type=int, default=DEFAULT_BOOK_SIZE)
    parser.add_argument(
        "--clientcard",
        type=Path,
        action="append",
        help="a console script to time; repeat to compare programs side by side, interleaved "
        "(default: the installed one)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--now", default=generate.DEFAULT_NOW)
    parser.add_argument("--tz", default=generate.DEFAULT_TZ)
    parser.add_argument("--keep", action="store_true", help="keep the prepared copies")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    clientcards = [c.absolute() for c in (args.clientcard or [run.installed_clientcard()])]
    for clientcard in clientcards:
        if not clientcard.exists():
            parser.error(f"no clientcard at {clientcard}")
    out = args.out.resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    env = run.child_env(out, args.now, args.tz)
    if args.book is not None:
        source = args.book.resolve()
        book_meta: dict[str, Any] = {"path": str(source)}
    else:
        meta = run.book_for(args.book_size, out, args.seed, args.now, args.tz, False)
        source = out / f"book-{args.book_size}.db"
        book_meta = {"path": str(source), "cards": meta.get("cards"), "rows": meta.get("rows")}
    programs: list[Program] = []
    for index, clientcard in enumerate(clientcards, 1):
        steps = ["export", "import", "backup"]
        notes = []
        if not has_option(help_of(clientcard, env, "export"), "--book"):
            steps = ["backup"]
            notes.append("no `export --book` (its `export --help` has no --book): backup only")
        if offers_ics(help_of(clientcard, env, "due")):
            steps.append("ics")
        else:
            notes.append("no `due --format ics`: its time is not measured")
        label = label_of(clientcard)
        if label in {p.label for p in programs}:
            label = f"{label}#{index}"
        work = out / f"book-bench-{index}"
        programs.append(Program(index, clientcard, label, work, steps, notes))
        print(f"clientcard {label}: {clientcard} ({', '.join(steps)})")
    print(f"book: {source}")
    for program in programs:
        prepare(program, source, env)
    python = run.script_interpreter(clientcards[0])
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    try:
        measure(programs, env, out, args.runs)
    finally:
        for program in programs:
            for path in program.scratch():
                if not (args.keep and path == program.book):
                    path.unlink(missing_ok=True)
            (out / f"book-bench-{program.index}-stdout.txt").unlink(missing_ok=True)
    load_after = os.getloadavg()
    entries = []
    for program in programs:
        results = summary(program)
        entries.append(
            {
                "label": program.label,
                "clientcard": str(program.clientcard),
                "versions": versions_of(program.clientcard),
                "steps": program.steps,
                "notes": program.notes,
                "round_trip": program.round_trip,
                "results": results,
                "targets": judge(results),
            }
        )
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": run.machine(python),
        "load_average": {"start": list(load_before), "end": list(load_after)},
        "book": book_meta,
        "runs": args.runs,
        "order": "interleaved: each round runs every clientcard's steps in turn, "
        "the first clientcard rotating by round; one warm-up round",
        "pinned": {"CLIENTCARD_NOW": args.now, "TZ": args.tz},
        "targets": {k: {"what": w, "limit": v} for k, (w, v) in TARGETS.items()}
        | {"peak_mib": {"steps": list(PEAK_STEPS), "limit": PEAK_TARGET_MIB}},
        "clientcards": entries,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(report))
    print(
        f"\nload average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} at the "
        f"start, {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} at the end, "
        f"on {os.cpu_count()} cores"
    )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
