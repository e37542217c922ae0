"""The settings a command works with: the defaults, then the user's settings file, then the
book's own settings (issue 17). A module of its own, importing only the domain and the store,
because every command reads it (`cli/_common.settings`, a lookup by phone) and changing a
setting (services/settings.py) imports much more."""

from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import BOOK, KEYS, Settings
from clientcard.store.config_file import load_settings
from clientcard.store.db import Db


def effective(db: Db) -> Settings:
    """The settings a command works with: the defaults, then the user's settings file, then
    the book's values, read in the command's transaction (one small query). A key this
    version does not know (a newer clientcard's) is left alone; a value its check refuses is
    an error naming the book, as the file's are."""
    settings = load_settings()
    for key, value in db.rows("SELECT key, value FROM book_setting"):
        if key not in KEYS or KEYS[key].scope != BOOK:
            continue
        try:
            settings = settings.with_value(key, value)
        except InvalidValue as exc:
            raise InvalidValue(
                f"the book's setting {key} cannot be read: {exc}; "
                f"change it with `clientcard config set --book {key} VALUE`"
            ) from None
    return settings
