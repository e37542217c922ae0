"""Settings: the effective ones of a command (defaults < the user's file < the book's table),
and changing one — in the book (`config set --book`) or in the user's file — rescheduling the
cards a new cadence affects.

Which key is of the book and which is personal is `Key.scope` (domain/settings.py). A book
setting's value lives in `book_setting` (one row a key, the value as `config show` shows it:
checked and normalised, `5d` is kept as `5`), each change in `book_setting_change` (who, when,
the new value, or None when it went back to the default). The user's file may still hold a
book key (a single user's file from before issue 17): whether it counts is the rule of
services/effective.py (on one person's SQLite book while the book has no value for the key;
never on a team's PostgreSQL book).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import BOOK, KEYS, Settings, check, is_book_key
from clientcard.i18n import _
from clientcard.services.effective import effective, file_counts_for_book_keys
from clientcard.store.config_file import config_path, read_raw
from clientcard.store.db import Db
from clientcard.store.records import BookSetting, BookSettingChange


@dataclass(frozen=True)
class Source:
    """Where a setting's effective value comes from: `default`, `file` or `book` (with who
    changed it and when)."""

    name: str
    changed_by: str | None = None
    changed_at: datetime | None = None
    file_ignored: bool = False  # the file has a value of this book key, ignored (a team's book)


@dataclass(frozen=True)
class Shown:
    """`config show`: the effective settings, where each value comes from, and the file."""

    settings: Settings
    sources: dict[str, Source]
    file: str
    book: bool = True  # False: there is no book yet (defaults and the file only)


def show_settings(db: Db | None) -> Shown:
    """`config show`: every setting's effective value and where it comes from (the book's
    values with who changed them and when). `db` None: there is no book yet (an SQLite file
    not created): the defaults and the user's whole file, as on one person's book."""
    from clientcard.store.config_file import load_settings

    settings = effective(db) if db is not None else load_settings()
    in_file = read_raw()
    book = {r.key: r for r in db.select(BookSetting)} if db is not None else {}
    file_counts = db is None or file_counts_for_book_keys(db)
    sources: dict[str, Source] = {}
    for key, spec in KEYS.items():
        row = book.get(key) if spec.scope == BOOK else None
        ignored = key in in_file and spec.scope == BOOK and not file_counts
        if row is not None:
            sources[key] = Source("book", row.changed_by, row.changed_at, file_ignored=ignored)
        elif key in in_file and not ignored:
            sources[key] = Source("file")
        else:
            sources[key] = Source("default", file_ignored=ignored)
    return Shown(settings, sources, str(config_path()), book=db is not None)


@dataclass(frozen=True)
class Changed:
    key: str
    value: Any  # None: back to the default (or the file's value)
    rescheduled: int  # cards whose next follow-up moved with a new cadence
    rekeyed: int = 0  # cards whose phones' keys changed with a new phone.region
    book: bool = False  # in the book (else in the user's file)
    where: str = ""  # the file written, for a personal setting
    removed: bool = True  # unset: whether there was a value to remove (book or file)


def _scope_check(key: str, book: bool, verb: str) -> None:
    """A book setting is changed with --book, a personal one without: one line saying which.
    An unknown key is refused naming the known ones."""
    if key not in KEYS:
        check(key, None)
    value = " VALUE" if verb == "set" else ""
    if is_book_key(key) and not book:
        raise InvalidValue(
            _(
                "{key} is a setting of the book, the same for everyone who shares it: use "
                "`clientcard config {verb} --book {key}{value}`"
            ).format(key=key, verb=verb, value=value)
        )
    if book and not is_book_key(key):
        raise InvalidValue(
            _(
                "{key} is a personal setting, kept in your settings file: use `clientcard "
                "config {verb} {key}{value}` without --book"
            ).format(key=key, verb=verb, value=value)
        )


def _apply(db: Db, key: str, after: Settings, *, now: datetime) -> Changed:
    """What a new value of `key` does to the book: a cadence reschedules the cards that follow
    it (dates the user set stay); a phone.region reads every phone's key again in the new
    region (`rekey_phones`: the keys of national numbers change with the region's country
    code), even when it is the same region: that is how the keys of a book come back in line
    with its region."""
    rescheduled = rekeyed = 0
    if key == "phone.region":
        from clientcard.services.clients import rekey_phones

        rekeyed = rekey_phones(db, after.phone_region)
    if key.startswith("cadence."):
        rescheduled = _reschedule(db, key, after, now=now)
    return Changed(key, None, rescheduled, rekeyed)


def _reschedule(db: Db, key: str, settings: Settings, *, now: datetime) -> int:
    """Move the next follow-up of every live card of the cadence's grade that follows the
    cadence (cadence.F-new: only never-visited F cards); returns how many moved."""
    from clientcard.domain.agenda import FollowupKind
    from clientcard.domain.dates import zone_of
    from clientcard.domain.grades import Grade
    from clientcard.services.schedule import schedule_by_cadence
    from clientcard.store.records import Client

    tz = zone_of(now)
    name = key.split(".", 1)[1]
    grade = Grade(name.split("-", 1)[0])
    never_visited = " AND last_visit_at IS NULL" if "-" in name else ""
    cards = db.select(
        Client,
        "WHERE grade = :grade AND followup_kind = :cadence AND archived_at IS NULL"
        + never_visited
        + f" ORDER BY id{db.for_update}",  # locked: a log meanwhile waits, then moves it
        grade=grade.value,
        cadence=FollowupKind.cadence.value,
    )
    followup = ("next_followup_on", "followup_kind", "followup_note")
    moved = 0
    for card in cards:
        before = [getattr(card, column) for column in followup]
        schedule_by_cadence(card, settings, tz)
        if [getattr(card, column) for column in followup] != before:
            db.update(card, *followup)  # a stray note is cleared too
        if card.next_followup_on != before[0]:
            moved += 1
    return moved


def _text(checked: Any) -> str:
    return str(getattr(checked, "value", checked))


def change_setting(db: Db, key: str, value: str, *, now: datetime, book: bool = False) -> Changed:
    """Check and save one setting: a book setting (`book`) in the book's table, recorded with
    who changed it; a personal one in the user's file, written last, so that a failure leaves
    both as they were. A book key without `book` (or a personal one with it) is refused with
    one line saying which it is."""
    checked = check(key, value)
    _scope_check(key, book, "set")
    stored = _text(checked)
    if book:
        _write_book(db, key, stored, now=now)
    done = _apply(db, key, effective(db).with_value(key, checked), now=now)
    if book:
        return Changed(key, stored, done.rescheduled, done.rekeyed, book=True)
    from clientcard.store.config_file import set_value

    kept = set_value(key, value)
    return Changed(key, kept, done.rescheduled, done.rekeyed, where=str(config_path()))


def reset_setting(db: Db, key: str, *, now: datetime, book: bool = False) -> Changed:
    """Take a setting back. With `book`: the book's row removed (the change recorded, value
    None, only when there was a row), so that the default (or, on one person's book, the
    user's file) applies again. Without: the key taken out of the user's file (written last),
    a book key's stale value too, since the file is the user's own. Cards are rescheduled
    (phones re-keyed) only when the effective value changes, by the book's effective value."""
    if book or key not in KEYS:
        _scope_check(key, book, "unset")
    before = effective(db)
    if book:
        removed = bool(db.execute("DELETE FROM book_setting WHERE key = :key", key=key))
        if removed:
            db.insert(BookSettingChange(key=key, value=None, at=now, author=db.author()))
        after = effective(db)
    else:
        from clientcard.store.config_file import read_raw

        removed = key in read_raw()
        after = effective(db, drop_from_file=key)
    rescheduled = rekeyed = 0
    if removed and (book or after[key] != before[key]):
        done = _apply(db, key, after, now=now)
        rescheduled, rekeyed = done.rescheduled, done.rekeyed
    if not book and removed:
        from clientcard.store.config_file import unset_value

        unset_value(key)
    shown = _text(after[key])
    return Changed(key, shown, rescheduled, rekeyed, book, str(config_path()), removed)


def unset_personal(key: str) -> Changed:
    """`config unset` of a personal key: only the user's file, no book opened."""
    from clientcard.store.config_file import unset_value

    removed = unset_value(key)
    return Changed(key, _text(KEYS[key].default), 0, 0, False, str(config_path()), removed)


def change_personal(key: str, value: str) -> Changed:
    """`config set` of a personal key (or a refused one: a book key without --book): only the
    user's file, no book opened."""
    check(key, value)
    _scope_check(key, False, "set")
    from clientcard.store.config_file import set_value

    kept = set_value(key, value)
    return Changed(key, kept, 0, where=str(config_path()))


def _write_book(db: Db, key: str, value: str, *, now: datetime) -> None:
    """The book's value of `key`, and the change recorded. One upsert (SQLite and PostgreSQL
    alike), so two users setting a key the book has no value for yet cannot collide on its
    primary key: the second waits for the first and then overwrites it."""
    user = db.author()
    db.execute(
        "INSERT INTO book_setting (key, value, changed_at, changed_by) "
        "VALUES (:key, :value, :at, :by) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value, changed_at = excluded.changed_at, "
        "changed_by = excluded.changed_by",
        key=key,
        value=value,
        at=now,
        by=user,
    )
    db.insert(BookSettingChange(key=key, value=value, at=now, author=user))
