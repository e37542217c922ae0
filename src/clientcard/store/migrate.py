"""Bring a database to the schema this clientcard expects.

store/open.py comes here for every database URL, and for an SQLite file only when the file's
own cheap check (store/revision.py) found it away from HEAD_REVISION; the benchmarks and tests
also build books through `open_database`. The check is made again here through SQLAlchemy: two
small queries (is there an `alembic_version` table, and what does it hold), without Alembic. Only
when the revision differs from HEAD_REVISION is Alembic imported:
- a new, empty database is created by running every migration;
- an older file is first copied with SQLite's backup API to `<db>.<UTC timestamp>.bak`, then
  upgraded in one transaction (a failed upgrade leaves the file as it was);
- a revision this clientcard does not know means a newer clientcard wrote the file: refuse.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from clientcard.domain.errors import DatabaseError
from clientcard.store.alchemy import (
    WRITE_OPTION,
    AlchemyDb,
    make_engine,
    resolve_url,
    sqlite_path,
)
from clientcard.store.revision import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    known_revisions,
    stored_revision,
)
from clientcard.store.sqlite import not_a_book, refused
from clientcard.store.urls import mask_url, scrub

# libpq's words when the server wants a password it did not get, or another one.
_PASSWORD_TROUBLE = ("no password supplied", "password authentication failed")


def current_revision(connection: Connection) -> str | None:
    """The revision the database holds (store/revision.py reads it), None for a new one."""
    return stored_revision(AlchemyDb(connection))


def backup_sqlite(path: Path, now: datetime) -> Path:
    """Copy a live SQLite file with the backup API (consistent even in WAL mode); mode 0600."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    copies = 1
    while True:  # another process may have backed up the same file in the same second
        try:
            target.touch(mode=0o600, exist_ok=False)
            break
        except FileExistsError:
            copies += 1
            target = path.with_name(f"{path.name}.{stamp}.{copies}.bak")
    source = sqlite3.connect(path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the pending migrations on `connection` (inside the caller's transaction), up to
    `revision`."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def create_at_revision(path: Path, revision: str) -> None:
    """A new SQLite book at an older schema `revision` (to load a book exported from it, then
    migrate it: services/book.py)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with (
            engine.connect() as connection,
            connection.execution_options(**{WRITE_OPTION: True}).begin(),
        ):
            upgrade(connection, revision)
    finally:
        engine.dispose()


def _refuse_a_stranger(connection: Connection, url: str) -> None:
    """A database without a schema revision is a new book only if it holds no tables: one
    that holds tables of its own is someone else's (another program's SQLite file, a shared
    PostgreSQL database), which clientcard must not migrate into. Refused with exit 74.
    (While another clientcard creates the book, `alembic_version` appears with the other
    tables, in the same transaction: that is a book, and the migration's own check decides.)"""
    from sqlalchemy import inspect

    tables = sorted(inspect(connection).get_table_names())
    if not tables or "alembic_version" in tables:
        return
    path = sqlite_path(url)
    where = str(path) if path is not None else mask_url(url)
    shown = ", ".join(tables[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
    raise not_a_book(where, f"it is a database with tables of its own ({shown})")


def ensure_schema(engine: Engine, url: str) -> Path | None:
    """Check the schema revision and migrate when needed. Returns the backup file, if one was
    written."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            if revision is None:
                _refuse_a_stranger(connection, url)
    except DBAPIError as exc:  # the driver's own text may quote the URL: scrubbed
        path = sqlite_path(url)
        if path is not None and isinstance(exc.orig, sqlite3.DatabaseError):
            raise refused(path, exc.orig) from None
        reason = scrub(str(exc.orig), url).strip()
        if any(words in reason for words in _PASSWORD_TROUBLE):
            reason += "; PGPASSWORD or ~/.pgpass can give the password (see the README)"
        raise DatabaseError(f"cannot open the database {mask_url(url)}: {reason}") from exc
    if revision == HEAD_REVISION:
        return None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"the database is at schema revision {revision}, newer than this clientcard knows "
            f"({HEAD_REVISION}); upgrade clientcard"
        )
    backup = None
    path = sqlite_path(url)
    if revision is not None and path is not None:
        backup = backup_sqlite(path, datetime.now(UTC))
    with engine.connect() as connection:
        if path is not None:
            # Batch migrations copy and drop tables: foreign keys must not cascade meanwhile.
            # The pragma has no effect inside a transaction, so it goes to the driver before BEGIN.
            _pragma(connection, "foreign_keys = OFF")
        with connection.execution_options(**{WRITE_OPTION: True}).begin():
            if current_revision(connection) != HEAD_REVISION:  # another process may have won
                upgrade(connection)
            if path is not None:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise DatabaseError(f"migration left a broken reference: {tuple(broken)}")
        if path is not None:
            _pragma(connection, "foreign_keys = ON")
    return backup


def _pragma(connection: Connection, pragma: str) -> None:
    """Run a PRAGMA on the driver's connection, outside any transaction."""
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    dbapi.execute(f"PRAGMA {pragma}")


def open_database(db: str | None) -> Engine:
    """The engine for `--db`/CLIENTCARD_DB/default, with the schema at HEAD."""
    url = resolve_url(db)
    engine = make_engine(url)
    ensure_schema(engine, url)
    return engine
