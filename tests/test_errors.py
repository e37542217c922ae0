"""Errors: one place maps every error to one line on stderr and an exit code; a bug shows no
client data and no traceback unless CLIENTCARD_TRACEBACK asks for one."""

import importlib
import os
import pkgutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import Result

import clientcard
import clientcard.services.clients as clients_service
from clientcard.cli.errors import EXIT_CODES, ExitCode, exit_code
from clientcard.clock import BadClock
from clientcard.domain import errors
from helpers import assert_error

INTERNAL = (
    "internal error (RuntimeError); nothing was changed. "
    "Run again with CLIENTCARD_TRACEBACK=1 to see the traceback, and report it"
)


def one_line_error(result: Result, code: int) -> str:
    """Assert a one-line error with `code`; return the message."""
    assert (result.exit_code, result.stdout) == (code, ""), result.stderr
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    return result.stderr.removeprefix("clientcard: ").rstrip("\n")


# ---- the mapping --------------------------------------------------------------------------

DOCUMENTED = [
    (errors.NotFound, 1),
    (errors.Ambiguous, 1),
    (errors.InvalidValue, 2),
    (BadClock, 2),
    (errors.Refused, 3),
    (errors.DatabaseError, 74),
    (errors.DatabaseBusy, 75),
    (errors.NoPermission, 77),
]


def test_exit_codes_have_their_documented_values() -> None:
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0,
        "NOT_FOUND": 1,
        "USAGE": 2,
        "REFUSED": 3,
        "SOFTWARE": 70,
        "DATABASE": 74,
        "BUSY": 75,
        "NO_PERMISSION": 77,
    }
    assert {cls: int(code) for cls, code in EXIT_CODES.items()} == dict(DOCUMENTED)


