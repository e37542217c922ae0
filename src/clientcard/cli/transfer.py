"""The whole-book commands: import, export."""

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    CalendarNameOption,
    RawOption,
    TodoOption,
    calendar_options,
    file_beside,
    file_mode,
    now,
    run_once,
    session,
    settings,
    write_ics,
)
from clientcard.i18n import N_, _, ngettext
from clientcard.output import (
    ExportFormat,
    ExportWhat,
    ImportFormat,
    OnDuplicateChoice,
    print_line,
    print_note,
    write_rows,
)

if TYPE_CHECKING:
    from clientcard.services.bringin import Imported
    from clientcard.store.db import Db

SPOOL_IN_MEMORY = 16 * 1024 * 1024
BOOK_PROGRESS_FROM = 8 * 1024 * 1024  # bytes of a book file (about 70,000 records)
# How many of a reader's warnings (a card named from its e-mail, a birthday that is no date)
# stderr shows; then how many more there were.
WARNINGS_SHOWN = 20  # bytes of piped input kept in memory; more goes to a file


def _open(file: str) -> IO[bytes]:
    """The file to import as bytes (the service decodes it, to name the line of a bad byte)."""
    from clientcard.domain.errors import InvalidValue

    if file == "-":
        if sys.stdin.isatty():
            raise InvalidValue(_("FILE is `-` but nothing is piped in; give a file or pipe one in"))
        # Read the pipe to its end before the book is locked for writing: a slow producer
        # (a download, say) must not hold every other clientcard off meanwhile.
        # The caller closes it, as it closes a file.
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        return spool
    try:
        return open(file, "rb")  # closed by the caller
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {file}: {error}").format(file=file, error=exc.strerror or exc)
        ) from None
    except ValueError:  # a NUL in the name: no file has one (argv never holds one; a test may)
        raise InvalidValue(
            _("cannot read {file}: a file name has no NUL character").format(file=repr(file))
        ) from None


