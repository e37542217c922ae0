"""What services hand back: plain, immutable values with the documented machine keys.

Every view lives here, one module per record (`clients`, `grades`, `contacts`, `promises`,
`agenda` for `due`, `complaints`, `sales`, `ratings`, `occasions`, `people`, `settings`, and
`card` and `page` for `show`), never in a service module: several services build the same view
(five sources make `due` items, every service hands back a `ClientRef`), and the CLI and the
docs read their keys here. These modules import only the domain, so rendering needs no
database. A view with machine keys declares them once, as `KEYS` (`keys.py`): `row()` and the
headers of json, csv and tsv follow from it (`View.KEYS.names`).

The names below are the ones services and tests import from `clientcard.services.views`.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientcard.services.views.agenda import DueItem
    from clientcard.services.views.card import CardAgenda, CardView
    from clientcard.services.views.clients import CLIENT_FIELDS, ClientRef, ClientView
    from clientcard.services.views.contacts import ContactView, FollowupView
    from clientcard.services.views.grades import GradeChangeView, LadderRow
    from clientcard.services.views.promises import KeepRate, PromiseView

# Where each name lives. A name is imported from its module when first asked for (PEP 562), so
# `due` does not build the card page's views, nor `log` the agenda's.
_MODULES = {
    "CLIENT_FIELDS": "clients",
    "CardAgenda": "card",
    "CardView": "card",
    "ClientRef": "clients",
    "ClientView": "clients",
    "ContactView": "contacts",
    "DueItem": "agenda",
    "FollowupView": "contacts",
    "GradeChangeView": "grades",
    "KeepRate": "promises",
    "LadderRow": "grades",
    "PromiseView": "promises",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CLIENT_FIELDS",
    "CardAgenda",
    "CardView",
    "ClientRef",
    "ClientView",
    "ContactView",
    "DueItem",
    "FollowupView",
    "GradeChangeView",
    "KeepRate",
    "LadderRow",
    "PromiseView",
]
