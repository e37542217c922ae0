"""The pool (公海, issue 17): when an owned card goes back to the team's pool of unowned cards.

A book may set, per grade, how many days an owner may leave a card without a contact
(`pool.return_after.<GRADE>`; 0: never). The clock runs from the card's last contact, or from
when it was added if it never had one, or from when it last changed hands (handed over or
claimed) if that is later: a new owner gets the whole period. Pure: the services read the
times.
"""

import unicodedata
from datetime import date, datetime, timedelta, tzinfo

from clientcard.domain.dates import local_date
from clientcard.i18n import N_

# `handover.kind`: how a card changed hands.
HANDOVER = "handover"  # handed to a colleague (`handover`)
CLAIM = "claim"  # taken from the pool (`claim`)
POOL = "pool"  # returned to the pool by the book's rule (`pool sweep`)
RELEASE = "release"  # given back to the pool by hand (`release`)
KINDS = (HANDOVER, CLAIM, POOL, RELEASE)


def clock_start(
    last_contact_at: datetime | None, created_at: datetime, changed_hands_at: datetime | None
) -> datetime:
    """Since when a card counts as left without a contact."""
    start = last_contact_at or created_at
    if changed_hands_at is not None and changed_hands_at > start:
        return changed_hands_at
    return start


# Where a card's pool clock started (`clock_origin`): its last contact, its creation, or the
# change of hands (kind `handover` or `claim`) that started it again.
CONTACT = "contact"
ADDED = "added"


def clock_origin(
    last_contact_at: datetime | None,
    created_at: datetime,
    changed_hands: tuple[datetime, str] | None,
) -> tuple[datetime, str]:
    """`clock_start`, with what started the clock: CONTACT, ADDED, HANDOVER or CLAIM."""
    start, origin = (last_contact_at, CONTACT) if last_contact_at else (created_at, ADDED)
    if changed_hands is not None and changed_hands[0] > start:
        return changed_hands
    return start, origin


_SINCE = {
    CONTACT: N_("no contact since {day}"),
    ADDED: N_("no contact since it was added on {day}"),
    HANDOVER: N_("no contact since it was handed over on {day}"),
    CLAIM: N_("no contact since it was claimed on {day}"),
}


def since_message(origin: str, day: date) -> tuple[str, dict[str, str]]:
    """`no contact since 2026-11-01`, or since the card was added, handed over or claimed: the
    message (marked for the catalog) and its values; services/owners.py says it in both
    languages."""
    message = _SINCE.get(origin)
    if message is None:  # an origin without words of its own: named by its code
        return "no contact since it was {done} on {day}", {"done": origin, "day": day.isoformat()}
    return message, {"day": day.isoformat()}


def since_words(origin: str, day: date) -> str:
    """`no contact since 2026-11-01`, or since the card was added, handed over or claimed."""
    message, values = since_message(origin, day)
    return message.format(**values)


def returns_at(start: datetime, days: int) -> datetime:
    """The moment a card left since `start` is past its limit of `days`."""
    return start + timedelta(days=days)


def is_past(start: datetime, days: int, now: datetime) -> bool:
    """Whether a card left since `start` belongs in the pool (a limit of 0: never)."""
    return days > 0 and now >= returns_at(start, days)


def days_left(start: datetime, days: int, now: datetime, tz: tzinfo) -> int:
    """Calendar days from today to the day the card returns (0: today, negative: past)."""
    return (local_date(returns_at(start, days), tz) - local_date(now, tz)).days


def since_day(start: datetime, tz: tzinfo) -> date:
    return local_date(start, tz)


def same_name(a: str | None, b: str | None) -> bool:
    """Two owners' names are one person's when they differ only in case (and Unicode form)."""
    if a is None or b is None:
        return a is b
    return name_fold(a) == name_fold(b)


def name_fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()
