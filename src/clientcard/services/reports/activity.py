"""`report activity`: what the salesperson did in the period (docs/reports.md#activity).

- `contacts`, on the time axis: contacts per week or month, visits (face to face: the agenda's
  VISIT_CHANNELS, the same rule that sets a card's last visit) against remote contacts, sales
  follow-ups (on time and late) against greetings (`contact.greeting`), greetings due
  (occasions and holidays that fell in the bucket), and first visits to F cards.
- `channels`: the period's contacts per channel.
- `followups`: the period's sales follow-ups on time or late against the day they were due
  (`contact.due_by`, recorded by `log` since migration 0010), those with no due date recorded,
  and the cards still overdue today.
- `greetings`: greetings logged against occasions and holidays that fell due.

Every figure is counted in SQL, from stored facts (issue 16's speed): the contacts, their
follow-up timeliness and channels in one GROUP BY read from one covering index; first visits
from `client.first_visit_at`, each card's grade at that moment one indexed probe.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta

from clientcard.domain import lunar
from clientcard.domain.agenda import VISIT_CHANNELS, Channel
from clientcard.domain.dates import today_of, zone_of
from clientcard.domain.grades import Grade
from clientcard.domain.lunar import LunarDate
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
from clientcard.i18n import N_, _
from clientcard.services.holidays import audience_cards, holidays_between
from clientcard.services.reports.period import Axis, Bucket, buckets, for_people
from clientcard.store.db import Db

VISITS = sorted(c.value for c in VISIT_CHANNELS)

CONTACTS = Section(
    name="contacts",
    title=N_("Contacts"),
    columns=(
        Col("bucket", N_("Period"), Kind.text),
        Col("first", N_("From"), Kind.date, spare=True),
        Col("last", N_("To"), Kind.date, spare=True),
        Col("visits", N_("Visits")),
        Col("remote", N_("Remote")),
        Col("contacts", N_("Contacts"), spare=True),
        Col("followups", N_("Follow-ups"), spare=True),
        Col("on_time", N_("On time"), spare=True),
        Col("late", N_("Late"), spare=True),
        Col("greetings", N_("Greetings")),
        Col("greetings_due", N_("Due"), spare=True),
        Col("first_visits_f", N_("First visits F")),
    ),
    rows=(),
    chart=Chart(ChartKind.stacked, "bucket", ("visits", "remote")),
)

CHANNELS = Section(
    name="channels",
    title=N_("Contacts by channel"),
    columns=(
        Col("channel", N_("Channel"), Kind.text),
        Col("face_to_face", N_("Visit"), Kind.text),
        Col("contacts", N_("Contacts")),
        Col("share", N_("Share"), Kind.share),
        Col("greetings", N_("Greetings"), spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "channel", ("contacts",)),
)

FOLLOWUPS = Section(
    name="followups",
    title=N_("Follow-ups"),
    columns=(
        Col("status", N_("Status"), Kind.text),
        Col("count", N_("Count")),
        Col("share", N_("Share"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "status", ("count",)),
)

GREETINGS = Section(
    name="greetings",
    title=N_("Greetings sent and due"),
    columns=(
        Col("occasions_due", N_("Occasions due")),
        Col("holidays_due", N_("Holiday greetings due")),
        Col("due", N_("Due")),
        Col("sent", N_("Sent")),
        Col("sent_share", N_("Sent / due"), Kind.share),
    ),
    rows=(),
)


# Three counts from one index range: (contacts * TALLY + on time) * TALLY + late. A cell is one
# channel and kind in one week or month; TALLY bounds its contacts (2**21: two million).
TALLY = 2**21


def _contacts(db: Db, axis: Axis) -> list[tuple[int, str, bool, int, int, int]]:
    """(bucket, channel, greeting, contacts, on time, late) for the period. Each channel and
    kind (sales or greeting) in each bucket is a range of ix_contact_via_greeting_at_due_by,
    counted from the index alone: no sort of the period's contacts, which a GROUP BY over
    them needs. On time / late: a sales follow-up before / at or after the end of the day it
    was due (`due_by`); greetings have none."""
    kinds = [(c.value, g) for c in Channel for g in (False, True)]
    names = {f"k{i}": via for i, (via, _) in enumerate(kinds)}
    values = ", ".join(
        f"(:k{i}, {':yes' if greeting else ':no'})" for i, (_, greeting) in enumerate(kinds)
    )
    sql = (
        f"{axis.cte}, kind (via, greeting) AS (VALUES {values})"
        " SELECT bucket.n, kind.via, kind.greeting, (SELECT"
        f" (count(*) * {TALLY} + count(CASE WHEN contact.at < contact.due_by THEN 1 END))"
        f" * {TALLY} + count(CASE WHEN contact.at >= contact.due_by THEN 1 END)"
        " FROM contact WHERE contact.via = kind.via AND contact.greeting = kind.greeting"
        f" AND {axis.on('contact.at')}) FROM bucket CROSS JOIN kind"
    )
    counted = []
    for n, via, greeting, tally in db.rows(sql, yes=True, no=False, **names, **axis.params):
        if tally:
            rest, late = divmod(int(tally), TALLY)
            count, on_time = divmod(rest, TALLY)
            counted.append((int(n), str(via), bool(greeting), count, on_time, late))
    return counted


def _first_visits(db: Db, axis: Axis) -> dict[int, int]:
    """First visits to F cards per bucket: cards whose first visit ever (`first_visit_at`)
    falls in the bucket, graded F at that moment (their latest grade change at or before it).
    Archived cards count: the visit took place."""
    sql = (
        f"{axis.cte} SELECT bucket.n, count(*) FROM client"
        f" JOIN bucket ON {axis.on('client.first_visit_at')}"
        " WHERE (SELECT g.to_grade FROM grade_change AS g WHERE g.client_id = client.id"
        "  AND g.changed_at <= client.first_visit_at"
        "  ORDER BY g.id DESC LIMIT 1) = :f"
        " GROUP BY bucket.n"
    )
    return {int(n): int(count) for n, count in db.rows(sql, f=Grade.F.value, **axis.params)}


def _overdue(db: Db, today: date) -> int:
    """Live cards whose next follow-up is before today."""
    return int(
        db.scalar(
            "SELECT count(*) FROM client WHERE client.archived_at IS NULL"
            " AND client.next_followup_on < :today",
            today=today,
        )
        or 0
    )


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
        columns.append(f"sum(CASE WHEN {parts} THEN key_date.n ELSE 0 END)")
    # Only the months of the period: read through ix_key_date_month_day.
    months = sorted(
        {m for b in axis.buckets for m, _, _ in month_day_ranges(b.first, b.last) or []}
    )
    # The dates counted per day and kind first (the book's, less the archived cards' few: read
    # through ix_client_archived, never a look-up of each date's card), then each day's count
    # summed into its buckets: the CASEs read a few thousand grouped rows, not every date.
    kind = "key_date.month, key_date.day, key_date.yearly, key_date.year"
    (counts,) = db.rows(
        f"SELECT {', '.join(columns)} FROM ("
        f" SELECT {kind}, count(*) AS n FROM key_date"
        f" WHERE key_date.month IN :months AND NOT key_date.lunar GROUP BY {kind}"
        f" UNION ALL SELECT {kind}, -count(*) AS n FROM client CROSS JOIN key_date"
        " WHERE key_date.client_id = client.id AND client.archived_at IS NOT NULL"
        f" AND key_date.month IN :months AND NOT key_date.lunar GROUP BY {kind}) AS key_date",
        yes=True,
        no=False,
        months=months,
    )
    occasions = {n: int(c or 0) for n, c in enumerate(counts)}
    # Lunar dates (issue 18), by the lunar months of the period, counted here on their solar
    # days: a book holds few of them.
    lunar_months = sorted(
        {m for b in axis.buckets for m, _, _ in lunar.month_day_ranges(b.first, b.last) or []}
    )
    lunar_rows = lunar_months and db.rows(
        "SELECT key_date.month, key_date.day, key_date.yearly, key_date.year, key_date.leap"
        " FROM key_date CROSS JOIN client WHERE client.id = key_date.client_id"
        " AND key_date.lunar AND client.archived_at IS NULL AND key_date.month IN :months",
        months=lunar_months,
    )
    for month, day, yearly, year, leap in lunar_rows or []:
        when = LunarDate(month, day, bool(leap), year)
        for n, bucket in enumerate(axis.buckets):
            falls = lunar.occurrences(when, bool(yearly), bucket.first, bucket.last)
            occasions[n] = occasions.get(n, 0) + len(falls)
    holidays: dict[int, int] = {}
    audiences: dict[str, int] = {}  # several holidays greet the customers: counted once
    for holiday, on in holidays_between(db, period.since, period.until):
        audience = holiday.audience
        if audience not in audiences:
            source, where = audience_cards(str(audience))
            audiences[audience] = int(
                db.scalar(f"SELECT count(*) FROM ({source} {where}) AS audience", **where.params)
            )
        cards = audiences[audience]
        for n, bucket in enumerate(axis.buckets):
            if bucket.first <= on <= bucket.last:
                holidays[n] = holidays.get(n, 0) + cards
    return occasions, holidays


def activity(db: Db, period: Period, *, now: datetime, settings: Settings) -> Report:
    tz = zone_of(now)
    today = today_of(now)
    axis = Axis(buckets(period, tz))
    counted = _contacts(db, axis)
    first_visits = _first_visits(db, axis)
    occasions, holidays = _greetings_due(db, period, axis)

    rows = []
    for n, bucket in enumerate(axis.buckets):
        mine = [(via, g, count, on, lt) for b, via, g, count, on, lt in counted if b == n]
        visits = sum(count for via, _, count, _, _ in mine if via in VISITS)
        total = sum(count for _, _, count, _, _ in mine)
        greetings = sum(count for _, g, count, _, _ in mine if g)
        rows.append(
            (
                bucket.label,
                bucket.first,
                bucket.last,
                visits,
                total - visits,
                total,
                total - greetings,
                sum(on for *_, on, _ in mine),
                sum(lt for *_, lt in mine),
                greetings,
                occasions.get(n, 0) + holidays.get(n, 0),
                first_visits.get(n, 0),
            )
        )
    all_contacts = sum(row[5] for row in rows)
    channels = []
    for channel in Channel:
        contacts = sum(c[3] for c in counted if c[1] == channel.value)
        greetings = sum(c[3] for c in counted if c[1] == channel.value and c[2])
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

    sales = sum(row[6] for row in rows)
    on_time = sum(row[7] for row in rows)
    late = sum(row[8] for row in rows)
    judged = on_time + late
    followups = (
        ("on time", on_time, share(on_time, judged)),
        ("late", late, share(late, judged)),
        ("not recorded", sales - judged, None),
        ("still overdue", _overdue(db, today), None),
    )
    occasions_due = sum(occasions.values())
    holidays_due = sum(holidays.values())
    due = occasions_due + holidays_due
    sent = sum(row[9] for row in rows)
    # The visit channels as the table names them: "meeting and visit" (words from the catalog's
    # channel names, output/words.CODES).
    *rest, last = [_(name) for name in VISITS]
    visit_names = _("{names} and {last}").format(names=", ".join(rest), last=last) if rest else last
    return for_people(
        Report(
            name="activity",
            title=N_("Activity: contacts, first visits, follow-ups, greetings"),
            period=period,
            currency=settings.currency,
            sections=(
                replace(
                    CONTACTS,
                    rows=tuple(rows),
                    notes=(
                        _(
                            "Visits: contacts by {visit_names} (face to face, as the card's "
                            "last visit counts them); remote: every other channel."
                        ).format(visit_names=visit_names),
                        N_(
                            "Follow-ups: contacts that are not greetings; greetings: contacts "
                            "logged as one (a card or gift for an occasion, or --greeting)."
                        ),
                        N_(
                            "On time / late: follow-ups made by / after the end of the day the "
                            "card's follow-up was due when they were logged."
                        ),
                        N_(
                            "Due: key dates of live cards and holiday greetings (a holiday "
                            "times the live cards of its audience) whose day falls in the row."
                        ),
                        N_(
                            "First visits F: a card's first visit ever, on a card graded F at "
                            "the time."
                        ),
                    ),
                ),
                replace(
                    CHANNELS,
                    rows=tuple(channels),
                    notes=(
                        _("{all_contacts} contacts in the period.").format(
                            all_contacts=all_contacts
                        ),
                    ),
                ),
                replace(
                    FOLLOWUPS,
                    rows=followups,
                    notes=(
                        N_(
                            "On time / late: the period's sales follow-ups (contacts, not "
                            "cards) made by / after the end of the day the card's follow-up "
                            "was due when each was logged; share: of those two."
                        ),
                        N_(
                            "Not recorded: follow-ups with no due date: logged before this "
                            "version of clientcard (migration 0010), when no follow-up was "
                            "due, or dated before the card's latest follow-up."
                        ),
                        _(
                            "Still overdue: live cards (not contacts) whose next follow-up is "
                            "before {value}, whatever the period."
                        ).format(value=today.isoformat()),
                    ),
                ),
                replace(
                    GREETINGS,
                    rows=((occasions_due, holidays_due, due, sent, share(sent, due)),),
                    notes=(
                        N_(
                            "Sent: contacts logged as greetings in the period. Due: occasions "
                            "and holiday greetings falling in it; a greeting is not matched to "
                            "its occasion, so sent / due is a rate, not a list of who was "
                            "missed."
                        ),
                    ),
                ),
            ),
        )
    )
