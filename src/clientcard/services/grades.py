"""Grades: regrade a card (recording from, to, when, why), its history, and the ladder."""

from datetime import datetime

from clientcard.domain.cards import clean_text
from clientcard.domain.dates import zone_of
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import LADDER, Grade
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.clients import grade_history_of
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import schedule_after_regrade
from clientcard.services.views import ClientRef, GradeChangeView, LadderRow
from clientcard.store.db import Db
from clientcard.store.records import GradeChange


def regrade(
    db: Db,
    ref: str,
    *,
    grade: Grade | None = None,
    up: bool = False,
    down: bool = False,
    reason: str | None,
    now: datetime,
    settings: Settings | None = None,
) -> GradeChangeView:
    """Move a card to `grade`, or one step up (towards A) or down (towards F)."""
    if sum([grade is not None, up, down]) != 1:
        raise InvalidValue(_("give exactly one of: a GRADE (A-F), --up or --down"))
    why = clean_text(reason, "reason")
    if why is None:
        raise InvalidValue(_("a regrade needs --reason TEXT: the history says why grades moved"))
    client = db.lock(resolve_client(db, ref))  # the grade it replaces is the one it reads
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    assert client.id is not None
    current = Grade(client.grade)
    target = grade if grade is not None else current.up() if up else current.down()
    if target == current:
        if up:
            message = _("#{id} {name} is already grade {current} (the top of the ladder)")
        elif down:
            message = _("#{id} {name} is already grade {current} (the bottom)")
        else:
            message = _("#{id} {name} is already grade {current}")
        raise Refused(message.format(id=client.id, name=client.name, current=current))
    change = GradeChange(
        author=db.author(),
        client_id=client.id,
        from_grade=current.value,
        to_grade=target.value,
        changed_at=now,
        reason=why,
    )
    client.grade = target.value
    client.graded_at = now
    client.updated_at = now
    client.updated_by = db.author()
    schedule_after_regrade(client, settings or Settings(), zone_of(now))
    db.update(client)
    db.insert(change)
    return GradeChangeView(ClientRef.of(client), current, target, now, why, author=change.author)


def history(
    db: Db, ref: str, now: datetime | None = None
) -> tuple[ClientRef, list[GradeChangeView]]:
    """A card's grade changes, oldest first, with how long each grade was held (to `now`)."""
    client = resolve_client(db, ref)
    return ClientRef.of(client), grade_history_of(db, client, now)


def ladder(db: Db) -> list[LadderRow]:
    """Each grade, its meaning, and how many live (not archived) cards hold it; F split into
    its two kinds, never visited (new) and visited (slow)."""
    counts = dict(
        db.rows("SELECT grade, count(*) FROM client WHERE archived_at IS NULL GROUP BY grade")
    )
    never_visited = int(
        db.scalar(
            "SELECT count(*) FROM client WHERE archived_at IS NULL AND grade = :f "
            "AND last_visit_at IS NULL",
            f=Grade.F.value,
        )
    )
    rows = []
    for grade, (meaning, action) in LADDER.items():
        cards = int(counts.get(grade.value, 0))
        if grade is Grade.F:
            rows.append(
                LadderRow(grade, meaning, action, cards, never_visited, cards - never_visited)
            )
        else:
            rows.append(LadderRow(grade, meaning, action, cards))
    return rows
