"""Promises made to clients: add, confirm, done, move, cancel, missed, list, and the keep-rate.

Every state change is a PromiseEvent; the Promise row holds only the current state.
The keep-rate is kept on time / all that count: promises kept (on time or late), missed, or
cancelled by me, plus any I moved at short notice (a short-notice move never counts as on time,
whatever happens after). What the client changes is theirs: a move `--by-client` or a
cancellation by the client never counts, whatever the notice (docs/agenda.md).

An all-day promise is a calendar date: its rules are in services/promise_times.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clientcard.domain.agenda import (
    CancelledBy,
    Channel,
    ContactSource,
    PromiseKind,
    PromiseStatus,
    is_short_notice,
    keep_rate,
)
from clientcard.domain.cards import clean_text
from clientcard.domain.dates import (
    When,
    utc_midnight,
    zone_of,
)
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.refs import record_ref
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.lookup import resolve_client
from clientcard.services.promise_times import (
    PROMISE_WITH_CLIENT,
    due_day,
    notice_point,
    on_time,
    starts,
    to_confirm,
)
from clientcard.services.schedule import human_moment, parse
from clientcard.services.touches import parse_channel, record_contact
from clientcard.services.views import ClientRef, KeepRate, PromiseView
from clientcard.store.db import Db
from clientcard.store.records import Client, Promise, PromiseEvent
from clientcard.store.where import Where

COUNTED = (
    PromiseStatus.kept,
    PromiseStatus.kept_late,
    PromiseStatus.missed,
    PromiseStatus.cancelled_by_me,
)


# A closed promise's status as a sentence says it (the value, `_` as a space), for people.
STATUS_WORDS = {
    "kept": N_("kept"),
    "kept_late": N_("kept late"),
    "cancelled_by_client": N_("cancelled by client"),
    "cancelled_by_me": N_("cancelled by me"),
    "missed": N_("missed"),
}


def describe_due(promise: Promise, now: datetime) -> str:
    """When the promise's time comes, for a message: `2026-11-23 15:00`; an all-day promise's
    local midnight starting its date (`2026-11-25 00:00`)."""
    return human_moment(starts(promise, zone_of(now)), now)


def view_of(
    promise: Promise,
    client: Client,
    now: datetime,
    moves: int = 0,
    reason: str | None = None,
    *,
    settings: Settings | None = None,
) -> PromiseView:
    """The view of a promise; with `settings`, whether it is an appointment to confirm now."""
    assert promise.id is not None
    tz = zone_of(now)
    return PromiseView(
        id=promise.id,
        client=ClientRef.of(client),
        kind=PromiseKind(promise.kind),
        what=promise.what,
        due=starts(promise, tz),
        all_day=promise.all_day,
        place=promise.place,
        status=PromiseStatus(promise.status),
        short_notice=promise.short_notice,
        made_at=promise.made_at,
        closed_at=promise.closed_at,
        overdue=promise.status == PromiseStatus.open and not on_time(promise, now, now),
        due_day=due_day(promise, tz) if promise.all_day else None,
        moves=moves,
        reason=reason,
        confirmed_at=promise.confirmed_at,
        to_confirm=settings is not None and to_confirm(promise, now, settings),
        author=promise.author,
    )


def _event(db: Db, promise: Promise, event: str, at: datetime, **values: object) -> PromiseEvent:
    """One event of a promise's history, made by the current user."""
    assert promise.id is not None
    return PromiseEvent(promise_id=promise.id, event=event, at=at, author=db.author(), **values)  # type: ignore[arg-type]


def _open_promise(db: Db, promise_id: int) -> tuple[Promise, Client]:
    """The open promise a command changes, and its card, both locked (`Db.lock`: the card
    first, as every command that changes a card's records takes them), read as they are now."""
    promise = db.get(Promise, promise_id)
    if promise is None:
        raise NotFound(
            _("no promise {ref}; see `clientcard promise list`").format(
                ref=record_ref("promise", promise_id)
            )
        )
    client = db.get(Client, promise.client_id)
    assert client is not None
    db.lock(client)
    db.lock(promise)
    if promise.status != PromiseStatus.open:
        raise Refused(
            _("promise {ref} is already closed ({replace})").format(
                ref=record_ref("promise", promise_id),
                replace=_(STATUS_WORDS.get(promise.status, promise.status.replace("_", " "))),
            )
        )
    return promise, client


