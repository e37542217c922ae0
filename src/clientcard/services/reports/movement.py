"""`report movement`: how cards moved on the ladder, and what the ladder predicts
(docs/reports.md#movement).

Four sections:
- `matrix`: the period's grade changes as a from -> to matrix (a card's first entry, none ->
  grade, is its addition, not a move: the `moves` section counts those as `added`);
- `moves`: moves up (towards A), down, and cards added, per week or month of the period;
- `grades`: for each grade, the cards that held it at the period's start, and where they stand
  at its end (up, down, stayed), the median days a grade was held before a move up from it in
  the period, and the share of the grade's prospects that made a first sale in the period;
- `forecast`: for each grade, the prospects holding it at the period's end x the grade's
  conversion into a first sale measured over a look-back (default 365 days ending with the
  period) x the median first sale of the look-back, as a range from the 95% Wilson interval of
  the conversion: an estimate from the book's own history, not a promise.

A card's grade at a moment is the `from` of its first grade change at or after that moment,
or its grade now when it has not changed since (none: the card was added after it). The counts
per grade at the look-back's start, the period's start and its end are the cards per grade now
walked back through the changes since the earliest of them, read once in the spans between the
moments (`_STATES`); the period's changes by bucket, from and to give the matrix and the moves
(`_CHANGES`); a window (LAG) over the period's changes pairs each card's grade at its start and
end. Medians are read as sorted columns (period.median).
"""

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from clientcard.domain.dates import local_day_start, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import Grade
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
from clientcard.i18n import N_, _, ngettext
from clientcard.services.reports.period import MAX_DAYS, Axis, bounds, buckets, for_people, median
from clientcard.store.db import Db, load_datetime, time_text

LOOKBACK_DAYS = 365
# The normal quantile of a two-sided 95% interval.
Z95 = 1.959964
GRADES = [g.value for g in Grade]  # A (top) .. F

# Live cards (not archived at the moment), prospects (no sale before it) and first sales per
# grade held at three moments: the period's start (:start), the look-back's start (:lb) and
# the period's end (:end). The grade a card held at a moment is its grade now walked back
# through its changes since: each change since the moment takes the card out of its `to` grade
# and puts it back in its `from` grade (a card added since leaves the count). So the count per
# grade at a moment is the cards per grade now, minus the changes since by `to`, plus the
# changes since by `from`: one GROUP BY of the cards by grade and one of the changes since the
# earliest moment (`moved`, by from and to), and no sort of the history. A condition on the
# card (archived, first sale) goes with each of its changes. This is the grade the card's
# history gives it when every change starts from the grade the one before it took, as `grade`
# writes them; a merge joins two histories (docs/reports.md#movement, limits).
_LIVE = "({c}archived_at IS NULL OR {c}archived_at >= :{t})"
_PROSPECT = "({c}first_sale_at IS NULL OR {c}first_sale_at >= :{t})"
_FIRST = "{c}first_sale_at >= :{t} AND {c}first_sale_at < :end"


# The six counts, each at its moment: (moment, conditions on the card).
_COUNTS = (
    ("start", (_LIVE,)),
    ("start", (_LIVE, _PROSPECT)),
    ("start", (_LIVE, _FIRST)),
    ("lb", (_LIVE, _PROSPECT)),
    ("lb", (_LIVE, _FIRST)),
    ("end", (_LIVE, _PROSPECT)),
)
# What a plain card (never archived, no sale) counts in each: it is live and a prospect at
# every moment and makes no first sale.
_PLAIN = (True, True, False, True, False, True)
_NAMES = "abcdef"
_NOT_PLAIN = "(archived_at IS NOT NULL OR first_sale_at IS NOT NULL)"


