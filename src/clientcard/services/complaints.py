"""Complaints, from receipt to the client's satisfaction: add, step, resolve, reopen, list,
show, their items in `due`, and the open ones on a card's page.

The Complaint row holds the current state; every change is also a ComplaintStep (received,
step, resolved, reopened), so the whole timeline is kept: reopening clears the resolution on the
row, never the `resolved` step. The rules (severities, targets) are in domain/complaints.py.
"""

from dataclasses import dataclass
from datetime import datetime

from clientcard.domain.agenda import ContactSource, ItemKind, urgency
from clientcard.domain.cards import clean_text
from clientcard.domain.complaints import (
    ComplaintStatus,
    Responsibility,
    Severity,
    StepKind,
    Target,
    counts_working_hours,
    parse_cause,
    parse_responsibility,
    parse_satisfaction,
    parse_severity,
    past_targets,
    resolve_due,
    response_due,
    target_hours,
)
from clientcard.domain.dates import local_date, zone_of
from clientcard.domain.errors import InvalidValue, NotFound, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.refs import record_ref
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.lookup import resolve_client
from clientcard.services.said import Said, said, span_said
from clientcard.services.schedule import human_moment, parse
from clientcard.services.touches import parse_channel, record_contact
from clientcard.services.views import ClientRef, DueItem
from clientcard.services.views.complaints import ComplaintPage, ComplaintStepView, ComplaintView
from clientcard.store.db import Db, columns
from clientcard.store.records import Client, Complaint, ComplaintStep
from clientcard.store.where import Where

# The `due` flags for each target a complaint is past.
PAST_FLAGS = {Target.response: "past_response_target", Target.resolution: "past_resolve_target"}
# Complaints with their cards: the select list and join of every listing.
WITH_CLIENT = (
    f"SELECT {columns(Complaint, 'm')}, {columns(Client, 'c')} "
    "FROM complaint m JOIN client c ON c.id = m.client_id"
)


@dataclass(frozen=True)
class Stepped:
    """A handling step recorded; `first_response` when it was the complaint's first."""

    complaint: ComplaintView
    step: ComplaintStepView
    first_response: bool


def view_of(
    complaint: Complaint, client: Client, *, now: datetime, settings: Settings
) -> ComplaintView:
    assert complaint.id is not None
    severity = Severity(complaint.severity)
    status = ComplaintStatus(complaint.status)
    tz = zone_of(now)
    response_hours, resolve_hours = target_hours(severity, settings)
    return ComplaintView(
        id=complaint.id,
        client=ClientRef.of(client),
        what=complaint.what,
        severity=severity,
        status=status,
        received_at=complaint.received_at,
        first_response_at=complaint.first_response_at,
        resolved_at=complaint.resolved_at,
        result=complaint.result,
        satisfaction=complaint.satisfaction,
        response_due=response_due(complaint.received_at, severity, settings, tz),
        resolve_due=resolve_due(complaint.received_at, severity, settings, tz),
        past=tuple(
            past_targets(
                received_at=complaint.received_at,
                severity=severity,
                first_response_at=complaint.first_response_at,
                resolved=status is not ComplaintStatus.open,  # resolved or cancelled
                now=now,
                settings=settings,
            )
        ),
        response_hours=response_hours,
        resolve_hours=resolve_hours,
        working_hours=counts_working_hours(severity, settings),
        cause=complaint.cause,
        cause_note=complaint.cause_note,
        responsibility=Responsibility(complaint.responsibility),
        author=complaint.author,
    )


def _step_view(step: ComplaintStep, complaint: Complaint) -> ComplaintStepView:
    return ComplaintStepView(
        kind=StepKind(step.kind),
        at=step.at,
        after_receipt=step.at - complaint.received_at,
        text=step.text,
        satisfaction=step.satisfaction,
        author=step.author,
    )


# ---- helpers -------------------------------------------------------------------------------


def _short_moment(moment: datetime, now: datetime) -> str:
    """`13:00` when it falls today (local time), else `2026-11-22 09:00`."""
    tz = zone_of(now)
    if local_date(moment, tz) == local_date(now, tz):
        return moment.astimezone(tz).strftime("%H:%M")
    return human_moment(moment, now)


