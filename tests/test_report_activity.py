"""`report activity` (docs/reports.md#activity): a small scripted book counted by hand, the same
JSON on PostgreSQL, an independent SQL count on the generated book, charts, bad input."""

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, at

pytestmark = pytest.mark.usefixtures("migrated")

NOW = at("2026-11-20T09:00:00")
PERIOD = ("--since", "2026-11-02", "--until", "2026-11-15", "--by", "week")


def build(ok: Run, *db: str) -> None:
    """The book, each command at its own moment (cadences: A 7, B 14, C 90, E 21, F 180,
    F never visited 30)."""

    def run(when: str, *args: str) -> None:
        ok(*db, *args, env=at(when))

    run("2026-06-01T09:00:00", "add", "丁", "--grade", "F", "-q")  # 1
    run("2026-08-01T09:00:00", "add", "壬", "--grade", "F", "-q")  # 2
    run("2026-09-01T09:00:00", "add", "乙", "--grade", "F", "-q")  # 3
    run("2026-09-01T09:00:00", "add", "丙", "--grade", "F", "-q")  # 4
    run("2026-10-01T09:00:00", "add", "甲", "--grade", "A", "--tag", "vip", "-q")  # 5
    run("2026-10-01T09:00:00", "add", "己", "--grade", "B", "-q")  # 6
    run("2026-10-01T09:00:00", "add", "庚", "--grade", "C", "-q")  # 7
    run("2026-10-01T09:00:00", "add", "癸", "--grade", "F", "-q")  # 8
    run("2026-11-06T09:00:00", "add", "戊", "--grade", "F", "-q")  # 9
    run("2026-10-01T10:00:00", "grade", "丙", "E", "--reason", "看了资料")
    # Before the period.
    run("2026-07-01T10:00:00", "log", "丁", "--via", "visit")
    run("2026-09-01T10:00:00", "log", "壬", "--via", "email")
    run("2026-10-30T10:00:00", "log", "甲", "--via", "call")
    run("2026-11-01T10:00:00", "log", "己", "--via", "call")
    # Week 45 (Nov 2-8).
    run("2026-11-03T10:00:00", "log", "甲", "--via", "visit")
    run("2026-11-04T10:00:00", "log", "乙", "--via", "visit")
    run("2026-11-05T09:00:00", "grade", "乙", "E", "--reason", "见面了")
    run("2026-11-05T10:00:00", "log", "壬", "--via", "call")
    run("2026-11-06T10:00:00", "log", "己", "--via", "card", "--greeting")
    # Week 46 (Nov 9-15).
    run("2026-11-09T10:00:00", "log", "癸", "--via", "visit")
    run("2026-11-10T10:00:00", "log", "丙", "--via", "visit")
    run("2026-11-11T10:00:00", "log", "丁", "--via", "visit")
    run("2026-11-12T10:00:00", "log", "甲", "--via", "call")
    run("2026-11-12T11:00:00", "log", "庚", "--via", "call", "--greeting")
    run("2026-11-13T10:00:00", "log", "戊", "--via", "email")
    run("2026-11-14T10:00:00", "log", "戊", "--via", "visit")
    # Logged late, dated before 甲's last follow-up (11-12): its due date is not known.
    run("2026-11-13T12:00:00", "log", "甲", "--via", "call", "--at", "2026-11-02 15:00")
    # After the period.
    run("2026-11-17T10:00:00", "log", "乙", "--via", "call")
    run("2026-11-16T10:00:00", "archive", "癸")
    # Occasions and holidays.
    run("2026-10-01T10:00:00", "date", "add", "己", "birthday", "1980-11-07", "-q")
    run("2026-10-01T10:00:00", "date", "add", "癸", "birthday", "11-08", "-q")
    run("2026-10-01T10:00:00", "date", "add", "庚", "promotion", "2026-11-12", "-q")
    run("2026-10-01T10:00:00", "date", "add", "庚", "promotion", "2025-11-12", "-q")
    run("2026-10-01T10:00:00", "date", "add", "庚", "anniversary", "2027-11-10", "-q")
    run("2026-10-01T10:00:00", "holiday", "add", "2026-11-03", "VIP日", "--for", "tag:vip", "-q")
    run("2026-10-01T10:00:00", "holiday", "add", "2026-11-11", "双十一", "--for", "all", "-q")
    run("2026-10-01T10:00:00", "holiday", "add", "2026-11-20", "later", "--for", "all", "-q")


