"""Finding cards as a user sees it: `list` with its filters, search, sorts, limit and table.

What is printed (stdout, stderr, exit code) and what is stored; a refused command changes nothing.
"""

import shutil
from pathlib import Path

import pytest

from helpers import add, assert_error, at, lines, listing, seeded_database
from helpers import card_ids as ids

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
    # Chinese names by pinyin among the Latin ones (issue 18): 王小明 is wang xiao ming
    assert [row["name"] for row in listing(ok)] == ["bob", "Li", "王小明", "Zhang Wei"]


@pytest.mark.parametrize(
    ("grades", "expected"),
    [("A", ["Zhang Wei"]), ("A,B", ["王小明", "Zhang Wei"]), ("b, c", ["Li", "王小明"])],
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
    # Words are looked for each on its own (issue 18): both are on the card.
    assert ids(ok, "--search", "wang acme") == [1]


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
        "invalid value for '--sort': 'age' is not one of name, grade, updated, created, "
        "in-grade (see `clientcard list --help`)",
    )


def test_list_with_a_zero_limit_is_a_usage_error(cli, book) -> None:
    result = cli("list", "--limit", "0")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("clientcard: invalid value for '--limit' / '-n': ")
    assert result.stderr.count("\n") == 1


def test_list_table_shows_a_row_per_card_and_a_count(ok, book) -> None:
    out = lines(ok("list", "--grade", "A,C"))
    # Issue 11: the days in grade after the grade.
    assert out[0].split() == [
        *("ID", "Name", "Company", "Grade", "In", "grade", "Tags", "Phone", "Updated")
    ]
    assert out[2].split() == [
        "3",
        "Li",
        "C",
        "0",
        "d",
        "expo,",
        "vip",
        "138-0000-1234",
        "2026-11-20",
        "09:00",
    ]
    assert out[3].split() == [
        *("1", "Zhang", "Wei", "Acme", "Ltd", "A", "0", "d", "vip", "2026-11-20", "09:00")
    ]
    assert out[4:] == ["2 cards"]


def test_list_table_says_1_card_in_the_singular(ok) -> None:
    add(ok, "Li")
    assert lines(ok("list"))[-1] == "1 card"
