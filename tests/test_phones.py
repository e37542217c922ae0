"""Issue 14, point 1: several phones and e-mail addresses per card.

- `add --phone/--email`, repeatable, each maybe labelled (`mobile:138 0013 8000`); the first is
  the main one, which the card also holds as `phone`/`email` (lists, `due`, duplicate warnings).
- `edit --phone` replaces the list, `--add-phone` adds (relabels one the card has),
  `--remove-phone` removes (matched by key: any spacing, +86), `--main-phone` puts one first.
- Lookups, `list --search` and duplicate checks find a card by any of its numbers.
- Machine formats carry `phones` and `emails`; CSV/TSV as `label:value; label:value`.
- Migration 0007 splits the phone and e-mail fields a book already holds.

Now is pinned by the autouse fixtures (tests/conftest.py).
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from alembic import command

from helpers import add, assert_error, rows
from test_migrations import alembic_config, make_database_at

ZHANG = ("张伟", "--phone", "mobile:138 0013 8000", "--phone", "work:010 6552 1234")


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The book on a file, then on a real PostgreSQL database."""
    if request.param == "postgresql":
        monkeypatch.setenv("CLIENTCARD_DB", request.getfixturevalue("postgres_url"))
    return str(request.param)


def card(ok: Any, ref: str) -> dict[str, Any]:
    return dict(json.loads(ok("show", ref, "-f", "json").stdout))


def phones(ok: Any, ref: str) -> list[tuple[str | None, str]]:
    return [(p["label"], p["number"]) for p in card(ok, ref)["phones"]]


def emails(ok: Any, ref: str) -> list[tuple[str | None, str]]:
    return [(e["label"], e["address"]) for e in card(ok, ref)["emails"]]


# ---- add -----------------------------------------------------------------------------------


def test_add_takes_several_labelled_phones_and_emails_the_first_is_main(ok, book) -> None:
    add(ok, *ZHANG, "--email", "work:zw@acme.cn", "--email", "ZW@qq.com")
    shown = card(ok, "张伟")
    assert (shown["phone"], shown["email"]) == ("138 0013 8000", "zw@acme.cn")
    assert phones(ok, "张伟") == [("mobile", "138 0013 8000"), ("work", "010 6552 1234")]
    assert emails(ok, "张伟") == [("work", "zw@acme.cn"), (None, "ZW@qq.com")]


def test_a_plus_or_a_trunk_zero_is_no_label_and_an_own_word_is(ok) -> None:
    add(ok, "Li Na", "--phone", "+86 139 0013 9000", "--phone", "010-6552 1234")
    assert phones(ok, "Li Na") == [(None, "+86 139 0013 9000"), (None, "010-6552 1234")]
    add(ok, "王芳", "--phone", "前台\uff1a010 1234 5678", "--phone", "Mobile: 137 0000 0001")
    assert phones(ok, "王芳") == [("前台", "010 1234 5678"), ("mobile", "137 0000 0001")]


def test_one_value_with_several_numbers_becomes_several_phones(ok) -> None:
    add(ok, "Li Na", "--phone", "13800138000 13900139000; work:010 6552 1234 / 021-6888 8888")
    assert phones(ok, "Li Na") == [
        (None, "13800138000"),
        (None, "13900139000"),
        ("work", "010 6552 1234"),
        (None, "021-6888 8888"),
    ]


def test_the_same_number_twice_is_kept_once(ok, query) -> None:
    add(ok, "Li Na", "--phone", "138 0013 8000", "--phone", "mobile:+86 13800138000")
    assert phones(ok, "Li Na") == [(None, "138 0013 8000")]
    assert query("SELECT kind, position, value, key FROM client_reach") == [
        ("phone", 0, "138 0013 8000", "8613800138000")
    ]


