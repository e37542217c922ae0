"""What shell completion offers: a value to put on the command line, and a few words saying
what it is (zsh and fish show them next to the value; bash shows values only)."""

import re
from dataclasses import dataclass

# The characters bash would read as syntax in a word: escaped with a backslash.
_BASH_SPECIAL = re.compile(r"([\s'\"\\$`&|;<>()\[\]{}*?!#~^])")


def for_bash(value: str) -> str:
    """A value as bash would type it on the command line (`José\\ García`): what both
    completion paths write, the CLI's (cli/_completion.py) and the console script's
    (script.py)."""
    return _BASH_SPECIAL.sub(r"\\\1", value)


@dataclass(frozen=True)
class Candidate:
    value: str
    help: str
