"""The engine and the transaction: every SQLite setting in one place.

- the location: `--db`, else CLIENTCARD_DB, else the per-user data directory (platformdirs);
  a value containing `://` is an SQLAlchemy URL, anything else a file path;
- a new SQLite file is created with mode 0600 (client data is personal data);
- every connection: foreign keys on, WAL, a busy timeout;
- a write transaction starts with `BEGIN IMMEDIATE`, so a cron job and a person writing at the
  same moment queue for the lock instead of failing half-way or losing an update;
- one transaction per command: `transaction()` commits at the end or rolls everything back.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from clientcard.domain.errors import DatabaseBusy, DatabaseError

BUSY_TIMEOUT_MS = 5000
_WRITE = "clientcard_write"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("clientcard", appauthor=False) / "clientcard.db"


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for `--db`/CLIENTCARD_DB (a path or a URL) or the default location."""
    if not db:
        db = os.environ.get("CLIENTCARD_DB") or None
    if db and "://" in db:
        return db
    if not db:
        return f"sqlite:///{default_db_path()}"  # its folder is created on first use
    path = Path(db).expanduser()
    if not path.parent.is_dir():  # a typo in --db must not quietly start an empty book
        problem = (
            f"{path.parent} is not a folder"
            if path.parent.exists()
            else f"the folder {path.parent} does not exist"
        )
        raise DatabaseError(f"cannot open the database {path}: {problem}")
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _create_private_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseError(f"cannot create the database at {path}: {exc.strerror}") from None


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # We issue BEGIN ourselves (see _on_begin): the driver must not start transactions.
    dbapi_connection.isolation_level = None
    # SQLite's own lower() folds ASCII only; `list --search` compares lower(column) with a
    # casefolded pattern, so lower() casefolds all of Unicode here: `äbc` finds `ÄBC`.
    dbapi_connection.create_function("lower", 1, _casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files are created private and configured as described above."""
    path = sqlite_path(url)
    if path is not None:
        _create_private_file(path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_begin)
        return engine
    try:
        return create_engine(url)
    except Exception as exc:  # bad URL, missing driver
        raise DatabaseError(f"cannot use database URL {url!r}: {exc}") from None


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Session]:
    """One command's transaction: commit when the block ends, roll back on any error.

    Writes take the SQLite write lock at the start (BEGIN IMMEDIATE), so every check a service
    makes still holds when it commits."""
    bound = engine.execution_options(**{_WRITE: write})
    try:
        with Session(bound, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusy(
                "the database is busy (another clientcard is writing); try again in a moment"
            ) from None
        raise
