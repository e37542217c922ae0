"""The command tree, built one command at a time (issue 12, speed).

Typer builds every command of an app when the app runs: it imports each command module (and
with it the domain modules its options name) and reads the signature and type hints of all 41
commands, about a third of a hot command's own start-up. Here the root group knows its commands
by name only (`Entry`: the module and attribute that define each, and the first paragraph of its
help) and imports and builds one when it is asked for it:

- running `clientcard log ...` builds `log` alone (a group, `promise add`, builds its group);
- the root's `--help`, and the shell completing a command's name, list every command from the
  index, without importing any of them: the same lines, since the index holds the first
  paragraph of each help text, which is all those two show (tests/test_lazy_tree.py compares
  the index with the commands themselves, and says what to write when a help text changed);
- anything that walks the whole tree (`commands.values()`: docs/commands.md, the tests) gets
  every command, built on first use, in the order of the index, which is `--help`'s order.
"""

from collections.abc import Iterator, Mapping, MutableMapping
from importlib import import_module
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from clientcard.cli._click import Command, Context
from clientcard.cli._help import HelpContext, localize


class Entry:
    """A command of the root: `name` is defined by `attribute` of `clientcard.cli.<module>` (a
    function, or a Typer app for a group); `summary` is the first paragraph of its help. A plain
    class: every command reads the index at start, and a dataclass is compiled at every start."""

    __slots__ = ("attribute", "module", "name", "summary")

    def __init__(self, name: str, module: str, attribute: str, summary: str) -> None:
        self.name = name
        self.module = module
        self.attribute = attribute
        self.summary = summary

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, {self.module!r}, {self.attribute!r})"


class Commands(MutableMapping[str, Command]):
    """The root's commands by name, each built the first time it is looked up."""

    def __init__(self, tree: "CommandTree") -> None:
        self._tree = tree
        self._built: dict[str, Command] = {}

    def built(self) -> list[Command]:
        return list(self._built.values())

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            entry = self._tree.index.get(name)
            if entry is None:
                raise KeyError(name)
            self._built[name] = self._tree.build(entry)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._tree.index
        yield from (name for name in self._built if name not in self._tree.index)

    def __len__(self) -> int:
        return len(self._tree.index) + sum(1 for n in self._built if n not in self._tree.index)


def _in_language(command: Command) -> None:
    """The command and those below it run in a HelpContext: help in the interface's language."""
    command.context_class = HelpContext
    for sub in getattr(command, "commands", {}).values():
        _in_language(sub)


class CommandTree(TyperGroup):
    """The root group's commands, from `index`, built on demand. clientcard.cli mixes it into
    the root group (cli/errors.py's CardGroup) and sets the class variables."""

    index: ClassVar[Mapping[str, Entry]] = {}
    context_class = HelpContext
    app: ClassVar[typer.Typer | None] = None  # the root app, for Typer's settings
    _summaries = False  # True while the root's help or a command name's completion is made
    _running = False  # True once main runs: help text is then made whole sentences

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # `whole_help` as CardGroup.main does it for the root, for each command when it is built
        # (the reference, docs/commands.md, walks the tree without running it: as written).
        self._running = True
        for command in self._commands.built():
            self.polish(command)
        return super().main(*args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._commands = Commands(self)
        self.commands: MutableMapping[str, Command] = self._commands

    def polish(self, command: Command) -> None:
        """What the root does to a command's help before it runs (errors.whole_help)."""

    def build(self, entry: Entry) -> Command:
        """Import the command's module and let Typer build it, as it would inside the whole app."""
        app = self.app
        assert app is not None, "clientcard.cli sets the root app"
        defined = getattr(import_module(f"clientcard.cli.{entry.module}"), entry.attribute)
        command: Command
        if isinstance(defined, typer.Typer):
            command = get_group_from_info(
                TyperInfo(defined),
                pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=app.suggest_commands,
                rich_markup_mode=app.rich_markup_mode,
            )
        else:
            command = get_command_from_info(
                CommandInfo(name=entry.name, callback=defined),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        _in_language(command)
        if self._running:
            self.polish(command)
        return command

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if self._summaries and cmd_name in self.index:
            entry = self.index[cmd_name]
            return TyperCommand(entry.name, help=localize(entry.summary))
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Context, formatter: Any) -> None:
        self._summaries = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._summaries = False

    def shell_complete(self, ctx: Context, incomplete: str) -> Any:
        self._summaries = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._summaries = False
