"""Issue 11, points 9-11: complaint targets in working hours, the F grade's two kinds
everywhere, and time in grade. Through the CLI, on a pinned clock (Shanghai unless a test says
otherwise); what is stored is read back from the database."""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from alembic.config import Config

from clientcard.store.migrate import MIGRATIONS_DIR
from clientcard.store.revision import HEAD_REVISION
from helpers import add, assert_error, at, card, due, lines, listing, page_fields, table

# Friday 4 December 2026, 21:00 in Shanghai: the week-end is ahead.
FRIDAY_NIGHT = at("2026-12-04T21:00")


def complaints(ok, **kwargs) -> list[dict]:
    """`complaint list --all --format json`."""
    return json.loads(ok("complaint", "list", "--all", "--format", "json", **kwargs).stdout)


# ---- point 9: working hours ---------------------------------------------------------------


def test_an_urgent_complaint_on_friday_night_counts_four_clock_hours(ok) -> None:
    add(ok, "张伟", "--company", "阿里")
    result = ok(
        "complaint", "add", "张伟", "货到晚了三天", "--severity", "urgent",
        "--at", "2026-12-04 20:00", env=FRIDAY_NIGHT,
    )  # fmt: skip
    assert result.stdout == (
        "Complaint C1 from #1 张伟 (阿里), urgent: answer by 2026-12-05 00:00\n"
    )
    (row,) = complaints(ok, env=FRIDAY_NIGHT)
    assert (row["response_due"], row["resolve_due"]) == (
        "2026-12-05T00:00:00+08:00",
        "2026-12-05T20:00:00+08:00",
    )
    page = ok("complaint", "show", "1", env=FRIDAY_NIGHT).stdout
    assert "urgent (answer within 4 h, resolve within 24 h)" in page


def test_a_normal_complaint_received_on_saturday_counts_from_monday_nine(ok) -> None:
    add(ok, "Li Na")
    saturday = at("2026-12-05T10:00")
    out = ok("complaint", "add", "Li Na", "wrong invoice", env=saturday).stdout
    # 18 working hours from Monday 09:00: Monday 9 h, Tuesday 9 h.
    assert out == "Complaint C1 from #1 Li Na, normal: answer by 2026-12-08 18:00\n"
    (row,) = complaints(ok, env=saturday)
    # 45 working hours: Monday to Friday.
    assert (row["response_due"], row["resolve_due"]) == (
        "2026-12-08T18:00:00+08:00",
        "2026-12-11T18:00:00+08:00",
    )


def test_a_target_runs_over_the_night_and_the_week_end(ok) -> None:
    add(ok, "Li Na")
    # High: 9 working hours. Received Friday 17:00: one hour on Friday, 8 on Monday.
    ok("complaint", "add", "Li Na", "late", "--severity", "high", env=at("2026-12-04T17:00"))
    (row,) = complaints(ok, env=at("2026-12-04T17:00"))
    assert row["response_due"] == "2026-12-07T17:00:00+08:00"
    # Still in time on Monday 17:00, past it at 17:01; the week-end did not count.
    monday = complaints(ok, env=at("2026-12-07T17:00"))[0]
    assert monday["past_target"] is None
    assert complaints(ok, env=at("2026-12-07T17:01"))[0]["past_target"] == "response"


def test_due_shows_the_working_hours_deadline_in_local_time(ok) -> None:
    add(ok, "张伟")
    saturday = at("2026-12-05T10:00")
    ok("complaint", "add", "张伟", "货到晚了三天", env=saturday)
    (item,) = due(ok, env=saturday)
    assert (item["due"], item["overdue"], item["reason"]) == (
        "2026-12-08T18:00:00+08:00",
        False,
        "normal, no response yet: answer by 2026-12-08 18:00",
    )
    # The same moment read in London: the deadline is the same instant, shown in local time.
    london = {"TZ": "Europe/London", "CLIENTCARD_NOW": "2026-12-05T02:00"}
    (row,) = complaints(ok, env=london)
    assert row["received_at"] == "2026-12-05T02:00:00+00:00"
    # The working day is the user's: in London, Monday 09:00-18:00 and Tuesday 09:00-18:00.
    assert row["response_due"] == "2026-12-08T18:00:00+00:00"


