"""The owners' names in the book, read cheaply: what `due` needs on every run to know whose
agenda it shows, and `list --owner`, `handover` to find a name's stored spelling."""

from clientcard.domain.pool import name_fold
from clientcard.store.db import Db

# Every distinct owner, by a skip scan of ix_client_owner: one index seek per owner (`min(owner)
# above the last one`) instead of reading the whole index, as SELECT DISTINCT does on SQLite and
# PostgreSQL alike (28,000 cards, 8 owners: 0.05 ms against 1.8 ms on SQLite).
OWNERS = (
    "WITH RECURSIVE owners(name) AS ("
    "SELECT min(owner) FROM client"
    " UNION ALL "
    "SELECT (SELECT min(owner) FROM client WHERE owner > owners.name) FROM owners"
    " WHERE owners.name IS NOT NULL"
    ") SELECT name FROM owners WHERE name IS NOT NULL"
)


def owner_names(db: Db) -> list[str]:
    """Every owner's name as stored, once each, in the database's order."""
    return [str(name) for (name,) in db.rows(OWNERS)]


def spellings_in(names: list[str], name: str) -> list[str]:
    """The stored spellings among `names` of `name` (case and Unicode form aside)."""
    folded = name_fold(name)
    return sorted(n for n in names if name_fold(n) == folded)
