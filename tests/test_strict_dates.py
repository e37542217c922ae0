"""A day that does not exist is refused, never rolled over into another (issue 13)."""

from collections.abc import Callable

import pytest

from helpers import Run


@pytest.mark.parametrize("typed", ["may 32", "32 may", "feb 30", "june 31", "2026-02-30", "02-30"])
def test_an_occasion_on_a_day_that_does_not_exist_is_refused(
    ok: Run, cli: Run, snapshot: Callable[[], list[str]], typed: str
) -> None:
    ok("add", "Wang Fang")
    before = snapshot()
    result = cli("date", "add", "Wang Fang", "birthday", typed, "--yearly")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert repr(typed) in result.stderr
    assert "no such day" in result.stderr or "there is no day" in result.stderr
    assert snapshot() == before


@pytest.mark.parametrize("typed", ["may 32", "feb 30", "2026-02-30"])
def test_a_promise_due_on_a_day_that_does_not_exist_is_refused(
    ok: Run, cli: Run, typed: str
) -> None:
    ok("add", "Wang Fang")
    result = cli("promise", "add", "Wang Fang", "send the quote", "--due", typed)
    assert result.exit_code == 2
    assert "no such day" in result.stderr


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("may 31", "05-31"), ("31 may", "05-31"), ("feb 29", "02-29"), ("may 3 2027", "2027-05-03")],
)
def test_a_day_that_exists_is_kept_as_typed(ok: Run, typed: str, stored: str) -> None:
    ok("add", "Wang Fang")
    added = ok("date", "add", "Wang Fang", "birthday", typed, "--yearly")
    assert f"birthday {stored} (yearly)" in added.stdout
