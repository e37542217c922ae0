"""The book's administration (docs/team.md): look at a book without migrating it (`db
status`), and bring its schema to HEAD_REVISION with a backup first (`db upgrade`).

Neither is an everyday command, so both may use SQLAlchemy and Alembic (imported inside the
functions). A book at an older schema must still be readable here: that is how its admin finds
out, and what its backup is made from.

- `look`: a read transaction on the book as it is, whatever its schema; an SQLite file is
  opened read-only, and a missing one is not created.
- `upgrade_book`: an SQLite file is copied to its `.bak` (store/migrate.py `backup_sqlite`);
  a server's book (PostgreSQL) is written as a book export at its own schema into the
  `backups` folder of the per-user data directory, as `backup` names it, and checked, before
  the migrations run. On PostgreSQL the whole of it holds the schema's advisory lock, so two
  upgrades at once run one after the other, and the first command of a colleague waits too.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clientcard.domain.errors import DatabaseBusy
from clientcard.i18n import _
from clientcard.store.db import BUSY_MESSAGE, Db, is_busy, is_denied
from clientcard.store.location import locate
from clientcard.store.revision import HEAD_REVISION, known_revisions, stored_revision
from clientcard.store.search_index import SEARCH_INDEX, SearchIndex, search_index
from clientcard.store.sqlite import SqliteDb, not_a_book, refused
from clientcard.store.urls import mask_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

# How long `db upgrade` waits for another upgrade of the same book (its backup takes a while).
UPGRADE_WAIT = "600s"


class Looked:
    """The book as `look` found it: `db` is None when there is no book yet."""

    __slots__ = ("db", "engine", "revision", "where")

    def __init__(self, engine: str, where: str, revision: str | None, db: Db | None) -> None:
        self.engine = engine  # "sqlite" or "postgresql" (or another SQLAlchemy dialect)
        self.where = where  # the file's path, or the URL with its password masked
        self.revision = revision  # None: no book yet, or an empty database
        self.db = db


@contextmanager
def look(db: str | None) -> Iterator[Looked]:
    """A read transaction on the book of `--db`/CLIENTCARD_DB/the default, as it is: never
    created, migrated or written."""
    target = locate(db)
    if isinstance(target, Path):
        with _look_at_file(target) as looked:
            yield looked
        return
    from sqlalchemy.exc import DBAPIError

    from clientcard.store.alchemy import AlchemyDb, make_engine, sqlite_path
    from clientcard.store.migrate import cannot_open, revision_of

    path = sqlite_path(target)
    if path is not None and not path.is_file():
        yield Looked("sqlite", mask_url(target), None, None)
        return
    engine = make_engine(target)
    try:
        revision = revision_of(engine, target)
        with engine.connect() as connection, connection.begin():
            opened = AlchemyDb(connection)
            opened.snapshot()
            yield Looked(connection.dialect.name, mask_url(target), revision, opened)
    except DBAPIError as exc:
        raise cannot_open(exc, target) from exc
    finally:
        engine.dispose()


@contextmanager
def _look_at_file(path: Path) -> Iterator[Looked]:
    where = str(path)
    if not path.is_file():
        yield Looked("sqlite", where, None, None)
        return
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=5
        )
    except sqlite3.DatabaseError as exc:
        raise refused(path, exc) from None
    try:
        connection.execute("BEGIN")
        opened = SqliteDb(connection)
        revision = stored_revision(opened)
        if revision is None:
            tables = [
                str(r[0])
                for r in opened.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite%' ORDER BY name"
                )
            ]
            if tables:
                raise not_a_book(
                    path,
                    _("it is a database with tables of its own ({table}…)").format(table=tables[0]),
                )
        yield Looked("sqlite", where, revision, opened)
    except sqlite3.DatabaseError as exc:
        raise refused(path, exc) from None
    finally:
        connection.close()


def table_counts(db: Db) -> dict[str, int]:
    """Rows in each of the book's tables that the database has, in the book file's order."""
    from clientcard.store.book import TABLES

    return {
        kind.__table__: int(db.scalar(f'SELECT count(*) FROM "{kind.__table__}"'))
        for kind in TABLES
        if db.has_table(kind.__table__)
    }


class Upgraded:
    """What `upgrade_book` did."""

    __slots__ = ("backup", "engine", "from_revision", "search", "to_revision", "where")

    def __init__(
        self,
        engine: str,
        where: str,
        from_revision: str | None,
        to_revision: str,
        backup: Path | None,
        search: SearchIndex | None = None,
    ) -> None:
        self.engine = engine
        self.where = where
        self.from_revision = from_revision  # None: the schema was created
        self.to_revision = to_revision
        self.backup = backup
        self.search = search  # on PostgreSQL: whether search has its index now

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade_book(db: str | None, now: datetime, check_backup: Callable[[Path], None]) -> Upgraded:
    """Bring the book's schema to HEAD_REVISION, its backup made first (and, for a server's
    book export, checked by `check_backup`, which raises when the file is not whole). A book
    at HEAD_REVISION is left alone, without a backup; an empty database (or a missing file)
    gets the schema."""
    from sqlalchemy.exc import DBAPIError

    from clientcard.store.alchemy import make_engine, resolve_url, sqlite_path
    from clientcard.store.migrate import newer, revision_of

    url = resolve_url(db)
    path = sqlite_path(url)
    where = str(path) if path is not None else mask_url(url)
    engine = make_engine(url)
    try:
        revision = revision_of(engine, url)
        if revision is not None and revision not in known_revisions():
            raise newer(revision)
        if path is not None:
            return _upgrade_file(engine, url, path, revision, now)
        return _upgrade_server(engine, url, where, now, check_backup)
    except DBAPIError as exc:  # as an everyday command says them (store/open.py)
        if is_busy(exc):  # another upgrade for 10 minutes, a colleague's lock on a table
            raise DatabaseBusy(_(BUSY_MESSAGE)) from None
        if is_denied(exc) and path is None:
            from clientcard.store.rights import denied

            raise denied(exc, url) from None
        raise
    finally:
        engine.dispose()


def _upgrade_file(
    engine: "Engine", url: str, path: Path, revision: str | None, now: datetime
) -> Upgraded:
    from clientcard.store.migrate import backup_sqlite, to_head

    if revision == HEAD_REVISION:
        return Upgraded("sqlite", str(path), revision, HEAD_REVISION, None)
    backup = backup_sqlite(path, now) if revision is not None else None
    found = to_head(engine, url, may_upgrade=True)  # BEGIN IMMEDIATE: one at a time
    return Upgraded("sqlite", str(path), found, HEAD_REVISION, backup)


def _upgrade_server(
    engine: "Engine", url: str, where: str, now: datetime, check_backup: Callable[[Path], None]
) -> Upgraded:
    """Hold the schema's advisory lock for the whole upgrade (a session lock, on a connection
    of its own: the backup is read on another, from one snapshot), read the revision again
    under it, write and check the backup, then migrate on the lock's connection."""
    from clientcard.store.migrate import SCHEMA_LOCK, revision_of, to_head

    with engine.connect() as holder:
        holder.exec_driver_sql(f"SET lock_timeout = '{UPGRADE_WAIT}'")
        holder.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK})")
        holder.exec_driver_sql("RESET lock_timeout")
        holder.commit()
        try:
            revision = revision_of(engine, url)  # another upgrade may have run meanwhile
            backup = None
            if revision is not None and revision != HEAD_REVISION:
                backup = _server_backup(engine, url, revision, now)
                try:
                    check_backup(backup)
                except BaseException:
                    backup.unlink(missing_ok=True)
                    raise
            if revision != HEAD_REVISION:
                to_head(engine, url, may_upgrade=True, connection=holder)
            search = _make_search_index(holder)
        finally:
            holder.exec_driver_sql(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})")
            holder.commit()
    return Upgraded(engine.dialect.name, where, revision, HEAD_REVISION, backup, search)


