"""Issue 17, people and book settings (docs/team.md): who did what is recorded on every record
a person makes and shown in histories and JSON; a new card is its adder's; the settings that
change what the book means live in the book, the same for every user, with who changed them.

On SQLite and PostgreSQL, through the CLI. Now is pinned to Friday 2026-11-20 09:00 in Shanghai.
"""

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, assert_error, at, rows, write
from test_migrations import make_database_at

Query = Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Query:
    """The test's book on each engine; returns a reader of what is stored in it."""
    if request.param == "sqlite":
        request.getfixturevalue("migrated")
        return lambda sql: rows(db_path, sql)
    url: str = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("CLIENTCARD_DB", url)

    def query(sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", "")) as connection:
            return [tuple(r) for r in connection.execute(sql).fetchall()]  # type: ignore[arg-type]

    return query


def data(ok: Run, *args: str, **kwargs: Any) -> Any:
    return json.loads(ok(*args, "--format", "json", **kwargs).stdout)


WANG = {"CLIENTCARD_USER": "王芳"}


# ---- who did what ---------------------------------------------------------------------------


def test_every_record_says_who_made_it(ok: Run, book: Query) -> None:
    ok("add", "张伟", "--grade", "C", "--phone", "13800138000", env=WANG)
    ok("log", "张伟", "电话回访", env=WANG)
    ok("grade", "张伟", "B", "--reason", "预算批了", env=WANG)
    ok("promise", "add", "张伟", "见面", "--at", "2026-11-23 10:00", env=WANG)
    ok("promise", "done", "P1", env={**WANG, **at("2026-11-23T11:00")})
    ok("rate", "张伟", "--credit", "good", env=WANG)
    ok("complaint", "add", "张伟", "理赔太慢", env=WANG)
    ok("complaint", "step", "C1", "打电话道歉", "--via", "call", env=WANG)
    ok("date", "add", "张伟", "birthday", "03-08", env=WANG)
    ok("person", "add", "张伟", "王秘书", "--role", "secretary", env=WANG)
    ok("sale", "张伟", "12000", "--what", "保险", env=at("2026-11-23T12:00"))  # as li: the last

    card = data(ok, "show", "张伟", env=at("2026-11-24T09:00"))
    assert (card["owner"], card["created_by"], card["updated_by"]) == ("王芳", "王芳", "li")
    assert [g["author"] for g in card["grade_history"]] == ["王芳", "王芳"]
    assert {(c["source"], c["author"]) for c in card["recent_contacts"]} == {
        (None, "王芳"),
        ("appointment", "王芳"),  # the kept appointment's contact
        ("sale", "li"),  # the sale's contact: who recorded the sale
        ("complaint", "王芳"),  # the complaint step's
    }
    assert [s["author"] for s in card["recent_sales"]] == ["li"]
    assert [c["author"] for c in card["open_complaints"]] == ["王芳"]
    assert [r["author"] for r in data(ok, "rate", "张伟", "--history")] == ["王芳"]
    timeline = data(ok, "complaint", "show", "C1")["timeline"]
    assert [(t["kind"], t["author"]) for t in timeline] == [("received", "王芳"), ("step", "王芳")]
    assert [p["author"] for p in data(ok, "promise", "list", "--all")] == ["王芳"]
    assert [(c["created_by"], c["updated_by"]) for c in data(ok, "list")] == [("王芳", "li")]
    assert book("SELECT event, author FROM promise_event ORDER BY id") == [
        ("made", "王芳"),
        ("kept", "王芳"),
    ]
    for table in ("key_date", "person", "rating_change", "complaint_step"):
        assert book(f"SELECT DISTINCT author FROM {table}") == [("王芳",)], table

    page = ok("show", "张伟", env={**at("2026-11-24T09:00"), "COLUMNS": "100"}).stdout
    assert "Owner           王芳\n" in page
    assert "Added           2026-11-20 09:00 by 王芳\n" in page
    assert "Updated         2026-11-23 12:00 by li\n" in page
    history = page.split("Grade history\n")[1].splitlines()
    assert history[0].split() == ["When", "From", "To", "Held", "Why", "By"]
    assert history[2].split()[-1] == "王芳"


def test_a_new_card_is_owned_by_who_adds_or_imports_it(ok: Run, book: Query, tmp_path) -> None:
    ok("add", "Amy", "--owner", "陈静")
    ok("add", "Bob")
    path = write(tmp_path, "name,owner\nCarl,陈静\nDora,\n")
    ok("import", path, env=WANG)
    owners = [(c["name"], c["owner"], c["created_by"]) for c in data(ok, "list")]
    assert sorted(owners) == [
        ("Amy", "陈静", "li"),
        ("Bob", "li", "li"),
        ("Carl", "陈静", "王芳"),
        ("Dora", "王芳", "王芳"),
    ]
    assert book("SELECT DISTINCT author FROM grade_change WHERE reason = 'added' ORDER BY 1") == [
        ("li",),
        ("王芳",),
    ]


@pytest.mark.usefixtures("migrated")
def test_merge_records_who_merged_and_keeps_who_added(ok: Run, query) -> None:
    ok("add", "张伟", "--grade", "B", env=WANG)
    ok("add", "张伟伟", "--grade", "C")
    ok("merge", "张伟", "张伟伟", "--yes")
    assert query("SELECT created_by, updated_by FROM client") == [("王芳", "li")]
    assert query("SELECT author FROM client_merge") == [("li",)]


def test_on_postgresql_the_role_is_the_user(
    ok: Run, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
    monkeypatch.delenv("CLIENTCARD_USER")
    ok("add", "张伟")
    ok("log", "张伟", "called")
    card = data(ok, "show", "张伟")
    # tests/postgres_server.py connects as the role postgres
    assert (card["owner"], card["created_by"]) == ("postgres", "postgres")
    assert [c["author"] for c in card["recent_contacts"]] == ["postgres"]


def test_a_bad_user_name_is_one_line(cli: Run) -> None:
    assert_error(
        cli("add", "张伟", env={"CLIENTCARD_USER": "li\x1b[2J"}),
        2,
        "CLIENTCARD_USER holds a control character; a person's name is plain text",
    )


def test_a_book_from_before_says_unknown(ok: Run, db_path: Path) -> None:
    """Records made before migration 0011 have no author: unknown to people, null in JSON."""
    make_database_at(db_path, "0010")
    moment = "2026-11-01 01:00:00.000000"
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, graded_at,"
            " followup_kind, search_key) VALUES (1, '张伟', '张伟', 'B', ?, ?, ?, 'cadence', '')",
            [moment] * 3,
        )
        conn.execute(
            "INSERT INTO grade_change (client_id, from_grade, to_grade, changed_at, reason)"
            " VALUES (1, NULL, 'B', ?, 'added')",
            [moment],
        )
        conn.execute(
            "INSERT INTO contact (client_id, at, via, summary, logged_at, greeting)"
            " VALUES (1, ?, 'call', 'old call', ?, 0)",
            [moment, moment],
        )
    card = data(ok, "show", "张伟")  # opens the book: the upgrade
    assert (card["owner"], card["created_by"], card["updated_by"]) == (None, None, None)
    assert [g["author"] for g in card["grade_history"]] == [None]
    assert [c["author"] for c in card["recent_contacts"]] == [None]
    page = ok("show", "张伟", env={"COLUMNS": "100"}).stdout
    assert "Added           2026-11-01 09:00 by unknown\n" in page
    assert page.split("Grade history\n")[1].splitlines()[2].split()[-1] == "unknown"
    assert page.split("Recent contacts\n")[1].splitlines()[2].split()[-1] == "unknown"
    ok("log", "张伟", "new call")  # a new record on the old card: its author
    assert [c["author"] for c in data(ok, "contacts")] == ["li", None]


# ---- book settings --------------------------------------------------------------------------


@pytest.fixture
def two(tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Users a and b, each with a settings file of their own; b's says cadence.A = 10 and
    log.via = visit."""
    b_file = tmp_path / "b.toml"
    b_file.write_text('log = { via = "visit" }\n[cadence]\nA = 10\n', encoding="utf-8")
    a = {"CLIENTCARD_USER": "a", "CLIENTCARD_CONFIG": str(tmp_path / "a.toml")}
    b = {"CLIENTCARD_USER": "b", "CLIENTCARD_CONFIG": str(b_file)}
    return a, b


def settings_of(ok: Run, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in data(ok, "config", "show", env=env)}


def on_postgresql() -> bool:
    return os.environ.get("CLIENTCARD_DB", "").startswith("postgresql")


def test_a_book_setting_is_the_same_for_everyone(ok: Run, cli: Run, book: Query, two) -> None:
    a, b = two
    team = on_postgresql()
    ok("add", "Amy", "--grade", "A", env=b)
    # Before the book has a value, b's file counts for b on one person's SQLite book (an old
    # single user's file); on a team's book it is ignored: b's card follows the default 7.
    assert data(ok, "show", "Amy", env=b)["next_followup"]["on"] == (
        "2026-11-27" if team else "2026-11-30"
    )
    assert settings_of(ok, b)["cadence.A"] | {"meaning": ""} == {
        "key": "cadence.A",
        "value": 7 if team else 10,
        "default": 7,
        "meaning": "",
        "scope": "book",
        "source": "default" if team else "file",
        "changed_by": None,
        "changed_at": None,
        "file_ignored": team,
    }

    out = ok("config", "set", "--book", "cadence.A", "3", env=a).stdout
    assert out == "cadence.A = 3 (saved in the book); 1 card rescheduled\n"
    assert book("SELECT key, value, changed_by FROM book_setting") == [("cadence.A", "3", "a")]
    assert book("SELECT key, value, author FROM book_setting_change") == [("cadence.A", "3", "a")]

    # b's show and due use the book's 3, not b's file's 10, and explain the date with it.
    assert data(ok, "show", "Amy", env=b)["next_followup"]["on"] == "2026-11-23"
    [item] = data(ok, "due", env={**b, **at("2026-11-23T09:00")})
    assert (item["client"], item["due"]) == ("Amy", "2026-11-23")
    assert item["reason"].startswith("grade A cadence 3 d")
    shown = settings_of(ok, b)["cadence.A"]
    assert (shown["value"], shown["source"], shown["changed_by"]) == (3, "book", "a")
    assert shown["changed_at"] == "2026-11-20T09:00:00+08:00"
    table = ok("config", "show", env={**b, "COLUMNS": "200"}).stdout
    assert "book (a, 2026-11-20)" in table

    # A personal setting stays each user's.
    assert settings_of(ok, a)["log.via"]["value"] == "call"
    assert (settings_of(ok, b)["log.via"]["value"], settings_of(ok, b)["log.via"]["scope"]) == (
        "visit",
        "personal",
    )
    ok("log", "Amy", "hello", env=b)
    assert data(ok, "contacts", env=a)[0]["via"] == "visit"

    # The currency of the book: one for both.
    ok("config", "set", "--book", "currency", "eur", env=a)
    ok("sale", "Amy", "100", env=b)
    assert data(ok, "sales", env=a)[0]["currency"] == data(ok, "sales", env=b)[0]["currency"]
    assert data(ok, "sales", env=b)[0]["currency"] == "EUR"
    assert "100.00 EUR" in ok("show", "Amy", env=b).stdout

    # Without --book: refused, one line, nothing written.
    assert_error(
        cli("config", "set", "cadence.A", "5", env=b),
        2,
        "cadence.A is a setting of the book, the same for everyone who shares it: "
        "use `clientcard config set --book cadence.A VALUE`",
    )
    assert_error(
        cli("config", "set", "--book", "log.via", "visit", env=b),
        2,
        "log.via is a personal setting, kept in your settings file: "
        "use `clientcard config set log.via VALUE` without --book",
    )
    assert book("SELECT value FROM book_setting WHERE key = 'cadence.A'") == [("3",)]

    # Back to the default: recorded with who did it; then b's file counts for b again on an
    # SQLite book, never on a team's.
    out = ok("config", "unset", "--book", "cadence.A", env=b).stdout
    assert out.startswith(f"cadence.A = {7 if team else 10} (the book's value removed)")
    assert book("SELECT key, value, author FROM book_setting_change ORDER BY id") == [
        ("cadence.A", "3", "a"),
        ("currency", "EUR", "a"),
        ("cadence.A", None, "b"),
    ]
    assert settings_of(ok, a)["cadence.A"]["source"] == "default"
    assert settings_of(ok, b)["cadence.A"]["source"] == ("default" if team else "file")


def test_a_file_value_of_a_book_key_never_moves_a_teams_cards(
    ok: Run, cli: Run, book: Query, tmp_path: Path
) -> None:
    """Issue 17: one person's file saying cadence.A = 3 must not move shared cards on a team's
    book, nor explain a colleague's date; on one person's SQLite book it still counts."""
    team = on_postgresql()
    wang_file = tmp_path / "wang.toml"
    wang_file.write_text("[cadence]\nA = 3\n", encoding="utf-8")
    wang = {**WANG, "CLIENTCARD_CONFIG": str(wang_file)}
    li = {"CLIENTCARD_USER": "li", "CLIENTCARD_CONFIG": str(tmp_path / "li.toml")}
    ok("add", "Amy", "--grade", "A", env=li)
    ok("log", "Amy", "a call", env=wang)  # wang logs on li's card: the next follow-up
    on = data(ok, "show", "Amy", env=li)["next_followup"]["on"]
    assert on == ("2026-11-27" if team else "2026-11-23")
    [item] = data(ok, "due", env={**wang, **at(on + "T09:00")})
    assert item["reason"].startswith("grade A cadence 7 d" if team else "grade A cadence 3 d")
    if team:
        table = ok("config", "show", env={**wang, "COLUMNS": "200"}).stdout
        line = next(x for x in table.splitlines() if x.startswith("cadence.A "))
        assert "file (ignored on a team's" in line
        assert settings_of(ok, wang)["cadence.A"]["value"] == 7


def test_unset_of_a_book_key_says_what_it_removed(ok: Run, book: Query, tmp_path: Path) -> None:
    """`config unset --book` with no book value claims nothing and records nothing; `config
    unset` of a book key without --book removes the stale value from the user's own file."""
    team = on_postgresql()
    wang_file = tmp_path / "wang.toml"
    wang_file.write_text("[cadence]\nA = 3\n", encoding="utf-8")
    wang = {**WANG, "CLIENTCARD_CONFIG": str(wang_file)}
    ok("add", "Amy", "--grade", "A", env=wang)
    out = ok("config", "unset", "--book", "cadence.A", env=wang).stdout
    value = 7 if team else 3
    assert out == f"cadence.A = {value} (the book has no value of its own for cadence.A)\n"
    assert book("SELECT key FROM book_setting_change") == []
    out = ok("config", "unset", "cadence.A", env=wang).stdout
    moved = "" if team else "; 1 card rescheduled"
    assert out == f"cadence.A = 7 (removed from {wang_file}){moved}\n"
    assert "cadence" not in wang_file.read_text(encoding="utf-8")
    assert data(ok, "show", "Amy", env=wang)["next_followup"]["on"] == "2026-11-27"
    assert book("SELECT key FROM book_setting_change") == []
    out = ok("config", "unset", "cadence.A", env=wang).stdout
    assert out == f"cadence.A = 7 (not in {wang_file})\n"


def test_unsetting_the_books_cadence_reschedules_by_the_books_value(
    ok: Run, book: Query, tmp_path: Path
) -> None:
    """王芳's file says cadence.A = 3; she unsets the book's cadence.A (5): on a team's book the
    cards move by the default 7, not by her file's 3."""
    team = on_postgresql()
    wang_file = tmp_path / "wang.toml"
    wang_file.write_text("[cadence]\nA = 3\n", encoding="utf-8")
    wang = {**WANG, "CLIENTCARD_CONFIG": str(wang_file)}
    li = {"CLIENTCARD_USER": "li", "CLIENTCARD_CONFIG": str(tmp_path / "li.toml")}
    ok("config", "set", "--book", "cadence.A", "5", env=li)
    ok("add", "Amy", "--grade", "A", env=li)
    assert data(ok, "show", "Amy", env=li)["next_followup"]["on"] == "2026-11-25"
    out = ok("config", "unset", "--book", "cadence.A", env=wang).stdout
    assert out == f"cadence.A = {7 if team else 3} (the book's value removed); 1 card rescheduled\n"
    assert data(ok, "show", "Amy", env=li)["next_followup"]["on"] == (
        "2026-11-27" if team else "2026-11-23"
    )
    # set --book reschedules by the value set, whatever the setter's file says
    ok("config", "set", "--book", "cadence.A", "10", env=wang)
    assert data(ok, "show", "Amy", env=li)["next_followup"]["on"] == "2026-11-30"


@pytest.mark.usefixtures("migrated")
def test_a_personal_setting_opens_no_book(ok: Run, tmp_path: Path, db_path: Path) -> None:
    db_path.unlink()
    out = ok("config", "set", "log.via", "visit").stdout
    assert out.startswith("log.via = visit (saved in ")
    assert ok("config", "unset", "log.via").stdout.startswith("log.via = call (removed from ")
    assert not db_path.exists()


@pytest.mark.usefixtures("migrated")
def test_a_personal_setting_is_unset_from_the_file(ok: Run, tmp_path: Path) -> None:
    ok("config", "set", "date_order", "dmy")
    assert "date_order" in (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert ok("config", "unset", "date_order").stdout.startswith("date_order = ymd (removed from")
    assert "date_order" not in (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert settings_of(ok, {})["date_order"]["source"] == "default"


@pytest.mark.usefixtures("migrated")
def test_a_bad_book_value_is_one_clear_line(ok: Run, cli: Run, db_path: Path) -> None:
    ok("add", "Amy")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO book_setting (key, value, changed_at) VALUES ('cadence.A', '0', ?)",
            ["2026-11-20 01:00:00.000000"],
        )
        # a key a newer clientcard knows: left alone
        conn.execute(
            "INSERT INTO book_setting (key, value, changed_at) VALUES ('later.key', 'x', ?)",
            ["2026-11-20 01:00:00.000000"],
        )
    result = cli("due")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: the book's setting cadence.A cannot be read: ")
    ok("config", "set", "--book", "cadence.A", "4")
    ok("due")


def test_config_show_creates_no_book(ok: Run, tmp_path: Path, db_path: Path) -> None:
    """`config show` before there is a book: the defaults and the file, and no book made."""
    assert not db_path.exists()
    ok("config", "set", "log.via", "visit")
    out = " ".join(ok("config", "show", env={"COLUMNS": "200"}).stdout.split())
    assert f"no book yet at {db_path}: the defaults and your file" in out
    shown = settings_of(ok, {})
    assert (shown["log.via"]["value"], shown["log.via"]["source"]) == ("visit", "file")
    assert not db_path.exists()