def import_(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A CSV or TSV file, or an Excel workbook (.xlsx), whose header row names the "
            "columns: name (required), "
            "company, title, phone, email, address, source, notes, owner, grade (A-F, default "
            "F), tags (joined by commas), in any order, or as Chinese sheets, Google, Outlook "
            "and Thunderbird name them (docs/import.md); a vCard file (.vcf, .vcard: one card "
            "or many), or a folder of them; `-` reads standard input.",
        ),
    ],
    fmt: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, tsv escaped as `list --format tsv` writes it, xlsx, or vcard. Default: "
            "an Excel workbook when the file is one; vCard for a .vcf or .vcard file or text "
            "that begins with BEGIN:VCARD; else CSV separated by commas or tabs, whichever the "
            "header line has more of.",
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="The file's text encoding (utf-8, gb18030, gbk, big5, utf-16...). Default: "
            "detected, and said on stderr.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="HEADER=FIELD",
            help="Read the column HEADER as FIELD (name, phone, email, company, notes, "
            "birthday...; see docs/import.md). Repeatable.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Read and check every row, say what the import would do (new, duplicate, "
            "refused, by line), write nothing. Exit 2 if a row would be refused.",
        ),
    ] = False,
    on_duplicate: Annotated[
        OnDuplicateChoice,
        typer.Option(
            "--on-duplicate",
            help="A row that is the same client as a live card or an earlier row (same phone, "
            "same e-mail, or same name and company): skip it, update that card with it, or add "
            "it all the same.",
        ),
    ] = OnDuplicateChoice.skip,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the good rows when some are refused (by default one refused row "
            "imports nothing).",
        ),
    ] = False,
    rejects: Annotated[
        str | None,
        typer.Option(
            "--rejects",
            metavar="FILE",
            help="Write the refused rows to FILE, in the file's own format with a reason "
            "column, ready to fix and import again.",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The sheet of an Excel workbook to read. Default: the first.",
            show_default=False,
        ),
    ] = None,
    book: Annotated[
        bool,
        typer.Option(
            "--book",
            help="FILE is a whole book written by `export --book`: load every record of it, "
            "ids and history included, into an empty book (docs/book-format.md).",
        ),
    ] = False,
) -> None:
    """Add many cards at once from a CSV or TSV file, such as an export.

    Also an Excel workbook (.xlsx: its first sheet, or --sheet), Google, Outlook or
    Thunderbird contacts, and vCard files (.vcf: a phone's contacts, one card or many) or a
    folder of them (docs/import.md).
    Every row is checked and cleaned as `add` does; a refused row imports nothing (exit 2)
    unless --skip-invalid. A row that is the same client as a card already in the book is
    skipped and named (--on-duplicate), so importing a file twice adds nothing the second time.
    Columns are recognised by name: ours, common Chinese headers (姓名, 手机, 公司...), Google,
    Outlook and Thunderbird's; any other column is kept in the card's notes as `Header: value`.
    The text may be UTF-8, GB18030/GBK, Big5 or UTF-16: it is detected. The `'` that `list`
    and `export` put in front of a cell a spreadsheet would run as a formula is dropped.
    Prints `Imported N cards`.
    With --book, FILE is a book export (`export --book`), loaded whole, with its ids,
    contacts, promises and every history, into an empty book (refused into one that holds
    anything): all of it or nothing. A file from an older clientcard is upgraded; one from a
    newer clientcard is refused.
    """
    from clientcard.domain.errors import InvalidValue
    from clientcard.output.rejects import progress_bar
    from clientcard.services import bringin

    # Standard input, once read, is gone; an import shows its progress as it goes and writes
    # its rejects: never run again after a busy book (store/retry.py), exit 75.
    run_once()
    if book:
        given = [
            name
            for name, used in (
                ("--format", fmt is not None),
                ("--encoding", encoding is not None),
                ("--map", bool(mapping)),
                ("--dry-run", dry_run),
                ("--skip-invalid", skip_invalid),
                ("--rejects", rejects is not None),
                ("--sheet", sheet is not None),
                ("--on-duplicate", on_duplicate is not OnDuplicateChoice.skip),
            )
            if used
        ]
        if given:
            raise InvalidValue(
                _("--book loads a book file as it is: leave out {option}").format(option=given[0])
            )
        _import_book(file)
        return
    folder = _folder(file)
    data = b""
    if folder is None:
        stream = _open(file)
        try:
            data = stream.read()
        finally:
            stream.close()
    # The rejects file is made (as a temporary file beside it) before anything is read: a
    # path that cannot be written is refused at once, and the import's own file is never it.
    spare = _rejects_target(rejects, file) if rejects is not None else None
    try:
        with session(write=not dry_run) as s:
            reader = bringin.open_reader(
                s,
                data,
                fmt.value if fmt is not None else None,
                source=_("standard input") if file == "-" else file,
                encoding=encoding,
                mapping=mapping,
                folder=folder,
                sheet=sheet,
            )
            with progress_bar(reader.size, _("Importing")) as progress:
                done = bringin.import_cards(
                    s,
                    reader,
                    now=now(),
                    settings=settings(s),
                    on_duplicate=bringin.OnDuplicate(on_duplicate.value),
                    skip_invalid=skip_invalid,
                    dry_run=dry_run,
                    progress=progress,
                )
            if done.failed and not dry_run:
                _finish(reader.warnings, done, spare, rejects)
                # Raised inside the session: its transaction is rolled back, nothing is written.
                bad = len(done.refused)
                if bad == 1 and rejects is None:
                    raise InvalidValue(done.refused[0])
                raise InvalidValue(
                    ngettext(
                        "{n} row refused (listed above); nothing imported: fix it, or import "
                        "the rest with --skip-invalid",
                        "{n} rows refused (listed above); nothing imported: fix them, or import "
                        "the rest with --skip-invalid",
                        bad,
                    ).format(n=f"{bad:,}")
                )
        # Committed: only now is the import said to be done.
        _finish(reader.warnings, done, spare, rejects)
    finally:
        if spare is not None:
            Path(spare.name).unlink(missing_ok=True)  # renamed to FILE when there were rejects
    if dry_run and done.refused:
        bad = len(done.refused)
        raise InvalidValue(
            ngettext(
                "--dry-run: {n} row would be refused; fix it and run it again",
                "--dry-run: {n} rows would be refused; fix them and run it again",
                bad,
            ).format(n=f"{bad:,}")
        )


