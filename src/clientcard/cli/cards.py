"""The card commands: add, edit, list, show, archive, unarchive, delete."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    ClientArg,
    FormatOption,
    LimitOption,
    Listing,
    QuietOption,
    RawOption,
    Table,
    ask,
    now,
    on_a_terminal,
    run_once,
    session,
    settings,
)
from clientcard.domain.cards import MAX_SEARCH, is_phone_search
from clientcard.domain.grades import GRADE_CHOICES, Grade, parse_grade
from clientcard.domain.refs import record_ref
from clientcard.i18n import _, ngettext
from clientcard.output import Column, Format, print_line, print_warning
from clientcard.output.safe import clip, for_people

if TYPE_CHECKING:
    from clientcard.services.views import ClientView

Company = Annotated[str | None, typer.Option(help="Company or organisation.")]
Title = Annotated[str | None, typer.Option(help="Job title.")]
Address = Annotated[str | None, typer.Option(help="Postal address.")]
Source = Annotated[str | None, typer.Option(help="Where the lead came from (free text).")]
ReferredBy = Annotated[
    str | None, typer.Option("--referred-by", metavar="CLIENT", help="The card who referred them.")
]
Note = Annotated[str | None, typer.Option("--note", help="Notes on the card.")]
Owner = Annotated[str | None, typer.Option(help="Who owns the card (for teams).")]
Tags = Annotated[
    list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for more.")
]
LABELS_HELP = "mobile:, work:, home:, fax:, other: or your own word before a colon"
Phones = Annotated[
    list[str] | None,
    typer.Option(
        "--phone",
        metavar="[LABEL:]NUMBER",
        help=f"A phone, as you write it, maybe labelled ({LABELS_HELP}); repeat for more. "
        "The first is the main one.",
    ),
]
Emails = Annotated[
    list[str] | None,
    typer.Option(
        "--email",
        metavar="[LABEL:]ADDRESS",
        help="An e-mail address, maybe labelled (work:a@b.com); repeat for more. "
        "The first is the main one.",
    ),
]
EditPhones = Annotated[
    list[str] | None,
    typer.Option(
        "--phone",
        metavar="[LABEL:]NUMBER",
        help='Replace the card\'s phones with these (repeat for more; "" clears them).',
    ),
]
EditEmails = Annotated[
    list[str] | None,
    typer.Option(
        "--email",
        metavar="[LABEL:]ADDRESS",
        help='Replace the card\'s e-mail addresses with these ("" clears them).',
    ),
]
AddPhones = Annotated[
    list[str] | None,
    typer.Option(
        "--add-phone",
        metavar="[LABEL:]NUMBER",
        help="Add a phone, keeping the others (one the card has: relabelled).",
    ),
]
AddEmails = Annotated[
    list[str] | None,
    typer.Option("--add-email", metavar="[LABEL:]ADDRESS", help="Add an e-mail address."),
]
RemovePhones = Annotated[
    list[str] | None,
    typer.Option(
        "--remove-phone", metavar="NUMBER", help="Remove a phone (typed with any spacing)."
    ),
]
RemoveEmails = Annotated[
    list[str] | None,
    typer.Option("--remove-email", metavar="ADDRESS", help="Remove an e-mail address."),
]
MainPhone = Annotated[
    str | None,
    typer.Option(
        "--main-phone",
        metavar="[LABEL:]NUMBER",
        help="Make this phone the main one (added if the card lacks it).",
    ),
]
MainEmail = Annotated[
    str | None,
    typer.Option(
        "--main-email",
        metavar="[LABEL:]ADDRESS",
        help="Make this e-mail address the main one (added if the card lacks it).",
    ),
]
AllowDuplicate = Annotated[
    bool,
    typer.Option(
        "--allow-duplicate",
        help="Save even if the phone or e-mail is already on another live card.",
    ),
]

CARDS: "Table[ClientView]" = Table(
    "clients.ClientView",
    [
        Column("id", "ID", justify="right", no_wrap=True),
        Column("name", "Name"),
        Column("company", "Company"),
        Column("grade_shown", "Grade", justify="center", no_wrap=True),
        Column("in_grade", "In grade", justify="right", no_wrap=True, spare=True),
        Column("tags", "Tags", spare=True),
        Column("phone", "Phone", no_wrap=True),
        Column("updated_at", "Updated", no_wrap=True, spare=True),
    ],
    # F marked with its kind (F-new: never visited, F-slow: visited); days in grade.
    extra={
        "grade_shown": lambda v: v.grade_label,
        "in_grade": lambda v: (
            "" if v.days_in_grade is None else _("{n} d").format(n=v.days_in_grade)
        ),
    },
)
SORTS = "name, grade, updated, created, in-grade"
LIST_GRADES_HELP = "Only these grades, e.g. A,B; F-new (never visited) or F-slow (visited)."


def add(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The client's name, as you would say it.")
    ],
    company: Company = None,
    title: Title = None,
    phone: Phones = None,
    email: Emails = None,
    address: Address = None,
    grade: Annotated[
        str, typer.Option(metavar="GRADE", help=f"Grade on the A-F ladder: {GRADE_CHOICES}.")
    ] = Grade.F.value,
    tag: Tags = None,
    source: Source = None,
    referred_by: ReferredBy = None,
    note: Note = None,
    owner: Owner = None,
    allow_duplicate: AllowDuplicate = False,
    quiet: QuietOption = False,
) -> None:
    """Add a card for a client or prospect. Prints its id and a summary.

    A phone or e-mail already on a live card is refused (naming it) unless --allow-duplicate;
    a name already in the book is added with a warning on stderr."""
    from clientcard.services import clients

    fields = clients.CardFields(
        name=name,
        company=company,
        title=title,
        phones=phone,
        emails=email,
        address=address,
        grade=parse_grade(grade),  # any case, like `grade` and `list --grade`
        tags=tag or [],
        source=source,
        referred_by=referred_by,
        notes=note,
        owner=owner,
    )
    with session(write=True) as s:
        added = clients.add_client(
            s, fields, now=now(), settings=settings(s), allow_duplicate=allow_duplicate
        )
    for warning in added.warnings:
        print_warning(warning)
    print_line(str(added.card.id) if quiet else _("Added {card}").format(card=added.card.summary()))


def edit(
    client: ClientArg,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    company: Company = None,
    title: Title = None,
    phone: EditPhones = None,
    add_phone: AddPhones = None,
    remove_phone: RemovePhones = None,
    main_phone: MainPhone = None,
    email: EditEmails = None,
    add_email: AddEmails = None,
    remove_email: RemoveEmails = None,
    main_email: MainEmail = None,
    address: Address = None,
    tag: Tags = None,
    remove_tag: Annotated[
        list[str] | None, typer.Option("--remove-tag", metavar="TAG", help="Remove a tag.")
    ] = None,
    source: Source = None,
    referred_by: ReferredBy = None,
    note: Note = None,
    owner: Owner = None,
    allow_duplicate: AllowDuplicate = False,
) -> None:
    """Change fields of a card. An empty value ("") clears a field. Grades change with `grade`.

    --phone replaces the card's phones (--add-phone keeps them; a number dropped is named on
    stderr); the first is the main one. Values the card already has change nothing
    ("Unchanged"). A new phone or e-mail already on another live card is refused unless
    --allow-duplicate."""
    from clientcard.services import clients

    fields = clients.CardFields(
        name=name,
        company=company,
        title=title,
        phones=phone,
        emails=email,
        add_phones=add_phone or [],
        add_emails=add_email or [],
        remove_phones=remove_phone or [],
        remove_emails=remove_email or [],
        main_phone=main_phone,
        main_email=main_email,
        address=address,
        tags=tag or [],
        remove_tags=remove_tag or [],
        source=source,
        referred_by=referred_by,
        notes=note,
        owner=owner,
    )
    if fields == clients.CardFields():
        raise typer.BadParameter(
            _("nothing to change; give at least one option"), param_hint="edit"
        )
    with session(write=True) as s:
        edited = clients.edit_client(
            s,
            client,
            fields,
            now=now(),
            settings=settings(s),
            allow_duplicate=allow_duplicate,
        )
    for warning in edited.warnings:
        print_warning(warning)
    if edited.changed:
        print_line(_("Updated {card}").format(card=edited.card.summary()))
    else:
        print_line(
            _("Unchanged {card}: the card already has every value given").format(
                card=edited.card.summary()
            )
        )


def list_(
    grade: Annotated[
        str | None, typer.Option("--grade", metavar="GRADES", help=LIST_GRADES_HELP)
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only cards with this tag (repeatable).")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Words anywhere on the card: its fields, phones, e-mails, contacts, promises, "
            "complaints, sales, occasions, close contacts (every word; at most "
            f"{MAX_SEARCH} characters). `search` ranks them.",
        ),
    ] = None,
    archived: Annotated[
        bool, typer.Option(help="List archived cards instead of live ones.")
    ] = False,
    customers: Annotated[
        bool, typer.Option("--customers", help="Only customers: cards with a sale recorded.")
    ] = False,
    prospects: Annotated[
        bool, typer.Option("--prospects", help="Only prospects: cards without a sale.")
    ] = False,
    credit: Annotated[
        str | None,
        typer.Option(
            metavar="good|fair|poor", help="Only this credit rating, e.g. poor or fair,poor."
        ),
    ] = None,
    min_loyalty: Annotated[
        str | None, typer.Option(metavar="1-5", help="Only cards rated at least this loyal.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            metavar="NAME|me|none",
            help="Only this owner's cards (any case); me: yours; none: the pool's (unowned).",
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            metavar="name|grade|updated|created|in-grade",
            help="The order; in-grade: the longest held grade first.",
        ),
    ] = "name",
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List cards (live ones unless --archived)."""
    from clientcard.domain.errors import InvalidValue
    from clientcard.domain.grades import parse_grade_filter
    from clientcard.services import clients, ratings

    if customers and prospects:
        raise InvalidValue(_("give only one of --customers, --prospects"))
    try:
        sort_key = clients.SortKey(sort)
    except ValueError:
        raise typer.BadParameter(
            _("{value} is not one of {choices}").format(value=repr(sort), choices=SORTS),
            param_hint="'--sort'",
        ) from None
    listing = Listing(fmt, limit, "cards", raw=raw)
    flt = clients.ClientFilter(
        grades=parse_grade_filter(grade) if grade else (),
        tags=tag or [],
        search=search,
        archived=archived,
        sort=sort_key,
        limit=listing.ask,
        customer=True if customers else (False if prospects else None),
        credit=[c.value for c in ratings.parse_credits(credit)] if credit is not None else (),
        min_loyalty=ratings.parse_score("--min-loyalty", min_loyalty)
        if min_loyalty is not None
        else None,
        owner=owner,
        now=now(),
    )
    with session(write=False) as s:
        if search and is_phone_search(search):
            # A number searched for is read in the phone.region setting (read only then).
            flt.phone_region = settings(s).phone_region
        found = clients.list_clients(s, flt)
        why = None
        if not found and owner is not None and not flt.archived:
            from clientcard.services.owners import nobody_owns

            why = nobody_owns(s, owner)
    listing.write(
        found,
        CARDS,
        empty=for_people(why) + "." if why else _empty_list_message(flt.archived),
        footer=ngettext("{n} card", "{n} cards", len(found)).format(n=len(found)),
    )


