"""How a report is written (docs/reports.md): for people, each section's chart and table at the
page's width (80 columns when piped or mailed); for scripts, JSON (every section, with its keys
as documented), CSV or TSV (one section: `--section`, default the report's first).

The values of a section are plain (services/views/reports.py); the kind of each column decides
how it reads: `people_value` for people (`1,234`, `37%`, `4.5`, `12,345.60`), `machine_value`
for scripts (money as a decimal string, shares and days as numbers rounded to 4 and 2 places,
None as null or an empty cell).
"""

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from clientcard.domain.money import format_amount, machine_amount
from clientcard.i18n import N_, _, language
from clientcard.output import Column, Format, _table_parts, _write_flat, emit, terminal, tr
from clientcard.output import machine_value as plain_machine_value
from clientcard.output.agenda import page_width
from clientcard.output.charts import bars, grouped, ranges, sparklines, stacked
from clientcard.output.safe import for_people
from clientcard.output.words import CAUSES, CODES, word

if TYPE_CHECKING:
    from rich.console import RenderableType

    from clientcard.domain.reports import Col, Report, Section

# A period's step (services/reports/period.Step) as a period line names it, for the catalog.
STEPS = (N_("week"), N_("month"))
NONE = "-"  # a value that does not exist (a median of nothing, a share of zero)
# A section's table for people shows at most this many rows (as listings do: cli/_common's
# TABLE_ROWS), then a line saying how many more; json, csv and tsv write every row.
PEOPLE_ROWS = 100

# Row labels that are codes (JSON, CSV and TSV keep them as they are), by column key, as people
# read them in Chinese: the reports' own words, beside output/words.CODES (which any other label
# column falls back to). English shows the code itself, as it always has.
LABELS: dict[str, dict[str, str]] = {
    # activity: follow-ups, and whether a channel is a visit
    "status": {
        "on time": N_("on time"),
        "late": N_("late"),
        "not recorded": N_("not recorded"),
        "still overdue": N_("still overdue"),
    },
    "face_to_face": {"yes": N_("yes"), "no": N_("no")},
    # promises: who moved, and how a promise was broken
    "move": {
        "mine, told in time": N_("mine, told in time"),
        "mine, short notice": N_("mine, short notice"),
        "the client's": N_("moved by the client"),
    },
    "outcome": {
        "missed": N_("Missed"),  # as the clients' table heads it
        "cancelled by me": N_("cancelled by me"),
        "cancelled by client": N_("cancelled by client"),
    },
    # complaints: the built-in causes and none given (output/words.py, as complaint pages)
    "cause": CAUSES,
    # customers: the repeat section's last row
    "bucket": {"total": N_("total")},
    # stale: why a card is listed, named as the summary's headers name it
    "reason": {
        "customer": N_("Customers silent"),
        "first-visit": N_("Never visited"),
        "cadence": N_("Past 2x cadence"),
    },
}
# Columns of people's own text (a name, a company), never read as a code.
OWN_TEXT = frozenset({"client", "name", "company", "phone"})


def people_value(col: "Col", value: Any) -> str:
    """A cell as people read it."""
    kind = col.kind.value
    if value is None:
        return NONE
    if kind == "integer":
        return f"{int(value):,}"
    if kind == "money":
        return format_amount(int(value))
    if kind == "share":
        return f"{value:.0%}" if value in (0, 1) or 0.01 <= value <= 0.99 else f"{value:.1%}"
    if kind == "days":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if kind == "number":
        return f"{value:,.2f}"
    if kind == "date":
        if language() == "zh":
            return f"{value.year}年{value.month}月{value.day}日"
        return str(value.isoformat())
    if kind == "id":
        return f"#{int(value)}"
    text = str(value)
    if language() == "zh" and col.key not in OWN_TEXT:  # a row's label that is a code
        label = LABELS.get(col.key, {}).get(text)
        if label is not None:
            return _(label)
        if text in CODES:  # `customers`, `high`
            return word(text)
    return for_people(text)


def machine_value(col: "Col", value: Any) -> Any:
    """A cell as JSON carries it (CSV and TSV write the same, flattened)."""
    if value is None:
        return None
    kind = col.kind.value
    if kind == "money":
        return machine_amount(int(value))
    if kind == "share":
        return round(float(value), 4)
    if kind in ("days", "number"):
        return round(float(value), 2)
    return plain_machine_value(value)


def section_rows(section: "Section") -> list[dict[str, Any]]:
    """The section's rows as JSON objects, key -> machine value."""
    columns = section.columns
    return [
        {col.key: machine_value(col, value) for col, value in zip(columns, row, strict=True)}
        for row in section.rows
    ]


