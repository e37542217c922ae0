"""`clientcard complaint add|step|resolve|set|reopen|list|show`: complaints, from receipt to the
client's satisfaction (docs/complaints.md)."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import (
    BY,
    WHEN_HELP,
    ClientArg,
    FormatOption,
    Listing,
    QuietOption,
    RawOption,
    ShowFormatOption,
    Table,
    by,
    now,
    record_id,
    session,
    settings,
    word,
)
from clientcard.domain.complaints import (
    RESPONSIBILITIES,
    SEVERITIES,
    ComplaintStatus,
    Responsibility,
    Severity,
    StepKind,
    Target,
)
from clientcard.domain.refs import record_ref
from clientcard.i18n import _
from clientcard.output import (
    Column,
    Format,
    Section,
    ShowFormat,
    human_value,
    print_line,
    write_json,
    write_page,
)
from clientcard.output.words import cause_word

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from clientcard.services.views.complaints import (
        ComplaintPage,
        ComplaintStepView,
        ComplaintView,
    )

app = typer.Typer(
    name="complaint",
    help="Complaints, from receipt to the client's satisfaction. They come first in `due`.",
    no_args_is_help=True,
)

ComplaintId = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        parser=record_id("complaint"),
        help="The complaint's id, as printed (C3) or as a number (3).",
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(metavar="WHEN", help=f"When it happened (default now); {WHEN_HELP}."),
]
CauseOption = Annotated[
    str | None,
    typer.Option(
        "--cause",
        metavar="CAUSE",
        help="Why it happened: one of the causes configured (complaint.causes: product, "
        "delivery, service, price, billing, communication, other by default).",
        show_default=False,
    ),
]
CauseNoteOption = Annotated[
    str | None,
    typer.Option(
        "--cause-note",
        metavar="TEXT",
        help="The cause in your own words: 'the carrier lost the parcel'.",
        show_default=False,
    ),
]
ResponsibleOption = Annotated[
    str | None,
    typer.Option(
        "--responsible",
        metavar="WHO",
        help=f"Who was responsible: {RESPONSIBILITIES} (default unknown).",
        show_default=False,
    ),
]


def _label(c: "ComplaintView") -> str:
    return _("{complaint} from {client}").format(
        complaint=_("complaint {ref}").format(ref=record_ref("complaint", c.id)),
        client=c.client.label(),
    )


def _next(c: "ComplaintView") -> str:
    """The next target, as a person reads it: `answer by ...`, `resolve by ...`."""
    target = c.next_target()
    if target is None:
        return ""
    when = human_value(target[1])
    if target[0] is Target.response:
        return _("answer by {when}").format(when=when)
    return _("resolve by {when}").format(when=when)


def _span(delta: "timedelta") -> str:
    """A duration in the interface's language: `1 d 6 h`, `1天6小时`."""
    from clientcard.services.said import span_said

    return span_said(delta).shown


def _late(done: "datetime", due: "datetime") -> str:
    return _("on time") if done <= due else _("late by {span}").format(span=_span(done - due))


def _pending(c: "ComplaintView", due: "datetime", verb: str, at: "datetime") -> str:
    """An open target: `resolve by ...`, or `past the target by ...: ... now`."""
    answer = verb == "answer"
    if at > due:
        late = (
            _("past the target ({target}) by {span}: answer now")
            if answer
            else _("past the target ({target}) by {span}: resolve now")
        )
        return late.format(target=human_value(due), span=_span(at - due))
    return (_("answer by {when}") if answer else _("resolve by {when}")).format(
        when=human_value(due)
    )


COMPLAINTS: "Table[ComplaintView]" = Table(
    "complaints.ComplaintView",
    [
        Column("ref", "ID", justify="right", no_wrap=True),
        Column("received_at", "Received", no_wrap=True),
        Column("client", "Client"),
        Column("severity", "Severity", no_wrap=True),
        Column("what", "What", detail=True),
        Column("status", "Status", no_wrap=True),
        Column("next", "Next target", spare=True),
        Column("past_target", "Past target", no_wrap=True, spare=True),
        Column("satisfied", "Satisfaction", justify="right", no_wrap=True, spare=True),
    ],
    extra={
        "next": _next,
        "ref": lambda c: record_ref("complaint", c.id),
        "satisfied": lambda c: f"{c.satisfaction}/5" if c.satisfaction else None,
    },
)
TIMELINE: "Table[ComplaintStepView]" = Table(
    "complaints.ComplaintStepView",
    [
        Column("at", "When", no_wrap=True),
        Column("after", "After", no_wrap=True),
        Column("kind", "Event", no_wrap=True),
        Column("text", "What", detail=True),
        Column("satisfied", "Satisfaction", justify="right", no_wrap=True, spare=True),
        BY,
    ],
    extra={
        "by": by,
        "after": lambda step: _span(step.after_receipt),
        "satisfied": lambda step: f"{step.satisfaction}/5" if step.satisfaction else None,
    },
)


