"""The agenda as a page for people (`clientcard due`), laid out at a given width.

The items come grouped (complaints, promises and appointments, thank-yous, follow-ups and
re-checks, greetings), each group under a header with its count, each group's items in the order
given (most urgent first). An item takes two lines:

      1 d late  #26314 Daniel Smith · F · Wayne Energy     +49 30 2694298
                理赔太慢 — high, past the resolution target by 23 h (complaint 424)

the first says when, who (the card's id, name, grade and company) and the phone to call; the
second what and why. Text that does not fit wraps inside its own column, at a space or between
two CJK characters, never in the middle of a word; the card's id, name and grade, the time and
the phone are never broken. Nothing here imports Rich: the page is plain text, measured in
terminal cells (a CJK character takes two), so drawing it costs nothing next to the query.
docs/agenda.md shows the page at 60, 80 and 120 columns.
"""

import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, tzinfo
from functools import cache
from typing import IO, Any

from clientcard.domain.message import shown
from clientcard.domain.refs import WORDS, record_ref
from clientcard.domain.weekdays import weekday_name
from clientcard.i18n import N_, _, language
from clientcard.output.safe import for_people

# Group title and the kinds it holds, in the order of the page (titles translated when shown).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Complaints"), ("complaint",)),
    (N_("Promises and appointments"), ("promise", "appointment")),
    (N_("Thank-yous"), ("thanks",)),
    (N_("Follow-ups and re-checks"), ("followup", "first_visit", "recheck")),
    (N_("Greetings"), ("occasion",)),
    (N_("Cards about to return to the pool"), ("pool_return",)),
)
OTHER = N_("Other")
# The week's days as Chinese reads them (Monday first, as date.weekday() counts).
# The records a command takes by id: `promise done 12`, `complaint step 4`.
RECORD_NOUN = {"promise": "promise", "appointment": "promise", "complaint": "complaint"}
INDENT = 2
GAP = 2
NARROWEST = 20  # a column never gets fewer cells than this, whatever the width

NBSP = "\u00a0"  # joins words into one unit; printed as a space
BREAK_AFTER = "-./_@"  # where a word too long for its column is cut, when it can be
# Marks a line may not begin with (Chinese and Japanese line breaking): closing punctuation.
# (the full-width comma, full stop, brackets and quotes, and their ASCII kin)
# (the full-width opening bracket and quotes, and their ASCII kin)
OPENING = frozenset("\uff08\u300a\u300c\u300e\u3010\u3014\u3008\u201c\u2018([{")
CLOSING = frozenset(
    "\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f\uff09\u300b\u300d\u300f\u3011\u3015\u3009\u201d\u2019\u2026\u00b7,.;:!?)]}"
)


@cache
def _words() -> re.Pattern[str]:
    """A word (no blank but NBSP inside) and the blanks before it; compiled on first use."""
    return re.compile(rf"([^\S{NBSP}]*)((?:\S|{NBSP})+)")


@cache
def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@cache
def _cells_of(ch: str) -> int:
    return 0 if unicodedata.combining(ch) else 2 if _wide(ch) else 1


def _units(text: str) -> Iterator[tuple[str, str]]:
    """The units a line may break between, each with the blanks before it: words, and each
    wide (CJK) character on its own, since a line may break between two of them."""
    for match in _words().finditer(text):
        space, word = match.groups()
        if word.isascii() or not any(_wide(ch) for ch in word):
            yield space, word
            continue
        # Each wide character is a unit of its own, except that a closing mark (CLOSING) stays
        # with the character before it: a line never begins with one.
        pieces: list[tuple[str, str]] = []
        piece = ""
        for ch in word:
            if ch in CLOSING and (piece or pieces):
                if piece:
                    piece += ch
                else:
                    before, last = pieces[-1]
                    pieces[-1] = (before, last + ch)
            elif _wide(ch):
                if piece:
                    pieces.append((space, piece))
                    space, piece = "", ""
                pieces.append((space, ch))
                space = ""
            else:
                piece += ch
        if piece:
            pieces.append((space, piece))
        # An opening mark (OPENING) goes with the character after it: no line ends with one.
        carry: tuple[str, str] | None = None
        for before, unit in pieces:
            if carry is not None:
                before, unit = carry[0], carry[1] + unit
                carry = None
            if unit[-1] in OPENING:
                carry = (before, unit)
                continue
            yield before, unit
        if carry is not None:
            yield carry


