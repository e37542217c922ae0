"""`report complaints` (docs/reports.md#complaints): a small book scripted through the CLI whose
every figure was counted by hand, the same JSON on PostgreSQL, independent SQL counts on the
generated book, the charts at 80 and 40 columns, and bad input.

The clock is the pinned Friday 2026-11-20 09:00 in Shanghai; the working day is the default
(mon-fri 09:00-18:00), urgent counts clock hours. The period: 2026-09-01 .. 2026-11-20, by month.

The complaints: card, severity, received; first response (hours after the receipt, target);
resolution on the row (hours, target); satisfaction; cause, responsible:

C1 #1 normal, Mon 09-07 10:00; step 14:00 (4 h, due Wed 09-09 10:00: in time); resolved Wed
   09-09 10:00 (48 h, due Mon 09-14 10:00: in time); 4; delivery, partner.
C2 #1 high, Fri 09-18 17:00; step Mon 09-21 10:00 (65 h, due Mon 17:00: in time); resolved
   09-25 (sat 2), reopened 09-28, resolved again Wed 09-30 12:00 (283 h, due Wed 09-23 17:00:
   late); 3; product, company.
C3 #2 urgent (clock hours), Sat 10-10 22:00; step Sun 08:00 (10 h, due 02:00: late); resolved
   Sun 20:00 (22 h, due 22:00: in time); 5; service, us.
C4 #2 low, Tue 10-20 09:00; never answered (due Mon 10-26 18:00: missed); open (due Mon 11-02
   18:00: missed); -; no cause, unknown.
C5 #3 normal, Mon 11-16 09:00; step 11:00 (2 h, in time); open (due Fri 11-20 18:00: not yet,
   not measured); -; delivery with a note, unknown.
C6 #2 normal, Wed 11-18 15:00; resolved Thu 11-19 10:00 without a step: answered then (19 h,
   due Fri 15:00: in time; resolution in time); 4; billing, client.
C7 #1 high, 08-25: BEFORE THE PERIOD, counted nowhere; price, us.
C8 #4 low, Mon 10-05 10:00; cancelled when its card was archived (--cancel-open): counted,
   but no target measured; other, unknown.

Expected, counted by hand:

received: 2026-09: 2 (normal 1, high 1); 2026-10: 3 (low 2, urgent 1); 2026-11: 2 (normal 2).
severity (complaints; median answer h, answered in time; median resolve h, resolved in time):
    low 2 (C4, C8; C8 cancelled: not measured): -, 0/1 = 0; -, 0/1 = 0
    normal 3: answers 4, 2, 19 -> 4.0, 3/3; resolutions 48, 19 -> 33.5, 2/2 (C5 not yet due)
    high 1: 65.0, 1/1; 283.0, 0/1
    urgent 1: 10.0, 0/1; 22.0, 1/1
    all 7: answers 2 4 10 19 65 -> 10.0, 4/6; resolutions 19 22 48 283 -> 35.0, 3/5
causes: product 1, delivery 2, service 1, price 0, billing 1, communication 0, other 1,
    not given 1 (of 7)
responsibility: us 1, company 1, partner 1, client 1, unknown 3
outcome: 7 complaints, 4 resolved, 2 open, 1 cancelled, 4 ever resolved, 1 reopened (0.25),
    4 rated, mean (4 + 3 + 5 + 4) / 4 = 4.0
satisfaction: 1: 0, 2: 0, 3: 1, 4: 2, 5: 1 (C2's 2 was replaced by its 3 on the row)
repeat: #2 李娜 B 3 complaints (1 open), last 2026-11-18; #1 张伟 A 2 (0 open), last 2026-09-18
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clientcard.output.agenda import cells as cells_of
from helpers import Run, assert_error, at

PERIOD = ("--since", "2026-09-01", "--until", "2026-11-20")


def script(ok: Run, *db: str) -> None:
    """The book of the table above, through the CLI (`db`: `--db URL` for PostgreSQL)."""

    def run(*args: str, **kwargs: Any) -> None:
        ok(*db, *args, **kwargs)

    run("add", "张伟", "--grade", "A")
    run("add", "李娜", "--grade", "B")
    run("add", "Acme")
    run("add", "Old Co")
    c = ("complaint",)
    run(*c, "add", "1", "晚到", "--at", "2026-09-07 10:00", "--cause", "delivery",
        "--responsible", "partner")  # fmt: skip
    run(*c, "step", "1", "called", "--at", "2026-09-07 14:00")
    run(*c, "resolve", "1", "--result", "ok", "--satisfaction", "4", "--at", "2026-09-09 10:00")
    run(*c, "add", "1", "broke", "-s", "high", "--at", "2026-09-18 17:00", "--cause", "product",
        "--responsible", "company")  # fmt: skip
    run(*c, "step", "2", "called", "--at", "2026-09-21 10:00")
    run(*c, "resolve", "2", "--result", "fixed", "--satisfaction", "2", "--at", "2026-09-25 17:00")
    run(*c, "reopen", "2", "--reason", "broke again", env=at("2026-09-28T10:00"))
    run(*c, "resolve", "2", "--result", "new", "--satisfaction", "3", "--at", "2026-09-30 12:00")
    run(*c, "add", "2", "rude", "-s", "urgent", "--at", "2026-10-10 22:00", "--cause", "service",
        "--responsible", "us")  # fmt: skip
    run(*c, "step", "3", "apologised", "--at", "2026-10-11 08:00")
    run(*c, "resolve", "3", "--result", "ok", "--satisfaction", "5", "--at", "2026-10-11 20:00")
    run(*c, "add", "2", "slow", "-s", "low", "--at", "2026-10-20 09:00")
    run(*c, "add", "3", "lost", "--at", "2026-11-16 09:00", "--cause", "delivery",
        "--cause-note", "快递丢件")  # fmt: skip
    run(*c, "step", "5", "asked the carrier", "--at", "2026-11-16 11:00")
    run(*c, "add", "2", "invoice", "--at", "2026-11-18 15:00", "--cause", "billing",
        "--responsible", "client")  # fmt: skip
    run(*c, "resolve", "6", "--result", "explained", "--satisfaction", "4",
        "--at", "2026-11-19 10:00")  # fmt: skip
    run(*c, "add", "1", "price", "-s", "high", "--at", "2026-08-25 10:00", "--cause", "price",
        "--responsible", "us")  # fmt: skip
    run(*c, "resolve", "7", "--result", "ok", "--satisfaction", "1", "--at", "2026-08-26 10:00")
    run(*c, "add", "4", "old", "-s", "low", "--at", "2026-10-05 10:00", "--cause", "other")
    run("archive", "4", "--cancel-open")


def report(ok: Run, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        ok(*args, "report", "complaints", *PERIOD, "-f", "json").stdout
    )
    return data


def test_every_figure_counted_by_hand(ok: Run) -> None:
    script(ok)
    data = report(ok)
    assert (data["report"], data["since"], data["until"], data["by"]) == (
        "complaints",
        "2026-09-01",
        "2026-11-20",
        "month",
    )
    s = data["sections"]
    assert s["received"] == [
        {"bucket": "2026-09", "first": "2026-09-01", "last": "2026-09-30", "complaints": 2,
         "low": 0, "normal": 1, "high": 1, "urgent": 0},
        {"bucket": "2026-10", "first": "2026-10-01", "last": "2026-10-31", "complaints": 3,
         "low": 2, "normal": 0, "high": 0, "urgent": 1},
        {"bucket": "2026-11", "first": "2026-11-01", "last": "2026-11-20", "complaints": 2,
         "low": 0, "normal": 2, "high": 0, "urgent": 0},
    ]  # fmt: skip
    keys = ["severity", "complaints", "response_target_hours", "median_response_hours",
            "response_within_target", "resolve_target_hours", "median_resolution_hours",
            "resolution_within_target"]  # fmt: skip
    assert [list(r.values()) for r in s["severity"]] == [
        ["low", 2, 45, None, 0.0, 90, None, 0.0],
        ["normal", 3, 18, 4.0, 1.0, 45, 33.5, 1.0],
        ["high", 1, 9, 65.0, 1.0, 27, 283.0, 0.0],
        ["urgent", 1, 4, 10.0, 0.0, 24, 22.0, 1.0],
        ["all", 7, None, 10.0, 0.6667, None, 35.0, 0.6],
    ]
    assert list(s["severity"][0]) == keys
    assert [(r["cause"], r["complaints"], r["share"]) for r in s["causes"]] == [
        ("product", 1, 0.1429),
        ("delivery", 2, 0.2857),
        ("service", 1, 0.1429),
        ("price", 0, 0.0),
        ("billing", 1, 0.1429),
        ("communication", 0, 0.0),
        ("other", 1, 0.1429),
        ("not given", 1, 0.1429),
    ]
    assert [(r["responsibility"], r["complaints"]) for r in s["responsibility"]] == [
        ("us", 1),
        ("company", 1),
        ("partner", 1),
        ("client", 1),
        ("unknown", 3),
    ]
    assert s["responsibility"][4]["share"] == 0.4286
    assert s["outcome"] == [
        {"complaints": 7, "resolved": 4, "open": 2, "cancelled": 1, "ever_resolved": 4,
         "reopened": 1, "reopen_rate": 0.25, "rated": 4, "satisfaction_mean": 4.0}
    ]  # fmt: skip
    assert s["satisfaction"] == [
        {"score": "1", "complaints": 0, "share": 0.0},
        {"score": "2", "complaints": 0, "share": 0.0},
        {"score": "3", "complaints": 1, "share": 0.25},
        {"score": "4", "complaints": 2, "share": 0.5},
        {"score": "5", "complaints": 1, "share": 0.25},
    ]
    assert s["repeat"] == [
        {"client_id": 2, "client": "李娜", "grade": "B", "complaints": 3, "open": 1,
         "last_received": "2026-11-18"},
        {"client_id": 1, "client": "张伟", "grade": "A", "complaints": 2, "open": 0,
         "last_received": "2026-09-18"},
    ]  # fmt: skip


def test_a_cause_no_longer_configured_is_still_counted(ok: Run) -> None:
    """Causes are the user's list: one dropped from it since stays in the count, after the
    configured ones."""
    script(ok)
    ok("config", "set", "--book", "complaint.causes", "delivery, product, late-payment")
    causes = report(ok)["sections"]["causes"]
    assert [(r["cause"], r["complaints"]) for r in causes] == [
        ("delivery", 2),
        ("product", 1),
        ("late-payment", 0),
        ("billing", 1),
        ("other", 1),
        ("service", 1),
        ("not given", 1),
    ]


def test_by_week_and_csv(ok: Run) -> None:
    script(ok)
    out = ok("report", "complaints", "--since", "2026-11-09", "--by", "week", "-f", "csv")
    assert out.stdout.splitlines() == [
        "bucket,first,last,complaints,low,normal,high,urgent",
        "2026-W46,2026-11-09,2026-11-15,0,0,0,0,0",
        "2026-W47,2026-11-16,2026-11-20,2,0,2,0,0",
    ]
    repeat = ok("report", "complaints", *PERIOD, "-f", "tsv", "--section", "repeat").stdout
    assert repeat.splitlines()[0] == "client_id\tclient\tgrade\tcomplaints\topen\tlast_received"


def test_an_empty_book(ok: Run) -> None:
    ok("add", "张伟")
    s = report(ok)["sections"]
    assert [r["complaints"] for r in s["received"]] == [0, 0, 0]
    assert s["severity"][-1] == {
        "severity": "all", "complaints": 0, "response_target_hours": None,
        "median_response_hours": None, "response_within_target": None,
        "resolve_target_hours": None, "median_resolution_hours": None,
        "resolution_within_target": None,
    }  # fmt: skip
    assert s["outcome"][0]["reopen_rate"] is None
    assert s["satisfaction"] == []
    assert s["repeat"] == []
    assert "No client complained 2 times or more" in ok("report", "complaints").stdout


def test_postgresql_gives_the_same_json(ok: Run, postgres_url: str) -> None:
    script(ok, "--db", postgres_url)
    script(ok)
    assert report(ok, "--db", postgres_url) == report(ok)


@pytest.mark.parametrize("width", [80, 40])
def test_the_charts_fit_the_terminal(ok: Run, width: int) -> None:
    script(ok)
    out = ok("report", "complaints", *PERIOD, env={"COLUMNS": str(width)}).stdout
    lines = out.splitlines()
    assert all(cells_of(line) <= width for line in lines), [
        line for line in lines if cells_of(line) > width
    ]
    if width == 80:
        assert any(line.startswith("delivery") and line.endswith("  2") for line in lines)
        assert any(line.startswith("unknown") and line.endswith("  3") for line in lines)
        assert "Complaints  ▁" in out or "Complaints  " in out
        assert "Clients who complain again" in out


def test_bad_input(cli: Run) -> None:
    assert_error(
        cli("report", "complaints", "--since", "2026-11-10", "--until", "2026-11-01"),
        2,
        "the period starts after it ends (2026-11-10 > 2026-11-01); --since must be on or "
        "before --until",
    )
    assert_error(
        cli("report", "complaints", "--by", "day"), 2, "--by must be week, month, not 'day'"
    )
    assert_error(
        cli("report", "complaints", "-f", "csv", "--section", "nope"),
        2,
        "report complaints has no section 'nope'; its sections are received, severity, causes, "
        "responsibility, outcome, satisfaction, repeat",
    )


# ---- the generated book: independent counts ------------------------------------------------


def test_the_generated_book_against_plain_sql(ok: Run, generated_copy: Path) -> None:
    book = generated_copy
    since, until = "2016-12-01", "2026-11-20"  # every complaint of the book
    data = json.loads(
        ok("--db", str(book), "report", "complaints", "--since", since, "--until", until,
           "-f", "json").stdout
    )  # fmt: skip
    s = data["sections"]
    # The period's UTC bounds: Shanghai is UTC+8 all year.
    lo, hi = "2016-11-30 16:00:00", "2026-11-20 16:00:00"
    where = "received_at >= ? AND received_at < ?"
    with sqlite3.connect(book) as c:
        total = c.execute(f"SELECT count(*) FROM complaint WHERE {where}", (lo, hi)).fetchone()[0]
        by_severity = dict(
            c.execute(f"SELECT severity, count(*) FROM complaint WHERE {where} GROUP BY severity",
                      (lo, hi)).fetchall()
        )  # fmt: skip
        by_cause = dict(
            c.execute(f"SELECT coalesce(cause, 'not given'), count(*) FROM complaint WHERE {where}"
                      " GROUP BY 1", (lo, hi)).fetchall()
        )  # fmt: skip
        by_who = dict(
            c.execute(f"SELECT responsibility, count(*) FROM complaint WHERE {where} GROUP BY 1",
                      (lo, hi)).fetchall()
        )  # fmt: skip
        reopened = c.execute(
            f"SELECT count(DISTINCT m.id) FROM complaint m JOIN complaint_step s"
            f" ON s.complaint_id = m.id AND s.kind = 'reopened' WHERE m.{where}", (lo, hi)
        ).fetchone()[0]  # fmt: skip
        scores = dict(
            c.execute(f"SELECT satisfaction, count(*) FROM complaint WHERE {where}"
                      " AND status = 'resolved' AND satisfaction IS NOT NULL GROUP BY 1",
                      (lo, hi)).fetchall()
        )  # fmt: skip
        repeat = c.execute(
            f"SELECT client_id, count(*) FROM complaint WHERE {where} GROUP BY client_id"
            " HAVING count(*) >= 2 ORDER BY count(*) DESC, max(received_at) DESC, client_id"
            " LIMIT 10", (lo, hi)
        ).fetchall()  # fmt: skip
    assert total > 15
    assert sum(r["complaints"] for r in s["received"]) == total
    assert {r["severity"]: r["complaints"] for r in s["severity"][:-1]} == {
        k: by_severity.get(k, 0) for k in ("low", "normal", "high", "urgent")
    }
    assert s["severity"][-1]["complaints"] == total
    assert {r["cause"]: r["complaints"] for r in s["causes"] if r["complaints"]} == by_cause
    assert {
        r["responsibility"]: r["complaints"] for r in s["responsibility"] if r["complaints"]
    } == by_who
    assert s["outcome"][0]["reopened"] == reopened
    assert {
        int(r["score"]): r["complaints"] for r in s["satisfaction"] if r["complaints"]
    } == scores
    assert [(r["client_id"], r["complaints"]) for r in s["repeat"]] == repeat
