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

from clientcard.cli._click import (
    BadParameter,
    ClickException,
    Command,
    Context,
    NoArgsIsHelpError,
    NoSuchOption,
    Parameter,
    UsageError,
    defer_rich_extras,
    unparsed_args,
)
from clientcard.cli._help import whole_sentences
from clientcard.clock import BadClock
from clientcard.domain import errors
from clientcard.i18n import _
from clientcard.output import terminal
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
    NO_PERMISSION = 77  # the database refused this role a right it needs (EX_NOPERM)


EXIT_CODES: dict[type[Exception], ExitCode] = {
    errors.NotFound: ExitCode.NOT_FOUND,
    errors.Ambiguous: ExitCode.NOT_FOUND,
    errors.InvalidValue: ExitCode.USAGE,
    BadClock: ExitCode.USAGE,
    errors.Refused: ExitCode.REFUSED,
    errors.DatabaseError: ExitCode.DATABASE,
    errors.DatabaseBusy: ExitCode.BUSY,
    errors.NoPermission: ExitCode.NO_PERMISSION,
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
    from clientcard.cli._help import click_message

    message = exc.format_message().rstrip(".").replace("Value error, ", "")
    message = click_message(message[:1].lower() + message[1:])
    name = getattr(exc, "option_name", "") or ""
    if isinstance(exc, NoSuchOption) and name[1:2].isdigit():  # `sale 1 -5`
        message = _("{option} is a negative number: no value here may be below zero").format(
            option=repr(name)
        )
    ctx = exc.ctx
    if ctx is None:
        return message
    return _("{message} (see `{command} --help`)").format(message=message, command=ctx.command_path)


# Parameters that name a file: any bytes make a file name on Linux, so a name that is not UTF-8
# is still a file that can be opened. `--db` holds a path or a URL; only a URL must be text.
_FILE_PARAMETERS = frozenset({"db", "file"})


def _not_text(value: object) -> str | None:
    """The first bytes of `value` that are not UTF-8 (`\\xff\\xfe`), None for text. On Linux,
    Python hands such bytes of an argument over as lone surrogates (PEP 383), which no
    database or terminal accepts."""
    if isinstance(value, str):
        if value.isascii():
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start : exc.end][:4].encode("utf-8", "surrogateescape")
            return "".join(f"\\x{byte:02x}" for byte in bad)
        return None
    if isinstance(value, list | tuple):
        return next((found for v in value if (found := _not_text(v)) is not None), None)
    return None


def _file_name(ctx: Context, param: Parameter) -> str | None:
    """The value of a parameter that names a file (not a URL), if it has one."""
    value = ctx.params.get(param.name or "")
    if param.name in _FILE_PARAMETERS and isinstance(value, str) and "://" not in value:
        return value
    return None


def check_text(ctx: Context) -> None:
    """Refuse an argument that is not UTF-8 text before any command runs, naming it: parse
    the command line again, leniently, down to the command, and look at every value. Costs
    nothing for a command line that is all text (the everyday case)."""
    args = unparsed_args(ctx)
    if _not_text(args) is None and _not_text(list(ctx.params.values())) is None:
        return
    files: list[str] = []  # file names, which need not be text
    context, rest = ctx, args
    try:
        while True:
            for param in context.command.params:
                name = _file_name(context, param)
                if name is not None:
                    files.append(name)
                elif (found := _not_text(context.params.get(param.name or ""))) is not None:
                    raise BadParameter(
                        _(
                            "not UTF-8 text (the bytes {bytes}); set the terminal or the script "
                            "to UTF-8"
                        ).format(bytes=found),
                        ctx=context,
                        param=param,
                    )
            if not isinstance(context.command, TyperGroup) or not rest:
                break
            command_name, command, rest = context.command.resolve_command(context, rest)
            if command is None:
                break
            context = command.make_context(
                command_name, rest, parent=context, resilient_parsing=True
            )
            rest = unparsed_args(context)
    except BadParameter:
        raise
    except Exception:  # a command line Click cannot parse: said generally below
        pass
    # A value no parameter took as text (an extra argument, a value its parameter refused):
    # say so without naming it, rather than let Click quote it back as `\udcff`.
    unnamed = [a for a in args if _not_text(a) and not any(f and f in a for f in files)]
    if unnamed:
        raise UsageError(
            _(
                "an argument is not UTF-8 text (the bytes {bytes}); set the terminal "
                "or the script to UTF-8"
            ).format(bytes=_not_text(unnamed)),
            ctx=context,
        )


