"""What every reader of `import` gives the import: for each row of a sheet or card of a vCard
file, an `Incoming` card (its fields as `add` takes them) or a `Refused` one (why it cannot be
a card). A reader knows its format; the import (`bringin.import_cards`) knows the book: it
checks each card as `add` does, finds duplicates, and writes.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from clientcard.i18n import _
from clientcard.services.clients import CardFields

# (year or None, month, day)
Day = tuple[int | None, int, int]


@dataclass
class Incoming:
    """A row or card as `add` would have been given it."""

    line: int  # the line (a sheet's row) it starts on, 1-based
    fields: CardFields  # phones and e-mails as labelled lists (`mobile:138 0013 8000`)
    # Occasions: (OccasionKind value, day), e.g. ("birthday", (1980, 3, 22)).
    occasions: list[tuple[str, Day]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # columns whose values went to the notes
    raw: object = None  # the row or card as read, for --rejects
    file: str | None = None  # the file of a folder it came from


@dataclass
class Refused:
    """A row or card that cannot be a card, and why."""

    line: int
    reason: str
    raw: object = None
    file: str | None = None


def labelled(label: str | None, value: str) -> str:
    """A phone or e-mail as `CardFields.phones` takes it: `mobile:138 0013 8000`, or the value
    alone without a label."""
    return f"{label}:{value}" if label else value


def where(item: Incoming | Refused) -> str:
    """`line 7`, or `a.vcf, line 7` for a file of a folder."""
    line = _("line {line}").format(line=item.line)
    return f"{item.file}, {line}" if item.file else line


@dataclass(frozen=True)
class Shape:
    """What the file was, for writing its refused rows or cards back the same way (the CLI
    writes them through output/: `--rejects FILE`)."""

    fmt: str  # csv, tsv, xlsx, vcard
    header: list[str] | None = None  # a sheet's header row
    separator: str = ","
    encoding: str = "utf-8"


class Reader(Protocol):
    """A file being imported. `cards(before)` yields its rows or cards in order; a referrer is a
    card of the book whose id is below `before` (a row of the same file is not one yet)."""

    read_as: str | None  # how the text was read, when not plain UTF-8: "GB18030 (detected)"
    ignored: list[str]  # the listing's columns the file had, which a new card cannot take
    shape: Shape
    size: int | None  # about how many rows or cards it has (for a progress bar), if known
    # Said on stderr once the file is read: what was read other than as written ("a.vcf,
    # line 7: a card without a name: named from its e-mail"). Filled while `cards` runs.
    warnings: list[str]

    def cards(self, before: int) -> Iterator[Incoming | Refused]: ...
