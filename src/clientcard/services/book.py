"""`export --book` and `import --book`: the whole book out and back in, lossless
(docs/book-format.md). The file's layout is store/book.py's; the rules are here:

- a book loads only into an empty book, in one transaction: all of it or nothing;
- a file of a newer format or schema than this clientcard knows is refused; one of an older
  schema is loaded into a scratch SQLite book at that schema, which the migrations bring to the
  current one (exactly as they bring an old book file), and loaded from there;
- every value is checked against its column before it is written; a damaged or cut-short file
  loads nothing, and the message names the line.
"""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from clientcard.domain.agenda import (
    CancelledBy,
    ContactSource,
    FollowupKind,
    PromiseKind,
    PromiseStatus,
)
from clientcard.domain.channels import Channel
from clientcard.domain.complaints import (
    ComplaintStatus,
    Responsibility,
    Severity,
    StepKind,
    is_cause_name,
)
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.occasions import OccasionKind, Yearly
from clientcard.domain.ratings import HIGHEST, LOWEST, Credit
from clientcard.i18n import _, ngettext
from clientcard.store import book as layout
from clientcard.store import fulltext
from clientcard.store.db import Db
from clientcard.store.recordbase import Record
from clientcard.store.records import Client
from clientcard.store.revision import HEAD_REVISION, known_revisions, stored_revision


def _one_of(values: Iterable[str]) -> Callable[[Any], bool]:
    allowed = frozenset(values)
    return lambda value: value in allowed


_SCORE = lambda value: LOWEST <= value <= HIGHEST  # noqa: E731  (satisfaction, loyalty)

# What the rules of a book allow in the columns a command reads as one of a few values (a
# grade, a channel...) or a score: a file edited by hand to `"grade":"G"` would load, and then
# every command that reads the card would fail.
ALLOWED: dict[str, dict[str, Callable[[Any], bool]]] = {
    "client": {
        "grade": _one_of(Grade),
        "followup_kind": _one_of(FollowupKind),
        "credit": _one_of(Credit),
        "satisfaction": _SCORE,
        "loyalty": _SCORE,
    },
    "grade_change": {"from_grade": _one_of(Grade), "to_grade": _one_of(Grade)},
    "contact": {"via": _one_of(Channel), "source": _one_of(ContactSource)},
    "promise": {"kind": _one_of(PromiseKind), "status": _one_of(PromiseStatus)},
    "promise_event": {"by": _one_of(CancelledBy)},
    "complaint": {
        "severity": _one_of(Severity),
        "status": _one_of(ComplaintStatus),
        "satisfaction": _SCORE,
        # A cause as `complaint.causes` takes one (the list itself is the user's setting, which
        # may have changed since: any such name loads), and one of the responsibilities.
        "cause": is_cause_name,
        "responsibility": _one_of(Responsibility),
    },
    "complaint_step": {"kind": _one_of(StepKind), "satisfaction": _SCORE},
    "key_date": {
        "kind": _one_of(OccasionKind),
        "month": lambda month: 1 <= month <= 12,
        "day": lambda day: 1 <= day <= 31,
    },
    # Issue 18: a yearly holiday's rule (solar, lunar or qingming) and its month and day.
    "holiday": {
        "yearly": _one_of(Yearly),
        "month": lambda month: 1 <= month <= 12,
        "day": lambda day: 1 <= day <= 31,
    },
    "rating_change": {"credit": _one_of(Credit), "satisfaction": _SCORE, "loyalty": _SCORE},
    "client_reach": {"kind": _one_of(("phone", "email"))},
}


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


