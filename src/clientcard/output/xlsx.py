"""`export --format xlsx`: the cards as an Excel workbook, one sheet `cards`, for a person who
works in a spreadsheet.

- A header row with the listing's keys (the columns `import` reads back), in bold and frozen,
  so it stays in view when scrolling; each column a sensible width for its content.
- Numbers as numbers (ids, the referrer's id, days in grade), moments as real Excel dates in
  the local time zone (`yyyy-mm-dd hh:mm`, Excel has no zones), yes/no as TRUE/FALSE.
- Every text as text, never a formula: `=1+1` typed in a note stays `=1+1` (openpyxl would
  otherwise write it as a formula), and a phone stays `13800138000`, not 1.38E+10. Tags are
  joined by `,`, labelled phones and e-mails by `; `, as in CSV.
- Characters XML cannot carry as they are (a carriage return, other control characters than
  tab and line feed) are written as Excel writes them, `_x000D_`, and a `_` that would read as
  such an escape as `_x005F_` (services/bringin/xlsx.py reads them back): the text survives.

openpyxl's write-only mode streams: each row goes to a temporary file as it comes, and the
workbook is zipped at the end, so memory stays flat whatever the size of the book. openpyxl is
imported only here, inside the function.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, Any

from clientcard.clock import local_tz
from clientcard.output import flat_value

SHEET = "cards"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
# Widths in Excel's units (the width of a digit); a CJK character takes about two.
WIDTHS = {
    "id": 7,
    "name": 16,
    "company": 24,
    "title": 16,
    "phone": 18,
    "email": 28,
    "address": 32,
    "source": 12,
    "referred_by": 12,
    "tags": 18,
    "notes": 40,
    "grade": 7,
    "owner": 10,
    "created_at": 17,
    "updated_at": 17,
    "archived": 10,
    "customer": 10,
    "f_kind": 8,
    "grade_since": 17,
    "days_in_grade": 14,
    "phones": 34,
    "emails": 40,
}
DEFAULT_WIDTH = 16
_NATIVE = frozenset({type(None), int, bool})  # written as they are: empty, numbers, TRUE/FALSE
# What Excel escapes as _xHHHH_: control characters but tab and line feed (a carriage return
# would come back as a line feed, the others openpyxl refuses), and a `_` that starts what
# would read as an escape.
_ESCAPED = re.compile(r"[\000-\010\013-\037]|_(?=x[0-9A-Fa-f]{4}_)")


def _text(value: str) -> str:
    if not _ESCAPED.search(value):
        return value
    return _ESCAPED.sub(lambda m: f"_x{ord(m[0]):04X}_", value)


def write_workbook(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], out: IO[bytes]) -> int:
    """Write the rows as a workbook to `out` (a binary file or pipe); returns how many."""
    import openpyxl  # only `export --format xlsx` writes workbooks
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(fields, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, DEFAULT_WIDTH)
    bold = Font(bold=True)
    header = []
    for name in fields:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    zone = local_tz()

    def moment(value: datetime) -> Any:
        cell = WriteOnlyCell(sheet, value=value.astimezone(zone).replace(tzinfo=None))
        cell.number_format = MOMENT_FORMAT
        return cell

    def text(value: str) -> Any:
        cell = WriteOnlyCell(sheet, value=_text(value))
        cell.data_type = "s"  # never a formula, whatever it starts with
        return cell

    count = 0
    for row in rows:
        cells: list[Any] = []
        for value in map(row.get, fields):
            kind: type = type(value)
            if kind in _NATIVE:
                cells.append(value)
            elif kind is str:
                cells.append(text(value) if value else None)
            elif isinstance(value, datetime):
                cells.append(moment(value))
            else:
                flat = flat_value(value)
                cells.append(text(flat) if flat else None)
        sheet.append(cells)
        count += 1
    book.save(out)
    return count


def write_sheet(rows: Iterable[list[str]], out: IO[bytes], *, title: str) -> None:
    """Rows of text (the first a header, frozen and in bold) as a workbook of one sheet: an
    import's refused rows (`--rejects`), read back as they were."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for number, values in enumerate(rows):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_text(value) if value else None)
            if value:
                cell.data_type = "s"
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    book.save(out)
