"""`report movement` (docs/reports.md#movement): the grade changes of a period, each grade's
cohort, and the grade-weighted forecast, counted by hand on a scripted book.

The period is October 2026 (`--since 2026-10-01 --until 2026-10-31 --by week`), the look-back 61
days (`--lookback 61`: 2026-09-01 to 2026-10-31). Moments are Shanghai's (every command at
10:00 local; a sale `--on` a day is at its midnight):

    card  added        grade changes                 sales
    Ann   08-01 C      09-10 C>B, 10-05 B>A          10-20 1,000.00 (first)
    Bob   08-01 B      10-12 B>D, 10-20 D>C          -
    Cai   08-15 E      -                             -
    Dan   10-03 F      10-26 F>E                     -
    Eve   07-01 A      10-08 A>B                     07-15 300.00
    Fay   08-01 B      archived 09-20                -
    Gus   09-15 D      11-05 D>B (after the period)  10-10 500.00
    Hal   10-30 C      -                             11-10 200.00
    Ivy   08-20 F      09-25 F>E, 10-15 E>C          11-02 400.00
    Jon   09-05 D      10-25 D>B                     -
    Kim   08-10 A      -                             09-05 800.00, 09-06 5,000.00

matrix (changes 10-01..10-31; the additions of Dan and Hal are not moves):
    A: to_B 1 (Eve)                    total 1
    B: to_A 1 (Ann), to_D 1 (Bob)      total 2
    D: to_C 1 (Bob), to_B 1 (Jon)      total 2
    E: to_C 1 (Ivy)                    total 1
    F: to_E 1 (Dan)                    total 1
    C: none                            total 0     -> 7 moves: 5 up, 2 down; 2 added

moves (ISO weeks cut to October):
    2026-W40 10-01..10-04  up 0 down 0 added 1 (Dan)
    2026-W41 10-05..10-11  up 1 (Ann)  down 1 (Eve)  added 0
    2026-W42 10-12..10-18  up 1 (Ivy)  down 1 (Bob)  added 0
    2026-W43 10-19..10-25  up 2 (Bob, Jon)  down 0   added 0
    2026-W44 10-26..10-31  up 1 (Dan)  down 0        added 1 (Hal)

grades (cohort: the grade held on 10-01 00:00, not archived then: Fay is out, Dan and Hal
did not exist; the grade on 11-01 00:00 against it; prospects: no sale before 10-01):
    A  Eve (A>B down), Kim (stayed)         2  up 0 down 1 stayed 1   prospects 0 (both sold
                                                                      before) -> conversion -
    B  Ann (B>A up), Bob (B>C down)         2  up 1 down 1 stayed 0   prospects 2, first
                                                                      sales 1 (Ann) -> 0.5
    C  -                                    0
    D  Gus (stayed: 11-05 is after), Jon    2  up 1 down 0 stayed 1   prospects 2, first
       (D>B up)                                                       sales 1 (Gus) -> 0.5
    E  Cai (stayed), Ivy (E>C up)           2  up 1 down 0 stayed 1   prospects 2, first
                                                                      sales 0 (Ivy's is
                                                                      11-02) -> 0.0
    F  -                                    0
    days to up (moves up in October, days since the card took the grade it left):
    B 25 (Ann 09-10..10-05); D 8 (Bob 10-12..10-20) and 50 (Jon 09-05..10-25): 29;
    E 20 (Ivy 09-25..10-15); F 23 (Dan 10-03..10-26); A, C: none

forecast (look-back base: prospects not archived on 09-01 00:00 by their grade then;
converted: first sale 09-01..10-31):
    A  Kim (converted 09-05)             base 1 converted 1 -> 1.0   (Eve: a customer)
    B  Bob, Fay (archived after 09-01)   base 2 converted 0 -> 0.0
    C  Ann (converted 10-20)             base 1 converted 1 -> 1.0
    D  -                                 base 0            -> -      (Gus, Jon: added later)
    E  Cai                               base 1 converted 0 -> 0.0
    F  Ivy (her sale is 11-02)           base 1 converted 0 -> 0.0
    prospects at the period's end (11-01 00:00): B Jon; C Bob, Hal, Ivy; E Cai, Dan -> 1, 3, 2
    median first sale of the look-back: Kim 800, Gus 500, Ann 1,000 -> 800.00
    Wilson 95% (z = 1.959964): 1 of 1 -> 0.2065..1; 0 of 2 -> 0..0.6576; 0 of 1 -> 0..0.7935
    B  1 x [0, 0, 0.65762] x 800   = 0.00, 0.00, 526.10
    C  3 x [0.20655, 1, 1] x 800   = 495.72, 2,400.00, 2,400.00
    E  2 x [0, 0, 0.79345] x 800   = 0.00, 0.00, 1,269.52
    A, F: no prospects: 0.00; D: no base: none
    all: prospects 6, base 6, converted 2 (1/3), 495.72, 2,400.00, 4,195.62
"""

