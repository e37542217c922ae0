"""Issue 12, point 3: completing a client stays under 0.15 s at 100,000 cards. The console script
(clientcard/script.py) answers bash's <TAB> on the CLIENT right after a command without loading
Typer or the CLI; these tests hold it to the CLI's own answer, word for word, and to the CLI's
list of commands that take a CLIENT first."""

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from clientcard import script
from clientcard.cli import _completion, app
from helpers import Run, add

pytestmark = pytest.mark.usefixtures("migrated")

# Runs one entry point in a fresh interpreter; prints its output, then the modules it loaded.
PROGRAM = """
import json, sys
from {module} import main
sys.argv = ["clientcard"]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
stack = ("typer", "rich", "sqlmodel", "sqlalchemy", "alembic", "clientcard.cli")
print("\\nLOADED=" + json.dumps(sorted(m for m in stack if m in sys.modules)))
"""


def last_word(line: str) -> int:
    """The index of the word the cursor is in at the end of `line`, as bash counts it."""
    return len(script._words(line)) - (0 if line.endswith(" ") else 1)


def complete(module: str, line: str, cword: int | None = None, **env: str) -> tuple[str, list[str]]:
    """What `module`'s main prints for bash completing word `cword` of `line` (default: the
    last; a trailing space starts a new, empty word), and the libraries it loaded."""
    full = {
        **os.environ,
        "_CLIENTCARD_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(last_word(line) if cword is None else cword),
        "PYTHONIOENCODING": "utf-8",
        **env,
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(module=module)],
        env=full,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert proc.stderr == ""
    output, _, loaded = proc.stdout.rpartition("\nLOADED=")
    return output, json.loads(loaded)


@pytest.fixture
def book(ok: Run) -> None:
    add(ok, "张伟", "--company", "平安保险", "--grade", "B")  # 1
    add(ok, "张伟", "--company", "阿里巴巴")  # 2: the same name, so both are offered by id
    add(ok, "张小明")  # 3
    add(ok, "José García", "--company", "Acme (HK) & Co")  # 4: offered escaped for bash
    add(ok, "李娜", "--company", "平安银行")  # 5
    for n in range(6, 13):
        add(ok, f"Card {n}")
    ok("archive", "12")
    ok("log", "3", "--via", "call", "--at", "2026-06-01 10:00")  # due: offered for nothing typed


QUICK = [
    "clientcard log 张",
    "clientcard log 张伟",
    "clientcard log zh",  # nothing: no name starts so
    "clientcard show jo",
    "clientcard show José\\ G",
    'clientcard show "José G',
    "clientcard promise add 平安",  # the cards of 平安保险 and 平安银行
    "clientcard log 1",
    "clientcard log #1",
    "clientcard log ",  # nothing typed: the cards due
    "clientcard unarchive ",
    "clientcard unarchive 1",
    "clientcard archive 1",
    "clientcard person list C",
]


@pytest.mark.parametrize("line", QUICK)
def test_the_script_answers_a_client_after_its_command_as_the_cli_does_without_loading_it(
    book: None, line: str
) -> None:
    quick, loaded = complete("clientcard.script", line)
    assert loaded == []  # neither Typer nor the CLI, nor the database stack
    slow, loaded_by_cli = complete("clientcard.cli", line)
    assert "typer" in loaded_by_cli  # the probe sees what is loaded
    assert quick == slow


def test_what_the_quick_answer_holds(book: None) -> None:
    """Not only equal to the CLI's answer: the right one (test_completion.py has the rest)."""
    # one candidate a line, and a new line at the end, as the CLI prints them
    assert complete("clientcard.script", "clientcard log 张")[0] == "1\n2\n张小明\n"
    assert complete("clientcard.script", "clientcard log jo")[0] == "José\\ García\n"
    assert complete("clientcard.script", "clientcard log 1")[0] == "1\n10\n11\n"  # 12: archived
    assert complete("clientcard.script", "clientcard unarchive 1")[0] == "12\n"
    # the word under the cursor, not the last one: bash's COMP_CWORD says which
    line = "clientcard log 张 extra"
    assert complete("clientcard.script", line, 2) == ("1\n2\n张小明\n", [])
    assert complete("clientcard.cli", line, 2)[0] == "1\n2\n张小明\n"
    assert complete("clientcard.script", "clientcard log ")[0] == "张小明\n"


