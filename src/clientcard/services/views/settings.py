"""The view of `config show`: one setting."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class SettingView(Keyed):
    key: str
    value: Any
    default: Any
    meaning: str
    scope: str = "book"  # book: the same for everyone who shares it; personal: the user's file
    source: str = "default"  # where the value comes from: default, file or book
    changed_by: str | None = None  # book: who set it (None: unknown, or not from the book)
    changed_at: datetime | None = None  # book: when
    file_ignored: bool = False  # the user's file has a value of this book key, ignored (a team)

    # `config show`.
    KEYS: ClassVar[Keys["SettingView"]] = Keys(
        "key",
        "value",
        "default",
        "meaning",
        "scope",
        "source",
        "changed_by",
        "changed_at",
        "file_ignored",
    )
