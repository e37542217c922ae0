"""What every report is built on: the period and its time axis (services/reports/period.py) and
the terminal charts (output/charts.py). The reports themselves: tests/test_report_*.py."""

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clientcard.domain.errors import InvalidValue
from clientcard.domain.reports import Period
from clientcard.output import charts
from clientcard.output.agenda import cells
from clientcard.services.reports import period

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)  # a Friday


def test_the_default_period_is_the_last_90_days_today_included() -> None:
    span = period.resolve(None, None, now=NOW)
    assert (span.since, span.until, span.days, span.by) == (
        date(2026, 8, 23),
        date(2026, 11, 20),
        90,
        None,
    )


def test_since_and_until_read_like_any_past_date() -> None:
    span = period.resolve("mon", "yesterday", now=NOW, by="MONTH")
    assert (span.since, span.until, span.by) == (date(2026, 11, 16), date(2026, 11, 19), "month")
    span = period.resolve("-30d", None, now=NOW)
    assert span.since == date(2026, 10, 21)


@pytest.mark.parametrize(
    ("since", "until", "by", "message"),
    [
        ("2026-11-02", "2026-11-01", None, "starts after it ends"),
        (None, None, "day", "--by must be week, month, not 'day'"),
        ("2010-01-01", None, None, "at most 3660 days"),
    ],
)
def test_a_bad_period_is_refused(
    since: str | None, until: str | None, by: str | None, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        period.resolve(since, until, now=NOW, by=by)


def test_bounds_are_the_local_midnights_in_utc() -> None:
    start, end = period.bounds(Period(date(2026, 11, 1), date(2026, 11, 20)), SHANGHAI)
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_weeks_are_iso_weeks_cut_to_the_period() -> None:
    found = period.buckets(Period(date(2026, 8, 23), date(2026, 11, 20), "week"), SHANGHAI)
    assert [b.label for b in found[:2]] == ["2026-W34", "2026-W35"]
    assert (found[0].first, found[0].last) == (date(2026, 8, 23), date(2026, 8, 23))  # a Sunday
    assert (found[1].first, found[1].last) == (date(2026, 8, 24), date(2026, 8, 30))
    assert (found[-1].label, found[-1].first, found[-1].last) == (
        "2026-W47",
        date(2026, 11, 16),
        date(2026, 11, 20),
    )
    assert len(found) == 14
    # Back to back: each bucket starts where the one before ends.
    assert all(a.end == b.start for a, b in itertools.pairwise(found))


def test_months_are_calendar_months_cut_to_the_period() -> None:
    found = period.buckets(Period(date(2025, 12, 15), date(2026, 3, 10)), SHANGHAI, "month")
    assert [(b.label, b.first, b.last) for b in found] == [
        ("2025-12", date(2025, 12, 15), date(2025, 12, 31)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-03", date(2026, 3, 1), date(2026, 3, 10)),
    ]


def test_a_week_across_a_clock_change_is_its_local_days() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # summer time ends on Sunday 2026-10-25
    (week,) = period.buckets(Period(date(2026, 10, 19), date(2026, 10, 25)), berlin, "week")
    assert week.end.astimezone(UTC) - week.start.astimezone(UTC) == timedelta(days=7, hours=1)
    assert week.start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)


def test_the_axis_is_a_values_table_of_bounds() -> None:
    found = period.buckets(Period(date(2026, 11, 1), date(2026, 11, 20)), SHANGHAI, "week")
    axis = period.Axis(found)
    assert axis.cte == (
        "WITH bucket (n, lo, hi) AS (VALUES (0, :blo0, :bhi0), (1, :blo1, :bhi1), "
        "(2, :blo2, :bhi2), (3, :blo3, :bhi3))"
    )
    assert axis.params["blo1"] == found[1].start
    assert axis.on("contact.at") == "contact.at >= bucket.lo AND contact.at < bucket.hi"


def test_median_of_nothing_is_none() -> None:
    assert period.median([]) is None
    assert period.median([3, 1, 2, 10]) == 2.5


# ---- charts --------------------------------------------------------------------------------


def test_a_bar_is_drawn_in_eighths_and_zero_has_none() -> None:
    assert charts.bar(1, 1, 10) == "█" * 10
    assert charts.bar(1, 8, 1) == "▏"
    assert charts.bar(0.001, 100, 10) == "▏"  # above zero: at least an eighth
    assert charts.bar(0, 100, 10) == ""
    assert charts.bar(5, 10, 10, ascii=True) == "#####"


def test_bars_fit_the_width_with_their_numbers() -> None:
    lines = charts.bars(["A", "张伟的公司", "F-new"], [10, 5, 0], ["10", "5", "0"], 40)
    assert all(cells(line) <= 40 for line in lines)
    assert lines[0].endswith("10")
    assert "█" in lines[0]
    assert lines[2].startswith("F-new")
    assert lines[2].endswith("0")
    assert "█" not in lines[2]
    assert lines[1].startswith("张伟的公司")


def test_a_long_label_is_cut() -> None:
    (line,) = charts.bars(["x" * 40], [1], ["1"], 80)
    assert line.startswith("x" * 23 + "…")


def test_a_funnel_centres_its_bars() -> None:
    top, bottom = charts.bars(["A", "F"], [2, 8], ["2", "8"], 30, centre=True)
    left = len(top) - len(top.lstrip("A ").lstrip())
    assert top.index("█") > bottom.index("█")
    assert left > 0


def test_stacked_parts_add_up_to_the_bar() -> None:
    legend, line = charts.stacked(["W47"], [[3, 1]], ["3 + 1"], ["visits", "remote"], 32)
    assert legend == "█ visits  ░ remote"
    assert line.count("█") == 3 * line.count("░")
    assert line.endswith("3 + 1")


def test_sparklines_run_lowest_to_highest() -> None:
    assert charts.sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert charts.sparkline([None, 2, 2]) == " ▅▅"
    assert charts.sparkline([0, 0]) == "▁▁"
    assert charts.sparkline([1, 7], ascii=True) == ".#"
    (line,) = charts.sparklines(["visits"], [list(range(200))], ["total 9"], 40)
    assert cells(line) <= 40
    assert line.endswith("total 9")


def test_a_range_starts_at_its_low_value() -> None:
    (line,) = charts.ranges(["A"], [(2, 4)], ["2 to 4"], 31)
    bar = line[3:23]
    assert bar.count("░") == 10
    assert bar.count("█") == 10


def test_a_share_is_drawn_on_a_scale_of_100_percent() -> None:
    from clientcard.domain.reports import Chart, ChartKind, Col, Kind, Section
    from clientcard.output.reports import chart_lines

    section = Section(
        "kinds",
        "Kinds",
        (Col("kind", "Kind", Kind.text), Col("rate", "Rate", Kind.share)),
        (("deliverable", 0.5), ("appointment", 0.25)),
        Chart(ChartKind.bars, "kind", ("rate",)),
    )
    half, quarter = chart_lines(section, 40)
    room = 40 - len("appointment") - len("50%") - 4
    assert half.count("█") == room // 2
    assert quarter.count("█") == room // 4


def test_grouped_bars_stand_side_by_side_on_one_scale() -> None:
    lines = charts.grouped(
        ["5", "4"], [[4, 2], [1, 0]], [["4", "2"], ["1", "0"]], ["Loyalty", "Satisfaction"], 40
    )
    assert [line.split()[0] for line in lines] == ["5", "Satisfaction", "4", "Satisfaction"]
    assert lines[0].endswith(" 4")
    assert lines[1].count("█") * 2 == lines[0].count("█")
    assert "█" not in lines[3]
    assert all(cells(line) <= 40 for line in lines)


def test_a_level_over_time_is_read_from_its_first_to_its_last_value() -> None:
    from clientcard.domain.reports import Chart, ChartKind, Col, Kind, Section
    from clientcard.output.reports import chart_lines

    section = Section(
        "customers",
        "Customers",
        (
            Col("bucket", "Bucket", Kind.text),
            Col("new", "New"),
            Col("active", "Active", stock=True),
        ),
        (("2026-10", 1, 1), ("2026-11", 1, 2)),
        Chart(ChartKind.spark, "bucket", ("new", "active")),
    )
    _, new, active = chart_lines(section, 60)
    assert new.endswith("total 2")
    assert active.endswith("1 to 2")


def test_a_table_says_which_columns_a_narrow_terminal_left_out(ok: Any) -> None:
    ok("add", "张伟", "--grade", "A")
    page = ok("report", "funnel", env={"COLUMNS": "50"}).stdout
    assert "Not shown at this width:" in page
    assert "(-f csv has every column)." in page
    wide = ok("report", "funnel", env={"COLUMNS": "140"}).stdout
    assert "Not shown" not in wide


def test_narrower_than_a_table_every_value_keeps_its_name() -> None:
    from clientcard.output import Column
    from clientcard.output.reports import _table

    names = ["Grade", "Cards", "Share", "Customers", "Prospects", "Added", "Value"]
    columns = [Column(name.lower(), name) for name in names]
    row = dict(
        zip([n.lower() for n in names], ["F-slow", "1", "20%", "0", "1", "1", "0.00"], strict=True)
    )
    lines = [str(part) for part in _table([row], columns, 24)]
    assert " ".join(" ".join(lines).split()) == (
        "F-slow: Cards 1, Share 20%, Customers 0, Prospects 1, Added 1, Value 0.00"
    )
    assert all(cells(line) <= 24 for line in lines)
