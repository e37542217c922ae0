"""benchmarks/server.py, issue 17's benchmark of the everyday commands on a PostgreSQL URL beside
the SQLite file: it runs on a tiny generated book loaded into a new database of the throwaway
server, interleaves the sides round by round (the first one rotating), and writes what
benchmarks/README.md says. No time is asserted: speed is shown by running the script."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from test_benchmarks import _load, generate


@pytest.fixture(scope="module")
def bench() -> Any:
    return _load("server")


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-server") / "book.db"
    generate.build(path, 60)
    return path


def test_a_run_interleaves_file_server_and_the_old_path(
    bench: Any,
    tiny_book: Path,
    postgres_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    ok: Any,
) -> None:
    out = tmp_path / "out" / "server.json"
    before = tiny_book.read_bytes()
    argv = ["--book", str(tiny_book), "--url", postgres_url, "--runs", "1", "--out", str(out)]
    assert bench.main(argv) == 0
    assert tiny_book.read_bytes() == before  # the writes go to a copy

    report = json.loads(out.read_text())
    assert report["runs"] == 1
    assert report["sides"] == ["file", "server", "server-old"]
    assert report["target_s"] == 0.3
    assert len(report["load_average"]["start"]) == len(report["load_average"]["end"]) == 3
    assert report["pinned"]["TZ"] == "Asia/Shanghai"
    assert set(report["load_seconds"]) == {"export", "import"}
    assert [r["label"] for r in report["results"]] == [
        "due --today",
        "show CLIENT",
        "list",
        "list --grade A",
        "log CLIENT --via call",
        "add NAME",
    ]
    for row in report["results"]:
        for side in report["sides"]:
            assert len(row[side]["samples"]) == 1
            assert row[side]["min_s"] <= row[side]["median_s"] <= row[side]["max_s"]
            assert row[side]["cpu_s"] > 0
        assert row["met"] == (row["server"]["median_s"] <= 0.3)

    assert [f["label"] for f in report["floors"]] == [
        "python -c pass",
        "python -c 'import psycopg'",
    ]
    assert all(len(f["samples"]) == 1 and f["min_s"] > 0 for f in report["floors"])

    printed = capsys.readouterr()
    assert re.search(r"command\s+file\s+server\s+server-old\s+server <= 0.30 s", printed.out)
    assert re.search(r"^due --today\s+\d\.\d{3} s \(\d\.\d\d cpu\)", printed.out, re.MULTILINE)
    assert "load average" in printed.out
    assert re.search(r"^floor: python -c pass \d\.\d{3} s", printed.out, re.MULTILINE)
    # Interleaved: every command on every side in each round, the first side rotating.
    runs = re.findall(r"^  (\S+) (\w+) run (\S+):", printed.err, re.MULTILINE)
    assert runs[:2] == [("floor", "pass", "warm-up"), ("floor", "psycopg", "warm-up")]
    runs = [r for r in runs if r[0] != "floor"]
    assert runs[:3] == [
        ("file", "due_today", "warm-up"),
        ("server", "due_today", "warm-up"),
        ("server-old", "due_today", "warm-up"),
    ]
    assert [side for side, key, n in runs if n == "1" and key == "due_today"] == [
        "server",
        "server-old",
        "file",
    ]
    assert not list(out.parent.glob("server-bench-*"))  # the scratch files are gone

    # What was timed really happened: the cards are on the server, and the adds landed there
    # (the warm-up and one run, on both server sides), not in the book.
    on_server = json.loads(ok("--db", postgres_url, "list", "--format", "json").stdout)
    in_book = json.loads(ok("--db", str(tiny_book), "list", "--format", "json").stdout)
    assert len(on_server) == len(in_book) + 4
    assert sum(c["name"] == "Bench 客户" for c in on_server) == 4
