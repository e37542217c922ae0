"""The book file: every record of every table, lossless, as JSON lines (docs/book-format.md).

`export --book` writes it, `import --book` and a PostgreSQL `restore` read it. One line is one
JSON value, in this order:

    {"clientcard":"book","format":1,"schema":"0014"}
    {"table":"client","rows":2,"columns":["id","name",...],"kinds":["","",...]}
    [1,"张伟",...]
    [2,"李娜",...]
    {"table":"client_tag","rows":0,"columns":["client_id","tag"],"kinds":["",""]}
    ...
    {"end":"book","records":2}

- `format` is the layout of the file (this module's FORMAT); `schema` the book's schema
  revision (its Alembic migration). A reader refuses a newer format or schema and upgrades an
  older schema through the migrations themselves (services/book.py).
- Every table comes, in TABLES' order (a table after the ones it points to), with its rows in
  key order; a row is a JSON array of its values in the order of `columns`, every column of the
  table, derived ones (search keys, phone keys) included, so a book loads back as it was.
- Values: text and integers as they are; `kinds` says how the others are written: "datetime"
  an ISO 8601 UTC time ending in Z (`2026-12-04T01:30:00Z`, microseconds when there are any),
  "date" `2026-12-04`, "bool" true/false.
- The output is the same on SQLite and PostgreSQL: text is compared in code-point order where
  it orders rows (tags), and no time of export is written, so export -> import -> export gives
  the same bytes.
"""

import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

from clientcard.store.db import (
    MAX_INTEGER,
    MIN_INTEGER,
    Db,
    load_date,
    load_datetime,
    time_text,
)
from clientcard.store.recordbase import Record
from clientcard.store.records import (
    BookSetting,
    BookSettingChange,
    Client,
    ClientMerge,
    ClientReach,
    ClientTag,
    Complaint,
    ComplaintStep,
    Contact,
    GradeChange,
    Handover,
    Holiday,
    KeyDate,
    Person,
    Promise,
    PromiseEvent,
    RatingChange,
    Sale,
)

FORMAT = 1
# Every table of a book, each after the tables its rows point to (tests/test_book.py checks
# that this is every table of the models).
TABLES: tuple[type[Record], ...] = (
    Client,
    ClientTag,
    GradeChange,
    Contact,
    Promise,
    PromiseEvent,
    Complaint,
    ComplaintStep,
    Sale,
    KeyDate,
    Holiday,
    Person,
    RatingChange,
    ClientReach,
    ClientMerge,
    Handover,
    BookSetting,
    BookSettingChange,
)
BY_NAME = {kind.__table__: kind for kind in TABLES}
# Rows are read and written this many at a time.
BATCH = 5000
_NO_OFFSET = timedelta(0)


class BookFileError(Exception):
    """The file is not a whole book this clientcard can read; the text says why."""


def _dumps() -> Callable[[Any], bytes]:
    """orjson's `dumps` (imported only by the commands that read or write a book): compact,
    UTF-8 as it is, 15 times the speed of the standard library's encoder on a book's rows. A
    UTC datetime is written `2026-12-04T01:30:00Z` (microseconds only when there are any), a
    naive one as UTC, a date `2026-12-10`."""
    import orjson

    options = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC
    return lambda value: orjson.dumps(value, option=options)


# How every book file begins (`header`'s first key): tells a book export from an SQLite file.
START = b'{"clientcard":"book"'


def header(schema: str) -> bytes:
    return _dumps()({"clientcard": "book", "format": FORMAT, "schema": schema})


def is_book_file(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(START)) == START


def write_time(value: Any) -> Any:
    """A stored time as the file writes it, `2026-12-04T01:30:00Z` (with `.123456` before the Z
    when there are microseconds), the same from SQLite's text and from PostgreSQL's datetime:
    the text is cut into that form here; a UTC datetime is handed on as it is, and orjson
    writes it so (`_dumps`: Z for UTC, a naive time read as UTC)."""
    if type(value) is str:
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            # The text store/db.py writes on SQLite, `2026-12-04 01:30:00.000000`: cut, not
            # parsed (the export's hottest line: a book of 100,000 cards holds 3 million times).
            micro = value[19:]
            return f"{value[:10]}T{value[11:19]}{'' if micro == '.000000' else micro}Z"
        value = load_datetime(value)
    if value.tzinfo is None or value.utcoffset() == _NO_OFFSET:
        return value  # PostgreSQL's, in the UTC session `Db.snapshot` sets
    return value.astimezone(UTC)