@pytest.mark.parametrize(("error", "code"), DOCUMENTED)
def test_each_error_class_gives_its_exit_code_and_its_message(
    cli, monkeypatch: pytest.MonkeyPatch, error: type[Exception], code: int
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error("what went wrong, in one line")

    monkeypatch.setattr(clients_service, "list_clients", broken)
    assert_error(cli("list"), code, "what went wrong, in one line")


def _all_error_classes() -> set[type[errors.ClientcardError]]:
    for module in pkgutil.walk_packages(clientcard.__path__, "clientcard."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[type[errors.ClientcardError]] = set()
    todo = [errors.ClientcardError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_every_error_class_in_the_package_maps_to_a_user_exit_code() -> None:
    unmapped = {cls.__qualname__ for cls in _all_error_classes() if exit_code(cls("x")) == 70}
    assert unmapped == set()


def test_a_subclass_of_a_mapped_error_maps_like_its_base(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PromiseAlreadyKept(errors.Refused):
        pass

    def broken(*args: object, **kwargs: object) -> None:
        raise PromiseAlreadyKept("promise #3 is already kept")

    monkeypatch.setattr(clients_service, "list_clients", broken)
    assert_error(cli("list"), 3, "promise #3 is already kept")


# ---- bugs ---------------------------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_without_client_data(
    cli, ok, snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "Zhang")
    before = snapshot()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret client data")

    monkeypatch.setattr(clients_service, "edit_client", broken)
    result = cli("edit", "Zhang", "--note", "x")
    assert_error(result, 70, INTERNAL)
    assert "secret" not in result.stderr
    assert snapshot() == before


def test_an_exception_after_a_write_rolls_the_whole_command_back(
    cli, ok, snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "Zhang")
    before = snapshot()
    real_view_of = clients_service.view_of

    def view_then_fail(*args: object, **kwargs: object) -> object:
        real_view_of(*args, **kwargs)  # the card and its grade change are flushed by now
        raise RuntimeError("secret client data")

    monkeypatch.setattr(clients_service, "view_of", view_then_fail)
    assert_error(cli("add", "Li", "--tag", "vip"), 70, INTERNAL)
    assert snapshot() == before


def test_with_clientcard_traceback_the_traceback_is_shown(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret client data")

    monkeypatch.setattr(clients_service, "list_clients", broken)
    result = cli("list", env={"CLIENTCARD_TRACEBACK": "1"})
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("RuntimeError: secret client data\n")
    assert "internal error" not in result.stderr


BROKEN_PROGRAM = """
import sys
import clientcard.services.clients as clients

def list_clients(session, flt):
    card_secret = "王小明 138-0000-1234"
    raise RuntimeError("boom " + str(len(card_secret)))

clients.list_clients = list_clients
from clientcard.cli import main
sys.argv = ["clientcard", "list"]
main()
"""


def _run_broken(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLIENTCARD_TRACEBACK"}
    env.update(CLIENTCARD_DB=str(tmp_path / "cards.db"), PYTHONIOENCODING="utf-8", **extra)
    return subprocess.run(
        [sys.executable, "-c", BROKEN_PROGRAM],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_a_bug_in_a_real_process_is_one_line_and_exit_70(tmp_path: Path) -> None:
    proc = _run_broken(tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (70, "", f"clientcard: {INTERNAL}\n")


def test_clientcard_traceback_shows_the_traceback_without_local_variables(
    tmp_path: Path,
) -> None:
    proc = _run_broken(tmp_path, CLIENTCARD_TRACEBACK="1")
    assert (proc.returncode, proc.stdout) == (70, "")
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: boom 17" in proc.stderr
    assert "王小明" not in proc.stderr
    assert "138-0000" not in proc.stderr


# ---- the environment and the command line -------------------------------------------------


def test_a_bad_clientcard_now_is_a_usage_error_and_changes_nothing(cli, ok, snapshot) -> None:
    ok("add", "Zhang")
    before = snapshot()
    assert_error(
        cli("add", "Li", env={"CLIENTCARD_NOW": "next tuesday"}),
        2,
        "CLIENTCARD_NOW='next tuesday' is not an ISO date-time; "
        "use e.g. 2026-11-23T09:00 or 2026-11-23T09:00+08:00",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--bogus"], "no such option: --bogus (see `clientcard list --help`)"),
        (["show"], "missing argument 'CLIENT' (see `clientcard show --help`)"),
        (["add"], "missing argument 'NAME' (see `clientcard add --help`)"),
        (["frobnicate"], "no such command 'frobnicate' (see `clientcard --help`)"),
        (["show", "a", "b"], "got unexpected extra argument(s) (b) (see `clientcard show --help`)"),
        (["list", "--limit", "many"], None),
        (
            ["add", "Li", "--tag"],
            "option '--tag' requires an argument",
        ),
    ],
)
def test_usage_errors_are_one_line_on_stderr_with_exit_2(
    cli, args: list[str], message: str | None
) -> None:
    text = one_line_error(cli(*args), 2)
    if message is not None:
        assert text == message


def test_no_arguments_prints_help_and_succeeds(cli) -> None:
    result = cli()
    assert result.exit_code == 0
    assert "Usage: clientcard" in result.stdout
    assert result.stderr == ""


def test_help_lists_the_card_commands(cli) -> None:
    out = cli("--help").stdout
    for command in ("add", "edit", "list", "show", "archive", "unarchive", "delete", "grade"):
        assert f" {command} " in out


# ---- the database -------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_gives_exit_74(cli, db_path: Path) -> None:
    junk = b"this is not a database, it is a shopping list\n" * 200
    db_path.write_bytes(junk)
    assert_error(
        cli("list"),
        74,
        f"{db_path} is not a clientcard book: it is not an SQLite database; "
        "give the path of a clientcard book, or of a new file",
    )
    assert db_path.read_bytes() == junk


def test_a_database_that_cannot_be_created_gives_exit_74(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    message = one_line_error(cli("--db", str(blocker / "cards.db"), "list"), 74)
    assert message == (
        f"cannot open the database {blocker / 'cards.db'}: {blocker} is not a folder"
    )


def test_a_url_with_an_unknown_driver_gives_exit_74(cli) -> None:
    message = one_line_error(cli("--db", "nosuchdb://host/x", "list"), 74)
    assert message.startswith("cannot use database URL 'nosuchdb://host/x': ")


def test_a_database_locked_by_another_writer_gives_exit_75_and_changes_nothing(
    cli, ok, snapshot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add", "Zhang")
    before = snapshot()
    monkeypatch.setattr("clientcard.store.location.BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE client SET notes = 'held by cron'")
        assert_error(
            cli("add", "Li"),
            75,
            "the database is busy (another clientcard is writing); try again in a moment",
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert snapshot() == before


def test_a_url_whose_driver_is_missing_says_so_and_hides_the_password(cli) -> None:
    from helpers import assert_error

    result = cli("--db", "mysql://me:secret@localhost/cards", "list")
    assert_error(
        result,
        74,
        "cannot use database URL 'mysql://me:***@localhost/cards': its driver is not installed "
        "(No module named 'MySQLdb')",
    )
