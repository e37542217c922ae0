"""The view of close contacts: one person around a client."""

from dataclasses import dataclass
from typing import ClassVar

from clientcard.domain.refs import record_ref
from clientcard.i18n import _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class PersonView(Keyed):
    id: int
    client: ClientRef
    name: str
    role: str
    phone: str | None
    email: str | None
    note: str | None

    # `person list`, and the card page's `people` (docs/occasions.md).
    KEYS: ClassVar[Keys["PersonView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "name",
        "role",
        "phone",
        "email",
        "note",
    )

    def describe(self) -> str:
        """`person K2 李娜 (secretary)`."""
        return _("person {ref} {name} ({role})").format(
            ref=record_ref("person", self.id), name=self.name, role=self.role
        )
