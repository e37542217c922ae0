"""The whole book out: `export` writes every card for scripts and spreadsheets (the cards' own
fields: not a backup of the book). It streams, so memory stays flat however big the book: it
reads the cards in id order, and their tags, phones and e-mails `EXPORT_CHUNK` cards at a time.
(`import`, the way in, is services/bringin/.)
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from clientcard.domain.dates import zone_of
from clientcard.domain.grades import FKind
from clientcard.services.views.clients import labelled
from clientcard.store.db import Db, columns
from clientcard.store.records import Client

F_NEW, F_SLOW = FKind.new, FKind.slow
EXPORT_CHUNK = 1000  # cards whose tags, phones and e-mails are read in one query


# ---- export ------------------------------------------------------------------------------


def _rows(db: Db, chunk: list[Client.Export], now: datetime) -> Iterator[dict[str, Any]]:
    """The rows of a chunk of cards (ascending ids), with their tags read in one range query.

    A row is what `ClientView.row()` gives `list`, built straight from the columns: building
    the views cost more than reading and writing the cards together. The referrer is the
    stored id (it always names a card: deleting one sets the ids pointing to it to null), and
    the grade its stored letter. tests/test_transfer.py checks that an export equals `list`.
    """
    tz = zone_of(now)
    today = now.astimezone(tz).date()
    tags: dict[int, list[str]] = {}
    for client_id, tag in db.rows(
        "SELECT client_id, tag FROM client_tag WHERE client_id >= :first "
        "AND client_id <= :last ORDER BY client_id, tag",
        first=chunk[0].id,
        last=chunk[-1].id,
    ):
        tags.setdefault(client_id, []).append(tag)
    reach: dict[tuple[int, str], list[tuple[str | None, str]]] = {}
    for client_id, kind, label, value in db.rows(
        "SELECT client_id, kind, label, value FROM client_reach WHERE client_id >= :first "
        "AND client_id <= :last ORDER BY client_id, kind, position",
        first=chunk[0].id,
        last=chunk[-1].id,
    ):
        reach.setdefault((client_id, kind), []).append((label, value))
    # Who added and last changed each card (issue 17): not among Client.Export's columns.
    made = {
        client_id: (created_by, updated_by)
        for client_id, created_by, updated_by in db.rows(
            "SELECT id, created_by, updated_by FROM client WHERE id >= :first AND id <= :last",
            first=chunk[0].id,
            last=chunk[-1].id,
        )
    }
    for c in chunk:
        yield {
            "id": c.id,
            "name": c.name,
            "company": c.company,
            "title": c.title,
            "phone": c.phone,
            "email": c.email,
            "address": c.address,
            "source": c.source,
            "referred_by": c.referred_by_id,
            "tags": tags.get(c.id, []),
            "notes": c.notes,
            "grade": c.grade,
            "owner": c.owner,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "archived": c.archived_at is not None,
            "customer": c.first_sale_at is not None,
            # f_kind(c.grade, visited) and days_held(c.graded_at, now, tz), inlined: called for
            # every card they cost as much as the rest of the row.
            "f_kind": (F_SLOW if c.last_visit_at is not None else F_NEW)
            if c.grade == "F"
            else None,
            "grade_since": c.graded_at,
            "days_in_grade": max((today - c.graded_at.astimezone(tz).date()).days, 0),
            "phones": labelled(reach.get((c.id, "phone"), []), "number"),
            "emails": labelled(reach.get((c.id, "email"), []), "address"),
            "created_by": made[c.id][0],
            "updated_by": made[c.id][1],
        }


def export_cards(
    db: Db, *, archived: bool | None = None, now: datetime
) -> Iterator[dict[str, Any]]:
    """Every card's row (the keys of CLIENT_FIELDS, as `list` gives them, time in grade counted
    to `now`), in id order, one at a time: live and archived cards, or only archived (True) or
    only live ones (False)."""
    where = {
        None: "",
        True: "WHERE archived_at IS NOT NULL",
        False: "WHERE archived_at IS NULL",
    }[archived]
    sql = f"SELECT {columns(Client.Export)} FROM client {where} ORDER BY id"
    chunk: list[Client.Export] = []
    for card in db.stream(Client.Export, sql):
        chunk.append(card)
        if len(chunk) == EXPORT_CHUNK:
            yield from _rows(db, chunk, now)
            chunk = []
    if chunk:
        yield from _rows(db, chunk, now)
