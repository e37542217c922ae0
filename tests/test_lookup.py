"""How the CLIENT a user types is resolved: id, `#id`, exact name, unique prefix; ambiguity lists
the candidates; an exact name beats a prefix; a live card beats an archived one."""

import json
import shutil
from pathlib import Path

import pytest

from helpers import add, assert_error, seeded_database


def resolved(ok, ref: str) -> int:
    """The id of the card `ref` names."""
    return json.loads(ok("show", ref, "--format", "json").stdout)["id"]


PEOPLE = [
    ["add", "Zhang Wei", "--company", "Acme"],  # 1
    ["add", "Zhao Min"],  # 2
    ["add", "Li"],  # 3
    ["add", "Lisa", "--grade", "B"],  # 4
    ["add", "王小明"],  # 5
    ["add", "张伟"],  # 6
    ["add", "张三", "--company", "Beta"],  # 7
]


@pytest.fixture(scope="module")
def people_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("people"), PEOPLE)


@pytest.fixture
def people(people_db: Path, db_path: Path) -> None:
    shutil.copy(people_db, db_path)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2", 2),  # id
        ("#2", 2),  # id with a hash
        (" 5 ", 5),
        ("Zhang Wei", 1),  # exact name
        ("ZHANG WEI", 1),  # exact name, any case
        ("  zhang wei ", 1),
        ("zhang \u3000 wei", 1),  # blanks folded as when the name was saved
        ("zhang", 1),  # unique prefix
        ("Zhao", 2),
        ("Li", 3),  # exact beats the prefix of Lisa
        ("lis", 4),
        ("王", 5),  # Chinese prefix
        ("张伟", 6),  # Chinese exact
    ],
)
def test_client_resolves_by_id_name_or_unique_prefix(ok, people, ref: str, expected: int) -> None:
    assert resolved(ok, ref) == expected


def test_ambiguous_prefix_lists_the_candidates_with_ids(cli, people) -> None:
    assert_error(
        cli("show", "zh"),
        1,
        "'zh' matches 2 cards: #1 Zhang Wei (Acme) grade F; #2 Zhao Min grade F; use the id",
    )


def test_ambiguous_chinese_prefix_lists_the_candidates(cli, people) -> None:
    assert_error(
        cli("show", "张"),
        1,
        "'张' matches 2 cards: #7 张三 (Beta) grade F; #6 张伟 grade F; use the id",
    )


def test_ambiguous_prefix_lists_at_most_ten_candidates(cli, ok) -> None:
    for n in range(12):
        add(ok, f"Wang {n:02d}")
    result = cli("show", "wang")
    assert result.exit_code == 1
    assert result.stderr.startswith("clientcard: 'wang' matches 12 cards: #1 Wang 00 grade F; ")
    assert result.stderr.endswith("; #10 Wang 09 grade F; and 2 more; use the id\n")
    assert "Wang 10" not in result.stderr


def test_the_same_name_twice_is_ambiguous(cli, ok) -> None:
    add(ok, "Wang", "--company", "Acme")
    add(ok, "wang", "--company", "Beta")
    assert_error(
        cli("show", "WANG"),
        1,
        "'WANG' matches 2 cards: #1 Wang (Acme) grade F; #2 wang (Beta) grade F; use the id",
    )
    assert resolved(ok, "2") == 2


def test_a_live_card_wins_over_an_archived_one_of_the_same_name(ok) -> None:
    add(ok, "Wang", "--company", "Old Co")
    ok("archive", "Wang")
    add(ok, "Wang", "--company", "New Co")
    assert resolved(ok, "wang") == 2
    assert resolved(ok, "wa") == 2


def test_an_archived_card_is_found_when_it_is_the_only_match(ok) -> None:
    add(ok, "Wang")
    ok("archive", "Wang")
    assert resolved(ok, "Wang") == 1
    assert ok("unarchive", "wan").stdout == "Unarchived #1 Wang · grade F\n"


def test_two_archived_cards_of_the_same_name_are_ambiguous(cli, ok) -> None:
    add(ok, "Wang")
    add(ok, "Wang")
    ok("archive", "1")
    ok("archive", "2")
    assert_error(
        cli("show", "Wang"),
        1,
        "'Wang' matches 2 cards: #1 Wang grade F; #2 Wang grade F; use the id",
    )


def test_an_id_wins_over_a_name_made_of_digits(ok) -> None:
    add(ok, "Zhang")
    add(ok, "1")
    add(ok, "2025")
    assert resolved(ok, "1") == 1  # the id, not the card named "1"
    assert resolved(ok, "2025") == 3  # no card 2025: the name


def test_a_name_typed_in_decomposed_unicode_is_found(ok) -> None:
    add(ok, "Jos\u00e9")  # é as one code point, as NFC stores it
    assert resolved(ok, "jose\u0301") == 1  # e + combining acute, as some keyboards send it


def test_case_folding_finds_german_sharp_s(ok) -> None:
    add(ok, "Straße")
    assert resolved(ok, "STRASSE") == 1


@pytest.mark.parametrize("ref", ["Nobody", "99", "#99", "99999999999999999999999", "²", "٣"])
def test_unknown_client_is_not_found(cli, people, ref: str) -> None:
    assert_error(
        cli("show", ref), 1, f"no card matches {ref!r}; try `clientcard list --search {ref}`"
    )


def test_a_name_that_only_starts_like_a_longer_one_is_not_a_prefix_of_it(cli, people) -> None:
    assert_error(
        cli("show", "Lisa Marie"),
        1,
        "no card matches 'Lisa Marie'; try `clientcard list --search Lisa Marie`",
    )


def test_blank_client_is_a_usage_error(cli, people) -> None:
    assert_error(cli("show", "  "), 2, "a client must be named: give its id or its name")


def test_lookup_works_the_same_for_every_command(ok, people, query) -> None:
    ok("edit", "lis", "--note", "edited")
    ok("grade", "lis", "A", "--reason", "ready")
    ok("archive", "lis")
    assert query("SELECT id, notes, grade FROM client WHERE archived_at IS NOT NULL") == [
        (4, "edited", "A")
    ]
    ok("delete", "lis", "--yes")
    assert query("SELECT count(*) FROM client WHERE id = 4") == [(0,)]
