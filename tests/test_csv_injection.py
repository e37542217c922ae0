"""CSV is safe to open (issue 13, part 5): a cell a spreadsheet would run as a formula gets a
leading `'` in every CSV and TSV the product writes, numbers and phone numbers excepted; `--raw`
writes cells as stored; `import` reads its own guarded export back to the original text; JSON
never changes (docs/formats.md, "Opening CSV and TSV in a spreadsheet")."""

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from clientcard.domain.formulas import FORMULA_TRIGGERS, neutral
from clientcard.domain.formulas import restore as restore_cell
from clientcard.output import Column, Format, write_listing
from helpers import Run, add, sale, write

pytestmark = pytest.mark.usefixtures("migrated")

# The twelve of the kinds: a formula after each trigger, and the classic attacks.
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-1+1",
    "@SUM(1)",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    '=张伟&"的报价"',
]
# What a command line can carry into the book: `add` and the others trim blanks, so a leading
# tab or carriage return only reaches a book through a file or another program (tested below by
# writing the database directly).
TYPED = [p for p in PAYLOADS if not p[:1].isspace()]

# Plain numbers and phone numbers: written as they are.
NUMBERS = [
    "+86 138 0000 0000",
    "-12.50",
    "(0)20 7946 0000",
    "+44 (0)20 7946-0000",
    "+1-555-0100",
    "+1 (555) 010.0100",
    "-7",
    "+12.5",
]
# Beginning like a number but not one: a `+` after the first character, or a leading `-`
# followed by more than a plain number, is arithmetic; letters are not a number.
NOT_NUMBERS = ["-1+1", "+1+1", "-1-1", "- 5", "-", "+", "+ ", "-12.50e3", "+86 138 x", "--5"]


def read(text: str, fmt: str) -> list[list[str]]:
    """The cells of a CSV or TSV text, unescaped, without the header."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text, newline="")))[1:]
    unescape = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    out = []
    for line in text.split("\n")[1:-1]:
        cells = []
        for field in line.split("\t"):
            chars, cell = iter(field), []
            for c in chars:
                cell.append(unescape[next(chars)] if c == "\\" else c)
            cells.append("".join(cell))
        out.append(cells)
    return out


def column(text: str, fmt: str, name: str) -> list[str]:
    """One column of a CSV or TSV text, by its header name."""
    header = text.split("\n", 1)[0].split("," if fmt == "csv" else "\t")
    return [row[header.index(name)] for row in read(text, fmt)]


# ---- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_gets_a_leading_quote(payload: str) -> None:
    assert neutral(payload) == "'" + payload
    assert restore_cell(neutral(payload)) == payload


@pytest.mark.parametrize("number", NUMBERS)
def test_numbers_and_phone_numbers_stay_as_they_are(number: str) -> None:
    assert neutral(number) == number


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_arithmetic_and_lone_signs_are_not_numbers(text: str) -> None:
    assert neutral(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "张伟", "a=b", "1+1", " =1", "(=1)", "'", "'a", "''", "'1", "x\t=1", "vip,=x"]
)
def test_other_text_stays_as_it_is(text: str) -> None:
    assert neutral(text) == text
    assert restore_cell(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''=1+1", "'-12.50", "'+cmd", "'@x", "'\t=1", "''\r"])
def test_text_that_already_looks_guarded_gets_one_quote_more_and_reads_back(text: str) -> None:
    assert neutral(text) == "'" + text
    assert restore_cell(neutral(text)) == text


def test_the_import_reads_back_the_triggers_the_writer_guards() -> None:
    assert {c for c in map(chr, range(0x250)) if restore_cell("'" + c) != "'" + c} == set(
        FORMULA_TRIGGERS
    )


@pytest.mark.parametrize("fmt", [Format.csv, Format.tsv])
def test_the_writer_guards_every_kind_of_cell(
    fmt: Format, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text, a list (tags) whose first item is a formula, a negative number and a money-like
    amount, written by the listing writer: guarded, untouched with raw."""
    rows = [{"id": -3, "text": p, "tags": ["=x", "b"], "amount": "-12.50"} for p in PAYLOADS]
    fields = ["id", "text", "tags", "amount"]
    guarded = [["-3", "'" + p, "'=x,b", "-12.50"] for p in PAYLOADS]
    as_stored = [["-3", p, "=x,b", "-12.50"] for p in PAYLOADS]
    for raw, expected in ((False, guarded), (True, as_stored)):
        write_listing(rows, fields, [Column("id", "ID")], fmt, raw=raw)
        assert read(capsys.readouterr().out, fmt.value) == expected


# ---- every card field, list and export -------------------------------------------------------

CARD_TEXT = ("name", "company", "title", "address", "source", "notes", "owner")
CARD_LISTINGS = [("list",), ("export",)]


