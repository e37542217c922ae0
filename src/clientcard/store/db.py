"""The data access layer: every service reads and writes through a `Db`, one per command.

Why not the ORM: importing SQLAlchemy, SQLModel and pydantic costs more than a whole command's
budget (docs/performance.md). So the services work on plain records (store/records.py, generated
from the SQLModel models, which stay the one source of truth for the schema) through this small
API. This module is the API itself: reading, writing, binding parameters, loading rows into
records and tracking what a write transaction changed. It talks to no database: the backends
below it supply a handful of primitives (the bottom of `Db`):

- `SqliteDb` (store/sqlite.py), on the standard library's `sqlite3`, for an SQLite file: the
  default and the everyday case. Opening it imports nothing heavy.
- `AlchemyDb` (store/alchemy.py), on SQLAlchemy Core, for a database URL: PostgreSQL for a team,
  or an explicit `sqlite:///` URL, which is how the tests run both paths on the same book.

store/open.py's `transaction()` picks the backend and opens the command's one transaction.

SQL is portable text with `:name` parameters, kept in the services next to the rule that needs
it. Rules for writing it, so it runs on SQLite and PostgreSQL alike:
- name columns, never `SELECT *` (a migrated table may order its columns differently): use
  `columns(Client, "c")`, or `select(Client, "WHERE ...")`;
- pass every value as a parameter, booleans and times included: the layer stores times as the
  UTC text SQLAlchemy has always written on SQLite (so old books read the same), and passes
  aware datetimes to PostgreSQL; a raw read gets them back typed when it names their kinds
  (`Db.rows(sql, ("", "datetime"))`, `Db.scalar(sql, "datetime")`);
- a list, tuple or set parameter is bound as one value (`_expand`): `WHERE id IN :ids`, of
  ints or of strings (an empty one matches nothing);
- no literal `:` inside the SQL text (it would read as a parameter);
- when the rows' order reaches the output, end `ORDER BY` with a unique column: PostgreSQL
  returns ties in the order the rows sit in the table, which an update changes.
"""

import getpass
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any, Literal, TypeVar, overload

from clientcard.domain.cards import clean_user
from clientcard.i18n import N_
from clientcard.store.recordbase import Record

R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=Record)

# How a stored value is loaded (a record's `__kinds__`, or a raw read's kinds): "datetime"
# an aware UTC datetime, "date" a date, "bool" a bool, "" as the database returns it.
Kind = Literal["", "datetime", "date", "bool"]

# The range of an INTEGER column on SQLite and of a BIGINT on PostgreSQL (ids are smaller still).
MIN_INTEGER, MAX_INTEGER = -(2**63), 2**63 - 1

# Shown translated (`_(BUSY_MESSAGE)`) where it is raised.
BUSY_MESSAGE = N_("the database is busy (another clientcard is writing); try again in a moment")
# PostgreSQL's lock_not_available (lock_timeout ran out), deadlock_detected and
# serialization_failure: each means "run the whole transaction again" (store/retry.py).
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


def is_busy(exc: BaseException) -> bool:
    """Another writer holds the book: SQLite's "database is locked" (or "database table is
    locked"), PostgreSQL's lock timeout, a deadlock or a serialisation failure. Takes the
    driver's error or SQLAlchemy's wrapper of it (which keeps the driver's in `.orig`), and
    checks by duck typing, so that
    neither sqlite3 nor SQLAlchemy need be imported here: every DB-API driver names the class
    of such errors `OperationalError` (PEP 249), and psycopg gives each its SQLSTATE."""
    error = getattr(exc, "orig", None) or exc
    if getattr(error, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    operational = any(c.__name__ == "OperationalError" for c in type(error).__mro__)
    return operational and "locked" in str(error).lower()


# PostgreSQL's insufficient_privilege: the role lacks a right on a table, sequence or schema.
_DENIED_SQLSTATE = "42501"


def is_denied(exc: BaseException) -> bool:
    """The database refused the role a right (PostgreSQL's insufficient_privilege). Duck-typed
    like `is_busy`: psycopg gives each error its SQLSTATE."""
    error = getattr(exc, "orig", None) or exc
    return getattr(error, "sqlstate", None) == _DENIED_SQLSTATE


def is_damaged(exc: BaseException) -> bool:
    """SQLite found the file damaged ("database disk image is malformed") or not a database
    at all, part-way through a command. Duck-typed like `is_busy` (sqlite3 names the error)."""
    error = getattr(exc, "orig", None) or exc
    return getattr(error, "sqlite_errorname", None) in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def load_datetime(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite: text; PostgreSQL: a datetime)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime), value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def time_text(moment: datetime) -> str:
    """An aware time as SQLite stores it: UTC, `2026-12-04 01:30:00.000000` (the text
    SQLAlchemy has always written there, so old books read the same)."""
    # isoformat, not strftime: it writes every year with four digits (0999, not 999).
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def load_date(value: Any) -> date | None:
    if value is None or type(value) is date:
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    assert isinstance(value, datetime), value
    return value.date()


