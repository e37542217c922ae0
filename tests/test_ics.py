"""Issue 15, point 3: the agenda in any calendar. `due --format ics` and `export --format ics`
write iCalendar through the `icalendar` library (output/ics.py; docs/calendar.md): parsed
back here with the same library, as it reads real calendars' files (tests/realdata/)."""

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Component

from helpers import add, assert_error

REALDATA = Path(__file__).parent / "realdata"
LATER = "2026-11-20T11:30:00"
AGENDA_ONLY = (
    "--format ics writes the live cards' agenda: --what, --live and --archived are for the "
    "other formats"
)  # the same Friday, two and a half hours on


@pytest.fixture(params=["file", "url"])
def db(request: pytest.FixtureRequest, db_path: Path) -> tuple[str, ...]:
    """The book named by its path and by an `sqlite:///` URL (the same file, on sqlite3)."""
    return () if request.param == "file" else ("--db", f"sqlite:///{db_path}")


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def items(cal: Calendar) -> dict[str, Component]:
    """The calendar's events and tasks by UID."""
    return {str(c["UID"]): c for c in cal.walk() if c.name in ("VEVENT", "VTODO")}


def by_prefix(cal: Calendar, prefix: str) -> Component:
    (found,) = [c for uid, c in items(cal).items() if uid.startswith(prefix)]
    return found


def seed(ok: Callable[..., Any], *db: str) -> None:
    """#1 张伟 (A, 阿里, a phone): an appointment on Monday 15:00 at 国贸 (P1), a deliverable
    due Tuesday (P2); #2 Li Na (B) with a follow-up tomorrow."""
    ok(*db, "add", "张伟", "--company", "阿里", "--grade", "A", "--phone", "138 0013 8000", "-q")
    ok(*db, "promise", "add", "1", "见面谈方案", "--at", "mon 15:00", "--where", "国贸大厦 3层")
    ok(*db, "promise", "add", "1", "送报价, 含税;两份\\备注", "--due", "tue")
    ok(*db, "add", "Li Na", "--grade", "B", "-q")
    ok(*db, "log", "2", "--via", "call", "--next", "tomorrow")


def ics(ok: Callable[..., Any], *args: str, now: str | None = None) -> str:
    """The command's stdout as written (Click's `stdout` turns CRLF into LF)."""
    env = {"CLIENTCARD_NOW": now} if now else None
    return bytes(ok(*args, env=env).stdout_bytes).decode()


def test_appointments_are_timed_in_utc_with_their_place_the_rest_all_day(ok, db) -> None:
    seed(ok, *db)
    text = ics(ok, *db, "due", "--week", "--format", "ics")
    cal = parse(text)
    assert str(cal["X-WR-CALNAME"]) == "clientcard"
    assert str(cal["PRODID"]) == "-//clientcard//clientcard agenda//EN"
    assert str(cal["VERSION"]) == "2.0"
    meeting = by_prefix(cal, "promise-1.")
    assert meeting.name == "VEVENT"
    # Monday 15:00 in Shanghai (UTC+8) is 07:00 UTC, written with its Z.
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert meeting.decoded("DTEND") == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert "DTSTART:20261123T070000Z\r\n" in text
    assert str(meeting["LOCATION"]) == "国贸大厦 3层"
    assert str(meeting["SUMMARY"]) == "张伟 (A): 见面谈方案"
    assert str(meeting["DESCRIPTION"]).splitlines() == [
        "见面谈方案: appointment · at 国贸大厦 3层 (promise P1)",
        "#1 张伟 · grade A · 阿里",
        "Phone: 138 0013 8000",
    ]
    quote = by_prefix(cal, "promise-2.")
    assert quote.decoded("DTSTART") == date(2026, 11, 24)
    assert quote.decoded("DTEND") == date(2026, 11, 25)
    assert str(quote["TRANSP"]) == "TRANSPARENT"
    # Text escaped by the library, and read back whole: comma, semicolon, backslash, CJK.
    assert "SUMMARY:张伟 (A): 送报价\\, 含税\\;两份\\\\备注\r\n" in text
    assert str(quote["SUMMARY"]) == "张伟 (A): 送报价, 含税;两份\\备注"
    follow = by_prefix(cal, "followup-2.")
    assert follow.decoded("DTSTART") == date(2026, 11, 21)
    assert str(follow["SUMMARY"]) == "Li Na (B): follow up"
    assert str(follow["DESCRIPTION"]).splitlines() == [
        "follow up: date set by you",
        "#2 Li Na · grade B",
    ]
    assert "LOCATION" not in follow


