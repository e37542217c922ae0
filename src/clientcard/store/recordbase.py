"""The base of every record (store/records.py): what the data access layer needs to know."""

from typing import TYPE_CHECKING, Any, ClassVar


class Record:
    """A row of one table as a plain object. Subclasses are generated dataclasses."""

    __slots__ = ()
    __table__: ClassVar[str]
    __columns__: ClassVar[tuple[str, ...]]
    # Per column: "datetime", "date", "bool", or "" (stored as it is).
    __kinds__: ClassVar[tuple[str, ...]]
    __key__: ClassVar[tuple[str, ...]]

    if TYPE_CHECKING:

        def __init__(self, **values: Any) -> None: ...
