"""`clientcard date add|list|remove` (a client's occasions) and `clientcard holiday
add|list|remove` (dated holidays for greeting many clients at once)."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    ClientArg,
    FormatOption,
    LimitOption,
    Listing,
    QuietOption,
    RawOption,
    Table,
    now,
    record_id,
    session,
    settings,
)
from clientcard.domain.refs import record_ref
from clientcard.i18n import _, ngettext
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.views.occasions import HolidayView, OccasionView

KIND_HELP = (
    "birthday, anniversary, promotion, company-move, new-product, certification or other. "
    "Birthdays and anniversaries recur every year."
)
DAY_HELP = "The day: 2026-12-01, or without a year for a yearly date: 05-03 (month-day), 'may 3'."

date_app = typer.Typer(
    name="date",
    help="A client's occasions (birthday, promotion...): greetings show in `due`.",
    no_args_is_help=True,
)
holiday_app = typer.Typer(
    name="holiday",
    help="Holidays for greeting many clients at once; `due` lists a greeting for each.",
    no_args_is_help=True,
)

DATES: "Table[OccasionView]" = Table(
    "occasions.OccasionView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("date", "Next", no_wrap=True),
        Column("days_until", "In days", justify="right", no_wrap=True),
        Column("client", "Client"),
        Column("kind", "Kind", no_wrap=True),
        Column("lunar_day", "Lunar", no_wrap=True, spare=True),
        Column("year", "Year", justify="right", no_wrap=True, spare=True),
        Column("yearly", "Yearly", no_wrap=True, spare=True),
        Column("note", "Note", detail=True),
    ],
    extra={
        "ref": lambda v: record_ref("date", v.id),
        "lunar_day": lambda v: v.day.label() if v.day.lunar else "",
    },
)


def _audience(h: "HolidayView") -> str:
    """The audience as people read it (成交客户); json/csv keep the code."""
    from clientcard.domain.occasions import audience_words

    return audience_words(h.audience)


HOLIDAYS: "Table[HolidayView]" = Table(
    "occasions.HolidayView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("date", "Date", no_wrap=True),
        Column("days_until", "In days", justify="right", no_wrap=True),
        Column("name", "Holiday", detail=True),
        Column("every_year", "Every year", no_wrap=True),
        Column("audience_shown", "For", no_wrap=True),
        Column("cards", "Cards", justify="right", no_wrap=True),
    ],
    extra={
        "ref": lambda h: record_ref("holiday", h.id),
        "every_year": lambda h: h.every_year(),
        "audience_shown": lambda h: _audience(h),
    },
)


@date_app.command("add")
def date_add(
    client: ClientArg,
    kind: Annotated[str, typer.Argument(metavar="KIND", help=KIND_HELP)],
    when: Annotated[str | None, typer.Argument(metavar="[WHEN]", help=DAY_HELP)] = None,
    lunar: Annotated[
        str | None,
        typer.Option(
            "--lunar",
            metavar="LUNAR",
            help="A lunar (农历) date instead of WHEN: 八月十五, 08-15, 闰四月初八 or L04-08 "
            "(a leap month); it falls on its solar day each year.",
        ),
    ] = None,
    yearly: Annotated[
        bool,
        typer.Option("--yearly", help="Greet every year (with a full date, its year is kept)."),
    ] = False,
    note: Annotated[str | None, typer.Option(help="A note shown with the greeting.")] = None,
    quiet: QuietOption = False,
) -> None:
    """Record a client's occasion; `due` lists the greeting ahead of it."""
    from clientcard.services import occasions

    with session(write=True) as s:
        v = occasions.add_date(
            s,
            client,
            kind,
            when,
            yearly=yearly,
            note=note,
            lunar_day=lunar,
            now=now(),
            settings=settings(s),
        )
    if quiet:
        print_line(str(v.id))
        return
    line = _("Added date {date} for {client}: {when}").format(
        date=v.describe(), client=v.client.label(), when=v.when()
    )
    if v.client_archived:
        line = _("{line}; the card is archived: not in `due` until unarchived").format(line=line)
    print_line(line)


