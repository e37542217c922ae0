"""`clientcard config show|set`: the settings file, its checks, and what each setting changes:
the cadence of follow-ups, the notice window for promises, and how numeric dates are read.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai.
"""

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from helpers import add, assert_error, at

pytestmark = pytest.mark.usefixtures("migrated")

# The agenda's settings (later issues add more keys after these; the tests look at these).
DEFAULTS = {
    "date_order": "ymd",
    "notice_hours": 24,
    "cadence.A": 7,
    "cadence.B": 14,
    "cadence.C": 90,
    "cadence.D": 60,
    "cadence.E": 21,
    "cadence.F": 180,
}
MEANINGS = {
    "date_order": "how numeric dates like 11/12/2026 are read: ymd, dmy or mdy",
    "notice_hours": "a promise moved with less notice than this counts against the keep-rate",
    **{f"cadence.{g}": f"days between follow-ups of a grade {g} card" for g in "ABCDEF"},
}
SHOW_KEYS = [
    "key",
    "value",
    "default",
    "meaning",
    "scope",
    "source",
    "changed_by",
    "changed_at",
    "file_ignored",
]
KNOWN = "date_order, notice_hours, cadence.A, cadence.B, cadence.C, cadence.D, cadence.E, cadence.F"


# ---- helpers ------------------------------------------------------------------------------


@pytest.fixture
def config_file(isolated: Path) -> Path:
    return isolated.parent / "config.toml"  # CLIENTCARD_CONFIG, set by conftest


def settings(ok) -> dict[str, Any]:
    """Every setting's value, by key."""
    return {r["key"]: r["value"] for r in json.loads(ok("config", "show", "-f", "json").stdout)}


def agenda_rows(rows: list[Any], key=lambda row: row["key"]) -> list[Any]:
    """The rows of the agenda's settings, in the order shown."""
    return [row for row in rows if key(row) in DEFAULTS]


def followup(query, client_id: int) -> tuple[Any, ...]:
    return query("SELECT next_followup_on, followup_kind FROM client WHERE id = ?", (client_id,))[0]


# ---- show ---------------------------------------------------------------------------------


def test_show_lists_every_setting_with_its_default_and_meaning(ok, config_file):
    rows = json.loads(ok("config", "show", "--format", "json").stdout)
    assert all(list(row) == SHOW_KEYS for row in rows)
    assert all(row["value"] == row["default"] for row in rows)
    assert agenda_rows(rows) == [
        {
            "key": k,
            "value": v,
            "default": v,
            "meaning": MEANINGS[k],
            "scope": "personal" if k == "date_order" else "book",
            "source": "default",
            "changed_by": None,
            "changed_at": None,
            "file_ignored": False,
        }
        for k, v in DEFAULTS.items()
    ]
    assert not config_file.exists()  # showing writes nothing


def test_show_table_names_the_file(ok, config_file):
    # 170 columns: below, the list of complaint causes (issue 16) folds the Default column.
    show = ok("config", "show", env={"COLUMNS": "170"})
    out = [line.rstrip() for line in show.stdout.splitlines()]
    # From is left out: every value is a default (a column empty on every row is not drawn).
    assert out[0].split() == ["Key", "Value", "Scope", "Default", "Meaning"]
    # A default's source is left blank for people (json says "default").
    assert out[2].split()[:4] == ["date_order", "ymd", "personal", "ymd"]
    shown = [line.split()[0] for line in out[2:-1]]
    assert agenda_rows(shown, key=lambda key: key) == list(DEFAULTS)
    assert out[-1] == f"file: {config_file}"


def test_show_csv_and_tsv(ok):
    ok("config", "set", "--book", "cadence.B", "10")
    rows = list(csv.reader(io.StringIO(ok("config", "show", "-f", "csv").stdout)))
    assert rows[0] == SHOW_KEYS
    changed = ["book", "book", "li", "2026-11-20T09:00:00+08:00", "false"]
    assert ["cadence.B", "10", "14", MEANINGS["cadence.B"], *changed] in rows
    tsv = ok("config", "show", "-f", "tsv").stdout.splitlines()
    assert [line.split("\t") for line in tsv] == rows


