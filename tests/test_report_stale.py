"""`report stale` (docs/reports.md#stale): the dead records to revive, a visit plan.

The scripted book, now Friday 2026-11-20 09:00 in Shanghai, default cadences (twice: A 14
days, B 28, C 180, D 120, E 42, F 360; a never-visited F card's first visit 30 days after it
was added; a customer silent 183 days). Days silent: whole days from the last contact of any
kind (or the card's adding) to now. Counted by hand:

    #1  Ann A  added 10-01, a call 11-01 10:00          18 d > 14: cadence
    #2  Ben A  added 10-01, a call 11-10 10:00           9 d: not stale
    #3  Cat B  added 2026-06-01 10:00, no contact      171 d > 28: cadence
    #4  Dan C  sale 2026-04-01 (a meeting at 00:00)    233 d > 183: customer (before cadence)
    #5  Eva F  added 10-01 10:00, never visited         49 d (> 30 since added): first-visit
    #6  Fox F  added 11-01 10:00, never visited         18 d: not stale
    #7  Gil F  added 2025-01-01, a visit 2025-06-01 10:00  536 d > 360: cadence
    #8  Hua E  added 09-01, a greeting 11-15 10:00       4 d: not stale (a greeting is contact)
    #9  Ivo D  added 2025-01-01, archived                   not in the report
    #10 Jo  F  added 2026-01-01 10:00, a sale 02-01 --no-contact, never visited
                                                        322 d > 183: customer (before first-visit)
    #11 Kim A  sale 11-01 (a meeting at 00:00)          19 d > 14: cadence

    cards, by grade then the longest silent first:
    #11 Kim A cadence 2026-11-01 19; #1 Ann A cadence 2026-11-01 18; #3 Cat B cadence - 171;
    #4 Dan C customer 2026-04-01 233; #7 Gil F cadence 2025-06-01 536;
    #10 Jo F customer - 322; #5 Eva F first-visit - 49

    summary: grade cards customer first_visit cadence oldest
             A 2 0 0 2 19; B 1 0 0 1 171; C 1 1 0 0 233; D 0 0 0 0 -; E 0 0 0 0 -;
             F 3 1 1 1 536
"""

import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clientcard.output.agenda import cells

pytestmark = pytest.mark.usefixtures("migrated")


def seed(ok: Any, *db: str) -> None:
    def at(moment: str, *args: str) -> None:
        ok(*db, *args, env={"CLIENTCARD_NOW": moment})

    at("2026-10-01T09:00", "add", "Ann", "--grade", "A")
    at("2026-10-01T09:00", "add", "Ben", "--grade", "A")
    at("2026-06-01T10:00", "add", "Cat", "--grade", "B")
    at("2026-03-01T10:00", "add", "Dan", "--grade", "C")
    at("2026-10-01T10:00", "add", "Eva")
    at("2026-11-01T10:00", "add", "Fox")
    at("2025-01-01T10:00", "add", "Gil")
    at("2026-09-01T10:00", "add", "Hua", "--grade", "E")
    at("2025-01-01T10:00", "add", "Ivo", "--grade", "D")
    at("2026-01-01T10:00", "add", "Jo")
    at("2026-10-01T10:00", "add", "Kim", "--grade", "A")
    ok(*db, "log", "Ann", "--via", "call", "--at", "2026-11-01 10:00")
    ok(*db, "log", "Ben", "--via", "call", "--at", "2026-11-10 10:00")
    ok(*db, "sale", "Dan", "500", "--on", "2026-04-01", "--no-thanks")
    ok(*db, "log", "Gil", "--via", "visit", "--at", "2025-06-01 10:00")
    ok(*db, "log", "Hua", "--via", "card", "--greeting", "--at", "2026-11-15 10:00")
    ok(*db, "archive", "Ivo")
    ok(*db, "sale", "Jo", "80", "--on", "2026-02-01", "--no-contact", "--no-thanks")
    ok(*db, "sale", "Kim", "900", "--on", "2026-11-01", "--no-thanks")


