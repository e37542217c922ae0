"""The A-F grade ladder: how close a prospect is to buying (see shared card-method.md)."""

from enum import StrEnum


class Grade(StrEnum):
    """A prospect's grade. A is the top of the ladder (about to buy), F the bottom."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def meaning(self) -> str:
        return LADDER[self][0]

    @property
    def action(self) -> str:
        return LADDER[self][1]

    def up(self) -> "Grade":
        """One step towards A; A stays A (the caller refuses the no-op)."""
        order = list(Grade)
        return order[max(order.index(self) - 1, 0)]

    def down(self) -> "Grade":
        """One step towards F; F stays F (the caller refuses the no-op)."""
        order = list(Grade)
        return order[min(order.index(self) + 1, len(order) - 1)]


LADDER: dict[Grade, tuple[str, str]] = {
    Grade.A: ("on the edge of buying: a little persuasion and they sign", "see them now"),
    Grade.B: (
        "would buy, but something must wait (timing, a decision pending)",
        "keep close; they become A soon",
    ),
    Grade.C: (
        "wanted to buy, but the company turned them down (health, for insurance)",
        "wait for the condition to change; re-check",
    ),
    Grade.D: (
        "no obstacle but money: income unstable, long-term payments doubtful",
        "wait until finances improve; check in now and then",
    ),
    Grade.E: (
        "does not yet understand the product; the gap is the salesperson's own effort",
        "research more, educate, visit",
    ),
    Grade.F: (
        "hard to move up within a year, or only researched so far and never visited",
        "keep researching or visiting slowly; arrange the first visit",
    ),
}

GRADE_CHOICES = ", ".join(g.value for g in Grade)


def parse_grade(text: str) -> Grade:
    """Read a grade typed by a user: one letter A-F, any case, surrounding blanks ignored."""
    from clientcard.domain.errors import InvalidValue

    cleaned = text.strip().upper()
    try:
        return Grade(cleaned)
    except ValueError:
        raise InvalidValue(f"unknown grade {text!r}; a grade is one of {GRADE_CHOICES}") from None


def parse_grades(text: str) -> list[Grade]:
    """Read a comma-separated grade filter such as `A,B` (or `AB`)."""
    parts = [p for chunk in text.split(",") for p in (chunk.strip(),) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and "," not in text:
        parts = list(parts[0])
    return sorted({parse_grade(p) for p in parts})
