"""`db status` and `db upgrade` (docs/team.md): the rules. Looking at a book without migrating
it, and the upgrade with its backup, are store/admin.py's.

- `db status` works on a book at any schema (an older one is how an admin finds out it needs
  an upgrade), and never creates, migrates or writes it.
- `db upgrade` makes a backup first (an SQLite book: the `.bak` copy; a server's book: its book
  export, at the schema it has, checked by reading it through), then migrates; a book already
  at this clientcard's schema is left alone, without a backup.
"""

import os
from datetime import datetime
from pathlib import Path

from clientcard.i18n import N_
from clientcard.services.said import Said, said
from clientcard.services.views.admin import StatusView
from clientcard.store import admin
from clientcard.store.db import Db
from clientcard.store.revision import HEAD_REVISION, known_revisions
from clientcard.store.search_index import search_index

Upgraded = admin.Upgraded


def book_status(db: str | None) -> list[StatusView]:
    """Every fact `db status` shows, in its order: the book, then rows per table, then the
    owners of live cards, most cards first."""
    with admin.look(db) as looked:
        rows = [
            StatusView("book", "engine", looked.engine),
            StatusView("book", "database", looked.where),
            StatusView("book", "schema", looked.revision, *_schema_note(looked)),
            StatusView(
                "book", "expected", HEAD_REVISION, *said(N_("the schema this clientcard needs"))
            ),
        ]
        upgrade, note = _upgrade(looked)
        rows.append(StatusView("book", "upgrade", upgrade, *note))
        user, note = _user(looked.db)
        rows.append(StatusView("book", "user", user, *note))
        if looked.db is None or looked.revision is None:
            return rows
        search = search_index(looked.db)
        rows.append(StatusView("book", "search", search.kind, search.note, search.shown()))
        rows += [
            StatusView("table", table, count)
            for table, count in admin.table_counts(looked.db).items()
        ]
        rows += [StatusView("owner", owner, cards) for owner, cards in _owners(looked.db)]
    return rows


def _user(db: Db | None) -> tuple[str, Said]:
    """The current user as the book records them (`Db.user`), and where the name came from.
    Without a book there is no role to ask: a bare `Db` asks no database."""
    name = (db if db is not None else Db()).user()
    if os.environ.get("CLIENTCARD_USER", "").strip():
        return name, said(N_("from CLIENTCARD_USER"))
    if db is not None and db.dialect == "postgresql":
        return name, said(N_("the database role (CLIENTCARD_USER is not set)"))
    return name, said(N_("the login name (CLIENTCARD_USER is not set)"))


def _schema_note(looked: admin.Looked) -> Said:
    if looked.db is None:
        return said(N_("no book yet: the first command creates it"))
    if looked.revision is None:
        return said(
            N_("an empty database: the first command (or `clientcard db upgrade`) creates the book")
        )
    return said(N_("the schema revision the book holds"))


def _upgrade(looked: admin.Looked) -> tuple[str, Said]:
    """Whether the book needs `db upgrade`: `no`, `needed`, or `newer` (a newer clientcard
    wrote it)."""
    revision = looked.revision
    if revision is None:
        return "no", said(N_("nothing to upgrade"))
    if revision == HEAD_REVISION:
        return "no", said(N_("the book is at the schema this clientcard needs"))
    if revision not in known_revisions():
        return "newer", said(N_("a newer clientcard wrote this book: upgrade clientcard"))
    if looked.engine == "sqlite":
        return (
            "needed",
            said(
                N_(
                    "the next command upgrades it, with a .bak copy first; or "
                    "`clientcard db upgrade`"
                )
            ),
        )
    return (
        "needed",
        said(N_("run `clientcard db upgrade` as the book's owner role: commands stop until then")),
    )


def _owners(db: Db) -> list[tuple[str | None, int]]:
    """Live cards per owner (None: cards nobody owns), most first, then by name."""
    found = [
        (None if owner is None else str(owner), int(cards))
        for owner, cards in db.rows(
            "SELECT owner, count(*) FROM client WHERE archived_at IS NULL GROUP BY owner"
        )
    ]
    return sorted(found, key=lambda pair: (-pair[1], pair[0] is None, pair[0] or ""))


def upgrade_book(db: str | None, now: datetime) -> Upgraded:
    """Bring the book to this clientcard's schema, its backup made (and checked) first."""
    return admin.upgrade_book(db, now, check_backup=_check_backup)


def _check_backup(path: Path) -> None:
    """A server's backup must read through whole before the migrations run."""
    from clientcard.services.book import book_file_counts

    book_file_counts(path)
