"""Help text (issue 12, point 4): whole sentences that Typer and Rich wrap themselves, with no
hard line break inside a sentence, for every command and group."""

import itertools
import re

import pytest
import typer
from rich.cells import cell_len

from clientcard.cli import app
from clientcard.cli.errors import whole_sentences
from helpers import Run

WIDTH = 80


def commands() -> list[list[str]]:
    found: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def description(out: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first panel, as rendered lines."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "Usage:" in line) + 1
    end = next((i for i, line in enumerate(lines) if line.startswith(("╭", "+-"))), len(lines))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:end]:
        text = line.strip()
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "clientcard")
def test_help_is_wrapped_by_rich_not_by_hand(cli: Run, path: list[str]) -> None:
    result = cli(*path, "--help", env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= WIDTH
    for paragraph in description(result.stdout):
        for line, following in itertools.pairwise(paragraph):
            if following.startswith(("- ", "* ")):
                continue  # a list item starts its own line
            # Rich broke this line only if the next word did not fit on it (in terminal
            # cells: 姓名 takes four)
            next_word = following.split()[0]
            assert cell_len(line) + 1 + cell_len(next_word) > WIDTH - 4, (path, line, following)


def test_the_check_sees_a_hard_line_break(cli: Run) -> None:
    hard = "Each sale makes a thank-you due, cleared by the next\ncontact logged."
    assert whole_sentences(f"First line.\n\n{hard}") == (
        "First line.\n\nEach sale makes a thank-you due, cleared by the next contact logged."
    )
    rendered = ["Each sale makes a thank-you due, cleared by the next", "contact logged."]
    assert not len(rendered[0]) + 1 + len("contact") > WIDTH - 4


def test_lists_and_examples_keep_their_lines() -> None:
    text = "Intro line\ncontinued.\n\n- one\n- two\n\n    indented example\n    more"
    assert whole_sentences(text) == (
        "Intro line continued.\n\n- one\n- two\n\n    indented example\n    more"
    )


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "clientcard")
def test_every_argument_type_reads_as_a_word(cli: Run, path: list[str]) -> None:
    """Issue 12 point 4: a record's id is parsed by a function (`record_id`), whose name Typer
    shows as the argument's type: it reads `<str>` as any text argument, never `<parse>`."""
    out = cli(*path, "--help", env={"COLUMNS": "200"}).stdout
    assert "<parse>" not in out
    assert all(kind in {"str", "int", "float"} for kind in re.findall(r"<(\w+)>", out)), out