def test_lines_are_folded_at_75_octets_and_end_in_crlf(ok) -> None:
    seed(ok)
    ok("promise", "add", "1", "长" * 300, "--due", "wed")
    raw = ics(ok, "due", "--week", "--format", "ics").encode()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folded
    long = by_prefix(parse(raw.decode()), "promise-3.")
    assert str(long["SUMMARY"]) == "张伟 (A): " + "长" * 300  # no character split


def test_todo_makes_tasks_of_all_but_appointments(ok, db) -> None:
    seed(ok, *db)
    ok(*db, "promise", "add", "2", "send the deck", "--due", "tue 17:00")
    cal = parse(ics(ok, *db, "due", "--week", "--format", "ics", "--todo"))
    assert by_prefix(cal, "promise-1.").name == "VEVENT"  # the appointment
    quote = by_prefix(cal, "promise-2.")
    assert quote.name == "VTODO"
    assert quote.decoded("DUE") == date(2026, 11, 24)
    assert str(quote["STATUS"]) == "NEEDS-ACTION"
    assert "DTSTART" not in quote
    # Due at a time: DUE at that moment, in UTC (17:00 in Shanghai).
    deck = by_prefix(cal, "promise-3.")
    assert deck.decoded("DUE") == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    follow = by_prefix(cal, "followup-2.")
    assert (follow.name, follow.decoded("DUE")) == ("VTODO", date(2026, 11, 21))
    # Without --todo, the timed deliverable is an all-day event that says its time.
    cal = parse(ics(ok, *db, "due", "--week", "--format", "ics"))
    deck = by_prefix(cal, "promise-3.")
    assert deck.decoded("DTSTART") == date(2026, 11, 24)
    assert "Due: 2026-11-24 17:00" in str(deck["DESCRIPTION"]).splitlines()


def stamps(cal: Calendar) -> dict[str, tuple[int, datetime, Any]]:
    """Each item's SEQUENCE, DTSTAMP and start (or due), by UID."""
    return {
        uid: (
            int(c["SEQUENCE"]),
            c.decoded("DTSTAMP"),
            c.decoded("DTSTART") if "DTSTART" in c else c.decoded("DUE"),
        )
        for uid, c in items(cal).items()
    }