import json
import math
import sqlite3
from pathlib import Path
from statistics import median
from typing import Any

import pytest

from clientcard.output.agenda import cells

pytestmark = pytest.mark.usefixtures("migrated")

PERIOD = ["--since", "2026-10-01", "--until", "2026-10-31", "--by", "week", "--lookback", "61"]


def seed(ok: Any, *db: str) -> None:
    def at(day: str, *args: str) -> None:
        ok(*db, *args, env={"CLIENTCARD_NOW": f"2026-{day}T10:00:00"})

    def regrade(day: str, name: str, grade: str) -> None:
        at(day, "grade", name, grade, "--reason", "scripted")

    def sale(name: str, amount: str, day: str) -> None:
        ok(*db, "sale", name, amount, "--on", f"2026-{day}", "--no-contact", "--no-thanks")

    at("07-01", "add", "Eve", "--grade", "A")
    at("08-01", "add", "Ann", "--grade", "C")
    at("08-01", "add", "Bob", "--grade", "B")
    at("08-01", "add", "Fay", "--grade", "B")
    at("08-10", "add", "Kim", "--grade", "A")
    at("08-15", "add", "Cai", "--grade", "E")
    at("08-20", "add", "Ivy", "--grade", "F")
    at("09-05", "add", "Jon", "--grade", "D")
    at("09-15", "add", "Gus", "--grade", "D")
    at("09-20", "archive", "Fay")
    regrade("09-10", "Ann", "B")
    regrade("09-25", "Ivy", "E")
    at("10-03", "add", "Dan", "--grade", "F")
    regrade("10-05", "Ann", "A")
    regrade("10-08", "Eve", "B")
    regrade("10-12", "Bob", "D")
    regrade("10-15", "Ivy", "C")
    regrade("10-20", "Bob", "C")
    regrade("10-25", "Jon", "B")
    regrade("10-26", "Dan", "E")
    at("10-30", "add", "Hal", "--grade", "C")
    regrade("11-05", "Gus", "B")
    sale("Eve", "300", "07-15")
    sale("Kim", "800", "09-05")
    sale("Kim", "5000", "09-06")
    sale("Gus", "500", "10-10")
    sale("Ann", "1000", "10-20")
    sale("Ivy", "400", "11-02")
    sale("Hal", "200", "11-10")


def movement(ok: Any, *args: str, db: tuple[str, ...] = ()) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok(*db, "report", "movement", *args, "-f", "json").stdout)
    return found


def records(keys: list[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row, strict=True)) for row in rows]


MATRIX_KEYS = ["from", "to_A", "to_B", "to_C", "to_D", "to_E", "to_F", "total"]
MATRIX = [
    ("A", 0, 1, 0, 0, 0, 0, 1),
    ("B", 1, 0, 0, 1, 0, 0, 2),
    ("C", 0, 0, 0, 0, 0, 0, 0),
    ("D", 0, 1, 1, 0, 0, 0, 2),
    ("E", 0, 0, 1, 0, 0, 0, 1),
    ("F", 0, 0, 0, 0, 1, 0, 1),
]
MOVES_KEYS = ["bucket", "first", "last", "up", "down", "added"]
MOVES = [
    ("2026-W40", "2026-10-01", "2026-10-04", 0, 0, 1),
    ("2026-W41", "2026-10-05", "2026-10-11", 1, 1, 0),
    ("2026-W42", "2026-10-12", "2026-10-18", 1, 1, 0),
    ("2026-W43", "2026-10-19", "2026-10-25", 2, 0, 0),
    ("2026-W44", "2026-10-26", "2026-10-31", 1, 0, 1),
]
GRADES_KEYS = [
    "grade",
    "cards",
    "up",
    "down",
    "stayed",
    "up_share",
    "down_share",
    "stayed_share",
    "median_days_to_up",
    "prospects",
    "first_sales",
    "conversion",
]
GRADES = [
    ("A", 2, 0, 1, 1, 0.0, 0.5, 0.5, None, 0, 0, None),
    ("B", 2, 1, 1, 0, 0.5, 0.5, 0.0, 25.0, 2, 1, 0.5),
    ("C", 0, 0, 0, 0, None, None, None, None, 0, 0, None),
    ("D", 2, 1, 0, 1, 0.5, 0.0, 0.5, 29.0, 2, 1, 0.5),
    ("E", 2, 1, 0, 1, 0.5, 0.0, 0.5, 20.0, 2, 0, 0.0),
    ("F", 0, 0, 0, 0, None, None, None, 23.0, 0, 0, None),
]
FORECAST_KEYS = [
    "grade",
    "prospects",
    "base",
    "converted",
    "conversion",
    "conversion_low",
    "conversion_high",
    "first_sale_median",
    "low",
    "expected",
    "high",
]
M = "800.00"
FORECAST = [
    ("A", 0, 1, 1, 1.0, 0.2065, 1.0, M, "0.00", "0.00", "0.00"),
    ("B", 1, 2, 0, 0.0, 0.0, 0.6576, M, "0.00", "0.00", "526.10"),
    ("C", 3, 1, 1, 1.0, 0.2065, 1.0, M, "495.72", "2400.00", "2400.00"),
    ("D", 0, 0, 0, None, None, None, M, None, None, None),
    ("E", 2, 1, 0, 0.0, 0.0, 0.7935, M, "0.00", "0.00", "1269.52"),
    ("F", 0, 1, 0, 0.0, 0.0, 0.7935, M, "0.00", "0.00", "0.00"),
    ("all", 6, 6, 2, 0.3333, None, None, M, "495.72", "2400.00", "4195.62"),
]


