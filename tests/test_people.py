"""Close contacts as a user sees them: `person add|list|edit|remove`, and `people_of` for the
card page. The people around a decision-maker (assistant, secretary, deputy) know the purchase
plans and the decision process: the card keeps who they are and how to reach them."""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import csv
import io
import json
from typing import Any

import pytest

from clientcard.store.open import transaction
from helpers import ZHANG, assert_error, stored_card

pytestmark = pytest.mark.usefixtures("migrated")

PERSON_KEYS = ["id", "client_id", "client", "name", "role", "phone", "email", "note"]


# ---- helpers ------------------------------------------------------------------------------


def people(ok, client: str) -> list[dict[str, Any]]:
    return json.loads(ok("person", "list", client, "--format", "json").stdout)


def stored(query) -> list[tuple[Any, ...]]:
    return query("SELECT client_id, name, role, phone, email, note FROM person ORDER BY id")


@pytest.fixture
def secretary(ok, zhang) -> int:
    out = ok(
        "person",
        "add",
        "张伟",
        "李娜",
        "--role",
        "秘书",
        "--phone",
        "138 0000 0000",
        "--email",
        "li.na@example.cn",
        "--note",
        "知道采购计划",
        "-q",
    ).stdout
    return int(out)


# ---- add ----------------------------------------------------------------------------------


def test_add_a_secretary(ok, query, zhang):
    result = ok(
        "person",
        "add",
        "张伟",
        "  李娜 ",
        "--role",
        " 秘书 ",
        "--phone",
        "138 0000 0000",
        "--email",
        "li.na@example.cn",
        "--note",
        "知道采购计划",
    )
    assert result.stdout == f"Added person K1 李娜 (秘书) to {ZHANG}\n"
    assert stored(query) == [
        (zhang, "李娜", "秘书", "138 0000 0000", "li.na@example.cn", "知道采购计划")
    ]


def test_add_with_only_a_role(ok, query, zhang):
    out = ok("person", "add", "1", "Tom  Lee", "--role", "assistant").stdout
    assert out == f"Added person K1 Tom Lee (assistant) to {ZHANG}\n"
    assert stored(query) == [(zhang, "Tom Lee", "assistant", None, None, None)]


def test_add_quiet_prints_only_the_id(ok, zhang):
    assert ok("person", "add", "1", "A", "--role", "deputy", "-q").stdout == "1\n"
    assert ok("person", "add", "1", "B", "--role", "driver", "--quiet").stdout == "2\n"


def test_add_to_an_archived_card(ok, zhang):
    ok("archive", "1")
    assert ok("person", "add", "1", "李娜", "--role", "秘书").stdout == (
        f"Added person K1 李娜 (秘书) to {ZHANG}\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["1", "李娜", "--role", "  "],
            2,
            "give the person's role, e.g. --role assistant, secretary or deputy",
        ),
        (
            ["1", "李娜", "--role", ""],
            2,
            "give the person's role, e.g. --role assistant, secretary or deputy",
        ),
        (
            ["1", " ", "--role", "秘书"],
            2,
            "a person's name cannot be empty; type it as you would say it",
        ),
        (
            ["1", "李娜", "--role", "秘书", "--email", "li.na"],
            2,
            "'li.na' is not an e-mail address; expected something like a@b.com",
        ),
        (["1", "x" * 201, "--role", "秘书"], 2, "name is 201 characters long; at most 200 fit"),
        (["1", "李娜", "--role", "秘" * 101], 2, "role is 101 characters long; at most 100 fit"),
        (
            ["1", "李娜", "--role", "秘书", "--phone", "1" * 101],
            2,
            "phone is 101 characters long; at most 100 fit",
        ),
        (
            ["1", "李娜"],
            2,
            "missing option '--role' (see `clientcard person add --help`)",
        ),
        (
            ["Nobody", "李娜", "--role", "秘书"],
            1,
            "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        ),
    ],
    ids=[
        "blank-role",
        "empty-role",
        "blank-name",
        "bad-email",
        "long-name",
        "long-role",
        "long-phone",
        "no-role",
        "unknown-client",
    ],
)
def test_bad_add_changes_nothing(cli, snapshot, zhang, args, code, message):
    before = snapshot()
    assert_error(cli("person", "add", *args), code, message)
    assert snapshot() == before


# ---- list ---------------------------------------------------------------------------------


def test_list_a_cards_people(ok, secretary):
    ok("person", "add", "1", "Tom Lee", "--role", "assistant")
    ok("add", "Acme", "-q")
    ok("person", "add", "Acme", "王强", "--role", "副总 deputy")
    rows = people(ok, "张伟")
    assert list(rows[0]) == PERSON_KEYS
    assert rows == [
        {
            "id": 1,
            "client_id": 1,
            "client": "张伟",
            "name": "李娜",
            "role": "秘书",
            "phone": "138 0000 0000",
            "email": "li.na@example.cn",
            "note": "知道采购计划",
        },
        {
            "id": 2,
            "client_id": 1,
            "client": "张伟",
            "name": "Tom Lee",
            "role": "assistant",
            "phone": None,
            "email": None,
            "note": None,
        },
    ]
    assert [(p["id"], p["name"]) for p in people(ok, "Acme")] == [(3, "王强")]


