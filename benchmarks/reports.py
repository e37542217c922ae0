"""Time the reports (issue 16, "Speed"): every `report NAME -f json` that the clientcard offers,
`report all --html FILE`, and a floor, as whole processes, on a copy of the 100,000-card book.

    python benchmarks/reports.py [--book PATH] [--clientcard PATH] [--runs 5]
                                 [--out benchmarks/out/reports.json]

The reports are read from `clientcard report --help` (its commands but `all`), so the script
times whatever the installed clientcard has. The book is copied once to `out/reports-bench.db`
and opened once (so a schema upgrade, and the backup before one, are never timed); the book
itself is never written. Then one warm-up round and `--runs` rounds; every round runs each
step in turn (interleaved, so a busy moment of the machine falls on all of them alike):

- `report NAME -f json` for every report;
- `report all --html FILE` (when `report all --help` offers --html): the page every report
  makes, with its size in bytes;
- the floor, `grade -f json` (the ladder): a command that reads the book as little as a command
  can, so the reports' times read against what any command costs on this machine now.

Every process gets run.py's pinned clock and zone and writes its bytecode (no
PYTHONDONTWRITEBYTECODE); its wall time, CPU time and peak resident memory come from GNU time.
Targets: each report <= 0.5 s, the HTML page <= 3 s. benchmarks/README.md explains it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import book  # noqa: E402  (benchmarks/ is not a package)
import generate  # noqa: E402
import imports  # noqa: E402
import run  # noqa: E402

DEFAULT_BOOK_SIZE = 100_000
DEFAULT_OUT = HERE / "out" / "reports.json"
REPORT_TARGET_S = 0.5
HTML_TARGET_S = 3.0
FLOOR = ("grade", "-f", "json")  # `grade` alone: the ladder, one count per grade


def report_names(help_text: str) -> list[str]:
    """The commands of `report --help` but `all`, in its order: the rows of its Commands panel
    (`│ funnel  The ladder now...`) or of plain help's `Commands:` list."""
    names: list[str] = []
    inside = False
    for line in help_text.splitlines():
        bare = line.strip().strip("│|").rstrip()
        if re.match(r"^[╭─+-]*\s*Commands\b", line.strip()) or bare.strip() == "Commands:":
            inside = True
            continue
        if not inside:
            continue
        if line.strip().startswith(("╰", "╭")) or (not line.strip() and names):
            break
        found = re.match(r"^\s{0,3}([a-z][a-z0-9-]*)(\s{2,}|$)", bare)
        if found and found[1] != "all":
            names.append(found[1])
    return names


