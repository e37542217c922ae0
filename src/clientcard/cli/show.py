"""`clientcard show CLIENT`: the page a salesperson reads before a visit.

Complaints come first (they are handled before anything else), then what was promised, what is
coming up, who is around the client, and the history. Clear at 100 columns, readable at 80:
label/value lines, then narrow tables of the few columns each section needs.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clientcard.cli._common import (
    BY,
    GRADE_HISTORY,
    ClientArg,
    ShowFormatOption,
    Table,
    by,
    now,
    session,
    settings,
)
from clientcard.domain.refs import record_ref
from clientcard.i18n import _, ngettext
from clientcard.output import Column, Section, ShowFormat, human_value, write_json, write_page
from clientcard.output.words import word

if TYPE_CHECKING:
    from clientcard.services.views import ClientRef, ContactView, PromiseView
    from clientcard.services.views.complaints import ComplaintView
    from clientcard.services.views.occasions import HolidayGreetingView, OccasionView
    from clientcard.services.views.owners import HandoverView
    from clientcard.services.views.page import CardPage
    from clientcard.services.views.people import PersonView
    from clientcard.services.views.sales import SaleView

# The page's sections: each one's view and the few columns it needs.
COMPLAINTS: "Table[ComplaintView]" = Table(
    "complaints.ComplaintView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("severity", "Severity", no_wrap=True),
        Column("what", "What", detail=True),
        Column("received_at", "Received", no_wrap=True),
        Column("past_target", "Past target", no_wrap=True, spare=True),
    ],
    extra={"ref": lambda c: record_ref("complaint", c.id)},
)
# Issue 12: the last resolved complaints, with how each ended (the count is in the head lines).
RESOLVED_SHOWN = 3
RESOLVED: "Table[ComplaintView]" = Table(
    "complaints.ComplaintView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("resolved_day", "Resolved", no_wrap=True),
        Column("what", "What", detail=True),
        Column("result", "Result", spare=True),
        Column("satisfied", "Satisfied", no_wrap=True, spare=True),
    ],
    extra={
        "ref": lambda c: record_ref("complaint", c.id),
        "resolved_day": lambda c: c.resolved_at.date() if c.resolved_at else None,
        "result": lambda c: c.result,  # not a key of the complaint listings
        "satisfied": lambda c: f"{c.satisfaction}/5" if c.satisfaction else None,
    },
)
# Issue 12: the recent sales (their count and total are in the head lines).
SALES: "Table[SaleView]" = Table(
    "sales.SaleView",
    [
        Column("sold_at", "Sold", no_wrap=True),
        Column("amount_text", "Amount", justify="right", no_wrap=True),
        Column("what", "What", detail=True),
        BY,
    ],
    extra={"amount_text": lambda s: s.money, "by": by},
)
PROMISES: "Table[PromiseView]" = Table(
    "promises.PromiseView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("due", "Due", no_wrap=True),
        Column("kind", "Kind", no_wrap=True),
        Column("what", "What", detail=True),
        Column("where", "Where", spare=True),
        Column("overdue", "Overdue", no_wrap=True, spare=True),
        Column("confirmation", "Confirmation", spare=True),
    ],
    extra={
        "confirmation": lambda p: p.confirmation(),
        "ref": lambda p: record_ref("promise", p.id),
    },
)
# Holidays the card will be greeted for come in this section too, with an occasion's keys.
OCCASIONS: "Table[OccasionView]" = Table(
    "occasions.OccasionView",
    [
        Column("date", "On", no_wrap=True),
        Column("kind", "Occasion", no_wrap=True),
        Column("days_until", "In days", justify="right", no_wrap=True),
        Column("note", "Note", detail=True),
    ],
)


def _occasion_row(o: "OccasionView | HolidayGreetingView") -> dict[str, object]:
    """A coming occasion's row; a lunar one says its lunar date: `birthday 农历八月十五`."""
    row = o.row()
    row["kind"] = word(str(row["kind"]))
    day = getattr(o, "day", None)
    if day is not None and day.lunar:
        row["kind"] = f"{row['kind']} {day.label()}"
    return row


PEOPLE: "Table[PersonView]" = Table(
    "people.PersonView",
    [
        Column("name", "Name"),
        Column("role", "Role", detail=True),
        Column("phone", "Phone", no_wrap=True),
        Column("email", "E-mail", no_wrap=True, spare=True),
        Column("note", "Note", spare=True),
    ],
)
CONTACTS: "Table[ContactView]" = Table(
    "contacts.ContactView",
    [
        Column("at", "When", no_wrap=True),
        Column("via", "Via", no_wrap=True),
        Column("with", "With", spare=True),
        Column("summary", "Summary", detail=True),
        Column("from", "From", no_wrap=True, spare=True),
        BY,
    ],
    extra={"from": lambda contact: contact.came_from, "by": by},
)
# Issue 17: the card's changes of hands, newest first.
HANDOVERS: "Table[HandoverView]" = Table(
    "owners.HandoverView",
    [
        Column("at", "When", no_wrap=True),
        Column("moves", "From → to"),
        Column("reason", "Why", detail=True),
        Column("by", "By", spare=True),
    ],
    extra={"moves": lambda h: h.moves, "by": lambda h: h.by},
)
REFERRALS: "Table[ClientRef]" = Table(
    "clients.ClientRef",
    [
        Column("id", "ID", justify="right"),
        Column("name", "Name"),
        Column("company", "Company"),
        Column("grade", "Grade", justify="center"),
    ],
)