def test_list_as_a_table(ok, secretary):
    ok("person", "add", "1", "Tom Lee", "--role", "assistant")
    assert ok("person", "list", "1").stdout == (
        f"Close contacts of {ZHANG}\n"
        "ID  Name     Role       Phone          E-mail            Note\n"
        "─────────────────────────────────────────────────────────────────────\n"
        "K1  李娜     秘书       138 0000 0000  li.na@example.cn  知道采购计划\n"
        "K2  Tom Lee  assistant\n"
    )


def test_list_as_csv(ok, secretary):
    rows = list(csv.reader(io.StringIO(ok("person", "list", "1", "-f", "csv").stdout)))
    assert rows == [
        PERSON_KEYS,
        ["1", "1", "张伟", "李娜", "秘书", "138 0000 0000", "li.na@example.cn", "知道采购计划"],
    ]


def test_list_when_empty(ok, zhang):
    assert ok("person", "list", "1").stdout == (
        f"No close contacts on {ZHANG}. Add one with: clientcard person add 1 NAME --role "
        "assistant\n"
    )
    assert ok("person", "list", "1", "--format", "json").stdout == "[]\n"


def test_list_of_an_unknown_card(cli, zhang):
    assert_error(
        cli("person", "list", "Nobody"),
        1,
        "no card matches 'Nobody'; try `clientcard list --search Nobody`",
    )


# ---- edit ---------------------------------------------------------------------------------


def test_edit_changes_only_what_is_given(ok, query, zhang, secretary):
    out = ok("person", "edit", "1", "--role", "办公室主任", "--note", "升职了").stdout
    assert out == f"Updated person K1 李娜 (办公室主任) of {ZHANG}\n"
    assert stored(query) == [
        (zhang, "李娜", "办公室主任", "138 0000 0000", "li.na@example.cn", "升职了")
    ]
    ok("person", "edit", "1", "--name", "李 娜", "--email", "LN@Example.cn")
    assert stored(query)[0][1:5] == ("李 娜", "办公室主任", "138 0000 0000", "LN@Example.cn")


def test_an_empty_value_clears_an_optional_field(ok, query, zhang, secretary):
    ok("person", "edit", "1", "--phone", "", "--email", "", "--note", " ")
    assert stored(query) == [(zhang, "李娜", "秘书", None, None, None)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1"], 2, "nothing to change; give --name, --role, --phone, --email or --note"),
        (
            ["1", "--role", ""],
            2,
            "give the person's role, e.g. --role assistant, secretary or deputy",
        ),
        (
            ["1", "--name", ""],
            2,
            "a person's name cannot be empty; type it as you would say it",
        ),
        (
            ["1", "--email", "nope", "--role", "assistant"],
            2,
            "'nope' is not an e-mail address; expected something like a@b.com",
        ),
        (
            ["9", "--role", "assistant"],
            1,
            "no person K9; see `clientcard person list CLIENT`",
        ),
        (
            ["9", "--role", ""],
            2,
            "give the person's role, e.g. --role assistant, secretary or deputy",
        ),
    ],
    ids=["nothing", "empty-role", "empty-name", "bad-email", "unknown-id", "bad-value-first"],
)
def test_bad_edit_changes_nothing(cli, snapshot, secretary, args, code, message):
    before = snapshot()
    assert_error(cli("person", "edit", *args), code, message)
    assert snapshot() == before


# ---- remove -------------------------------------------------------------------------------


def test_remove_a_person(ok, query, secretary):
    assert ok("person", "remove", "1").stdout == f"Removed person K1 李娜 (秘书) from {ZHANG}\n"
    assert stored(query) == []


def test_remove_an_unknown_person_changes_nothing(cli, snapshot, secretary):
    before = snapshot()
    assert_error(
        cli("person", "remove", "2"), 1, "no person K2; see `clientcard person list CLIENT`"
    )
    assert snapshot() == before


def test_deleting_the_card_deletes_its_people(ok, query, secretary):
    ok("delete", "1", "--yes")
    assert stored(query) == []


# ---- log --with, and the card page ---------------------------------------------------------


def test_log_with_records_who_was_spoken_to(ok, query, secretary):
    ok("log", "张伟", "约了下周见面", "--via", "call", "--with", "李娜 (秘书)")
    assert query("SELECT via, with_person FROM contact") == [("call", "李娜 (秘书)")]


def test_people_of_a_card(ok, db_path, secretary):
    from clientcard.services.people import people_of

    ok("person", "add", "1", "Tom Lee", "--role", "assistant")
    ok("add", "Acme", "-q")
    ok("person", "add", "Acme", "王强", "--role", "deputy")
    with transaction(str(db_path), write=False) as s:
        views = people_of(s, stored_card(s, 1))
        acme = people_of(s, stored_card(s, 2))
    assert [(v.id, v.name, v.role) for v in views] == [
        (1, "李娜", "秘书"),
        (2, "Tom Lee", "assistant"),
    ]
    assert views[0].row() == {
        "id": 1,
        "client_id": 1,
        "client": "张伟",
        "name": "李娜",
        "role": "秘书",
        "phone": "138 0000 0000",
        "email": "li.na@example.cn",
        "note": "知道采购计划",
    }
    assert views[0].describe() == "person K1 李娜 (秘书)"
    assert [v.name for v in acme] == ["王强"]
