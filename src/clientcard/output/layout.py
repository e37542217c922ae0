"""How a table for people fits its width (issue 12: every table reads at 60, 80 and 120 columns).

Pure: cells in, lines or column widths out; Rich only draws what is decided here.

A table is laid out in the first of three ways that fits the width:
1. **A table.** Each column gets at least its *minimum*: an id, a date, a grade, an amount (a
   `no_wrap` column) its widest value; free text the widest of its short values (at most
   `SHORT` characters: a name is never broken), its longest word (up to `LONGEST_WORD` cells)
   and `FLOOR` cells (`DETAIL_FLOOR` for the row's main text), but never more than it
   needs. What is left goes to the free-text columns, the widest giving way first, each up to
   its widest value. Free text then wraps inside its column at spaces and between CJK
   characters; only a word wider than its column is folded.
2. **A table with its spare columns folded.** Columns marked `spare` move, rightmost first and
   only as many as needed (for the table to fit, and for its main text to get `COMFORT`
   cells where it can use them), into the `detail` column as lines of their own (`Header:
   value`; a `no_wrap` value stays whole); a table without a detail column leaves them out
   (the machine formats and `show` have them).
3. **Records.** Each row as a block: its other columns on the first line (each value whole),
   then its detail, then its spare values with their headers (left out, as in 2, when there
   is no detail column), indented. Any width from 20 up.
A `narrow` column (a short value with the odd long one: `config show`'s Value) takes only its
minimum, leaving the room to the others. A column empty on every row is left out in all
three. Headers wrap at their spaces.
Without a width (output piped without COLUMNS) a table takes its natural width, unwrapped.
"""

from collections.abc import Mapping, Sequence

from clientcard.i18n import language
from clientcard.output.agenda import NBSP, cells, together, wrap

GAP = 2  # cells between two columns
FLOOR = 10  # the narrowest a free-text column gets (unless it needs less)
DETAIL_FLOOR = 16  # the narrowest the row's main text gets: two or three words a line
COMFORT = 30  # spare columns fold while the main text would get fewer cells than this
SHORT = 12  # a value of at most this many characters is never broken (a name, a kind)
LONGEST_WORD = 20  # a longer word may be folded rather than widen its column
INDENT = 4  # a record's lines after its first


class Spec:
    """What the layout needs of a column (output.Column holds it for a listing). A plain class,
    as the records are: a dataclass is compiled at every start (docs/performance.md)."""

    __slots__ = ("detail", "header", "narrow", "no_wrap", "spare")

    def __init__(
        self,
        header: str,
        *,
        no_wrap: bool = False,
        spare: bool = False,
        detail: bool = False,
        narrow: bool = False,
    ) -> None:
        self.header = header
        self.no_wrap = no_wrap
        self.spare = spare
        self.detail = detail
        self.narrow = narrow


class Grid:
    """A table laid out: the columns kept (indexes into the specs), each one's width, the
    headers and the cells as lines (one string per line, joined by a newline)."""

    __slots__ = ("columns", "headers", "rows", "widths")

    def __init__(
        self, columns: list[int], widths: list[int], headers: list[str], rows: list[list[str]]
    ) -> None:
        self.columns = columns
        self.widths = widths
        self.headers = headers
        self.rows = rows


def _lines_width(value: str) -> int:
    return max(map(cells, value.split("\n")), default=0)


def _longest_word(value: str) -> int:
    words = together(value.replace("\n", " ")).split()
    return max((cells(word) if word.isascii() else _cjk_unit(word) for word in words), default=0)


def _cjk_unit(word: str) -> int:
    """The widest piece of a word a line may not break: a run of narrow characters (a wide,
    CJK, character may stand alone on a line)."""
    widest = run = 0
    for ch in word:
        w = cells(ch)
        run = 0 if w == 2 else run + w
        widest = max(widest, run, w)
    return widest


def _header_word(spec: Spec) -> int:
    return max((cells(w) for w in spec.header.split()), default=0)


def _minimum(spec: Spec, values: Sequence[str]) -> int:
    widest = max((_lines_width(v) for v in values), default=0)
    if spec.no_wrap:
        return max(widest, _header_word(spec))
    natural = max(widest, _header_word(spec))
    # A short line is never broken: a value's own, or a folded column's line under it.
    short = max(
        (cells(line) for v in values for line in v.split("\n") if len(line) <= SHORT), default=0
    )
    word = min(max((_longest_word(v) for v in values), default=0), LONGEST_WORD)
    floor = DETAIL_FLOOR if spec.detail else FLOOR
    return min(natural, max(floor, short, word, _header_word(spec)))


def _natural(spec: Spec, values: Sequence[str]) -> int:
    """The width the column takes when there is room: its widest value, its header unbroken."""
    return max(cells(spec.header), *(_lines_width(v) for v in values))


def _share(minimums: list[int], naturals: list[int], room: int) -> list[int]:
    """Widths from the minimums with `room` more cells: the widest columns give way first.
    Each column gets min(natural, level), never less than its minimum, at the highest level
    that fits; cells left over go one each to the columns held at the level."""

    def at(level: int) -> list[int]:
        return [max(m, min(n, level)) for m, n in zip(minimums, naturals, strict=True)]

    total = sum(minimums) + room
    low, high = 0, max(naturals, default=0)
    while low < high:  # the highest level whose widths fit in the total
        mid = (low + high + 1) // 2
        if sum(at(mid)) <= total:
            low = mid
        else:
            high = mid - 1
    widths = at(low)
    spare = total - sum(widths)
    for i, (w, n) in enumerate(zip(widths, naturals, strict=True)):
        if spare <= 0:
            break
        if w < n:
            widths[i] += 1
            spare -= 1
    return widths


