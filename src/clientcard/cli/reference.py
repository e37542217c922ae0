"""Generate the command reference (docs/commands.md) from the Typer app itself.

    python -m clientcard.cli.reference > docs/commands.md        # write it
    python -m clientcard.cli.reference --check docs/commands.md  # exit 1 if it is out of date

The reference walks the Click command tree that Typer builds (the root, every command, and every
group's subcommands, in registration order, the order `--help` lists them) and writes, for each:
the usage line, the help text, the arguments, and every option with its flags, value placeholder
(metavar or type), choices, default, environment variable and help. Nothing depends on the
terminal width or on the environment, so the output is the same on every machine;
tests/test_docs.py checks that the checked-in file equals it.

Like the rest of the CLI, this module never imports the database stack.
"""

import argparse
import inspect
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from clientcard.cli._click import Command, Context, Parameter

PROG = "clientcard"
REGENERATE = "python -m clientcard.cli.reference > docs/commands.md"

# Typer builds its completion options differently when this is set (tests of its own use it);
# it is cleared while the tree is built so that the reference never depends on the environment.
_TYPER_NO_SHELL_DETECTION = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"

# Click's names of its value types, as the help writes them.
_TYPE_NAMES: dict[str, str] = {"str": "TEXT", "int": "INTEGER", "int range": "INTEGER"}


@dataclass(frozen=True)
class Entry:
    """One command of the tree with the context it runs in (for its full path)."""

    command: Command
    ctx: Context

    @property
    def path(self) -> str:
        return self.ctx.command_path


def walk(root: Command, prog: str = PROG) -> Iterator[Entry]:
    """The root and every command below it, depth first, in registration order."""
    yield from _walk(root, Context(root, info_name=prog, **dict(root.context_settings)))


def _walk(command: Command, ctx: Context) -> Iterator[Entry]:
    if command.hidden:
        return
    yield Entry(command, ctx)
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _walk(sub, Context(sub, parent=ctx, info_name=name))


def click_command(app: typer.Typer) -> Command:
    """The Click command tree Typer builds for `app`, independent of the environment."""
    saved = os.environ.pop(_TYPER_NO_SHELL_DETECTION, None)
    try:
        return typer.main.get_command(app)
    finally:
        if saved is not None:
            os.environ[_TYPER_NO_SHELL_DETECTION] = saved


# ---- pieces ------------------------------------------------------------------------------


def visible_params(command: Command) -> list[Parameter]:
    """The command's own arguments and options (not the help option), hidden ones left out."""
    return [p for p in command.params if not getattr(p, "hidden", False)]


def arguments(command: Command) -> list[TyperArgument]:
    return [p for p in visible_params(command) if isinstance(p, TyperArgument)]


def options(command: Command) -> list[TyperOption]:
    return [p for p in visible_params(command) if isinstance(p, TyperOption)]


def _choices(param: TyperArgument | TyperOption) -> list[str]:
    found = getattr(param.type, "choices", None)
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in found or ()]


def _type_name(param: TyperArgument | TyperOption) -> str:
    """The value's type as the help shows it: TEXT, INTEGER, FLOAT..."""
    return _TYPE_NAMES.get(param.type.name, param.type.name.upper())


