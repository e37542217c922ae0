"""The card commands as a user sees them: add, edit, list, show, archive, unarchive, delete.

What is printed (stdout, stderr, exit code) and what is stored; a refused command changes nothing.
"""

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import Result

from helpers import (
    CLIENT_KEYS,
    add,
    assert_error,
    at,
    card,
    lines,
    listing,
    page_fields,
    seeded_database,
)
from helpers import card_ids as ids

PINNED = "2026-11-20T09:00:00+08:00"
PINNED_UTC_TEXT = "2026-11-20 01:00:00.000000"  # how the pinned moment is stored (UTC)


# ---- helpers ------------------------------------------------------------------------------


SHOWN_FIELDS = [
    "Company",
    "Title",
    "Grade",
    "Next step",
    "Phone",
    "E-mail",
    "Address",
    "Source",
    "Referred by",
    "Tags",
    "Owner",
    "Notes",
    "Added",
    "Updated",
]


def section(result: Result, title: str) -> list[str]:
    """The lines of a titled section of a `show` page, up to the next blank line."""
    out = [*lines(result), ""]
    start = out.index(title) + 1
    return out[start : out.index("", start)]


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


# ---- list ---------------------------------------------------------------------------------


BOOK = [
    ["add", "Zhang Wei", "--grade", "A", "--company", "Acme Ltd", "-t", "vip"],  # 1
    ["add", "王小明", "--grade", "B", "--note", "需要报价, call back", "-t", "expo"],  # 2
    ["add", "Li", "--grade", "C", "--phone", "138-0000-1234", "-t", "vip", "-t", "expo"],  # 3
    ["add", "bob", "--grade", "F", "--email", "Bob_Smith@Example.com"],  # 4
    ["add", "Old", "--grade", "A", "--company", "Acme Ltd", "-t", "vip"],  # 5
    ["archive", "Old"],
]


@pytest.fixture(scope="module")
def book_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("book"), BOOK)


@pytest.fixture
def book(book_db: Path, db_path: Path) -> None:
    """Five cards with different grades, tags and text; one of them archived."""
    shutil.copy(book_db, db_path)


def test_list_shows_live_cards_sorted_by_name(ok, book) -> None:
    assert [row["name"] for row in listing(ok)] == ["bob", "Li", "Zhang Wei", "王小明"]


@pytest.mark.parametrize(
    ("grades", "expected"),
    [("A", ["Zhang Wei"]), ("A,B", ["Zhang Wei", "王小明"]), ("b, c", ["Li", "王小明"])],
)
def test_list_filters_by_grade(ok, book, grades: str, expected: list[str]) -> None:
    assert [row["name"] for row in listing(ok, "--grade", grades)] == expected


def test_list_filters_by_tag_and_every_tag_must_match(ok, book) -> None:
    assert [row["name"] for row in listing(ok, "--tag", "VIP")] == ["Li", "Zhang Wei"]
    assert [row["name"] for row in listing(ok, "-t", "vip", "-t", "expo")] == ["Li"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zhang", ["Zhang Wei"]),  # name, case-insensitive
        ("ACME", ["Zhang Wei"]),  # company
        ("报价", ["王小明"]),  # notes, a Chinese substring
        ("小明", ["王小明"]),  # name, a Chinese substring
        ("0000-12", ["Li"]),  # phone
        ("example.COM", ["bob"]),  # e-mail
        ("nobody", []),
    ],
)
def test_list_search_looks_in_name_company_notes_phone_and_email(
    ok, book, text: str, expected: list[str]
) -> None:
    assert [row["name"] for row in listing(ok, "--search", text)] == expected


def test_list_search_folds_case_beyond_ascii(ok) -> None:
    add(ok, "Müller", "--company", "ÄBC GmbH", "--note", "Straße 5")
    assert ids(ok, "--search", "äbc") == [1]
    assert ids(ok, "--search", "MÜLLER") == [1]
    assert ids(ok, "--search", "STRASSE") == [1]


