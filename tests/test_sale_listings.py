"""Listing sales and buyers: `sales`, and `list --customers|--prospects`.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8).
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import csv
import io
import json

import pytest

from helpers import ZHANG, add, assert_error, at, listing, sale, table

pytestmark = pytest.mark.usefixtures("migrated")


# ---- customers and prospects --------------------------------------------------------------


@pytest.fixture
def book(ok) -> None:
    """Three cards: 张伟 a customer, Li Na and Wang prospects."""
    add(ok, "张伟", "--company", "阿里", "--grade", "A")
    add(ok, "Li Na", "--grade", "B")
    add(ok, "Wang", "--grade", "C")
    sale(ok, "张伟", "12000")


def test_list_customers_and_prospects(ok, book) -> None:
    assert [r["name"] for r in listing(ok, "--customers")] == ["张伟"]
    assert [r["name"] for r in listing(ok, "--prospects")] == ["Li Na", "Wang"]
    assert [(r["name"], r["customer"]) for r in listing(ok)] == [
        ("Li Na", False),
        ("Wang", False),
        ("张伟", True),
    ]


def test_customers_and_prospects_together_are_refused(cli, book) -> None:
    assert_error(
        cli("list", "--customers", "--prospects"), 2, "give only one of --customers, --prospects"
    )


def test_the_card_summary_says_customer(ok, book) -> None:
    assert ok("edit", "张伟", "--phone", "138").stdout == (
        "Updated #1 张伟 · 阿里 · grade A · customer\n"
    )
    assert ok("edit", "Li Na", "--phone", "139").stdout == "Updated #2 Li Na · grade B\n"
    assert json.loads(ok("show", "1", "--format", "json").stdout)["customer"] is True


# ---- sales --------------------------------------------------------------------------------


@pytest.fixture
def sold(ok, book) -> None:
    sale(ok, "Li Na", "800", "--what", "brochures", "--on", "2026-11-18 10:00")
    sale(ok, "张伟", "1,500.5", "--what", "家庭保险", env=at("2026-11-20T11:00"))


def test_sales_lists_newest_first_with_a_total(ok, sold) -> None:
    out = ok("sales", env=at("2026-11-20T12:00")).stdout
    assert table(out) == [
        "ID  Sold              Client     Amount  What       By",
        "S3  2026-11-20 11:00  张伟     1,500.50  家庭保险   li",
        "S1  2026-11-20 09:00  张伟    12,000.00             li",
        "S2  2026-11-18 10:00  Li Na      800.00  brochures  li",
        "3 sales, total 14,300.50 CNY",
    ]


def test_sales_of_one_client_with_a_limit(ok, sold) -> None:
    out = ok("sales", "张伟", "--limit", "1", env=at("2026-11-20T12:00")).stdout
    assert table(out) == [
        f"Sales to {ZHANG}",
        "ID  Sold              Client    Amount  What      By",
        "S3  2026-11-20 11:00  张伟    1,500.50  家庭保险  li",
        "1 of 2 sales, total 13,500.50 CNY",
    ]


def test_sales_json_has_the_documented_keys_and_money_as_strings(ok, sold) -> None:
    rows = json.loads(ok("sales", "--since", "2026-11-19", "-f", "json").stdout)
    assert rows == [
        {
            "id": 3,
            "client_id": 1,
            "client": "张伟",
            "amount": "1500.50",
            "currency": "CNY",
            "what": "家庭保险",
            "sold_at": "2026-11-20T11:00:00+08:00",
            "author": "li",
        },
        {
            "id": 1,
            "client_id": 1,
            "client": "张伟",
            "amount": "12000.00",
            "currency": "CNY",
            "what": None,
            "sold_at": "2026-11-20T09:00:00+08:00",
            "author": "li",
        },
    ]


def test_sales_csv(ok, sold) -> None:
    rows = list(csv.reader(io.StringIO(ok("sales", "Li", "-f", "csv").stdout, newline="")))
    assert rows == [
        ["id", "client_id", "client", "amount", "currency", "what", "sold_at", "author"],
        ["2", "2", "Li Na", "800.00", "CNY", "brochures", "2026-11-18T10:00:00+08:00", "li"],
    ]


def test_no_sales(ok, book) -> None:
    assert ok("sales", "Wang").stdout == "No sales to #3 Wang yet.\n"
    assert ok("sales", "-f", "json", "--since", "tomorrow").stdout == "[]\n"


def test_no_sales_at_all(ok) -> None:
    assert ok("sales").stdout == "No sales recorded yet.\n"


def test_sales_of_an_unknown_client(cli) -> None:
    assert_error(
        cli("sales", "Nobody"), 1, "no card matches 'Nobody'; try `clientcard list --search Nobody`"
    )
