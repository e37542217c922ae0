"""Reading an Excel workbook (.xlsx) for `import`: one sheet's rows as text, the way the person
who typed them sees them in Excel, ready for the same header recognition as a CSV file
(domain/import_headers.py).

openpyxl reads the workbook in read-only mode, so the rows stream: a sheet of any length holds
one row in memory at a time. It is imported only here, inside the functions, so that no other
command pays for it (tests/test_startup.py).

What a cell becomes (docs/import.md, "Excel workbooks"):
- text as it is (but for Excel's escapes of control characters, `_x000D_`); a formula its
  last computed value (as Excel shows it), an error its code (`#N/A`);
- a whole number without `.0` (a phone typed as a number, 13800138000, stays 13800138000),
  another number with up to 15 significant digits, as Excel shows it in the General format;
- a date as `YYYY-MM-DD`; a date and time as `YYYY-MM-DD HH:MM` (`:SS` when it has seconds); a
  time of day as `HH:MM`;
- TRUE or FALSE; an empty cell, empty text.
The first non-empty row is the header, except that rows holding a single cell above a row with
more (a title over the table, usually merged across it) are titles and skipped. Trailing empty
columns and empty rows are left out; the numbers given with each row are the sheet's own row
numbers. A cell merged down over several rows (a company written once for three people) gives
its value to every row of the merge, in its first column.
"""

import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import IO, Any

from clientcard.domain.errors import InvalidValue
from clientcard.i18n import N_, _
from clientcard.services.bringin.incoming import Incoming, Refused, Shape
from clientcard.services.bringin.table import Table, parse_map
from clientcard.store.db import Db

XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, which an .xlsx workbook is
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: Excel 97-2003 (.xls)
TITLE_LOOKAHEAD = 10  # non-empty rows looked at for the header below title rows

SAVE_AS = N_("open it in Excel (or WPS) and save it as an Excel Workbook (.xlsx) or as CSV UTF-8")

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are an Excel file, new (.xlsx, a zip) or old (.xls)."""
    return data.startswith(XLSX_MAGIC) or data.startswith(XLS_MAGIC)


def cell_text(value: Any) -> str:
    """A cell's value as the person sees it in Excel (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Excel writes a carriage return or another control character as `_x000D_` (and a
        # `_` that would read as one as `_x005F_`); openpyxl leaves them as they are.
        return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), value) if "_x" in value else value
    if isinstance(value, bool):  # before int: a bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class Sheet:
    """One sheet of a workbook, chosen by name or the first one; iterate it for
    (row number, cells as text) of every non-empty row from the header on."""

    def __init__(self, data: bytes, sheet: str | None, source: str) -> None:
        if data.startswith(XLS_MAGIC):
            raise InvalidValue(
                _(
                    "{source} is an old Excel 97-2003 workbook (.xls), which import cannot "
                    "read; {advice}"
                ).format(source=source, advice=_(SAVE_AS))
            )
        self.source = source
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not know
                self._book = _load(BytesIO(data))
        except Exception as exc:  # a zip that is no workbook, broken XML...: the user's file
            raise InvalidValue(
                _(
                    "{source} is not an Excel workbook (.xlsx) that can be read ({why}); {advice}"
                ).format(source=source, why=_why(exc), advice=_(SAVE_AS))
            ) from None
        self.names: list[str] = list(self._book.sheetnames)
        self.chosen = False  # named by --sheet
        if sheet is None:
            if not self.names:
                raise InvalidValue(_("{source}: the workbook has no sheet").format(source=source))
            self.name = self.names[0]
        elif sheet in self.names:
            self.name = sheet
            self.chosen = True
        else:
            raise InvalidValue(
                _("--sheet {sheet}: {source} has no such sheet; its sheets are {sheets}").format(
                    sheet=repr(sheet), source=source, sheets=", ".join(self.names)
                )
            )
        self._sheet: Any = self._book[self.name]  # a ReadOnlyWorksheet
        declared = self._sheet.max_row  # the size the file declares, for a progress bar
        self.size: int | None = declared if isinstance(declared, int) else None
        self._sheet.reset_dimensions()  # the size a file declares may be wrong: read every row
        self.titles: list[tuple[int, str]] = []  # rows skipped as titles above the header
        # Rows with a value right of the header's last column: {row number: why refused}.
        self.beyond: dict[int, str] = {}
        self._data = data

    def _merged_down(self) -> dict[tuple[int, int], int]:
        """{(first row, column): last row} of every merge that spans rows (read from the end of
        the sheet's XML, which openpyxl's read-only mode does not read)."""
        path = self._sheet._worksheet_path
        found: dict[tuple[int, int], int] = {}
        tail = b""
        with zipfile.ZipFile(BytesIO(self._data)) as archive, archive.open(path) as xml:
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                for match in _MERGE.finditer(text):
                    first, last = int(match[2]), int(match[4])
                    if last > first:
                        found[(first, _column_number(match[1]))] = last
                tail = text[-200:]
        return found

    def _rows(self, merged: bool) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text, trailing empty ones left out) of every non-empty row
        (and every row, when some merge spans rows)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for number, values in enumerate(self._sheet.iter_rows(values_only=True), 1):
                    cells = [cell_text(v) for v in values]
                    while cells and not cells[-1].strip():
                        cells.pop()
                    if cells or merged:
                        yield number, cells
        except InvalidValue:
            raise
        except Exception as exc:
            raise InvalidValue(
                _("{source}: the sheet {sheet} cannot be read ({why}); {advice}").format(
                    source=self.source, sheet=repr(self.name), why=_why(exc), advice=_(SAVE_AS)
                )
            ) from None
        finally:
            self._book.close()

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        try:
            merged = self._merged_down()
        except Exception as exc:
            self._book.close()
            raise InvalidValue(
                _("{source}: the sheet {sheet} cannot be read ({why}); {advice}").format(
                    source=self.source, sheet=repr(self.name), why=_why(exc), advice=_(SAVE_AS)
                )
            ) from None
        rows = self._rows(bool(merged))
        ahead: list[tuple[int, list[str]]] = []
        for row in rows:
            if row[1]:
                ahead.append(row)
            if len(ahead) == TITLE_LOOKAHEAD or len([c for c in row[1] if c.strip()]) > 1:
                break
        header_at = next(
            (i for i, (_, cells) in enumerate(ahead) if len([c for c in cells if c.strip()]) > 1),
            0,
        )
        self.titles = [(n, next(c for c in cells if c.strip())) for n, cells in ahead[:header_at]]
        if not ahead:
            return
        header_row, header = ahead[header_at]
        width = len(header)
        yield header_row, header
        # Merges that start below the header fill their first column down.
        filling: dict[int, tuple[int, str]] = {}  # column -> (last row, value)

        def data_rows() -> Iterator[tuple[int, list[str]]]:
            yield from ahead[header_at + 1 :]
            yield from rows

        for number, cells in data_rows():
            if merged:
                for column, (last, value) in list(filling.items()):
                    if number > last:
                        del filling[column]
                    elif column <= len(cells) and not cells[column - 1]:
                        cells[column - 1] = value
                    elif column > len(cells):
                        cells += [""] * (column - len(cells) - 1) + [value]
                for column in range(1, len(cells) + 1):
                    last = merged.get((number, column), 0)
                    if last and cells[column - 1]:
                        filling[column] = (last, cells[column - 1])
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            elif len(cells) > width:
                at = next(i for i in range(width, len(cells)) if cells[i].strip())
                self.beyond[number] = _(
                    "{value} in column {column}, right of the header's last column "
                    "({last}); give its column a header"
                ).format(value=repr(cells[at]), column=letters(at + 1), last=letters(width))
            yield number, cells


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R = _MAIN + "si", _MAIN + "t", _MAIN + "r"


