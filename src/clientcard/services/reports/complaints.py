"""`report complaints`: why clients complain and how fast they are heard
(docs/reports.md#complaints).

Every figure is about the complaints RECEIVED in the period (received_at between the period's
first local midnight and the one after its last day), each as it stands now: resolved since,
reopened since, still open. Counted in SQL: received per time bucket and severity (one GROUP BY
on the axis), by cause, by responsibility, the outcome (resolved, reopened at least once: an
EXISTS on complaint_step), the satisfaction given at the resolution, the clients who complained
twice or more.

The targets are the exception: whether a complaint met its response and resolution targets
depends on its due moments, which count working hours (`work.days`, `work.hours`) except for the
round-the-clock severities; no portable SQL computes them, so they are computed as `complaint
list` computes them (domain/complaints.response_due, resolve_due), one complaint of the period
at a time: a few hundred rows even on a large book, read as one narrow query.
"""

from dataclasses import replace
from datetime import datetime

from clientcard.domain.complaints import (
    ComplaintStatus,
    Responsibility,
    Severity,
    StepKind,
    counts_working_hours,
    resolve_due,
    response_due,
)
from clientcard.domain.dates import zone_of
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
from clientcard.services.reports.period import Axis, Step, bounds, buckets, for_people, median
from clientcard.store.db import Db
from clientcard.store.db import Kind as Stored

# Complaints are few: a month is the step that shows a trend (`--by week` still works).
DEFAULT_BY = Step.month
# Clients who complained at least this many times in the period; the most, at most TOP_CLIENTS.
REPEAT_AT_LEAST = 2
TOP_CLIENTS = 10
NOT_GIVEN = "not given"  # the label of complaints without a cause
SEVERITIES = [s.value for s in Severity]  # low .. urgent
_IN_PERIOD = "m.received_at >= :start AND m.received_at < :end"

_BY_BUCKET = (
    "SELECT bucket.n, m.severity, count(*) FROM complaint m"
    " JOIN bucket ON m.received_at >= bucket.lo AND m.received_at < bucket.hi"
    " GROUP BY bucket.n, m.severity"
)
_BY_CAUSE = f"SELECT m.cause, count(*) FROM complaint m WHERE {_IN_PERIOD} GROUP BY m.cause"
_BY_RESPONSIBILITY = (
    f"SELECT m.responsibility, count(*) FROM complaint m WHERE {_IN_PERIOD}"
    " GROUP BY m.responsibility"
)
_OUTCOME = (
    "SELECT count(*),"
    " count(CASE WHEN m.status = :resolved THEN 1 END),"
    " count(CASE WHEN m.status = :open THEN 1 END),"
    " count(CASE WHEN m.status = :cancelled THEN 1 END),"
    " count(CASE WHEN EXISTS (SELECT 1 FROM complaint_step s WHERE s.complaint_id = m.id"
    "  AND s.kind = :resolved_step) THEN 1 END),"
    " count(CASE WHEN EXISTS (SELECT 1 FROM complaint_step s WHERE s.complaint_id = m.id"
    "  AND s.kind = :reopened_step) THEN 1 END)"
    f" FROM complaint m WHERE {_IN_PERIOD}"
)
_SATISFACTION = (
    "SELECT m.satisfaction, count(*) FROM complaint m"
    f" WHERE {_IN_PERIOD} AND m.status = :resolved AND m.satisfaction IS NOT NULL"
    " GROUP BY m.satisfaction"
)
_TIMES = (
    "SELECT m.severity, m.status, m.received_at, m.first_response_at, m.resolved_at"
    f" FROM complaint m WHERE {_IN_PERIOD}"
)
# The complaints grouped per card first (a few hundred rows), then joined to their cards: never
# a scan of every card.
_REPEAT = (
    "SELECT c.id, c.name, c.grade, r.n, r.n_open, r.last FROM ("
    "  SELECT m.client_id, count(*) AS n,"
    "  count(CASE WHEN m.status = :open THEN 1 END) AS n_open, max(m.received_at) AS last"
    f"  FROM complaint m WHERE {_IN_PERIOD}"
    "  GROUP BY m.client_id HAVING count(*) >= :least"
    " ) AS r JOIN client c ON c.id = r.client_id"
    " ORDER BY r.n DESC, r.last DESC, c.id"
    " LIMIT :top"
)

