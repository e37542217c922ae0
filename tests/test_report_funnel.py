"""`report funnel` (docs/reports.md#funnel), and what every report shares: the period, the time
axis, the formats, the charts at 80 columns, bad input.

The scripted book (now: Friday 2026-11-20 09:00 in Shanghai; the default period is 2026-08-23
to 2026-11-20) and its funnel, counted by hand:

    #1 张伟    A  added 2026-11-01 (in the period)  sale 10,000.00 on 2026-06-01
    #2 Li Na   B  added 2026-01-10                  sales 5,000.00 on 2025-06-01 (over a
                                                    year ago) and 2,000.50 on 2026-10-01
    #3 王芳    F  added 2026-09-01, visited         -> F-slow
    #4 Zhao    F  added 2026-11-20, never visited   -> F-new
    #5 Gone    F  archived                          -> not on the ladder
    #6 Edu Co  E  added 2026-05-01

    grade   cards share customers prospects added 12-month  lifetime (x20)
    A       1     0.2   1         0         1     10000.00  200000.00
    B       1     0.2   1         0         0      2000.50   40010.00
    C, D    0     0     0         0         0         0.00       0.00
    E       1     0.2   0         1         0         0.00       0.00
    F-slow  1     0.2   0         1         1         0.00       0.00
    F-new   1     0.2   0         1         1         0.00       0.00
    customers: 2 cards (0.4), 12000.50, 240010.00; prospects: 3 (0.6), 0.00, 0.00
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clientcard.output.agenda import cells

pytestmark = pytest.mark.usefixtures("migrated")

A_DAY = {
    "2026-11-01": "2026-11-01T10:00:00",
    "2026-01-10": "2026-01-10T10:00:00",
    "2026-09-01": "2026-09-01T10:00:00",
    "2026-05-01": "2026-05-01T10:00:00",
}


def seed(ok: Any, *db: str) -> None:
    def at(day: str, *args: str) -> None:
        ok(*db, *args, env={"CLIENTCARD_NOW": A_DAY[day]})

    at("2026-11-01", "add", "张伟", "--grade", "A")
    at("2026-01-10", "add", "Li Na", "--grade", "B")
    at("2026-09-01", "add", "王芳")
    ok(*db, "add", "Zhao")
    ok(*db, "add", "Gone")
    at("2026-05-01", "add", "Edu Co", "--grade", "E")
    ok(*db, "sale", "张伟", "10000", "--on", "2026-06-01", "--no-contact", "--no-thanks")
    ok(*db, "sale", "Li Na", "5000", "--on", "2025-06-01", "--no-contact", "--no-thanks")
    ok(*db, "sale", "Li Na", "2000.50", "--on", "2026-10-01", "--no-contact", "--no-thanks")
    ok(*db, "log", "王芳", "--via", "visit", "--at", "2026-11-02 10:00")
    ok(*db, "archive", "Gone")


def funnel(ok: Any, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok(*args, "report", "funnel", "-f", "json").stdout)
    return found


GRADES = [
    # grade, cards, share, customers, prospects, added, 12-month, lifetime
    ("A", 1, 0.2, 1, 0, 1, "10000.00", "200000.00"),
    ("B", 1, 0.2, 1, 0, 0, "2000.50", "40010.00"),
    ("C", 0, 0.0, 0, 0, 0, "0.00", "0.00"),
    ("D", 0, 0.0, 0, 0, 0, "0.00", "0.00"),
    ("E", 1, 0.2, 0, 1, 0, "0.00", "0.00"),
    ("F-slow", 1, 0.2, 0, 1, 1, "0.00", "0.00"),
    ("F-new", 1, 0.2, 0, 1, 1, "0.00", "0.00"),
]
KEYS = [
    "grade",
    "cards",
    "share",
    "customers",
    "prospects",
    "added",
    "purchases_12m",
    "lifetime_value",
]


def test_the_funnel_counted_by_hand(ok: Any) -> None:
    seed(ok)
    report = funnel(ok)
    assert report["report"] == "funnel"
    assert (report["since"], report["until"], report["by"]) == ("2026-08-23", "2026-11-20", None)
    assert report["currency"] == "CNY"
    assert list(report["sections"]) == ["grades", "customers"]
    assert report["sections"]["grades"] == [dict(zip(KEYS, row, strict=True)) for row in GRADES]
    assert report["sections"]["customers"] == [
        {
            "kind": "customers",
            "cards": 2,
            "share": 0.4,
            "purchases_12m": "12000.50",
            "lifetime_value": "240010.00",
        },
        {
            "kind": "prospects",
            "cards": 3,
            "share": 0.6,
            "purchases_12m": "0.00",
            "lifetime_value": "0.00",
        },
    ]


def test_the_period_chooses_the_cards_added(ok: Any) -> None:
    seed(ok)
    report = json.loads(
        ok(
            "report", "funnel", "--since", "2026-01-01", "--until", "2026-10-31", "-f", "json"
        ).stdout
    )
    got = {row["grade"]: row["added"] for row in report["sections"]["grades"]}
    # Li Na (B, 01-10), 王芳 (F-slow, 09-01), Edu Co (E, 05-01); not 张伟 (11-01) nor Zhao.
    assert got == {"A": 0, "B": 1, "C": 0, "D": 0, "E": 1, "F-slow": 1, "F-new": 0}
    assert (report["since"], report["until"]) == ("2026-01-01", "2026-10-31")


def test_the_value_multiplier_setting_makes_the_lifetime_value(ok: Any) -> None:
    seed(ok)
    ok("config", "set", "--book", "value_multiplier", "10")
    rows = funnel(ok)["sections"]["grades"]
    assert rows[0]["lifetime_value"] == "100000.00"


def test_csv_and_tsv_write_one_section(ok: Any) -> None:
    seed(ok)
    out = ok("report", "funnel", "-f", "csv").stdout.splitlines()
    assert out[0] == ",".join(KEYS)
    assert out[1] == "A,1,0.2,1,0,1,10000.00,200000.00"
    assert len(out) == 8
    out = ok("report", "funnel", "-f", "tsv", "--section", "customers").stdout.splitlines()
    assert out == [
        "kind\tcards\tshare\tpurchases_12m\tlifetime_value",
        "customers\t2\t0.4\t12000.50\t240010.00",
        "prospects\t3\t0.6\t0.00\t0.00",
    ]


def test_the_table_reads_at_80_columns_with_a_number_beside_every_bar(ok: Any) -> None:
    seed(ok)
    page = ok("report", "funnel", env={"COLUMNS": "80"}).stdout
    lines = page.splitlines()
    assert all(cells(line) <= 80 for line in lines), page
    assert lines[0] == "Funnel: the ladder now — 2026-08-23 to 2026-11-20 (90 days)"
    bars = [line for line in lines if "█" in line]
    # Five steps with cards (A, B, E, F-slow, F-new), then customers and prospects.
    assert len(bars) == 7
    assert all(line.rstrip()[-1].isdigit() for line in bars)
    assert bars[0].startswith("A ")
    assert bars[0].endswith(" 1")
    assert "C       " in page
    assert "D       " in page
    assert "12-month value (CNY)" in page


def test_a_narrow_terminal_keeps_the_chart_and_drops_spare_columns(ok: Any) -> None:
    seed(ok)
    page = ok("report", "funnel", env={"COLUMNS": "40"}).stdout
    assert all(cells(line) <= 40 for line in page.splitlines()), page
    assert "F-new" in page
    assert "█" in page


def test_an_empty_book_has_an_empty_ladder(ok: Any) -> None:
    report = funnel(ok)
    assert [row["cards"] for row in report["sections"]["grades"]] == [0] * 7
    assert report["sections"]["grades"][0]["share"] is None
    page = ok("report", "funnel").stdout
    assert "0 live cards" in page


def test_user_text_in_a_chart_or_table_is_escaped() -> None:
    from clientcard.domain.reports import Chart, ChartKind, Col, Kind, Section
    from clientcard.output.reports import chart_lines, people_value

    section = Section(
        "top",
        "Top",
        (Col("name", "Name", Kind.text), Col("n", "N")),
        (("\x1b[31m张伟\u202e", 3), ("[bold]x", 1)),
        Chart(ChartKind.bars, "name", ("n",)),
    )
    lines = chart_lines(section, 40)
    assert not any("\x1b" in line or "\u202e" in line for line in lines)
    assert lines[0].startswith("\\x1b[31m张伟\\u202e")
    assert lines[1].startswith("[bold]x")
    assert people_value(Col("name", "Name", Kind.text), "a\nb") == "a\\nb"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-01", "--until", "2026-10-01"], "starts after it ends"),
        (["--since", "someday"], "cannot read 'someday' as a date"),
        (["-f", "csv", "--section", "nope"], "has no section 'nope'"),
        (["-f", "json", "--section", "grades"], "--section chooses what csv and tsv write"),
        (["--since", "2000-01-01"], "at most 3660 days"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("report", "funnel", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_postgresql_gives_the_same_report(ok: Any, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    assert funnel(ok, "--db", postgres_url) == funnel(ok)


def test_independent_sql_count_on_a_realistic_book(ok: Any, generated_copy: Path) -> None:
    book = generated_copy
    report = funnel(ok, "--db", str(book))
    with sqlite3.connect(book) as conn:
        expected = dict(
            conn.execute(
                "SELECT CASE WHEN grade <> 'F' THEN grade"
                " WHEN last_visit_at IS NULL THEN 'F-new' ELSE 'F-slow' END, count(*)"
                " FROM client WHERE archived_at IS NULL GROUP BY 1"
            ).fetchall()
        )
        customers = conn.execute(
            "SELECT count(*) FROM client WHERE archived_at IS NULL AND"
            " id IN (SELECT client_id FROM sale)"
        ).fetchone()[0]
        (recent,) = conn.execute(
            "SELECT sum(amount_minor) FROM sale JOIN client ON client.id = sale.client_id"
            " WHERE client.archived_at IS NULL AND sold_at > '2025-11-20 01:00:00'"
        ).fetchone()
    got = {row["grade"]: row["cards"] for row in report["sections"]["grades"]}
    assert got == {step: expected.get(step, 0) for step in got}
    assert sum(got.values()) > 900
    kinds = {row["kind"]: row for row in report["sections"]["customers"]}
    assert kinds["customers"]["cards"] == customers
    assert kinds["customers"]["purchases_12m"] == f"{recent // 100}.{recent % 100:02d}"
