"""`search`: cards by any word anywhere on them (issue 18, docs/search.md)."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    FormatOption,
    LimitOption,
    Listing,
    RawOption,
    Table,
    now,
    session,
    settings,
)
from clientcard.domain.cards import MAX_SEARCH, is_phone_search
from clientcard.i18n import N_, _, language, ngettext
from clientcard.output import Column, Format

if TYPE_CHECKING:
    from clientcard.services.views.search import SearchHit

# Where a card matched, as a person reads it (the machine formats keep the code).
PLACES = {
    "name": N_("name"),
    "pinyin": N_("name (pinyin)"),
    "company": N_("company"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "title": N_("title"),
    "address": N_("address"),
    "notes": N_("notes"),
    "contact": N_("contact"),
    "promise": N_("promise"),
    "complaint": N_("complaint"),
    "sale": N_("sale"),
    "occasion": N_("occasion"),
    "person": N_("close contact"),
}


def _where(hit: "SearchHit") -> str:
    best = hit.best
    ref = best.ref
    if ref.endswith(" step"):  # a complaint's step: the word said in the language shown
        ref = f"{ref[:-5]} {_('step')}"
    elif best.place == "contact" and " " in ref:  # DATE CHANNEL: the channel's name shown
        day, channel = ref.split(" ", 1)
        ref = f"{day} {_(channel)}"
    return f"{_(PLACES.get(best.place, best.place))} {ref}".strip()


def _table() -> "Table[SearchHit]":
    return Table(
        "search.SearchHit",
        [
            Column("id", "ID", justify="right", no_wrap=True),
            Column("name", _("Name")),
            Column("company", _("Company"), spare=True),
            Column("grade", _("Grade"), justify="center", no_wrap=True),
            # "Where" is an appointment's place elsewhere (地点); here where a card matched, which
            # another language names apart (匹配位置): English keeps its header.
            Column("where_shown", _("Where") if language() == "en" else _("Where it matched")),
            Column("snippet", _("Found"), detail=True),
        ],
        extra={"where_shown": _where},
    )


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="TEXT...",
            help=f"Words to find (every one, anywhere on the card; at most {MAX_SEARCH} "
            "characters): part of a name, a company, a note, an address, a phone number's "
            "digits, an e-mail, a contact's summary, a promise, a complaint, a sale, an "
            "occasion, a close contact.",
            show_default=False,
        ),
    ],
    archived: Annotated[
        bool, typer.Option("--archived", help="Search archived cards instead of live ones.")
    ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Search live and archived cards.")] = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """Find cards by any word anywhere on them, best matches first, with where each matched."""
    from clientcard.domain.errors import InvalidValue
    from clientcard.services import search as searching

    # `search 年终奖 家庭` as `search "年终奖 家庭"`: a salesperson need not think of quotes.
    text = " ".join(words)
    if archived and all_:
        raise InvalidValue(_("give only one of --archived, --all"))
    listing = Listing(fmt, limit, "cards", raw=raw)
    with session(write=False) as s:
        region = settings(s).phone_region if is_phone_search(text) else None
        found = searching.search(
            s,
            text,
            archived=None if all_ else archived,
            limit=listing.ask,
            now=now(),
            **({"region": region} if region else {}),
        )
    listing.write(
        found,
        _table(),
        empty=_("No cards match."),
        footer=ngettext("{n} card", "{n} cards", len(found)).format(n=len(found)),
    )
