"""`clientcard due`: whom to see or call, most urgent first.

Only rows that can be due are read: open promises by the (status, due_at) index, follow-ups by
the next_followup_on index. Nothing loops over every card. An all-day promise's due_at is its
date's midnight in UTC, up to 14 hours after the date starts where the user is: the promises'
query reads those a day further and the exact test is made here, on the date.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum

from clientcard.domain.agenda import (
    FollowupKind,
    ItemKind,
    PromiseKind,
    PromiseStatus,
    urgency,
    value_bonus,
)
from clientcard.domain.cards import first_phone
from clientcard.domain.complaints import ComplaintStatus
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import FKind, Grade, f_kind
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.promise_times import (
    PROMISE_WITH_CLIENT,
    due_day,
    on_time,
    starts,
    to_confirm,
)
from clientcard.services.said import Said, said
from clientcard.services.schedule import parse
from clientcard.services.views import DueItem
from clientcard.store.db import Db
from clientcard.store.records import Client, Promise

KINDS = ", ".join(k.value for k in ItemKind)

# Open promises due by a time, of live cards: through ix_promise_status_due_at, in its order
# (promises due at the same time by id, which the sort in `due` keeps: PostgreSQL's own row
# order changes as rows are updated). All-day promises (due_at: their date's midnight UTC) up to
# a day past the horizon, since the date may start up to 14 hours before that midnight.
OPEN_PROMISES_DUE = (
    f"{PROMISE_WITH_CLIENT} "
    "WHERE promise.status = :open AND promise.due_at <= :all_day_horizon"
    " AND (promise.due_at <= :horizon OR promise.all_day = :all_day)"
    " AND client.archived_at IS NULL "
    "ORDER BY promise.due_at, promise.id"
)


class Window(StrEnum):
    today = "today"
    tomorrow = "tomorrow"
    week = "week"


class Agenda:
    """What `due` shows: the items, the window's end (exclusive), and the live cards, counted
    only when nothing is due (0 otherwise). A plain class: a dataclass is compiled at every
    start, and `due` is the hottest command (docs/performance.md)."""

    __slots__ = ("book_cards", "items", "live_cards", "shared", "until", "whose")

    def __init__(
        self,
        items: list[DueItem],
        until: datetime,
        live_cards: int,
        whose: str | None = None,
        shared: bool = False,
        book_cards: int = 0,
    ) -> None:
        self.items = items
        # The book's live cards, when the agenda is a person's and they own none (else 0): an
        # empty agenda then says the user owns nothing, not that the book is empty.
        self.book_cards = book_cards
        self.until = until
        self.live_cards = live_cards
        # Whose agenda: a person's name (`due --mine`), None for everyone's; `shared`: the
        # book is a team's (docs/agenda.md#whose-agenda), so the page says whose it is.
        self.whose = whose
        self.shared = shared

    @property
    def any_overdue(self) -> bool:
        return any(item.overdue for item in self.items)


def window_end(
    window: Window | None, until: str | None, now: datetime, settings: Settings
) -> datetime:
    """The end of the asked window: today, tomorrow, the next 7 days, or --until WHEN."""
    tz = zone_of(now)
    if until is not None:
        return parse(until, now, settings).deadline
    days = {Window.today: 1, Window.tomorrow: 2, Window.week: 7}[window or Window.today]
    return local_day_start(local_date(now, tz) + timedelta(days=days), tz)


def parse_kinds(text: str) -> list[ItemKind]:
    kinds = []
    for part in text.split(","):
        if part.strip():
            try:
                kinds.append(ItemKind(part.strip().lower().replace("-", "_")))
            except ValueError:
                raise InvalidValue(
                    _("unknown kind {kind}; --kind takes {kinds}").format(
                        kind=repr(part.strip()), kinds=KINDS
                    )
                ) from None
    return kinds


def _hours(delta: timedelta) -> Said:
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return said(N_("{minutes} min"), minutes=minutes)
    if minutes % 60:
        return said(N_("{hours} h {minutes} min"), hours=minutes // 60, minutes=minutes % 60)
    return said(N_("{hours} h"), hours=minutes // 60)


def _promise_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    tz = zone_of(now)
    today = local_date(now, tz)
    notice = timedelta(hours=settings.notice_hours)
    # An appointment to confirm may lie past the window, up to exactly the notice away (as
    # `confirm` below: told that far ahead, a move is still polite), hence `<=`.
    horizon = max(end, now + notice)
    rows = db.pairs(
        Promise,
        Client,
        OPEN_PROMISES_DUE,
        open=PromiseStatus.open,
        horizon=horizon,
        all_day_horizon=horizon + timedelta(days=1),
        all_day=True,
    )
    items = []
    for promise, client in rows:
        appointment = promise.kind == PromiseKind.appointment
        start = starts(promise, tz)
        if not appointment and start >= end:
            continue
        overdue = not on_time(promise, now, now)
        day = due_day(promise, tz)
        days = (today - day).days if overdue else 0
        passed = appointment and promise.due_at <= now
        confirm = to_confirm(promise, now, settings)
        # A confirmed appointment inside the notice window stays listed, as confirmed.
        soon = appointment and not passed and promise.due_at - now <= notice
        if appointment and not soon and promise.due_at >= end:
            continue
        if passed:
            reason = said(N_("time passed: mark it done or missed"))
        elif overdue:
            reason = said(N_("overdue: deliver, or tell the client why and the new date"))
        elif confirm:
            reason = said(
                N_("in {time}: confirm or tell the client now"), time=_hours(promise.due_at - now)
            )
        elif soon:
            reason = said(N_("in {time}: confirmed"), time=_hours(promise.due_at - now))
        elif appointment and promise.confirmed_at is not None:
            reason = said(N_("appointment, confirmed"))
        else:
            reason = said(N_("appointment")) if appointment else said(N_("promised"))
        if promise.place:
            reason += said(N_(" · at {place}"), place=promise.place)
        kind = ItemKind.appointment if appointment else ItemKind.promise
        grade = Grade(client.grade)
        assert client.id is not None
        items.append(
            DueItem(
                kind=kind,
                urgency=urgency(
                    kind, grade, overdue=overdue, overdue_days=days, confirm_now=confirm
                ),
                client_id=client.id,
                client=client.name,
                grade=grade,
                what=promise.what,
                due=day if promise.all_day else promise.due_at,
                sort_key=start,
                overdue=overdue,
                overdue_days=days,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=promise.id,
                place=promise.place,
                ident=f"promise-{promise.id}",
                changed_at=max(promise.made_at, promise.confirmed_at or promise.made_at),
            )
        )
    return items


def _followup_reason(client: Client, kind: ItemKind, settings: Settings, now: datetime) -> Said:
    tz = zone_of(now)
    note = client.followup_note
    if client.followup_kind == FollowupKind.recheck:
        return (
            said(N_("re-check: {note}"), note=note) if note else said(N_("re-check the condition"))
        )
    if client.followup_kind == FollowupKind.explicit:
        return (
            said(N_("date set by you: {note}"), note=note) if note else said(N_("date set by you"))
        )
    if kind is ItemKind.first_visit:
        return said(N_("never visited: arrange the first visit"))
    days = settings.cadence_days(Grade(client.grade))
    # The cadence counts from the last sales contact; a greeting since then keeps in touch but is
    # not one (docs/agenda.md), and the reason says so when the card's last contact was one.
    if client.followed_up_at is None:
        added = local_date(client.created_at, tz).isoformat()
        if client.last_contact_at is None:
            return said(
                N_("grade {grade} cadence {days} d; never contacted since added {added}"),
                grade=client.grade,
                days=days,
                added=added,
            )
        return said(
            N_("grade {grade} cadence {days} d; no sales contact since added {added}"),
            grade=client.grade,
            days=days,
            added=added,
        )
    last = local_date(client.followed_up_at, tz).isoformat()
    if client.last_contact_at == client.followed_up_at:
        return said(
            N_("grade {grade} cadence {days} d since last contact {last}"),
            grade=client.grade,
            days=days,
            last=last,
        )
    return said(
        N_("grade {grade} cadence {days} d since last sales contact {last}"),
        grade=client.grade,
        days=days,
        last=last,
    )


# A follow-up's `what`, by its kind (English in the machine formats, translated for people).
FOLLOWUP_WHAT = {
    ItemKind.first_visit: N_("first visit"),
    ItemKind.recheck: N_("re-check"),
}
FOLLOW_UP = N_("follow up")


def _followup_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    tz = zone_of(now)
    today = local_date(now, tz)
    last_day = local_date(end - timedelta(microseconds=1), tz)
    rows = db.select(
        Client, "WHERE next_followup_on <= :last_day AND archived_at IS NULL", last_day=last_day
    )
    items = []
    for client in rows:
        on = client.next_followup_on
        assert on is not None
        assert client.id is not None
        grade = Grade(client.grade)
        if client.followup_kind == FollowupKind.recheck:
            kind = ItemKind.recheck
        elif f_kind(grade, client.last_visit_at is not None) is FKind.new:
            kind = ItemKind.first_visit
        else:
            kind = ItemKind.followup
        overdue = on < today
        days = (today - on).days if overdue else 0
        what = FOLLOWUP_WHAT.get(kind, FOLLOW_UP)
        reason = _followup_reason(client, kind, settings, now)
        items.append(
            DueItem(
                kind=kind,
                urgency=urgency(kind, grade, overdue=overdue, overdue_days=days),
                client_id=client.id,
                client=client.name,
                grade=grade,
                what=what,
                what_shown=_(what),
                due=on,
                sort_key=local_day_start(on, tz),
                overdue=overdue,
                overdue_days=days,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=None,
                # A card has one next follow-up: moved, it is the same one.
                ident=f"followup-{client.id}",
            )
        )
    return items


# Where due items come from. Each source reads only the rows that can be due by `end`.
ItemSource = Callable[[Db, datetime, datetime, Settings], list[DueItem]]


def _sources() -> list[ItemSource]:
    from clientcard.services.complaints import complaint_items
    from clientcard.services.greetings import occasion_items
    from clientcard.services.sales import thanks_items

    return [_promise_items, _followup_items, complaint_items, thanks_items, occasion_items]


ID_BATCH = 500
SALES_KINDS = frozenset({ItemKind.followup, ItemKind.first_visit, ItemKind.recheck})


def _with_client_context(
    db: Db,
    items: list[DueItem],
    now: datetime,
    changes: bool = False,
    owners: Sequence[str] | None = None,
) -> list[DueItem]:
    """Raise each item by its client's value, mark the sales follow-ups of clients with an
    open complaint, so nobody pitches to an unhappy client, and give each item its card's
    company and the phone to call. Three queries by the primary key or an index per batch of
    clients (batches keep under the database's limit on bound parameters). With `changes`,
    each item's `changed_at` too (`_changed`). With `owners`, only the items of their cards
    (`due --mine`), read with the card's company and phone, so the owner costs no query."""
    ids = sorted({i.client_id for i in items})
    unhappy: set[int] = set()
    bought: dict[int, int] = {}
    cards: dict[int, tuple[str | None, str | None]] = {}
    orders: dict[int, str] = {}  # each card's sort_key: ties ordered by name as `list` does
    updated: dict[int, datetime] = {}
    wanted = None if owners is None else set(owners)
    kept: list[int] = []
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        for client_id, company, phone, owner, order, updated_at in db.rows(
            "SELECT id, company, phone, owner, sort_key"
            + (", updated_at" if changes else ", NULL")
            + " FROM client WHERE id IN :batch",
            ("", "", "", "", "", "datetime"),
            batch=batch,
        ):
            if wanted is not None and owner not in wanted:
                continue
            kept.append(client_id)
            cards[client_id] = (company, first_phone(phone))
            orders[client_id] = order
            if changes:
                updated[client_id] = updated_at
    if wanted is not None:
        items = [i for i in items if i.client_id in cards]
    ids = sorted(kept)
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        unhappy.update(
            client_id
            for (client_id,) in db.rows(
                "SELECT client_id FROM complaint WHERE status = :open AND client_id IN :batch",
                open=ComplaintStatus.open,
                batch=batch,
            )
        )
        bought.update(
            db.rows(
                "SELECT client_id, sum(amount_minor) FROM sale"
                " WHERE client_id IN :batch AND sold_at > :since GROUP BY client_id",
                batch=batch,
                since=now - timedelta(days=365),
            )
        )
    result = []
    for item in items:
        company, phone = cards.get(item.client_id, (None, None))
        item = replace(
            item, company=company, phone=phone, client_order=orders.get(item.client_id, "")
        )
        bonus = value_bonus(int(bought.get(item.client_id) or 0))
        if item.kind in SALES_KINDS and item.client_id in unhappy:
            message = N_("open complaint: resolve it before any pitch; {reason}")
            item = replace(
                item,
                flags=(*item.flags, "open_complaint"),
                reason=message.format(reason=item.reason),
                reason_shown=_(message).format(reason=item.reason_shown or item.reason),
            )
        result.append(replace(item, urgency=item.urgency + bonus) if bonus else item)
    return _changed(db, result, updated) if changes else result


def _latest(db: Db, sql: str, ids: list[int]) -> dict[int, datetime]:
    """`SELECT owner_id, max(at) ... WHERE owner_id IN :batch GROUP BY owner_id`, by batch."""
    latest: dict[int, datetime] = {}
    for start in range(0, len(ids), ID_BATCH):
        latest.update(db.rows(sql, ("", "datetime"), batch=ids[start : start + ID_BATCH]))
    return latest


def _changed(db: Db, items: list[DueItem], updated: dict[int, datetime]) -> list[DueItem]:
    """Each item with `changed_at`: when its record or its card last changed (a calendar's
    DTSTAMP and SEQUENCE; docs/calendar.md). The card's `updated_at` counts for every item,
    since the event shows the card's name, grade and phone, and it is all a follow-up, a
    thank-you or a greeting has: a logged contact, a snooze, a regrade or a sale set it. A
    promise's own change is its latest event (made, moved, confirmed), its confirmation time
    or when it was made; a complaint's, its latest step. Each only grows, so neither does
    `changed_at`."""
    promises = sorted(
        i.record_id
        for i in items
        if i.kind in (ItemKind.promise, ItemKind.appointment) and i.record_id is not None
    )
    complaints = sorted(
        i.record_id for i in items if i.kind is ItemKind.complaint and i.record_id is not None
    )
    own: dict[tuple[ItemKind, int], datetime] = {}
    if promises:
        events = _latest(
            db,
            "SELECT promise_id, max(at) FROM promise_event WHERE promise_id IN :batch"
            " GROUP BY promise_id",
            promises,
        )
        own.update(((ItemKind.promise, k), v) for k, v in events.items())
    if complaints:
        steps = _latest(
            db,
            "SELECT complaint_id, max(at) FROM complaint_step WHERE complaint_id IN :batch"
            " GROUP BY complaint_id",
            complaints,
        )
        own.update(((ItemKind.complaint, k), v) for k, v in steps.items())
    result = []
    for item in items:
        times = [updated[item.client_id]] if item.client_id in updated else []
        if item.changed_at is not None:
            times.append(item.changed_at)
        if item.record_id is not None:
            kind = ItemKind.promise if item.kind is ItemKind.appointment else item.kind
            if (kind, item.record_id) in own:
                times.append(own[kind, item.record_id])
        result.append(replace(item, changed_at=max(times)) if times else item)
    return result


def due(
    db: Db,
    *,
    window: Window | None = None,
    until: str | None = None,
    grades: Sequence[Grade] = (),
    kinds: Sequence[ItemKind] = (),
    limit: int | None = None,
    changes: bool = False,
    mine: bool | None = None,
    now: datetime,
    settings: Settings,
) -> Agenda:
    """Everything due by the end of the window (overdue included), most urgent first. With
    `changes` (a calendar), each item's `changed_at` too. `mine`: only the current user's
    cards' items (True), everyone's (False), or by the book (None: `whose`)."""
    if window is not None and until is not None:
        raise InvalidValue(_("give either a window (--today, --tomorrow, --week) or --until"))
    end = window_end(window, until, now, settings)
    owners, whose, shared = _whose(db, mine)
    agenda = _agenda(
        db, end, grades, kinds, limit, changes=changes, now=now, settings=settings, owners=owners
    )
    agenda.whose, agenda.shared = whose, shared
    return agenda


def _whose(db: Db, mine: bool | None) -> tuple[list[str] | None, str | None, bool]:
    """Whose agenda `due` shows: the owners' spellings to keep (None: every card's), the
    person's name (None: everyone's), and whether the book is shared. A book is shared when its
    cards have owners and it is on a server (PostgreSQL) or has more than one; there `due` shows
    the user's own cards by default, if they own a live one. Two cheap reads: the distinct owners
    by a skip scan of ix_client_owner, and one of the user's live cards by it."""
    from clientcard.domain.pool import name_fold
    from clientcard.services.owner_names import owner_names, spellings_in

    names = owner_names(db)
    # A book where no card has an owner is nobody's in particular, on a server or not.
    shared = bool(names) and (db.dialect == "postgresql" or len({name_fold(n) for n in names}) > 1)
    if mine is False:
        return None, None, shared
    me = db.user()
    spellings = spellings_in(names, me)
    if mine is None:
        if not shared or not spellings:
            return None, None, shared
        owns_live = db.rows(
            "SELECT id FROM client WHERE owner IN :owners AND archived_at IS NULL LIMIT 1",
            owners=spellings,
        )
        if not owns_live:
            return None, None, shared
    return spellings, spellings[0] if spellings else me, shared


# What `export --format ics` holds without --until: overdue items, and what is due today and
# in the next 89 days (docs/calendar.md).
CALENDAR_DAYS = 90


def calendar(
    db: Db,
    *,
    until: str | None = None,
    kinds: Sequence[ItemKind] = (),
    now: datetime,
    settings: Settings,
) -> Agenda:
    """`export --format ics`: the agenda for a calendar, by default the next CALENDAR_DAYS
    days (today included) and everything overdue, with each item's change time."""
    tz = zone_of(now)
    if until is not None:
        end = window_end(None, until, now, settings)
    else:
        end = local_day_start(local_date(now, tz) + timedelta(days=CALENDAR_DAYS), tz)
    return _agenda(db, end, (), kinds, None, changes=True, now=now, settings=settings)


def _agenda(
    db: Db,
    end: datetime,
    grades: Sequence[Grade],
    kinds: Sequence[ItemKind],
    limit: int | None,
    *,
    changes: bool,
    now: datetime,
    settings: Settings,
    owners: Sequence[str] | None = None,
) -> Agenda:
    items = [item for source in _sources() for item in source(db, end, now, settings)]
    if any(settings.pool_return_after(g) for g in Grade):
        from clientcard.services.owners import pool_items

        items += pool_items(db, now, settings, owners)
    items = _with_client_context(db, items, now, changes, owners)
    if grades:
        items = [i for i in items if i.grade in grades]
    if kinds:
        items = [i for i in items if i.kind in kinds]
    items.sort(key=lambda i: (-i.urgency, i.sort_key, i.client_order, i.client, i.client_id))
    if limit is not None:
        items = items[:limit]
    live = book = 0
    if not items and owners is not None:  # the cards the agenda is of
        live = db.scalar(
            "SELECT count(*) FROM client WHERE archived_at IS NULL AND owner IN :owners",
            owners=list(owners) or [""],
        )
        if not live:
            book = db.scalar("SELECT count(*) FROM client WHERE archived_at IS NULL")
    elif not items:  # only an empty agenda says how many cards there are: skip the count else
        live = db.scalar("SELECT count(*) FROM client WHERE archived_at IS NULL")
    return Agenda(items=items, until=end, live_cards=int(live), book_cards=int(book))
