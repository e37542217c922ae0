"""The view of `show`: the whole card page, with its value, ratings, complaints, occasions and
people."""

from dataclasses import dataclass
from typing import Any

from clientcard.services.views.card import CardView, mine
from clientcard.services.views.complaints import ComplaintView
from clientcard.services.views.occasions import HolidayGreetingView, OccasionView
from clientcard.services.views.people import PersonView
from clientcard.services.views.ratings import RatingsView
from clientcard.services.views.sales import ValueView


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
        data = self.card.row()
        data["value"] = self.value.row()
        data["ratings"] = self.ratings.row()
        data["open_complaints"] = [mine(c.row()) for c in self.complaints]
        data["upcoming_occasions"] = [mine(o.row()) for o in self.occasions]
        data["people"] = [mine(p.row()) for p in self.people]
        return data
