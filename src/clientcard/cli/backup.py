"""`clientcard backup` and `clientcard restore`: copies of a book (docs/backup.md)."""

from typing import Annotated

import typer

from clientcard.cli._common import RUNTIME, ask, now, on_a_terminal, run_once
from clientcard.i18n import _, ngettext
from clientcard.output import print_line


def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help="A new file (or a folder) for the copy. Default: a time-stamped file in the "
            "`backups` folder beside the book.",
        ),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep",
            metavar="N",
            min=1,
            help="Then delete all but the newest N backups of the `backups` folder (for cron; "
            "not with PATH).",
        ),
    ] = None,
) -> None:
    """Copy the book while it is in use, check the copy, and say where it is.

    SQLite's backup API copies one consistent state even while other commands write; the copy
    (mode 0600) must pass SQLite's integrity check and hold as many rows in each table as the
    book held at that moment.
    A book on a server (a database URL) is written as its book export (`export --book`,
    .book.jsonl), from one consistent state, and read through again to check it; `restore`
    loads it into an empty database. pg_dump remains the server's own tool for the whole
    database."""
    from clientcard.services import backup as service

    done = service.back_up(RUNTIME.db, path, keep=keep, now=now())
    print_line(
        ngettext(
            "Backed up {n} card ({records} records in {tables} tables) to {path}",
            "Backed up {n} cards ({records} records in {tables} tables) to {path}",
            done.cards,
        ).format(
            n=f"{done.cards:,}", records=f"{done.records:,}", tables=done.tables, path=done.path
        )
    )
    if done.book_export:
        print_line(_("  as a book export: `restore` loads it into an empty database"))
    if keep is not None:
        n = len(done.deleted)
        print_line(
            ngettext(
                "Deleted {n} older backup; {keep} kept at most.",
                "Deleted {n} older backups; {keep} kept at most.",
                n,
            ).format(n=n, keep=keep)
        )


def restore(
    path: Annotated[str, typer.Argument(metavar="PATH", help="A backup of a book.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm: replace the book.")] = False,
) -> None:
    """Put a backup in place of the book; the book is kept as a .bak beside it.

    The backup is checked first (an SQLite file that passes its integrity check, a clientcard
    book of a schema this version knows; an older one is migrated). Needs --yes (asks only on
    a terminal). PATH may also be a book export (`export --book`, or the backup of a server's
    book). A server's book (a database URL) is restored from a book export only, into an
    empty database: nothing is replaced there, and --yes is not needed."""
    from clientcard.services import backup as service

    if not yes and on_a_terminal() and service.replaces(RUNTIME.db):
        print_line(
            _("Restoring {backup}.").format(backup=service.describe_backup(RUNTIME.db, path))
        )
        yes = ask(_("Replace the book with this backup?"))
        run_once()
    done = service.restore(RUNTIME.db, path, confirmed=yes, now=now())
    print_line(
        ngettext(
            "Restored {n} card ({records} records) from {path} into {book}",
            "Restored {n} cards ({records} records) from {path} into {book}",
            done.cards,
        ).format(n=f"{done.cards:,}", records=f"{done.records:,}", path=path, book=done.book)
    )
    if done.migrated_from is not None:
        print_line(
            _("  brought from schema revision {revision} to the current one").format(
                revision=done.migrated_from
            )
        )
    if done.kept is not None:
        print_line(_("  the book it replaced is kept as {file}").format(file=done.kept))
