"""The view of `dupes`: one card of a group of likely duplicates."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from clientcard.domain.grades import Grade
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class DupeView(Keyed):
    """One card of a group: the group's number (1 the strongest), why its cards are grouped
    (`phone`, `email`, `name`, `bare-name`, `similar-name`: every rule they share,
    strongest first), what
    they share (the phone's or e-mail's key, or the name and company), and the card."""

    group: int
    reasons: tuple[str, ...]
    match: str
    id: int
    name: str
    company: str | None
    grade: Grade
    phone: str | None
    email: str | None
    archived: bool

    # `dupes` (docs/duplicates.md). A stable interface: keys are added, never changed.
    KEYS: ClassVar[Keys["DupeView"]] = Keys(
        "group",
        ("reason", lambda v: ",".join(v.reasons)),
        "match",
        "id",
        "name",
        "company",
        "grade",
        "phone",
        "email",
        "archived",
    )


@dataclass(frozen=True)
class MergeView(Keyed):
    """A card merged into this one (`merge`): its old id and name, when, the fields taken
    from it."""

    merged_id: int
    name: str
    at: datetime
    taken: tuple[str, ...]

    # The card page's `merged` (docs/duplicates.md).
    KEYS: ClassVar[Keys["MergeView"]] = Keys(
        ("id", "merged_id"), "name", "at", ("taken", lambda v: list(v.taken))
    )

    def describe(self) -> str:
        """`#2 张 伟`."""
        return f"#{self.merged_id} {self.name}"
