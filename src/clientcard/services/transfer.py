"""The whole book in and out: `import` adds many cards from a CSV or TSV file, `export` writes
every card for scripts and spreadsheets (the cards' own fields: not a backup of the book).

Both stream, so memory stays flat however big the file or the book: the import reads, checks
and inserts the file `CHUNK` rows at a time, all in the command's one transaction (a bad row
anywhere imports nothing); the export reads the cards in id order, and their tags
`EXPORT_CHUNK` cards at a time.

Every imported row is built by `clients.new_card`, the function `add` uses, so a card gets the
same checks, cleaning, grade history and follow-up whichever way it came in.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clientcard.domain import import_headers as headers
from clientcard.domain.dates import zone_of
from clientcard.domain.errors import Ambiguous, InvalidValue, NotFound
from clientcard.domain.formulas import restore
from clientcard.domain.grades import FKind, Grade, parse_grade
from clientcard.domain.occasions import OccasionKind
from clientcard.domain.settings import Settings
from clientcard.services import xlsx_read
from clientcard.services.clients import CardFields, NewCard, new_card
from clientcard.services.lookup import resolve_client
from clientcard.services.views.clients import labelled
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, ClientReach, ClientTag, GradeChange, KeyDate

# The columns of our own listing an import takes; other headers people have (Chinese, Google,
# Outlook, Thunderbird) and the listing's columns a new card cannot take are in
# domain/import_headers.py.
IMPORT_COLUMNS = headers.OWN_COLUMNS

F_NEW, F_SLOW = FKind.new, FKind.slow
CHUNK = 5000  # rows checked, then inserted, at a time
EXPORT_CHUNK = 1000  # cards whose tags are read in one query

FORMATS = ("csv", "tsv", "xlsx")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The detector's names for what people call these encodings.
_NAMES = {"utf_8": "UTF-8", "gb18030": "GB18030", "big5": "Big5", "utf_16": "UTF-16"}


@dataclass(frozen=True)
class Imported:
    cards: int
    ignored: list[str]  # the listing's columns the file had, which a new card cannot take
    read_as: str | None = None  # how the text was read, when not plain UTF-8: "GB18030 (detected)"
    kept: list[str] = field(default_factory=list)  # columns whose values went to the notes
    birthdays: int = 0  # birthdays recorded as occasions
    dry_run: bool = False
    refused: list[str] = field(default_factory=list)  # a dry run's bad rows: "line 7: ..."
    sheet: str | None = None  # a workbook's sheet that was read: "客户 (the first of 2)"
    titles: list[str] = field(default_factory=list)  # a sheet's title rows above the header


# ---- reading a file ----------------------------------------------------------------------


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1


def _strict(data: bytes, encoding: str, name: str, source: str) -> str:
    """The bytes as text in `encoding`, or InvalidValue naming the file and line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start, encoding)
        advice = (
            "save the file as UTF-8 (in a spreadsheet: CSV UTF-8) and import it again"
            if name == "UTF-8"
            else "give the file's own --encoding, or leave --encoding out to have it detected"
        )
        raise InvalidValue(f"{source}, line {line}: not {name} text; {advice}") from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decoded(data: bytes, encoding: str | None, source: str) -> tuple[str, str | None]:
    """The file's text and how it was read (None for plain UTF-8, the documented default).

    Given an encoding, that one, strictly. Else: a byte order mark says UTF-8 or UTF-16; text
    that is UTF-8 is UTF-8; text that is GB18030 (which GBK and GB2312 are part of) and not
    Big5 is GB18030; otherwise the detector (charset-normalizer) decides, between GB18030 and
    Big5 when both read, and among all it knows when neither does."""
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InvalidValue(
                f"--encoding: unknown encoding {encoding!r}; for example utf-8, gb18030, big5, "
                "utf-16"
            ) from None
        if codec == "utf-8" and data.startswith(_BOM):
            codec = "utf-8-sig"
        name = _NAMES.get(codec.replace("-", "_").removesuffix("_sig"), encoding)
        text = _strict(data, codec, name, source)
        return text.removeprefix("\ufeff"), (None if name == "UTF-8" else f"{name} (--encoding)")
    if data.startswith(_BOM):
        return _strict(data[len(_BOM) :], "utf-8", "UTF-8", source), None
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", "UTF-16", source), "UTF-16 (byte order mark)"
    if _decodes(data, "utf-8"):
        return data.decode("utf-8"), None
    gb18030, big5 = _decodes(data, "gb18030"), _decodes(data, "big5")
    if gb18030 and not big5:
        return data.decode("gb18030"), "GB18030 (detected)"
    import charset_normalizer  # only `import` reads text of unknown encodings

    isolation = ["gb18030", "big5"] if gb18030 else None
    best = charset_normalizer.from_bytes(data, cp_isolation=isolation).best()
    if best is None or "\x00" in str(best):
        raise InvalidValue(
            f"{source}: cannot tell what text this is (not UTF-8, GB18030, Big5 or UTF-16): "
            "is it a CSV or TSV file? If it is, give its --encoding"
        )
    name = _NAMES.get(best.encoding, best.encoding)
    return str(best).removeprefix("\ufeff"), f"{name} (detected)"


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its fields) for each CSV record; blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
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


