"""`show`: everything a salesperson reads about a card before a visit."""

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from clientcard.domain.settings import Settings
from clientcard.services.clients import show_client
from clientcard.services.contacts import followup_of, list_contacts
from clientcard.services.lookup import resolve_client
from clientcard.services.promises import list_promises
from clientcard.services.views import CardAgenda, CardView

RECENT_CONTACTS = 5


def card_page(session: Session, ref: str, *, now: datetime, settings: Settings) -> CardView:
    card = show_client(session, ref)
    client = resolve_client(session, str(card.client.id))
    key = str(card.client.id)
    contacts = list_contacts(session, key, limit=RECENT_CONTACTS, now=now, settings=settings)
    promises, rate = list_promises(session, key, now=now)
    return replace(card, agenda=CardAgenda(followup_of(client), contacts, promises, rate))
