"""Issue 12, speed: the command tree is built one command at a time (cli/_tree.py).

The root's `--help` and the completion of a command's name come from the index in
cli/__init__.py without importing any command module; they must read exactly as they would from
the commands themselves, and a command that runs imports its own module and no other.
"""

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientcard.cli import COMMANDS, Root, app
from clientcard.cli._tree import CommandTree
from clientcard.cli.errors import CardGroup, whole_sentences
from helpers import run_main

COMMAND_MODULES = sorted({f"clientcard.cli.{entry.module}" for entry in COMMANDS})


def test_every_summary_is_the_first_paragraph_of_its_commands_help() -> None:
    """When a command's help changes, its line in cli/__init__.py's COMMANDS must too."""
    tree = Root(name="clientcard")
    for entry in COMMANDS:
        command = tree.build(entry)
        assert command.name == entry.name
        first = inspect.cleandoc(whole_sentences(command.help or "")).split("\n\n")[0]
        assert entry.summary == first, (
            f"cli/__init__.py: the summary of {entry.name!r} should read {first!r}"
        )
        assert not command.hidden
        assert not command.deprecated
        assert command.short_help is None


def test_the_tree_lists_every_command_in_order_and_builds_each_once() -> None:
    tree = Root(name="clientcard")
    names = [entry.name for entry in COMMANDS]
    assert list(tree.commands) == names
    assert tree.get_command(None, "nothing") is None  # type: ignore[arg-type]
    first = tree.get_command(None, "due")  # type: ignore[arg-type]
    assert first is not None
    assert first is tree.get_command(None, "due")  # type: ignore[arg-type]
    assert [c.name for c in tree.commands.values()] == names


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(
        app, args, env={"COLUMNS": "80", **(env or {})}, prog_name="clientcard"
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        ([], {}),
        ([], {"_CLIENTCARD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "clientcard "}),
        ([], {"_CLIENTCARD_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "clientcard p",
              "_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
        ([], {"_CLIENTCARD_COMPLETE": "complete_bash", "COMP_WORDS": "clientcard p",
              "COMP_CWORD": "1"}),
    ],
)  # fmt: skip
def test_the_index_reads_as_the_commands_themselves(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    from_index = _run(args, env)
    assert "promise" in from_index
    # The same, with every command built as Typer would build the whole app.
    monkeypatch.setattr(CommandTree, "format_help", CardGroup.format_help)
    monkeypatch.setattr(CommandTree, "shell_complete", CardGroup.shell_complete)
    assert _run(args, env) == from_index


def _loaded(tmp_path: Path, args: list[str], **env: str) -> set[str]:
    _, loaded = run_main(args, {"CLIENTCARD_DB": str(tmp_path / "cards.db"), **env})
    return loaded & set(COMMAND_MODULES)


def test_help_and_completing_a_command_import_no_command_module(tmp_path: Path) -> None:
    assert _loaded(tmp_path, ["--help"]) == set()
    completing = {"_CLIENTCARD_COMPLETE": "complete_bash", "COMP_WORDS": "clientcard gr"}
    assert _loaded(tmp_path, [], COMP_CWORD="1", **completing) == set()


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["add", "张伟", "-q"], "clientcard.cli.cards"),
        (["due", "--today"], "clientcard.cli.agenda"),
        (["promise", "--help"], "clientcard.cli.promises"),
        (["show", "--help"], "clientcard.cli.show"),
    ],
)
def test_a_command_imports_its_own_module_alone(
    tmp_path: Path, args: list[str], module: str
) -> None:
    assert _loaded(tmp_path, args) == {module}


def test_help_does_without_rich_markdown_until_it_is_used(tmp_path: Path) -> None:
    """cli/_click.py's stand-ins: `--help` imports neither Markdown nor Rich's tracebacks, and
    either still works, as the real class, once something uses it."""
    program = """
import sys
from clientcard.cli import main
sys.argv = ["clientcard", "--help"]
try:
    main()
except SystemExit:
    pass
extras = ("markdown_it", "pygments")
print("LOADED=" + ",".join(sorted(m for m in sys.modules if m.startswith(extras))))
from typer import rich_utils
from rich.console import Console
shown = rich_utils._make_rich_text(text="**bold**", markup_mode="markdown")
print(type(shown).__module__, type(shown).__name__)
Console(width=20).print(shown)
tb = rich_utils.Traceback.from_exception(ValueError, ValueError("x"), None)
print(type(tb).__module__, type(sys.modules["rich.markdown"]).__name__)
"""
    proc = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "CLIENTCARD_DB": str(tmp_path / "cards.db"), "COLUMNS": "80"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    lines = proc.stdout.splitlines()
    loaded = next(line for line in lines if line.startswith("LOADED="))
    assert loaded == "LOADED="
    after = lines[lines.index(loaded) + 1 :]
    assert after[0] == "rich.markdown Markdown"
    assert after[1].strip() == "bold"
    assert after[2] == "rich.traceback module"
