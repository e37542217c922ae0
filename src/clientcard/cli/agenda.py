"""The agenda commands: `log` a contact, list `contacts`, `snooze` a follow-up, and `due`."""

import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    BY,
    WHEN_HELP,
    CalendarNameOption,
    ClientArg,
    FormatOption,
    GradesOption,
    LimitOption,
    Listing,
    RawOption,
    Table,
    TodoOption,
    by,
    calendar_options,
    now,
    session,
    settings,
    word,
    write_ics,
)
from clientcard.domain.errors import InvalidValue
from clientcard.domain.refs import record_ref
from clientcard.domain.weekdays import day_name
from clientcard.i18n import _, ngettext
from clientcard.output import AgendaFormat, Column, Format, human_value, print_line

if TYPE_CHECKING:
    from datetime import date, datetime

    from clientcard.services.agenda import Window
    from clientcard.services.views import ContactView, DueItem, FollowupView

CHANNEL_HELP = "call, visit, meeting, email, letter, fax, sms, message, card, gift or other"

CONTACTS: "Table[ContactView]" = Table(
    "contacts.ContactView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("at", "When", no_wrap=True),
        Column("client", "Client"),
        Column("via", "Via", no_wrap=True),
        Column("with", "With", spare=True),
        Column("summary", "Summary", detail=True),
        Column("next", "Next", no_wrap=True, spare=True),
        Column("from", "From", no_wrap=True, spare=True),
        BY,
    ],
    extra={
        "by": by,
        "from": lambda contact: contact.came_from,
        "ref": lambda contact: record_ref("contact", contact.id),
    },
)


# `due` in json, csv and tsv: the view's keys. For people, the agenda is a page of its own
# (output/agenda.py), not a table: it has no columns.
DUE: "Table[DueItem]" = Table("agenda.DueItem", [])


def _next_line(followup: "FollowupView") -> str:
    return _("next follow-up {when}").format(when=followup.describe())


def log(
    client: ClientArg,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            "-v",
            metavar="CHANNEL",
            help=f"{CHANNEL_HELP}. Without it, the setting log.via (call unless you changed it).",
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Argument(metavar="SUMMARY", help="What was said or done.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help=f"When it happened (default now); {WHEN_HELP}."),
    ] = None,
    next_: Annotated[
        str | None,
        typer.Option(
            "--next", metavar="WHEN", help="The next follow-up (default: by the grade's cadence)."
        ),
    ] = None,
    with_: Annotated[
        str | None,
        typer.Option("--with", metavar="PERSON", help="Who you spoke to, if not the client."),
    ] = None,
    greeting: Annotated[
        bool | None,
        typer.Option(
            "--greeting/--no-greeting",
            help="A greeting keeps in touch but does not move the follow-up (default: a card or "
            "gift that clears an occasion is one); --no-greeting makes it a sales contact.",
        ),
    ] = None,
) -> None:
    """Log a contact the moment it happens; the card's next follow-up moves with it.

    A greeting (--greeting, or the card or gift that clears a birthday or holiday greeting)
    keeps in touch without moving the follow-up."""
    from clientcard.services import contacts

    with session(write=True) as s:
        logged = contacts.log_contact(
            s,
            client,
            via=via,
            summary=summary,
            at=at,
            next_=next_,
            with_person=with_,
            greeting=greeting,
            now=now(),
            settings=settings(s),
        )
    c = logged.contact
    client = c.client.label()
    if logged.greeting:
        parts = [_("Logged {via} greeting with {client}").format(via=word(c.via), client=client)]
    else:
        parts = [_("Logged {via} with {client}").format(via=word(c.via), client=client)]
    if logged.greeting and c.next_on is None:
        parts.append(
            _("a greeting: follow-up unchanged, {when}").format(when=logged.followup.describe())
        )
    else:
        parts.append(_next_line(logged.followup))
    if logged.thanked:
        parts.append(_("thank-you done"))
    if logged.confirmed:
        parts.append(
            _("confirmed {appointments}").format(
                appointments=", ".join(
                    _("appointment {ref}").format(ref=record_ref("promise", i))
                    for i in logged.confirmed
                )
            )
        )
    print_line(_("; ").join(parts))


