"""Owners (issue 17): whose cards are whose, handing them over, and the team's pool (公海).

A card's owner is a person's name as stored (`client.owner`); names are matched as stored but
case-insensitively (`Wang` is `wang`), so `--owner`, `--to` and `--from` read the spelling the
book already has. A card without an owner is in the pool, where anyone may `claim` it.

Every change of hands writes a `handover` row (kind `handover`, `claim`, `pool` or `release`;
from whom, to whom, when, why, by whom) in the command's one transaction, with the card's new
owner, `updated_at` and `updated_by`. A card's open promises and complaints belong to the card,
so they move with it: the new owner's `due --mine` lists them at once. The card's next
follow-up stays as it is (docs/team.md says why).

The pool's rule (`pool.return_after.<GRADE>`, domain/pool.py) is applied by `pool sweep`, a
write meant for cron; `claim` applies it to the one card it takes, so a card past its limit can
be claimed before the sweep ran.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clientcard.domain import pool
from clientcard.domain.agenda import ItemKind, PromiseStatus, urgency
from clientcard.domain.cards import clean_text, clean_user
from clientcard.domain.complaints import ComplaintStatus
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.lookup import resolve_client
from clientcard.services.owner_names import owner_names, spellings_in
from clientcard.services.said import Said, said
from clientcard.services.views import ClientRef, DueItem
from clientcard.services.views.owners import HandoverView
from clientcard.store.db import Db
from clientcard.store.records import Client, Handover
from clientcard.store.where import Where

ME = "me"
NOBODY = "none"
ID_BATCH = 500


# ---- names -------------------------------------------------------------------------------


def spellings(db: Db, name: str) -> list[str]:
    """The stored spellings of `name` (case and Unicode form aside): usually one, none when
    nobody of that name owns a card."""
    return spellings_in(owner_names(db), name)


def owner_condition(db: Db, where: Where, owner: str) -> None:
    """`list --owner NAME|me|none`: AND the cards of that owner (me: the current user; none:
    the pool's, without an owner) to `where`, by ix_client_owner."""
    name = person(db, owner, "--owner", pool=True)
    if name is None:
        where.add("owner IS NULL")
        return
    names = spellings(db, name)
    if names:
        where.add("owner IN :owners", owners=names)
    else:
        where.add("1 = 0")  # nobody of that name owns a card


def nobody_owns(db: Db, owner: str) -> str | None:
    """Why `list --owner NAME|me|none` found nothing when that owner has no live card at all
    (so no other filter is to blame); None when they have one."""
    name = person(db, owner, "--owner", pool=True)
    where = Where("archived_at IS NULL")
    owner_condition(db, where, owner)
    if db.rows(f"SELECT id FROM client {where.tail('id', 1)}", **where.params):
        return None
    if name is None:
        return _("No live card is in the pool")
    if owner.strip().casefold() == ME:
        return _("You ({name}) own no live card").format(name=name)
    return _("Nobody named {name} owns a live card").format(name=name)


def person(db: Db, name: str | None, option: str, *, pool: bool = False) -> str | None:
    """A person's name given to `option` (`--owner`, `--to`, `--from`), checked as every name
    the book stores is (`clean_user`): `me` is the current user, `none` the pool (None) where
    `pool` allows it, refused elsewhere."""
    text = clean_user(name, option) if name is not None else None
    if text is None:
        message = (
            _("{option} needs a person's name, me or none (the pool)")
            if pool
            else _("{option} needs a person's name or me")
        )
        raise InvalidValue(message.format(option=option))
    if text.casefold() == ME:
        return db.user()
    if text.casefold() == NOBODY:
        if pool:
            return None
        raise InvalidValue(
            _(
                "{option} none: the pool is not a person; `release` gives a card to the "
                "pool and `claim` takes one from it"
            ).format(option=option)
        )
    return text


def _clean_owner(db: Db, name: str | None, option: str) -> str:
    """A person's name given to `option` (--to, --from); never the pool."""
    found = person(db, name, option)
    assert found is not None
    return found


def _stored(db: Db, name: str) -> str:
    """The spelling the book already has for this person, else the name as given."""
    found = spellings(db, name)
    return found[0] if found else name


# ---- changing hands ------------------------------------------------------------------------


@dataclass(frozen=True)
class HandedOver:
    """What `handover` moved: the new rows (one per card), and the open promises and
    complaints that went with the cards."""

    handovers: list[HandoverView]
    promises: int
    complaints: int

    @property
    def cards(self) -> int:
        return len(self.handovers)


def _locked(db: Db, ids: Sequence[int]) -> list[Client]:
    """The cards, read again and locked until the transaction ends (`Db.for_update`), by id:
    two handovers of the same cards take them in the same order."""
    found: list[Client] = []
    for start in range(0, len(ids), ID_BATCH):
        batch = list(ids[start : start + ID_BATCH])
        found += db.select(Client, f"WHERE id IN :ids ORDER BY id{db.for_update}", ids=batch)
    return found


def _move(
    db: Db, card: Client, kind: str, to: str | None, reason: str | None, now: datetime
) -> HandoverView:
    """Give `card` to `to` (None: the pool) and record it."""
    assert card.id is not None
    row = db.insert(
        Handover(
            client_id=card.id,
            kind=kind,
            from_owner=card.owner,
            to_owner=to,
            at=now,
            reason=reason,
            author=db.author(),
        )
    )
    card.owner = to
    card.updated_at = now
    card.updated_by = db.author()
    db.update(card, "owner", "updated_at", "updated_by")
    return _view(row, card)


def owner_edited(db: Db, card: Client, before: str | None, now: datetime) -> None:
    """`edit --owner`: the card's new owner (already set) recorded as a change of hands, a
    `handover` (a `release` when the owner was cleared), with the reason `edit --owner`."""
    assert card.id is not None
    db.insert(
        Handover(
            client_id=card.id,
            kind=pool.HANDOVER if card.owner is not None else pool.RELEASE,
            from_owner=before,
            to_owner=card.owner,
            at=now,
            reason="edit --owner",
            author=db.author(),
        )
    )


def _view(row: Handover, card: Client) -> HandoverView:
    assert row.id is not None
    return HandoverView(
        id=row.id,
        client=ClientRef.of(card),
        kind=row.kind,
        from_owner=row.from_owner,
        to_owner=row.to_owner,
        at=row.at,
        reason=row.reason,
        author=row.author,
    )


def _open_counts(db: Db, ids: Sequence[int]) -> tuple[int, int]:
    promises = complaints = 0
    for start in range(0, len(ids), ID_BATCH):
        batch = list(ids[start : start + ID_BATCH])
        promises += int(
            db.scalar(
                "SELECT count(*) FROM promise WHERE status = :open AND client_id IN :ids",
                open=PromiseStatus.open,
                ids=batch,
            )
        )
        complaints += int(
            db.scalar(
                "SELECT count(*) FROM complaint WHERE status = :open AND client_id IN :ids",
                open=ComplaintStatus.open,
                ids=batch,
            )
        )
    return promises, complaints


def handover(
    db: Db,
    refs: Sequence[str],
    *,
    to: str | None,
    from_owner: str | None = None,
    reason: str | None = None,
    now: datetime,
) -> HandedOver:
    """`handover CLIENT... --to NAME` or `handover --from NAME --to NAME`: the cards (or every
    live card of an owner) to `to`, in one transaction, with their open promises and
    complaints. Refused whole when one card cannot go (unknown: NotFound; archived or already
    the new owner's: Refused)."""
    new_owner = _clean_owner(db, to, "--to")
    why = clean_text(reason, "reason")
    if refs and from_owner is not None:
        raise InvalidValue(_("give either cards or --from NAME (all of an owner's live cards)"))
    if from_owner is not None:
        old = _clean_owner(db, from_owner, "--from")
        if pool.same_name(old, new_owner):
            raise Refused(_("--from and --to are the same person ({old})").format(old=old))
        names = spellings(db, old)
        ids = [
            i
            for (i,) in db.rows(
                "SELECT id FROM client WHERE owner IN :owners AND archived_at IS NULL ORDER BY id",
                owners=names or [old],
            )
        ]
        if not ids:
            raise NotFound(_("{old} owns no live card").format(old=old))
    elif refs:
        ids = []
        for ref in refs:
            card = resolve_client(db, ref)
            assert card.id is not None
            if card.id not in ids:
                ids.append(card.id)
    else:
        raise InvalidValue(_("name the cards to hand over, or --from NAME for all of an owner's"))
    new_owner = _stored(db, new_owner)
    cards = _locked(db, ids)
    for card in cards:
        if card.archived_at is not None:
            raise Refused(
                _("#{id} {name} is archived; `unarchive` it first").format(
                    id=card.id, name=card.name
                )
            )
        if pool.same_name(card.owner, new_owner):
            raise Refused(
                _("#{id} {name} is already {owner}'s").format(
                    id=card.id, name=card.name, owner=card.owner
                )
            )
        if from_owner is not None and card.owner not in (names or [old]):
            # Changed hands between the look-up and the lock: not this owner's any more.
            raise Refused(
                _("#{id} {name} is no longer {old}'s; try again").format(
                    id=card.id, name=card.name, old=old
                )
            )
    moved = [_move(db, card, pool.HANDOVER, new_owner, why, now) for card in cards]
    promises, complaints = _open_counts(db, ids)
    return HandedOver(moved, promises, complaints)


def _last_hands(db: Db, ids: Sequence[int]) -> dict[int, tuple[datetime, str]]:
    """When and how (`handover` or `claim`) each card last changed hands to an owner: the
    pool's clock starts again then."""
    found: dict[int, tuple[datetime, str]] = {}
    for start in range(0, len(ids), ID_BATCH):
        for client_id, kind, at in db.rows(
            "SELECT client_id, kind, at FROM handover WHERE client_id IN :ids"
            " AND kind IN :kinds ORDER BY client_id, id",
            ("", "", "datetime"),
            ids=list(ids[start : start + ID_BATCH]),
            kinds=[pool.HANDOVER, pool.CLAIM],
        ):
            found[client_id] = (at, kind)  # the last one, in the order written, wins
    return found


def _start(card: Client, hands: dict[int, tuple[datetime, str]]) -> tuple[datetime, str]:
    """Since when the card counts as left without a contact, and what started the clock."""
    assert card.id is not None
    return pool.clock_origin(card.last_contact_at, card.created_at, hands.get(card.id))


KEEP_THE_CARD = N_("keep the card: contact the client")


def _since_said(origin: str, day: date) -> Said:
    """domain.pool.since_words, in English and in the interface's language."""
    message, values = pool.since_message(origin, day)
    return said(message, **values)


def _pool_reason(clock: tuple[datetime, str], now: datetime) -> str:
    """A `pool` row's reason: `no contact for 40 days`, or `no contact in the 40 days since it
    was handed over on 2026-10-11` when the clock started at a change of hands or creation."""
    start, origin = clock
    days = (now - start).days
    if origin == pool.CONTACT:
        return f"no contact for {days} days"
    return f"{days} days with {pool.since_words(origin, pool.since_day(start, zone_of(now)))}"


def claim(
    db: Db, ref: str, *, reason: str | None = None, now: datetime, settings: Settings
) -> list[HandoverView]:
    """`claim CLIENT`: take a card from the pool for the current user. A card whose owner left
    it past the pool's limit is in the pool already, sweep or not: it is returned (a `pool`
    row) and then claimed. Returns the rows written, the claim last."""
    found = resolve_client(db, ref)
    assert found.id is not None
    (card,) = _locked(db, [found.id])
    me = _stored(db, db.user())
    why = clean_text(reason, "reason")
    if card.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; `unarchive` it first").format(id=card.id, name=card.name)
        )
    written = []
    if card.owner is not None:
        if pool.same_name(card.owner, me):
            raise Refused(
                _("#{id} {name} is already yours ({owner})").format(
                    id=card.id, name=card.name, owner=card.owner
                )
            )
        limit = settings.pool_return_after(Grade(card.grade))
        clock = _start(card, _last_hands(db, [found.id]))
        if not pool.is_past(clock[0], limit, now):
            raise Refused(
                _(
                    "#{id} {name} is {owner}'s, not in the pool; ask them to `handover` it to you"
                ).format(id=card.id, name=card.name, owner=card.owner)
            )
        written.append(_move(db, card, pool.POOL, None, _pool_reason(clock, now), now))
    written.append(_move(db, card, pool.CLAIM, me, why, now))
    return written


