"""`import --on-duplicate update`: a row that is the same client as a card of the book updates
that card instead of adding another (docs/import.md, "Duplicates")."""

from datetime import datetime

from clientcard.domain.settings import Settings
from clientcard.i18n import _
from clientcard.services.bringin.incoming import Incoming
from clientcard.services.clients import CardFields, edit_client
from clientcard.store.db import Db
from clientcard.store.records import Client, KeyDate


def update_card(
    db: Db, client_id: int, item: Incoming, *, now: datetime, settings: Settings
) -> tuple[bool, list[str]]:
    """The row's non-empty fields replace the card's (the file is newer); its phones, e-mails
    and tags are added to the card's; its notes go below the card's, unless the card's notes
    already hold them; a grade the row gives moves the card, with the reason "import"; an
    occasion of a kind the card has none of is added. Written as `edit` and `grade` write.
    Whether anything changed, and what was not taken, for the report (a birthday other than
    the card's). The card is a live one: the import matches no other."""
    said: list[str] = []
    client = db.get(Client, client_id)
    assert client is not None
    db.lock(client)  # its notes are joined with the row's as they are now
    given = item.fields
    notes = given.notes
    if notes and client.notes:
        notes = None if notes in client.notes else f"{client.notes}\n{notes}"
    edited = edit_client(
        db,
        f"#{client_id}",
        CardFields(
            name=given.name,
            company=given.company,
            title=given.title,
            address=given.address,
            source=given.source,
            notes=notes,
            owner=given.owner,
            referred_by=given.referred_by,
            add_phones=given.phones or [],
            add_emails=given.emails or [],
            tags=given.tags,
        ),
        now=now,
        settings=settings,
        allow_duplicate=True,
    )
    changed = edited.changed
    if given.grade is not None and given.grade.value != client.grade:
        from clientcard.services.grades import regrade

        changed = True
        regrade(db, f"#{client_id}", grade=given.grade, reason="import", now=now, settings=settings)
    have: dict[str, tuple[int | None, int, int]] = {}
    for kind, year, month, day in db.rows(
        # A lunar date (issue 18) is another calendar's: an imported (solar) one is added.
        "SELECT kind, year, month, day FROM key_date WHERE client_id = :id AND NOT lunar "
        "ORDER BY id",
        id=client_id,
    ):
        have.setdefault(kind, (year, month, day))
    for kind, (year, month, day) in item.occasions:
        if kind not in have:
            db.insert(
                KeyDate(
                    client_id=client_id,
                    kind=kind,
                    month=month,
                    day=day,
                    year=year,
                    yearly=True,
                    author=db.author(),
                )
            )
            changed = True
        elif _differs(have[kind], (year, month, day)):
            said.append(
                _(
                    "{kind} {day} differs from the card's ({have}): the card's is kept "
                    "(`clientcard date` changes it)"
                ).format(kind=_(kind), day=_day(year, month, day), have=_day(*have[kind]))
            )
    return changed, said


def _day(year: int | None, month: int, day: int) -> str:
    return f"{year}-{month:02}-{day:02}" if year else f"--{month:02}-{day:02}"


def _differs(have: tuple[int | None, int, int], given: tuple[int | None, int, int]) -> bool:
    """Another day, or another year where both have one (a yearless one is no other date)."""
    if have[1:] != given[1:]:
        return True
    return None not in (have[0], given[0]) and have[0] != given[0]