def _reader_left() -> None:
    """`clientcard list --format json | head`: the reader left early; that is not an error.
    Point stdout at /dev/null so the interpreter's last flush does not fail either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # not a real file (tests): nothing to flush
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitCode.OK)


def whole_help(command: Command, *, below: bool = True) -> None:
    """Every command's and parameter's help as `whole_sentences`, down the tree (or the
    command's own alone: the root's commands get theirs when they are built, cli/_tree.py)."""
    if command.help:
        command.help = whole_sentences(command.help)
    for param in command.params:
        help_ = getattr(param, "help", None)
        if help_:
            param.help = whole_sentences(help_)  # type: ignore[attr-defined]
    if below:
        for sub in getattr(command, "commands", {}).values():
            whole_help(sub)


def _choose_language() -> None:
    """The settings file's `language` (zh, en) over the locale environment (clientcard/i18n.py),
    read before anything is shown; a file that cannot be read leaves it to the environment (the
    command itself then says what is wrong with the file). What is read here is kept for the
    command's settings (services/effective.py): the file is read once a command."""
    from clientcard import i18n
    from clientcard.store.config_file import forget, read_raw

    forget()  # a new command reads its settings file anew, once (store/config_file.py)
    try:
        chosen = read_raw().get("language")
    except errors.InvalidValue:
        chosen = None
    i18n.use(str(chosen).strip().lower() if isinstance(chosen, str) else None)


class CardGroup(TyperGroup):
    """The root command group: runs a command and maps whatever it raises."""

    def invoke(self, ctx: Any) -> Any:
        # Caught here, inside Typer's own handling, which would turn a broken pipe into exit 1.
        try:
            check_text(ctx)
            return super().invoke(ctx)
        except BrokenPipeError:
            _reader_left()

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        if any(k.endswith("_COMPLETE") and k.startswith("_") for k in os.environ):
            from clientcard.cli._completion import register

            register()
        super()._main_shell_completion(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        _choose_language()
        defer_rich_extras()
        whole_help(self, below=False)
        terminal.guard()  # a terminal that cannot show every character: docs/formats.md
        if terminal.plain():  # NO_COLOR, TERM=dumb: Typer's help without bold either
            from typer import rich_utils

            rich_utils.COLOR_SYSTEM = None
        urls.forget()  # a new command: only its own URLs are remembered
        given = args[0] if args else kwargs.get("args")
        _arguments[:] = [
            a for a in (sys.argv[1:] if given is None else given) if isinstance(a, str)
        ]
        # A command that gave way to another writer (a deadlock, a lock it waited for too
        # long) is run again whole, a few times, when that cannot do or show anything twice
        # (store/retry.py); then it exits 75.
        from clientcard.store.retry import retrying

        try:
            result = retrying(lambda: super(CardGroup, self).main(*args, **kwargs))
        except NoArgsIsHelpError:
            # A group typed alone (`clientcard`, `clientcard promise`): Typer has printed its
            # help already; that is an answer, not an error.
            sys.exit(ExitCode.OK)
        except UsageError as exc:
            fail(_usage_message(exc), ExitCode.USAGE)
        except ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except Abort:
            fail(_("aborted; nothing was changed"), ExitCode.REFUSED)
        except tuple(EXIT_CODES) as exc:
            if isinstance(exc, errors.DatabaseError) and os.environ.get(TRACEBACK_VARIABLE):
                print_traceback()  # why the driver could not connect, for whoever debugs it
            fail(str(exc), exit_code(exc))
        except Exception as exc:
            if os.environ.get(TRACEBACK_VARIABLE):
                print_traceback()
                sys.exit(ExitCode.SOFTWARE)
            fail(
                _(
                    "internal error ({error}); nothing was changed. "
                    "Run again with {variable}=1 to see the traceback, and report it"
                ).format(error=type(exc).__name__, variable=TRACEBACK_VARIABLE),
                ExitCode.SOFTWARE,
            )
        sys.exit(result if isinstance(result, int) else ExitCode.OK)
