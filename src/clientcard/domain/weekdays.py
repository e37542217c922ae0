"""The days of the week as people read them: `Wed`, 周三 (one table for every command).

A day is written `Wed 2027-09-15` in English; in Chinese `周三 2027-09-15`. Pure: the names are
marked for the catalog and looked up when shown (clientcard.i18n)."""

from datetime import date

from clientcard.i18n import N_, _

# Short weekday names, Monday first (date.weekday()'s order).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday_english(day: date) -> str:
    """`Wed`: the day's short name in English, for machine text."""
    return WEEKDAYS[day.weekday()]


def weekday_name(day: date) -> str:
    """`Wed` / `周三`: the day's short name in the interface's language."""
    return _(WEEKDAYS[day.weekday()])


def day_name(day: date) -> str:
    """`Wed 2027-09-15` / `周三 2027-09-15`: the day with its weekday, in the interface's
    language."""
    return f"{weekday_name(day)} {day.isoformat()}"