def test_the_movement_counted_by_hand(ok: Any) -> None:
    seed(ok)
    report = movement(ok, *PERIOD)
    assert report["report"] == "movement"
    assert (report["since"], report["until"], report["by"]) == ("2026-10-01", "2026-10-31", "week")
    assert list(report["sections"]) == ["matrix", "moves", "grades", "forecast"]
    sections = report["sections"]
    assert sections["matrix"] == records(MATRIX_KEYS, MATRIX)
    assert sections["moves"] == records(MOVES_KEYS, MOVES)
    assert sections["grades"] == records(GRADES_KEYS, GRADES)
    assert sections["forecast"] == records(FORECAST_KEYS, FORECAST)


def test_the_wilson_interval_is_the_documented_formula() -> None:
    from clientcard.services.reports.movement import wilson

    def by_hand(x: int, n: int) -> tuple[float, float]:
        z = 1.959964
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return max(0.0, centre - half), min(1.0, centre + half)

    for x, n in [(0, 1), (1, 1), (0, 2), (3, 10), (50, 100), (99, 100)]:
        assert wilson(x, n) == pytest.approx(by_hand(x, n))
    assert wilson(0, 0) is None
    # 30 of 100: the textbook interval 0.219..0.396.
    low, high = wilson(30, 100) or (0, 0)
    assert (round(low, 3), round(high, 3)) == (0.219, 0.396)


def test_by_month_and_the_default_period(ok: Any) -> None:
    seed(ok)
    months = movement(ok, "--since", "2026-09-01", "--until", "2026-10-31", "--by", "month")
    # September: Ann C>B and Ivy F>E up; Jon and Gus added. October as above.
    assert months["sections"]["moves"] == records(
        MOVES_KEYS,
        [
            ("2026-09", "2026-09-01", "2026-09-30", 2, 0, 2),
            ("2026-10", "2026-10-01", "2026-10-31", 5, 2, 2),
        ],
    )
    # The default: the last 90 days (2026-08-23..2026-11-20), by week; Gus's D>B of 11-05 is in.
    default = movement(ok)
    assert (default["since"], default["until"], default["by"]) == (
        "2026-08-23",
        "2026-11-20",
        "week",
    )
    matrix = {row["from"]: row for row in default["sections"]["matrix"]}
    assert matrix["D"]["to_B"] == 2
    assert sum(row["total"] for row in matrix.values()) == 10


def test_csv_writes_the_matrix_first(ok: Any) -> None:
    seed(ok)
    out = ok("report", "movement", *PERIOD, "-f", "csv").stdout.splitlines()
    assert out[0] == ",".join(MATRIX_KEYS)
    assert out[2] == "B,1,0,0,1,0,0,2"
    out = ok("report", "movement", *PERIOD, "-f", "csv", "--section", "forecast").stdout
    lines = out.splitlines()
    assert lines[0] == ",".join(FORECAST_KEYS)
    assert lines[4] == "D,0,0,0,,,,800.00,,,"
    assert lines[-1] == "all,6,6,2,0.3333,,,800.00,495.72,2400.00,4195.62"


