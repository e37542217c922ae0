"""Many people writing the same cards at once, on SQLite and on PostgreSQL (docs/team.md,
"Working at the same time"; docs/design.md#working-at-the-same-time).

Eight processes log contacts and regrade the same three cards, 100 writes each, started at the
same instant (a Barrier), each write its own transaction run as the CLI runs it (the service
inside `store.open.transaction`, run again by `store.retry.retrying` when it gives way), while
a ninth process lists and shows the cards. Then a smaller burst through the installed
`clientcard` script proves the command line's path. Afterwards the book must hold every
contact logged, every card's grade history must chain (each change's `from` is the `to` of the
one before it, by id) and end on the card's grade, every card's last contact must be its newest
contact, and no write may have failed (no exit 75, no internal error).
"""

import itertools
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clientcard.domain.errors import DatabaseBusy, Refused
from clientcard.domain.grades import Grade
from clientcard.domain.settings import Settings
from clientcard.store import retry
from clientcard.store.db import BUSY_MESSAGE as BUSY
from clientcard.store.open import transaction
from helpers import assert_error

WRITERS = 8
WRITES = 100  # each writer's, through the services
CLI_WRITES = 3  # each writer's, through the installed script (a process each: slower)
CARDS = 3
GRADES = [g.value for g in Grade]
SCRIPT = Path(sys.executable).parent / "clientcard"

FORK = multiprocessing.get_context("fork")


def _count_runs(run: Callable[[], Any], runs: list[int]) -> Callable[[], Any]:
    def counted() -> Any:
        runs[0] += 1
        return run()

    return counted


def _write(url: str, kind: str, card: int, grade: str, note: str) -> str:
    """One write, as one command makes it: its own transaction, run again when it gives way.
    Returns what happened: "log", "regrade", "unchanged" (already that grade) or "retried:..."."""
    from clientcard.services import contacts, grades

    def once() -> str:
        now = datetime.now(UTC)
        with transaction(url, write=True) as db:
            if kind == "log":
                contacts.log_contact(
                    db, str(card), via="call", summary=note, now=now, settings=Settings()
                )
                return "log"
            try:
                grades.regrade(db, str(card), grade=Grade(grade), reason=note, now=now)
            except Refused:
                return "unchanged"
            return "regrade"

    runs = [0]
    done = retry.retrying(_count_runs(once, runs))
    return done if runs[0] == 1 else f"{done} retried"


def _writer(url: str, cards: list[int], seed: int, barrier: Any, results: Any) -> None:
    rng = random.Random(seed)
    tally: dict[str, int] = {}
    failures: list[str] = []
    barrier.wait()
    for n in range(WRITES):
        kind = "log" if rng.random() < 0.5 else "regrade"
        try:
            done = _write(url, kind, rng.choice(cards), rng.choice(GRADES), f"w{seed}-{n}")
        except Exception:
            failures.append(traceback.format_exc(limit=3))
            continue
        for word in done.split():
            tally[word] = tally.get(word, 0) + 1
    results.put((tally, failures))


def _cli_writer(url: str, cards: list[int], seed: int, barrier: Any, results: Any) -> None:
    """The same writes through the installed script, as a salesperson's shell runs them."""
    rng = random.Random(seed)
    env = {k: v for k, v in os.environ.items() if k != "CLIENTCARD_NOW"}  # the real clock
    tally: dict[str, int] = {}
    failures: list[str] = []
    barrier.wait()
    for n in range(CLI_WRITES):
        card = str(rng.choice(cards))
        if rng.random() < 0.5:
            args = ["log", card, f"cli{seed}-{n}", "--via", "visit"]
            kind = "log"
        else:
            args = ["grade", card, rng.choice(GRADES), "--reason", f"cli{seed}-{n}"]
            kind = "regrade"
        run = subprocess.run(
            [str(SCRIPT), "--db", url, *args], env=env, capture_output=True, text=True
        )
        if run.returncode == 3 and kind == "regrade" and "already grade" in run.stderr:
            kind = "unchanged"
        elif run.returncode != 0:
            failures.append(f"exit {run.returncode}: {run.stderr.strip()}")
            continue
        tally[kind] = tally.get(kind, 0) + 1
    results.put((tally, failures))


