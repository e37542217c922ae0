"""`AlchemyDb`: the data access layer (store/db.py) on SQLAlchemy Core, for a database URL.

This is the path for PostgreSQL (a team's shared book) and for an explicit `sqlite:///` URL; the
tests use the latter to run the same commands on both paths and compare what they return. The
SQL is the same text the sqlite3 path runs: `text()` turns its `:name` parameters into whatever
the driver wants.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from clientcard.domain.errors import DatabaseBusy
from clientcard.store.db import BUSY_MESSAGE, Db, insert_sql
from clientcard.store.engine import WRITE_OPTION, is_busy
from clientcard.store.migrate import open_database


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
        # PostgreSQL: the list as one array parameter (psycopg sends a Python list as an
        # array), which also stays under its limit of 65,535 parameters a statement. Text is
        # sent untyped, so the array is cast; an empty one matches nothing.
        if not values:
            return "(NULL)", None
        kinds = {type(v) for v in values}
        array = {frozenset({int}): "bigint[]", frozenset({str}): "text[]"}.get(frozenset(kinds))
        if array is None:
            raise TypeError(f"IN :{name} takes a list of ints or of strings, not {kinds}")
        return f"(SELECT unnest(CAST(:{name} AS {array})))", values

    def _run(self, sql: str, params: dict[str, Any]) -> int:
        return self.connection.execute(text(sql), params).rowcount

    def _insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
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


@contextmanager
def alchemy_transaction(url: str, *, write: bool) -> Iterator[AlchemyDb]:
    engine = open_database(url)
    try:
        with (
            engine.connect().execution_options(**{WRITE_OPTION: write}) as connection,
            connection.begin(),
        ):
            yield AlchemyDb(connection)
    except OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusy(BUSY_MESSAGE) from None
        raise
    finally:
        engine.dispose()