def test_the_charts_read_at_80_columns(ok: Any) -> None:
    seed(ok)
    page = ok("report", "movement", *PERIOD, env={"COLUMNS": "80"}).stdout
    lines = page.splitlines()
    assert all(cells(line) <= 80 for line in lines), page
    assert lines[0].startswith("Movement: the ladder over the period — 2026-10-01 to 2026-10-31")
    # The moves: a bar per week with its numbers beside it.
    week = next(line for line in lines if line.startswith("2026-W43 ") and "+" in line)
    assert week.endswith("2 + 0")
    # Each grade's cohort: the shares up + down + stayed beside a bar of 100%.
    assert next(line for line in lines if line.startswith("B ") and "+" in line).endswith(
        "50% + 50% + 0%"
    )
    # The forecast: a range per grade, its numbers beside it, the whole book's last.
    ranges = [line for line in lines if " to " in line and "█" in line]
    assert ranges[-1].startswith("all ")
    assert ranges[-1].endswith("495.72 to 4,195.62")
    assert "An estimate from the book's own history, not a promise." in page
    assert "(CNY)" in page


def test_a_narrow_terminal_keeps_every_section(ok: Any) -> None:
    seed(ok)
    page = ok("report", "movement", *PERIOD, env={"COLUMNS": "40"}).stdout
    assert all(cells(line) <= 40 for line in page.splitlines()), page
    for title in ("Grade changes", "Moves up and down", "Each grade", "Grade-weighted"):
        assert title in page
    assert "█" in page