def report(ok: Any, *args: str, db: str | None = None) -> dict[str, Any]:
    where = ["--db", db] if db else []
    found: dict[str, Any] = json.loads(ok(*where, "report", "stale", *args, "-f", "json").stdout)
    return found


def table(keys: str, *rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    names = keys.split()
    return [dict(zip(names, row, strict=True)) for row in rows]


CARDS = table(
    "id name company phone grade reason last_contact days",
    (11, "Kim", None, None, "A", "cadence", "2026-11-01", 19),
    (1, "Ann", None, None, "A", "cadence", "2026-11-01", 18),
    (3, "Cat", None, None, "B", "cadence", None, 171),
    (4, "Dan", None, None, "C", "customer", "2026-04-01", 233),
    (7, "Gil", None, None, "F", "cadence", "2025-06-01", 536),
    (10, "Jo", None, None, "F", "customer", None, 322),
    (5, "Eva", None, None, "F", "first-visit", None, 49),
)
SUMMARY = table(
    "grade cards customer first_visit cadence oldest_days",
    ("A", 2, 0, 0, 2, 19),
    ("B", 1, 0, 0, 1, 171),
    ("C", 1, 1, 0, 0, 233),
    ("D", 0, 0, 0, 0, None),
    ("E", 0, 0, 0, 0, None),
    ("F", 3, 1, 1, 1, 536),
)


def test_the_stale_cards_counted_by_hand(ok: Any) -> None:
    seed(ok)
    got = report(ok)
    assert (got["report"], got["since"], got["until"], got["by"]) == ("stale", None, None, None)
    assert list(got["sections"]) == ["cards", "summary"]
    assert got["sections"]["cards"] == CARDS
    assert got["sections"]["summary"] == SUMMARY
    # The period changes nothing: stale is the book now.
    assert report(ok, "--since", "2026-01-01", "--until", "2026-02-01") == got


def test_the_cadences_are_the_settings(ok: Any) -> None:
    seed(ok)
    ok("config", "set", "--book", "cadence.A", "10")  # twice: 20 days, more than Kim's 19
    ok("config", "set", "--book", "cadence.F-new", "60")  # Eva, added 49 days ago, is not due yet
    ids = [row["id"] for row in report(ok)["sections"]["cards"]]
    assert ids == [3, 4, 7, 10]


def test_csv_is_the_visit_plan(ok: Any) -> None:
    seed(ok)
    out = ok("report", "stale", "-f", "csv").stdout.splitlines()
    assert out[0] == "id,name,company,phone,grade,reason,last_contact,days"
    assert out[1] == "11,Kim,,,A,cadence,2026-11-01,19"
    assert out[3] == "3,Cat,,,B,cadence,,171"
    assert len(out) == 8
    out = ok("report", "stale", "-f", "tsv", "--section", "summary").stdout.splitlines()
    assert out[0] == "grade\tcards\tcustomer\tfirst_visit\tcadence\toldest_days"
    assert out[6] == "F\t3\t1\t1\t1\t536"


@pytest.mark.parametrize("width", [80, 40])
def test_the_page_fits_the_terminal(ok: Any, width: int) -> None:
    seed(ok)
    page = ok("report", "stale", env={"COLUMNS": str(width)}).stdout
    lines = page.splitlines()
    assert all(cells(line) <= width for line in lines), page
    assert "#11" in page
    if width == 80:
        assert lines[0] == "Stale cards as of 2026-11-20"
        bars = [line for line in lines if "█" in line or "░" in line or "▒" in line]
        assert any(line.startswith("A ") and line.endswith("0 + 0 + 2") for line in bars)
        assert any(line.startswith("F ") and line.endswith("1 + 1 + 1") for line in bars)


def test_an_empty_book(ok: Any) -> None:
    got = report(ok)["sections"]
    assert got["cards"] == []
    assert [row["cards"] for row in got["summary"]] == [0] * 6
    assert "No stale cards." in ok("report", "stale").stdout


def test_a_long_list_shows_the_first_rows_and_says_how_many_more(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from clientcard.domain.reports import Col, Kind, Report, Section
    from clientcard.output import Format
    from clientcard.output.reports import PEOPLE_ROWS, write_machine, write_people

    section = Section(
        "cards",
        "Cards",
        (Col("id", "Card", Kind.id), Col("n", "N")),
        tuple((n, n) for n in range(250)),
    )
    stale = Report("stale", "Stale", None, "CNY", (section,))
    write_people([stale])
    page = capsys.readouterr().out
    assert f"The first {PEOPLE_ROWS} rows; 150 more. --format csv --section cards" in page
    assert "#99 " in page
    assert "#100 " not in page
    out = io.StringIO()
    write_machine([stale], Format.csv, stream=out)
    assert len(out.getvalue().splitlines()) == 251
    # The HTML page too (report all --html): 100 rows in the table, and the command for all.
    from clientcard.output.report_html import section_html

    html = "".join(section_html(stale, section))
    assert html.count("<tr>") == PEOPLE_ROWS + 1  # the header's row and 100 rows
    assert "The first 100 rows; 150 more" in html
    assert "clientcard report stale --format csv --section cards" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-01", "--until", "2026-10-01"], "starts after it ends"),
        (["--by", "week"], "no such option: --by"),
        (["-f", "csv", "--section", "nope"], "has no section 'nope'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("report", "stale", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_postgresql_gives_the_same_report(ok: Any, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    assert report(ok, db=postgres_url) == report(ok)


def test_independent_count_on_a_realistic_book(ok: Any, generated_copy: Path) -> None:
    """The rules restated in Python over the live cards' raw columns."""
    book = generated_copy
    got = report(ok, "--all", db=str(book))["sections"]
    plan = report(ok, db=str(book))["sections"]
    now = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    twice = {"A": 14, "B": 28, "C": 180, "D": 120, "E": 42, "F": 360}

    def moment(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)

    expected = []
    with sqlite3.connect(book) as conn:
        for id_, grade, created, last, visit, customer in conn.execute(
            "SELECT id, grade, created_at, last_contact_at, last_visit_at, first_sale_at"
            " FROM client WHERE archived_at IS NULL"
        ):
            since = moment(last) or moment(created)
            assert since is not None
            silent = now - since
            if customer and silent > timedelta(days=183):
                reason = "customer"
            elif grade == "F" and visit is None and now - moment(created) > timedelta(days=30):  # type: ignore[operator]
                reason = "first-visit"
            elif silent > timedelta(days=twice[grade]):
                reason = "cadence"
            else:
                continue
            expected.append((grade, since, id_, reason, silent.days))
    expected.sort()
    assert [(r["id"], r["reason"], r["days"]) for r in got["cards"]] == [
        (id_, reason, days) for _, _, id_, reason, days in expected
    ]
    assert len(expected) > 100
    by_grade = {row["grade"]: row["cards"] for row in got["summary"]}
    assert by_grade == {g: sum(1 for e in expected if e[0] == g) for g in "ABCDEF"}
    # Without --all, the list is each grade's 25 longest silent; the summary still counts all.
    assert [row["id"] for row in plan["cards"]] == [
        id_ for g in "ABCDEF" for _, _, id_, _, _ in [e for e in expected if e[0] == g][:25]
    ]
    assert plan["summary"] == got["summary"]
    assert any(count > 25 for count in by_grade.values())


def test_the_list_has_the_longest_silent_of_each_grade(ok: Any) -> None:
    seed(ok)
    every = report(ok)["sections"]
    assert report(ok, "--all")["sections"] == every  # fewer than 25 a grade: all of them
    one = report(ok, "--per-grade", "1")["sections"]
    grades = [row["grade"] for row in every["cards"]]
    firsts = [row for n, row in enumerate(every["cards"]) if row["grade"] not in grades[:n]]
    assert one["cards"] == firsts
    assert one["summary"] == every["summary"]
    page = ok("report", "stale", "--per-grade", "1").stdout
    assert f"The 1 longest silent of each grade: {len(firsts)} of" in page


def test_per_grade_must_be_one_or_more(cli: Any) -> None:
    result = cli("report", "stale", "--per-grade", "0")
    assert result.exit_code == 2