# Counted by hand (the period: weeks 45 and 46 of 2026):
#
# contacts   W45: visits 甲 11-03, 乙 11-04; remote 甲 call 11-02 (logged on 11-13), 壬 call,
#                 己 card (a greeting) -> visits 2, remote 3, contacts 5, follow-ups 4,
#                 greetings 1
#            W46: visits 癸 (archived since: its visit happened), 丙, 丁, 戊; remote 甲 call,
#                 庚 call (a greeting), 戊 email -> visits 4, remote 3, contacts 7,
#                 follow-ups 6, greetings 1
# first visits to F cards: W45 乙 (F then, E since) = 1; W46 癸, 戊 = 2; not 甲 (A), not 丙
#            (E at its first visit), not 丁 (visited in July)
# greetings due: W45 己's birthday 11-07 + the VIP day (1 card: 甲) = 2 (癸's birthday: archived);
#            W46 庚's promotion 2026-11-12 + 双十一 for all (8 live cards) = 9 (not 2025-11-12,
#            not the anniversary that starts in 2027)
# channels:  visit 6, call 4, card 1 (greeting), email 1; the rest 0
# follow-ups: each sales contact against the card's next follow-up day as it stood when it was
#            logged (cadences above; F never visited: 30), on time when made by the end of it:
#            the cards' due days before the period: 甲 added 10-01 -> 10-08, called 10-30 (late)
#            -> 11-06; 乙 added 09-01 -> 10-01; 壬 emailed 09-01 (due 08-31, late) -> 10-01;
#            丙 added 09-01, E on 10-01 -> 09-22; 丁 visited 07-01 -> +180 = 12-28;
#            癸 added 10-01 -> 10-31; 戊 added 11-06 -> 12-06
#            W45: 甲 visit 11-03 (due 11-06) on time -> 11-10; 乙 visit 11-04 (due 10-01) late;
#                 壬 call 11-05 (due 10-01) late; 甲 call "11-02" logged 11-13, before 甲's
#                 last follow-up of 11-12: not recorded -> on time 1, late 2
#            W46: 癸 11-09 (due 10-31) late; 丙 11-10 (09-22) late; 丁 11-11 (12-28) on time;
#                 甲 call 11-12 (due 11-10) late; 戊 email 11-13 (12-06) on time -> 12-13;
#                 戊 visit 11-14 (12-13) on time -> on time 3, late 3
#            the period: on time 4, late 5 (shares of 9), not recorded 1
#            still overdue on 11-20 (cards): 甲 (11-12 + 7 = 11-19), 己 (11-01 + 14 = 11-15) = 2
EXPECTED: dict[str, Any] = {
    "contacts": [
        {
            "bucket": "2026-W45",
            "first": "2026-11-02",
            "last": "2026-11-08",
            "visits": 2,
            "remote": 3,
            "contacts": 5,
            "followups": 4,
            "on_time": 1,
            "late": 2,
            "greetings": 1,
            "greetings_due": 2,
            "first_visits_f": 1,
        },
        {
            "bucket": "2026-W46",
            "first": "2026-11-09",
            "last": "2026-11-15",
            "visits": 4,
            "remote": 3,
            "contacts": 7,
            "followups": 6,
            "on_time": 3,
            "late": 3,
            "greetings": 1,
            "greetings_due": 9,
            "first_visits_f": 2,
        },
    ],
    "channels": [
        {"channel": "visit", "face_to_face": "yes", "contacts": 6, "share": 6 / 12, "greetings": 0},
        {"channel": "call", "face_to_face": "no", "contacts": 4, "share": 4 / 12, "greetings": 1},
        {"channel": "card", "face_to_face": "no", "contacts": 1, "share": 1 / 12, "greetings": 1},
        {"channel": "email", "face_to_face": "no", "contacts": 1, "share": 1 / 12, "greetings": 0},
        *(
            {"channel": c, "face_to_face": f, "contacts": 0, "share": 0.0, "greetings": 0}
            for c, f in [
                ("fax", "no"),
                ("gift", "no"),
                ("letter", "no"),
                ("meeting", "yes"),
                ("message", "no"),
                ("other", "no"),
                ("sms", "no"),
            ]
        ),
    ],
    "followups": [
        {"status": "on time", "count": 4, "share": 4 / 9},
        {"status": "late", "count": 5, "share": 5 / 9},
        {"status": "not recorded", "count": 1, "share": None},
        {"status": "still overdue", "count": 2, "share": None},
    ],
    "greetings": [
        {"occasions_due": 2, "holidays_due": 9, "due": 11, "sent": 2, "sent_share": 2 / 11}
    ],
}


def rounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shares to 4 places, as JSON writes them."""
    return [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def report(ok: Run, *args: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        ok(*args, "report", "activity", *PERIOD, "-f", "json", env=NOW).stdout
    )
    return result


def test_every_section_counted_by_hand(ok: Run) -> None:
    build(ok)
    got = report(ok)
    assert (got["report"], got["since"], got["until"], got["by"]) == (
        "activity",
        "2026-11-02",
        "2026-11-15",
        "week",
    )
    for name, rows in EXPECTED.items():
        assert rounded(got["sections"][name]) == rounded(rows), name


def test_postgresql_gives_the_same_json(ok: Run, postgres_url: str) -> None:
    build(ok)
    build(ok, "--db", postgres_url)
    assert report(ok, "--db", postgres_url) == report(ok)


def test_a_month_axis_and_csv(ok: Run) -> None:
    build(ok)
    got = json.loads(
        ok(
            "report",
            "activity",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--by",
            "month",
            "-f",
            "json",
            env=NOW,
        ).stdout
    )
    (month,) = got["sections"]["contacts"]
    # November: the period's 12 contacts, 己's call of 11-01 and 乙's of 11-17.
    assert (month["bucket"], month["contacts"], month["visits"]) == ("2026-11", 14, 6)
    out = ok("report", "activity", *PERIOD, "-f", "csv", "--section", "followups", env=NOW).stdout
    assert out.splitlines()[0] == "status,count,share"


@pytest.mark.parametrize("width", [80, 40])
def test_charts_fit_the_terminal(ok: Run, width: int) -> None:
    build(ok)
    out = ok("report", "activity", *PERIOD, env={**NOW, "COLUMNS": str(width)}).stdout
    from clientcard.output.agenda import cells

    assert all(cells(line) <= width for line in out.splitlines()), out
    if width == 80:
        # Numbers beside the bars: visits + remote per week.
        assert any(
            line.startswith("2026-W45") and line.endswith("2 + 3") for line in out.splitlines()
        )
        assert any(
            line.startswith("2026-W46") and line.endswith("4 + 3") for line in out.splitlines()
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-11-15", "--until", "2026-11-02"), "starts after it ends"),
        (("--by", "day"), "--by must be"),
        (("-f", "csv", "--section", "nope"), "has no section 'nope'"),
    ],
)
def test_bad_input_is_one_line(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli("report", "activity", *args)
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
            "activity",
            "--since",
            "2026-08-23",
            "--until",
            "2026-11-20",
            "--by",
            "month",
            "-f",
            "json",
            env=NOW,
        ).stdout
    )["sections"]
    # The period in UTC: Shanghai midnights, 8 hours ahead.
    start, end = "2026-08-22 16:00:00", "2026-11-20 16:00:00"
    with closing(sqlite3.connect(book)) as db:
        (contacts, visits, greetings) = db.execute(
            "SELECT count(*), sum(via IN ('visit', 'meeting')), sum(greeting)"
            " FROM contact WHERE at >= ? AND at < ?",
            (start, end),
        ).fetchone()
        firsts = db.execute(
            "SELECT count(*) FROM (SELECT client_id, min(at) AS first FROM contact"
            " WHERE via IN ('visit', 'meeting') GROUP BY client_id) AS f"
            " WHERE first >= ? AND first < ? AND (SELECT to_grade FROM grade_change AS g"
            "  WHERE g.client_id = f.client_id AND g.changed_at <= f.first"
            "  ORDER BY changed_at DESC, id DESC LIMIT 1) = 'F'",
            (start, end),
        ).fetchone()[0]
        overdue = db.execute(
            "SELECT count(*) FROM client WHERE archived_at IS NULL AND next_followup_on < ?",
            ("2026-11-20",),
        ).fetchone()[0]
        (on_time, late, unrecorded) = db.execute(
            "SELECT sum(at < due_by), sum(at >= due_by), sum(due_by IS NULL) FROM contact"
            " WHERE at >= ? AND at < ? AND NOT greeting",
            (start, end),
        ).fetchone()
    rows = got["contacts"]
    assert sum(r["contacts"] for r in rows) == contacts
    assert sum(r["visits"] for r in rows) == visits
    assert sum(r["greetings"] for r in rows) == greetings
    assert sum(r["first_visits_f"] for r in rows) == firsts
    assert sum(r["contacts"] for r in got["channels"]) == contacts
    status = {r["status"]: r["count"] for r in got["followups"]}
    assert status["still overdue"] == overdue
    assert (status["on time"], status["late"], status["not recorded"]) == (
        on_time,
        late,
        unrecorded,
    )
    assert (sum(r["on_time"] for r in rows), sum(r["late"] for r in rows)) == (on_time, late)
    assert on_time > 0
    assert late > 0
    assert contacts > 1000
    assert firsts > 0
