"""A card's page and its end: `show`, `archive`, `unarchive`, `delete`.

What is printed (stdout, stderr, exit code) and what is stored; a refused command changes nothing.
"""

import pytest
from typer.testing import Result

from helpers import CLIENT_KEYS, add, assert_error, card, lines, page_fields
from helpers import card_ids as ids

PINNED = "2026-11-20T09:00:00+08:00"


# ---- helpers ------------------------------------------------------------------------------


SHOWN_FIELDS = [
    "Company",
    "Title",
    "Grade",
    "In grade",  # issue 11: time in grade
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
        "In grade": "grade B for 0 days (since 2026-11-21)",
        "Next step": "keep close; they become A soon",
        "Phone": "138-0000-1234",
        "E-mail": "w@x.cn",
        "Address": "Shanghai",
        "Source": "expo",
        "Referred by": "#1 张伟 (Acme)",
        "Tags": "vip",
        "Owner": "amy",
        "Notes": "needs a quote",
        "Added": "2026-11-20 09:00 by li",  # issue 17: who added and who changed it
        "Updated": "2026-11-21 10:30 by li",
    }
    assert [k for k in fields if k in SHOWN_FIELDS] == SHOWN_FIELDS  # in this order
    assert section(result, "Grade history") == [  # newest first; issue 11: days held
        "When              From  To        Held  Why              By",  # issue 12: two cells
        "─" * 59,
        "2026-11-21 10:30   C    B   0 d so far  budget approved  li",
        "2026-11-20 09:00        C          1 d  added            li",
    ]
    assert section(result, "Referred") == [
        "ID  Name  Company  Grade",
        "─" * 24,
        " 4  Ref1  Gamma      E",
        " 3  Ref2             F",
    ]


def test_show_page_of_a_bare_card_says_nobody_was_referred(ok) -> None:
    add(ok, "Li")
    result = ok("show", "Li")
    assert lines(result)[0] == "#1 Li · prospect"
    fields = page_fields(result)
    # Issue 11: an F card shows its kind; never visited, it is F-new.
    assert fields["Grade"] == "F-new: only researched so far, never visited"
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
    assert data["grade_history"] == [  # issue 11: with the days each grade was held
        {
            "from_grade": None,
            "to_grade": "C",
            "changed_at": PINNED,
            "reason": "added",
            "held_days": 1,
            "current": False,
            "author": "li",
        },
        {
            "from_grade": "C",
            "to_grade": "B",
            "changed_at": "2026-11-21T10:30:00+08:00",
            "reason": "budget approved",
            "held_days": 0,
            "current": True,
            "author": "li",
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
