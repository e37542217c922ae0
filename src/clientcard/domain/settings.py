"""The settings: every key once, with its default, its check, its meaning and its scope.

A setting is of the book (BOOK) when it changes what the book means for everyone who shares
it: when a card is due (cadences), what a sale's amount is in (currency), when a promise moved
at short notice, when a thank-you or a greeting is due, how a complaint's targets count, how a
phone number is keyed, when a customer is lost, the pool's rules. Those live in the book's
`book_setting` table, changed with `config set --book` and recorded with who changed them
(issue 17). A setting is personal (PERSONAL) when it only changes how one user types or reads:
the date order of numeric dates, the channel `log` assumes. Personal settings live in the
user's file. Effective settings: the defaults, then the user's file, then the book's table
(services/settings.py `effective`).

Pure: reading and writing the TOML file is the store's job (store/config_file.py). Adding a
setting means adding one `Key` to KEYS (and, if code reads it, a property on Settings); a key is
of the book unless `_add` is told `scope=PERSONAL`.
"""

from collections.abc import Callable, Mapping
from datetime import time
from types import MappingProxyType
from typing import Any

from clientcard.domain.channels import Channel
from clientcard.domain.dates import DateOrder
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import FKind, Grade
from clientcard.domain.message import Message
from clientcard.domain.phone_keys import DEFAULT_REGION, known_region
from clientcard.i18n import N_, _

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
# A never-visited F card (only researched) is due for its first visit on its own, shorter
# rhythm: it may be rich and healthy and jump to A after one meeting (issue 11).
DEFAULT_F_NEW_CADENCE = 30
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
            raise InvalidValue(
                _("{key} must be a whole number from {low} to {high}, not {value}").format(
                    key=key, low=low, high=high, value=repr(value)
                )
            )
        return number

    return check


def _date_order(value: Any) -> DateOrder:
    try:
        return DateOrder(str(value).strip().lower())
    except ValueError:
        raise InvalidValue(
            _("date_order must be ymd, dmy or mdy, not {value}").format(value=repr(value))
        ) from None


def _currency(value: Any) -> str:
    text = str(value).strip().upper()
    if not (len(text) == 3 and text.isascii() and text.isalpha()):
        raise InvalidValue(
            _("currency must be a 3-letter code such as CNY, EUR, USD, not {value}").format(
                value=repr(value)
            )
        )
    return text