def cells(text: str) -> int:
    """How many terminal cells a text takes: two for a wide (CJK) character, none for a
    combining mark, one for anything else."""
    if text.isascii():
        return len(text)
    return sum(map(_cells_of, text))


def _split(word: str, width: int) -> Iterator[str]:
    """A word wider than the column, cut into pieces that fit (the only place text is cut):
    after its last hyphen, dot, slash, underscore or @ that fits, else where the line ends."""
    piece, used = "", 0
    for ch in word:
        w = cells(ch)
        if piece and used + w > width:
            cut = max(map(piece.rfind, BREAK_AFTER))
            if 0 < cut < len(piece) - 1:
                yield piece[: cut + 1]
                piece = piece[cut + 1 :]
                used = cells(piece)
            else:
                yield piece
                piece, used = "", 0
        piece += ch
        used += w
    if piece:
        yield piece


def wrap(text: str, width: int, keep: str = "") -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces and between CJK characters.
    `keep`, a prefix of the text, is one unit: it is never broken unless it alone is too wide."""
    width = max(width, 1)
    units: list[tuple[str, str]] = [("", keep)] if keep else []
    units += _units(text[len(keep) :])
    lines: list[str] = []
    line, used = "", 0
    for space, word in units:
        w = cells(word)
        if line and used + len(space) + w <= width:
            line += space + word
            used += len(space) + w
            continue
        if line:
            lines.append(line)
        if w > width:
            *full, word = _split(word, width)
            lines += full
            w = cells(word)
        line, used = word, w
    if line or not lines:
        lines.append(line)
    return lines


def _time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def when_text(due: date | datetime, overdue: bool, overdue_days: int, today: date) -> str:
    """When, as a person reads it: "3 d late", "08:00 late", "today", "15:00", "Sat" and
    "Sat 10:00" (within six days), "11-28 13:06", "2026-12-24". `due` is a day, or a moment
    in the local zone. In Chinese (`when_text_zh`): 逾期3天, 今天, 周六 10:00, 11月28日 13:06."""
    if language() == "zh":
        return when_text_zh(due, overdue, overdue_days, today)
    if overdue and overdue_days > 0:
        return f"{overdue_days} d late"
    timed = isinstance(due, datetime)
    day = due.date() if isinstance(due, datetime) else due
    if overdue:
        return f"{_time(due)} late" if isinstance(due, datetime) else "late"
    ahead = (day - today).days
    if ahead == 0:
        return _time(due) if isinstance(due, datetime) else "today"
    if 0 < ahead < 7:
        weekday = weekday_name(day)
        return f"{weekday} {_time(due)}" if isinstance(due, datetime) else weekday
    if timed and isinstance(due, datetime):
        return f"{day:%m-%d} {_time(due)}"
    return day.isoformat()


def when_text_zh(due: date | datetime, overdue: bool, overdue_days: int, today: date) -> str:
    """`when_text` as Chinese reads it: "逾期3天", "08:00 逾期", "逾期", "今天", "15:00", "周六"
    and "周六 10:00" (within six days), "11月28日 13:06", "12月24日" (this year), "2027年1月5日"."""
    if overdue and overdue_days > 0:
        return f"逾期{overdue_days}天"
    day = due.date() if isinstance(due, datetime) else due
    clock = f" {_time(due)}" if isinstance(due, datetime) else ""
    if overdue:
        return f"{_time(due)} 逾期" if isinstance(due, datetime) else "逾期"
    ahead = (day - today).days
    if ahead == 0:
        return _time(due) if isinstance(due, datetime) else "今天"
    if 0 < ahead < 7:
        return weekday_name(day) + clock
    if day.year == today.year or clock:
        return f"{day.month}月{day.day}日{clock}"
    return f"{day.year}年{day.month}月{day.day}日"


def _who(row: Mapping[str, Any]) -> tuple[str, str]:
    """The card as the page names it: its head (id, name, grade) and its company."""
    head = f"#{row['client_id']} {for_people(str(row['client']))} · {row['grade']}"
    return head, for_people(str(row["company"])) if row.get("company") else ""


def _who_lines(head: str, company: str, room: int) -> list[str]:
    """The card's lines in a column of `room` cells: on one line when it fits, else the head
    and the company on the next. The head breaks only when it alone is too wide (a name far
    longer than most), and then at its spaces."""
    if not company:
        return wrap(head, room, keep=head if cells(head) <= room else "")
    if cells(head) + 3 + cells(company) <= room:
        return [f"{head} · {company}"]
    return [*wrap(head, room, keep=head if cells(head) <= room else ""), *wrap(company, room)]


@cache
def _together() -> re.Pattern[str]:
    """The blank between a date and its time, or a number and its unit: kept, never broken."""
    return re.compile(r"(?<=\d{4}-\d\d-\d\d) (?=\d\d:\d\d)|(?<=\d) (?=(?:h|d|min|CNY)\b)")


def together(text: str) -> str:
    """`text` with the blanks that must not break (`_together`) made NBSP."""
    return _together().sub(NBSP, text) if " " in text else text


def _what(row: Mapping[str, Any]) -> str:
    # A reason or a what may be a Message (domain/message.py): English in JSON, shown here in
    # the interface's language.
    reason = together(for_people(shown(row["reason"])))
    text = f"{for_people(shown(row['what']))} — {reason}"
    noun = RECORD_NOUN.get(str(row["kind"]))
    if noun and row.get("record_id") is not None:
        # one unit, never broken: `promise P2`, the command's noun and the record's id as typed
        ref = record_ref(noun, row["record_id"])
        if language() == "en":
            text += f" ({noun}{NBSP}{ref})"
        else:  # the noun in the interface's language, its own parentheses: 约定 P2 in full width
            part = _("({noun} {ref})").format(noun=_(WORDS[noun]), ref=ref)
            text += part.replace(" ", NBSP)
    return text


def grouped(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """The rows by group, in the page's order of groups, each group in the order given; a
    kind no group names (none today) goes into a last group, "Other"."""
    named = {kind for _title, kinds in GROUPS for kind in kinds}
    groups = [(title, [r for r in rows if r["kind"] in kinds]) for title, kinds in GROUPS]
    groups.append((OTHER, [r for r in rows if r["kind"] not in named]))
    return [(title, items) for title, items in groups if items]


def agenda_page(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    width: int,
    zone: tzinfo,
    today: date,
    footer: str | None = None,
) -> list[str]:
    """The page's lines (no line wider than `width` unless a single word is): a title, then
    each group's header with its count and its items, then the footer."""
    items = []
    for row in rows:
        due = row["due"]
        if isinstance(due, datetime):
            due = due.astimezone(zone)
        when = when_text(due, bool(row["overdue"]), int(row["overdue_days"]), today)
        phone = for_people(str(row["phone"])) if row.get("phone") else ""
        items.append((row, when, phone))
    when_w = max((cells(when) for _row, when, _phone in items), default=0)
    phone_w = max((cells(phone) for _row, _when, phone in items), default=0)
    col = INDENT + when_w + GAP  # where who and what begin
    # The phone: in a column after the widest card name that fits, at the right edge at most.
    room = max(width - col - (phone_w + GAP if phone_w else 0), NARROWEST)
    whos = {id(row): _who(row) for row, _when, _phone in items}
    widest = max((cells(h) + (3 + cells(c) if c else 0) for h, c in whos.values()), default=0)
    phone_at = col + min(widest, room) + GAP
    lines = wrap(for_people(title), max(width, NARROWEST))
    by_row = {id(row): (when, phone) for row, when, phone in items}
    for group, members in grouped(rows):
        lines += ["", _("{group} ({count})").format(group=_(group), count=len(members))]
        for row in members:
            when, phone = by_row[id(row)]
            first, *rest = _who_lines(*whos[id(row)], room)
            line = " " * INDENT + when + " " * (when_w - cells(when) + GAP) + first
            if phone:
                line += " " * max(phone_at - cells(line), GAP) + phone
            lines.append(line)
            lines += [" " * col + more for more in rest]
            lines += [" " * col + part for part in wrap(_what(row), max(width - col, NARROWEST))]
    if footer:
        lines += ["", *wrap(for_people(footer), max(width, NARROWEST))]
    return [line.rstrip().replace(NBSP, " ") for line in lines]


def page_width(stream: IO[str]) -> int:
    """The width to lay the page out at: COLUMNS when set (as Rich reads it), else the
    terminal's, else 80 (a page piped to a file or mailed by cron)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if stream.isatty():
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            pass
    return 80


def write_agenda(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    zone: tzinfo,
    today: date,
    footer: str | None = None,
    stream: IO[str] | None = None,
) -> None:
    """Write the page to stdout at the terminal's width (`page_width`)."""
    out = stream or sys.stdout
    lines = agenda_page(
        rows, title=title, width=page_width(out), zone=zone, today=today, footer=footer
    )
    out.write("\n".join(lines) + "\n")
