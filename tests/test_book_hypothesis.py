"""Issue 15, point 1, by property: any book -- any text (CJK, emoji, line breaks, control
characters, U+2028), any time to the microsecond, the largest amounts, referrals in any
direction -- exports, loads into an empty book and exports again to the same bytes, and the
loaded records equal the originals. On SQLite, and on PostgreSQL."""

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcard.services.book import export_book, import_book, read_header
from clientcard.store import book as layout
from clientcard.store.open import transaction
from clientcard.store.records import Client, ClientTag, Contact, Holiday, KeyDate, Sale

# Any character but a surrogate (not text) and NUL (no command stores one; PostgreSQL can't).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
MAYBE = st.none() | TEXT
TIMES = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@st.composite
def books(draw: st.DrawFn) -> list[Any]:
    """Records in insertion order; card ids are 1..n, so references can point anywhere."""
    n = draw(st.integers(1, 5))
    cards = []
    for i in range(1, n + 1):
        cards.append(
            Client(
                id=i,
                name=draw(TEXT.filter(str.strip)),
                name_key=draw(TEXT),
                company=draw(MAYBE),
                notes=draw(MAYBE),
                phone=draw(MAYBE),
                grade=draw(st.sampled_from("ABCDEF")),
                referred_by_id=draw(st.none() | st.integers(1, n)),
                created_at=draw(TIMES),
                updated_at=draw(TIMES),
                graded_at=draw(TIMES),
                last_contact_at=draw(st.none() | TIMES),
                next_followup_on=draw(st.none() | DAYS),
                followup_kind="cadence",
                search_key=draw(TEXT),
                satisfaction=draw(st.none() | st.integers(1, 5)),
            )
        )
    rest: list[Any] = []
    for tag in draw(st.sets(st.tuples(st.integers(1, n), TEXT), max_size=6)):
        rest.append(ClientTag(client_id=tag[0], tag=tag[1]))
    for _ in range(draw(st.integers(0, 6))):
        rest.append(
            Contact(
                client_id=draw(st.integers(1, n)),
                at=draw(TIMES),
                via=draw(st.sampled_from(["call", "visit", "email"])),
                summary=draw(MAYBE),
                next_on=draw(st.none() | DAYS),
                logged_at=draw(TIMES),
                greeting=draw(st.booleans()),
            )
        )
    for _ in range(draw(st.integers(0, 3))):
        rest.append(
            Sale(
                client_id=draw(st.integers(1, n)),
                amount_minor=draw(st.integers(-(2**63), 2**63 - 1)),
                what=draw(MAYBE),
                sold_at=draw(TIMES),
                recorded_at=draw(TIMES),
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        rest.append(
            KeyDate(
                client_id=draw(st.integers(1, n)),
                kind="birthday",
                month=draw(st.integers(1, 12)),
                day=draw(st.integers(1, 28)),
                year=draw(st.none() | st.integers(1900, 2100)),
                yearly=draw(st.booleans()),
                note=draw(MAYBE),
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        rest.append(Holiday(on=draw(DAYS), name=draw(TEXT.filter(str.strip)), audience="all"))
    return cards + rest


def fill(db: str, records: list[Any]) -> None:
    with transaction(db, write=True) as target:
        referrals = []
        for record in records:
            if isinstance(record, Client) and record.referred_by_id is not None:
                referrals.append((record.id, record.referred_by_id))
                record = Client(**{n: getattr(record, n) for n in Client.__columns__})
                record.referred_by_id = None
            target.insert(record)
        for card, referrer in referrals:
            target.execute(
                "UPDATE client SET referred_by_id = :r WHERE id = :c", r=referrer, c=card
            )


def exported(db: str) -> bytes:
    with transaction(db, write=False) as source:
        return b"".join(export_book(source))


def everything(db: str) -> dict[str, list[Any]]:
    with transaction(db, write=False) as source:
        return {
            k.__table__: source.select(k, f"ORDER BY {', '.join(k.__key__)}") for k in layout.TABLES
        }


def round_trip(first_db: str, second_db: str, records: list[Any]) -> None:
    fill(first_db, records)
    first = exported(first_db)
    lines: Iterator[bytes] = iter(first.splitlines(keepends=True))
    header = read_header(next(lines), "test")
    with transaction(second_db, write=True) as db:
        import_book(db, header, lines, "test")
    assert exported(second_db) == first
    assert everything(second_db) == everything(first_db)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(records=books())
def test_any_book_round_trips_on_sqlite(
    records: list[Any], schema_db: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    for path in (first, second):
        path.unlink(missing_ok=True)
        shutil.copyfile(schema_db, path)
    round_trip(str(first), str(second), records)


@settings(SETTINGS, max_examples=12)
@given(records=books())
def test_any_book_round_trips_through_postgresql(
    records: list[Any], schema_db: Path, tmp_path: Path, postgres_server: Any
) -> None:
    first = tmp_path / "first.db"
    first.unlink(missing_ok=True)
    shutil.copyfile(schema_db, first)
    url = postgres_server.create_database()
    try:
        round_trip(str(first), url, records)
    finally:
        postgres_server.drop_database(url)


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
