"""`report customers` (docs/reports.md#customers): the leaky funnel, repeat orders, loyalty
beside satisfaction, the top clients.

The scripted book (now: Friday 2026-11-20 09:00 in Shanghai), its sales (`--no-contact`
unless said) and touches, counted by hand for the period 2026-07-01 .. 2026-11-20 by month,
lost after 365 days, repeat within 365 days:

    #1 Amy  B  sales 2025-08-10, 2025-09-15            touch 2025-09-15 -> lost 2026-09-15
    #2 Bo   F  sale 2025-07-20, a call 2026-02-01       touch 2026-02-01 -> lost 2027-02-01
    #3 Cai  A  sales 2025-10-05, 2026-10-06 3,000.00    (366 days: not a repeat)
    #4 Dee  C  sales 2026-08-15 1,000.00, 2026-09-01 1,500.50   (new in August)
    #5 Eve  F  sale 2026-11-02 9,999.00, then archived  (new in November; not in the top)
    #6 Fay  F  sale 2025-06-01                          touch -> lost 2026-06-01, before
    #7 Gus  A  sales 2025-11-10, 2026-11-10 3,000.00 (each logs a meeting): day 365, a repeat
    #8 Hal  F  sale 2025-10-20, a call 2025-10-25       touch -> lost 2026-10-25
    #9 Ivy  F  no sale (a prospect: in no count)

    Active at the start of 2026-07 (a first sale before, a touch after 2025-07-01):
    Amy, Bo, Cai, Gus, Hal = 5.
    bucket   start new lost net end
    2026-07    5    0    0    0   5
    2026-08    5    1    0    1   6    Dee
    2026-09    6    0    1   -1   5    Amy lost
    2026-10    5    0    1   -1   4    Hal lost
    2026-11    4    1    0    1   5    Eve (archived cards count)

    Repeat: each bucket holds the customers whose 365-day window closed in it (by yesterday):
    bucket   first sales from .. to     customers repeat rate
    2026-07  2025-07-01 .. 2025-07-31   1 (Bo)     0     0.0
    2026-08  2025-08-01 .. 2025-08-31   1 (Amy)    1     1.0
    2026-09  2025-09-01 .. 2025-09-30   0          0     null
    2026-10  2025-10-01 .. 2025-10-31   2 (Cai, Hal) 0   0.0
    2026-11  2025-11-01 .. 2025-11-19   1 (Gus)    1     1.0
    total    2025-07-01 .. 2025-11-19   5          2     0.4

    Ratings (live cards): Amy L5 S5, Bo L2 S4, Cai L1 S5, Dee S3, Hal L4; Eve L4 S4 archived.
    score loyalty satisfaction: 5: 1 2; 4: 1 1; 3: 0 1; 2: 1 0; 1: 1 0.
    Rated: loyalty 4 (mean 12/4 = 3.0), satisfaction 4 (mean 17/4 = 4.25), both 3 (Amy, Bo,
    Cai); satisfied (4-5) but not loyal (1-2): Bo, Cai = 2, 2/3 = 0.6667.

    Top by 12-month value (sold after 2025-11-20 09:00; live cards; 8,500.50 in all):
    1 #3 Cai A 1 sale 3,000.00 0.3529 lifetime 60,000.00
    2 #7 Gus A 1 sale 3,000.00 0.3529 lifetime 60,000.00   (a tie: the lower id first)
    3 #4 Dee C 2 sales 2,500.50 0.2942 lifetime 50,010.00
"""

import json
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clientcard.output.agenda import cells

pytestmark = pytest.mark.usefixtures("migrated")

PERIOD = ["--since", "2026-07-01", "--until", "2026-11-20"]
QUIET = ["--no-contact", "--no-thanks"]


