"""Sales: record one, list them, a client's value, and the thank-you each sale makes due.

Money is exact: amounts are integer minor units (domain/money.py), summed by the database as
integers. The currency is the one setting `currency`; amounts are not converted.

The thank-you (card method: thank the client within one or two days after a deal) is pending
on the card from the sale (`thanks_since`) to the end of its deadline day (`thanks_due_at`, an
exclusive end: the next local midnight); services/touches.py keeps both. A contact dated at or
after the sale clears it, except the sale's own contact (a sale is a meeting unless
`--no-contact`), and a sale entered after such a contact was logged makes none due.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from clientcard.domain.agenda import Channel, ContactSource, ItemKind, urgency
from clientcard.domain.cards import clean_text
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.money import format_money, parse_amount
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _, ngettext
from clientcard.services.lookup import resolve_client
from clientcard.services.said import Said, said
from clientcard.services.schedule import parse
from clientcard.services.touches import (
    clear_thanks,
    deadline_day,
    owe_thanks,
    parse_channel,
    record_contact,
    thanked_since,
)
from clientcard.services.views import ClientRef, DueItem
from clientcard.services.views.sales import SaleView, ValueView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Sale
from clientcard.store.where import Where

# Before any thank-you's deadline: the lower end of the range that reads the pending ones.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# "The last 12 months", as `due` counts them for the value bonus (services/agenda.py).
VALUE_PERIOD = timedelta(days=365)


@dataclass(frozen=True)
class RecordedSale:
    """What `sale` did: the sale, whether it made a customer, and the thank-you."""

    sale: SaleView
    first: bool  # the client's first sale: a prospect became a customer
    latest: bool  # the client's latest sale (a backdated one may not be)
    thanks_by: date | None  # the thank-you's deadline day, when one is due for this sale
    contacted_at: datetime | None  # a contact already logged at or after the sale, if any
    no_thanks: bool  # the user asked for no thank-you (--no-thanks)
    on_day: bool = False  # sold on a day given without a time (stored as the day's start)
    via: Channel | None = None  # the sale's contact (None: --no-contact)
    next_followup: date | None = None  # the card's next follow-up after that contact
    confirmed: tuple[int, ...] = ()  # the appointments that contact confirmed


@dataclass(frozen=True)
class SalesList:
    sales: list[SaleView]
    count: int  # all that match, even beyond --limit
    total_minor: int  # their sum
    currency: str
    client: ClientRef | None


_SALE_AND_CLIENT = f"{columns(Sale, 'sale')}, {columns(Client, 'client')}"


def sale_view(sale: Sale, client: Client, settings: Settings) -> SaleView:
    assert sale.id is not None
    return SaleView(
        id=sale.id,
        client=ClientRef.of(client),
        amount_minor=sale.amount_minor,
        currency=settings.currency,
        what=sale.what,
        sold_at=sale.sold_at,
        author=sale.author,
    )


def _latest_sale(db: Db, client_id: int) -> Sale | None:
    return db.first(
        Sale, "WHERE client_id = :client_id ORDER BY sold_at DESC, id DESC", client_id=client_id
    )


def record_sale(
    db: Db,
    ref: str,
    amount: str,
    *,
    what: str | None = None,
    on: str | None = None,
    no_thanks: bool = False,
    no_contact: bool = False,
    via: str | None = None,
    now: datetime,
    settings: Settings,
) -> RecordedSale:
    """Record a sale (now, or `on` a past moment; a day alone is the start of that day). The
    first sale makes the prospect a customer; the latest sale makes a thank-you due by the end of
    the day sold + thanks_days, unless a contact at or after it is already logged. The sale is a
    touch: a contact `via` (default meeting) at its time, through services/touches.py, unless
    `no_contact` (it was not a meeting: an order by post, an old sale entered for the record)."""
    minor = parse_amount(amount, settings.currency)
    if no_contact and via is not None:
        raise InvalidValue(_("give --via or --no-contact, not both"))
    channel = parse_channel(via) if via is not None else Channel.meeting
    when = parse(on, now, settings, past=True) if on else None
    sold_at = when.start if when is not None else now
    if sold_at > now:
        raise InvalidValue(
            _("--on {on} is in the future; a sale is recorded once it is made").format(on=repr(on))
        )
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    assert client.id is not None
    previous = _latest_sale(db, client.id)
    sale = Sale(
        author=db.author(),
        client_id=client.id,
        amount_minor=minor,
        what=clean_text(what, "what"),
        sold_at=sold_at,
        recorded_at=now,
    )
    db.insert(sale)
    first = client.first_sale_at is None
    if client.first_sale_at is None or sold_at < client.first_sale_at:
        client.first_sale_at = sold_at  # customer since the earliest sale, backdated or not
    # The thank-you belongs to the latest sale; a backdated sale older than it changes nothing.
    latest = previous is None or sold_at >= previous.sold_at
    contact = thanked_since(db, client.id, sold_at) if latest else None
    thanks_by: date | None = None
    if latest:
        if no_thanks or contact is not None:
            clear_thanks(client)
        else:
            thanks_by = owe_thanks(client, sold_at, now=now, settings=settings)
    client.updated_at = now
    client.updated_by = db.author()
    met = None
    if no_contact:
        db.update(
            client, "first_sale_at", "thanks_due_at", "thanks_since", "updated_at", "updated_by"
        )
    else:
        money = format_money(minor, settings.currency)
        met = record_contact(
            db,
            client,
            at=sold_at,
            via=channel,
            # a note as the person who records the sale would write it: their language
            summary=(
                _("sale of {amount}: {what}").format(amount=money, what=sale.what)
                if sale.what
                else _("sale of {amount}").format(amount=money)
            ),
            source=ContactSource.sale,
            source_id=sale.id,
            greeting=False,
            now=now,
            settings=settings,
        )
    return RecordedSale(
        sale=sale_view(sale, client, settings),
        first=first,
        latest=latest,
        thanks_by=thanks_by,
        contacted_at=contact.at if contact is not None else None,
        no_thanks=no_thanks,
        on_day=when is not None and when.all_day,
        via=channel if met is not None else None,
        next_followup=client.next_followup_on if met is not None else None,
        confirmed=met.confirmed if met is not None else (),
    )


def list_sales(
    db: Db,
    ref: str | None = None,
    *,
    since: str | None = None,
    limit: int | None = None,
    now: datetime,
    settings: Settings,
) -> SalesList:
    """Sales, newest first, with the count and total of all that match (beyond `limit` too)."""
    if limit is not None and limit < 1:
        raise InvalidValue(_("--limit must be 1 or more, not {limit}").format(limit=limit))
    start = parse(since, now, settings, past=True).start if since else None
    client = resolve_client(db, ref) if ref else None
    where = Where()
    if client is not None:
        where.add("sale.client_id = :client_id", client_id=client.id)
    if start is not None:
        where.add("sale.sold_at >= :start", start=start)
    query = (
        f"SELECT {_SALE_AND_CLIENT} FROM sale JOIN client ON client.id = sale.client_id "
        + where.tail("sale.sold_at DESC, sale.id DESC", limit)
    )
    views = [
        sale_view(sale, c, settings) for sale, c in db.pairs(Sale, Client, query, **where.params)
    ]
    ((count, total),) = db.rows(
        f"SELECT count(*), coalesce(sum(sale.amount_minor), 0) FROM sale {where}", **where.params
    )
    return SalesList(
        sales=views,
        count=int(count),
        total_minor=int(total),
        currency=settings.currency,
        client=ClientRef.of(client) if client is not None else None,
    )


def recent_sales(db: Db, client: Client, *, settings: Settings, limit: int) -> list[SaleView]:
    """The last `limit` sales of one card, newest first (for its page; the totals are its
    value's)."""
    rows = db.select(
        Sale,
        f"WHERE client_id = :client_id ORDER BY sold_at DESC, id DESC LIMIT {int(limit)}",
        client_id=client.id,
    )
    return [sale_view(sale, client, settings) for sale in rows]


def client_value(db: Db, client: Client, *, now: datetime, settings: Settings) -> ValueView:
    """Purchases in the last 12 months (sold after now - 365 days, as `due` counts them),
    lifetime value = value_multiplier x those, sales and repeat orders, customer since."""
    ((count, total, last, bought),) = db.rows(
        "SELECT count(*), coalesce(sum(amount_minor), 0), max(sold_at), "
        "coalesce(sum(CASE WHEN sold_at > :since THEN amount_minor ELSE 0 END), 0) "
        "FROM sale WHERE client_id = :client_id",
        ("", "", "datetime", ""),
        since=now - VALUE_PERIOD,
        client_id=client.id,
    )
    return ValueView(
        currency=settings.currency,
        purchases_12m_minor=int(bought),
        multiplier=settings.value_multiplier,
        sales=int(count),
        total_minor=int(total),
        first_sale_at=client.first_sale_at,
        last_sale_at=last,
    )


# ---- the thank-you in `due` --------------------------------------------------------------

# The latest sale of each client (a tie on the time: each of them, by id).
_LATEST_SALES = (
    f"SELECT {columns(Sale, 'sale')} FROM sale JOIN ("
    "SELECT client_id, max(sold_at) AS sold_at FROM sale WHERE client_id IN :ids "
    "GROUP BY client_id"
    ") AS newest ON newest.client_id = sale.client_id AND newest.sold_at = sale.sold_at "
    "ORDER BY sale.id"
)
# Per client, the sales not yet thanked (since its pending thank-you started): how many, the
# first one's time.
_UNTHANKED = (
    "SELECT sale.client_id, count(*), min(sale.sold_at) "
    "FROM sale JOIN client ON client.id = sale.client_id "
    "WHERE sale.client_id IN :ids AND sale.sold_at >= client.thanks_since "
    "GROUP BY sale.client_id"
)
# The cards these clients referred since the thank-you started (client.referred_at: when the
# referrer was recorded): a referral not yet thanked (ix_client_referred_by_id).
_REFERRED = (
    "SELECT referred.referred_by_id, referred.id, referred.name, referred.referred_at "
    "FROM client referred JOIN client referrer ON referrer.id = referred.referred_by_id "
    "WHERE referred.referred_by_id IN :ids AND referred.referred_at >= referrer.thanks_since "
    "ORDER BY referred.referred_at, referred.id"
)


def _days(n: int) -> Said:
    english = f"{n} day{'s' if n != 1 else ''}"
    return Said(english, ngettext("{n} day", "{n} days", n).format(n=n))


def _thanks_what(sale: Sale | None, count: int, referred: str | None) -> Said:
    parts = [said(N_("referring {card}"), card=referred)] if referred else []
    if sale is not None and count > 1:
        if sale.what:
            parts.append(
                said(N_("{count} purchases (latest: {what})"), count=count, what=sale.what)
            )
        else:
            parts.append(said(N_("{count} purchases"), count=count))
    elif sale is not None:
        if sale.what:
            parts.append(said(N_("the purchase of {what}"), what=sale.what))
        else:
            parts.append(said(N_("the purchase")))
    if len(parts) == 2:
        return said(N_("thank them for {first} and for {second}"), first=parts[0], second=parts[1])
    return said(N_("thank them for {what}"), what=parts[0])


def thanks_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    """The pending thank-yous, from the day of the sale (or referral) until done, overdue ones
    included; live cards only. Read through ix_client_thanks_due_at: every pending thank-you
    started by now, so each is due."""
    tz = zone_of(now)
    today = local_date(now, tz)
    clients = db.select(
        Client,
        # A range, not IS NOT NULL: with the latter SQLite's planner scans the table.
        "WHERE thanks_due_at >= :floor AND archived_at IS NULL",
        floor=EPOCH,
    )
    # Every pending thank-you started by now; one that starts later (none do) waits for it.
    # thanks_since is set and cleared with thanks_due_at (touches.py; migration 0005 filled it).
    clients = [c for c in clients if c.thanks_since is not None and c.thanks_since < end]
    if not clients:
        return []
    ids = [c.id for c in clients]
    latest: dict[int, Sale] = {}
    for row in db.records(Sale, _LATEST_SALES, ids=ids):
        latest[row.client_id] = row  # the highest id wins a tie
    unthanked: dict[int, tuple[int, datetime]] = {}
    for client_id, n, since in db.rows(_UNTHANKED, ("", "", "datetime"), ids=ids):
        unthanked[client_id] = (int(n), since)
    referred: dict[int, tuple[int, str, datetime]] = {}
    for referrer_id, card_id, name, at in db.rows(_REFERRED, ("", "", "", "datetime"), ids=ids):
        referred.setdefault(referrer_id, (card_id, name, at))  # the first since
    items = []
    for client in clients:
        assert client.id is not None
        assert client.thanks_due_at is not None
        count, first = unthanked.get(client.id, (0, None))
        sale = latest.get(client.id) if count else None
        # A card it referred since the thank-you started: a referral not yet thanked.
        referral = referred.get(client.id)
        if sale is None and referral is None:
            continue  # nothing left to thank for (a sale or card deleted meanwhile)
        day = deadline_day(client.thanks_due_at, now)
        overdue = day < today
        days = (today - day).days if overdue else 0
        grade = Grade(client.grade)
        basis: list[Said] = []
        if referral is not None:
            card_id, name, at = referral
            basis.append(
                said(
                    N_("referred {card} on {day}"),
                    card=f"#{card_id} {name}",
                    day=local_date(at, tz).isoformat(),
                )
            )
        if sale is not None and first is not None:
            # English for machines (the agenda's JSON never changes), the interface's for people
            money = Said(
                format_money(sale.amount_minor, settings.currency, "en"),
                format_money(sale.amount_minor, settings.currency),
            )
            sold_day = local_date(sale.sold_at, tz).isoformat()
            basis.append(
                said(N_("sale of {amount} on {day}"), amount=money, day=sold_day)
                if count <= 1
                else said(
                    N_("{count} sales since {since}, the latest {amount} on {day}"),
                    count=count,
                    since=local_date(first, tz).isoformat(),
                    amount=money,
                    day=sold_day,
                )
            )
        when = (
            said(N_("late by {days}: thank them now"), days=_days(days))
            if overdue
            else said(N_("thank them by {day}"), day=str(day))
        )
        reason = basis[0] if len(basis) == 1 else basis[0] + "; " + basis[1]
        reason = said(N_("{basis}: {when}"), basis=reason, when=when)
        what = _thanks_what(sale, count, f"#{referral[0]} {referral[1]}" if referral else None)
        items.append(
            DueItem(
                kind=ItemKind.thanks,
                urgency=urgency(ItemKind.thanks, grade, overdue=overdue, overdue_days=days),
                client_id=client.id,
                client=client.name,
                grade=grade,
                what=what.english,
                what_shown=what.shown,
                due=day,
                sort_key=local_day_start(day, tz),
                overdue=overdue,
                overdue_days=days,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=sale.id if sale is not None else referral[0] if referral else None,
                # One pending thank-you per card at a time (client.thanks_due_at).
                ident=f"thanks-{client.id}",
            )
        )
    return items
