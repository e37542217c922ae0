"""`report activity`: what the salesperson did in the period (docs/reports.md#activity).

- `contacts`, on the time axis: contacts per week or month, visits (face to face: the agenda's
  VISIT_CHANNELS, the same rule that sets a card's last visit) against remote contacts, sales
  follow-ups against greetings (`contact.greeting`), greetings due (occasions and holidays that
  fell in the bucket), and first visits to F cards. One GROUP BY per figure over the axis.
- `channels`: the period's contacts per channel.
- `followups`: each live card's latest sales follow-up in the period, on time or late against
  its grade's cadence from the sales contact before it, and the cards still overdue today.
- `greetings`: greetings logged against occasions and holidays that fell due.

Every figure is counted in SQL. Day arithmetic (is a follow-up more than its cadence after the
one before?) needs a day number for a moment, which SQLite and PostgreSQL spell differently; so
the day of a moment is found by comparing it with the local midnights of the days concerned,
passed as parameters, in a CASE that halves the days at each step (`_day_number`).
"""

from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from clientcard.domain.agenda import VISIT_CHANNELS, Channel
from clientcard.domain.dates import local_day_start, today_of, zone_of
from clientcard.domain.grades import FKind, Grade
from clientcard.domain.occasions import month_day_ranges
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
from clientcard.services.holidays import audience_cards
from clientcard.services.reports.period import Axis, Bucket, bounds, buckets
from clientcard.store.db import Db

VISITS = sorted(c.value for c in VISIT_CHANNELS)

CONTACTS = Section(
    name="contacts",
    title="Contacts",
    columns=(
        Col("bucket", "Period", Kind.text),
        Col("first", "From", Kind.date, spare=True),
        Col("last", "To", Kind.date, spare=True),
        Col("visits", "Visits"),
        Col("remote", "Remote"),
        Col("contacts", "Contacts", spare=True),
        Col("followups", "Follow-ups", spare=True),
        Col("greetings", "Greetings"),
        Col("greetings_due", "Due", spare=True),
        Col("first_visits_f", "First visits F"),
    ),
    rows=(),
    chart=Chart(ChartKind.stacked, "bucket", ("visits", "remote")),
)

