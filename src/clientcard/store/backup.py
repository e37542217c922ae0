"""A copy of a live SQLite book, and a book put back from one (`backup`, `restore`:
docs/backup.md). The file work is here, in the store; the rules are in services/backup.py.

The copy is made with SQLite's backup API from a connection that first opens a read
transaction and counts every table's rows in it: the backup then reads that same snapshot (in
WAL mode, writers in other processes go on meanwhile without disturbing it), so the counts are
those of the state copied. The copy is then checked on its own: `PRAGMA integrity_check` says
`ok`, and each table holds the rows counted.
"""

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from clientcard.domain.errors import DatabaseError, InvalidValue
from clientcard.store import location
from clientcard.store.db import Db, is_busy
from clientcard.store.fulltext import is_index_table
from clientcard.store.open import transaction
from clientcard.store.revision import HEAD_REVISION, known_revisions, stored_revision
from clientcard.store.sqlite import SqliteDb, configure_sqlite

T = TypeVar("T")

BACKUPS_FOLDER = "backups"
BOOK_SUFFIX = ".book.jsonl"  # a server's book, backed up as its book export
CARDS_TABLE = "client"
_SKIPPED = "alembic_version"  # the schema revision: a row, but not a record


class Contents:
    """What a book file holds: its rows per table, and its schema revision."""

    __slots__ = ("counts", "revision")

    def __init__(self, counts: dict[str, int], revision: str | None) -> None:
        self.counts = counts
        self.revision = revision

    @property
    def cards(self) -> int:
        return self.counts.get(CARDS_TABLE, 0)

    @property
    def records(self) -> int:
        return sum(n for table, n in self.counts.items() if table != _SKIPPED)

    @property
    def tables(self) -> int:
        """The tables of records (the schema revision's not counted), as a book export has."""
        return sum(1 for table in self.counts if table != _SKIPPED)


def utc_stamp(now: datetime) -> str:
    """`20261204T010000Z`: the moment in a backup's name, in UTC."""
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def book_target(db: str | None) -> Path | str:
    """The SQLite file of `--db`/CLIENTCARD_DB/the default, or the URL (a str)."""
    return location.locate(db)


def backups_folder(book: Path) -> Path:
    return book.parent / BACKUPS_FOLDER


def _pattern(book: Path, suffix: str) -> re.Pattern[str]:
    return re.compile(re.escape(book.stem) + r"-(\d{8}T\d{6}Z)(?:-(\d+))?" + re.escape(suffix))


