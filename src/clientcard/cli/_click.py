"""The one door to Click.

Typer 0.28 carries its own copy of Click, `typer._click`, and no `click` package is installed.
Typer makes public only a few of its names (`typer.BadParameter`, `typer.Abort`,
`typer.Context`); the exceptions `errors.py` maps and the command tree `reference.py` walks are
not among them. Every other CLI module imports them from here, so a Typer upgrade that moves
them is a change to this file alone (tests/test_cli_shape.py keeps it the only one).

Typer's own shell completion classes (`typer._completion_classes`), which cli/_completion.py
adapts, come through here too, and `defer_rich_extras`, which spares help the parts of Rich
Typer's help module imports but clientcard never uses.
"""

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

from typer._click import Command, Context, Parameter
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer._click.shell_completion import (
    CompletionItem,
    _resolve_context,
    _resolve_incomplete,
    add_completion_class,
)
from typer._completion_classes import BashComplete, FishComplete, ZshComplete


def unparsed_args(ctx: Context) -> list[str]:
    """The arguments a group's context has not parsed yet: the subcommand's name and its
    arguments (Click keeps the name apart, in a private attribute)."""
    return [*ctx._protected_args, *ctx.args]


def completing(
    cli: Command, ctx_args: Any, prog_name: str, args: list[str], incomplete: str
) -> "tuple[Command | Parameter, str, Context]":
    """What the shell is completing: the command or parameter that takes the word being typed,
    that word (an `--opt=` prefix removed) and the context (Click keeps this step private)."""
    ctx = _resolve_context(cli, ctx_args, prog_name, args)
    obj, incomplete = _resolve_incomplete(ctx, args, incomplete)
    return obj, incomplete, ctx


def answer(prompt: str) -> str:
    """What the user types after `prompt`, read as Click's `confirm` reads it (its prompt
    function, which CliRunner feeds and echoes): Ctrl-C or the end of input aborts."""
    from typer import echo
    from typer._click import termui

    echo(prompt[:-1], nl=False)  # the last character with the input, as Click does
    try:
        return termui.visible_prompt_func(prompt[-1:])
    except (KeyboardInterrupt, EOFError):
        from typer import Abort

        raise Abort() from None


# Typer's help and completion module (`typer.rich_utils`) imports these at its top, for help
# written in Markdown (clientcard's is Rich text) and for pretty tracebacks (turned off): with
# them, about 40 % of `clientcard --help` (issue 12, speed). Each name stands in for its class
# until something uses it, which imports the real module then.
_UNUSED_BY_HELP = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def _stand_in(module: str, name: str) -> type:
    def real() -> Any:
        if getattr(sys.modules.get(module), "__stand_in__", False):
            del sys.modules[module]
        return getattr(import_module(module), name)

    class StandIn:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return real()(*args, **kwargs)

        @classmethod
        def from_exception(cls, *args: Any, **kwargs: Any) -> Any:
            return real().from_exception(*args, **kwargs)

    StandIn.__name__ = StandIn.__qualname__ = name
    return StandIn


def defer_rich_extras() -> None:
    """Before Typer's help module is imported: let the Rich modules it does not need for
    clientcard's help wait until they are used (never, in practice)."""
    if "typer.rich_utils" in sys.modules:
        return
    for module, name in _UNUSED_BY_HELP:
        if module not in sys.modules:
            stand_in = ModuleType(module, f"Stands in for {module} until {name} is used.")
            stand_in.__stand_in__ = True  # type: ignore[attr-defined]
            setattr(stand_in, name, _stand_in(module, name))
            sys.modules[module] = stand_in


__all__ = [
    "BadParameter",
    "BashComplete",
    "ClickException",
    "Command",
    "CompletionItem",
    "Context",
    "FishComplete",
    "HelpFormatter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "Parameter",
    "UsageError",
    "ZshComplete",
    "add_completion_class",
    "answer",
    "completing",
    "defer_rich_extras",
    "unparsed_args",
]