@app.command("add")
def add(
    client: ClientArg,
    what: Annotated[
        str, typer.Argument(metavar="WHAT", help="What the client complains about, in their words.")
    ],
    severity: Annotated[
        str,
        typer.Option("--severity", "-s", metavar="SEVERITY", help=f"One of {SEVERITIES}."),
    ] = Severity.normal.value,
    at: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help=f"When it was received (default now); {WHEN_HELP}."),
    ] = None,
    cause: CauseOption = None,
    cause_note: CauseNoteOption = None,
    responsible: ResponsibleOption = None,
    quiet: QuietOption = False,
) -> None:
    """Record a complaint the moment it comes in; it goes to the top of `due` until resolved.

    Its cause and who was responsible can be given now or later (`resolve`, `set`)."""
    from clientcard.services import complaints

    moment = now()
    with session(write=True) as s:
        c = complaints.add_complaint(
            s,
            client,
            what,
            severity=severity,
            at=at,
            cause=cause,
            cause_note=cause_note,
            responsible=responsible,
            now=moment,
            settings=settings(s),
        )
    if quiet:
        print_line(str(c.id))
        return
    values = {
        "ref": record_ref("complaint", c.id),
        "client": c.client.label(),
        "severity": word(c.severity.value),
        "when": human_value(c.response_due),
    }
    if Target.response in c.past:
        line = _(
            "Complaint {ref} from {client}, {severity}: answer by {when} "
            "(past by {span}: answer now)"
        ).format(span=_span(moment - c.response_due), **values)
    else:
        line = _("Complaint {ref} from {client}, {severity}: answer by {when}").format(**values)
    print_line(line)


@app.command("step")
def step(
    complaint_id: ComplaintId,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="What was done: called, apologised, replaced...")
    ],
    at: AtOption = None,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            metavar="CHANNEL",
            help="Taken with the client (call, visit, email...): also logged as a contact.",
        ),
    ] = None,
) -> None:
    """Record a handling step; the first one is the first response.

    With --via, the step was taken with the client and is also a contact: the card's last
    contact and follow-up move."""
    from clientcard.services import complaints

    moment = now()
    with session(write=True) as s:
        done = complaints.add_step(
            s, complaint_id, text, at=at, via=via, now=moment, settings=settings(s)
        )
    c = done.complaint
    after = _span(done.step.after_receipt)
    if done.first_response:
        said = _("first response {after} after receipt (target {target}, {late})").format(
            after=after,
            target=c.target_text(Target.response),
            late=_late(done.step.at, c.response_due),
        )
    else:
        said = _("step {after} after receipt").format(after=after)
    line = _("Step on {complaint}: {said}; {pending}").format(
        complaint=_label(c), said=said, pending=_pending(c, c.resolve_due, "resolve", moment)
    )
    if via is not None:
        line = _("{line}; logged as a {via}").format(line=line, via=word(via.strip().lower()))
    print_line(line)


@app.command("resolve")
def resolve(
    complaint_id: ComplaintId,
    result: Annotated[str, typer.Option("--result", metavar="TEXT", help="How it was resolved.")],
    satisfaction: Annotated[
        str | None,
        typer.Option(metavar="1-5", help="How satisfied the client is now, 1 (not) to 5 (very)."),
    ] = None,
    at: AtOption = None,
    cause: CauseOption = None,
    cause_note: CauseNoteOption = None,
    responsible: ResponsibleOption = None,
) -> None:
    """Mark a complaint resolved, with the result and the client's satisfaction.

    Its cause and who was responsible can be given too, now that they are known."""
    from clientcard.services import complaints

    with session(write=True) as s:
        c = complaints.resolve(
            s,
            complaint_id,
            result=result,
            satisfaction=satisfaction,
            at=at,
            cause=cause,
            cause_note=cause_note,
            responsible=responsible,
            now=now(),
            settings=settings(s),
        )
    assert c.resolved_at is not None
    line = _("Resolved {complaint} {span} after receipt (target {target}, {late})").format(
        complaint=_label(c),
        span=_span(c.resolved_at - c.received_at),
        target=c.target_text(Target.resolution),
        late=_late(c.resolved_at, c.resolve_due),
    )
    if c.satisfaction is not None:
        line = _("{line}; satisfaction {score}/5").format(line=line, score=c.satisfaction)
    print_line(line)


@app.command("set")
def set_(
    complaint_id: ComplaintId,
    cause: CauseOption = None,
    cause_note: CauseNoteOption = None,
    responsible: ResponsibleOption = None,
) -> None:
    """Say or correct why a complaint happened and who was responsible, open or resolved.

    Only the options given change; an empty --cause or --cause-note clears it."""
    from clientcard.services import complaints

    with session(write=True) as s:
        c = complaints.set_cause(
            s,
            complaint_id,
            cause=cause,
            cause_note=cause_note,
            responsible=responsible,
            now=now(),
            settings=settings(s),
        )
    print_line(
        _("Complaint {ref} from {client}: {why}").format(
            ref=record_ref("complaint", c.id), client=c.client.label(), why=_why(c)
        )
    )