def server_book_stand_in(url: str) -> Path:
    """Where a server's book would be if it were a file, to name and find its backups: the
    database's name, and its server's when the URL names one (`team_db_example_com`: two
    servers' `team` databases never share backups), in the per-user data directory
    (`backups/team_db_example_com-<stamp>.book.jsonl`)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    database = parts.path.rsplit("/", 1)[-1]
    if parts.scheme.startswith("sqlite"):  # sqlite:///path/team.db: the file's name
        database = Path(database).stem
    host = parts.hostname  # None for a local socket (`postgresql+psycopg:///team`, `?host=`)
    name = re.sub(r"[^\w-]+", "_", f"{database}_{host}" if host else database) or "book"
    return location.default_db_path().with_name(name)


def automatic_backups(book: Path, suffix: str = ".db") -> list[Path]:
    """The backups `backup` wrote into the default folder, oldest first (by their time stamp,
    then their number for two in one second)."""
    folder = backups_folder(book)
    if not folder.is_dir():
        return []
    pattern = _pattern(book, suffix)
    found = []
    for entry in folder.iterdir():
        if (m := pattern.fullmatch(entry.name)) and entry.is_file():
            found.append(((m[1], int(m[2] or 1)), entry))
    return [path for _, path in sorted(found)]


def _create_new(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot write the backup {path}: {exc.strerror}") from None
    return True


def new_automatic_path(book: Path, now: datetime, suffix: str = ".db") -> Path:
    """A new, empty private file in the backups folder (created 0700), named by the time."""
    folder = backups_folder(book)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder {folder}: {exc.strerror}") from None
    stamp = utc_stamp(now)
    # After the highest number already taken in that second (an earlier one may be gone), so
    # that the new copy sorts after every other backup of its second.
    taken = [
        int(m[2] or 1)
        for entry in folder.iterdir()
        if (m := _pattern(book, suffix).fullmatch(entry.name)) and m[1] == stamp
    ]
    number = max(taken, default=0) + 1
    while True:
        name = f"{book.stem}-{stamp}{'' if number == 1 else f'-{number}'}{suffix}"
        if _create_new(folder / name):
            return folder / name
        number += 1


def new_named_path(path: Path) -> Path:
    """The user's PATH, created private; refused if something is there already."""
    if not path.parent.is_dir():
        raise InvalidValue(
            f"cannot write the backup {path}: the folder {path.parent} does not exist"
        )
    if path.exists() or not _create_new(path):
        raise InvalidValue(f"{path} exists already; give the name of a new file")
    return path


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    # The search index's tables (derived from the records: store/fulltext.py) are not records.
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "ORDER BY name"
        )
        if not is_index_table(name)
    ]
    return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _open(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(
            uri, uri=True, timeout=location.BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    else:
        connection = sqlite3.connect(
            path, timeout=location.BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    connection.execute(f"PRAGMA busy_timeout = {location.BUSY_TIMEOUT_MS}")
    return connection


def _single_file(connection: sqlite3.Connection) -> None:
    """A copy is one file: out of WAL mode (the copy takes the book's mode with its pages)."""
    connection.execute("PRAGMA journal_mode = DELETE")


def _copy_into(source: sqlite3.Connection, target: Path) -> None:
    """The database of `source` (as its transaction sees it) into `target`, as one file."""
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(dest)
        _single_file(dest)
    finally:
        dest.close()


def copy_book(book: Path, target: Path) -> Contents:
    """Copy the live book into `target` (an empty file) and check the copy; the target is
    removed again if anything fails. Returns what the copy holds."""
    try:
        source = _open(book, read_only=False)
        configure_sqlite(source)  # the book's own settings (WAL), as every command opens it
        try:
            source.execute("BEGIN")  # one read snapshot: the counts, then the copy of it
            counted = _counts(source)
            revision = stored_revision(SqliteDb(source))
            _copy_into(source, target)
            source.execute("COMMIT")
        finally:
            source.close()
        copied = check_book_file(target, mapped=True)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            target.unlink()
        if isinstance(exc, NotABook) or (
            isinstance(exc, sqlite3.DatabaseError) and not is_busy(exc)
        ):
            raise DatabaseError(f"cannot back up {book}: {exc}") from None
        raise
    if copied.counts != counted or copied.revision != revision:
        with contextlib.suppress(OSError):
            target.unlink()
        raise DatabaseError(f"the copy of {book} does not hold what the book held; it was removed")
    return copied


class NotABook(Exception):
    """The file is not a clientcard book a restore can use; the message says why."""


def check_book_file(path: Path, *, read_only: bool = True, mapped: bool = False) -> Contents:
    """What a book file holds, after `PRAGMA integrity_check` says `ok` (read-only unless told:
    a read-only connection to a book in WAL mode leaves its -wal and -shm files behind).

    `mapped`: SQLite reads the file through a memory map of its whole size (`mmap_size`)
    instead of copying each page into its own small page cache: the check looks every index
    entry up in its table, page after page, and does it in about two thirds of the time
    (docs/backup.md). For the copy `backup` has just written only: a memory map turns an I/O
    error (a file on a pulled USB stick) into a crash rather than an error message, so a file
    handed to `restore` is read the ordinary way."""
    try:
        connection = _open(path, read_only=read_only)
        if mapped:
            connection.execute(f"PRAGMA mmap_size = {path.stat().st_size}")
    except sqlite3.DatabaseError as exc:
        raise NotABook(f"SQLite cannot open it ({exc})") from None
    try:
        connection.execute("BEGIN")
        verdict = connection.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            shown = "; ".join(str(row[0]) for row in verdict[:3])
            raise NotABook(f"it fails SQLite's integrity check ({shown})")
        revision = stored_revision(SqliteDb(connection))
        counts = _counts(connection)
        connection.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise
        name = getattr(exc, "sqlite_errorname", "")
        why = "it is not an SQLite database" if name == "SQLITE_NOTADB" else str(exc)
        raise NotABook(why) from None
    finally:
        connection.close()
    if revision is None:
        raise NotABook("it is not a clientcard book (no schema revision)")
    if revision not in known_revisions():
        raise NotABook(
            f"it is at schema revision {revision}, newer than this clientcard knows "
            f"({HEAD_REVISION}); upgrade clientcard"
        )
    return Contents(counts, revision)


def write_export(url: str, target: Path, lines_of: Callable[[Db], Iterable[bytes]]) -> None:
    """A server's book written into `target` (a new private file) as `lines_of` reads it, in
    one read transaction (services/backup.py: the book export)."""
    with transaction(url, write=False) as db, open(target, "wb") as out:
        out.writelines(lines_of(db))


def in_one_transaction(db: str, work: Callable[[Db], T]) -> T:
    """`work` (a book export's load) in one write transaction on the book `db`: all of it is
    written, or nothing."""
    with transaction(db, write=True) as opened:
        return work(opened)


def old_book_path(book: Path, now: datetime) -> Path:
    """`<book>.<UTC stamp>.bak`, the name a migration's backup has too; a new private file."""
    stamp = utc_stamp(now)
    number = 1
    while True:
        name = f"{book.name}.{stamp}{'' if number == 1 else f'.{number}'}.bak"
        if _create_new(book.with_name(name)):
            return book.with_name(name)
        number += 1


def restore_file(backup: Path, book: Path, now: datetime) -> tuple[Path | None, Contents]:
    """Put a checked backup in place of the book: the backup is copied beside the book, the
    book (if any) is copied to `<book>.<stamp>.bak` with the backup API, and the copy renamed
    over the book (atomic). An older schema is then migrated, as opening it would. Returns the
    old book's copy (None when there was no book) and what the book now holds."""
    staging = book.with_name(f".{book.name}.restoring-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    _create_new(staging)
    kept: Path | None = None
    try:
        source = _open(backup, read_only=True)
        try:
            _copy_into(source, staging)
        finally:
            source.close()
        if book.exists() and book.stat().st_size > 0:
            kept = old_book_path(book, now)
            try:
                copy_book(book, kept)
            except DatabaseError:  # a damaged book (why one restores): kept byte for byte
                _create_new(kept)
                shutil.copyfile(book, kept)
                wal = book.with_name(book.name + "-wal")
                if wal.exists():
                    shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        os.replace(staging, book)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise
    for suffix in ("-wal", "-shm"):  # the old book's: its content is in the .bak
        with contextlib.suppress(FileNotFoundError):
            book.with_name(book.name + suffix).unlink()
    with transaction(str(book), write=False):
        pass  # brings an older backup to the current schema (and back into WAL mode)
    return kept, check_book_file(book, read_only=False)
