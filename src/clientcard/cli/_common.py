"""What every command shares: the database and clock of this run, the option types and help
texts more than one command module uses (a command module never imports another), and the one
path every listing takes.

A listing command says which view its rows are and which columns its table draws (`Table`),
and how it writes (`Listing`: ask the service for the rows the format needs, cut a table for
people, write in the chosen format). `contacts`, for example:

    listing = Listing(fmt, limit, "contacts", raw=raw)
    found = contacts.list_contacts(s, ..., limit=listing.ask)
    listing.write(found, CONTACTS, empty="No contacts logged.")

tests/test_cli_shape.py checks that every table's columns name keys its view has.

Nothing here imports the database stack at module level: `--help` and completion must stay fast.
"""

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from importlib import import_module
from typing import IO, TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import typer

from clientcard import clock
from clientcard.domain.refs import read_ref
from clientcard.i18n import N_, _
from clientcard.output import Column, Format, ShowFormat, write_listing

if TYPE_CHECKING:
    from clientcard.domain.settings import Settings
    from clientcard.services.views.agenda import DueItem
    from clientcard.services.views.grades import GradeChangeView
    from clientcard.services.views.keys import Keyed
    from clientcard.store.db import Db


class Runtime:
    """Set by the root callback for each invocation. (This module's classes are plain, not
    dataclasses: every command imports it, and a dataclass is compiled at every start:
    docs/performance.md.)"""

    __slots__ = ("db",)

    def __init__(self, db: str | None = None) -> None:
        self.db = db


RUNTIME = Runtime()


@contextmanager
def session(*, write: bool) -> Iterator["Db"]:
    """The command's one transaction: committed when the block ends, rolled back on error."""
    from clientcard.store.open import transaction

    with transaction(RUNTIME.db, write=write) as db:
        yield db


def run_once() -> None:
    """This command reads standard input or asks the user a question: if its transaction gives
    way to another writer, it exits 75 rather than run again (store/retry.py)."""
    from clientcard.store.retry import once

    once()


def on_a_terminal() -> bool:
    """Whether a question can be asked: standard input and output are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


# The answers `ask` takes in Chinese: Click's (y, yes, n, no) and the words an input method
# left on gives.
_YES = frozenset({"y", "yes", "是", "好", "确认", "确定", "对"})
_NO = frozenset({"n", "no", "否", "不", "不是", "取消"})
# An input method in full-width mode types the letters y and n full-width (U+FF59, U+FF4E).
_FULL_WIDTH = str.maketrans({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})


def ask(question: str) -> bool:
    """A question answered yes or no, no by default, in the interface's language: True for
    yes. English: Click's `confirm` as it is (`Delete ...? [y/N]: `). Chinese: the same
    question with its suffix and its complaint about an answer it cannot read in Chinese, which
    Click writes in English; y and n still answer it, and so do 是 and 否. No, Ctrl-C or the
    end of input aborts: `aborted; nothing was changed`, exit 3 (cli/errors.py), rather than
    the command's refusal that asks for --yes, which a person who just said no need not read."""
    from clientcard import i18n

    if i18n.language() == "en":
        if typer.confirm(question):
            return True
        raise typer.Abort
    from clientcard.cli._click import answer

    while True:
        said = answer(_("{question} [y/N]: ").format(question=question)).strip().lower()
        said = said.translate(_FULL_WIDTH)
        if said in _YES:
            return True
        if said in _NO or not said:
            raise typer.Abort
        typer.echo(_("Please answer y (yes) or n (no)."))


def now() -> datetime:
    return clock.now()


def settings(db: "Db") -> "Settings":
    """The command's settings: the defaults, then the user's settings file (CLIENTCARD_CONFIG
    or the per-user config directory), then the book's own settings, read in the command's
    transaction `db` (services/settings.py `effective`)."""
    from clientcard.services.effective import effective

    return effective(db)


CLIENT_HELP = "Card id, name, name prefix, pinyin (zw, zhangwei) or phone number."
WHEN_HELP = "e.g. 2026-12-01, fri, tomorrow 9am, +3d, eow (see docs/dates.md)"

