"""Owners (issue 17): `handover` cards to a colleague, `claim` one from the team's pool,
`release` one to it, and `pool sweep`, the pool's rule (docs/team.md)."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import ClientArg, FormatOption, Listing, RawOption, Table, now, session
from clientcard.i18n import _, ngettext
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.views.owners import HandoverView

HANDOVERS: "Table[HandoverView]" = Table(
    "owners.HandoverView",
    [
        Column("card", "Card"),
        Column("moves", "From → to"),
        Column("reason", "Why", detail=True, spare=True),
    ],
    extra={"card": lambda h: h.client.label(), "moves": lambda h: h.moves},
)

Reason = Annotated[str | None, typer.Option("--reason", "-r", help="Why (kept on the card).")]


def handover(
    clients: Annotated[
        list[str] | None,
        typer.Argument(metavar="CLIENT", help="The cards to hand over (or --from NAME)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="NAME", help="The colleague who takes them (me: you)."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="NAME", help="Hand over every live card of this owner (me: yours)."
        ),
    ] = None,
    reason: Reason = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """Hand cards over to a colleague, with their open promises and complaints.

    Each card's new owner, who handed it over, when and why are kept on the card (`show`). The
    new owner's `due` lists the cards' promises, complaints and follow-ups at once; the next
    follow-up stays as it was."""
    from clientcard.services import owners

    with session(write=True) as s:
        moved = owners.handover(s, clients or [], to=to, from_owner=from_, reason=reason, now=now())
    to_owner = moved.handovers[0].to_owner if moved.handovers else to
    summary = _("Handed over {cards} to {owner}, with {promises} and {complaints}").format(
        cards=ngettext("{n} card", "{n} cards", moved.cards).format(n=f"{moved.cards:,}"),
        owner=to_owner,
        promises=ngettext("{n} open promise", "{n} open promises", moved.promises).format(
            n=f"{moved.promises:,}"
        ),
        complaints=ngettext("{n} open complaint", "{n} open complaints", moved.complaints).format(
            n=f"{moved.complaints:,}"
        ),
    )
    Listing(fmt, raw=raw).write(moved.handovers, HANDOVERS, footer=summary)


def claim(client: ClientArg, reason: Reason = None) -> None:
    """Take a card from the team's pool (a card without an owner) as yours.

    A card whose owner left it without a contact past the book's pool.return_after is in the
    pool already, even before `pool sweep` ran."""
    from clientcard.cli._common import settings
    from clientcard.services import owners

    with session(write=True) as s:
        rows = owners.claim(s, client, reason=reason, now=now(), settings=settings(s))
    claimed = rows[-1]
    line = _("Claimed {client} from the pool: now {owner}'s").format(
        client=claimed.client.label(), owner=claimed.to_shown
    )
    if len(rows) > 1:
        line = _("{line} (was {owner}'s: {reason})").format(
            line=line, owner=rows[0].from_shown, reason=rows[0].reason
        )
    print_line(line)


def release(client: ClientArg, reason: Reason = None) -> None:
    """Give a card back to the team's pool, where any colleague can claim it."""
    from clientcard.services import owners

    with session(write=True) as s:
        row = owners.release(s, client, reason=reason, now=now())
    print_line(
        _("Released {client} to the pool (was {owner}'s)").format(
            client=row.client.label(), owner=row.from_shown
        )
    )


pool_app = typer.Typer(
    name="pool",
    help="The team's pool of unowned cards (公海): return the cards left without a contact.",
    no_args_is_help=True,
)


@pool_app.command("sweep")
def sweep(fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """Return to the pool every owned card left without a contact past its grade's limit.

    The limit is the book's pool.return_after.GRADE in days (0: never), counted from the last
    contact, or from when the card was added or last changed hands if later. For cron: running
    it again changes nothing."""
    from clientcard.cli._common import settings
    from clientcard.services import owners

    with session(write=True) as s:
        swept = owners.sweep(s, now=now(), settings=settings(s))
    Listing(fmt, raw=raw).write(
        swept.returned,
        HANDOVERS,
        empty=_("No card is past the pool's limit."),
        footer=ngettext(
            "Returned {n} card to the pool", "Returned {n} cards to the pool", len(swept.returned)
        ).format(n=f"{len(swept.returned):,}"),
    )
