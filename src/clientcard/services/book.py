"""`export --book` and `import --book`: the whole book out and back in, lossless
(docs/book-format.md). The file's layout is store/book.py's; the rules are here:

- a book loads only into an empty book, in one transaction: all of it or nothing;
- a file of a newer format or schema than this clientcard knows is refused; one of an older
  schema is loaded into a scratch SQLite book at that schema, which the migrations bring to the
  current one (exactly as they bring an old book file), and loaded from there;
- every value is checked against its column before it is written; a damaged or cut-short file
  loads nothing, and the message names the line.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clientcard.domain.errors import InvalidValue, Refused
from clientcard.store import book as layout
from clientcard.store.db import Db
from clientcard.store.open import transaction
from clientcard.store.records import Client
from clientcard.store.revision import HEAD_REVISION, known_revisions, stored_revision


class Loaded:
    """What `import --book` loaded: rows per table, and the schema it was upgraded from."""

    __slots__ = ("counts", "upgraded_from")

    def __init__(self, counts: dict[str, int], upgraded_from: str | None) -> None:
        self.counts = counts
        self.upgraded_from = upgraded_from

    @property
    def cards(self) -> int:
        return self.counts.get(Client.__table__, 0)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def export_book(db: Db) -> Iterator[bytes]:
    """Every record of the book, as the lines of a book file, all from one state of the book
    (`db` is a read transaction that has read nothing yet)."""
    db.snapshot()
    schema = stored_revision(db) or HEAD_REVISION
    return layout.write_book(db, schema)


def import_book(
    db: str | None, lines: Iterator[bytes], source: str, *, verb: str = "import"
) -> Loaded:
    """Load the book file whose lines are `lines` (read from `source`, for messages) into the
    empty book `db`. `verb` is the command's, for messages ("cannot import FILE: ...")."""
    first = next(lines, None)
    if first is None:
        raise InvalidValue(f"cannot {verb} {source}: it is empty")
    try:
        header = layout.read_header(first)
    except layout.BookFileError as exc:
        raise InvalidValue(f"cannot {verb} {source}: {exc}") from None
    if header.format > layout.FORMAT:
        raise InvalidValue(
            f"cannot {verb} {source}: it was written by a newer clientcard (book format "
            f"{header.format}; this one reads format {layout.FORMAT} and older): upgrade clientcard"
        )
    schema = header.schema
    if schema not in known_revisions():
        newer = schema.isdigit() and int(schema) > int(HEAD_REVISION)
        why = "newer than this clientcard knows" if newer else "which no clientcard has"
        raise InvalidValue(
            f"cannot {verb} {source}: its book is at schema revision {schema!r}, {why} "
            f"({HEAD_REVISION})" + ("; upgrade clientcard" if newer else "")
        )
    try:
        if schema == HEAD_REVISION:
            with transaction(db, write=True) as target:
                counts = _load(target, layout.read_tables(lines), strict=True)
            return Loaded(counts, None)
        with tempfile.TemporaryDirectory(prefix="clientcard-book-") as scratch:
            counts = _upgraded(db, lines, schema, Path(scratch) / "book.db")
        return Loaded(counts, schema)
    except layout.BookFileError as exc:
        nothing = "nothing was imported" if verb == "import" else "nothing was changed"
        raise InvalidValue(f"cannot {verb} {source}: {exc}; {nothing}") from None


def book_file_counts(path: Path) -> tuple[str, dict[str, int]]:
    """Read a whole book file through, checking its shape (every line, every table's rows, the
    end line) without loading it: its schema revision and rows per table. Raises
    layout.BookFileError."""
    with open(path, "rb") as stream:
        first = next(stream, b"")
        header = layout.read_header(first)
        counts = {}
        for table, rows in layout.read_tables(stream):
            for _ in rows:
                pass
            counts[table.name] = table.rows
    return header.schema, counts


def _upgraded(db: str | None, lines: Iterator[bytes], schema: str, scratch: Path) -> dict[str, int]:
    """An older schema's book: loaded into `scratch` at that schema, migrated (opening it
    does that), then loaded into `db` as a current book file would be."""
    from clientcard.store.migrate import create_at_revision
    from clientcard.store.sqlite import connect, sqlite_transaction

    create_at_revision(scratch, schema)
    connection = connect(scratch)
    # The tables come in the order of the clientcard that wrote them; their references are
    # checked where it counts, when the migrated book loads into `db`.
    connection.execute("PRAGMA foreign_keys = OFF")
    with sqlite_transaction(connection, write=True) as old:
        _load(old, layout.read_tables(lines), strict=False)
    with transaction(str(scratch), write=False) as source, transaction(db, write=True) as target:
        current = export_book(source)
        next(current)  # the header: at HEAD_REVISION now
        return _load(target, layout.read_tables(current), strict=True)