def read_header(first: bytes | None, source: str, *, verb: str = "import") -> layout.Header:
    """The first line of a book file, checked before any book is opened: a book export, of a
    format and schema this clientcard reads. `verb` is the command's, for messages ("cannot
    import FILE: ...")."""
    if not first:
        raise InvalidValue(
            _("cannot {verb} {source}: it is empty").format(verb=verb, source=source)
        )
    try:
        header = layout.read_header(first)
    except layout.BookFileError as exc:
        raise InvalidValue(
            _("cannot {verb} {source}: {exc}").format(verb=verb, source=source, exc=exc)
        ) from None
    if header.format > layout.FORMAT:
        raise InvalidValue(
            _(
                "cannot {verb} {source}: it was written by a newer clientcard (book format "
                "{value}; this one reads format {FORMAT} and older): upgrade clientcard"
            ).format(verb=verb, source=source, value=header.format, FORMAT=layout.FORMAT)
        )
    schema = header.schema
    if schema not in known_revisions():
        newer = schema.isdigit() and int(schema) > int(HEAD_REVISION)
        message = (
            _(
                "cannot {verb} {source}: its book is at schema revision {schema}, newer than "
                "this clientcard knows ({head}); upgrade clientcard"
            )
            if newer
            else _(
                "cannot {verb} {source}: its book is at schema revision {schema}, which no "
                "clientcard has ({head})"
            )
        )
        raise InvalidValue(
            message.format(verb=verb, source=source, schema=repr(schema), head=HEAD_REVISION)
        )
    return header


def cards_in_header(stream: Iterable[bytes], source: str, *, verb: str = "import") -> int:
    """The number of cards a book file holds, read from its first two lines (the header,
    checked as `read_header` does, then the card table's)."""
    lines = iter(stream)
    read_header(next(lines, None), source, verb=verb)
    try:
        for table, _lines in layout.read_tables(lines):
            return table.rows if table.name == Client.__table__ else 0
    except layout.BookFileError as exc:
        raise InvalidValue(
            _("cannot {verb} {source}: {exc}").format(verb=verb, source=source, exc=exc)
        ) from None
    return 0


def import_book(
    db: Db,
    header: layout.Header,
    lines: Iterator[bytes],
    source: str,
    *,
    verb: str = "import",
) -> Loaded:
    """Load the rest of the book file (`lines`, after the `header` that `read_header` checked;
    read from `source`, for messages) into the empty book `db`."""
    try:
        if header.schema == HEAD_REVISION:
            return Loaded(_load(db, layout.read_tables(lines), verb), None)
        with layout.upgraded(lines, header.schema) as current:
            return Loaded(_load(db, layout.read_tables(current), verb), header.schema)
    except layout.BookFileError as exc:
        nothing = _("nothing was imported") if verb == "import" else _("nothing was changed")
        raise InvalidValue(
            _("cannot {verb} {source}: {exc}; {nothing}").format(
                verb=verb, source=source, exc=exc, nothing=nothing
            )
        ) from None


def book_file_counts(path: Path) -> tuple[str, dict[str, int]]:
    """Read a whole book file through, checking its shape (every line, every table's rows, the
    end line) without loading it: its schema revision and rows per table. Raises
    layout.BookFileError."""
    with open(path, "rb") as stream:
        first = next(stream, b"")
        header = layout.read_header(first)
        counts = {}
        for table, rows in layout.read_tables(stream):
            for _row in rows:
                pass
            counts[table.name] = table.rows
    return header.schema, counts


def _refuse_unless_empty(db: Db, verb: str) -> None:
    held = {}
    for kind in layout.TABLES:
        if db.scalar(f'SELECT 1 FROM "{kind.__table__}" LIMIT 1') is not None:
            held[kind.__table__] = int(db.scalar(f'SELECT count(*) FROM "{kind.__table__}"'))
    if held:
        cards = held.get(Client.__table__, 0)
        records = sum(held.values())
        what = (
            ngettext("{n} card", "{n} cards", cards).format(n=format(cards, ","))
            if cards
            else _("{n} records").format(n=format(records, ","))
        )
        how = (
            _("import --book loads a whole book into an empty one only")
            if verb == "import"
            else _("a book export is restored into an empty database only")
        )
        raise Refused(
            _(
                "the book already holds {what}: {how} (give a new file with --db, or an "
                "empty database)"
            ).format(what=what, how=how)
        )


