"""The views of sales: one sale, and a client's value."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from clientcard.domain.money import format_money, machine_amount
from clientcard.i18n import _, ngettext
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class SaleView(Keyed):
    id: int
    client: ClientRef
    amount_minor: int
    currency: str
    what: str | None
    sold_at: datetime
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    # `sales` (docs/sales.md).
    KEYS: ClassVar[Keys["SaleView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        ("amount", lambda v: machine_amount(v.amount_minor)),
        "currency",
        "what",
        "sold_at",
        "author",
    )

    @property
    def money(self) -> str:
        """For people: `12,000.00 CNY`."""
        return format_money(self.amount_minor, self.currency)


@dataclass(frozen=True)
class ValueView(Keyed):
    """A client's value (card method: a client is worth about 20 times a year's purchases)."""

    currency: str
    purchases_12m_minor: int  # sold in the last 365 days
    multiplier: int  # setting value_multiplier
    sales: int  # every sale recorded
    total_minor: int  # every sale recorded, summed
    first_sale_at: datetime | None
    last_sale_at: datetime | None

    # The card page's `value` (docs/sales.md).
    KEYS: ClassVar[Keys["ValueView"]] = Keys(
        "customer",
        ("customer_since", "first_sale_at"),
        "currency",
        ("purchases_12m", lambda v: machine_amount(v.purchases_12m_minor)),
        ("lifetime_value", lambda v: machine_amount(v.lifetime_value_minor)),
        "multiplier",
        "sales",
        "repeat_orders",
        ("total_purchases", lambda v: machine_amount(v.total_minor)),
        "last_sale_at",
    )

    @property
    def customer(self) -> bool:
        return self.first_sale_at is not None

    @property
    def lifetime_value_minor(self) -> int:
        return self.multiplier * self.purchases_12m_minor

    @property
    def repeat_orders(self) -> int:
        return max(self.sales - 1, 0)

    def describe(self) -> str:
        """One line for the card page."""
        if not self.customer:
            return _("prospect: no sales yet")
        orders = ngettext("{n} repeat order", "{n} repeat orders", self.repeat_orders).format(
            n=self.repeat_orders
        )
        sales = ngettext("{n} sale", "{n} sales", self.sales).format(n=self.sales)
        return _(
            "{amount} in the last 12 months; lifetime value {value} ({multiplier} x); "
            "{sales}, {orders}"
        ).format(
            amount=format_money(self.purchases_12m_minor, self.currency),
            value=format_money(self.lifetime_value_minor, self.currency),
            multiplier=self.multiplier,
            sales=sales,
            orders=orders,
        )
