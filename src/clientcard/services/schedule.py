"""Keeping a card's next follow-up right: after it is added, contacted, regraded or snoozed."""

from datetime import date, datetime, tzinfo

from clientcard.domain.agenda import FollowupKind, cadence_date
from clientcard.domain.dates import When, format_local, local_date, parse_when, zone_of
from clientcard.domain.grades import Grade, f_kind
from clientcard.domain.settings import Settings
from clientcard.store.records import Client


def human_moment(moment: datetime, now: datetime) -> str:
    """A moment in the user's zone for a message: `2026-11-23 15:00`."""
    return format_local(moment, zone_of(now))


def parse(text: str, now: datetime, settings: Settings, *, past: bool = False) -> When:
    """Every WHEN a user types goes through the one date parser, with their date order.
    `past` for options about what already happened: there `mon` means the last Monday."""
    return parse_when(text, now, date_order=settings.date_order, past=past)


def by_cadence(client: Client, settings: Settings, tz: tzinfo) -> date:
    """The last sales contact (a greeting does not count: docs/agenda.md), else the day the card
    was added, plus the grade's cadence; a never-visited F card's is `cadence.F-new`, the
    rhythm of its first visit."""
    base = client.followed_up_at or client.created_at
    kind = f_kind(client.grade, client.last_visit_at is not None)
    return cadence_date(local_date(base, tz), Grade(client.grade), settings, kind)


def schedule_by_cadence(client: Client, settings: Settings, tz: tzinfo) -> None:
    client.next_followup_on = by_cadence(client, settings, tz)
    client.followup_kind = FollowupKind.cadence.value
    client.followup_note = None


def schedule_after_contact(
    client: Client, settings: Settings, tz: tzinfo, explicit: date | None
) -> None:
    """After a contact: the explicit `--next`, else the cadence from the last contact; a snooze
    the user set (explicit or re-check) that falls later than the cadence date still stands."""
    if explicit is not None:
        client.next_followup_on = explicit
        client.followup_kind = FollowupKind.explicit.value
        client.followup_note = None
        return
    cadence = by_cadence(client, settings, tz)
    chosen = client.next_followup_on
    last = local_date(client.followed_up_at, tz) if client.followed_up_at else None
    if chosen is not None and client.followup_kind == FollowupKind.recheck:
        # A re-check waits for a condition (health, money): a courtesy call does not answer
        # it. It stands until its day comes (or the user snoozes or regrades).
        if last is None or chosen >= last:
            return
    elif chosen is not None and client.followup_kind == FollowupKind.explicit and chosen > cadence:
        return
    schedule_by_cadence(client, settings, tz)


def schedule_after_regrade(client: Client, settings: Settings, tz: tzinfo) -> None:
    """A new grade brings a new rhythm, unless the user chose the date. A re-check belongs to
    C and D cards: a card that leaves them goes back to its new grade's rhythm."""
    kind = client.followup_kind
    leaves_recheck = kind == FollowupKind.recheck and Grade(client.grade) not in (Grade.C, Grade.D)
    if kind == FollowupKind.cadence or leaves_recheck:
        schedule_by_cadence(client, settings, tz)
