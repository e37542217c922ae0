"""`clientcard person add|list|edit|remove`: the people around a client (assistant, secretary,
deputy...)."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    ClientArg,
    EmailOption,
    FormatOption,
    Listing,
    PhoneOption,
    QuietOption,
    RawOption,
    Table,
    record_id,
    session,
)
from clientcard.domain.refs import record_ref
from clientcard.i18n import _
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.views.people import PersonView

app = typer.Typer(
    name="person",
    help="Close contacts: the assistant, secretary or deputy around a client.",
    no_args_is_help=True,
)

PersonId = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        parser=record_id("person"),
        help="The person's id as `person list` prints it (K3), or as a number (3).",
    ),
]
Note = Annotated[str | None, typer.Option(help="A note: what they know, how they help.")]

PEOPLE: "Table[PersonView]" = Table(
    "people.PersonView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("name", "Name"),
        Column("role", "Role", detail=True),
        Column("phone", "Phone", no_wrap=True),
        Column("email", "E-mail", no_wrap=True, spare=True),
        Column("note", "Note", spare=True),
    ],
    extra={"ref": lambda p: record_ref("person", p.id)},
)


@app.command("add")
def add(
    client: ClientArg,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name.")],
    role: Annotated[
        str,
        typer.Option(metavar="TEXT", help="Their role: assistant, secretary, deputy..."),
    ],
    phone: PhoneOption = None,
    email: EmailOption = None,
    note: Note = None,
    quiet: QuietOption = False,
) -> None:
    """Add someone around a client: they know the purchase plans and the decision process."""
    from clientcard.services import people

    with session(write=True) as s:
        p = people.add_person(s, client, name, role=role, phone=phone, email=email, note=note)
    print_line(
        str(p.id)
        if quiet
        else _("Added {person} to {client}").format(person=p.describe(), client=p.client.label())
    )


@app.command("list")
def list_(client: ClientArg, fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """List a card's close contacts."""
    from clientcard.services import people

    with session(write=False) as s:
        ref, rows = people.list_people(s, client)
    Listing(fmt, raw=raw).write(
        rows,
        PEOPLE,
        title=_("Close contacts of {client}").format(client=ref.label()),
        empty=_(
            "No close contacts on {client}. "
            "Add one with: clientcard person add {id} NAME --role assistant"
        ).format(client=ref.label(), id=ref.id),
    )


@app.command("edit")
def edit(
    person_id: PersonId,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    role: Annotated[str | None, typer.Option(metavar="TEXT", help="A new role.")] = None,
    phone: PhoneOption = None,
    email: EmailOption = None,
    note: Note = None,
) -> None:
    """Change a close contact; an empty value ("") clears the phone, e-mail or note."""
    from clientcard.services import people

    with session(write=True) as s:
        edited = people.edit_person(
            s, person_id, name=name, role=role, phone=phone, email=email, note=note
        )
    p = edited.person
    line = (
        _("Updated {person} of {client}") if edited.changed else _("Unchanged {person} of {client}")
    )
    print_line(line.format(person=p.describe(), client=p.client.label()))


@app.command("remove")
def remove(person_id: PersonId) -> None:
    """Remove a close contact."""
    from clientcard.services import people

    with session(write=True) as s:
        p = people.remove_person(s, person_id)
    print_line(
        _("Removed {person} from {client}").format(person=p.describe(), client=p.client.label())
    )
