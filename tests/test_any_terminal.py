"""Any terminal (issue 12, point 6; docs/formats.md "Any terminal"): when standard output
cannot encode a character, clientcard writes a replacement and exits 0, the machine formats say
so once on stderr; NO_COLOR, TERM=dumb and piped output print no escape codes.

These run the installed `clientcard` in a real process: the stream's encoding is the point."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientcard.output.terminal import NOTE
from helpers import Run, add, complaint, promise
from helpers import in_a_terminal as terminal

PROGRAM = Path(sys.executable).parent / "clientcard"
ESC = "\x1b["
NOTE_LINE = NOTE.format(encoding="ascii")

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture
def book(ok: Run) -> None:
    add(ok, "张伟", "--company", "平安保险", "--grade", "A", "--note", "喜欢喝茶 — “绿茶”")
    add(ok, "José García", "--company", "Ünïcode GmbH", "--grade", "B")
    add(ok, "Emoji 😀", "--grade", "C")
    promise(ok, "张伟", "送报价单", "--due", "2026-11-21")
    complaint(ok, "José", "理赔太慢")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(PROGRAM), *args],
        env={**os.environ, **env},
        capture_output=True,
        timeout=60,
        check=False,
    )


def in_a_terminal(*args: str, **env: str) -> str:
    """Run in a pseudo-terminal, 80 columns; what it printed."""
    return terminal([str(PROGRAM), *args], {**os.environ, "COLUMNS": "80", "LINES": "40", **env})


PEOPLE = [
    ["list"],
    ["show", "1"],
    ["show", "José"],
    ["due", "--week"],
    ["contacts"],
    ["promise", "list"],
    ["complaint", "list"],
    ["grade"],
    ["config", "show"],
    ["--help"],
    ["promise", "cancel", "--help"],
]


@pytest.mark.parametrize("args", PEOPLE, ids=" ".join)
def test_an_ascii_terminal_gets_question_marks_and_exit_0(book: None, args: list[str]) -> None:
    result = run(*args, PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    result.stdout.decode("ascii")  # every byte is ASCII


def test_the_replacements_keep_the_columns(book: None) -> None:
    out = run("list", PYTHONIOENCODING="ascii").stdout.decode("ascii")
    utf8 = run("list").stdout.decode("utf-8")
    header, rule, *rows = out.splitlines()
    assert rule.strip("- ") == ""  # the table's rule line, drawn in ASCII
    zhang = next(r for r in rows if r.split()[0] == "1")
    assert zhang.split()[:3] == ["1", "????", "????????"]  # 张伟 平安保险: two cells each
    assert "Jos? Garc?a" in out
    assert "?n?code GmbH" in out
    assert "Emoji ??" in out  # 😀 is wide
    # the same columns as on a UTF-8 terminal
    assert [line.index("Grade") if "Grade" in line else 0 for line in (header,)] == [
        utf8.splitlines()[0].index("Grade")
    ]


def test_a_typographic_mark_gets_its_look_alike(book: None) -> None:
    out = run("show", "1", PYTHONIOENCODING="ascii").stdout.decode("ascii")
    assert '???????? - "????"' in out  # 喜欢喝茶 — “绿茶”: each CJK character two cells


def test_latin_1_keeps_what_it_can(book: None) -> None:
    out = run("list", PYTHONIOENCODING="latin-1").stdout.decode("latin-1")
    assert "José García" in out
    assert "????" in out


def test_an_error_message_on_an_ascii_terminal(book: None) -> None:
    result = run("show", "王五", PYTHONIOENCODING="ascii")
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode("ascii").startswith("clientcard: no card matches '????'")


def test_json_is_exact_and_says_so_once(book: None) -> None:
    result = run("list", "--format", "json", PYTHONIOENCODING="ascii")
    assert result.returncode == 0
    assert result.stderr.decode("ascii") == NOTE_LINE
    names = [c["name"] for c in json.loads(result.stdout.decode("ascii"))]
    assert names == ["Emoji 😀", "José García", "张伟"]  # \ud83d\ude00: a surrogate pair
    assert b"\\ud83d\\ude00" in result.stdout
    shown = run("show", "1", "--format", "json", PYTHONIOENCODING="ascii")
    assert json.loads(shown.stdout)["name"] == "张伟"
    assert shown.stderr.decode("ascii") == NOTE_LINE


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_get_escapes_and_say_so_once(book: None, fmt: str) -> None:
    result = run("list", "--format", fmt, PYTHONIOENCODING="ascii")
    assert result.returncode == 0
    assert result.stderr.decode("ascii") == NOTE_LINE
    rows = list(
        csv.reader(
            io.StringIO(result.stdout.decode("ascii")), delimiter="," if fmt == "csv" else "\t"
        )
    )
    assert rows[3][1] == "\\u5f20\\u4f1f"  # 张伟, as written


def test_nothing_to_replace_says_nothing(book: None) -> None:
    result = run("list", "--grade", "B", "--format", "json", PYTHONIOENCODING="latin-1")
    assert (result.returncode, result.stderr) == (0, b"")
    assert json.loads(result.stdout.decode("latin-1"))[0]["name"] == "José García"


def test_an_export_on_an_ascii_stream(book: None) -> None:
    result = run("export", "--format", "json", PYTHONIOENCODING="ascii")
    assert result.returncode == 0
    assert result.stderr.decode("ascii") == NOTE_LINE
    assert {c["name"] for c in json.loads(result.stdout)} == {"Emoji 😀", "José García", "张伟"}


# ---- escape codes ---------------------------------------------------------------------------


def test_a_terminal_gets_bold_unless_told_not_to(book: None) -> None:
    """The probe: on a pseudo-terminal the card's title is bold, and help is coloured."""
    assert ESC in in_a_terminal("show", "1")
    assert ESC in in_a_terminal("--help")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "dumb"])
@pytest.mark.parametrize("args", [["show", "1"], ["list"], ["due", "--week"], ["--help"]])
def test_no_color_and_a_dumb_terminal_get_no_escape_codes(
    book: None, env: dict[str, str], args: list[str]
) -> None:
    out = in_a_terminal(*args, **env)
    assert "\x1b" not in out
    assert ("张伟" in out) or ("Usage" in out)


@pytest.mark.parametrize("args", [["show", "1"], ["list"], ["due", "--week"], ["--help"]])
def test_piped_output_gets_no_escape_codes(book: None, args: list[str]) -> None:
    out = run(*args).stdout.decode("utf-8")
    assert "\x1b" not in out