def release(db: Db, ref: str, *, reason: str | None = None, now: datetime) -> HandoverView:
    """`release CLIENT`: give an owned card back to the pool by hand."""
    found = resolve_client(db, ref)
    assert found.id is not None
    (card,) = _locked(db, [found.id])
    if card.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; `unarchive` it first").format(id=card.id, name=card.name)
        )
    if card.owner is None:
        raise Refused(_("#{id} {name} is in the pool already").format(id=card.id, name=card.name))
    return _move(db, card, pool.RELEASE, None, clean_text(reason, "reason"), now)


# ---- the pool's rule -----------------------------------------------------------------------


def _limits(settings: Settings) -> dict[Grade, int]:
    return {g: d for g in Grade if (d := settings.pool_return_after(g)) > 0}


def _candidates(
    db: Db, settings: Settings, now: datetime, ahead_days: int, owners: Sequence[str] | None
) -> list[tuple[Client, int, tuple[datetime, str]]]:
    """Owned live cards within `ahead_days` of their grade's limit (or past it): each with its
    limit and its clock's start. One read for every grade with a limit: a superset (by last
    contact or creation alone, which only a later change of hands can postpone), by
    ix_client_owner when `owners` is given; the exact test is made here."""
    limits = _limits(settings)
    if not limits:
        return []
    where = Where("archived_at IS NULL")
    if owners is None:
        where.add("owner IS NOT NULL")
    else:
        where.add("owner IN :owners", owners=list(owners))
    by_grade = []
    for i, (grade, days) in enumerate(limits.items()):
        by_grade.append(f"(grade = :grade{i} AND coalesce(last_contact_at, created_at) <= :cut{i})")
        where.params[f"grade{i}"] = grade.value
        # A day's margin when warning ahead: the warning counts calendar days.
        where.params[f"cut{i}"] = now - timedelta(
            days=max(days - ahead_days - (1 if ahead_days else 0), 0)
        )
    where.add(f"({' OR '.join(by_grade)})")
    cards = db.select(Client, where.tail("id"), **where.params)
    hands = _last_hands(db, [c.id for c in cards if c.id is not None])
    return [(c, limits[Grade(c.grade)], _start(c, hands)) for c in cards]


