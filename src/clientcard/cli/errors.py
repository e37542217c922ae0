"""The one place where errors become a line on stderr and an exit code (docs/exit-codes.md).

A user's mistake never shows a traceback. A bug shows one line naming the exception type and how
to see more: set CLIENTCARD_TRACEBACK=1 to get the full traceback (without local variables, which
would hold client data). With it, a database that cannot be used (exit 74) shows its traceback too,
down to the driver's own exception, before the one line.

No line and no traceback written here shows a database password: each goes through
`store.urls.scrub`, which masks every form of the passwords of the URLs the command was given.
"""

import contextlib
import os
import sys
import traceback
from enum import IntEnum
from typing import Any

from typer import Abort
from typer.core import TyperGroup

from clientcard.cli._click import ClickException, NoArgsIsHelpError, NoSuchOption, UsageError
from clientcard.clock import BadClock
from clientcard.domain import errors
from clientcard.output.safe import message_for_people
from clientcard.store import urls

# The arguments of the command being run: an error message cuts what it quotes of a long one.
_arguments: list[str] = []


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1  # no such card or record, or a name that matches several; `due --check`: overdue
    USAGE = 2  # a bad option, argument or value: nothing was changed
    REFUSED = 3  # well formed, but the record's state forbids it (already that grade, no --yes)
    SOFTWARE = 70  # a bug in clientcard (EX_SOFTWARE)
    DATABASE = 74  # the database cannot be opened or was written by a newer clientcard (EX_IOERR)
    BUSY = 75  # the database stayed locked by another writer; try again (EX_TEMPFAIL)


EXIT_CODES: dict[type[Exception], ExitCode] = {
    errors.NotFound: ExitCode.NOT_FOUND,
    errors.Ambiguous: ExitCode.NOT_FOUND,
    errors.InvalidValue: ExitCode.USAGE,
    BadClock: ExitCode.USAGE,
    errors.Refused: ExitCode.REFUSED,
    errors.DatabaseError: ExitCode.DATABASE,
    errors.DatabaseBusy: ExitCode.BUSY,
}

TRACEBACK_VARIABLE = "CLIENTCARD_TRACEBACK"


def exit_code(exc: BaseException) -> ExitCode:
    """The code of the nearest mapped class, so a subclass (say, of Refused) maps like its base."""
    for klass in type(exc).__mro__:
        if klass in EXIT_CODES:
            return EXIT_CODES[klass]
    return ExitCode.SOFTWARE


def fail(message: str, code: int) -> None:
    """The one line of a mistake: the password of a database URL scrubbed out first, then user
    text in it shown safely (control characters as escapes, docs/formats.md "Text for people"),
    and a long argument quoted to its first 80 characters."""
    sys.stderr.write(f"clientcard: {message_for_people(urls.scrub(message), _arguments)}\n")
    sys.exit(int(code))


def print_traceback() -> None:
    """The traceback of the exception being handled: the stack only (local variables would hold
    client data), and no database password."""
    sys.stderr.write(urls.scrub(traceback.format_exc()))


def _usage_message(exc: UsageError) -> str:
    message = exc.format_message().rstrip(".").replace("Value error, ", "")
    message = message[:1].lower() + message[1:]
    name = getattr(exc, "option_name", "") or ""
    if isinstance(exc, NoSuchOption) and name[1:2].isdigit():  # `sale 1 -5`
        message = f"{name!r} is a negative number: no value here may be below zero"
    ctx = exc.ctx
    if ctx is None:
        return message
    return f"{message} (see `{ctx.command_path} --help`)"


def _reader_left() -> None:
    """`clientcard list --format json | head`: the reader left early; that is not an error.
    Point stdout at /dev/null so the interpreter's last flush does not fail either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # not a real file (tests): nothing to flush
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitCode.OK)


class CardGroup(TyperGroup):
    """The root command group: runs a command and maps whatever it raises."""

    def invoke(self, ctx: Any) -> Any:
        # Caught here, inside Typer's own handling, which would turn a broken pipe into exit 1.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _reader_left()

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        urls.forget()  # a new command: only its own URLs are remembered
        given = args[0] if args else kwargs.get("args")
        _arguments[:] = [
            a for a in (sys.argv[1:] if given is None else given) if isinstance(a, str)
        ]
        try:
            result = super().main(*args, **kwargs)
        except NoArgsIsHelpError:
            # A group typed alone (`clientcard`, `clientcard promise`): Typer has printed its
            # help already; that is an answer, not an error.
            sys.exit(ExitCode.OK)
        except UsageError as exc:
            fail(_usage_message(exc), ExitCode.USAGE)
        except ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except Abort:
            fail("aborted; nothing was changed", ExitCode.REFUSED)
        except tuple(EXIT_CODES) as exc:
            if isinstance(exc, errors.DatabaseError) and os.environ.get(TRACEBACK_VARIABLE):
                print_traceback()  # why the driver could not connect, for whoever debugs it
            fail(str(exc), exit_code(exc))
        except Exception as exc:
            if os.environ.get(TRACEBACK_VARIABLE):
                print_traceback()
                sys.exit(ExitCode.SOFTWARE)
            fail(
                f"internal error ({type(exc).__name__}); nothing was changed. "
                f"Run again with {TRACEBACK_VARIABLE}=1 to see the traceback, and report it",
                ExitCode.SOFTWARE,
            )
        sys.exit(result if isinstance(result, int) else ExitCode.OK)
