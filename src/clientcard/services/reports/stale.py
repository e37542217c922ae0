"""`report stale`: the dead records to revive, as a visit plan (docs/reports.md#stale).

A live card is stale, now, for the first of these reasons that applies:

1. `customer`: a customer (a card with a sale) with no contact for six months (183 days);
2. `first-visit`: an F card never visited (no visit or meeting) added longer ago than its
   first-visit cadence (`cadence.F-new`, 30 days);
3. `cadence`: no contact for more than twice the grade's cadence (`cadence.A` ... `cadence.F`).

"No contact" is counted from the card's last contact of any kind (a greeting too), or from
the day it was added if it has none. Archived cards are left out. One scan of the cards with
the thresholds as bound moments (a CASE over the grade for the cadence), so it answers in the
same time on any book: the list (`cards`, by grade then the longest silent first) and the
summary per grade and reason (one GROUP BY).
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from clientcard.domain.dates import local_date, today_of, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import FKind, Grade
from clientcard.domain.reports import Chart, ChartKind, Col, Kind, Period, Report, Section
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.reports.period import for_people
from clientcard.store.db import Db

# Stale is the book now: no time axis (`report all` gives it no `--by`; cli/reports._period).
AXIS = False
SILENT_CUSTOMER_DAYS = 183  # six months
REASONS = ("customer", "first-visit", "cadence")

_SINCE = "coalesce(client.last_contact_at, client.created_at)"
_CADENCE = (
    "CASE client.grade " + " ".join(f"WHEN :g{g.value} THEN :t{g.value}" for g in Grade) + " END"
)
_REASON = (
    "CASE"
    f" WHEN client.first_sale_at IS NOT NULL AND {_SINCE} < :silent THEN 'customer'"
    " WHEN client.grade = :f AND client.last_visit_at IS NULL AND client.created_at < :fnew"
    "  THEN 'first-visit'"
    f" WHEN {_SINCE} < {_CADENCE} THEN 'cadence'"
    " END"
)
# One statement, so the cards are read once: the stale cards (a CTE used twice, which SQLite
# and PostgreSQL both compute once) with what the reasons need, all of it in ix_client_ladder
# (no card row is read to find them), ranked in their grade by how long they have been silent;
# then the list (part 0: the first :per_grade of each grade, or all, with the name, company
# and phone read for those cards alone) and the summary per grade and reason (part 1, one
# GROUP BY over all of them) side by side in one result, in the list's order.
_STALE = (
    "WITH stale AS (SELECT client.id, client.grade, {reason} AS reason,"
    " client.last_contact_at, {since} AS since,"
    " ROW_NUMBER() OVER (PARTITION BY client.grade ORDER BY {since}, client.id) AS rank"
    " FROM client WHERE client.archived_at IS NULL AND ({reason}) IS NOT NULL)"
    " SELECT 0 AS part, stale.id, card.name, card.company, card.phone, stale.grade,"
    # Whether the card was ever contacted: then `since` is its last contact.
    " stale.reason, CASE WHEN stale.last_contact_at IS NULL THEN 0 ELSE 1 END,"
    " stale.since, 0 AS cards"
    " FROM stale JOIN client AS card ON card.id = stale.id {listed}"
    " UNION ALL SELECT 1, NULL, NULL, NULL, NULL, stale.grade, stale.reason, 0,"
    " min(stale.since), count(*)"
    " FROM stale GROUP BY stale.grade, stale.reason"
    " ORDER BY 1, 6, 9, 2"
)
PER_GRADE = 25  # the list's cards per grade unless --per-grade or --all say otherwise

CARDS = Section(
    name="cards",
    title=N_("Stale cards: a visit plan (by grade, the longest silent first)"),
    columns=(
        Col("id", N_("Card"), Kind.id),
        Col("name", N_("Name"), Kind.text),
        Col("company", N_("Company"), Kind.text, spare=True),
        Col("phone", N_("Phone"), Kind.text, spare=True),
        Col("grade", N_("Grade"), Kind.text),
        Col("reason", N_("Reason"), Kind.text),
        Col("last_contact", N_("Last contact"), Kind.date, spare=True),
        Col("days", N_("Days silent")),
    ),
    rows=(),
    empty=N_("No stale cards."),
)

SUMMARY = Section(
    name="summary",
    title=N_("Stale cards per grade"),
    columns=(
        Col("grade", N_("Grade"), Kind.text),
        Col("cards", N_("Cards")),
        Col("customer", N_("Customers silent")),
        Col("first_visit", N_("Never visited")),
        Col("cadence", N_("Past 2x cadence")),
        Col("oldest_days", N_("Oldest (days)")),
    ),
    rows=(),
    chart=Chart(ChartKind.stacked, "grade", ("customer", "first_visit", "cadence")),
)


def _days(now: datetime, since: datetime) -> int:
    return (now - since).days


def stale(
    db: Db,
    period: Period,
    *,
    now: datetime,
    settings: Settings,
    per_grade: int | None = PER_GRADE,
) -> Report:
    """The stale cards now; the list has the `per_grade` longest silent of each grade (None:
    every stale card), the summary counts them all."""
    if per_grade is not None and per_grade < 1:
        raise InvalidValue(
            _("--per-grade must be 1 or more, not {per_grade}").format(per_grade=per_grade)
        )
    tz = zone_of(now)
    listed = "" if per_grade is None else f"WHERE stale.rank <= {int(per_grade)}"
    sql = _STALE.format(reason=_REASON, since=_SINCE, listed=listed)
    params: dict[str, Any] = {
        "silent": now - timedelta(days=SILENT_CUSTOMER_DAYS),
        "f": Grade.F.value,
        "fnew": now - timedelta(days=settings.cadence_days(Grade.F, FKind.new)),
    }
    for grade in Grade:
        params[f"g{grade.value}"] = grade.value
        params[f"t{grade.value}"] = now - timedelta(days=2 * settings.cadence_days(grade))
    cards = []
    counts: dict[str, dict[str, int]] = {g.value: dict.fromkeys(REASONS, 0) for g in Grade}
    oldest: dict[str, int] = {}
    for part, id_, name, company, phone, grade, reason, contacted, since, n in db.rows(
        sql, ("", "", "", "", "", "", "", "", "datetime", ""), **params
    ):
        if int(part) == 0:
            local = local_date(since, tz) if int(contacted) else None
            cards.append((int(id_), name, company, phone, grade, reason, local, _days(now, since)))
        else:
            counts[grade][reason] = int(n)
            oldest[grade] = max(oldest.get(grade, 0), _days(now, since))
    summary = tuple(
        (
            grade,
            sum(found.values()),
            found["customer"],
            found["first-visit"],
            found["cadence"],
            oldest.get(grade),
        )
        for grade, found in counts.items()
    )
    cadence = ", ".join(f"{g.value} {2 * settings.cadence_days(g)}" for g in Grade)
    return for_people(
        Report(
            name="stale",
            title=_("Stale cards as of {value}").format(value=today_of(now).isoformat()),
            period=None,
            currency=settings.currency,
            sections=(
                replace(
                    CARDS,
                    rows=tuple(cards),
                    notes=(
                        (
                            _("{count} stale live cards.").format(count=len(cards))
                            if per_grade is None or len(cards) == sum(r[1] for r in summary)
                            else _(
                                "The {per_grade} longest silent of each grade: {count} of "
                                "{sum} stale live cards (--all lists them all)."
                            ).format(
                                per_grade=per_grade,
                                count=len(cards),
                                sum=sum(r[1] for r in summary),
                            )
                        ),
                        N_(
                            "Days silent: since the last contact of any kind, or since the "
                            "card was added."
                        ),
                    ),
                ),
                replace(
                    SUMMARY,
                    rows=summary,
                    notes=(
                        _(
                            "Customers silent: a sale on the card, no contact for "
                            "{SILENT_CUSTOMER_DAYS} days (six months)."
                        ).format(SILENT_CUSTOMER_DAYS=SILENT_CUSTOMER_DAYS),
                        _(
                            "Never visited: an F card with no visit or meeting, added more "
                            "than {cadence_days} days ago (cadence.F-new)."
                        ).format(cadence_days=settings.cadence_days(Grade.F, FKind.new)),
                        _(
                            "Past 2x cadence: no contact for more than twice the cadence "
                            "({cadence} days)."
                        ).format(cadence=cadence),
                        N_("A card counts once, for the first reason in this order."),
                    ),
                ),
            ),
        )
    )
