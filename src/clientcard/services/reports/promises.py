"""`report promises`: were promises kept? (docs/reports.md#promises)

- `keep_rate`, on the time axis: the keep-rate of the promises settled in each bucket, by the
  card page's rule (services/promises.py `keep_rate_of`, domain/agenda `keep_rate`): kept on
  time / counted, where counted = kept (on time or late), missed, cancelled by me, or moved by
  me at short notice; a client's move or cancellation never counts against. A promise is
  settled when it was closed (`closed_at`); one still open counts from its first short-notice
  move (it can no longer be kept on time). So the buckets of a period that covers the whole
  book add up to the card page's keep-rate.
- `kinds`: the same per kind (deliverable, appointment).
- `moves`: the moves in the period (promise_event `moved`): mine told in time, mine at short
  notice, the client's. A move with no `by` (books before `--by-client`) is mine.
- `broken`: missed, cancelled by me, cancelled by the client (promise_event, in the period).
- `clients`: the clients with the most broken promises in the period: missed + cancelled by me
  + my short-notice moves, `--top N` (10).
"""

from dataclasses import replace
from datetime import datetime

from clientcard.domain.agenda import CancelledBy, PromiseKind, PromiseStatus, keep_rate
from clientcard.domain.dates import zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.reports import (
    Chart,
    ChartKind,
    Col,
    Kind,
    Period,
    Report,
    Section,
)
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.promises import COUNTED
from clientcard.services.reports.period import Axis, bounds, buckets, for_people
from clientcard.store.db import Db

DEFAULT_TOP = 10
MAX_TOP = 1000

# Each promise that counts, with the moment it was settled: closed, or (still open) its first
# short-notice move. `counted`, `kept` as keep_rate_of reads them.
_SETTLED = (
    "SELECT promise.kind AS kind,"
    " coalesce(promise.closed_at, (SELECT min(e.at) FROM promise_event AS e"
    "  WHERE e.promise_id = promise.id AND e.event = :moved AND e.short_notice = :yes)) AS at,"
    " CASE WHEN promise.status = :kept AND promise.short_notice = :no THEN 1 ELSE 0 END AS ok,"
    " CASE WHEN promise.status = :kept_late THEN 1 ELSE 0 END AS late,"
    " CASE WHEN promise.status = :missed THEN 1 ELSE 0 END AS missed,"
    " CASE WHEN promise.status = :by_me THEN 1 ELSE 0 END AS by_me"
    " FROM promise WHERE promise.status IN :counted OR promise.short_notice = :yes"
)

RATE_COLUMNS = (
    Col("counted", N_("Counted")),
    Col("kept_on_time", N_("On time")),
    Col("keep_rate", N_("Keep-rate"), Kind.share),
    Col("kept_late", N_("Late"), spare=True),
    Col("missed", N_("Missed"), spare=True),
    Col("cancelled_by_me", N_("Cancelled"), spare=True),
)

MONTHS = Section(
    name="keep_rate",
    title=N_("Keep-rate"),
    columns=(
        Col("bucket", N_("Period"), Kind.text),
        Col("first", N_("From"), Kind.date, spare=True),
        Col("last", N_("To"), Kind.date, spare=True),
        *RATE_COLUMNS,
    ),
    rows=(),
    chart=Chart(ChartKind.spark, "bucket", ("keep_rate", "counted")),
)

KINDS = Section(
    name="kinds",
    title=N_("Keep-rate by kind"),
    columns=(Col("kind", N_("Kind"), Kind.text), *RATE_COLUMNS),
    rows=(),
    chart=Chart(ChartKind.bars, "kind", ("keep_rate",)),
)

MOVES = Section(
    name="moves",
    title=N_("Moves"),
    columns=(
        Col("move", N_("Move"), Kind.text),
        Col("moves", N_("Moves")),
        Col("promises", N_("Promises")),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "move", ("moves",)),
)

BROKEN = Section(
    name="broken",
    title=N_("Missed and cancelled"),
    columns=(
        Col("outcome", N_("Outcome"), Kind.text),
        Col("promises", N_("Promises")),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "outcome", ("promises",)),
)

CLIENTS = Section(
    name="clients",
    title=N_("Most broken promises"),
    columns=(
        Col("client_id", N_("Card"), Kind.id),
        Col("client", N_("Client"), Kind.text),
        Col("broken", N_("Broken")),
        Col("missed", N_("Missed"), spare=True),
        Col("cancelled_by_me", N_("Cancelled"), spare=True),
        Col("short_notice_moves", N_("Short notice"), spare=True),
    ),
    rows=(),
    chart=Chart(ChartKind.bars, "client", ("broken",)),
    empty=N_("No broken promises in this period."),
)

MOVE_KINDS = ("mine, told in time", "mine, short notice", N_("the client's"))
OUTCOMES = ("missed", "cancelled by me", "cancelled by client")


def _params() -> dict[str, object]:
    return {
        "moved": "moved",
        "yes": True,
        "no": False,
        "kept": PromiseStatus.kept.value,
        "kept_late": PromiseStatus.kept_late.value,
        "missed": PromiseStatus.missed.value,
        "by_me": PromiseStatus.cancelled_by_me.value,
        "counted": [s.value for s in COUNTED],
    }


def _rates(counted: int, ok: int, late: int, missed: int, by_me: int) -> tuple[object, ...]:
    return (counted, ok, keep_rate(ok, counted), late, missed, by_me)


def parse_top(top: int | None) -> int:
    if top is None:
        return DEFAULT_TOP
    if not 1 <= top <= MAX_TOP:
        raise InvalidValue(
            _("--top must be from 1 to {MAX_TOP}, not {top}").format(MAX_TOP=MAX_TOP, top=top)
        )
    return top


