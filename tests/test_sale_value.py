"""A client's value: lifetime value from the last 12 months' sales, and what it adds to urgency.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from clientcard.clock import now
from clientcard.domain.errors import NotFound
from clientcard.domain.settings import Settings
from clientcard.output import machine_value
from clientcard.services.sales import client_value
from clientcard.store.db import Db
from clientcard.store.open import transaction
from helpers import add, at, due, sale, stored_card

pytestmark = pytest.mark.usefixtures("migrated")


# ---- helpers ------------------------------------------------------------------------------


@contextmanager
def reading(db_path: Path) -> Iterator[Db]:
    with transaction(str(db_path), write=False) as session:
        yield session


# ---- value --------------------------------------------------------------------------------


def value_of(db_path: Path, client_id: int = 1, **settings: Any) -> dict[str, Any]:
    s = Settings()
    for key, v in settings.items():
        s = s.with_value(key, v)
    with reading(db_path) as session:
        card = stored_card(session, client_id)
        return machine_value(client_value(session, card, now=now(), settings=s).row())


def test_a_prospect_has_no_value(db_path, zhang) -> None:
    assert value_of(db_path) == {
        "customer": False,
        "customer_since": None,
        "currency": "CNY",
        "purchases_12m": "0.00",
        "lifetime_value": "0.00",
        "multiplier": 20,
        "sales": 0,
        "repeat_orders": 0,
        "total_purchases": "0.00",
        "last_sale_at": None,
    }


def test_lifetime_value_is_20_times_the_last_12_months(ok, db_path, zhang) -> None:
    sale(ok, "1", "50,000", "--on", "2025-10-20", "--no-thanks")  # 13 months ago: not counted
    sale(ok, "1", "6,000", "--on", "2025-12-20", "--no-thanks")  # 11 months ago
    sale(ok, "1", "4,000.5")
    value = value_of(db_path)
    assert value == {
        "customer": True,
        "customer_since": "2025-10-20T00:00:00+08:00",
        "currency": "CNY",
        "purchases_12m": "10000.50",
        "lifetime_value": "200010.00",
        "multiplier": 20,
        "sales": 3,
        "repeat_orders": 2,
        "total_purchases": "60000.50",
        "last_sale_at": "2026-11-20T09:00:00+08:00",
    }
    assert value_of(db_path, value_multiplier=10)["lifetime_value"] == "100005.00"


def test_the_value_object_is_written_for_the_card_page(ok, db_path, zhang) -> None:
    sale(ok, "1", "10000")
    sale(ok, "1", "2000")
    with reading(db_path) as session:
        view = client_value(session, stored_card(session, 1), now=now(), settings=Settings())
    assert view.describe() == (
        "12,000.00 CNY in the last 12 months; lifetime value 240,000.00 CNY (20 x); "
        "2 sales, 1 repeat order"
    )


def test_the_value_of_no_card_is_not_found(db_path) -> None:
    moment = now()
    with reading(db_path) as session, pytest.raises(NotFound):
        client_value(session, stored_card(session, 42), now=moment, settings=Settings())


def test_value_raises_the_urgency_of_a_big_customers_items(ok) -> None:
    added = at("2026-11-13T09:00")  # grade A: follow-ups due today, one cadence later
    add(ok, "Big", "--grade", "A", env=added)
    add(ok, "Small", "--grade", "A", env=added)
    add(ok, "Old", "--grade", "A", env=added)
    # Issue 11: a sale is a meeting unless --no-contact; these only give the cards a value.
    sale(ok, "Big", "50,000", "--no-thanks", "--no-contact")
    sale(ok, "Small", "9,999.99", "--no-thanks", "--no-contact")  # under one step of 10,000
    sale(ok, "Old", "90,000", "--on", "2025-11-19", "--no-thanks", "--no-contact")  # > 12 months
    items = due(ok, "--kind", "followup")
    assert [(i["client"], i["urgency"]) for i in items] == [
        ("Big", 175),  # follow-up 100 + A 50 + 5 for every 10,000 in 12 months
        ("Old", 150),
        ("Small", 150),
    ]


def test_value_is_capped_so_kinds_keep_their_order(ok) -> None:
    add(ok, "Whale", "--grade", "A", env=at("2026-11-13T09:00"))
    sale(ok, "Whale", "5,000,000", "--no-thanks", "--no-contact")  # issue 11: not a meeting
    assert [(i["kind"], i["urgency"]) for i in due(ok)] == [("followup", 200)]
