"""The one place that knows output formats.

Every listing is a sequence of rows (mappings with the documented snake_case keys) rendered as:
- `table`: a Rich table for people. User text is passed as `rich.text.Text`, never as markup, so
  `[bold]` prints as typed, and through `safe.for_people`, so a control character is shown as an
  escape, never obeyed by the terminal. Piped output is not wrapped at 80 columns.
- `json`: an array of objects; times in ISO-8601 with the local offset; `ensure_ascii=False`,
  except for the characters a terminal would obey (C1 controls, bidi overrides), which are
  written `\\uNNNN` (`safe.json_escaped`): the same text once decoded.
  A listing is indented; a streamed export (`write_rows`) has one object per line.
- `csv`: RFC 4180 with a header row; lists joined by `,` inside one field.
- `tsv`: a header row, tab-separated; tab, newline, carriage return and backslash inside a value
  are written `\\t`, `\\n`, `\\r`, `\\\\`.
The machine formats are documented in docs/formats.md and are a stable interface; they carry the
exact stored text. Everything printed for people (tables, pages, `print_line`, error messages)
goes through `safe.for_people` (docs/formats.md, "Text for people").

Rich is imported only when a table is drawn, so `--help` and machine formats stay fast.
"""

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import Enum, StrEnum
from typing import IO, TYPE_CHECKING, Any

from clientcard.clock import local_tz
from clientcard.domain.formulas import neutral
from clientcard.domain.message import Message, shown
from clientcard.i18n import N_, _, language, pgettext
from clientcard.output import terminal
from clientcard.output.safe import for_people, json_escaped
from clientcard.output.words import word

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class AgendaFormat(StrEnum):
    """What `due` writes: a listing's formats, or iCalendar (output/ics.py)."""

    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    ics = "ics"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    """What `export` writes: the machine formats of a listing, vCard (output/vcard.py), an
    Excel workbook (output/xlsx.py), and the agenda as iCalendar (output/ics.py)."""

    json = "json"
    csv = "csv"
    tsv = "tsv"
    vcard = "vcard"
    xlsx = "xlsx"
    ics = "ics"  # the agenda, not the cards (output/ics.py)


class ExportWhat(StrEnum):
    """Which records `export --what` writes: the cards (all their own fields), or one kind of
    record with its card's id and name (services/export_records.py)."""

    cards = "cards"
    contacts = "contacts"
    promises = "promises"
    complaints = "complaints"
    sales = "sales"
    occasions = "occasions"
    people = "people"


class ImportFormat(StrEnum):
    """What `import` reads: a listing's CSV or TSV, vCard, or an Excel workbook."""

    csv = "csv"
    tsv = "tsv"
    vcard = "vcard"
    xlsx = "xlsx"


class OnDuplicateChoice(StrEnum):
    """What `import` does with a row that is a card already in the book."""

    skip = "skip"
    update = "update"
    add = "add"


class Column:
    """A column of a people's table: which row key, its header, how to align it, and how it
    gives way on a narrow terminal (output/layout.py): `no_wrap` (an id, a date, a grade: never
    broken), `detail` (the row's main free text, which spare columns fold into), `spare` (may
    fold into the detail column, or be left out, when the table would not fit), `narrow` (takes
    only its minimum width, leaving the room to the others); `style`, Rich's style for its
    cells on a colour terminal ("dim"); `context`, the gettext context of its header where one
    English word has two meanings (a setting's "Value", not a client's). A plain class: every
    command builds its tables' columns at start, and a dataclass is compiled at every start
    (docs/performance.md)."""

    __slots__ = (
        "context",
        "detail",
        "header",
        "justify",
        "key",
        "narrow",
        "no_wrap",
        "spare",
        "style",
    )

    def __init__(
        self,
        key: str,
        header: str,
        justify: str = "left",
        no_wrap: bool = False,
        *,
        spare: bool = False,
        detail: bool = False,
        style: str = "",
        narrow: bool = False,
        context: str | None = None,
    ) -> None:
        self.key = key
        self.context = context
        self.narrow = narrow
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        self.spare = spare
        self.detail = detail
        self.style = style

    def __repr__(self) -> str:
        return f"Column({self.key!r}, {self.header!r})"


Row = Mapping[str, Any]


