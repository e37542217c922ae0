"""`clientcard show CLIENT`: the page a salesperson reads before a visit.

Complaints come first (they are handled before anything else), then what was promised, what is
coming up, who is around the client, and the history. Clear at 100 columns, readable at 80:
label/value lines, then narrow tables of the few columns each section needs.
"""

from typing import TYPE_CHECKING, Any

from clientcard.cli._common import ShowFormatOption, now, session, settings
from clientcard.cli.cards import ClientArg
from clientcard.output import Column, Section, ShowFormat, write_json, write_page

if TYPE_CHECKING:
    from clientcard.services.views.page import CardPage

COMPLAINT_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("severity", "Severity", no_wrap=True),
    Column("what", "What"),
    Column("received_at", "Received", no_wrap=True),
    Column("past_target", "Past target", no_wrap=True),
]
PROMISE_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("due", "Due", no_wrap=True),
    Column("kind", "Kind", no_wrap=True),
    Column("what", "What"),
    Column("where", "Where"),
    Column("overdue", "Overdue", no_wrap=True),
]
OCCASION_COLUMNS = [
    Column("date", "On", no_wrap=True),
    Column("kind", "Occasion", no_wrap=True),
    Column("days_until", "In days", justify="right", no_wrap=True),
    Column("note", "Note"),
]
PEOPLE_COLUMNS = [
    Column("name", "Name"),
    Column("role", "Role"),
    Column("phone", "Phone", no_wrap=True),
    Column("email", "E-mail"),
    Column("note", "Note"),
]
CONTACT_COLUMNS = [
    Column("at", "When", no_wrap=True),
    Column("via", "Via", no_wrap=True),
    Column("with", "With"),
    Column("summary", "Summary"),
]
HISTORY_COLUMNS = [
    Column("changed_at", "When", no_wrap=True),
    Column("from_grade", "From", justify="center"),
    Column("to_grade", "To", justify="center"),
    Column("reason", "Why"),
]
REF_COLUMNS = [
    Column("id", "ID", justify="right"),
    Column("name", "Name"),
    Column("company", "Company"),
    Column("grade", "Grade", justify="center"),
]


def show(client: ClientArg, fmt: ShowFormatOption = ShowFormat.table) -> None:
    """Show the whole card: the page to read before a visit.

    Identity, grade and its history, value, ratings, open complaints, open promises and
    keep-rate, last and next contact, occasions, close contacts, referrals."""
    from clientcard.services.card_page import card_page

    with session(write=False) as s:
        page = card_page(s, client, now=now(), settings=settings())
    if fmt is ShowFormat.json:
        write_json(page.row())
    else:
        _write(page)


def _write(page: "CardPage") -> None:
    card = page.card
    c = card.client
    agenda = card.agenda
    assert agenda is not None
    followup = agenda.followup
    fields: list[tuple[str, Any]] = [
        ("Company", c.company),
        ("Title", c.title),
        ("Grade", f"{c.grade}: {c.grade.meaning}"),
        ("Next step", c.grade.action),
        ("Phone", c.phone),
        ("E-mail", c.email),
        ("Address", c.address),
        ("Value", page.value.describe()),
        ("Ratings", page.ratings.describe()),
        ("Last contact", followup.last_contact_at or "never"),
        ("Next follow-up", followup.describe()),
        ("Keep-rate", agenda.keep_rate.short()),
        ("Source", c.source),
        ("Referred by", c.referred_by.label() if c.referred_by else None),
        ("Tags", c.tags),
        ("Owner", c.owner),
        ("Notes", c.notes),
        ("Added", c.created_at),
        ("Updated", c.updated_at),
        ("Archived", c.archived_at),
    ]
    status = "customer" if page.value.customer else "prospect"
    referrals = [
        {"id": r.id, "name": r.name, "company": r.company, "grade": r.grade} for r in card.referrals
    ]
    write_page(
        f"#{c.id} {c.name}" + (f" · {c.company}" if c.company else "") + f" · {status}",
        fields,
        [
            Section(
                "Open complaints",
                [x.row() for x in page.complaints],
                COMPLAINT_COLUMNS,
            ),
            Section("Open promises", [p.row() for p in agenda.open_promises], PROMISE_COLUMNS),
            Section(
                "Coming occasions (60 days)",
                [o.row() for o in page.occasions],
                OCCASION_COLUMNS,
            ),
            Section("Close contacts", [p.row() for p in page.people], PEOPLE_COLUMNS),
            Section(
                "Recent contacts",
                [r.row() for r in agenda.recent_contacts],
                CONTACT_COLUMNS,
                empty="none logged yet",
            ),
            Section("Grade history", [h.row() for h in reversed(card.history)], HISTORY_COLUMNS),
            Section("Referred", referrals, REF_COLUMNS, empty="nobody yet"),
        ],
    )
