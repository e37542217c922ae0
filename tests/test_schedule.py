"""Pure rules of the agenda: the urgency score, notice, the keep-rate, and how a card's next
follow-up is scheduled (domain/agenda.py, services/schedule.py). No database, no CLI."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clientcard.domain.agenda import (
    GRADE_WEIGHT,
    KIND_WEIGHT,
    MAX_DAYS_COUNTED,
    OVERDUE_BONUS,
    FollowupKind,
    ItemKind,
    cadence_date,
    is_short_notice,
    keep_rate,
    urgency,
    value_bonus,
)
from clientcard.domain.grades import Grade
from clientcard.domain.settings import DEFAULT_CADENCE, Settings, from_flat
from clientcard.services.schedule import (
    by_cadence,
    schedule_after_contact,
    schedule_after_regrade,
    schedule_by_cadence,
)
from clientcard.store.records import Client

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULTS = Settings()


# ---- urgency ------------------------------------------------------------------------------


def all_items(max_days: int = 40) -> list[tuple[ItemKind, Grade, bool, int, bool]]:
    """Every (kind, grade, overdue, overdue_days, confirm_now) an item of `due` can have."""
    items = []
    for kind, grade in itertools.product(ItemKind, Grade):
        items.append((kind, grade, False, 0, False))
        items.extend((kind, grade, True, days, False) for days in range(max_days + 1))
        if kind is ItemKind.appointment:
            items.append((kind, grade, False, 0, True))  # confirm-now is never overdue
    return items


def score(item: tuple[ItemKind, Grade, bool, int, bool]) -> int:
    kind, grade, overdue, days, confirm = item
    return urgency(kind, grade, overdue=overdue, overdue_days=days, confirm_now=confirm)


@pytest.mark.parametrize(
    ("kind", "grade", "overdue", "days", "confirm", "expected"),
    [
        (ItemKind.promise, Grade.A, False, 0, False, 300),
        (ItemKind.promise, Grade.F, False, 0, False, 250),
        (ItemKind.appointment, Grade.B, False, 0, False, 240),
        (ItemKind.appointment, Grade.B, False, 0, True, 340),
        (ItemKind.followup, Grade.C, False, 0, False, 130),
        (ItemKind.recheck, Grade.D, False, 0, False, 120),
        (ItemKind.first_visit, Grade.F, False, 0, False, 60),
        (ItemKind.followup, Grade.E, True, 0, False, 610),
        (ItemKind.followup, Grade.A, True, 3, False, 665),
        (ItemKind.promise, Grade.A, True, 1, False, 805),
        (ItemKind.promise, Grade.A, True, 20, False, 900),
        (ItemKind.promise, Grade.A, True, 365, False, 900),
        (ItemKind.first_visit, Grade.F, True, 400, False, 660),
    ],
)
def test_urgency_is_kind_plus_grade_plus_overdue(kind, grade, overdue, days, confirm, expected):
    assert urgency(kind, grade, overdue=overdue, overdue_days=days, confirm_now=confirm) == expected


def test_every_overdue_item_outranks_every_item_not_overdue_apart_from_complaints():
    items = [i for i in all_items() if i[0] is not ItemKind.complaint]
    lowest_overdue = min(score(i) for i in items if i[2])
    highest_on_time = max(score(i) for i in items if not i[2]) + value_bonus(10**12)
    assert lowest_overdue > highest_on_time


def test_complaints_come_before_everything_else_whatever_its_value():
    others = [i for i in all_items() if i[0] is not ItemKind.complaint]
    highest_other = max(score(i) for i in others) + value_bonus(10**12)
    lowest_complaint = min(
        urgency(ItemKind.complaint, g, overdue=False, overdue_days=0, severity="low") for g in Grade
    )
    assert lowest_complaint > highest_other


@pytest.mark.parametrize("kind", list(ItemKind))
@pytest.mark.parametrize("overdue_days", [None, 0, 1, 7, 20, 100])
def test_a_comes_before_f_and_the_ladder_is_strict_for_the_same_kind(kind, overdue_days):
    overdue = overdue_days is not None
    scores = [
        urgency(kind, g, overdue=overdue, overdue_days=overdue_days or 0) for g in Grade
    ]  # Grade iterates A..F
    assert list(Grade) == [Grade.A, Grade.B, Grade.C, Grade.D, Grade.E, Grade.F]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_days_overdue_count_up_to_the_cap_and_no_further():
    def s(days: int) -> int:
        return urgency(ItemKind.followup, Grade.C, overdue=True, overdue_days=days)

    steps = [s(d + 1) - s(d) for d in range(MAX_DAYS_COUNTED)]
    assert steps == [5] * MAX_DAYS_COUNTED
    assert MAX_DAYS_COUNTED == 20
    assert s(20) == s(21) == s(10_000)
    assert s(0) == 100 + 30 + OVERDUE_BONUS


def test_an_old_follow_up_does_not_bury_a_promise_broken_yesterday():
    old_followup = urgency(ItemKind.followup, Grade.A, overdue=True, overdue_days=365)
    broken_yesterday = urgency(ItemKind.promise, Grade.F, overdue=True, overdue_days=1)
    assert broken_yesterday > old_followup


def test_days_overdue_do_not_count_when_not_overdue_or_negative():
    assert urgency(ItemKind.followup, Grade.A, overdue=False, overdue_days=9) == 150
    assert urgency(ItemKind.followup, Grade.A, overdue=True, overdue_days=-3) == 650


def test_kind_weights_order_the_kinds():
    assert KIND_WEIGHT[ItemKind.promise] > KIND_WEIGHT[ItemKind.appointment]
    assert KIND_WEIGHT[ItemKind.appointment] > KIND_WEIGHT[ItemKind.followup]
    assert KIND_WEIGHT[ItemKind.followup] == KIND_WEIGHT[ItemKind.recheck]
    assert KIND_WEIGHT[ItemKind.recheck] > KIND_WEIGHT[ItemKind.first_visit]
    assert max(GRADE_WEIGHT.values()) == 50
    for grade in Grade:  # an appointment to confirm now comes before a deliverable
        confirm = urgency(
            ItemKind.appointment, grade, overdue=False, overdue_days=0, confirm_now=True
        )
        assert confirm > urgency(ItemKind.promise, grade, overdue=False, overdue_days=0)


def test_confirm_now_takes_the_place_of_the_kind_weight():
    plain = urgency(ItemKind.appointment, Grade.C, overdue=False, overdue_days=0)
    confirm = urgency(
        ItemKind.appointment, Grade.C, overdue=False, overdue_days=0, confirm_now=True
    )
    assert confirm - plain == 100


# ---- notice -------------------------------------------------------------------------------

APPOINTMENT = datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("told_before", "short"),
    [
        (timedelta(days=10), False),
        (timedelta(hours=24, seconds=1), False),
        (timedelta(hours=24), False),  # exactly the notice window: polite
        (timedelta(hours=24) - timedelta(microseconds=1), True),
        (timedelta(hours=23, minutes=59), True),
        (timedelta(hours=1), True),
        (timedelta(0), True),  # at the very time
        (-timedelta(hours=2), True),  # after the time
    ],
)
def test_is_short_notice_boundaries(told_before, short):
    assert is_short_notice(APPOINTMENT, APPOINTMENT - told_before, 24) is short


def test_notice_window_is_in_hours_and_zones_do_not_matter():
    told_utc = (APPOINTMENT - timedelta(hours=12)).astimezone(UTC)
    assert is_short_notice(APPOINTMENT, told_utc, 12) is False
    assert is_short_notice(APPOINTMENT, told_utc, 13) is True
    assert is_short_notice(APPOINTMENT, APPOINTMENT, 0) is False  # no window: only "after"
    assert is_short_notice(APPOINTMENT, APPOINTMENT + timedelta(seconds=1), 0) is True


# ---- keep-rate ----------------------------------------------------------------------------


def test_keep_rate():
    assert keep_rate(0, 0) is None
    assert keep_rate(0, 3) == 0
    assert keep_rate(2, 3) == pytest.approx(2 / 3)
    assert keep_rate(4, 4) == 1


# ---- cadence ------------------------------------------------------------------------------


def test_default_cadence():
    assert {g.value: d for g, d in DEFAULT_CADENCE.items()} == {
        "A": 7,
        "B": 14,
        "C": 90,
        "D": 60,
        "E": 21,
        "F": 180,
    }


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (Grade.A, date(2026, 11, 27)),
        (Grade.B, date(2026, 12, 4)),
        (Grade.C, date(2027, 2, 18)),
        (Grade.D, date(2027, 1, 19)),
        (Grade.E, date(2026, 12, 11)),
        (Grade.F, date(2027, 5, 19)),
    ],
)
def test_cadence_date(grade, expected):
    assert cadence_date(date(2026, 11, 20), grade, DEFAULTS) == expected


def test_cadence_date_follows_the_settings():
    custom = from_flat({"cadence.A": 3})
    assert cadence_date(date(2026, 12, 30), Grade.A, custom) == date(2027, 1, 2)


def card(grade: str = "A", **fields: object) -> Client:
    created = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
    # Schema 0005 made graded_at required (since when the card holds its grade), and the
    # cadence counts from followed_up_at: here every contact is a sales follow-up.
    fields = {"graded_at": created, "followed_up_at": fields.get("last_contact_at"), **fields}
    return Client(
        name="x", name_key="x", grade=grade, created_at=created, updated_at=created, **fields
    )


def test_a_card_never_contacted_is_due_one_cadence_after_it_was_added():
    c = card("B")
    schedule_by_cadence(c, DEFAULTS, SHANGHAI)
    assert (c.next_followup_on, c.followup_kind, c.followup_note) == (
        date(2026, 11, 16),
        "cadence",
        None,
    )


def test_the_cadence_counts_from_the_local_day_of_the_last_contact():
    # 2026-11-19 20:00 UTC is already the 20th in Shanghai, still the 19th in Berlin
    c = card("A", last_contact_at=datetime(2026, 11, 19, 20, 0, tzinfo=UTC))
    assert by_cadence(c, DEFAULTS, SHANGHAI) == date(2026, 11, 27)
    assert by_cadence(c, DEFAULTS, ZoneInfo("Europe/Berlin")) == date(2026, 11, 26)


LAST = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)  # A cadence: 2026-11-27


@pytest.mark.parametrize(
    ("kind", "standing", "expected", "expected_kind"),
    [
        ("cadence", date(2026, 12, 31), date(2026, 11, 27), "cadence"),  # cadence always moves
        ("explicit", date(2026, 12, 10), date(2026, 12, 10), "explicit"),  # later: stands
        ("recheck", date(2027, 3, 1), date(2027, 3, 1), "recheck"),
        ("explicit", date(2026, 11, 27), date(2026, 11, 27), "cadence"),  # same day: cadence
        ("explicit", date(2026, 11, 22), date(2026, 11, 27), "cadence"),  # earlier: replaced
        # A re-check waits for its condition: a contact before its day does not answer it.
        ("recheck", date(2026, 11, 21), date(2026, 11, 21), "recheck"),
    ],
)
def test_after_a_contact_a_later_date_set_by_the_user_stands(
    kind, standing, expected, expected_kind
):
    c = card(
        "A",
        last_contact_at=LAST,
        next_followup_on=standing,
        followup_kind=kind,
        followup_note="note",
    )
    schedule_after_contact(c, DEFAULTS, SHANGHAI, None)
    assert (c.next_followup_on, c.followup_kind) == (expected, expected_kind)
    assert c.followup_note == (None if expected_kind == "cadence" else "note")


def test_after_a_contact_an_explicit_next_wins_over_everything():
    c = card("A", last_contact_at=LAST, next_followup_on=date(2027, 1, 1), followup_kind="recheck")
    schedule_after_contact(c, DEFAULTS, SHANGHAI, date(2026, 11, 22))
    assert (c.next_followup_on, c.followup_kind, c.followup_note) == (
        date(2026, 11, 22),
        FollowupKind.explicit.value,
        None,
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("cadence", date(2027, 2, 18)),  # recomputed: C is 90 days from the last contact
        ("explicit", date(2026, 12, 1)),
        ("recheck", date(2026, 12, 1)),
    ],
)
def test_regrading_recomputes_only_a_cadence_date(kind, expected):
    c = card("C", last_contact_at=LAST, next_followup_on=date(2026, 12, 1), followup_kind=kind)
    schedule_after_regrade(c, DEFAULTS, SHANGHAI)
    assert c.next_followup_on == expected
    assert c.followup_kind == kind