def _figures(c: str, moments: tuple[str, ...] = ("start", "lb", "end")) -> str:
    """The six counts, over the cards (`c` = "") or their changes (`c` = "c.": each change
    read is since every moment in `moments`; a count at any other moment is 0)."""

    def at(t: str, conditions: tuple[str, ...]) -> str:
        if t not in moments:
            return ":no"
        return f"count(CASE WHEN {' AND '.join(x.format(c=c, t=t) for x in conditions)} THEN 1 END)"

    return ", ".join(
        f"{at(t, conditions)} AS {name}"
        for (t, conditions), name in zip(_COUNTS, _NAMES, strict=True)
    )


def _cards() -> str:
    """The six counts over the cards per grade now, as a count of all cards per grade (read
    in ix_client_ladder's grade order) corrected by the cards that are not plain (archived
    or sold: a third of them), so that the conditions are weighed for those alone."""
    plain = ", ".join(
        f"{'count(*)' if yes else ':no'} AS {name}"
        for yes, name in zip(_PLAIN, _NAMES, strict=True)
    )
    correction = ", ".join(
        f"{count.rsplit(' AS ', 1)[0]}{' - count(*)' if yes else ''} AS {name}"
        for count, yes, name in zip(_figures("").split(", "), _PLAIN, _NAMES, strict=True)
    )
    return (
        f"SELECT grade, {plain} FROM client GROUP BY grade"
        " UNION ALL"
        f" SELECT grade, {correction} FROM client WHERE {_NOT_PLAIN} GROUP BY grade"
    )


def _states(lookback_first: bool) -> str:
    """The six counts per grade at their moments. The changes since the earliest moment are
    read in three spans of time between the moments (`lookback_first`: the look-back starts
    before the period, as it does by default; else after its start), each change counting at
    the moments it is since: the conditions on its card are weighed only there, and no
    change's time is compared inside a count."""
    early, late = ("lb", "start") if lookback_first else ("start", "lb")
    spans = ((":first", f":{late}", (early,)), (f":{late}", ":end", (early, late)))
    parts = [
        " SELECT g.from_grade AS from_grade, g.to_grade AS to_grade,"
        f" {_figures('c.', moments)}"
        " FROM grade_change AS g JOIN client AS c ON c.id = g.client_id"
        f" WHERE g.changed_at >= {lo} AND g.changed_at < {hi}"
        " GROUP BY g.from_grade, g.to_grade"
        for lo, hi, moments in spans
    ]
    parts.append(
        f" SELECT g.from_grade, g.to_grade, {_figures('c.')}"
        " FROM grade_change AS g JOIN client AS c ON c.id = g.client_id"
        " WHERE g.changed_at >= :end GROUP BY g.from_grade, g.to_grade"
    )
    return (
        "WITH moved AS (SELECT from_grade, to_grade, sum(a) AS a, sum(b) AS b, sum(c) AS c,"
        " sum(d) AS d, sum(e) AS e, sum(f) AS f FROM ("
        + " UNION ALL".join(parts)
        + ") AS part GROUP BY from_grade, to_grade)"
        " SELECT grade, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f) FROM ("
        f" {_cards()}"
        " UNION ALL"
        " SELECT to_grade, -a, -b, -c, -d, -e, -f FROM moved"
        " UNION ALL"
        " SELECT from_grade, a, b, c, d, e, f FROM moved WHERE from_grade IS NOT NULL"
        ") AS flow GROUP BY grade"
    )


_STATES = {first: _states(first) for first in (True, False)}

