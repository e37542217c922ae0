"""`report promises` (docs/reports.md#promises): a small scripted book counted by hand, the same
JSON on PostgreSQL, an independent SQL count on the generated book, charts, bad input."""

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, at

pytestmark = pytest.mark.usefixtures("migrated")

NOW = at("2026-12-01T09:00:00")
PERIOD = ("--since", "2026-10-01", "--until", "2026-11-30", "--by", "month")


def build(ok: Run, *db: str) -> None:
    """Three cards and ten promises, each command at its own moment (notice_hours 24)."""

    def run(when: str, *args: str) -> None:
        ok(*db, *args, env=at(when))

    run("2026-09-01T09:00:00", "add", "张三", "-q")  # 1
    run("2026-09-01T09:00:00", "add", "李四", "-q")  # 2
    run("2026-09-01T09:00:00", "add", "王五", "-q")  # 3
    # P1 kept on time (October).
    run("2026-10-01T09:00:00", "promise", "add", "张三", "报价", "--due", "2026-10-10", "-q")
    run("2026-10-09T10:00:00", "promise", "done", "1")
    # P2 an appointment I moved at short notice (6 hours ahead), then kept (October).
    run("2026-10-01T09:00:00", "promise", "add", "张三", "见面", "--at", "2026-10-15 15:00", "-q")
    run("2026-10-15T09:00:00", "promise", "move", "2", "--to", "2026-10-20 15:00")
    run("2026-10-20T16:00:00", "promise", "done", "2")
    # P3 kept late (October).
    run("2026-10-01T09:00:00", "promise", "add", "李四", "方案", "--due", "2026-10-20", "-q")
    run("2026-10-25T10:00:00", "promise", "done", "3")
    # P4 an appointment missed (October).
    run("2026-10-01T09:00:00", "promise", "add", "李四", "拜访", "--at", "2026-10-28 10:00", "-q")
    run("2026-10-29T09:00:00", "promise", "missed", "4")
    # P5 cancelled by me (November).
    run("2026-10-01T09:00:00", "promise", "add", "李四", "样品", "--due", "2026-11-10", "-q")
    run("2026-11-05T09:00:00", "promise", "cancel", "5", "--by", "me")
    # P6 cancelled by the client (November): never counts.
    run("2026-11-01T09:00:00", "promise", "add", "王五", "午餐", "--at", "2026-11-12 12:00", "-q")
    run("2026-11-08T09:00:00", "promise", "cancel", "6", "--by", "client")
    # P7 moved by the client the day before, then kept (November): counts, on time.
    run("2026-11-01T09:00:00", "promise", "add", "王五", "签约", "--at", "2026-11-15 10:00", "-q")
    run("2026-11-14T20:00:00", "promise", "move", "7", "--to", "2026-11-18 10:00", "--by-client")
    run("2026-11-18T12:00:00", "promise", "done", "7")
    # P8 moved by me ten days ahead, still open: does not count yet.
    run("2026-11-01T09:00:00", "promise", "add", "王五", "资料", "--due", "2026-11-20", "-q")
    run("2026-11-10T09:00:00", "promise", "move", "8", "--to", "2026-11-25")
    # P9 moved by me at short notice, still open: counts from that move (November).
    run("2026-11-01T09:00:00", "promise", "add", "张三", "合同", "--due", "2026-11-22 17:00", "-q")
    run("2026-11-22T08:00:00", "promise", "move", "9", "--to", "2026-11-26 17:00")
    # P10 kept in September: before the period.
    run("2026-09-01T09:00:00", "promise", "add", "张三", "目录", "--due", "2026-09-20", "-q")
    run("2026-09-19T09:00:00", "promise", "done", "10")