def _get(db: Db, complaint_id: int) -> tuple[Complaint, Client]:
    """The complaint a command changes, and its card, both locked (`Db.lock`) and read as
    they are now. (`complaint show` reads through it too: a lock is nothing on a read.)"""
    complaint = db.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(
            _("no complaint {ref}; see `clientcard complaint list --all`").format(
                ref=record_ref("complaint", complaint_id)
            )
        )
    client = db.get(Client, complaint.client_id)
    assert client is not None
    db.lock(client)  # the card first, as every command that changes a card's records
    db.lock(complaint)
    return complaint, client


def _steps(db: Db, complaint: Complaint) -> list[ComplaintStep]:
    return db.select(ComplaintStep, "WHERE complaint_id = :id ORDER BY at, id", id=complaint.id)


def _add_step(
    db: Db,
    complaint: Complaint,
    kind: StepKind,
    at: datetime,
    text: str | None = None,
    satisfaction: int | None = None,
) -> ComplaintStep:
    assert complaint.id is not None
    step = ComplaintStep(
        complaint_id=complaint.id,
        kind=kind.value,
        at=at,
        text=text,
        satisfaction=satisfaction,
        author=db.author(),
    )
    return db.insert(step)


def _moment(
    text: str | None,
    option: str,
    *,
    now: datetime,
    settings: Settings,
    not_before: tuple[datetime, str] | None = None,
) -> datetime:
    """A moment that already happened (default now), and not before `not_before` (the moment
    and what happened then, for the message)."""
    if text is None:
        moment = now
    else:
        moment = parse(text, now, settings, past=True).start
        if moment > now:
            raise InvalidValue(
                _("{option} {text} is in the future; it must be now or earlier").format(
                    option=option, text=repr(text)
                )
            )
    if not_before is not None and moment < not_before[0]:
        earliest, event = not_before
        shown = text if text is not None else _("now")
        raise InvalidValue(
            _("{option} {shown} is before {event} ({human_moment})").format(
                option=option,
                shown=repr(shown),
                event=_(event),
                human_moment=human_moment(earliest, now),
            )
        )
    return moment


def _required(value: str | None, field: str, message: str) -> str:
    cleaned = clean_text(value, field)
    if cleaned is None:
        raise InvalidValue(message)
    return cleaned


# What a resolution cannot come before: the last entry of the timeline, as the message says it.
AFTER = {
    StepKind.received: N_("the complaint was received"),
    StepKind.step: N_("its last step"),
    StepKind.reopened: N_("the complaint was reopened"),
}


# ---- actions -------------------------------------------------------------------------------


def add_complaint(
    db: Db,
    ref: str,
    what: str,
    *,
    severity: str = Severity.normal.value,
    at: str | None = None,
    cause: str | None = None,
    cause_note: str | None = None,
    responsible: str | None = None,
    now: datetime,
    settings: Settings,
) -> ComplaintView:
    """Record a complaint received at `at` (default now, never in the future), with its cause
    and who was responsible when they are known already."""
    text = _required(
        what, "what", _("say what the complaint is, e.g. 'the delivery came three days late'")
    )
    level = parse_severity(severity)
    why = _Why.parse(cause, cause_note, responsible, settings)
    received = _moment(at, "--at", now=now, settings=settings)
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(
            _("#{id} {name} is archived; unarchive it first").format(id=client.id, name=client.name)
        )
    assert client.id is not None
    complaint = Complaint(
        author=db.author(),
        client_id=client.id,
        what=text,
        severity=level.value,
        status=ComplaintStatus.open.value,
        received_at=received,
        responsibility=Responsibility.unknown.value,
    )
    why.apply(complaint)
    db.insert(complaint)
    _add_step(db, complaint, StepKind.received, received, text)
    return view_of(complaint, client, now=now, settings=settings)