def _cell(value: str, width: int) -> str:
    if len(value) <= SHORT and "\n" not in value and cells(value) <= width:
        return value
    return "\n".join(
        line.replace(NBSP, " ")
        for part in value.split("\n")
        for line in wrap(together(part), width)
    )


def _header(text: str, width: int) -> str:
    return "\n".join(wrap(text, width))


def _labelled(header: str, value: str) -> str:
    """`Header: value`, with a full-width colon in Chinese."""
    return ("{header}\uff1a{value}" if language() == "zh" else "{header}: {value}").format(
        header=header, value=value
    )


def _fold(
    specs: Sequence[Spec], rows: list[list[str]], detail: int, folded: Sequence[int]
) -> list[list[str]]:
    """The rows with the `folded` columns moved into column `detail`, in their order, each
    value as a line `Header: value`."""
    if not folded:
        return rows
    out = []
    for row in rows:
        extra = [_labelled(specs[i].header, row[i]) for i in sorted(folded) if row[i]]
        new = list(row)
        new[detail] = "\n".join([row[detail], *extra] if row[detail] else extra)
        out.append(new)
    return out


def _widths(
    specs: Sequence[Spec],
    rows: Sequence[Sequence[str]],
    kept: Sequence[int],
    width: int,
    whole: Mapping[int, int],
) -> list[int] | None:
    """The kept columns' widths at `width`, or None when their minimums do not fit. `whole`:
    a column's minimum raised to hold a folded value that may not break (an e-mail address)."""
    minimums = [max(_minimum(specs[i], [r[i] for r in rows]), whole.get(i, 0)) for i in kept]
    naturals = [
        m if specs[i].narrow else max(_natural(specs[i], [r[i] for r in rows]), m)
        for i, m in zip(kept, minimums, strict=True)
    ]
    room = width - sum(minimums) - GAP * (len(kept) - 1)
    return None if room < 0 else _share(minimums, naturals, room)


def fit(specs: Sequence[Spec], rows: Sequence[Sequence[str]], width: int | None) -> Grid | None:
    """The table's layout at `width` (None: natural), or None when even its folded form does
    not fit: then `records` lays it out. Spare columns fold (rightmost first) while the table
    does not fit, or while its main text would get fewer than `COMFORT` cells it could use."""
    cells_ = [list(row) for row in rows]
    kept = [i for i in range(len(specs)) if any(row[i] for row in cells_)]
    if width is None:
        widths = [_natural(specs[i], [row[i] for row in cells_]) for i in kept]
    else:
        detail = next((i for i in kept if specs[i].detail), None)
        spares = [i for i in kept if specs[i].spare and i != detail]
        folded: list[int] = []
        whole: dict[int, int] = {}
        while True:
            laid = _widths(specs, cells_, kept, width, whole)
            if laid is not None and detail is not None:
                wanted = min(COMFORT, _natural(specs[detail], [row[detail] for row in cells_]))
                roomy = laid[kept.index(detail)] >= wanted
            else:
                roomy = laid is not None
            if roomy or not spares:
                break
            column = spares.pop()  # the rightmost spare column first
            kept.remove(column)
            if detail is not None:
                folded.append(column)
                cells_ = _fold(specs, [list(row) for row in rows], detail, folded)
                if specs[column].no_wrap:  # its value stays whole on its line
                    widest = max(cells(row[column]) for row in rows)
                    whole[detail] = max(whole.get(detail, 0), widest)
        if laid is None:
            return None
        widths = laid
    return Grid(
        columns=kept,
        widths=widths,
        headers=[_header(specs[i].header, w) for i, w in zip(kept, widths, strict=True)],
        rows=[[_cell(row[i], w) for i, w in zip(kept, widths, strict=True)] for row in cells_],
    )


def _needed(specs: Sequence[Spec], rows: Sequence[Sequence[str]], kept: Sequence[int]) -> int:
    if not kept:
        return 0
    return sum(_minimum(specs[i], [row[i] for row in rows]) for i in kept) + GAP * (len(kept) - 1)


def records(specs: Sequence[Spec], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Each row as a block of lines no wider than `width` (a single word wider than the width
    is folded): its plain columns on the first line, each value kept whole where it fits,
    then the detail column and the spare columns (`Header: value`), indented."""
    width = max(width, 20)
    used = [i for i in range(len(specs)) if any(row[i] for row in rows)]
    if not any(specs[i].detail for i in used):  # as in a table: spare columns left out
        used = [i for i in used if not specs[i].spare]
    lines: list[str] = []
    for row in rows:
        first = [i for i in used if not specs[i].spare and not specs[i].detail and row[i]]
        head = "  ".join(
            value.replace(" ", NBSP) if cells(value) <= width - INDENT else value
            for value in (" ".join(row[i].split("\n")) for i in first)
        )
        # The first line's values; where they take more than a line, the rest is indented as
        # the record's other lines are (all at the narrower width, so no text is re-joined).
        top, *more = wrap(head, width - INDENT)
        lines += [top, *(" " * INDENT + line for line in more)]
        rest = [i for i in used if (specs[i].detail or specs[i].spare) and row[i]]
        rest.sort(key=lambda i: not specs[i].detail)  # the detail first
        for i in rest:
            for part in row[i].split("\n"):
                text = part if specs[i].detail else _labelled(specs[i].header, part)
                lines += [" " * INDENT + line for line in wrap(text, width - INDENT)]
    return [line.replace(NBSP, " ").rstrip() for line in lines]


def wrap_text(text: str, width: int | None) -> list[str]:
    """A line of text for people (a title, a footer) in lines of at most `width` cells; each
    of its own line breaks kept. Without a width, its lines as they are."""
    parts = text.split("\n")
    if width is None:
        return parts
    return [line for part in parts for line in wrap(part, max(width, 20))]