def tr(text: str, context: str | None = None) -> str:
    """A text made at import (a header, a title, a label: marked `N_()` where it is written)
    in the interface's language, as meant in `context` when it has one; empty stays empty
    (gettext's "" is the catalog's header)."""
    if not text:
        return text
    return pgettext(context, text) if context else _(text)


# ---- values -------------------------------------------------------------------------------


_PLAIN = frozenset({str, int, bool, float, type(None)})


def _moment(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).isoformat(timespec="seconds")


def machine_value(value: Any) -> Any:
    """A value as JSON carries it."""
    if type(value) in _PLAIN:  # most values: no conversion (checked first, for exports)
        return value
    if isinstance(value, datetime):
        return _moment(value, local_tz())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {k: machine_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [machine_value(v) for v in value]
    return value


def flat_value(value: Any) -> str:
    """A value as one CSV/TSV field."""
    value = machine_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):  # a labelled phone or e-mail: `work:010 6552 1234`
        return ":".join(flat_value(v) for v in value.values() if v is not None and v != "")
    if isinstance(value, list):
        # Labelled phones and e-mails (`phones`, `emails`) are joined by `; `: no number,
        # address or label holds one, and `--phone` and an import's phone cell split there.
        joint = "; " if any(isinstance(v, Mapping) for v in value) else ","
        return joint.join(flat_value(v) for v in value)
    return str(value)


def human_value(value: Any) -> str:
    """A value as a person reads it in a table, in the interface's language: local time to the
    minute, lists with commas, a status or kind as words (output/words.py), a Message (a
    grade's meaning...) translated. In Chinese a date reads 2026年11月20日, yes and no 是 and 否."""
    if value is None:
        return ""
    if isinstance(value, Message):
        return value.shown()
    if isinstance(value, datetime):
        moment = value.astimezone(local_tz())
        if language() == "zh":
            return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        if language() == "zh":
            return f"{value.year}年{value.month}月{value.day}日"
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(human_value(v) for v in value)
    if isinstance(value, Enum):
        return word(value)
    return str(value)


def _tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# ---- writers -----------------------------------------------------------------------------


def console(stream: IO[str] | None = None) -> "Console":
    """A Rich console on stdout. Not a terminal: no colour codes and no wrapping at 80 columns.
    With NO_COLOR or TERM=dumb, no escape codes at all, bold included (output/terminal.py)."""
    from rich.console import Console

    stream = stream or sys.stdout
    is_tty = stream.isatty()
    return Console(
        file=stream,
        width=None if is_tty else 10_000,
        color_system=None if terminal.plain() or not is_tty else "auto",
        no_color=not is_tty,
        highlight=False,
        emoji=False,
        markup=False,
    )


def emit(*renderables: "RenderableType", width: int | None = None) -> None:
    """Print Rich renderables to stdout. On a terminal, as Rich lays them out; piped, at their
    natural width (never wrapped at 80 columns) unless a `width` is given, and without the
    padding Rich leaves at the ends of lines, so scripts and diffs see clean text."""
    stream = sys.stdout
    if stream.isatty():
        con = console(stream)
        for item in renderables:
            con.print(item)
        return
    con = console(io.StringIO())
    if width is not None:
        con.width = width
    with con.capture() as captured:
        for item in renderables:
            con.print(item)
    stream.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def text(value: Any, style: str = "") -> Any:
    """User text as a Rich renderable that is never read as markup, with its control characters
    shown as escapes (a line break stays one: Rich lays it out inside the cell)."""
    from rich.text import Text

    return Text(for_people(human_value(value), lines=True), style=style)


def write_json(data: Any, stream: IO[str] | None = None) -> None:
    terminal.machine()
    stream = stream or sys.stdout
    stream.write(json_escaped(json.dumps(machine_value(data), ensure_ascii=False, indent=2)))
    stream.write("\n")


def write_listing(
    rows: Sequence[Row],
    fields: Sequence[str],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    empty: str | None = None,
    footer: str | None = None,
    raw: bool = False,
) -> None:
    """Write a listing. `fields` are the machine keys in order; `columns` the table's subset.
    `raw`: csv and tsv cells exactly as stored, without the `'` of `neutral`."""
    out = sys.stdout
    if fmt is not Format.table:
        terminal.machine()
    if fmt is Format.json:
        write_json([{k: row.get(k) for k in fields} for row in rows], out)
    elif fmt in (Format.csv, Format.tsv):
        _write_flat(rows, fields, fmt == Format.tsv, out, raw=raw)
    else:
        write_table(rows, columns, title=title, empty=empty, footer=footer)