def _tsv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each TSV line: tab-separated, escaped as `list` writes them;
    blank lines skipped."""
    for number, line in enumerate(io.StringIO(text, newline="\n"), start=1):
        line = line.removesuffix("\n").removesuffix("\r")
        if line:
            yield number, [_tsv_field(f) for f in line.split("\t")]


def _delimiter(text: str) -> str:
    """Tab or comma, whichever the header line has more of (Excel's "Unicode text" is
    tab-separated whatever the file is called)."""
    header = text[: text.find("\n")] if "\n" in text else text
    return "\t" if header.count("\t") > header.count(",") else ","


def parse_map(items: list[str]) -> dict[str, str]:
    """`--map 'Header=target'` options as {header key: target}."""
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        target = target.strip().lower()
        if not sep or not header.strip():
            raise InvalidValue(f"--map {item!r}: write it as 'Header=field', e.g. '客户=name'")
        if target not in headers.TARGETS:
            raise InvalidValue(
                f"--map {item!r}: unknown field {target!r}; the fields are "
                + ", ".join(headers.TARGETS)
            )
        mapping[headers.header_key(header)] = target
    return mapping


@dataclass(frozen=True)
class _Column:
    index: int
    header: str  # as the file writes it, trimmed
    key: str  # as it is matched (headers.header_key)
    target: str | None  # None: kept in the notes


def _plan(names: list[str], mapping: dict[str, str]) -> tuple[list[_Column], list[str]]:
    """The columns of the header (empty ones left out), and the listing's columns to ignore."""
    ignored: list[str] = []
    seen: set[str] = set()
    plan: list[_Column] = []
    targets = headers.targets_of(names, mapping)
    for index, (raw, target) in enumerate(zip(names, targets, strict=True)):
        key = headers.header_key(raw)
        if key and key in seen:
            raise InvalidValue(f"the header names the column {raw.strip()!r} twice")
        seen.add(key)
        if target == "ignore":
            ignored.append(raw.strip())
            continue
        plan.append(_Column(index, raw.strip() or f"column {index + 1}", key, target))
    if not any(c.target in ("name", "first_name", "last_name") for c in plan):
        raise InvalidValue(
            "the header has no name column (name, 姓名, First Name, Display Name...); "
            "name one with --map 'Header=name'"
        )
    return plan, ignored


@dataclass
class _Row:
    fields: CardFields
    birthday: tuple[int | None, int, int] | None
    kept: list[str]  # headers whose values went to the notes


def _birthday(parts: tuple[int | None, int, int] | None) -> tuple[int | None, int, int] | None:
    if parts is None:
        return None
    year, month, day = parts
    try:
        date(year or 2000, month, day)  # 2000: a leap year, so 29 February is a day
    except ValueError:
        return None
    return parts


