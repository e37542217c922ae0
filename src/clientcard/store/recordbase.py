"""The base of every record (store/records.py): what the data access layer needs to know."""

from typing import TYPE_CHECKING, Any, ClassVar


class Record:
    """A row of one table as a plain object. Subclasses are generated (store/records_gen.py):
    slots and a keyword-only `__init__` for its columns, as a dataclass with `kw_only=True,
    slots=True` would have, and from here the dataclass's `__eq__` and `__repr__`."""

    __slots__ = ()
    __table__: ClassVar[str]
    __columns__: ClassVar[tuple[str, ...]]
    # Per column: "datetime", "date", "bool", or "" (stored as it is).
    __kinds__: ClassVar[tuple[str, ...]]
    __key__: ClassVar[tuple[str, ...]]
    # The most characters a sized text column holds (the table's VARCHAR(n)), by column.
    __lengths__: ClassVar[dict[str, int]] = {}

    if TYPE_CHECKING:

        def __init__(self, **values: Any) -> None: ...

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__columns__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass with eq and not frozen

    def __repr__(self) -> str:
        values = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__columns__)
        return f"{type(self).__qualname__}({values})"
