"""The A-F grade ladder: how close a prospect is to buying (see shared card-method.md)."""

from datetime import datetime, tzinfo
from enum import StrEnum

from clientcard.domain.message import Message
from clientcard.i18n import N_, _


class Grade(StrEnum):
    """A prospect's grade. A is the top of the ladder (about to buy), F the bottom."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def meaning(self) -> Message:
        return LADDER[self][0]

    @property
    def action(self) -> Message:
        return LADDER[self][1]

    def up(self) -> "Grade":
        """One step towards A; A stays A (the caller refuses the no-op)."""
        order = list(Grade)
        return order[max(order.index(self) - 1, 0)]

    def down(self) -> "Grade":
        """One step towards F; F stays F (the caller refuses the no-op)."""
        order = list(Grade)
        return order[min(order.index(self) + 1, len(order) - 1)]


# The ladder's meanings and actions: English in JSON, translated in people's formats (Message).
LADDER: dict[Grade, tuple[Message, Message]] = {
    Grade.A: (
        Message(N_("on the edge of buying: a little persuasion and they sign")),
        Message(N_("see them now")),
    ),
    Grade.B: (
        Message(N_("would buy, but something must wait (timing, a decision pending)")),
        Message(N_("keep close; they become A soon")),
    ),
    Grade.C: (
        Message(N_("wanted to buy, but the company turned them down (health, for insurance)")),
        Message(N_("wait for the condition to change; re-check")),
    ),
    Grade.D: (
        Message(N_("no obstacle but money: income unstable, long-term payments doubtful")),
        Message(N_("wait until finances improve; check in now and then")),
    ),
    Grade.E: (
        Message(N_("does not yet understand the product; the gap is the salesperson's own effort")),
        Message(N_("research more, educate, visit")),
    ),
    Grade.F: (
        Message(N_("hard to move up within a year, or only researched so far and never visited")),
        Message(N_("keep researching or visiting slowly; arrange the first visit")),
    ),
}

GRADE_CHOICES = ", ".join(g.value for g in Grade)


class FKind(StrEnum):
    """The F grade's two kinds (card-method.md), derived from the contact log, never set by
    hand: `new`, only researched so far and never visited (no contact by visit or meeting; may
    jump to A after a first meeting), and `slow`, visited but hard to move up within a year."""

    new = "new"
    slow = "slow"

    @property
    def meaning(self) -> Message:
        return F_KINDS[self][0]

    @property
    def action(self) -> Message:
        return F_KINDS[self][1]

    @property
    def label(self) -> str:
        """As `list` marks it and `--grade` takes it: `F-new`, `F-slow`."""
        return f"F-{self.value}"


F_KINDS: dict[FKind, tuple[Message, Message]] = {
    FKind.new: (
        Message(N_("only researched so far, never visited")),
        Message(N_("arrange the first visit")),
    ),
    FKind.slow: (
        Message(N_("visited, but hard to move up within a year")),
        Message(N_("keep researching or visiting slowly")),
    ),
}


def f_kind(grade: Grade | str, visited: bool) -> FKind | None:
    """The kind of an F card (None for the other grades): `visited` is whether it ever had a
    contact by visit or meeting (client.last_visit_at is set)."""
    if Grade(grade) is not Grade.F:
        return None
    return FKind.slow if visited else FKind.new


def days_held(since: datetime, until: datetime, tz: tzinfo) -> int:
    """How long a grade was held: whole calendar days in zone `tz` (the user's) from the day it
    was taken to the day it was left (or today), 0 on the same day."""
    return max((until.astimezone(tz).date() - since.astimezone(tz).date()).days, 0)


class GradeSelector:
    """One part of a `--grade` filter: a grade, or one kind of F. (A plain class: a dataclass
    is compiled at every start.)"""

    __slots__ = ("grade", "kind")

    def __init__(self, grade: Grade, kind: FKind | None = None) -> None:
        self.grade = grade
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GradeSelector):
            return NotImplemented
        return (self.grade, self.kind) == (other.grade, other.kind)

    def __hash__(self) -> int:
        return hash((self.grade, self.kind))

    def __repr__(self) -> str:
        return f"GradeSelector({self.grade!r}, {self.kind!r})"

    @property
    def label(self) -> str:
        return self.kind.label if self.kind else self.grade.value


def parse_grade(text: str) -> Grade:
    """Read a grade typed by a user: one letter A-F, any case, surrounding blanks ignored."""
    from clientcard.domain.errors import InvalidValue

    cleaned = text.strip().upper()
    try:
        return Grade(cleaned)
    except ValueError:
        raise InvalidValue(
            _("unknown grade {text}; a grade is one of {choices}").format(
                text=repr(text), choices=GRADE_CHOICES
            )
        ) from None


def parse_grades(text: str) -> list[Grade]:
    """Read a comma-separated grade filter such as `A,B` (or `AB`)."""
    parts = [p for chunk in text.split(",") for p in (chunk.strip(),) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and "," not in text:
        parts = list(parts[0])
    return sorted({parse_grade(p) for p in parts})


def parse_grade_filter(text: str) -> list[GradeSelector]:
    """Read `list --grade`: grades as `parse_grades` reads them, and the two kinds of F,
    `F-new` (never visited) and `F-slow` (visited), in any case: `A,B,F-new`. A kind of F given
    with F itself is F."""
    from clientcard.domain.errors import InvalidValue

    plain: list[str] = []
    kinds: set[FKind] = set()
    for chunk in text.split(","):
        part = chunk.strip()
        folded = part.upper().replace(" ", "")
        if folded.startswith("F-") or folded.startswith("F_"):
            try:
                kinds.add(FKind(folded[2:].lower()))
            except ValueError:
                raise InvalidValue(
                    _("unknown grade {text}; a grade is one of {choices}, F-new or F-slow").format(
                        text=repr(part), choices=GRADE_CHOICES
                    )
                ) from None
        elif part:
            plain.append(part)
    grades = parse_grades(",".join(plain)) if plain else []
    if Grade.F in grades or kinds == set(FKind):
        return [GradeSelector(g) for g in sorted({*grades, Grade.F})]
    return [GradeSelector(g) for g in grades] + [
        GradeSelector(Grade.F, k) for k in FKind if k in kinds
    ]