def test_bad_phones_and_emails_are_refused_with_one_line(cli, ok, snapshot) -> None:
    add(ok, "王芳", "--phone", "138 0013 8000")
    before = snapshot()
    assert_error(
        cli("add", "Li", "--phone", "mobile:"),
        2,
        "--phone 'mobile:' has a label but no phone after it",
    )
    result = cli("add", "Li", "--email", "work:not-an-address")
    # No address after the colon: not a label, and the whole text is no address.
    assert result.stderr.startswith("clientcard: 'work:not-an-address' is not an e-mail address")
    result = cli("add", "Li", "--phone", "x" * 101)
    assert result.stderr == "clientcard: phone is 101 characters long; at most 100 fit\n"
    result = cli("add", "Li", "--phone", "l" * 51 + ":138")
    assert result.stderr == "clientcard: label is 51 characters long; at most 50 fit\n"
    assert snapshot() == before


# ---- edit ----------------------------------------------------------------------------------


def test_edit_phone_replaces_the_list_and_add_phone_keeps_it(ok, book) -> None:
    add(ok, *ZHANG)
    ok("edit", "张伟", "--add-phone", "home:021 5555 6666", "--add-phone", "work:01065521234")
    assert phones(ok, "张伟") == [
        ("mobile", "138 0013 8000"),
        ("work", "010 6552 1234"),
        ("home", "021 5555 6666"),
    ]
    ok("edit", "张伟", "--add-phone", "fax:010 6552 1234")  # one it has: relabelled
    assert phones(ok, "张伟")[1] == ("fax", "010 6552 1234")
    result = ok("edit", "张伟", "--phone", "139 0000 0001")
    assert result.stderr == (
        "clientcard: warning: --phone replaced the card's phones; no longer on it: 138 0013 8000,"
        " 010 6552 1234, 021 5555 6666 (--add-phone adds one and keeps the others)\n"
    )
    assert phones(ok, "张伟") == [(None, "139 0000 0001")]
    assert card(ok, "张伟")["phone"] == "139 0000 0001"
    assert ok("edit", "张伟", "--phone", "").stderr == ""  # cleared on purpose: no warning
    assert (phones(ok, "张伟"), card(ok, "张伟")["phone"]) == ([], None)


def test_remove_and_main_phone_match_any_spacing(ok, book, query) -> None:
    add(ok, *ZHANG, "--phone", "021 5555 6666")
    ok("edit", "张伟", "--remove-phone", "+86 10 6552 1234", "--main-phone", "02155556666")
    assert phones(ok, "张伟") == [(None, "021 5555 6666"), ("mobile", "138 0013 8000")]
    assert card(ok, "张伟")["phone"] == "021 5555 6666"
    if book == "sqlite":
        assert query("SELECT phone, phone_key FROM client") == [("021 5555 6666", "862155556666")]
    ok("edit", "张伟", "--main-phone", "work:010 1111 2222")  # not on the card: added first
    assert phones(ok, "张伟")[0] == ("work", "010 1111 2222")


def test_removing_a_number_the_card_lacks_is_refused(cli, ok) -> None:
    add(ok, *ZHANG)
    assert_error(
        cli("edit", "张伟", "--remove-phone", "139"),
        2,
        "the card has no phone 139 to remove; its phones: 138 0013 8000, 010 6552 1234",
    )


def test_an_edit_giving_the_phones_the_card_has_changes_nothing(ok) -> None:
    add(ok, *ZHANG)
    result = ok("edit", "张伟", "--phone", "mobile:138 0013 8000", "--phone", "work:010 6552 1234")
    assert result.stdout.startswith("Unchanged #1 张伟")


def test_emails_edit_like_phones(ok, book) -> None:
    add(ok, "Li Na", "--email", "li@a.cn")
    ok("edit", "Li Na", "--add-email", "home:li@qq.com", "--main-email", "LI@QQ.COM")
    assert emails(ok, "Li Na") == [("home", "li@qq.com"), (None, "li@a.cn")]
    ok("edit", "Li Na", "--remove-email", "Li@A.cn")
    assert emails(ok, "Li Na") == [("home", "li@qq.com")]
    assert card(ok, "Li Na")["email"] == "li@qq.com"


# ---- finding a card by any of its numbers --------------------------------------------------


