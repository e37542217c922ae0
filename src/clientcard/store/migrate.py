"""Bring a database to the schema this clientcard expects.

store/open.py comes here for every database URL whose schema is not at HEAD_REVISION, and for
an SQLite file only when the file's own cheap check (store/revision.py) found it away from it;
`clientcard db upgrade` (store/admin.py), the benchmarks and tests build and upgrade books
here too. The check is made again through SQLAlchemy: two small queries (is there an
`alembic_version` table, and what does it hold), without Alembic. Only when the revision
differs from HEAD_REVISION is Alembic imported:
- a new, empty database is created by running every migration, on PostgreSQL under an
  advisory lock (`SCHEMA_LOCK`), so simultaneous first commands make it once and wait;
- an older SQLite file is first copied with SQLite's backup API to `<db>.<UTC timestamp>.bak`,
  then upgraded in one transaction (a failed upgrade leaves the file as it was);
- an older PostgreSQL book is refused (exit 74): a team's book is upgraded by `clientcard db
  upgrade` only, with its backup first (docs/team.md);
- a revision this clientcard does not know means a newer clientcard wrote the file: refuse.
"""

import sqlite3
import sys
from contextlib import nullcontext
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


# The advisory lock that serialises schema changes on a PostgreSQL book: the first command on
# an empty database, and `db upgrade` (any 64-bit number; this one spells "ccschema").
SCHEMA_LOCK = int.from_bytes(b"ccschema", "big") - 2**63
# How long a schema change waits for another to finish (the first commands of a team at once).
SCHEMA_LOCK_WAIT = "60s"


def behind(revision: str) -> DatabaseError:
    """A PostgreSQL book at an older schema: its upgrade is an admin's act, never a side effect
    of an everyday command (exit 74)."""
    return DatabaseError(
        f"the book's schema is at {revision}, this clientcard needs {HEAD_REVISION}: "
        "run `clientcard db upgrade`"
    )


def newer(revision: str) -> DatabaseError:
    return DatabaseError(
        f"the database is at schema revision {revision}, newer than this clientcard knows "
        f"({HEAD_REVISION}); upgrade clientcard"
    )


def cannot_open(exc: DBAPIError, url: str) -> Exception:
    """What to raise when the database behind `url` cannot be read: a right the server refuses
    the role (exit 77), an SQLite file's own trouble, else one line that says why (exit 74).
    The driver's own text may quote the URL: scrubbed."""
    from clientcard.store.db import is_denied

    if is_denied(exc):
        from clientcard.store.rights import denied

        return denied(exc, url)
    path = sqlite_path(url)
    if path is not None and isinstance(exc.orig, sqlite3.DatabaseError):
        return refused(path, exc.orig)
    reason = scrub(str(exc.orig), url).strip()
    if any(words in reason for words in _PASSWORD_TROUBLE):
        reason += "; PGPASSWORD or ~/.pgpass can give the password (see the README)"
    return DatabaseError(f"cannot open the database {mask_url(url)}: {reason}")


def revision_of(engine: Engine, url: str) -> str | None:
    """The schema revision the database holds, None for a new one; a database with tables of
    its own is refused (exit 74), one that cannot be read is said in one line."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            if revision is None:
                _refuse_a_stranger(connection, url)
    except DBAPIError as exc:
        raise cannot_open(exc, url) from exc
    return revision


def ensure_schema(engine: Engine, url: str) -> Path | None:
    """Check the schema revision and bring the book to HEAD_REVISION when it may be done here.
    Returns the backup file, if one was written.

    - An SQLite book at an older schema is copied to a `.bak` and upgraded (the everyday case
      of one person's file).
    - A PostgreSQL book at an older schema is refused (exit 74): a team's book is upgraded
      with `clientcard db upgrade`, by its owner role, with a backup first (docs/team.md).
    - A new, empty database gets the schema, on PostgreSQL under an advisory lock: six first
      commands at once make it once, and the other five wait and use it.
    - A newer schema is refused (exit 74)."""
    revision = revision_of(engine, url)
    if revision == HEAD_REVISION:
        return None
    if revision is not None and revision not in known_revisions():
        raise newer(revision)
    path = sqlite_path(url)
    if path is None and revision is not None:
        raise behind(revision)
    backup = None
    if revision is not None and path is not None:
        backup = backup_sqlite(path, datetime.now(UTC))
    found = to_head(engine, url, may_upgrade=path is not None)
    if path is None and found is None:
        _say_if_search_has_no_index(engine)
    return backup


def _say_if_search_has_no_index(engine: Engine) -> None:
    """The book was just made on a server where pg_trgm could not be had: a search then reads
    the whole client table. Said on stderr, as a warning, so it is never skipped silently
    (`db status` says it too, and `db upgrade` makes the index once pg_trgm is there)."""
    from clientcard.store.search_index import search_index

    with engine.connect() as connection:
        search = search_index(AlchemyDb(connection))
    if not search.indexed:
        sys.stderr.write(f"clientcard: warning: search has no index: {search.note}\n")


def to_head(
    engine: Engine, url: str, *, may_upgrade: bool, connection: Connection | None = None
) -> str | None:
    """Run the pending migrations in one transaction; returns the revision found once the
    schema lock was held (None: the database was empty). On PostgreSQL the transaction first
    takes the schema's advisory lock, then reads the revision again: another process may have
    made or upgraded the schema meanwhile. A book found at an older schema is upgraded only if
    `may_upgrade`. A failed migration leaves the book as it was. `connection`: run on this
    one (a PostgreSQL connection that holds the schema's lock already), not a new one."""
    path = sqlite_path(url)
    try:
        with nullcontext(connection) if connection is not None else engine.connect() as connection:
            if path is not None:
                # Batch migrations copy and drop tables: foreign keys must not cascade
                # meanwhile. The pragma has no effect inside a transaction, so it goes to the
                # driver before BEGIN.
                _pragma(connection, "foreign_keys = OFF")
            with connection.execution_options(**{WRITE_OPTION: True}).begin():
                if connection.dialect.name == "postgresql":
                    _schema_lock(connection)
                found = current_revision(connection)
                if found is not None and found not in known_revisions():
                    raise newer(found)
                if found is not None and found != HEAD_REVISION and not may_upgrade:
                    raise behind(found)
                if found != HEAD_REVISION:
                    if found is None:
                        _refuse_a_stranger(connection, url)
                    upgrade(connection)
                if path is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise DatabaseError(f"migration left a broken reference: {tuple(broken)}")
            if path is not None:
                _pragma(connection, "foreign_keys = ON")
    except DBAPIError as exc:
        from clientcard.store.db import is_denied

        if path is None and is_denied(exc):  # no CREATE on the schema, not the tables' owner
            from clientcard.store.rights import denied

            raise denied(exc, url) from None
        raise
    return found


def _schema_lock(connection: Connection) -> None:
    """Wait for the schema's advisory lock (held until the transaction ends) longer than for a
    row: the migrations of a whole book take seconds. Then the busy timeout again."""
    from clientcard.store.location import BUSY_TIMEOUT_MS

    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{SCHEMA_LOCK_WAIT}'")
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")


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