def test_list_search_follows_an_edit_of_every_searched_field(ok) -> None:
    """The search reads a key stored with the card (search_key): every edit must renew it."""
    add(ok, "Old Name", "--company", "Old Co", "--note", "old note", "--phone", "111")
    ok("edit", "1", "--name", "新名字", "--company", "New Co", "--note", "new note")
    ok("edit", "1", "--phone", "222", "--email", "new@x.cn")
    for old in ("old name", "old co", "old note", "111"):
        assert ids(ok, "--search", old) == [], old
    for new in ("名字", "NEW CO", "new note", "222", "new@x"):
        assert ids(ok, "--search", new) == [1], new
    ok("edit", "1", "--company", "")
    assert ids(ok, "--search", "new co") == []


def test_list_search_never_matches_across_two_fields(ok) -> None:
    add(ok, "Wang", "--company", "Acme")
    assert ids(ok, "--search", "wangacme") == []
    assert ids(ok, "--search", "wang acme") == []


def test_list_search_treats_percent_and_underscore_literally(ok) -> None:
    add(ok, "Cotton", "--company", "100% Cotton")
    add(ok, "Under", "--email", "a_b@x.cn")
    add(ok, "Plain", "--company", "100 Cotton", "--email", "ab@x.cn")
    assert [row["name"] for row in listing(ok, "--search", "%")] == ["Cotton"]
    assert [row["name"] for row in listing(ok, "--search", "0% C")] == ["Cotton"]
    assert [row["name"] for row in listing(ok, "--search", "_")] == ["Under"]
    assert [row["name"] for row in listing(ok, "--search", "a_b")] == ["Under"]


def test_list_archived_shows_only_archived_cards(ok, book) -> None:
    assert [row["name"] for row in listing(ok, "--archived")] == ["Old"]
    assert listing(ok, "--archived")[0]["archived"] is True


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["apple", "Banana", "cherry"]),
        ("grade", ["cherry", "Banana", "apple"]),
        ("updated", ["apple", "cherry", "Banana"]),
        ("created", ["cherry", "Banana", "apple"]),
    ],
)
def test_list_sorts(ok, sort: str, expected: list[str]) -> None:
    ok("add", "apple", "--grade", "D", env=at("2026-11-01T09:00"))
    ok("add", "Banana", "--grade", "B", env=at("2026-11-02T09:00"))
    ok("add", "cherry", "--grade", "A", env=at("2026-11-03T09:00"))
    ok("edit", "apple", "--note", "touched", env=at("2026-11-10T09:00"))
    assert [row["name"] for row in listing(ok, "--sort", sort)] == expected


def test_list_limit_shows_at_most_n_rows(ok, book) -> None:
    assert [row["name"] for row in listing(ok, "--limit", "2")] == ["bob", "Li"]
    assert len(listing(ok, "-n", "1")) == 1


def test_list_with_a_bad_sort_is_a_usage_error(cli, book) -> None:
    assert_error(
        cli("list", "--sort", "age"),
        2,
        "invalid value for '--sort': 'age' is not one of name, grade, updated, created "
        "(see `clientcard list --help`)",
    )


def test_list_with_a_zero_limit_is_a_usage_error(cli, book) -> None:
    result = cli("list", "--limit", "0")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: invalid value for '--limit' / '-n': ")
    assert result.stderr.count("\n") == 1


def test_list_table_shows_a_row_per_card_and_a_count(ok, book) -> None:
    out = lines(ok("list", "--grade", "A,C"))
    assert out[0].split() == ["ID", "Name", "Company", "Grade", "Tags", "Phone", "Updated"]
    assert out[2].split() == [
        "3",
        "Li",
        "C",
        "expo,",
        "vip",
        "138-0000-1234",
        "2026-11-20",
        "09:00",
    ]
    assert out[3].split() == ["1", "Zhang", "Wei", "Acme", "Ltd", "A", "vip", "2026-11-20", "09:00"]
    assert out[4:] == ["2 cards"]


def test_list_table_says_1_card_in_the_singular(ok) -> None:
    add(ok, "Li")
    assert lines(ok("list"))[-1] == "1 card"