def _why(c: "ComplaintView") -> str:
    """`cause delivery (the carrier lost it), responsible: partner`."""
    cause = cause_word(c.cause) if c.cause else _("not given")
    who = word(c.responsibility.value)
    if c.cause_note:
        return _("cause {cause} ({note}), responsible: {who}").format(
            cause=cause, note=c.cause_note, who=who
        )
    return _("cause {cause}, responsible: {who}").format(cause=cause, who=who)


@app.command("reopen")
def reopen(
    complaint_id: ComplaintId,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="Why: what is still wrong.")
    ] = None,
) -> None:
    """Reopen a resolved complaint; its resolution stays in the timeline."""
    from clientcard.services import complaints

    moment = now()
    with session(write=True) as s:
        c = complaints.reopen(s, complaint_id, reason=reason, now=moment, settings=settings(s))
    print_line(
        _("Reopened {complaint}: {pending}").format(
            complaint=_label(c), pending=_pending(c, c.resolve_due, "resolve", moment)
        )
    )


@app.command("list")
def list_(
    client: Annotated[
        str | None, typer.Argument(metavar="CLIENT", help="Only this card's complaints.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all/--open", help="All complaints, or only open ones (default).")
    ] = False,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
) -> None:
    """List complaints: open ones first, most urgent first (as in `due`), then the oldest."""
    from clientcard.services import complaints

    with session(write=False) as s:
        rows = complaints.list_complaints(
            s, client, include_resolved=all_, now=now(), settings=settings(s)
        )
    empty = _("No complaints.") if all_ else _("No open complaints.")
    Listing(fmt, raw=raw).write(rows, COMPLAINTS, empty=empty)


@app.command("show")
def show(complaint_id: ComplaintId, fmt: ShowFormatOption = ShowFormat.table) -> None:
    """Show a complaint with its whole timeline: received, each step, resolved, reopened."""
    from clientcard.services import complaints

    moment = now()
    with session(write=False) as s:
        page = complaints.complaint_page(s, complaint_id, now=moment, settings=settings(s))
    if fmt is ShowFormat.json:
        write_json(page.row())
    else:
        _write_page(page, moment)


def _write_page(page: "ComplaintPage", moment: "datetime") -> None:
    c = page.complaint
    if c.first_response_at is not None:
        response = _("{when}, {span} after receipt ({late})").format(
            when=human_value(c.first_response_at),
            span=_span(c.first_response_at - c.received_at),
            late=_late(c.first_response_at, c.response_due),
        )
    elif not c.is_open:  # cancelled unanswered: nothing is pending any more
        response = _("none")
    else:
        response = _("none yet: {pending}").format(
            pending=_pending(c, c.response_due, "answer", moment)
        )
    cancelled = [s for s in page.timeline if s.kind is StepKind.cancelled]
    if c.status is ComplaintStatus.cancelled and cancelled:
        when = human_value(cancelled[-1].at)
        if cancelled[-1].text:
            resolution = _("cancelled {when} ({why}), never resolved").format(
                when=when, why=cancelled[-1].text
            )
        else:
            resolution = _("cancelled {when}, never resolved").format(when=when)
    elif c.resolved_at is not None:
        resolution = _("{when}, {span} after receipt ({late})").format(
            when=human_value(c.resolved_at),
            span=_span(c.resolved_at - c.received_at),
            late=_late(c.resolved_at, c.resolve_due),
        )
    else:
        resolution = _("open: {pending}").format(
            pending=_pending(c, c.resolve_due, "resolve", moment)
        )
    fields: list[tuple[str, object]] = [
        (_("What"), c.what),
        (
            _("Severity"),
            _("{severity} (answer within {answer}, resolve within {resolve})").format(
                severity=word(c.severity.value),
                answer=c.target_text(Target.response),
                resolve=c.target_text(Target.resolution),
            ),
        ),
        (_("Status"), word(c.status.value)),
        (_("Received"), c.received_at),
        (_("First response"), response),
        (_("Resolution"), resolution),
        (_("Result"), c.result),
        (_("Satisfaction"), f"{c.satisfaction}/5" if c.satisfaction is not None else None),
    ]
    # Why it happened, once someone said (issue 16): nothing is shown while nothing is known.
    if c.cause is not None or c.cause_note is not None:
        cause = cause_word(c.cause) if c.cause else None
        fields.append((_("Cause"), " - ".join(t for t in (cause, c.cause_note) if t)))
    if c.responsibility is not Responsibility.unknown:
        fields.append((_("Responsible"), word(c.responsibility.value)))
    write_page(
        _("Complaint {ref} from {client}").format(
            ref=record_ref("complaint", c.id), client=c.client.label()
        ),
        fields,
        [Section(_("Timeline"), TIMELINE.rows(page.timeline), TIMELINE.columns)],
    )
