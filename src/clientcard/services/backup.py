"""`backup` and `restore` (docs/backup.md): the rules. The file work for an SQLite book (the
backup API, the checks, the rename) is store/backup.py's.

A book behind a database URL (PostgreSQL, for a team) is backed up as the lossless book export
(services/book.py) into a private file, checked by reading it through; it is restored by
loading such a file into an empty database. The server's own tools (`pg_dump`, `pg_restore`)
remain the way to copy the whole database.
"""

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clientcard.domain.errors import InvalidValue, Refused
from clientcard.i18n import _, ngettext
from clientcard.store import backup as files
from clientcard.store.book import is_book_file

if TYPE_CHECKING:
    from clientcard.services.book import Loaded


class BackedUp:
    __slots__ = ("book_export", "cards", "deleted", "path", "records", "tables")

    def __init__(
        self,
        path: Path,
        cards: int,
        records: int,
        tables: int,
        deleted: list[Path],
        *,
        book_export: bool = False,
    ) -> None:
        self.book_export = book_export  # a server's book, written as `export --book` writes it
        self.path = path
        self.cards = cards
        self.records = records
        self.tables = tables
        self.deleted = deleted


class Restored:
    __slots__ = ("book", "cards", "kept", "migrated_from", "records")

    def __init__(
        self,
        book: Path | str,
        kept: Path | None,
        cards: int,
        records: int,
        migrated_from: str | None,
    ) -> None:
        self.book = book
        self.kept = kept
        self.cards = cards
        self.records = records
        self.migrated_from = migrated_from


def back_up(db: str | None, path: str | None, *, keep: int | None, now: datetime) -> BackedUp:
    """Copy the live book to `path`, or to a new time-stamped file in the `backups` folder
    beside it; with `keep`, then delete all but the newest `keep` backups of that folder."""
    if keep is not None and path is not None:
        raise InvalidValue(_("--keep works on the backups folder only: leave out PATH"))
    if keep is not None and keep < 1:
        raise InvalidValue(_("--keep must be 1 or more: the backup just made is kept"))
    book = files.book_target(db)
    if not isinstance(book, Path):
        return _export_server_book(book, path, keep=keep, now=now)
    if not book.is_file() or book.stat().st_size == 0:
        raise Refused(_("there is no book at {book} to back up").format(book=book))
    if path is None:
        target = files.new_automatic_path(book, now)
    else:
        given = Path(path).expanduser()
        target = _in_folder(book, given, now) if given.is_dir() else files.new_named_path(given)
    if target.resolve() == book.resolve():
        raise InvalidValue(_("the backup must be another file than the book"))
    contents = files.copy_book(book, target)
    deleted: list[Path] = []
    if keep is not None:
        deleted = _keep_newest(files.automatic_backups(book), keep, target)
    return BackedUp(target, contents.cards, contents.records, contents.tables, deleted)


def _keep_newest(backups: list[Path], keep: int, made: Path) -> list[Path]:
    """Delete all but the newest `keep` of `backups` (oldest first), the one just `made`
    always kept (it may sort first: a clock set back, a stamp already taken); returns those
    deleted."""
    others = [b for b in backups if b != made]
    deleted = []
    for old in others[: max(len(others) - (keep - 1), 0)]:
        old.unlink(missing_ok=True)
        deleted.append(old)
    return deleted


def _export_server_book(url: str, path: str | None, *, keep: int | None, now: datetime) -> BackedUp:
    """A database URL's book: its lossless export into a new private file, read through again
    to check it is whole."""
    from clientcard.services.book import book_file_counts, export_book
    from clientcard.store.book import BookFileError

    stand_in = files.server_book_stand_in(url)
    if path is None:
        target = files.new_automatic_path(stand_in, now, suffix=files.BOOK_SUFFIX)
    else:
        given = Path(path).expanduser()
        target = (
            _in_folder(stand_in, given, now, files.BOOK_SUFFIX)
            if given.is_dir()
            else files.new_named_path(given)
        )
    try:
        files.write_export(url, target, export_book)
        _, counts = book_file_counts(target)
    except BaseException as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, (BookFileError, OSError)):
            raise InvalidValue(
                _("the backup {target} could not be written whole: {exc}").format(
                    target=target, exc=exc
                )
            ) from None
        raise
    deleted = []
    if keep is not None:
        deleted = _keep_newest(files.automatic_backups(stand_in, files.BOOK_SUFFIX), keep, target)
    cards = counts.get("client", 0)
    return BackedUp(target, cards, sum(counts.values()), len(counts), deleted, book_export=True)


