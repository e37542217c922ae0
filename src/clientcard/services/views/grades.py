"""The views of grades: a card's grade changes, and the ladder."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from clientcard.domain.grades import FKind, Grade
from clientcard.i18n import _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class GradeChangeView(Keyed):
    client: ClientRef
    from_grade: Grade | None
    to_grade: Grade
    changed_at: datetime
    reason: str | None
    # Issue 11: whole days the grade `to_grade` was held, until the next change or (the
    # current one) until now; None when not asked.
    held_days: int | None = None
    current: bool = False
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    # `grade CLIENT` (docs/formats.md).
    KEYS: ClassVar[Keys["GradeChangeView"]] = Keys(
        ("client_id", "client.id"),
        ("client", "client.name"),
        "from_grade",
        "to_grade",
        "changed_at",
        "reason",
        "held_days",
        "current",
        "author",
    )
    # For people, the reason clientcard itself writes when a card is added reads in the
    # interface's language; JSON, CSV and TSV keep the stored text.
    SHOWN: ClassVar[dict[str, str]] = {"reason": "reason_shown"}

    @property
    def reason_shown(self) -> str | None:
        return _("added") if self.reason == "added" else self.reason

    def held(self) -> str:
        """`12 d`, `47 d so far` (the current grade)."""
        if self.held_days is None:
            return ""
        if self.current:
            return _("{days} d so far").format(days=self.held_days)
        return _("{days} d").format(days=self.held_days)


@dataclass(frozen=True)
class LadderRow(Keyed):
    grade: Grade
    meaning: str
    action: str
    cards: int
    # Issue 11: the F row's two kinds, never visited (new) and visited (slow); None for A-E.
    f_new: int | None = None
    f_slow: int | None = None
    kind: FKind | None = None  # a row of the table for one kind of F (not in machine formats)

    # `grade` alone (docs/formats.md).
    KEYS: ClassVar[Keys["LadderRow"]] = Keys(
        "grade", "meaning", "action", "cards", "f_new", "f_slow"
    )

    @property
    def label(self) -> str:
        """The table's grade cell: `F`, and its kinds indented below it."""
        return f"  {self.kind.label}" if self.kind else self.grade.value

    def split(self) -> list["LadderRow"]:
        """The row and, for F, a row for each of its kinds (the table shows them)."""
        if self.f_new is None or self.f_slow is None:
            return [self]
        return [
            self,
            *(
                LadderRow(self.grade, kind.meaning, kind.action, count, kind=kind)
                for kind, count in ((FKind.new, self.f_new), (FKind.slow, self.f_slow))
            ),
        ]