def _flat_values(row: Row, fields: Sequence[str]) -> list[str]:
    # flat_value, with text (most fields) passed through without a call.
    return [v if type(v) is str else flat_value(v) for v in map(row.get, fields)]


def _neutral_values(row: Row, fields: Sequence[str]) -> list[str]:
    # _flat_values through `neutral`, in one pass. Every trigger and `'` sorts below "A" and is
    # no digit, so a cell that begins with a letter, CJK or a digit, or is empty (most cells:
    # text, ids, times, yes/no) is passed by comparisons alone, without a slice or a call.
    return [
        c
        if (c := v if type(v) is str else flat_value(v)) >= "A" or not c or "0" <= c < ":"
        else neutral(c)
        for v in map(row.get, fields)
    ]


def _write_flat(
    rows: Iterable[Row], fields: Sequence[str], tsv: bool, out: IO[str], *, raw: bool = False
) -> int:
    """CSV or TSV: a header row, then each row as it comes, each cell through `neutral` unless
    `raw`. Returns the number of rows."""
    count = 0
    cells = _flat_values if raw else _neutral_values
    if not tsv:
        writer = csv.writer(out, lineterminator="\n")
        # The csv module quotes only the line terminator's characters, so a lone carriage
        # return inside a value would end the record: such a row is quoted in full.
        quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(fields)
        for row in rows:
            values = cells(row, fields)
            (quoted if any("\r" in v for v in values) else writer).writerow(values)
            count += 1
    else:
        out.write("\t".join(fields) + "\n")
        for row in rows:
            out.write("\t".join(map(_tsv_escape, cells(row, fields))) + "\n")
            count += 1
    return count


def write_rows(
    rows: Iterable[Row],
    fields: Sequence[str],
    fmt: ExportFormat,
    stream: IO[str] | None = None,
    *,
    raw: bool = False,
) -> int:
    """Write rows as they come, never holding them all (an export of the whole book), with
    the keys and values of a listing. JSON is one array with one object per line, not
    indented: `[`, the objects joined by `,` and a line break, `]` (`[]` when there are
    none). CSV and TSV are a listing's (`raw` as there). vCard is output/vcard.py's, from the
    rows' `birthday` and `anniversaries` too. Returns the number of rows written."""
    if fmt is ExportFormat.xlsx:  # binary: output/xlsx.py's write_workbook
        raise ValueError("write_rows writes text; write a workbook with output.xlsx")
    if fmt is ExportFormat.ics:  # the agenda: output/ics.py's write_calendar
        raise ValueError("write_rows writes rows; write the agenda with output.ics")
    out = stream or sys.stdout
    terminal.machine()
    if fmt is ExportFormat.vcard:  # cards, not a listing: `fields` are not its keys
        from clientcard.output.vcard import write_vcards

        return write_vcards(rows, out)
    if fmt is not ExportFormat.json:
        return _write_flat(rows, fields, fmt is ExportFormat.tsv, out, raw=raw)
    # JSON's own types (text, numbers, lists, and str-valued enums such as Grade) are written
    # by the C encoder; it hands only the others (moments, dates, money) to machine_value,
    # and moments, two or more in every row, straight to their conversion.
    zone = local_tz()

    def other(value: Any) -> Any:
        return _moment(value, zone) if type(value) is datetime else machine_value(value)

    encode = json.JSONEncoder(ensure_ascii=False, default=other).encode
    count = 0
    for row in rows:
        out.write(
            ("[\n" if count == 0 else ",\n")
            + json_escaped(encode(dict(zip(fields, map(row.get, fields), strict=True))))
        )
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def table_width(stream: IO[str] | None = None) -> int | None:
    """The width a table for people is laid out at: COLUMNS when set (as Rich reads it), else
    the terminal's; None when output is piped without COLUMNS (the table's natural width, for
    scripts and diffs)."""
    stream = stream or sys.stdout
    columns = columns_set()
    if columns is not None:
        return columns
    if stream.isatty():
        import os

        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            return None
    return None


def _cells_of(rows: Sequence[Row], columns: Sequence[Column]) -> list[list[str]]:
    return [
        [for_people(human_value(row.get(col.key)), lines=True) for col in columns] for row in rows
    ]