def _reader(url: str, cards: list[int], stop: Any, results: Any) -> None:
    """Lists and shows the cards while they are written: never blocked, never failing."""
    from clientcard.services import card_page, clients

    reads = 0
    failures: list[str] = []
    while not stop.is_set():
        try:
            now = datetime.now(UTC)
            with transaction(url, write=False) as db:
                listed = clients.list_clients(db, clients.ClientFilter(now=now))
                assert len(listed) == CARDS
                for card in cards:
                    page = card_page.card_page(db, str(card), now=now, settings=Settings())
                    assert page is not None
            reads += 1
        except Exception:
            failures.append(traceback.format_exc(limit=3))
        time.sleep(0.02)  # leave the writers most of the two cores a CI machine has
    results.put(({"reads": reads}, failures))


def _burst(target: Callable[..., None], url: str, cards: list[int]) -> dict[str, int]:
    """WRITERS processes of `target` started at one instant, and a reader meanwhile: what they
    did, summed. Fails with every failure any of them met."""
    barrier = FORK.Barrier(WRITERS)
    results = FORK.Queue()
    stop = FORK.Event()
    writers = [
        FORK.Process(target=target, args=(url, cards, seed, barrier, results))
        for seed in range(WRITERS)
    ]
    reader = FORK.Process(target=_reader, args=(url, cards, stop, results))
    reader.start()
    for p in writers:
        p.start()
    gathered = [results.get(timeout=300) for _ in writers]
    stop.set()
    gathered.append(results.get(timeout=60))
    for p in [*writers, reader]:
        p.join(timeout=60)
        assert p.exitcode == 0
    total: dict[str, int] = {}
    failures: list[str] = []
    for tally, failed in gathered:
        for k, v in tally.items():
            total[k] = total.get(k, 0) + v
        failures += failed
    assert failures == [], "\n".join(failures[:5])
    assert total.get("reads", 0) > 0
    return total


def _check_the_book(url: str, cards: list[int], logs: int, regrades: int) -> None:
    with transaction(url, write=False) as db:
        assert db.scalar("SELECT count(*) FROM contact") == logs
        assert db.scalar("SELECT count(*) FROM grade_change") == CARDS + regrades
        for card in cards:
            grade, last_contact = db.rows(
                "SELECT grade, last_contact_at FROM client WHERE id = :id",
                ("", "datetime"),
                id=card,
            )[0]
            history = db.rows(
                "SELECT from_grade, to_grade FROM grade_change WHERE client_id = :id ORDER BY id",
                id=card,
            )
            assert history[0][0] is None  # "added"
            for (_, before), (after_from, _) in itertools.pairwise(history):
                assert after_from == before, f"#{card}: a change from {after_from} after {before}"
            assert history[-1][1] == grade, f"#{card} is {grade}, its newest change says otherwise"
            newest = db.scalar(
                "SELECT max(at) FROM contact WHERE client_id = :id", "datetime", id=card
            )
            assert last_contact == newest, f"#{card}: last contact {last_contact} != {newest}"


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, ok: Any, db_path: Path) -> tuple[str, list[int]]:
    """A book of three cards (CJK names), on a file or on a throwaway PostgreSQL database."""
    url = str(db_path) if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    cards = [int(ok("--db", url, "add", name, "-q").stdout) for name in ("张伟", "李娜", "王芳")]
    return url, cards


def test_eight_writers_on_the_same_cards_lose_nothing(book: tuple[str, list[int]]) -> None:
    url, cards = book
    done = _burst(_writer, url, cards)
    assert done.get("log", 0) + done.get("regrade", 0) + done.get("unchanged", 0) == (
        WRITERS * WRITES
    )
    assert done.get("regrade", 0) > 0
    assert done.get("log", 0) > 0
    logs, regrades = done["log"], done["regrade"]
    _check_the_book(url, cards, logs, regrades)

    if not SCRIPT.exists():
        pytest.skip(f"clientcard is not installed next to {sys.executable}")
    by_cli = _burst(_cli_writer, url, cards)
    assert by_cli.get("log", 0) + by_cli.get("regrade", 0) + by_cli.get("unchanged", 0) == (
        WRITERS * CLI_WRITES
    )
    _check_the_book(url, cards, logs + by_cli.get("log", 0), regrades + by_cli.get("regrade", 0))