def _in_folder(book: Path, folder: Path, now: datetime, suffix: str = ".db") -> Path:
    """PATH a folder: the time-stamped name, in that folder."""
    return files.new_named_path(folder / f"{book.stem}-{files.utc_stamp(now)}{suffix}")


def restore(db: str | None, path: str, *, confirmed: bool, now: datetime) -> Restored:
    """Check the backup at `path`, then put it in place of the book (the old book kept as
    `<book>.<stamp>.bak`); refused unless `confirmed`. A book export (a server's backup, or
    `export --book`) also restores an SQLite book; a server's book is restored only from one,
    into an empty database (nothing is replaced there: `confirmed` is not needed)."""
    backup = Path(path).expanduser()
    if backup.is_dir():
        raise InvalidValue(
            _("cannot restore {backup}: it is a folder; give a backup file").format(backup=backup)
        )
    if not backup.is_file():
        raise InvalidValue(_("cannot restore {backup}: no such file").format(backup=backup))
    target = files.book_target(db)
    export = is_book_file(backup)
    if not isinstance(target, Path):
        if not export:
            raise InvalidValue(
                _(
                    "cannot restore {backup}: a server's book is restored from a book "
                    "export (what `backup` writes for it, or `export --book`); a pg_dump "
                    "file is pg_restore's"
                ).format(backup=backup)
            )
        return _load_server_book(target, backup)
    book = target
    if book.exists() and backup.resolve() == book.resolve():
        raise InvalidValue(
            _("{backup} is the book itself; give a backup of it").format(backup=backup)
        )
    if export and not confirmed:  # said from its first lines, before loading it all
        cards = _export_cards(backup)
        raise Refused(
            _(
                "restoring {backup} ({cards}) replaces the book {book}, which is kept as a "
                ".bak beside it; add --yes to confirm"
            ).format(backup=backup, cards=_cards(cards), book=book)
        )
    with tempfile.TemporaryDirectory(prefix=".clientcard-restore-", dir=book.parent) as scratch:
        source = backup
        if export:
            source = Path(scratch) / "book.db"
            _load_export(str(source), backup)
        try:
            contents = files.check_book_file(source)
        except files.NotABook as exc:
            raise InvalidValue(
                _("cannot restore {backup}: {exc}; nothing was changed").format(
                    backup=backup, exc=exc
                )
            ) from None
        if not confirmed:
            raise Refused(
                _(
                    "restoring {backup} ({cards}) replaces the book {book}, which is kept "
                    "as a .bak beside it; add --yes to confirm"
                ).format(backup=backup, cards=_cards(contents.cards), book=book)
            )
        kept, now_holds = files.restore_file(source, book, now)
    older = contents.revision if contents.revision != now_holds.revision else None
    return Restored(book, kept, now_holds.cards, now_holds.records, older)


def _export_cards(backup: Path) -> int:
    """How many cards a book export holds, as its first table's header says (the header line
    checked as a restore would)."""
    from clientcard.services.book import cards_in_header

    with open(backup, "rb") as stream:
        return cards_in_header(stream, str(backup), verb="restore")


def _load_export(db: str, backup: Path) -> "Loaded":
    """Load a book export into the empty book `db`, in one transaction."""
    from clientcard.services.book import import_book, read_header

    source = str(backup)
    with open(backup, "rb") as stream:
        lines = iter(stream)
        header = read_header(next(lines, None), source, verb="restore")
        return files.in_one_transaction(
            db, lambda s: import_book(s, header, lines, source, verb="restore")
        )


def _load_server_book(url: str, backup: Path) -> Restored:
    from clientcard.store.urls import mask_url

    loaded = _load_export(url, backup)
    return Restored(mask_url(url), None, loaded.cards, loaded.records, loaded.upgraded_from)


def replaces(db: str | None) -> bool:
    """Whether a restore would replace a book (an SQLite file), or load into an empty one."""
    return isinstance(files.book_target(db), Path)


def describe_backup(db: str | None, path: str) -> str:
    """For the terminal's question: what restoring `path` would do."""
    book = files.book_target(db)
    backup = Path(path).expanduser()
    try:
        if is_book_file(backup):
            return _("the book export {backup} ({cards}) over the book {book}").format(
                backup=backup, cards=_cards(_export_cards(backup)), book=book
            )
        contents = files.check_book_file(backup)
    except (files.NotABook, OSError, InvalidValue):
        return _("{backup} over the book {book}").format(backup=backup, book=book)
    return _("{backup} ({cards}) over the book {book}").format(
        backup=backup, cards=_cards(contents.cards), book=book
    )


def _cards(n: int) -> str:
    return ngettext("{n} card", "{n} cards", n).format(n=format(n, ","))