def _future_when(text: str, option: str, kind: PromiseKind, now: datetime, s: Settings) -> When:
    when = parse(text, now, s)
    if kind is PromiseKind.appointment and when.all_day:
        raise InvalidValue(
            _(
                "an appointment needs a time, e.g. {option} 'fri 15:00'; for a deliverable "
                "use --due"
            ).format(option=option)
        )
    if when.deadline <= now:
        raise InvalidValue(
            _("{option} {text} is already past; give a later time").format(
                option=option, text=repr(text)
            )
        )
    return when


def add_promise(
    db: Db,
    ref: str,
    what: str,
    *,
    due: str | None = None,
    at: str | None = None,
    where: str | None = None,
    now: datetime,
    settings: Settings,
) -> PromiseView:
    """A deliverable (`due`: by a day or time) or an appointment (`at`: a time, `where`)."""
    if due is not None and at is not None:
        raise InvalidValue(
            _("give --due or --at, not both: a promise is a deliverable or a meeting")
        )
    if due is None and at is None:
        raise InvalidValue(
            _("give --due WHEN for something to deliver, or --at WHEN for an appointment")
        )
    text = clean_text(what, "what")
    if text is None:
        raise InvalidValue(_("say what was promised, e.g. 'send the quote'"))
    if where is not None and at is None:
        raise InvalidValue(_("--where goes with an appointment (--at WHEN)"))
    kind = PromiseKind.appointment if at is not None else PromiseKind.deliverable
    option = "--at" if at is not None else "--due"
    when = _future_when(at or due or "", option, kind, now, settings)
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    assert client.id is not None
    due_at, due_on = _stored_due(when)
    promise = Promise(
        author=db.author(),
        client_id=client.id,
        what=text,
        kind=kind.value,
        due_at=due_at,
        all_day=when.all_day,
        due_on=due_on,
        place=clean_text(where, "place"),
        status=PromiseStatus.open.value,
        made_at=now,
    )
    db.insert(promise)
    db.insert(_event(db, promise, "made", now, due_at=due_at, all_day=when.all_day, due_on=due_on))
    return view_of(promise, client, now, settings=settings)


def _stored_due(when: When) -> tuple[datetime, date | None]:
    """(due_at, due_on) as stored: a moment as it is; a whole day as its calendar date, with
    the date's midnight in UTC as due_at, the sort key (docs/dates.md)."""
    if not when.all_day:
        return when.start, None
    day = when.start.date()  # the local date: `When` of a day starts at its local midnight
    return utc_midnight(day), day


@dataclass(frozen=True)
class Confirmed:
    promise: PromiseView
    already: bool  # confirmed before: nothing was written


def confirm(db: Db, promise_id: int, *, now: datetime, settings: Settings) -> Confirmed:
    """The client confirmed the appointment (a call, a message): it no longer needs confirming.
    An appointment already confirmed stays as it was ("unchanged")."""
    promise, client = _open_promise(db, promise_id)
    if promise.kind != PromiseKind.appointment:
        raise Refused(
            _(
                "promise {ref} is a deliverable: only an appointment is confirmed; mark "
                "the deliverable done once delivered"
            ).format(ref=record_ref("promise", promise_id))
        )
    if promise.due_at <= now:
        raise Refused(
            _("appointment {record_ref} was at {human_moment}: mark it done or missed").format(
                record_ref=record_ref("promise", promise_id),
                human_moment=human_moment(promise.due_at, now),
            )
        )
    already = promise.confirmed_at is not None
    if not already:
        promise.confirmed_at = now
        db.update(promise, "confirmed_at")
        db.insert(_event(db, promise, "confirmed", now))
    return Confirmed(view_of(promise, client, now, settings=settings), already)


def _past_or_now(
    text: str | None, option: str, promise: Promise, now: datetime, settings: Settings
) -> datetime:
    """A moment that already happened, and not before the promise was made."""
    if not text:
        return now
    moment = parse(text, now, settings, past=True).start
    if moment > now:
        raise InvalidValue(
            _("{option} {text} is in the future; it must be now or earlier").format(
                option=option, text=repr(text)
            )
        )
    if moment < promise.made_at:
        made = human_moment(promise.made_at, now)
        raise InvalidValue(
            _("{option} {text} is before the promise was made ({made})").format(
                option=option, text=repr(text), made=made
            )
        )
    return moment


