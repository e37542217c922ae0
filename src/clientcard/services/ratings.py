"""Ratings: a client's credit (good, fair, poor), satisfaction and loyalty (1-5), with history.

The card holds the latest values (filterable: `list --credit poor`, `list --min-loyalty 4`);
every `rate` also appends a RatingChange holding the values given that time (the others null)
and the reason, so the history shows what was rated when, and why. Rows are never updated.
"""

from dataclasses import dataclass
from datetime import datetime

from clientcard.domain.cards import clean_text
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.ratings import CREDITS, HIGHEST, LOWEST, Credit
from clientcard.i18n import _
from clientcard.services.lookup import resolve_client
from clientcard.services.views import ClientRef
from clientcard.services.views.ratings import RatingChangeView, RatingsView, describe_rating
from clientcard.store.db import Db
from clientcard.store.records import Client, RatingChange


def parse_credit(text: str) -> Credit:
    try:
        return Credit(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            _("credit must be one of {CREDITS}, not {text}").format(
                CREDITS=CREDITS, text=repr(text)
            )
        ) from None


def parse_credits(text: str) -> list[Credit]:
    """`fair,poor` -> [fair, poor] (for `list --credit`)."""
    credits = [parse_credit(part) for part in text.split(",") if part.strip()]
    if not credits:
        raise InvalidValue(
            _("credit must be one of {CREDITS}, not {text}").format(
                CREDITS=CREDITS, text=repr(text)
            )
        )
    return list(dict.fromkeys(credits))


def parse_score(name: str, text: str | int) -> int:
    """A satisfaction or loyalty score: a whole number from 1 to 5."""
    cleaned = str(text).strip()
    # At most 9 digits: Python reads no more than 4,300 as a number, and 9 are plenty.
    number = cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9
    if not (number and LOWEST <= int(cleaned) <= HIGHEST):
        raise InvalidValue(
            _("{name} must be a whole number from {LOWEST} to {HIGHEST}, not {text}").format(
                name=name, LOWEST=LOWEST, HIGHEST=HIGHEST, text=repr(str(text))
            )
        )
    return int(cleaned)


@dataclass(frozen=True)
class Rated:
    """What `rate` did: the ratings before and after, and which of those given were already
    the card's (`unchanged`). When every one given was, nothing was written (`changed` False)."""

    before: RatingsView
    after: RatingsView
    unchanged: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def describe(self) -> str:
        return _(", ").join(
            describe_rating(self.after, name, self.before)
            + (" (unchanged)" if name in self.unchanged else "")
            for name in ("credit", "satisfaction", "loyalty")
        )

    def describe_unchanged(self) -> str:
        """The values given that the card already had: `credit good, satisfaction 4/5`."""
        return _(", ").join(describe_rating(self.after, name) for name in self.unchanged)


def ratings_of(db: Db, client: Client) -> RatingsView:
    """The latest ratings and the history of a card (its page, `rate --history`)."""
    me = ClientRef.of(client)
    rows = db.select(RatingChange, "WHERE client_id = :id ORDER BY id", id=client.id)
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
                author=r.author,
            )
            for r in rows
        ],
    )


def history(db: Db, ref: str) -> RatingsView:
    """The ratings of the card `ref` names (`rate CLIENT --history`)."""
    return ratings_of(db, resolve_client(db, ref))


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
    """Set one or more ratings; the card keeps the latest, the history every change. A value
    the card already has is no change: it is left out of the history row, and when every value
    given is already the card's, nothing is written at all (no empty history)."""
    new_credit = parse_credit(credit) if credit is not None else None
    new_satisfaction = (
        parse_score("satisfaction", satisfaction) if satisfaction is not None else None
    )
    new_loyalty = parse_score("loyalty", loyalty) if loyalty is not None else None
    if new_credit is None and new_satisfaction is None and new_loyalty is None:
        raise InvalidValue(
            _(
                "give at least one rating: --credit good|fair|poor, --satisfaction 1-5 or "
                "--loyalty 1-5 (or --history to see the ratings)"
            )
        )
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    assert client.id is not None
    cleaned_reason = clean_text(reason, "reason")
    before = ratings_of(db, client)
    # Only what differs from the card is a change; a value it already has is left out.
    credit_to = new_credit.value if new_credit is not None else None
    credit_to = credit_to if credit_to != client.credit else None
    satisfaction_to = new_satisfaction if new_satisfaction != client.satisfaction else None
    loyalty_to = new_loyalty if new_loyalty != client.loyalty else None
    unchanged = tuple(
        name
        for name, given, to in (
            ("credit", new_credit, credit_to),
            ("satisfaction", new_satisfaction, satisfaction_to),
            ("loyalty", new_loyalty, loyalty_to),
        )
        if given is not None and to is None
    )
    if credit_to is None and satisfaction_to is None and loyalty_to is None:
        return Rated(before=before, after=before, unchanged=unchanged)
    if credit_to is not None:
        client.credit = credit_to
    if satisfaction_to is not None:
        client.satisfaction = satisfaction_to
    if loyalty_to is not None:
        client.loyalty = loyalty_to
    client.updated_at = now
    client.updated_by = db.author()
    db.update(client, "credit", "satisfaction", "loyalty", "updated_at", "updated_by")
    db.insert(
        RatingChange(
            author=db.author(),
            client_id=client.id,
            at=now,
            credit=credit_to,
            satisfaction=satisfaction_to,
            loyalty=loyalty_to,
            reason=cleaned_reason,
        )
    )
    return Rated(before=before, after=ratings_of(db, client), unchanged=unchanged)