def seed(ok: Any, *db: str) -> None:
    def run(*args: str) -> None:
        ok(*db, *args)

    for name, grade in [
        ("Amy", "B"),
        ("Bo", "F"),
        ("Cai", "A"),
        ("Dee", "C"),
        ("Eve", "F"),
        ("Fay", "F"),
        ("Gus", "A"),
        ("Hal", "F"),
        ("Ivy", "F"),
    ]:
        run("add", name, "--grade", grade)
    run("sale", "Amy", "100", "--on", "2025-08-10", *QUIET)
    run("sale", "Amy", "200", "--on", "2025-09-15", *QUIET)
    run("sale", "Bo", "50", "--on", "2025-07-20", *QUIET)
    run("log", "Bo", "--via", "call", "--at", "2026-02-01 10:00")
    run("sale", "Cai", "700", "--on", "2025-10-05", *QUIET)
    run("sale", "Cai", "3000", "--on", "2026-10-06", *QUIET)
    run("sale", "Dee", "1000", "--on", "2026-08-15", *QUIET)
    run("sale", "Dee", "1500.50", "--on", "2026-09-01", *QUIET)
    run("sale", "Eve", "9999", "--on", "2026-11-02", *QUIET)
    run("sale", "Fay", "80", "--on", "2025-06-01", *QUIET)
    run("sale", "Gus", "400", "--on", "2025-11-10", "--no-thanks")
    run("sale", "Gus", "3000", "--on", "2026-11-10", "--no-thanks")
    run("sale", "Hal", "90", "--on", "2025-10-20", *QUIET)
    run("log", "Hal", "--via", "call", "--at", "2025-10-25 10:00")
    run("rate", "Amy", "--loyalty", "5", "--satisfaction", "5")
    run("rate", "Bo", "--loyalty", "2", "--satisfaction", "4")
    run("rate", "Cai", "--loyalty", "1", "--satisfaction", "5")
    run("rate", "Dee", "--satisfaction", "3")
    run("rate", "Hal", "--loyalty", "4")
    run("rate", "Eve", "--loyalty", "4", "--satisfaction", "4")
    run("archive", "Eve")


def report(ok: Any, *args: str, db: str | None = None) -> dict[str, Any]:
    where = ["--db", db] if db else []
    found: dict[str, Any] = json.loads(
        ok(*where, "report", "customers", *args, "-f", "json").stdout
    )
    return found


