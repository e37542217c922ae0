"""Where the book is: `--db`, else CLIENTCARD_DB, else the per-user data directory.

A value containing `://` is an SQLAlchemy URL (PostgreSQL for a team), checked for its form and
remembered so that no message shows its password (store/urls.py); anything else is the path of
an SQLite file. Light on purpose: every command reads this before it touches the database.
"""

import contextlib
import os
import stat
from pathlib import Path

from clientcard.domain.errors import DatabaseError, InvalidValue
from clientcard.i18n import _
from clientcard.store import urls

BUSY_TIMEOUT_MS = 5000


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("clientcard", appauthor=False) / "clientcard.db"


def locate(db: str | None) -> Path | str:
    """The SQLite file (a Path) or the database URL (a str) to open."""
    if not db:
        db = os.environ.get("CLIENTCARD_DB") or None
    if db and "\x00" in db:  # never in a real argument or variable; open() would fail on it
        raise DatabaseError(_("cannot open the database: --db holds a NUL character (\\0)"))
    if db and "://" in db:
        urls.remember(db)  # from now on, no message or traceback shows its password
        problem = urls.url_problem(db)
        if problem is not None:
            shown = urls.shorten(urls.mask_url(db))
            raise InvalidValue(
                _(
                    "malformed database URL {url}: {problem}; a URL looks like "
                    "{example} (keep the password out of it: PGPASSWORD or ~/.pgpass)"
                ).format(url=repr(shown), problem=_(problem), example=urls.EXAMPLE)
            )
        return db
    if not db:
        return default_db_path()  # its folder is created on first use
    path = Path(db)
    with contextlib.suppress(RuntimeError):  # `~nouser/...`: kept as typed, as a shell does
        path = path.expanduser()
    try:
        mode = path.stat().st_mode
    except OSError:
        pass  # no such file (a new book), or one SQLite will say it cannot open
    else:
        if not stat.S_ISREG(mode):  # a folder, /dev/null, a pipe: SQLite would fail late
            raise DatabaseError(
                _("cannot open the database {path}: it is not a file").format(path=path)
            )
    if not path.parent.is_dir():  # a typo in --db must not quietly start an empty book
        problem = (
            _("{folder} is not a folder")
            if path.parent.exists()
            else _("the folder {folder} does not exist")
        ).format(folder=path.parent)
        raise DatabaseError(
            _("cannot open the database {path}: {problem}").format(path=path, problem=problem)
        )
    return path


def create_private_file(path: Path) -> None:
    """Create an SQLite file (and its folder) with mode 0600: client data is personal data."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseError(
            _("cannot create the database at {path}: {reason}").format(
                path=path, reason=exc.strerror
            )
        ) from None