# ---- set ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("date_order", "dmy", "dmy"),
        ("date_order", " MDY ", "mdy"),
        ("notice_hours", "12", 12),
        ("notice_hours", "0", 0),
        ("notice_hours", "720", 720),
        ("cadence.A", "5", 5),
        ("cadence.C", "30d", 30),
        ("cadence.F", "3650", 3650),
        ("cadence.E", "1", 1),
    ],
)
def test_set_saves_a_checked_value(ok, query, config_file, key, typed, stored):
    """A personal setting in the user's file; one of the book (--book) in the book."""
    before = settings(ok)
    if key == "date_order":
        out = ok("config", "set", key, typed).stdout
        assert out == f"{key} = {stored} (saved in {config_file})\n"
        with config_file.open("rb") as f:
            data = tomllib.load(f)
        section, _, leaf = key.rpartition(".")
        assert (data[section] if section else data) == {leaf: stored}
    else:
        out = ok("config", "set", "--book", key, typed).stdout
        assert out == f"{key} = {stored} (saved in the book)\n"
        assert not config_file.exists()
        assert query("SELECT key, value, changed_by FROM book_setting") == [
            (key, str(stored), "li")
        ]
    assert settings(ok) == {**before, key: stored}


def test_the_file_holds_only_what_the_user_changed(ok, config_file):
    ok("config", "set", "--book", "cadence.A", "5")
    ok("config", "set", "date_order", "dmy")
    ok("config", "set", "--book", "cadence.A", "6")
    with config_file.open("rb") as f:
        assert tomllib.load(f) == {"date_order": "dmy"}  # the cadence is the book's


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "blue", f"unknown setting 'colour'; known: {KNOWN}"),
        ("cadence.a", "5", f"unknown setting 'cadence.a'; known: {KNOWN}"),
        ("cadence.G", "5", f"unknown setting 'cadence.G'; known: {KNOWN}"),
        ("cadence", "5", f"unknown setting 'cadence'; known: {KNOWN}"),
        ("date_order", "xyz", "date_order must be ymd, dmy or mdy, not 'xyz'"),
        ("date_order", "", "date_order must be ymd, dmy or mdy, not ''"),
        ("notice_hours", "abc", "notice_hours must be a whole number from 0 to 720, not 'abc'"),
        ("notice_hours", "-1", "notice_hours must be a whole number from 0 to 720, not '-1'"),
        ("notice_hours", "721", "notice_hours must be a whole number from 0 to 720, not '721'"),
        ("notice_hours", "1.5", "notice_hours must be a whole number from 0 to 720, not '1.5'"),
        ("cadence.A", "0", "cadence.A must be a whole number from 1 to 3650, not '0'"),
        ("cadence.A", "3651", "cadence.A must be a whole number from 1 to 3650, not '3651'"),
        (
            "cadence.B",
            "two weeks",
            "cadence.B must be a whole number from 1 to 3650, not 'two weeks'",
        ),
        ("cadence.B", "2w", "cadence.B must be a whole number from 1 to 3650, not '2w'"),
    ],
)
def test_a_bad_setting_is_refused_and_the_file_unchanged(
    cli, ok, snapshot, config_file, key, value, message
):
    ok("config", "set", "date_order", "dmy")
    ok("config", "set", "--book", "cadence.A", "5")
    add(ok, "Amy", "--grade", "A")
    before, db_before = config_file.read_bytes(), snapshot()
    result = cli("config", "set", "--", key, value)
    if message.endswith(KNOWN):  # later issues add keys after the agenda's
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith(f"clientcard: {message}")
        assert result.stderr.count("\n") == 1
    else:
        assert_error(result, 2, message)
    assert config_file.read_bytes() == before
    assert snapshot() == db_before
    assert not list(config_file.parent.glob("*.tmp"))


def test_a_bad_setting_creates_no_file(cli, config_file):
    assert cli("config", "set", "--book", "cadence.A", "0").exit_code == 2
    assert not config_file.exists()


def test_a_broken_settings_file_is_a_clear_error(cli, config_file):
    config_file.write_text("[cadence]\nA = 0\n", encoding="utf-8")
    result = cli("due")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"clientcard: {config_file}: cadence.A must be a whole number from 1 to 3650, not 0\n"
    )
    config_file.write_text("cadence = [", encoding="utf-8")
    result = cli("config", "show")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: ")
    assert f"cannot read the settings file {config_file}: " in result.stderr
    assert result.stderr.count("\n") == 1


