"""`report customers`: repeat orders, the leaky funnel, loyalty beside satisfaction, the top
clients (docs/reports.md#customers).

The card method: satisfaction is not the measure, loyalty (repeat orders) is; measure the
repeat-order rate and what was lost; winning 100 clients a week while losing 100 looks flat.

- `customers`, per bucket of the period (months unless `--by week`): customers active at its
  start, new ones (their first sale in the bucket), lost ones (their last sale and last contact
  both older than `lost_after` days, counted in the bucket where that span ran out), active at
  its end. Active at the end = active at the start + new - lost. One row per customer (first
  sale, last touch), each moment placed in its bucket by one sort with the buckets' bounds.
- `repeat`: per bucket, the customers whose repeat window (`--repeat-within`, 365 days) closed
  in it, and how many of them had a second sale within the window; a `total` row. Counted per
  first-sale day (a `VALUES` table of days, each with the window's end), driven by the sale
  index: one GROUP BY.
- `ratings` and `rating_summary`: the live cards' current loyalty and satisfaction, 1-5.
- `top`: the live cards with the most sales in the last 12 months (sold after now - 365 days,
  as the funnel and the card page count them), with their lifetime value.

Every card counts in `customers` and `repeat`, archived ones too (a customer archived because
he left is a loss); `ratings` and `top` are the live cards now, as the funnel is.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from clientcard.domain.dates import local_day_start, today_of, zone_of
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
from clientcard.services.reports.period import Bucket, Step, buckets, for_people
from clientcard.services.sales import VALUE_PERIOD
from clientcard.store.db import Db

# New and lost customers are few a week: a month is the step that shows a trend (cli/reports
# reads it; `--by week` still works).
DEFAULT_BY = Step.month
DEFAULT_REPEAT_DAYS = 365
TOP = 10
SATISFIED = 4  # satisfaction 4 or 5
NOT_LOYAL = 2  # loyalty 1 or 2

# One row per customer (a card with a sale): the first sale and the last touch, the later of
# the last sale and the last contact (a sale logged with --no-contact is no contact).
_CUSTOMERS = (
    "customer AS ("
    " SELECT sold.first_at,"
    " CASE WHEN client.last_contact_at > sold.last_at THEN client.last_contact_at"
    " ELSE sold.last_at END AS touch_at"
    " FROM (SELECT client_id, min(sold_at) AS first_at, max(sold_at) AS last_at"
    "  FROM sale GROUP BY client_id) AS sold"
    " JOIN client ON client.id = sold.client_id)"
)


# Each customer's first sale (stream 0) and last touch (stream 1) placed in its bucket: the
# buckets' starts are rows of their own (`bound`, with the bucket's number; the last one's end
# with the number of buckets, beyond the axis), sorted with the moments, so a moment's bucket is
# the greatest number at or before it (a running max). One sort instead of a join of every
# customer with every bucket. The lost stream's bounds are the buckets' moved back by the span.
_PLACED = (
    "SELECT placed.stream, placed.bucket, count(*) FROM ("
    " SELECT moment.stream, moment.ord, max(moment.n) OVER (PARTITION BY moment.stream"
    "  ORDER BY moment.at, moment.ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    "  AS bucket"
    " FROM (SELECT 0 AS stream, customer.first_at AS at, 1 AS ord, CAST(NULL AS INTEGER) AS n"
    "  FROM customer"
    "  WHERE customer.first_at >= :new_from AND customer.first_at < :new_to"
    "  UNION ALL SELECT 1, customer.touch_at, 1, CAST(NULL AS INTEGER) FROM customer"
    "  WHERE customer.touch_at >= :lost_from AND customer.touch_at < :lost_to"
    "  UNION ALL SELECT bound.stream, bound.at, 0, bound.n FROM bound) AS moment"
    ") AS placed"
    " WHERE placed.ord = 1 AND placed.bucket < :buckets"
    " GROUP BY placed.stream, placed.bucket"
    # Stream 2: the customers active at the start of the first bucket.
    " UNION ALL SELECT 2, 0, count(*) FROM customer"
    " WHERE customer.first_at < :new_from AND customer.touch_at >= :lost_from"
)

# Per day of first sales: the first sales of that day (no earlier sale of the client; ties by
# id), and those followed by another sale of the client before the day's window ends.
_REPEAT = (
    "SELECT day.n, count(*),"
    " sum(CASE WHEN EXISTS (SELECT 1 FROM sale AS again"
    "  WHERE again.client_id = opening.client_id AND again.id <> opening.id"
    "  AND again.sold_at >= opening.sold_at AND again.sold_at < day.deadline)"
    "  THEN 1 ELSE 0 END)"
    " FROM day JOIN sale AS opening ON opening.sold_at >= day.lo AND opening.sold_at < day.hi"
    " WHERE NOT EXISTS (SELECT 1 FROM sale AS earlier"
    "  WHERE earlier.client_id = opening.client_id AND (earlier.sold_at < opening.sold_at"
    "  OR (earlier.sold_at = opening.sold_at AND earlier.id < opening.id)))"
    " GROUP BY day.n"
)

# The live cards' current ratings in one scan: how many hold each score of loyalty (l1..l5)
# and of satisfaction (s1..s5), the sums for the means, and the satisfied but not loyal.
_RATINGS = (
    "SELECT "
    + ", ".join(f"count(CASE WHEN client.loyalty = {n} THEN 1 END)" for n in range(1, 6))
    + ", "
    + ", ".join(f"count(CASE WHEN client.satisfaction = {n} THEN 1 END)" for n in range(1, 6))
    + ", sum(client.loyalty), sum(client.satisfaction),"
    " count(CASE WHEN client.loyalty IS NOT NULL AND client.satisfaction IS NOT NULL"
    "  THEN 1 END),"
    " count(CASE WHEN client.satisfaction >= :satisfied AND client.loyalty <= :not_loyal"
    "  THEN 1 END)"
    " FROM client WHERE client.archived_at IS NULL"
)

# The top clients, and (a window over every client's 12-month value) the sum of them all.
_TOP = (
    "SELECT client.id, client.name, client.company, client.grade, recent.sales, recent.value,"
    " sum(recent.value) OVER ()"
    " FROM (SELECT client_id, count(*) AS sales, sum(amount_minor) AS value FROM sale"
    "  WHERE sold_at > :year_ago GROUP BY client_id) AS recent"
    " JOIN client ON client.id = recent.client_id"
    " WHERE client.archived_at IS NULL AND recent.value > 0"
    " ORDER BY recent.value DESC, client.id LIMIT :top"
)

FUNNEL = Section(
    name="customers",
    title=N_("New and lost customers (the leaky funnel)"),
    columns=(
        Col("bucket", N_("Bucket"), Kind.text),
        Col("first", N_("First"), Kind.date, spare=True),
        Col("last", N_("Last"), Kind.date, spare=True),
        Col("active_start", N_("Active at start"), stock=True),
        Col("new", N_("New")),
        Col("lost", N_("Lost")),
        Col("net", N_("Net")),
        Col("active_end", N_("Active at end"), stock=True),
    ),
    rows=(),
    chart=Chart(ChartKind.spark, "bucket", ("new", "lost", "active_end")),
)

REPEAT = Section(
    name="repeat",
    title=N_("Repeat orders"),
    columns=(
        Col("bucket", N_("Windows closed in"), Kind.text),
        Col("first_sales_from", N_("First sales from"), Kind.date, spare=True),
        Col("first_sales_to", N_("First sales to"), Kind.date, spare=True),
        Col("customers", N_("Customers")),
        Col("repeat", N_("Repeat")),
        Col("rate", N_("Repeat rate"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "bucket", ("rate",)),
)

RATINGS = Section(
    name="ratings",
    title=N_("Loyalty beside satisfaction (live cards, their current ratings)"),
    columns=(
        Col("score", N_("Score")),
        Col("loyalty", N_("Loyalty")),
        Col("satisfaction", N_("Satisfaction")),
    ),
    rows=(),
    chart=Chart(ChartKind.grouped, "score", ("loyalty", "satisfaction")),
)

RATED = Section(
    name="rating_summary",
    title=N_("Ratings in sum"),
    columns=(
        Col("rated_loyalty", N_("Loyalty rated")),
        Col("rated_satisfaction", N_("Satisfaction rated")),
        Col("mean_loyalty", N_("Mean loyalty"), Kind.number),
        Col("mean_satisfaction", N_("Mean satisfaction"), Kind.number),
        Col("rated_both", N_("Both rated"), spare=True),
        Col("satisfied_not_loyal", N_("Satisfied, not loyal")),
        Col("satisfied_not_loyal_share", N_("Share"), Kind.share, spare=True),
    ),
    rows=(),
)

TOP_CLIENTS = Section(
    name="top",
    title=N_("Top clients by 12-month value"),
    columns=(
        Col("rank", N_("Rank")),
        Col("id", N_("Card"), Kind.id),
        Col("name", N_("Name"), Kind.text),
        Col("company", N_("Company"), Kind.text, spare=True),
        Col("grade", N_("Grade"), Kind.text),
        Col("sales_12m", N_("Sales"), spare=True),
        Col("purchases_12m", N_("12-month value"), Kind.money),
        Col("share", N_("Share"), Kind.share, spare=True),
        Col("lifetime_value", N_("Lifetime value"), Kind.money),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "name", ("purchases_12m",)),
    empty=N_("No sales in the last 12 months on a live card."),
)


def _values_cte(name: str, columns: str, rows: list[tuple[Any, ...]]) -> tuple[str, dict[str, Any]]:
    """`name (columns) AS (VALUES ...)`: whole numbers written in the SQL, other values (the
    moments) bound as parameters `<name><row>_<column>`."""
    params: dict[str, Any] = {}
    values = []
    for i, row in enumerate(rows):
        cells = []
        for j, value in enumerate(row):
            if type(value) is int:
                cells.append(str(value))
            else:
                params[f"{name}{i}_{j}"] = value
                cells.append(f":{name}{i}_{j}")
        values.append(f"({', '.join(cells)})")
    return f"{name} ({columns}) AS (VALUES {', '.join(values)})", params


def _funnel_rows(
    db: Db, found: list[Bucket], now: datetime, lost_after: timedelta
) -> list[tuple[Any, ...]]:
    """Active at the start, new, lost and active at the end, per bucket. A bucket's moments
    stop at `now`: a bucket after now is empty."""
    starts = [min(bucket.start, now) for bucket in found]
    end = min(found[-1].end, now)
    bounds: list[tuple[Any, ...]] = []
    for stream, shift in ((0, timedelta(0)), (1, lost_after)):
        bounds.extend((n, stream, start - shift) for n, start in enumerate(starts))
        bounds.append((len(found), stream, end - shift))
    cte, params = _values_cte("bound", "n, stream, at", bounds)
    counts: dict[tuple[int, int], int] = {
        (int(stream), int(n)): int(c)
        for stream, n, c in db.rows(
            f"WITH {cte}, {_CUSTOMERS} {_PLACED}",
            buckets=len(found),
            new_from=starts[0],
            new_to=end,
            lost_from=starts[0] - lost_after,
            lost_to=end - lost_after,
            **params,
        )
    }
    active = counts.get((2, 0), 0)
    rows = []
    for n, bucket in enumerate(found):
        new, lost = counts.get((0, n), 0), counts.get((1, n), 0)
        start, active = active, active + new - lost
        rows.append((bucket.label, bucket.first, bucket.last, start, new, lost, new - lost, active))
    return rows


def _repeat_rows(db: Db, found: list[Bucket], now: datetime, window: int) -> list[tuple[Any, ...]]:
    """Per bucket, the first-sale days whose window closed in it (by yesterday at the latest:
    a window closes at the end of its last day), and their customers and repeats."""
    tz = zone_of(now)
    yesterday = today_of(now) - timedelta(days=1)
    days: list[tuple[Any, ...]] = []
    cohorts: list[tuple[date, date] | None] = []
    for n, bucket in enumerate(found):
        last = min(bucket.last, yesterday)
        cohort = (bucket.first - timedelta(days=window), last - timedelta(days=window))
        cohorts.append(cohort if bucket.first <= last else None)
        day = cohort[0]
        while day <= cohort[1]:
            closes = day + timedelta(days=window + 1)
            days.append(
                (
                    n,
                    local_day_start(day, tz),
                    local_day_start(day + timedelta(days=1), tz),
                    local_day_start(closes, tz),
                )
            )
            day += timedelta(days=1)
    counts: dict[int, tuple[int, int]] = {}
    if days:
        cte, params = _values_cte("day", "n, lo, hi, deadline", days)
        counts = {
            int(n): (int(customers), int(again or 0))
            for n, customers, again in db.rows(f"WITH {cte} {_REPEAT}", **params)
        }
    rows: list[tuple[Any, ...]] = []
    for n, bucket in enumerate(found):
        customers, again = counts.get(n, (0, 0))
        days_of = cohorts[n]
        rows.append(
            (
                bucket.label,
                days_of[0] if days_of else None,
                days_of[1] if days_of else None,
                customers,
                again,
                share(again, customers),
            )
        )
    total = sum(r[3] for r in rows)
    total_again = sum(r[4] for r in rows)
    closed = [c for c in cohorts if c]
    rows.append(
        (
            "total",
            closed[0][0] if closed else None,
            closed[-1][1] if closed else None,
            total,
            total_again,
            share(total_again, total),
        )
    )
    return rows


def _ratings(db: Db) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
    ((*counts, loyal_sum, satisfied_sum, both, unloyal),) = db.rows(
        _RATINGS, satisfied=SATISFIED, not_loyal=NOT_LOYAL
    )
    loyal, satisfied = [int(c) for c in counts[:5]], [int(c) for c in counts[5:]]
    rows = [(n, loyal[n - 1], satisfied[n - 1]) for n in range(5, 0, -1)]
    loyal_n, satisfied_n = sum(loyal), sum(satisfied)
    both, unloyal = int(both), int(unloyal)
    summary = (
        loyal_n,
        satisfied_n,
        int(loyal_sum) / loyal_n if loyal_n else None,
        int(satisfied_sum) / satisfied_n if satisfied_n else None,
        both,
        unloyal,
        share(unloyal, both),
    )
    return rows, summary


def _top(db: Db, now: datetime, top: int, multiplier: int) -> list[tuple[Any, ...]]:
    rows = []
    found = db.rows(_TOP, year_ago=now - VALUE_PERIOD, top=top)
    for rank, (id_, name, company, grade, sales, value, total) in enumerate(found, start=1):
        rows.append(
            (
                rank,
                int(id_),
                name,
                company,
                grade,
                int(sales),
                int(value),
                share(int(value), int(total)),
                int(value) * multiplier,
            )
        )
    return rows


def customers(
    db: Db,
    period: Period,
    *,
    now: datetime,
    settings: Settings,
    repeat_within: int = DEFAULT_REPEAT_DAYS,
    lost_after: int | None = None,
    top: int = TOP,
) -> Report:
    tz = zone_of(now)
    found = buckets(period, tz)
    lost_days = lost_after if lost_after is not None else settings.lost_after
    funnel_rows = _funnel_rows(db, found, now, timedelta(days=lost_days))
    repeat_rows = _repeat_rows(db, found, now, repeat_within)
    rating_rows, summary = _ratings(db)
    multiplier = settings.value_multiplier
    top_rows = _top(db, now, top, multiplier)
    year_ago = (now - VALUE_PERIOD).date().isoformat()
    return for_people(
        Report(
            name="customers",
            title=N_("Customers: repeat orders, new and lost, loyalty, the top clients"),
            period=period,
            currency=settings.currency,
            sections=(
                replace(
                    FUNNEL,
                    rows=tuple(funnel_rows),
                    notes=(
                        N_("A customer is a card with a sale; new: the first sale in the bucket."),
                        _(
                            "Lost: the last sale and the last contact both more than "
                            "{lost_days} days old (lost_after), counted in the bucket where "
                            "that span ran out."
                        ).format(lost_days=lost_days),
                        N_(
                            "Active: a customer not lost; active at end = at start + new - "
                            "lost. Archived cards count."
                        ),
                    ),
                ),
                replace(
                    REPEAT,
                    rows=tuple(repeat_rows),
                    notes=(
                        _(
                            "Repeat: a second sale within {repeat_within} days of the first "
                            "(--repeat-within), by the end of that day."
                        ).format(repeat_within=repeat_within),
                        N_(
                            "Each bucket holds the customers whose window closed in it (by "
                            "yesterday), so every one of them had the whole window."
                        ),
                    ),
                ),
                replace(
                    RATINGS,
                    rows=tuple(rating_rows),
                    notes=(N_("Satisfaction is not the measure; loyalty (repeat orders) is."),),
                    empty=N_("No ratings."),
                ),
                replace(
                    RATED,
                    rows=(summary,),
                    notes=(
                        _(
                            "Satisfied, not loyal: satisfaction {SATISFIED}-5 and loyalty "
                            "1-{NOT_LOYAL}, of the cards rated both."
                        ).format(SATISFIED=SATISFIED, NOT_LOYAL=NOT_LOYAL),
                    ),
                ),
                replace(
                    TOP_CLIENTS,
                    rows=tuple(top_rows),
                    notes=(
                        _(
                            "12-month value: sales after {year_ago}; lifetime value = "
                            "{multiplier} x the 12-month value; share: of every live card's "
                            "12-month value."
                        ).format(year_ago=year_ago, multiplier=multiplier),
                    ),
                ),
            ),
        )
    )