def done(
    db: Db,
    promise_id: int,
    *,
    at: str | None = None,
    via: str | None = None,
    now: datetime,
    settings: Settings,
) -> PromiseView:
    """Kept: on time when done by its deadline (for an appointment, by the end of its day),
    else kept late. A kept appointment is a touch: a contact `via` (default meeting) at the
    appointment's time, through services/touches.py."""
    channel = parse_channel(via) if via is not None else Channel.meeting
    promise, client = _open_promise(db, promise_id)
    if via is not None and promise.kind != PromiseKind.appointment:
        raise InvalidValue(
            _(
                "--via goes with an appointment; {record_ref} is a deliverable: log how "
                "you delivered it with `clientcard log`"
            ).format(record_ref=record_ref("promise", promise_id))
        )
    moment = _past_or_now(at, "--at", promise, now, settings)
    if promise.kind == PromiseKind.appointment and moment < promise.due_at:
        raise Refused(
            _(
                "appointment {record_ref} is at {human_moment}: mark it done once it has "
                "taken place, or move or cancel it"
            ).format(
                record_ref=record_ref("promise", promise_id),
                human_moment=human_moment(promise.due_at, now),
            )
        )
    kept = on_time(promise, moment, now)
    status = PromiseStatus.kept if kept else PromiseStatus.kept_late
    promise.status = status.value
    promise.closed_at = moment
    db.update(promise)
    db.insert(_event(db, promise, status.value, moment))
    if promise.kind == PromiseKind.appointment:
        record_contact(
            db,
            client,
            at=promise.due_at,
            via=channel,
            summary=promise.what,
            source=ContactSource.appointment,
            source_id=promise.id,
            greeting=False,
            now=now,
            settings=settings,
        )
    return view_of(promise, client, now)


@dataclass(frozen=True)
class Moved:
    promise: PromiseView
    short_notice: bool
    notice: timedelta  # how long before the promised time the client was told
    by_client: bool = False  # the client asked for it: theirs, never short notice


def move(
    db: Db,
    promise_id: int,
    *,
    to: str,
    told: str | None = None,
    reason: str | None = None,
    by_client: bool = False,
    now: datetime,
    settings: Settings,
) -> Moved:
    """Reschedule, recording when the client was told. My move, told at least the notice window
    before the promised time: a polite move; later: short notice, counted against the keep-rate.
    A move the client asked for (`by_client`) is theirs: never short notice, whatever the notice.

    A moved appointment is a new time: it needs confirming again (`promise confirm`, or a
    contact logged with the client inside its notice window)."""
    promise, client = _open_promise(db, promise_id)
    kind = PromiseKind(promise.kind)
    when = _future_when(to, "--to", kind, now, settings)
    due_at, due_on = _stored_due(when)
    if (due_at, due_on, when.all_day) == (promise.due_at, promise.due_on, promise.all_day):
        raise Refused(
            _("promise {ref} is already due {describe_due}; give a different time to --to").format(
                ref=record_ref("promise", promise_id), describe_due=describe_due(promise, now)
            )
        )
    told_at = _past_or_now(told, "--told", promise, now, settings)
    point = notice_point(promise, now)
    short = not by_client and is_short_notice(point, told_at, settings.notice_hours)
    promise.due_at = due_at
    promise.all_day = when.all_day
    promise.due_on = due_on
    promise.short_notice = promise.short_notice or short
    promise.confirmed_at = None
    db.update(promise)
    db.insert(
        _event(
            db,
            promise,
            "moved",
            now,
            due_at=due_at,
            all_day=when.all_day,
            due_on=due_on,
            told_at=told_at,
            by=(CancelledBy.client if by_client else CancelledBy.me).value,
            short_notice=short,
            reason=clean_text(reason, "reason"),
        )
    )
    assert promise.id is not None
    moves, why = moves_of(db, [promise.id]).get(promise.id, (0, None))
    return Moved(
        view_of(promise, client, now, moves, why, settings=settings),
        short,
        point - told_at,
        by_client,
    )


