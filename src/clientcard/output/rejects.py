"""What `import` writes besides its report: the refused rows in the file's own format
(`--rejects FILE`), and a progress bar on a terminal."""

import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from clientcard.output import _tsv_escape

# The column of a rejects file that says why each row was refused; an import skips it, so the
# file imports again once fixed (domain/import_headers.REJECTS_COLUMN).
REASON_COLUMN = "clientcard_refused"
# Below this many rows an import is quick: no bar.
PROGRESS_FROM = 2000


def write_rejects(
    path: str,
    fmt: str,
    rows: Iterable[tuple[object, str]],
    *,
    header: list[str] | None = None,
    separator: str = ",",
    encoding: str = "utf-8",
) -> None:
    """The refused rows (each as read, with its reason) at `path`, in the file's format: a
    CSV file's separator and encoding with a `clientcard_refused` column last; clientcard's
    TSV escaped as it is read. Ready to be fixed and imported again."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"no writer of refused rows for {fmt}")
    writer(path, rows, header or [], separator, encoding)


def _sheet_rows(rows: Iterable[tuple[object, str]], header: list[str]) -> Iterator[list[str]]:
    """The header and the rows, each as wide as the widest (a row refused for having fewer
    fields than the header is filled out with empty ones), then the reason: it stays in its
    own column, and the fixed file imports again."""
    rows = list(rows)
    width = max([len(header)] + [len(raw) for raw, _ in rows if isinstance(raw, list)])
    yield [*header, *[""] * (width - len(header)), REASON_COLUMN]
    for raw, reason in rows:
        values = [str(v) for v in raw] if isinstance(raw, list) else []
        yield [*values, *[""] * (width - len(values)), reason]


def _write_csv(
    path: str, rows: Iterable[tuple[object, str]], header: list[str], sep: str, encoding: str
) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(_sheet_rows(rows, header))
    with open(path, "wb") as f:
        f.write(buffer.getvalue().encode(encoding, errors="replace"))


def _write_tsv(
    path: str, rows: Iterable[tuple[object, str]], header: list[str], sep: str, encoding: str
) -> None:
    with open(path, "w", encoding=encoding, errors="replace", newline="\n") as f:
        for values in _sheet_rows(rows, header):
            f.write("\t".join(_tsv_escape(v) for v in values) + "\n")


def _write_vcard(
    path: str, rows: Iterable[tuple[object, str]], header: list[str], sep: str, encoding: str
) -> None:
    """Each refused card as it was in the file (its lines, its bytes whatever their encoding),
    with an `X-CLIENTCARD-REASON:` line saying why just before its END:VCARD."""
    from clientcard.output.vcard import escaped, folded

    with open(path, "wb") as f:
        for raw, reason in rows:
            card, _, end = str(raw).rstrip("\r\n").rpartition("\r\n")  # end: END:VCARD
            reason_line = folded("X-CLIENTCARD-REASON:" + escaped(reason))
            text = f"{card}\r\n{reason_line}{end}\r\n"
            f.write(text.encode("utf-8", "surrogateescape"))


def _write_xlsx(
    path: str, rows: Iterable[tuple[object, str]], header: list[str], sep: str, encoding: str
) -> None:
    """A workbook of one sheet, every cell text (output/xlsx.py)."""
    from clientcard.output.xlsx import write_sheet

    with open(path, "wb") as f:
        write_sheet(_sheet_rows(rows, header), f, title="refused")


_WRITERS: dict[str, Callable[[str, Iterable[tuple[object, str]], list[str], str, str], None]] = {
    "csv": _write_csv,
    "tsv": _write_tsv,
    "vcard": _write_vcard,
    "xlsx": _write_xlsx,
}


@contextmanager
def progress_bar(total: int | None, what: str) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on standard error while a long import runs: a callback taking how
    many rows are done. None (nothing shown) when stderr is not a terminal or the file is
    short."""
    if not sys.stderr.isatty() or (total is not None and total < PROGRESS_FROM):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.update(task, completed=done)
