"""The contact log: `log` a touch the moment it happens, list the log, `snooze` a follow-up."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clientcard.domain.agenda import Channel, ContactSource, FollowupKind
from clientcard.domain.cards import clean_text
from clientcard.domain.dates import local_date, zone_of
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import parse
from clientcard.services.touches import parse_channel, record_contact
from clientcard.services.views import ClientRef, ContactView, FollowupView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Contact
from clientcard.store.where import Where

# The log with each contact's client.
CONTACT_WITH_CLIENT = (
    f"SELECT {columns(Contact, 'contact')}, {columns(Client, 'client')} "
    "FROM contact JOIN client ON client.id = contact.client_id"
)


def parse_channels(text: str) -> list[Channel]:
    return [parse_channel(part) for part in text.split(",") if part.strip()]


@dataclass(frozen=True)
class LoggedContact:
    contact: ContactView
    followup: FollowupView
    thanked: bool = False  # it cleared the thank-you due for the latest sale
    greeting: bool = False  # a greeting: kept in touch, the follow-up did not move
    confirmed: tuple[int, ...] = ()  # the appointments it confirmed


def followup_of(client: Client) -> FollowupView:
    return FollowupView(
        on=client.next_followup_on,
        kind=FollowupKind(client.followup_kind),
        note=client.followup_note,
        last_contact_at=client.last_contact_at,
    )


def log_contact(
    db: Db,
    ref: str,
    *,
    via: str | None = None,
    summary: str | None = None,
    at: str | None = None,
    next_: str | None = None,
    with_person: str | None = None,
    greeting: bool | None = None,
    now: datetime,
    settings: Settings,
) -> LoggedContact:
    """Record a contact (services/touches.py): the card's last contact and, unless it is a
    greeting, its next follow-up move with it. Without `via`, the channel is the setting
    `log.via` (call unless changed). `greeting` None: decided by the contact (a card or gift
    that clears an occasion is one); True or False: as the user said."""
    channel = settings.log_via if via is None else parse_channel(via)
    tz = zone_of(now)
    moment = parse(at, now, settings, past=True).start if at else now
    if moment > now:
        raise InvalidValue(
            _(
                "a contact cannot be in the future; to plan one, use `clientcard promise "
                "add CLIENT WHAT --at WHEN` or `clientcard snooze CLIENT WHEN`"
            )
        )
    explicit: date | None = None
    if next_:
        explicit = local_date(parse(next_, now, settings).start, tz)
        if explicit <= local_date(moment, tz):
            raise InvalidValue(
                _("--next {next_} is not after the contact; give a later date").format(
                    next_=repr(next_)
                )
            )
        if explicit < local_date(now, tz):
            raise InvalidValue(
                _("--next {next_} is in the past; give today or a later date").format(
                    next_=repr(next_)
                )
            )
    client = db.lock(resolve_client(db, ref))  # its last contact moves from what is stored now
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    touch = record_contact(
        db,
        client,
        at=moment,
        via=channel,
        summary=clean_text(summary, "summary"),
        with_person=clean_text(with_person, "person"),
        next_on=explicit,
        greeting=greeting,
        now=now,
        settings=settings,
    )
    return LoggedContact(
        contact_view(touch.contact, client),
        followup_of(client),
        touch.thanked,
        touch.greeting,
        touch.confirmed,
    )


def contact_view(contact: Contact, client: Client) -> ContactView:
    assert contact.id is not None
    return ContactView(
        id=contact.id,
        client=ClientRef.of(client),
        at=contact.at,
        via=Channel(contact.via),
        summary=contact.summary,
        with_person=contact.with_person,
        next_on=contact.next_on,
        source=ContactSource(contact.source) if contact.source else None,
        source_id=contact.source_id,
        greeting=contact.greeting,
        author=contact.author,
    )


def list_contacts(
    db: Db,
    ref: str | None = None,
    *,
    since: str | None = None,
    via: str | None = None,
    limit: int | None = None,
    now: datetime,
    settings: Settings,
) -> list[ContactView]:
    """The log, newest first: one card's (`ref`) or everyone's, as `log list` asks."""
    return contacts_of(
        db,
        resolve_client(db, ref) if ref else None,
        since=parse(since, now, settings, past=True).start if since else None,
        channels=parse_channels(via) if via else (),
        limit=limit,
    )


def contacts_of(
    db: Db,
    client: Client | None,
    *,
    since: datetime | None = None,
    channels: Sequence[Channel] = (),
    limit: int | None = None,
) -> list[ContactView]:
    """The contacts of one card (or of every card), newest first."""
    where = Where()
    if client is not None:
        where.add("contact.client_id = :client_id", client_id=client.id)
    if since is not None:
        where.add("contact.at >= :since", since=since)
    if channels:
        where.add("contact.via IN :channels", channels=list(channels))
    sql = f"{CONTACT_WITH_CLIENT} {where.tail('contact.at DESC, contact.id DESC', limit)}"
    return [
        contact_view(contact, client)
        for contact, client in db.pairs(Contact, Client, sql, **where.params)
    ]


def snooze(
    db: Db,
    ref: str,
    when: str,
    *,
    reason: str | None = None,
    now: datetime,
    settings: Settings,
) -> tuple[ClientRef, FollowupView]:
    """Set the next follow-up explicitly. On a C or D card the reason is the re-check
    condition ("health: after the March check-up") and `due` shows it as a re-check."""
    tz = zone_of(now)
    on = local_date(parse(when, now, settings).start, tz)
    if on < local_date(now, tz):
        raise InvalidValue(
            _("{when} is in the past; snooze to today or a later date").format(when=repr(when))
        )
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    recheck = Grade(client.grade) in (Grade.C, Grade.D)
    client.next_followup_on = on
    client.followup_kind = (FollowupKind.recheck if recheck else FollowupKind.explicit).value
    client.followup_note = clean_text(reason, "reason")
    client.updated_at = now
    client.updated_by = db.author()
    db.update(client)
    return ClientRef.of(client), followup_of(client)