def _via(value: Any) -> Channel:
    try:
        return Channel(str(value).strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise InvalidValue(
            _("log.via must be one of {known}, not {value}").format(known=known, value=repr(value))
        ) from None


def _region(value: Any) -> str:
    text = str(value).strip().upper()
    if not known_region(text):
        raise InvalidValue(
            _(
                "phone.region must be a region code such as CN, HK, TW, SG, US or GB "
                "(ISO 3166), not {value}"
            ).format(value=repr(value))
        )
    return text


BOOK = "book"  # the same for everyone who shares the book: its `book_setting` table
PERSONAL = "personal"  # each user's own: the settings file


class Key:
    """A setting: its name, default, checker, meaning and scope (BOOK or PERSONAL). (Plain
    classes here, not dataclasses: every command loads the settings, and a dataclass is
    compiled at every start.)"""

    __slots__ = ("check", "default", "meaning", "name", "scope")

    def __init__(
        self,
        name: str,
        default: Any,
        check: Callable[[Any], Any],
        meaning: Message,
        scope: str = BOOK,
    ) -> None:
        self.name = name
        self.default = default
        self.check = check
        self.meaning = meaning
        self.scope = scope


KEYS: dict[str, Key] = {}


def _add(
    name: str,
    default: Any,
    checker: Callable[[Any], Any],
    meaning: str | Message,
    scope: str = BOOK,
) -> None:
    """A new key; of the book unless `scope=PERSONAL` (the module's doc says which is which).
    Its meaning is English in JSON, translated for people (a Message, domain/message.py)."""
    shown = meaning if isinstance(meaning, Message) else Message(meaning)
    KEYS[name] = Key(name, default, checker, shown, scope)


_add(
    "date_order",
    DateOrder.YMD,
    _date_order,
    N_("how numeric dates like 11/12/2026 are read: ymd, dmy or mdy"),
    PERSONAL,
)
_add(
    "notice_hours",
    DEFAULT_NOTICE_HOURS,
    _whole("notice_hours", 0, 24 * 30),
    N_("a promise moved with less notice than this counts against the keep-rate"),
)
for _grade in Grade:
    _add(
        f"cadence.{_grade.value}",
        DEFAULT_CADENCE[_grade],
        _whole(f"cadence.{_grade.value}", 1, 3650, "d"),
        Message(N_("days between follow-ups of a grade {grade} card"), grade=_grade.value),
    )
_add(
    "cadence.F-new",
    DEFAULT_F_NEW_CADENCE,
    _whole("cadence.F-new", 1, 3650, "d"),
    N_(
        "days after it was added (or last contacted) that a never-visited F card is due for its "
        "first visit"
    ),
)

# Complaints (issue 4): how soon a complaint of each severity must get its first response, and
# be resolved. Resolution takes longer than an answer: a replacement must be found, a root cause
# fixed; the targets below give each severity a few answers' time. Since issue 11 they count
# working hours (work.days, work.hours) except for the round-the-clock severities, which count
# clock hours: an urgent complaint cannot wait for Monday. The defaults are in working days of
# 9 hours: high one day to answer and three to resolve, normal two and five (a working week),
# low five and ten; urgent 4 and 24 clock hours.
DEFAULT_RESPONSE_HOURS = {"urgent": 4, "high": 9, "normal": 18, "low": 45}
DEFAULT_RESOLVE_HOURS = {"urgent": 24, "high": 27, "normal": 45, "low": 90}
SEVERITY_NAMES = ("low", "normal", "high", "urgent")  # domain/complaints.Severity, in order
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day(text: str, key: str, value: Any) -> int:
    name = text.strip().lower()
    for index, short in enumerate(DAY_NAMES):
        if name in (short, FULL_DAY_NAMES[index]):
            return index
    raise InvalidValue(
        _(
            "{key} takes days such as mon-fri or mon,wed,fri (mon tue wed thu fri sat sun), "
            "not {value}"
        ).format(key=key, value=repr(value))
    )


def _days_text(days: set[int]) -> str:
    """Week days as runs, Monday first unless a run goes over Sunday: `mon-fri`,
    `mon-wed,fri`, `sat`, `sun-thu`."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
        runs = [runs[-1] + runs[0], *runs[1:-1]]  # a week that runs over Sunday: sun-thu
    return ",".join(
        DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}" for r in runs
    )


def _work_days(value: Any) -> str:
    """`work.days`: days and ranges of days, `mon-fri`, `mon,tue,thu`, `sun-thu`; at least one.
    Stored as runs, Monday first."""
    days: set[int] = set()
    for part in str(value).split(","):
        if not part.strip():
            continue
        ends = part.split("-")
        if len(ends) == 1:
            days.add(_day(ends[0], "work.days", value))
        elif len(ends) == 2:
            first, last = (_day(end, "work.days", value) for end in ends)
            span = (last - first) % 7
            days.update((first + i) % 7 for i in range(span + 1))
        else:
            _day("?", "work.days", value)
    if not days:
        raise InvalidValue(
            _("work.days needs at least one day, such as mon-fri, not {value}").format(
                value=repr(value)
            )
        )
    return _days_text(days)


def _clock(text: str, value: Any) -> time:
    parts = text.strip().split(":")
    ok = len(parts) in (1, 2) and all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts)
    hour, minute = (int(parts[0]), int(parts[1]) if len(parts) == 2 else 0) if ok else (99, 0)
    if not (0 <= hour <= 24 and 0 <= minute < 60) or (hour == 24 and minute):
        raise InvalidValue(
            _("work.hours must be two times of day such as 09:00-18:00, not {value}").format(
                value=repr(value)
            )
        )
    return time(0) if hour == 24 else time(hour, minute)


def _work_hours(value: Any) -> str:
    """`work.hours`: `09:00-18:00` (a day's opening and closing, 24:00 for midnight), the
    closing after the opening: a working day does not run past midnight."""
    ends = str(value).split("-")
    if len(ends) != 2:
        _clock("?", value)
    start, end = (_clock(e, value) for e in ends)
    closes_at_midnight = end == time(0) and ends[1].strip().startswith("24")
    if not closes_at_midnight and end <= start:
        raise InvalidValue(
            _(
                "work.hours must close after it opens, on the same day (e.g. 09:00-18:00), "
                "not {value}"
            ).format(value=repr(value))
        )
    return f"{start:%H:%M}-{'24:00' if closes_at_midnight else format(end, '%H:%M')}"


def _severities(value: Any) -> str:
    """`complaint.round_the_clock`: severities, comma-separated (`urgent`, `urgent,high`), or
    `none`; stored in the order low, normal, high, urgent."""
    text = str(value).strip().lower()
    if text in ("", "none"):
        return "none"
    chosen = set()
    for part in text.split(","):
        name = part.strip()
        if name not in SEVERITY_NAMES:
            raise InvalidValue(
                _(
                    "complaint.round_the_clock takes severities (low, normal, high, urgent) "
                    "separated by commas, or none; not {value}"
                ).format(value=repr(value))
            )
        chosen.add(name)
    return ",".join(s for s in SEVERITY_NAMES if s in chosen)


# Why complaints happen (issue 16): the causes `complaint add --cause` takes, and `report
# complaints` counts. A short list a manager can read at a glance; words of the user's own go
# in the cause note. Changing the list changes no recorded complaint.
DEFAULT_CAUSES = "product, delivery, service, price, billing, communication, other"
CAUSE_MAX = 40  # the complaint.cause column's length


def _causes(value: Any) -> str:
    """`complaint.causes`: names separated by commas, at least one; lower case, each made of
    letters, digits, `-` and `_` (a word people type after --cause), no repeats. Stored
    separated by `, ` (so that `config show` can wrap the list)."""
    names: list[str] = []
    for part in str(value).split(","):
        name = part.strip().lower()
        if not name:
            continue
        plain = all(ch.isalnum() or ch in "-_" for ch in name)  # complaints.is_cause_name
        if not plain or len(name) > CAUSE_MAX:
            raise InvalidValue(
                _(
                    "complaint.causes takes names of letters, digits, - and _ (at most "
                    "{most} characters) separated by commas, e.g. product,delivery,service; "
                    "not {value}"
                ).format(most=CAUSE_MAX, value=repr(value))
            )
        if name not in names:
            names.append(name)
    if not names:
        raise InvalidValue(
            _("complaint.causes needs at least one cause, such as product; not {value}").format(
                value=repr(value)
            )
        )
    return ", ".join(names)


_add(
    "work.days",
    "mon-fri",
    _work_days,
    N_("the days complaint targets count working hours on, e.g. mon-fri, sun-thu, mon,wed,fri"),
)
_add(
    "work.hours",
    "09:00-18:00",
    _work_hours,
    N_("the working hours of a working day, in your time zone, e.g. 09:00-18:00"),
)
_add(
    "complaint.round_the_clock",
    "urgent",
    _severities,
    N_("severities whose targets count clock hours, nights and weekends too (or none)"),
)
_add(
    "complaint.causes",
    DEFAULT_CAUSES,
    _causes,
    N_("the causes a complaint is put down to (complaint add --cause), separated by commas"),
)
for _severity, _hours in DEFAULT_RESPONSE_HOURS.items():
    _add(
        f"response.{_severity}",
        _hours,
        _whole(f"response.{_severity}", 1, 24 * 90, "h"),
        Message(
            N_("hours to the first response to a complaint of severity {severity}"),
            severity=_severity,
        ),
    )
for _severity, _hours in DEFAULT_RESOLVE_HOURS.items():
    _add(
        f"resolve.{_severity}",
        _hours,
        _whole(f"resolve.{_severity}", 1, 24 * 365, "h"),
        Message(N_("hours to resolve a complaint of severity {severity}"), severity=_severity),
    )
_add(
    "thanks_days",
    2,
    _whole("thanks_days", 0, 30, "d"),
    N_("days after a sale by which the client is thanked (a call or a card)"),
)
_add(
    "value_multiplier",
    20,
    _whole("value_multiplier", 1, 1000),
    N_("lifetime value = this x the client's purchases in the last 12 months"),
)
# `report customers` (issue 16): a customer whose last sale and last contact are both older
# than this many days is lost (the leaky funnel). A year: the card method's span.
_add(
    "lost_after",
    365,
    _whole("lost_after", 1, 3650, "d"),
    N_("days without a sale or a contact after which a customer counts as lost (report customers)"),
)
_add("currency", "CNY", _currency, N_("the currency of sale amounts (a 3-letter code)"))
# Occasions: how many days ahead of a birthday or holiday each greeting is due.
for _channel, _days in {"card": 5, "call": 0}.items():
    _add(
        f"lead.{_channel}",
        _days,
        _whole(f"lead.{_channel}", 0, 60, "d"),
        Message(
            N_("days before an occasion that a greeting by {channel} is due"), channel=_channel
        ),
    )


def _language(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in ("auto", "zh", "en"):
        raise InvalidValue(
            _("language must be zh, en or auto, not {value}").format(value=repr(value))
        )
    return text


_add(
    "language",
    "auto",
    _language,
    N_(
        "the interface's language: zh (Simplified Chinese), en, or auto (LC_ALL, LC_MESSAGES, LANG)"
    ),
    PERSONAL,
)
_add(
    "log.via",
    Channel.call,
    _via,
    N_("the channel `log` records when --via is not given"),
    PERSONAL,
)
_add(
    "phone.region",
    DEFAULT_REGION,
    _region,
    N_(
        "where a phone number typed without + or 00 is from (a region code: CN, HK, US...); "
        "numbers are compared with its country code"
    ),
)

# The pool (公海, issue 17): a card whose owner has not contacted it for this many days goes
# back to the team's pool of unowned cards (`pool sweep`), per grade; 0 = never (the default).
# Book settings: they change what the book means for everyone (docs/team.md).
for _grade in Grade:
    _add(
        f"pool.return_after.{_grade.value}",
        0,
        _whole(f"pool.return_after.{_grade.value}", 0, 3650, "d"),
        Message(
            N_(
                "days without a contact after which an owned grade {grade} card returns to the "
                "pool (0: never)"
            ),
            grade=_grade.value,
        ),
    )
_add(
    "pool.warn_days",
    7,
    _whole("pool.warn_days", 0, 365, "d"),
    N_("days ahead that `due` warns an owner of a card about to return to the pool"),
)


def is_book_key(key: str) -> bool:
    """Whether `key` is a setting of the book (an unknown key is not)."""
    return key in KEYS and KEYS[key].scope == BOOK


def check(key: str, value: Any) -> Any:
    """The checked value of `key`, or InvalidValue naming the known keys."""
    if key not in KEYS:
        raise InvalidValue(
            _("unknown setting {key}; known: {known}").format(key=repr(key), known=", ".join(KEYS))
        )
    return KEYS[key].check(value)


class Settings:
    """Checked values by key; defaults for every key not given. Read-only: `with_value` makes
    a new one. Two settings are equal when their values are."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self.values: Mapping[str, Any] = (
            values
            if values is not None
            else MappingProxyType({k.name: k.default for k in KEYS.values()})
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and dict(self.values) == dict(other.values)

    def __repr__(self) -> str:
        return f"Settings({dict(self.values)!r})"

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

    def cadence_days(self, grade: Grade, kind: FKind | None = None) -> int:
        """The grade's rhythm; a never-visited F card's (kind `new`) is `cadence.F-new`."""
        if kind is FKind.new:
            return int(self.values["cadence.F-new"])
        return int(self.values[f"cadence.{grade.value}"])

    @property
    def work_days(self) -> frozenset[int]:
        """The working days, as `date.weekday()` numbers (Monday 0)."""
        days: set[int] = set()
        for run in str(self.values["work.days"]).split(","):
            first, _, last = run.partition("-")
            start = DAY_NAMES.index(first)
            end = DAY_NAMES.index(last) if last else start
            days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
        return frozenset(days)

    @property
    def work_hours(self) -> tuple[time, time | None]:
        """A working day's opening and closing; None for a day that closes at midnight."""
        start, end = str(self.values["work.hours"]).split("-")
        return time.fromisoformat(start), None if end == "24:00" else time.fromisoformat(end)

    def round_the_clock(self, severity: str) -> bool:
        """Whether a complaint of this severity counts clock hours, not working hours."""
        return severity in str(self.values["complaint.round_the_clock"]).split(",")

    @property
    def complaint_causes(self) -> tuple[str, ...]:
        """The configured causes, in the order given."""
        return tuple(name.strip() for name in str(self.values["complaint.causes"]).split(","))

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
    def lost_after(self) -> int:
        return int(self.values["lost_after"])

    @property
    def currency(self) -> str:
        return str(self.values["currency"])

    def lead_days(self, channel: str) -> int:
        return int(self.values[f"lead.{channel}"])

    @property
    def log_via(self) -> Channel:
        return Channel(self.values["log.via"])

    @property
    def phone_region(self) -> str:
        return str(self.values["phone.region"])

    def pool_return_after(self, grade: Grade) -> int:
        """Days without a contact after which an owned card of this grade returns to the pool;
        0: never."""
        return int(self.values[f"pool.return_after.{grade.value}"])

    @property
    def pool_warn_days(self) -> int:
        return int(self.values["pool.warn_days"])


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
