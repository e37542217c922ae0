"""The whole book in and out: `import` adds many cards from a CSV or TSV file, `export` writes
every card for scripts and spreadsheets (the cards' own fields: not a backup of the book).

Both stream, so memory stays flat however big the file or the book: the import reads, checks
and inserts the file `CHUNK` rows at a time, all in the command's one transaction (a bad row
anywhere imports nothing); the export reads the cards in id order, and their tags
`EXPORT_CHUNK` cards at a time.

Every imported row is built by `clients.new_card`, the function `add` uses, so a card gets the
same checks, cleaning, grade history and follow-up whichever way it came in.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clientcard.domain.dates import zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.formulas import restore
from clientcard.domain.grades import FKind, Grade, parse_grade
from clientcard.domain.settings import Settings
from clientcard.services.clients import CardFields, NewCard, new_card
from clientcard.services.views import CLIENT_FIELDS
from clientcard.services.views.clients import labelled
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, ClientReach, ClientTag, GradeChange

# The columns an import takes, as `list --format csv|tsv` names them; `name` is required.
IMPORT_COLUMNS = (
    "name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "notes",
    "owner",
    "grade",
    "tags",
)
# The other columns of a listing: an export imports back, but a new card gets its own id and
# times, starts live and without sales, and a referrer's id would name a card of the old book.
IGNORED_COLUMNS = tuple(k for k in CLIENT_FIELDS if k not in IMPORT_COLUMNS)

F_NEW, F_SLOW = FKind.new, FKind.slow
CHUNK = 5000  # rows checked, then inserted, at a time
EXPORT_CHUNK = 1000  # cards whose tags are read in one query

FORMATS = ("csv", "tsv")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Imported:
    cards: int
    ignored: list[str]  # the listing's columns the file had, which a new card cannot take


# ---- reading a file ----------------------------------------------------------------------


def _decoded(lines: Iterable[bytes], source: str) -> Iterator[str]:
    """The file's lines as text: UTF-8, a byte order mark at the start dropped. A line that
    is not UTF-8 is refused naming the file (`source`) and the line."""
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidValue(
                f"{source}, line {number}: not UTF-8 text; save the file as UTF-8 "
                "(in a spreadsheet: CSV UTF-8) and import it again"
            ) from None


def _csv_records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its fields) for each CSV record; blank lines skipped."""
    reader = csv.reader(lines, strict=True)
    start = 1
    try:
        for values in reader:
            if values:
                yield start, values
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidValue(f"line {start}: not valid CSV ({exc})") from None


# The escapes the TSV listing writes (output._tsv_escape); any other backslash is kept as is.
_TSV_ESCAPE = re.compile(r"\\([tnr\\])")
_TSV_CHARS = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def _tsv_field(text: str) -> str:
    if "\\" not in text:
        return text
    return _TSV_ESCAPE.sub(lambda m: _TSV_CHARS[m.group(1)], text)


def _tsv_records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each TSV line: tab-separated, escaped as `list` writes them;
    blank lines skipped."""
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\n").removesuffix("\r")
        if line:
            yield number, [_tsv_field(f) for f in line.split("\t")]


def _header(names: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """The columns to take (index, name) and the listing's columns to ignore, from the header.
    Names are matched without regard to case or surrounding blanks."""
    accepted = ", ".join(IMPORT_COLUMNS)
    taken: list[tuple[int, str]] = []
    ignored: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(names):
        name = raw.strip().lower()
        if name in seen:
            raise InvalidValue(f"the header names the column {name!r} twice")
        seen.add(name)
        if name in IMPORT_COLUMNS:
            taken.append((index, name))
        elif name in IGNORED_COLUMNS:
            ignored.append(name)
        elif not name:
            raise InvalidValue(
                f"column {index + 1} of the header has no name; the columns are {accepted}"
            )
        else:
            raise InvalidValue(f"unknown column {raw.strip()!r}; the columns are {accepted}")
    if "name" not in seen:
        raise InvalidValue(f"the header has no name column; the columns are {accepted}")
    return taken, ignored


def _fields(values: dict[str, str]) -> CardFields:
    """A row as `add` would have been given it: tags split on commas, a grade in any case."""
    grade = values.get("grade", "")
    tags = values.get("tags", "")
    return CardFields(
        name=values["name"],
        company=values.get("company"),
        title=values.get("title"),
        phone=values.get("phone"),
        email=values.get("email"),
        address=values.get("address"),
        source=values.get("source"),
        notes=values.get("notes"),
        owner=values.get("owner"),
        grade=parse_grade(grade) if grade.strip() else Grade.F,
        tags=[t for t in tags.split(",") if t.strip()],
    )


# ---- import ------------------------------------------------------------------------------


def _insert(db: Db, cards: list[NewCard]) -> None:
    db.insert_many((c.client for c in cards), Client, with_ids=True)
    db.insert_many((t for c in cards for t in c.tag_records()), ClientTag)
    db.insert_many((r for c in cards for r in c.reach_records()), ClientReach)
    db.insert_many((c.first_grade_change() for c in cards), GradeChange)


def import_cards(
    db: Db,
    lines: Iterable[bytes],
    fmt: str,
    *,
    now: datetime,
    settings: Settings,
    source: str = "the file",
) -> Imported:
    """Add a card for every row of a CSV or TSV file (`lines`, as bytes) with a header row.
    Each row goes through `new_card`, as `add` does; a bad row raises InvalidValue naming its
    line (and a line that is not UTF-8, the file: `source`), and the caller's transaction then
    writes nothing. Ids follow the file's order."""
    if fmt not in FORMATS:
        raise InvalidValue(f"unknown import format {fmt!r}; use csv or tsv")
    text = _decoded(lines, source)
    records = _csv_records(text) if fmt == "csv" else _tsv_records(text)
    first = next(records, None)
    if first is None:
        raise InvalidValue(
            "the file is empty; its first line must name the columns: " + ", ".join(IMPORT_COLUMNS)
        )
    taken, ignored = _header(first[1])
    width = len(first[1])
    # No other card can take these ids meanwhile: the write transaction holds SQLite's lock,
    # and on PostgreSQL the table is locked first.
    db.lock_for_new_ids("client")
    next_id = int(db.scalar("SELECT max(id) FROM client") or 0) + 1
    count = 0
    chunk: list[NewCard] = []
    for line, values in records:
        if len(values) != width:
            found = f"{len(values)} field{'' if len(values) == 1 else 's'}"
            raise InvalidValue(f"line {line}: {found}, but the header has {width} columns")
        try:
            card = new_card(
                db,
                _fields({name: restore(values[i]) for i, name in taken}),
                now=now,
                settings=settings,
            )
        except InvalidValue as exc:
            raise InvalidValue(f"line {line}: {exc}") from None
        card.client.id = next_id + count
        count += 1
        chunk.append(card)
        if len(chunk) == CHUNK:
            _insert(db, chunk)
            chunk = []
    if chunk:
        _insert(db, chunk)
    return Imported(count, ignored)


