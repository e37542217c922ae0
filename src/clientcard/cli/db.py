"""`clientcard db status|upgrade`: the book's schema, what it holds, and its upgrade
(docs/team.md)."""

from typing import TYPE_CHECKING

import typer

from clientcard.cli._common import RUNTIME, FormatOption, Listing, RawOption, Table, now
from clientcard.i18n import N_, _
from clientcard.output import Column, Format, print_line, print_warning

if TYPE_CHECKING:
    from clientcard.services.views.admin import StatusView

app = typer.Typer(
    name="db",
    help="The book's database: its status, and the upgrade of its schema.",
    no_args_is_help=True,
)

UPGRADE = {"no": N_("no"), "needed": N_("needed"), "newer": N_("newer")}

STATUS: "Table[StatusView]" = Table(
    "admin.StatusView",
    [
        Column("section", "Section", no_wrap=True),
        Column("shown", "Name", context="item"),  # a table, an owner, a setting: not a person's
        Column("value_shown", "Value", context="setting"),
        Column("note", "Note", detail=True),
    ],
    # Live cards nobody owns: `(none)` for people, as `list --owner none` names them. The
    # upgrade's answer in words (the machine formats keep the code).
    extra={
        "shown": lambda row: "(none)" if row.section == "owner" and not row.name else row.name,
        "value_shown": lambda row: _(UPGRADE[row.value]) if row.value in UPGRADE else row.value,
    },
)


@app.command("status")
def status(fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """What the book is, holds and needs: its schema, the user, search, tables and owners.

    The engine, where the book is (a URL with its password masked), its schema revision
    against the one this clientcard needs, the current user, whether search has its index,
    rows per table, and live cards per owner. Never creates, migrates or changes the book: it
    works on a book whose schema is behind (that is how you find out it needs `clientcard db
    upgrade`)."""
    from clientcard.services.admin import book_status

    Listing(fmt, raw=raw).write(book_status(RUNTIME.db), STATUS, title=_("The book"))


@app.command("upgrade")
def upgrade() -> None:
    """Bring the book's schema to the one this clientcard needs, with a backup first.

    An SQLite book is first copied to a .bak file beside it (BOOK.UTC-TIME.bak); a book on a
    server (PostgreSQL) is written as its book export into the `backups` folder of your data
    directory (as `backup` does; `restore` loads it into an empty database), and read through
    to check it, before the schema changes. The upgrade runs in one transaction: it all
    happens, or nothing. A book already at the schema is left alone (no backup), so running it
    twice is safe; two at once run one after the other. On PostgreSQL run it as the book's
    owner role (docs/team.md); it also makes search's trigram index when pg_trgm has become
    available."""
    from clientcard.services.admin import upgrade_book

    done = upgrade_book(RUNTIME.db, now())
    if done.backup is not None:
        print_line(_("Backed up the book to {file}").format(file=done.backup))
    if done.from_revision is None:
        print_line(
            _("Created the book's schema at revision {revision} in {where}").format(
                revision=done.to_revision, where=done.where
            )
        )
    elif done.changed:
        print_line(
            _("Upgraded {where} from schema revision {old} to {new}").format(
                where=done.where, old=done.from_revision, new=done.to_revision
            )
        )
    else:
        print_line(
            _("{where} is at schema revision {revision} already: nothing to do").format(
                where=done.where, revision=done.to_revision
            )
        )
    if done.search is not None and not done.search.indexed:
        print_warning(_("search has no index: {note}").format(note=done.search.shown()))
