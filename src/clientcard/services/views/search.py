"""The view of `search`: a card found, where it matched and the text around the hit."""

from dataclasses import dataclass
from typing import ClassVar

from clientcard.domain.grades import Grade
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class Match:
    """One place a card matched: `place` (name, company, phone, email, pinyin, title, address,
    notes, contact, promise, complaint, sale, occasion, person), `ref` (the record: a contact's
    date and channel, `P3`, `C3`, `S3`, an occasion's kind, a person's name; empty for a card's
    own field), and the text around the hit."""

    place: str
    ref: str
    snippet: str
    score: float

    @property
    def where(self) -> str:
        return f"{self.place} {self.ref}".strip()


@dataclass(frozen=True)
class SearchHit(Keyed):
    id: int
    name: str
    company: str | None
    grade: Grade
    archived: bool
    score: float
    matches: tuple[Match, ...]  # the best first

    @property
    def best(self) -> Match:
        return self.matches[0]

    KEYS: ClassVar[Keys["SearchHit"]] = Keys(
        "id",
        "name",
        "company",
        "grade",
        "archived",
        ("score", lambda v: round(v.score, 2)),
        ("where", lambda v: v.best.where),
        ("snippet", lambda v: v.best.snippet),
        ("matches", lambda v: len(v.matches)),
    )
