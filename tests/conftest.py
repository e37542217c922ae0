"""Shared fixtures. Every test gets its own database, config file and data directories (autouse),
a pinned clock and a fixed time zone, so no test can touch a real user's cards."""

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from clientcard.cli import app
from helpers import PINNED_NOW, PINNED_TZ, Query, Run, add, add_date, rows
from postgres_server import PostgresServer

# PINNED_NOW is a Friday morning in Shanghai (helpers.py). Tests that need another moment set
# CLIENTCARD_NOW themselves.


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every location clientcard uses into the test's own temporary directory."""
    db = tmp_path / "cards.db"
    monkeypatch.setenv("CLIENTCARD_DB", str(db))
    monkeypatch.setenv("CLIENTCARD_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CLIENTCARD_NOW", PINNED_NOW)
    monkeypatch.setenv("TZ", PINNED_TZ)
    monkeypatch.delenv("CLIENTCARD_TRACEBACK", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    # Who runs the commands (Db.user(): who did what, a new card's owner), the same in every
    # test whatever the machine's login name; tests of the user set their own.
    monkeypatch.setenv("CLIENTCARD_USER", "li")
    # The interface's language (clientcard/i18n.py): English, whatever the machine's locale;
    # tests of Chinese set LANG or `language` themselves.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from clientcard import i18n

    i18n.use(None)
    return db


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated


@pytest.fixture(scope="session")
def schema_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the current schema, made once per run."""
    from clientcard.store.migrate import open_database

    path = tmp_path_factory.mktemp("schema") / "cards.db"
    open_database(str(path)).dispose()
    return path


@pytest.fixture
def migrated(schema_db: Path, db_path: Path) -> None:
    """Start the test from a copy of an empty migrated database: faster than migrating a new
    file every time. Modules opt in with `pytestmark = pytest.mark.usefixtures("migrated")`."""
    with closing(sqlite3.connect(schema_db)) as source, closing(sqlite3.connect(db_path)) as copy:
        source.backup(copy)


@pytest.fixture
def cli() -> Run:
    """Run clientcard in-process: `cli("add", "Zhang")` -> Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, prog_name="clientcard")

    return run


@pytest.fixture
def ok(cli: Run) -> Run:
    """Like `cli`, but the command must succeed; a failure shows its stderr."""

    def run(*args: str, **kwargs: Any) -> Result:
        result = cli(*args, **kwargs)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    return run


@pytest.fixture
def query(db_path: Path) -> Query:
    """Read the test's database directly: what is stored, not what is printed."""

    def run(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return rows(db_path, sql, params)

    return run


@pytest.fixture
def snapshot(db_path: Path) -> Callable[[], list[str]]:
    """Every row of every table as text, to assert that a refused command changed nothing."""

    def take() -> list[str]:
        if not db_path.exists():
            return []
        with sqlite3.connect(db_path) as conn:
            return list(conn.iterdump())

    return take


@pytest.fixture
def zhang(ok: Run) -> int:
    """The card most tests start from: #1 张伟 of 阿里, grade A (helpers.ZHANG)."""
    return add(ok, "张伟", "--company", "阿里", "--grade", "A")


@pytest.fixture
def birthday(ok: Run, zhang: int) -> int:
    """张伟's birthday, Sunday 2026-11-29 this year, with a note."""
    return add_date(ok, "张伟", "birthday", "11-29", "--note", "喜欢普洱茶")


# ---- PostgreSQL (tests/postgres_server.py) ------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run, stopped at the end. Skipped when the
    server binaries or the driver are missing, unless CLIENTCARD_REQUIRE_POSTGRES=1 (CI), which
    turns that into a failure."""
    server = PostgresServer.prepare()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test: its SQLAlchemy URL."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every statement run on the sqlite3 path from now on, with its parameters, so a test can
    ask SQLite for their plans (tests/test_query_plans.py)."""
    from clientcard.store.sqlite import SqliteDb

    seen: list[tuple[str, dict[str, Any]]] = []
    fetch, iterate = SqliteDb._fetch, SqliteDb._iterate

    def record_fetch(self: SqliteDb, sql: str, params: dict[str, Any]) -> Any:
        seen.append((sql, params))
        return fetch(self, sql, params)

    def record_iterate(self: SqliteDb, sql: str, params: dict[str, Any]) -> Any:
        seen.append((sql, params))
        return iterate(self, sql, params)

    monkeypatch.setattr(SqliteDb, "_fetch", record_fetch)
    monkeypatch.setattr(SqliteDb, "_iterate", record_iterate)
    return seen


# ---- a realistic book (benchmarks/generate.py) --------------------------------------------


# The sizes of the realistic book: 1,000 cards always; with CLIENTCARD_SCALE_TESTS=1 (.ci/run
# sets it) also the benchmark's 100,000 cards and a million contacts, on which issue 16 asks
# every report to match an independent SQL count.
BOOK_SIZES = [1_000] + ([100_000] if os.environ.get("CLIENTCARD_SCALE_TESTS") == "1" else [])


@pytest.fixture(scope="session", params=BOOK_SIZES, ids=lambda n: f"{n}-cards")
def generated_book(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A realistic book (about 10 contacts a card, grade histories, promises, complaints,
    sales) made once per run and size by benchmarks/generate.py, with "now" 2026-11-20 09:00
    in Shanghai (PINNED_NOW). Read-only: a test that writes copies it first. The reports'
    tests check their numbers against independent SQL counts on it."""
    from test_benchmarks import generate

    if "PYTEST_XDIST_WORKER" not in os.environ:
        path = tmp_path_factory.mktemp("generated") / "book.db"
        generate.build(path, request.param)
        return path
    # Under pytest-xdist (`pytest -n auto`) the workers of one run share one book of each
    # size: the first to get the lock builds it in the run's own temporary folder.
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # this run's, above each worker's own
    path = shared / f"generated-{request.param}.db"
    with (shared / f"generated-{request.param}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            generate.build(path, request.param)  # built beside it, then renamed
    return path


@pytest.fixture
def generated_copy(generated_book: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the realistic book that a test may open read-write. Removed when the test
    ends, passed or failed: at 100,000 cards it weighs 700 MB, and a scale run makes a few
    dozen; kept, they filled a CI machine's disk (24 GB in one run)."""
    path = tmp_path / "book.db"
    shutil.copy(generated_book, path)
    yield path
    for left in tmp_path.glob("book.db*"):  # the book, its -wal/-shm and any backup
        left.unlink()
