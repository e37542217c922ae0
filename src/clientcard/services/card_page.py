"""`show`: everything a salesperson reads about a card before a visit."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from clientcard.domain.settings import Settings
from clientcard.services.clients import card_of
from clientcard.services.complaints import ComplaintView, open_complaints
from clientcard.services.contacts import contacts_of, followup_of
from clientcard.services.holidays import HolidayGreetingView, holidays_for
from clientcard.services.lookup import resolve_client
from clientcard.services.occasions import OccasionView, upcoming_occasions
from clientcard.services.people import PersonView, people_of
from clientcard.services.promises import promises_of
from clientcard.services.ratings import RatingsView, ratings_of
from clientcard.services.sales import ValueView, client_value
from clientcard.services.views import CardAgenda, CardView
from clientcard.store.db import Db

RECENT_CONTACTS = 5
OCCASIONS_AHEAD_DAYS = 60


@dataclass(frozen=True)
class CardPage:
    """The whole card: identity and grade history (CardView with its agenda), value, ratings,
    open complaints, upcoming occasions, and the people around the client."""

    card: CardView
    value: ValueView
    ratings: RatingsView
    complaints: list[ComplaintView]
    occasions: list[OccasionView | HolidayGreetingView]  # soonest first
    people: list[PersonView]

    def row(self) -> dict[str, Any]:
        def mine(row: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in row.items() if k not in ("client_id", "client")}

        data = self.card.row()
        data["value"] = self.value.row()
        data["ratings"] = self.ratings.row()
        data["open_complaints"] = [mine(c.row()) for c in self.complaints]
        data["upcoming_occasions"] = [mine(o.row()) for o in self.occasions]
        data["people"] = [mine(p.row()) for p in self.people]
        return data


def card_page(db: Db, ref: str, *, now: datetime, settings: Settings) -> CardPage:
    client = resolve_client(db, ref)
    client_id = client.id
    assert client_id is not None
    contacts = contacts_of(db, client, limit=RECENT_CONTACTS)
    promises, rate = promises_of(db, client, now=now)
    return CardPage(
        card=replace(
            card_of(db, client), agenda=CardAgenda(followup_of(client), contacts, promises, rate)
        ),
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