def _load(
    db: Db, tables: Iterator[tuple[layout.Table, Iterator[list[Any]]]], verb: str
) -> dict[str, int]:
    """Write every table of a current schema's file into the empty book `db`, every value
    checked against its column; returns the rows per table."""
    _refuse_unless_empty(db, verb)
    # Built once each at the end (docs/performance.md).
    indexes = db.drop_indexes([k.__table__ for k in layout.TABLES])
    # The search index too (issue 18, docs/search.md): on SQLite dropped with its triggers and
    # built again from every row at the end, rather than row by row. (On PostgreSQL its
    # triggers fill it: only the book's owner role may drop and make tables.)
    rebuild = db.dialect == "sqlite"
    if rebuild:
        fulltext.drop(_ddl(db), db.dialect)
    counts: dict[str, int] = {}
    referrals: list[tuple[int, int, int]] = []  # (line, card, the card that referred it)
    card_ids: set[int] = set()
    for table, rows in tables:
        kind = _kind_of(table, counts)
        read = layout.row_reader(
            kind, table, text_times=db.text_times, allowed=ALLOWED.get(table.name)
        )
        at_id = table.columns.index("id") if "id" in table.columns else None
        each = None
        if kind is Client:  # whose columns _kind_of checked: id and referred_by_id among them
            at, referred = table.columns.index("id"), table.columns.index("referred_by_id")

            def each(line: int, row: list[Any], at: int = at, referred: int = referred) -> None:
                card_ids.add(row[at])
                if row[referred] is not None:
                    # Card ids point to each other in any order: set once all are in.
                    referrals.append((line, row[at], row[referred]))
                    row[referred] = None

        layout.load_table(db, table, rows, read, each)
        if at_id is not None:
            db.ids_given(table.name)
        counts[table.name] = table.rows
    absent = [k.__table__ for k in layout.TABLES if k.__table__ not in counts]
    if absent:
        raise layout.BookFileError(
            _("the file has no table {tables}").format(tables=", ".join(absent))
        )
    for line, card, referrer in referrals:
        if referrer not in card_ids:
            raise layout.BookFileError(
                _(
                    "line {line}: client: referred_by_id {referrer} is not a card of the book"
                ).format(line=line, referrer=referrer)
            )
        db.execute(
            "UPDATE client SET referred_by_id = :referrer WHERE id = :card",
            referrer=referrer,
            card=card,
        )
    db.make_indexes(indexes)
    if rebuild:
        fulltext.create(_ddl(db), db.dialect)
    return counts


def _ddl(db: Db) -> Callable[[str], None]:
    """Run one schema statement as it is."""
    return lambda sql: db.make_indexes([sql])


def _kind_of(table: layout.Table, loaded: dict[str, int]) -> type[Record]:
    """The record of a table of the file: a table of the current schema, with its columns, not
    loaded before."""
    if table.name in loaded:
        raise layout.BookFileError(
            _("line {line}: table {table} comes twice").format(line=table.line, table=table.name)
        )
    kind = layout.BY_NAME.get(table.name)
    if kind is None:
        raise layout.BookFileError(
            _("line {line}: {table} is not a table of a book").format(
                line=table.line, table=repr(table.name)
            )
        )
    missing = [c for c in kind.__columns__ if c not in table.columns]
    extra = [c for c in table.columns if c not in kind.__columns__]
    if missing or extra:
        raise layout.BookFileError(
            _("line {line}: table {table} should have the columns of schema {schema}").format(
                line=table.line, table=table.name, schema=HEAD_REVISION
            )
            + (_("; missing {columns}").format(columns=", ".join(missing)) if missing else "")
            + (_("; not known: {columns}").format(columns=", ".join(extra)) if extra else "")
        )
    return kind