# Where the cards that changed grade since the period's start stand at its end against its
# start (the others stayed): the first change of each since the start (`step`: the changes
# since then, each with the time of the card's change before it there, none for its first)
# has the grade held at the start as its `from` (none: added since); at the end, the `from` of
# its first change at or after the end (one look-up in ix_grade_change_client_id_changed_at),
# or the grade now when it has not changed since. "First" is in the order the changes were
# made, by id, as `grade CLIENT` lists them (two regrades a moment apart may commit in the
# other order than their times: docs/design.md); the period still selects them by time.
# `+client_id` keeps SQLite from reading the whole history through the client_id index to
# spare the partition's sort: reading the table and sorting the period's changes is faster.
_PAIRS = """
WITH step AS (
 SELECT client_id, from_grade,
  LAG(changed_at) OVER (PARTITION BY +client_id ORDER BY id) AS prev_at
 FROM grade_change WHERE changed_at >= :start
),
pair AS (
 SELECT step.from_grade AS at_start,
  COALESCE((SELECT e.from_grade FROM grade_change AS e WHERE e.client_id = step.client_id
   AND e.changed_at >= :end ORDER BY e.id LIMIT 1), client.grade) AS at_end
 FROM step JOIN client ON client.id = step.client_id
 WHERE step.prev_at IS NULL AND step.from_grade IS NOT NULL
  AND (client.archived_at IS NULL OR client.archived_at >= :start)
)
SELECT at_start, count(CASE WHEN at_end < at_start THEN 1 END),
 count(CASE WHEN at_end > at_start THEN 1 END)
FROM pair GROUP BY at_start
"""

# The period's grade changes by week or month, from and to: the matrix (their sum over the
# buckets) and the moves up (to a grade nearer A: a smaller letter), down and additions per
# bucket, from one read of the period's changes (ix_grade_change_changed_at alone). The
# bucket of a change is the first whose end is after it (`{bucket}`: a CASE over the axis's
# ends, in order), which costs less than joining each change against every bucket.
_CHANGES = (
    "SELECT {bucket} AS n, g.from_grade, g.to_grade, count(*) FROM grade_change AS g"
    " WHERE g.changed_at >= :start AND g.changed_at < :end"
    " GROUP BY n, g.from_grade, g.to_grade"
)


def _bucket_of(column: str, count: int) -> str:
    """The bucket number of a time: the first of `count` buckets whose end (`:hiN`) is after
    it."""
    return "CASE " + " ".join(f"WHEN {column} < :hi{n} THEN {n}" for n in range(count)) + " END"


# Each move up in the period, from which grade, when, and when the card took that grade (its
# change before: the same order as `grade CLIENT`, by id). Read to take the median
# of the days between, counted in the user's calendar as `grade CLIENT` counts them.
_UPS = (
    "SELECT g.from_grade, g.changed_at,"
    " (SELECT p.changed_at FROM grade_change AS p WHERE p.client_id = g.client_id"
    "  AND p.id < g.id ORDER BY p.id DESC LIMIT 1)"
    " FROM grade_change AS g"
    " WHERE g.changed_at >= :start AND g.changed_at < :end"
    " AND g.from_grade IS NOT NULL AND g.to_grade < g.from_grade"
    " ORDER BY g.id"
)

# The first sale of each card whose first sale fell in the look-back (ties at the same moment:
# the first recorded), as one sorted column for the median: the cards whose first_sale_at is
# in it (read in ix_client_ladder), each with its sale at that moment (ix_sale_client_id_
# sold_at): one look-up a card, rather than one search for an earlier sale for every sale.
_FIRST_SALES = (
    "SELECT (SELECT s.amount_minor FROM sale AS s WHERE s.client_id = c.id"
    " AND s.sold_at = c.first_sale_at ORDER BY s.id LIMIT 1) AS amount"
    " FROM client AS c WHERE c.first_sale_at >= :lb AND c.first_sale_at < :end"
    " ORDER BY amount"
)

# The matrix's column headers: `to A` .. `to F` (output/reports.header_text fills it in).
TO_GRADE = N_("to {grade}")

MATRIX = Section(
    name="matrix",
    title=N_("Grade changes: from (row) to (column)"),
    columns=(
        Col("from", N_("From"), Kind.text),
        *(Col(f"to_{g}", TO_GRADE) for g in GRADES),
        Col("total", N_("Total")),
    ),
    rows=(),
    chart=Chart(ChartKind.heat, "from", tuple(f"to_{g}" for g in GRADES)),
)

