"""The views of a card changing hands (issue 17): `handover`, `claim`, `release`, `pool sweep`,
and the handover history on `show`."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from clientcard.i18n import N_, _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys

POOL_NAME = N_("the pool")


@dataclass(frozen=True)
class HandoverView(Keyed):
    """One change of hands: the card, how (`handover`, `claim`, `pool`, `release`), from whom
    to whom (None: the pool), when, why and who did it (None: unknown)."""

    id: int
    client: ClientRef
    kind: str
    from_owner: str | None
    to_owner: str | None
    at: datetime
    reason: str | None
    author: str | None

    # `show --format json`'s `handovers`, and `handover`/`pool sweep --format` (docs/formats.md).
    KEYS: ClassVar[Keys["HandoverView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "kind",
        "from_owner",
        "to_owner",
        "at",
        "reason",
        "author",
    )

    @property
    def from_shown(self) -> str:
        return self.from_owner if self.from_owner is not None else _(POOL_NAME)

    @property
    def to_shown(self) -> str:
        return self.to_owner if self.to_owner is not None else _(POOL_NAME)

    @property
    def moves(self) -> str:
        """`王芳 → 李强`, `the pool → 李强`."""
        return f"{self.from_shown} → {self.to_shown}"

    @property
    def by(self) -> str:
        return self.author if self.author is not None else _("unknown")
