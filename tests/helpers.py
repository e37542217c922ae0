"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

from typer.testing import Result


def at(moment: str) -> dict[str, str]:
    """The env that pins the clock at `moment` (local time) for one command."""
    return {"CLIENTCARD_NOW": moment}


def assert_error(result: Result, code: int, message: str) -> None:
    """A user mistake: one line on stderr starting `clientcard: `, nothing on stdout, the code."""
    assert (result.exit_code, result.stdout, result.stderr) == (
        code,
        "",
        f"clientcard: {message}\n",
    )
