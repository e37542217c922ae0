"""`backup` and `restore` of an SQLite book (docs/backup.md): the rules. The file work (the
backup API, the checks, the rename) is store/backup.py's.

A PostgreSQL book is refused by both, for now: the server's own tools (`pg_dump`,
`pg_restore`) copy it, until the lossless book export comes (issue 15).
"""

from datetime import UTC, datetime
from pathlib import Path

from clientcard.domain.errors import InvalidValue, Refused
from clientcard.store import backup as files


class BackedUp:
    __slots__ = ("cards", "deleted", "path", "records", "tables")

    def __init__(
        self, path: Path, cards: int, records: int, tables: int, deleted: list[Path]
    ) -> None:
        self.path = path
        self.cards = cards
        self.records = records
        self.tables = tables
        self.deleted = deleted


class Restored:
    __slots__ = ("book", "cards", "kept", "migrated_from", "records")

    def __init__(
        self, book: Path, kept: Path | None, cards: int, records: int, migrated_from: str | None
    ) -> None:
        self.book = book
        self.kept = kept
        self.cards = cards
        self.records = records
        self.migrated_from = migrated_from


def _sqlite_book(db: str | None, what: str, tool: str) -> Path:
    target = files.book_target(db)
    if not isinstance(target, Path):
        raise InvalidValue(
            f"{what} works on an SQLite book only; a server's book is copied by {tool} "
            "for now (PostgreSQL's own tool)"
        )
    return target


def back_up(db: str | None, path: str | None, *, keep: int | None, now: datetime) -> BackedUp:
    """Copy the live book to `path`, or to a new time-stamped file in the `backups` folder
    beside it; with `keep`, then delete all but the newest `keep` backups of that folder."""
    book = _sqlite_book(db, "backup", "pg_dump")
    if keep is not None and path is not None:
        raise InvalidValue("--keep works on the backups folder only: leave out PATH")
    if keep is not None and keep < 1:
        raise InvalidValue("--keep must be 1 or more: the backup just made is kept")
    if not book.is_file() or book.stat().st_size == 0:
        raise Refused(f"there is no book at {book} to back up")
    if path is None:
        target = files.new_automatic_path(book, now)
    else:
        given = Path(path).expanduser()
        target = _in_folder(book, given, now) if given.is_dir() else files.new_named_path(given)
    if target.resolve() == book.resolve():
        raise InvalidValue("the backup must be another file than the book")
    contents = files.copy_book(book, target)
    deleted: list[Path] = []
    if keep is not None:
        older = files.automatic_backups(book)[:-keep]
        for old in older:
            old.unlink(missing_ok=True)
            deleted.append(old)
    return BackedUp(target, contents.cards, contents.records, len(contents.counts), deleted)


def _in_folder(book: Path, folder: Path, now: datetime) -> Path:
    """PATH a folder: the time-stamped name, in that folder."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return files.new_named_path(folder / f"{book.stem}-{stamp}.db")


def restore(db: str | None, path: str, *, confirmed: bool, now: datetime) -> Restored:
    """Check the backup at `path`, then put it in place of the book (the old book kept as
    `<book>.<stamp>.bak`); refused unless `confirmed`."""
    book = _sqlite_book(db, "restore", "pg_restore")
    backup = Path(path).expanduser()
    if not backup.is_file():
        raise InvalidValue(f"cannot restore {backup}: no such file")
    if book.exists() and backup.resolve() == book.resolve():
        raise InvalidValue(f"{backup} is the book itself; give a backup of it")
    try:
        contents = files.check_book_file(backup)
    except files.NotABook as exc:
        raise InvalidValue(f"cannot restore {backup}: {exc}; nothing was changed") from None
    if not confirmed:
        raise Refused(
            f"restoring {backup} ({_cards(contents.cards)}) replaces the book {book}, which is "
            "kept as a .bak beside it; add --yes to confirm"
        )
    kept, now_holds = files.restore_file(backup, book, now)
    older = contents.revision if contents.revision != now_holds.revision else None
    return Restored(book, kept, now_holds.cards, now_holds.records, older)


def describe_backup(db: str | None, path: str) -> str:
    """For the terminal's question: what restoring `path` would do."""
    book = _sqlite_book(db, "restore", "pg_restore")
    backup = Path(path).expanduser()
    try:
        contents = files.check_book_file(backup)
    except (files.NotABook, OSError):
        return f"{backup} over the book {book}"
    return f"{backup} ({_cards(contents.cards)}) over the book {book}"


def _cards(n: int) -> str:
    return f"{n:,} card{'s' if n != 1 else ''}"
