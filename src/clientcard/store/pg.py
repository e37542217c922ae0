"""`PgDb`: the data access layer (store/db.py) on the psycopg driver directly, for a PostgreSQL
URL (`postgresql://` or `postgresql+psycopg://`): a team's shared book.

Why not SQLAlchemy here: importing SQLAlchemy and SQLModel cost more than the whole budget of an
everyday command (docs/performance.md#on-a-server); psycopg alone is what SQLAlchemy ran on
anyway, so the statements, the values bound and the rows returned are the same. SQLAlchemy stays
for the migrations (store/migrate.py), which store/open.py reaches only when the database is not
at the current schema.

What this module does in SQLAlchemy's place:
- reads the URL as SQLAlchemy's psycopg dialect does (`connect_args`): user, password, host,
  port and database from it, every query parameter a libpq keyword (`?host=/run/postgresql`);
  a password that is not in the URL comes from PGPASSWORD or ~/.pgpass, as libpq finds them;
- turns the layer's `:name` parameters into psycopg's `%(name)s`, leaving `::` casts alone and
  doubling a literal `%` (`LIKE '%x'`);
- says why a connection failed in one line, the URL masked and no password shown (exit 74).
"""

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from clientcard.domain.errors import DatabaseError
from clientcard.i18n import _
from clientcard.store import location
from clientcard.store.db import Db, postgresql_array
from clientcard.store.urls import mask_url, scrub

if TYPE_CHECKING:
    import psycopg

# The URL schemes this backend takes: the driver named, or none (SQLAlchemy's default driver
# for `postgresql://` is psycopg2, which clientcard never installed: psycopg serves both).
SCHEMES = frozenset({"postgresql", "postgresql+psycopg"})

# libpq's words when the server wants a password it did not get, or another one.
_PASSWORD_TROUBLE = ("no password supplied", "password authentication failed")

# A `:name` parameter as SQLAlchemy's text() finds it: not after a `:` or a word character
# (`::text`, `12:30`), not before another `:`.
_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def is_pg_url(url: str) -> bool:
    """Whether `url` is one this backend opens."""
    return url.partition("://")[0].lower() in SCHEMES


def connect_args(url: str) -> dict[str, str]:
    """libpq's keywords for `url`, as SQLAlchemy's psycopg dialect makes them: the URL's parts
    (percent-decoded) and each query parameter (the last one of a name wins). store/urls.py has
    already refused a URL that SQLAlchemy and the standard library would read differently."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    args: dict[str, str] = {}
    if at:
        user, colon, password = userinfo.partition(":")
        if user:
            args["user"] = unquote(user)
        if colon:
            args["password"] = unquote(password)
    if parts.hostname:
        host = hostport.rpartition("]")[0][1:] if hostport.startswith("[") else parts.hostname
        args["host"] = unquote(host)
    if parts.port is not None:
        args["port"] = str(parts.port)
    database = unquote(parts.path[1:])
    if database:
        args["dbname"] = database
    args.update(parse_qsl(parts.query))
    return args


def alchemy_url(url: str) -> str:
    """`url` as SQLAlchemy must read it to use psycopg (store/migrate.py): its default driver
    for `postgresql://` would be psycopg2."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql+psycopg{sep}{rest}" if scheme.lower() == "postgresql" else url


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """The layer's SQL (`:name` parameters) in psycopg's form (`%(name)s`; `%` doubled)."""
    return _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def cannot_open(url: str, exc: BaseException) -> DatabaseError:
    """The one line for a connection that failed (no server, a bad login, no such database):
    the driver's own words, with every form of the password scrubbed from them."""
    reason = scrub(str(exc), url).strip() or type(exc).__name__
    if any(words in reason for words in _PASSWORD_TROUBLE):
        reason += _("; PGPASSWORD or ~/.pgpass can give the password (see the README)")
    return DatabaseError(
        _("cannot open the database {path}: {problem}").format(path=mask_url(url), problem=reason)
    )