def _row(db: Db, plan: list[_Column], values: list[str], before: int) -> _Row:
    """A row as `add` would have been given it, with what it holds beyond a card's fields in
    the notes as `Header: value` lines. A referrer is a card whose id is below `before`."""
    first: dict[str, str] = {}
    phones: list[str] = []
    parts = {"first_name": "", "middle_name": "", "last_name": ""}
    born = {"birth_year": "", "birth_month": "", "birth_day": ""}
    lines: list[str] = []
    kept: list[str] = []
    tags: list[str] = []
    grade: Grade | None = None
    birthday: tuple[int | None, int, int] | None = None

    def keep(column: _Column, value: str, why: str | None = None, label: str = "") -> None:
        """A value kept in the notes; its column is named on stderr, with why when it has a
        field (a grade that is not A to F...). WeChat ids are at home there: not named."""
        lines.append(f"{label or column.header}: {value}")
        if label:
            return
        named = column.header + (f" ({why})" if why else "")
        if named not in kept:
            kept.append(named)

    for column in plan:
        value = restore(values[column.index])
        if not value.strip() or value.strip() in headers.EMPTY_VALUES.get(column.key, ()):
            continue
        value = value.strip() if column.target not in ("notes", None) else value
        target = column.target
        if target == "phone":
            phones.append(value)
        elif target in parts:
            parts[target] = value
        elif target in born:
            born[target] = value.strip()
        elif target == "grade":
            if column.key == "grade":  # ours: A to F, or refused
                grade = parse_grade(value)
            elif (letter := headers.grade_letter(value)) is not None and grade is None:
                grade = Grade(letter)
            else:
                keep(column, value, "not a grade A to F")
        elif target == "tags":
            if column.key == "tags":  # ours, as `list` writes them
                tags += [t for t in value.split(",") if t.strip()]
            else:
                tags += headers.split_tags(value)
        elif target == "birthday":
            found = _birthday(headers.birthday_parts(value))
            if found is None or birthday is not None:
                keep(column, value, "not a date" if found is None else "a second birthday")
            else:
                birthday = found
        elif target == "referred_by":
            try:
                referrer = resolve_client(db, value).id
            except (NotFound, Ambiguous, InvalidValue):
                referrer = None
            # Only a card of the book as it was: a row of the same file is not one yet.
            if referrer is None or referrer >= before or "referred_by" in first:
                keep(column, value, "not one card of the book")
            else:
                first["referred_by"] = f"#{referrer}"
        elif target == "wechat":
            keep(column, value, label="微信")
        elif target is None:
            keep(column, value)
        elif target in first:  # a second e-mail, company...: kept, not lost
            keep(column, value, "a second " + target.replace("email", "e-mail"))
        else:
            first[target] = value
    if born["birth_month"] and born["birth_day"] and birthday is None:
        try:
            year = int(born["birth_year"]) if born["birth_year"] else None
            birthday = _birthday((year, int(born["birth_month"]), int(born["birth_day"])))
        except ValueError:
            birthday = None
    name = first.get("name") or headers.full_name(*parts.values()) or first.get("company", "")
    notes = "\n".join(([first["notes"]] if "notes" in first else []) + lines) or None
    return _Row(
        CardFields(
            name=name,
            company=first.get("company"),
            title=first.get("title"),
            phone=headers.joined_phones(phones),
            email=first.get("email"),
            address=first.get("address"),
            source=first.get("source"),
            notes=notes,
            owner=first.get("owner"),
            referred_by=first.get("referred_by"),
            grade=grade or Grade.F,
            tags=tags,
        ),
        birthday,
        kept,
    )


# ---- import ------------------------------------------------------------------------------


def _insert(db: Db, cards: list[NewCard], dates: list[KeyDate]) -> None:
    db.insert_many((c.client for c in cards), Client, with_ids=True)
    db.insert_many((t for c in cards for t in c.tag_records()), ClientTag)
    db.insert_many((r for c in cards for r in c.reach_records()), ClientReach)
    db.insert_many((c.first_grade_change() for c in cards), GradeChange)
    if dates:
        db.insert_many(dates, KeyDate)