def _table_parts(
    rows: Sequence[Row], columns: Sequence[Column], width: int | None, *, header: bool = True
) -> list["RenderableType"]:
    """The table laid out at `width` (output/layout.py): a Rich table, or records as lines."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from clientcard.output.layout import Spec, fit, records

    # A header is a constant made at import (marked N_() where it is written): shown translated.
    specs = [
        Spec(
            tr(c.header, c.context),
            no_wrap=c.no_wrap,
            spare=c.spare,
            detail=c.detail,
            narrow=c.narrow,
        )
        for c in columns
    ]
    cells_ = _cells_of(rows, columns)
    grid = fit(specs, cells_, width)
    if grid is None:
        return [Text(line) for line in records(specs, cells_, width or 80)]
    table = Table(
        box=box.SIMPLE_HEAD if header else None,
        show_edge=False,
        show_header=header,
        pad_edge=False,
        collapse_padding=header,  # two cells between columns: with a rule's divider, or without
        padding=(0, 1),
    )
    for i, w, head in zip(grid.columns, grid.widths, grid.headers, strict=True):
        table.add_column(
            Text(head),
            justify=columns[i].justify,  # type: ignore[arg-type]
            width=w,
            no_wrap=True,  # the cells come wrapped to the width (output/layout.py)
            style=columns[i].style or None,
        )
    for row in grid.rows:
        table.add_row(*(Text(value) for value in row))
    return [table]


def _lines(value: str | None, width: int | None, style: str = "") -> list["RenderableType"]:
    """A title or a footer, wrapped at `width` by our rules (CJK, spaces)."""
    if not value:
        return []
    from rich.text import Text

    from clientcard.output.layout import wrap_text

    return [Text(line, style=style) for line in wrap_text(for_people(shown(value)), width)]


def write_table(
    rows: Sequence[Row],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str | None = None,
    footer: str | None = None,
) -> None:
    width = table_width()
    if not rows:
        if empty:  # one line, unwrapped: it often ends in a command to copy
            print_line(empty)
        return
    # The title is a line of its own: a Rich table title wraps to the table's width, so a long
    # client name would break in the middle.
    emit(
        *_lines(title, width, style="bold"),
        *_table_parts(rows, columns, width),
        *_lines(footer, width),
        width=width,
    )


def print_line(message: str) -> None:
    """One line of plain text for people (user text inside it is never read as markup, and its
    control characters, a newline included, are shown as escapes: a value cannot add a line)."""
    sys.stdout.write(for_people(shown(message)) + "\n")


def print_note(message: str) -> None:
    """A note for people on stderr (`clientcard: read as GB18030 (detected)`): how the command
    read its input, kept off stdout so that a script's reading of stdout does not change."""
    sys.stderr.write("clientcard: " + for_people(shown(message)) + "\n")


def print_warning(message: str) -> None:
    """A warning for people on stderr (`clientcard: warning: ...`), made safe like every line:
    the command went ahead, but something deserves a look (a name already in the book)."""
    sys.stderr.write(_("clientcard: warning: ") + for_people(shown(message)) + "\n")


class Section:
    """A titled table inside a page (e.g. a card's grade history)."""

    __slots__ = ("columns", "empty", "rows", "title")

    def __init__(
        self, title: str, rows: Sequence[Row], columns: Sequence[Column], empty: str = N_("none")
    ) -> None:
        self.title = title
        self.rows = rows
        self.columns = columns
        self.empty = empty


def columns_set() -> int | None:
    """The width COLUMNS asks for (as Rich reads it on a terminal), None when it is not set."""
    import os

    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def write_page(
    title: str,
    fields: Sequence[tuple[str, Any]],
    sections: Sequence[Section],
) -> None:
    """A record for people: a title, label/value lines (empty values left out), then sections,
    each a table laid out as `write_table`'s (output/layout.py), at `table_width()`."""
    width = table_width()
    labels = [Column("label", "", no_wrap=True, style="dim"), Column("value", "", detail=True)]
    filled = [{"label": tr(k), "value": v} for k, v in fields if v not in (None, "", [])]
    parts: list[RenderableType] = [*_lines(title, width, style="bold")]
    parts += _table_parts(filled, labels, width, header=False)
    for section in sections:
        parts += [text(""), *_lines(tr(section.title), width, style="bold")]
        if not section.rows:
            parts.append(text("  " + tr(section.empty)))
            continue
        parts += _table_parts(section.rows, section.columns, width)
    emit(*parts, width=width)