def test_an_empty_book(ok: Any) -> None:
    report = movement(ok)
    sections = report["sections"]
    assert all(row["total"] == 0 for row in sections["matrix"])
    assert all(row["up"] == row["down"] == row["added"] == 0 for row in sections["moves"])
    assert [row["cards"] for row in sections["grades"]] == [0] * 6
    assert sections["forecast"][-1] == dict(
        zip(FORECAST_KEYS, ("all", 0, 0, 0, None, None, None, None, None, None, None), strict=True)
    )
    page = ok("report", "movement").stdout
    assert "not a promise" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-01", "--until", "2026-10-01"], "starts after it ends"),
        (["--by", "year"], "--by must be week, month"),
        (["-f", "csv", "--section", "nope"], "has no section 'nope'"),
        (["--lookback", "0"], "--lookback must be 1 to 3660 days"),
        (["--lookback", "9999"], "--lookback must be 1 to 3660 days"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("report", "movement", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_postgresql_gives_the_same_report(ok: Any, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    pg = ("--db", postgres_url)
    assert movement(ok, *PERIOD, db=pg) == movement(ok, *PERIOD)
    assert movement(ok, db=pg) == movement(ok)


# The default period at the pinned clock (2026-11-20 in Shanghai): 2026-08-23..2026-11-20, as
# UTC text the way SQLite stores times; the look-back 2025-11-21..2026-11-20.
START, END, LOOKBACK = (
    "2026-08-22 16:00:00.000000",
    "2026-11-20 16:00:00.000000",
    "2025-11-20 16:00:00.000000",
)


def test_independent_sql_count_on_a_realistic_book(ok: Any, generated_copy: Path) -> None:
    """The grade a card held at a moment counted another way: the `to` of its newest change
    before it, one card at a time."""
    book = generated_copy
    report = movement(ok, db=("--db", str(book)))["sections"]
    at = (
        "(SELECT g.to_grade FROM grade_change AS g WHERE g.client_id = client.id"
        " AND g.changed_at < ? ORDER BY g.changed_at DESC, g.id DESC LIMIT 1)"
    )
    with sqlite3.connect(book) as conn:
        matrix = {
            (f, t): n
            for f, t, n in conn.execute(
                "SELECT from_grade, to_grade, count(*) FROM grade_change WHERE changed_at >= ?"
                " AND changed_at < ? AND from_grade IS NOT NULL GROUP BY 1, 2",
                (START, END),
            )
        }
        cards = conn.execute(
            f"SELECT id, {at}, {at}, {at}, archived_at, first_sale_at FROM client",
            (START, END, LOOKBACK),
        ).fetchall()
        firsts = [
            amount
            for (amount,) in conn.execute(
                "SELECT (SELECT amount_minor FROM sale WHERE client_id = client.id"
                " ORDER BY sold_at, id LIMIT 1) FROM client"
                " WHERE first_sale_at >= ? AND first_sale_at < ?",
                (LOOKBACK, END),
            )
        ]
    got = {(row["from"], t): row[f"to_{t}"] for row in report["matrix"] for t in "ABCDEF"}
    assert {k: v for k, v in got.items() if v} == matrix
    assert sum(matrix.values()) > 50

    def live(archived: str | None, moment: str) -> bool:
        return archived is None or archived >= moment

    def prospect(first: str | None, moment: str) -> bool:
        return first is None or first >= moment

    grades = {row["grade"]: row for row in report["grades"]}
    forecast = {row["grade"]: row for row in report["forecast"]}
    for g in "ABCDEF":
        cohort = [c for c in cards if c[1] == g and live(c[4], START)]
        assert grades[g]["cards"] == len(cohort), g
        assert grades[g]["up"] == sum(1 for c in cohort if c[2] < g), g
        assert grades[g]["down"] == sum(1 for c in cohort if c[2] > g), g
        assert grades[g]["prospects"] == sum(1 for c in cohort if prospect(c[5], START)), g
        assert grades[g]["first_sales"] == sum(
            1 for c in cohort if c[5] is not None and START <= c[5] < END
        ), g
        base = [c for c in cards if c[3] == g and live(c[4], LOOKBACK) and prospect(c[5], LOOKBACK)]
        assert forecast[g]["base"] == len(base), g
        assert forecast[g]["converted"] == sum(1 for c in base if c[5] is not None and c[5] < END)
        assert forecast[g]["prospects"] == sum(
            1 for c in cards if c[2] == g and live(c[4], END) and prospect(c[5], END)
        ), g
    assert sum(row["cards"] for row in report["grades"]) > 500
    assert sum(row["base"] for row in report["forecast"][:-1]) > 100
    typical = round(median(firsts))
    assert forecast["all"]["first_sale_median"] == f"{typical // 100}.{typical % 100:02d}"


def test_a_book_younger_than_the_look_back_has_no_estimate(ok: Any) -> None:
    # Ben (a customer) added 08-01, Amy (a prospect, B) 11-10: no card existed at the default
    # look-back's start (2025-11-21), so no grade has a base. The forecast's `all` row has no
    # estimate either (not 0.00), and the notes count in the singular where they count one.
    ok("add", "Ben", "--grade", "A", env={"CLIENTCARD_NOW": "2026-08-01T10:00:00"})
    ok("add", "Amy", "--grade", "B", env={"CLIENTCARD_NOW": "2026-11-10T10:00:00"})
    ok("sale", "Ben", "700", "--on", "2026-11-12", "--no-contact", "--no-thanks")
    forecast = movement(ok)["sections"]["forecast"]
    assert forecast[-1] == dict(
        zip(
            FORECAST_KEYS,
            ("all", 1, 0, 0, None, None, None, "700.00", None, None, None),
            strict=True,
        )
    )
    assert all(row["base"] == 0 and row["expected"] is None for row in forecast)
    page = ok("report", "movement", env={"COLUMNS": "200"}).stdout
    assert "0 regrades in the period, 0 up (towards A) and 0 down; 1 card added" in page
    assert "(1 first sale)." in page
    assert "(365 days)" in page
    assert "No base for grade B: left out of the estimate (no prospect held it" in page
    assert "a shorter --lookback measures one" in page
    all_row = next(
        line for line in page.splitlines() if line.startswith("all ") and "700.00" in line
    )
    assert all_row.split()[-3:] == ["-", "-", "-"], all_row


def test_a_look_back_shorter_than_the_period(ok: Any) -> None:
    # --lookback 10: 10-22..10-31, starting after the period's start (10-01). The grades on
    # 10-22 00:00 of the live prospects then: Bob C (10-20 D>C), Ivy C (10-15; her sale is
    # 11-02), Jon D (until 10-25), Cai E, Dan F (until 10-26); Ann A and Gus D have sold, Eve
    # and Kim are customers, Fay is archived, Hal is not added yet. No first sale falls in
    # 10-22..10-31 (Ann's is 10-20, Ivy's 11-02): nothing converted, no median, no estimate.
    seed(ok)
    args = [*PERIOD[:-1], "10"]
    report = movement(ok, *args)
    forecast = {row["grade"]: row for row in report["sections"]["forecast"]}
    assert [forecast[g]["base"] for g in "ABCDEF"] == [0, 0, 2, 1, 1, 1]
    assert [forecast[g]["converted"] for g in "ABCDEF"] == [0] * 6
    assert forecast["all"]["base"] == 5
    assert all(row["expected"] is None for row in forecast.values())
    # The period's own sections do not depend on the look-back.
    assert report["sections"]["grades"] == records(GRADES_KEYS, GRADES)