def report_object(report: "Report") -> dict[str, Any]:
    """The report as one JSON object: its name, period, currency and each section's rows."""
    period = report.period
    return {
        "report": report.name,
        "since": period.since.isoformat() if period else None,
        "until": period.until.isoformat() if period else None,
        "by": period.by if period else None,
        "currency": report.currency,
        "sections": {section.name: section_rows(section) for section in report.sections},
    }


def write_machine(
    reports: Sequence["Report"],
    fmt: Format,
    *,
    section: str | None = None,
    raw: bool = False,
    stream: IO[str] | None = None,
) -> None:
    """JSON: one report's object (a list of them for several). CSV/TSV: one section of one
    report, its keys as the header."""
    from clientcard.output import write_json

    out = stream or sys.stdout
    if fmt is Format.json:
        objects = [report_object(r) for r in reports]
        write_json(objects[0] if len(objects) == 1 else objects, out)
        return
    terminal.machine()
    (report,) = reports
    chosen = report.section(section) if section else report.sections[0]
    _write_flat(section_rows(chosen), chosen.keys, fmt is Format.tsv, out, raw=raw)


def _ascii(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return not encoding.startswith("utf")


def chart_lines(section: "Section", width: int, *, ascii: bool = False) -> list[str]:
    """The section's chart as lines of text (none for a heat map: its table is the picture)."""
    chart = section.chart
    if chart is None or not section.rows or chart.kind.value == "heat":
        return []
    labels = [people_value(section.column(chart.label), v) for v in section.values(chart.label)]
    cols = [section.column(key) for key in chart.values]
    series = [section.values(key) for key in chart.values]
    kind = chart.kind.value
    if kind in ("bars", "funnel"):
        col, values = cols[0], series[0]
        texts = [people_value(col, v) for v in values]
        return bars(
            labels,
            [float(v or 0) for v in values],
            texts,
            width,
            centre=kind == "funnel",
            ascii=ascii,
            most=1.0 if col.kind.value == "share" else None,
        )
    if kind == "grouped":
        rows = [[float(v or 0) for v in row] for row in zip(*series, strict=True)]
        texts_by_row = [
            [people_value(c, v) for c, v in zip(cols, row, strict=True)]
            for row in zip(*series, strict=True)
        ]
        heads = [header_text(c) for c in cols]
        return grouped(labels, rows, texts_by_row, heads, width, ascii=ascii)
    if kind == "stacked":
        parts = [[float(v or 0) for v in row] for row in zip(*series, strict=True)]
        texts = [
            " + ".join(people_value(c, v) for c, v in zip(cols, row, strict=True))
            for row in zip(*series, strict=True)
        ]
        return stacked(labels, parts, texts, [header_text(c) for c in cols], width, ascii=ascii)
    if kind == "range":
        low_col, high_col = cols
        spans = [(float(lo or 0), float(hi or 0)) for lo, hi in zip(*series, strict=True)]
        texts = [
            _("{low} to {high}").format(
                low=people_value(low_col, lo), high=people_value(high_col, hi)
            )
            for lo, hi in zip(*series, strict=True)
        ]
        return ranges(labels, spans, texts, width, ascii=ascii)
    if kind == "spark":
        summaries = []
        for col, values in zip(cols, series, strict=True):
            present = [v for v in values if v is not None]
            if col.stock and present:
                summaries.append(
                    _("{low} to {high}").format(
                        low=people_value(col, present[0]), high=people_value(col, present[-1])
                    )
                )
            elif col.kind.value in ("integer", "money"):
                summaries.append(_("total {total}").format(total=people_value(col, sum(present))))
            elif present:
                summaries.append(
                    _("{low} to {high}").format(
                        low=people_value(col, min(present)), high=people_value(col, max(present))
                    )
                )
            else:
                summaries.append(NONE)
        first, last = labels[0], labels[-1]
        head = f"{first} .. {last}" if len(labels) > 1 else first
        return [
            head,
            *sparklines(
                [header_text(c) for c in cols],
                [[None if v is None else float(v) for v in s] for s in series],
                summaries,
                width,
                ascii=ascii,
            ),
        ]
    raise ValueError(f"unknown chart kind {kind}")


def header_text(col: "Col") -> str:
    """A column's header for people, translated: one made from a pattern (`to {grade}`, one
    column a grade: `to_A`) is filled in with the last part of its key."""
    header = tr(col.header)
    if "{grade}" in header:
        return header.format(grade=col.key.rsplit("_", 1)[-1])
    return header


def _header(col: "Col", currency: str) -> str:
    """A column's header for people, translated; an amount's says its currency (元 in
    Chinese for CNY)."""
    header = header_text(col)
    if col.kind.value != "money":
        return header
    if currency == "CNY":  # 元 in Chinese
        return _("{header} (CNY)").format(header=header)
    return _("{header} ({currency})").format(header=header, currency=currency)


def _columns(section: "Section", currency: str) -> list[Column]:
    return [
        Column(
            col.key,
            _header(col, currency),
            justify="left" if col.kind.value in ("text", "date") else "right",
            no_wrap=col.kind.value != "text",
            detail=col.kind.value == "text" and i > 0,
            spare=col.spare,
        )
        for i, col in enumerate(section.columns)
    ]


def period_line(report: "Report") -> str:
    period = report.period
    title = tr(report.title)
    if period is None:
        return title
    since, until = period.since.isoformat(), period.until.isoformat()
    if language() == "zh":
        since = f"{period.since.year}年{period.since.month}月{period.since.day}日"
        until = f"{period.until.year}年{period.until.month}月{period.until.day}日"
    if period.by:
        return _("{title} — {since} to {until} ({days} days, by {step})").format(
            title=title, since=since, until=until, days=period.days, step=tr(str(period.by))
        )
    return _("{title} — {since} to {until} ({days} days)").format(
        title=title, since=since, until=until, days=period.days
    )


def _table(rows: list[dict[str, str]], columns: list[Column], width: int) -> list["RenderableType"]:
    """A section's table at `width`: drawn as any table is (output/layout.py), saying which
    columns it had to leave out; or, narrower than its first columns, each row as labelled
    values (`A: Cards 1, Customers 1, ...`), so no number is ever shown without its name."""
    from rich.text import Text

    from clientcard.output.layout import Spec, fit, wrap_text

    specs = [Spec(tr(c.header), no_wrap=c.no_wrap, spare=c.spare, detail=c.detail) for c in columns]
    grid = fit(specs, [[row[c.key] for c in columns] for row in rows], width)
    if grid is not None:
        parts = _table_parts(rows, columns, width)
        shown = {columns[i].key for i in grid.columns}
        left = [tr(c.header) for c in columns if c.key not in shown and any(r[c.key] for r in rows)]
        if left:
            parts.append(
                Text(
                    _("Not shown at this width: {columns} (-f csv has every column).").format(
                        columns=", ".join(left)
                    ),
                    style="dim",
                )
            )
        return parts
    lines: list[RenderableType] = []
    for row in rows:
        first, *others = columns
        said = ", ".join(f"{tr(c.header)} {row[c.key]}" for c in others if row[c.key])
        for n, line in enumerate(wrap_text(f"{row[first.key]}: {said}", width - 2)):
            lines.append(Text(("" if n == 0 else "  ") + line))
    return lines


def people_parts(report: "Report", width: int, *, ascii: bool = False) -> list["RenderableType"]:
    """Every section of the report for people: title, chart, table, notes."""
    from rich.text import Text

    parts: list[RenderableType] = [Text(for_people(period_line(report)), style="bold")]
    for note in report.notes:
        parts.append(Text(for_people(tr(note)), style="dim"))
    for section in report.sections:
        parts.append(Text(""))
        parts.append(Text(for_people(tr(section.title)), style="bold"))
        if not section.rows:
            parts.append(Text(for_people(tr(section.empty))))
            continue
        parts.extend(Text(line) for line in chart_lines(section, width, ascii=ascii))
        rows = [
            {col.key: people_value(col, v) for col, v in zip(section.columns, row, strict=True)}
            for row in section.rows[:PEOPLE_ROWS]
        ]
        parts.extend(_table(rows, _columns(section, report.currency), width))
        more = len(section.rows) - PEOPLE_ROWS
        if more > 0:
            parts.append(
                Text(
                    _(
                        "The first {shown} rows; {more} more. "
                        "--format csv --section {section} writes them all."
                    ).format(shown=f"{PEOPLE_ROWS:,}", more=f"{more:,}", section=section.name)
                )
            )
        parts.extend(Text(for_people(tr(note)), style="dim") for note in section.notes)
    return parts


def write_people(reports: Sequence["Report"], stream: IO[str] | None = None) -> None:
    out = stream or sys.stdout
    width = page_width(out)
    ascii = _ascii(out)
    parts: list[RenderableType] = []
    for n, report in enumerate(reports):
        if n:
            from rich.text import Text

            parts.append(Text(""))
        parts.extend(people_parts(report, width, ascii=ascii))
    emit(*parts, width=width)
