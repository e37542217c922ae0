"""`clientcard grade`: regrade with a reason, step up/down, a card's history, and the ladder."""

import json
from typing import Any

import pytest

from clientcard.domain.grades import LADDER, Grade
from helpers import add, assert_error, lines

LATER = {"CLIENTCARD_NOW": "2026-11-21T10:30:00"}


def grade_of(query, client_id: int) -> str:
    return query("SELECT grade FROM client WHERE id = ?", (client_id,))[0][0]


def changes(query, client_id: int) -> list[tuple[Any, ...]]:
    return query(
        "SELECT from_grade, to_grade, changed_at, reason FROM grade_change"
        " WHERE client_id = ? ORDER BY id",
        (client_id,),
    )


# ---- regrade ------------------------------------------------------------------------------


def test_regrade_records_from_to_when_and_why(ok, query) -> None:
    add(ok, "Zhang", "--company", "Acme")
    result = ok("grade", "Zhang", "B", "--reason", "  budget approved ", env=LATER)
    assert result.stdout == (
        "Regraded #1 Zhang (Acme): F -> B "
        "(would buy, but something must wait (timing, a decision pending))\n"
    )
    assert grade_of(query, 1) == "B"
    assert changes(query, 1) == [
        (None, "F", "2026-11-20 01:00:00.000000", "added"),
        ("F", "B", "2026-11-21 02:30:00.000000", "budget approved"),
    ]
    assert query("SELECT created_at, updated_at FROM client") == [
        ("2026-11-20 01:00:00.000000", "2026-11-21 02:30:00.000000")
    ]


def test_regrade_accepts_a_lower_case_grade(ok, query) -> None:
    add(ok, "Zhang")
    ok("grade", "Zhang", "b", "-r", "met")
    assert grade_of(query, 1) == "B"


def test_regrade_can_jump_several_steps(ok, query) -> None:
    add(ok, "Zhang")
    ok("grade", "Zhang", "A", "--reason", "rich, healthy, and liked the plan")
    assert changes(query, 1)[-1][:2] == ("F", "A")


@pytest.mark.parametrize(
    ("start", "step", "expected"),
    [("F", "--up", "E"), ("B", "--up", "A"), ("A", "--down", "B"), ("E", "--down", "F")],
)
def test_up_and_down_move_one_step_with_a_at_the_top(
    ok, query, start: str, step: str, expected: str
) -> None:
    add(ok, "Zhang", "--grade", start)
    result = ok("grade", "Zhang", step, "--reason", "visit")
    assert result.stdout.startswith(f"Regraded #1 Zhang: {start} -> {expected} (")
    assert grade_of(query, 1) == expected
    assert changes(query, 1)[-1] == (start, expected, "2026-11-20 01:00:00.000000", "visit")


@pytest.mark.parametrize(
    ("start", "args", "message"),
    [
        ("A", ["--up"], "#1 Zhang is already grade A (the top of the ladder)"),
        ("F", ["--down"], "#1 Zhang is already grade F (the bottom)"),
        ("C", ["C"], "#1 Zhang is already grade C"),
        ("C", ["c"], "#1 Zhang is already grade C"),
    ],
)
def test_regrade_to_the_same_grade_is_refused_and_changes_nothing(
    cli, ok, snapshot, start: str, args: list[str], message: str
) -> None:
    add(ok, "Zhang", "--grade", start)
    before = snapshot()
    assert_error(cli("grade", "Zhang", *args, "--reason", "x"), 3, message)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A"], "a regrade needs --reason TEXT: the history says why grades moved"),
        (
            ["A", "--reason", "  "],
            "a regrade needs --reason TEXT: the history says why grades moved",
        ),
        (["--up"], "a regrade needs --reason TEXT: the history says why grades moved"),
        (["--up", "--down", "-r", "x"], "give exactly one of: a GRADE (A-F), --up or --down"),
        (["A", "--down", "-r", "x"], "give exactly one of: a GRADE (A-F), --up or --down"),
        (["G", "-r", "x"], "unknown grade 'G'; a grade is one of A, B, C, D, E, F"),
        (["AB", "-r", "x"], "unknown grade 'AB'; a grade is one of A, B, C, D, E, F"),
        (
            ["--reason", "x"],
            "--reason needs a GRADE, --up or --down",
        ),
    ],
)
def test_bad_regrade_is_a_usage_error_and_changes_nothing(
    cli, ok, snapshot, args: list[str], message: str
) -> None:
    add(ok, "Zhang", "--grade", "C")
    before = snapshot()
    assert_error(cli("grade", "Zhang", *args), 2, message)
    assert snapshot() == before


def test_regrade_of_an_archived_card_is_refused(cli, ok, snapshot) -> None:
    add(ok, "Zhang")
    ok("archive", "Zhang")
    before = snapshot()
    assert_error(
        cli("grade", "Zhang", "A", "--reason", "x"), 3, "#1 Zhang is archived; unarchive it first"
    )
    assert snapshot() == before


def test_regrade_of_an_unknown_card_is_not_found(cli, ok, snapshot) -> None:
    add(ok, "Zhang")
    before = snapshot()
    assert_error(
        cli("grade", "Wang", "A", "--reason", "x"),
        1,
        "no card matches 'Wang'; try `clientcard list --search Wang`",
    )
    assert snapshot() == before


# ---- a card's history ---------------------------------------------------------------------


