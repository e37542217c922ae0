"""Ratings as a user sees them: `rate`, `rate --history`, and `list --credit / --min-loyalty`.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); stored in UTC as
"2026-11-20 01:00:00.000000".
"""

import csv
import io
import json
from typing import Any

import pytest

from clientcard.domain.errors import NotFound
from clientcard.output import machine_value
from clientcard.services.ratings import ratings_of
from clientcard.store.open import transaction
from helpers import NOW_UTC, ZHANG, add, assert_error, at, stored_card, table

pytestmark = pytest.mark.usefixtures("migrated")


# ---- helpers ------------------------------------------------------------------------------


def names(ok, *options: str) -> list[str]:
    return [row["name"] for row in json.loads(ok("list", "-f", "json", *options).stdout)]


def ratings(query, client_id: int = 1) -> tuple[Any, ...]:
    return query("SELECT credit, satisfaction, loyalty FROM client WHERE id = ?", (client_id,))[0]


def changes(query) -> list[tuple[Any, ...]]:
    return query(
        "SELECT client_id, at, credit, satisfaction, loyalty, reason FROM rating_change ORDER BY id"
    )


# ---- rate ---------------------------------------------------------------------------------


def test_rate_sets_the_latest_values_and_keeps_the_change(ok, query, zhang) -> None:
    out = ok("rate", "张伟", "--credit", "good", "--satisfaction", "4").stdout
    assert out == f"Rated {ZHANG}: credit good, satisfaction 4/5, loyalty not rated\n"
    assert ratings(query) == ("good", 4, None)
    assert changes(query) == [(1, NOW_UTC, "good", 4, None, None)]
    assert query("SELECT updated_at FROM client") == [(NOW_UTC,)]


def test_a_new_rating_says_what_it_was_and_history_is_kept(ok, query, zhang) -> None:
    ok("rate", "1", "--credit", "good", "--satisfaction", "4")
    later = at("2026-11-27T10:00")
    out = ok(
        "rate", "1", "--credit", "POOR", "--loyalty", "5", "-r", "paid late twice", env=later
    ).stdout
    assert out == f"Rated {ZHANG}: credit poor (was good), satisfaction 4/5, loyalty 5/5\n"
    assert ratings(query) == ("poor", 4, 5)
    assert changes(query) == [
        (1, NOW_UTC, "good", 4, None, None),
        (1, "2026-11-27 02:00:00.000000", "poor", None, 5, "paid late twice"),
    ]


def test_the_same_value_again_is_not_recorded(ok, query, zhang) -> None:
    # Issue 11 (no empty history): a value the card already has is no change; this test said
    # the opposite before.
    ok("rate", "1", "--loyalty", "3")
    out = ok("rate", "1", "--loyalty", "3", "--reason", "survey").stdout
    assert out == f"Unchanged {ZHANG}: loyalty 3/5 already; nothing recorded\n"
    assert [c[4:] for c in changes(query)] == [(3, None)]


def test_history_newest_first(ok, zhang) -> None:
    ok("rate", "1", "--credit", "good", "--satisfaction", "4")
    ok(
        "rate",
        "1",
        "--credit",
        "fair",
        "--loyalty",
        "5",
        "-r",
        "付款慢",
        env=at("2026-11-27T10:00"),
    )
    out = ok("rate", "张伟", "--history").stdout
    assert table(out) == [
        f"Ratings of {ZHANG}: credit fair, satisfaction 4/5, loyalty 5/5",
        "When              Credit  Satisfaction  Loyalty  Why     By",
        "2026-11-27 10:00  fair                     5     付款慢  li",
        "2026-11-20 09:00  good         4                         li",
    ]


def test_history_in_json_and_csv(ok, zhang) -> None:
    ok("rate", "1", "--satisfaction", "2", "-r", "late delivery")
    rows = json.loads(ok("rate", "1", "--history", "--format", "json").stdout)
    assert rows == [
        {
            "client_id": 1,
            "client": "张伟",
            "at": "2026-11-20T09:00:00+08:00",
            "credit": None,
            "satisfaction": 2,
            "loyalty": None,
            "reason": "late delivery",
            "author": "li",
        }
    ]
    out = ok("rate", "1", "--history", "--format", "csv").stdout
    assert list(csv.reader(io.StringIO(out, newline=""))) == [
        ["client_id", "client", "at", "credit", "satisfaction", "loyalty", "reason", "author"],
        ["1", "张伟", "2026-11-20T09:00:00+08:00", "", "2", "", "late delivery", "li"],
    ]


def test_history_of_a_card_never_rated(ok, zhang) -> None:
    assert ok("rate", "1", "--history").stdout == f"{ZHANG} has not been rated yet.\n"
    assert ok("rate", "1", "--history", "-f", "json").stdout == "[]\n"


