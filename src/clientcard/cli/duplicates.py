"""Duplicates in the book: `dupes` lists likely ones, `merge` joins two cards into one."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    FormatOption,
    Listing,
    RawOption,
    Table,
    ask,
    now,
    on_a_terminal,
    run_once,
    session,
    settings,
)
from clientcard.i18n import N_, _, ngettext
from clientcard.output import Column, Format, print_line
from clientcard.output.safe import for_people

if TYPE_CHECKING:
    from clientcard.services.views.duplicates import DupeView

# The reasons of a group as a person reads them (services/dupes.py: REASONS).
REASON_WORDS = {
    "phone": N_("same phone"),
    "email": N_("same e-mail"),
    "name": N_("same name and company"),
    "bare-name": N_("same name, nothing else"),
    "similar-name": N_("similar name, same company"),
}


def reasons_text(reasons: tuple[str, ...]) -> str:
    """`same phone; same name and company`."""
    return _("; ").join(_(REASON_WORDS[r]) if r in REASON_WORDS else r for r in reasons)


DUPES: "Table[DupeView]" = Table(
    "duplicates.DupeView",
    [
        Column("group", "Group", justify="right", no_wrap=True),
        Column("why", "Why"),
        Column("id", "ID", justify="right", no_wrap=True),
        Column("name", "Name"),
        Column("company", "Company"),
        Column("grade_shown", "Grade", justify="center", no_wrap=True, spare=True),
        Column("phone", "Phone", no_wrap=True),
        Column("email", "E-mail", spare=True),
    ],
    extra={
        # The reason once per group, on its first card; an archived card marked.
        "why": lambda v: reasons_text(v.reasons),
        "grade_shown": lambda v: (
            _("{grade} (archived)").format(grade=v.grade.value) if v.archived else v.grade.value
        ),
    },
)


def dupes(
    archived: Annotated[
        bool,
        typer.Option(
            "--archived",
            help="Look in the archive too: an archived card can then be in a group.",
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=1, help="Show at most N groups. Without it: every group."
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List likely duplicate cards in groups, each with its reason.

    The reasons: the same phone or e-mail, the same name and company, the same name on cards
    with nothing else, or a near-identical name at the same company. Live cards only, unless
    --archived. Join two with `clientcard merge KEEP OTHER` (docs/duplicates.md)."""
    from clientcard.services import dupes as service

    with session(write=False) as s:
        found = service.find_dupes(s, archived=archived, limit=limit)

    def footer(rows: int, more: bool) -> str:
        del rows, more
        shown = len({r.group for r in found.rows})
        groups = ngettext("{n} group", "{n} groups", found.groups).format(n=found.groups)
        cards = ngettext("{n} card", "{n} cards", len(found.rows)).format(n=len(found.rows))
        if shown < found.groups:
            return _("The first {shown} of {groups} ({cards}); --limit N shows more.").format(
                shown=shown, groups=groups, cards=cards
            )
        return _(
            "{groups} of likely duplicates ({cards}). Join two: clientcard merge KEEP OTHER"
        ).format(groups=groups, cards=cards)

    Listing(fmt, raw=raw).write(found.rows, DUPES, empty=_("No likely duplicates."), footer=footer)


def merge(
    keep: Annotated[
        str, typer.Argument(metavar="KEEP", help="The card to keep: id, name, or name prefix.")
    ],
    other: Annotated[
        str,
        typer.Argument(metavar="OTHER", help="The card merged into it, then deleted."),
    ],
    take: Annotated[
        list[str] | None,
        typer.Option(
            "--take",
            metavar="FIELD",
            help="Where both cards have a value, take OTHER's (repeatable): name, company, "
            "title, address, source, owner, notes, phone, email (the main one), referred_by, "
            "grade, credit, satisfaction, loyalty.",
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm: merge.")] = False,
) -> None:
    """Merge OTHER into KEEP: every record of OTHER moves to KEEP, then OTHER is deleted.

    Contacts, promises, complaints, sales, occasions, people, ratings, grade changes, tags,
    phones and e-mail addresses, and the cards OTHER referred move to KEEP. Where both have a
    field with different values, KEEP's wins unless --take FIELD; notes are joined. Recorded on
    KEEP (docs/duplicates.md). Needs --yes (asks only on a terminal)."""
    from clientcard.services import merge as service

    taken = take or []
    if not yes and on_a_terminal():
        with session(write=False) as s:
            plan = service.plan_merge(s, keep, other, taken, settings=settings(s))
        print_line(for_people(_("Merging {plan}.").format(plan=plan.describe())))
        yes = ask(_("Merge #{other} into #{keep}?").format(other=plan.other.id, keep=plan.keep.id))
        run_once()
    with session(write=True) as s:
        merged = service.merge_cards(
            s, keep, other, take=taken, confirmed=yes, now=now(), settings=settings(s)
        )
    plan = merged.plan
    print_line(
        _("Merged #{id} {name} into {card}").format(
            id=plan.other.id, name=plan.other.name, card=merged.card.summary()
        )
    )
    print_line(f"  {plan.describe()}")
