"""The one door to Click.

Typer 0.28 carries its own copy of Click, `typer._click`, and no `click` package is installed.
Typer makes public only a few of its names (`typer.BadParameter`, `typer.Abort`,
`typer.Context`); the exceptions `errors.py` maps and the command tree `reference.py` walks are
not among them. Every other CLI module imports them from here, so a Typer upgrade that moves
them is a change to this file alone (tests/test_cli_shape.py keeps it the only one).
"""

from typer._click import Command, Context, Parameter
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)


def unparsed_args(ctx: Context) -> list[str]:
    """The arguments a group's context has not parsed yet: the subcommand's name and its
    arguments (Click keeps the name apart, in a private attribute)."""
    return [*ctx._protected_args, *ctx.args]


__all__ = [
    "BadParameter",
    "ClickException",
    "Command",
    "Context",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "Parameter",
    "UsageError",
    "unparsed_args",
]
