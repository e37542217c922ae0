"""Issue 12, point 4: records of different kinds are told apart wherever a person reads them.

A card is `#1`; a promise `P1`, a complaint `C1`, a sale `S1`, a date `D1`, a holiday `H1`, a
close contact `K1`, a logged contact `L1` (docs/formats.md, "Record references"). Tables and
messages show the letter; the id is accepted back as printed, in either case, or as a bare
number; another kind's id is refused (exit 2, one line) and changes nothing; json, csv and tsv
keep the integer `id`.

The book is built so that every record's number is also a card's (#1 and #2): only the letter
tells them apart.
"""

import csv
import io
import json
import re
from collections.abc import Callable

import pytest

from clientcard.domain.refs import LETTERS, NOUNS, named, read_ref, record_ref
from helpers import Run, add, add_date, assert_error, at, complaint, promise, sale, table

Snapshot = Callable[[], list[str]]


@pytest.fixture
def book(ok: Run) -> None:
    add(ok, "张伟", "--company", "阿里", "--grade", "A")  # 1
    add(ok, "李娜")  # 2
    complaint(ok, "张伟", "理赔太慢", "-s", "high")  # C1
    complaint(ok, "李娜", "发错了颜色")  # C2
    sale(ok, "张伟", "1000", "--what", "家庭保险")  # S1, and contact L1
    sale(ok, "李娜", "800", "--what", "brochures", "--no-contact")  # S2
    add_date(ok, "李娜", "birthday", "11-29")  # D1
    add_date(ok, "张伟", "promotion", "2027-01-05")  # D2
    ok("holiday", "add", "2027-02-06", "春节", "--for", "all")  # H1
    ok("holiday", "add", "2027-01-01", "元旦", "--for", "all")  # H2
    ok("person", "add", "张伟", "王秘书", "--role", "秘书")  # K1
    ok("person", "add", "张伟", "Tom Lee", "--role", "assistant")  # K2
    promise(ok, "李娜", "报价", "--due", "mon")  # P1
    promise(ok, "张伟", "visit", "--at", "tue 15:00")  # P2


def first_cells(out: str) -> list[str]:
    """The first cell of each row of a table (its header and footer lines left out)."""
    cells = [line.split()[0] for line in table(out)[1:] if line[:1].strip()]
    return [cell for cell in cells if re.fullmatch(r"[A-Z]\d+", cell)]


# ---- the names -------------------------------------------------------------------------------


def test_no_two_kinds_share_a_letter_and_none_reads_as_a_card_or_a_grade() -> None:
    letters = list(LETTERS.values())
    assert len(set(letters)) == len(letters)
    assert all(len(letter) == 1 and letter.isupper() for letter in letters)
    assert "#" not in letters
    # A grade (A-F) never carries a number, but a letter of its own is clearer still where it
    # could be had: only C and D, the issue's own suggestion, are grade letters too.
    assert {letter for letter in letters if letter in "ABCDEF"} == {"C", "D"}
    assert record_ref("complaint", 3) == "C3"
    assert named("sale", 2) == "sale S2"


@pytest.mark.parametrize("kind", sorted(LETTERS))
def test_an_id_is_read_as_printed_in_either_case_or_as_a_number(kind: str) -> None:
    letter = LETTERS[kind]
    assert read_ref(kind, f"{letter}12") == 12
    assert read_ref(kind, f"{letter.lower()}12") == 12
    assert read_ref(kind, " 12 ") == 12
    others = [other for other in LETTERS if other != kind]
    for other in others:
        name, noun = NOUNS.get(other, other), NOUNS.get(kind, kind)  # K, L: whose contact
        with pytest.raises(ValueError, match=f"is a {name}, not a {noun}"):
            read_ref(kind, f"{LETTERS[other]}12")
    with pytest.raises(ValueError, match="is a card"):
        read_ref(kind, "#12")
    for bad in ["", letter, f"{letter}{letter}1", "1.5", "\uff11\uff12", f"{letter} 12"]:
        with pytest.raises(ValueError, match=f"is not a {NOUNS.get(kind, kind)} id"):
            read_ref(kind, bad)


