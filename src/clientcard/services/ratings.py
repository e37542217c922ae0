"""Ratings: a client's credit (good, fair, poor), satisfaction and loyalty (1-5), with history.

The card holds the latest values (filterable: `list --credit poor`, `list --min-loyalty 4`);
every `rate` also appends a RatingChange holding the values given that time (the others null)
and the reason, so the history shows what was rated when, and why. Rows are never updated.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from clientcard.domain.cards import clean_text
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.services.clients import ref_of
from clientcard.services.lookup import resolve_client
from clientcard.services.views import ClientRef
from clientcard.store.db import Db
from clientcard.store.records import Client, RatingChange


class Credit(StrEnum):
    """How safe it is to do business on credit with the client: more with good, less with poor."""

    good = "good"
    fair = "fair"
    poor = "poor"


CREDITS = ", ".join(c.value for c in Credit)
LOWEST, HIGHEST = 1, 5

RATING_FIELDS = ["client_id", "client", "at", "credit", "satisfaction", "loyalty", "reason"]


def parse_credit(text: str) -> Credit:
    try:
        return Credit(text.strip().lower())
    except ValueError:
        raise InvalidValue(f"credit must be one of {CREDITS}, not {text!r}") from None


def parse_credits(text: str) -> list[Credit]:
    """`fair,poor` -> [fair, poor] (for `list --credit`)."""
    credits = [parse_credit(part) for part in text.split(",") if part.strip()]
    if not credits:
        raise InvalidValue(f"credit must be one of {CREDITS}, not {text!r}")
    return list(dict.fromkeys(credits))


def parse_score(name: str, text: str | int) -> int:
    """A satisfaction or loyalty score: a whole number from 1 to 5."""
    cleaned = str(text).strip()
    if not (cleaned.isascii() and cleaned.isdigit() and LOWEST <= int(cleaned) <= HIGHEST):
        raise InvalidValue(
            f"{name} must be a whole number from {LOWEST} to {HIGHEST}, not {str(text)!r}"
        )
    return int(cleaned)


@dataclass(frozen=True)
class RatingChangeView:
    client: ClientRef
    at: datetime
    credit: Credit | None
    satisfaction: int | None
    loyalty: int | None
    reason: str | None

    def row(self) -> dict[str, object]:
        return {
            "client_id": self.client.id,
            "client": self.client.name,
            "at": self.at,
            "credit": self.credit,
            "satisfaction": self.satisfaction,
            "loyalty": self.loyalty,
            "reason": self.reason,
        }


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

    def row(self) -> dict[str, object]:
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
        return ", ".join(_describe(self, name) for name in ("credit", "satisfaction", "loyalty"))


def _describe(view: "RatingsView", name: str, before: "RatingsView | None" = None) -> str:
    def show(ratings: RatingsView) -> str | None:
        value = getattr(ratings, name)
        if value is None:
            return None
        return str(value) if name == "credit" else f"{value}/{HIGHEST}"

    now = show(view)
    text = f"{name} {now}" if now is not None else f"{name} not rated"
    was = show(before) if before is not None else None
    if was is not None and was != now:
        text += f" (was {was})"
    return text


@dataclass(frozen=True)
class Rated:
    """What `rate` did: the ratings before and after."""

    before: RatingsView
    after: RatingsView

    def describe(self) -> str:
        return ", ".join(
            _describe(self.after, name, self.before)
            for name in ("credit", "satisfaction", "loyalty")
        )


def _ratings(db: Db, client: Client) -> RatingsView:
    me = ref_of(client)
    rows = db.select(RatingChange, "WHERE client_id = :id ORDER BY at, id", id=client.id)
    return RatingsView(
        client=me,
        credit=Credit(client.credit) if client.credit else None,
        satisfaction=client.satisfaction,
        loyalty=client.loyalty,
        history=[
            RatingChangeView(
                client=me,
                at=r.at,
                credit=Credit(r.credit) if r.credit else None,
                satisfaction=r.satisfaction,
                loyalty=r.loyalty,
                reason=r.reason,
            )
            for r in rows
        ],
    )


def ratings_of(db: Db, client_id: int) -> RatingsView:
    """The latest ratings and the history, for the card page."""
    client = db.get(Client, client_id)
    if client is None:
        raise NotFound(f"no card #{client_id}")
    return _ratings(db, client)


def history(db: Db, ref: str) -> RatingsView:
    """The ratings of the card `ref` names (`rate CLIENT --history`)."""
    return _ratings(db, resolve_client(db, ref))


def rate(
    db: Db,
    ref: str,
    *,
    credit: str | None = None,
    satisfaction: str | int | None = None,
    loyalty: str | int | None = None,
    reason: str | None = None,
    now: datetime,
) -> Rated:
    """Set one or more ratings; the card keeps the latest, the history every change. Giving the
    value a card already has is recorded too: a survey that confirms a rating is news."""
    new_credit = parse_credit(credit) if credit is not None else None
    new_satisfaction = (
        parse_score("satisfaction", satisfaction) if satisfaction is not None else None
    )
    new_loyalty = parse_score("loyalty", loyalty) if loyalty is not None else None
    if new_credit is None and new_satisfaction is None and new_loyalty is None:
        raise InvalidValue(
            "give at least one rating: --credit good|fair|poor, --satisfaction 1-5 or "
            "--loyalty 1-5 (or --history to see the ratings)"
        )
    client = resolve_client(db, ref)
    if client.archived_at is not None:
        raise Refused(f"#{client.id} {client.name} is archived; unarchive it first")
    assert client.id is not None
    before = _ratings(db, client)
    if new_credit is not None:
        client.credit = new_credit.value
    if new_satisfaction is not None:
        client.satisfaction = new_satisfaction
    if new_loyalty is not None:
        client.loyalty = new_loyalty
    client.updated_at = now
    db.update(client, "credit", "satisfaction", "loyalty", "updated_at")
    db.insert(
        RatingChange(
            client_id=client.id,
            at=now,
            credit=new_credit.value if new_credit is not None else None,
            satisfaction=new_satisfaction,
            loyalty=new_loyalty,
            reason=clean_text(reason),
        )
    )
    return Rated(before=before, after=_ratings(db, client))