def show(client: ClientArg, fmt: ShowFormatOption = ShowFormat.table) -> None:
    """Show the whole card: the page to read before a visit.

    Identity, grade and its history, value, ratings, open and resolved complaints, open promises
    and keep-rate, last and next contact, occasions, close contacts, recent sales and contacts,
    grade history, handovers, referrals."""
    from clientcard.services.card_page import card_page

    with session(write=False) as s:
        page = card_page(s, client, now=now(), settings=settings(s))
    if fmt is ShowFormat.json:
        write_json(page.row())
    else:
        _write(page)


def _labelled(field: str, entries: Sequence[tuple[str | None, str]]) -> list[tuple[str, str]]:
    """Every phone (e-mail address) of a card, one a line, the main one first: `138 0013 8000
    (mobile)`; the field's name on the first line only."""
    return [
        (field if i == 0 else "", f"{value} ({label})" if label else value)
        for i, (label, value) in enumerate(entries)
    ]


def _write(page: "CardPage") -> None:
    from clientcard.services.card_page import OCCASIONS_AHEAD_DAYS

    card = page.card
    c = card.client
    agenda = card.agenda
    assert agenda is not None
    followup = agenda.followup
    fields: list[tuple[str, Any]] = [
        (_("Company"), c.company),
        (_("Title"), c.title),
        (_("Grade"), _("{grade}: {meaning}").format(grade=c.grade_label, meaning=c.grade_meaning)),
        (_("In grade"), c.time_in_grade()),
        (_("Next step"), c.grade_action),
        *_labelled(_("Phone"), c.phones),
        *_labelled(_("E-mail"), c.emails),
        (_("Address"), c.address),
        (_("Value"), page.value.describe()),
        (_("Ratings"), page.ratings.describe()),
        (_("Complaints"), _complaints(page)),
        (_("Sales"), _sales(page)),
        (_("Last contact"), followup.last_contact_at or _("never")),
        (_("Next follow-up"), followup.describe()),
        (_("Keep-rate"), agenda.keep_rate.short()),
        (_("Source"), c.source),
        (_("Referred by"), c.referred_by.label() if c.referred_by else None),
        (_("Tags"), c.tags),
        (_("Owner"), c.owner),
        (_("Notes"), c.notes),
        (_("Added"), _by(c.created_at, c.created_by)),
        (_("Merged in"), ", ".join(m.describe() for m in page.merged) or None),
        (_("Updated"), _by(c.updated_at, c.updated_by)),
        (_("Archived"), c.archived_at),
    ]
    status = _("customer") if page.value.customer else _("prospect")
    write_page(
        f"#{c.id} {c.name}" + (f" · {c.company}" if c.company else "") + f" · {status}",
        fields,
        [
            Section(_("Open complaints"), COMPLAINTS.rows(page.complaints), COMPLAINTS.columns),
            Section(
                _("Resolved complaints"),
                RESOLVED.rows(page.resolved_complaints[:RESOLVED_SHOWN]),
                RESOLVED.columns,
            ),
            Section(_("Open promises"), PROMISES.rows(agenda.open_promises), PROMISES.columns),
            Section(
                _("Coming occasions ({days} days)").format(days=OCCASIONS_AHEAD_DAYS),
                [_occasion_row(o) for o in page.occasions],
                OCCASIONS.columns,
            ),
            Section(_("Close contacts"), PEOPLE.rows(page.people), PEOPLE.columns),
            Section(_("Recent sales"), SALES.rows(page.recent_sales), SALES.columns),
            Section(
                _("Recent contacts"),
                CONTACTS.rows(agenda.recent_contacts),
                CONTACTS.columns,
                empty=_("none logged yet"),
            ),
            Section(
                _("Grade history"), GRADE_HISTORY.rows(card.history[::-1]), GRADE_HISTORY.columns
            ),
            # Only on a card that changed hands (a card of one person's book never does).
            *(
                [Section(_("Handovers"), HANDOVERS.rows(page.handovers[::-1]), HANDOVERS.columns)]
                if page.handovers
                else []
            ),
            Section(
                _("Referred"),
                REFERRALS.rows(card.referrals),
                REFERRALS.columns,
                empty=_("nobody yet"),
            ),
        ],
    )


def _complaints(page: "CardPage") -> str | None:
    """`1 open, 2 resolved (the last 3 below)`; nothing for a card that never had one."""
    opened, resolved = len(page.complaints), len(page.resolved_complaints)
    if not opened and not resolved:
        return None
    said = _("{open} open, {resolved} resolved").format(open=opened, resolved=resolved)
    if resolved > RESOLVED_SHOWN:
        said = _("{said} (the last {n} below)").format(said=said, n=RESOLVED_SHOWN)
    return said


def _sales(page: "CardPage") -> str | None:
    """`3 sales, 62,000.00 CNY in all (the last 5 below)`; nothing for a prospect."""
    from clientcard.domain.money import format_money

    value = page.value
    if not value.sales:
        return None
    said = ngettext("{n} sale, {total} in all", "{n} sales, {total} in all", value.sales).format(
        n=value.sales, total=format_money(value.total_minor, value.currency)
    )
    shown = len(page.recent_sales)
    if value.sales > shown:
        said = _("{said} (the last {n} below)").format(said=said, n=shown)
    return said


def _by(at: Any, who: str | None) -> str:
    """`2026-11-20 09:00 by li`: when and by whom a card was added or changed."""
    return _("{when} by {who}").format(when=human_value(at), who=who or _("unknown"))
