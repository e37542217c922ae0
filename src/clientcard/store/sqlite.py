"""`SqliteDb`: the data access layer (store/db.py) on the standard library's sqlite3, for an
SQLite file: the everyday path, which imports nothing heavy.

Also the settings every SQLite connection gets, on either path (`configure_sqlite`: the
`sqlite:///` URLs of store/alchemy.py use it too), and the transaction on a file: a write takes
the lock at the start (BEGIN IMMEDIATE).
"""

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clientcard.domain.errors import DatabaseError
from clientcard.i18n import _
from clientcard.store import location
from clientcard.store.db import Db, is_busy

# The page cache of a connection that writes many rows (`for_bulk_writes`), in KiB: within the
# import's 150 MiB at 28,000 rows into 100,000 cards.
BULK_CACHE_KIB = 32 * 1024


class SqliteDb(Db):
    """A `Db` on the standard library's sqlite3 connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, params).fetchall()

    def _iterate(self, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        cursor = self.connection.execute(sql, params)
        cursor.arraysize = 1000
        while batch := cursor.fetchmany():
            yield from batch

    def _run(self, sql: str, params: dict[str, Any]) -> int:
        return self.connection.execute(sql, params).rowcount

    def _insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        # Positional parameters: sqlite3 binds them faster than named ones (an import).
        quoted = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        self.connection.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)

    def _insert(self, sql: str, params: dict[str, Any], returns_id: bool) -> int | None:
        return self.connection.execute(sql, params).lastrowid

    def _ddl(self, sql: str) -> None:
        self.connection.execute(sql)

    def for_bulk_writes(self) -> None:
        self.connection.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def for_scans(self) -> None:
        self.connection.execute(f"PRAGMA mmap_size = {SCAN_MAP_BYTES}")

    def has_table(self, name: str) -> bool:
        found = self._fetch(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name", {"name": name}
        )
        return bool(found)


# How much of a book `for_scans` maps: SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE) is about
# 2 GiB; a book of a million cards is well under one.
SCAN_MAP_BYTES = 1 << 30


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def configure_sqlite(connection: sqlite3.Connection) -> None:
    """Every SQLite connection, on either path: we issue BEGIN ourselves; foreign keys on; WAL
    (for a book: `_may_be_a_book`); a busy timeout; and a `lower()` that casefolds all of
    Unicode (SQLite's own folds ASCII only, so `list --search äbc` would miss `ÄBC`)."""
    connection.isolation_level = None
    connection.create_function("lower", 1, _casefold, deterministic=True)
    connection.execute(f"PRAGMA busy_timeout = {location.BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    if _may_be_a_book(connection):
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")


def _may_be_a_book(connection: sqlite3.Connection) -> bool:
    """A book (it has Alembic's `alembic_version`) or a new, empty database, rather than some
    other program's, which store/migrate.py refuses to open (exit 74). WAL is the file's own
    setting, kept after it is closed: it must not be switched on in another program's file.
    Raises sqlite3.DatabaseError for a file that is not a database at all."""
    names = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
    ).fetchall()
    return not names or ("alembic_version",) in names


def not_a_book(where: object, why: str) -> DatabaseError:
    """`--db` names something that is not a clientcard book (exit 74)."""
    return DatabaseError(
        _(
            "{where} is not a clientcard book: {why}; give the path of a clientcard book, "
            "or of a new file"
        ).format(where=where, why=why)
    )


def refused(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """What to raise when SQLite cannot open `path`: a busy book as it is (`transaction` makes
    it exit 75); anything else (a folder, no permission, not a database) is the user's
    `DatabaseError`, not an internal error."""
    if is_busy(exc):
        return exc
    if getattr(exc, "sqlite_errorname", None) == "SQLITE_NOTADB":  # a text file, a picture...
        return not_a_book(path, _("it is not an SQLite database"))
    if getattr(exc, "sqlite_errorname", None) == "SQLITE_CORRUPT":
        return damaged(path, exc)
    return DatabaseError(
        _("cannot open the database {path}: {problem}").format(path=path, problem=exc)
    )


def damaged(where: object, exc: BaseException) -> DatabaseError:
    """A book SQLite finds damaged, on opening it or part-way through a command (exit 74)."""
    return DatabaseError(
        _(
            "the database {where} is damaged ({reason}); nothing was changed. Restore it from a "
            "backup"
        ).format(where=where, reason=exc)
    )


def connect(path: Path) -> sqlite3.Connection:
    """A configured connection to the file, which is created private (mode 0600) if missing."""
    location.create_private_file(path)
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(
            path, timeout=location.BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        configure_sqlite(connection)
        return connection
    except sqlite3.DatabaseError as exc:
        if connection is not None:
            connection.close()
        raise refused(path, exc) from None


@contextmanager
def sqlite_transaction(connection: sqlite3.Connection, *, write: bool) -> Iterator[SqliteDb]:
    """A transaction on an open connection: committed when the block ends, rolled back on
    error; the connection is closed either way. A write takes the lock at the start (BEGIN
    IMMEDIATE), so every check a service makes still holds when it commits, and a cron job and
    a person queue instead of failing half-way."""
    try:
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield SqliteDb(connection)
        except BaseException:
            connection.rollback()
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()