def _import_book(file: str) -> None:
    from clientcard.output.rejects import progress_bar
    from clientcard.services import book

    source = _("standard input") if file == "-" else file
    stream = _open(file)
    try:
        size = os.fstat(stream.fileno()).st_size if file != "-" else 0
        lines = iter(stream)
        header = book.read_header(next(lines, None), source)  # before the book is opened
        # On a terminal, a bar for a big file (by bytes read): 1.8 million records take a while.
        with progress_bar(size if size >= BOOK_PROGRESS_FROM else 0, _("Importing")) as progress:
            if progress is not None:
                lines = _counted(lines, progress)
            with session(write=True) as s:
                done = book.import_book(s, header, lines, source)
    finally:
        stream.close()
    tables = len(done.counts)
    cards = ngettext("{n} card", "{n} cards", done.cards).format(n=f"{done.cards:,}")
    in_tables = ngettext(
        "{records} records in {n} table", "{records} records in {n} tables", tables
    ).format(records=f"{done.records:,}", n=tables)
    print_line(
        _("Imported the book from {source}: {cards} ({tables})").format(
            source=source, cards=cards, tables=in_tables
        )
    )
    if done.upgraded_from is not None:
        print_line(
            _("  brought from schema revision {revision} to the current one").format(
                revision=done.upgraded_from
            )
        )


def _counted(lines: Iterator[bytes], progress: Callable[[int], None]) -> Iterator[bytes]:
    """The lines, telling `progress` how many bytes were read, every 10,000 lines."""
    read = 0
    for number, line in enumerate(lines, 1):
        read += len(line)
        if number % 10_000 == 0:
            progress(read)
        yield line
    progress(read)


def _folder(path: str) -> list[tuple[str, bytes]] | None:
    """The vCard files of a folder (.vcf, .vcard, in any case; not its subfolders), sorted by
    name, each with its bytes; None when `path` is no folder."""
    if path == "-" or not os.path.isdir(path):
        return None
    from clientcard.domain.errors import InvalidValue
    from clientcard.services.bringin.vcard import EXTENSIONS

    try:
        names = sorted(
            n
            for n in os.listdir(path)
            if n.lower().endswith(EXTENSIONS) and os.path.isfile(os.path.join(path, n))
        )
        files = []
        for name in names:
            with open(os.path.join(path, name), "rb") as f:
                files.append((name, f.read()))
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {file}: {error}").format(file=path, error=exc.strerror or exc)
        ) from None
    if not files:
        raise InvalidValue(
            _("{folder} is a folder without .vcf or .vcard files; give a file").format(folder=path)
        )
    return files


def _warn(warnings: list[str]) -> None:
    """What the reader found odd (a card named from its e-mail, a birthday that is no date):
    the first WARNINGS_SHOWN, then how many more."""
    for warning in warnings[:WARNINGS_SHOWN]:
        print_note(warning)
    if len(warnings) > WARNINGS_SHOWN:
        print_note(_("and {n} more like these").format(n=f"{len(warnings) - WARNINGS_SHOWN:,}"))


def _rejects_target(rejects: str, file: str) -> IO[bytes]:
    """The temporary file beside `--rejects FILE` that becomes FILE once written. FILE may not
    be the file being imported: it would replace it with its refused rows."""
    from clientcard.domain.errors import InvalidValue

    exists = file != "-" and os.path.exists(rejects) and os.path.exists(file)
    if exists and os.path.samefile(rejects, file):
        raise InvalidValue(
            _("--rejects {file} is the file being imported; name another file").format(file=rejects)
        )
    spare = file_beside(rejects)
    spare.close()
    return spare