def test_a_card_is_found_by_any_of_its_numbers(ok, book) -> None:
    add(ok, *ZHANG)
    add(ok, "Li Na")
    assert card(ok, "010 6552 1234")["name"] == "张伟"
    assert card(ok, "+86 10 6552 1234")["name"] == "张伟"
    found = json.loads(ok("list", "--search", "01065521234", "-f", "json").stdout)
    assert [c["name"] for c in found] == ["张伟"]
    found = json.loads(ok("list", "--search", "6552 1234", "-f", "json").stdout)
    assert [c["name"] for c in found] == ["张伟"]


def test_a_second_number_already_on_a_live_card_is_refused(cli, ok, book) -> None:
    add(ok, *ZHANG)
    result = cli("add", "Li Na", "--phone", "139 0000 0001", "--phone", "01065521234")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "clientcard: the phone 01065521234 is already on #1 张伟, phone 138 0013 8000;"
    )
    add(ok, "Li Na")
    assert cli("edit", "Li Na", "--add-phone", "010 6552 1234").exit_code == 3
    ok("edit", "Li Na", "--add-phone", "010 6552 1234", "--allow-duplicate")


# ---- formats -------------------------------------------------------------------------------


def test_csv_and_tsv_carry_the_labelled_lists_and_list_shows_the_main(ok, book) -> None:
    add(ok, *ZHANG, "--email", "work:zw@acme.cn", "--email", "zw@qq.com")
    header, line = ok("list", "-f", "csv").stdout.splitlines()
    cells = dict(zip(header.split(","), line.split(","), strict=True))
    assert cells["phone"] == "138 0013 8000"
    assert cells["phones"] == "mobile:138 0013 8000; work:010 6552 1234"
    assert cells["emails"] == "work:zw@acme.cn; zw@qq.com"
    tsv = ok("export", "-f", "tsv").stdout.splitlines()
    assert dict(zip(tsv[0].split("\t"), tsv[1].split("\t"), strict=True))["phones"] == (
        "mobile:138 0013 8000; work:010 6552 1234"
    )
    exported = json.loads(ok("export", "-f", "json").stdout)[0]
    assert exported["phones"] == [
        {"label": "mobile", "number": "138 0013 8000"},
        {"label": "work", "number": "010 6552 1234"},
    ]
    assert "138 0013 8000" in ok("list").stdout
    assert "010 6552 1234" not in ok("list").stdout


def test_show_lists_every_phone_with_its_label(ok) -> None:
    add(ok, *ZHANG, "--phone", "021 5555 6666")
    out = ok("show", "张伟").stdout
    assert "Phone           138 0013 8000 (mobile)\n" in out
    assert "                010 6552 1234 (work)\n" in out
    assert "                021 5555 6666\n" in out


def test_an_imported_phone_cell_with_several_numbers_becomes_several_phones(
    ok, tmp_path: Path
) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("name,phone\n张伟,138 0013 8000 / 010 6552 1234\n", encoding="utf-8")
    ok("import", str(path))
    assert phones(ok, "张伟") == [(None, "138 0013 8000"), (None, "010 6552 1234")]
    assert card(ok, "010-6552-1234")["name"] == "张伟"


# ---- migration 0007 ------------------------------------------------------------------------

