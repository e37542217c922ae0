"""The command line: Typer commands that parse arguments, call one service and render.

Commands import services (and so the database stack) inside their bodies, never at module level,
so `clientcard --help` and shell completion start fast. The command modules themselves are
imported only for the command that runs (cli/_tree.py): the tree below names them.
"""

from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer

from clientcard.cli._click import Command
from clientcard.cli._common import RUNTIME
from clientcard.cli._tree import CommandTree, Entry
from clientcard.cli.errors import CardGroup, whole_help

# The everyday actions on a card come first in `--help`, then the other card commands, the
# whole-book ones, then one group per kind of record. Each: its name, the module and attribute
# that define it, and the first paragraph of its help, which `--help` and completion show
# without importing the module (tests/test_lazy_tree.py checks it against the command).
COMMANDS = (
    Entry(
        "add", "cards", "add", "Add a card for a client or prospect. Prints its id and a summary."
    ),
    Entry(
        "log",
        "agenda",
        "log",
        "Log a contact the moment it happens; the card's next follow-up moves with it.",
    ),
    Entry(
        "grade", "grades", "grade", "Regrade a card, show its grade history, or show the ladder."
    ),
    Entry("show", "show", "show", "Show the whole card: the page to read before a visit."),
    Entry("list", "cards", "list_", "List cards (live ones unless --archived)."),
    Entry(
        "search",
        "search",
        "search",
        "Find cards by any word anywhere on them, best matches first, with where each matched.",
    ),
    Entry(
        "due",
        "agenda",
        "due",
        "Whom to see or call: overdue and due items, most urgent first (overdue before due).",
    ),
    Entry(
        "edit",
        "cards",
        "edit",
        'Change fields of a card. An empty value ("") clears a field. Grades change with `grade`.',
    ),
    Entry("snooze", "agenda", "snooze", "Set a card's next follow-up date yourself."),
    Entry("contacts", "agenda", "contacts_", "List logged contacts, newest first."),
    Entry("sale", "sales", "sale", "Record a sale; the first makes a prospect a customer."),
    Entry(
        "sales",
        "sales",
        "sales_",
        "List sales, newest first, with their count and total in the footer.",
    ),
    Entry(
        "rate",
        "sales",
        "rate",
        "Rate a client's credit, satisfaction and loyalty; every change is kept.",
    ),
    Entry(
        "archive",
        "cards",
        "archive",
        "Archive a card: hidden from listings and the agenda, kept with its history.",
    ),
    Entry("unarchive", "cards", "unarchive", "Bring an archived card back."),
    Entry(
        "delete",
        "cards",
        "delete",
        "Delete a card and all its history for good. Needs --yes (asks only on a terminal).",
    ),
    Entry(
        "handover",
        "owners",
        "handover",
        "Hand cards over to a colleague, with their open promises and complaints.",
    ),
    Entry(
        "claim",
        "owners",
        "claim",
        "Take a card from the team's pool (a card without an owner) as yours.",
    ),
    Entry(
        "release",
        "owners",
        "release",
        "Give a card back to the team's pool, where any colleague can claim it.",
    ),
    Entry(
        "pool",
        "owners",
        "pool_app",
        "The team's pool of unowned cards (公海): return the cards left without a contact.",
    ),
    Entry(
        "dupes",
        "duplicates",
        "dupes",
        "List likely duplicate cards in groups, each with its reason.",
    ),
    Entry(
        "merge",
        "duplicates",
        "merge",
        "Merge OTHER into KEEP: every record of OTHER moves to KEEP, then OTHER is deleted.",
    ),
    Entry(
        "import",
        "transfer",
        "import_",
        "Add many cards at once from a CSV or TSV file, such as an export.",
    ),
    Entry(
        "export",
        "transfer",
        "export",
        "Write every card, live and archived, in id order, for scripts and spreadsheets.",
    ),
    Entry(
        "backup",
        "backup",
        "backup",
        "Copy the book while it is in use, check the copy, and say where it is.",
    ),
    Entry(
        "restore",
        "backup",
        "restore",
        "Put a backup in place of the book; the book is kept as a .bak beside it.",
    ),
    Entry(
        "promise",
        "promises",
        "app",
        "Promises made to clients: deliverables (--due) and appointments (--at).",
    ),
    Entry(
        "complaint",
        "complaints",
        "app",
        "Complaints, from receipt to the client's satisfaction. They come first in `due`.",
    ),
    Entry(
        "date",
        "occasions",
        "date_app",
        "A client's occasions (birthday, promotion...): greetings show in `due`.",
    ),
    Entry(
        "holiday",
        "occasions",
        "holiday_app",
        "Holidays for greeting many clients at once; `due` lists a greeting for each.",
    ),
    Entry(
        "person",
        "people",
        "app",
        "Close contacts: the assistant, secretary or deputy around a client.",
    ),
    Entry(
        "report",
        "reports",
        "app",
        "Reports on the book: the funnel, grade movement, activity, promises, complaints, "
        "customers and stale cards, as charts, tables, json, csv or one HTML page.",
    ),
    Entry("config", "config", "app", "Show or change settings."),
    Entry("db", "db", "app", "The book's database: its status, and the upgrade of its schema."),
)


class Root(CommandTree, CardGroup):
    """The root group: runs a command and maps what it raises (CardGroup), with its commands
    built when they are asked for (CommandTree)."""

    index: ClassVar[Mapping[str, Entry]] = {entry.name: entry for entry in COMMANDS}

    def polish(self, command: Command) -> None:
        whole_help(command)


app = typer.Typer(
    name="clientcard",
    cls=Root,
    help="Client cards for salespeople: grade prospects A-F, log every contact, keep promises.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            envvar="CLIENTCARD_DB",
            show_envvar=True,
            help="The database: a file path or an SQLAlchemy URL. "
            "Default: clientcard.db in your per-user data directory.",
        ),
    ] = None,
) -> None:
    """Client cards for salespeople: grade prospects A-F, log every contact, keep promises.

    Times are shown in local time (TZ) and stored in UTC; CLIENTCARD_NOW pins "now".
    """
    RUNTIME.db = db


Root.app = app


def main() -> None:
    """The console script `clientcard`."""
    app(prog_name="clientcard")
