"""The one door to Click.

Typer 0.28 carries its own copy of Click, `typer._click`, and no `click` package is installed.
Typer makes public only a few of its names (`typer.BadParameter`, `typer.Abort`,
`typer.Context`); the exceptions `errors.py` maps and the command tree `reference.py` walks are
not among them. Every other CLI module imports them from here, so a Typer upgrade that moves
them is a change to this file alone (tests/test_cli_shape.py keeps it the only one).

Typer's own shell completion classes (`typer._completion_classes`), which cli/_completion.py
adapts, come through here too.
"""

from typing import Any

from typer._click import Command, Context, Parameter
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
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


__all__ = [
    "BadParameter",
    "BashComplete",
    "ClickException",
    "Command",
    "CompletionItem",
    "Context",
    "FishComplete",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "Parameter",
    "UsageError",
    "ZshComplete",
    "add_completion_class",
    "completing",
    "unparsed_args",
]