def add_step(
    db: Db,
    complaint_id: int,
    text: str,
    *,
    at: str | None = None,
    via: str | None = None,
    now: datetime,
    settings: Settings,
) -> Stepped:
    """A handling step (called, apologised, replaced...) on an open complaint. The earliest
    step is the first response. Taken with the client (`via` a call, visit, e-mail...), it is
    also a contact at the step's time (services/touches.py)."""
    cleaned = _required(text, "text", _("say what was done, e.g. 'called and apologised'"))
    channel = parse_channel(via) if via is not None else None
    complaint, client = _get(db, complaint_id)
    _refuse_cancelled(complaint)
    if complaint.status != ComplaintStatus.open:
        raise Refused(
            _(
                "complaint {ref} is resolved; reopen it first (`clientcard complaint reopen {ref}`)"
            ).format(ref=record_ref("complaint", complaint_id))
        )
    reopens = [s.at for s in _steps(db, complaint) if s.kind == StepKind.reopened]
    since = (
        (max(reopens), N_("the complaint was reopened"))
        if reopens
        else (complaint.received_at, N_("the complaint was received"))
    )
    moment = _moment(at, "--at", now=now, settings=settings, not_before=since)
    first = complaint.first_response_at is None or moment < complaint.first_response_at
    if first:
        complaint.first_response_at = moment
        db.update(complaint, "first_response_at")
    step = _add_step(db, complaint, StepKind.step, moment, cleaned)
    if channel is not None:
        record_contact(
            db,
            client,
            at=moment,
            via=channel,
            summary=cleaned,
            source=ContactSource.complaint,
            source_id=complaint.id,
            greeting=False,
            now=now,
            settings=settings,
        )
    return Stepped(
        view_of(complaint, client, now=now, settings=settings),
        _step_view(step, complaint),
        first,
    )


def resolve(
    db: Db,
    complaint_id: int,
    *,
    result: str,
    satisfaction: str | None = None,
    at: str | None = None,
    cause: str | None = None,
    cause_note: str | None = None,
    responsible: str | None = None,
    now: datetime,
    settings: Settings,
) -> ComplaintView:
    """Resolved, with how and (if asked) how satisfied the client is, 1-5, and (if given) its
    cause and who was responsible: by now they are usually known. Not before the last entry of
    its timeline. A complaint resolved without a step before has its first response then:
    settling it is answering it."""
    outcome = _required(
        result, "result", _("say how it was resolved, e.g. --result 'replaced the unit'")
    )
    score = parse_satisfaction(satisfaction)
    why = _Why.parse(cause, cause_note, responsible, settings)
    complaint, client = _get(db, complaint_id)
    _refuse_cancelled(complaint)
    if complaint.status != ComplaintStatus.open:
        resolved = human_moment(complaint.resolved_at or now, now)
        raise Refused(
            _("complaint {ref} is already resolved ({resolved})").format(
                ref=record_ref("complaint", complaint_id), resolved=resolved
            )
        )
    last = _steps(db, complaint)[-1]
    moment = _moment(
        at, "--at", now=now, settings=settings, not_before=(last.at, AFTER[StepKind(last.kind)])
    )
    complaint.status = ComplaintStatus.resolved.value
    complaint.resolved_at = moment
    complaint.result = outcome
    complaint.satisfaction = score
    if complaint.first_response_at is None:
        complaint.first_response_at = moment
    db.update(complaint, "status", "resolved_at", "result", "satisfaction", "first_response_at")
    why.save(db, complaint)
    _add_step(db, complaint, StepKind.resolved, moment, outcome, score)
    return view_of(complaint, client, now=now, settings=settings)


class _Why:
    """The cause, its note and who was responsible, as typed: None for what was not given (left
    as it is); an empty cause or note clears it."""

    __slots__ = ("cause", "note", "responsibility")

    def __init__(
        self, cause: str | None, note: str | None, responsibility: Responsibility | None
    ) -> None:
        self.cause = cause
        self.note = note
        self.responsibility = responsibility

    @classmethod
    def parse(
        cls,
        cause: str | None,
        note: str | None,
        responsible: str | None,
        settings: Settings,
    ) -> "_Why":
        return cls(
            None if cause is None else (parse_cause(cause, settings) or ""),
            None if note is None else (clean_text(note, "cause note") or ""),
            None if responsible is None else parse_responsibility(responsible),
        )

    @property
    def given(self) -> bool:
        return (self.cause, self.note, self.responsibility) != (None, None, None)

    def apply(self, complaint: Complaint) -> list[str]:
        """Set what was given on the row; the names of the columns changed."""
        changed = []
        if self.cause is not None:
            complaint.cause = self.cause or None
            changed.append("cause")
        if self.note is not None:
            complaint.cause_note = self.note or None
            changed.append("cause_note")
        if self.responsibility is not None:
            complaint.responsibility = self.responsibility.value
            changed.append("responsibility")
        return changed

    def save(self, db: Db, complaint: Complaint) -> None:
        changed = self.apply(complaint)
        if changed:
            db.update(complaint, *changed)


