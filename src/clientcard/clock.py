"""The clock and the local time zone, read from the environment once per command.

`CLIENTCARD_NOW` (an ISO date-time; a naive one is local time) pins "now" for every command so
scripts and tests are reproducible. `TZ` (an IANA name such as `Asia/Shanghai`) picks the zone
that times are shown and dates are read in; otherwise the system's local zone is used.
Times are stored in UTC.
"""

import os
from datetime import UTC, datetime, tzinfo
from functools import cache

NOW_VARIABLE = "CLIENTCARD_NOW"


@cache
def _zone(name: str | None) -> tzinfo:
    if name:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(name.lstrip(":"))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    from dateutil.tz import tzlocal

    zone: tzinfo = tzlocal()
    return zone


def local_tz() -> tzinfo:
    """The user's zone: TZ when it names an IANA zone, else the system's local zone."""
    return _zone(os.environ.get("TZ"))


class BadClock(ValueError):
    """CLIENTCARD_NOW holds something that is not an ISO date-time."""


def now() -> datetime:
    """The current moment, aware, in the local zone; CLIENTCARD_NOW when it is set."""
    zone = local_tz()
    pinned = os.environ.get(NOW_VARIABLE, "").strip()
    if not pinned:
        return datetime.now(UTC).astimezone(zone)
    try:
        moment = datetime.fromisoformat(pinned)
    except ValueError:
        raise BadClock(
            f"{NOW_VARIABLE}={pinned!r} is not an ISO date-time; "
            "use e.g. 2026-11-23T09:00 or 2026-11-23T09:00+08:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone)