@date_app.command("list")
def date_list(
    client: Annotated[
        str | None, typer.Argument(metavar="CLIENT", help="Only this card's dates.")
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(metavar="SPAN", help="Only those falling by then: 30d, 2w, 1mo, eom..."),
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List occasions by the next day they fall on, soonest first (live cards, or one card)."""
    from clientcard.services import occasions

    listing = Listing(fmt, limit, "dates", raw=raw)
    with session(write=False) as s:
        found = occasions.list_dates(s, client, within=within, now=now(), settings=settings(s))
    empty = _("No dates within {span}.").format(span=within) if within else _("No dates.")
    listing.write(
        found[: listing.ask],  # the service takes no limit: every date is read, then sorted
        DATES,
        empty=_("{empty} Add one with: clientcard date add CLIENT birthday 05-03").format(
            empty=empty
        ),
    )


@date_app.command("remove")
def date_remove(
    date_id: Annotated[
        int,
        typer.Argument(
            metavar="ID",
            parser=record_id("date"),
            help="The date's id as `date list` prints it (D3), or as a number (3).",
        ),
    ],
) -> None:
    """Remove an occasion."""
    from clientcard.services import occasions

    with session(write=True) as s:
        v = occasions.remove_date(s, date_id, now=now())
    print_line(
        _("Removed date {date} of {client}").format(date=v.describe(), client=v.client.label())
    )


@holiday_app.command("add")
def holiday_add(
    when: Annotated[
        str | None,
        typer.Argument(
            metavar="[WHEN]",
            help="The day, e.g. 2027-02-06; with --yearly a month and day (10-01). "
            "Left out with --lunar and --preset.",
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="The holiday, e.g. 春节.")
    ] = None,
    lunar: Annotated[
        str | None,
        typer.Option(
            "--lunar",
            metavar="LUNAR",
            help="Every year on this lunar (农历) date: 八月十五, 05-05, 闰四月初八 (L04-08).",
        ),
    ] = None,
    yearly: Annotated[
        bool, typer.Option("--yearly", help="Every year on WHEN's month and day (10-01).")
    ] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            metavar="SET",
            help="Add a set of yearly holidays: cn (元旦 春节 元宵 清明 端午 七夕 中秋 重阳 "
            "国庆); those already on file are kept.",
        ),
    ] = None,
    for_: Annotated[
        str,
        typer.Option(
            "--for",
            metavar="AUDIENCE",
            help="Whom to greet: customers (cards with a sale), all, or tag:T.",
        ),
    ] = "customers",
    quiet: QuietOption = False,
) -> None:
    """Add a holiday: on one day, or every year (--yearly, --lunar, --preset cn)."""
    from clientcard.domain.errors import InvalidValue
    from clientcard.services import holidays

    given = [a for a in (when, name) if a is not None]
    with session(write=True) as s:
        if preset is not None:
            if given or lunar is not None or yearly:
                raise InvalidValue(_("--preset takes no WHEN, NAME, --lunar or --yearly"))
            added, kept = holidays.add_preset(s, preset, audience=for_, now=now())
        elif lunar is not None:
            if len(given) != 1:
                raise InvalidValue(
                    _("with --lunar, give only the NAME: holiday add --lunar 八月十五 中秋")
                )
            h = holidays.add_holiday(
                s, None, given[0], audience=for_, lunar_day=lunar, now=now(), settings=settings(s)
            )
        else:
            h = holidays.add_holiday(
                s, when, name, audience=for_, yearly=yearly, now=now(), settings=settings(s)
            )
    if preset is not None:
        if quiet:
            for h in added:
                print_line(str(h.id))
            return
        for h in added:
            print_line(_("Added holiday {holiday}").format(holiday=h.describe()))
        if kept:
            print_line(
                ngettext(
                    "{count} holiday of the preset was already on file: kept as it is.",
                    "{count} holidays of the preset were already on file: kept as they are.",
                    kept,
                ).format(count=kept)
            )
        return
    if quiet:
        print_line(str(h.id))
        return
    print_line(
        ngettext(
            "Added holiday {holiday} ({n} live card now)",
            "Added holiday {holiday} ({n} live cards now)",
            h.cards,
        ).format(holiday=h.describe(), n=h.cards)
    )


@holiday_app.command("list")
def holiday_list(fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """List holidays by day, with how many live cards each greets."""
    from clientcard.services import holidays

    with session(write=False) as s:
        rows = holidays.list_holidays(s, now=now())
    Listing(fmt, raw=raw).write(
        rows, HOLIDAYS, empty=_("No holidays. Add one with: clientcard holiday add 2027-02-06 春节")
    )


@holiday_app.command("remove")
def holiday_remove(
    holiday_id: Annotated[
        int,
        typer.Argument(
            metavar="ID",
            parser=record_id("holiday"),
            help="The holiday's id as `holiday list` prints it (H3), or as a number (3).",
        ),
    ],
) -> None:
    """Remove a holiday."""
    from clientcard.services import holidays

    with session(write=True) as s:
        h = holidays.remove_holiday(s, holiday_id, now=now())
    print_line(_("Removed holiday {holiday}").format(holiday=h.describe()))
