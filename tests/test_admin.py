"""`db status` and `db upgrade` (issue 17, "Admin"; docs/team.md), the first command on an
empty book run six times at once, and a refused right (exit 77), on SQLite and PostgreSQL."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clientcard.store.migrate import create_at_revision
from clientcard.store.revision import HEAD_REVISION
from helpers import assert_error
from helpers import rows as rows_of
from postgres_server import DEBIAN_BINS, PostgresServer, unavailable

OLD = "0006"  # a schema well behind: several migrations, data ones included, run on it


def status(ok, *db: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(ok(*db, "db", "status", "--format", "json").stdout)
    return rows


def fact(rows: list[dict[str, Any]], section: str, name: str | None) -> Any:
    (found,) = [r["value"] for r in rows if (r["section"], r["name"]) == (section, name)]
    return found


def revision(path: Path) -> str:
    with sqlite3.connect(path) as c:
        return str(c.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def old_sqlite_book(path: Path) -> Path:
    """A book at schema OLD holding one card, as an older clientcard left it."""
    create_at_revision(path, OLD)
    with sqlite3.connect(path) as c:
        c.execute(
            "INSERT INTO client (name, name_key, search_key, grade, created_at, updated_at,"
            " graded_at, owner) VALUES ('张伟', '张伟', '张伟', 'B', '2026-11-01 01:00:00.000000',"
            " '2026-11-01 01:00:00.000000', '2026-11-01 01:00:00.000000', 'li')"
        )
    return path


def installed() -> list[str]:
    """The installed `clientcard` console script beside this Python, else `python -m`."""
    script = Path(sys.executable).with_name("clientcard")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "clientcard"]


def at_once(n: int, db: str, *args: str) -> list[subprocess.CompletedProcess[str]]:
    """`n` processes of the installed clientcard started together on the same book; `{n}` in
    an argument is the process's number."""
    env = {**os.environ, "CLIENTCARD_DB": db}
    running = [
        subprocess.Popen(
            [*installed(), *(a.replace("{n}", str(i)) for a in args)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    done = []
    for process in running:
        out, err = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


# ---- db status --------------------------------------------------------------------------------


def test_status_of_no_book_yet_creates_nothing(ok, db_path: Path) -> None:
    rows = status(ok)
    assert not db_path.exists()
    assert fact(rows, "book", "engine") == "sqlite"
    assert fact(rows, "book", "database") == str(db_path)
    assert fact(rows, "book", "schema") is None
    assert fact(rows, "book", "expected") == HEAD_REVISION
    assert fact(rows, "book", "upgrade") == "no"
    assert [r for r in rows if r["section"] != "book"] == []


def test_status_counts_tables_owners_and_names_the_user(
    ok, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "张伟", "--owner", "李娜", "-q")
    ok("add", "王芳", "--owner", "李娜", "-q")
    ok("add", "Wang", "-q")
    # Unowned (issue 17: a new card is its adder's; before, or from the pool, it has none).
    rows_of(db_path, "UPDATE client SET owner = NULL WHERE name = 'Wang'")
    ok("add", "Gone", "--owner", "Bob", "-q")
    ok("archive", "Gone")
    ok("log", "张伟", "--via", "call")
    monkeypatch.setenv("CLIENTCARD_USER", "  李娜 ")
    rows = status(ok)
    assert fact(rows, "book", "schema") == HEAD_REVISION
    assert fact(rows, "book", "user") == "李娜"
    assert fact(rows, "book", "search") == "fts5"
    assert fact(rows, "table", "client") == 4
    assert fact(rows, "table", "contact") == 1
    assert [(r["name"], r["value"]) for r in rows if r["section"] == "owner"] == [
        ("李娜", 2),
        (None, 1),
    ]  # the archived card's owner, Bob, owns no live card
    csv = ok("db", "status", "--format", "csv").stdout.splitlines()
    assert csv[0] == "section,name,value,note"
    assert "owner,李娜,2," in csv
    assert "owner,,1," in csv
    table = ok("db", "status").stdout
    assert "(none)" in table
    assert "李娜" in table


def test_status_of_a_book_behind_says_so_without_migrating_it(ok, db_path: Path) -> None:
    old_sqlite_book(db_path)
    rows = status(ok)
    assert fact(rows, "book", "schema") == OLD
    assert fact(rows, "book", "upgrade") == "needed"
    assert fact(rows, "table", "client") == 1
    assert revision(db_path) == OLD
    assert list(db_path.parent.glob("*.bak")) == []
    tsv = ok("db", "status", "--format", "tsv").stdout
    assert tsv.startswith("section\tname\tvalue\tnote\n")


def test_status_of_another_programs_database_is_refused(cli, db_path: Path) -> None:
    with sqlite3.connect(db_path) as c:
        c.execute("CREATE TABLE invoices (id INTEGER)")
    result = cli("db", "status")
    assert result.exit_code == 74
    assert "is not a clientcard book" in result.stderr


# ---- db upgrade on SQLite ---------------------------------------------------------------------


def test_upgrade_backs_up_then_upgrades_and_a_second_run_does_nothing(ok, db_path: Path) -> None:
    old_sqlite_book(db_path)
    done = ok("db", "upgrade").stdout
    (backup,) = db_path.parent.glob("cards.db.*.bak")
    assert done == (
        f"Backed up the book to {backup}\n"
        f"Upgraded {db_path} from schema revision {OLD} to {HEAD_REVISION}\n"
    )
    assert revision(db_path) == HEAD_REVISION
    assert revision(backup) == OLD  # the copy is the book as it was
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert [c["name"] for c in json.loads(ok("list", "--format", "json").stdout)] == ["张伟"]
    again = ok("db", "upgrade").stdout
    assert again == f"{db_path} is at schema revision {HEAD_REVISION} already: nothing to do\n"
    assert len(list(db_path.parent.glob("*.bak"))) == 1


def test_upgrade_of_a_newer_book_is_refused(cli, db_path: Path) -> None:
    old_sqlite_book(db_path)
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE alembic_version SET version_num = '0099'")
    assert_error(
        cli("db", "upgrade"),
        74,
        f"the database is at schema revision 0099, newer than this clientcard knows "
        f"({HEAD_REVISION}); upgrade clientcard",
    )
    rows = json.loads(cli("db", "status", "-f", "json").stdout)
    assert fact(rows, "book", "upgrade") == "newer"


def test_six_first_commands_at_once_on_a_new_file(tmp_path: Path) -> None:
    book = tmp_path / "new.db"
    done = at_once(6, str(book), "add", "张伟{n}", "-q")
    assert [(p.returncode, p.stderr) for p in done] == [(0, "")] * 6
    assert sorted(int(p.stdout) for p in done) == [1, 2, 3, 4, 5, 6]
    assert revision(book) == HEAD_REVISION


# ---- PostgreSQL ---------------------------------------------------------------------------------


def pg_at(url: str, schema: str) -> None:
    """A PostgreSQL book at an older schema, holding one card with a contact."""
    import sqlalchemy

    from clientcard.store.migrate import upgrade

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            upgrade(connection, schema)
            connection.exec_driver_sql(
                "INSERT INTO client (name, name_key, search_key, grade, created_at, updated_at,"
                " graded_at, owner) VALUES ('张伟', '张伟', '张伟 acme', 'B',"
                " '2026-11-01 01:00+00', '2026-11-01 01:00+00', '2026-11-01 01:00+00', 'li')"
            )
            connection.exec_driver_sql(
                "INSERT INTO contact (client_id, at, logged_at, via, summary, greeting) VALUES"
                " (1, '2026-11-02 03:00+00', '2026-11-02 03:00+00', 'call', '谈了报价', false)"
            )
    finally:
        engine.dispose()


def pg_revision(url: str) -> str:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return str(found.scalar())
    finally:
        engine.dispose()


@pytest.mark.parametrize("old", [OLD, "0010"])  # 0010: the schema before issue 17's
def test_postgresql_behind_stops_everyday_commands_until_db_upgrade(
    cli,
    ok,
    postgres_url: str,
    postgres_server: PostgresServer,
    tmp_path: Path,
    old: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLIENTCARD_USER")  # the user is the database role
    pg_at(postgres_url, old)
    db = ("--db", postgres_url)
    message = (
        f"the book's schema is at {old}, this clientcard needs {HEAD_REVISION}: "
        "run `clientcard db upgrade`"
    )
    for command in (("list",), ("add", "王芳"), ("due",)):
        assert_error(cli(*db, *command), 74, message)
    assert pg_revision(postgres_url) == old
    rows = status(ok, *db)
    assert fact(rows, "book", "engine") == "postgresql"
    assert fact(rows, "book", "schema") == old
    assert fact(rows, "book", "upgrade") == "needed"
    assert fact(rows, "book", "user") == "postgres"  # the database role
    assert fact(rows, "book", "search") == "trigram"
    assert fact(rows, "table", "contact") == 1
    assert fact(rows, "owner", "li") == 1

    done = ok(*db, "db", "upgrade").stdout.splitlines()
    backups = list((tmp_path / "data" / "clientcard" / "backups").glob("*.book.jsonl"))
    assert len(backups) == 1
    assert done[0] == f"Backed up the book to {backups[0]}"
    assert done[1].endswith(f"from schema revision {old} to {HEAD_REVISION}")
    assert pg_revision(postgres_url) == HEAD_REVISION
    assert json.loads(backups[0].read_text().splitlines()[0])["schema"] == old
    assert "already: nothing to do" in ok(*db, "db", "upgrade").stdout
    assert len(list(backups[0].parent.iterdir())) == 1  # no second backup
    assert [c["name"] for c in json.loads(ok(*db, "list", "--format", "json").stdout)] == ["张伟"]

    # The backup of the book behind restores into an empty database, brought to HEAD.
    fresh = postgres_server.create_database()
    try:
        restored = ok("--db", fresh, "restore", str(backups[0])).stdout
        assert f"brought from schema revision {old}" in restored
        contacts = json.loads(ok("--db", fresh, "contacts", "--format", "json").stdout)
        assert [(c["client"], c["summary"]) for c in contacts] == [("张伟", "谈了报价")]
        shown = json.loads(ok("--db", fresh, "show", "张伟", "--format", "json").stdout)
        assert shown["owner"] == "li"
    finally:
        postgres_server.drop_database(fresh)


def test_postgresql_six_first_commands_at_once(postgres_url: str) -> None:
    done = at_once(6, postgres_url, "add", "张伟{n}", "-q")
    assert [(p.returncode, p.stderr) for p in done] == [(0, "")] * 6
    assert sorted(int(p.stdout) for p in done) == [1, 2, 3, 4, 5, 6]
    assert pg_revision(postgres_url) == HEAD_REVISION


def test_postgresql_two_upgrades_at_once_run_one_after_the_other(
    postgres_url: str, tmp_path: Path
) -> None:
    pg_at(postgres_url, OLD)
    done = at_once(2, postgres_url, "db", "upgrade")
    assert [(p.returncode, p.stderr) for p in done] == [(0, "")] * 2
    said = [p.stdout for p in done]
    assert sum("already: nothing to do" in s for s in said) == 1
    assert sum(f"from schema revision {OLD} to {HEAD_REVISION}" in s for s in said) == 1
    assert len(list((tmp_path / "data" / "clientcard" / "backups").iterdir())) == 1
    assert pg_revision(postgres_url) == HEAD_REVISION


# ---- a team set up as docs/team.md says ---------------------------------------------------------

GRANTS = Path(__file__).parent.parent / "docs" / "team-grants.sql"


def as_superuser(server: PostgresServer, *statements: str, database: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(
        host=str(server.socket), user="postgres", dbname=database, autocommit=True
    ) as connection:
        for sql in statements:
            connection.execute(sql)


def role_url(server: PostgresServer, role: str, database: str) -> str:
    return f"postgresql+psycopg://{role}@/{database}?host={server.socket}"


def psql(server: PostgresServer) -> str:
    """psql: beside the server's binaries, on PATH, or in Debian's folders."""
    import shutil

    found = [server.bin_dir / "psql", shutil.which("psql"), *Path(DEBIAN_BINS).glob("*/bin/psql")]
    for candidate in found:
        if candidate is not None and Path(candidate).is_file():
            return str(candidate)
    unavailable("no psql to run docs/team-grants.sql with")


def run_grants(server: PostgresServer, owner: str, database: str, role: str) -> None:
    """docs/team-grants.sql through psql, as the doc says: the owner role runs it."""
    done = subprocess.run(
        [
            psql(server), "-X", "-q", "-h", str(server.socket), "-U", owner,
            "-d", database, "-v", f"role={role}", "-f", str(GRANTS),
        ],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")


@pytest.fixture
def team(postgres_server: PostgresServer) -> Any:
    """Roles as docs/team.md makes them: an owner role that owns a new database, two
    salespeople's LOGIN roles (no CREATE on `public`: PostgreSQL 15's default). Unique names:
    roles belong to the whole server."""
    import uuid

    tag = uuid.uuid4().hex[:8]
    names = {"owner": f"cc_owner_{tag}", "li": f"li_{tag}", "wang": f"wang_{tag}"}
    database = f"team_{tag}"
    as_superuser(
        postgres_server,
        *(f"CREATE ROLE {role} LOGIN" for role in names.values()),
        f"CREATE DATABASE {database} OWNER {names['owner']}",
    )
    yield postgres_server, database, names
    as_superuser(postgres_server, f"DROP DATABASE {database} WITH (FORCE)")


def test_a_second_unprivileged_role_works_through_the_grants_script(
    cli, ok, team: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLIENTCARD_USER")  # each command runs as its login role
    server, database, roles = team
    owner = ("--db", role_url(server, roles["owner"], database))
    li = ("--db", role_url(server, roles["li"], database))
    wang = ("--db", role_url(server, roles["wang"], database))

    # A salesperson's first command on the empty database: no right to create the tables.
    assert_error(
        cli(*li, "list"),
        77,
        f"permission denied for schema public: the role {roles['li']} may not create the "
        "book's tables; the book's owner role creates them first, with `clientcard db "
        "upgrade` (docs/team.md)",
    )
    created = ok(*owner, "db", "upgrade")
    assert created.stdout.startswith(f"Created the book's schema at revision {HEAD_REVISION}")
    assert created.stderr == ""  # pg_trgm made by the database's owner: search has its index

    # Before the grants: one line naming the right, exit 77, never 70 nor a traceback.
    refusal = (
        "permission denied for table alembic_version: ask the book's owner to run "
        f"docs/team-grants.sql for role {roles['li']} (docs/team.md)"
    )
    assert_error(cli(*li, "add", "张伟"), 77, refusal)

    run_grants(server, roles["owner"], database, roles["li"])
    assert ok(*li, "add", "张伟", "--company", "阿里", "-q").stdout == "1\n"
    ok(*li, "log", "张伟", "谈了报价", "--via", "visit")
    ok(*li, "grade", "张伟", "B", "--reason", "met the buyer")
    source = tmp_path / "clients.csv"
    source.write_text("name,company\n王芳,腾讯\nLi Ming,Acme\n", encoding="utf-8")
    ok(*li, "import", str(source))
    assert ok(*li, "add", "赵强", "-q").stdout == "4\n"  # the sequence moved past the import
    ok(*li, "due", "--week")
    listed = json.loads(ok(*li, "list", "--format", "json").stdout)
    assert sorted(c["name"] for c in listed) == ["Li Ming", "张伟", "王芳", "赵强"]
    rows = status(ok, *li)
    assert fact(rows, "book", "user") == roles["li"]
    assert fact(rows, "book", "search") == "trigram"
    assert fact(rows, "table", "client") == 4
    assert fact(rows, "table", "contact") == 1

    # A colleague the owner has not granted yet is still refused, and changes nothing.
    assert_error(
        cli(*wang, "grade", "张伟", "A", "--reason", "x"),
        77,
        refusal.replace(roles["li"], roles["wang"]),
    )
    # Reading granted but not writing: the right is named part-way through the command (the
    # everyday path of store/open.py's transaction), still one line, exit 77, nothing written.
    server_sql = (
        f"GRANT USAGE ON SCHEMA public TO {roles['wang']}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {roles['wang']}",
    )
    as_superuser(server, *server_sql, database=database)
    assert len(json.loads(ok(*wang, "list", "--format", "json").stdout)) == 4
    result = cli(*wang, "log", "张伟", "又谈了", "--via", "call")
    assert (result.exit_code, result.stdout) == (77, "")
    assert result.stderr.startswith("clientcard: permission denied for table ")
    assert result.stderr.endswith(
        f": ask the book's owner to run docs/team-grants.sql for role {roles['wang']} "
        "(docs/team.md)\n"
    )
    assert fact(status(ok, *li), "table", "contact") == 1
    # A salesperson may not change the schema's revision.
    import sqlalchemy

    engine = sqlalchemy.create_engine(li[1])
    try:
        with (
            pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"),
            engine.begin() as connection,
        ):
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "first", [("db", "upgrade"), ("add", "张伟", "-q")], ids=["upgrade", "add"]
)
def test_without_pg_trgm_the_creation_and_status_say_so_and_upgrade_makes_the_index(
    ok, postgres_server: PostgresServer, postgres_url: str, first: tuple[str, ...]
) -> None:
    """An owner role that may create tables in `public` but not extensions in the database
    (CREATE EXTENSION of a trusted extension needs CREATE on the database): the book is made
    without the trigram index, and both the creation and `db status` say so; once a superuser
    has created pg_trgm, `db upgrade` makes the index."""
    import uuid

    database = postgres_url.split("/")[3].split("?")[0]
    owner = f"cc_owner_{uuid.uuid4().hex[:8]}"
    as_superuser(
        postgres_server,
        f"CREATE ROLE {owner} LOGIN",
        f"GRANT CREATE ON SCHEMA public TO {owner}",
        database=database,
    )
    db = ("--db", role_url(postgres_server, owner, database))
    created = ok(*db, "db", "upgrade")
    assert created.stderr.startswith("clientcard: warning: search has no index: pg_trgm ")
    assert "CREATE EXTENSION pg_trgm" in created.stderr
    rows = status(ok, *db)
    assert fact(rows, "book", "search") == "none"
    as_superuser(postgres_server, "CREATE EXTENSION pg_trgm", database=database)
    again = ok(*db, "db", "upgrade")
    assert again.stderr == ""
    assert fact(status(ok, *db), "book", "search") == "trigram"


def test_postgresql_upgrade_waits_for_another_then_says_busy(
    cli, postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another upgrade holding the schema's lock longer than `db upgrade` waits: exit 75, one
    line, no backup written and the schema as it was."""
    import sqlalchemy

    from clientcard.store import admin
    from clientcard.store.migrate import SCHEMA_LOCK

    pg_at(postgres_url, OLD)
    monkeypatch.setattr(admin, "UPGRADE_WAIT", "200ms")
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK})")
            result = cli("--db", postgres_url, "db", "upgrade")
    finally:
        engine.dispose()
    assert_error(
        result, 75, "the database is busy (another clientcard is writing); try again in a moment"
    )
    assert pg_revision(postgres_url) == OLD
    assert not (tmp_path / "data" / "clientcard" / "backups").exists()