ADDED = "2026-10-01 01:00:00.000000"
OLD_CARDS = [
    (1, "张伟", "张伟", "138 0013 8000, 010 6552 1234", "a@x.cn; B@y.cn"),
    (2, "Li Na", "li na", "13800138001 13900139001", None),
    (3, "王芳", "王芳", "+852 9123-4567 / 2345 6789", ""),
    (5, "Desk", "desk", "ask reception / ext 8001", None),
    (4, "Old", "old", "+86 139 0013 9000", "old@x.cn"),
]
MIGRATED = [
    (1, "phone", 0, "138 0013 8000", "8613800138000"),
    (1, "phone", 1, "010 6552 1234", "861065521234"),
    (1, "email", 0, "a@x.cn", "a@x.cn"),
    (1, "email", 1, "B@y.cn", "b@y.cn"),
    (2, "phone", 0, "13800138001", "8613800138001"),
    (2, "phone", 1, "13900139001", "8613900139001"),
    (3, "phone", 0, "+852 9123-4567", "85291234567"),
    (3, "phone", 1, "2345 6789", "8623456789"),
    (4, "phone", 0, "+86 139 0013 9000", "8613900139000"),
    (4, "email", 0, "old@x.cn", "old@x.cn"),
    # One part only holds a digit: not a list of numbers, kept whole, as typed.
    (5, "phone", 0, "ask reception / ext 8001", "868001"),
]
MAIN = [
    (1, "138 0013 8000", "8613800138000", "a@x.cn", "a@x.cn"),
    (2, "13800138001", "8613800138001", None, None),
    (3, "+852 9123-4567", "85291234567", None, None),
    (4, "+86 139 0013 9000", "8613900139000", "old@x.cn", "old@x.cn"),
    (5, "ask reception / ext 8001", "868001", None, None),
]
REACH = "SELECT client_id, kind, position, value, key FROM client_reach ORDER BY id"
KEYS = "SELECT id, phone, phone_key, email, email_key FROM client ORDER BY id"
INSERT = (
    "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, graded_at,"
    " followup_kind, search_key, phone, email) VALUES (:id, :name, :key, 'B', :at, :at, :at,"
    " 'cadence', '', :phone, :email)"
)


def _insert(connection: sqlalchemy.Connection, at: Any) -> None:
    for id_, name, key, phone, email in OLD_CARDS:
        connection.execute(
            sqlalchemy.text(INSERT),
            {"id": id_, "name": name, "key": key, "at": at, "phone": phone, "email": email},
        )


def _the_book_works_on(ok: Any) -> None:
    assert card(ok, "010 6552 1234")["name"] == "张伟"  # the second number finds the card
    assert card(ok, "+852 91234567")["name"] == "王芳"
    found = json.loads(ok("list", "--search", "13900139001", "-f", "json").stdout)
    assert [c["name"] for c in found] == ["Li Na"]
    assert phones(ok, "王芳") == [(None, "+852 9123-4567"), (None, "2345 6789")]


def test_0007_splits_the_phone_and_email_fields_of_a_book_on_a_file(ok, db_path: Path) -> None:
    make_database_at(db_path, "0006")
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        _insert(connection, ADDED)
    engine.dispose()
    ok("list")
    assert rows(db_path, REACH) == MIGRATED
    assert rows(db_path, KEYS) == MAIN
    _the_book_works_on(ok)


def test_0007_downgrade_joins_the_numbers_back(ok, db_path: Path) -> None:
    make_database_at(db_path, "0006")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, graded_at,"
            " followup_kind, search_key, phone) VALUES (1, 'A', 'a', 'F', ?, ?, ?, 'cadence',"
            " '', '138 0013 8000; 010 6552 1234')",
            (ADDED, ADDED, ADDED),
        )
    ok("list")
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0006")
    engine.dispose()
    assert rows(db_path, "SELECT phone FROM client") == [("138 0013 8000, 010 6552 1234",)]


def test_0007_on_postgresql(ok, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            _insert(connection, "2026-10-01 01:00+00")
        monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
        ok("db", "upgrade")  # a PostgreSQL book is upgraded by `db upgrade` only (issue 17)
        ok("list")
        with engine.connect() as connection:
            assert [tuple(r) for r in connection.execute(sqlalchemy.text(REACH))] == MIGRATED
            assert [tuple(r) for r in connection.execute(sqlalchemy.text(KEYS))] == MAIN
    finally:
        engine.dispose()
    _the_book_works_on(ok)


def test_deleting_a_card_deletes_its_numbers_which_are_then_free(ok, query) -> None:
    add(ok, *ZHANG)
    ok("delete", "张伟", "--yes")
    assert query("SELECT count(*) FROM client_reach") == [(0,)]
    result = ok("add", "Li Na", "--phone", "010 6552 1234")  # no duplicate left behind
    assert result.stderr == ""
    assert card(ok, "010 6552 1234")["name"] == "Li Na"