def test_the_ratings_object_for_the_card_page(ok, db_path, zhang) -> None:
    ok("rate", "1", "--credit", "good", "--satisfaction", "4")
    ok("rate", "1", "--loyalty", "5", "-r", "third order", env=at("2026-11-27T10:00"))
    with transaction(str(db_path), write=False) as session:
        view = ratings_of(session, stored_card(session, 1))
        with pytest.raises(NotFound):
            ratings_of(session, stored_card(session, 99))
    assert view.describe() == "credit good, satisfaction 4/5, loyalty 5/5"
    assert machine_value(view.row()) == {
        "credit": "good",
        "satisfaction": 4,
        "loyalty": 5,
        "rated_at": "2026-11-27T10:00:00+08:00",
        "history": [
            {
                "at": "2026-11-20T09:00:00+08:00",
                "credit": "good",
                "satisfaction": 4,
                "loyalty": None,
                "reason": None,
                "author": "li",
            },
            {
                "at": "2026-11-27T10:00:00+08:00",
                "credit": None,
                "satisfaction": None,
                "loyalty": 5,
                "reason": "third order",
                "author": "li",
            },
        ],
    }


# ---- refused ------------------------------------------------------------------------------

NOTHING = (
    "give at least one rating: --credit good|fair|poor, --satisfaction 1-5 or --loyalty 1-5 "
    "(or --history to see the ratings)"
)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1"], 2, NOTHING),
        (["1", "--reason", "why not"], 2, NOTHING),
        (
            ["1", "--satisfaction", "7"],
            2,
            "satisfaction must be a whole number from 1 to 5, not '7'",
        ),
        (
            ["1", "--satisfaction", "0"],
            2,
            "satisfaction must be a whole number from 1 to 5, not '0'",
        ),
        (
            ["1", "--satisfaction", "4.5"],
            2,
            "satisfaction must be a whole number from 1 to 5, not '4.5'",
        ),
        (["1", "--loyalty", "0"], 2, "loyalty must be a whole number from 1 to 5, not '0'"),
        (["1", "--loyalty", "high"], 2, "loyalty must be a whole number from 1 to 5, not 'high'"),
        (["1", "--credit", "great"], 2, "credit must be one of good, fair, poor, not 'great'"),
        (
            ["1", "--credit", "good", "--loyalty", "9"],
            2,
            "loyalty must be a whole number from 1 to 5, not '9'",
        ),
        (
            ["Nobody", "--credit", "good"],
            1,
            "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        ),
        (["Nobody", "--credit", "great"], 2, "credit must be one of good, fair, poor, not 'great'"),
        (
            ["1", "--history", "--credit", "good"],
            2,
            "--history shows the ratings; give it without ratings or --reason",
        ),
        (["1", "--credit", "good", "--format", "json"], 2, "--format goes with --history"),
        (
            ["Nobody", "--history"],
            1,
            "no card matches 'Nobody'; try `clientcard list --search Nobody`",
        ),
    ],
)
def test_a_bad_rating_is_refused_and_changes_nothing(
    cli, ok, snapshot, zhang, args: list[str], code: int, message: str
) -> None:
    ok("rate", "1", "--credit", "fair", "--loyalty", "3")
    before = snapshot()
    assert_error(cli("rate", *args), code, message)
    assert snapshot() == before


def test_rating_an_archived_card_is_refused(cli, ok, snapshot, zhang) -> None:
    ok("archive", "1")
    before = snapshot()
    assert_error(cli("rate", "1", "--loyalty", "4"), 3, "#1 张伟 is archived; unarchive it first")
    assert snapshot() == before
    assert ok("rate", "1", "--history").stdout == f"{ZHANG} has not been rated yet.\n"


# ---- list filters -------------------------------------------------------------------------


@pytest.fixture
def rated(ok) -> None:
    for name, credit, loyalty in [
        ("Ann", "good", "5"),
        ("Bob", "poor", "4"),
        ("Cai", "fair", "2"),
        ("Dee", "poor", "1"),
    ]:
        add(ok, name)
        ok("rate", name, "--credit", credit, "--loyalty", loyalty)
    add(ok, "Eve")  # never rated


def test_list_by_credit(ok, rated) -> None:
    assert names(ok, "--credit", "poor") == ["Bob", "Dee"]
    assert names(ok, "--credit", "Fair,poor") == ["Bob", "Cai", "Dee"]
    assert names(ok, "--credit", "good", "--grade", "F") == ["Ann"]


def test_list_by_minimum_loyalty(ok, rated) -> None:
    assert names(ok, "--min-loyalty", "4") == ["Ann", "Bob"]
    assert names(ok, "--min-loyalty", "1") == ["Ann", "Bob", "Cai", "Dee"]  # Eve is unrated
    assert names(ok, "--min-loyalty", "4", "--credit", "poor") == ["Bob"]


def test_a_rerating_moves_a_card_between_filters(ok, rated) -> None:
    ok("rate", "Dee", "--credit", "good", "--reason", "paid everything")
    assert names(ok, "--credit", "poor") == ["Bob"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--credit", "bad"], "credit must be one of good, fair, poor, not 'bad'"),
        (["--credit", ","], "credit must be one of good, fair, poor, not ','"),
        (["--min-loyalty", "6"], "--min-loyalty must be a whole number from 1 to 5, not '6'"),
        (["--min-loyalty", "x"], "--min-loyalty must be a whole number from 1 to 5, not 'x'"),
    ],
)
def test_bad_list_filters_are_refused(cli, rated, args: list[str], message: str) -> None:
    assert_error(cli("list", *args), 2, message)
