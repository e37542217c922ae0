"""The settings a command works with (issue 17), the rule written once:

- on a team's book (PostgreSQL): the defaults, then the user's settings file for the PERSONAL
  keys only, then the book's own settings. A book key's value in someone's file is ignored
  there, so one person's file never moves shared cards nor explains a date with a cadence
  their colleagues do not have (`config show` lists it as ignored);
- on one person's book (an SQLite file): the defaults, then the whole file, then the book's
  values, which win where both are (a single user's file from before issue 17 keeps working).

A module of its own, importing only the domain and the store, because every command reads it
(`cli/_common.settings`, a lookup by phone) and changing a setting (services/settings.py)
imports much more."""

from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import BOOK, KEYS, Settings
from clientcard.i18n import _
from clientcard.store.config_file import load_settings
from clientcard.store.db import Db

BOOK_KEYS = frozenset(k for k, spec in KEYS.items() if spec.scope == BOOK)


def file_counts_for_book_keys(db: Db) -> bool:
    """Whether the user's file may give a book key its value (when the book has none): only
    on one person's book, an SQLite file; never on a team's (PostgreSQL) book."""
    return db.dialect != "postgresql"


def effective(db: Db, *, drop_from_file: str | None = None) -> Settings:
    """The settings a command works with (the rule above), the book's values read in the
    command's transaction (one small query). `drop_from_file`: as if the file had no value
    for that key (what `config unset` of it leaves). A key this version does not know (a
    newer clientcard's) is left alone; a value its check refuses is an error naming the
    book, as the file's are."""
    skip = BOOK_KEYS if not file_counts_for_book_keys(db) else frozenset()
    if drop_from_file is not None:
        skip = skip | {drop_from_file}
    settings = load_settings(skip=skip)
    for key, value in db.rows("SELECT key, value FROM book_setting"):
        if key not in BOOK_KEYS:
            continue
        try:
            settings = settings.with_value(key, value)
        except InvalidValue as exc:
            raise InvalidValue(
                _(
                    "the book's setting {key} cannot be read: {exc}; change it with "
                    "`clientcard config set --book {key} VALUE`"
                ).format(key=key, exc=exc)
            ) from None
    return settings