def _load_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_LOADERS: dict[str, Callable[[Any], Any] | None] = {
    "": None,
    "datetime": load_datetime,
    "date": load_date,
    "bool": _load_bool,
}


_loaders: dict[type[Record], Callable[[Sequence[Any]], Any]] = {}


def _loader(kind: type[R]) -> Callable[[Sequence[Any]], R]:
    """A function that turns one stored row (in `kind.__columns__` order) into a record."""
    if kind not in _loaders:
        fields = [
            (name, _LOADERS[k]) for name, k in zip(kind.__columns__, kind.__kinds__, strict=True)
        ]

        def load(row: Sequence[Any]) -> Any:
            return kind(
                **{
                    name: (convert(value) if convert is not None and value is not None else value)
                    for (name, convert), value in zip(fields, row, strict=True)
                }
            )

        _loaders[kind] = load
    return _loaders[kind]


_row_loaders: dict[tuple[str, ...], Callable[[Sequence[Any]], tuple[Any, ...]]] = {}


def _row_loader(kinds: tuple[str, ...]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function that loads each value of a raw row by its kind (`Db.rows(kinds=...)`)."""
    if kinds not in _row_loaders:
        converts = [_LOADERS[k] for k in kinds]

        def load(row: Sequence[Any]) -> tuple[Any, ...]:
            return tuple(
                convert(value) if convert is not None and value is not None else value
                for convert, value in zip(converts, row, strict=True)
            )

        _row_loaders[kinds] = load
    return _row_loaders[kinds]


def _values_of(record: Record) -> tuple[Any, ...]:
    return tuple(getattr(record, n) for n in record.__columns__)


def columns(kind: type[Record], alias: str | None = None) -> str:
    """The select list of a record: `c.id, c.name, ...` (always in the record's order)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{name}"' for name in kind.__columns__)


def insert_sql(table: str, names: Sequence[str]) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(f":{n}" for n in names)})'


def _matches(key: Iterable[str]) -> str:
    return " AND ".join(f'"{k}" = :{k}' for k in key)


def postgresql_array(name: str, values: list[Any]) -> tuple[str, Any]:
    """`IN :name` with a list on PostgreSQL (both its backends): the list as one array
    parameter (psycopg sends a Python list as an array), which also stays under PostgreSQL's
    limit of 65,535 parameters a statement. Text is sent untyped, so the array is cast to its
    type; an empty one matches nothing."""
    if not values:
        return "(NULL)", None
    kinds = {type(v) for v in values}
    array = {frozenset({int}): "bigint[]", frozenset({str}): "text[]"}.get(frozenset(kinds))
    if array is None:
        raise TypeError(f"IN :{name} takes a list of ints or of strings, not {kinds}")
    return f"(SELECT unnest(CAST(:{name} AS {array})))", values


_EXPANDABLE = (list, tuple, set, frozenset)
# The values `Db._bind` passes on unchanged.
_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})


def _bound_rows(
    records: Iterable[Record], names: Sequence[str], bind: Callable[[Any], Any]
) -> Iterator[list[Any]]:
    """Each record's values for `names`, bound by `bind` (`Db._bind`), fast: the values it
    keeps as they are pass straight through, and the others (an import's times are all the
    same moment) are bound once each."""
    values = attrgetter(*names) if len(names) > 1 else (lambda r: (getattr(r, names[0]),))
    bind = lru_cache(maxsize=1024)(bind)
    for record in records:
        yield [v if type(v) in _AS_IS else bind(v) for v in values(record)]


