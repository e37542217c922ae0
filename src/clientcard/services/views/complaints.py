"""The views of complaints: one complaint, a step of its timeline, and its page."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from clientcard.domain.complaints import (
    ComplaintStatus,
    Responsibility,
    Severity,
    StepKind,
    Target,
)
from clientcard.i18n import _
from clientcard.services.views.clients import ClientRef
from clientcard.services.views.keys import Keyed, Keys


@dataclass(frozen=True)
class ComplaintView(Keyed):
    id: int
    client: ClientRef
    what: str
    severity: Severity
    status: ComplaintStatus
    received_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    result: str | None
    satisfaction: int | None
    response_due: datetime
    resolve_due: datetime
    past: tuple[Target, ...]  # the targets it is past now (none once resolved)
    # The targets in hours, as configured, and whether they count working hours (work.days,
    # work.hours) or clock hours (a round-the-clock severity): the dues above follow from them.
    response_hours: int = 0
    resolve_hours: int = 0
    working_hours: bool = False
    # Why it happened (issue 16): a configured cause, the user's words, who was responsible.
    cause: str | None = None
    cause_note: str | None = None
    responsibility: Responsibility = Responsibility.unknown
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    # `complaint list`, and each open complaint on a card's page (docs/complaints.md).
    KEYS: ClassVar[Keys["ComplaintView"]] = Keys(
        "id",
        ("client_id", "client.id"),
        ("client", "client.name"),
        "severity",
        "what",
        "status",
        "received_at",
        "first_response_at",
        "resolved_at",
        "response_due",
        "resolve_due",
        "past_target",
        "satisfaction",
        "cause",
        "cause_note",
        "responsibility",
        "author",
    )

    def target_text(self, which: Target) -> str:
        """A target as the user configured it: `18 working h`, `4 h`."""
        hours = self.response_hours if which is Target.response else self.resolve_hours
        if self.working_hours:
            return _("{hours} working h").format(hours=hours)
        return _("{hours} h").format(hours=hours)

    @property
    def is_open(self) -> bool:
        return self.status is ComplaintStatus.open

    @property
    def past_target(self) -> Target | None:
        """The graver target it is past: resolution (it should be settled by now), else
        response (nobody has answered in time), else None."""
        for target in (Target.resolution, Target.response):
            if target in self.past:
                return target
        return None

    def next_target(self) -> tuple[Target, datetime] | None:
        """What is due next on an open complaint: the first response until someone answered,
        then the resolution. None once resolved."""
        if not self.is_open:
            return None
        if self.first_response_at is None:
            return Target.response, self.response_due
        return Target.resolution, self.resolve_due


@dataclass(frozen=True)
class ComplaintStepView(Keyed):
    """One entry of a complaint's timeline."""

    kind: StepKind
    at: datetime
    after_receipt: timedelta  # negative never: nothing is recorded before the receipt
    text: str | None
    satisfaction: int | None
    author: str | None = None  # who made it (issue 17; None: made before it was recorded)

    KEYS: ClassVar[Keys["ComplaintStepView"]] = Keys(
        "kind",
        "at",
        ("minutes_after_receipt", lambda v: int(v.after_receipt.total_seconds() // 60)),
        "text",
        "satisfaction",
        "author",
    )


@dataclass(frozen=True)
class ComplaintPage:
    """Everything `complaint show` prints: the complaint and its whole timeline."""

    complaint: ComplaintView
    timeline: list[ComplaintStepView]

    def row(self) -> dict[str, Any]:
        data = self.complaint.row()
        data["result"] = self.complaint.result
        data["timeline"] = [step.row() for step in self.timeline]
        data["author"] = data.pop("author")  # added by issue 17: after the keys before it
        return data
