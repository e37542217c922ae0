"""What every report shares: its period, its time axis (weeks or months) and medians.

A period is whole calendar days in the user's zone, `since` to `until` both included; the
default is the last 90 days, today included. Stored moments are UTC, so the period's SQL bounds
are the UTC instants of its first midnight and of the midnight after its last day (`bounds`).

The time axis (`--by week|month`) cuts the period into buckets: ISO weeks (Monday to Sunday)
or calendar months, the first and last cut to the period. Each bucket is counted in SQL by one
join against a table of its bounds written as `VALUES` (`Axis.join`), which SQLite and
PostgreSQL both read, so a count per week and channel is one GROUP BY, whatever the zone and
its daylight-saving changes (the bounds are computed here, from local midnights).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from statistics import median as _median
from typing import Any

from clientcard.domain.dates import DateOrder, local_day_start, parse_when, today_of, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.reports import Period, Report
from clientcard.i18n import N_, _

DEFAULT_DAYS = 90
# The longest period a report takes: its axis is a join against one VALUES row per bucket, and
# nobody reads more than ten years of weeks.
MAX_DAYS = 3660


class Step(StrEnum):
    week = "week"
    month = "month"


STEPS = ", ".join(s.value for s in Step)


def parse_step(text: str | None) -> Step | None:
    if text is None:
        return None
    try:
        return Step(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            _("--by must be {STEPS}, not {text}").format(STEPS=STEPS, text=repr(text))
        ) from None


def resolve(
    since: str | None,
    until: str | None,
    *,
    now: datetime,
    date_order: DateOrder | str = DateOrder.YMD,
    by: str | None = None,
    default_by: Step | None = None,
    default_days: int = DEFAULT_DAYS,
) -> Period:
    """The period a user typed (`--since`, `--until`: any date `log --at` takes, read as past
    dates: `mon` is the last Monday) or the default, the last `default_days` days to today."""
    tz = zone_of(now)
    today = today_of(now)

    def day(text: str, option: str) -> date:
        when = parse_when(text, now, date_order=date_order, past=True)
        return when.start.astimezone(tz).date()

    last = day(until, "--until") if until is not None else today
    first = day(since, "--since") if since is not None else last - timedelta(days=default_days - 1)
    if first > last:
        raise InvalidValue(
            _(
                "the period starts after it ends ({value} > {value2}); --since must be on "
                "or before --until"
            ).format(value=first.isoformat(), value2=last.isoformat())
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidValue(
            _("a report covers at most {MAX_DAYS} days; shorten --since..--until").format(
                MAX_DAYS=MAX_DAYS
            )
        )
    step = parse_step(by) or default_by
    return Period(first, last, step.value if step else None)


def bounds(period: Period, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period as UTC instants: its first local midnight, and the one after its last day."""
    return local_day_start(period.since, tz), local_day_start(period.until + timedelta(days=1), tz)


@dataclass(frozen=True)
class Bucket:
    label: str  # 2026-W47, 2026-11
    first: date
    last: date
    start: datetime  # UTC bounds: [start, end)
    end: datetime


def buckets(period: Period, tz: tzinfo, step: Step | str | None = None) -> list[Bucket]:
    """The period cut into weeks or months (`step`, else the period's own `by`, else weeks)."""
    step = Step(step or period.by or Step.week)
    found: list[Bucket] = []
    first = period.since
    while first <= period.until:
        if step is Step.week:
            iso = first.isocalendar()
            label = f"{iso.year}-W{iso.week:02d}"
            nxt = first + timedelta(days=7 - first.weekday())
        else:
            label = f"{first.year}-{first.month:02d}"
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(nxt - timedelta(days=1), period.until)
        found.append(
            Bucket(
                label,
                first,
                last,
                local_day_start(first, tz),
                local_day_start(last + timedelta(days=1), tz),
            )
        )
        first = nxt
    return found


class Axis:
    """A report's time axis in SQL: `WITH bucket (n, lo, hi) AS (VALUES ...)`, one row per
    bucket, to join a moment column against:

        axis = Axis(buckets(period, tz))
        db.rows(f"{axis.cte} SELECT bucket.n, count(*) FROM contact "
                f"JOIN bucket ON {axis.on('contact.at')} GROUP BY bucket.n", **axis.params)

    `n` is the bucket's index in `axis.buckets`."""

    def __init__(self, found: Sequence[Bucket], prefix: str = "b") -> None:
        if not found:
            raise ValueError("an axis needs at least one bucket")
        self.buckets = list(found)
        self.params: dict[str, Any] = {}
        values = []
        for n, bucket in enumerate(self.buckets):
            self.params[f"{prefix}lo{n}"] = bucket.start
            self.params[f"{prefix}hi{n}"] = bucket.end
            values.append(f"({n}, :{prefix}lo{n}, :{prefix}hi{n})")
        self.cte = f"WITH bucket (n, lo, hi) AS (VALUES {', '.join(values)})"

    @staticmethod
    def on(column: str) -> str:
        return f"{column} >= bucket.lo AND {column} < bucket.hi"


def median(values: Sequence[float]) -> float | None:
    """The median, None of nothing."""
    return float(_median(values)) if values else None


def days_between(start: datetime, end: datetime) -> float:
    """Days from one moment to another, as a fraction (a first response after 6 hours: 0.25)."""
    return (end - start).total_seconds() / 86_400


# The domain's default text of an empty section (domain.reports.Section.empty), for the catalog.
NOTHING = N_("Nothing in this period.")


def for_people(report: Report) -> Report:
    """`report` with its titles, column headers, notes and empty texts in the interface's
    language: each report marks them with `N_()` where it defines them (or translates a note it
    fills in with `_()`), and translates them here, once built. Machine keys and row values
    (JSON, CSV) are left as they are; a text translated already passes through unchanged."""
    return replace(
        report,
        title=_(report.title),
        notes=tuple(_(note) for note in report.notes),
        sections=tuple(
            replace(
                section,
                title=_(section.title),
                columns=tuple(replace(col, header=_(col.header)) for col in section.columns),
                notes=tuple(_(note) for note in section.notes),
                empty=_(section.empty),
                chart=(
                    replace(section.chart, title=_(section.chart.title))
                    if section.chart is not None and section.chart.title
                    else section.chart
                ),
            )
            for section in report.sections
        ),
    )
