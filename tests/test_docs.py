"""The docs are tested against the code: the command reference is generated from the app and must
be checked in up to date, every command and option is documented, every exit code and every JSON
key is documented, and the README's set-up commands are the ones CI runs."""

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from clientcard.cli import app
from clientcard.cli._click import Command
from clientcard.cli.errors import ExitCode
from clientcard.cli.reference import REGENERATE, main, render
from clientcard.services.views import CLIENT_FIELDS

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
COMMANDS_MD = DOCS / "commands.md"


def _commands(command: Command, path: str) -> Iterator[tuple[str, Command]]:
    """Every visible command under `command`, read from Click directly (not via reference.py)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from _commands(sub, f"{path} {name}")


COMMANDS = dict(_commands(typer.main.get_command(app), "clientcard"))
OPTIONS = [
    (path, flag)
    for path, command in COMMANDS.items()
    for param in command.params
    if param.param_type_name == "option" and not getattr(param, "hidden", False)
    for flag in [*param.opts, *param.secondary_opts]
]


@pytest.fixture(scope="module")
def reference() -> str:
    return COMMANDS_MD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(reference: str) -> dict[str, str]:
    """docs/commands.md split by its `## \\`clientcard ...\\`` headings."""
    found: dict[str, str] = {}
    for chunk in re.split(r"^## ", reference, flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        found[heading.strip().strip("`")] = body
    return found


def test_commands_md_is_up_to_date(reference: str) -> None:
    assert reference == render(), f"docs/commands.md is out of date; run `{REGENERATE}`"


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_is_documented(sections: dict[str, str], path: str) -> None:
    assert path in sections, f"`{path}` has no section in docs/commands.md; run `{REGENERATE}`"


@pytest.mark.parametrize(("path", "flag"), OPTIONS)
def test_every_option_is_documented(sections: dict[str, str], path: str, flag: str) -> None:
    assert f"`{flag}" in sections.get(path, ""), (
        f"`{path} {flag}` is not in docs/commands.md; run `{REGENERATE}`"
    )


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_has_help(path: str) -> None:
    assert COMMANDS[path].help, f"`{path}` has no help text: give its function a docstring"


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_summary_is_one_line(path: str) -> None:
    """`clientcard --help` lists the first paragraph: it must not break mid-sentence."""
    first = (COMMANDS[path].help or "").strip().split("\n\n")[0]
    assert "\n" not in first, f"`{path}`: put a blank line after the docstring's first sentence"


def test_reference_check_passes_when_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = tmp_path / "commands.md"
    current.write_text(render(), encoding="utf-8")
    assert main(["--check", str(current)]) == 0
    assert capsys.readouterr() == ("", "")


def test_reference_check_fails_with_one_line_when_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "commands.md"
    stale.write_text(render().replace("## `clientcard add`", "## `clientcard ad`"), "utf-8")
    assert main(["--check", str(stale)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{stale} is out of date; regenerate it with: {REGENERATE}\n"


def test_reference_does_not_depend_on_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = render()
    monkeypatch.setenv("COLUMNS", "300")
    assert render() == narrow


# ---- exit codes and formats ----------------------------------------------------------------


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_every_exit_code_is_documented(code: ExitCode) -> None:
    text = (DOCS / "exit-codes.md").read_text(encoding="utf-8")
    row = re.compile(rf"^\|\s*`?{code.value}`?\s*\|\s*`?{code.name}`?\s*\|", re.MULTILINE)
    assert row.search(text), f"docs/exit-codes.md has no table row `| {code.value} | {code.name} |`"


def test_traceback_variable_is_documented() -> None:
    assert "CLIENTCARD_TRACEBACK=1" in (DOCS / "exit-codes.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", CLIENT_FIELDS)
def test_every_client_json_key_is_documented(key: str) -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    assert re.search(rf"^\|\s*`{key}`\s*\|", text, re.MULTILINE), (
        f"docs/formats.md has no table row for the client key `{key}`"
    )


# ---- README ----------------------------------------------------------------------------------


def _normal(command: str) -> list[str]:
    """A shell command as CI and the README both mean it: no VAR=value prefix, the program
    without its directory, no --quiet/-q."""
    words = shlex.split(command)
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words.pop(0)
    if words:
        words[0] = Path(words[0]).name
    return [w for w in words if w not in ("--quiet", "-q")]


def _readme_setup() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[a-z]*\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert block, "README.md has no code block"
    return [
        line.strip()
        for line in block[1].splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    lines = _readme_setup()
    assert len(lines) == 2, lines
    install, test = ([_normal(c) for c in line.split("&&")] for line in lines)
    assert install == [
        ["python3", "-m", "venv", ".venv"],
        ["pip", "install", "."],
        ["clientcard", "due", "--today"],
    ]
    assert test == [["pip", "install", ".[test]"], ["pytest", "-n", "auto"]]


def test_readme_setup_commands_are_the_ones_ci_runs() -> None:
    ci = [
        _normal(line)
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "echo"))
    ]
    ci_steps = [c for c in ci if c and c[0] in ("pip", "clientcard", "pytest")]
    readme_steps = [
        _normal(c)
        for line in _readme_setup()
        for c in line.split("&&")
        if _normal(c)[:1] != ["python3"]
    ]
    assert readme_steps == ci_steps
