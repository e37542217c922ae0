"""`report funnel`: the ladder now (docs/reports.md#funnel).

Live cards per grade, the F grade split into its two kinds (never visited, `F-new`, at the
bottom; visited but slow, `F-slow`), customers (a first sale) and prospects on each step, and
what each step is worth: the purchases of the last 12 months (sold after now - 365 days, as the
card page counts them) and the lifetime value, `value_multiplier` (20) times those. The period
counts the cards added in it, per the grade they hold now. One GROUP BY over the live cards, and one
over the last 12 months' sales joined to their cards.
"""

from dataclasses import replace
from datetime import datetime

from clientcard.domain.dates import zone_of
from clientcard.domain.grades import FKind, Grade
from clientcard.domain.reports import (
    Chart,
    ChartKind,
    Col,
    Kind,
    Period,
    Report,
    Section,
    share,
)
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.reports.period import bounds, for_people
from clientcard.services.sales import VALUE_PERIOD
from clientcard.store.db import Db

# The funnel is the book now: no time axis (`report all` gives it no `--by`).
AXIS = False  # the ladder now: no time axis (cli/reports._period)

# The steps of the ladder, top first: A..E, then F's two kinds (never visited at the bottom).
STEPS = [g.value for g in Grade if g is not Grade.F] + [FKind.slow.label, FKind.new.label]

# One pass over the live cards, grouped by grade alone (ix_client_ladder: no sort, no
# card read),
# F's two kinds told apart inside the count.
_CARDS = (
    "SELECT grade, count(*),"
    " count(CASE WHEN last_visit_at IS NULL THEN 1 END),"
    " count(first_sale_at),"
    " count(CASE WHEN last_visit_at IS NULL AND first_sale_at IS NOT NULL THEN 1 END),"
    " count(CASE WHEN created_at >= :start AND created_at < :end THEN 1 END),"
    " count(CASE WHEN last_visit_at IS NULL AND created_at >= :start AND created_at < :end"
    " THEN 1 END)"
    " FROM client WHERE archived_at IS NULL GROUP BY grade"
)
# The last 12 months' sales of the live cards, by the step their card stands on.
_VALUE = (
    "SELECT client.grade,"
    " CASE WHEN client.last_visit_at IS NULL THEN 1 ELSE 0 END, sum(sale.amount_minor)"
    " FROM sale JOIN client ON client.id = sale.client_id"
    " WHERE sale.sold_at > :year_ago AND client.archived_at IS NULL"
    " GROUP BY client.grade, CASE WHEN client.last_visit_at IS NULL THEN 1 ELSE 0 END"
)

GRADES = Section(
    name="grades",
    title=N_("The ladder now"),
    columns=(
        Col("grade", N_("Grade"), Kind.text),
        Col("cards", N_("Cards")),
        Col("share", N_("Share"), Kind.share, spare=True),
        Col("customers", N_("Customers")),
        Col("prospects", N_("Prospects")),
        Col("added", N_("Added"), spare=True),
        Col("purchases_12m", N_("12-month value"), Kind.money),
        Col("lifetime_value", N_("Lifetime value"), Kind.money, spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.funnel, "grade", ("cards",)),
    empty=N_("No live cards."),
)

KINDS = Section(
    name="customers",
    title=N_("Customers and prospects"),
    columns=(
        Col("kind", N_("Kind"), Kind.text),
        Col("cards", N_("Cards")),
        Col("share", N_("Share"), Kind.share),
        Col("purchases_12m", N_("12-month value"), Kind.money),
        Col("lifetime_value", N_("Lifetime value"), Kind.money),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "kind", ("cards",)),
    notes=(N_("A customer has a sale on the card (its first sale made it one)."),),
)


def funnel(db: Db, period: Period, *, now: datetime, settings: Settings) -> Report:
    tz = zone_of(now)
    start, end = bounds(period, tz)
    found: dict[str, list[int]] = {step: [0, 0, 0, 0] for step in STEPS}
    for grade, cards, never, customers, never_customers, added, never_added in db.rows(
        _CARDS, start=start, end=end
    ):
        if grade == Grade.F.value:
            found[FKind.new.label][:3] = [int(never), int(never_customers), int(never_added)]
            found[FKind.slow.label][:3] = [
                int(cards) - int(never),
                int(customers) - int(never_customers),
                int(added) - int(never_added),
            ]
        elif grade in found:
            found[grade][:3] = [int(cards), int(customers), int(added)]
    for grade, never, recent in db.rows(_VALUE, year_ago=now - VALUE_PERIOD):
        step = grade
        if grade == Grade.F.value:
            step = (FKind.new if int(never) else FKind.slow).label
        if step in found:
            found[step][3] += int(recent)
    live = sum(counts[0] for counts in found.values())
    multiplier = settings.value_multiplier
    rows = []
    for step in STEPS:
        cards, customers, added, recent = found[step]
        rows.append(
            (
                step,
                cards,
                share(cards, live),
                customers,
                cards - customers,
                added,
                recent,
                recent * multiplier,
            )
        )
    customers = sum(row[3] for row in rows)
    # Every sale is a customer's: the first sale makes a prospect a customer.
    customer_value = sum(row[6] for row in rows)
    kinds = (
        (
            "customers",
            customers,
            share(customers, live),
            customer_value,
            customer_value * multiplier,
        ),
        ("prospects", live - customers, share(live - customers, live), 0, 0),
    )
    return for_people(
        Report(
            name="funnel",
            title=N_("Funnel: the ladder now"),
            period=period,
            currency=settings.currency,
            sections=(
                replace(
                    GRADES,
                    rows=tuple(rows),
                    notes=(
                        _(
                            "{live} live cards. F-new: never visited; F-slow: visited, slow to "
                            "move."
                        ).format(live=live),
                        _(
                            "12-month value: sales after {value}; lifetime value = "
                            "{multiplier} x the 12-month value."
                        ).format(
                            value=(now - VALUE_PERIOD).date().isoformat(), multiplier=multiplier
                        ),
                        N_("Added: cards added in the period, by the grade they hold now."),
                    ),
                ),
                replace(KINDS, rows=kinds),
            ),
        )
    )
