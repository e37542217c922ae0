"""`clientcard sale`, `sales` and `rate`: sales and their thank-yous, and a client's ratings."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    BY,
    WHEN_HELP,
    ClientArg,
    FormatOption,
    LimitOption,
    Listing,
    QuietOption,
    RawOption,
    Table,
    by,
    now,
    session,
    settings,
    word,
)
from clientcard.domain.dates import local_date, today_of, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.money import format_amount, format_money
from clientcard.domain.refs import record_ref
from clientcard.i18n import _, ngettext
from clientcard.output import Column, Format, human_value, print_line

if TYPE_CHECKING:
    from datetime import datetime

    from clientcard.services.sales import RecordedSale, SalesList
    from clientcard.services.views.ratings import RatingChangeView
    from clientcard.services.views.sales import SaleView

SALES: "Table[SaleView]" = Table(
    "sales.SaleView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("sold_at", "Sold", no_wrap=True),
        Column("client", "Client"),
        Column("amount_text", "Amount", justify="right", no_wrap=True),
        Column("what", "What", detail=True),
        BY,
    ],
    extra={
        "by": by,
        "amount_text": lambda sale: format_amount(sale.amount_minor),
        "ref": lambda sale: record_ref("sale", sale.id),
    },
)
RATINGS: "Table[RatingChangeView]" = Table(
    "ratings.RatingChangeView",
    [
        Column("at", "When", no_wrap=True),
        Column("credit", "Credit", no_wrap=True),
        Column("satisfaction", "Satisfaction", justify="center", no_wrap=True),
        Column("loyalty", "Loyalty", justify="center", no_wrap=True),
        Column("reason", "Why", detail=True),
        BY,
    ],
    extra={"by": by},
)


def _sale_line(done: "RecordedSale", now: "datetime") -> str:
    s = done.sale
    today = today_of(now)
    head = _("Sale {ref}: {money} to {client}").format(
        ref=record_ref("sale", s.id), money=s.money, client=s.client.label()
    )
    if s.what:
        head = _("{sale} for {what}").format(sale=head, what=repr(s.what))
    day = local_date(s.sold_at, zone_of(now))
    if day != today:
        head = _("{sale} on {day}").format(
            sale=head, day=day.isoformat() if done.on_day else human_value(s.sold_at)
        )
    parts = [head]
    if done.first:
        parts.append(_("first sale: now a customer"))
    if done.thanks_by is not None:
        if done.thanks_by < today:
            thanks = _("thank them by {day} (overdue)")
        else:
            thanks = _("thank them by {day}")
        parts.append(thanks.format(day=done.thanks_by.isoformat()))
    elif done.contacted_at is not None:
        parts.append(
            _("no thank-you due: contacted after it ({when})").format(
                when=human_value(done.contacted_at)
            )
        )
    elif done.no_thanks and done.latest:
        parts.append(_("no thank-you due (--no-thanks)"))
    if done.via is not None:
        following = done.next_followup.isoformat() if done.next_followup else _("none")
        parts.append(
            _("logged as a {via}, next follow-up {when}").format(via=word(done.via), when=following)
        )
    if done.confirmed:
        parts.append(
            _("confirmed {appointments}").format(
                appointments=", ".join(
                    _("appointment {ref}").format(ref=record_ref("promise", i))
                    for i in done.confirmed
                )
            )
        )
    return _("; ").join(parts)


def sale(
    client: ClientArg,
    amount: Annotated[
        str,
        typer.Argument(
            metavar="AMOUNT",
            help="How much, exactly: 1234, 1,234.56, '1 234.56', 1.5万, 3k, ¥1,500 or 1500元 "
            "(at most 2 decimals; in the currency setting; docs/sales.md).",
        ),
    ],
    what: Annotated[str | None, typer.Option(help="What was sold.")] = None,
    on: Annotated[
        str | None,
        typer.Option(
            metavar="WHEN",
            help=f"When it was sold (default now; a day alone is its start); {WHEN_HELP}.",
        ),
    ] = None,
    no_thanks: Annotated[
        bool,
        typer.Option(
            "--no-thanks", help="Make no thank-you due (an old sale entered for the record)."
        ),
    ] = False,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            metavar="CHANNEL",
            help="How you met for it, logged as a contact at the sale's time (default meeting).",
        ),
    ] = None,
    no_contact: Annotated[
        bool,
        typer.Option(
            "--no-contact",
            help="Log no contact: the sale was not a meeting (an order by post, an old sale).",
        ),
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Record a sale; the first makes a prospect a customer.

    The sale is a contact too (a meeting unless --via says otherwise, or none with
    --no-contact): the last contact and the follow-up move. Each sale makes a thank-you due
    within thanks_days (config, default 2), cleared by the next contact with the client."""
    from clientcard.domain.money import parse_amount
    from clientcard.services import sales

    parse_amount(amount)  # a bad amount is refused before the database is opened
    with session(write=True) as s:
        current = now()
        done = sales.record_sale(
            s,
            client,
            amount,
            what=what,
            on=on,
            no_thanks=no_thanks,
            no_contact=no_contact,
            via=via,
            now=current,
            settings=settings(s),
        )
    print_line(str(done.sale.id) if quiet else _sale_line(done, current))


