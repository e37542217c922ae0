"""What shell completion offers: a value to put on the command line, and a few words saying
what it is (zsh and fish show them next to the value; bash shows values only)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    value: str
    help: str