MOVES = Section(
    name="moves",
    title=N_("Moves up and down"),
    columns=(
        Col("bucket", N_("Period"), Kind.text),
        Col("first", N_("First"), Kind.date, spare=True),
        Col("last", N_("Last"), Kind.date, spare=True),
        Col("up", N_("Up")),
        Col("down", N_("Down")),
        Col("added", N_("Added")),
    ),
    rows=(),
    chart=Chart(ChartKind.stacked, "bucket", ("up", "down")),
    notes=(
        N_(
            "Up: a regrade towards A; down: towards F. Added: cards added (their first "
            "grade), not moves."
        ),
    ),
)

GRADES_SECTION = Section(
    name="grades",
    title=N_("Each grade from the period's start to its end"),
    columns=(
        Col("grade", N_("Grade"), Kind.text),
        Col("cards", N_("Cards")),
        Col("up", N_("Up"), spare=True),
        Col("down", N_("Down"), spare=True),
        Col("stayed", N_("Stayed"), spare=True),
        Col("up_share", N_("Up %"), Kind.share),
        Col("down_share", N_("Down %"), Kind.share),
        Col("stayed_share", N_("Stayed %"), Kind.share),
        Col("median_days_to_up", N_("Days to up"), Kind.days),
        Col("prospects", N_("Prospects"), spare=True),
        Col("first_sales", N_("First sales"), spare=True),
        Col("conversion", N_("Conversion"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.stacked, "grade", ("up_share", "down_share", "stayed_share")),
    notes=(
        N_(
            "Cards: the cards that held the grade at the period's start (not archived "
            "then); up, down, stayed: their grade at its end against it."
        ),
        N_(
            "Days to up: the median days the grade was held before a move up from it in "
            "the period (any card's). Conversion: of the grade's prospects at the start, "
            "the share whose first sale fell in the period."
        ),
    ),
)

FORECAST = Section(
    name="forecast",
    title=N_("Grade-weighted forecast of first sales"),
    columns=(
        Col("grade", N_("Grade"), Kind.text),
        Col("prospects", N_("Prospects")),
        Col("base", N_("Base (n)"), spare=True),
        Col("converted", N_("Converted"), spare=True),
        Col("conversion", N_("Conversion"), Kind.share),
        Col("conversion_low", N_("Conv. low"), Kind.share, spare=True),
        Col("conversion_high", N_("Conv. high"), Kind.share, spare=True),
        Col("first_sale_median", N_("Median first sale"), Kind.money, spare=True),
        Col("low", N_("Low"), Kind.money),
        Col("expected", N_("Expected"), Kind.money, spare=True),
        Col("high", N_("High"), Kind.money),
    ),
    rows=(),
    chart=Chart(ChartKind.range, "grade", ("low", "high")),
)


def wilson(converted: int, base: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of `converted` out of `base` (None when `base` is 0):
    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = converted / n."""
    if base <= 0:
        return None
    p = converted / base
    z2 = z * z
    denominator = 1 + z2 / base
    centre = (p + z2 / (2 * base)) / denominator
    half = z * math.sqrt(p * (1 - p) / base + z2 / (4 * base * base)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _local_days(db: Db, first: object, last: date, tz: tzinfo) -> Callable[[object], int]:
    """The local calendar day (a day number) of a stored time from `first` (the earliest
    asked, as the database returns it) to the end of day `last`, read against the instants
    each local day starts at, in the database's own type (SQLite: its UTC text, which sorts
    as the times do): the day `days_held` counts, without converting every time read."""
    first_at = load_datetime(first)
    assert first_at is not None
    day = first_at.astimezone(tz).date()
    starts = [local_day_start(day + timedelta(days=n), tz) for n in range((last - day).days + 2)]
    keys: list[Any] = [time_text(s) for s in starts] if db.text_times else starts
    return lambda moment: bisect_right(keys, moment)


def _many(n: int, thing: str) -> str:
    """`1 regrade`, `2 regrades`."""
    forms = {
        "day": lambda: ngettext("{n} day", "{n} days", n),
        "first sale": lambda: ngettext("{n} first sale", "{n} first sales", n),
        "regrade": lambda: ngettext("{n} regrade", "{n} regrades", n),
        "card": lambda: ngettext("{n} card", "{n} cards", n),
    }
    if thing in forms:
        return forms[thing]().format(n=n)
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _money(cards: int, rate: float | None, value: int | None) -> int | None:
    if rate is None or value is None:
        return None
    return round(cards * rate * value)


def movement(
    db: Db, period: Period, *, now: datetime, settings: Settings, lookback: int = LOOKBACK_DAYS
) -> Report:
    if not 1 <= lookback <= MAX_DAYS:
        raise InvalidValue(
            _("--lookback must be 1 to {MAX_DAYS} days, not {lookback}").format(
                MAX_DAYS=MAX_DAYS, lookback=lookback
            )
        )
    tz = zone_of(now)
    start, end = bounds(period, tz)
    lb_day = period.until - timedelta(days=lookback - 1)
    lb = local_day_start(lb_day, tz)
    moments = {"start": start, "end": end, "lb": lb}

    # -- the matrix, and the moves on the time axis ------------------------------------------
    axis = Axis(buckets(period, tz))
    matrix = {g: dict.fromkeys(GRADES, 0) for g in GRADES}
    added = 0
    per_bucket = {n: [0, 0, 0] for n in range(len(axis.buckets))}  # up, down, added
    ends = {f"hi{n}": bucket.end for n, bucket in enumerate(axis.buckets)}
    for n, from_grade, to_grade, count in db.rows(
        _CHANGES.format(bucket=_bucket_of("g.changed_at", len(ends))), start=start, end=end, **ends
    ):
        figures, count = per_bucket[int(n)], int(count)
        if from_grade is None:  # the card's addition, not a move
            added += count
            figures[2] += count
            continue
        if to_grade < from_grade:
            figures[0] += count
        elif to_grade > from_grade:
            figures[1] += count
        if from_grade in matrix and to_grade in matrix:
            matrix[from_grade][to_grade] += count
    matrix_rows = [(g, *(matrix[g][t] for t in GRADES), sum(matrix[g].values())) for g in GRADES]
    moved = sum(sum(cells.values()) for cells in matrix.values())
    ups = sum(matrix[f][t] for f in GRADES for t in GRADES if t < f)
    downs = sum(matrix[f][t] for f in GRADES for t in GRADES if t > f)
    moves_rows = [(b.label, b.first, b.last, *per_bucket[n]) for n, b in enumerate(axis.buckets)]

    # -- grades at the three moments ---------------------------------------------------------
    counts: dict[str, tuple[int, ...]] = {}
    for grade, *figures in db.rows(_STATES[lb <= start], first=min(lb, start), no=0, **moments):
        counts[grade] = tuple(int(n) for n in figures)
    pairs = {
        grade: (int(up), int(down)) for grade, up, down in db.rows(_PAIRS, start=start, end=end)
    }

    held: dict[str, list[int]] = {g: [] for g in GRADES}
    ups_rows = [
        (from_grade, moved_at, since)
        for from_grade, moved_at, since in db.rows(_UPS, start=start, end=end)
        if since is not None and from_grade in held
    ]
    if ups_rows:
        day = _local_days(db, min(since for _, _, since in ups_rows), period.until, tz)
        for from_grade, moved_at, since in ups_rows:
            held[from_grade].append(max(day(moved_at) - day(since), 0))
    grade_rows = []
    for g in GRADES:
        cards, prospects, first_sales = counts.get(g, (0, 0, 0))[:3]
        up, down = pairs.get(g, (0, 0))
        stayed = cards - up - down
        grade_rows.append(
            (
                g,
                cards,
                up,
                down,
                stayed,
                share(up, cards),
                share(down, cards),
                share(stayed, cards),
                median(sorted(held[g])),
                prospects,
                first_sales,
                share(first_sales, prospects),
            )
        )

    # -- the forecast ------------------------------------------------------------------------
    firsts = [int(a) for (a,) in db.rows(_FIRST_SALES, lb=lb, end=end) if a is not None]
    value = median(firsts)
    typical = None if value is None else round(value)
    forecast_rows = []
    totals = [0, 0, 0]
    estimated = [0, 0, 0]  # low, expected, high summed over the grades that have a base
    measured = False  # some grade has an estimate (a base and a median first sale)
    unmeasured = []
    for g in GRADES:
        n, converted, now_cards = counts.get(g, (0, 0, 0, 0, 0, 0))[3:]
        rate = share(converted, n)
        interval = wilson(converted, n)
        low_rate, high_rate = interval if interval else (None, None)
        low = _money(now_cards, low_rate, typical)
        expected = _money(now_cards, rate, typical)
        high = _money(now_cards, high_rate, typical)
        if n == 0 and now_cards:
            unmeasured.append(g)
        measured = measured or expected is not None
        for i, amount in enumerate((low, expected, high)):
            estimated[i] += amount or 0
        totals[0] += now_cards
        totals[1] += n
        totals[2] += converted
        forecast_rows.append(
            (g, now_cards, n, converted, rate, low_rate, high_rate, typical, low, expected, high)
        )
    whole = estimated if measured else None  # no grade with a base: no estimate, not 0
    forecast_rows.append(
        (
            "all",
            totals[0],
            totals[1],
            totals[2],
            share(totals[2], totals[1]),
            None,
            None,
            typical,
            whole[0] if whole else None,
            whole[1] if whole else None,
            whole[2] if whole else None,
        )
    )
    forecast_notes = [
        _(
            "An estimate from the book's own history, not a promise. Look-back: {value} to "
            "{value2} ({many})."
        ).format(
            value=lb_day.isoformat(), value2=period.until.isoformat(), many=_many(lookback, "day")
        ),
        N_(
            "Base (n): the prospects (no sale yet) that held the grade at the look-back's "
            "start; converted: those whose first sale fell in the look-back; conversion = "
            "converted / n, low and high: its 95% Wilson score interval."
        ),
        _(
            "Prospects: cards holding the grade at the period's end with no sale yet. Low, "
            "expected, high = prospects x conversion (low, measured, high) x the median "
            "first sale of the look-back ({many})."
        ).format(many=_many(len(firsts), "first sale")),
        N_(
            "The row `all` adds the grades' figures: its low and high are wider than one "
            "95% interval of the whole book."
        ),
    ]
    if unmeasured:
        forecast_notes.append(
            (
                _(
                    "No base for grade {grades}: left out of the estimate (no prospect held it "
                    "at the look-back's start)."
                )
                if len(unmeasured) == 1
                else _(
                    "No base for grades {grades}: left out of the estimate (no prospect held "
                    "them at the look-back's start)."
                )
            ).format(grades=", ".join(unmeasured))
        )
    if not measured and totals[0]:
        forecast_notes.append(
            N_(
                "No grade has a base, so there is no estimate: a book younger than the "
                "look-back has none yet; a shorter --lookback measures one."
            )
        )

    return for_people(
        Report(
            name="movement",
            title=N_("Movement: the ladder over the period"),
            period=period,
            currency=settings.currency,
            sections=(
                Section(
                    name=MATRIX.name,
                    title=MATRIX.title,
                    columns=MATRIX.columns,
                    rows=tuple(matrix_rows),
                    chart=MATRIX.chart,
                    notes=(
                        _(
                            "{many} in the period, {ups} up (towards A) and {downs} down; "
                            "{many2} added (not moves: the `moves` section counts them)."
                        ).format(
                            many=_many(moved, "regrade"),
                            ups=ups,
                            downs=downs,
                            many2=_many(added, "card"),
                        ),
                    ),
                ),
                replace(MOVES, rows=tuple(moves_rows)),
                replace(GRADES_SECTION, rows=tuple(grade_rows)),
                Section(
                    name=FORECAST.name,
                    title=FORECAST.title,
                    columns=FORECAST.columns,
                    rows=tuple(forecast_rows),
                    chart=FORECAST.chart,
                    notes=tuple(forecast_notes),
                ),
            ),
        )
    )