def test_uids_are_stable_and_sequence_moves_only_when_the_record_does(ok, db) -> None:
    seed(ok, *db)
    first = stamps(parse(ics(ok, *db, "due", "--week", "--format", "ics")))
    assert sorted(uid.split(".")[0] for uid in first) == ["followup-2", "promise-1", "promise-2"]
    assert all(uid.endswith("@clientcard") for uid in first)
    # Later, nothing changed: the same UIDs, SEQUENCE and DTSTAMP (each the record's change).
    again = stamps(parse(ics(ok, *db, "due", "--week", "--format", "ics", now=LATER)))
    assert again == first
    for sequence, stamp, _ in first.values():
        assert stamp == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # made at the pinned now
        assert sequence == int((stamp - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds())
    # Move the deliverable: the same event, a day later, with a higher SEQUENCE and DTSTAMP.
    ok(
        *db,
        "promise",
        "move",
        "P2",
        "--to",
        "wed",
        "--reason",
        "客户出差",
        env={"CLIENTCARD_NOW": LATER},
    )
    moved = stamps(parse(ics(ok, *db, "due", "--week", "--format", "ics", now=LATER)))
    assert moved.keys() == first.keys()
    uid = next(u for u in first if u.startswith("promise-2."))
    assert moved[uid][2] == date(2026, 11, 25)
    assert moved[uid][0] > first[uid][0]
    assert moved[uid][1] == datetime(2026, 11, 20, 3, 30, tzinfo=UTC)
    assert {u: v for u, v in moved.items() if u != uid} == {
        u: v for u, v in first.items() if u != uid
    }


def test_a_logged_contact_moves_the_follow_up_and_updates_its_event(ok, db) -> None:
    seed(ok, *db)
    first = stamps(parse(ics(ok, *db, "due", "--week", "--format", "ics")))
    ok(*db, "log", "2", "--via", "call", "--next", "thu", env={"CLIENTCARD_NOW": LATER})
    after = stamps(parse(ics(ok, *db, "due", "--week", "--format", "ics", now=LATER)))
    uid = next(u for u in first if u.startswith("followup-2."))
    assert after[uid][2] == date(2026, 11, 26)
    assert after[uid][0] > first[uid][0]
    assert after[uid][1] > first[uid][1]
    # 张伟's promises did not change, nor did his card.
    assert {u: v for u, v in after.items() if u != uid} == {
        u: v for u, v in first.items() if u != uid
    }


def test_every_kind_of_item_has_its_record_in_its_uid(ok, birthday: int) -> None:
    ok("sale", "1", "12000", "--what", "年金保险", "--no-contact")
    ok("complaint", "add", "1", "理赔太慢", "--severity", "high")
    ok("holiday", "add", "2026-12-31", "元旦", "--for", "all")
    cal = parse(ics(ok, "export", "--format", "ics"))
    assert sorted(uid.split(".")[0] for uid in items(cal)) == [
        "complaint-1",
        "date-1-2026",
        "followup-1",
        "holiday-1-1",
        "thanks-1",
    ]
    greeting = by_prefix(cal, "date-1-2026.")
    assert "喜欢普洱茶" in str(greeting["DESCRIPTION"])


def test_two_books_get_different_uids_by_their_names(ok) -> None:
    seed(ok)
    default = set(items(parse(ics(ok, "due", "--week", "--format", "ics"))))
    work = parse(ics(ok, "due", "--week", "--format", "ics", "--name", "工作 book"))
    assert str(work["X-WR-CALNAME"]) == "工作 book"
    assert not default & set(items(work))
    assert {u.split(".")[0] for u in default} == {u.split(".")[0] for u in items(work)}
    again = parse(ics(ok, "export", "--format", "ics", "--name", "工作 book"))
    assert set(items(work)) <= set(items(again))


def test_no_control_character_of_user_text_reaches_the_calendar(ok) -> None:
    add(ok, "Eve", "--company", "Evil\u202eCorp")
    ok("promise", "add", "1", "pay\x1b[31m now\x07 \x9b2J", "--due", "mon")
    text = ics(ok, "due", "--week", "--format", "ics")
    body = text.replace("\r\n", "")
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", body)
    event = by_prefix(parse(text), "promise-1.")
    assert str(event["SUMMARY"]) == "Eve (F): pay\\x1b[31m now\\x07 \\x9b2J"
    assert "Evil\\u202eCorp" in str(event["DESCRIPTION"])


def test_export_holds_overdue_items_and_the_next_90_days(ok, tmp_path: Path) -> None:
    add(ok, "张伟", "--grade", "A")
    ok("promise", "add", "1", "late one", "--due", "2026-11-21")
    # Days from Wednesday 2026-11-25, when the export runs (P1 is overdue by then).
    ok("promise", "add", "1", "in 60 days", "--due", "2027-01-24")
    ok("promise", "add", "1", "in 89 days", "--due", "2027-02-22")
    ok("promise", "add", "1", "in 90 days", "--due", "2027-02-23")
    later = "2026-11-25T09:00:00"
    whats = lambda cal: sorted(str(c["SUMMARY"]).split(": ")[1] for c in items(cal).values())  # noqa: E731
    cal = parse(ics(ok, "export", "--format", "ics", now=later))
    assert whats(cal) == ["follow up", "in 60 days", "in 89 days", "late one"]
    late = by_prefix(cal, "promise-1.")
    assert late.decoded("DTSTART") == date(2026, 11, 21)  # on its own day, not moved to today
    assert "overdue" in str(late["DESCRIPTION"])
    until = parse(ics(ok, "export", "--format", "ics", "--until", "2027-03-01", now=later))
    assert "in 90 days" in whats(until)
    # -o FILE: written whole, then renamed over the file (what a synced folder must see).
    target = tmp_path / "agenda.ics"
    target.write_text("old")
    assert (
        ok("export", "--format", "ics", "-o", str(target), env={"CLIENTCARD_NOW": later}).stdout
        == ""
    )
    assert whats(parse(target.read_text())) == whats(cal)
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export-")] == []


def test_an_empty_agenda_is_an_empty_calendar(ok) -> None:
    cal = parse(ics(ok, "due", "--format", "ics"))
    assert items(cal) == {}
    assert str(cal["X-WR-CALNAME"]) == "clientcard"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["list", "--format", "ics"],
            "invalid value for '--format' / '-f': 'ics' is not one of 'table', 'json', 'csv', "
            "'tsv' (see `clientcard list --help`)",
        ),
        (["due", "--todo"], "--todo is for --format ics only"),
        (["due", "--format", "json", "--name", "x"], "--name is for --format ics only"),
        (["due", "--format", "ics", "--name", " "], "--name is empty; give the calendar a name"),
        (
            ["due", "--format", "ics", "--quiet"],
            "--quiet is not for --format ics: a calendar is written, empty or not",
        ),
        (["export", "--until", "fri"], "--until is for --format ics only"),
        (["export", "--format", "csv", "--todo"], "--todo is for --format ics only"),
        (
            ["export", "--format", "ics", "--what", "contacts"],
            AGENDA_ONLY,
        ),
        (
            ["export", "--format", "ics", "--archived"],
            AGENDA_ONLY,
        ),
        (["export", "--format", "ics", "--until", "someday"], None),
    ],
)
def test_bad_combinations_are_one_line_and_exit_2(
    cli, args: list[str], message: str | None
) -> None:
    result = cli(*args)
    if message is None:  # a date that cannot be read: the date parser's own message
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith("clientcard: ")
        assert result.stderr.count("\n") == 1
        return
    assert_error(result, 2, message)


