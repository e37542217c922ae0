"""benchmarks/reports.py, issue 16's benchmark of the reports: it runs on a small generated book,
times every `report NAME -f json` that `report --help` lists, `report all --html FILE` and the
floor, interleaved, and writes what benchmarks/README.md says. No time is asserted: speed is
shown by running the script."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from clientcard.services.reports import REPORTS
from test_benchmarks import _load, generate


@pytest.fixture(scope="module")
def bench() -> Any:
    return _load("reports")


def test_the_reports_are_read_from_the_help(bench: Any) -> None:
    rich = (
        "╭─ Options ───╮\n│ --help  -h  Show this message │\n╰─────╯\n"
        "╭─ Commands ──────────╮\n"
        "│ funnel    The ladder now: live cards per grade │\n"
        "│           added in it.                         │\n"
        "│ movement  How cards moved                      │\n"
        "│ all       Every report                         │\n"
        "╰─────────────────────╯\n"
    )
    assert bench.report_names(rich) == ["funnel", "movement"]
    plain = (
        "Options:\n  --help  Show\n\nCommands:\n  funnel  The ladder\n  stale   Dead\n  all  All\n"
    )
    assert bench.report_names(plain) == ["funnel", "stale"]
    assert bench.report_names("Usage: clientcard report [OPTIONS]\n") == []


def test_a_run_times_every_report_the_page_and_the_floor(
    bench: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "book.db"
    generate.build(small, 150)
    before = small.read_bytes()
    out = tmp_path / "out" / "reports.json"
    assert bench.main(["--book", str(small), "--runs", "2", "--out", str(out)]) == 0
    assert small.read_bytes() == before  # the book is copied, never written

    report = json.loads(out.read_text())
    assert report["runs"] == 2
    assert report["book"] == {"path": str(small)}
    assert report["machine"]["cores"] >= 1
    assert len(report["load_average"]["start"]) == len(report["load_average"]["end"]) == 3
    assert report["pinned"]["TZ"] == "Asia/Shanghai"
    assert report["steps"] == [*(f"report:{n}" for n in REPORTS), "html", "floor"]
    commands = [r["command"] for r in report["results"]]
    assert commands == [
        *(f"report {n} -f json" for n in REPORTS),
        "report all --html FILE",
        "grade -f json",
    ]
    for r in report["results"]:
        assert len(r["samples"]) == 2
        assert r["min_s"] <= r["median_s"] <= r["max_s"]
        assert r["peak_mib"] > 0
    html = report["results"][-2]
    assert html["argv"][-3:-1] == ["all", "--html"]
    assert html["output_bytes"] == report["html"]["bytes"] > 1000
    assert report["html"]["svg"] >= len(REPORTS)
    assert [t["target"] for t in report["targets"]] == [
        *(f"report {n} -f json <= 0.5 s" for n in REPORTS),
        "report all --html FILE <= 3 s",
    ]
    assert all(isinstance(t["met"], bool) for t in report["targets"])

    printed = capsys.readouterr()
    assert re.search(r"command\s+median\s+min-max\s+cpu\s+peak\s+over floor", printed.out)
    assert "load average" in printed.out
    # Interleaved: every round runs each step in turn, after one warm-up round.
    rounds = re.findall(r"^  (.+) run (\S+):", printed.err, re.MULTILINE)
    width = len(report["steps"])
    assert [n for _, n in rounds] == ["warm-up"] * width + ["1"] * width + ["2"] * width
    assert not list(out.parent.glob("reports-bench*"))  # the scratch files are gone
