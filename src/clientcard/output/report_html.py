"""`report all --html FILE`: every report on one self-contained HTML page (docs/reports.md).

One file a manager opens or a weekly mail carries: no JavaScript, nothing fetched (no fonts,
stylesheets, images or links outside the page; a Content-Security-Policy says so to the
browser too), every user text escaped, and printable on A4. Each section is a `<figure>`: its
chart as inline SVG drawn by pygal, with `role="img"`, a `<title>` and a `<desc>` that says its
numbers in words for a screen reader, and a `<figcaption>`; then the section's table of numbers
and its notes, as in the terminal.

The chart kinds of domain/reports.py map to pygal's charts: `bars` to a horizontal bar chart,
`funnel` to pygal's funnel, `stacked` to horizontal stacked bars, `spark` to a line chart (one
per kind of value: counts and money never share an axis), `range` to stacked bars whose first
part is invisible (low .. high), and `heat` to an HTML table whose cells are shaded by value
(its numbers are the picture).

pygal is imported here only, inside the functions that draw (`--help` and every other command
never load it: tests/test_startup.py). pygal always writes a `<script>` block (its tooltips'
configuration) and comments with its web address: they are taken out of the SVG tree before it
is written, with any other script, event handler or outside reference.
"""

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from clientcard.i18n import _, language
from clientcard.output import tr
from clientcard.output.reports import NONE, PEOPLE_ROWS, header_text, people_value, period_line
from clientcard.output.reports import _header as terminal_header

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from clientcard.domain.reports import Col, Report, Section

LANG = "en"  # the page's language when the interface's is English; `lang()` says which


def lang() -> str:
    """The page's `<html lang>`: zh-CN when the interface is in Chinese, else en."""
    return "zh-CN" if language() == "zh" else LANG


WIDTH = 800  # the SVG's own units; the page scales it to its width (viewBox)
ROW_HEIGHT = 26  # per bar
COLOURS = ("#2f6f9f", "#e08a2c", "#4b9a5a", "#b8434b", "#7a5ea8", "#8c6d4f", "#c964a8", "#6f7f8f")
FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, '
    '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
)
WIDE_TABLE = 7  # a table of more columns is set smaller to fit an A4 page
DESC_ROWS = 60  # rows a chart's description reads out; the table beside it has them all

CSS = f"""
@page {{ size: A4; margin: 14mm 12mm 16mm; }}
* {{ box-sizing: border-box; }}
html {{ color: #1a1a1a; background: #fff; }}
body {{ font-family: {FONTS}; font-size: 11pt; line-height: 1.35; max-width: 186mm;
  margin: 0 auto; padding: 1.5em 1em; }}
h1 {{ font-size: 17pt; margin: 0 0 .2em; }}
h2 {{ font-size: 14pt; margin: 1.6em 0 .3em; border-bottom: 2px solid #2f6f9f; }}
h3 {{ font-size: 12pt; margin: 1.2em 0 .3em; }}
h1, h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
p {{ margin: .25em 0; }}
.meta, .note {{ color: #555; font-size: 9.5pt; }}
nav ol {{ columns: 2; margin: .5em 0; }}
a {{ color: inherit; }}
figure {{ margin: .4em 0 .6em; break-inside: avoid; page-break-inside: avoid; }}
figure svg {{ display: block; width: 100%; height: auto; max-height: 150mm; }}
figcaption {{ font-size: 9.5pt; color: #444; margin-top: .2em; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt;
  font-variant-numeric: tabular-nums; margin: .3em 0; }}
th, td {{ padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: left;
  vertical-align: top; }}
th {{ border-bottom: 1px solid #888; }}
tbody th {{ border-bottom: 1px solid #ddd; font-weight: 600; white-space: nowrap; }}
.num {{ text-align: right; white-space: nowrap; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
table.heat td.num {{ min-width: 3.5em; }}
table.wide {{ font-size: 7.5pt; }}
table.wide th, table.wide td {{ padding: 2px 3px; }}
thead th {{ white-space: normal; }}
.date {{ white-space: nowrap; }}
.empty {{ font-style: italic; color: #555; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  nav {{ display: none; }}
  .report + .report {{ break-before: page; page-break-before: always; }}
  h2 {{ margin-top: 0; }}
}}
"""