def write_date(value: Any) -> Any:
    """A date as `2026-12-10`: SQLite's text as it is, a date as orjson writes it."""
    if type(value) is str and len(value) == 10:
        return value
    return load_date(value)


_WRITERS: dict[str, Callable[[Any], Any]] = {
    "datetime": write_time,
    "date": write_date,
    "bool": bool,
}


def _row_writer(kinds: Sequence[str]) -> Callable[[Sequence[Any]], bytes]:
    """A function that writes one stored row as its line, newline included."""
    dumps = _dumps()
    converts = [(i, _WRITERS[k]) for i, k in enumerate(kinds) if k]
    if not converts:
        return lambda row: dumps(list(row)) + b"\n"

    def write(row: Sequence[Any]) -> bytes:
        values = list(row)
        for i, convert in converts:
            if values[i] is not None:
                values[i] = convert(values[i])
        return dumps(values) + b"\n"

    return write


def _ordered(
    db: Db, kind: type[Record], columns: Sequence[str] | None = None
) -> Iterator[tuple[Any, ...]]:
    """The table's rows (its `columns`, by default the record's) in key order, the same on
    every database: by id; a tag by its card, then by the tag's code points (a PostgreSQL
    collation would order text its own way); a book setting by its key's code points (a few
    rows)."""
    columns = kind.__columns__ if columns is None else columns
    names = ", ".join(f'"{n}"' for n in columns)
    table = kind.__table__
    if "id" in columns:
        yield from db.stream_rows(f'SELECT {names} FROM "{table}" ORDER BY id')
        return
    if kind.__key__ == ("key",):
        at_key = list(columns).index("key")
        rows = db.stream_rows(f'SELECT {names} FROM "{table}"')
        yield from sorted(rows, key=lambda row: row[at_key])
        return
    assert kind.__key__ == ("client_id", "tag"), kind
    rows = db.stream_rows(f'SELECT {names} FROM "{table}" ORDER BY client_id')
    at = list(columns).index("tag")
    for _, group in groupby(rows, key=lambda row: row[0]):
        yield from sorted(group, key=lambda row: row[at])


def write_book(db: Db, schema: str) -> Iterator[bytes]:
    """The book's lines (UTF-8, each ending in a newline), streamed table by table."""
    dumps = _dumps()
    yield header(schema) + b"\n"
    records = 0
    for kind in TABLES:
        count = int(db.scalar(f'SELECT count(*) FROM "{kind.__table__}"'))
        table = {
            "table": kind.__table__,
            "rows": count,
            "columns": list(kind.__columns__),
            "kinds": list(kind.__kinds__),
        }
        yield dumps(table) + b"\n"
        write = _row_writer(kind.__kinds__)
        written = 0
        for row in _ordered(db, kind):
            yield write(row)
            written += 1
        if written != count:  # a read transaction sees one state: this would be our own bug
            raise RuntimeError(f"{kind.__table__}: counted {count} rows, read {written}")
        records += count
    yield dumps({"end": "book", "records": records}) + b"\n"


def write_stored_book(db: Db, schema: str) -> Iterator[bytes]:
    """The book's lines as the database holds it, at its own `schema`, which may be older than
    this clientcard's: the tables of TABLES it has, each with the columns it has, in the order
    it has them (the way the clientcard of that schema wrote its book). `db upgrade` writes a
    server's book so before it upgrades it; `import --book` and `restore` read such a file
    through the migrations (`upgraded`)."""
    dumps = _dumps()
    yield header(schema) + b"\n"
    records = 0
    for kind in TABLES:
        if not db.has_table(kind.__table__):  # a table a later migration made
            continue
        columns, kinds = stored_columns(db, kind.__table__)
        count = int(db.scalar(f'SELECT count(*) FROM "{kind.__table__}"'))
        line = {"table": kind.__table__, "rows": count, "columns": columns, "kinds": kinds}
        yield dumps(line) + b"\n"
        write = _row_writer(kinds)
        written = 0
        for row in _ordered(db, kind, columns):
            yield write(row)
            written += 1
        if written != count:
            raise RuntimeError(f"{kind.__table__}: counted {count} rows, read {written}")
        records += count
    yield dumps({"end": "book", "records": records}) + b"\n"


# A column's declared type (SQLite) or data type (PostgreSQL), lower-cased, as a file's kind.
_STORED_KINDS = {
    "datetime": "datetime",
    "timestamp with time zone": "datetime",
    "timestamp without time zone": "datetime",
    "date": "date",
    "boolean": "bool",
}


