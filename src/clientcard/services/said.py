"""Text that is both machine output and read by people: said twice.

An agenda's reason, a follow-up's `what`: their JSON/CSV value is English and never changes with
the language (docs/formats.md), and a person reads them in the interface's language. A service
builds both at once: `said(N_("grade {grade} cadence {days} d"), grade="A", days=7)` is the pair
(English, shown). A view keeps the English in its machine key and the shown text in an attribute
its `SHOWN` names (views/keys.py), which `shown_row()` puts in the key's place for people.
"""

from datetime import date, timedelta
from typing import Any

from clientcard.domain.complaints import span_message
from clientcard.domain.weekdays import day_name, weekday_english
from clientcard.i18n import _


class Said(tuple[str, str]):
    """(English for machines, the same in the interface's language for people)."""

    __slots__ = ()

    def __new__(cls, english: str, shown: str | None = None) -> "Said":
        return super().__new__(cls, (english, english if shown is None else shown))

    @property
    def english(self) -> str:
        return self[0]

    @property
    def shown(self) -> str:
        return self[1]

    def __add__(self, other: object) -> "Said":
        if isinstance(other, Said):
            return Said(self[0] + other[0], self[1] + other[1])
        if isinstance(other, str):
            return Said(self[0] + other, self[1] + other)
        return NotImplemented

    def __radd__(self, other: object) -> "Said":
        if isinstance(other, str):
            return Said(other + self[0], other + self[1])
        return NotImplemented


def said(message: str, **values: Any) -> Said:
    """`message` (marked with `N_()` where it is written) with its named `values`, in English and
    in the interface's language. A value that is itself `Said` goes in as English into the
    English and as shown into the shown text."""
    english = {k: v.english if isinstance(v, Said) else v for k, v in values.items()}
    shown = {k: v.shown if isinstance(v, Said) else v for k, v in values.items()}
    return Said(message.format(**english), _(message).format(**shown))


def day_said(day: date) -> Said:
    """`Sun 2026-11-29` (as domain.occasions.day_text writes it), the weekday translated."""
    return Said(f"{weekday_english(day)} {day.isoformat()}", day_name(day))


def span_said(delta: timedelta) -> Said:
    """A duration as domain.complaints.span says it (`25 min`, `3 h`, `1 d 6 h`, `2 d`)."""
    message, values = span_message(delta)
    return said(message, **values)