def test_work_days_and_hours_are_settings(ok) -> None:
    add(ok, "Li Na")
    assert ok("config", "set", "--book", "work.days", "Sun-Thu").stdout.startswith(
        "work.days = sun-thu "
    )
    ok("config", "set", "--book", "work.hours", "8:30-12:30")
    friday = at("2026-12-04T10:00")  # not a working day now: counted from Sunday 08:30
    ok("complaint", "add", "Li Na", "wrong invoice", env=friday)
    (row,) = complaints(ok, env=friday)
    # 18 h at 4 h a day: Sunday, Monday, Tuesday, Wednesday (16 h), then 2 h on Thursday.
    assert row["response_due"] == "2026-12-10T10:30:00+08:00"
    page = ok("complaint", "show", "1", env=friday)
    assert "normal (answer within 18 working h, resolve within 45 working h)" in page.stdout


def test_round_the_clock_severities_are_a_setting(ok) -> None:
    add(ok, "Li Na")
    ok("config", "set", "--book", "complaint.round_the_clock", "high, urgent")
    ok("complaint", "add", "Li Na", "late", "--severity", "high", env=FRIDAY_NIGHT)
    ok("config", "set", "--book", "complaint.round_the_clock", "none")
    ok("complaint", "add", "Li Na", "rude", "--severity", "urgent", env=FRIDAY_NIGHT)
    first, second = sorted(complaints(ok, env=FRIDAY_NIGHT), key=lambda r: r["id"])
    # Targets follow the settings as they are now: high is no longer round the clock either.
    assert first["response_due"] == "2026-12-07T18:00:00+08:00"  # 9 working hours on Monday
    assert second["response_due"] == "2026-12-07T13:00:00+08:00"  # 4 working hours on Monday
    ok("config", "set", "--book", "complaint.round_the_clock", "high")
    first = complaints(ok, env=FRIDAY_NIGHT)[-1]
    assert first["severity"] == "high"
    assert first["response_due"] == "2026-12-05T06:00:00+08:00"  # 9 clock hours


def test_a_step_and_a_resolution_say_the_target_as_configured(ok) -> None:
    add(ok, "Li Na")
    ok("complaint", "add", "Li Na", "late", env=at("2026-12-04T17:00"))
    step = ok("complaint", "step", "1", "called", env=at("2026-12-07T10:00")).stdout
    assert "first response 2 d 17 h after receipt (target 18 working h, on time)" in step
    done = ok("complaint", "resolve", "1", "--result", "sent", env=at("2026-12-07T11:00"))
    assert "(target 45 working h, on time)" in done.stdout


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("work.days", "mon-xyz", "work.days takes days such as mon-fri or mon,wed,fri"),
        ("work.days", ",", "work.days needs at least one day, such as mon-fri, not ','"),
        ("work.hours", "18:00-09:00", "work.hours must close after it opens, on the same day"),
        ("work.hours", "9-25", "work.hours must be two times of day such as 09:00-18:00"),
        ("complaint.round_the_clock", "critical", "complaint.round_the_clock takes severities"),
    ],
)
def test_bad_working_hours_settings_are_refused(cli, key, value, message) -> None:
    result = cli("config", "set", key, value)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"clientcard: {message}")
    assert result.stderr.count("\n") == 1


# ---- point 10: F in two kinds ---------------------------------------------------------------


def test_a_never_visited_f_card_is_f_new_until_its_first_visit(ok, query) -> None:
    add(ok, "王芳", "--company", "平安")
    fields = page_fields(ok("show", "王芳"))
    assert fields["Grade"] == "F-new: only researched so far, never visited"
    assert fields["Next step"] == "arrange the first visit"
    assert card(ok, "王芳")["f_kind"] == "new"
    ok("log", "王芳", "--via", "call", env=at("2026-11-21T10:00"))  # a call is not a visit
    assert card(ok, "王芳")["f_kind"] == "new"
    ok("log", "王芳", "--via", "visit", env=at("2026-11-22T10:00"))
    fields = page_fields(ok("show", "王芳", env=at("2026-11-22T11:00")))
    assert fields["Grade"] == "F-slow: visited, but hard to move up within a year"
    assert fields["Next step"] == "keep researching or visiting slowly"
    assert "never visited" not in ok("show", "王芳").stdout
    assert card(ok, "王芳")["f_kind"] == "slow"
    assert query("SELECT last_visit_at FROM client") == [("2026-11-22 02:00:00.000000",)]