def table(keys: str, *rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    names = keys.split()
    return [dict(zip(names, row, strict=True)) for row in rows]


FUNNEL = table(
    "bucket first last active_start new lost net active_end",
    ("2026-07", "2026-07-01", "2026-07-31", 5, 0, 0, 0, 5),
    ("2026-08", "2026-08-01", "2026-08-31", 5, 1, 0, 1, 6),
    ("2026-09", "2026-09-01", "2026-09-30", 6, 0, 1, -1, 5),
    ("2026-10", "2026-10-01", "2026-10-31", 5, 0, 1, -1, 4),
    ("2026-11", "2026-11-01", "2026-11-20", 4, 1, 0, 1, 5),
)
REPEAT = table(
    "bucket first_sales_from first_sales_to customers repeat rate",
    ("2026-07", "2025-07-01", "2025-07-31", 1, 0, 0.0),
    ("2026-08", "2025-08-01", "2025-08-31", 1, 1, 1.0),
    ("2026-09", "2025-09-01", "2025-09-30", 0, 0, None),
    ("2026-10", "2025-10-01", "2025-10-31", 2, 0, 0.0),
    ("2026-11", "2025-11-01", "2025-11-19", 1, 1, 1.0),
    ("total", "2025-07-01", "2025-11-19", 5, 2, 0.4),
)
RATINGS = table("score loyalty satisfaction", (5, 1, 2), (4, 1, 1), (3, 0, 1), (2, 1, 0), (1, 1, 0))
RATED = table(
    "rated_loyalty rated_satisfaction mean_loyalty mean_satisfaction rated_both "
    "satisfied_not_loyal satisfied_not_loyal_share",
    (4, 4, 3.0, 4.25, 3, 2, 0.6667),
)
TOP = table(
    "rank id name company grade sales_12m purchases_12m share lifetime_value",
    (1, 3, "Cai", None, "A", 1, "3000.00", 0.3529, "60000.00"),
    (2, 7, "Gus", None, "A", 1, "3000.00", 0.3529, "60000.00"),
    (3, 4, "Dee", None, "C", 2, "2500.50", 0.2942, "50010.00"),
)


def test_the_report_counted_by_hand(ok: Any) -> None:
    seed(ok)
    got = report(ok, *PERIOD)
    assert (got["report"], got["since"], got["until"], got["by"]) == (
        "customers",
        "2026-07-01",
        "2026-11-20",
        "month",
    )
    assert list(got["sections"]) == ["customers", "repeat", "ratings", "rating_summary", "top"]
    sections = got["sections"]
    assert sections["customers"] == FUNNEL
    assert sections["repeat"] == REPEAT
    assert sections["ratings"] == RATINGS
    assert sections["rating_summary"] == RATED
    assert sections["top"] == TOP


def test_the_lost_span_is_a_setting_and_an_option(ok: Any) -> None:
    """Bo's last touch, 2026-02-01, runs out 200 days later: 2026-08-20, in August."""
    seed(ok)
    got = report(ok, *PERIOD, "--lost-after", "200")["sections"]["customers"]
    lost = [row["lost"] for row in got]
    assert lost == [0, 1, 0, 0, 0]
    ok("config", "set", "--book", "lost_after", "200d")
    got = report(ok, *PERIOD)["sections"]["customers"]
    assert [row["lost"] for row in got] == [0, 1, 0, 0, 0]
    # Active at the start of July: a touch after 2025-12-13: Bo, Cai and Gus (not Amy nor Hal,
    # lost before); at the end of August, + Dee - Bo.
    assert got[0]["active_start"] == 3
    assert got[1]["active_end"] == 3


def test_the_repeat_window_and_the_top(ok: Any) -> None:
    """366 days makes Cai's second sale a repeat; --top 1 keeps Cai."""
    seed(ok)
    got = report(ok, *PERIOD, "--repeat-within", "366", "--top", "1")["sections"]
    # The windows are one day longer, so each bucket's first-sale days are one day earlier.
    october = got["repeat"][3]
    assert (october["first_sales_from"], october["customers"], october["repeat"]) == (
        "2025-09-30",
        2,
        1,
    )
    assert [row["name"] for row in got["top"]] == ["Cai"]


def test_weeks_and_the_default_period(ok: Any) -> None:
    seed(ok)
    got = report(ok)
    # The default period is the last 90 days (2026-08-23 .. 11-20), by month for this report.
    assert (got["since"], got["by"]) == ("2026-08-23", "month")
    assert [row["new"] for row in got["sections"]["customers"]] == [0, 0, 0, 1]
    weeks = report(ok, "--since", "2026-08-10", "--until", "2026-08-23", "--by", "week")
    rows = weeks["sections"]["customers"]
    assert [(r["bucket"], r["new"], r["active_end"]) for r in rows] == [
        ("2026-W33", 1, 6),  # Dee's first sale, Saturday 08-15
        ("2026-W34", 0, 6),
    ]


def test_csv_writes_one_section(ok: Any) -> None:
    seed(ok)
    out = ok("report", "customers", *PERIOD, "-f", "csv").stdout.splitlines()
    assert out[0] == "bucket,first,last,active_start,new,lost,net,active_end"
    assert out[2] == "2026-08,2026-08-01,2026-08-31,5,1,0,1,6"
    out = ok("report", "customers", *PERIOD, "-f", "csv", "--section", "top").stdout
    assert out.splitlines()[1] == "1,3,Cai,,A,1,3000.00,0.3529,60000.00"


def test_an_empty_book(ok: Any) -> None:
    got = report(ok)["sections"]
    assert [row["active_end"] for row in got["customers"]] == [0, 0, 0, 0]
    assert got["repeat"][-1] == {
        "bucket": "total",
        "first_sales_from": "2025-08-23",
        "first_sales_to": "2025-11-19",
        "customers": 0,
        "repeat": 0,
        "rate": None,
    }
    assert got["rating_summary"][0]["mean_loyalty"] is None
    assert got["top"] == []
    page = ok("report", "customers").stdout
    assert "No sales in the last 12 months" in page


@pytest.mark.parametrize("width", [80, 40])
def test_the_page_fits_the_terminal_with_numbers_beside_the_bars(ok: Any, width: int) -> None:
    seed(ok)
    page = ok("report", "customers", *PERIOD, env={"COLUMNS": str(width)}).stdout
    lines = page.splitlines()
    assert all(cells(line) <= width for line in lines), page
    assert "█" in page
    if width == 80:
        assert lines[0].startswith("Customers: repeat orders")
        # The sparklines, each with its total; the repeat rates and the top clients as bars.
        assert any(line.startswith("New ") and line.endswith("total 2") for line in lines)
        assert any(line.startswith("Lost ") and line.endswith("total 2") for line in lines)
        bars = [line for line in lines if "█" in line and not line.startswith("█ ")]
        assert any(line.startswith("total ") and line.endswith("40%") for line in bars)
        assert any(line.startswith("Cai ") and line.endswith("3,000.00") for line in bars)
        # Loyalty beside satisfaction: two bars a score, never added up (5: loyalty 1, 2).
        five = next(n for n, line in enumerate(lines) if line.startswith("5  Loyalty"))
        assert lines[five].endswith(" 1")
        assert lines[five + 1].lstrip().startswith("Satisfaction")
        assert lines[five + 1].endswith(" 2")
        assert any(line.startswith("Active at end") and " to " in line for line in lines)
        assert "(CNY)" in page
        assert "#3" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-01", "--until", "2026-10-01"], "starts after it ends"),
        (["--by", "day"], "--by must be week, month"),
        (["-f", "csv", "--section", "nope"], "has no section 'nope'"),
        (["--repeat-within", "0"], "--repeat-within"),
        (["--top", "0"], "--top"),
        (["--lost-after", "x"], "--lost-after"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("report", "customers", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_postgresql_gives_the_same_report(ok: Any, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    for args in (PERIOD, [*PERIOD, "--by", "week"], []):
        assert report(ok, *args, db=postgres_url) == report(ok, *args)


# ---- an independent count on the realistic book -------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)


def moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def test_independent_count_on_a_realistic_book(ok: Any, generated_copy: Path) -> None:
    """Each customer's first and last sale and last contact read with plain SQL, then counted
    here in Python, the rules restated: new and lost per month of 2025-12-01 .. 2026-11-20, the
    repeat orders whose window closed in it, the ratings and the top clients."""
    book = generated_copy
    got = report(ok, "--since", "2025-12-01", "--top", "5", db=str(book))["sections"]
    with sqlite3.connect(book) as conn:
        sold: dict[int, list[tuple[datetime, int]]] = {}
        for client_id, at, sale_id in conn.execute("SELECT client_id, sold_at, id FROM sale"):
            sold.setdefault(client_id, []).append((moment(at), sale_id))  # type: ignore[arg-type]
        contact = {
            client_id: moment(at)
            for client_id, at in conn.execute("SELECT id, last_contact_at FROM client")
        }
        live = dict(
            conn.execute("SELECT id, loyalty FROM client WHERE archived_at IS NULL").fetchall()
        )
        satisfaction = dict(
            conn.execute("SELECT id, satisfaction FROM client WHERE archived_at IS NULL")
        )
        names = dict(conn.execute("SELECT id, name FROM client"))
    span = timedelta(days=365)
    months = [date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 12)]
    starts = [midnight(m) for m in months]
    ends = [*starts[1:], NOW]
    new, lost = Counter[int](), Counter[int]()
    active_start = 0
    for client_id, sales in sold.items():
        first = min(sales)[0]
        touch = max(max(sales)[0], contact[client_id] or first)
        for n, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
            new[n] += lo <= first < hi
            lost[n] += lo - span <= touch < hi - span
        active_start += first < starts[0] and touch >= starts[0] - span
    rows = got["customers"]
    assert [r["new"] for r in rows] == [new[n] for n in range(12)]
    assert [r["lost"] for r in rows] == [lost[n] for n in range(12)]
    assert rows[0]["active_start"] == active_start
    assert sum(new.values()) > 100

    # Repeat: first sales on the days 2024-12-01 .. 2025-11-19 (their windows closed by
    # 2026-11-19), and a second sale before the end of the 365th day after.
    cohort = repeat = 0
    for sales in sold.values():
        (first, _), *others = sorted(sales)
        day = first.astimezone(SHANGHAI).date()
        if date(2024, 12, 1) <= day <= date(2025, 11, 19):
            cohort += 1
            deadline = midnight(day + timedelta(days=366))
            repeat += any(at < deadline for at, _ in others)
    total = got["repeat"][-1]
    assert (total["customers"], total["repeat"]) == (cohort, repeat)
    assert cohort > 50

    loyalty = Counter(v for v in live.values() if v is not None)
    satisfied = Counter(v for v in satisfaction.values() if v is not None)
    assert [(r["score"], r["loyalty"], r["satisfaction"]) for r in got["ratings"]] == [
        (n, loyalty[n], satisfied[n]) for n in range(5, 0, -1)
    ]

    year_ago = NOW - span
    value = Counter[int]()
    with sqlite3.connect(book) as conn:
        for client_id, at, amount in conn.execute(
            "SELECT client_id, sold_at, amount_minor FROM sale"
        ):
            if client_id in live and moment(at) > year_ago:  # type: ignore[operator]
                value[client_id] += amount
    best = sorted(value.items(), key=lambda item: (-item[1], item[0]))[:5]
    assert [(r["id"], r["name"]) for r in got["top"]] == [(i, names[i]) for i, _ in best]
    assert [r["purchases_12m"] for r in got["top"]] == [
        f"{v // 100}.{v % 100:02d}" for _, v in best
    ]