def contacts_(
    client: Annotated[
        str | None, typer.Argument(metavar="CLIENT", help="Only this card's contacts.")
    ] = None,
    since: Annotated[str | None, typer.Option(metavar="WHEN", help="Only since then.")] = None,
    via: Annotated[
        str | None, typer.Option(metavar="CHANNELS", help="Only these channels, e.g. call,visit.")
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List logged contacts, newest first."""
    from clientcard.services import contacts

    listing = Listing(fmt, limit, "contacts", raw=raw)
    with session(write=False) as s:
        found = contacts.list_contacts(
            s,
            client,
            since=since,
            via=via,
            limit=listing.ask,
            now=now(),
            settings=settings(s),
        )
    listing.write(found, CONTACTS, empty=_("No contacts logged."))


def snooze(
    client: ClientArg,
    when: Annotated[str, typer.Argument(metavar="WHEN", help=f"The next follow-up; {WHEN_HELP}.")],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            help="Why then. On a C or D card: the re-check condition, shown in `due`.",
        ),
    ] = None,
) -> None:
    """Set a card's next follow-up date yourself."""
    from clientcard.services import contacts

    with session(write=True) as s:
        card, followup = contacts.snooze(
            s, client, when, reason=reason, now=now(), settings=settings(s)
        )
    print_line(
        _("#{id} {name}: {next}").format(id=card.id, name=card.name, next=_next_line(followup))
    )


def due(
    today: Annotated[
        bool, typer.Option("--today", help="Due by the end of today (default).")
    ] = False,
    tomorrow: Annotated[
        bool, typer.Option("--tomorrow", help="Due by the end of tomorrow.")
    ] = False,
    week: Annotated[
        bool, typer.Option("--week", help="Due within a week: today and the next six days.")
    ] = False,
    until: Annotated[str | None, typer.Option(metavar="WHEN", help="Due by then.")] = None,
    grade: GradesOption = None,
    kind: Annotated[
        str | None,
        typer.Option(
            metavar="KINDS",
            help="Only these kinds: promise, appointment, followup, first_visit, recheck, "
            "complaint, thanks, occasion, pool_return.",
        ),
    ] = None,
    mine: Annotated[
        bool,
        typer.Option(
            "--mine",
            help="Only your cards' items (the default on a shared book when you own cards).",
        ),
    ] = False,
    all_: Annotated[
        bool, typer.Option("--all", help="Every card's items, whoever owns the card.")
    ] = False,
    limit: LimitOption = None,
    fmt: Annotated[
        AgendaFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output: a page for people, json, csv, tsv for scripts, or ics: iCalendar for "
            "any calendar (docs/calendar.md).",
        ),
    ] = AgendaFormat.table,
    raw: RawOption = False,
    todo: TodoOption = False,
    name: CalendarNameOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing at all when nothing is due (cron).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when anything is overdue, else 0.")
    ] = False,
) -> None:
    """Whom to see or call: overdue and due items, most urgent first (overdue before due)."""
    from clientcard.domain.grades import parse_grades
    from clientcard.services import agenda

    flags = {agenda.Window.today: today, agenda.Window.tomorrow: tomorrow, agenda.Window.week: week}
    chosen = [w for w, on in flags.items() if on]
    if len(chosen) > 1:
        raise InvalidValue(_("give only one of --today, --tomorrow, --week"))
    if mine and all_:
        raise InvalidValue(_("give only one of --mine, --all"))
    ics = fmt is AgendaFormat.ics
    calendar_options(ics, todo, name)
    if ics and quiet:
        raise InvalidValue(
            _("--quiet is not for --format ics: a calendar is written, empty or not")
        )
    window = chosen[0] if chosen else (None if until else agenda.Window.today)
    with session(write=False) as s:
        result = agenda.due(
            s,
            window=window,
            until=until,
            grades=parse_grades(grade) if grade else (),
            kinds=agenda.parse_kinds(kind) if kind else (),
            changes=ics,
            mine=True if mine else (False if all_ else None),
            now=now(),
            settings=settings(s),
        )
    items = result.items
    # Whose agenda, on a team's book or when asked (docs/agenda.md#whose-agenda).
    whose = _whose(result.whose) if result.shared or mine or all_ else None
    if ics:
        write_ics(items if limit is None else items[:limit], todo=todo, name=name)
    elif items or not quiet:
        if fmt is not AgendaFormat.table:
            Listing(Format(fmt.value), raw=raw).write(
                items if limit is None else items[:limit], DUE
            )
        elif not items:
            line = _nothing_due(window, result.until, result.live_cards, result.book_cards)
            print_line(_("{whose}: {line}").format(whose=whose, line=line) if whose else line)
        else:
            _write_page(items, limit, window, result.until, whose)
    if check and result.any_overdue:
        sys.exit(1)


