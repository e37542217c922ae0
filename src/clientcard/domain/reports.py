"""The shape of a report (`clientcard report ...`, docs/reports.md): named sections of rows.

Plain values, like the views of services/views/, but here in the domain because two layers
read them that may not import each other: the services that build a report and the output that
writes it (tests/test_layers.py).

A report is made of sections, each a small table with documented keys: the funnel's `grades`,
the movement's `matrix` and `forecast`... Every report renders the same way, which is why they
share one shape instead of a view class each: `output/reports.py` writes any section as a
table with its chart for people, as JSON (every section), or as CSV/TSV (one section, with its
keys as the header); `output/report_html.py` writes the same sections as one HTML page with
inline SVG charts.

The values in rows are plain: text, whole numbers, floats (shares 0-1, medians), dates, None
(no value: a median of nothing), and money as integer minor units in a column of kind `money`
(written as a decimal string for machines, with the currency for people: docs/formats.md).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a column holds, which decides how it is written (output/reports.py)."""

    text = "text"  # a label or name: user text, escaped for people
    integer = "integer"  # a whole number: a count
    money = "money"  # integer minor units; a decimal string for machines
    share = "share"  # a fraction 0-1 (None when there is nothing to divide); "37%" for people
    days = "days"  # a number of days, maybe fractional (a median); "4.5 d" for people
    number = "number"  # any other number (a rating's mean, a ratio), 2 decimals for people
    date = "date"  # a calendar date
    id = "id"  # a card's id: `#12` for people


class ChartKind(StrEnum):
    """How a section is drawn for people (output/charts.py in a terminal, SVG in HTML)."""

    bars = "bars"  # one horizontal bar per row: `label` and the first of `values`
    funnel = "funnel"  # bars centred, widest at the bottom of the ladder
    stacked = "stacked"  # one bar per row, split between the `values` (visits vs remote)
    spark = "spark"  # a time series: one sparkline per column of `values`, rows in time order
    range = "range"  # a low..high bar per row: `values` are (low, high)
    heat = "heat"  # a matrix: `label` names each row, `values` are its cells
    grouped = "grouped"  # one bar per column of `values` side by side in each row, own scale


@dataclass(frozen=True)
class Col:
    key: str  # the machine key (JSON, CSV header)
    header: str  # for people
    kind: Kind = Kind.integer
    # A column people can do without on a narrow terminal: folded or left out of the table
    # (output/layout.py) before the table turns into records. JSON, CSV and TSV always have it.
    spare: bool = False
    # A level, not a flow (customers active at a bucket's end): a time series of it is summed
    # by nobody; people read where it started and ended.
    stock: bool = False


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    label: str  # the key naming each bar (or each point of a sparkline: a week, a month)
    values: tuple[str, ...]  # the key(s) drawn
    title: str | None = None  # the chart's own title when it is not the section's


@dataclass(frozen=True)
class Section:
    """One table of a report: a machine name (`--section`, the JSON key), a title, its columns
    and rows (tuples in column order), the chart drawn for people, and notes: the definitions
    and limits a reader needs next to the numbers."""

    name: str
    title: str
    columns: tuple[Col, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: Chart | None = None
    notes: tuple[str, ...] = ()
    empty: str = "Nothing in this period."

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"section {self.name}: a row of {len(row)} values, not {width}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Col:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def records(self) -> list[dict[str, Any]]:
        """The rows as mappings, key -> value (as stored: money in minor units)."""
        keys = self.keys
        return [dict(zip(keys, row, strict=True)) for row in self.rows]

    def values(self, key: str) -> list[Any]:
        index = self.keys.index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Period:
    """The days a report covers, in the user's zone: `since` to `until`, both included, and the
    step of its time axis (`week` or `month`), for reports that have one."""

    since: date
    until: date
    by: str | None = None

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


@dataclass(frozen=True)
class Report:
    name: str  # funnel, movement...: the command's name, the JSON `report`
    title: str
    period: Period | None  # None for a report of the book as it is now (the funnel)
    currency: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)


def share(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide (shown as "-", JSON null)."""
    return part / whole if whole else None


def rows_of(items: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(item) for item in items)
