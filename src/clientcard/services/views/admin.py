"""The view of `db status`: one fact about the book."""

from dataclasses import dataclass
from typing import Any, ClassVar

from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class StatusView(Keyed):
    section: str  # "book", "table" or "owner"
    name: str | None  # what the fact is about; an owner's name, null for cards without one
    value: Any  # text, or a count (integer)
    note: str | None = None  # what it means, or what to do about it
    # The note in the interface's language, for people (`shown_row()`); `note` stays English.
    note_shown: str | None = None

    SHOWN: ClassVar[dict[str, str]] = {"note": "note_shown"}

    # `db status` (docs/team.md#db-status).
    KEYS: ClassVar[Keys["StatusView"]] = Keys("section", "name", "value", "note")