ClientArg = Annotated[str, typer.Argument(metavar="CLIENT", help=CLIENT_HELP)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the new id.")]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="Output: a table for people, or json, csv, tsv for scripts."
    ),
]
RAW_HELP = (
    "csv, tsv: write every cell as stored, without the ' put before = + - @ to keep a "
    "spreadsheet from running it as a formula (docs/formats.md)."
)
RawOption = Annotated[bool, typer.Option("--raw", help=RAW_HELP)]
# `due --format ics` and `export --format ics` (docs/calendar.md).
TodoOption = Annotated[
    bool,
    typer.Option(
        "--todo",
        help="ics: write what is not an appointment as tasks (VTODO) instead of all-day events.",
    ),
]
CalendarNameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        metavar="NAME",
        help="ics: the calendar's name (default clientcard), which its UIDs carry: give each "
        "book its own.",
        show_default=False,
    ),
]
ShowFormatOption = Annotated[
    ShowFormat, typer.Option("--format", "-f", help="Output: a page for people, or json.")
]
# A table for people shows at most this many rows unless --limit says otherwise: a table of
# 30,000 contacts takes Rich 12 s and 260 MiB, and helps nobody. Machine formats show all.
TABLE_ROWS = 100
MAX_SQL_LIMIT = 2**63 - 1  # the largest LIMIT an SQL database takes: more rows than any book

LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        min=1,
        help=f"Show at most N rows. Without it a table shows the first {TABLE_ROWS}; "
        "json, csv and tsv show all.",
    ),
]


V = TypeVar("V", bound="Keyed")
T = TypeVar("T")


class Table(Generic[V]):
    """The view a listing's rows are and the columns of its table for people.

    `view` is the view class as `module.Class` under `clientcard.services.views`, imported only
    when rows are written (the services are loaded by then; `--help` never loads them). Its
    `KEYS` are the keys of json, csv and tsv. Each column names one of them, or one of `extra`:
    values only the table shows, computed from the view."""

    __slots__ = ("columns", "extra", "view")

    def __init__(
        self,
        view: str,
        columns: Sequence[Column],
        extra: Mapping[str, Callable[[V], object]] | None = None,
    ) -> None:
        self.view = view
        self.columns = columns
        self.extra: Mapping[str, Callable[[V], object]] = extra or {}

    def view_class(self) -> "type[Keyed]":
        module, name = self.view.rsplit(".", 1)
        view: type[Keyed] = getattr(import_module(f"clientcard.services.views.{module}"), name)
        return view

    def keys(self) -> tuple[str, ...]:
        """The machine keys, in order: the view's."""
        return self.view_class().KEYS.names

    def rows(self, views: Sequence[V]) -> list[dict[str, Any]]:
        """The rows the table draws: each view's keys (the text for people in the interface's
        language: `shown_row`) and the table's own."""
        if not self.extra:
            return [v.shown_row() for v in views]
        return [{**v.shown_row(), **{k: get(v) for k, get in self.extra.items()}} for v in views]


# The nouns of the line saying a table was cut (`Listing`'s noun).
_NOUNS = {
    "cards": N_("cards"),
    "contacts": N_("contacts"),
    "dates": N_("dates"),
    "items": N_("items"),
    "sales": N_("sales"),
}