def test_read_by_icalendar_as_google_and_a_caldav_client_write_theirs(ok) -> None:
    """Our file is read by the library the way a real Google Calendar export (an event in UTC
    with Z) and a CalDAV client's VTODO (DUE;VALUE=DATE, NEEDS-ACTION) are."""
    google = parse((REALDATA / "icalendar_alarm_google_future.ics").read_text())
    todo = parse((REALDATA / "vobject_vtodo.ics").read_text())
    seed(ok)
    ours = parse(ics(ok, "due", "--week", "--format", "ics"))
    tasks = parse(ics(ok, "due", "--week", "--format", "ics", "--todo"))

    def timed(c: Component) -> tuple[Any, ...]:
        start, end, stamp = c.decoded("DTSTART"), c.decoded("DTEND"), c.decoded("DTSTAMP")
        return (
            type(start),
            start.utcoffset(),
            type(end),
            type(stamp),
            stamp.utcoffset(),
            type(c.decoded("SEQUENCE")),
        )

    (their_event,) = google.walk("VEVENT")
    assert timed(by_prefix(ours, "promise-1.")) == timed(their_event)
    assert str(ours["X-WR-CALNAME"])
    assert str(google["X-WR-CALNAME"])

    def task(c: Component) -> tuple[Any, ...]:
        return (
            type(c.decoded("DUE")),
            str(c["STATUS"]),
            type(c.decoded("DTSTAMP")),
            bool(str(c["SUMMARY"])),
        )

    (their_task,) = todo.walk("VTODO")
    assert task(by_prefix(tasks, "promise-2.")) == task(their_task)