# ---- cadence ------------------------------------------------------------------------------


def test_a_new_cadence_sets_the_follow_ups_that_come_after(ok, query):
    ok("config", "set", "--book", "cadence.A", "3")
    ok("config", "set", "--book", "cadence.F", "30")
    amy = add(ok, "Amy", "--grade", "A")
    fan = add(ok, "Fan", "--grade", "F")
    assert followup(query, amy) == ("2026-11-23", "cadence")
    assert followup(query, fan) == ("2026-12-20", "cadence")
    out = ok("log", "Amy", "--via", "call", env=at("2026-11-21T10:00:00")).stdout
    assert out.endswith("next follow-up 2026-11-24 (by the grade's cadence)\n")
    ok("grade", "Fan", "A", "--reason", "met him", env=at("2026-11-21T10:00:00"))
    assert followup(query, fan) == ("2026-11-23", "cadence")  # 3 days after he was added
    assert [i["reason"] for i in json.loads(ok("due", "--week", "-f", "json").stdout)] == [
        "grade A cadence 3 d; never contacted since added 2026-11-20",
        "grade A cadence 3 d since last contact 2026-11-21",
    ]


def test_changing_a_cadence_reschedules_that_grades_cadence_follow_ups(ok, query):
    amy = add(ok, "Amy", "--grade", "A")  # 2026-11-27
    ann = add(ok, "Ann", "--grade", "A")
    ok("log", "Ann", "--via", "call", "--at", "2026-11-18 10:00")  # 2026-11-25
    bob = add(ok, "Bob", "--grade", "B")  # 2026-12-04: another grade
    ada = add(ok, "Ada", "--grade", "A")
    ok("snooze", "Ada", "2026-12-24", "--reason", "after Christmas")  # set by the user
    out = ok("config", "set", "--book", "cadence.A", "3", env=at("2026-11-21T10:00:00")).stdout
    assert out.startswith("cadence.A = 3 (saved in ")
    assert followup(query, amy) == ("2026-11-23", "cadence")
    assert followup(query, ann) == ("2026-11-21", "cadence")
    assert followup(query, bob) == ("2026-12-04", "cadence")
    assert followup(query, ada) == ("2026-12-24", "explicit")


# ---- notice_hours -------------------------------------------------------------------------


def test_notice_hours_decides_a_polite_move(ok, query):
    add(ok, "Amy", "--grade", "A")
    ok("promise", "add", "Amy", "coffee", "--at", "tomorrow 15:00")  # 30 h away
    ok("promise", "add", "Amy", "lunch", "--at", "tomorrow 12:00")  # 27 h away
    ok("config", "set", "--book", "notice_hours", "48")
    out = ok("promise", "move", "1", "--to", "mon 15:00").stdout
    assert out.endswith("short notice (told 30 h ahead): counts against your keep-rate\n")
    ok("config", "set", "--book", "notice_hours", "12")
    out = ok("promise", "move", "2", "--to", "mon 12:00").stdout
    assert out.endswith("; polite move (told 27 h ahead)\n")
    assert query("SELECT id, short_notice FROM promise ORDER BY id") == [(1, 1), (2, 0)]


def test_notice_hours_is_the_window_for_confirming_appointments(ok):
    add(ok, "Amy", "--grade", "A")
    ok("promise", "add", "Amy", "coffee", "--at", "tomorrow 15:00")  # 30 h away

    def today() -> list[str]:
        return [i["reason"] for i in json.loads(ok("due", "-f", "json").stdout)]

    assert today() == []
    ok("config", "set", "--book", "notice_hours", "30")
    assert today() == ["in 30 h: confirm or tell the client now"]
    ok("config", "set", "--book", "notice_hours", "0")
    assert today() == []


# ---- date_order ---------------------------------------------------------------------------


def numeric(order: str, month: int, day: int) -> str:
    """A 2026 date typed with numbers only, as someone used to `order` types it."""
    return {
        "ymd": f"2026/{month}/{day}",
        "dmy": f"{day}/{month}/2026",
        "mdy": f"{month}/{day}/2026",
    }[order]


