"""`clientcard promise add|confirm|done|move|cancel|missed|list`: promises made to clients."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    WHEN_HELP,
    ClientArg,
    FormatOption,
    Listing,
    QuietOption,
    RawOption,
    Table,
    now,
    record_id,
    session,
    settings,
    word,
)
from clientcard.domain.agenda import PromiseKind, notice_phrase
from clientcard.domain.refs import record_ref
from clientcard.i18n import N_, _
from clientcard.output import Column, Format, human_value, print_line

if TYPE_CHECKING:
    from clientcard.services.views import PromiseView

app = typer.Typer(
    name="promise",
    help="Promises made to clients: deliverables (--due) and appointments (--at).",
    no_args_is_help=True,
)

PromiseId = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        parser=record_id("promise"),
        help="The promise's id, as printed (P3) or as a number (3).",
    ),
]

PROMISES: "Table[PromiseView]" = Table(
    "promises.PromiseView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("due", "Due", no_wrap=True),
        Column("client", "Client"),
        Column("kind", "Kind", no_wrap=True),
        Column("what", "What", detail=True),
        Column("where", "Where", spare=True),
        Column("status", "Status", no_wrap=True),
        Column("moved", "Moves", justify="right", spare=True),
        Column("reason", "Why", spare=True),
        Column("confirmation", "Confirmation", spare=True),
    ],
    extra={
        "confirmation": lambda p: p.confirmation(),
        "ref": lambda p: record_ref("promise", p.id),
        "moved": lambda p: p.moves or None,  # a promise never moved: nothing to read
    },
)


def _describe(p: "PromiseView") -> str:
    due = human_value(p.due_value())
    values = {
        "promise": _("promise {ref}").format(ref=record_ref("promise", p.id)),
        "what": repr(p.what),
        "card": p.client.label(),
        "kind": word(p.kind.value),
        "due": due,
    }
    if p.place:
        return _("{promise} {what} for card {card}, {kind} {due} at {place}").format(
            place=p.place, **values
        )
    return _("{promise} {what} for card {card}, {kind} {due}").format(**values)


# `promise done`'s line, by the status the promise took.
_KEPT = {"kept": N_("Kept: {promise}"), "kept_late": N_("Kept late: {promise}")}


@app.command("add")
def add(
    client: ClientArg,
    what: Annotated[
        str, typer.Argument(metavar="WHAT", help="What was promised, e.g. 'send the quote'.")
    ],
    due: Annotated[
        str | None, typer.Option(metavar="WHEN", help=f"Deliver by then; {WHEN_HELP}.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="An appointment at that time, e.g. 'fri 15:00'."),
    ] = None,
    where: Annotated[str | None, typer.Option(metavar="PLACE", help="Where we meet.")] = None,
    quiet: QuietOption = False,
) -> None:
    """Record a promise: something to deliver by a time (--due) or an appointment (--at)."""
    from clientcard.services import promises

    with session(write=True) as s:
        p = promises.add_promise(
            s, client, what, due=due, at=at, where=where, now=now(), settings=settings(s)
        )
    print_line(str(p.id) if quiet else _("Promised: {promise}").format(promise=_describe(p)))


@app.command("confirm")
def confirm(promise_id: PromiseId) -> None:
    """Mark an appointment confirmed with the client.

    `due`, `show` and `promise list` then say "confirmed" instead of "confirm or tell the
    client now". A contact logged with the client shortly before does it too."""
    from clientcard.services import promises

    with session(write=True) as s:
        confirmed = promises.confirm(s, promise_id, now=now(), settings=settings(s))
    p = confirmed.promise
    if confirmed.already:
        when = human_value(p.confirmed_at)
        print_line(
            _("Unchanged: {promise} was already confirmed ({when})").format(
                promise=_describe(p), when=when
            )
        )
    else:
        print_line(_("Confirmed: {promise}").format(promise=_describe(p)))