def _whose(name: str | None) -> str:
    """`Agenda of 王芳`, or `Everyone's agenda`."""
    from clientcard.output.safe import for_people

    if name is None:
        return _("Everyone's agenda")
    return _("Agenda of {name}").format(name=for_people(name))


def _write_page(
    items: "list[DueItem]",
    limit: int | None,
    window: "Window | None",
    until: "datetime",
    whose: str | None = None,
) -> None:
    """The agenda as a page (output/agenda.py): the most urgent items, at most --limit or as
    many as a table shows (`Listing.cut`), grouped, with a title that counts them all and a
    line for those left out."""
    from clientcard.clock import local_tz
    from clientcard.output.agenda import write_agenda
    from clientcard.services.agenda import Window

    zone = local_tz()
    today = now().astimezone(zone).date()
    last = (until.astimezone(zone) - timedelta(microseconds=1)).date()
    if window is Window.today:
        span = _("Due today, {day}").format(day=_day(today))
    elif window is Window.tomorrow:
        span = _("Due by the end of tomorrow, {day}").format(day=_day(last))
    elif window is Window.week:
        span = _("Due this week, {first} to {last}").format(first=_day(today), last=_day(last))
    else:
        span = _("Due before {when}").format(when=human_value(until))
    late = sum(item.overdue for item in items)
    count = ngettext("{n} item", "{n} items", len(items)).format(n=len(items))
    if late:
        count = _("{count}, {late} overdue").format(count=count, late=late)
    title = _("{span}: {count}").format(span=span, count=count)
    if whose:
        title = f"{whose} · {title}"
    shown = (
        items[:limit] if limit is not None else Listing(Format.table, None, "items").cut(items)[0]
    )
    more = len(items) - len(shown)
    footer = None
    if more:
        footer = _(
            "{more} more, less urgent: --limit N shows more, --format csv shows them all."
        ).format(more=more)
    write_agenda([i.shown_row() for i in shown], title=title, zone=zone, today=today, footer=footer)


def _day(day: "date") -> str:
    """`Fri 2026-11-20`, the weekday in the interface's language."""
    return day_name(day)


def _nothing_due(
    window: "Window | None", until: "datetime", live_cards: int, book_cards: int = 0
) -> str:
    from clientcard.services.agenda import Window

    if window is Window.today:
        nothing = _("Nothing due today")
    elif window is Window.tomorrow:
        nothing = _("Nothing due by the end of tomorrow")
    else:
        nothing = _("Nothing due before {when}").format(when=human_value(until))
    if live_cards == 0 and book_cards:  # a person's agenda (`due --mine`) of no card
        return _(
            "{nothing}: you own no live card ({cards} in the book; `due --all` shows everyone's)."
        ).format(nothing=nothing, cards=book_cards)
    if live_cards == 0:
        return _(
            "{nothing}: the book is empty. "
            'Add your first card with: clientcard add "Name" --company "Company" --grade B'
        ).format(nothing=nothing)
    return ngettext("{nothing}. {n} live card.", "{nothing}. {n} live cards.", live_cards).format(
        nothing=nothing, n=live_cards
    )
