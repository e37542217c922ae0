"""The user's settings: every key once, with its default, its check and its meaning.

Pure: reading and writing the TOML file is the store's job (store/config_file.py). Adding a
setting means adding one `Key` to KEYS (and, if code reads it, a property on Settings).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from clientcard.domain.channels import Channel
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


def _whole(key: str, low: int, high: int, suffix: str = "") -> Callable[[Any], int]:
    def check(value: Any) -> int:
        text = str(value).strip().lower()
        if suffix:
            text = text.removesuffix(suffix)
        try:
            number = int(text)
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


def _currency(value: Any) -> str:
    text = str(value).strip().upper()
    if not (len(text) == 3 and text.isascii() and text.isalpha()):
        raise InvalidValue(f"currency must be a 3-letter code such as CNY, EUR, USD, not {value!r}")
    return text


def _via(value: Any) -> Channel:
    try:
        return Channel(str(value).strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise InvalidValue(f"log.via must be one of {known}, not {value!r}") from None


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    check: Callable[[Any], Any]
    meaning: str


KEYS: dict[str, Key] = {}


def _add(name: str, default: Any, checker: Callable[[Any], Any], meaning: str) -> None:
    KEYS[name] = Key(name, default, checker, meaning)


_add(
    "date_order",
    DateOrder.YMD,
    _date_order,
    "how numeric dates like 11/12/2026 are read: ymd, dmy or mdy",
)
_add(
    "notice_hours",
    DEFAULT_NOTICE_HOURS,
    _whole("notice_hours", 0, 24 * 30),
    "a promise moved with less notice than this counts against the keep-rate",
)
for _grade in Grade:
    _add(
        f"cadence.{_grade.value}",
        DEFAULT_CADENCE[_grade],
        _whole(f"cadence.{_grade.value}", 1, 3650, "d"),
        f"days between follow-ups of a grade {_grade.value} card",
    )

# Complaints (issue 4): how soon a complaint of each severity must get its first response, and
# be resolved. Resolution takes longer than an answer: a replacement must be found, a root cause
# fixed; the targets below give each severity a few answers' time.
DEFAULT_RESPONSE_HOURS = {"urgent": 4, "high": 24, "normal": 48, "low": 120}
DEFAULT_RESOLVE_HOURS = {"urgent": 24, "high": 72, "normal": 168, "low": 336}
for _severity, _hours in DEFAULT_RESPONSE_HOURS.items():
    _add(
        f"response.{_severity}",
        _hours,
        _whole(f"response.{_severity}", 1, 24 * 90, "h"),
        f"hours to the first response to a complaint of severity {_severity}",
    )
for _severity, _hours in DEFAULT_RESOLVE_HOURS.items():
    _add(
        f"resolve.{_severity}",
        _hours,
        _whole(f"resolve.{_severity}", 1, 24 * 365, "h"),
        f"hours to resolve a complaint of severity {_severity}",
    )
_add(
    "thanks_days",
    2,
    _whole("thanks_days", 0, 30, "d"),
    "days after a sale by which the client is thanked (a call or a card)",
)
_add(
    "value_multiplier",
    20,
    _whole("value_multiplier", 1, 1000),
    "lifetime value = this x the client's purchases in the last 12 months",
)
_add("currency", "CNY", _currency, "the currency of sale amounts (a 3-letter code)")
# Occasions: how many days ahead of a birthday or holiday each greeting is due.
for _channel, _days in {"card": 5, "call": 0}.items():
    _add(
        f"lead.{_channel}",
        _days,
        _whole(f"lead.{_channel}", 0, 60, "d"),
        f"days before an occasion that a greeting by {_channel} is due",
    )
_add(
    "log.via",
    Channel.call,
    _via,
    "the channel `log` records when --via is not given",
)


def check(key: str, value: Any) -> Any:
    """The checked value of `key`, or InvalidValue naming the known keys."""
    if key not in KEYS:
        raise InvalidValue(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    return KEYS[key].check(value)


@dataclass(frozen=True)
class Settings:
    """Checked values by key; defaults for every key not given."""

    values: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({k.name: k.default for k in KEYS.values()})
    )

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def with_value(self, key: str, value: Any) -> "Settings":
        return Settings(MappingProxyType({**self.values, key: check(key, value)}))

    @property
    def date_order(self) -> DateOrder:
        return DateOrder(self.values["date_order"])

    @property
    def notice_hours(self) -> int:
        return int(self.values["notice_hours"])

    def cadence_days(self, grade: Grade) -> int:
        return int(self.values[f"cadence.{grade.value}"])

    def response_hours(self, severity: str) -> int:
        return int(self.values[f"response.{severity}"])

    def resolve_hours(self, severity: str) -> int:
        return int(self.values[f"resolve.{severity}"])

    @property
    def thanks_days(self) -> int:
        return int(self.values["thanks_days"])

    @property
    def value_multiplier(self) -> int:
        return int(self.values["value_multiplier"])

    @property
    def currency(self) -> str:
        return str(self.values["currency"])

    def lead_days(self, channel: str) -> int:
        return int(self.values[f"lead.{channel}"])

    @property
    def log_via(self) -> Channel:
        return Channel(self.values["log.via"])


def to_flat(settings: Settings) -> dict[str, Any]:
    """Settings as flat `key: value` pairs in KEYS order, as the file and `config show` hold
    them (enums as their text)."""
    return {k: getattr(settings[k], "value", settings[k]) for k in KEYS}


def from_flat(flat: Mapping[str, Any]) -> Settings:
    """Settings from flat pairs (unknown keys refused, every value checked)."""
    settings = Settings()
    for key, value in flat.items():
        settings = settings.with_value(key, value)
    return settings


DESCRIPTIONS = {k.name: k.meaning for k in KEYS.values()}
