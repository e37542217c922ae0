"""The views of ratings: one change, and a card's latest ratings with their history."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from clientcard.domain.ratings import HIGHEST, Credit
from clientcard.i18n import N_, _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class RatingChangeView(Keyed):
    client: ClientRef
    at: datetime
    credit: Credit | None
    satisfaction: int | None
    loyalty: int | None
    reason: str | None
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    # `rate CLIENT --history` (docs/sales.md).
    KEYS: ClassVar[Keys["RatingChangeView"]] = Keys(
        ("client_id", "client.id"),
        ("client", "client.name"),
        "at",
        "credit",
        "satisfaction",
        "loyalty",
        "reason",
        "author",
    )


@dataclass(frozen=True)
class RatingsView:
    """A card's latest ratings and their history (oldest first)."""

    client: ClientRef
    credit: Credit | None
    satisfaction: int | None
    loyalty: int | None
    history: list[RatingChangeView]

    @property
    def rated_at(self) -> datetime | None:
        return self.history[-1].at if self.history else None

    def row(self) -> dict[str, Any]:
        return {
            "credit": self.credit,
            "satisfaction": self.satisfaction,
            "loyalty": self.loyalty,
            "rated_at": self.rated_at,
            "history": [
                {k: v for k, v in h.row().items() if k not in ("client_id", "client")}
                for h in self.history
            ],
        }

    def describe(self) -> str:
        """One line: `credit good, satisfaction 4/5, loyalty not rated`."""
        return _(", ").join(
            describe_rating(self, name) for name in ("credit", "satisfaction", "loyalty")
        )


def describe_rating(view: RatingsView, name: str, before: RatingsView | None = None) -> str:
    """One rating for people: `credit good`, `loyalty 4/5 (was 3/5)`, `satisfaction not rated`."""

    def show(ratings: RatingsView) -> str | None:
        value = getattr(ratings, name)
        if value is None:
            return None
        return str(value) if name == "credit" else f"{value}/{HIGHEST}"

    now = show(view)
    label = _(RATING_NAMES.get(name, name))
    if now is not None:
        text = _("{rating} {value}").format(rating=label, value=_(now) if name == "credit" else now)
    else:
        text = _("{rating} not rated").format(rating=label)
    was = show(before) if before is not None else None
    if was is not None and was != now:
        text += _(" (was {value})").format(value=_(was) if name == "credit" else was)
    return text


# The ratings and the credit's values as a sentence names them, for people.
RATING_NAMES = {
    "credit": N_("credit"),
    "satisfaction": N_("satisfaction"),
    "loyalty": N_("loyalty"),
}
CREDIT_WORDS = (N_("good"), N_("fair"), N_("poor"))