# ---- tables and messages show the letter -----------------------------------------------------


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("command", "refs"),
    [
        (["complaint", "list"], ["C1", "C2"]),
        (["sales"], ["S2", "S1"]),  # newest first
        (["date", "list"], ["D1", "D2"]),
        (["holiday", "list"], ["H2", "H1"]),
        (["person", "list", "张伟"], ["K1", "K2"]),
        (["contacts"], ["L1"]),
        (["promise", "list"], ["P1", "P2"]),
    ],
)
def test_a_table_shows_each_id_with_its_kinds_letter(
    ok: Run, command: list[str], refs: list[str]
) -> None:
    out = ok(*command).stdout
    assert table(out)[0 if command[0] != "person" else 1].split()[0] == "ID"
    assert first_cells(out) == refs


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("command", "keys", "ids"),
    [
        (["complaint", "list"], ("id", "client_id", "client", "severity"), [1, 2]),
        (["sales"], ("id", "client_id", "client", "amount"), [2, 1]),
        (["date", "list"], ("id", "client_id", "client", "kind"), [1, 2]),
        (["holiday", "list"], ("id", "date", "name", "audience"), [2, 1]),
        (["person", "list", "张伟"], ("id", "client_id", "client", "name"), [1, 2]),
        (["contacts"], ("id", "client_id", "client", "at"), [1]),
        (["promise", "list"], ("id", "client_id", "client", "kind"), [1, 2]),
    ],
)
def test_machine_formats_keep_the_integer_id_and_their_keys(
    ok: Run, command: list[str], keys: tuple[str, ...], ids: list[int]
) -> None:
    rows = json.loads(ok(*command, "--format", "json").stdout)
    assert [r["id"] for r in rows] == ids
    assert "ref" not in rows[0]
    assert tuple(rows[0])[: len(keys)] == keys
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        text = ok(*command, "--format", fmt).stdout
        read = list(csv.DictReader(io.StringIO(text), delimiter=sep))
        assert [r["id"] for r in read] == [str(i) for i in ids]
        assert list(read[0]) == list(rows[0])


@pytest.mark.usefixtures("book")
def test_show_names_complaints_and_promises_by_letter(ok: Run) -> None:
    ok("complaint", "resolve", "C1", "--result", "apologised", "--satisfaction", "4")
    page = ok("show", "张伟").stdout.splitlines()
    resolved = page.index("Resolved complaints")
    assert page[resolved + 3].split()[0] == "C1"
    promises = page.index("Open promises")
    assert page[promises + 3].split()[0] == "P2"
    contacts = page.index("Recent contacts")
    assert page[contacts + 3].split()[-3:] == ["sale", "S1", "li"]  # issue 17: By
    card = json.loads(ok("show", "张伟", "--format", "json").stdout)
    assert card["resolved_complaints"][0]["id"] == 1  # the machine format keeps the number
    assert card["recent_contacts"][0]["source_id"] == 1


@pytest.mark.usefixtures("book")
def test_the_from_column_names_the_record_a_contact_came_from(ok: Run) -> None:
    ok("complaint", "step", "c2", "called back", "--via", "call")
    tuesday = at("2026-11-24T16:00")
    ok("promise", "done", "P2", "--at", "2026-11-24 15:30", env=tuesday)
    out = ok("contacts", env=tuesday).stdout
    rows = [line.split() for line in table(out)[1:]]
    assert [(r[0], *r[-3:]) for r in rows] == [  # issue 17: By, last
        ("L3", "appointment", "P2", "li"),
        ("L2", "complaint", "C2", "li"),
        ("L1", "sale", "S1", "li"),
    ]


@pytest.mark.usefixtures("book")
def test_the_agenda_page_names_complaints_and_promises_by_letter(ok: Run) -> None:
    page = ok("due", "--week").stdout
    assert "(complaint\u00a0C1)" not in page  # the joining blank prints as a space
    assert "(complaint C1)" in page
    assert "(complaint C2)" in page
    assert "(promise P1)" in page
    assert "(promise P2)" in page
    items = json.loads(ok("due", "--week", "--format", "json").stdout)
    assert {i["record_id"] for i in items if i["kind"] == "complaint"} == {1, 2}


def test_messages_name_each_record_by_letter(ok: Run) -> None:
    add(ok, "张伟")
    assert ok("complaint", "add", "1", "坏了").stdout.startswith("Complaint C1 from #1 张伟")
    assert ok("sale", "1", "10").stdout.startswith("Sale S1: 10.00 CNY to #1 张伟")
    assert ok("date", "add", "1", "birthday", "05-03").stdout.startswith("Added date D1 birthday")
    assert ok("holiday", "add", "2027-02-06", "春节").stdout.startswith("Added holiday H1 春节")
    out = ok("person", "add", "1", "李娜", "--role", "秘书").stdout
    assert out == "Added person K1 李娜 (秘书) to #1 张伟\n"
    assert ok("promise", "add", "1", "x", "--due", "mon").stdout.startswith(
        "Promised: promise P1 'x' for card #1 张伟"
    )


