"""A team's shared book on a real PostgreSQL server, through the real CLI.

The `postgres_server` fixture (tests/conftest.py, tests/postgres_server.py) starts a throwaway
server for the run: initdb into a temporary folder, a Unix socket only, stopped at the end. Each
test gets a new, empty database (`postgres_url`). Without the server binaries or the driver these
tests are skipped, unless CLIENTCARD_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
tests/test_month.py also plays its scripted month on PostgreSQL (its `month` fixture's
"postgresql" parameter).
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import clientcard.store.models  # noqa: F401  (the tables, on SQLModel.metadata)
from clientcard.services import bringin
from clientcard.store import db as store_db
from clientcard.store import migrate
from clientcard.store.fulltext import not_index
from clientcard.store.open import transaction
from clientcard.store.records import Client, GradeChange
from clientcard.store.revision import HEAD_REVISION
from helpers import assert_error, write
from postgres_server import REQUIRE_POSTGRES, TOOLS, find_bin, unavailable
from test_paths import BOOK, READS


@pytest.fixture
def pg(postgres_url: str) -> Iterator[sqlalchemy.Engine]:
    """An engine on the test's database, to look at what is stored."""
    engine = sqlalchemy.create_engine(postgres_url)
    yield engine
    engine.dispose()


def tables(engine: sqlalchemy.Engine) -> list[str]:
    return sorted(sqlalchemy.inspect(engine).get_table_names())


def stored(engine: sqlalchemy.Engine) -> dict[str, list[str]]:
    """Every row of every table, as text: what a refused or failed command must not change."""
    with engine.connect() as connection:
        return {
            table: sorted(
                connection.exec_driver_sql(f'SELECT row_to_json(t)::text FROM "{table}" t')
                .scalars()
                .all()
            )
            for table in tables(engine)
        }


def export(ok, *db: str, fmt: str = "json") -> str:
    return ok(*db, "export", "--format", fmt).stdout


# ---- the server -----------------------------------------------------------------------------


