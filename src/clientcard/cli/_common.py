"""What every command shares: the database and clock of this run, and option types.

Nothing here imports the database stack at module level: `--help` and completion must stay fast.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from clientcard import clock
from clientcard.output import Format, ShowFormat

if TYPE_CHECKING:
    from clientcard.domain.settings import Settings
    from clientcard.store.db import Db


@dataclass
class Runtime:
    """Set by the root callback for each invocation."""

    db: str | None = None


RUNTIME = Runtime()


@contextmanager
def session(*, write: bool) -> Iterator["Db"]:
    """The command's one transaction: committed when the block ends, rolled back on error."""
    from clientcard.store.open import transaction

    with transaction(RUNTIME.db, write=write) as db:
        yield db


def now() -> datetime:
    return clock.now()


def settings() -> "Settings":
    """The user's settings file (CLIENTCARD_CONFIG or the per-user config directory)."""
    from clientcard.store.config_file import load_settings

    return load_settings()


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="Output: a table for people, or json, csv, tsv for scripts."
    ),
]
ShowFormatOption = Annotated[
    ShowFormat, typer.Option("--format", "-f", help="Output: a page for people, or json.")
]
# A table for people shows at most this many rows unless --limit says otherwise: a table of
# 30,000 contacts takes Rich 12 s and 260 MiB, and helps nobody. Machine formats show all.
TABLE_ROWS = 100

LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        min=1,
        help=f"Show at most N rows. Without it a table shows the first {TABLE_ROWS}; "
        "json, csv and tsv show all.",
    ),
]

T = TypeVar("T")


def rows_to_ask(limit: int | None, fmt: Format) -> int | None:
    """The limit to query with: --limit as given; for a table without one, one row more than
    it shows, to know whether more match."""
    return TABLE_ROWS + 1 if limit is None and fmt is Format.table else limit


def cut_for_table(
    rows: Sequence[T], limit: int | None, fmt: Format, noun: str
) -> tuple[Sequence[T], str | None]:
    """The rows a table shows (see TABLE_ROWS), and a line saying that more match, if so."""
    if limit is None and fmt is Format.table and len(rows) > TABLE_ROWS:
        return rows[:TABLE_ROWS], (
            f"The first {TABLE_ROWS} {noun}; more match. --limit N shows more, "
            "--format csv shows them all."
        )
    return rows, None