CHANNELS = Section(
    name="channels",
    title="Contacts by channel",
    columns=(
        Col("channel", "Channel", Kind.text),
        Col("face_to_face", "Visit", Kind.text),
        Col("contacts", "Contacts"),
        Col("share", "Share", Kind.share),
        Col("greetings", "Greetings", spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "channel", ("contacts",)),
)

FOLLOWUPS = Section(
    name="followups",
    title="Follow-ups",
    columns=(
        Col("status", "Status", Kind.text),
        Col("cards", "Cards"),
        Col("share", "Share", Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "status", ("cards",)),
)

GREETINGS = Section(
    name="greetings",
    title="Greetings sent and due",
    columns=(
        Col("occasions_due", "Occasions due"),
        Col("holidays_due", "Holiday greetings due"),
        Col("due", "Due"),
        Col("sent", "Sent"),
        Col("sent_share", "Sent / due", Kind.share),
    ),
    rows=(),
)


def _day_number(column: str, names: list[str], lo: int, hi: int) -> str:
    """SQL for the number of the day `column` falls on: the largest i in [lo, hi) whose
    midnight `:names[i]` is at or before it, lo - 1 when none is; a binary search in CASEs."""
    if hi - lo == 1:
        return f"CASE WHEN {column} >= :{names[lo]} THEN {lo} ELSE {lo - 1} END"
    mid = (lo + hi) // 2
    return (
        f"CASE WHEN {column} >= :{names[mid]} THEN {_day_number(column, names, mid, hi)} "
        f"ELSE {_day_number(column, names, lo, mid)} END"
    )


def _contacts(db: Db, axis: Axis) -> list[tuple[int, str, bool, int]]:
    """(bucket, channel, greeting, contacts) for the period."""
    return [
        (int(n), str(via), bool(greeting), int(count))
        for n, via, greeting, count in db.rows(
            f"{axis.cte} SELECT bucket.n, contact.via, contact.greeting, count(*)"
            f" FROM contact JOIN bucket ON {axis.on('contact.at')}"
            " GROUP BY bucket.n, contact.via, contact.greeting",
            **axis.params,
        )
    ]


def _first_visits(db: Db, axis: Axis, start: datetime, end: datetime) -> dict[int, int]:
    """First visits to F cards per bucket: a visit in the period with no visit before it on
    the card, on a card whose grade at that moment (its latest grade change at or before the
    visit) was F. Archived cards count: the visit took place."""
    # Each card's first visit in the period, then only those cards probed: no visit before
    # the period, F at that moment.
    sql = (
        f"{axis.cte}, first AS MATERIALIZED ("
        " SELECT c.client_id, min(c.at) AS at FROM contact AS c"
        " WHERE c.at >= :start AND c.at < :end AND c.via IN :visits GROUP BY c.client_id)"
        " SELECT bucket.n, count(*) FROM first"
        f" JOIN bucket ON {axis.on('first.at')}"
        " WHERE (SELECT g.to_grade FROM grade_change AS g WHERE g.client_id = first.client_id"
        "  AND g.changed_at <= first.at ORDER BY g.changed_at DESC, g.id DESC LIMIT 1) = :f"
        " AND NOT EXISTS (SELECT 1 FROM contact AS p WHERE p.client_id = first.client_id"
        "  AND p.at < :start AND p.via IN :visits)"
        " GROUP BY bucket.n"
    )
    return {
        int(n): int(count)
        for n, count in db.rows(
            sql, start=start, end=end, visits=VISITS, f=Grade.F.value, **axis.params
        )
    }


def _cadences(settings: Settings) -> dict[str, Any]:
    params: dict[str, Any] = {f"cad_{g.value}": settings.cadence_days(g) for g in Grade}
    params["cad_fnew"] = settings.cadence_days(Grade.F, FKind.new)
    return params


def _followups(
    db: Db, period: Period, tz: tzinfo, today: date, settings: Settings
) -> tuple[int, int, int]:
    """(on time, late, still overdue): live cards whose latest sales follow-up fell in the
    period, judged against the sales contact before it (or the day the card was added) plus
    the cadence of the card's grade (F-new's when the card was never visited); and live cards
    whose next follow-up is before today. F-new's cadence applies when the card is F now and
    had no visit before that follow-up."""
    cadences = _cadences(settings)
    longest = max(cadences.values())
    first_day = period.since - timedelta(days=longest + 1)
    days = (period.until - first_day).days + 2
    names = [f"d{i}" for i in range(days)]
    params: dict[str, Any] = {
        name: local_day_start(first_day + timedelta(days=i), tz) for i, name in enumerate(names)
    }
    start, end = params[names[longest + 1]], params[names[-1]]
    by_grade = " ".join(f"WHEN k.grade = '{g.value}' THEN :cad_{g.value}" for g in Grade)
    # F-new's cadence applies to an F card with no visit before the follow-up; whether it had
    # one is asked (a probe of its contacts) only when the two F cadences disagree.
    never_visited = (
        "(k.last_visit_at IS NULL OR (k.last_visit_at >= k.followed_up_at AND NOT EXISTS ("
        "SELECT 1 FROM contact AS v WHERE v.client_id = k.id AND v.at < k.followed_up_at"
        " AND v.via IN :visits)))"
    )
    late = (
        "CASE WHEN k.grade <> :f THEN (CASE WHEN k.gap > (CASE " + by_grade + " END)"
        " THEN 1 ELSE 0 END)"
        " WHEN k.gap <= :cad_F AND k.gap <= :cad_fnew THEN 0"
        " WHEN k.gap > :cad_F AND k.gap > :cad_fnew THEN 1"
        f" WHEN {never_visited} THEN (CASE WHEN k.gap > :cad_fnew THEN 1 ELSE 0 END)"
        " ELSE (CASE WHEN k.gap > :cad_F THEN 1 ELSE 0 END) END"
    )
    # The day gap is worked out once per card (k), then compared with its cadence.
    sql = (
        "WITH j AS MATERIALIZED ("
        " SELECT client.id, client.grade, client.followed_up_at, client.last_visit_at,"
        " coalesce((SELECT max(p.at) FROM contact AS p WHERE p.client_id = client.id"
        "  AND p.at < client.followed_up_at AND p.greeting = :no), client.created_at) AS before"
        " FROM client WHERE client.archived_at IS NULL"
        " AND client.followed_up_at >= :start AND client.followed_up_at < :end),"
        " k AS MATERIALIZED (SELECT j.id, j.grade, j.followed_up_at, j.last_visit_at,"
        f" ({_day_number('j.followed_up_at', names, 0, days)})"
        f" - ({_day_number('j.before', names, 0, days)}) AS gap FROM j),"
        f" judged AS MATERIALIZED (SELECT {late} AS late FROM k)"
        " SELECT count(*) - coalesce(sum(judged.late), 0), coalesce(sum(judged.late), 0)"
        " FROM judged"
    )
    ((on_time, late),) = db.rows(
        sql,
        start=start,
        end=end,
        f=Grade.F.value,
        no=False,
        visits=VISITS,
        **cadences,
        **params,
    )
    overdue = db.scalar(
        "SELECT count(*) FROM client WHERE client.archived_at IS NULL"
        " AND client.next_followup_on < :today",
        today=today,
    )
    return int(on_time or 0), int(late or 0), int(overdue or 0)


def _year_parts(bucket: Bucket) -> list[tuple[int, date, date]]:
    """The bucket's days cut at new year: (year, first, last)."""
    parts = []
    first = bucket.first
    while first <= bucket.last:
        last = min(bucket.last, date(first.year, 12, 31))
        parts.append((first.year, first, last))
        first = last + timedelta(days=1)
    return parts


def _occasion_condition(year: int, first: date, last: date) -> str:
    """SQL: a key date falls on a day from `first` to `last` of `year` (domain/occasions.py's
    `occurrences`: a yearly date from its year on, February 29 on the 28th in other years; a
    one-off date in its year). Only integers are written into the text."""
    runs = month_day_ranges(first, last) or []
    days = " OR ".join(
        f"(key_date.month = {m} AND key_date.day >= {lo} AND key_date.day <= {hi})"
        for m, lo, hi in runs
    )
    return (
        f"(((key_date.yearly = :yes AND (key_date.year IS NULL OR key_date.year <= {year}))"
        f" OR (key_date.yearly = :no AND key_date.year = {year})) AND ({days}))"
    )


def _greetings_due(db: Db, period: Period, axis: Axis) -> tuple[dict[int, int], dict[int, int]]:
    """Occasions (key dates of live cards) and holiday greetings (a holiday times the live
    cards of its audience now) falling in each bucket."""
    columns = []
    for bucket in axis.buckets:
        parts = " OR ".join(_occasion_condition(*part) for part in _year_parts(bucket))
        columns.append(f"count(CASE WHEN {parts} THEN 1 END)")
    # Only the months of the period: read through ix_key_date_month_day.
    months = sorted(
        {m for b in axis.buckets for m, _, _ in month_day_ranges(b.first, b.last) or []}
    )
    (counts,) = db.rows(
        f"SELECT {', '.join(columns)} FROM key_date JOIN client ON client.id = key_date.client_id"
        " WHERE key_date.month IN :months AND client.archived_at IS NULL",
        yes=True,
        no=False,
        months=months,
    )
    occasions = {n: int(c or 0) for n, c in enumerate(counts)}
    holidays: dict[int, int] = {}
    for on, audience in db.rows(
        'SELECT "on", audience FROM holiday WHERE "on" >= :first AND "on" <= :last'
        ' ORDER BY "on", id',
        ("date", ""),
        first=period.since,
        last=period.until,
    ):
        source, where = audience_cards(str(audience))
        cards = int(
            db.scalar(f"SELECT count(*) FROM ({source} {where}) AS audience", **where.params)
        )
        for n, bucket in enumerate(axis.buckets):
            if bucket.first <= on <= bucket.last:
                holidays[n] = holidays.get(n, 0) + cards
    return occasions, holidays


def activity(db: Db, period: Period, *, now: datetime, settings: Settings) -> Report:
    tz = zone_of(now)
    today = today_of(now)
    start, end = bounds(period, tz)
    axis = Axis(buckets(period, tz))
    counted = _contacts(db, axis)
    first_visits = _first_visits(db, axis, start, end)
    occasions, holidays = _greetings_due(db, period, axis)

    rows = []
    for n, bucket in enumerate(axis.buckets):
        mine = [(via, greeting, count) for b, via, greeting, count in counted if b == n]
        visits = sum(count for via, _, count in mine if via in VISITS)
        total = sum(count for *_, count in mine)
        greetings = sum(count for _, greeting, count in mine if greeting)
        rows.append(
            (
                bucket.label,
                bucket.first,
                bucket.last,
                visits,
                total - visits,
                total,
                total - greetings,
                greetings,
                occasions.get(n, 0) + holidays.get(n, 0),
                first_visits.get(n, 0),
            )
        )
    all_contacts = sum(row[5] for row in rows)
    channels = []
    for channel in Channel:
        contacts = sum(count for _, via, _, count in counted if via == channel.value)
        greetings = sum(c for _, via, g, c in counted if via == channel.value and g)
        channels.append(
            (
                channel.value,
                "yes" if channel.value in VISITS else "no",
                contacts,
                share(contacts, all_contacts),
                greetings,
            )
        )
    channels.sort(key=lambda row: (-row[2], row[0]))

    on_time, late, overdue = _followups(db, period, tz, today, settings)
    judged = on_time + late
    followups = (
        ("on time", on_time, share(on_time, judged)),
        ("late", late, share(late, judged)),
        ("still overdue", overdue, None),
    )
    occasions_due = sum(occasions.values())
    holidays_due = sum(holidays.values())
    due = occasions_due + holidays_due
    sent = sum(row[7] for row in rows)
    visit_names = " and ".join(VISITS)
    return Report(
        name="activity",
        title="Activity: contacts, first visits, follow-ups, greetings",
        period=period,
        currency=settings.currency,
        sections=(
            replace(
                CONTACTS,
                rows=tuple(rows),
                notes=(
                    f"Visits: contacts by {visit_names} (face to face, as the card's last visit"
                    " counts them); remote: every other channel.",
                    "Follow-ups: contacts that are not greetings; greetings: contacts logged as"
                    " one (a card or gift for an occasion, or --greeting).",
                    "Due: key dates of live cards and holiday greetings (a holiday times the"
                    " live cards of its audience) whose day falls in the row.",
                    "First visits F: a card's first visit ever, on a card graded F at the time.",
                ),
            ),
            replace(
                CHANNELS,
                rows=tuple(channels),
                notes=(f"{all_contacts} contacts in the period.",),
            ),
            replace(
                FOLLOWUPS,
                rows=followups,
                notes=(
                    "On time / late: live cards whose latest sales follow-up fell in the"
                    " period, at most their grade's cadence (F never visited: cadence.F-new)"
                    " after the sales contact before it, or after the card was added.",
                    f"Still overdue: live cards whose next follow-up is before"
                    f" {today.isoformat()}, whatever the period.",
                ),
            ),
            replace(
                GREETINGS,
                rows=((occasions_due, holidays_due, due, sent, share(sent, due)),),
                notes=(
                    "Sent: contacts logged as greetings in the period. Due: occasions and"
                    " holiday greetings falling in it; a greeting is not matched to its"
                    " occasion, so sent / due is a rate, not a list of who was missed.",
                ),
            ),
        ),
    )
