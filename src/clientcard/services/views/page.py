"""The view of `show`: the whole card page, with its value, ratings, complaints, occasions and
people."""

from dataclasses import dataclass, field
from typing import Any

from clientcard.services.views.card import CardView, mine
from clientcard.services.views.complaints import ComplaintView
from clientcard.services.views.duplicates import MergeView
from clientcard.services.views.occasions import HolidayGreetingView, OccasionView
from clientcard.services.views.owners import HandoverView
from clientcard.services.views.people import PersonView
from clientcard.services.views.ratings import RatingsView
from clientcard.services.views.sales import SaleView, ValueView


@dataclass(frozen=True)
class CardPage:
    """The whole card: identity and grade history (CardView with its agenda), value, ratings,
    open and resolved complaints, recent sales, upcoming occasions, and the people around the
    client."""

    card: CardView
    value: ValueView
    ratings: RatingsView
    complaints: list[ComplaintView]
    occasions: list[OccasionView | HolidayGreetingView]  # soonest first
    people: list[PersonView]
    resolved_complaints: list[ComplaintView] = field(default_factory=list)  # last resolved first
    recent_sales: list[SaleView] = field(default_factory=list)  # newest first
    merged: list[MergeView] = field(default_factory=list)  # cards merged into it, oldest first
    # Issue 17: every time the card changed hands, oldest first.
    handovers: list[HandoverView] = field(default_factory=list)

    def resolved_complaint_row(self, complaint: ComplaintView) -> dict[str, Any]:
        """A resolved complaint on the page: `complaint list`'s keys, and how it ended."""
        return {**mine(complaint.row()), "result": complaint.result}

    def row(self) -> dict[str, Any]:
        data = self.card.row()
        data["value"] = self.value.row()
        data["ratings"] = self.ratings.row()
        data["open_complaints"] = [mine(c.row()) for c in self.complaints]
        data["upcoming_occasions"] = [mine(o.row()) for o in self.occasions]
        data["people"] = [mine(p.row()) for p in self.people]
        # Issue 12: the whole card (added keys; the totals are `value`'s `sales` and
        # `total_purchases`).
        data["resolved_complaints"] = [
            self.resolved_complaint_row(c) for c in self.resolved_complaints
        ]
        data["recent_sales"] = [mine(s.row()) for s in self.recent_sales]
        # Issue 14: the cards merged into this one (docs/duplicates.md).
        data["merged"] = [m.row() for m in self.merged]
        # Issue 17: the card's changes of hands (docs/team.md).
        data["handovers"] = [mine(h.row()) for h in self.handovers]
        return data
