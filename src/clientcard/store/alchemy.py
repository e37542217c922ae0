"""The URL backend: an SQLAlchemy engine for a database URL, and `AlchemyDb`, the data access
layer (store/db.py) on SQLAlchemy Core over it.

This is the path for PostgreSQL (a team's shared book) and for an explicit `sqlite:///` URL; the
tests use the latter to run the same commands on both paths and compare what they return. The
SQL is the same text the sqlite3 path (store/sqlite.py) runs: `text()` turns its `:name`
parameters into whatever the driver wants. The migrations (store/migrate.py) use the engine too.

Everyday commands on an SQLite file never come here: this module is imported only to migrate a
file, or to open a URL. SQLite files get the same settings on both paths (`configure_sqlite`),
and a write transaction starts with `BEGIN IMMEDIATE` on both.
"""

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import create_engine

from clientcard.domain.errors import DatabaseError, InvalidValue
from clientcard.store.db import Db, insert_sql, postgresql_array
from clientcard.store.location import BUSY_TIMEOUT_MS, create_private_file, locate
from clientcard.store.sqlite import configure_sqlite
from clientcard.store.urls import EXAMPLE, mask_url, scrub

WRITE_OPTION = "clientcard_write"


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for `--db`/CLIENTCARD_DB (a path or a URL) or the default location."""
    target = locate(db)
    return f"sqlite:///{target}" if isinstance(target, Path) else target


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
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # store/urls.py let through what SQLAlchemy refuses
        raise InvalidValue(
            f"malformed database URL {mask_url(url)!r}; a URL looks like {EXAMPLE}"
        ) from exc
    try:
        if parsed.get_backend_name() == "postgresql":
            # Wait for a lock as long as SQLite does, then say the book is busy (exit 75),
            # rather than wait for ever behind a colleague's import.
            options = f"-c lock_timeout={BUSY_TIMEOUT_MS}"
            return create_engine(url, connect_args={"options": options})
        return create_engine(url)
    except ImportError as exc:  # the URL names a driver that is not installed
        hint = (
            "; install it with: pip install 'clientcard[postgres]'"
            if parsed.get_backend_name() == "postgresql"
            else ""
        )
        raise DatabaseError(
            f"cannot use database URL {mask_url(url)!r}: its driver is not installed "
            f"({scrub(str(exc), url)}){hint}"
        ) from exc
    except Exception as exc:  # an unknown dialect or driver name, a value the driver refuses
        raise DatabaseError(
            f"cannot use database URL {mask_url(url)!r}: {scrub(str(exc), url)}"
        ) from exc


class AlchemyDb(Db):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.text_times = self.dialect == "sqlite"

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.connection.execute(text(sql), params)]

    def _iterate(self, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        # On the statement: Connection.execution_options() would change the whole connection.
        statement = text(sql).execution_options(yield_per=1000)
        for row in self.connection.execute(statement, params):
            yield tuple(row)

    def _expand(self, name: str, values: list[Any]) -> tuple[str, Any]:
        if self.dialect != "postgresql":
            return super()._expand(name, values)
        return postgresql_array(name, values)

    def _run(self, sql: str, params: dict[str, Any]) -> int:
        return self.connection.execute(text(sql), params).rowcount

    def _insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if self.dialect == "postgresql":
            # COPY: the driver streams the rows in one statement, about ten times the speed of
            # an INSERT per row (a whole book onto the server: docs/performance.md). psycopg
            # adapts each value as it would a parameter; the constraints are checked as for
            # INSERT, and a broken one raises the driver's IntegrityError.
            dbapi = self.connection.connection.dbapi_connection
            assert dbapi is not None
            quoted = ", ".join(f'"{n}"' for n in names)
            cursor: Any = dbapi.cursor()  # psycopg's, whose copy() the DB-API does not name
            try:
                with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            finally:
                cursor.close()
            return
        batch = [dict(zip(names, row, strict=True)) for row in rows]
        if batch:
            self.connection.execute(text(insert_sql(table, names)), batch)

    def _insert(self, sql: str, params: dict[str, Any], returns_id: bool) -> int | None:
        if not returns_id:
            self.connection.execute(text(sql), params)
            return None
        if self.dialect == "sqlite":  # RETURNING needs SQLite 3.35; the row id does not
            return self.connection.execute(text(sql), params).lastrowid
        new_id = self.connection.execute(text(f"{sql} RETURNING id"), params).scalar_one()
        return int(new_id)

    def _ddl(self, sql: str) -> None:
        self.connection.exec_driver_sql(sql)

    def has_table(self, name: str) -> bool:
        return inspect(self.connection).has_table(name)


@contextmanager
def alchemy_transaction(engine: Engine, *, write: bool) -> Iterator[AlchemyDb]:
    """A transaction on `engine`: committed when the block ends, rolled back on error. On an
    SQLite file a write starts with BEGIN IMMEDIATE (`_on_begin`); PostgreSQL locks nothing up
    front."""
    with (
        engine.connect().execution_options(**{WRITE_OPTION: write}) as connection,
        connection.begin(),
    ):
        yield AlchemyDb(connection)