@pytest.fixture
def climbed(ok) -> int:
    """Zhang: added as F, up to D a day later, then to B."""
    add(ok, "Zhang", "--company", "Acme")
    ok("grade", "Zhang", "D", "--reason", "first visit", env=LATER)
    ok("grade", "Zhang", "B", "-r", "decision pending", env={"CLIENTCARD_NOW": "2026-11-25T16:00"})
    return 1


def test_grade_with_a_client_prints_its_history_newest_first(ok, climbed) -> None:
    # Issue 11: with how long each grade was held (regrades after the pinned now: 0 days).
    out = lines(ok("grade", "zhang"))
    assert out[:2] + out[3:] == [
        "Grade history of #1 Zhang (Acme)",
        "When              From  To        Held  Why               By",
        "2026-11-25 16:00   D    B   0 d so far  decision pending  li",
        "2026-11-21 10:30   F    D          4 d  first visit       li",
        "2026-11-20 09:00        F          1 d  added             li",
    ]


def test_grade_history_as_json(ok, climbed) -> None:
    rows = json.loads(ok("grade", "Zhang", "--format", "json").stdout)
    assert rows == [
        {
            "client_id": 1,
            "client": "Zhang",
            "from_grade": "D",
            "to_grade": "B",
            "changed_at": "2026-11-25T16:00:00+08:00",
            "reason": "decision pending",
            "held_days": 0,  # issue 11: held so far (the pinned now is before it)
            "current": True,
            "author": "li",
        },
        {
            "client_id": 1,
            "client": "Zhang",
            "from_grade": "F",
            "to_grade": "D",
            "changed_at": "2026-11-21T10:30:00+08:00",
            "reason": "first visit",
            "held_days": 4,
            "current": False,
            "author": "li",
        },
        {
            "client_id": 1,
            "client": "Zhang",
            "from_grade": None,
            "to_grade": "F",
            "changed_at": "2026-11-20T09:00:00+08:00",
            "reason": "added",
            "held_days": 1,
            "current": False,
            "author": "li",
        },
    ]


def test_grade_history_as_csv(ok, climbed) -> None:
    assert ok("grade", "Zhang", "-f", "csv").stdout.splitlines() == [
        "client_id,client,from_grade,to_grade,changed_at,reason,held_days,current,author",
        "1,Zhang,D,B,2026-11-25T16:00:00+08:00,decision pending,0,true,li",  # issue 11: held
        "1,Zhang,F,D,2026-11-21T10:30:00+08:00,first visit,4,false,li",
        "1,Zhang,,F,2026-11-20T09:00:00+08:00,added,1,false,li",
    ]


def test_grade_history_of_an_archived_card_is_shown(ok, climbed) -> None:
    ok("archive", "Zhang")
    assert len(json.loads(ok("grade", "Zhang", "-f", "json").stdout)) == 3


def test_grade_history_of_an_unknown_card_is_not_found(cli, ok) -> None:
    add(ok, "Zhang")
    assert_error(cli("grade", "Li"), 1, "no card matches 'Li'; try `clientcard list --search Li`")


# ---- the ladder ---------------------------------------------------------------------------


@pytest.fixture
def graded(ok) -> None:
    """Two A (one archived), one B, one C, two F."""
    for name, grade in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("c1", "C"), ("f1", "F")]:
        add(ok, name, "--grade", grade)
    add(ok, "f2")
    ok("archive", "a2")


def test_ladder_counts_live_cards_per_grade(ok, graded) -> None:
    rows = json.loads(ok("grade", "--format", "json").stdout)
    assert [(r["grade"], r["cards"]) for r in rows] == [
        ("A", 1),
        ("B", 1),
        ("C", 1),
        ("D", 0),
        ("E", 0),
        ("F", 2),
    ]
    assert rows[0] == {
        "grade": "A",
        "meaning": "on the edge of buying: a little persuasion and they sign",
        "action": "see them now",
        "cards": 1,
        "f_new": None,  # issue 11: the split of F, on the F row only
        "f_slow": None,
    }


def test_ladder_table_lists_a_to_f_with_meanings_and_counts(ok, graded) -> None:
    out = lines(ok("grade", env={"COLUMNS": "300"}))  # each grade on one line (issue 12)
    assert out[0].split() == ["Grade", "Meaning", "What", "to", "do", "Cards"]
    body = out[2:-2]  # issue 11: the last two rows are F's kinds (tests/test_ladder_time.py)
    assert [line.split()[0] for line in body] == ["A", "B", "C", "D", "E", "F"]
    assert [line.split()[-1] for line in body] == ["1", "1", "1", "0", "0", "2"]
    for line, grade in zip(body, Grade, strict=True):
        assert f"  {LADDER[grade][0]}  " in line
        assert f"  {LADDER[grade][1]}  " in line


def test_ladder_of_an_empty_book_shows_every_grade_with_zero(ok) -> None:
    rows = json.loads(ok("grade", "-f", "json").stdout)
    assert [(r["grade"], r["cards"]) for r in rows] == [(g.value, 0) for g in Grade]


def test_ladder_follows_regrades(ok, graded) -> None:
    ok("grade", "f1", "A", "--reason", "signed soon")
    counts = {r["grade"]: r["cards"] for r in json.loads(ok("grade", "-f", "json").stdout)}
    assert (counts["A"], counts["F"]) == (2, 1)