@pytest.fixture
def hostile_cards(migrated: None, ok: Run, db_path: Path) -> None:
    """A card per payload, with the payload in every text field (written to the book directly,
    so that a leading tab or carriage return is in it too), a formula as its first tag, and a
    phone number and a negative-looking number that stay as they are."""
    for i in range(len(PAYLOADS)):
        add(
            ok,
            f"card {i}",
            *["--tag", "=1+1", "--tag", "vip", "--phone", "+86 138 0000 0000"],
            "--allow-duplicate",  # issue 11: one phone on many cards must be allowed
        )
    with closing(sqlite3.connect(db_path)) as conn, conn:
        for i, payload in enumerate(PAYLOADS, start=1):
            conn.execute(
                f"UPDATE client SET {', '.join(f'{f} = ?' for f in CARD_TEXT)} WHERE id = ?",
                (*[payload] * len(CARD_TEXT), i),
            )


@pytest.mark.usefixtures("hostile_cards")
@pytest.mark.parametrize("command", CARD_LISTINGS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_every_card_field_is_guarded(ok: Run, command: tuple[str, ...], fmt: str) -> None:
    out = ok(*command, "--format", fmt).stdout
    for name in CARD_TEXT:
        assert sorted(column(out, fmt, name)) == sorted("'" + p for p in PAYLOADS), name
    assert set(column(out, fmt, "tags")) == {"'=1+1,vip"}
    assert set(column(out, fmt, "phone")) == {"+86 138 0000 0000"}


@pytest.mark.usefixtures("hostile_cards")
@pytest.mark.parametrize("command", CARD_LISTINGS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_raw_writes_every_card_field_as_stored(ok: Run, command: tuple[str, ...], fmt: str) -> None:
    out = ok(*command, "--format", fmt, "--raw").stdout
    for name in CARD_TEXT:
        assert sorted(column(out, fmt, name)) == sorted(PAYLOADS), name
    assert set(column(out, fmt, "tags")) == {"=1+1,vip"}


@pytest.mark.usefixtures("hostile_cards")
@pytest.mark.parametrize("command", CARD_LISTINGS, ids=" ".join)
def test_json_carries_the_stored_text(ok: Run, command: tuple[str, ...]) -> None:
    for raw in ((), ("--raw",)):
        cards = json.loads(ok(*command, "--format", "json", *raw).stdout)
        for name in CARD_TEXT:
            assert sorted(c[name] for c in cards) == sorted(PAYLOADS), name
        assert {tuple(c["tags"]) for c in cards} == {("=1+1", "vip")}


# ---- the other listings -----------------------------------------------------------------------


def _contacts(ok: Run) -> None:
    for p in TYPED:
        ok("log", "1", "--via", "call", "--", p)


def _promises(ok: Run) -> None:
    for p in TYPED:
        ok("promise", "add", "1", "--due=today", "--", p)  # after `--`: it may begin with `-`


def _complaints(ok: Run) -> None:
    for p in TYPED:
        ok("complaint", "add", "1", "--", p)


def _sales(ok: Run) -> None:
    for p in TYPED:
        sale(ok, "1", "12.50", f"--what={p}")


def _dates(ok: Run) -> None:
    for i, p in enumerate(TYPED):
        ok("date", "add", "1", "other", f"2026-12-{i + 1:02d}", f"--note={p}")


def _people(ok: Run) -> None:
    for p in TYPED:
        ok("person", "add", "1", "--role", "assistant", f"--note={p}", "--", p)


def _grades(ok: Run) -> None:
    for i, p in enumerate(TYPED):
        ok("grade", "1", "--up" if i % 2 else "--down", f"--reason={p}")


def _ratings(ok: Run) -> None:
    for i, p in enumerate(TYPED):
        ok("rate", "1", f"--satisfaction={i % 5 + 1}", f"--reason={p}")


def _holidays(ok: Run) -> None:
    for p in TYPED:
        ok("holiday", "add", "2026-12-24", "--for", "all", "--", p)


# (what adds the payloads, the listing, the columns that carry them)
LISTINGS: list[tuple[Callable[[Run], None], tuple[str, ...], tuple[str, ...]]] = [
    (_contacts, ("contacts",), ("summary",)),
    (_promises, ("promise", "list"), ("what",)),
    (_promises, ("due", "--kind", "promise", "--week"), ("what",)),
    (_complaints, ("complaint", "list"), ("what",)),
    (_sales, ("sales",), ("what",)),
    (_dates, ("date", "list"), ("note",)),
    (_people, ("person", "list", "1"), ("name", "note")),
    (_grades, ("grade", "1"), ("reason",)),
    (_ratings, ("rate", "1", "--history"), ("reason",)),
    (_holidays, ("holiday", "list"), ("name",)),
]


@pytest.mark.parametrize(
    ("adds", "command", "columns"), LISTINGS, ids=[" ".join(c) for _, c, _ in LISTINGS]
)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_every_listing_guards_its_text_and_raw_and_json_do_not(
    ok: Run,
    adds: Callable[[Run], None],
    command: tuple[str, ...],
    columns: tuple[str, ...],
    fmt: str,
) -> None:
    # A card whose name is a formula, graded C so that `grade` can move it either way.
    ok("add", "--phone", "+86 138 0000 0000", "--grade", "C", "--", "-1+1 张伟")
    adds(ok)
    guarded = ok(*command, "--format", fmt).stdout
    as_stored = ok(*command, "--format", fmt, "--raw").stdout
    rows = json.loads(ok(*command, "--format", "json").stdout)
    for name in columns:
        values = [r[name] for r in rows]
        assert sorted(v for v in values if v in TYPED) == sorted(TYPED), name
        assert column(guarded, fmt, name) == [neutral(v) for v in values], name
        assert column(as_stored, fmt, name) == values, name
    if "client" in rows[0]:
        assert set(column(guarded, fmt, "client")) == {"'-1+1 张伟"}
        assert set(column(as_stored, fmt, "client")) == {"-1+1 张伟"}


def test_raw_goes_with_the_history_of_rate(cli: Run, ok: Run) -> None:
    add(ok, "张伟")
    result = cli("rate", "1", "--credit", "good", "--raw")
    assert (result.exit_code, result.stderr) == (2, "clientcard: --raw goes with --history\n")


# ---- import reads its own export back ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "fresh"), [("csv", "sqlite"), ("tsv", "sqlite"), ("csv", "postgresql")]
)
def test_an_export_imports_back_to_the_original_text(
    ok: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    fmt: str,
    fresh: str,
) -> None:
    """export (guarded) -> import into a fresh book -> export --raw: the text as first stored,
    CJK, text that already begins with `'`, numbers and phone numbers included. The fresh
    book is a SQLite file or a PostgreSQL database."""
    values = [
        *TYPED,
        "'=1+1",
        "''@x",
        "'plain",
        "'",
        "-12.50",
        "+86 138 0000 0000",
        "张伟 =1",
        "=张伟",
    ]
    for i, v in enumerate(values):
        add(
            ok,
            f"#{i} {v}",
            f"--company={v}",
            f"--phone={v}",
            f"--note={v}",
            f"--owner={v}",
            "--tag=-x",
            "--allow-duplicate",  # issue 11: "=1+1" and "'=1+1" are one phone number (11)
        )
    original = ok("export", "--format", fmt, "--raw").stdout
    exported = ok("export", "--format", fmt).stdout
    assert exported != original

    book = (
        str(tmp_path / "fresh.db") if fresh == "sqlite" else request.getfixturevalue("postgres_url")
    )
    monkeypatch.setenv("CLIENTCARD_DB", book)
    # The book holds cards with one number (added with --allow-duplicate): all come back.
    imported = ok("import", "--format", fmt, "--on-duplicate", "add", write(tmp_path, exported))
    assert imported.stdout.endswith(f"Imported {len(values)} cards\n")
    again = ok("export", "--format", fmt, "--raw").stdout

    for key in ("company", "phone", "notes", "owner"):
        assert column(original, fmt, key) == values, key
        assert column(again, fmt, key) == values, key
    assert column(again, fmt, "name") == [f"#{i} {v}" for i, v in enumerate(values)]
    assert set(column(again, fmt, "tags")) == {"-x"}


def test_a_file_with_a_guarded_cell_imports_the_text_without_the_quote(
    ok: Run, tmp_path: Path
) -> None:
    path = write(tmp_path, "name,company,notes\n'=1+1,'-2,'plain\n''=x,'@SUM(1),\n")
    ok("import", path)
    cards = json.loads(ok("list", "--format", "json").stdout)
    assert [(c["name"], c["company"], c["notes"]) for c in cards] == [
        ("'=x", "@SUM(1)", None),
        ("=1+1", "-2", "'plain"),
    ]


def test_json_export_is_the_stored_text(ok: Run) -> None:
    for p in TYPED:
        ok("add", "--quiet", "--", p)
    cards: list[dict[str, Any]] = json.loads(ok("export").stdout)
    assert [c["name"] for c in cards] == TYPED


def test_the_writers_shortcut_agrees_with_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """The writer passes most cells by comparing them with "A" and the digits, without a call:
    every first character below U+0250 (and a few beyond), alone and before a formula, is
    written as `neutral` says."""
    firsts = [*map(chr, range(1, 0x250)), "张", "😀", "\u202e"]
    texts = [t for c in firsts for t in (c, c + "1+1", c + "'=1")]
    write_listing([{"id": 1, "text": t} for t in texts], ["id", "text"], [], Format.csv)
    cells = [row[1] for row in read(capsys.readouterr().out, "csv")]
    assert cells == [neutral(t) for t in texts]