def stored_columns(db: Db, table: str) -> tuple[list[str], list[str]]:
    """A table's columns as the database has them, in its order, and each one's kind."""
    if db.dialect == "postgresql":
        found = db.rows(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = :table "
            "ORDER BY ordinal_position",
            table=table,
        )
    else:
        found = [(r[1], r[2]) for r in db.rows(f'PRAGMA table_info("{table}")')]
    return (
        [str(name) for name, _ in found],
        [_STORED_KINDS.get(str(kind).lower(), "") for _, kind in found],
    )


# -- reading ---------------------------------------------------------------------------------


class Table:
    """One table's header in a book file."""

    __slots__ = ("columns", "kinds", "line", "name", "rows")

    def __init__(self, name: str, rows: int, columns: list[str], kinds: list[str], line: int):
        self.name = name
        self.rows = rows
        self.columns = columns
        self.kinds = kinds
        self.line = line


class Header:
    __slots__ = ("format", "schema")

    def __init__(self, format: int, schema: str) -> None:
        self.format = format
        self.schema = schema


def _loads() -> Callable[[bytes], Any]:
    import orjson

    return orjson.loads


def _json(line: bytes, number: int, loads: Callable[[bytes], Any]) -> Any:
    try:
        return loads(line)
    except ValueError:
        if not line.endswith(b"\n"):  # the last line, and no newline: the file stops in it
            raise BookFileError(f"the file ends inside line {number}: it was cut short") from None
        raise BookFileError(f"line {number} is not JSON") from None


def read_header(first: bytes) -> Header:
    """The first line's header; a file of another kind is refused in words that say so."""
    try:
        value = _loads()(first.removeprefix(b"\xef\xbb\xbf"))  # a byte order mark, by an editor
    except ValueError:
        value = None
    if not isinstance(value, dict) or value.get("clientcard") != "book":
        raise BookFileError(
            "it is not a book export: its first line is not the book header that "
            "`clientcard export --book` writes"
        )
    version, schema = value.get("format"), value.get("schema")
    if type(version) is not int or version < 1:
        raise BookFileError(
            f"its header's format should be a whole number, not {_dumps()(version).decode()[:20]}"
        )
    if not isinstance(schema, str):
        raise BookFileError(
            f'its header\'s schema should be a revision such as "0008", not '
            f"{_dumps()(schema).decode()[:20]}"
        )
    return Header(version, schema)


_KINDS = frozenset({"", "datetime", "date", "bool"})


def _table(value: Any, number: int) -> Table:
    if not isinstance(value, dict) or not isinstance(value.get("table"), str):
        raise BookFileError(f"line {number} should begin a table, and does not")
    name, rows = value["table"], value.get("rows")
    columns, kinds = value.get("columns"), value.get("kinds")
    if (
        type(rows) is not int
        or rows < 0
        or not isinstance(columns, list)
        or not isinstance(kinds, list)
        or len(columns) != len(kinds)
        or not all(isinstance(c, str) for c in columns)
        or not all(isinstance(k, str) and k in _KINDS for k in kinds)
        or len(set(columns)) != len(columns)
    ):
        raise BookFileError(f"line {number}: the header of table {name!r} is damaged")
    return Table(name, rows, columns, kinds, number)


def read_tables(lines: Iterator[bytes]) -> Iterator[tuple[Table, Iterator[list[Any]]]]:
    """After the header: each table and an iterator over its rows (each a list of values as
    written), checked for shape: the right number of values, as many rows as the header says,
    the end line last. The caller must read each table's rows before asking for the next."""
    loads = _loads()
    number = 1
    records = 0
    for raw in lines:
        number += 1
        value = _json(raw, number, loads)
        if isinstance(value, dict) and "end" in value:
            if value.get("end") != "book" or value.get("records") != records:
                raise BookFileError(f"line {number}: the end line does not match the book")
            for _ in lines:
                raise BookFileError(f"there is more after the end of the book (line {number})")
            return
        table = _table(value, number)
        width = len(table.columns)

        def rows(table: Table = table, width: int = width) -> Iterator[list[Any]]:
            nonlocal number
            for _ in range(table.rows):
                raw = next(lines, None)
                number += 1
                if raw is None:
                    raise BookFileError(_cut_short(table))
                row = _json(raw, number, loads)
                if not isinstance(row, list) or len(row) != width:
                    raise BookFileError(
                        f"line {number}: a row of {table.name} should hold {width} values"
                    )
                yield row

        yield table, rows()
        records += table.rows
    raise BookFileError("the file ends before the book does: it was cut short")


