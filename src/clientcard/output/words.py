"""Words, not codes, for people (docs/formats.md, "Words for people").

Tables and pages print a status or a kind as words ("kept late", "cancelled by the client",
"first visit"); the machine formats (json, csv, tsv) keep the stored codes. A code not named
below reads as itself with its underscores as spaces.
"""

from enum import Enum

WORDS = {
    "kept_late": "kept late",
    "cancelled_by_client": "cancelled by the client",
    "cancelled_by_me": "cancelled by me",
    "first_visit": "first visit",
    "followup": "follow-up",
    "recheck": "re-check",
    "thanks": "thank-you",
}


def word(value: Enum | str) -> str:
    """A code as a person reads it."""
    code = str(value.value) if isinstance(value, Enum) else value
    return WORDS.get(code) or code.replace("_", " ")
