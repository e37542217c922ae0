"""A view's machine keys, declared once: its `row()` and its documented key list come from it."""

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar, Generic, TypeVar

V = TypeVar("V")


class Keys(Generic[V]):
    """The machine keys of a view, in their documented order (docs/formats.md).

    Each key is a name, read from the view's attribute of that name, or a pair (name, how):
    `how` is an attribute path (`"client.id"`) or a function of the view."""

    __slots__ = ("_getters", "names", "paths")

    def __init__(self, *keys: str | tuple[str, str | Callable[[V], Any]]) -> None:
        getters: list[tuple[str, Callable[[V], Any]]] = []
        paths: dict[str, str] = {}
        for key in keys:
            name, how = (key, key) if isinstance(key, str) else key
            if isinstance(how, str):
                paths[name] = how
            getters.append((name, attrgetter(how) if isinstance(how, str) else how))
        # The attribute paths, by key: mypy cannot check a string against the view, a test does.
        self.paths: dict[str, str] = paths
        self.names: tuple[str, ...] = tuple(name for name, _ in getters)
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"a key is declared twice: {self.names}")
        self._getters = tuple(getters)

    def row(self, view: V) -> dict[str, Any]:
        """The view's machine form: each key's value, in order."""
        return {name: get(view) for name, get in self._getters}


class Keyed:
    """A view with machine keys: the class declares `KEYS`, and `row()` follows them."""

    KEYS: ClassVar[Keys[Any]]

    # Keys whose value people read in the interface's language: key -> the attribute holding
    # that text (None there: the machine value is shown). Machine formats never read it.
    SHOWN: ClassVar[dict[str, str]] = {}

    def row(self) -> dict[str, Any]:
        return self.KEYS.row(self)

    def shown_row(self) -> dict[str, Any]:
        """`row()` for people: each key of `SHOWN` holds the text in the interface's language
        (an agenda's reason in Chinese), where `row()`, for JSON/CSV/TSV, keeps it in English."""
        row = self.KEYS.row(self)
        for key, attribute in self.SHOWN.items():
            text = getattr(self, attribute)
            if text is not None:
                row[key] = text
        return row
