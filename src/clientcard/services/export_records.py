"""`export --what`: every record of one kind (contacts, promises, sales) with its card's id and
name, for spreadsheets. Each record has the keys of its listing (`contacts`, `promise list`,
`sales`), which
already name the card (`client_id`, `client`). It streams as `export` of the cards does
(services/transfer.py): the records are read in id order, and their cards (and a promise's
moves) `EXPORT_CHUNK` records at a time, so memory stays flat however big the book.

--live and --archived choose by the record's card: the records of live cards, or of archived
ones; without either, every record.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import Settings
from clientcard.services.contacts import contact_view
from clientcard.services.promises import moves_of, view_of
from clientcard.services.sales import sale_view
from clientcard.services.transfer import EXPORT_CHUNK
from clientcard.services.views import ContactView, PromiseView
from clientcard.services.views.sales import SaleView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Contact, Promise, Sale

R = TypeVar("R", Contact, Promise, Sale)

# The kinds `export --what` writes besides the cards, and their keys, in order.
KINDS: dict[str, Sequence[str]] = {
    "contacts": ContactView.KEYS.names,
    "promises": PromiseView.KEYS.names,
    "sales": SaleView.KEYS.names,
}


def keys_of(what: str) -> Sequence[str]:
    """The keys of a kind of record, or one clear line when there is no such kind."""
    if what not in KINDS:
        raise InvalidValue(f"export --what {what!r}: give cards, {', '.join(KINDS)}")
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


_WRITERS: dict[str, Callable[[Db, bool | None, datetime, Settings], Iterator[dict[str, Any]]]] = {
    "contacts": _contacts,
    "promises": _promises,
    "sales": _sales,
}


def export_records(
    db: Db, what: str, *, archived: bool | None = None, now: datetime, settings: Settings
) -> Iterator[dict[str, Any]]:
    """Every record of the kind `what` as its listing's row, in id order, one at a time: of
    every card, or only of archived (True) or live (False) cards."""
    keys_of(what)
    return _WRITERS[what](db, archived, now, settings)
