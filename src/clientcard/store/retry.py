"""Running a command again when the database made it give way to another writer.

A write transaction that meets another one on the same rows may be told to give way:
PostgreSQL breaks a deadlock by failing one of the two (40P01), fails a statement that waited
longer than the lock timeout (55P03), and, at a stricter isolation level, a transaction that
read what another changed (40001); SQLite says "database is locked" after its busy timeout.
The transaction was rolled back whole, so nothing of it happened: running the whole command
again is right, and it usually succeeds, the other writer having finished. `retrying` does so
a few times, after a random pause that grows (the jitter keeps two commands that failed
together from meeting again), for as long as the busy timeout lasts; then `DatabaseBusy`
stands, and the CLI says "busy, try again" (exit 75).

What is run again is the whole command (cli/errors.py runs the command line again; the
concurrency test runs its service call again), not a statement: a statement that failed
inside a transaction leaves it aborted on PostgreSQL, and what the command read before it may
be stale. A command is run again only when running it again cannot do or show anything twice:

- the failure came from a write transaction (`store.open.transaction` marks it: `failed`),
  and every write command writes its output after its transaction committed;
- no transaction of the command had committed before (`committed`);
- the command neither read standard input nor asked a question (`once`): input read is gone,
  and a question asked twice would be answered twice.

Nothing here imports a database driver: the CLI imports it on every command.
"""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from clientcard.domain.errors import DatabaseBusy
from clientcard.store import location

T = TypeVar("T")

ATTEMPTS = 5  # runs in all, the first included
FIRST_PAUSE = 0.05  # seconds: the shortest pause before running again
LONGEST_PAUSE = 0.4  # seconds: the pauses grow to this (each a random time up to its bound)


class _Run:
    """What the command being run did so far (one command at a time in a process)."""

    __slots__ = ("committed", "failed_writing", "once")

    def __init__(self) -> None:
        self.committed = False  # a transaction committed: running again would repeat it
        self.failed_writing = False  # the busy failure came from a write transaction
        self.once = False  # read standard input or asked a question


_run = _Run()


def once() -> None:
    """The command reads standard input or asks the user a question: never run it again."""
    _run.once = True


def committed() -> None:
    """A transaction of the command committed (store.open.transaction)."""
    _run.committed = True


def failed(*, write: bool) -> None:
    """A transaction gave way to another writer and was rolled back (store.open.transaction)."""
    _run.failed_writing = write


def _may_run_again() -> bool:
    return _run.failed_writing and not _run.committed and not _run.once


def pause_before(attempt: int) -> float:
    """The random pause before run `attempt + 1` (after `attempt` failed runs): up to 0.1 s
    after the first, 0.2 s, then 0.4 s; at least FIRST_PAUSE."""
    bound = min(LONGEST_PAUSE, FIRST_PAUSE * 2**attempt)
    return random.uniform(FIRST_PAUSE, max(bound, FIRST_PAUSE))


def retrying(
    run: Callable[[], T],
    *,
    budget: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """`run()`, run again while it raises `DatabaseBusy` and may be run again (the module
    doc), at most ATTEMPTS times in all and while the pause still ends within `budget`
    seconds of the start (by default the busy timeout: a command that already waited that
    long for a lock is not made to wait longer). Then the last `DatabaseBusy` is raised."""
    global _run
    if budget is None:
        budget = location.BUSY_TIMEOUT_MS / 1000
    start = clock()
    attempt = 0
    while True:
        _run = _Run()  # a new run: nothing done yet
        try:
            return run()
        except DatabaseBusy:
            attempt += 1
            if attempt >= ATTEMPTS or not _may_run_again():
                raise
            pause = pause_before(attempt)
            if clock() - start + pause > budget:
                raise
            sleep(pause)
