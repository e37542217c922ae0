"""The whole-book commands: import, export."""

import shutil
import sys
import tempfile
from typing import IO, Annotated

import typer

from clientcard.cli._common import RawOption, now, session, settings
from clientcard.output import ExportFormat, ImportFormat, print_line, print_note, write_rows

SPOOL_IN_MEMORY = 16 * 1024 * 1024  # bytes of piped input kept in memory; more goes to a file


def _open(file: str) -> IO[bytes]:
    """The file to import as bytes (the service decodes it, to name the line of a bad byte)."""
    from clientcard.domain.errors import InvalidValue

    if file == "-":
        if sys.stdin.isatty():
            raise InvalidValue("FILE is `-` but nothing is piped in; give a file or pipe one in")
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
        raise InvalidValue(f"cannot read {file}: {exc.strerror or exc}") from None
    except ValueError:  # a NUL in the name: no file has one (argv never holds one; a test may)
        raise InvalidValue(f"cannot read {file!r}: a file name has no NUL character") from None


def import_(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A CSV or TSV file whose header row names the columns: name (required), "
            "company, title, phone, email, address, source, notes, owner, grade (A-F, default "
            "F), tags (joined by commas), in any order, or as Chinese sheets, Google, Outlook "
            "and Thunderbird name them (docs/import.md); `-` reads standard input.",
        ),
    ],
    fmt: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, or tsv escaped as `list --format tsv` writes it. Default: CSV separated "
            "by commas or tabs, whichever the header line has more of.",
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
            help="Read and check every row, list the bad ones by line (exit 2), write nothing.",
        ),
    ] = False,
) -> None:
    """Add many cards at once from a CSV or TSV file, such as an export.

    Also an Excel sheet, Google, Outlook or Thunderbird contacts.
    Every row is checked and cleaned as `add` does; one bad row imports nothing (exit 2).
    Columns are recognised by name: ours, common Chinese headers (姓名, 手机, 公司...), Google,
    Outlook and Thunderbird's; any other column is kept in the card's notes as `Header: value`.
    The text may be UTF-8, GB18030/GBK, Big5 or UTF-16: it is detected. The `'` that `list`
    and `export` put in front of a cell a spreadsheet would run as a formula is dropped.
    Prints `Imported N cards`.
    """
    from clientcard.domain.errors import InvalidValue
    from clientcard.services import transfer

    stream = _open(file)
    try:
        data = stream.read()
    finally:
        stream.close()
    with session(write=not dry_run) as s:
        done = transfer.import_cards(
            s,
            data,
            fmt.value if fmt is not None else None,
            now=now(),
            settings=settings(),
            source="standard input" if file == "-" else file,
            encoding=encoding,
            mapping=mapping,
            dry_run=dry_run,
        )
    if done.read_as:
        print_note(f"read as {done.read_as}")
    if done.kept:
        print_note(f"kept in notes: {', '.join(done.kept)}")
    if done.ignored:
        print_line(f"Ignored the columns a new card cannot take: {', '.join(done.ignored)}")
    if done.birthdays:
        print_line(f"Birthdays {'to record' if done.dry_run else 'recorded'}: {done.birthdays:,}")
    if not done.dry_run:
        print_line(f"Imported {done.cards:,} card{'' if done.cards == 1 else 's'}")
        return
    for refusal in done.refused:
        print_line(refusal)
    if done.refused:
        bad = len(done.refused)
        print_line(
            f"{bad:,} row{'' if bad == 1 else 's'} refused, {done.cards:,} good: the import "
            "would import 0 cards"
        )
        raise InvalidValue(
            f"--dry-run: {bad:,} row{'' if bad == 1 else 's'} would be refused; fix "
            f"{'it' if bad == 1 else 'them'} and run it again"
        )
    print_line(f"Would import {done.cards:,} card{'' if done.cards == 1 else 's'}")


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json, csv, tsv, or vcard (vCard 3.0, for phones, Google, Outlook, khard).",
        ),
    ] = ExportFormat.json,
    live: Annotated[bool, typer.Option("--live", help="Only live cards.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived cards.")] = False,
    raw: RawOption = False,
) -> None:
    """Write every card, live and archived, in id order, for scripts and spreadsheets.

    Each card has the keys of `list --format json|csv|tsv`; JSON has one card per line.
    The book is streamed: any size fits in little memory. A CSV or TSV export imports back.
    In CSV and TSV a cell that a spreadsheet would run as a formula (=, +, -, @) starts with
    `'`; --raw writes every cell as stored.
    It holds the cards' own fields, not their contacts, promises or sales: to back the
    book up, copy its database file.
    `--format vcard` writes one vCard 3.0 per card (name, company, title, phones and e-mails
    with their labels, address, notes, tags, birthday, anniversaries, grade), for phones,
    Google, Outlook and khard.
    """
    from clientcard.domain.errors import InvalidValue
    from clientcard.services import transfer
    from clientcard.services.views import CLIENT_FIELDS

    if live and archived:
        raise InvalidValue("give only one of --live, --archived")
    which = True if archived else (False if live else None)
    with session(write=False) as s:
        rows = transfer.export_cards(s, archived=which, now=now())
        if fmt is ExportFormat.vcard:
            from clientcard.services.vcards import with_occasions

            rows = with_occasions(s, rows)
        write_rows(rows, CLIENT_FIELDS, fmt, raw=raw)