# ---- show ---------------------------------------------------------------------------------


@pytest.fixture
def wang(ok) -> int:
    """A full card with a referrer, two referrals and a regrade a day later."""
    add(ok, "张伟", "--company", "Acme")
    ok(
        "add",
        "Wang Xiaoming",
        "--company",
        "Beta Co",
        "--title",
        "CEO",
        "--phone",
        "138-0000-1234",
        "--email",
        "w@x.cn",
        "--address",
        "Shanghai",
        "--source",
        "expo",
        "--referred-by",
        "张伟",
        "--tag",
        "VIP",
        "--note",
        "needs a quote",
        "--owner",
        "amy",
        "--grade",
        "C",
    )
    add(ok, "Ref2", "--referred-by", "Wang")
    add(ok, "Ref1", "--referred-by", "Wang", "--company", "Gamma", "--grade", "E")
    ok(
        "grade",
        "Wang",
        "B",
        "--reason",
        "budget approved",
        env={"CLIENTCARD_NOW": "2026-11-21T10:30"},
    )
    return 2


def test_show_page_lists_fields_grade_meaning_history_and_referrals(ok, wang) -> None:
    result = ok("show", "Wang")
    assert lines(result)[0] == "#2 Wang Xiaoming · Beta Co · prospect"
    fields = page_fields(result)
    assert {k: fields[k] for k in SHOWN_FIELDS} == {
        "Company": "Beta Co",
        "Title": "CEO",
        "Grade": "B: would buy, but something must wait (timing, a decision pending)",
        "Next step": "keep close; they become A soon",
        "Phone": "138-0000-1234",
        "E-mail": "w@x.cn",
        "Address": "Shanghai",
        "Source": "expo",
        "Referred by": "#1 张伟 (Acme)",
        "Tags": "vip",
        "Owner": "amy",
        "Notes": "needs a quote",
        "Added": "2026-11-20 09:00",
        "Updated": "2026-11-21 10:30",
    }
    assert [k for k in fields if k in SHOWN_FIELDS] == SHOWN_FIELDS  # in this order
    assert section(result, "Grade history") == [  # newest first
        "When               From   To   Why",
        "─" * 46,
        "2026-11-21 10:30    C     B    budget approved",
        "2026-11-20 09:00          C    added",
    ]
    assert section(result, "Referred") == [
        "ID   Name   Company   Grade",
        "─" * 27,
        " 4   Ref1   Gamma       E",
        " 3   Ref2               F",
    ]


def test_show_page_of_a_bare_card_says_nobody_was_referred(ok) -> None:
    add(ok, "Li")
    result = ok("show", "Li")
    assert lines(result)[0] == "#1 Li · prospect"
    fields = page_fields(result)
    assert fields["Grade"] == (
        "F: hard to move up within a year, or only researched so far and never visited"
    )
    assert not {"Company", "Referred by", "Archived", "Tags", "Notes"} & set(fields)
    assert lines(result)[-2:] == ["Referred", "  nobody yet"]


def test_show_page_of_an_archived_card_says_when(ok) -> None:
    add(ok, "Li")
    ok("archive", "Li", env={"CLIENTCARD_NOW": "2026-11-22T08:00"})
    assert page_fields(ok("show", "Li"))["Archived"] == "2026-11-22 08:00"


def test_show_json_is_one_object_with_history_and_referrals(ok, wang) -> None:
    data = card(ok, "Wang")
    assert list(data)[: len(CLIENT_KEYS)] == CLIENT_KEYS
    assert {"grade_meaning", "archived_at", "grade_history", "referrals"} <= set(data)
    assert data["referred_by"] == {"id": 1, "name": "张伟", "company": "Acme", "grade": "F"}
    assert data["grade"] == "B"
    assert (
        data["grade_meaning"] == "would buy, but something must wait (timing, a decision pending)"
    )
    assert data["grade_history"] == [
        {"from_grade": None, "to_grade": "C", "changed_at": PINNED, "reason": "added"},
        {
            "from_grade": "C",
            "to_grade": "B",
            "changed_at": "2026-11-21T10:30:00+08:00",
            "reason": "budget approved",
        },
    ]
    assert data["referrals"] == [
        {"id": 4, "name": "Ref1", "company": "Gamma", "grade": "E"},
        {"id": 3, "name": "Ref2", "company": None, "grade": "F"},
    ]
    assert (data["archived"], data["archived_at"]) == (False, None)
    assert (data["created_at"], data["updated_at"]) == (PINNED, "2026-11-21T10:30:00+08:00")


