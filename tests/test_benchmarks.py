"""The benchmark's tools (benchmarks/): the book generator is deterministic, builds a database the
real CLI reads, keeps the agenda rules, and scales as benchmarks/README.md says; the runner's
pieces work. No timing is asserted here: speed is shown by `python benchmarks/run.py`."""

import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers import Run, rows

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)  # the generator's default, and conftest's
CADENCE = {"A": 7, "B": 14, "C": 90, "D": 60, "E": 21, "F": 180}
MOMENT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def _load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # run.py imports `generate`
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _load("generate")
runner = _load("run")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A 1,000-card book (the smallest size the benchmark runs), built once for these tests."""
    path = tmp_path_factory.mktemp("bench") / "book.db"
    meta = generate.build(path, 1000)
    return path, meta


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00")


def test_same_seed_gives_the_same_rows() -> None:
    first = generate.generate(200, 7, NOW, ZONE)
    again = generate.generate(200, 7, NOW, ZONE)
    other = generate.generate(200, 8, NOW, ZONE)
    assert first.rows == again.rows
    assert first.probes == again.probes
    assert first.rows["client"] != other.rows["client"]


def test_build_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    path.write_text("precious")
    with pytest.raises(FileExistsError):
        generate.build(path, 200)
    assert path.read_text() == "precious"
    assert generate.main(["--cards", "200", "--db", str(path)]) == 2


def test_the_cli_reads_the_generated_book(book: tuple[Path, dict[str, Any]], ok: Run) -> None:
    path, meta = book
    db = ["--db", str(path)]
    assert len(json.loads(ok(*db, "list", "--limit", "3", "--format", "json").stdout)) == 3
    ok(*db, "list", "--limit", "3")
    ok(*db, "due", "--today")
    due = json.loads(ok(*db, "due", "--today", "--format", "json").stdout)
    # A salesperson's real morning, not thousands of items.
    assert 20 <= len(due) <= 60, Counter(item["kind"] for item in due)
    assert {"promise", "followup", "first_visit"} <= {item["kind"] for item in due}
    ok(*db, "due", "--week", "--format", "json")
    busy = str(meta["probes"]["busy_id"])
    page = ok(*db, "show", busy).stdout
    assert meta["probes"]["busy_name"] in page
    card = json.loads(ok(*db, "show", busy, "--format", "json").stdout)
    assert len(card["recent_contacts"]) == 5
    assert card["open_promises"]
    found = json.loads(
        ok(*db, "list", "--search", meta["probes"]["search_cn"], "-f", "json").stdout
    )
    assert busy in {str(c["id"]) for c in found}
    assert len(found) == generate.FIXED["search_cn"]
    latin = json.loads(
        ok(*db, "list", "--search", meta["probes"]["search_latin"], "-f", "json").stdout
    )
    assert meta["probes"]["latin_id"] in {c["id"] for c in latin}
    # Both words are a fixed handful at every size, so a search's result does not grow.
    assert len(latin) == generate.FIXED["search_latin"]


def test_the_busy_card_has_everything_show_reads(book: tuple[Path, dict[str, Any]]) -> None:
    path, meta = book
    busy = meta["probes"]["busy_id"]

    def count(table: str, where: str = "") -> int:
        sql = f"SELECT count(*) FROM {table} WHERE client_id = ? {where}"
        return int(rows(path, sql, (busy,))[0][0])

    assert rows(path, "SELECT grade, archived_at FROM client WHERE id = ?", (busy,)) == [
        ("A", None)
    ]
    assert count("contact") == 40
    assert count("promise", "AND status = 'open'") >= 2
    assert count("promise", "AND status != 'open'") >= 1
    assert count("grade_change") >= 2
    for table in ("sale", "complaint", "person", "rating_change", "key_date"):
        assert count(table) >= 1, table
    writer = meta["probes"]["write_id"]
    assert rows(path, "SELECT archived_at FROM client WHERE id = ?", (writer,)) == [(None,)]


def test_stored_values_look_like_what_clientcard_writes(
    book: tuple[Path, dict[str, Any]], ok: Run, tmp_path: Path
) -> None:
    path, meta = book
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    ok("--db", str(copy), "log", str(meta["probes"]["write_id"]), "--via", "call")
    (written,) = rows(copy, "SELECT at, logged_at FROM contact ORDER BY id DESC LIMIT 1")
    assert all(MOMENT.match(value) for value in written)
    for table, column in [
        ("client", "created_at"),
        ("client", "last_contact_at"),
        ("contact", "at"),
        ("promise", "due_at"),
        ("promise_event", "at"),
        ("complaint", "received_at"),
        ("sale", "sold_at"),
        ("rating_change", "at"),
    ]:
        values = [v for (v,) in rows(path, f"SELECT {column} FROM {table}") if v is not None]
        assert values, (table, column)
        assert all(MOMENT.match(v) for v in values), (table, column, values[:3])
    days = [v for (v,) in rows(path, "SELECT next_followup_on FROM client")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in days)
    assert {v for (v,) in rows(path, "SELECT all_day FROM promise")} == {0, 1}
    assert all(isinstance(v, int) for (v,) in rows(path, "SELECT amount_minor FROM sale"))


def test_the_book_is_consistent(book: tuple[Path, dict[str, Any]]) -> None:
    path, _ = book
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "PRAGMA foreign_key_check") == []
    cards = rows(
        path,
        "SELECT id, grade, created_at, last_contact_at, last_visit_at, next_followup_on, "
        "followup_kind, first_sale_at, name, name_key, first_visit_at FROM client",
    )
    contacts: dict[int, list[tuple[str, str]]] = {}
    for client_id, at, via in rows(path, "SELECT client_id, at, via FROM contact"):
        contacts.setdefault(client_id, []).append((at, via))
    history = {
        cid: (frm, why)
        for cid, frm, why in rows(
            path,
            "SELECT client_id, from_grade, reason FROM grade_change g WHERE id = "
            "(SELECT min(id) FROM grade_change WHERE client_id = g.client_id)",
        )
    }
    latest_grade = dict(
        rows(
            path,
            "SELECT client_id, to_grade FROM grade_change g WHERE id = "
            "(SELECT max(id) FROM grade_change WHERE client_id = g.client_id)",
        )
    )
    first_sale = dict(rows(path, "SELECT client_id, min(sold_at) FROM sale GROUP BY client_id"))
    for cid, grade, created, last, visit, nxt, kind, sold, name, key, first in cards:
        assert key == name.casefold()
        assert history[cid] == (None, "added")
        assert latest_grade[cid] == grade
        assert first_sale.get(cid) == sold
        log = contacts.get(cid, [])
        assert last == (max(at for at, _ in log) if log else None)
        visits = [at for at, via in log if via in ("visit", "meeting")]
        assert visit == (max(visits) if visits else None)
        assert first == (min(visits) if visits else None)
        assert created < (last or "9999")
        if kind == "cadence":
            base = utc(last or created).astimezone(ZONE).date()
            assert date.fromisoformat(nxt) == base + timedelta(days=CADENCE[grade]), cid
        else:
            assert date.fromisoformat(nxt) > utc(last).astimezone(ZONE).date()
            assert kind == "explicit" or grade in "CD"
    # Every generated contact is a sales follow-up with its due date: the end of a local day
    # (Shanghai midnight is 16:00 UTC), some met on time, some late.
    dues = rows(path, "SELECT at, due_by FROM contact")
    assert all(due is not None and due.endswith("16:00:00.000000") for _, due in dues), dues[:3]
    assert 0 < sum(at < due for at, due in dues) < len(dues)
    open_promises = rows(path, "SELECT id FROM promise WHERE status = 'open'")
    closed = rows(path, "SELECT id, made_at, closed_at FROM promise WHERE status != 'open'")
    assert open_promises
    assert closed
    assert all(made < shut <= "2026-11-20 01:00" for _, made, shut in closed)
    firsts = rows(
        path,
        "SELECT event FROM promise_event e WHERE id = "
        "(SELECT min(id) FROM promise_event WHERE promise_id = e.promise_id)",
    )
    assert {e for (e,) in firsts} == {"made"}


def test_row_counts_scale_as_documented() -> None:
    """The per-card shares of benchmarks/README.md; the agenda near now stays fixed."""
    counts = {}
    for cards in (1000, 2000):
        book = generate.generate(cards, 5, NOW, ZONE).rows
        counts[cards] = {table: len(r) for table, r in book.items()}
        n = cards
        assert len(book["client"]) == n
        assert 9 * n <= len(book["contact"]) <= 11 * n
        assert n <= len(book["grade_change"]) <= 2 * n
        customers = {r[1] for r in book["sale"]}
        assert 0.25 * n <= len(customers) <= 0.35 * n
        birthdays = [r for r in book["key_date"] if r[2] == "birthday"]
        assert 0.35 * n <= len(birthdays) <= 0.45 * n
        assert 0.08 * n <= len({r[1] for r in book["person"]}) <= 0.12 * n
        grades = Counter(r[11] for r in book["client"])
        assert 0.45 * n <= grades["F"] <= 0.55 * n
        assert 0.01 * n <= grades["A"] <= 0.05 * n
        latin = sum(r[1].isascii() or " " in r[1] for r in book["client"])
        assert 0.35 * n <= latin <= 0.45 * n
        opened = [r for r in book["complaint"] if r[4] == "open"]
        assert len(opened) == generate.FIXED["complaint_open"]
    assert 1.8 <= counts[2000]["contact"] / counts[1000]["contact"] <= 2.2
    assert 1.8 <= counts[2000]["promise"] / counts[1000]["promise"] <= 2.2


def test_small_books_scale_the_agenda_down() -> None:
    book = generate.generate(200, 5, NOW, ZONE)
    today = NOW.date().isoformat()
    due = [r for r in book.rows["client"] if r[18] <= today]
    assert 2 <= len(due) <= generate.FIXED["followup_due"] // 2


def test_the_runner_measures_a_process_and_its_own_peak(tmp_path: Path) -> None:
    python = Path(sys.executable)
    launcher = runner.Launcher.find(python)
    ballast = bytearray(150 * 1024 * 1024)  # this process is large; the child must not be
    ballast[::4096] = b"\x01" * len(ballast[::4096])
    sample = launcher.run([str(python), "-c", "print('hi')"], {}, tmp_path / "out.txt")
    assert sample.rc == 0
    assert (tmp_path / "out.txt").read_text() == "hi\n"
    assert 1 < sample.peak_mib < 100
    failed = launcher.run([str(python), "-c", "raise SystemExit(3)"], {}, tmp_path / "out.txt")
    assert failed.rc == 3
    del ballast


def test_targets_are_met_not_met_or_not_measured() -> None:
    def result(key: str, size: int, median: float, **extra: Any) -> dict[str, Any]:
        return {"command": key, "size": size, "kind": "read", "median_s": median,
                "peak_mib": 60.0, **extra}  # fmt: skip

    results = [result("due_today", 1000, 0.20), result("due_today", 28000, 0.22)]
    results += [result("help", 1000, 0.1), result("help", 28000, 0.3)]
    targets = {t["target"].split(" <=")[0]: t for t in runner.evaluate(results, [1000, 28000])}
    read = targets["due --today, show, list"]
    assert read["status"] == "met where measured"
    assert targets["each"]["items"][0]["value"] == 1.1
    assert targets["--help and completion"]["status"] == "NOT met"
    assert targets["log, add, promise"]["status"] == "not measured"


def test_the_comparison_table_shows_this_the_other_and_the_ratio() -> None:
    def result(key: str, kind: str, median: float | None, **extra: Any) -> dict[str, Any]:
        r = {"command": key, "size": 1000, "kind": kind, **extra}
        return r if median is None else r | {"median_s": median, "peak_mib": 30.0}

    mine = [result("due_today", "read", 0.22), result("log", "write", None, error="exit 1")]
    mine.append(result("floor_pass", "floor", 0.02))
    theirs = [result("due_today", "read", 0.2, program="against")]
    theirs.append(result("log", "write", 0.25, program="against"))
    text = runner.table(mine, [1000], theirs)
    head, sub, _, due, log, floor = text.splitlines()
    assert "1,000 cards" in head
    assert sub.split() == ["|", "this", "against", "ratio"]
    assert due.split("|")[1].split() == ["0.220", "s", "30.0", "MiB", "0.200", "s", "30.0", "MiB",
                                         "1.10x"]  # fmt: skip
    assert log.split("|")[1].split()[0] == "error"
    assert log.rstrip().endswith("-")  # no ratio without both medians
    assert floor.split("|")[1].split() == ["0.020", "s", "30.0", "MiB"]  # the floor runs once
    ratios = runner.ratios(mine, theirs)
    assert ratios[0] == {"command": "due_today", "size": 1000, "median_s": 0.22,
                         "against_median_s": 0.2, "ratio": 1.1}  # fmt: skip
    assert ratios[1]["ratio"] is None
    # Without --against, the table is the one it always was.
    assert "ratio" not in runner.table(mine, [1000])


def test_against_runs_both_programs_in_the_same_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same installed clientcard on both sides: a small book, one cheap read, one write."""
    out = tmp_path / "results.json"
    with pytest.raises(SystemExit):
        runner.main(["--against", str(tmp_path / "missing"), "--out", str(out)])
    capsys.readouterr()
    clientcard = runner.installed_clientcard()
    argv = ["--sizes", "200", "--runs", "1", "--only", "due_today,log,floor_pass"]
    assert runner.main([*argv, "--against", str(clientcard), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    # The main program's entries keep their shape; the other's are beside them, marked.
    assert [(r["command"], "program" in r) for r in report["results"]] == [
        ("due_today", False), ("log", False), ("floor_pass", False)
    ]  # fmt: skip
    against = report["against"]
    assert against["clientcard"] == str(clientcard)
    assert [(r["command"], r["program"]) for r in against["results"]] == [
        ("due_today", "against"), ("log", "against")
    ]  # fmt: skip
    assert all(len(r["samples"]) == 1 for r in report["results"] + against["results"])
    # Each program writes to its own scratch copy of the same book.
    mine = {r["command"]: r["argv"] for r in report["results"]}
    theirs = {r["command"]: r["argv"] for r in against["results"]}
    assert mine["due_today"] == theirs["due_today"]
    assert mine["log"][1] != theirs["log"][1]
    assert mine["log"][2:] == theirs["log"][2:]
    assert [(r["command"], isinstance(r["ratio"], float)) for r in against["ratios"]] == [
        ("due_today", True), ("log", True)
    ]  # fmt: skip
    printed = capsys.readouterr().out
    assert f"against: {clientcard}" in printed
    assert re.search(r"this\s+against\s+ratio", printed)
    assert re.search(r"due --today .*\d\.\d\dx", printed)
    assert not list(tmp_path.glob("scratch-*"))


# ---- issue 12: the peer and the floor, pair by pair ------------------------------------------


def test_side_by_side_takes_the_ratio_pair_by_pair() -> None:
    def result(key: str, size: int, times: list[float], kind: str = "read") -> dict[str, Any]:
        return {"command": key, "size": size, "kind": kind, "samples": [{"s": t} for t in times]}

    results = [
        # The machine slowed down in the second round: each pair moved together.
        result("due_today", 28000, [0.10, 0.30, 0.11]),
        result("peer_task_overdue", 28000, [0.50, 1.50, 0.33], "peer"),
        result("floor_stack", 28000, [0.08, 0.20, 0.10], "floor"),
        result("log", 28000, [0.12, 0.24, 0.10], "write"),
    ]
    (row,) = runner.side_by_side(results)
    assert row["taskwarrior_over_due_today"] == 5.0  # median of 5.0, 5.0, 3.0
    assert row["over_floor"] == {"due_today": 1.25, "log": 1.2}  # medians of the pairs
    peer, floor = runner.side_by_side_targets([row])
    assert peer["status"] == "met"  # >= 4x at 28,000
    assert floor["status"] == "met"
    slow = dict(row, over_floor={"due_today": 2.0})
    assert runner.side_by_side_targets([slow])[1]["status"] == "NOT met"
    # A failed command has no ratio.
    failed = [dict(results[0], error="exit 1"), *results[1:]]
    assert "taskwarrior_over_due_today" not in runner.side_by_side(failed)[0]


def test_the_task_list_holds_one_task_per_live_card(
    book: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, meta = book
    rc = runner.write_task_list(path, tmp_path / "tasks", generate.DEFAULT_NOW, "Asia/Shanghai")
    lines = (tmp_path / "tasks" / "data" / "pending.data").read_text(encoding="utf-8").splitlines()
    assert len(lines) == meta["probes"]["live_cards"]
    task_line = r'\[description:"follow up .+" due:"\d+" .*status:"pending" uuid:"[-0-9a-f]{36}"\]'
    assert all(re.fullmatch(task_line, line) for line in lines)
    assert f"data.location={tmp_path / 'tasks' / 'data'}" in rc.read_text()
    task = runner.taskwarrior()
    if task is None:
        return
    import subprocess

    count = subprocess.run(
        [str(task), f"rc:{rc}", "count", "status:pending"], capture_output=True, text=True
    )
    assert count.stdout.strip() == str(len(lines))
