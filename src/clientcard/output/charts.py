"""Charts for a terminal, as plain lines of text (docs/reports.md#reading-the-charts).

Every chart fits the width it is given (80 columns on an ordinary terminal, or mailed by cron),
puts its number beside every bar, and measures labels in terminal cells, so a Chinese name takes
its two cells per character (`output/agenda.cells`). A bar is drawn in eighths of a cell
(`▏▎▍▌▋▊▉█`), so small differences show; a bar for anything above zero is at least an eighth
long, and zero is no bar at all. A terminal that cannot show those characters (a non-UTF-8
output: `ascii=True`) gets `#` bars and `.:-=+*#` sparklines.

Pure functions of their numbers: `output/reports.py` decides which chart a section gets.
"""

from collections.abc import Sequence

from clientcard.output.agenda import cells

EIGHTHS = " ▏▎▍▌▋▊▉█"
SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = ".:-=+*#"
SECOND = "░"  # the second part of a stacked bar, and the empty part of a range
MIN_BAR = 10  # the narrowest bar area worth drawing
MAX_LABEL = 24  # a longer label is cut with "…"


def fit_label(text: str, width: int) -> str:
    """`text` padded (or cut, with `…`) to exactly `width` cells."""
    if cells(text) <= width:
        return text + " " * (width - cells(text))
    out = ""
    for ch in text:
        if cells(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cells(out))


def _rjust(text: str, width: int) -> str:
    """`text` right-aligned in `width` cells (a Chinese character takes two)."""
    return " " * max(width - cells(text), 0) + text


def bar(value: float, most: float, room: int, *, ascii: bool = False) -> str:
    """A bar of `value` out of `most` in `room` cells (eighths, or whole `#` for ASCII)."""
    if value <= 0 or most <= 0 or room <= 0:
        return ""
    eighths = max(round(value / most * room * 8), 1)
    if ascii:
        return "#" * max(round(eighths / 8), 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def _label_width(labels: Sequence[str]) -> int:
    return min(max((cells(label) for label in labels), default=0), MAX_LABEL)


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    width: int,
    *,
    centre: bool = False,
    ascii: bool = False,
    most: float | None = None,
) -> list[str]:
    """One line per row: the label, a bar, the number (`texts`, as people read it). `centre`
    draws a funnel: each bar centred on the same axis. `most` is the value of a full bar (a
    share: 1, so 50% is half a bar), else the largest value."""
    label_w = _label_width(labels)
    text_w = max((cells(t) for t in texts), default=0)
    room = max(width - label_w - text_w - 4, MIN_BAR)
    if most is None:
        most = max(values, default=0)
    lines = []
    for label, value, text in zip(labels, values, texts, strict=True):
        drawn = bar(value, most, room, ascii=ascii)
        if centre:
            pad = (room - len(drawn)) // 2
            drawn = " " * pad + drawn + " " * (room - len(drawn) - pad)
        else:
            drawn = drawn + " " * (room - len(drawn))
        lines.append(f"{fit_label(label, label_w)}  {drawn}  {_rjust(text, text_w)}".rstrip())
    return lines


def stacked(
    labels: Sequence[str],
    parts: Sequence[Sequence[float]],
    texts: Sequence[str],
    names: Sequence[str],
    width: int,
    *,
    ascii: bool = False,
) -> list[str]:
    """One bar per row split into its parts (two or three: `█`, `░`, `▒`), the parts' numbers
    beside it (`texts`), and a legend line naming each part first."""
    fills = "#=-" if ascii else "█░▒"
    label_w = _label_width(labels)
    text_w = max((cells(t) for t in texts), default=0)
    room = max(width - label_w - text_w - 4, MIN_BAR)
    most = max((sum(p) for p in parts), default=0)
    legend = "  ".join(f"{fills[i]} {name}" for i, name in enumerate(names))
    lines = [legend]
    for label, row, text in zip(labels, parts, texts, strict=True):
        drawn = ""
        total = 0.0
        for i, part in enumerate(row):
            # Each part ends where the running total ends, so the rounding never adds up.
            total += part
            end = round(total / most * room) if most else 0
            drawn += fills[i] * max(end - len(drawn), 1 if part > 0 else 0)
        drawn = drawn[:room]
        lines.append(
            f"{fit_label(label, label_w)}  {drawn + ' ' * (room - len(drawn))}  "
            f"{_rjust(text, text_w)}".rstrip()
        )
    return lines