# What the page may load: nothing but its own styles and inline SVG (no scripts at all).
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def page(reports: Sequence["Report"], *, now: datetime | None = None) -> str:
    """The whole page, as text."""
    title = page_title(reports)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang()}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="clientcard">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
    ]
    if reports:
        parts.append(
            '<p class="meta">'
            + escape(_("Amounts in {currency}.").format(currency=reports[0].currency))
        )
        if now is not None:
            made = now.strftime("%Y-%m-%d %H:%M %Z").strip()
            parts.append(" " + escape(_("Made {moment}.").format(moment=made)))
        parts.append("</p>")
    parts.append("</header>")
    if len(reports) > 1:
        parts.append(f'<nav aria-label="{escape(_("Reports"))}"><ol>')
        for report in reports:
            parts.append(f'<li><a href="#{_id(report.name)}">{escape(tr(report.title))}</a></li>')
        parts.append("</ol></nav>")
    parts.append("<main>")
    for report in reports:
        parts.extend(report_html(report))
    parts.append("</main>")
    parts.append("</body>")
    parts.append("</html>")
    return "\n".join(parts) + "\n"


def page_title(reports: Sequence["Report"]) -> str:
    """`Clientcard reports, 2026-08-23 to 2026-11-20` (the period every report shares)."""
    period = next((r.period for r in reports if r.period is not None), None)
    if period is None:
        return _("Clientcard reports")
    return _("Clientcard reports, {since} to {until}").format(
        since=period.since.isoformat(), until=period.until.isoformat()
    )


def report_html(report: "Report") -> list[str]:
    parts = [
        f'<section class="report" id="{_id(report.name)}" aria-labelledby="{_id(report.name)}-h">',
        f'<h2 id="{_id(report.name)}-h">{escape(period_line(report))}</h2>',
    ]
    parts.extend(f'<p class="note">{escape(tr(note))}</p>' for note in report.notes)
    for section in report.sections:
        parts.extend(section_html(report, section))
    parts.append("</section>")
    return parts


def section_html(report: "Report", section: "Section") -> list[str]:
    anchor = _id(f"{report.name}-{section.name}")
    parts = [f'<section class="section" id="{anchor}">', f"<h3>{escape(tr(section.title))}</h3>"]
    if not section.rows:
        parts.append(f'<p class="empty">{escape(tr(section.empty))}</p>')
    else:
        chart = section.chart
        if chart is not None and chart.kind.value == "heat":
            parts.append(heat_figure(report, section, anchor))
        else:
            if chart is not None:
                parts.append(figure(report, section, anchor))
            more = len(section.rows) - PEOPLE_ROWS
            if more > 0:
                # As in a terminal: a page for people is not a list of 30,000 stale cards
                # (6 MB, and 8 s to write); a script takes them all from csv.
                from dataclasses import replace

                parts.append(table_html(report, replace(section, rows=section.rows[:PEOPLE_ROWS])))
                command = (
                    f"<code>clientcard report {escape(report.name)} --format csv --section "
                    f"{escape(section.name)}</code>"
                )
                said = _("The first {shown} rows; {more} more: {command} writes them all.")
                parts.append(
                    '<p class="more">'
                    + escape(said).format(
                        shown=f"{PEOPLE_ROWS:,}", more=f"{more:,}", command=command
                    )
                    + "</p>"
                )
            else:
                parts.append(table_html(report, section))
    parts.extend(f'<p class="note">{escape(tr(note))}</p>' for note in section.notes)
    parts.append("</section>")
    return parts


# ---- tables ----------------------------------------------------------------------------------


def _header(col: "Col", currency: str) -> str:
    return terminal_header(col, currency)