def test_f_kind_is_null_for_the_other_grades(ok) -> None:
    add(ok, "Zhang", "--grade", "A")
    assert card(ok, "Zhang")["f_kind"] is None
    assert listing(ok)[0]["f_kind"] is None


@pytest.fixture
def fs(ok) -> None:
    """Four cards: 王芳 F never visited, Li F visited by meeting, Old F archived, Zhang A."""
    add(ok, "王芳")
    add(ok, "Li")
    add(ok, "Old")
    add(ok, "Zhang", "--grade", "A")
    ok("log", "Li", "--via", "meeting")
    ok("log", "Zhang", "--via", "visit")
    ok("archive", "Old")


def test_list_marks_the_kind_of_f_and_filters_on_it(ok, fs) -> None:
    out = table(ok("list").stdout)
    # Issue 12: a column empty on every row (company, tags, phone) is left out.
    assert out[0].split() == ["ID", "Name", "Grade", "In", "grade", "Updated"]
    grades = {line.split()[1]: line.split()[2] for line in out[1:-1]}
    assert grades == {"Li": "F-slow", "Zhang": "A", "王芳": "F-new"}
    assert [(r["name"], r["f_kind"]) for r in listing(ok, "--grade", "F")] == [
        ("Li", "slow"),
        ("王芳", "new"),
    ]
    assert [r["name"] for r in listing(ok, "--grade", "F-new")] == ["王芳"]
    assert [r["name"] for r in listing(ok, "--grade", "f-slow")] == ["Li"]
    # by name, 王芳 as wang fang (issue 18: pinyin)
    assert [r["name"] for r in listing(ok, "--grade", "A,F-new")] == ["王芳", "Zhang"]
    assert [r["name"] for r in listing(ok, "--grade", "F-new,F-slow")] == ["Li", "王芳"]
    assert [r["name"] for r in listing(ok, "--grade", "F-new", "--archived")] == ["Old"]


def test_an_unknown_kind_of_f_is_a_usage_error(cli, fs) -> None:
    assert_error(
        cli("list", "--grade", "F-old"),
        2,
        "unknown grade 'F-old'; a grade is one of A, B, C, D, E, F, F-new or F-slow",
    )


def test_the_ladder_splits_f_into_its_two_kinds(ok, fs) -> None:
    rows = json.loads(ok("grade", "--format", "json").stdout)
    assert [(r["grade"], r["cards"], r["f_new"], r["f_slow"]) for r in rows] == [
        ("A", 1, None, None),
        ("B", 0, None, None),
        ("C", 0, None, None),
        ("D", 0, None, None),
        ("E", 0, None, None),
        ("F", 2, 1, 1),
    ]
    body = lines(ok("grade", env={"COLUMNS": "300"}))[2:]  # each on one line (issue 12)
    assert [line.split()[0] for line in body] == ["A", "B", "C", "D", "E", "F", "F-new", "F-slow"]
    assert body[-2].startswith("  F-new   only researched so far, never visited  ")
    assert body[-1].startswith("  F-slow  visited, but hard to move up within a year  ")
    assert [line.split()[-1] for line in body[-3:]] == ["2", "1", "1"]


def test_a_new_f_card_comes_due_for_its_first_visit_on_its_own_cadence(ok, query) -> None:
    add(ok, "王芳")
    add(ok, "Li", "--grade", "E")
    assert query("SELECT name, next_followup_on FROM client ORDER BY id") == [
        ("王芳", "2026-12-20"),  # 30 days after it was added (cadence.F-new)
        ("Li", "2026-12-11"),
    ]
    assert [i["client"] for i in due(ok, env=at("2026-12-19T09:00"))] == ["Li"]
    (item,) = [i for i in due(ok, env=at("2026-12-20T09:00")) if i["client"] == "王芳"]
    assert (item["kind"], item["due"], item["reason"]) == (
        "first_visit",
        "2026-12-20",
        "never visited: arrange the first visit",
    )
    # After the first visit the card is F-slow: the F cadence, 180 days, from the visit.
    ok("log", "王芳", "--via", "visit", env=at("2026-12-01T10:00"))
    assert query("SELECT next_followup_on FROM client WHERE id = 1") == [("2027-05-30",)]


