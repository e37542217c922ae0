"""The SQLAlchemy engine: for database URLs (store/alchemy.py) and for migrations.

Everyday commands on an SQLite file do not come here (store/db.py opens it with sqlite3); this
module is imported only to migrate a file, or to open a URL such as PostgreSQL. SQLite files get
the same settings on both paths (`configure_sqlite`), and a write transaction starts with
`BEGIN IMMEDIATE` on both.
"""

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import create_engine

from clientcard.domain.errors import DatabaseError
from clientcard.store.db import configure_sqlite
from clientcard.store.location import BUSY_TIMEOUT_MS, create_private_file, locate

WRITE_OPTION = "clientcard_write"


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for `--db`/CLIENTCARD_DB (a path or a URL) or the default location."""
    target = locate(db)
    return f"sqlite:///{target}" if isinstance(target, Path) else target


def shown_url(url: str) -> str:
    """A URL fit for an error message: a password in it (a team's PostgreSQL) shows as ***."""
    try:
        parsed = make_url(url)
        return url if parsed.password is None else parsed.render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    configure_sqlite(dbapi_connection)


def _on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files are created private and configured as described above."""
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_begin)
        return engine
    try:
        if make_url(url).get_backend_name() == "postgresql":
            # Wait for a lock as long as SQLite does, then say the book is busy (exit 75),
            # rather than wait for ever behind a colleague's import.
            options = f"-c lock_timeout={BUSY_TIMEOUT_MS}"
            return create_engine(url, connect_args={"options": options})
        return create_engine(url)
    except ImportError as exc:  # the URL names a driver that is not installed
        hint = (
            "; install it with: pip install 'clientcard[postgres]'"
            if make_url(url).get_backend_name() == "postgresql"
            else ""
        )
        raise DatabaseError(
            f"cannot use database URL {shown_url(url)!r}: its driver is not installed ({exc}){hint}"
        ) from None
    except Exception as exc:  # a bad URL
        raise DatabaseError(f"cannot use database URL {shown_url(url)!r}: {exc}") from None


# PostgreSQL's lock_not_available (lock_timeout ran out) and deadlock_detected.
_BUSY_SQLSTATES = frozenset({"55P03", "40P01"})


def is_busy(exc: BaseException) -> bool:
    """Another writer holds the book: SQLite's "database is locked", PostgreSQL's lock errors."""
    if not isinstance(exc, OperationalError):
        return False
    return (
        "locked" in str(exc.orig).lower() or getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES
    )