@pytest.mark.parametrize("order", ["ymd", "dmy", "mdy"])
def test_date_order_is_used_by_every_when_option(ok, query, order):
    if order != "ymd":
        ok("config", "set", "date_order", order)
    dec11, dec13, dec20 = (numeric(order, 12, d) for d in (11, 13, 20))
    short = "11/12" if order == "dmy" else "12/11"  # two numbers: this year
    add(ok, "Amy", "--grade", "A")
    ok("snooze", "Amy", dec11)
    assert query("SELECT next_followup_on FROM client") == [("2026-12-11",)]
    ok("promise", "add", "Amy", "quote", "--due", dec11)
    ok("promise", "add", "Amy", "coffee", "--at", f"{dec11} 15:00")
    ok("promise", "add", "Amy", "brochure", "--due", short)
    told = f"{numeric(order, 11, 20)} 09:00"  # now
    out = ok("promise", "move", "1", "--to", dec13, "--told", told).stdout
    assert out.endswith("deliverable 2026-12-13; polite move (told 495 h ahead)\n")
    # Issue 11: an all-day promise is its calendar date (due_on), due_at that date's midnight UTC.
    assert query("SELECT due_at, all_day, due_on FROM promise ORDER BY id") == [
        ("2026-12-13 00:00:00.000000", 1, "2026-12-13"),
        ("2026-12-11 07:00:00.000000", 0, None),
        ("2026-12-11 00:00:00.000000", 1, "2026-12-11"),
    ]
    due = json.loads(ok("due", "--until", dec11, "-f", "json").stdout)
    assert [i["what"] for i in due] == ["brochure", "coffee", "follow up"]
    later = at("2026-12-15T09:00:00")
    ok("log", "Amy", "--via", "call", "--at", dec11, "--next", dec20, env=later)
    assert query("SELECT at, next_on FROM contact") == [
        ("2026-12-10 16:00:00.000000", "2026-12-20")
    ]
    ok("promise", "done", "2", "--at", dec13, env=later)
    assert query("SELECT status, closed_at FROM promise WHERE id = 2") == [
        ("kept_late", "2026-12-12 16:00:00.000000")
    ]
    contacts = json.loads(ok("contacts", "--since", dec13, "-f", "json", env=later).stdout)
    assert contacts == []


def test_dmy_and_mdy_read_11_12_2026_differently(ok, query):
    add(ok, "Amy", "--grade", "A")
    ok("config", "set", "date_order", "dmy")
    ok("promise", "add", "Amy", "x", "--due", "11/12/2026")
    ok("config", "set", "date_order", "mdy")
    ok("log", "Amy", "--via", "call", "--at", "11/12/2026")
    assert query("SELECT due_on FROM promise") == [("2026-12-11",)]  # 11 Dec (issue 11: a date)
    assert query("SELECT at FROM contact") == [("2026-11-11 16:00:00.000000",)]  # Nov 12


def test_a_year_last_date_needs_a_date_order(cli, ok, snapshot):
    add(ok, "Amy", "--grade", "A")
    before = snapshot()
    result = cli("promise", "add", "Amy", "x", "--due", "11/12/2026")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "clientcard: cannot read '11/12/2026' as a date (date_order is ymd but the year is last; "
        "run `clientcard config set date_order dmy|mdy` or write 2026-12-01); accepted: "
    )
    assert snapshot() == before


def test_show_reads_well_at_80_columns(ok):
    """Value is short (but for a list of causes): at 80 columns it takes its minimum and
    Meaning gets the room, so a key takes 3 lines or so, not 5 to 7 (review of issue 17)."""
    out = ok("config", "show", env={"COLUMNS": "80"}).stdout.splitlines()
    header = out[0]
    assert header.split() == ["Key", "Value", "Scope", "Meaning"]
    assert max(len(line) for line in out[:-1]) <= 80
    assert header.index("Scope") - header.index("Value") <= 16  # Value: its longest word
    assert 80 - header.index("Meaning") >= 25
    blocks: dict[str, int] = {}
    for line in out[2:-1]:
        if line[:1].strip():
            key = line.split()[0]
        blocks[key] = blocks.get(key, 0) + 1
    assert blocks["cadence.A"] == 3  # two lines of meaning and its default
    assert blocks["date_order"] == 4