def steps_of(clientcard: Path, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """The steps to time (`report:NAME`..., `html`, `floor`) and notes on what is missing."""
    names = report_names(book.help_of(clientcard, env, "report"))
    notes = []
    steps = [f"report:{name}" for name in names]
    if not names:
        notes.append("no `report` commands: only the floor is timed")
    if book.has_option(book.help_of(clientcard, env, "report", "all"), "--html"):
        steps.append("html")
    else:
        notes.append("no `report all --html`: the page is not timed")
    steps.append("floor")
    return steps, notes


def argv_of(clientcard: Path, db: Path, step: str, page: Path) -> list[str]:
    cc = [str(clientcard), "--db", str(db)]
    if step == "html":
        return [*cc, "report", "all", "--html", str(page)]
    if step == "floor":
        return [*cc, *FLOOR]
    return [*cc, "report", step.split(":", 1)[1], "-f", "json"]


def label_of(step: str) -> str:
    if step == "html":
        return "report all --html FILE"
    if step == "floor":
        return " ".join(FLOOR)
    return f"report {step.split(':', 1)[1]} -f json"


def measure(
    clientcard: Path, db: Path, steps: list[str], env: dict[str, str], out: Path, runs: int
) -> tuple[dict[str, list[imports.Timed]], dict[str, Any]]:
    """One warm-up round, then `runs` rounds of every step in turn. Returns the samples per
    step and what the page weighed."""
    samples: dict[str, list[imports.Timed]] = {step: [] for step in steps}
    page = out / "reports-bench.html"
    stdout = out / "reports-bench-stdout.txt"
    sizes: dict[str, Any] = {}
    try:
        for round_ in range(runs + 1):
            for step in steps:
                page.unlink(missing_ok=True)
                argv = argv_of(clientcard, db, step, page)
                sample = imports.timed(argv, env, stdout)
                if sample.rc != 0:
                    raise SystemExit(
                        f"reports.py: {' '.join(argv)} failed (exit {sample.rc}): {sample.stderr}"
                    )
                if step == "html":
                    text = page.read_text("utf-8")
                    sizes["html"] = {"bytes": page.stat().st_size, "svg": text.count("<svg")}
                elif step != "floor":
                    sizes[step] = stdout.stat().st_size
                if round_:  # the first round warms up
                    samples[step].append(sample)
                print(
                    f"  {label_of(step)} run {round_ or 'warm-up'}: {sample.seconds:.3f} s "
                    f"(cpu {sample.cpu:.3f} s), {sample.peak_mib:.1f} MiB",
                    file=sys.stderr,
                )
    finally:
        page.unlink(missing_ok=True)
        stdout.unlink(missing_ok=True)
    return samples, sizes


def summary(
    samples: dict[str, list[imports.Timed]], sizes: dict[str, Any], argv: dict[str, list[str]]
) -> list[dict[str, Any]]:
    results = []
    for step, taken in samples.items():
        seconds = [s.seconds for s in taken]
        results.append(
            {
                "step": step,
                "command": label_of(step),
                "argv": argv[step],
                "median_s": round(statistics.median(seconds), 4),
                "min_s": round(min(seconds), 4),
                "max_s": round(max(seconds), 4),
                "median_cpu_s": round(statistics.median(s.cpu for s in taken), 4),
                "peak_mib": round(max(s.peak_mib for s in taken), 1),
                "output_bytes": (sizes.get("html") or {}).get("bytes")
                if step == "html"
                else sizes.get(step),
                "samples": [
                    {"s": round(s.seconds, 4), "cpu_s": round(s.cpu, 4), "peak_mib": s.peak_mib}
                    for s in taken
                ],
            }
        )
    return results


def judge(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 16's targets: each report <= 0.5 s, the page <= 3 s (whole processes)."""
    targets = []
    for r in results:
        if r["step"] == "floor":
            continue
        limit = HTML_TARGET_S if r["step"] == "html" else REPORT_TARGET_S
        targets.append(
            {
                "target": f"{r['command']} <= {limit:g} s",
                "value": r["median_s"],
                "met": r["median_s"] <= limit,
            }
        )
    return targets


def table(report: dict[str, Any]) -> str:
    floor = next((r for r in report["results"] if r["step"] == "floor"), None)
    lines = [
        f"{'command':<32} {'median':>8} {'min-max':>15} {'cpu':>8} {'peak':>10} "
        f"{'over floor':>10} {'output':>10}"
    ]
    for r in report["results"]:
        spread = f"{r['min_s']:.2f}-{r['max_s']:.2f} s"
        over = f"{r['median_s'] - floor['median_s']:+.3f} s" if floor and r is not floor else "-"
        size = f"{r['output_bytes'] / 1024:,.1f} KiB" if r["output_bytes"] else "-"
        lines.append(
            f"{r['command']:<32} {r['median_s']:>6.3f} s {spread:>15} "
            f"{r['median_cpu_s']:>6.3f} s {r['peak_mib']:>6.1f} MiB {over:>10} {size:>10}"
        )
    lines.append("")
    lines.extend(f"note: {n}" for n in report["notes"])
    for t in report["targets"]:
        lines.append(f"{'ok' if t['met'] else 'NO':<3} {t['target']}: {t['value']:.3f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument(
        "--book",
        type=Path,
        help="the book to report on (copied, never written); default: run.py's cached book of "
        f"{DEFAULT_BOOK_SIZE:,} cards in benchmarks/out/, built if needed",
    )
    parser.add_argument("--book-size", type=int, default=DEFAULT_BOOK_SIZE)
    parser.add_argument(
        "--clientcard", type=Path, help="the console script to time (default: the installed one)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--now", default=generate.DEFAULT_NOW)
    parser.add_argument("--tz", default=generate.DEFAULT_TZ)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    clientcard = (args.clientcard or run.installed_clientcard()).absolute()
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
    steps, notes = steps_of(clientcard, env)
    print(f"clientcard: {clientcard} ({', '.join(label_of(s) for s in steps)})")
    print(f"book: {source}")
    db = out / "reports-bench.db"
    program = book.Program(0, clientcard, "reports", out / "reports-bench", steps)
    book.prepare(program, source, env)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    try:
        samples, sizes = measure(clientcard, db, steps, env, out, args.runs)
    finally:
        book.remove(db)
    load_after = os.getloadavg()
    page = out / "reports-bench.html"
    results = summary(samples, sizes, {s: argv_of(clientcard, db, s, page)[1:] for s in steps})
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": run.machine(run.script_interpreter(clientcard)),
        "load_average": {"start": list(load_before), "end": list(load_after)},
        "book": book_meta,
        "clientcard": str(clientcard),
        "versions": book.versions_of(clientcard),
        "runs": args.runs,
        "order": "interleaved: each round runs every step in turn; one warm-up round",
        "pinned": {"CLIENTCARD_NOW": args.now, "TZ": args.tz},
        "targets_s": {"report": REPORT_TARGET_S, "html": HTML_TARGET_S},
        "steps": steps,
        "notes": notes,
        "html": sizes.get("html"),
        "results": results,
        "targets": judge(results),
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
