"""Making and changing a card as a user sees it: `add`, `edit`, names kept exactly as typed, and
bad input.

What is printed (stdout, stderr, exit code) and what is stored; a refused command changes nothing.
"""

import csv
import io
import re

import pytest

from helpers import add, assert_error, card, lines, listing, page_fields

PINNED_UTC_TEXT = "2026-11-20 01:00:00.000000"  # how the pinned moment is stored (UTC)


# ---- add ----------------------------------------------------------------------------------


def test_add_prints_id_and_summary(ok) -> None:
    result = ok("add", "Zhang Wei", "--company", "Acme", "--tag", "vip")
    assert result.stdout == "Added #1 Zhang Wei · Acme · grade F · tags vip\n"
    assert result.stderr == ""


def test_add_quiet_prints_only_the_id(ok) -> None:
    ok("add", "First")
    assert ok("add", "Second", "-q").stdout == "2\n"
    assert ok("add", "Third", "--quiet").stdout == "3\n"


def test_add_stores_every_field(ok, query) -> None:
    referrer = add(ok, "Referrer")
    ok(
        "add",
        "  Wang   Xiaoming ",
        "--company",
        " Beta Co ",
        "--title",
        "CEO",
        "--phone",
        "138-0000-1234",
        "--email",
        "w@x.cn",
        "--address",
        "Shanghai",
        "--source",
        "expo 2026",
        "--referred-by",
        "Referrer",
        "--note",
        "needs a quote",
        "--owner",
        "amy",
        "--grade",
        "C",
    )
    assert query(
        "SELECT name, name_key, company, title, phone, email, address, source, referred_by_id,"
        " notes, grade, owner, created_at, updated_at, archived_at FROM client WHERE id = 2"
    ) == [
        (
            "Wang Xiaoming",
            "wang xiaoming",
            "Beta Co",
            "CEO",
            "138-0000-1234",
            "w@x.cn",
            "Shanghai",
            "expo 2026",
            referrer,
            "needs a quote",
            "C",
            "amy",
            PINNED_UTC_TEXT,
            PINNED_UTC_TEXT,
            None,
        )
    ]


def test_add_normalises_tags_lower_case_and_deduplicated(ok, query) -> None:
    result = ok("add", "Zhang", "-t", "VIP", "--tag", "vip", "--tag", " Hot ", "--tag", "重要")
    assert result.stdout == "Added #1 Zhang · grade F · tags hot,vip,重要\n"
    assert query("SELECT tag FROM client_tag ORDER BY tag") == [("hot",), ("vip",), ("重要",)]
    assert card(ok, "1")["tags"] == ["hot", "vip", "重要"]


def test_add_defaults_to_grade_f_and_records_the_first_grade_change(ok, query) -> None:
    add(ok, "Zhang")
    assert query("SELECT grade FROM client") == [("F",)]
    assert query(
        "SELECT client_id, from_grade, to_grade, changed_at, reason FROM grade_change"
    ) == [(1, None, "F", PINNED_UTC_TEXT, "added")]


def test_add_with_a_grade_records_null_to_that_grade(ok, query) -> None:
    assert ok("add", "Li", "--grade", "B").stdout == "Added #1 Li · grade B\n"
    assert query("SELECT from_grade, to_grade, reason FROM grade_change") == [(None, "B", "added")]


def test_add_accepts_a_lower_case_grade(ok, query) -> None:
    assert ok("add", "Li", "--grade", "b").stdout == "Added #1 Li · grade B\n"
    assert query("SELECT grade FROM client") == [("B",)]


def test_add_folds_inner_blanks_of_a_name_and_keeps_unicode(ok) -> None:
    assert ok("add", " 王\u3000 小明 ").stdout == "Added #1 王 小明 · grade F\n"


def test_add_leaves_blank_optional_fields_empty(ok, query) -> None:
    ok("add", "Li", "--company", "   ", "--note", "")
    assert query("SELECT company, notes FROM client") == [(None, None)]


def test_add_referred_by_links_the_referrer(ok) -> None:
    add(ok, "Zhang Wei", "--company", "Acme")
    add(ok, "Li", "--referred-by", "zhang")
    assert card(ok, "Li")["referred_by"] == {
        "id": 1,
        "name": "Zhang Wei",
        "company": "Acme",
        "grade": "F",
    }
    assert listing(ok)[0]["referred_by"] == 1  # a listing carries the referrer's id


# ---- edit ---------------------------------------------------------------------------------


def test_edit_changes_fields_and_prints_the_summary(ok, query) -> None:
    add(ok, "Zhao", "--company", "Old Co", "--phone", "1")
    result = ok(
        "edit",
        "Zhao",
        "--company",
        "New Co",
        "--phone",
        "+86 21 5555",
        "--email",
        "z@new.cn",
        "--note",
        "moved",
        env={"CLIENTCARD_NOW": "2026-11-21T10:30:00"},
    )
    assert result.stdout == "Updated #1 Zhao · New Co · grade F\n"
    assert query("SELECT company, phone, email, notes, created_at, updated_at FROM client") == [
        (
            "New Co",
            "+86 21 5555",
            "z@new.cn",
            "moved",
            PINNED_UTC_TEXT,
            "2026-11-21 02:30:00.000000",
        )
    ]


