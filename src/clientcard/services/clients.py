"""Cards: add, edit, list, show, archive, unarchive, delete."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from clientcard.domain.cards import (
    check_length,
    clean_email,
    clean_name,
    clean_tags,
    clean_text,
    name_key,
)
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.settings import Settings
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import schedule_by_cadence
from clientcard.services.views import CardView, ClientRef, ClientView, GradeChangeView
from clientcard.store.models import Client, ClientTag, GradeChange

# The free-text fields every card has; `add` and `edit` take one option for each.
TEXT_FIELDS = ("company", "title", "phone", "address", "source", "notes", "owner")


@dataclass
class CardFields:
    """What the user typed for `add` or `edit`. None means "not given"; for `edit`, an empty
    string clears the field."""

    name: str | None = None
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    source: str | None = None
    notes: str | None = None
    owner: str | None = None
    referred_by: str | None = None
    grade: Grade | None = None
    tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)


class SortKey(StrEnum):
    name = "name"
    grade = "grade"
    updated = "updated"
    created = "created"


@dataclass
class ClientFilter:
    grades: Sequence[Grade] = ()
    tags: Sequence[str] = ()
    search: str | None = None
    archived: bool = False
    sort: SortKey = SortKey.name
    limit: int | None = None
    customer: bool | None = None  # True: customers only (a sale recorded); False: prospects only
    credit: Sequence[str] = ()  # only these credit ratings (good, fair, poor)
    min_loyalty: int | None = None  # only cards rated this loyal or more (unrated ones left out)


# ---- reading -----------------------------------------------------------------------------


def _tags_of(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    wanted = list(ids)
    tags: dict[int, list[str]] = {i: [] for i in wanted}
    if not wanted:
        return tags
    rows = session.exec(
        select(ClientTag.client_id, ClientTag.tag)
        .where(col(ClientTag.client_id).in_(wanted))
        .order_by(col(ClientTag.client_id), col(ClientTag.tag))
    )
    for client_id, tag in rows:
        tags[client_id].append(tag)
    return tags


def _refs(session: Session, ids: Iterable[int | None]) -> dict[int, ClientRef]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Client).where(col(Client.id).in_(wanted)))
    return {c.id: ref_of(c) for c in rows if c.id is not None}


def ref_of(client: Client) -> ClientRef:
    assert client.id is not None
    return ClientRef(client.id, client.name, client.company, Grade(client.grade))


def views_of(session: Session, clients: Sequence[Client]) -> list[ClientView]:
    """Views for many cards with two extra queries in all (tags, referrers), not two per card."""
    tags = _tags_of(session, (c.id for c in clients if c.id is not None))
    refs = _refs(session, (c.referred_by_id for c in clients))
    views = []
    for c in clients:
        assert c.id is not None
        views.append(
            ClientView(
                id=c.id,
                name=c.name,
                company=c.company,
                title=c.title,
                phone=c.phone,
                email=c.email,
                address=c.address,
                source=c.source,
                referred_by=refs.get(c.referred_by_id) if c.referred_by_id else None,
                tags=tags[c.id],
                notes=c.notes,
                grade=Grade(c.grade),
                owner=c.owner,
                created_at=c.created_at,
                updated_at=c.updated_at,
                archived_at=c.archived_at,
                first_sale_at=c.first_sale_at,
            )
        )
    return views


def view_of(session: Session, client: Client) -> ClientView:
    return views_of(session, [client])[0]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_clients(session: Session, flt: ClientFilter) -> list[ClientView]:
    if flt.limit is not None and flt.limit < 1:
        raise InvalidValue(f"--limit must be 1 or more, not {flt.limit}")
    query = select(Client)
    query = query.where(
        col(Client.archived_at).is_not(None) if flt.archived else col(Client.archived_at).is_(None)
    )
    if flt.grades:
        query = query.where(col(Client.grade).in_([g.value for g in flt.grades]))
    if flt.customer is not None:
        sold = col(Client.first_sale_at)
        query = query.where(sold.is_not(None) if flt.customer else sold.is_(None))
    if flt.credit:
        query = query.where(col(Client.credit).in_(list(flt.credit)))
    if flt.min_loyalty is not None:
        query = query.where(col(Client.loyalty) >= flt.min_loyalty)
    for tag in clean_tags(list(flt.tags)):
        query = query.where(
            col(Client.id).in_(select(ClientTag.client_id).where(ClientTag.tag == tag))
        )
    search = clean_text(flt.search)
    if search:
        pattern = f"%{_escape_like(search.casefold())}%"
        haystacks = [col(Client.name_key).like(pattern, escape="\\")] + [
            func.lower(col(getattr(Client, f))).like(pattern, escape="\\")
            for f in ("company", "notes", "phone", "email")
        ]
        query = query.where(or_(*haystacks))
    orders: dict[SortKey, list[Any]] = {
        SortKey.name: [col(Client.name_key), col(Client.id)],
        SortKey.grade: [col(Client.grade), col(Client.name_key), col(Client.id)],
        SortKey.updated: [col(Client.updated_at).desc(), col(Client.id).desc()],
        SortKey.created: [col(Client.created_at).desc(), col(Client.id).desc()],
    }
    query = query.order_by(*orders[flt.sort])
    if flt.limit:
        query = query.limit(flt.limit)
    return views_of(session, list(session.exec(query)))


def show_client(session: Session, ref: str) -> CardView:
    client = resolve_client(session, ref)
    view = view_of(session, client)
    history = grade_history_of(session, client)
    referrals = session.exec(
        select(Client).where(Client.referred_by_id == client.id).order_by(col(Client.name_key))
    )
    return CardView(client=view, history=history, referrals=[ref_of(c) for c in referrals])


def grade_history_of(session: Session, client: Client) -> list[GradeChangeView]:
    rows = session.exec(
        select(GradeChange)
        .where(GradeChange.client_id == client.id)
        .order_by(col(GradeChange.changed_at), col(GradeChange.id))
    )
    me = ref_of(client)
    return [
        GradeChangeView(
            client=me,
            from_grade=Grade(r.from_grade) if r.from_grade else None,
            to_grade=Grade(r.to_grade),
            changed_at=r.changed_at,
            reason=r.reason,
        )
        for r in rows
    ]


# ---- writing -----------------------------------------------------------------------------


def _apply_text_fields(client: Client, fields: CardFields) -> None:
    for name in TEXT_FIELDS:
        value = getattr(fields, name)
        if value is not None:
            setattr(client, name, check_length(name, clean_text(value)))
    if fields.email is not None:
        client.email = clean_email(fields.email)


def _referrer_id(session: Session, ref: str | None, itself: Client | None = None) -> int | None:
    if ref is None or not ref.strip():
        return None
    referrer = resolve_client(session, ref)
    if itself is not None and referrer.id == itself.id:
        raise InvalidValue("a card cannot be referred by itself")
    return referrer.id


def add_client(
    session: Session, fields: CardFields, *, now: datetime, settings: Settings | None = None
) -> ClientView:
    """A new card, grade F unless given; its grade history starts with (none -> grade, "added").
    Never contacted yet, it is due for a follow-up one cadence after today."""
    if fields.name is None:
        raise InvalidValue("a client's name cannot be empty")
    grade = fields.grade or Grade.F
    name = clean_name(fields.name)
    client = Client(
        name=name,
        name_key=name_key(name),
        grade=grade.value,
        created_at=now,
        updated_at=now,
        referred_by_id=_referrer_id(session, fields.referred_by),
    )
    _apply_text_fields(client, fields)
    assert now.tzinfo is not None
    schedule_by_cadence(client, settings or Settings(), now.tzinfo)
    session.add(client)
    session.flush()
    assert client.id is not None
    for tag in clean_tags(fields.tags):
        session.add(ClientTag(client_id=client.id, tag=tag))
    session.add(
        GradeChange(
            client_id=client.id,
            from_grade=None,
            to_grade=grade.value,
            changed_at=now,
            reason="added",
        )
    )
    session.flush()
    return view_of(session, client)


def edit_client(session: Session, ref: str, fields: CardFields, *, now: datetime) -> ClientView:
    """Change the given fields. A grade change goes through `grade` (it needs a reason)."""
    client = resolve_client(session, ref)
    assert client.id is not None
    if fields.grade is not None:
        raise InvalidValue("change a grade with `clientcard grade CLIENT GRADE --reason TEXT`")
    if fields.name is not None:
        client.name = clean_name(fields.name)
        client.name_key = name_key(client.name)
    _apply_text_fields(client, fields)
    if fields.referred_by is not None:
        client.referred_by_id = _referrer_id(session, fields.referred_by, client)
    for tag in clean_tags(fields.remove_tags):
        session.exec(
            delete(ClientTag).where(
                col(ClientTag.client_id) == client.id, col(ClientTag.tag) == tag
            )
        )
    existing = set(_tags_of(session, [client.id])[client.id])
    for tag in clean_tags(fields.tags):
        if tag not in existing:
            session.add(ClientTag(client_id=client.id, tag=tag))
    client.updated_at = now
    session.add(client)
    session.flush()
    return view_of(session, client)


def archive_client(session: Session, ref: str, *, now: datetime) -> ClientView:
    client = resolve_client(session, ref)
    if client.archived_at is not None:
        raise Refused(f"#{client.id} {client.name} is already archived")
    client.archived_at = now
    client.updated_at = now
    session.add(client)
    session.flush()
    return view_of(session, client)


def unarchive_client(session: Session, ref: str, *, now: datetime) -> ClientView:
    client = resolve_client(session, ref)
    if client.archived_at is None:
        raise Refused(f"#{client.id} {client.name} is not archived")
    client.archived_at = None
    client.updated_at = now
    session.add(client)
    session.flush()
    return view_of(session, client)


def delete_client(session: Session, ref: str, *, confirmed: bool) -> ClientView:
    """Delete a card and everything on it. Refused unless confirmed (`--yes`)."""
    client = resolve_client(session, ref)
    view = view_of(session, client)
    if not confirmed:
        raise Refused(
            f"deleting #{client.id} {client.name} removes the card and its history for good; "
            "add --yes to confirm (or `clientcard archive` to hide it)"
        )
    session.delete(client)
    session.flush()
    return view