# ---- the letter is accepted back -------------------------------------------------------------


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("typed", ["C2", "c2", "2", " C2 "])
def test_a_complaint_is_named_as_printed_or_as_a_number(ok: Run, query, typed: str) -> None:
    assert ok("complaint", "show", typed).stdout.startswith("Complaint C2 from #2 李娜")
    out = ok("complaint", "step", typed, "called").stdout
    assert out.startswith("Step on complaint C2 from #2 李娜: first response")
    ok("complaint", "resolve", typed, "--result", "sent the right one")
    ok("complaint", "reopen", typed, "--reason", "still wrong")
    assert query("SELECT id, status FROM complaint ORDER BY id") == [(1, "open"), (2, "open")]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("typed", ["D2", "d2", "2"])
def test_a_date_is_named_as_printed_or_as_a_number(ok: Run, query, typed: str) -> None:
    assert ok("date", "remove", typed).stdout.startswith("Removed date D2 promotion 2027-01-05")
    assert query("SELECT id FROM key_date") == [(1,)]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("typed", ["H2", "h2", "2"])
def test_a_holiday_is_named_as_printed_or_as_a_number(ok: Run, query, typed: str) -> None:
    assert ok("holiday", "remove", typed).stdout.startswith("Removed holiday H2 元旦")
    assert query("SELECT id FROM holiday") == [(1,)]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("typed", ["K2", "k2", "2"])
def test_a_person_is_named_as_printed_or_as_a_number(ok: Run, query, typed: str) -> None:
    out = ok("person", "edit", typed, "--note", "知道采购计划").stdout
    assert out == "Updated person K2 Tom Lee (assistant) of #1 张伟 (阿里)\n"
    assert ok("person", "remove", typed).stdout.startswith("Removed person K2 Tom Lee")
    assert query("SELECT id FROM person") == [(1,)]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("typed", ["P1", "p1", "1"])
def test_a_promise_is_named_as_printed_or_as_a_number(ok: Run, query, typed: str) -> None:
    assert ok("promise", "done", typed).stdout.startswith("Kept: promise P1 '报价' for card #2")
    assert query("SELECT id, status FROM promise ORDER BY id") == [(1, "kept"), (2, "open")]


# ---- another kind's id is refused -------------------------------------------------------------


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["complaint", "show", "P1"], "'P1' is a promise, not a complaint; a complaint id is C1"),
        (["complaint", "step", "#1", "x"], "'#1' is a card; a complaint id is C1 or 1"),
        (["complaint", "resolve", "S1", "--result", "ok"], "'S1' is a sale, not a complaint"),
        (["complaint", "reopen", "D1"], "'D1' is a date, not a complaint"),
        (["date", "remove", "C1"], "'C1' is a complaint, not a date; a date id is D1 or 1"),
        (["holiday", "remove", "D1"], "'D1' is a date, not a holiday; a holiday id is H1 or 1"),
        (["person", "edit", "P1", "--note", "x"], "'P1' is a promise, not a close contact"),
        (["person", "remove", "L1"], "'L1' is a logged contact, not a close contact"),
        (["promise", "done", "K1"], "'K1' is a close contact, not a promise; a promise id is P1"),
        (["promise", "cancel", "H1", "--by", "me"], "'H1' is a holiday, not a promise"),
        (["date", "remove", "DD1"], "'DD1' is not a date id (e.g. D3 or 3)"),
    ],
)
def test_another_kinds_id_is_refused_in_one_line_and_changes_nothing(
    cli: Run, snapshot: Snapshot, command: list[str], message: str
) -> None:
    before = snapshot()
    result = cli(*command)
    assert (result.exit_code, result.stdout) == (2, "")
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("clientcard: ")
    assert message in lines[0]
    assert snapshot() == before


@pytest.mark.usefixtures("book")
def test_a_record_that_does_not_exist_is_named_by_letter(cli: Run) -> None:
    result = cli("complaint", "show", "c9")
    assert (result.exit_code, result.stderr) == (
        1,
        "clientcard: no complaint C9; see `clientcard complaint list --all`\n",
    )
    result = cli("person", "remove", "K9")
    assert (result.exit_code, result.stderr) == (
        1,
        "clientcard: no person K9; see `clientcard person list CLIENT`\n",
    )


def test_a_record_id_typed_where_a_card_is_asked_says_what_it_reads_as(cli, ok) -> None:
    ok("add", "张伟")
    assert_error(
        cli("show", "P1"), 1, "no card matches 'P1'; it reads as a promise's id, a card is #N"
    )
    assert_error(
        cli("log", "k2"), 1, "no card matches 'k2'; it reads as a close contact's id, a card is #N"
    )