# ---- export ------------------------------------------------------------------------------


def _rows(db: Db, chunk: list[Client.Export], now: datetime) -> Iterator[dict[str, Any]]:
    """The rows of a chunk of cards (ascending ids), with their tags read in one range query.

    A row is what `ClientView.row()` gives `list`, built straight from the columns: building
    the views cost more than reading and writing the cards together. The referrer is the
    stored id (it always names a card: deleting one sets the ids pointing to it to null), and
    the grade its stored letter. tests/test_transfer.py checks that an export equals `list`.
    """
    tz = zone_of(now)
    today = now.astimezone(tz).date()
    tags: dict[int, list[str]] = {}
    for client_id, tag in db.rows(
        "SELECT client_id, tag FROM client_tag WHERE client_id >= :first "
        "AND client_id <= :last ORDER BY client_id, tag",
        first=chunk[0].id,
        last=chunk[-1].id,
    ):
        tags.setdefault(client_id, []).append(tag)
    reach: dict[tuple[int, str], list[tuple[str | None, str]]] = {}
    for client_id, kind, label, value in db.rows(
        "SELECT client_id, kind, label, value FROM client_reach WHERE client_id >= :first "
        "AND client_id <= :last ORDER BY client_id, kind, position",
        first=chunk[0].id,
        last=chunk[-1].id,
    ):
        reach.setdefault((client_id, kind), []).append((label, value))
    for c in chunk:
        yield {
            "id": c.id,
            "name": c.name,
            "company": c.company,
            "title": c.title,
            "phone": c.phone,
            "email": c.email,
            "address": c.address,
            "source": c.source,
            "referred_by": c.referred_by_id,
            "tags": tags.get(c.id, []),
            "notes": c.notes,
            "grade": c.grade,
            "owner": c.owner,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "archived": c.archived_at is not None,
            "customer": c.first_sale_at is not None,
            # f_kind(c.grade, visited) and days_held(c.graded_at, now, tz), inlined: called for
            # every card they cost as much as the rest of the row.
            "f_kind": (F_SLOW if c.last_visit_at is not None else F_NEW)
            if c.grade == "F"
            else None,
            "grade_since": c.graded_at,
            "days_in_grade": max((today - c.graded_at.astimezone(tz).date()).days, 0),
            "phones": labelled(reach.get((c.id, "phone"), []), "number"),
            "emails": labelled(reach.get((c.id, "email"), []), "address"),
        }


def export_cards(
    db: Db, *, archived: bool | None = None, now: datetime
) -> Iterator[dict[str, Any]]:
    """Every card's row (the keys of CLIENT_FIELDS, as `list` gives them, time in grade counted
    to `now`), in id order, one at a time: live and archived cards, or only archived (True) or
    only live ones (False)."""
    where = {
        None: "",
        True: "WHERE archived_at IS NOT NULL",
        False: "WHERE archived_at IS NULL",
    }[archived]
    sql = f"SELECT {columns(Client.Export)} FROM client {where} ORDER BY id"
    chunk: list[Client.Export] = []
    for card in db.stream(Client.Export, sql):
        chunk.append(card)
        if len(chunk) == EXPORT_CHUNK:
            yield from _rows(db, chunk, now)
            chunk = []
    if chunk:
        yield from _rows(db, chunk, now)
