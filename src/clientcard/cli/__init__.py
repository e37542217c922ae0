"""The command line: Typer commands that parse arguments, call one service and render.

Commands import services (and so the database stack) inside their bodies, never at module level,
so `clientcard --help` and shell completion start fast.
"""

from typing import Annotated

import typer

from clientcard.cli import (
    agenda,
    cards,
    complaints,
    config,
    grades,
    occasions,
    people,
    promises,
    sales,
    show,
    transfer,
)
from clientcard.cli._common import RUNTIME
from clientcard.cli.errors import CardGroup

app = typer.Typer(
    name="clientcard",
    cls=CardGroup,
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


# The everyday actions on a card come first in `--help`, then the other card commands, the
# whole-book ones, then one group per kind of record.
app.command()(cards.add)
app.command()(agenda.log)
app.command()(grades.grade)
app.command()(show.show)
app.command("list")(cards.list_)
app.command()(agenda.due)
app.command()(cards.edit)
app.command()(agenda.snooze)
app.command("contacts")(agenda.contacts_)
app.command()(sales.sale)
app.command("sales")(sales.sales_)
app.command()(sales.rate)
app.command()(cards.archive)
app.command()(cards.unarchive)
app.command()(cards.delete)
app.command("import")(transfer.import_)
app.command()(transfer.export)
app.add_typer(promises.app)
app.add_typer(complaints.app)
app.add_typer(occasions.date_app)
app.add_typer(occasions.holiday_app)
app.add_typer(people.app)
app.add_typer(config.app)


def main() -> None:
    """The console script `clientcard`."""
    app(prog_name="clientcard")