def connect(url: str) -> "psycopg.Connection[tuple[Any, ...]]":
    """A connection to `url` in autocommit (the schema check reads outside any transaction;
    `pg_transaction` then opens the command's one). Its `lock_timeout` is the busy timeout, so
    a command waits for a colleague's lock as long as it would on SQLite, then says the book is
    busy (exit 75) rather than wait for ever behind an import."""
    try:
        import psycopg
        from psycopg.conninfo import make_conninfo
    except ImportError as exc:
        raise DatabaseError(
            _(
                "cannot use database URL {url}: its driver is not installed "
                "({reason}); install it with: pip install 'clientcard[postgres]'"
            ).format(url=repr(mask_url(url)), reason=scrub(str(exc), url))
        ) from exc
    args = connect_args(url)
    timeout = f"-c lock_timeout={location.BUSY_TIMEOUT_MS}"
    args["options"] = f"{args['options']} {timeout}" if "options" in args else timeout
    try:
        return psycopg.connect(make_conninfo(**args), autocommit=True)
    except psycopg.Error as exc:  # no server, a bad login, no such database, a bad keyword
        raise cannot_open(url, exc) from None


class PgDb(Db):
    """A `Db` on a psycopg connection."""

    dialect = "postgresql"
    text_times = False  # timestamptz and date columns: aware datetimes and dates

    def __init__(self, connection: "psycopg.Connection[tuple[Any, ...]]") -> None:
        self.connection = connection
        self._cursors = itertools.count(1)  # the names of server-side cursors (`_iterate`)

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(to_pyformat(sql), params)
            return cursor.fetchall() if cursor.description is not None else []

    def _iterate(self, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        # A server-side cursor (as SQLAlchemy's yield_per made): an export of the whole book
        # holds a thousand rows in memory at a time, not the book.
        # Each its own name: a stream may be read while another is open.
        with self.connection.cursor(name=f"clientcard_{next(self._cursors)}") as cursor:
            cursor.itersize = 1000
            cursor.execute(to_pyformat(sql), params)
            yield from cursor

    def _expand(self, name: str, values: list[Any]) -> tuple[str, Any]:
        return postgresql_array(name, values)

    def _run(self, sql: str, params: dict[str, Any]) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(to_pyformat(sql), params)
            return cursor.rowcount

    def _insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        # COPY: the rows stream in one statement, about ten times the speed of an INSERT per
        # row (a whole book onto the server: docs/performance.md). psycopg adapts each value as
        # it would a parameter; the constraints are checked as for INSERT, and a broken one
        # raises the driver's IntegrityError.
        quoted = ", ".join(f'"{n}"' for n in names)
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _insert(self, sql: str, params: dict[str, Any], returns_id: bool) -> int | None:
        with self.connection.cursor() as cursor:
            if not returns_id:
                cursor.execute(to_pyformat(sql), params)
                return None
            cursor.execute(to_pyformat(f"{sql} RETURNING id"), params)
            found = cursor.fetchone()
            assert found is not None
            return int(found[0])

    def _ddl(self, sql: str) -> None:
        self.connection.execute(sql)  # without parameters: run as it is, `%` and `::` alike

    def has_table(self, name: str) -> bool:
        # In the current schema, as SQLAlchemy's inspector looks (a table, a view, a
        # partitioned or foreign table), without a query that fails.
        found = self._fetch(
            "SELECT 1 FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = :name "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            {"name": name},
        )
        return bool(found)


@contextmanager
def pg_transaction(
    connection: "psycopg.Connection[tuple[Any, ...]]", *, write: bool
) -> Iterator[PgDb]:
    """The command's transaction on an open connection: committed when the block ends, rolled
    back on error; the connection is closed either way. PostgreSQL locks nothing up front (a
    write and a read begin alike)."""
    try:
        connection.autocommit = False
        try:
            yield PgDb(connection)
        except BaseException:
            if not connection.closed:
                connection.rollback()
            raise
        connection.commit()
    finally:
        connection.close()
