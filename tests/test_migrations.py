"""The schema: migrations build what the models say, an old file upgrades with its rows intact
(after a private backup), a newer file is refused untouched, and the file is private."""

import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import clientcard.store.models  # noqa: F401  (the tables, on SQLModel.metadata)
from clientcard.store import migrate
from clientcard.store.fulltext import not_index
from clientcard.store.migrate import MIGRATIONS_DIR, backup_sqlite, open_database
from clientcard.store.revision import HEAD_REVISION
from helpers import rows

FIRST = "0001"


def alembic_config(connection: sqlalchemy.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def backups_of(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}.*.bak"))


# ---- head matches the models --------------------------------------------------------------


def test_a_blank_database_upgrades_to_head_and_matches_the_models(db_path: Path) -> None:
    engine = open_database(str(db_path))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
                (HEAD_REVISION,)
            ]
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"include_name": not_index}),
                SQLModel.metadata,
            )
    finally:
        engine.dispose()
    assert diff == []


def test_head_revision_is_the_newest_migration() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [HEAD_REVISION]


def test_every_migration_file_is_a_known_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert {rev.revision for rev in script.walk_revisions()} == migrate.known_revisions()


# ---- an old database ----------------------------------------------------------------------

UTC_TEXT = "2026-11-01 01:00:00.000000"


def make_first_revision_database(path: Path) -> None:
    """A file as clientcard 0.1 left it: schema revision 0001 and a few cards in it."""
    make_database_at(path, FIRST)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO client (id, name, name_key, company, phone, referred_by_id, notes,"
            " grade, created_at, updated_at, archived_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (1, "张伟", "张伟", "Acme", "138", None, "老客户", "B", UTC_TEXT, UTC_TEXT, None),
                (2, "Li Na", "li na", None, None, 1, None, "F", UTC_TEXT, UTC_TEXT, None),
                (3, "Old", "old", None, None, None, None, "D", UTC_TEXT, UTC_TEXT, UTC_TEXT),
            ],
        )
        conn.executemany(
            "INSERT INTO client_tag (client_id, tag) VALUES (?, ?)", [(1, "vip"), (1, "expo")]
        )
        conn.executemany(
            "INSERT INTO grade_change (client_id, from_grade, to_grade, changed_at, reason)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (1, None, "F", UTC_TEXT, "added"),
                (1, "F", "B", UTC_TEXT, "met"),
                (2, None, "F", UTC_TEXT, "added"),
                (3, None, "D", UTC_TEXT, "added"),
            ],
        )


@pytest.fixture
def old_db(db_path: Path) -> Path:
    make_first_revision_database(db_path)
    return db_path