def _finish(
    warnings: list[str], done: "Imported", spare: IO[bytes] | None, rejects: str | None
) -> None:
    """Say what the import did, and write its refused rows to `rejects` (through `spare`)."""
    from clientcard.output.rejects import write_rejects

    _warn(warnings)
    _report(done)
    if spare is None or rejects is None or not done.rejects:
        return
    shape = done.shape
    write_rejects(
        spare.name,
        shape.fmt,
        done.rejects,
        header=shape.header,
        separator=shape.separator,
        encoding=shape.encoding,
    )
    os.chmod(spare.name, file_mode(rejects))
    os.replace(spare.name, rejects)
    print_note(_("refused rows written to {file}").format(file=rejects))


# The occasions an import brought in, counted by kind.
_OCCASIONS = {"birthday": N_("Birthdays"), "anniversary": N_("Anniversaries")}
_OCCASIONS_TO_RECORD = N_("{kind} to record: {n}")
_OCCASIONS_RECORDED = N_("{kind} recorded: {n}")


def _report(done: "Imported") -> None:
    """What the import did (or would do): notes on stderr, the rows by line, then the counts;
    the last line is always `Imported N cards` (`Would import N cards` on a dry run)."""
    if done.read_as:
        print_note(_("read as {what}").format(what=done.read_as))
    if done.kept:
        print_note(_("kept in notes: {columns}").format(columns=", ".join(done.kept)))
    for note in done.notes:
        print_note(note)
    if done.ignored:
        print_line(
            _("Ignored the columns a new card cannot take: {columns}").format(
                columns=", ".join(done.ignored)
            )
        )
    # A lone refused row of a failed import is the error line itself (stderr).
    several = len(done.refused) > 1 or done.dry_run or done.skip_invalid
    for refusal, line in done.lines:
        if several or not refusal:
            print_line(line)
    would = done.dry_run or done.failed
    for kind, count in done.occasions.items() if not done.failed or done.dry_run else ():
        noun = _OCCASIONS.get(kind)
        line = _OCCASIONS_TO_RECORD if would else _OCCASIONS_RECORDED
        print_line(_(line).format(kind=_(noun) if noun else kind, n=f"{count:,}"))
    if done.updated:
        n = done.updated
        if would:
            line = ngettext("Would update {n} card", "Would update {n} cards", n)
        else:
            line = ngettext("Updated {n} card", "Updated {n} cards", n)
        print_line(line.format(n=f"{n:,}"))
    if done.current:
        n = done.current
        print_line(
            ngettext("Already up to date: {n} card", "Already up to date: {n} cards", n).format(
                n=f"{n:,}"
            )
        )
    if done.skipped:
        n = len(done.skipped)
        if would:
            line = ngettext(
                "Would skip {n} duplicate (--on-duplicate update updates the cards, "
                "--on-duplicate add adds them)",
                "Would skip {n} duplicates (--on-duplicate update updates the cards, "
                "--on-duplicate add adds them)",
                n,
            )
        else:
            line = ngettext(
                "Skipped {n} duplicate (--on-duplicate update updates the cards, "
                "--on-duplicate add adds them)",
                "Skipped {n} duplicates (--on-duplicate update updates the cards, "
                "--on-duplicate add adds them)",
                n,
            )
        print_line(line.format(n=f"{n:,}"))
    if done.refused and done.dry_run and not done.skip_invalid:
        n = len(done.refused)
        print_line(
            ngettext(
                "{n} row refused, {good} good: the import would import 0 cards "
                "(with --skip-invalid, {good})",
                "{n} rows refused, {good} good: the import would import 0 cards "
                "(with --skip-invalid, {good})",
                n,
            ).format(n=f"{n:,}", good=f"{done.cards:,}")
        )
        return
    if done.refused and done.skip_invalid:
        n = len(done.refused)
        if would:
            line = ngettext("Would refuse {n} row", "Would refuse {n} rows", n)
        else:
            line = ngettext("Refused {n} row", "Refused {n} rows", n)
        print_line(line.format(n=f"{n:,}"))
    if done.failed and not done.dry_run:
        return
    n = done.cards
    if done.dry_run:
        line = ngettext("Would import {n} card", "Would import {n} cards", n)
    else:
        line = ngettext("Imported {n} card", "Imported {n} cards", n)
    print_line(line.format(n=f"{n:,}"))