def shared_strings(src: IO[bytes]) -> list[str]:
    """The workbook's table of shared strings (where Excel keeps every text cell), each entry's
    text: its `<t>`, or the `<t>` of each of its rich-text runs `<r>`, never the phonetic
    guides `<rPh>` that Japanese and Chinese Excel add. What openpyxl reads, four times faster
    (it builds an object per entry): a workbook of 28,000 rows holds some 77,000 of them."""
    from xml.etree.ElementTree import iterparse

    out: list[str] = []
    for _event, element in iterparse(src):
        if element.tag == _SI:
            parts = []
            for child in element:
                if child.tag == _T:
                    parts.append(child.text or "")
                elif child.tag == _R:
                    text = child.find(_T)
                    if text is not None:
                        parts.append(text.text or "")
            out.append("".join(parts))
            element.clear()
    return out


def _load(data: IO[bytes]) -> Any:
    """openpyxl's `load_workbook(data, read_only=True, data_only=True)`, with the shared
    strings read by `shared_strings`."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        package: Manifest

        def read_strings(self) -> None:
            found = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            if found is not None:
                with self.archive.open(found.PartName[1:]) as src:
                    self.shared_strings = shared_strings(src)

    reader = Reader(data, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def letters(column: int) -> str:
    """A spreadsheet's name for a column: 1 is A, 27 is AA."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


class SheetTable(Table):
    """A sheet's rows as cards (services/bringin/table.py), a row with a value beyond the
    header refused by its column, as a spreadsheet names it."""

    def __init__(self, db: Db, sheet: Sheet, mapping: dict[str, str]) -> None:
        self.sheet = sheet
        super().__init__(
            db,
            iter(sheet),
            mapping,
            shape=Shape("xlsx"),
            size=sheet.size,
            empty=_("{source}: the sheet {sheet} is empty").format(
                source=sheet.source, sheet=repr(sheet.name)
            ),
        )
        # Said on stderr as `read as ...`: which sheet, when there are several, and the title
        # rows skipped above the header (known once the header is read, above).
        said = []
        if len(sheet.names) > 1:
            which = (
                "--sheet"
                if sheet.chosen
                else _("the first of {count}").format(count=len(sheet.names))
            )
            said.append(_("the sheet {sheet} ({which})").format(sheet=sheet.name, which=which))
        if sheet.titles:
            rows = "; ".join(
                _("row {n}: {text}").format(n=n, text=text) for n, text in sheet.titles
            )
            said.append(_("below the title ({rows})").format(rows=rows))
        self.read_as = ", ".join(said) or None

    def cards(self, before: int) -> Iterator[Incoming | Refused]:
        for item in super().cards(before):
            if isinstance(item, Refused) and item.line in self.sheet.beyond:
                yield Refused(item.line, self.sheet.beyond[item.line], item.raw)
            else:
                yield item


def reader(
    db: Db, data: bytes, *, sheet: str | None, source: str, mapping: list[str] | None
) -> SheetTable:
    """The reader of a workbook's sheet (`sheet`, else the first)."""
    columns = parse_map(mapping or [])
    return SheetTable(db, Sheet(data, sheet, source), columns)
