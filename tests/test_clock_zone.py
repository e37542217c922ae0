"""The user's zone (clock.local_tz): TZ's IANA zone; without TZ, the system's zone file as a
ZoneInfo, which converts a time about 30 times faster than dateutil's tzlocal (an export of
100,000 cards converts half a million times); tzlocal only where neither serves."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzlocal

from clientcard import clock


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    clock._zone.cache_clear()
    yield
    clock._zone.cache_clear()
    time.tzset()  # monkeypatch has put TZ back: the C library reads it again


def test_tz_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    assert clock.local_tz() == ZoneInfo("Asia/Shanghai")


@pytest.mark.skipif(not Path(clock.SYSTEM_ZONE_FILE).exists(), reason="no system zone file")
def test_without_tz_the_system_zone_file_is_read_as_a_zoneinfo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    time.tzset()
    zone = clock.local_tz()
    assert isinstance(zone, ZoneInfo)
    # The same offsets the C library gives for this zone, summer and winter.
    for moment in (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC)):
        local = time.localtime(moment.timestamp())
        assert moment.astimezone(zone).utcoffset().total_seconds() == local.tm_gmtoff  # type: ignore[union-attr]


def test_a_zone_file_is_read_for_its_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = Path("/usr/share/zoneinfo/Europe/Berlin")
    if not source.exists():
        pytest.skip("no system zone database")
    copy = tmp_path / "localtime"
    copy.write_bytes(source.read_bytes())
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(clock, "SYSTEM_ZONE_FILE", str(copy))
    zone = clock.local_tz()
    assert datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone).hour == 14  # summer time
    assert datetime(2026, 12, 1, 12, tzinfo=UTC).astimezone(zone).hour == 13


def test_without_a_zone_file_or_with_a_posix_rule_the_c_library_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(clock, "SYSTEM_ZONE_FILE", str(tmp_path / "missing"))
    assert isinstance(clock.local_tz(), tzlocal)
    clock._zone.cache_clear()
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    assert isinstance(clock.local_tz(), tzlocal)
