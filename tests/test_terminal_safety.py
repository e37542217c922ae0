"""Text for people is safe on a terminal (docs/formats.md, "Text for people"; issue 13).

Every path that prints user text for a person is fed every kind of control character a terminal
obeys: none reaches stdout or stderr raw (a line break between lines is the only one written),
CJK and emoji print as they are, markup-like text prints as typed, and the machine formats still
carry the exact stored text.
"""

import csv
import io
import json
import re
import sys

import pytest
import typer
from typer.testing import Result

from helpers import Run

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The planted text is looked for whole: tables are laid out wider than any of it (at 120
    columns it would wrap inside its column, issue 12; tests/test_tables_80.py checks that)."""
    monkeypatch.setenv("COLUMNS", "2000")


# Every kind of character a terminal obeys instead of showing (the list and a few more).
KINDS = {
    "CSI colour": "\x1b[31m",
    "CSI cursor": "\x1b[2J\x1b[H",
    "OSC title": "\x1b]0;pwned\x07",
    "OSC 8 link": "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "8-bit CSI": "\x9b31m",
    "8-bit OSC": "\x9d0;pwned\x9c",
    "carriage return": "over\rwrite",
    "backspace": "x\b",
    "bell": "\a",
    "vertical tab, form feed": "\x0b\x0c",
    "tab": "a\tb",
    "newline": "one\ntwo",
    "DEL": "\x7f",
    "RLO": "\u202e",
    "LRE..PDF": "\u202a\u202b\u202c\u202d",
    "LRI": "\u2066",
    "RLI..PDI": "\u2067\u2068\u2069",
    "line separator": "\u2028\u2029",
}
# What must never be printed raw for people. A newline is allowed between lines: the check is on
# the lines, so a value that added a line is caught by the tests that count lines instead.
FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c != 0x0A]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u2028", "\u2029"]
)
# Printed as it is, always.
PLAIN = "张伟😀[link=http://x]y[/link][bold]é"
ALL = "".join(KINDS.values())


def hostile(kinds: str = ALL) -> str:
    """A value that starts and ends with a letter (strip() keeps the controls) and holds text
    that must print unchanged."""
    return f"A{kinds}{PLAIN}Z"


# For fields of at most 100 characters (phone, owner, tag): one of each family.
SHORT = "A\x1b[31m\x1b]0;t\x07\x9b1\r\b\t\x7f\u202e\u2066\u2028张伟😀Z"
# A tag is one word: no blanks.
TAG = "T\x1b[31m\x1b]0;t\x07\x9b1\b\x7f\u202e\u2066张伟😀Z"


def raw(text: str) -> list[str]:
    return sorted({repr(c) for c in text if c in FORBIDDEN})


def assert_safe(result: Result) -> None:
    assert raw(result.stdout) == [], result.stdout
    assert raw(result.stderr) == [], result.stderr


# ---- every printing path ---------------------------------------------------------------------
# (name, steps). A step is an argument vector with {x} for the hostile value ({s} for SHORT in
# fields of at most 100 characters, {t} for TAG); every step's output is checked, and the last
# one must show PLAIN as typed.
CARD = ["add", "Zhang", "--grade", "C"]
PATHS: list[tuple[str, list[list[str]]]] = [
    ("add confirmation", [["add", "N{x}", "--company", "C{x}"]]),
    ("edit confirmation", [CARD, ["edit", "1", "--name", "N{x}", "--company", "C{x}"]]),
    (
        "list table",
        [["add", "N{x}", "--company", "C{x}", "--tag", "{t}", "--phone", "1{s}"], ["list"]],
    ),
    (
        "list search",
        [["add", "N{x}", "--note", "N{x}"], ["list", "--search", "ello{x}"], ["list"]],
    ),
    (
        "show page",
        [
            [
                *["add", "N{x}", "--company", "C{x}", "--title", "T{x}", "--address", "A{x}"],
                *["--note", "N{x}", "--tag", "{t}", "--source", "S{x}"],
                *["--phone", "1{s}", "--email", "a@b.cn"],
            ],
            ["add", "R{x}", "--referred-by", "1"],
            ["person", "add", "1", "P{x}", "--role", "R{s}", "--note", "N{x}"],
            ["date", "add", "1", "birthday", "11-29", "--note", "N{x}"],
            ["promise", "add", "1", "W{x}", "--at", "mon 10:00", "--where", "W{x}"],
            ["complaint", "add", "1", "W{x}"],
            ["log", "1", "S{x}", "--via", "call", "--with", "W{x}"],
            ["show", "1"],
        ],
    ),
    ("show title", [["add", "N{x}", "--company", "C{x}"], ["show", "1"]]),
    (
        "grade confirmation",
        [["add", "N{x}", "--grade", "C"], ["grade", "1", "B", "--reason", "R{x}"]],
    ),
    ("grade history", [CARD, ["grade", "1", "B", "--reason", "R{x}"], ["grade", "1"]]),
    ("rate confirmation", [["add", "N{x}"], ["rate", "1", "--credit", "good", "--reason", "R{x}"]]),
    (
        "rate history",
        [CARD, ["rate", "1", "--credit", "good", "--reason", "R{x}"], ["rate", "1", "--history"]],
    ),
    ("log confirmation", [["add", "N{x}"], ["log", "1", "S{x}", "--via", "call"]]),
    ("contacts", [CARD, ["log", "1", "S{x}", "--via", "call", "--with", "W{x}"], ["contacts"]]),
    ("snooze confirmation", [["add", "N{x}", "--grade", "C"], ["snooze", "1", "fri", "-r", "R"]]),
    (
        "promise add",
        [CARD, ["promise", "add", "1", "W{x}", "--at", "mon 10:00", "--where", "W{x}"]],
    ),
    ("promise list", [CARD, ["promise", "add", "1", "W{x}", "--due", "mon"], ["promise", "list"]]),
    (
        "promise move reason",
        [
            CARD,
            ["promise", "add", "1", "W{x}", "--due", "mon"],
            ["promise", "move", "1", "--to", "tue", "--reason", "R{x}"],
            ["promise", "list", "--all"],
        ],
    ),
    (
        "promise cancel reason",
        [
            CARD,
            ["promise", "add", "1", "W{x}", "--due", "mon"],
            ["promise", "cancel", "1", "--by", "client", "--reason", "R{x}"],
            ["promise", "list", "--all"],
        ],
    ),
    ("complaint add", [["add", "N{x}"], ["complaint", "add", "1", "W{x}"]]),
    (
        "complaint show",
        [
            CARD,
            ["complaint", "add", "1", "W{x}"],
            ["complaint", "step", "1", "S{x}"],
            ["complaint", "resolve", "1", "--result", "S{x}"],
            ["complaint", "reopen", "1", "--reason", "R{x}"],
            ["complaint", "show", "1"],
        ],
    ),
    ("complaint list", [CARD, ["complaint", "add", "1", "W{x}"], ["complaint", "list"]]),
    ("sale", [["add", "N{x}"], ["sale", "1", "100", "--what", "W{x}"]]),
    ("sales", [CARD, ["sale", "1", "100", "--what", "W{x}"], ["sales"]]),
    (
        "due agenda",
        [
            ["add", "N{x}", "--grade", "C"],
            ["snooze", "1", "today", "--reason", "R{x}"],
            ["promise", "add", "1", "W{x}", "--due", "today"],
            ["complaint", "add", "1", "W{x}"],
            ["due", "--week"],
        ],
    ),
    ("date add", [["add", "N{x}"], ["date", "add", "1", "birthday", "11-29", "--note", "N{x}"]]),
    (
        "date list",
        [CARD, ["date", "add", "1", "birthday", "11-29", "--note", "N{x}"], ["date", "list"]],
    ),
    ("person add", [["add", "N{x}"], ["person", "add", "1", "P{x}", "--role", "R{s}"]]),
    (
        "person list",
        [CARD, ["person", "add", "1", "P{x}", "--role", "R{s}"], ["person", "list", "1"]],
    ),
    ("holiday add", [["holiday", "add", "2026-12-25", "H{x}"]]),
    ("holiday list", [["holiday", "add", "2026-12-25", "H{x}"], ["holiday", "list"]]),
    ("archive", [["add", "N{x}"], ["archive", "1"]]),
    ("delete", [["add", "N{x}"], ["delete", "1", "--yes"]]),
]


def run_path(cli: Run, steps: list[list[str]], value: str) -> list[Result]:
    results = []
    for step in steps:
        result = cli(
            *(arg.replace("{x}", value).replace("{s}", SHORT).replace("{t}", TAG) for arg in step)
        )
        assert result.exit_code == 0, (step, result.stdout, result.stderr)
        assert_safe(result)
        results.append(result)
    return results


@pytest.mark.parametrize(("name", "steps"), PATHS, ids=[name for name, _ in PATHS])
def test_no_control_character_reaches_the_terminal(
    cli: Run, name: str, steps: list[list[str]]
) -> None:
    results = run_path(cli, steps, hostile())
    # The value is there, shown: its plain part as typed, its controls as escapes.
    assert PLAIN in results[-1].stdout
    assert "\\x1b[31m" in results[-1].stdout


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
@pytest.mark.parametrize(
    "name", ["add confirmation", "list table", "show page", "grade history", "due agenda"]
)
def test_each_kind_alone(cli: Run, kind: str, name: str) -> None:
    steps = dict(PATHS)[name]
    results = run_path(cli, steps, hostile(KINDS[kind]))
    assert PLAIN in results[-1].stdout


def test_a_value_never_adds_a_line_to_a_confirmation(cli: Run) -> None:
    said = "one\nclientcard: two\rthree\u2028four"
    out = run_path(cli, [["holiday", "add", "2026-12-25", said]], "")
    assert out[-1].stdout.count("\n") == 1
    assert "one\\nclientcard: two\\rthree\\u2028four" in out[-1].stdout


def test_a_line_break_in_a_note_stays_one_on_the_page(ok: Run) -> None:
    ok("add", "Zhang", "--note", "first line\nsecond line\tafter a tab")
    lines = ok("show", "1").stdout.splitlines()
    notes = next(i for i, line in enumerate(lines) if line.startswith("Notes"))
    assert lines[notes].split() == ["Notes", "first", "line"]
    assert lines[notes + 1].split() == ["second", "line\\tafter", "a", "tab"]


# ---- errors --------------------------------------------------------------------------------
ERRORS: list[tuple[str, list[str]]] = [
    ("no such card", ["show", "no{x}"]),
    ("no such card to log", ["log", "no{x}", "--via", "call"]),
    ("bad grade", ["add", "Zhang", "--grade", "{x}"]),
    ("bad grade filter", ["list", "--grade", "{x}"]),
    ("bad channel", ["log", "1", "--via", "{x}"]),
    ("bad date", ["promise", "add", "1", "x", "--due", "{x}"]),
    ("bad amount", ["sale", "1", "{x}"]),
    ("bad severity", ["complaint", "add", "1", "x", "--severity", "{x}"]),
    ("bad occasion kind", ["date", "add", "1", "{x}", "11-29"]),
    ("bad setting", ["config", "set", "{x}", "1"]),
    ("bad setting value", ["config", "set", "--book", "notice_hours", "{x}"]),
    ("bad cancel by", ["promise", "cancel", "1", "--by", "{x}"]),
    ("bad format", ["list", "--format", "{x}"]),
    ("unknown option", ["list", "--{x}"]),
    ("extra argument", ["show", "1", "{x}"]),
    ("unknown command", ["{x}"]),
    ("NUL in a name", ["add", "N\x00{x}"]),
    ("NUL in a note", ["edit", "1", "--note", "N\x00{x}"]),
]


@pytest.fixture
def card(ok: Run) -> None:
    ok("add", "Zhang")
    ok("promise", "add", "1", "x", "--due", "mon")


@pytest.mark.parametrize(("name", "args"), ERRORS, ids=[name for name, _ in ERRORS])
def test_error_messages_show_the_bad_value_safely(
    cli: Run, card: None, name: str, args: list[str]
) -> None:
    result = cli(*(arg.replace("{x}", hostile()) for arg in args))
    assert result.exit_code != 0
    assert_safe(result)
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_an_ambiguous_name_lists_the_cards_safely(cli: Run, ok: Run) -> None:
    ok("add", "Li" + hostile())
    ok("add", "Li" + hostile(), "--company", hostile())
    result = cli("show", "Li")
    assert result.exit_code == 1
    assert_safe(result)
    assert result.stderr.count("\n") == 1
    assert PLAIN in result.stderr


def test_an_import_prints_safely_and_keeps_the_exact_text(cli: Run, ok: Run) -> None:
    value = hostile()
    book = io.StringIO()
    csv.writer(book).writerow(["name", "notes"])
    csv.writer(book).writerow([value, value])
    assert_safe(ok("import", "-", input=book.getvalue()))
    (row,) = json.loads(ok("list", "-f", "json").stdout)
    assert row["notes"] == value
    assert_safe(ok("list"))
    # A bad row or column is refused with the bad text shown safely.
    book = io.StringIO()
    csv.writer(book).writerow(["name", "grade"])
    csv.writer(book).writerow(["x", value])
    result = cli("import", "-", input=book.getvalue())
    assert result.exit_code == 2
    assert_safe(result)
    result = cli("import", "-", input=f"name,{value}\nx,y\n")
    assert result.exit_code == 2
    assert_safe(result)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_only_rich_writes_escape_sequences(
    ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal Rich styles the title itself (its own ESC sequences): the user's never."""
    from clientcard.cli.show import show

    ok("add", "N" + hostile(), "--note", hostile(), "--tag", TAG)
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    show("1")
    out = screen.getvalue()
    assert PLAIN in out
    for planted in ("\x1b[31m", "\x1b[2J", "\x1b]", "\x9b", "\x9d", "\r", "\b", "\u202e"):
        assert planted not in out
    assert "\\x1b]8;;http://evil.example/" in out


