"""`export --what`: every record of one kind (contacts, promises, complaints, sales, occasions,
people) with its card's id and name, for spreadsheets. Each record has the keys of its listing
(`contacts`, `promise list`, `complaint list`, `sales`, `date list`, `person list`), which
already name the card (`client_id`, `client`), and a few more where the listing leaves out what
a spreadsheet of every record needs (COMPLAINT_EXTRA, OCCASION_EXTRA).

A complaint's timeline (its steps) is not a kind of its own: the complaint row already holds
its essentials (first_response_at, resolved_at, result, satisfaction), and the export adds how
many handling steps were taken. The whole timeline is in `complaint show --format json`.

Records stream as `export` of the cards does (services/transfer.py): they are read in id
order, and their cards (and a promise's moves, a complaint's steps) `EXPORT_CHUNK` records at
a time, so memory stays flat however big the book.

--live and --archived choose by the record's card: the records of live cards, or of archived
ones; without either, every record.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from clientcard.domain.complaints import StepKind
from clientcard.domain.dates import today_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services import complaints
from clientcard.services.contacts import contact_view
from clientcard.services.occasions import occasion_view
from clientcard.services.people import person_view
from clientcard.services.promises import moves_of, view_of
from clientcard.services.sales import sale_view
from clientcard.services.transfer import EXPORT_CHUNK
from clientcard.services.views import ContactView, PromiseView
from clientcard.services.views.complaints import ComplaintView
from clientcard.services.views.occasions import OccasionView
from clientcard.services.views.people import PersonView
from clientcard.services.views.sales import SaleView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Complaint, Contact, KeyDate, Person, Promise, Sale

R = TypeVar("R", Contact, Promise, Complaint, Sale, KeyDate, Person)

# After the keys of `complaint list`: how it ended (as the card page's resolved complaints
# have it) and how many handling steps (`complaint step`) were taken.
COMPLAINT_EXTRA = ("result", "steps")
# After the keys of `date list`: the day as it was recorded, `MM-DD` or `YYYY-MM-DD` (`date`
# is the next day it falls on).
OCCASION_EXTRA = ("day",)

# The kinds `export --what` writes besides the cards, and their keys, in order.
KINDS: dict[str, Sequence[str]] = {
    "contacts": ContactView.KEYS.names,
    "promises": PromiseView.KEYS.names,
    "complaints": tuple(k for k in ComplaintView.KEYS.names if k != "author")
    + COMPLAINT_EXTRA
    + ("author",),
    "sales": SaleView.KEYS.names,
    "occasions": OccasionView.KEYS.names + OCCASION_EXTRA,
    "people": PersonView.KEYS.names,
}


def keys_of(what: str) -> Sequence[str]:
    """The keys of a kind of record, or one clear line when there is no such kind."""
    if what not in KINDS:
        raise InvalidValue(
            _("export --what {what}: give cards, {value}").format(
                what=repr(what), value=", ".join(KINDS)
            )
        )
    return KINDS[what]


def _chunks(
    db: Db, kind: type[R], archived: bool | None
) -> Iterator[tuple[list[R], dict[int, Client]]]:
    """The records of `kind` in id order, EXPORT_CHUNK at a time, each chunk with its cards."""
    table = kind.__table__
    where = {
        None: "",
        True: "WHERE client_id IN (SELECT id FROM client WHERE archived_at IS NOT NULL)",
        False: "WHERE client_id IN (SELECT id FROM client WHERE archived_at IS NULL)",
    }[archived]
    sql = f"SELECT {columns(kind)} FROM {table} {where} ORDER BY id"
    chunk: list[R] = []

    def with_cards(records: list[R]) -> tuple[list[R], dict[int, Client]]:
        ids = sorted({r.client_id for r in records})
        cards = db.records(
            Client, f"SELECT {columns(Client)} FROM client WHERE id IN :ids", ids=ids
        )
        return records, {c.id: c for c in cards if c.id is not None}

    for record in db.stream(kind, sql):
        chunk.append(record)
        if len(chunk) == EXPORT_CHUNK:
            yield with_cards(chunk)
            chunk = []
    if chunk:
        yield with_cards(chunk)


def _contacts(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    for contacts, cards in _chunks(db, Contact, archived):
        for c in contacts:
            yield contact_view(c, cards[c.client_id]).row()


def _promises(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    for promises, cards in _chunks(db, Promise, archived):
        moves = moves_of(db, [p.id for p in promises if p.id is not None])
        for p in promises:
            view = view_of(
                p, cards[p.client_id], now, *moves.get(p.id or 0, (0, None)), settings=settings
            )
            yield view.row()


def _sales(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    for sales, cards in _chunks(db, Sale, archived):
        for sale in sales:
            yield sale_view(sale, cards[sale.client_id], settings).row()


def _steps_of(db: Db, complaint_ids: list[int]) -> dict[int, int]:
    """How many handling steps each of these complaints has (through the complaint_id index,
    in batches); complaints without any are left out."""
    found: dict[int, int] = {}
    for start in range(0, len(complaint_ids), 500):
        for complaint_id, steps in db.rows(
            "SELECT complaint_id, count(*) FROM complaint_step"
            " WHERE complaint_id IN :batch AND kind = :step GROUP BY complaint_id",
            batch=complaint_ids[start : start + 500],
            step=StepKind.step.value,
        ):
            found[complaint_id] = steps
    return found


def _complaints(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    for chunk, cards in _chunks(db, Complaint, archived):
        steps = _steps_of(db, [c.id for c in chunk if c.id is not None])
        for c in chunk:
            row = complaints.view_of(c, cards[c.client_id], now=now, settings=settings).row()
            row["result"] = c.result
            row["steps"] = steps.get(c.id or 0, 0)
            row["author"] = row.pop("author")  # issue 17: after the keys that were before it
            yield row


def _occasions(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    today = today_of(now)
    for key_dates, cards in _chunks(db, KeyDate, archived):
        for k in key_dates:
            view = occasion_view(k, cards[k.client_id], today)
            row = view.row()
            row["day"] = view.day.text()
            yield row


def _people(
    db: Db, archived: bool | None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    for people, cards in _chunks(db, Person, archived):
        for person in people:
            yield person_view(person, cards[person.client_id]).row()


_WRITERS: dict[str, Callable[[Db, bool | None, datetime, Settings], Iterator[dict[str, Any]]]] = {
    "contacts": _contacts,
    "promises": _promises,
    "complaints": _complaints,
    "sales": _sales,
    "occasions": _occasions,
    "people": _people,
}


def export_records(
    db: Db, what: str, *, archived: bool | None = None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    """Every record of the kind `what` as its listing's row, in id order, one at a time: of
    every card, or only of archived (True) or live (False) cards."""
    keys_of(what)
    return _WRITERS[what](db, archived, now, settings)