def _server_backup(engine: "Engine", url: str, revision: str, now: datetime) -> Path:
    """The book export of a server's book at its own schema, into a new private file of the
    backups folder (`backup`'s name for it: `<database>_<host>-<stamp>.book.jsonl`)."""
    from clientcard.store import backup as files
    from clientcard.store.alchemy import AlchemyDb
    from clientcard.store.book import write_stored_book

    target = files.new_automatic_path(files.server_book_stand_in(url), now, files.BOOK_SUFFIX)
    try:
        with engine.connect() as connection, connection.begin(), open(target, "wb") as out:
            source = AlchemyDb(connection)
            source.snapshot()
            out.writelines(write_stored_book(source, revision))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _make_search_index(connection: "Connection") -> SearchIndex:
    """The trigram index of a server's book, made now if it is missing and pg_trgm can be had
    (a book made where pg_trgm was not installed, or by a role that could not create it, went
    without: migration 0004); whether search has it after that."""
    from sqlalchemy.exc import DBAPIError

    from clientcard.store import fulltext
    from clientcard.store.alchemy import AlchemyDb

    with connection.begin():
        found = search_index(AlchemyDb(connection))
        if found.indexed:
            return found
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                connection.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON client "
                    "USING gin (search_key gin_trgm_ops)"
                )
                # The search index's own (issue 18, migration 0014).
                for sql in fulltext.pg_indexes():
                    connection.exec_driver_sql(sql)
        except DBAPIError:  # not on the server, or no right to create it: said by the result
            pass
        return search_index(AlchemyDb(connection))