def test_the_delete_prompt_shows_the_name_safely(
    cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcard.cli.cards import delete

    ok("add", "N" + hostile())
    screen = Terminal()
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    monkeypatch.setattr(sys, "stdout", screen)
    with pytest.raises(typer.Abort):  # answered no: aborted, nothing changed
        delete("N" + hostile(), yes=False)
    assert "Delete the card 'NA\\x1b[31m" in screen.getvalue()
    assert raw(screen.getvalue()) == []


LONG = "x" * 120_000


@pytest.mark.parametrize(
    "args",
    [
        ["show", "y" + LONG],
        ["log", "1", "--via", LONG],
        ["add", "Zhang", "--grade", LONG],
        ["list", "--grade", LONG],
        ["promise", "add", "1", "x", "--due", LONG],
        ["config", "set", "--book", "notice_hours", LONG],
        ["list", "--" + LONG],
        ["show", "1", LONG],
        ["add", "N\x00" + LONG],
    ],
    ids=lambda args: " ".join(a[:12] for a in args),
)
def test_an_error_quotes_at_most_80_characters_of_a_bad_value(
    cli: Run, card: None, args: list[str]
) -> None:
    result = cli(*args)
    assert result.exit_code != 0
    assert result.stderr.startswith("clientcard: ")
    assert "x" * 81 not in result.stderr
    assert len(result.stderr) < 400, result.stderr[:400]


def test_a_short_bad_value_is_quoted_whole(cli: Run, card: None) -> None:
    value = "z" * 80
    result = cli("show", value)
    assert f"'{value}'" in result.stderr
    assert "…" not in result.stderr


def test_a_long_bad_value_is_cut_with_an_ellipsis(cli: Run, card: None) -> None:
    result = cli("log", "1", "--via", "pigeon" * 100)
    assert ("pigeon" * 100)[:80] + "…" in result.stderr


# ---- machine formats: the exact text -------------------------------------------------------


def test_json_csv_and_tsv_carry_the_exact_text(ok: Run) -> None:
    value = hostile()
    ok("add", "Zhang", "--note", value, "--company", value)
    for args in (["list", "-f", "json"], ["export", "-f", "json"]):
        out = ok(*args).stdout
        assert raw(out.replace("\n", "")) == []  # JSON escapes what a terminal would obey
        (row,) = json.loads(out)
        assert (row["notes"], row["company"]) == (value, value)
    assert json.loads(ok("show", "1", "-f", "json").stdout)["notes"] == value
    rows = list(csv.DictReader(io.StringIO(ok("list", "-f", "csv").stdout)))
    assert rows[0]["notes"] == value
    tsv = ok("list", "-f", "tsv").stdout.split("\n")  # not splitlines(): U+2028 is in a cell
    row = dict(zip(tsv[0].split("\t"), tsv[1].split("\t"), strict=True))
    assert unescape_tsv(row["notes"]) == value


def unescape_tsv(cell: str) -> str:
    escapes = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], cell)


def test_a_move_reason_is_listed_as_typed(ok: Run) -> None:
    ok("add", "Zhang")
    ok("promise", "add", "1", "send the quote", "--due", "mon")
    ok("promise", "move", "1", "--to", "tue", "--reason", "[link=http://x]y[/link]")
    out = ok("promise", "list", "--all").stdout
    assert "[link=http://x]y[/link]" in out
    (row,) = json.loads(ok("promise", "list", "--all", "-f", "json").stdout)
    assert (row["moves"], row["reason"]) == (1, "[link=http://x]y[/link]")


# ---- PostgreSQL ----------------------------------------------------------------------------


def test_postgres_book_prints_safely_and_exports_exactly(ok: Run, postgres_url: str) -> None:
    value = hostile()
    db = ["--db", postgres_url]
    assert_safe(ok(*db, "add", "Zhang", "--note", value, "--company", value))
    shown = ok(*db, "show", "1")
    assert_safe(shown)
    assert PLAIN in shown.stdout
    (row,) = json.loads(ok(*db, "list", "-f", "json").stdout)
    assert row["notes"] == value