# Counted by hand (the period: October and November 2026):
#
# keep_rate 2026-10: P1 kept on time, P2 kept after my short-notice move (counted, not on
#           time), P3 kept late, P4 missed -> counted 4, on time 1, 25%, late 1, missed 1,
#           cancelled by me 0
#           2026-11: P5 cancelled by me, P7 kept (the client's move never counts against),
#           P9 open after my short-notice move -> counted 3, on time 1, 1/3, late 0, missed 0,
#           cancelled by me 1 (P6: the client's cancellation, P8: open, moved in time: not
#           counted; P10: September)
# kinds     deliverable: P1 on time, P3 late, P5 cancelled by me, P9 short -> 4, 1, 25%, 1, 0, 1
#           appointment: P2 short, P4 missed, P7 on time -> 3, 1, 1/3, 0, 1, 0
# moves     mine told in time: P8 (1); mine at short notice: P2, P9 (2); the client's: P7 (1)
# broken    missed P4 (1), cancelled by me P5 (1), cancelled by the client P6 (1)
# clients   张三 #1: P2 and P9 moved at short notice -> 2; 李四 #2: P4 missed, P5 cancelled -> 2;
#           王五: none broken. Ties by card id.
def rates(counted: int, ok: int, late: int, missed: int, by_me: int) -> dict[str, Any]:
    return {
        "counted": counted,
        "kept_on_time": ok,
        "keep_rate": round(ok / counted, 4),
        "kept_late": late,
        "missed": missed,
        "cancelled_by_me": by_me,
    }


EXPECTED: dict[str, Any] = {
    "keep_rate": [
        {"bucket": "2026-10", "first": "2026-10-01", "last": "2026-10-31", **rates(4, 1, 1, 1, 0)},
        {"bucket": "2026-11", "first": "2026-11-01", "last": "2026-11-30", **rates(3, 1, 0, 0, 1)},
    ],
    "kinds": [
        {"kind": "deliverable", **rates(4, 1, 1, 0, 1)},
        {"kind": "appointment", **rates(3, 1, 0, 1, 0)},
    ],
    "moves": [
        {"move": "mine, told in time", "moves": 1, "promises": 1},
        {"move": "mine, short notice", "moves": 2, "promises": 2},
        {"move": "the client's", "moves": 1, "promises": 1},
    ],
    "broken": [
        {"outcome": "missed", "promises": 1},
        {"outcome": "cancelled by me", "promises": 1},
        {"outcome": "cancelled by client", "promises": 1},
    ],
    "clients": [
        {
            "client_id": 1,
            "client": "张三",
            "broken": 2,
            "missed": 0,
            "cancelled_by_me": 0,
            "short_notice_moves": 2,
        },
        {
            "client_id": 2,
            "client": "李四",
            "broken": 2,
            "missed": 1,
            "cancelled_by_me": 1,
            "short_notice_moves": 0,
        },
    ],
}


def rounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shares to 4 places, as JSON writes them."""
    return [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def report(ok: Run, *args: str, options: tuple[str, ...] = ()) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        ok(*args, "report", "promises", *PERIOD, *options, "-f", "json", env=NOW).stdout
    )
    return result


def test_every_section_counted_by_hand(ok: Run) -> None:
    build(ok)
    got = report(ok)
    assert (got["report"], got["since"], got["until"], got["by"]) == (
        "promises",
        "2026-10-01",
        "2026-11-30",
        "month",
    )
    for name, rows in EXPECTED.items():
        assert rounded(got["sections"][name]) == rows, name


def test_top_limits_the_clients(ok: Run) -> None:
    build(ok)
    got = report(ok, options=("--top", "1"))
    assert [r["client"] for r in got["sections"]["clients"]] == ["张三"]


def test_the_whole_book_gives_the_card_pages_keep_rate(ok: Run) -> None:
    """Every promise settles in one bucket, so over all time the report adds up to the
    keep-rate `promise list` shows (services/promises.keep_rate_of)."""
    build(ok)
    got = json.loads(
        ok(
            "report",
            "promises",
            "--since",
            "2026-01-01",
            "--until",
            "2026-12-01",
            "-f",
            "json",
            env=NOW,
        ).stdout
    )["sections"]["kinds"]
    counted = sum(r["counted"] for r in got)
    kept = sum(r["kept_on_time"] for r in got)
    # P10 too: 8 counted, 3 kept on time.
    assert (counted, kept) == (8, 3)
    listed = ok("promise", "list", "--all", env=NOW).stdout
    assert "3/8" in listed or "38%" in listed, listed


def test_postgresql_gives_the_same_json(ok: Run, postgres_url: str) -> None:
    build(ok)
    build(ok, "--db", postgres_url)
    assert report(ok, "--db", postgres_url) == report(ok)


@pytest.mark.parametrize("width", [80, 40])
def test_charts_fit_the_terminal(ok: Run, width: int) -> None:
    build(ok)
    out = ok("report", "promises", *PERIOD, env={**NOW, "COLUMNS": str(width)}).stdout
    from clientcard.output.agenda import cells

    assert all(cells(line) <= width for line in out.splitlines()), out
    if width == 80:
        lines = out.splitlines()
        # Numbers beside the bars.
        assert any(line.startswith("mine, short notice") and line.endswith(" 2") for line in lines)
        assert any(line.startswith("deliverable") and line.endswith("25%") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-11-15", "--until", "2026-11-02"), "starts after it ends"),
        (("--by", "year"), "--by must be"),
        (("-f", "csv", "--section", "nope"), "has no section 'nope'"),
        (("--top", "0"), "--top must be"),
    ],
)
def test_bad_input_is_one_line(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli("report", "promises", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_matches_an_independent_count(generated_copy: Path, ok: Run) -> None:
    book = generated_copy
    got = json.loads(
        ok(
            "--db",
            str(book),
            "report",
            "promises",
            "--since",
            "2026-08-23",
            "--until",
            "2026-11-20",
            "--by",
            "month",
            "-f",
            "json",
            env=at("2026-11-20T09:00:00"),
        ).stdout
    )["sections"]
    start, end = "2026-08-22 16:00:00", "2026-11-20 16:00:00"
    with closing(sqlite3.connect(book)) as db:
        counted, kept = db.execute(
            "SELECT count(*), sum(status = 'kept' AND NOT short_notice) FROM promise"
            " WHERE closed_at >= ? AND closed_at < ?"
            " AND (status IN ('kept', 'kept_late', 'missed', 'cancelled_by_me') OR short_notice)",
            (start, end),
        ).fetchone()
        open_short = db.execute(
            "SELECT count(*) FROM promise WHERE closed_at IS NULL AND short_notice"
            " AND (SELECT min(at) FROM promise_event WHERE promise_id = promise.id"
            "  AND event = 'moved' AND short_notice) BETWEEN ? AND ?",
            (start, end),
        ).fetchone()[0]
        events = dict(
            db.execute(
                "SELECT CASE WHEN event = 'moved' AND by = 'client' THEN 'client'"
                " WHEN event = 'moved' AND short_notice THEN 'short'"
                " WHEN event = 'moved' THEN 'told' ELSE event || coalesce(by, '') END,"
                " count(*) FROM promise_event WHERE at >= ? AND at < ? GROUP BY 1",
                (start, end),
            ).fetchall()
        )
        top = db.execute(
            "SELECT p.client_id, count(*) FROM promise_event AS e JOIN promise AS p"
            " ON p.id = e.promise_id WHERE e.at >= ? AND e.at < ? AND (e.event = 'missed'"
            " OR (e.event = 'cancelled' AND e.by = 'me') OR (e.event = 'moved'"
            " AND e.short_notice AND coalesce(e.by, '') <> 'client'))"
            " GROUP BY p.client_id ORDER BY 2 DESC, 1 LIMIT 10",
            (start, end),
        ).fetchall()
    assert sum(r["counted"] for r in got["keep_rate"]) == counted + open_short
    assert sum(r["kept_on_time"] for r in got["keep_rate"]) == kept
    assert sum(r["counted"] for r in got["kinds"]) == counted + open_short
    moves = {r["move"]: r["moves"] for r in got["moves"]}
    assert moves["mine, told in time"] == events.get("told", 0)
    assert moves["mine, short notice"] == events.get("short", 0)
    assert moves["the client's"] == events.get("client", 0)
    broken = {r["outcome"]: r["promises"] for r in got["broken"]}
    assert broken["missed"] == events.get("missed", 0)
    assert broken["cancelled by me"] == events.get("cancelledme", 0)
    assert broken["cancelled by client"] == events.get("cancelledclient", 0)
    assert [(r["client_id"], r["broken"]) for r in got["clients"]] == top
    assert counted > 100