def test_cadence_f_new_is_a_setting_that_reschedules_only_never_visited_f_cards(
    ok, query, fs
) -> None:
    result = ok("config", "set", "--book", "cadence.F-new", "10d")
    assert result.stdout.endswith("; 1 card rescheduled\n")
    assert query("SELECT name, next_followup_on FROM client WHERE grade = 'F' ORDER BY id") == [
        ("王芳", "2026-11-30"),
        ("Li", "2027-05-19"),  # visited: the F cadence, untouched
        ("Old", "2026-12-20"),  # archived: left as it was
    ]
    # Regrading a never-visited card to F puts it on the first-visit rhythm as well.
    add(ok, "Zhou", "--grade", "C")
    ok("grade", "Zhou", "F", "--reason", "no budget")
    assert query("SELECT next_followup_on FROM client WHERE name = 'Zhou'") == [("2026-11-30",)]


# ---- point 11: time in grade -------------------------------------------------------------


def test_show_says_how_long_the_card_has_held_its_grade(ok) -> None:
    add(ok, "张伟", "--grade", "E", env=at("2026-10-01T10:00"))
    ok("grade", "张伟", "D", "--reason", "understood", env=at("2026-10-20T15:00"))
    later = at("2026-12-06T09:00")
    fields = page_fields(ok("show", "张伟", env=later))
    assert fields["In grade"] == "grade D for 47 days (since 2026-10-20)"
    data = card(ok, "张伟")  # at the pinned 2026-11-20
    assert (data["grade_since"], data["days_in_grade"]) == ("2026-10-20T15:00:00+08:00", 31)
    assert [(h["to_grade"], h["held_days"], h["current"]) for h in data["grade_history"]] == [
        ("E", 19, False),
        ("D", 31, True),
    ]
    same_day = page_fields(ok("show", "张伟", env=at("2026-10-20T23:59")))
    assert same_day["In grade"] == "grade D for 0 days (since 2026-10-20)"
    next_day = page_fields(ok("show", "张伟", env=at("2026-10-21T00:00")))
    assert next_day["In grade"] == "grade D for 1 day (since 2026-10-20)"


def test_the_grade_history_shows_how_long_each_grade_was_held(ok) -> None:
    add(ok, "Zhang", "--company", "Acme", env=at("2026-11-01T09:00"))
    ok("grade", "Zhang", "D", "--reason", "first visit", env=at("2026-11-05T10:30"))
    ok("grade", "Zhang", "B", "-r", "decision pending", env=at("2026-11-15T16:00"))
    out = lines(ok("grade", "zhang"))
    assert out[:2] + out[3:] == [
        "Grade history of #1 Zhang (Acme)",
        "When              From  To        Held  Why               By",
        "2026-11-15 16:00   D    B   5 d so far  decision pending  li",
        "2026-11-05 10:30   F    D         10 d  first visit       li",
        "2026-11-01 09:00        F          4 d  added             li",
    ]
    rows = json.loads(ok("grade", "Zhang", "-f", "json").stdout)
    assert [(r["to_grade"], r["held_days"], r["current"]) for r in rows] == [
        ("B", 5, True),
        ("D", 10, False),
        ("F", 4, False),
    ]


def test_list_sorts_by_time_in_grade_longest_first(ok) -> None:
    add(ok, "Young", "--grade", "B", env=at("2026-11-10T09:00"))
    add(ok, "王芳", "--grade", "C", env=at("2026-09-01T09:00"))
    add(ok, "Mid", "--grade", "D", env=at("2026-08-01T09:00"))
    ok("grade", "Mid", "A", "--reason", "paid", env=at("2026-10-01T09:00"))
    rows = listing(ok, "--sort", "in-grade")
    assert [(r["name"], r["days_in_grade"]) for r in rows] == [
        ("王芳", 80),
        ("Mid", 50),
        ("Young", 10),
    ]
    assert rows[0]["grade_since"] == "2026-09-01T09:00:00+08:00"
    out = table(ok("list", "--sort", "in-grade").stdout)
    assert [line.split()[3] for line in out[1:-1]] == ["80", "50", "10"]


