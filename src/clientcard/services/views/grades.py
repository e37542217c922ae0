"""The views of grades: a card's grade changes, and the ladder."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from clientcard.domain.grades import Grade
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class GradeChangeView(Keyed):
    client: ClientRef
    from_grade: Grade | None
    to_grade: Grade
    changed_at: datetime
    reason: str | None

    # `grade CLIENT` (docs/formats.md).
    KEYS: ClassVar[Keys["GradeChangeView"]] = Keys(
        ("client_id", "client.id"),
        ("client", "client.name"),
        "from_grade",
        "to_grade",
        "changed_at",
        "reason",
    )


@dataclass(frozen=True)
class LadderRow(Keyed):
    grade: Grade
    meaning: str
    action: str
    cards: int

    # `grade` alone (docs/formats.md).
    KEYS: ClassVar[Keys["LadderRow"]] = Keys("grade", "meaning", "action", "cards")
