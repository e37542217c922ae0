"""The Chinese README's tour (docs/zh/README.md) is real output, in Chinese.

Replayed as tests/test_readme_tour.py replays the English one, with `LANG=zh_CN.UTF-8`: every
```console block of its tour sections, in order, through the installed `clientcard`, must print
the lines shown under each `$ ` command. And what it prints is Chinese: no English word but
names, codes, option and command names, formats and units (the allow-list below); machine
output (`--format json|csv|tsv`) and the files the tour writes are left out of that check.

After an intended change of output, rewrite the README's output lines with
`CLIENTCARD_UPDATE_README=1 pytest tests/test_readme_zh_tour.py` and read the diff.
"""

import os
import re
from pathlib import Path

import pytest

import test_readme_tour as english
from test_readme_tour import Section, Step, replay

README = english.ROOT / "docs" / "zh" / "README.md"
TOUR = ["五分钟上手", "每天的待办", "导入和导出"]
# Latin words a Chinese page may show: the program and its commands, the tour's own data
# (a tag, the user), codes and units that stay as they are, formats and encodings.
ALLOWED = {
    "clientcard",
    "li",
    "vip",
    "CNY",
    "new",  # F-new
    "slow",  # F-slow
    "json",
    "csv",
    "tsv",
    "xlsx",
    "vcard",
    "ics",
    "html",
    "docs",
    "md",
    "help",
    "UTC",
    "CSV",
    "JSON",
    "HTML",
    "ID",
}
COMMANDS = {
    "add", "log", "grade", "show", "list", "due", "edit", "snooze", "contacts", "sale", "sales",
    "rate", "archive", "unarchive", "delete", "handover", "claim", "release", "pool", "dupes",
    "merge", "import", "export", "backup", "restore", "promise", "complaint", "date", "holiday",
    "person", "report", "config", "db", "search",
}  # fmt: skip
MACHINE = re.compile(r"--format (json|csv|tsv)|(^|\s)-f (json|csv|tsv)")


def tour(lines: list[str]) -> list[Section]:
    saved = english.TOUR
    english.TOUR = TOUR
    try:
        return english.tour(lines)
    finally:
        english.TOUR = saved


@pytest.fixture
def replayed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Step, list[str]]]:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    lines = README.read_text(encoding="utf-8").split("\n")
    sections = tour(lines)
    assert [s.title for s in sections] == TOUR
    done = replay(sections, tmp_path)
    if os.environ.get("CLIENTCARD_UPDATE_README"):
        for step, got in reversed(done):
            lines[step.first : step.first + len(step.shown)] = got
        README.write_text("\n".join(lines), encoding="utf-8")
    return done


def english_words(line: str) -> list[str]:
    """The Latin words of a printed line that are not names, codes or option names."""
    line = re.sub(r"`[^`]*`", " ", line)  # a command quoted for the reader to type
    line = re.sub(r"--?[\w-]+", " ", line)  # option names
    line = re.sub(r"\S+@\S+|\S+\.(md|csv|db|html)\b", " ", line)  # addresses, file names
    words = re.findall(r"[A-Za-z]{2,}", line)
    return [w for w in words if w not in ALLOWED and w not in COMMANDS]


def test_the_chinese_tour_prints_what_the_chinese_readme_shows(
    replayed: list[tuple[Step, list[str]]],
) -> None:
    wrong = [
        f"{step.section}: $ {step.command}\n--- README\n"
        + "\n".join(step.shown)
        + "\n--- printed\n"
        + "\n".join(got)
        for step, got in replayed
        if got != step.shown
    ]
    assert wrong == [], "\n\n".join(wrong)


def test_the_chinese_tour_prints_no_english(replayed: list[tuple[Step, list[str]]]) -> None:
    found = [
        f"$ {step.command}\n    {line}\n    -> {' '.join(words)}"
        for step, got in replayed
        if not MACHINE.search(step.command) and not step.command.startswith(("cat ", "export "))
        for line in got
        if (words := english_words(line))
    ]
    assert found == [], f"{len(found)} line(s) with English:\n" + "\n".join(found)


def test_the_chinese_tour_is_the_english_tour_in_chinese() -> None:
    """The same steps as README.md's tour: the clock pinned first, `due` at three widths, a
    Chinese date, an amount in 万, pinyin initials and a word from a call found."""
    steps = [
        s for section in tour(README.read_text(encoding="utf-8").split("\n")) for s in section.steps
    ]
    commands = [s.command for s in steps]
    assert commands[0].startswith("export ")
    assert "CLIENTCARD_NOW=" in commands[0]
    dues = [c for c in commands if re.fullmatch(r"(COLUMNS=\d+ )?clientcard due", c)]
    assert dues == ["clientcard due", "COLUMNS=60 clientcard due", "COLUMNS=120 clientcard due"]
    assert any("周三" in c for c in commands)
    assert any("万" in c and c.startswith("clientcard sale") for c in commands)
    assert "clientcard list --search zw" in commands
    assert any(c.startswith("clientcard search ") for c in commands)
    english_commands = [
        s.command.split()[1] for section in english.tour(english.README.read_text().split("\n"))
        for s in section.steps if s.command.startswith("clientcard ")
    ]  # fmt: skip
    ours = {c.split()[1] for c in commands if c.startswith("clientcard ")}
    assert set(english_commands) <= ours