# ---- archive, unarchive -------------------------------------------------------------------


def test_archive_hides_a_card_from_list_and_unarchive_brings_it_back(ok, query) -> None:
    add(ok, "Zhao")
    add(ok, "Li")
    result = ok("archive", "Zhao", env={"CLIENTCARD_NOW": "2026-11-22T08:00"})
    assert result.stdout == "Archived #1 Zhao · grade F · archived\n"
    assert query("SELECT archived_at, updated_at FROM client WHERE id = 1") == [
        ("2026-11-22 00:00:00.000000", "2026-11-22 00:00:00.000000")
    ]
    assert ids(ok) == [2]
    assert ids(ok, "--archived") == [1]
    assert ok("unarchive", "Zhao").stdout == "Unarchived #1 Zhao · grade F\n"
    assert query("SELECT archived_at FROM client WHERE id = 1") == [(None,)]
    assert ids(ok) == [2, 1]
    assert ids(ok, "--archived") == []


def test_archive_twice_is_refused_and_changes_nothing(cli, ok, snapshot) -> None:
    add(ok, "Zhao")
    ok("archive", "Zhao")
    before = snapshot()
    assert_error(cli("archive", "Zhao"), 3, "#1 Zhao is already archived")
    assert snapshot() == before


def test_unarchive_of_a_live_card_is_refused_and_changes_nothing(cli, ok, snapshot) -> None:
    add(ok, "Zhao")
    before = snapshot()
    assert_error(cli("unarchive", "Zhao"), 3, "#1 Zhao is not archived")
    assert snapshot() == before


# ---- delete -------------------------------------------------------------------------------


def test_delete_without_yes_is_refused_and_changes_nothing(cli, ok, snapshot) -> None:
    add(ok, "Zhao", "--tag", "vip")
    before = snapshot()
    assert_error(
        cli("delete", "Zhao"),
        3,
        "deleting #1 Zhao removes the card and its history for good; add --yes to confirm "
        "(or `clientcard archive` to hide it)",
    )
    assert snapshot() == before


def test_delete_with_yes_removes_the_card_its_tags_and_history(ok, query) -> None:
    add(ok, "Zhao", "--company", "Acme", "--tag", "vip")
    add(ok, "Li", "--tag", "vip")
    ok("grade", "Zhao", "A", "--reason", "signed")
    assert ok("delete", "Zhao", "--yes").stdout == "Deleted #1 Zhao · Acme · grade A · tags vip\n"
    assert query("SELECT id FROM client") == [(2,)]
    assert query("SELECT client_id, tag FROM client_tag") == [(2, "vip")]
    assert query("SELECT client_id FROM grade_change") == [(2,)]


def test_delete_keeps_the_cards_it_referred_without_a_referrer(ok, query) -> None:
    add(ok, "Zhao")
    add(ok, "Li", "--referred-by", "Zhao")
    ok("delete", "Zhao", "-y")
    assert query("SELECT id, referred_by_id FROM client") == [(2, None)]
    assert card(ok, "Li")["referred_by"] is None


def test_delete_of_an_archived_card_works(ok, query) -> None:
    add(ok, "Zhao")
    ok("archive", "Zhao")
    ok("delete", "Zhao", "--yes")
    assert query("SELECT count(*) FROM client") == [(0,)]


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
    assert re.search(rf"^ 1   {re.escape(name)} +{re.escape(company)} +F  ", table, re.MULTILINE)
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