@app.command("done")
def done(
    promise_id: PromiseId,
    at: Annotated[
        str | None, typer.Option(metavar="WHEN", help="When it was kept (default now).")
    ] = None,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            metavar="CHANNEL",
            help="An appointment is logged as a contact at its time: how you met (default "
            "meeting; visit at their place, call for a phone appointment).",
        ),
    ] = None,
) -> None:
    """Mark a promise kept (kept late when after its due time).

    A kept appointment is also a contact (a meeting unless --via says otherwise): the card's
    last contact, last visit and follow-up move."""
    from clientcard.services import promises

    with session(write=True) as s:
        p = promises.done(s, promise_id, at=at, via=via, now=now(), settings=settings(s))
    status = _KEPT.get(p.status.value)
    line = (
        _(status).format(promise=_describe(p))
        if status
        else f"{p.status.value.replace('_', ' ').capitalize()}: {_describe(p)}"
    )
    if p.kind is PromiseKind.appointment:
        channel = (via or "meeting").strip().lower()
        line = _("{line}; logged as a {via}").format(line=line, via=word(channel))
    print_line(line)


@app.command("move")
def move(
    promise_id: PromiseId,
    to: Annotated[str, typer.Option("--to", metavar="WHEN", help="The new time.")],
    told: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="When you told the client (default now)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why it moves.")] = None,
    by_client: Annotated[
        bool,
        typer.Option(
            "--by-client",
            help="The client asked for the move: it never counts against your keep-rate.",
        ),
    ] = False,
) -> None:
    """Reschedule a promise, recording when the client was told.

    My move with less notice than the window (config notice_hours, default 24) is short notice
    and counts against the keep-rate; a move the client asked for (--by-client) never does."""
    from clientcard.services import promises

    with session(write=True) as s:
        moved = promises.move(
            s,
            promise_id,
            to=to,
            told=told,
            reason=reason,
            by_client=by_client,
            now=now(),
            settings=settings(s),
        )
    ahead = notice_phrase(moved.notice)
    if moved.by_client:
        verdict = _(
            "at the client's request ({ahead}): thank them for telling you; "
            "it does not count against your keep-rate"
        ).format(ahead=ahead)
    elif moved.short_notice:
        verdict = _("short notice ({ahead}): counts against your keep-rate").format(ahead=ahead)
    else:
        verdict = _("polite move ({ahead})").format(ahead=ahead)
    print_line(
        _("Moved: {promise}; {verdict}").format(promise=_describe(moved.promise), verdict=verdict)
    )


@app.command("cancel")
def cancel(
    promise_id: PromiseId,
    by: Annotated[str, typer.Option("--by", metavar="client|me", help="Who cancelled.")],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why.")] = None,
) -> None:
    """Cancel a promise, by the client or by me.

    The client's cancellation does not count against the keep-rate; mine does."""
    from clientcard.services import promises

    with session(write=True) as s:
        p = promises.cancel(s, promise_id, by=by, reason=reason, now=now())
    if p.status.value.endswith("client"):
        line = _(
            "Cancelled by client: {promise}; thank them for telling you (it does not count "
            "against your keep-rate)"
        )
    else:
        line = _("Cancelled by me: {promise}; counts against your keep-rate")
    print_line(line.format(promise=_describe(p)))


@app.command("missed")
def missed(promise_id: PromiseId) -> None:
    """Mark a promise broken: neither kept nor moved in time."""
    from clientcard.services import promises

    with session(write=True) as s:
        p = promises.missed(s, promise_id, now=now())
    print_line(_("Missed: {promise}; counts against your keep-rate").format(promise=_describe(p)))


@app.command("list")
def list_(
    client: Annotated[
        str | None, typer.Argument(metavar="CLIENT", help="Only this card's promises.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all/--open", help="All promises, or only open ones (default).")
    ] = False,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List promises, soonest first, with the keep-rate in the footer."""
    from clientcard.services import promises

    with session(write=False) as s:
        rows, rate = promises.list_promises(
            s, client, include_closed=all_, now=now(), settings=settings(s)
        )
    Listing(fmt, raw=raw).write(
        rows,
        PROMISES,
        empty=(_("No promises. {rate}.") if all_ else _("No open promises. {rate}.")).format(
            rate=rate.describe().capitalize()
        ),
        footer=rate.describe().capitalize(),
    )
