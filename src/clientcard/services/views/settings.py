"""The view of `config show`: one setting."""

from dataclasses import dataclass
from typing import Any, ClassVar

from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class SettingView(Keyed):
    key: str
    value: Any
    default: Any
    meaning: str

    # `config show`.
    KEYS: ClassVar[Keys["SettingView"]] = Keys("key", "value", "default", "meaning")