def test_the_db_given_on_the_line_is_the_book_read(book: None, db_path: Path) -> None:
    """`--db PATH` and `--db=PATH` before the command, as the CLI reads them; CLIENTCARD_DB
    names another, empty, book, so the answer shows which one was read."""
    other = str(db_path.parent / "other.db")
    for line in (f"clientcard --db {db_path} log 李", f"clientcard --db={db_path} log 李"):
        quick, loaded = complete("clientcard.script", line, CLIENTCARD_DB=other)
        assert (quick, loaded) == ("李娜\n", [])
        assert complete("clientcard.cli", line, CLIENTCARD_DB=other)[0] == quick
    assert not Path(other).exists()  # never created by a <TAB>


@pytest.mark.parametrize(
    "line",
    [
        "clientcard log --via call 张",  # an option before the CLIENT
        "clientcard log 张伟 ",  # the SUMMARY, not a CLIENT
        "clientcard log --v",  # an option
        "clientcard lo",  # a command
        "clientcard promise done ",  # an ID, not a CLIENT
    ],
)
def test_anything_else_is_left_to_the_cli(book: None, line: str) -> None:
    quick, loaded = complete("clientcard.script", line)
    assert "clientcard.cli" in loaded
    assert quick == complete("clientcard.cli", line)[0]


def test_other_shells_are_left_to_the_cli(book: None) -> None:
    env = {"_CLIENTCARD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "clientcard log 张"}
    assert script.quick_completion(env) is None


def test_a_book_that_cannot_be_read_offers_nothing(book: None, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all, just some bytes" * 100)
    line = f"clientcard --db {broken} log 张"
    assert complete("clientcard.script", line) == ("\n", [])
    assert complete("clientcard.cli", line)[0] == "\n"
    missing = tmp_path / "missing.db"
    assert complete("clientcard.script", f"clientcard --db {missing} log 张") == ("\n", [])
    assert not missing.exists()


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def test_the_commands_that_take_a_client_first_are_the_clis() -> None:
    root = typer.main.get_command(app)
    expected = {}
    for path, command in _commands(root):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        if arguments and arguments[0].metavar == "CLIENT":
            expected[path] = path == ("unarchive",)
    assert expected == script.CLIENT_FIRST
    assert ("log",) in expected  # not vacuous
    assert ("promise", "add") in expected


def test_the_script_escapes_for_bash_as_the_cli_does() -> None:
    # Both write through services/views/completion.for_bash (one rule, no copy to keep alike).
    from clientcard.services.views.completion import for_bash

    assert "for_bash" in inspect.getsource(script.quick_completion)
    assert "for_bash" in inspect.getsource(_completion.Bash.format_completion)
    assert script._words('clientcard log "José G') == ["clientcard", "log", "José G"]
    assert for_bash("\u3000") == "\\\u3000"  # an ideographic space is a space


def test_the_installed_script_is_the_quick_one(book: None) -> None:
    """pyproject.toml's console script is clientcard.script:main."""
    installed = Path(sys.executable).parent / "clientcard"
    if not installed.exists():
        pytest.skip(f"clientcard is not installed next to {sys.executable}")
    assert "from clientcard.script import main" in installed.read_text(encoding="utf-8")
    proc = subprocess.run(
        [str(installed)],
        env={
            **os.environ,
            "_CLIENTCARD_COMPLETE": "complete_bash",
            "COMP_WORDS": "clientcard log 李",
            "COMP_CWORD": "2",
            "PYTHONIOENCODING": "utf-8",
        },
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert (proc.stdout, proc.stderr) == ("李娜\n", "")