def set_cause(
    db: Db,
    complaint_id: int,
    *,
    cause: str | None = None,
    cause_note: str | None = None,
    responsible: str | None = None,
    now: datetime,
    settings: Settings,
) -> ComplaintView:
    """Say (or correct) why a complaint happened and who was responsible, whatever its status:
    a cause is often found after the resolution. Only what is given changes; an empty cause or
    note clears it."""
    why = _Why.parse(cause, cause_note, responsible, settings)
    if not why.given:
        raise InvalidValue(
            _(
                "say what to set: --cause, --cause-note and/or --responsible (e.g. --cause "
                "delivery --responsible partner)"
            )
        )
    complaint, client = _get(db, complaint_id)
    why.save(db, complaint)
    return view_of(complaint, client, now=now, settings=settings)


def reopen(
    db: Db,
    complaint_id: int,
    *,
    reason: str | None = None,
    now: datetime,
    settings: Settings,
) -> ComplaintView:
    """Open a resolved complaint again (the client is not satisfied after all). The row loses
    its resolution; the `resolved` step stays in the timeline, followed by `reopened`. Its
    targets still count from the receipt."""
    complaint, client = _get(db, complaint_id)
    _refuse_cancelled(complaint)
    if complaint.status != ComplaintStatus.resolved:
        raise Refused(
            _("complaint {ref} is open; only a resolved complaint is reopened").format(
                ref=record_ref("complaint", complaint_id)
            )
        )
    complaint.status = ComplaintStatus.open.value
    complaint.resolved_at = None
    complaint.result = None
    complaint.satisfaction = None
    db.update(complaint, "status", "resolved_at", "result", "satisfaction")
    _add_step(db, complaint, StepKind.reopened, now, clean_text(reason, "reason"))
    return view_of(complaint, client, now=now, settings=settings)


def _refuse_cancelled(complaint: Complaint) -> None:
    """A cancelled complaint is closed for good: no step, resolution or reopening."""
    if complaint.status == ComplaintStatus.cancelled:
        raise Refused(
            _(
                "complaint {ref} was cancelled when its card was archived; if the client "
                "still complains, record it again with `clientcard complaint add`"
            ).format(ref=record_ref("complaint", complaint.id))
        )


def cancel_open(db: Db, client: Client, *, reason: str, now: datetime) -> list[int]:
    """Cancel every open complaint of a card (`archive --cancel-open`): status `cancelled`, and a
    `cancelled` entry in the timeline with the reason. Their ids, oldest first."""
    rows = db.select(
        Complaint,
        "WHERE client_id = :client_id AND status = :open ORDER BY received_at, id",
        client_id=client.id,
        open=ComplaintStatus.open,
    )
    for complaint in rows:
        complaint.status = ComplaintStatus.cancelled.value
        db.update(complaint, "status")
        _add_step(db, complaint, StepKind.cancelled, now, reason)
    return [c.id for c in rows if c.id is not None]


# ---- reading -------------------------------------------------------------------------------


def _urgency(view: ComplaintView, now: datetime) -> int:
    """The complaint's urgency in `due` (before the client's value bonus)."""
    tz = zone_of(now)
    target = view.next_target()
    assert target is not None
    due = target[1]
    overdue = now > due
    days = (local_date(now, tz) - local_date(due, tz)).days if overdue else 0
    return urgency(
        ItemKind.complaint,
        view.client.grade,
        overdue=overdue,
        overdue_days=days,
        severity=view.severity.value,
    )


def _ordered(views: list[ComplaintView], now: datetime) -> list[ComplaintView]:
    """Open ones first, most urgent first as `due` ranks them (past target, then severity,
    grade, days late), then oldest first; then the resolved ones, oldest first."""

    def key(v: ComplaintView) -> tuple[int, datetime, int]:
        return (-_urgency(v, now) if v.is_open else 0, v.received_at, v.id)

    return sorted(views, key=key)