def test_export_carries_the_new_keys_and_import_ignores_them(ok, tmp_path: Path) -> None:
    add(ok, "王芳", env=at("2026-11-01T09:00"))
    exported = ok("export", "--format", "csv").stdout
    header, row = exported.splitlines()
    # Issue 14 added phones and emails after them; issue 17 created_by and updated_by.
    assert header.endswith(
        ",customer,f_kind,grade_since,days_in_grade,phones,emails,created_by,updated_by"
    )
    assert row.endswith(",false,new,2026-11-01T09:00:00+08:00,19,,,li,li")
    assert json.loads(ok("export").stdout)[0] == listing(ok)[0]
    (tmp_path / "cards.csv").write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other.db")
    result = ok("--db", other, "import", str(tmp_path / "cards.csv"))
    assert "f_kind, grade_since, days_in_grade" in result.stdout


# ---- migration 0006 -----------------------------------------------------------------------


def test_migration_0006_puts_never_visited_f_cards_on_the_first_visit_rhythm(
    ok, db_path: Path
) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0005")
    finally:
        engine.dispose()
    added = "2026-10-01 02:00:00.000000"  # 10:00 in Shanghai
    called = "2026-11-02 02:00:00.000000"
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, graded_at,"
            " followed_up_at, last_visit_at, next_followup_on, followup_kind, search_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
            [
                (1, "王芳", "王芳", "F", added, added, added, None, None, "2027-03-30", "cadence"),
                (2, "Called", "called", "F", added, added, added, called, None, "2027-05-01",
                 "cadence"),
                (3, "Seen", "seen", "F", added, added, added, called, called, "2027-05-01",
                 "cadence"),
                (4, "Set", "set", "F", added, added, added, None, None, "2027-01-15", "explicit"),
                (5, "Bee", "bee", "B", added, added, added, None, None, "2026-10-15", "cadence"),
            ],
        )  # fmt: skip
    ok("list")  # opening the book upgrades it
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT id, next_followup_on FROM client ORDER BY id").fetchall()
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(client)")}
    assert stored == [
        (1, "2026-10-31"),  # added + 30 days
        (2, "2026-12-02"),  # last sales contact + 30 days
        (3, "2027-05-01"),  # visited: F-slow, untouched
        (4, "2027-01-15"),  # a date the user set stays
        (5, "2026-10-15"),  # another grade
    ]
    assert version == [(HEAD_REVISION,)]  # 0006, and any later revision
    assert "ix_client_graded_at" in indexes
    assert date.fromisoformat(stored[0][1]) < date(2026, 11, 20)  # overdue: due shows it
    (item,) = [i for i in due(ok) if i["client"] == "王芳"]
    assert (item["kind"], item["overdue"]) == ("first_visit", True)


# ---- PostgreSQL ---------------------------------------------------------------------------


def test_f_kinds_time_in_grade_and_working_hours_on_postgresql(
    ok, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
    add(ok, "王芳", env=at("2026-11-01T09:00"))
    add(ok, "Li", env=at("2026-11-10T09:00"))
    ok("log", "Li", "--via", "visit")
    assert [(r["name"], r["f_kind"], r["days_in_grade"]) for r in listing(ok)] == [
        ("Li", "slow", 10),
        ("王芳", "new", 19),
    ]
    assert [r["name"] for r in listing(ok, "--grade", "F-new")] == ["王芳"]
    assert [r["name"] for r in listing(ok, "--sort", "in-grade")] == ["王芳", "Li"]
    f_row = json.loads(ok("grade", "-f", "json").stdout)[-1]
    assert (f_row["cards"], f_row["f_new"], f_row["f_slow"]) == (2, 1, 1)
    ok("complaint", "add", "Li", "wrong invoice", env=at("2026-12-05T10:00"))
    (row,) = complaints(ok, env=at("2026-12-05T10:00"))
    assert row["response_due"] == "2026-12-08T18:00:00+08:00"
