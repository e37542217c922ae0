"""Close contacts: the people around a decision-maker (assistant, secretary, deputy...), who
know the purchase plans and the decision process. `person add|list|edit|remove`."""

import re
from dataclasses import dataclass

from clientcard.domain.cards import check_length, clean_email, clean_text
from clientcard.domain.errors import InvalidValue, NotFound
from clientcard.domain.refs import record_ref
from clientcard.i18n import _
from clientcard.services.lookup import resolve_client
from clientcard.services.views import ClientRef
from clientcard.services.views.people import PersonView
from clientcard.store.db import Db
from clientcard.store.records import Client, Person

MAX_ROLE = 100  # the column's size (store/models.py)

_BLANKS = re.compile(r"\s+")


def person_view(person: Person, client: Client) -> PersonView:
    assert person.id is not None
    return PersonView(
        id=person.id,
        client=ClientRef.of(client),
        name=person.name,
        role=person.role,
        phone=person.phone,
        email=person.email,
        note=person.note,
    )


def _name(value: str) -> str:
    cleaned = clean_text(value, "name")
    if cleaned is None:
        raise InvalidValue(_("a person's name cannot be empty; type it as you would say it"))
    return str(check_length("name", _BLANKS.sub(" ", cleaned)))


def _role(value: str) -> str:
    cleaned = clean_text(value, "role")
    if cleaned is None:
        raise InvalidValue(_("give the person's role, e.g. --role assistant, secretary or deputy"))
    cleaned = _BLANKS.sub(" ", cleaned)
    if len(cleaned) > MAX_ROLE:
        raise InvalidValue(
            _("role is {count} characters long; at most {MAX_ROLE} fit").format(
                count=len(cleaned), MAX_ROLE=MAX_ROLE
            )
        )
    return cleaned


def _phone(value: str | None) -> str | None:
    return clean_text(value, "phone")


def add_person(
    db: Db,
    ref: str,
    name: str,
    *,
    role: str,
    phone: str | None = None,
    email: str | None = None,
    note: str | None = None,
) -> PersonView:
    """Add someone around the client: their name and role, and how to reach them."""
    cleaned_name, cleaned_role = _name(name), _role(role)
    cleaned_phone, cleaned_email = _phone(phone), clean_email(email)
    client = resolve_client(db, ref)
    assert client.id is not None
    person = Person(
        author=db.author(),
        client_id=client.id,
        name=cleaned_name,
        role=cleaned_role,
        phone=cleaned_phone,
        email=cleaned_email,
        note=clean_text(note, "note"),
    )
    db.insert(person)
    return person_view(person, client)


def _person(db: Db, person_id: int) -> tuple[Person, Client]:
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(
            _("no person {ref}; see `clientcard person list CLIENT`").format(
                ref=record_ref("person", person_id)
            )
        )
    client = db.get(Client, person.client_id)
    assert client is not None
    db.lock(person)  # an edit compares with the values stored now
    return person, client


@dataclass(frozen=True)
class EditedPerson:
    """What `person edit` did: the person, and whether any value given was new."""

    person: PersonView
    changed: bool


def edit_person(
    db: Db,
    person_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    note: str | None = None,
) -> EditedPerson:
    """Change the given fields; an empty phone, e-mail or note clears it. When every value
    given is already the person's, nothing is written."""
    if all(v is None for v in (name, role, phone, email, note)):
        raise InvalidValue(_("nothing to change; give --name, --role, --phone, --email or --note"))
    # Every value is checked before anything is looked up or changed.
    values: dict[str, str | None] = {}
    if name is not None:
        values["name"] = _name(name)
    if role is not None:
        values["role"] = _role(role)
    if phone is not None:
        values["phone"] = _phone(phone)
    if email is not None:
        values["email"] = clean_email(email)
    if note is not None:
        values["note"] = clean_text(note, "note")
    person, client = _person(db, person_id)
    changed = [key for key, value in values.items() if getattr(person, key) != value]
    for key in changed:
        setattr(person, key, values[key])
    if changed:  # values the person already has change nothing (issue 11): nothing written
        db.update(person, *changed)
    return EditedPerson(person_view(person, client), bool(changed))


def remove_person(db: Db, person_id: int) -> PersonView:
    person, client = _person(db, person_id)
    view = person_view(person, client)
    db.delete(person)
    return view


def list_people(db: Db, ref: str) -> tuple[ClientRef, list[PersonView]]:
    """A card's close contacts, in the order they were added."""
    client = resolve_client(db, ref)
    assert client.id is not None
    return ClientRef.of(client), people_of(db, client)


def people_of(db: Db, client: Client) -> list[PersonView]:
    """For the card page: the close contacts of a card, in the order they were added."""
    rows = db.select(Person, "WHERE client_id = :client_id ORDER BY id", client_id=client.id)
    return [person_view(p, client) for p in rows]
