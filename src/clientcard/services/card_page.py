"""`show`: everything a salesperson reads about a card before a visit."""

from dataclasses import replace
from datetime import datetime

from clientcard.domain.settings import Settings
from clientcard.services.clients import card_of
from clientcard.services.complaints import open_complaints, resolved_complaints
from clientcard.services.contacts import contacts_of, followup_of
from clientcard.services.holidays import holidays_for
from clientcard.services.lookup import resolve_client
from clientcard.services.merge import merges_of
from clientcard.services.occasions import upcoming_occasions
from clientcard.services.owners import handovers_of
from clientcard.services.people import people_of
from clientcard.services.promises import promises_of
from clientcard.services.ratings import ratings_of
from clientcard.services.sales import client_value, recent_sales
from clientcard.services.views import CardAgenda
from clientcard.services.views.page import CardPage
from clientcard.store.db import Db

RECENT_CONTACTS = 5
RECENT_SALES = 5
OCCASIONS_AHEAD_DAYS = 60


def card_page(db: Db, ref: str, *, now: datetime, settings: Settings) -> CardPage:
    client = resolve_client(db, ref)
    contacts = contacts_of(db, client, limit=RECENT_CONTACTS)
    promises, rate = promises_of(db, client, now=now, settings=settings)
    return CardPage(
        card=replace(
            card_of(db, client, now),
            agenda=CardAgenda(followup_of(client), contacts, promises, rate),
        ),
        value=client_value(db, client, now=now, settings=settings),
        ratings=ratings_of(db, client),
        complaints=open_complaints(db, client, now=now, settings=settings),
        occasions=sorted(
            [
                *upcoming_occasions(
                    db, client, now=now, settings=settings, within_days=OCCASIONS_AHEAD_DAYS
                ),
                *holidays_for(db, client, now=now, within_days=OCCASIONS_AHEAD_DAYS),
            ],
            key=lambda o: o.days_until,
        ),
        people=people_of(db, client),
        resolved_complaints=resolved_complaints(db, client, now=now, settings=settings),
        recent_sales=recent_sales(db, client, settings=settings, limit=RECENT_SALES),
        merged=merges_of(db, client),
        handovers=handovers_of(db, client),
    )
