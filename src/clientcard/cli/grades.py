"""`clientcard grade`: regrade a card, show its grade history, or show the ladder."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    CLIENT_HELP,
    GRADE_HISTORY,
    FormatOption,
    Listing,
    RawOption,
    Table,
    now,
    session,
    settings,
)
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import GRADE_CHOICES
from clientcard.i18n import _
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.views import LadderRow

LADDER: "Table[LadderRow]" = Table(
    "grades.LadderRow",
    [
        Column("label", "Grade", no_wrap=True),
        Column("meaning", "Meaning", detail=True),
        Column("action", "What to do", spare=True),
        Column("cards", "Cards", justify="right", no_wrap=True),
    ],
    extra={"label": lambda row: row.label},  # F, then its two kinds indented: F-new, F-slow
)


def grade(
    client: Annotated[str | None, typer.Argument(metavar="CLIENT", help=CLIENT_HELP)] = None,
    new_grade: Annotated[
        str | None, typer.Argument(metavar="GRADE", help=f"The new grade: {GRADE_CHOICES}.")
    ] = None,
    up: Annotated[bool, typer.Option("--up", help="One step towards A.")] = False,
    down: Annotated[bool, typer.Option("--down", help="One step towards F.")] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="Why the grade moves (required).")
    ] = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """Regrade a card, show its grade history, or show the ladder.

    `grade CLIENT GRADE --reason TEXT` (or `--up`/`--down` for one step) regrades;
    `grade CLIENT` prints the card's history; `grade` alone prints the ladder with how many
    live cards hold each grade."""
    from clientcard.domain.grades import parse_grade
    from clientcard.services import grades

    if client is None:
        with session(write=False) as s:
            rows = grades.ladder(s)
        if fmt is Format.table:  # the F row's split, as rows below it
            rows = [part for row in rows for part in row.split()]
        Listing(fmt, raw=raw).write(rows, LADDER)
        return
    if new_grade is None and not (up or down):
        if reason is not None:
            raise InvalidValue(_("--reason needs a GRADE, --up or --down"))
        with session(write=False) as s:
            ref, history = grades.history(s, client, now())
        Listing(fmt, raw=raw).write(
            history[::-1],
            GRADE_HISTORY,
            title=_("Grade history of {client}").format(client=ref.label()),
        )
        return
    target = parse_grade(new_grade) if new_grade is not None else None
    with session(write=True) as s:
        change = grades.regrade(
            s,
            client,
            grade=target,
            up=up,
            down=down,
            reason=reason,
            now=now(),
            settings=settings(s),
        )
    print_line(
        _("Regraded {client}: {old} -> {new} ({meaning})").format(
            client=change.client.label(),
            old=change.from_grade,
            new=change.to_grade,
            meaning=change.to_grade.meaning,
        )
    )