def _tools(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for tool in TOOLS:
        (folder / tool).write_text("#!/bin/sh\n")
        (folder / tool).chmod(0o755)
    return folder


def test_the_server_binaries_are_found_on_path_then_in_debian_folders(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    assert find_bin(path=str(tmp_path / "empty"), debian=str(lib)) is None
    _tools(lib / "9" / "bin")
    newest = _tools(lib / "15" / "bin")
    assert find_bin(path=str(tmp_path / "empty"), debian=str(lib)) == newest
    on_path = _tools(tmp_path / "bin")
    assert find_bin(path=str(on_path), debian=str(lib)) == on_path


def test_without_a_server_the_tests_skip_unless_postgresql_is_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REQUIRE_POSTGRES, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no initdb"):
        unavailable("no initdb")
    monkeypatch.setenv(REQUIRE_POSTGRES, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_POSTGRES}=1.*no initdb"):
        unavailable("no initdb")


# ---- migrations -----------------------------------------------------------------------------


def test_a_new_database_is_migrated_on_first_use(
    ok, postgres_url: str, pg: sqlalchemy.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tables(pg) == []
    assert ok("--db", postgres_url, "list").stdout.startswith("No cards match.")
    with pg.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": not_index}),
            SQLModel.metadata,
        )
    assert version == [(HEAD_REVISION,)]
    assert diff == []
    assert "client" in tables(pg)

    def no_more_migrations(connection: object) -> None:
        raise AssertionError("the schema is at head: nothing to migrate")

    monkeypatch.setattr(migrate, "upgrade", no_more_migrations)
    monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
    assert ok("add", "张伟", "--company", "阿里", "-q").stdout == "1\n"
    assert [c["name"] for c in json.loads(ok("list", "--format", "json").stdout)] == ["张伟"]


def test_a_database_at_the_first_revision_upgrades_with_its_rows(
    cli, ok, postgres_url: str, pg: sqlalchemy.Engine
) -> None:
    """A book clientcard 0.1 wrote on PostgreSQL: everyday commands stop and say to run `db
    upgrade` (a team's book is never migrated as a side effect); then every later migration
    runs on it, the data ones (0002's follow-ups, 0004's search keys) included."""
    with pg.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO client (name, name_key, company, notes, phone, grade, created_at,"
            " updated_at)"
            " VALUES ('张伟', '张伟', 'Acme', '老客户', '138 0013 8000', 'B',"
            " '2026-11-01 01:00+00', '2026-11-01 01:00+00'), ('Li Na', 'li na', NULL, NULL,"
            " NULL, 'F', '2026-11-01 01:00+00', '2026-11-01 01:00+00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO grade_change (client_id, from_grade, to_grade, changed_at, reason)"
            " VALUES (1, 'F', 'B', '2026-11-03 02:00+00', 'met')"
        )
        connection.exec_driver_sql("INSERT INTO client_tag (client_id, tag) VALUES (1, 'vip')")
    db = ("--db", postgres_url)
    assert_error(
        cli(*db, "list"),
        74,
        f"the book's schema is at 0001, this clientcard needs {HEAD_REVISION}: "
        "run `clientcard db upgrade`",
    )
    assert "Upgraded" in ok(*db, "db", "upgrade").stdout
    listed = json.loads(ok(*db, "list", "--format", "json").stdout)
    assert [(r["id"], r["name"], r["tags"]) for r in listed] == [
        (2, "Li Na", []),
        (1, "张伟", ["vip"]),
    ]
    with pg.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (HEAD_REVISION,)
        ]
    search = json.loads(ok(*db, "list", "--search", "ACME", "-f", "json").stdout)
    assert [r["name"] for r in search] == ["张伟"]
    due = json.loads(ok(*db, "due", "--format", "json").stdout)
    assert [(i["client"], i["due"]) for i in due] == [("张伟", "2026-11-15")]  # 0002: B, 14 d
    assert ok(*db, "add", "王小明", "-q").stdout == "3\n"
    with pg.connect() as connection:  # 0005: since when each holds its grade; the phone's key
        assert connection.exec_driver_sql(
            "SELECT id, graded_at, phone_key FROM client WHERE id < 3 ORDER BY id"
        ).all() == [
            (1, datetime(2026, 11, 3, 2, tzinfo=UTC), "8613800138000"),
            (2, datetime(2026, 11, 1, 1, tzinfo=UTC), None),
        ]


# ---- the same book reads the same -----------------------------------------------------------


@pytest.mark.usefixtures("migrated")
def test_the_reads_print_the_same_on_postgresql_as_on_a_file(
    ok, postgres_url: str, db_path: Path
) -> None:
    """tests/test_paths.py's book and reads, built by the same commands on a file and on a
    PostgreSQL database: every read prints the same bytes."""
    for args in BOOK:
        ok("--db", str(db_path), *args)
        ok("--db", postgres_url, *args)
    by_file = {" ".join(args): ok("--db", str(db_path), *args).stdout for args in READS}
    by_postgres = {" ".join(args): ok("--db", postgres_url, *args).stdout for args in READS}
    assert all(out.strip() for out in by_file.values())
    assert by_postgres == by_file


# ---- import and export ----------------------------------------------------------------------

CARDS = (
    "name,company,grade,tags,email,phone,notes\n"
    '张伟,平安保险,a,"VIP,北京",,138 0013 8000,喜欢普洱茶\n'
    "李娜,阿里,B,上海,lina@example.com,,\n"
    'José García,Café Müller,,,jose@example.com,,"says ""hi"", then\nleaves"\n'
    "Zoë Ørsted,,e,fleet,,,\n"
)


@pytest.mark.usefixtures("migrated")
def test_import_and_export_round_trip(
    ok, postgres_server, postgres_url: str, tmp_path: Path, db_path: Path
) -> None:
    on_postgres, on_file = ("--db", postgres_url), ("--db", str(db_path))
    path = write(tmp_path, CARDS)
    assert ok(*on_postgres, "import", path).stdout == "Imported 4 cards\n"
    ok(*on_file, "import", path)
    for fmt in ("json", "csv", "tsv"):
        assert export(ok, *on_postgres, fmt=fmt) == export(ok, *on_file, fmt=fmt)
    rows = json.loads(export(ok, *on_postgres))
    assert [(r["id"], r["name"], r["company"], r["grade"], r["tags"]) for r in rows] == [
        (1, "张伟", "平安保险", "A", ["vip", "北京"]),
        (2, "李娜", "阿里", "B", ["上海"]),
        (3, "José García", "Café Müller", "F", []),
        (4, "Zoë Ørsted", None, "E", ["fleet"]),
    ]
    assert rows[2]["notes"] == 'says "hi", then\nleaves'
    page = ("show", "张伟", "--format", "json")
    assert ok(*on_postgres, *page).stdout == ok(*on_file, *page).stdout
    found = json.loads(ok(*on_postgres, "list", "--search", "普洱", "-f", "json").stdout)
    assert [r["name"] for r in found] == ["张伟"]

    # The export imports back into another PostgreSQL book: the same cards.
    other = postgres_server.create_database()
    try:
        for fmt in ("csv", "tsv"):
            dump = write(tmp_path, export(ok, *on_postgres, fmt=fmt), f"book.{fmt}")
            # The second import is of the same cards: added again, not skipped as duplicates.
            ok("--db", other, "import", "--format", fmt, "--on-duplicate", "add", dump)
        again = json.loads(export(ok, "--db", other))
        fresh = ("id", "created_at", "updated_at")
        assert [{k: v for k, v in r.items() if k not in fresh} for r in again] == [
            {k: v for k, v in r.items() if k not in fresh} for r in rows + rows
        ]
        assert [r["id"] for r in again] == list(range(1, 9))
    finally:
        postgres_server.drop_database(other)


@pytest.mark.usefixtures("migrated")
def test_ids_continue_after_an_import(ok, postgres_url: str, tmp_path: Path, db_path: Path) -> None:
    """An import gives its cards their ids itself; the next card `add` makes gets the next id,
    and the grade history the import wrote does not block the next regrade."""
    for db in (postgres_url, str(db_path)):
        assert ok("--db", db, "add", "First", "-q").stdout == "1\n"
        ok("--db", db, "import", write(tmp_path, CARDS))
        assert ok("--db", db, "add", "Next", "-q").stdout == "6\n"
        ok("--db", db, "import", write(tmp_path, "name\nA\nB\n"))
        assert ok("--db", db, "add", "Last", "-q").stdout == "9\n"
        ok("--db", db, "grade", "张伟", "C", "-r", "went quiet")
        ok("--db", db, "edit", "9", "--tag", "new")
    assert export(ok, "--db", postgres_url) == export(ok, "--db", str(db_path))
    history = ["grade", "张伟", "--format", "json"]
    assert ok("--db", postgres_url, *history).stdout == ok("--db", str(db_path), *history).stdout


# ---- what only a shared book meets ---------------------------------------------------------


def test_promises_due_at_the_same_time_are_listed_in_the_same_order(
    ok, postgres_url: str, db_path: Path
) -> None:
    """PostgreSQL returns rows in the order they sit in the table, and an update moves a row:
    `due` must not depend on it (nor the card's page on how referred cards tie)."""
    for db in (str(db_path), postgres_url):
        ok("--db", db, "add", "张伟", "--grade", "A", "-q")
        for name in ("Dup", "Dup"):
            ok("--db", db, "add", name, "--referred-by", "张伟", "-q")
        ok("--db", db, "promise", "add", "1", "send the quote", "--due", "2026-11-21")
        ok("--db", db, "promise", "add", "1", "send the brochure", "--due", "2026-11-22")
        ok("--db", db, "promise", "move", "1", "--to", "2026-11-22", "-r", "travel")
        for kind in ("birthday", "anniversary"):
            ok("--db", db, "date", "add", "1", kind, "11-25")
    reads = [["due", "--week", "--format", "csv"], ["show", "1", "--format", "json"]]
    assert [ok("--db", postgres_url, *r).stdout for r in reads] == [
        ok("--db", str(db_path), *r).stdout for r in reads
    ]
    due = ok("--db", postgres_url, "due", "--week", "--format", "json").stdout
    assert [(i["what"], i["record_id"]) for i in json.loads(due)][:2] == [
        ("send the quote", 1),
        ("send the brochure", 2),
    ]


def test_a_password_in_the_url_is_never_shown(cli, postgres_server) -> None:
    url = postgres_server.url("no_such_book").replace("postgres@", "postgres:s3cret@")
    result = cli("--db", url, "list")
    assert result.exit_code == 74
    assert result.stderr.startswith("clientcard: cannot open the database postgresql+psycopg://")
    assert "s3cret" not in result.stderr
    assert "postgres:***@" in result.stderr
    result = cli("--db", "postgresql+nosuchdriver://me:s3cret@/book", "list")
    assert result.exit_code == 74
    assert "s3cret" not in result.stderr


# ---- one transaction per command ------------------------------------------------------------


def test_a_bad_row_late_in_an_import_writes_nothing(
    ok, cli, postgres_url: str, pg: sqlalchemy.Engine, tmp_path: Path, monkeypatch
) -> None:
    """Chunks of 2: the first chunks are inserted before line 7 is read, then rolled back."""
    ok("--db", postgres_url, "add", "Before", "--tag", "old", "-q")
    before = stored(pg)
    monkeypatch.setattr(bringin, "CHUNK", 2)
    text = "name,email\n张伟,\n李娜,\nC,\nD,\nE,\nF,not-an-address\nG,\n"
    result = cli("--db", postgres_url, "import", write(tmp_path, text))
    assert_error(
        result,
        2,
        "line 7: 'not-an-address' is not an e-mail address; expected something like a@b.com",
    )
    assert stored(pg) == before


def test_a_command_that_fails_after_its_first_write_writes_nothing(
    ok, cli, postgres_url: str, pg: sqlalchemy.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`grade` updates the card, then inserts its grade history; when the second write fails,
    the first is rolled back with it."""
    ok("--db", postgres_url, "add", "张伟", "--grade", "D", "-q")
    before = stored(pg)
    insert = store_db.Db.insert
    written: list[str] = []

    def failing_insert(self: store_db.Db, record: Any) -> Any:
        if isinstance(record, GradeChange):
            written.append(self.scalar("SELECT grade FROM client WHERE id = :id", id=1))
            raise RuntimeError("the connection dropped")
        return insert(self, record)

    monkeypatch.setattr(store_db.Db, "insert", failing_insert)
    result = cli("--db", postgres_url, "grade", "张伟", "A", "-r", "signed")
    assert result.exit_code != 0
    assert written == ["A"]  # the card was written, inside the command's transaction
    assert stored(pg) == before
    monkeypatch.setattr(store_db.Db, "insert", insert)
    ok("--db", postgres_url, "grade", "张伟", "A", "-r", "signed")
    assert stored(pg) != before


# ---- two team members at once ---------------------------------------------------------------


def test_an_edit_does_not_write_back_what_another_command_changed_meanwhile(
    ok, postgres_url: str, pg: sqlalchemy.Engine
) -> None:
    """PostgreSQL locks nothing up front, so a command may read a card, another may change it
    and commit, and then the first writes. It must write only the columns it changed: here a
    sale lands while a colleague edits the card's notes, and the card stays a customer."""
    ok("--db", postgres_url, "add", "张伟", "-q")
    with transaction(postgres_url, write=True) as first:
        card = first.get(Client, 1)
        assert card is not None
        ok("--db", postgres_url, "sale", "1", "5000")  # another process, committed meanwhile
        card.notes = "prefers WeChat"
        first.update(card)
    shown = json.loads(ok("--db", postgres_url, "show", "1", "--format", "json").stdout)
    assert shown["notes"] == "prefers WeChat"
    assert shown["customer"] is True


def test_a_long_note_is_stored_and_found_through_the_trigram_index(
    ok, postgres_url: str, pg: sqlalchemy.Engine
) -> None:
    """A B-tree entry is limited to about 2.7 kB; the search key holds the notes, so its index
    on PostgreSQL is a trigram (GIN) index, which has no such limit and serves LIKE '%...%'."""
    note = "客户想要一份详细的报价单" * 300  # 3,600 characters
    ok("--db", postgres_url, "add", "张伟", "--note", note + "with fleet discount", "-q")
    found = json.loads(
        ok("--db", postgres_url, "list", "--search", "FLEET DISCOUNT", "--format", "json").stdout
    )
    assert [c["name"] for c in found] == ["张伟"]
    with pg.connect() as connection:
        definition = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_client_search_key'"
        ).scalar_one()
    assert "USING gin (search_key gin_trgm_ops)" in definition


def test_a_locked_book_is_busy_not_an_internal_error(
    cli, postgres_url: str, pg: sqlalchemy.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on SQLite: a command waits for a colleague's lock as long as the busy timeout, then
    says the book is busy (exit 75), instead of waiting for ever or failing with exit 70."""
    from clientcard.store import location

    cli("--db", postgres_url, "add", "张伟", "-q")
    monkeypatch.setattr(location, "BUSY_TIMEOUT_MS", 200)
    with pg.connect() as colleague, colleague.begin():
        colleague.exec_driver_sql("LOCK TABLE client IN ACCESS EXCLUSIVE MODE")
        result = cli("--db", postgres_url, "log", "1", "--via", "call")
    assert_error(
        result, 75, "the database is busy (another clientcard is writing); try again in a moment"
    )
    assert cli("--db", postgres_url, "log", "1", "--via", "call").exit_code == 0