@dataclass(frozen=True)
class Swept:
    """What `pool sweep` returned to the pool, one row per card."""

    returned: list[HandoverView]


def sweep(db: Db, *, now: datetime, settings: Settings) -> Swept:
    """`pool sweep`: return every owned live card left without a contact longer than its
    grade's limit to the pool. Idempotent: a returned card has no owner, so a second run finds
    nothing."""
    due = [
        (c, clock)
        for c, days, clock in _candidates(db, settings, now, 0, None)
        if pool.is_past(clock[0], days, now)
    ]
    if not due:
        return Swept([])
    by_id = {c.id: start for c, start in due}
    locked = _locked(db, sorted(i for i in by_id if i is not None))
    returned = []
    for card in locked:
        # Read again under the lock: a contact logged meanwhile keeps the card.
        if card.owner is None or card.archived_at is not None:
            continue
        days = settings.pool_return_after(Grade(card.grade))
        clock = _start(card, _last_hands(db, [card.id] if card.id is not None else []))
        if not pool.is_past(clock[0], days, now):
            continue
        returned.append(_move(db, card, pool.POOL, None, _pool_reason(clock, now), now))
    return Swept(returned)


def pool_items(
    db: Db, now: datetime, settings: Settings, owners: Sequence[str] | None
) -> list[DueItem]:
    """`due`'s warnings: the owned cards that return to the pool within pool.warn_days (or
    are past their limit and go at the next sweep), for `owners` (None: everyone's)."""
    if not _limits(settings) or (owners is not None and not owners):
        return []
    tz = zone_of(now)
    today = local_date(now, tz)
    items = []
    for card, days, (start, origin) in _candidates(
        db, settings, now, settings.pool_warn_days, owners
    ):
        left = pool.days_left(start, days, now, tz)
        if left > settings.pool_warn_days:
            continue
        assert card.id is not None
        on = local_date(pool.returns_at(start, days), tz)
        since = _since_said(origin, pool.since_day(start, tz))
        if left > 1:
            when = said(N_("returns to the pool in {days} days"), days=left)
        elif left == 1:
            when = said(N_("returns to the pool tomorrow"))
        elif left == 0 and not pool.is_past(start, days, now):
            when = said(N_("returns to the pool today"))
        else:
            when = said(N_("returns to the pool at the next sweep"))
        reason = said(N_("{when}: {since}"), when=when, since=since)
        overdue = pool.is_past(start, days, now)
        late = max((today - on).days, 0) if overdue else 0
        grade = Grade(card.grade)
        items.append(
            DueItem(
                kind=ItemKind.pool_return,
                urgency=urgency(ItemKind.pool_return, grade, overdue=overdue, overdue_days=late),
                client_id=card.id,
                client=card.name,
                grade=grade,
                what=KEEP_THE_CARD,
                what_shown=_(KEEP_THE_CARD),
                due=on,
                sort_key=local_day_start(on, tz),
                overdue=overdue,
                overdue_days=late,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=None,
                ident=f"pool-return-{card.id}",
            )
        )
    return items


# ---- reading -------------------------------------------------------------------------------


def handovers_of(db: Db, client: Client) -> list[HandoverView]:
    """A card's changes of hands, oldest first (in the order they were written)."""
    rows = db.select(Handover, "WHERE client_id = :id ORDER BY id", id=client.id)
    return [_view(r, client) for r in rows]