RECEIVED = Section(
    name="received",
    title=N_("Complaints received"),
    columns=(
        Col("bucket", N_("Period"), Kind.text),
        Col("first", N_("First day"), Kind.date, spare=True),
        Col("last", N_("Last day"), Kind.date, spare=True),
        Col("complaints", N_("Complaints")),
        Col("low", N_("Low"), spare=True),
        Col("normal", N_("Normal"), spare=True),
        Col("high", N_("High"), spare=True),
        Col("urgent", N_("Urgent"), spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.spark, "bucket", ("complaints", "low", "normal", "high", "urgent")),
    notes=(N_("Complaints received in each month (or week, --by week), by severity."),),
)

TARGETS = Section(
    name="severity",
    title=N_("Response and resolution against the targets"),
    columns=(
        Col("severity", N_("Severity"), Kind.text),
        Col("complaints", N_("Complaints")),
        Col("response_target_hours", N_("Answer within h"), spare=True),
        Col("median_response_hours", N_("Median h to answer"), Kind.number),
        Col("response_within_target", N_("Answered in time"), Kind.share),
        Col("resolve_target_hours", N_("Resolve within h"), spare=True),
        Col("median_resolution_hours", N_("Median h to resolve"), Kind.number),
        Col("resolution_within_target", N_("Resolved in time"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "severity", ("complaints",)),
)

CAUSES = Section(
    name="causes",
    title=N_("Why: the causes"),
    columns=(
        Col("cause", N_("Cause"), Kind.text),
        Col("complaints", N_("Complaints")),
        Col("share", N_("Share"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "cause", ("complaints",)),
)

RESPONSIBILITY = Section(
    name="responsibility",
    title=N_("Who was responsible"),
    columns=(
        Col("responsibility", N_("Responsible"), Kind.text),
        Col("complaints", N_("Complaints")),
        Col("share", N_("Share"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "responsibility", ("complaints",)),
)

OUTCOME = Section(
    name="outcome",
    title=N_("How they ended"),
    columns=(
        Col("complaints", N_("Complaints")),
        Col("resolved", N_("Resolved")),
        Col("open", N_("Open")),
        Col("cancelled", N_("Cancelled"), spare=True),
        Col("ever_resolved", N_("Ever resolved"), spare=True),
        Col("reopened", N_("Reopened")),
        Col("reopen_rate", N_("Reopen rate"), Kind.share),
        Col("rated", N_("Rated"), spare=True),
        Col("satisfaction_mean", N_("Mean satisfaction"), Kind.number),
    ),
    rows=(),
)

SATISFACTION = Section(
    name="satisfaction",
    title=N_("Satisfaction after the resolution"),
    columns=(
        Col("score", N_("Score"), Kind.text),
        Col("complaints", N_("Complaints")),
        Col("share", N_("Share"), Kind.share),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "score", ("complaints",)),
    empty=N_("No satisfaction given for the complaints of this period."),
)

REPEAT = Section(
    name="repeat",
    title=N_("Clients who complain again"),
    columns=(
        Col("client_id", N_("Card"), Kind.id),
        Col("client", N_("Client"), Kind.text),
        Col("grade", N_("Grade"), Kind.text, spare=True),
        Col("complaints", N_("Complaints")),
        Col("open", N_("Open")),
        Col("last_received", N_("Last"), Kind.date, spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "client", ("complaints",)),
    notes=(
        N_(
            "Cards with {at_least} or more complaints received in the period, the most first "
            "(then the latest), at most {top}."
        ),
    ),
    empty=N_("No client complained {at_least} times or more in this period."),
)


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


class _Tally:
    """One severity's (or every one's) complaints, their times and how many met the targets."""

    __slots__ = (
        "answered_in_time",
        "answers",
        "complaints",
        "measured_answers",
        "measured_settles",
        "settled_in_time",
        "settles",
    )  # fmt: skip

    def __init__(self) -> None:
        self.complaints = 0
        self.answers: list[float] = []  # hours to the first response
        self.settles: list[float] = []  # hours to the resolution
        self.answered_in_time = self.measured_answers = 0
        self.settled_in_time = self.measured_settles = 0

    def add(self, other: "_Tally") -> None:
        self.complaints += other.complaints
        self.answers += other.answers
        self.settles += other.settles
        self.answered_in_time += other.answered_in_time
        self.measured_answers += other.measured_answers
        self.settled_in_time += other.settled_in_time
        self.measured_settles += other.measured_settles

    def figures(self) -> tuple[float | None, float | None, float | None, float | None]:
        return (
            median(self.answers),
            share(self.answered_in_time, self.measured_answers),
            median(self.settles),
            share(self.settled_in_time, self.measured_settles),
        )


def _targets(
    db: Db, start: datetime, end: datetime, *, now: datetime, settings: Settings
) -> list[tuple[object, ...]]:
    """One row per severity, then `all`: the medians (clock hours from the receipt) and the
    shares within target (against the due moments, working hours unless round-the-clock)."""
    tz = zone_of(now)
    found = {name: _Tally() for name in SEVERITIES}
    kinds: tuple[Stored, ...] = ("", "", "datetime", "datetime", "datetime")
    for severity, status, received, responded, resolved in db.rows(
        _TIMES, kinds, start=start, end=end
    ):
        level = Severity(severity)
        tally = found[level.value]
        tally.complaints += 1
        if status == ComplaintStatus.cancelled.value:
            continue  # closed unresolved with its card: no target is measured
        if responded is not None:
            tally.answers.append(_hours(received, responded))
            tally.answered_in_time += responded <= response_due(received, level, settings, tz)
            tally.measured_answers += 1
        elif now > response_due(received, level, settings, tz):
            tally.measured_answers += 1  # still unanswered after its target: missed already
        if status == ComplaintStatus.resolved.value and resolved is not None:
            tally.settles.append(_hours(received, resolved))
            tally.settled_in_time += resolved <= resolve_due(received, level, settings, tz)
            tally.measured_settles += 1
        elif now > resolve_due(received, level, settings, tz):
            tally.measured_settles += 1  # still open after its target: missed already
    rows: list[tuple[object, ...]] = []
    every = _Tally()
    for name, tally in found.items():
        every.add(tally)
        answer, answered, settle, settled = tally.figures()
        rows.append(
            (
                name,
                tally.complaints,
                settings.response_hours(name),
                answer,
                answered,
                settings.resolve_hours(name),
                settle,
                settled,
            )
        )
    rows.append(("all", every.complaints, None, *every.figures()[:2], None, *every.figures()[2:]))
    return rows


def complaints(db: Db, period: Period, *, now: datetime, settings: Settings) -> Report:
    tz = zone_of(now)
    start, end = bounds(period, tz)
    span = {"start": start, "end": end}

    # Received, per bucket of the axis and severity.
    axis = Axis(buckets(period, tz))
    counts: dict[tuple[int, str], int] = {}
    for n, severity, count in db.rows(f"{axis.cte} {_BY_BUCKET}", **axis.params):
        counts[(int(n), str(severity))] = int(count)
    received: list[tuple[object, ...]] = []
    total = 0
    for n, bucket in enumerate(axis.buckets):
        per = [counts.get((n, s), 0) for s in SEVERITIES]
        received.append((bucket.label, bucket.first, bucket.last, sum(per), *per))
        total += sum(per)

    # Causes: the configured ones in their order (zero included), then any other stored cause
    # (from a list since changed), then the complaints without one.
    by_cause = {cause: int(count) for cause, count in db.rows(_BY_CAUSE, **span)}
    known = list(settings.complaint_causes)
    others = sorted(c for c in by_cause if c is not None and c not in known)
    causes = [(c, by_cause.get(c, 0), share(by_cause.get(c, 0), total)) for c in known + others]
    causes.append((NOT_GIVEN, by_cause.get(None, 0), share(by_cause.get(None, 0), total)))

    by_who = {who: int(count) for who, count in db.rows(_BY_RESPONSIBILITY, **span)}
    responsibility = [
        (r.value, by_who.get(r.value, 0), share(by_who.get(r.value, 0), total))
        for r in Responsibility
    ]

    scores = {
        int(score): int(count)
        for score, count in db.rows(_SATISFACTION, resolved=ComplaintStatus.resolved.value, **span)
    }
    rated = sum(scores.values())
    satisfaction = [(str(s), scores.get(s, 0), share(scores.get(s, 0), rated)) for s in range(1, 6)]
    mean = sum(s * c for s, c in scores.items()) / rated if rated else None

    outcome_row = db.rows(
        _OUTCOME,
        resolved=ComplaintStatus.resolved.value,
        open=ComplaintStatus.open.value,
        cancelled=ComplaintStatus.cancelled.value,
        resolved_step=StepKind.resolved.value,
        reopened_step=StepKind.reopened.value,
        **span,
    )[0]
    count, resolved, still_open, cancelled, ever_resolved, reopened = (
        int(v or 0) for v in outcome_row
    )
    outcome = (
        (
            count,
            resolved,
            still_open,
            cancelled,
            ever_resolved,
            reopened,
            share(reopened, ever_resolved),
            rated,
            mean,
        ),
    )

    repeat = [
        (int(cid), name, grade, int(n), int(n_open), last.astimezone(tz).date())
        for cid, name, grade, n, n_open, last in db.rows(
            _REPEAT,
            ("", "", "", "", "", "datetime"),
            open=ComplaintStatus.open.value,
            least=REPEAT_AT_LEAST,
            top=TOP_CLIENTS,
            **span,
        )
    ]

    working = ", ".join(_(s) for s in SEVERITIES if counts_working_hours(Severity(s), settings))
    return for_people(
        Report(
            name="complaints",
            title=N_("Complaints: why clients complain, and how fast they are heard"),
            period=period,
            currency=settings.currency,
            sections=(
                replace(RECEIVED, rows=tuple(received)),
                replace(
                    TARGETS,
                    rows=tuple(_targets(db, start, end, now=now, settings=settings)),
                    notes=(
                        _("Targets (answer / resolve): {targets}.").format(
                            targets=", ".join(
                                (
                                    _("{severity} {answer}/{resolve} working h")
                                    if counts_working_hours(Severity(s), settings)
                                    else _("{severity} {answer}/{resolve} h")
                                ).format(
                                    severity=_(s),
                                    answer=settings.response_hours(s),
                                    resolve=settings.resolve_hours(s),
                                )
                                for s in SEVERITIES
                            )
                        ),
                        N_(
                            "Medians: clock hours from the receipt to the first response (a "
                            "step, or the resolution) and to the resolution now on the "
                            "complaint (after a reopening, the last one)."
                        ),
                        _(
                            "In time: done by the target's moment, which counts working hours "
                            "(work.days, work.hours) for {value}, clock hours for the "
                            "round-the-clock ones; of the complaints answered (resolved), plus "
                            "those still waiting past their target. Cancelled complaints are "
                            "left out."
                        ).format(value=working or _("no severity")),
                    ),
                ),
                replace(
                    CAUSES,
                    rows=tuple(causes),
                    notes=(
                        _(
                            "The causes configured (complaint.causes), then any other "
                            "recorded, then `{NOT_GIVEN}`. Share: of the {total} complaints "
                            "received."
                        ).format(NOT_GIVEN=_(NOT_GIVEN), total=total),
                    ),
                ),
                replace(
                    RESPONSIBILITY,
                    rows=tuple(responsibility),
                    notes=(N_("`unknown` until someone says (complaint set --responsible)."),),
                ),
                replace(
                    OUTCOME,
                    rows=outcome,
                    notes=(
                        N_(
                            "As they stand now. Reopen rate: complaints reopened at least once "
                            "/ those resolved at least once."
                        ),
                        N_(
                            "Mean satisfaction: of the resolved complaints with a satisfaction "
                            "(rated)."
                        ),
                    ),
                ),
                replace(
                    SATISFACTION,
                    rows=tuple(satisfaction) if rated else (),
                    notes=(
                        _(
                            "The client's satisfaction given with the resolution (1 not at "
                            "all, 5 very), of the complaints resolved now: {rated} rated, mean "
                            "{value}."
                        ).format(rated=rated, value="-" if mean is None else f"{mean:.2f}"),
                    ),
                ),
                replace(
                    REPEAT,
                    rows=tuple(repeat),
                    notes=tuple(
                        _(note).format(at_least=REPEAT_AT_LEAST, top=TOP_CLIENTS)
                        for note in REPEAT.notes
                    ),
                    empty=_(REPEAT.empty).format(at_least=REPEAT_AT_LEAST),
                ),
            ),
        )
    )
