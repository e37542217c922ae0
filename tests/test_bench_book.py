"""benchmarks/book.py, issue 15's benchmark of the whole book out and in: it runs on a small
generated book, interleaves the clientcards it is given, times `export --book`, `import --book`
and `backup` (only `backup` for a clientcard without `export --book`, and `due --week --format
ics` for one that offers it), checks the round trip, and writes what benchmarks/README.md says.
No time is asserted: speed is shown by running the script."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from test_benchmarks import _load, generate, runner


@pytest.fixture(scope="module")
def bench() -> Any:
    return _load("book")


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-book") / "book.db"
    generate.build(path, 200)
    return path


def older_clientcard(folder: Path) -> Path:
    """A clientcard as the code before issue 15's book: its `export --help` has no --book (only
    the prose names it); and one whose `due` offers `--format ics` (a stand-in calendar)."""
    script = folder / "bin" / "clientcard"
    script.parent.mkdir(parents=True)
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        '  *"export --help"*) echo " Usage: clientcard export [OPTIONS]"\n'
        "    echo ' To copy the book, `--book` is not here: run backup.'\n"
        "    echo '│ --output  -o  FILE  Write to FILE │'; exit 0;;\n"
        "  *\"due --help\"*) echo '│ --format  -f  <table|json|csv|tsv|ics>  Output │'; exit 0;;\n"
        '  *"--format ics"*) echo "BEGIN:VCALENDAR"; echo "END:VCALENDAR"; exit 0;;\n'
        "esac\n"
        f'exec {runner.installed_clientcard()} "$@"\n'
    )
    script.chmod(0o755)
    return script


def test_the_options_are_read_from_the_help_not_its_prose(bench: Any) -> None:
    rich = "│ --book            Every record of every kind │\n│ --output -o FILE  Write │"
    plain = "Options:\n  --book      Every record\n  --bookmark  Other"
    prose = " writes the whole book; `--book` loads it\n│ --booked  Other │"
    assert bench.has_option(rich, "--book")
    assert bench.has_option(plain, "--book")
    assert not bench.has_option(prose, "--book")
    assert not bench.has_option("│ --book-size  N │", "--book")
    assert bench.offers_ics("│ --format  -f  <table|json|csv|tsv|ics>  Output │")
    assert not bench.offers_ics("│ --format  -f  <table|json|csv|tsv>  ics is not here │")


def test_the_record_count_is_read_from_the_end_line(bench: Any, tmp_path: Path) -> None:
    path = tmp_path / "book.jsonl"
    path.write_text('{"clientcard":"book","format":1}\n[1,"张伟"]\n{"end":"book","records":1}\n')
    assert bench.end_records(path) == 1
    path.write_text('{"clientcard":"book","format":1}\n[1,"张伟"]\n')  # cut short
    assert bench.end_records(path) is None


def test_a_run_interleaves_the_programs_and_checks_the_round_trip(
    bench: Any, small_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clientcard = runner.installed_clientcard()
    older = older_clientcard(tmp_path / "older")
    out = tmp_path / "out" / "book.json"
    before = small_book.read_bytes()
    argv = ["--book", str(small_book), "--runs", "2", "--out", str(out)]
    assert bench.main([*argv, "--clientcard", str(clientcard), "--clientcard", str(older)]) == 0
    assert small_book.read_bytes() == before  # the book is copied, never written

    report = json.loads(out.read_text())
    assert report["runs"] == 2
    assert report["book"] == {"path": str(small_book)}
    assert report["machine"]["cores"] >= 1
    assert len(report["load_average"]["start"]) == len(report["load_average"]["end"]) == 3
    assert report["pinned"]["TZ"] == "Asia/Shanghai"
    this, other = report["clientcards"]
    assert this["clientcard"] == str(clientcard)
    assert other["clientcard"] == str(older)
    assert this["label"] != other["label"]

    # This clientcard has the book and the calendar; the older one backs up only.
    assert [r["step"] for r in this["results"]] == ["export", "import", "backup", "ics"]
    assert [r["step"] for r in other["results"]] == ["backup", "ics"]
    assert any("backup only" in n for n in other["notes"])
    for r in this["results"] + other["results"]:
        assert len(r["samples"]) == 2
        assert r["min_s"] <= r["median_s"] <= r["max_s"]
        assert r["peak_mib"] > 0
    export, imported, backup, _ = this["results"]
    assert export["argv"][-4:-1] == ["export", "--book", "-o"]
    assert imported["argv"][-3:-1] == ["import", "--book"]
    assert export["records"] == imported["records"] == backup["records"] > 200
    assert export["records_per_s"] > 0
    assert imported["records_per_s"] > 0
    assert this["round_trip"]["identical"] is True
    assert this["round_trip"]["bytes"] == this["round_trip"]["bytes_again"]
    assert other["round_trip"] is None

    assert [t["target"] for t in this["targets"]] == [
        "export --book >= 100,000 records/s",
        "export --book peak <= 150 MiB",
        "import --book >= 50,000 records/s",
        "import --book peak <= 150 MiB",
        "backup <= 5 s",
        "due --week --format ics <= 0.3 s",
    ]
    assert [t["target"] for t in other["targets"]] == [
        "backup <= 5 s",
        "due --week --format ics <= 0.3 s",
    ]
    assert all(isinstance(t["met"], bool) for t in this["targets"] + other["targets"])

    printed = capsys.readouterr()
    assert re.search(
        r"clientcard\s+command\s+median\s+min-max\s+cpu\s+records/s\s+peak", printed.out
    )
    assert re.search(r"export --book .* \d\.\d\d s .*MiB", printed.out)
    assert "export -> import -> export: byte-identical" in printed.out
    assert "load average" in printed.out
    # Interleaved: round by round, each program's steps, the first one rotating.
    rounds = re.findall(r"^  (\S+) (\w+) run (\S+):", printed.err, re.MULTILINE)
    firsts = [label for label, step, _ in rounds if step in ("export", "backup")]
    assert [r[2] for r in rounds][:4] == ["warm-up"] * 4
    assert firsts[:1] == [this["label"]]
    assert next(label for label, _, n in rounds if n == "1") == other["label"]
    assert not list(out.parent.glob("book-bench-*"))  # the scratch files are gone
