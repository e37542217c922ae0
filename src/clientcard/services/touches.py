"""Every real touch with a client, through one function: `record_contact`.

`log` calls it for a contact logged by hand; a kept appointment (`promise done`), a `sale` and a
complaint step taken with the client (`complaint step --via`) call it for the contact they are.
So every touch moves the card the same way (docs/agenda.md, *Touches*):

- the contact is stored, with the record it came from (`source`, `source_id`) and whether it was
  a greeting;
- the card's last contact moves (never backwards), and its last visit for a visit or meeting (its
  first visit too, when this one is earlier);
- a sales contact records when it was due (`due_by`: the end of the card's follow-up day before
  the contact moves it), which `report activity` compares with its time;
- a sales contact also moves the last follow-up (`followed_up_at`) and the next follow-up by the
  grade's cadence; a greeting keeps in touch but does not (`--next` still sets the date);
- it thanks the client: a pending thank-you for the sales (and referrals) up to it is cleared,
  except by a sale's own contact;
- it confirms the client's open appointments that fall within `notice_hours` after it (not a
  greeting: a birthday card confirms no meeting).

The thank-you's bookkeeping lives here too (below the services that make one due: `sales` for a
sale, `clients` for a referral), so that none of them imports another: `client.thanks_since` is
since when a thank-you is pending (the earliest sale or referral not yet thanked),
`client.thanks_due_at` the end of its deadline day (an exclusive end: the next local midnight).

This module imports no other action's service (promises, sales, complaints, contacts): they all
import it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clientcard.domain.agenda import (
    CONVERSATION_CHANNELS,
    VISIT_CHANNELS,
    Channel,
    ContactSource,
    PromiseKind,
    PromiseStatus,
)
from clientcard.domain.dates import local_date, local_day_start, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.occasions import (
    CARD_EARLY_DAYS,
    GRACE_DAYS,
    GREETING_CHANNELS,
    occurrences,
)
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.schedule import schedule_after_contact
from clientcard.store.db import Db
from clientcard.store.records import Client, Contact, KeyDate, Promise

CHANNELS = ", ".join(c.value for c in Channel)


def parse_channel(text: str) -> Channel:
    try:
        return Channel(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            _("unknown channel {text}; --via is one of {CHANNELS}").format(
                text=repr(text), CHANNELS=CHANNELS
            )
        ) from None


# ---- the thank-you ---------------------------------------------------------------------------


def thanks_deadline(since: datetime, now: datetime, settings: Settings) -> datetime:
    """The end (exclusive: the next local midnight) of the day `since` + thanks_days."""
    tz = zone_of(now)
    day = local_date(since, tz) + timedelta(days=settings.thanks_days)
    return local_day_start(day + timedelta(days=1), tz)


def deadline_day(deadline: datetime, now: datetime) -> date:
    """The last local day of a thank-you whose deadline (an exclusive end) is `deadline`."""
    tz = zone_of(now)
    return local_date(deadline - timedelta(microseconds=1), tz)


def owe_thanks(client: Client, since: datetime, *, now: datetime, settings: Settings) -> date:
    """Make a thank-you due for something that happened at `since` (a sale, a referral). One
    still owed keeps its earlier start and deadline: a new order does not excuse a late
    thank-you. Returns the deadline day (the caller writes the client)."""
    deadline = thanks_deadline(since, now, settings)
    if client.thanks_due_at is None or deadline < client.thanks_due_at:
        client.thanks_due_at = deadline
    if client.thanks_since is None or since < client.thanks_since:
        client.thanks_since = since
    return deadline_day(client.thanks_due_at, now)


def clear_thanks(client: Client) -> None:
    client.thanks_due_at = None
    client.thanks_since = None


def _thank(db: Db, client: Client, moment: datetime, *, now: datetime, settings: Settings) -> bool:
    """A contact at `moment` thanks the client for everything owed up to it. Dated at or after
    the latest sale (and what else is owed), it clears the pending thank-you: True. Dated
    between sales, the thank-you still owed is for the later ones, from the first of them. Dated
    before anything owed, it changes nothing."""
    if client.thanks_due_at is None or client.id is None:
        return False
    if client.thanks_since is not None and moment < client.thanks_since:
        return False
    later = db.scalar(
        "SELECT min(sold_at) FROM sale WHERE client_id = :client_id AND sold_at > :moment",
        "datetime",
        client_id=client.id,
        moment=moment,
    )
    if later is None:
        clear_thanks(client)
        return True
    client.thanks_since = later
    deadline = thanks_deadline(later, now, settings)
    if deadline > client.thanks_due_at:
        client.thanks_due_at = deadline
    return False


def thanked_since(db: Db, client_id: int, moment: datetime) -> Contact | None:
    """The first contact at or after `moment` that thanks the client: any but a sale's own
    (ix_contact_client_id_at)."""
    return db.first(
        Contact,
        "WHERE client_id = :client_id AND at >= :moment "
        "AND (source IS NULL OR source <> :sale) ORDER BY at, id",
        client_id=client_id,
        moment=moment,
        sale=ContactSource.sale,
    )


# ---- greetings -------------------------------------------------------------------------------


def clears_an_occasion(
    db: Db, client: Client, moment: datetime, channel: Channel, *, now: datetime, settings: Settings
) -> bool:
    """Whether a contact by card or gift at `moment` is the greeting for one of the card's
    occasions or holidays: it falls in the window where it clears it (docs/occasions.md), from
    `lead.card` + 3 days before the day to the end of the 7-day grace after it."""
    if channel not in GREETING_CHANNELS or channel in CONVERSATION_CHANNELS:
        return False
    # Only a card or a gift needs them: a call, the everyday `log`, does not import them.
    from clientcard.services.holidays import audience_cards, holidays_between
    from clientcard.services.occasions import day_of

    tz = zone_of(now)
    day = local_date(moment, tz)
    first = day - timedelta(days=GRACE_DAYS)
    last = day + timedelta(days=settings.lead_days("card") + CARD_EARLY_DAYS)
    for key_date in db.select(KeyDate, "WHERE client_id = :id ORDER BY id", id=client.id):
        if occurrences(day_of(key_date), key_date.yearly, first, last):
            return True
    for holiday, _on in holidays_between(db, first, last):
        source, where = audience_cards(holiday.audience)
        where.add("client.id = :client_id", client_id=client.id)
        if db.rows(f"{source} {where}", **where.params):
            return True
    return False


# ---- confirming appointments -----------------------------------------------------------------


def confirm_by_contact(
    db: Db, client: Client, moment: datetime, *, settings: Settings
) -> list[int]:
    """A contact with the client confirms their open appointments that fall within
    `notice_hours` after it: the ids confirmed (promise.confirmed_at = the contact's time)."""
    until = moment + timedelta(hours=settings.notice_hours)
    found = db.select(
        Promise,
        "WHERE client_id = :client_id AND status = :open AND kind = :appointment "
        "AND confirmed_at IS NULL AND due_at > :moment AND due_at <= :until ORDER BY due_at, id",
        client_id=client.id,
        open=PromiseStatus.open,
        appointment=PromiseKind.appointment,
        moment=moment,
        until=until,
    )
    for promise in found:
        promise.confirmed_at = moment
        db.update(promise, "confirmed_at")
    return [p.id for p in found if p.id is not None]


# ---- the one touch ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Touch:
    """What one contact did to the card."""

    contact: Contact
    greeting: bool  # kept in touch without moving the follow-up
    thanked: bool  # it cleared the pending thank-you
    confirmed: tuple[int, ...]  # the appointments it confirmed


def record_contact(
    db: Db,
    client: Client,
    *,
    at: datetime,
    via: Channel,
    summary: str | None = None,
    with_person: str | None = None,
    next_on: date | None = None,
    source: ContactSource | None = None,
    source_id: int | None = None,
    greeting: bool | None = None,
    now: datetime,
    settings: Settings,
) -> Touch:
    """Record one touch with the client and move the card with it (the module doc says how).
    `greeting` None: a greeting when it is the card or gift that clears one of the card's
    occasions; True or False as the user said (`log --greeting`, `--no-greeting`). The caller
    has checked `at` (never in the future) and `next_on` (after the contact's day)."""
    assert client.id is not None
    tz = zone_of(now)
    if greeting is None:
        greeting = source is None and clears_an_occasion(
            db, client, at, via, now=now, settings=settings
        )
    # When this sales follow-up was due: the end of the card's follow-up day as it stands
    # before the contact moves it; a contact older than the card's last follow-up answered an
    # earlier due date, which is no longer known.
    due_by = None
    if (
        not greeting
        and client.next_followup_on is not None
        and (client.followed_up_at is None or at >= client.followed_up_at)
    ):
        due_by = local_day_start(client.next_followup_on + timedelta(days=1), tz)
    contact = Contact(
        author=db.author(),
        client_id=client.id,
        at=at,
        via=via.value,
        summary=summary,
        with_person=with_person,
        next_on=next_on,
        logged_at=now,
        source=source.value if source is not None else None,
        source_id=source_id,
        greeting=greeting,
        due_by=due_by,
    )
    if client.last_contact_at is None or at > client.last_contact_at:
        client.last_contact_at = at
    if via in VISIT_CHANNELS and (client.last_visit_at is None or at > client.last_visit_at):
        client.last_visit_at = at
    if via in VISIT_CHANNELS and (client.first_visit_at is None or at < client.first_visit_at):
        client.first_visit_at = at
    if not greeting:
        if client.followed_up_at is None or at > client.followed_up_at:
            client.followed_up_at = at
        schedule_after_contact(client, settings, tz, next_on)
    elif next_on is not None:
        schedule_after_contact(client, settings, tz, next_on)  # a date set by the user stands
    # A sale's own contact is not the thank-you for it.
    thanked = source is not ContactSource.sale and _thank(
        db, client, at, now=now, settings=settings
    )
    confirmed = () if greeting else tuple(confirm_by_contact(db, client, at, settings=settings))
    client.updated_at = now
    client.updated_by = db.author()
    db.insert(contact)
    db.update(client)
    return Touch(contact, greeting, thanked, confirmed)