class Db:
    """One command's transaction. Subclasses supply the primitives at the bottom.

    In a write transaction the layer remembers what each record held when it was read or
    written (`_seen`), so that `update(record)` writes only the columns that changed, as the
    ORM did: a command that edits a card's notes does not write back the grade or the last
    contact it read, which another team member's command may have changed meanwhile (on
    PostgreSQL nothing is locked up front; on SQLite a write holds the lock from the start)."""

    dialect: str = "sqlite"
    text_times: bool = True  # SQLite: times and dates are stored as text
    # id(record) -> (the record, its values when last read or written); None: not kept (reads).
    _seen: dict[int, tuple[Record, tuple[Any, ...]]] | None = None
    # The rows `lock` locked in this transaction: (table, key values).
    _locked: set[tuple[str, tuple[Any, ...]]] | None = None
    _user: str | None = None
    _user_asked: bool = False

    def author(self) -> str | None:
        """Who runs this command, as the book records who did what (issue 17): CLIENTCARD_USER,
        else on PostgreSQL the database role (`current_user`: one login role per salesperson),
        else the login name; None when none can be found (stored NULL: unknown, as the rows made
        before issue 17). Asked once per command."""
        if not self._user_asked:
            name = clean_user(os.environ.get("CLIENTCARD_USER", ""), "CLIENTCARD_USER")
            if name is None and self.dialect == "postgresql":
                name = clean_user(str(self.scalar("SELECT current_user")), "the database role")
            if name is None:
                try:
                    login = getpass.getuser()
                except (OSError, KeyError):  # no LOGNAME/USER and no passwd entry (a container)
                    login = ""
                name = clean_user(login, "the login name")
            self._user, self._user_asked = name, True
        return self._user

    def user(self) -> str:
        """The current user's name for people to read (`author`), `unknown` when none was
        found: what `me` means, whose agenda `due` shows. Store `author()` instead."""
        return self.author() or "unknown"

    def keep_track(self) -> None:
        """Remember loaded records from now on (a write transaction)."""
        self._seen = {}

    def _remember(self, records: Iterable[Record]) -> None:
        if self._seen is not None:
            for record in records:
                self._seen[id(record)] = (record, _values_of(record))

    # -- reading -----------------------------------------------------------------------------

    def select(self, kind: type[R], tail: str = "", /, **params: Any) -> list[R]:
        """`SELECT <kind's columns> FROM <its table> <tail>`: tail is `WHERE ... ORDER BY ...`."""
        return self.records(
            kind, f'SELECT {columns(kind)} FROM "{kind.__table__}" {tail}', **params
        )

    def first(self, kind: type[R], tail: str = "", /, **params: Any) -> R | None:
        found = self.select(kind, f"{tail} LIMIT 1", **params)
        return found[0] if found else None

    def get(self, kind: type[R], id: int) -> R | None:
        """The record with this id, None if there is none, as for an id no INTEGER column
        can hold (beyond 64 bits: `promise done 123456789012345678901234`), which the
        drivers would refuse to bind."""
        if not MIN_INTEGER <= id <= MAX_INTEGER:
            return None
        return self.first(kind, "WHERE id = :id", id=id)

    def records(self, kind: type[R], sql: str, /, **params: Any) -> list[R]:
        """Run `sql`, whose select list is exactly `columns(kind, ...)`, and load each row."""
        load = _loader(kind)
        found = [load(row) for row in self._fetch(*self._prepare(sql, params))]
        self._remember(found)
        return found

    def stream(self, kind: type[R], sql: str, /, **params: Any) -> Iterator[R]:
        """Like `records`, one row at a time: for exports that must not hold the book in memory."""
        load = _loader(kind)
        for row in self._iterate(*self._prepare(sql, params)):
            yield load(row)

    def stream_rows(self, sql: str, /, **params: Any) -> Iterator[tuple[Any, ...]]:
        """Raw rows as the database returns them (see `rows`), one at a time: the book export."""
        return self._iterate(*self._prepare(sql, params))

    def pairs(
        self, first: type[R], second: type[S], sql: str, /, **params: Any
    ) -> list[tuple[R, S]]:
        """Run a join whose select list is `columns(first, ...), columns(second, ...)`."""
        load_first, load_second = _loader(first), _loader(second)
        split = len(first.__columns__)
        found = [
            (load_first(row[:split]), load_second(row[split:]))
            for row in self._fetch(*self._prepare(sql, params))
        ]
        self._remember(r for pair in found for r in pair)
        return found

    def rows(self, sql: str, kinds: Sequence[Kind] = (), /, **params: Any) -> list[tuple[Any, ...]]:
        """Raw rows, for counts, sums and the odd column. Without `kinds` each value comes back
        as the database returns it: a time is text on SQLite and a datetime on PostgreSQL. With
        `kinds`, one per column, each value is loaded as a record's would be ("datetime": an
        aware UTC datetime; "date": a date; "bool"; "": as it is), the same on both paths:

            for client_id, last_at in db.rows(
                "SELECT client_id, max(at) FROM contact WHERE at >= :since GROUP BY client_id",
                ("", "datetime"),
                since=since,
            ): ...

        `kinds` is positional so that it can never be taken for an SQL parameter (those are the
        keywords)."""
        found = self._fetch(*self._prepare(sql, params))
        if not kinds:
            return found
        load = _row_loader(tuple(kinds))
        return [load(row) for row in found]

    @overload
    def scalar(self, sql: str, kind: Literal[""] = "", /, **params: Any) -> Any: ...
    @overload
    def scalar(self, sql: str, kind: Literal["datetime"], /, **params: Any) -> datetime | None: ...
    @overload
    def scalar(self, sql: str, kind: Literal["date"], /, **params: Any) -> date | None: ...
    @overload
    def scalar(self, sql: str, kind: Literal["bool"], /, **params: Any) -> bool | None: ...

    def scalar(self, sql: str, kind: Kind = "", /, **params: Any) -> Any:
        """The first column of the first row (None when there is no row), loaded by `kind` as
        in `rows`:

            last_at = db.scalar(
                "SELECT max(at) FROM contact WHERE client_id = :id", "datetime", id=client_id
            )  # an aware UTC datetime, or None, on either path
        """
        found = self.rows(sql, **params)
        if not found or found[0][0] is None:
            return None
        convert = _LOADERS[kind]
        return found[0][0] if convert is None else convert(found[0][0])

    # -- locking -----------------------------------------------------------------------------

    @property
    def for_update(self) -> str:
        """The tail that locks the rows a SELECT reads until the transaction ends: ` FOR
        UPDATE` in a write transaction on PostgreSQL; nothing on SQLite, whose write
        transaction holds the whole book from its start (BEGIN IMMEDIATE), nor in a read. For
        a read of several rows that the command then changes:

            db.select(Promise, f"WHERE client_id = :id ORDER BY id{db.for_update}", id=...)
        """
        return " FOR UPDATE" if self.dialect == "postgresql" and self._seen is not None else ""

    def lock(self, record: R) -> R:
        """Lock `record`'s row until the transaction ends and read it again, in place: what a
        read-modify-write must do before it reads the values it changes (a grade, the last
        contact, a promise's state), so that a colleague's command changing the same row
        meanwhile waits for this one instead of being overwritten by it, or overwriting it.

        On PostgreSQL, `SELECT ... FOR UPDATE`: it waits for a writer holding the row (up to
        the lock timeout) and returns the row as that writer committed it. On SQLite nothing
        is done: a write transaction already holds the book (BEGIN IMMEDIATE), so what it read
        is the latest; nor in a read transaction, which changes nothing.

        A row already locked in this transaction is not read again (the command's own changes
        to the record stand). Lock a card before its promises or complaints, and two cards in
        id order (`lock_all`), so that two commands never wait for each other. Returns the
        record. A row deleted meanwhile leaves the record as it was read."""
        if self.dialect != "postgresql" or self._seen is None:  # SQLite, or a read
            return record
        key = record.__key__
        values = tuple(getattr(record, k) for k in key)
        if self._locked is None:
            self._locked = set()
        if (record.__table__, values) in self._locked:
            return record
        kind = type(record)
        sql = f'SELECT {columns(kind)} FROM "{kind.__table__}" WHERE {_matches(key)} FOR UPDATE'
        found = self._fetch(*self._prepare(sql, dict(zip(key, values, strict=True))))
        self._locked.add((record.__table__, values))
        if found:
            fresh = _loader(kind)(found[0])
            for name in record.__columns__:
                setattr(record, name, getattr(fresh, name))
            self._remember((record,))
        return record

    def lock_all(self, records: Iterable[R]) -> list[R]:
        """`lock` each record, in the order of their ids (two commands that lock the same
        cards then take them in the same order, and cannot deadlock)."""
        ordered = sorted(records, key=lambda r: tuple(getattr(r, k) for k in r.__key__))
        return [self.lock(r) for r in ordered]

    # -- writing -----------------------------------------------------------------------------

    def insert(self, record: R) -> R:
        """Insert a record; a new `id` is set on it."""
        new = "id" in record.__columns__ and getattr(record, "id", None) is None
        names = [n for n in record.__columns__ if not (new and n == "id")]
        new_id = self._insert(insert_sql(record.__table__, names), self._values(record, names), new)
        if new:
            setattr(record, "id", new_id)  # noqa: B010 (not every record has an id)
        self._remember((record,))
        return record

    def insert_many(
        self, records: Iterable[Record], kind: type[Record], *, with_ids: bool = False
    ) -> None:
        """Insert many records of one kind in one statement (an import). The database numbers
        them, unless `with_ids`: then each record carries its own id, which the caller chose
        (from `max(id) + 1`, inside its write transaction) so that it can insert the records
        that point to them in bulk as well."""
        names = tuple(n for n in kind.__columns__ if with_ids or n != "id")
        self._insert_rows(kind.__table__, names, _bound_rows(records, names, self._bind))
        if with_ids and "id" in names:
            self.ids_given(kind.__table__)

    def insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert rows of values in the order of `names` (a book's load), each value already as
        `_bind` makes it: times and dates as text where `text_times`, else datetime and date
        (store/book.py reads them so). Ids given in them need `ids_given` after."""
        self._insert_rows(table, names, rows)

    def drop_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the secondary indexes of these tables (the book's: never another program's in
        a shared database); returns the statements that make them again (`make_indexes`).
        Loading a whole book into an empty one and then building each index once is faster
        than updating every index at every row. Indexes that keep a constraint (primary keys,
        unique) stay."""
        if self.dialect == "sqlite":
            found = self.rows(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN :tables",
                tables=list(tables),
            )
        elif self.dialect == "postgresql":
            found = self.rows(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename IN :tables "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                tables=list(tables),
            )
        else:
            return []
        for name, _ in found:
            self._ddl(f'DROP INDEX "{name}"')
        return [str(sql) for _, sql in found]

    def make_indexes(self, statements: Iterable[str]) -> None:
        for sql in statements:
            self._ddl(sql)

    def ids_given(self, table: str) -> None:
        """After inserting rows with their own ids: on PostgreSQL, a sequence does not see ids
        given explicitly: move it past them, or the next plain insert would take an id that is
        already there. (SQLite takes max(id) + 1 by itself.)"""
        if self.dialect == "postgresql":
            self.rows(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )

    def update(self, record: Record, *names: str) -> None:
        """Write the record back by its key: the columns in `names`, else the ones that changed
        since it was read or written in this transaction (nothing, when none did), else all."""
        key = record.__key__
        changed = names or self._changed(record)
        if not changed:
            return
        sets = ", ".join(f'"{n}" = :{n}' for n in changed)
        sql = f'UPDATE "{record.__table__}" SET {sets} WHERE {_matches(key)}'
        self._run(sql, self._values(record, (*changed, *key)))
        self._remember((record,))

    def _changed(self, record: Record) -> tuple[str, ...]:
        key = record.__key__
        seen = self._seen.get(id(record)) if self._seen is not None else None
        if seen is None or seen[0] is not record:
            return tuple(n for n in record.__columns__ if n not in key)
        now = _values_of(record)
        return tuple(
            n
            for n, before, after in zip(record.__columns__, seen[1], now, strict=True)
            if n not in key and before != after
        )

    def lock_for_new_ids(self, table: str) -> None:
        """Before choosing ids as `max(id) + 1` (an import): keep other writers from adding
        rows to `table` until this transaction ends. SQLite's write transaction already holds
        the lock (BEGIN IMMEDIATE); PostgreSQL needs the table locked, or a colleague's `add`
        could take an id the import is about to use."""
        if self.dialect == "postgresql":
            self.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')

    def snapshot(self) -> None:
        """Read all that follows from one consistent state of the book (an export while others
        write), called before anything else is read. An SQLite read transaction is one already
        (in WAL mode, from its first read); PostgreSQL's default gives each statement its own."""
        if self.dialect == "postgresql":
            self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # Times come back in UTC (the session's zone otherwise): the book export writes
            # them as they are (store/book.py).
            self.execute("SET LOCAL TIME ZONE 'UTC'")

    def for_bulk_writes(self) -> None:
        """Before writing many rows (an import): a bigger page cache for this connection, where
        the database keeps one. Inserting 28,000 cards into a book of 100,000 updates a dozen
        indexes at random places; with SQLite's default 2 MiB of cache every index page is read
        again and again (measured: the client rows' inserts took half the time with 32 MiB)."""

    def for_scans(self) -> None:
        """Before reading much of the book at random places (a report's aggregates join
        thousands of grade changes or sales to their cards): where the database is a file read
        through a page cache of its own (SQLite's 2 MiB by default), read it through a memory
        map instead, so the operating system's cache serves those pages without a copy
        (docs/performance.md#reports)."""

    def delete(self, record: Record) -> None:
        key = record.__key__
        self._run(
            f'DELETE FROM "{record.__table__}" WHERE {_matches(key)}', self._values(record, key)
        )

    def execute(self, sql: str, /, **params: Any) -> int:
        """An UPDATE or DELETE; returns the number of rows it changed."""
        return self._run(*self._prepare(sql, params))

    # -- parameters --------------------------------------------------------------------------

    def _values(self, record: Record, names: Iterable[str]) -> dict[str, Any]:
        return {n: self._bind(getattr(record, n)) for n in names}

    def _bind(self, value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r}: times must be aware")
            return time_text(value) if self.text_times else value.astimezone(UTC)
        if isinstance(value, date):
            return value.isoformat() if self.text_times else value
        if isinstance(value, Enum):
            return value.value
        return value

    def _prepare(self, sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        bound: dict[str, Any] = {}
        for name, value in params.items():
            if isinstance(value, _EXPANDABLE):
                subquery, bound[name] = self._expand(name, [self._bind(v) for v in value])
                sql = re.sub(rf":{name}\b", subquery, sql)
            else:
                bound[name] = self._bind(value)
        return sql, bound

    def _expand(self, name: str, values: list[Any]) -> tuple[str, Any]:
        """`IN :name` with a list: the SQL that stands for `:name`, and the one value it binds.
        On SQLite, a JSON array read by `json_each`: one parameter however long the list (a
        `list` of 40,000 cards would otherwise bind 40,000 named parameters, which SQLite
        compiles in time growing with their square), and the planner still searches by index.
        """
        return f"(SELECT value FROM json_each(:{name}))", json.dumps(values, ensure_ascii=False)

    # -- primitives --------------------------------------------------------------------------

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _iterate(self, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def _run(self, sql: str, params: dict[str, Any]) -> int:
        raise NotImplementedError

    def _insert_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert rows of bound values, in the order of `names`, in one statement."""
        raise NotImplementedError

    def _insert(self, sql: str, params: dict[str, Any], returns_id: bool) -> int | None:
        raise NotImplementedError

    def _ddl(self, sql: str) -> None:
        """Run a schema statement as it is: no parameters (its text may hold `::`)."""
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        """Whether the database has this table (asked without a failing query, which on
        PostgreSQL would abort the transaction it runs in)."""
        raise NotImplementedError
