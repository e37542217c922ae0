"""The agenda as iCalendar (RFC 5545), for any calendar: `due --format ics` and `export --format
ics` (docs/calendar.md says the rules to users).

Written through the `icalendar` library, imported inside `write_calendar` only: it costs some
0.1 s to import, which no other command pays. It folds the lines at 75 octets and escapes the
text (`,` `;` `\\` and line breaks); user text first goes through `safe.for_people`, so no
control character, bidi override or lone surrogate reaches a calendar (a line break stays one).

- An appointment at a time is a timed VEVENT: DTSTART and DTEND (APPOINTMENT_MINUTES later) in
  UTC (`...Z`), the one form every calendar reads alike; each shows it in its own zone. LOCATION
  is the place.
- Everything else (a deliverable promise, a follow-up, a first visit, a re-check, a complaint,
  a thank-you, a greeting) is an all-day VEVENT on its due day in the user's zone
  (DTSTART;VALUE=DATE and DTEND the day after, TRANSP:TRANSPARENT: it does not make the day
  busy), or with `todo` a VTODO: DUE on that day (VALUE=DATE), or at its moment in UTC when it
  is due at a time (a promise due by 17:00, a complaint's response target), STATUS:NEEDS-ACTION.
- UID: `<ident>.<book>@clientcard`, `ident` the record (`promise-3`, `followup-12`...) and
  `book` eight hex digits of the SHA-256 of the calendar's name (X-WR-CALNAME), so two books
  written under different names never share a UID.
- DTSTAMP: when the record or its card last changed (without METHOD, RFC 5545 makes it the
  LAST-MODIFIED, which is left out); SEQUENCE: that moment in whole seconds since 2000-01-01
  UTC, so it grows with every change and never goes down.
"""

import hashlib
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import IO, Any

from clientcard.domain.refs import record_ref
from clientcard.output import terminal
from clientcard.output.safe import for_people

PRODID = "-//clientcard//clientcard agenda//EN"
DEFAULT_NAME = "clientcard"
# Promises have a start and no end: a calendar shows an appointment as an hour.
APPOINTMENT_MINUTES = 60
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# How often a subscribed calendar should fetch the file again (REFRESH-INTERVAL, RFC 7986, and
# X-PUBLISHED-TTL, which Outlook and older Apple calendars read).
REFRESH = timedelta(hours=1)
_NOUN = {"promise": "promise", "appointment": "promise", "complaint": "complaint"}


def book_tag(name: str) -> str:
    """The UID's book part: eight hex digits of the SHA-256 of the calendar's name."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def uid(ident: str, name: str) -> str:
    """An item's UID: stable while its record lives, whatever its date (module docstring)."""
    return f"{ident}.{book_tag(name)}@clientcard"


def sequence(changed_at: datetime) -> int:
    """SEQUENCE: the change time in whole seconds since 2000 (below 2**31 until 2068)."""
    return max(int((changed_at - SEQUENCE_EPOCH).total_seconds()), 0)


def _text(value: Any) -> str:
    return for_people(str(value), lines=True)


def summary(row: Mapping[str, Any]) -> str:
    """`张伟 (A): send the brochure`: who first, as a calendar's narrow cell shows the start."""
    return f"{_text(row['client'])} ({row['grade']}): {_text(row['what'])}"


def description(row: Mapping[str, Any], zone: tzinfo, timed: bool) -> str:
    """What to do and why (the agenda's reason), the card with its grade and company, the
    phone to call, and the time of an item due at a time that is shown on its day."""
    what = f"{_text(row['what'])}: {_text(row['reason'])}"
    noun = _NOUN.get(str(row["kind"]))
    if noun and row.get("record_id") is not None:
        what += f" ({noun} {record_ref(noun, row['record_id'])})"
    card = f"#{row['client_id']} {_text(row['client'])} · grade {row['grade']}"
    if row.get("company"):
        card += f" · {_text(row['company'])}"
    lines = [what, card]
    if row.get("phone"):
        lines.append(f"Phone: {_text(row['phone'])}")
    due = row["due"]
    if isinstance(due, datetime) and not timed:
        lines.append(f"Due: {due.astimezone(zone):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def write_calendar(
    rows: Iterable[Mapping[str, Any]],
    *,
    zone: tzinfo,
    name: str = DEFAULT_NAME,
    todo: bool = False,
    stream: IO[str] | None = None,
) -> int:
    """Write the rows of `due` (with `place`, `ident` and `changed_at`) as one VCALENDAR, in
    the order given; returns how many items. Lines end in CRLF, as RFC 5545 says."""
    from icalendar import Calendar, Event, Todo

    out = stream or sys.stdout
    terminal.machine()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _text(name))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # a duration Outlook reads; icalendar writes X- as text
    count = 0
    for row in rows:
        due = row["due"]
        timed = row["kind"] == "appointment" and isinstance(due, datetime)
        changed = row.get("changed_at") or SEQUENCE_EPOCH
        part = Todo() if todo and not timed else Event()
        part.add("uid", uid(str(row["ident"]), name))
        part.add("dtstamp", changed.astimezone(UTC))
        part.add("sequence", sequence(changed))
        part.add("summary", summary(row))
        part.add("description", description(row, zone, timed))
        if row.get("place"):
            part.add("location", _text(row["place"]))
        day = due.astimezone(zone).date() if isinstance(due, datetime) else due
        if timed:
            start = due.astimezone(UTC)
            part.add("dtstart", start)
            part.add("dtend", start + timedelta(minutes=APPOINTMENT_MINUTES))
        elif isinstance(part, Todo):
            part.add("due", due.astimezone(UTC) if isinstance(due, datetime) else day)
            part.add("status", "NEEDS-ACTION")
        else:
            assert isinstance(day, date)
            part.add("dtstart", day)
            part.add("dtend", day + timedelta(days=1))
            part.add("transp", "TRANSPARENT")
        cal.add_component(part)
        count += 1
    # In the order written (the library sorts the properties by default: time, not meaning).
    out.write(cal.to_ical(sorted=False).decode("utf-8"))
    return count
