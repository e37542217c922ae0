"""Issue 12 point 4: words, not codes, for people; a promise named P3 and accepted back as P3.

Tables say "kept late" and "cancelled by the client"; JSON keeps the codes (docs/formats.md,
"Words for people"). Now is pinned by the test environment (Friday 2026-11-20 09:00 Shanghai).
"""

import json

import pytest

from helpers import at, promise

pytestmark = pytest.mark.usefixtures("migrated")


def test_statuses_read_as_words_in_the_table_and_as_codes_in_json(ok, zhang):
    promise(ok, "张伟", "the quote", "--due", "wed")
    promise(ok, "张伟", "coffee", "--at", "mon 15:00")
    ok("promise", "done", "P1", env=at("2026-11-26T10:00:00"))
    ok("promise", "cancel", "p2", "--by", "client")
    table = ok("promise", "list", "--all").stdout
    assert "kept late" in table
    assert "cancelled by the client" in table
    assert "kept_late" not in table
    assert "cancelled_by_client" not in table
    rows = json.loads(ok("promise", "list", "--all", "--format", "json").stdout)
    assert sorted(r["status"] for r in rows) == ["cancelled_by_client", "kept_late"]
    assert all(isinstance(r["id"], int) for r in rows)


def test_a_promise_is_named_p3_for_card_1(ok, zhang):
    out = ok("promise", "add", "张伟", "报价单", "--due", "wed").stdout
    assert out.startswith("Promised: promise P1 '报价单' for card #1 张伟")
    assert ok("promise", "list").stdout.splitlines()[2].split()[0] == "P1"


@pytest.mark.parametrize("typed", ["P1", "p1", " 1 ", "1"])
def test_a_promise_id_is_accepted_as_printed_or_as_a_number(ok, query, zhang, typed):
    promise(ok, "张伟", "the quote", "--due", "wed")
    assert ok("promise", "done", typed).stdout.startswith("Kept: promise P1 ")
    assert query("SELECT status FROM promise") == [("kept",)]


# Issue 12 point 4: another kind's id is now named in the refusal (C1: a complaint, #1: a card).
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("C1", "'C1' is a complaint, not a promise; a promise id is P1 or 1"),
        ("#1", "'#1' is a card; a promise id is P1 or 1"),
        ("P", "'P' is not a promise id (e.g. P3 or 3)"),
        ("1x", "'1x' is not a promise id (e.g. P3 or 3)"),
        ("\uff301", "is not a promise id (e.g. P3 or 3)"),
    ],
)
def test_another_kind_of_id_is_refused_as_a_usage_error(cli, query, zhang, typed, message):
    promise_id = cli("promise", "add", "张伟", "the quote", "--due", "wed", "-q").stdout
    assert promise_id == "1\n"
    result = cli("promise", "done", typed)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert query("SELECT status FROM promise") == [("open",)]