def test_postgresql_writes_the_same_calendar(ok, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    for args in (["due", "--week", "--format", "ics"], ["export", "--format", "ics", "--todo"]):
        assert ics(ok, "--db", postgres_url, *args) == ics(ok, *args)
    ok("promise", "move", "P2", "--to", "wed", env={"CLIENTCARD_NOW": LATER})
    ok("--db", postgres_url, "promise", "move", "P2", "--to", "wed", env={"CLIENTCARD_NOW": LATER})
    args = ["due", "--week", "--format", "ics"]
    assert ics(ok, "--db", postgres_url, *args, now=LATER) == ics(ok, *args, now=LATER)


def test_the_cron_script_replaces_the_file_only_when_whole(ok, tmp_path: Path) -> None:
    """docs/agenda-to-calendar.sh: a temporary file in the folder, renamed over agenda.ics; a
    failure leaves the last good file and no temporary file behind."""
    seed(ok)
    script = Path(__file__).parent.parent / "docs" / "agenda-to-calendar.sh"
    folder = tmp_path / "synced"
    folder.mkdir()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(["sh", str(script), str(folder), "工作"], env=env, capture_output=True)
    assert run.returncode == 0, run.stderr
    written = (folder / "agenda.ics").read_bytes()
    cal = parse(written.decode())
    assert str(cal["X-WR-CALNAME"]) == "工作"
    assert set(items(cal)) == set(
        items(parse(ics(ok, "export", "--format", "ics", "--name", "工作")))
    )
    bad = subprocess.run(
        ["sh", str(script), str(folder)], env={**env, "CLIENTCARD_NOW": "bad"}, capture_output=True
    )
    assert bad.returncode == 2
    assert [p.name for p in folder.iterdir()] == ["agenda.ics"]
    assert (folder / "agenda.ics").read_bytes() == written
    # As cron runs it: a PATH without the virtual environment, CLIENTCARD naming the script.
    cron = {
        **os.environ,
        "PATH": "/usr/bin:/bin",
        "CLIENTCARD": str(Path(sys.executable).parent / "clientcard"),
    }
    again = subprocess.run(["sh", str(script), str(folder), "工作"], env=cron, capture_output=True)
    assert again.returncode == 0, again.stderr
    assert (folder / "agenda.ics").read_bytes() == written


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Asia/Shanghai", 7), ("America/New_York", 20), ("Europe/London", 15)],
)
def test_an_appointment_is_the_same_moment_from_any_zone(
    ok, monkeypatch: pytest.MonkeyPatch, zone: str, utc_hour: int
) -> None:
    """15:00 on Monday 2026-11-23 where the user is, in UTC; the all-day items on their day
    there."""
    monkeypatch.setenv("TZ", zone)
    seed(ok)
    cal = parse(ics(ok, "due", "--week", "--format", "ics"))
    meeting = by_prefix(cal, "promise-1.")
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 23, utc_hour, 0, tzinfo=UTC)
    assert by_prefix(cal, "promise-2.").decoded("DTSTART") == date(2026, 11, 24)


def test_the_example_in_calendar_md_is_what_due_writes(ok) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "calendar.md").read_text()
    setup = doc.split("replays it):\n\n```sh\n", 1)[1].split("```", 1)[0]
    env = {"CLIENTCARD_NOW": "2026-12-04T09:00"}
    for line in setup.splitlines():
        ok(*shlex.split(line)[1:], env=env)
    shown = doc.split("$ clientcard due --week --format ics\n", 1)[1].split("```", 1)[0]
    written = ics(ok, "due", "--week", "--format", "ics", now="2026-12-04T09:00")
    assert written == shown.replace("\n", "\r\n")