def list_complaints(
    db: Db,
    ref: str | None = None,
    *,
    include_resolved: bool = False,
    now: datetime,
    settings: Settings,
) -> list[ComplaintView]:
    """Complaints (open ones unless include_resolved) of one card or of everyone."""
    where = Where()
    if ref is not None:
        where.add("m.client_id = :client_id", client_id=resolve_client(db, ref).id)
    if not include_resolved:
        where.add("m.status = :open", open=ComplaintStatus.open)
    rows = db.pairs(Complaint, Client, f"{WITH_CLIENT} {where}", **where.params)
    views = [view_of(c, client, now=now, settings=settings) for c, client in rows]
    return _ordered(views, now)


def open_complaints(
    db: Db, client: Client, *, now: datetime, settings: Settings
) -> list[ComplaintView]:
    """The open complaints of one card, most urgent first (for its page)."""
    rows = db.select(
        Complaint,
        "WHERE client_id = :client_id AND status = :open",
        client_id=client.id,
        open=ComplaintStatus.open,
    )
    return _ordered([view_of(c, client, now=now, settings=settings) for c in rows], now)


def resolved_complaints(
    db: Db, client: Client, *, now: datetime, settings: Settings
) -> list[ComplaintView]:
    """The resolved complaints of one card, the last resolved first (for its page: how many, and
    how the last ones ended). Cancelled ones (an archived card) are neither open nor resolved."""
    rows = db.select(
        Complaint,
        "WHERE client_id = :client_id AND status = :resolved ORDER BY resolved_at DESC, id DESC",
        client_id=client.id,
        resolved=ComplaintStatus.resolved,
    )
    return [view_of(c, client, now=now, settings=settings) for c in rows]


def complaint_page(
    db: Db, complaint_id: int, *, now: datetime, settings: Settings
) -> ComplaintPage:
    complaint, client = _get(db, complaint_id)
    return ComplaintPage(
        view_of(complaint, client, now=now, settings=settings),
        [_step_view(step, complaint) for step in _steps(db, complaint)],
    )


# ---- due -----------------------------------------------------------------------------------


# A complaint's severity as a reason says it (the value, translated for people).
SEVERITY_WORDS = {
    "low": N_("low"),
    "normal": N_("normal"),
    "high": N_("high"),
    "urgent": N_("urgent"),
}


def _due_reason(view: ComplaintView, target: Target, due: datetime, now: datetime) -> Said:
    sev = said(SEVERITY_WORDS.get(view.severity.value, view.severity.value))
    late = now > due
    if target is Target.response:
        if late:
            return said(
                N_("{severity}, past the response target by {time}: answer now"),
                severity=sev,
                time=span_said(now - due),
            )
        return said(
            N_("{severity}, no response yet: answer by {moment}"),
            severity=sev,
            moment=_short_moment(due, now),
        )
    if late:
        return said(
            N_("{severity}, past the resolution target by {time}"),
            severity=sev,
            time=span_said(now - due),
        )
    return said(
        N_("{severity}, answered; resolve by {moment}"),
        severity=sev,
        moment=_short_moment(due, now),
    )


def complaint_items(db: Db, end: datetime, now: datetime, settings: Settings) -> list[DueItem]:
    """Every open complaint of a live card, whatever the window: complaints come first. Due
    at its next target (the first response, then the resolution); flagged past target."""
    tz = zone_of(now)
    rows = db.pairs(
        Complaint,
        Client,
        f"{WITH_CLIENT} WHERE m.status = :open AND c.archived_at IS NULL "
        "ORDER BY m.received_at, m.id",
        open=ComplaintStatus.open,
    )
    items = []
    for complaint, client in rows:
        view = view_of(complaint, client, now=now, settings=settings)
        target = view.next_target()
        assert target is not None
        which, due = target
        reason = _due_reason(view, which, due, now)
        overdue = now > due
        days = (local_date(now, tz) - local_date(due, tz)).days if overdue else 0
        items.append(
            DueItem(
                kind=ItemKind.complaint,
                urgency=_urgency(view, now),
                client_id=view.client.id,
                client=view.client.name,
                grade=Grade(client.grade),
                what=view.what,
                due=due,
                sort_key=due,
                overdue=overdue,
                overdue_days=days,
                reason=reason.english,
                reason_shown=reason.shown,
                record_id=view.id,
                ident=f"complaint-{view.id}",
                flags=tuple(PAST_FLAGS[t] for t in view.past),
            )
        )
    return items
