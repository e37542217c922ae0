"""Our own fuzz test (issue 13): random argument vectors built from the real command tree.

Every command and option of the CLI, with values drawn from a hostile alphabet (control
characters, escape sequences, lone surrogates, huge numbers, very long strings, CJK, markup) and
from plausible ones (the book's ids and names, dates, grades, channels), run through CliRunner
against a small book. The properties, for every run:
- the exit code is one of the documented codes (docs/exit-codes.md), never 70;
- nothing says "internal error";
- no raw control character reaches stdout or stderr (a machine format's stdout carries the stored
  text exactly, so it is left out of that check; its stderr is not);
- the book is unchanged whenever the command failed.

In CI it runs a fixed, bounded set of examples (derandomized: the same every run).
`CLIENTCARD_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py` runs longer, with fresh randomness
when `CLIENTCARD_FUZZ_RANDOM=1` is set too.
"""

import itertools
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from clientcard.cli import app
from clientcard.cli.reference import click_command, walk
from helpers import seeded_database

EXAMPLES = int(os.environ.get("CLIENTCARD_FUZZ_EXAMPLES", "400"))
DOCUMENTED_CODES = {0, 1, 2, 3, 74, 75}
# What a terminal would act on: C0 controls but newline and tab, DEL, C1 controls, and the
# bidirectional overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MACHINE_FORMATS = {"json", "csv", "tsv"}

# Commands that touch the world outside the book, left out: `completion` installs into a shell's
# files.
SKIPPED = {"clientcard --install-completion", "clientcard --show-completion"}

BOOK = [
    ("add", "张伟", "--company", "平安保险", "--phone", "138 0013 8000", "--tag", "vip"),
    ("add", "Maria Lopez", "--company", "Lopez Logistics", "--grade", "D"),
    ("add", "Li Na", "--referred-by", "张伟", "--note", "wants a quote"),
    ("log", "张伟", "first visit", "--via", "visit"),
    ("promise", "add", "Maria", "send the quote", "--due", "tue"),
    ("complaint", "add", "Li Na", "late delivery"),
    ("sale", "Maria", "1200", "--what", "fleet policy"),
    ("date", "add", "张伟", "birthday", "may 3", "--yearly"),
    ("person", "add", "张伟", "Amy", "--role", "assistant"),
]


COMMANDS = {" ".join(e.path.split()[1:]): e.command for e in walk(click_command(app))}
LEAVES = sorted(
    path
    for path, command in COMMANDS.items()
    if path and not getattr(command, "commands", None) and f"clientcard {path}" not in SKIPPED
)

hostile = st.one_of(
    st.sampled_from(
        [
            "\x1b[31mred\x1b[0m",
            "\x1b]0;owned\x07",
            "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07",
            "\x9b31m",
            "a\rb",
            "x\by",
            "\x07",
            "\x00",
            "\x7f",
            "\u202eevil",
            "\u2066iso\u2069",
            "\udcff\udcfe",
            "[bold]x[/bold]",
            "[link=http://evil.example]y[/link]",
            '=HYPERLINK("http://x","y")',
            "99999999999999999999999999",
            "-1",
            "0",
            "1e309",
            "",
            " ",
            "x" * 5000,
            "张" * 300,
            "😀👍🏽",
        ]
    ),
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=("L", "N", "P", "S", "Zs", "Cc", "Cf"),
        ),
        max_size=40,
    ),
)
plausible = st.sampled_from(
    [
        "1",
        "2",
        "3",
        "#1",
        "张伟",
        "张",
        "Maria",
        "Li Na",
        "A",
        "b",
        "F",
        "call",
        "visit",
        "tomorrow",
        "fri 15:00",
        "2026-12-01",
        "+3d",
        "eow",
        "may 32",
        "vip",
        "json",
        "csv",
        "table",
        "high",
        "good",
        "4",
        "100",
    ]
)
values = st.one_of(plausible, plausible, hostile)


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(LEAVES))
    command = COMMANDS[path]
    argv = path.split()
    options: list[str] = []
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument":
            count = param.nargs if param.nargs > 0 else draw(st.integers(0, 2))
            if not param.required and draw(st.booleans()):
                continue
            argv += [draw(values) for _ in range(count)]
        elif not getattr(param, "hidden", False) and draw(st.integers(0, 3)) == 0:
            flag = draw(st.sampled_from(list(param.opts)))
            if flag in ("--help", "-h"):
                continue
            if getattr(param, "is_flag", False):
                options.append(flag)
            elif flag in ("--format", "-f") and draw(st.booleans()):
                options += [flag, draw(st.sampled_from(["table", "json", "csv", "tsv"]))]
            else:
                options += [flag, draw(values)]
    return argv + options


def _machine_format(argv: list[str]) -> bool:
    """Whether the command writes a machine format on stdout (export always does)."""
    if argv[0] == "export":
        return True
    return any(
        flag in ("--format", "-f") and value in MACHINE_FORMATS
        for flag, value in itertools.pairwise(argv)
    )


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return [
            (table, *row)
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("fuzz-book")
    yield seeded_database(folder, BOOK)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_fuzzer_reaches_every_command() -> None:
    assert len(LEAVES) > 40
    for expected in ("add", "log", "due", "show", "list", "promise add", "import", "export"):
        assert expected in LEAVES


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CLIENTCARD_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=argvs())
def test_no_input_breaks_clientcard(
    argv: list[str], template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "fuzz.db"
    shutil.copyfile(template, book)
    monkeypatch.chdir(tmp_path)  # a file an export writes lands here
    before = _snapshot(book)
    result = CliRunner().invoke(
        app, argv, env={"CLIENTCARD_DB": str(book)}, prog_name="clientcard", input=""
    )
    shown = f"argv={argv!r}\nexit={result.exit_code}\nstderr={result.stderr[-2000:]!r}"
    assert result.exit_code in DOCUMENTED_CODES, shown
    assert "internal error" not in result.stderr, shown
    assert not RAW_CONTROL.search(result.stderr), shown
    if not _machine_format(argv):
        assert not RAW_CONTROL.search(result.stdout), f"{shown}\nstdout={result.stdout[-2000:]!r}"
    if result.exit_code != 0:
        assert _snapshot(book) == before, shown
