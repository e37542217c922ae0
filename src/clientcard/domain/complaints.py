"""Complaints' rules: severities, the timeline's kinds, response-time targets, satisfaction.

The card method puts complaints before anything else: of 100 dissatisfied clients only a few
complain, and those who do are worth keeping. So every complaint has two targets, counted from
the moment it was received, in hours per severity (config `response.<severity>` and
`resolve.<severity>`):

- the **first response**: someone listened to the client (a handling step, or the resolution);
- the **resolution**, to the client's satisfaction.

A complaint is *past target* while it has no first response after the response target, or is
still open after the resolution target. A reopened complaint keeps its receipt time: it was not
resolved to the client's satisfaction, so it is measured from when the client first complained.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from clientcard.domain.errors import InvalidValue
from clientcard.domain.settings import Settings


class Severity(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


SEVERITIES = ", ".join(s.value for s in Severity)


class ComplaintStatus(StrEnum):
    open = "open"
    resolved = "resolved"
    # Closed without a resolution: the card was archived with `--cancel-open`. Neither open
    # (not in `due`, no target) nor resolved (no result, no satisfaction).
    cancelled = "cancelled"


class StepKind(StrEnum):
    """The kinds of entry in a complaint's timeline (ComplaintStep.kind)."""

    received = "received"
    step = "step"
    resolved = "resolved"
    reopened = "reopened"
    cancelled = "cancelled"  # the text says why: "archived"


class Target(StrEnum):
    """Which target a complaint is past (the JSON `past_target`)."""

    response = "response"
    resolution = "resolution"


SATISFACTION_MIN, SATISFACTION_MAX = 1, 5


def parse_severity(text: str) -> Severity:
    try:
        return Severity(text.strip().lower())
    except ValueError:
        raise InvalidValue(
            f"unknown severity {text!r}; a severity is one of {SEVERITIES}"
        ) from None


def parse_satisfaction(text: str | None, option: str = "--satisfaction") -> int | None:
    """The client's satisfaction, a whole number from 1 to 5 (None when not given)."""
    if text is None:
        return None
    cleaned = text.strip()
    # At most 9 digits: Python reads no more than 4,300 as a number, and 9 are plenty.
    number = cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 9
    value = int(cleaned) if number else None
    if value is None or not SATISFACTION_MIN <= value <= SATISFACTION_MAX:
        raise InvalidValue(
            f"{option} must be a whole number from {SATISFACTION_MIN} to {SATISFACTION_MAX}, "
            f"not {text!r}"
        )
    return value


def response_due(received_at: datetime, severity: Severity, settings: Settings) -> datetime:
    """By when the first response is due."""
    return received_at + timedelta(hours=settings.response_hours(severity.value))


def resolve_due(received_at: datetime, severity: Severity, settings: Settings) -> datetime:
    """By when the complaint should be resolved."""
    return received_at + timedelta(hours=settings.resolve_hours(severity.value))


def past_targets(
    *,
    received_at: datetime,
    severity: Severity,
    first_response_at: datetime | None,
    resolved: bool,
    now: datetime,
    settings: Settings,
) -> list[Target]:
    """The targets a complaint is past now: response (no first response after its target)
    and/or resolution (still open after its target). A target is met up to its exact moment."""
    if resolved:
        return []
    past = []
    if first_response_at is None and now > response_due(received_at, severity, settings):
        past.append(Target.response)
    if now > resolve_due(received_at, severity, settings):
        past.append(Target.resolution)
    return past


def span(delta: timedelta) -> str:
    """A duration as a person says it: `25 min`, `3 h`, `1 d 6 h`, `2 d` (rounded down to the
    minute, the hour past a day)."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d" + (f" {hours} h" if hours else "")