def export(
    given_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json (the default), csv, tsv, xlsx (an Excel workbook), vcard (vCard 3.0, for "
            "phones, Google, Outlook, khard), or ics: the agenda as iCalendar, for any calendar "
            "(docs/calendar.md).",
            show_default=False,
        ),
    ] = None,
    what: Annotated[
        ExportWhat,
        typer.Option(
            "--what",
            help="cards, or every contact, promise, complaint, sale, occasion (key date) or "
            "person, each with its card's id and name (client_id, client) and the keys of its "
            "listing (`contacts`, `promise list`, `complaint list`, `sales`, `date list`, "
            "`person list`); json, csv or tsv.",
        ),
    ] = ExportWhat.cards,
    live: Annotated[
        bool, typer.Option("--live", help="Only live cards (with --what: their records).")
    ] = False,
    archived: Annotated[
        bool,
        typer.Option("--archived", help="Only archived cards (with --what: their records)."),
    ] = False,
    raw: RawOption = False,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="WHEN",
            help="ics: what is due by then (default: the next 90 days, today included); "
            "overdue items always.",
            show_default=False,
        ),
    ] = None,
    todo: TodoOption = False,
    name: CalendarNameOption = None,
    book: Annotated[
        bool,
        typer.Option(
            "--book",
            help="Every record of every kind, with ids and history, as JSON lines that "
            "`import --book` loads back into an empty book (docs/book-format.md).",
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced when the export is whole) instead of standard output.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write every card, live and archived, in id order, for scripts and spreadsheets.

    Each card has the keys of `list --format json|csv|tsv`; JSON has one card per line.
    The book is streamed: any size fits in little memory. A CSV, TSV or xlsx export imports
    back.
    In CSV and TSV a cell that a spreadsheet would run as a formula (=, +, -, @) starts with
    `'`; --raw writes every cell as stored. An xlsx workbook holds every text as text, never
    a formula, numbers and dates as Excel's own; it needs --output FILE or a redirect
    (`> cards.xlsx`), never a terminal.
    It holds the cards' own fields, not their contacts, promises or sales (`--book` below
    writes everything; `clientcard backup` copies the book: docs/backup.md).
    `--what contacts|promises|complaints|
    sales|occasions|people` writes those records instead, each with its card's id and name, in
    id order (json, csv, tsv); --live and --archived then choose the records by their card.
    `--book` writes the whole book instead, losslessly: every card, contact, promise,
    complaint, sale, rating, date, person, holiday and history, with their ids and a format
    version, as JSON lines; `import --book` loads it into an empty book, on SQLite or
    PostgreSQL.
    `--format vcard` writes one vCard 3.0 per card (name, company, title, phones and e-mails
    with their labels, address, notes, tags, birthday, anniversaries, grade) that `import`,
    phones, Google, Outlook and khard read back.
    `--format ics` writes the agenda of the live cards instead, as `due --format ics` does:
    what is overdue and what is due in the next 90 days (or by --until), for a calendar to
    import or subscribe to (docs/calendar.md).
    """
    from clientcard.domain.errors import InvalidValue

    if live and archived:
        raise InvalidValue(_("give only one of --live, --archived"))
    if book:
        given = [
            name
            for name, used in (
                ("--format", given_format is not None),
                ("--what", what is not ExportWhat.cards),
                ("--live", live),
                ("--archived", archived),
                ("--raw", raw),
            )
            if used
        ]
        if given:
            raise InvalidValue(
                _("--book writes the whole book as it is: leave out {option}").format(
                    option=given[0]
                )
            )
        if output is None and sys.stdout.isatty():
            raise InvalidValue(
                _(
                    "--book writes the whole book, which a terminal cannot show: give --output "
                    "FILE, or redirect it to a file (> book.jsonl)"
                )
            )
    fmt = given_format or ExportFormat.json
    ics = fmt is ExportFormat.ics
    calendar_options(ics, todo, name)
    if until is not None and not ics:
        raise InvalidValue(_("--until is for --format ics only"))
    if ics and (what is not ExportWhat.cards or live or archived):
        raise InvalidValue(
            _(
                "--format ics writes the live cards' agenda: --what, --live and --archived are "
                "for the other formats"
            )
        )
    if what is not ExportWhat.cards and fmt in (ExportFormat.xlsx, ExportFormat.vcard):
        raise InvalidValue(
            _("--what {what} is written as json, csv or tsv, not {format}").format(
                what=what.value, format=fmt.value
            )
        )
    if fmt is ExportFormat.xlsx and output is None and sys.stdout.isatty():
        raise InvalidValue(
            _(
                "--format xlsx writes a workbook, which a terminal cannot show: give --output "
                "FILE.xlsx, or redirect it to a file (> cards.xlsx)"
            )
        )
    if ics:
        _export_ics(output, until=until, todo=todo, name=name)
        return
    which = True if archived else (False if live else None)
    target = file_beside(output) if output is not None else None
    try:
        with session(write=False) as s:
            if book:
                _write_book(s, target)
            else:
                _write_export(s, fmt, what, which, raw, target)
    except BaseException:
        if target is not None:
            target.close()
            Path(target.name).unlink(missing_ok=True)
        raise
    if target is not None and output is not None:
        target.close()
        os.chmod(target.name, file_mode(output, private=book))
        os.replace(target.name, output)


def _export_ics(output: str | None, *, until: str | None, todo: bool, name: str | None) -> None:
    """`export --format ics`: the agenda of the live cards as one calendar, to stdout or to
    FILE through a temporary file beside it (so a calendar syncing the folder never reads half
    a file)."""
    from clientcard.services import agenda

    with session(write=False) as s:
        items = agenda.calendar(s, until=until, now=now(), settings=settings(s)).items
    if output is None:
        write_ics(items, todo=todo, name=name)
        return
    target = file_beside(output)
    try:
        with open(target.fileno(), "w", encoding="utf-8", newline="", closefd=False) as t:
            write_ics(items, todo=todo, name=name, stream=t)
    except BaseException:
        target.close()
        Path(target.name).unlink(missing_ok=True)
        raise
    target.close()
    os.chmod(target.name, file_mode(output))
    os.replace(target.name, output)


def _write_book(s: "Db", target: IO[bytes] | None) -> None:
    from clientcard.services import book

    lines = book.export_book(s)
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.writelines(lines)
        return
    target.writelines(lines)


def _write_export(
    s: "Db",
    fmt: ExportFormat,
    what: ExportWhat,
    which: bool | None,
    raw: bool,
    target: IO[bytes] | None,
) -> None:
    from clientcard.services import transfer
    from clientcard.services.views import CLIENT_FIELDS

    fields: Sequence[str] = CLIENT_FIELDS
    if what is ExportWhat.cards:
        rows = transfer.export_cards(s, archived=which, now=now())
    else:
        from clientcard.services import export_records

        fields = export_records.keys_of(what.value)
        rows = export_records.export_records(
            s, what.value, archived=which, now=now(), settings=settings(s)
        )
    if fmt is ExportFormat.vcard:
        from clientcard.services.vcards import with_occasions

        rows = with_occasions(s, rows)
    if fmt is ExportFormat.xlsx:
        from clientcard.output.xlsx import write_workbook

        write_workbook(rows, CLIENT_FIELDS, target or sys.stdout.buffer)
    elif target is not None:
        with open(target.fileno(), "w", encoding="utf-8", newline="", closefd=False) as t:
            write_rows(rows, fields, fmt, t, raw=raw)
    else:
        write_rows(rows, fields, fmt, raw=raw)
