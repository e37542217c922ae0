"""Settings: read them, and change one — rescheduling the cards a new cadence affects."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clientcard.domain.agenda import FollowupKind
from clientcard.domain.dates import zone_of
from clientcard.domain.grades import Grade
from clientcard.domain.settings import check
from clientcard.services.clients import rekey_phones
from clientcard.services.schedule import schedule_by_cadence
from clientcard.store.config_file import load_settings, set_value
from clientcard.store.db import Db
from clientcard.store.records import Client


@dataclass(frozen=True)
class Changed:
    key: str
    value: Any
    rescheduled: int  # cards whose next follow-up moved with a new cadence
    rekeyed: int = 0  # cards whose phones' keys changed with a new phone.region


def change_setting(db: Db, key: str, value: str, *, now: datetime) -> Changed:
    """Check and save one setting. A new cadence for a grade moves the next follow-up of every
    card of that grade that follows the cadence (dates the user set stay), in this transaction;
    a phone.region reads every phone's key again in the new region (`rekey_phones`: the keys
    of national numbers change with the region's country code), even when it is the same
    region: that is how the keys of a book come back in line with its region, after the file
    was edited by hand or the book moved. The file is written last, so a failure leaves both
    as they were."""
    checked = check(key, value)
    rescheduled = rekeyed = 0
    if key == "phone.region":
        rekeyed = rekey_phones(db, checked)
    if key.startswith("cadence."):
        tz = zone_of(now)
        # cadence.A ... cadence.F, and cadence.F-new: only never-visited F cards follow it.
        name = key.split(".", 1)[1]
        grade = Grade(name.split("-", 1)[0])
        never_visited = " AND last_visit_at IS NULL" if "-" in name else ""
        new = load_settings().with_value(key, value)
        cards = db.select(
            Client,
            "WHERE grade = :grade AND followup_kind = :cadence AND archived_at IS NULL"
            + never_visited
            + f" ORDER BY id{db.for_update}",  # locked: a log meanwhile waits, then moves it
            grade=grade.value,
            cadence=FollowupKind.cadence.value,
        )
        followup = ("next_followup_on", "followup_kind", "followup_note")
        for card in cards:
            before = [getattr(card, name) for name in followup]
            schedule_by_cadence(card, new, tz)
            if [getattr(card, name) for name in followup] != before:
                db.update(card, *followup)  # a stray note is cleared too
            if card.next_followup_on != before[0]:
                rescheduled += 1
    stored = set_value(key, value)
    return Changed(key, stored, rescheduled, rekeyed)