class Listing:
    """How one listing is written: its format, its --limit and, for a listing that takes
    --limit, the noun of the line saying more match. Such a table stops at TABLE_ROWS rows
    unless --limit asks for more; a listing without a noun (no --limit) is never cut."""

    __slots__ = ("fmt", "limit", "noun", "raw")

    def __init__(
        self,
        fmt: Format,
        limit: int | None = None,
        noun: str | None = None,
        raw: bool = False,  # --raw: csv and tsv cells as stored, without the formula guard
    ) -> None:
        self.fmt = fmt
        self.limit = limit
        self.noun = noun
        self.raw = raw

    @property
    def _capped(self) -> bool:
        return self.noun is not None and self.limit is None and self.fmt is Format.table

    @property
    def ask(self) -> int | None:
        """The limit to query with: --limit as given; for a capped table, one row more than it
        shows, to know whether more match. A --limit beyond what SQL takes (64 bits) is all."""
        if self._capped:
            return TABLE_ROWS + 1
        return None if self.limit is None or self.limit >= MAX_SQL_LIMIT else self.limit

    def cut(self, views: Sequence[T]) -> tuple[Sequence[T], bool]:
        """The rows to write, and whether more match than a capped table shows."""
        if self._capped and len(views) > TABLE_ROWS:
            return views[:TABLE_ROWS], True
        return views, False

    def write(
        self,
        views: Sequence[V],
        table: Table[V],
        *,
        title: str | None = None,
        empty: str | None = None,
        footer: str | Callable[[int, bool], str] | None = None,
    ) -> None:
        """Write the views in the format. The table's last line is `footer`, replaced by the
        line saying more match when the table was cut; a callable footer is given the number
        of rows shown and whether more match, and says it all itself."""
        shown, more = self.cut(views)
        last: str | None
        if callable(footer):
            last = footer(len(shown), more)
        elif more:
            noun = _NOUNS.get(self.noun or "")
            last = _(
                "The first {n} {noun}; more match. --limit N shows more, "
                "--format csv shows them all."
            ).format(n=TABLE_ROWS, noun=_(noun) if noun else self.noun)
        else:
            last = footer
        rows = table.rows(shown) if self.fmt is Format.table else [v.row() for v in shown]
        write_listing(
            rows,
            table.keys(),
            table.columns,
            self.fmt,
            title=title,
            empty=empty,
            footer=last,
            raw=self.raw,
        )


# Shared by more than one command module.
PhoneOption = Annotated[
    str | None, typer.Option("--phone", help="Phone number(s), as you write them.")
]
EmailOption = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
GradesOption = Annotated[
    str | None, typer.Option("--grade", metavar="GRADES", help="Only these grades, e.g. A,B.")
]


# The words of a few codes where a line for people names them: a channel, a promise's kind, a
# complaint's severity, who was responsible, a complaint's status. Each message says which code
# it is (`channel: card` is a greeting card, not a client's card); machine formats keep the codes.
_WORDS = {
    "call": N_("channel: call"),
    "visit": N_("channel: visit"),
    "meeting": N_("channel: meeting"),
    "email": N_("channel: email"),
    "letter": N_("channel: letter"),
    "fax": N_("channel: fax"),
    "sms": N_("channel: sms"),
    "message": N_("channel: message"),
    "card": N_("channel: card"),
    "gift": N_("channel: gift"),
    "other": N_("channel: other"),
    "deliverable": N_("kind: deliverable"),
    "appointment": N_("kind: appointment"),
    "low": N_("severity: low"),
    "normal": N_("severity: normal"),
    "high": N_("severity: high"),
    "urgent": N_("severity: urgent"),
    "us": N_("responsible: us"),
    "company": N_("responsible: company"),
    "partner": N_("responsible: partner"),
    "client": N_("responsible: client"),
    "unknown": N_("responsible: unknown"),
    "open": N_("status: open"),
    "resolved": N_("status: resolved"),
    "cancelled": N_("status: cancelled"),
}


def word(code: str) -> str:
    """A code as a word in the interface's language: the code itself in English, or when the
    catalog has no word for it."""
    found = _WORDS.get(code)
    if found is None:
        return code
    said = _(found)
    return code if said == found else said


# A card's grade history: `grade CLIENT` and the card page.
def by(view: Any) -> str:
    """Who made a history's entry, for people (`author`: "unknown" for an entry made before
    clientcard recorded it, issue 17)."""
    return str(view.author or _("unknown"))


# A history's column of who made each entry: spare, so a narrow terminal folds it first.
BY = Column("by", "By", no_wrap=True, spare=True)