def sparkline(values: Sequence[float | None], *, ascii: bool = False) -> str:
    """One character per value, lowest to highest (a missing value is a blank)."""
    marks = ASCII_SPARKS if ascii else SPARKS
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif high == low:
            out.append(marks[len(marks) // 2] if v else marks[0])
        else:
            out.append(marks[round((v - low) / (high - low) * (len(marks) - 1))])
    return "".join(out)


def sparklines(
    names: Sequence[str],
    series: Sequence[Sequence[float | None]],
    summaries: Sequence[str],
    width: int,
    *,
    ascii: bool = False,
) -> list[str]:
    """One line per series: its name, its sparkline (the last points that fit), and its
    summary (total, lowest, highest: what the caller says)."""
    name_w = _label_width(names)
    lines = []
    for name, values, summary in zip(names, series, summaries, strict=True):
        room = max(width - name_w - cells(summary) - 4, MIN_BAR)
        shown = list(values)[-room:]
        lines.append(f"{fit_label(name, name_w)}  {sparkline(shown, ascii=ascii)}  {summary}")
    return lines


def ranges(
    labels: Sequence[str],
    spans: Sequence[tuple[float, float]],
    texts: Sequence[str],
    width: int,
    *,
    ascii: bool = False,
) -> list[str]:
    """One line per row: a bar from its low to its high value (`░` up to the low, `█` from
    there to the high), on one scale, and the range in words beside it."""
    low_fill, high_fill = ("-", "#") if ascii else (SECOND, "█")
    label_w = _label_width(labels)
    text_w = max((cells(t) for t in texts), default=0)
    room = max(width - label_w - text_w - 4, MIN_BAR)
    most = max((high for _, high in spans), default=0)
    lines = []
    for label, (low, high), text in zip(labels, spans, texts, strict=True):
        start = round(low / most * room) if most else 0
        end = round(high / most * room) if most else 0
        if high > 0 and end == start:
            end = start + 1
        drawn = low_fill * start + high_fill * (end - start)
        drawn = drawn[:room]
        lines.append(
            f"{fit_label(label, label_w)}  {drawn + ' ' * (room - len(drawn))}  "
            f"{_rjust(text, text_w)}".rstrip()
        )
    return lines


def grouped(
    labels: Sequence[str],
    rows: Sequence[Sequence[float]],
    texts: Sequence[Sequence[str]],
    names: Sequence[str],
    width: int,
    *,
    ascii: bool = False,
) -> list[str]:
    """Each row's values side by side, one line each under the row's label (`5  loyalty
    ███ 3`, then `   satisfaction ██ 2`), all on one scale, so two measures of the same
    thing (loyalty and satisfaction) compare bar by bar without being added up."""
    label_w = _label_width(labels)
    name_w = _label_width(names)
    text_w = max((cells(t) for row in texts for t in row), default=0)
    room = max(width - label_w - name_w - text_w - 6, MIN_BAR)
    most = max((v for row in rows for v in row), default=0)
    lines = []
    for label, values, row_texts in zip(labels, rows, texts, strict=True):
        for n, (name, value, text) in enumerate(zip(names, values, row_texts, strict=True)):
            drawn = bar(value, most, room, ascii=ascii)
            head = fit_label(label if n == 0 else "", label_w)
            lines.append(
                f"{head}  {fit_label(name, name_w)}  {drawn + ' ' * (room - len(drawn))}  "
                f"{_rjust(text, text_w)}".rstrip()
            )
    return lines
