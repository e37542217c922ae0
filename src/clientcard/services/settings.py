"""Settings: read them, and change one — rescheduling the cards a new cadence affects."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from clientcard.domain.agenda import FollowupKind
from clientcard.domain.grades import Grade
from clientcard.domain.settings import check
from clientcard.services.schedule import schedule_by_cadence
from clientcard.store.config_file import load_settings, set_value
from clientcard.store.models import Client


@dataclass(frozen=True)
class Changed:
    key: str
    value: Any
    rescheduled: int  # cards whose next follow-up moved with a new cadence


def change_setting(session: Session, key: str, value: str, *, now: datetime) -> Changed:
    """Check and save one setting. A new cadence for a grade moves the next follow-up of every
    card of that grade that follows the cadence (dates the user set stay), in this transaction;
    the file is written last, so a failure leaves both as they were."""
    check(key, value)
    rescheduled = 0
    if key.startswith("cadence."):
        tz = now.tzinfo
        assert tz is not None
        grade = Grade(key.split(".", 1)[1])
        new = load_settings().with_value(key, value)
        cards = session.exec(
            select(Client).where(
                Client.grade == grade.value,
                Client.followup_kind == FollowupKind.cadence.value,
                col(Client.archived_at).is_(None),
            )
        )
        for card in cards:
            before = card.next_followup_on
            schedule_by_cadence(card, new, tz)
            if card.next_followup_on != before:
                session.add(card)
                rescheduled += 1
        session.flush()
    stored = set_value(key, value)
    return Changed(key, stored, rescheduled)