def _refuse_unless_empty(db: Db) -> None:
    held = {}
    for kind in layout.TABLES:
        if db.scalar(f'SELECT 1 FROM "{kind.__table__}" LIMIT 1') is not None:
            held[kind.__table__] = int(db.scalar(f'SELECT count(*) FROM "{kind.__table__}"'))
    if held:
        cards = held.get(Client.__table__, 0)
        what = (
            f"{cards:,} card{'s' if cards != 1 else ''}"
            if cards
            else f"{sum(held.values()):,} records"
        )
        raise Refused(
            f"the book already holds {what}: import --book loads a whole book into an empty "
            "one only (give a new file with --db, or an empty database)"
        )


def _load(
    db: Db, tables: Iterator[tuple[layout.Table, Iterator[list[Any]]]], *, strict: bool
) -> dict[str, int]:
    """Write every table of the file into the empty book `db`; returns the rows per table.
    `strict`: the file is at the current schema, every value checked against its column, and
    `db` must be empty (else: the new scratch book of an older schema)."""
    if strict:
        _refuse_unless_empty(db)
    indexes = db.drop_indexes()  # built once each at the end (docs/performance.md)
    counts: dict[str, int] = {}
    referrals: list[tuple[int, int]] = []
    for table, rows in tables:
        if table.name in counts:
            raise layout.BookFileError(f"line {table.line}: table {table.name} comes twice")
        if strict:
            kind = layout.BY_NAME.get(table.name)
            if kind is None:
                raise layout.BookFileError(
                    f"line {table.line}: {table.name!r} is not a table of a book"
                )
            missing = [c for c in kind.__columns__ if c not in table.columns]
            extra = [c for c in table.columns if c not in kind.__columns__]
            if missing or extra:
                raise layout.BookFileError(
                    f"line {table.line}: table {table.name} should have the columns of schema "
                    f"{HEAD_REVISION}"
                    + (f"; missing {', '.join(missing)}" if missing else "")
                    + (f"; not known: {', '.join(extra)}" if extra else "")
                )
            read = layout.row_reader(kind, table, text_times=db.text_times)
        else:
            _check_older_table(db, table)
            read = layout.loose_row_reader(table)
        referred = (
            table.columns.index("referred_by_id")
            if table.name == Client.__table__ and "referred_by_id" in table.columns
            else None
        )
        line = table.line
        for batch in layout.batches(rows):
            values = []
            for row in batch:
                line += 1
                try:
                    checked = read(row)
                except ValueError as exc:
                    raise layout.BookFileError(f"line {line}: {table.name}: {exc}") from None
                if referred is not None and checked[referred] is not None:
                    # Card ids point to each other in any order: set once all are in.
                    referrals.append((checked[table.columns.index("id")], checked[referred]))
                    checked[referred] = None
                values.append(checked)
            _insert(db, table.name, table.columns, values, first_line=line - len(batch) + 1)
        if "id" in table.columns:
            db.ids_given(table.name)
        counts[table.name] = table.rows
    if strict:
        absent = [k.__table__ for k in layout.TABLES if k.__table__ not in counts]
        if absent:
            raise layout.BookFileError(f"the file has no table {', '.join(absent)}")
    for card, referrer in referrals:
        db.execute(
            "UPDATE client SET referred_by_id = :referrer WHERE id = :card",
            referrer=referrer,
            card=card,
        )
    db.make_indexes(indexes)
    return counts


def _check_older_table(db: Db, table: layout.Table) -> None:
    """A table of an older schema's file: one the scratch book at that schema has, with its
    columns (the names go into SQL: only those of the schema pass)."""
    names = {row[0] for row in db.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if table.name not in names or table.name == "alembic_version":
        raise layout.BookFileError(f"line {table.line}: {table.name!r} is not a table of a book")
    known = {row[1] for row in db.rows(f'PRAGMA table_info("{table.name}")')}
    unknown = [c for c in table.columns if c not in known]
    if unknown:
        raise layout.BookFileError(
            f"line {table.line}: table {table.name} has no column {', '.join(unknown)}"
        )


def _insert(
    db: Db, table: str, columns: list[str], values: list[list[Any]], *, first_line: int
) -> None:
    try:
        db.insert_rows(table, columns, values)
    except Exception as exc:
        reason = _integrity(exc)
        if reason is None:
            raise
        raise layout.BookFileError(
            f"table {table} (lines {first_line:,} to {first_line + len(values) - 1:,}): {reason}"
        ) from None


def _integrity(exc: BaseException) -> str | None:
    """The database's words when a row breaks a rule of the schema (a second row with the same
    id, a record of a card that is not there): duck-typed as store/db.py's `is_busy`."""
    error = getattr(exc, "orig", None) or exc
    if any(c.__name__ == "IntegrityError" for c in type(error).__mro__):
        return str(error).strip().splitlines()[0]
    return None