def _numeric(col: "Col") -> bool:
    return col.kind.value not in ("text", "date")


def table_html(report: "Report", section: "Section", *, caption: str | None = None) -> str:
    cols = section.columns
    head = "".join(
        f'<th scope="col"{" class=num" if _numeric(c) else ""}>'
        f"{escape(_header(c, report.currency))}</th>"
        for c in cols
    )
    body = []
    for row in section.rows:
        cells = []
        for i, (col, value) in enumerate(zip(cols, row, strict=True)):
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cls = " class=num" if _numeric(col) else ""
            if col.kind.value == "date":
                cls = " class=date"
            cells.append(f"<{tag}{scope}{cls}>{escape(people_value(col, value))}</{tag}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    # Many columns: smaller type, so the table fits the page's width (A4) instead of running
    # past it.
    wide = ' class="wide"' if len(cols) > WIDE_TABLE else ""
    return f"<table{wide}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def heat_figure(report: "Report", section: "Section", anchor: str) -> str:
    """A matrix as a table whose cells of `values` are shaded from white (0) to full colour
    (the largest cell): the numbers stay text, for readers and screen readers alike."""
    chart = section.chart
    assert chart is not None
    shaded = set(chart.values)
    numbers = [
        abs(float(v))
        for key in shaded
        for v in section.values(key)
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    top = max(numbers, default=0.0) or 1.0
    cols = section.columns
    head = "".join(
        f'<th scope="col"{" class=num" if _numeric(c) else ""}>'
        f"{escape(_header(c, report.currency))}</th>"
        for c in cols
    )
    body = []
    for row in section.rows:
        cells = []
        for i, (col, value) in enumerate(zip(cols, row, strict=True)):
            text = escape(people_value(col, value))
            if i == 0:
                cells.append(f'<th scope="row">{text}</th>')
                continue
            cls = " class=num" if _numeric(col) else ""
            style = ""
            if col.key in shaded and isinstance(value, int | float) and value:
                alpha = min(1.0, abs(float(value)) / top)
                ink = "#fff" if alpha > 0.55 else "#1a1a1a"
                style = f' style="background:rgba(47,111,159,{alpha:.2f});color:{ink}"'
            cells.append(f"<td{cls}{style}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    title = tr(chart.title or section.title)
    caption = escape(_("{title}: darker cells hold more.").format(title=title))
    return (
        f'<figure id="{anchor}-chart"><table class="heat"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        f"<figcaption>{caption}</figcaption></figure>"
    )


# ---- charts ----------------------------------------------------------------------------------


def figure(report: "Report", section: "Section", anchor: str) -> str:
    chart = section.chart
    assert chart is not None
    title = tr(chart.title or section.title)
    svgs = [
        _svg(tree, f"{anchor}-{n}", label, describe(report, section, keys))
        for n, (tree, keys, label) in enumerate(charts(report, section))
    ]
    caption = _("{title}. {caption}").format(title=title, caption=caption_of(section))
    return (
        f'<figure id="{anchor}-chart">{"".join(svgs)}'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def caption_of(section: "Section") -> str:
    chart = section.chart
    assert chart is not None
    heads = [header_text(section.column(k)) for k in chart.values]
    by = header_text(section.column(chart.label)).lower()
    if chart.kind.value == "range":
        return _("{low} to {high} for each {by}; the table below has the numbers.").format(
            low=heads[0], high=heads[1], by=by
        )
    return _("{values} by {by}; the table below has the numbers.").format(
        values=", ".join(heads), by=by
    )


def describe(report: "Report", section: "Section", keys: Sequence[str]) -> str:
    """The chart's numbers in words, for a screen reader: `A: 3,000 cards; B: 7,000 cards`."""
    chart = section.chart
    assert chart is not None
    label_col = section.column(chart.label)
    cols = [section.column(k) for k in keys]
    said = []
    for row in section.records()[:DESC_ROWS]:
        values = ", ".join(
            f"{header_text(c)} {people_value(c, row[c.key])}" + _unit(c, report.currency)
            for c in cols
        )
        said.append(f"{people_value(label_col, row[chart.label])}: {values}")
    more = len(section.rows) - DESC_ROWS
    if more > 0:
        said.append(_("and {more} more rows in the table").format(more=more))
    return "; ".join(said) + "."


def _unit(col: "Col", currency: str) -> str:
    return f" {currency}" if col.kind.value == "money" else ""


def charts(report: "Report", section: "Section") -> list[tuple["Element", tuple[str, ...], str]]:
    """The section's chart as pygal SVG trees: (tree, the keys it draws, its accessible name).
    One tree, but for a time series whose columns are of different kinds (one per kind)."""
    chart = section.chart
    assert chart is not None
    kind = chart.kind.value
    title = chart.title or section.title
    if kind == "spark":
        groups: dict[str, list[str]] = {}
        for key in chart.values:
            groups.setdefault(section.column(key).kind.value, []).append(key)
        found = []
        for keys in groups.values():
            heads = ", ".join(header_text(section.column(k)) for k in keys)
            name = title if len(groups) == 1 or heads == title else f"{title}: {heads}"
            found.append((_line(report, section, tuple(keys)), tuple(keys), name))
        return found
    draw = {
        "bars": _bars,
        "grouped": _grouped,
        # pygal's own funnel joins each step to the next, so a step of 0 between two others
        # draws a bow-tie: the ladder reads better as bars, top step first, as in a terminal.
        "funnel": _bars,
        "stacked": _stacked,
        "range": _range,
    }.get(kind)
    if draw is None:
        raise ValueError(f"unknown chart kind {kind}")
    return [(draw(report, section), chart.values, title)]


def _style() -> Any:
    from pygal.style import Style

    return Style(
        font_family=FONTS,
        background="transparent",
        plot_background="transparent",
        foreground="#1a1a1a",
        foreground_strong="#1a1a1a",
        foreground_subtle="#bbbbbb",
        colors=COLOURS,
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=13,
        legend_font_size=13,
        tooltip_font_size=13,
        title_font_size=15,
        no_data_font_size=15,
    )


def _config(rows: int, **extra: Any) -> dict[str, Any]:
    """pygal's options for a chart of `rows` bars. (In pygal's horizontal charts the value
    axis is the x axis: a few major labels only, or amounts overlap.)"""
    return {
        "js": [],
        "style": _style(),
        "width": WIDTH,
        "height": extra.pop("height", max(150, 70 + ROW_HEIGHT * rows)),
        "disable_xml_declaration": True,
        "show_legend": False,
        "print_values": True,
        "tooltip_fancy_mode": False,
        "margin": 8,
        "truncate_label": -1,
        "truncate_legend": -1,
        "x_labels_major_count": 6,
        "show_minor_x_labels": False,
        **extra,
    }


def _labels(section: "Section") -> list[str]:
    chart = section.chart
    assert chart is not None
    col = section.column(chart.label)
    return [people_value(col, v) for v in section.values(chart.label)]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _formatter(col: "Col") -> Callable[[Any], str]:
    def say(value: Any) -> str:
        if value is None:
            return NONE
        if col.kind.value in ("integer", "money"):
            value = round(value)
        return people_value(col, value)

    return say


def _scale(cols: Sequence["Col"], series: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The value axis: a share from 0 to 100% whatever the largest bar (a keep-rate of 50%
    is half a bar); whole numbers for counts, so a small count gets ticks 0, 1, 2, never
    0.5; pygal's own steps otherwise."""
    kinds = {c.kind.value for c in cols}
    if kinds == {"share"}:
        return {"range": (0, 1), "y_labels": [0, 0.25, 0.5, 0.75, 1]}
    if kinds <= {"integer"}:
        most = max((float(v) for values in series for v in values if v is not None), default=0)
        step = max(1, math.ceil(most / 5))
        return {"y_labels": list(range(0, int(most) + step + 1, step))}
    return {}


def _bars(report: "Report", section: "Section") -> "Element":
    import pygal

    chart = section.chart
    assert chart is not None
    col = section.column(chart.values[0])
    say = _formatter(col)
    drawn = pygal.HorizontalBar(
        **_config(
            len(section.rows),
            formatter=say,
            value_formatter=say,
            **_scale([col], [section.values(col.key)]),
        )
    )
    drawn.x_labels = _labels(section)[::-1]  # pygal draws the first bar at the bottom
    drawn.add(header_text(col), [_number(v) for v in section.values(col.key)][::-1])
    return _tree(drawn)


def _stacked(report: "Report", section: "Section") -> "Element":
    import pygal

    chart = section.chart
    assert chart is not None
    cols = [section.column(k) for k in chart.values]
    series = [section.values(c.key) for c in cols]
    say = _formatter(cols[0])
    drawn = pygal.HorizontalStackedBar(
        **_config(
            len(section.rows),
            height=max(170, 100 + ROW_HEIGHT * len(section.rows)),
            formatter=say,
            value_formatter=say,
            show_legend=True,
            legend_at_bottom=True,
            legend_at_bottom_columns=min(len(cols), 4),
            **_scale(
                cols,
                [[sum(float(v or 0) for v in row) for row in zip(*series, strict=True)]],
            ),
        )
    )
    drawn.x_labels = _labels(section)[::-1]  # pygal draws the first bar at the bottom
    for col in cols:
        drawn.add(
            header_text(col),
            [{"value": _number(v), "formatter": _formatter(col)} for v in section.values(col.key)][
                ::-1
            ],
        )
    return _tree(drawn)


def _grouped(report: "Report", section: "Section") -> "Element":
    """The values of each row side by side (pygal's bars, one series per column)."""
    import pygal

    chart = section.chart
    assert chart is not None
    cols = [section.column(k) for k in chart.values]
    series = [section.values(c.key) for c in cols]
    say = _formatter(cols[0])
    drawn = pygal.HorizontalBar(
        **_config(
            len(section.rows) * len(cols),
            formatter=say,
            value_formatter=say,
            show_legend=True,
            legend_at_bottom=True,
            legend_at_bottom_columns=min(len(cols), 4),
            **_scale(cols, series),
        )
    )
    drawn.x_labels = _labels(section)[::-1]  # pygal draws the first bar at the bottom
    for col, values in zip(cols, series, strict=True):
        drawn.add(header_text(col), [_number(v) for v in values][::-1])
    return _tree(drawn)


def _range(report: "Report", section: "Section") -> "Element":
    """low .. high: stacked bars whose first part (0 .. low) is not drawn."""
    import pygal
    from pygal.style import Style

    chart = section.chart
    assert chart is not None
    low_col, high_col = (section.column(k) for k in chart.values)
    say = _formatter(high_col)
    style = _style()
    style = Style(**{**style.to_dict(), "colors": ("transparent", COLOURS[0])})
    drawn = pygal.HorizontalStackedBar(
        **_config(
            len(section.rows),
            style=style,
            formatter=say,
            value_formatter=say,
            # Printed, "low to high" sat on the steps' names: the axis is in the currency,
            # and the table below gives each range in figures.
            print_values=False,
            x_title=_("{low} to {high}").format(
                low=header_text(low_col), high=header_text(high_col)
            )
            + (f" ({report.currency})" if high_col.kind.value == "money" else ""),
        )
    )
    drawn.x_labels = _labels(section)[::-1]  # pygal draws the first bar at the bottom
    lows = [_number(v) or 0.0 for v in section.values(low_col.key)][::-1]
    highs = [_number(v) or 0.0 for v in section.values(high_col.key)][::-1]
    drawn.add(header_text(low_col), [{"value": lo, "formatter": lambda _value: ""} for lo in lows])
    drawn.add(
        header_text(high_col),
        [
            {
                "value": max(hi - lo, 0.0),
                "formatter": (
                    lambda _value, lo=lo, hi=hi: _("{low} to {high}").format(
                        low=say(lo), high=say(hi)
                    )
                ),
            }
            for lo, hi in zip(lows, highs, strict=True)
        ],
    )
    return _tree(drawn)


def _line(report: "Report", section: "Section", keys: tuple[str, ...]) -> "Element":
    import pygal

    cols = [section.column(k) for k in keys]
    say = _formatter(cols[0])
    labels = _labels(section)
    every = max(1, math.ceil(len(labels) / 12))
    drawn = pygal.Line(
        **_config(
            0,
            height=300,
            formatter=say,
            value_formatter=say,
            print_values=len(labels) <= 16,
            show_legend=len(cols) > 1,
            legend_at_bottom=True,
            legend_at_bottom_columns=min(len(cols), 4),
            x_label_rotation=30 if len(labels) > 8 else 0,
            x_labels_major_every=every,
            show_minor_x_labels=every == 1,
            dots_size=2.5,
            include_x_axis=True,
            y_labels_major_count=6,
            show_minor_y_labels=False,
            margin_right=36,  # room for the last label
            **_scale(cols, [section.values(c.key) for c in cols]),
        )
    )
    drawn.x_labels = labels
    for col in cols:
        drawn.add(header_text(col), [_number(v) for v in section.values(col.key)])
    return _tree(drawn)


def _tree(drawn: Any) -> "Element":
    """The chart as an ElementTree (pygal draws with the standard library's without lxml)."""
    tree: Element = drawn.render_tree()
    return tree


# ---- the SVG, made safe to inline ------------------------------------------------------------

_PYGAL_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_OUTSIDE = re.compile(r"(?:https?:|//|file:|data:|javascript:)", re.IGNORECASE)


def clean(tree: "Element") -> None:
    """Take out of a pygal tree what the page must not have: scripts, comments (pygal's own
    carry its web address), event handlers, references outside the SVG, and the fixed size
    (the viewBox stays, so the chart scales to the page)."""
    for parent in list(tree.iter()):
        for child in list(parent):
            tag = child.tag
            # A comment's or instruction's tag is a function, not a name.
            if not isinstance(tag, str) or tag.split("}")[-1] == "script":
                parent.remove(child)
            elif tag.split("}")[-1] == "title" and parent is tree:
                parent.remove(child)  # pygal's "Pygal": the SVG gets its own name below
    for element in tree.iter():
        for name in list(element.attrib):
            local = name.split("}")[-1].split(":")[-1].lower()
            value = element.attrib[name]
            if (
                local.startswith("on")
                or (local == "href" and not value.startswith("#"))
                or _OUTSIDE.match(value.strip())
            ):
                del element.attrib[name]
    for name in ("width", "height", "xmlns", "{http://www.w3.org/2000/svg}xmlns"):
        tree.attrib.pop(name, None)


def _svg(tree: "Element", anchor: str, label: str, desc: str) -> str:
    """The tree as inline SVG: an image to assistive technology, named and described, with a
    stable id instead of pygal's random one (the page of the same book is the same bytes)."""
    from xml.etree.ElementTree import Element, tostring

    clean(tree)
    tree.set("role", "img")
    tree.set("aria-labelledby", f"{anchor}-t")
    tree.set("aria-describedby", f"{anchor}-d")
    name = Element("title", {"id": f"{anchor}-t"})
    name.text = label
    said = Element("desc", {"id": f"{anchor}-d"})
    said.text = desc
    tree.insert(0, said)
    tree.insert(0, name)
    text = tostring(tree, encoding="unicode", method="xml")
    text = text.replace('xmlns="http://www.w3.org/2000/svg" ', "").replace(
        ' xmlns="http://www.w3.org/2000/svg"', ""
    )
    text = text.replace('xmlns:xlink="http://www.w3.org/1999/xlink" ', "")
    return _PYGAL_ID.sub(f"chart-{anchor}", text)


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)
