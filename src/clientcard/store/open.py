"""The command's one transaction: find the book, bring it to the current schema if it is not
there yet, and open it on the right backend.

- An SQLite file (the everyday case) is opened with sqlite3 (store/sqlite.py) and its schema
  revision checked with the same connection. At HEAD_REVISION nothing else happens, and neither
  SQLAlchemy nor Alembic is imported; otherwise store/migrate.py migrates it first, and only
  then is the SQLAlchemy stack imported (a lazy import: it is heavy, and it is the rare case).
- A PostgreSQL URL is opened with psycopg (store/pg.py), and its revision read with the same
  connection; as for a file, only a database away from HEAD_REVISION (or an empty one) goes to
  store/migrate.py and its SQLAlchemy stack.
- An `sqlite:///PATH` URL is that file, opened as above. Any other URL (in-memory SQLite, another
  driver) goes through store/migrate.py and is opened with SQLAlchemy (store/alchemy.py).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientcard.domain.errors import DatabaseBusy
from clientcard.i18n import _
from clientcard.store import retry
from clientcard.store.db import BUSY_MESSAGE, Db, is_busy, is_damaged, is_denied
from clientcard.store.location import locate
from clientcard.store.revision import HEAD_REVISION, stored_revision
from clientcard.store.sqlite import SqliteDb, connect, damaged, refused, sqlite_transaction

if TYPE_CHECKING:
    import psycopg


@contextmanager
def transaction(db: str | None, *, write: bool) -> Iterator[Db]:
    """The command's one transaction on `--db`/CLIENTCARD_DB/the default location: committed
    when the block ends, rolled back on any error. A write transaction keeps track of the
    records it reads (`Db.keep_track`), on either path. Another writer holding the book for
    longer than the busy timeout, or a deadlock with one (PostgreSQL), rolls it back and
    raises `DatabaseBusy`: the command may then be run again whole (store/retry.py), else it
    exits 75. A right the server refuses the role (SQLSTATE 42501) raises `NoPermission`
    (exit 77, store/rights.py)."""
    target = locate(db)
    try:
        opening: AbstractContextManager[Db]
        if isinstance(target, Path):
            opening = sqlite_transaction(_at_head(target), write=write)
        else:
            opening = _url_transaction(target, write=write)
        with opening as opened:
            if write:
                opened.keep_track()
            yield opened
        if write:
            retry.committed()
    except Exception as exc:
        if is_busy(exc):
            retry.failed(write=write)
            raise DatabaseBusy(_(BUSY_MESSAGE)) from None
        if is_denied(exc) and not isinstance(target, Path):  # a right the book's owner grants
            from clientcard.store.rights import denied

            raise denied(exc, target) from None
        if is_damaged(exc):  # only SQLite says so: a URL is `sqlite:///<path>`, no password
            where = target if isinstance(target, Path) else target.split("///", 1)[-1]
            raise damaged(where, getattr(exc, "orig", None) or exc) from None
        raise


def _at_head(path: Path) -> sqlite3.Connection:
    """A configured connection to a file at the current schema, migrating it first if needed."""
    connection = connect(path)
    try:
        if stored_revision(SqliteDb(connection)) == HEAD_REVISION:
            return connection
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise refused(path, exc) from None
    connection.close()
    from clientcard.store.migrate import open_database  # the SQLAlchemy stack: only to migrate

    open_database(str(path)).dispose()
    return connect(path)


@contextmanager
def _url_transaction(url: str, *, write: bool) -> Iterator[Db]:
    from clientcard.store import pg  # the driver: only for a URL

    if pg.is_pg_url(url):
        with pg.pg_transaction(_pg_at_head(url), write=write) as on_server:
            yield on_server
        return
    path = sqlite_file(url)
    if path is not None:  # `sqlite:///PATH`: the file, as if named by its path
        with sqlite_transaction(_at_head(path), write=write) as on_file:
            yield on_file
        return
    from clientcard.store.alchemy import alchemy_transaction  # SQLAlchemy: any other URL
    from clientcard.store.migrate import open_database

    engine = open_database(url)
    try:
        with alchemy_transaction(engine, write=write) as opened:
            yield opened
    finally:
        engine.dispose()


def _pg_at_head(url: str) -> "psycopg.Connection[tuple[Any, ...]]":
    """A connection to a PostgreSQL database at the current schema: the revision read with
    the same connection, and only when it is not HEAD_REVISION (or there is none: an empty
    database) does store/migrate.py decide what to do, through SQLAlchemy."""
    from clientcard.store import pg

    connection = pg.connect(url)
    try:
        at_head = stored_revision(pg.PgDb(connection)) == HEAD_REVISION
    except BaseException:
        connection.close()
        raise
    if at_head:
        return connection
    connection.close()
    from clientcard.store.migrate import open_database  # the SQLAlchemy stack: the rare case

    open_database(pg.alchemy_url(url)).dispose()
    return pg.connect(url)


def sqlite_file(url: str) -> Path | None:
    """The file an `sqlite:///PATH` URL names (`sqlite:////abs/path`, `sqlite:///relative`),
    read as SQLAlchemy reads it; None for other URLs, and for SQLite URLs of other forms (in
    memory, with a query, a `%` escape), which keep SQLAlchemy's own reading."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("sqlite", "sqlite+pysqlite") or not rest.startswith("/"):
        return None
    path = rest[1:]
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        return None
    return Path(path)


def no_book_yet(db: str | None) -> Path | None:
    """The SQLite file `--db`/CLIENTCARD_DB/the default location names, when there is no file
    there yet (a command that only shows, such as `config show`, then creates none); None
    otherwise, and for a database URL (a server's book is not looked at here)."""
    target = locate(db)
    if isinstance(target, str):
        file = sqlite_file(target)
        if file is None:
            return None
        target = file
    return None if target.exists() else target


@contextmanager
def peek(db: str | None) -> Iterator[Db | None]:
    """A quick read-only look at an SQLite book already at the current schema, for shell
    completion: it never creates, migrates or waits for the book, and never imports the
    database stack. None when there is nothing to look at that way: no file yet, a database
    URL, a book at another schema, a file SQLite cannot read."""
    connection = _peek_connection(db)
    if connection is None:
        yield None
        return
    try:
        yield SqliteDb(connection)
    finally:
        connection.close()


def _peek_connection(db: str | None) -> sqlite3.Connection | None:
    try:
        target = locate(db)
        if not isinstance(target, Path) or not target.is_file():
            return None
        uri = f"{target.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=0.2, isolation_level=None)
    except Exception:
        return None
    try:
        if stored_revision(SqliteDb(connection)) == HEAD_REVISION:
            return connection
    except sqlite3.Error:
        pass
    connection.close()
    return None
