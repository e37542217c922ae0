"""Schema revisions: the ones this clientcard knows, the one it expects, the one a book holds.

The known revisions are read from the names of the migration scripts (`0004_client_search_key.py`
is revision 0004): one directory listing at import, so that opening a book at the current schema
never imports Alembic or SQLAlchemy. HEAD_REVISION, the one this clientcard expects, is the
newest of them; tests/test_migrations.py checks that it is Alembic's head.
"""

import os
import re
from pathlib import Path

from clientcard.store.db import Db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# `0004_client_search_key.py`: digits, an underscore, a name in word characters (Alembic's
# `--rev-id NNNN -m "what changed"` writes such names; a name with a hyphen would not count,
# and tests/test_migrations.py would then fail on a revision Alembic knows and we do not).
_SCRIPT = re.compile(r"(\d+)_\w*\.py")
_KNOWN = frozenset(
    m[1] for name in os.listdir(MIGRATIONS_DIR / "versions") if (m := _SCRIPT.fullmatch(name))
)
HEAD_REVISION = max(_KNOWN, key=int)


def known_revisions() -> frozenset[str]:
    return _KNOWN


def stored_revision(db: Db) -> str | None:
    """The schema revision the book holds (Alembic's `alembic_version` table), None for a new
    database: the one reader, on either backend."""
    if not db.has_table("alembic_version"):
        return None
    found = db.scalar("SELECT version_num FROM alembic_version")
    return None if found is None else str(found)
