"""What `export --format vcard` adds to the rows of `export`: each card's birthday and
anniversaries, read `CHUNK` cards at a time (one range query each), so the export still
streams. Lunar ones (issue 18) are left out: a vCard's BDAY is a solar date, and a lunar
birthday falls on another solar day every year."""

from collections.abc import Iterable, Iterator
from typing import Any

from clientcard.domain.occasions import OccasionKind
from clientcard.store.db import Db

CHUNK = 1000


def _dated(db: Db, chunk: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    dates: dict[int, list[tuple[str, tuple[int | None, int, int]]]] = {}
    for client_id, kind, year, month, day in db.rows(
        "SELECT client_id, kind, year, month, day FROM key_date WHERE client_id >= :first "
        "AND client_id <= :last AND kind IN (:birthday, :anniversary) AND NOT lunar "
        "ORDER BY client_id, id",
        first=chunk[0]["id"],
        last=chunk[-1]["id"],
        birthday=OccasionKind.birthday.value,
        anniversary=OccasionKind.anniversary.value,
    ):
        dates.setdefault(client_id, []).append((kind, (year, month, day)))
    for row in chunk:
        own = dates.get(row["id"], [])
        birthdays = [d for kind, d in own if kind == OccasionKind.birthday.value]
        yield {
            **row,
            "birthday": birthdays[0] if birthdays else None,
            "anniversaries": [d for kind, d in own if kind == OccasionKind.anniversary.value],
        }


def with_occasions(db: Db, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """`rows` (in ascending id order, as `transfer.export_cards` gives them), each with
    `birthday` (the first one recorded, or None) and `anniversaries`, as (year or None,
    month, day)."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _dated(db, chunk)
            chunk = []
    if chunk:
        yield from _dated(db, chunk)