# ---- the retry itself -----------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def _gives_way(times: int, *, write: bool = True) -> Callable[[], str]:
    calls = [0]

    def run() -> str:
        calls[0] += 1
        if calls[0] <= times:
            retry.failed(write=write)
            raise DatabaseBusy("busy")
        return f"done after {calls[0]}"

    return run


def test_a_write_that_gives_way_runs_again_after_a_growing_random_pause() -> None:
    clock = _Clock()
    assert retry.retrying(_gives_way(3), sleep=clock.sleep, clock=lambda: clock.now) == (
        "done after 4"
    )
    assert len(clock.pauses) == 3
    bounds = [0.1, 0.2, 0.4]
    assert all(retry.FIRST_PAUSE <= p <= b for p, b in zip(clock.pauses, bounds, strict=True)), (
        clock.pauses
    )


def test_after_a_few_runs_or_the_busy_timeout_it_stays_busy() -> None:
    clock = _Clock()
    with pytest.raises(DatabaseBusy):
        retry.retrying(_gives_way(99), sleep=clock.sleep, clock=lambda: clock.now)
    assert len(clock.pauses) == retry.ATTEMPTS - 1
    clock = _Clock()
    times = iter([0.0, 4.98])  # the first run waited (almost) the whole busy timeout
    with pytest.raises(DatabaseBusy):
        retry.retrying(_gives_way(99), budget=5.0, sleep=clock.sleep, clock=lambda: next(times))
    assert clock.pauses == []


def test_what_cannot_be_done_twice_is_not_run_again() -> None:
    clock = _Clock()
    with pytest.raises(DatabaseBusy):  # a read: it may have written its output already
        retry.retrying(_gives_way(1, write=False), sleep=clock.sleep, clock=lambda: clock.now)

    def after_a_commit() -> str:
        retry.committed()
        retry.failed(write=True)
        raise DatabaseBusy("busy")

    with pytest.raises(DatabaseBusy):
        retry.retrying(after_a_commit, sleep=clock.sleep, clock=lambda: clock.now)

    def after_a_question() -> str:
        retry.once()
        retry.failed(write=True)
        raise DatabaseBusy("busy")

    with pytest.raises(DatabaseBusy):
        retry.retrying(after_a_question, sleep=clock.sleep, clock=lambda: clock.now)
    assert clock.pauses == []


# ---- the command line runs a command again ---------------------------------------------------


class OperationalError(Exception):
    """What psycopg raises when PostgreSQL breaks a deadlock (its SQLSTATE 40P01)."""

    sqlstate = "40P01"


def _deadlocked_once(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """`module.name` fails like the loser of a deadlock the first time it is called."""
    real = getattr(module, name)
    calls = [0]

    def first_fails(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        done = real(*args, **kwargs)  # its writes are rolled back with the transaction
        if calls[0] == 1:
            raise OperationalError("deadlock detected")
        return done

    monkeypatch.setattr(module, name, first_fails)
    return calls


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, db_path: Path) -> str:
    return str(db_path) if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def test_a_regrade_that_lost_a_deadlock_is_run_again_and_said_once(
    url: str, ok: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcard.services import grades

    ok("--db", url, "add", "张伟", "-q")
    calls = _deadlocked_once(monkeypatch, grades, "regrade")
    result = ok("--db", url, "grade", "张伟", "B", "--reason", "签约")
    assert calls == [2]
    assert result.stdout.count("张伟") == 1  # the first run printed nothing
    history = ok("--db", url, "grade", "张伟", "--format", "json").stdout
    assert [(r["from_grade"], r["to_grade"]) for r in json.loads(history)] == [
        ("F", "B"),
        (None, "F"),
    ]


def test_a_read_or_an_import_that_gives_way_is_not_run_again(
    url: str, ok: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcard.services import bringin, clients

    ok("--db", url, "add", "张伟", "-q")
    calls = _deadlocked_once(monkeypatch, clients, "list_clients")
    assert_error(cli("--db", url, "list"), 75, BUSY)
    assert calls == [1]
    calls = _deadlocked_once(monkeypatch, bringin, "import_cards")
    assert_error(cli("--db", url, "import", "-", input="name\n李娜\n"), 75, BUSY)
    assert calls == [1]
    assert [c["name"] for c in json.loads(ok("--db", url, "list", "-f", "json").stdout)] == ["张伟"]
