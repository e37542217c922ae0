"""Time `clientcard search` (issue 18, point 5): at 100,000 cards with about a million
contacts, and at a million cards, on SQLite, as whole processes of the venv's clientcard,
beside a baseline taken in the same rounds (`clientcard --help` and `list --grade A`).

    python benchmarks/search.py [--book PATH] [--big PATH] [--runs 5] [--no-big]
                                [--out benchmarks/out/search.json] [--against PROGRAM]

The 100,000-card book is generate.py's (cached under /tmp/clientcard-search, never committed;
its search index is built once after the bulk load, as migration 0014 builds it). The
million-card book is made from it with bulk SQL: its cards copied nine more times under new ids
(names, companies, phones and notes as they are; the records are not copied, so it holds a
million cards and the 100,000-card book's million contacts), then the index rebuilt.

Each round runs, in turn: the baseline commands (`--help`, the floor: a process's start-up),
then every query (QUERIES: one CJK character, two, three or more, a Latin word, a phone
fragment, a miss; several words: a rare and a very common one in either order, two common ones,
Chinese with Latin, a phone fragment with a word), `search Q --format json --limit 100`. The
median of the rounds (after one warm-up round) is reported. Targets: <= 0.25 s at 100,000
cards, <= 0.5 s at a million. `--against OTHER/bin/clientcard` times another build (an older
one: a `git worktree` of main with its own venv) in the same rounds, command after command, so
before and after are measured under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

CACHE = Path("/tmp/clientcard-search")
DEFAULT_OUT = HERE / "out" / "search.json"
TARGETS = {100_000: 0.25, 1_000_000: 0.5}
# name -> the text searched ({phone}: a fragment of a phone on the book, found at run time).
QUERIES = {
    "cjk_1": "王",
    "cjk_2_name": "林芳",
    "cjk_2_contact": "报价",
    "cjk_3": "西湖区",
    "latin": "Lange",
    "phone": "{phone}",
    "miss": "没有这个词",
    "miss_latin": "xyzzyq",
    # Several words (every one on the card): the rarest is looked up first (services/search.py).
    "rare_common": "林芳 报价",  # a name on 13 cards, a word on about 42,000 contacts
    "common_rare": "报价 林芳",
    "common_common": "报价 客户",
    "cjk_latin": "林芳 budget",
    "latin_common": "Software 报价",  # a company word on 7,000 cards, then a common word
    "phone_word": "{phone} 报价",
}
BASELINE = {"help": ["--help"], "list_grade_a": ["list", "--grade", "A", "--limit", "20"]}


def clientcard() -> str:
    return str(Path(sys.executable).with_name("clientcard"))


def hundred_k(path: Path | None) -> Path:
    if path is not None:
        return path
    book = CACHE / "book-100000.db"
    if not book.exists():
        generate.build(book, 100_000, force=True)
    return book


def million(base: Path, path: Path | None) -> Path:
    """The million-card book: base's cards copied nine more times, its index rebuilt."""
    book = path or CACHE / "book-1000000.db"
    if book.exists():
        return book
    from clientcard.store import fulltext

    part = book.with_name(book.name + ".part")
    part.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(base)
    conn.execute(f"VACUUM INTO '{part}'")
    conn.close()
    conn = sqlite3.connect(part, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(client)")]
    others = ", ".join(c for c in columns if c not in ("id", "referred_by_id"))
    top = conn.execute("SELECT max(id) FROM client").fetchone()[0]
    conn.execute("BEGIN")
    fulltext.drop(conn.execute, "sqlite")
    for k in range(1, 10):
        conn.execute(
            f"INSERT INTO client (id, {others}) SELECT id + {k * top}, {others} FROM client "
            f"WHERE id <= {top}"
        )
    fulltext.create(conn.execute, "sqlite")
    conn.execute("COMMIT")
    conn.close()
    os.replace(part, book)
    print(f"built {book} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return book


def phone_fragment(book: Path) -> str:
    conn = sqlite3.connect(book)
    key = conn.execute(
        "SELECT phone_key FROM client WHERE phone_key LIKE '861%' ORDER BY id LIMIT 1 OFFSET 777"
    ).fetchone()[0]
    conn.close()
    return str(key)[2:9]  # seven digits of a mobile number


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """The wall time and the CPU time (user + system) of one process, and how many cards it
    found. On a busy machine the CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed: {proc.stderr.strip()}")
    found = len(json.loads(proc.stdout)) if "--format" in args else 0
    return elapsed, cpu, found


def bench(
    book: Path | str, runs: int, phone: str | None = None, against: Path | None = None
) -> dict[str, Any]:
    env = {
        **os.environ,
        "CLIENTCARD_NOW": generate.DEFAULT_NOW[:16],
        "TZ": generate.DEFAULT_TZ,
        "CLIENTCARD_CONFIG": str(CACHE / "config.toml"),
        "CLIENTCARD_DB": str(book),
        "CLIENTCARD_USER": "bench",
        "LANG": "C.UTF-8",
    }
    programs = {"": clientcard()}
    if against is not None:  # another clientcard (an older version), timed in the same rounds
        programs["against:"] = str(against)
    commands: dict[str, list[str]] = {}
    fragment = phone or phone_fragment(Path(book))
    queries = {k: v.replace("{phone}", fragment) for k, v in QUERIES.items()}
    for prefix, program in programs.items():
        for name, args in BASELINE.items():
            commands[prefix + name] = [program, *args]
    for name, text in queries.items():
        for prefix, program in programs.items():
            args = [program, "search", text, "--format", "json", "--limit", "100"]
            commands[prefix + name] = args
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    found: dict[str, int] = {}
    for i in range(runs + 1):
        for name, args in commands.items():
            elapsed, cpu, n = timed(args, env)
            if i:
                times[name].append(elapsed)
                cpus[name].append(cpu)
            found[name] = n
    return {
        "book": str(book),
        "load_average": os.getloadavg(),
        "queries": queries,
        "median_s": {name: round(statistics.median(t), 3) for name, t in times.items()},
        "median_cpu_s": {name: round(statistics.median(t), 3) for name, t in cpus.items()},
        "found": {name: found[name] for name in commands if name.split(":")[-1] in queries},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, help="the 100,000-card book (default: built)")
    parser.add_argument("--big", type=Path, help="the million-card book (default: built)")
    parser.add_argument("--no-big", action="store_true", help="skip the million-card book")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--against",
        type=Path,
        help="another clientcard program (an older version's venv) timed in the same rounds, "
        "its rows named against:NAME",
    )
    parser.add_argument(
        "--pg",
        action="store_true",
        help="also on PostgreSQL: the 100,000-card book loaded into a throwaway server "
        "(server.py's: export --book, import --book)",
    )
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    base = hundred_k(args.book)
    books = {100_000: base}
    if not args.no_big:
        books[1_000_000] = million(base, args.big)
    results: dict[Any, Any] = {}
    runs: list[tuple[Any, Path | str, str | None]] = [(n, b, None) for n, b in books.items()]
    server = None
    if args.pg:
        import server as servers

        server, url = servers.start_server()
        env = {**os.environ, "CLIENTCARD_CONFIG": str(CACHE / "config.toml")}
        loaded = servers.load(base, url, Path(sys.executable), env, CACHE)
        print(f"loaded into PostgreSQL: {loaded}", file=sys.stderr)
        runs.append(("postgresql-100000", url, phone_fragment(base)))
    try:
        for cards, book, phone in runs:
            results[cards] = bench(book, args.runs, phone, args.against)
    finally:
        if server is not None:
            server.stop()
    for cards, book, _ in runs:
        result = results[cards]
        load = ", ".join(f"{x:.1f}" for x in result["load_average"])
        print(
            f"{cards} cards ({book}), target {TARGETS.get(cards, '-')} s; median of {args.runs} "
            f"(wall, CPU); load average {load}:"
        )
        for name, seconds in result["median_s"].items():
            cpu = result["median_cpu_s"][name]
            bare = name.split(":")[-1]
            text = result["queries"].get(bare, " ".join(BASELINE.get(bare, [])))
            hits = result["found"].get(name, "")
            print(f"  {name:<22} {seconds:>6.3f} s {cpu:>6.3f} s  {text!s:<16} {hits}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