def test_a_first_revision_database_opens_with_its_rows_intact(ok, old_db: Path) -> None:
    before = dump(old_db)
    listed = json.loads(ok("list", "--format", "json").stdout)
    assert [(r["id"], r["name"], r["company"], r["grade"], r["tags"]) for r in listed] == [
        (2, "Li Na", None, "F", []),
        (1, "张伟", "Acme", "B", ["expo", "vip"]),
    ]
    assert listed[0]["referred_by"] == 1
    assert listed[1]["notes"] == "老客户"
    assert listed[1]["created_at"] == "2026-11-01T09:00:00+08:00"
    assert [r["name"] for r in json.loads(ok("list", "--archived", "-f", "json").stdout)] == ["Old"]
    card = json.loads(ok("show", "张伟", "-f", "json").stdout)
    assert [(h["from_grade"], h["to_grade"], h["reason"]) for h in card["grade_history"]] == [
        (None, "F", "added"),
        ("F", "B", "met"),
    ]
    if HEAD_REVISION == FIRST:
        assert dump(old_db) == before  # nothing to upgrade
    assert rows(old_db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


def test_an_upgraded_database_still_takes_new_cards_and_regrades(ok, old_db: Path) -> None:
    ok("add", "王小明", "--referred-by", "张伟")
    ok("grade", "Li Na", "--up", "--reason", "called back")
    listed = json.loads(ok("list", "-f", "json").stdout)
    assert [(r["id"], r["name"], r["grade"]) for r in listed] == [
        (2, "Li Na", "E"),
        (4, "王小明", "F"),  # by pinyin (issue 18): li na, wang xiao ming, zhang wei
        (1, "张伟", "B"),
    ]


def test_the_cards_of_an_old_database_are_found_by_search(ok, old_db: Path) -> None:
    """Revision 0004 fills client.search_key for the cards already there (0007 adds each
    phone number's key: digits with the country code)."""

    def found(text: str, *more: str) -> list[str]:
        return [r["name"] for r in json.loads(ok("list", "-s", text, *more, "-f", "json").stdout)]

    assert found("ACME") == ["张伟"]
    assert found("老客") == ["张伟"]
    assert found("138") == ["张伟"]
    assert found("NA") == ["Li Na"]
    assert found("old", "--archived") == ["Old"]
    assert rows(old_db, "SELECT search_key FROM client WHERE id = 1") == [
        ("张伟\x1facme\x1f老客户\x1f138 86138\x1f\x1fzhangwei\x1fzw",)  # 0012: its pinyin
    ]


needs_a_second_revision = pytest.mark.skipif(
    HEAD_REVISION == FIRST,
    reason="only one schema revision exists: nothing is upgraded, so no backup is written",
)


@needs_a_second_revision
def test_upgrading_an_old_database_first_writes_a_private_backup(ok, old_db: Path) -> None:
    before = dump(old_db)
    ok("list")
    (backup,) = backups_of(old_db)
    assert re.fullmatch(rf"{re.escape(old_db.name)}\.\d{{8}}T\d{{6}}Z\.bak", backup.name)
    stamp = datetime.strptime(backup.name.split(".")[-2], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 24 * 3600  # UTC, not local
    assert mode_of(backup) == 0o600
    assert dump(backup) == before
    ok("list")
    assert backups_of(old_db) == [backup]  # at head now: no second backup


@needs_a_second_revision
def test_a_failed_upgrade_leaves_the_database_as_it_was(
    cli, old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(old_db)
    real_upgrade = migrate.upgrade

    def upgrade_then_fail(connection: sqlalchemy.Connection) -> None:
        real_upgrade(connection)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(migrate, "upgrade", upgrade_then_fail)
    result = cli("list")
    assert (result.exit_code, result.stdout) == (70, "")
    assert dump(old_db) == before
    # Not monkeypatch.undo(): that would also undo the isolated fixture's CLIENTCARD_DB, and the
    # next run would open (and upgrade) the real user's book.
    monkeypatch.setattr(migrate, "upgrade", real_upgrade)
    again = cli("list")
    assert again.exit_code == 0, again.stderr  # and the next run upgrades it


def test_a_database_from_a_newer_clientcard_is_refused_untouched(cli, ok, db_path: Path) -> None:
    ok("add", "Zhang")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    content = db_path.read_bytes()
    result = cli("list")
    assert (result.exit_code, result.stdout, result.stderr) == (
        74,
        "",
        "clientcard: the database is at schema revision 9999, newer than this clientcard knows "
        f"({HEAD_REVISION}); upgrade clientcard\n",
    )
    assert db_path.read_bytes() == content
    assert backups_of(db_path) == []


def test_two_backups_in_the_same_second_get_different_names(tmp_path: Path) -> None:
    db = tmp_path / "cards.db"
    sqlite3.connect(db).close()
    moment = datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
    first = backup_sqlite(db, moment)
    second = backup_sqlite(db, moment)
    assert (first.name, second.name) == (
        "cards.db.20261120T010203Z.bak",
        "cards.db.20261120T010203Z.2.bak",
    )
    assert (mode_of(first), mode_of(second)) == (0o600, 0o600)


# ---- where the file is, and who may read it -----------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_the_database_file_is_created_private(ok, db_path: Path, open_umask: None) -> None:
    assert not db_path.exists()
    ok("list")
    assert mode_of(db_path) == 0o600


def test_db_option_takes_a_path_and_wins_over_the_environment(
    ok, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "Zhang")
    assert other.exists()
    assert not db_path.exists()
    assert json.loads(ok("--db", str(other), "list", "-f", "json").stdout)[0]["name"] == "Zhang"


def test_db_option_takes_an_sqlalchemy_url(ok, tmp_path: Path) -> None:
    other = tmp_path / "url.db"
    ok("--db", f"sqlite:///{other}", "add", "Zhang")
    assert mode_of(other) == 0o600
    assert rows(other, "SELECT name FROM client") == [("Zhang",)]


def test_clientcard_db_takes_an_sqlalchemy_url(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "env-url.db"
    monkeypatch.setenv("CLIENTCARD_DB", f"sqlite:///{other}")
    ok("add", "Zhang")
    assert rows(other, "SELECT name FROM client") == [("Zhang",)]


def test_db_path_expands_the_home_directory(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    ok("--db", "~/cards.db", "add", "Zhang")
    assert (tmp_path / "home" / "cards.db").exists()


def test_without_db_the_per_user_data_directory_is_used(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLIENTCARD_DB")
    ok("add", "Zhang")
    default = tmp_path / "data" / "clientcard" / "clientcard.db"
    assert mode_of(default) == 0o600
    assert rows(default, "SELECT name FROM client") == [("Zhang",)]


def test_the_database_is_in_wal_mode(ok, db_path: Path) -> None:
    ok("add", "Zhang")
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_a_db_path_in_a_missing_folder_is_refused_not_created(cli, tmp_path) -> None:
    missing = tmp_path / "no-such-folder" / "cards.db"
    result = cli("--db", str(missing), "list")
    assert (result.exit_code, result.stdout) == (74, "")
    assert result.stderr == (
        f"clientcard: cannot open the database {missing}: the folder {missing.parent} "
        "does not exist\n"
    )
    assert not missing.parent.exists()


# ---- 0005: the rhythm's columns, filled from what the book already holds -----------------


def make_database_at(path: Path, revision: str) -> None:
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
    finally:
        engine.dispose()


def test_revision_0005_fills_time_in_grade_sales_contacts_keys_and_pending_thanks(
    ok, db_path: Path
) -> None:
    """Written at 0004 (as clientcard left a book before 0005), then opened: since when each
    card holds its grade (its newest history row, else when it was added), its last contact as
    its last sales contact, its phone and e-mail keys, and since when its thank-you is due (the
    oldest sale after its last contact)."""
    make_database_at(db_path, "0004")
    added, regraded = "2026-10-01 01:00:00.000000", "2026-11-02 03:00:00.000000"
    called = "2026-11-10 02:00:00.000000"
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, followup_kind,"
            " search_key, phone, email, last_contact_at, thanks_due_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'cadence', '', ?, ?, ?, ?)",
            [
                (1, "张伟", "张伟", "B", added, added, "138 0013 8000", "Zhang@Example.COM",
                 called, "2026-11-15 16:00:00.000000"),
                (2, "Li Na", "li na", "F", added, added, "+852 9123-4567", None, None, None),
                (3, "王芳", "王芳", "C", added, added, "no phone", "", None, None),
            ],
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO grade_change (client_id, from_grade, to_grade, changed_at, reason)"
            " VALUES (?, ?, ?, ?, ?)",
            [(1, None, "F", added, "added"), (1, "F", "B", regraded, "met"),
             (2, None, "F", added, "added")],
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO sale (client_id, amount_minor, sold_at, recorded_at)"
            " VALUES (1, 100, ?, ?)",
            [(at, at) for at in ("2026-11-01 01:00:00.000000", "2026-11-12 01:00:00.000000",
                                 "2026-11-13 01:00:00.000000")],
        )  # fmt: skip
        conn.execute("UPDATE client SET referred_by_id = 1 WHERE id = 3")
    ok("list")
    assert rows(
        db_path,
        "SELECT id, graded_at, followed_up_at, phone_key, email_key, thanks_since"
        " FROM client ORDER BY id",
    ) == [
        (1, regraded, called, "8613800138000", "zhang@example.com", "2026-11-12 01:00:00.000000"),
        (2, added, None, "85291234567", None, None),
        (3, added, None, None, None, None),
    ]
    assert rows(db_path, "SELECT id, referred_at FROM client ORDER BY id") == [
        (1, None),
        (2, None),
        (3, added),  # referred by #1 when it was added
    ]
    # And the cards keep working: shown, regraded, contacted.
    assert json.loads(ok("show", "张伟", "-f", "json").stdout)["phone"] == "138 0013 8000"
    ok("grade", "王芳", "B", "--reason", "budget approved")
    ok("log", "Li Na", "called", "--via", "call")


# ---- 0005: all-day promises become calendar dates ------------------------------------------

SHANGHAI_MIDNIGHT = "2026-11-24 16:00:00.000000"  # 2026-11-25 00:00 in Shanghai, as 0004 stored


def make_revision_0004_database(path: Path) -> None:
    """A book at revision 0004 with promises made in Shanghai: all-day ones stored as that zone's
    midnight, a timed one, and their events (one that carries no due time)."""
    make_database_at(path, "0004")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, search_key)"
            " VALUES (1, '张伟', '张伟', 'A', ?, ?, '张伟')",
            (UTC_TEXT, UTC_TEXT),
        )
        conn.executemany(
            "INSERT INTO promise (id, client_id, what, kind, due_at, all_day, status,"
            " short_notice, made_at, closed_at) VALUES (?, 1, ?, ?, ?, ?, ?, 0, ?, ?)",
            [
                (1, "报价单", "deliverable", SHANGHAI_MIDNIGHT, 1, "open", UTC_TEXT, None),
                (2, "coffee", "appointment", "2026-11-23 07:00:00.000000", 0, "open", UTC_TEXT,
                 None),
                (3, "brochure", "deliverable", "2026-11-18 16:00:00.000000", 1, "kept", UTC_TEXT,
                 "2026-11-19 02:00:00.000000"),
            ],
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO promise_event (id, promise_id, event, at, due_at, all_day, short_notice)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)",
            [
                (1, 1, "made", UTC_TEXT, "2026-11-23 16:00:00.000000", 1),
                (2, 1, "moved", UTC_TEXT, SHANGHAI_MIDNIGHT, 1),
                (3, 2, "made", UTC_TEXT, "2026-11-23 07:00:00.000000", 0),
                (4, 3, "made", UTC_TEXT, "2026-11-18 16:00:00.000000", 1),
                (5, 3, "kept", "2026-11-19 02:00:00.000000", None, None),
            ],
        )


def test_0005_turns_all_day_promises_into_calendar_dates(
    ok, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_revision_0004_database(db_path)
    ok("list")  # upgrades, in the user's zone (Shanghai): where the promises were made
    assert rows(db_path, "SELECT id, due_at, all_day, due_on FROM promise ORDER BY id") == [
        (1, "2026-11-25 00:00:00.000000", 1, "2026-11-25"),
        (2, "2026-11-23 07:00:00.000000", 0, None),  # a moment stays a moment
        (3, "2026-11-19 00:00:00.000000", 1, "2026-11-19"),
    ]
    assert rows(db_path, "SELECT id, due_at, due_on FROM promise_event ORDER BY id") == [
        (1, "2026-11-24 00:00:00.000000", "2026-11-24"),
        (2, "2026-11-25 00:00:00.000000", "2026-11-25"),
        (3, "2026-11-23 07:00:00.000000", None),
        (4, "2026-11-19 00:00:00.000000", "2026-11-19"),
        (5, None, None),
    ]
    listed = json.loads(ok("promise", "list", "--all", "-f", "json").stdout)
    assert [(p["id"], p["due"], p["status"]) for p in listed] == [
        (3, "2026-11-19", "kept"),
        (2, "2026-11-23T15:00:00+08:00", "open"),
        (1, "2026-11-25", "open"),
    ]
    # Converted, the quote is due on the 25th wherever the user is: not overdue a day early in
    # Los Angeles (16 hours behind Shanghai), overdue once the 25th is over there.
    monkeypatch.setenv("TZ", "America/Los_Angeles")

    def quote(moment: str) -> tuple[str, bool]:
        due = json.loads(ok("due", "-f", "json", env={"CLIENTCARD_NOW": moment}).stdout)
        [item] = [i for i in due if i["what"] == "报价单"]
        return item["due"], item["overdue"]

    assert quote("2026-11-25T23:59:00") == ("2026-11-25", False)
    assert quote("2026-11-26T00:00:00") == ("2026-11-25", True)