def cancel(
    db: Db,
    promise_id: int,
    *,
    by: str,
    reason: str | None = None,
    now: datetime,
) -> PromiseView:
    """Cancelled by the client (does not count against the keep-rate) or by me (does)."""
    try:
        who = CancelledBy(by.strip().lower())
    except ValueError:
        raise InvalidValue(_("--by is client or me, not {by}").format(by=repr(by))) from None
    promise, client = _open_promise(db, promise_id)
    status = (
        PromiseStatus.cancelled_by_client
        if who is CancelledBy.client
        else PromiseStatus.cancelled_by_me
    )
    promise.status = status.value
    promise.closed_at = now
    db.update(promise)
    db.insert(
        _event(db, promise, "cancelled", now, by=who.value, reason=clean_text(reason, "reason"))
    )
    assert promise.id is not None
    moves, why = moves_of(db, [promise.id]).get(promise.id, (0, None))
    return view_of(promise, client, now, moves, why)


def missed(db: Db, promise_id: int, *, now: datetime) -> PromiseView:
    """Broken: neither kept nor moved in time. Not before its time has come: until then a
    promise that cannot be kept is moved (telling the client) or cancelled."""
    promise, client = _open_promise(db, promise_id)
    if on_time(promise, now, now) and now < starts(promise, zone_of(now)):
        raise Refused(
            _(
                "promise {ref} is due {describe_due}, not yet missed; if you cannot keep "
                "it, move it and tell the client, or cancel it --by me"
            ).format(ref=record_ref("promise", promise_id), describe_due=describe_due(promise, now))
        )
    promise.status = PromiseStatus.missed.value
    promise.closed_at = now
    db.update(promise)
    db.insert(_event(db, promise, "missed", now))
    return view_of(promise, client, now)


def list_promises(
    db: Db,
    ref: str | None = None,
    *,
    include_closed: bool = False,
    now: datetime,
    settings: Settings,
) -> tuple[list[PromiseView], KeepRate]:
    """Promises (open ones unless include_closed), soonest first, and the keep-rate of the same
    client (or of everyone), as `promise list` asks."""
    client = resolve_client(db, ref) if ref else None
    return promises_of(db, client, include_closed=include_closed, now=now, settings=settings)


def promises_of(
    db: Db,
    client: Client | None,
    *,
    include_closed: bool = False,
    now: datetime,
    settings: Settings,
) -> tuple[list[PromiseView], KeepRate]:
    """The promises of one card (or of every card), soonest first, and their keep-rate.
    Soonest in the user's zone: an all-day promise from its local midnight (its due_at, midnight
    UTC, would put it hours off in any other zone)."""
    where = Where()
    if client is not None:
        where.add("promise.client_id = :client_id", client_id=client.id)
    if not include_closed:
        where.add("promise.status = :open", open=PromiseStatus.open)
    rows = db.pairs(
        Promise,
        Client,
        f"{PROMISE_WITH_CLIENT} {where.tail('promise.due_at, promise.id')}",
        **where.params,
    )
    tz = zone_of(now)
    rows.sort(key=lambda pair: (starts(pair[0], tz), pair[0].id or 0))
    moves = moves_of(db, [p.id for p, _ in rows if p.id is not None])
    views = [
        view_of(p, c, now, *moves.get(p.id or 0, (0, None)), settings=settings) for p, c in rows
    ]
    return views, keep_rate_of(db, client.id if client is not None else None)


def moves_of(db: Db, promise_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """How often each of these promises was moved, and the last reason given for a move or a
    cancellation: through the promise_id index, in batches (never a scan of every promise's
    events). Promises never moved nor cancelled are left out."""
    found: dict[int, tuple[int, str | None]] = {}
    for start in range(0, len(promise_ids), 500):
        batch = promise_ids[start : start + 500]
        for promise_id, event, reason in db.rows(
            "SELECT promise_id, event, reason FROM promise_event"
            " WHERE promise_id IN :batch AND event IN :events ORDER BY promise_id, id",
            batch=batch,
            events=["moved", "cancelled"],
        ):
            moves, last = found.get(promise_id, (0, None))
            found[promise_id] = (moves + (event == "moved"), reason or last)
    return found


def keep_rate_of(db: Db, client_id: int | None = None) -> KeepRate:
    where = Where()
    if client_id is not None:
        where.add("client_id = :client_id", client_id=client_id)
    ((kept, total),) = db.rows(
        "SELECT count(CASE WHEN status = :kept AND short_notice = :no THEN 1 END),"
        " count(CASE WHEN status IN :counted OR short_notice = :yes THEN 1 END)"
        f" FROM promise {where}",
        kept=PromiseStatus.kept,
        counted=COUNTED,
        yes=True,
        no=False,
        **where.params,
    )
    return KeepRate(int(kept), int(total), keep_rate(int(kept), int(total)))