def test_edit_leaves_fields_that_were_not_given(ok, query) -> None:
    add(ok, "Zhao", "--company", "Acme", "--title", "CTO", "--note", "keep me")
    ok("edit", "Zhao", "--phone", "123")
    assert query("SELECT company, title, notes, phone FROM client") == [
        ("Acme", "CTO", "keep me", "123")
    ]


@pytest.mark.parametrize(
    ("option", "column"),
    [
        ("--company", "company"),
        ("--title", "title"),
        ("--phone", "phone"),
        ("--email", "email"),
        ("--address", "address"),
        ("--source", "source"),
        ("--note", "notes"),
        ("--owner", "owner"),
    ],
)
def test_edit_with_an_empty_value_clears_the_field(ok, query, option: str, column: str) -> None:
    value = "someone@example.com" if column == "email" else "something"
    add(ok, "Zhao", option, value)
    assert query(f"SELECT {column} FROM client") == [(value,)]
    ok("edit", "Zhao", option, "")
    assert query(f"SELECT {column} FROM client") == [(None,)]


def test_edit_with_an_empty_referred_by_clears_the_referrer(ok, query) -> None:
    add(ok, "Zhang")
    add(ok, "Li", "--referred-by", "Zhang")
    ok("edit", "Li", "--referred-by", "")
    assert query("SELECT referred_by_id FROM client WHERE name = 'Li'") == [(None,)]


def test_edit_adds_and_removes_tags(ok, query) -> None:
    add(ok, "Zhao", "--tag", "hot", "--tag", "expo")
    result = ok("edit", "Zhao", "--tag", "VIP", "--tag", "hot", "--remove-tag", "EXPO")
    assert result.stdout == "Updated #1 Zhao · grade F · tags hot,vip\n"
    assert query("SELECT tag FROM client_tag ORDER BY tag") == [("hot",), ("vip",)]


def test_edit_removing_a_tag_the_card_lacks_is_harmless(ok, query) -> None:
    add(ok, "Zhao", "--tag", "hot")
    ok("edit", "Zhao", "--remove-tag", "cold")
    assert query("SELECT tag FROM client_tag") == [("hot",)]


def test_edit_renames_a_card_and_it_is_found_by_the_new_name(ok, query) -> None:
    add(ok, "Zhao")
    assert ok("edit", "Zhao", "--name", "  Zhao   Min ").stdout == "Updated #1 Zhao Min · grade F\n"
    assert query("SELECT name, name_key FROM client") == [("Zhao Min", "zhao min")]
    assert card(ok, "zhao min")["id"] == 1


def test_edit_with_nothing_to_change_is_a_usage_error(cli, ok, snapshot) -> None:
    add(ok, "Zhao")
    before = snapshot()
    assert_error(
        cli("edit", "Zhao"),
        2,
        "invalid value for edit: nothing to change; give at least one option "
        "(see `clientcard edit --help`)",
    )
    assert snapshot() == before


def test_edit_has_no_grade_option(cli, ok, snapshot) -> None:
    add(ok, "Zhao")
    before = snapshot()
    result = cli("edit", "Zhao", "--grade", "A")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: no such option: --grade")
    assert result.stderr.count("\n") == 1
    assert snapshot() == before


def test_edit_refuses_a_card_referred_by_itself(cli, ok, snapshot) -> None:
    add(ok, "Zhao")
    before = snapshot()
    assert_error(
        cli("edit", "Zhao", "--referred-by", "1"), 2, "a card cannot be referred by itself"
    )
    assert snapshot() == before


# ---- names that must come back exactly as typed -------------------------------------------

ROUND_TRIP_NAMES = [
    "张伟",
    "王小明",
    "[bold]Acme[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[/]",
    'O\'Brien, "Jr"',
]


@pytest.mark.parametrize("name", ROUND_TRIP_NAMES)
def test_name_round_trips_through_add_show_and_list_in_every_format(ok, name: str) -> None:
    company = "[red]Big[/red] 公司"
    assert (
        ok("add", name, "--company", company).stdout == f"Added #1 {name} · {company} · grade F\n"
    )

    page = ok("show", "1")
    assert lines(page)[0] == f"#1 {name} · {company} · prospect"
    assert page_fields(page)["Company"] == company
    assert card(ok, "1")["name"] == name
    assert card(ok, name)["company"] == company  # found by its exact name, too

    table = ok("list").stdout
    # Issue 11: an F card is marked with its kind (never visited: F-new).
    assert re.search(rf"^ 1  {re.escape(name)} +{re.escape(company)} +F-new  ", table, re.MULTILINE)
    assert "\x1b" not in table + page.stdout

    assert [(r["name"], r["company"]) for r in listing(ok)] == [(name, company)]

    rows = list(csv.DictReader(io.StringIO(ok("list", "--format", "csv").stdout)))
    assert [(r["name"], r["company"]) for r in rows] == [(name, company)]

    tsv = ok("list", "--format", "tsv").stdout.splitlines()
    assert tsv[1].split("\t")[1:3] == [name, company]


