"""What every command shares: the database and clock of this run, and option types.

Nothing here imports the database stack at module level: `--help` and completion must stay fast.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

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
    from clientcard.store.db import transaction

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
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, help="Show at most N rows.")
]