GRADE_HISTORY: "Table[GradeChangeView]" = Table(
    "grades.GradeChangeView",
    [
        Column("changed_at", "When", no_wrap=True),
        Column("from_grade", "From", justify="center"),
        Column("to_grade", "To", justify="center"),
        Column("held", "Held", justify="right", no_wrap=True),
        Column("reason", "Why", detail=True),
        BY,
    ],
    # how long the grade it took was held; who changed it
    extra={"held": lambda change: change.held(), "by": by},
)


def record_id(kind: str) -> Callable[[str], int]:
    """The parser of a record's id as typed: `P3`, `p3` or `3` for promise 3 (kind "promise").
    Records of different kinds print their ids with their own letter (`domain/refs.py`; a card
    keeps `#1`), so an id copied from any line clientcard printed is accepted back, and another
    kind's (`C3` where a promise is asked for) is refused as a usage error."""

    def parse(value: str) -> int:
        if isinstance(value, int):  # a default, or a second parse by Click
            return value
        try:
            return read_ref(kind, value)
        except ValueError as e:
            raise typer.BadParameter(str(e)) from None

    # Help shows a parser's name as the argument's type: text, as every other argument's.
    parse.__name__ = "str"
    return parse


def calendar_options(ics: bool, todo: bool, name: str | None) -> None:
    """--todo and --name say how to write a calendar: only with --format ics."""
    from clientcard.domain.errors import InvalidValue

    if not ics and (todo or name is not None):
        raise InvalidValue(
            _("{option} is for --format ics only").format(option="--todo" if todo else "--name")
        )
    if name is not None and not name.strip():
        raise InvalidValue(_("--name is empty; give the calendar a name"))


def write_ics(
    items: "Sequence[DueItem]", *, todo: bool, name: str | None, stream: IO[str] | None = None
) -> None:
    """The items as one iCalendar (output/ics.py), with what only a calendar reads."""
    from clientcard.output.ics import DEFAULT_NAME, write_calendar

    # The events' words are for people, in the interface's language (`shown_row`); the
    # UIDs and times are the items' own.
    rows = [
        {**i.shown_row(), "place": i.place, "ident": i.ident, "changed_at": i.changed_at}
        for i in items
    ]
    write_calendar(
        rows,
        zone=clock.local_tz(),
        name=DEFAULT_NAME if name is None else name.strip(),
        todo=todo,
        stream=stream,
    )


def write_file(output: str, write: Callable[[IO[bytes]], None], *, private: bool = False) -> None:
    """Write `output` whole or not at all, as `export -o` does: `write` fills a temporary file
    beside it (`file_beside`: a folder or a device is refused), renamed over `output` once
    `write` returned; on any error the temporary file goes and `output` stays as it was."""
    from pathlib import Path

    target = file_beside(output)
    try:
        write(target)
    except BaseException:
        target.close()
        Path(target.name).unlink(missing_ok=True)
        raise
    target.close()
    os.chmod(target.name, file_mode(output, private=private))
    os.replace(target.name, output)


def file_mode(path: str, *, private: bool = False) -> int:
    """The permissions of the file an export replaces, or those of a new file (umask; 0600
    when `private`: a whole book)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        if private:
            return 0o600
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def file_beside(output: str) -> IO[bytes]:
    """A temporary file next to `output`, renamed to it once the export is whole: a failed
    export leaves the file as it was."""
    from clientcard.domain.errors import InvalidValue

    if not output.strip():
        raise InvalidValue(_("an empty file name; give the file to write"))
    if os.path.isdir(output):
        raise InvalidValue(
            _("cannot write {file}: it is a folder; give a file name").format(file=output)
        )
    if os.path.lexists(output) and not os.path.isfile(output):
        # A device, a pipe: renaming the export over it would replace it with a file of every
        # client's data (`-o /dev/null`).
        raise InvalidValue(_("cannot write {file}: it is not a regular file").format(file=output))
    folder = os.path.dirname(os.path.abspath(output))
    try:
        return tempfile.NamedTemporaryFile(  # closed, or renamed, by the caller
            dir=folder, prefix=".export-", suffix=".part", delete=False
        )
    except OSError as exc:
        raise InvalidValue(
            _("cannot write {file}: {error}").format(file=output, error=exc.strerror or exc)
        ) from None