@pytest.mark.parametrize("name", ROUND_TRIP_NAMES)
def test_name_prints_as_typed_in_grade_messages_and_history(ok, name: str) -> None:
    add(ok, name)
    assert ok("grade", "1", "E", "--reason", "[i]met[/i]").stdout == (
        f"Regraded #1 {name}: F -> E "
        "(does not yet understand the product; the gap is the salesperson's own effort)\n"
    )
    history = ok("grade", "1").stdout
    assert history.splitlines()[0] == f"Grade history of #1 {name}"
    assert "[i]met[/i]" in history


# ---- bad input: one line, an exit code, and nothing changed --------------------------------

G_MESSAGE = "unknown grade 'G'; a grade is one of A, B, C, D, E, F"
EMPTY_NAME = "a client's name cannot be empty; type the name as you would say it"

BAD_INPUT = [
    pytest.param(["add", "New", "--grade", "G"], 2, G_MESSAGE, id="add-grade-G"),
    pytest.param(["grade", "Zhao", "G", "--reason", "x"], 2, G_MESSAGE, id="regrade-G"),
    pytest.param(["list", "--grade", "A,G"], 2, G_MESSAGE, id="list-grade-G"),
    pytest.param(["add", ""], 2, EMPTY_NAME, id="empty-name"),
    pytest.param(["add", "   "], 2, EMPTY_NAME, id="blank-name"),
    pytest.param(["edit", "Zhao", "--name", " "], 2, EMPTY_NAME, id="edit-blank-name"),
    pytest.param(
        ["show", "Nobody"],
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        id="unknown-client",
    ),
    pytest.param(
        ["grade", "Nobody", "A", "--reason", "x"],
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        id="regrade-unknown-client",
    ),
    pytest.param(
        ["edit", "zh", "--note", "x"],
        1,
        "'zh' matches 2 cards: #1 Zhang Wei (Acme) grade F; #2 Zhao grade F; use the id",
        id="ambiguous-prefix",
    ),
    pytest.param(
        ["list", "--format", "xml"],
        2,
        "invalid value for '--format' / '-f': 'xml' is not one of 'table', "
        "'json', 'csv', 'tsv' (see `clientcard list --help`)",
        id="unknown-format",
    ),
    pytest.param(
        ["add", "New", "--referred-by", "Nobody"],
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        id="unknown-referrer",
    ),
    pytest.param(
        ["edit", "Zhao", "--referred-by", "Nobody"],
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        id="edit-unknown-referrer",
    ),
    pytest.param(
        ["delete", "Zhao"],
        3,
        "deleting #2 Zhao removes the card and its history for good; add --yes to confirm "
        "(or `clientcard archive` to hide it)",
        id="delete-without-yes",
    ),
    pytest.param(
        ["add", "New", "--email", "not-an-address"],
        2,
        "'not-an-address' is not an e-mail address; expected something like a@b.com",
        id="bad-email",
    ),
    pytest.param(
        ["add", "New", "--tag", "two words"],
        2,
        "tag 'two words' has a comma or a blank; give one word per --tag",
        id="tag-with-blank",
    ),
    pytest.param(["add", "New", "--tag", " "], 2, "a tag cannot be empty", id="blank-tag"),
    pytest.param(
        ["show", " "], 2, "a client must be named: give its id or its name", id="blank-client"
    ),
    pytest.param(
        ["grade", "Zhao", "F", "--reason", "x"], 3, "#2 Zhao is already grade F", id="same-grade"
    ),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUT)
def test_bad_input_gives_one_line_an_exit_code_and_changes_nothing(
    cli, ok, snapshot, args: list[str], code: int, message: str
) -> None:
    add(ok, "Zhang Wei", "--company", "Acme", "--tag", "vip")
    add(ok, "Zhao")
    before = snapshot()
    assert_error(cli(*args), code, message)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "x" * 201], "clientcard: name is 201 characters long; at most 200 fit\n"),
        (
            ["add", "Zhang", "--phone", "1" * 101],
            "clientcard: phone is 101 characters long; at most 100 fit\n",
        ),
        (
            ["add", "Zhang", "--tag", "t" * 101],
            "clientcard: tag is 101 characters long; at most 100 fit\n",
        ),
    ],
)
def test_values_longer_than_their_field_are_refused_and_nothing_is_stored(
    cli, ok, snapshot, args: list[str], message: str
) -> None:
    ok("add", "Existing")
    before = snapshot()
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert snapshot() == before