def import_cards(
    db: Db,
    data: bytes,
    fmt: str | None,
    *,
    now: datetime,
    settings: Settings,
    source: str = "the file",
    encoding: str | None = None,
    mapping: list[str] | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
) -> Imported:
    """Add a card for every row of a CSV or TSV file (`data`) with a header row. The text's
    encoding is detected unless given; `fmt` None reads CSV separated by commas or tabs,
    whichever the header has more of. Each row goes through `new_card`, as `add` does; a bad
    row raises InvalidValue naming its line (and text that cannot be read, the file:
    `source`), and the caller's transaction then writes nothing. Ids follow the file's order.
    `dry_run` checks every row and writes nothing; its bad rows are in `refused`, each
    naming its line, and `cards` counts the good ones.

    An Excel workbook (`fmt` "xlsx", or None and the bytes are one) is read by
    services/xlsx_read.py: the sheet named `sheet`, else the first; its rows are the sheet's."""
    if fmt is not None and fmt not in FORMATS:
        raise InvalidValue(f"unknown import format {fmt!r}; use csv, tsv or xlsx")
    columns_map = parse_map(mapping or [])
    read_as: str | None = None
    said_sheet: str | None = None
    book: xlsx_read.Sheet | None = None
    records: Iterator[tuple[int, list[str]]]
    if fmt == "xlsx" or (fmt is None and xlsx_read.is_workbook(data)):
        if encoding is not None:
            raise InvalidValue("--encoding is for CSV and TSV text; a workbook says its own")
        book = xlsx_read.Sheet(data, sheet, source)
        records = iter(book)
        if len(book.names) > 1:
            which = "--sheet" if sheet is not None else f"the first of {len(book.names)}"
            said_sheet = f"{book.name} ({which})"
    else:
        if sheet is not None:
            raise InvalidValue(f"--sheet is for Excel workbooks (.xlsx); {source} is text")
        text, read_as = _decoded(data, encoding, source)
        if fmt == "tsv":
            records = _tsv_records(text)
        else:
            records = _csv_records(text, "," if fmt == "csv" else _delimiter(text))
    first = next(records, None)
    if first is None and book is not None:
        raise InvalidValue(
            f"{source}: the sheet {book.name!r} is empty; its first row must name the columns: "
            + ", ".join(IMPORT_COLUMNS)
        )
    if first is None:
        raise InvalidValue(
            "the file is empty; its first line must name the columns: " + ", ".join(IMPORT_COLUMNS)
        )
    plan, ignored = _plan(first[1], columns_map)
    width = len(first[1])
    # No other card can take these ids meanwhile: the write transaction holds SQLite's lock,
    # and on PostgreSQL the table is locked first.
    if not dry_run:
        db.lock_for_new_ids("client")
    next_id = int(db.scalar("SELECT max(id) FROM client") or 0) + 1
    count = birthdays = 0
    kept: dict[str, None] = {}
    chunk: list[NewCard] = []
    dates: list[KeyDate] = []
    refused: list[str] = []
    for line, values in records:
        try:
            if book is not None and len(values) > width:
                beyond = next(i for i in range(width, len(values)) if values[i].strip())
                raise InvalidValue(
                    f"{values[beyond]!r} in column {_letters(beyond + 1)}, right of the "
                    f"header's last column ({_letters(width)}); give its column a header"
                )
            if len(values) != width:
                found = f"{len(values)} field{'' if len(values) == 1 else 's'}"
                raise InvalidValue(f"{found}, but the header has {width} columns")
            row = _row(db, plan, values, next_id)
            card = new_card(db, row.fields, now=now, settings=settings)
        except InvalidValue as exc:
            if not dry_run:
                raise InvalidValue(f"line {line}: {exc}") from None
            refused.append(f"line {line}: {exc}")  # a dry run reports every bad row
            continue
        card.client.id = next_id + count
        count += 1
        kept.update(dict.fromkeys(row.kept))
        if row.birthday is not None:
            year, month, day = row.birthday
            birthdays += 1
        if dry_run:
            continue
        if row.birthday is not None:
            dates.append(
                KeyDate(
                    client_id=card.client.id,
                    kind=OccasionKind.birthday.value,
                    month=month,
                    day=day,
                    year=year,
                    yearly=True,
                )
            )
        chunk.append(card)
        if len(chunk) == CHUNK:
            _insert(db, chunk, dates)
            chunk, dates = [], []
    if chunk:
        _insert(db, chunk, dates)
    titles = [f"row {n}: {text}" for n, text in book.titles] if book is not None else []
    return Imported(
        count, ignored, read_as, list(kept), birthdays, dry_run, refused, said_sheet, titles
    )


def _letters(column: int) -> str:
    """A spreadsheet's name for a column: 1 is A, 27 is AA."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


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
