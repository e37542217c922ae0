"""The agenda's rules: channels, follow-up dates, promise notice, keep-rate, and urgency.

Urgency orders `clientcard due` (docs/agenda.md explains it to users):

    urgency = kind weight + grade weight + (OVERDUE_BONUS + 5 x days overdue, at most 20 days)
              + value bonus

- kind: a complaint 1000 plus its severity (urgent 300, high 200, normal 100, low 0), so
  complaints always come first; an appointment inside the notice window and not yet confirmed
  (confirm it or tell the client now) 300, a promise (deliverable) 250, a later or confirmed
  appointment 200, a thank-you after a sale 150, an occasion greeting 120, a re-check or
  follow-up 100, a first visit 60, a card about to return to the team's pool 110;
- grade: A 50, B 40, C 30, D 20, E 10, F 0, so A comes before F;
- overdue: +500, more than any kind and grade can add, so everything overdue comes before
  everything due later; then 5 a day, capped at 20 days, so an old follow-up does not bury a
  promise broken yesterday;
- value: 5 for every 10,000 the client bought in the last 12 months, at most 50.
"""

from datetime import date, datetime, timedelta
from enum import StrEnum

from clientcard.domain.channels import Channel as Channel  # re-exported: its old home
from clientcard.domain.grades import FKind, Grade
from clientcard.domain.settings import Settings
from clientcard.i18n import _

# Face-to-face channels: a card contacted this way has had its first visit.
VISIT_CHANNELS = frozenset({Channel.visit, Channel.meeting})
# Conversations: a greeting made this way is also a sales contact (you talked; it moves the
# follow-up). A card, gift, letter, e-mail or message that greets is only a greeting.
CONVERSATION_CHANNELS = frozenset({Channel.call, Channel.visit, Channel.meeting})


class ContactSource(StrEnum):
    """The record that made a contact (`contact.source`); None when it was logged by hand."""

    appointment = "appointment"  # a kept appointment (`promise done`): the promise's id
    sale = "sale"  # a sale (`sale`): the sale's id
    complaint = "complaint"  # a complaint step taken with the client (`--via`): the complaint's id


class FollowupKind(StrEnum):
    """Why a card's next follow-up falls on its date."""

    cadence = "cadence"  # the last contact (or the day it was added) plus its grade's interval
    explicit = "explicit"  # a date the user chose (`log --next`, `snooze`)
    recheck = "recheck"  # a C or D card snoozed until its condition may have changed


class ItemKind(StrEnum):
    """The kinds of item in `due` (the JSON `kind`)."""

    promise = "promise"
    appointment = "appointment"
    followup = "followup"
    first_visit = "first_visit"
    recheck = "recheck"
    complaint = "complaint"
    thanks = "thanks"
    occasion = "occasion"
    # An owned card that will go back to the team's pool for want of a contact (issue 17).
    pool_return = "pool_return"


class PromiseKind(StrEnum):
    deliverable = "deliverable"
    appointment = "appointment"


class PromiseStatus(StrEnum):
    open = "open"
    kept = "kept"
    kept_late = "kept_late"
    cancelled_by_client = "cancelled_by_client"
    cancelled_by_me = "cancelled_by_me"
    missed = "missed"


class CancelledBy(StrEnum):
    client = "client"
    me = "me"


OVERDUE_BONUS = 500
PER_DAY_OVERDUE = 5
MAX_DAYS_COUNTED = 20
CONFIRM_NOW_WEIGHT = 300
KIND_WEIGHT: dict[ItemKind, int] = {
    # Complaints come first, always: more than anything else can reach (see the module doc).
    ItemKind.complaint: 1000,
    ItemKind.promise: 250,
    ItemKind.thanks: 150,
    ItemKind.occasion: 120,
    ItemKind.appointment: 200,
    ItemKind.recheck: 100,
    ItemKind.followup: 100,
    ItemKind.first_visit: 60,
    # Above a follow-up: the card is about to be lost to the pool; a contact keeps it.
    ItemKind.pool_return: 110,
}
GRADE_WEIGHT: dict[Grade, int] = {
    Grade.A: 50,
    Grade.B: 40,
    Grade.C: 30,
    Grade.D: 20,
    Grade.E: 10,
    Grade.F: 0,
}


# Within complaints, the severity adds to the kind weight.
SEVERITY_WEIGHT = {"urgent": 300, "high": 200, "normal": 100, "low": 0}

# Value: every 10,000 (in the currency's major unit) a client bought in the last 12 months adds
# 5, at most 50, so a big customer's items rise within their kind without jumping kinds.
VALUE_STEP_MINOR = 10_000 * 100
VALUE_POINTS_PER_STEP = 5
MAX_VALUE_POINTS = 50


def value_bonus(purchases_12m_minor: int) -> int:
    steps = max(purchases_12m_minor, 0) // VALUE_STEP_MINOR
    return int(min(steps * VALUE_POINTS_PER_STEP, MAX_VALUE_POINTS))


def urgency(
    kind: ItemKind,
    grade: Grade,
    *,
    overdue: bool,
    overdue_days: int,
    confirm_now: bool = False,
    severity: str | None = None,
) -> int:
    score = CONFIRM_NOW_WEIGHT if confirm_now else KIND_WEIGHT[kind]
    if severity is not None:
        score += SEVERITY_WEIGHT[severity]
    score += GRADE_WEIGHT[grade]
    if overdue:
        score += OVERDUE_BONUS + PER_DAY_OVERDUE * min(max(overdue_days, 0), MAX_DAYS_COUNTED)
    return score


def cadence_date(base: date, grade: Grade, settings: Settings, kind: FKind | None = None) -> date:
    """The next follow-up by the grade's rhythm: `base` (last contact or added) + cadence (a
    never-visited F card's, kind `new`, is its own)."""
    return base + timedelta(days=settings.cadence_days(grade, kind))


def is_short_notice(due: datetime, told_at: datetime, notice_hours: int) -> bool:
    """A move is polite when the client was told at least `notice_hours` before the promised
    time; later than that (or after the time) it is short notice."""
    return told_at > due - timedelta(hours=notice_hours)


def notice_phrase(notice: timedelta) -> str:
    """How long before the promised time the client was told, for people: whole hours
    (rounded), whole minutes under an hour, "after the time" when told too late:
    `told 26 h ahead`, `told 30 min ahead`, `told 2 h after the time`."""
    seconds = notice.total_seconds()
    late = seconds < 0
    seconds = abs(seconds)
    if seconds < 3600:
        minutes = int(seconds // 60)
        if late:
            return _("told {minutes} min after the time").format(minutes=minutes)
        return _("told {minutes} min ahead").format(minutes=minutes)
    hours = f"{seconds / 3600:.0f}"
    if late:
        return _("told {hours} h after the time").format(hours=hours)
    return _("told {hours} h ahead").format(hours=hours)


def keep_rate(kept_on_time: int, counted: int) -> float | None:
    """Kept on time / all that count; None when nothing counts yet."""
    return None if counted == 0 else kept_on_time / counted
