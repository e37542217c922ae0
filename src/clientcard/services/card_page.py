"""`show`: everything a salesperson reads about a card before a visit."""

from dataclasses import replace
from datetime import datetime

from clientcard.domain.settings import Settings
from clientcard.services.clients import show_client
from clientcard.services.complaints import open_complaints
from clientcard.services.contacts import followup_of, list_contacts
from clientcard.services.holidays import holidays_for
from clientcard.services.lookup import resolve_client
from clientcard.services.occasions import upcoming_occasions
from clientcard.services.people import people_of
from clientcard.services.promises import list_promises
from clientcard.services.ratings import ratings_of
from clientcard.services.sales import client_value
from clientcard.services.views import CardAgenda
from clientcard.services.views.page import CardPage
from clientcard.store.db import Db

RECENT_CONTACTS = 5
OCCASIONS_AHEAD_DAYS = 60


def card_page(db: Db, ref: str, *, now: datetime, settings: Settings) -> CardPage:
    card = show_client(db, ref)
    client_id = card.client.id
    client = resolve_client(db, str(client_id))
    key = str(client_id)
    contacts = list_contacts(db, key, limit=RECENT_CONTACTS, now=now, settings=settings)
    promises, rate = list_promises(db, key, now=now)
    return CardPage(
        card=replace(card, agenda=CardAgenda(followup_of(client), contacts, promises, rate)),
        value=client_value(db, client_id, now=now, settings=settings),
        ratings=ratings_of(db, client_id),
        complaints=open_complaints(db, client_id, now=now, settings=settings),
        occasions=sorted(
            [
                *upcoming_occasions(
                    db, client_id, now=now, settings=settings, within_days=OCCASIONS_AHEAD_DAYS
                ),
                *holidays_for(db, client_id, now=now, within_days=OCCASIONS_AHEAD_DAYS),
            ],
            key=lambda o: o.days_until,
        ),
        people=people_of(db, client_id),
    )