def _cut_short(table: Table) -> str:
    return (
        f"the file ends inside table {table.name}, before its {table.rows:,} rows: it was cut short"
    )


def row_reader(
    kind: type[Record],
    table: Table,
    *,
    text_times: bool,
    allowed: Mapping[str, Callable[[Any], bool]] | None = None,
) -> Callable[[list[Any]], list[Any]]:
    """For a table at the current schema: a function that checks one row's values and returns
    the row (changed in place) as the database driver takes it: times and dates as store/db.py
    binds them (`text_times`: SQLite's text; else datetime and date). A value must be of its
    column's type and may be empty only where the column may; text holds no NUL and fits the
    column (PostgreSQL would refuse it, SQLite keep it); an integer fits 64 bits; and where
    `allowed` has a test for the column (the values the rules of the book allow: a grade, a
    channel...), it passes it. Raises ValueError, saying which value, for one that does not."""
    types = _column_types(kind)
    rules = allowed or {}
    checks: list[tuple[int, Callable[[Any], Any], bool]] = []
    for i, (name, written) in enumerate(zip(table.columns, table.kinds, strict=True)):
        base, empty = types[name]
        expected = {"datetime": "datetime", "date": "date", "bool": "bool"}.get(base, "")
        if written != expected:
            raise BookFileError(
                f"line {table.line}: column {name} of {table.name} is written as "
                f"{written or 'plain'}, not {base}"
            )
        read = _reader(base, kind.__lengths__.get(name), text_times)
        rule = rules.get(name)
        if rule is not None:
            read = _ruled(read, rule)
        checks.append((i, read, empty))

    def bad(i: int, value: Any) -> ValueError:
        shown = _dumps()(value).decode()
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        return ValueError(f"{table.columns[i]} cannot be {shown}")

    def read_row(row: list[Any]) -> list[Any]:
        for i, read, empty in checks:
            value = row[i]
            if value is None:
                if not empty:
                    raise bad(i, value)
                continue
            found = read(value)
            if found is None:
                raise bad(i, value)
            row[i] = found
        return row

    return read_row


def _reader(base: str, length: int | None, text_times: bool) -> Callable[[Any], Any]:
    """A reader of a column's value: the value as the driver takes it, None if it does not
    fit the column."""
    if base == "str":
        most = length or MAX_INTEGER

        def text(value: Any) -> str | None:
            if type(value) is str and len(value) <= most and "\x00" not in value:
                return value
            return None

        return text
    if base == "int":
        return lambda v: v if type(v) is int and MIN_INTEGER <= v <= MAX_INTEGER else None
    if base == "bool":
        return lambda v: v if type(v) is bool else None
    return _converter(base, text_times)


def _ruled(read: Callable[[Any], Any], rule: Callable[[Any], bool]) -> Callable[[Any], Any]:
    def ruled(value: Any) -> Any:
        found = read(value)
        return found if found is not None and rule(found) else None

    return ruled


def _column_types(kind: type[Record]) -> dict[str, tuple[str, bool]]:
    """Each column's type (int, str, datetime, date, bool) and whether it may be empty, from
    the record's annotations (store/records.py, generated from the models)."""
    import typing

    found: dict[str, tuple[str, bool]] = {}
    for name, hint in typing.get_type_hints(kind).items():
        if name not in kind.__columns__:
            continue
        args = typing.get_args(hint) or (hint,)
        empty = type(None) in args
        (base,) = [a for a in args if a is not type(None)]
        found[name] = (base.__name__, empty)
    return found


def _time(value: Any) -> datetime | None:
    """A time as the file writes it (ending in Z), as an aware datetime; None if it is not."""
    if type(value) is str and value[-1:] == "Z":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _time_text(value: Any) -> str | None:
    """A time as the file writes it, as SQLite's stored text (store/db.py's `_bind`): checked
    by parsing it, then cut, not formatted, when it has the file's usual form."""
    moment = _time(value)
    if moment is None:
        return None
    if len(value) == 20:  # 2026-12-04T01:30:00Z
        return f"{value[:10]} {value[11:19]}.000000"
    if len(value) == 27 and value[19] == ".":  # 2026-12-04T01:30:00.123456Z
        return f"{value[:10]} {value[11:26]}"
    return time_text(moment)


def _date(value: Any) -> date | None:
    if type(value) is str and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date_text(value: Any) -> str | None:
    return value if _date(value) is not None else None