def placeholder(param: TyperArgument | TyperOption) -> str:
    """What the user types for the value: the metavar, else the choices, else the type."""
    if param.metavar is not None:
        return param.metavar
    choices = _choices(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    if isinstance(param, TyperArgument):
        return str(param.name).upper()
    return _type_name(param)


def argument_usage(param: TyperArgument) -> str:
    name = param.metavar if param.metavar is not None else str(param.name).upper()
    if param.nargs != 1:
        name += "..."
    if not param.required and not name.startswith("["):
        name = f"[{name}]"
    return name


def usage(entry: Entry) -> str:
    """The usage line: `[OPTIONS]`, UPPER-CASE values, [optional] parts, `...` repeats."""
    command = entry.command
    pieces = [entry.path]
    if command.options_metavar:
        pieces.append(command.options_metavar)
    pieces.extend(argument_usage(a) for a in arguments(command))
    if isinstance(command, TyperGroup):
        pieces.append(command.subcommand_metavar)
    return " ".join(pieces)


def help_text(command: Command) -> str:
    """The command's help as Markdown paragraphs (Click's `\\b` and `\\f` markers honoured)."""
    return _escape(_raw_help(command))


def _raw_help(command: Command) -> str:
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b").strip()


def _one_line(text: str | None) -> str:
    return _escape(" ".join((text or "").split()))


def _sentence(text: str | None) -> str:
    """One line that ends like a sentence, so the facts that follow read apart from it."""
    line = _one_line(text)
    return line + "." if line and line[-1] not in ".!?" else line


def summary(command: Command) -> str:
    """The first paragraph of the command's help, on one line."""
    return _one_line(_raw_help(command).partition("\n\n")[0])


def _escape(text: str) -> str:
    """Keep `<...>` in help text from being read as HTML."""
    return text.replace("<", "\\<")


def _range(param: TyperArgument | TyperOption) -> str | None:
    low, high = getattr(param.type, "min", None), getattr(param.type, "max", None)
    if low is not None and high is not None:
        return f"Range: {low} to {high}."
    if low is not None:
        return f"At least {low}."
    if high is not None:
        return f"At most {high}."
    return None


def _default_text(value: Any) -> str | None:
    if value is None or value == "" or value == [] or value == ():
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        parts = [_default_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if callable(value):
        return "(dynamic)"
    return str(value)


def default(param: TyperArgument | TyperOption) -> str | None:
    """The default as `--help` would state it, or None when there is nothing to say."""
    if param.show_default is False:
        return None
    if isinstance(param.show_default, str):
        return param.show_default
    if isinstance(param, TyperOption) and param.is_bool_flag:
        if param.secondary_opts:
            return param.opts[0] if param.default else param.secondary_opts[0]
        return param.opts[0] if param.default else None
    return _default_text(param.default)


def _envvar(param: TyperArgument | TyperOption) -> str | None:
    envvar = param.envvar
    if not envvar:
        return None
    names = [envvar] if isinstance(envvar, str) else list(envvar)
    return ", ".join(f"`{n}`" for n in names)


def _details(param: TyperArgument | TyperOption) -> str:
    """The help text followed by the facts: choices, range, repeats, default, env var."""
    parts = [_sentence(param.help)]
    choices = _choices(param)
    if choices and param.metavar is not None:
        parts.append("Choices: " + ", ".join(f"`{c}`" for c in choices) + ".")
    limits = _range(param)
    if limits:
        parts.append(limits)
    if isinstance(param, TyperOption) and param.count:
        parts.append("Repeat to count up.")
    elif (param.multiple or param.nargs != 1) and "repeat" not in parts[0].lower():
        parts.append("Repeatable.")
    if param.required:
        parts.append("Required.")
    value = default(param)
    if value is not None:
        parts.append(f"Default: `{value}`.")
    env = _envvar(param)
    if env:
        parts.append(f"Environment variable: {env}.")
    return " ".join(p for p in parts if p)


def option_flags(param: TyperOption) -> str:
    """`-t`, `--tag TAG`: short flags first, the value placeholder after the last flag."""
    flags = sorted(param.opts, key=lambda o: (len(o.lstrip("-/")) > 1, o.startswith("--")))
    shown = [f"`{f}`" for f in flags]
    if not param.is_flag and not param.count:
        shown[-1] = f"`{flags[-1]} {placeholder(param)}`"
    text = ", ".join(shown)
    if param.secondary_opts:
        text += " / " + ", ".join(f"`{f}`" for f in param.secondary_opts)
    return text


# ---- the document ------------------------------------------------------------------------


def _item(head: str, body: str) -> str:
    return f"- {head}: {body}" if body else f"- {head}"


def _anchor(path: str) -> str:
    return path.replace(" ", "-")


def _intro(entries: Sequence[Entry]) -> list[str]:
    root = entries[0]
    helps = [f"`{o}`" for o in root.ctx.help_option_names]
    return [
        "# Command reference",
        "",
        "<!-- Generated from the commands themselves; do not edit by hand. Regenerate with:",
        f"     {REGENERATE}",
        "     tests/test_docs.py fails when this file is out of date. -->",
        "",
        f"Every command also takes {' or '.join(helps)} to print its help. In usage lines,",
        "UPPER-CASE words are values you type, `[...]` is optional and `...` may repeat.",
        "`CLIENT` is a card's id, its exact name, or a unique prefix of its name (any case).",
        "Exit codes are in [exit-codes.md](exit-codes.md), the `--format json|csv|tsv` output in",
        "[formats.md](formats.md).",
        "",
        *[f"- [`{e.path}`](#{_anchor(e.path)})" for e in entries],
    ]


def _section(entry: Entry) -> list[str]:
    command = entry.command
    lines = ["", f"## `{entry.path}`", ""]
    text = help_text(command)
    if text:
        lines += [text, ""]
    lines += ["```text", usage(entry), "```"]
    args = arguments(command)
    if args:
        lines += ["", "Arguments:", ""]
        lines += [_item(f"`{argument_usage(a)}`", _details(a)) for a in args]
    opts = options(command)
    if opts:
        lines += ["", "Options:", ""]
        lines += [_item(option_flags(o), _details(o)) for o in opts]
    if isinstance(command, TyperGroup):
        subs = [
            (name, sub)
            for name in command.list_commands(entry.ctx)
            if (sub := command.get_command(entry.ctx, name)) is not None and not sub.hidden
        ]
        if subs:
            lines += ["", "Commands:", ""]
            for name, sub in subs:
                path = f"{entry.path} {name}"
                lines.append(_item(f"[`{name}`](#{_anchor(path)})", summary(sub)))
    return lines


def render(app: typer.Typer | None = None, prog: str = PROG) -> str:
    """The whole reference as Markdown text (ends with one newline)."""
    if app is None:
        from clientcard.cli import app as clientcard_app

        app = clientcard_app
    entries = list(walk(click_command(app), prog))
    lines = _intro(entries)
    for entry in entries:
        lines += _section(entry)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clientcard.cli.reference",
        description="Write the Markdown command reference to stdout.",
    )
    parser.add_argument(
        "--check",
        metavar="FILE",
        type=Path,
        help="do not write; exit 1 if FILE differs from what would be written",
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    try:
        current = args.check.read_text(encoding="utf-8")
    except OSError as exc:
        current = None
        reason = f"cannot be read ({exc.strerror})"
    else:
        reason = "is out of date"
    if current != text:
        sys.stderr.write(f"{args.check} {reason}; regenerate it with: {REGENERATE}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
