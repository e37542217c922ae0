"""Sales: record one, list them, a client's value, and the thank-you each sale makes due.

Money is exact: amounts are integer minor units (domain/money.py), summed by the database as
integers. The currency is the one setting `currency`; amounts are not converted.

The thank-you (card method: thank the client within one or two days after a deal) lives on the
card as `thanks_due_at`, the end of its deadline day (an exclusive end: the next local
midnight). It belongs to the client's latest sale and is open while no contact is dated at or
after that sale: logging one clears it (`thanks_after_contact`, called by `log`), and a sale
entered after such a contact was logged makes none due.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clientcard.domain.agenda import ItemKind, urgency
from clientcard.domain.cards import clean_text
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.money import format_money, parse_amount
from clientcard.domain.settings import Settings
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import parse
from clientcard.services.views import ClientRef, DueItem
from clientcard.services.views.sales import SaleView, ValueView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Contact, Sale
from clientcard.store.where import Where

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
    )


def thanks_deadline(sold_at: datetime, now: datetime, settings: Settings) -> datetime:
    """The end (exclusive: the next local midnight) of the day sold + thanks_days."""
    tz = zone_of(now)
    day = local_date(sold_at, tz) + timedelta(days=settings.thanks_days)
    return local_day_start(day + timedelta(days=1), tz)


def deadline_day(deadline: datetime, now: datetime) -> date:
    """The last local day of a thank-you whose deadline (an exclusive end) is `deadline`."""
    tz = zone_of(now)
    return local_date(deadline - timedelta(microseconds=1), tz)


def _latest_sale(db: Db, client_id: int) -> Sale | None:
    return db.first(
        Sale, "WHERE client_id = :client_id ORDER BY sold_at DESC, id DESC", client_id=client_id
    )


def _contact_since(db: Db, client_id: int, moment: datetime) -> Contact | None:
    """The first contact dated at or after `moment` (ix_contact_client_id_at)."""
    return db.first(
        Contact,
        "WHERE client_id = :client_id AND at >= :moment ORDER BY at, id",
        client_id=client_id,
        moment=moment,
    )


def record_sale(
    db: Db,
    ref: str,
    amount: str,
    *,
    what: str | None = None,
    on: str | None = None,
    no_thanks: bool = False,
    now: datetime,
    settings: Settings,
) -> RecordedSale:
    """Record a sale (now, or `on` a past moment; a day alone is the start of that day). The
    first sale makes the prospect a customer; the latest sale makes a thank-you due by the end of
    the day sold + thanks_days, unless a contact at or after it is already logged."""
    minor = parse_amount(amount)
    when = parse(on, now, settings, past=True) if on else None
    sold_at = when.start if when is not None else now
    if sold_at > now:
        raise InvalidValue(f"--on {on!r} is in the future; a sale is recorded once it is made")
    client = resolve_client(db, ref)
    if client.archived_at is not None:
        raise Refused(f"#{client.id} {client.name} is archived; unarchive it first")
    assert client.id is not None
    previous = _latest_sale(db, client.id)
    sale = Sale(
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
    contact = _contact_since(db, client.id, sold_at) if latest else None
    thanks_by: date | None = None
    if latest:
        if no_thanks or contact is not None:
            client.thanks_due_at = None
        else:
            # A thank-you still owed for an earlier sale keeps its (earlier) deadline: a new
            # order does not excuse a late thank-you.
            deadline = thanks_deadline(sold_at, now, settings)
            if client.thanks_due_at is None or deadline < client.thanks_due_at:
                client.thanks_due_at = deadline
            thanks_by = deadline_day(client.thanks_due_at, now)
    client.updated_at = now
    db.update(client, "first_sale_at", "thanks_due_at", "updated_at")
    return RecordedSale(
        sale=sale_view(sale, client, settings),
        first=first,
        latest=latest,
        thanks_by=thanks_by,
        contacted_at=contact.at if contact is not None else None,
        no_thanks=no_thanks,
        on_day=when is not None and when.all_day,
    )


def thanks_after_contact(
    db: Db, client: Client, moment: datetime, *, now: datetime, settings: Settings
) -> bool:
    """A contact at `moment` (already counted in the client's last contact) thanks the client
    for every sale dated at or before it. Dated at or after the latest sale, it clears the open
    thank-you: True. Dated between two sales not yet thanked, the thank-you still owed is for the
    later ones, and its deadline becomes the first of those's (the caller writes the client)."""
    if client.thanks_due_at is None or client.id is None:
        return False
    latest = _latest_sale(db, client.id)
    if latest is None or moment >= latest.sold_at:
        client.thanks_due_at = None
        return True
    since = max(moment, client.last_contact_at or moment)
    first = db.scalar(
        "SELECT min(sold_at) FROM sale WHERE client_id = :client_id AND sold_at > :since",
        "datetime",
        client_id=client.id,
        since=since,
    )
    if first is not None:
        deadline = thanks_deadline(first, now, settings)
        if deadline > client.thanks_due_at:
            client.thanks_due_at = deadline
    return False


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
        raise InvalidValue(f"--limit must be 1 or more, not {limit}")
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
# Per client, the sales after its last contact: how many, and the first one's time.
_UNTHANKED = (
    "SELECT sale.client_id, count(*), min(sale.sold_at) "
    "FROM sale JOIN client ON client.id = sale.client_id "
    "WHERE sale.client_id IN :ids "
    "AND (client.last_contact_at IS NULL OR sale.sold_at > client.last_contact_at) "
    "GROUP BY sale.client_id"
)


def _within(days: int) -> str:
    if days <= 0:
        return "the same day"
    return f"within {days} day{'s' if days != 1 else ''}"


def _thanks_what(sale: Sale, count: int) -> str:
    if count > 1:
        return f"thank them for {count} purchases" + (
            f" (latest: {sale.what})" if sale.what else ""
        )
    return "thank them for the purchase" + (f" of {sale.what}" if sale.what else "")


def thanks_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    """Thank-yous whose deadline day falls on or before the window's last day, overdue ones
    included; live cards only. Read through ix_client_thanks_due_at."""
    tz = zone_of(now)
    today = local_date(now, tz)
    last_day = local_date(end - timedelta(microseconds=1), tz)
    clients = db.select(
        Client,
        "WHERE thanks_due_at IS NOT NULL AND thanks_due_at <= :end AND archived_at IS NULL",
        end=local_day_start(last_day + timedelta(days=1), tz),
    )
    if not clients:
        return []
    ids = [c.id for c in clients]
    latest: dict[int, Sale] = {}
    for row in db.records(Sale, _LATEST_SALES, ids=ids):
        latest[row.client_id] = row  # the highest id wins a tie
    # The sales not yet thanked: those after the last contact (a contact at or after a sale
    # thanks it), how many and since when.
    unthanked: dict[int, tuple[int, datetime]] = {}
    for client_id, n, since in db.rows(_UNTHANKED, ("", "", "datetime"), ids=ids):
        unthanked[client_id] = (int(n), since)
    items = []
    for client in clients:
        assert client.id is not None
        assert client.thanks_due_at is not None
        sale = latest.get(client.id)
        if sale is None:  # every sale deleted by hand: nothing to thank for
            continue
        day = deadline_day(client.thanks_due_at, now)
        sold_day = local_date(sale.sold_at, tz)
        count, first = unthanked.get(client.id, (1, sale.sold_at))
        overdue = day < today
        days = (today - day).days if overdue else 0
        grade = Grade(client.grade)
        money = format_money(sale.amount_minor, settings.currency)
        items.append(
            DueItem(
                kind=ItemKind.thanks,
                urgency=urgency(ItemKind.thanks, grade, overdue=overdue, overdue_days=days),
                client_id=client.id,
                client=client.name,
                grade=grade,
                what=_thanks_what(sale, count),
                due=day,
                sort_key=local_day_start(day, tz),
                overdue=overdue,
                overdue_days=days,
                reason=f"sale of {money} on {sold_day.isoformat()}: call or send a card "
                + _within((day - sold_day).days)
                if count <= 1
                else f"{count} sales since {local_date(first, tz).isoformat()}, the latest "
                f"{money} on {sold_day.isoformat()}: call or send a card",
                record_id=sale.id,
            )
        )
    return items
