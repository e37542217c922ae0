"""A client's ratings: credit (good, fair, poor), satisfaction and loyalty (1-5)."""

from enum import StrEnum


class Credit(StrEnum):
    """How safe it is to do business on credit with the client: more with good, less with poor."""

    good = "good"
    fair = "fair"
    poor = "poor"


CREDITS = ", ".join(c.value for c in Credit)
LOWEST, HIGHEST = 1, 5  # satisfaction and loyalty scores
