"""Small helpers shared by the test modules (fixtures live in conftest.py)."""

from typer.testing import Result

# The documented keys of a client in `list --format json|csv|tsv`, in order (docs/formats.md):
# written out here, not imported from the code, so a change to the format fails the tests.
CLIENT_KEYS = [
    "id",
    "name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "referred_by",
    "tags",
    "notes",
    "grade",
    "owner",
    "created_at",
    "updated_at",
    "archived",
    "customer",
]
# The documented keys of a `due --format json|csv|tsv` item, in order (docs/agenda.md).
DUE_KEYS = [
    "kind",
    "urgency",
    "client_id",
    "client",
    "grade",
    "what",
    "due",
    "overdue",
    "overdue_days",
    "reason",
    "flags",
    "record_id",
]


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
