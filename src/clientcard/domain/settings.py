"""The user's settings: keys, defaults, and how a typed value is checked.

Pure: reading and writing the TOML file is the store's job (store/config_file.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from clientcard.domain.dates import DateOrder
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import Grade

# Follow-up interval in days per grade. The closer to buying, the tighter the rhythm: an A is
# seen weekly; C and D wait for a condition (health, money) and are re-checked every few months;
# E needs education and visits every three weeks; F is researched slowly (twice a year).
DEFAULT_CADENCE: dict[Grade, int] = {
    Grade.A: 7,
    Grade.B: 14,
    Grade.C: 90,
    Grade.D: 60,
    Grade.E: 21,
    Grade.F: 180,
}
DEFAULT_NOTICE_HOURS = 24


@dataclass(frozen=True)
class Settings:
    date_order: DateOrder = DateOrder.YMD
    cadence: Mapping[Grade, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    notice_hours: int = DEFAULT_NOTICE_HOURS

    def cadence_days(self, grade: Grade) -> int:
        return self.cadence[grade]


def _positive_int(key: str, low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        text = str(value).strip().lower().removesuffix("d") if key.startswith("cadence") else value
        try:
            number = int(str(text).strip())
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise InvalidValue(f"{key} must be a whole number from {low} to {high}, not {value!r}")
        return number

    return check


def _date_order(value: Any) -> DateOrder:
    try:
        return DateOrder(str(value).strip().lower())
    except ValueError:
        raise InvalidValue(f"date_order must be ymd, dmy or mdy, not {value!r}") from None


CHECKS: dict[str, Callable[[Any], Any]] = {
    "date_order": _date_order,
    "notice_hours": _positive_int("notice_hours", 0, 24 * 30),
    **{f"cadence.{g.value}": _positive_int(f"cadence.{g.value}", 1, 3650) for g in Grade},
}
DESCRIPTIONS: dict[str, str] = {
    "date_order": "how numeric dates like 11/12/2026 are read: ymd, dmy or mdy",
    "notice_hours": "a promise moved with less notice than this counts against the keep-rate",
    **{f"cadence.{g.value}": f"days between follow-ups of a grade {g.value} card" for g in Grade},
}


def check(key: str, value: Any) -> Any:
    """The checked value of `key`, or InvalidValue naming the known keys."""
    if key not in CHECKS:
        raise InvalidValue(f"unknown setting {key!r}; known: {', '.join(CHECKS)}")
    return CHECKS[key](value)


def to_flat(settings: Settings) -> dict[str, Any]:
    """Settings as flat `key: value` pairs, in CHECKS order."""
    flat: dict[str, Any] = {"date_order": settings.date_order.value}
    flat["notice_hours"] = settings.notice_hours
    for grade in Grade:
        flat[f"cadence.{grade.value}"] = settings.cadence[grade]
    return {k: flat[k] for k in CHECKS}


def from_flat(flat: Mapping[str, Any]) -> Settings:
    """Settings from flat pairs (unknown keys refused, every value checked)."""
    values = {k: check(k, v) for k, v in flat.items()}
    cadence = dict(DEFAULT_CADENCE)
    for grade in Grade:
        cadence[grade] = values.get(f"cadence.{grade.value}", cadence[grade])
    return replace(
        Settings(),
        date_order=values.get("date_order", DateOrder.YMD),
        notice_hours=values.get("notice_hours", DEFAULT_NOTICE_HOURS),
        cadence=cadence,
    )