def _empty_list_message(archived: bool) -> str:
    if archived:
        return _("No archived cards match.")
    return _('No cards match. Add one with: clientcard add "Name" --company "Company"')


def archive(
    client: ClientArg,
    cancel_open: Annotated[
        bool,
        typer.Option(
            "--cancel-open",
            help="Cancel what is still open on the card (promises, as cancelled by you; "
            'complaints; a thank-you), with the reason "archived".',
        ),
    ] = False,
) -> None:
    """Archive a card: hidden from listings and the agenda, kept with its history.

    Refused while the card has open promises, open complaints or a pending thank-you (they are
    listed), unless --cancel-open."""
    from clientcard.services import archive

    with session(write=True) as s:
        done = archive.archive_client(
            s, client, cancel_open=cancel_open, now=now(), settings=settings(s)
        )
    cancelled = []
    if done.promises:
        ids = ", ".join(record_ref("promise", i) for i in done.promises)
        cancelled.append(
            ngettext(
                "promise {ids} (by you: counted against your keep-rate)",
                "promises {ids} (by you: counted against your keep-rate)",
                len(done.promises),
            ).format(ids=ids)
        )
    if done.complaints:
        ids = ", ".join(record_ref("complaint", i) for i in done.complaints)
        cancelled.append(
            ngettext("complaint {ids}", "complaints {ids}", len(done.complaints)).format(ids=ids)
        )
    if done.thanks:
        cancelled.append(_("the pending thank-you"))
    card = done.card.summary()
    if cancelled:
        print_line(
            _("Archived {card}; cancelled {records}").format(
                card=card, records=", ".join(cancelled)
            )
        )
    else:
        print_line(_("Archived {card}").format(card=card))


def unarchive(client: ClientArg) -> None:
    """Bring an archived card back."""
    from clientcard.services import archive

    with session(write=True) as s:
        card = archive.unarchive_client(s, client, now=now())
    print_line(_("Unarchived {card}").format(card=card.summary()))


def delete(
    client: ClientArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm: delete for good.")] = False,
) -> None:
    """Delete a card and all its history for good. Needs --yes (asks only on a terminal)."""
    from clientcard.services import archive

    if not yes and on_a_terminal():
        yes = ask(
            for_people(
                _("Delete the card {client} and all its history for good?").format(
                    client=repr(clip(client))
                )
            )
        )
        run_once()
    with session(write=True) as s:
        card = archive.delete_client(s, client, confirmed=yes, now=now(), settings=settings(s))
    print_line(_("Deleted {card}").format(card=card.summary()))
