"""The README's tour (and docs/agenda.md's screenshots of `due`) are real output, and stay so.

Every ```console block of the README's tour sections is replayed in order, through the installed
`clientcard` in a shell, and what each `$ ` command prints (standard output and error, as a
terminal shows them) must be the lines the README shows under it. The tour pins its own clock
with `$ export CLIENTCARD_NOW=...` lines, which a reader can type too; the shell starts with
`COLUMNS=80` (the width the README names) and each section on a fresh book in a temporary
folder (an `export CLIENTCARD_DB=/tmp/x.db` in the README becomes a file of that name there).
`$ cat FILE` shows a file the next commands read: the test writes it from the lines shown.

After an intended change of output, rewrite the README's output lines with
`CLIENTCARD_UPDATE_README=1 pytest tests/test_readme_tour.py` and read the diff.
"""

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
AGENDA = ROOT / "docs" / "agenda.md"
SCRIPT = Path(sys.executable).parent / "clientcard"
TOUR = ["A five-minute tour", "Everyday agenda", "Bringing cards in and out"]

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"clientcard is not installed next to {sys.executable}"
)


@dataclass
class Step:
    command: str
    shown: list[str]  # the lines the README shows under it
    first: int  # README line index of the first of them
    section: str


@dataclass
class Section:
    title: str
    steps: list[Step] = field(default_factory=list)


def tour(lines: list[str]) -> list[Section]:
    """The `$ ` commands of the tour's console blocks, each with the output shown under it."""
    sections: list[Section] = []
    current: Section | None = None
    in_block = False
    for number, line in enumerate(lines):
        if line.startswith("## "):
            title = line[3:].strip()
            current = Section(title) if title in TOUR else None
            if current is not None:
                sections.append(current)
        elif current is not None and line.startswith("```"):
            in_block = line.strip() == "```console" if not in_block else False
        elif current is not None and in_block:
            if line.startswith("$ "):
                current.steps.append(Step(line[2:], [], number + 1, current.title))
            else:
                assert current.steps, f"README line {number + 1}: output before any command"
                current.steps[-1].shown.append(line)
    return sections


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLIENTCARD_", "_CLIENTCARD", "COLUMNS", "LINES", "TZ", "NO_COLOR"))
    }
    env.update(
        PATH=f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}",
        COLUMNS="80",
        CLIENTCARD_CONFIG=str(tmp_path / "config.toml"),
        # Who runs the tour (the login name otherwise): a new card's owner, who did what.
        CLIENTCARD_USER="li",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONIOENCODING="utf-8",
        TERM="dumb",
    )
    return env


def export(command: str, env: dict[str, str], folder: Path) -> None:
    """`export NAME=VALUE ...` as the shell does it; a book under /tmp lands in `folder`."""
    for word in shlex.split(command)[1:]:
        name, _, value = word.partition("=")
        if name == "CLIENTCARD_DB":
            value = str(folder / Path(value).name)
        env[name] = value


def run(command: str, env: dict[str, str], folder: Path) -> list[str]:
    proc = subprocess.run(
        ["bash", "-c", command],
        env=env,
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return proc.stdout.splitlines()


def replay(sections: list[Section], tmp_path: Path) -> list[tuple[Step, list[str]]]:
    """Each step with what it printed."""
    env = base_env(tmp_path)
    done = []
    for n, section in enumerate(sections):
        folder = tmp_path / f"section-{n}"
        folder.mkdir()
        env["CLIENTCARD_DB"] = str(folder / "cards.db")  # each section on a fresh book
        for step in section.steps:
            if step.command.startswith("export "):
                export(step.command, env, folder)
                got: list[str] = []
            elif re.fullmatch(r"cat [\w.-]+", step.command):
                (folder / step.command.split()[1]).write_text(
                    "".join(line + "\n" for line in step.shown), encoding="utf-8"
                )
                got = step.shown
            else:
                got = run(step.command, env, folder)
            done.append((step, got))
    return done


def test_the_readme_tour_prints_what_the_readme_shows(tmp_path: Path) -> None:
    lines = README.read_text(encoding="utf-8").split("\n")
    sections = tour(lines)
    assert [s.title for s in sections] == TOUR
    done = replay(sections, tmp_path)
    if os.environ.get("CLIENTCARD_UPDATE_README"):
        for step, got in reversed(done):  # from the end, so line numbers stay true
            lines[step.first : step.first + len(step.shown)] = got
        README.write_text("\n".join(lines), encoding="utf-8")
    wrong = [
        f"{step.section}: $ {step.command}\n--- README\n"
        + "\n".join(step.shown)
        + "\n--- printed\n"
        + "\n".join(got)
        for step, got in done
        if got != step.shown
    ]
    assert wrong == [], "\n\n".join(wrong)


def test_the_tour_pins_its_clock_and_shows_the_page_at_three_widths() -> None:
    """The replay above is not of an empty tour: the clock is pinned before the first command
    and moves as the prose says, and `due` is shown at 80, 60 and 120 columns."""
    sections = tour(README.read_text(encoding="utf-8").split("\n"))
    steps = [s for section in sections for s in section.steps]
    commands = [s.command for s in steps]
    assert commands[0].startswith("export ")
    assert "CLIENTCARD_NOW=" in commands[0]
    assert "TZ=Asia/Shanghai" in commands[0]
    clocks = [re.search(r"CLIENTCARD_NOW=(\S+)", c) for c in commands]
    assert len({m.group(1) for m in clocks if m}) >= 4
    dues = [c for c in commands if re.fullmatch(r"(COLUMNS=\d+ )?clientcard due", c)]
    assert dues == ["clientcard due", "COLUMNS=60 clientcard due", "COLUMNS=120 clientcard due"]
    assert sum(1 for s in steps if s.shown) >= 15


# ---- docs/agenda.md: the benchmark's 28,000-card book at 80, 60 and 120 columns ----------


@pytest.fixture(scope="module")
def benchmark_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate  # benchmarks/generate.py
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path_factory.mktemp("benchmark") / "book-28000.db"
    generate.build(path, 28_000)
    return path


def test_the_agenda_pages_in_docs_are_the_benchmark_books(
    benchmark_book: Path, tmp_path: Path
) -> None:
    """docs/agenda.md, "The page": each screenshot names its `due --today --limit N` and
    width; the benchmark's book (benchmarks/generate.py, 28,000 cards, its Friday morning)
    prints exactly it."""
    text = AGENDA.read_text(encoding="utf-8")
    shots = re.findall(
        r"[Aa]t (\d+) columns[^`]*\(`(due --today --limit \d+)`\)[^`]*?```console\n(.*?)```",
        text,
        flags=re.S,
    )
    assert [int(width) for width, _, _ in shots] == [80, 60, 120]
    env = base_env(tmp_path) | {
        "CLIENTCARD_DB": str(benchmark_book),
        "CLIENTCARD_NOW": "2026-11-20T09:00+08:00",
        "TZ": "Asia/Shanghai",
    }
    for width, command, shown in shots:
        printed = run(f"clientcard {command}", env | {"COLUMNS": width}, tmp_path)
        assert "\n".join(printed) + "\n" == shown, (width, command)