def sales_(
    client: Annotated[
        str | None, typer.Argument(metavar="CLIENT", help="Only this card's sales.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="WHEN", help="Only those sold since then.")
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List sales, newest first, with their count and total in the footer."""
    from clientcard.services import sales

    listing = Listing(fmt, limit, "sales", raw=raw)
    with session(write=False) as s:
        found = sales.list_sales(
            s, client, since=since, limit=listing.ask, now=now(), settings=settings(s)
        )
    listing.write(
        found.sales,
        SALES,
        title=_("Sales to {client}").format(client=found.client.label()) if found.client else None,
        empty=_no_sales(found.client.label() if found.client else None, since),
        footer=lambda shown, more: _sales_footer(found, shown, more),
    )


def _sales_footer(found: "SalesList", shown: int, more: bool) -> str:
    """`3 of 4 sales, total 400.00 CNY`, and how to see the rest when the table was cut."""
    total = format_money(found.total_minor, found.currency)
    if shown < found.count:
        footer = ngettext(
            "{shown} of {n} sale, total {total}", "{shown} of {n} sales, total {total}", found.count
        ).format(shown=shown, n=found.count, total=total)
    else:
        footer = ngettext(
            "{n} sale, total {total}", "{n} sales, total {total}", found.count
        ).format(n=found.count, total=total)
    if more:
        footer = _("{footer}. --limit N shows more, --format csv shows them all.").format(
            footer=footer
        )
    return footer[:1].upper() + footer[1:]


def _no_sales(client: str | None, since: str | None) -> str:
    if since:
        return _("No sales match.")
    if client:
        return _("No sales to {client} yet.").format(client=client)
    return _("No sales recorded yet.")


def rate(
    client: ClientArg,
    credit: Annotated[
        str | None,
        typer.Option(metavar="good|fair|poor", help="Credit: how safe it is to sell on credit."),
    ] = None,
    satisfaction: Annotated[
        str | None, typer.Option(metavar="1-5", help="How satisfied the client is (5: most).")
    ] = None,
    loyalty: Annotated[
        str | None,
        typer.Option(metavar="1-5", help="How loyal: repeat orders, referrals (5: most)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why.")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Show the ratings and their history instead.")
    ] = False,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="With --history: a table for people, or json, csv, tsv."
        ),
    ] = Format.table,
    raw: RawOption = False,
) -> None:
    """Rate a client's credit, satisfaction and loyalty; every change is kept.

    Give at least one rating. `rate CLIENT --history` shows the latest ratings and every change,
    newest first."""
    from clientcard.services import ratings

    if history:
        if credit is not None or satisfaction is not None or loyalty is not None or reason:
            raise InvalidValue(
                _("--history shows the ratings; give it without ratings or --reason")
            )
        with session(write=False) as s:
            view = ratings.history(s, client)
        Listing(fmt, raw=raw).write(
            view.history[::-1],
            RATINGS,
            title=_("Ratings of {client}: {ratings}").format(
                client=view.client.label(), ratings=view.describe()
            ),
            empty=_("{client} has not been rated yet.").format(client=view.client.label()),
        )
        return
    if fmt is not Format.table:
        raise InvalidValue(_("--format goes with --history"))
    if raw:
        raise InvalidValue(_("--raw goes with --history"))
    # Checked before the database is opened, so a bad value changes nothing.
    if credit is not None:
        ratings.parse_credit(credit)
    for name, value in (("satisfaction", satisfaction), ("loyalty", loyalty)):
        if value is not None:
            ratings.parse_score(name, value)
    with session(write=True) as s:
        rated = ratings.rate(
            s,
            client,
            credit=credit,
            satisfaction=satisfaction,
            loyalty=loyalty,
            reason=reason,
            now=now(),
        )
    if not rated.changed:
        print_line(
            _("Unchanged {client}: {ratings} already; nothing recorded").format(
                client=rated.after.client.label(), ratings=rated.describe_unchanged()
            )
        )
        return
    print_line(
        _("Rated {client}: {ratings}").format(
            client=rated.after.client.label(), ratings=rated.describe()
        )
    )