def _converter(base: str, text_times: bool) -> Callable[[Any], Any]:
    if base == "datetime":
        return _time_text if text_times else _time
    return _date_text if text_times else _date


def loose_row_reader(table: Table) -> Callable[[list[Any]], list[Any]]:
    """For a table at an older schema (loaded into a scratch SQLite book only to be migrated):
    times and dates converted by the file's own kinds, to SQLite's text."""
    converts = [
        (i, _converter(k, True)) for i, k in enumerate(table.kinds) if k in ("datetime", "date")
    ]

    def read(row: list[Any]) -> list[Any]:
        for i, convert in converts:
            if row[i] is not None:
                found = convert(row[i])
                if found is None:
                    raise ValueError(f"{table.columns[i]} cannot be {row[i]!r}")
                row[i] = found
        return row

    return read


@contextmanager
def upgraded(lines: Iterator[bytes], schema: str) -> Iterator[Iterator[bytes]]:
    """An older schema's book file (after its header) as the lines of a current one: loaded
    into a scratch SQLite book at its schema, which the migrations then bring to the current
    one, exactly as they bring an old book file (opening it does that), and written out again.
    The scratch book is removed when the block ends."""
    from clientcard.store.migrate import create_at_revision
    from clientcard.store.open import transaction
    from clientcard.store.revision import HEAD_REVISION
    from clientcard.store.sqlite import SqliteDb, connect

    with tempfile.TemporaryDirectory(prefix="clientcard-book-") as scratch:
        path = Path(scratch) / "book.db"
        create_at_revision(path, schema)
        connection = connect(path)
        # The tables come in the order of the clientcard that wrote them: their references are
        # checked when the migrated book loads (services/book.py).
        connection.execute("PRAGMA foreign_keys = OFF")
        try:
            connection.execute("BEGIN IMMEDIATE")
            _load_older(SqliteDb(connection), read_tables(lines))
            connection.execute("COMMIT")
        finally:
            connection.close()
        with transaction(str(path), write=False) as source:
            current = write_book(source, HEAD_REVISION)
            next(current)  # the header
            yield current


def _load_older(db: Db, tables: Iterator[tuple[Table, Iterator[list[Any]]]]) -> None:
    """Write an older schema's tables into the scratch book at that schema, times and dates
    converted by the file's own kinds; each table and column must be one of that schema (their
    names go into SQL)."""
    names = {r[0] for r in db.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, rows in tables:
        if table.name not in names or table.name == "alembic_version":
            raise BookFileError(f"line {table.line}: {table.name!r} is not a table of a book")
        known = {r[1] for r in db.rows(f'PRAGMA table_info("{table.name}")')}
        unknown = [c for c in table.columns if c not in known]
        if unknown:
            raise BookFileError(
                f"line {table.line}: table {table.name} has no column {', '.join(unknown)}"
            )
        load_table(db, table, rows, loose_row_reader(table))


def load_table(
    db: Db,
    table: Table,
    rows: Iterator[list[Any]],
    read: Callable[[list[Any]], list[Any]],
    each: Callable[[int, list[Any]], None] | None = None,
) -> None:
    """Insert a table's rows in batches, each row first checked by `read` (a `row_reader`) and
    then shown to `each` with its line, if given. A row `read` refuses, or one the database
    refuses, is a BookFileError naming its line (or the batch's lines)."""
    line = table.line
    for batch in _batches(rows):
        first = line + 1
        values = []
        for row in batch:
            line += 1
            try:
                checked = read(row)
            except ValueError as exc:
                raise BookFileError(f"line {line}: {table.name}: {exc}") from None
            if each is not None:
                each(line, checked)
            values.append(checked)
        try:
            db.insert_rows(table.name, table.columns, values)
        except Exception as exc:
            reason = _integrity_reason(exc)
            if reason is None:
                raise
            raise BookFileError(
                f"table {table.name} (lines {first:,} to {line:,}): {reason}"
            ) from None


def _integrity_reason(exc: BaseException) -> str | None:
    """The database's words when a row breaks a rule of the schema (a second row with the same
    id, a record of a card that is not there, an empty column that must not be): duck-typed as
    store/db.py's `is_busy`, so that no driver need be imported."""
    error = getattr(exc, "orig", None) or exc
    names = {c.__name__ for c in type(error).__mro__}
    if names & {"IntegrityError", "DataError"}:  # DataError: a value the column cannot hold
        return str(error).strip().splitlines()[0]
    return None


def _batches(rows: Iterable[list[Any]]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