def promises(
    db: Db, period: Period, *, now: datetime, settings: Settings, top: int | None = None
) -> Report:
    limit = parse_top(top)
    tz = zone_of(now)
    start, end = bounds(period, tz)
    axis = Axis(buckets(period, tz))
    sums = "count(*), sum(s.ok), sum(s.late), sum(s.missed), sum(s.by_me)"

    # One pass over the settled promises: per bucket and kind.
    found: dict[tuple[int, str], tuple[int, ...]] = {
        (int(n), str(kind)): tuple(int(v or 0) for v in values)
        for n, kind, *values in db.rows(
            f"{axis.cte}, s AS MATERIALIZED (SELECT settled.kind, settled.at, settled.ok,"
            f" settled.late, settled.missed, settled.by_me FROM ({_SETTLED}) AS settled"
            " WHERE settled.at >= :start AND settled.at < :end)"
            f" SELECT bucket.n, s.kind, {sums} FROM s"
            f" JOIN bucket ON {axis.on('s.at')} GROUP BY bucket.n, s.kind",
            start=start,
            end=end,
            **_params(),
            **axis.params,
        )
    }

    def added(rows: list[tuple[int, ...]]) -> tuple[int, ...]:
        return tuple(sum(row[i] for row in rows) for i in range(5))

    months = tuple(
        (b.label, b.first, b.last, *_rates(*added([v for k, v in found.items() if k[0] == n])))
        for n, b in enumerate(axis.buckets)
    )
    by_kind = {
        kind.value: added([v for k, v in found.items() if k[1] == kind.value])
        for kind in PromiseKind
    }
    kinds = tuple((kind, *_rates(*values)) for kind, values in by_kind.items())
    total = [sum(row[i] for row in by_kind.values()) for i in range(5)]

    # Events of the period: moves by who and notice, missed, cancelled by who.
    events = (
        "SELECT CASE"
        " WHEN e.event = :moved AND e.by = :client THEN 'move_client'"
        " WHEN e.event = :moved AND e.short_notice = :yes THEN 'move_short'"
        " WHEN e.event = :moved THEN 'move_told'"
        " WHEN e.event = :missed_event THEN 'missed'"
        " WHEN e.event = :cancelled AND e.by = :client THEN 'cancel_client'"
        " WHEN e.event = :cancelled THEN 'cancel_me' END AS what,"
        " e.promise_id AS promise_id"
        " FROM promise_event AS e"
        " WHERE e.at >= :start AND e.at < :end AND e.event IN :events"
    )
    event_params = {
        "moved": "moved",
        "missed_event": "missed",
        "cancelled": "cancelled",
        "client": CancelledBy.client.value,
        "yes": True,
        "events": ["moved", "missed", "cancelled"],
        "start": start,
        "end": end,
    }
    counts = {
        str(what): (int(n), int(promises))
        for what, n, promises in db.rows(
            f"SELECT ev.what, count(*), count(DISTINCT ev.promise_id) FROM ({events}) AS ev"
            " GROUP BY ev.what",
            **event_params,
        )
    }
    moves = tuple(
        (label, *counts.get(key, (0, 0)))
        for label, key in zip(MOVE_KINDS, ("move_told", "move_short", "move_client"), strict=True)
    )
    broken = tuple(
        (label, counts.get(key, (0, 0))[0])
        for label, key in zip(OUTCOMES, ("missed", "cancel_me", "cancel_client"), strict=True)
    )

    clients = tuple(
        (int(cid), str(name), int(b), int(m), int(c), int(s))
        for cid, name, b, m, c, s in db.rows(
            "SELECT client.id, client.name, count(*),"
            " count(CASE WHEN ev.what = 'missed' THEN 1 END),"
            " count(CASE WHEN ev.what = 'cancel_me' THEN 1 END),"
            " count(CASE WHEN ev.what = 'move_short' THEN 1 END)"
            f" FROM ({events}) AS ev"
            " JOIN promise ON promise.id = ev.promise_id"
            " JOIN client ON client.id = promise.client_id"
            " WHERE ev.what IN :broken"
            " GROUP BY client.id, client.name"
            " ORDER BY count(*) DESC, client.id LIMIT :top",
            broken=["missed", "cancel_me", "move_short"],
            top=limit,
            **event_params,
        )
    )

    return for_people(
        Report(
            name="promises",
            title=N_("Promises: kept, moved, broken"),
            period=period,
            currency=settings.currency,
            sections=(
                replace(
                    MONTHS,
                    rows=months,
                    notes=(
                        N_(
                            "Keep-rate: kept on time / counted, the card page's rule. Counted: "
                            "kept (on time or late), missed, cancelled by me, or moved by me "
                            "at short notice; the client's moves and cancellations never count "
                            "against."
                        ),
                        N_(
                            "Each promise counts once, in the row where it was closed (kept, "
                            "missed, cancelled); one still open, from its first short-notice "
                            "move."
                        ),
                        _("The period: {total} counted, {total2} kept on time").format(
                            total=total[0], total2=total[1]
                        )
                        + (f" ({keep_rate(total[1], total[0]):.0%})." if total[0] else "."),
                    ),
                ),
                replace(KINDS, rows=kinds),
                replace(
                    MOVES,
                    rows=moves,
                    notes=(
                        _(
                            "Short notice: the client was told less than notice_hours "
                            "({notice_hours} h) before the promised time. A move without "
                            "--by-client is mine."
                        ).format(notice_hours=settings.notice_hours),
                    ),
                ),
                replace(BROKEN, rows=broken),
                replace(
                    CLIENTS,
                    rows=clients,
                    notes=(
                        _(
                            "Broken: missed + cancelled by me + my short-notice moves, in the "
                            "period; the top {limit}."
                        ).format(limit=limit),
                    ),
                ),
            ),
        )
    )
