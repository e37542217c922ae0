"""The CLI's shape: every table names only keys its view has, every listing goes through one
path, no command module imports another, and only cli/_click.py reaches into Typer's Click."""

import dataclasses
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

import clientcard
from clientcard.cli._common import Table
from clientcard.output import Column
from clientcard.services.views.keys import Keyed, Keys
from clientcard.services.views.occasions import HolidayGreetingView, OccasionView
from helpers import imported_names

PACKAGE = Path(clientcard.__file__).parent
CLI = PACKAGE / "cli"
CLI_MODULES = sorted(f"clientcard.cli.{p.stem}" for p in CLI.glob("*.py") if p.stem != "__init__")
# What a command module may import from the CLI: what every command shares, the Click shim, and
# the shell completion adapters (issue 12; the root group registers them when completing).
# Issue 18: and help in the interface's language (cli/_help.py), which the root's modules use.
SHARED = {
    "clientcard.cli._common",
    "clientcard.cli._click",
    "clientcard.cli._completion",
    "clientcard.cli._help",
}


def tables() -> list[tuple[str, Table]]:  # type: ignore[type-arg]
    """Every table the CLI draws, by module and name: the CLI's own registry of listings."""
    found = []
    for name in CLI_MODULES:
        module = importlib.import_module(name)
        found += [(f"{name}.{k}", v) for k, v in vars(module).items() if isinstance(v, Table)]
    return found


def unknown_columns(table: Table) -> list[str]:  # type: ignore[type-arg]
    """The columns of `table` that name neither a key of its view nor one of its own."""
    known = set(table.keys()) | set(table.extra)
    return [c.key for c in table.columns if c.key not in known]


@pytest.mark.parametrize(("name", "table"), tables(), ids=[n for n, _ in tables()])
def test_every_column_names_a_key_of_its_view(name: str, table: Table) -> None:  # type: ignore[type-arg]
    assert unknown_columns(table) == []
    assert set(table.extra).isdisjoint(table.keys())  # a table's own value never hides a key


def test_the_check_sees_a_column_its_view_lacks() -> None:
    table = Table("sales.SaleView", [Column("id", "ID"), Column("amount_txt", "Amount")])
    assert unknown_columns(table) == ["amount_txt"]


def test_every_listing_is_registered() -> None:
    """Every CLI command that writes a listing does it through `Listing.write` with a Table,
    and no module keeps a bare list of columns outside one (which the check above would miss)."""
    assert len(tables()) >= 20
    for name in CLI_MODULES:
        module = importlib.import_module(name)
        bare = [
            k
            for k, v in vars(module).items()
            if isinstance(v, Sequence)
            and not isinstance(v, str)
            and v
            and all(isinstance(c, Column) for c in v)
        ]
        assert bare == [], f"{name} has columns outside a Table: {bare}"
        source = (CLI / f"{name.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8")
        if name != "clientcard.cli._common":
            assert "write_listing(" not in source, f"{name} writes a listing around Listing"


def test_a_holiday_greeting_has_the_keys_of_an_occasion() -> None:
    """The card page lists both in one section, drawn with the occasions' columns."""
    assert HolidayGreetingView.KEYS.names == OccasionView.KEYS.names


imports = imported_names


@pytest.mark.parametrize("module", CLI_MODULES)
def test_no_command_module_imports_another(module: str) -> None:
    """Shared option types and help texts are in cli/_common.py; a command module imports
    that and the Click shim, never another command module (cli/__init__.py assembles them)."""
    path = CLI / f"{module.rsplit('.', 1)[1]}.py"
    cli_modules = {f"clientcard.cli.{p.stem}" for p in CLI.glob("*.py")}
    others = {n for n in imports(path) if n in cli_modules} - SHARED - {module}
    assert others == set()


def test_only_the_shim_imports_typers_click() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != CLI / "_click.py"
        and any(n == "typer._click" or n.startswith("typer._click.") for n in imports(path))
    ]
    assert offenders == []


def keyed_views() -> list[type[Keyed]]:
    """Every view class with machine keys, from every module of services/views/."""
    found: dict[str, type[Keyed]] = {}
    for path in sorted((PACKAGE / "services" / "views").glob("*.py")):
        module = importlib.import_module(f"clientcard.services.views.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Keyed) and value is not Keyed:
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


@pytest.mark.parametrize("view", keyed_views(), ids=lambda v: v.__name__)
def test_every_key_path_starts_at_an_attribute_of_its_view(view: type[Keyed]) -> None:
    """mypy checks a key's function against the view, not a path written as a string."""
    attributes = {f.name for f in dataclasses.fields(view)} | set(dir(view))  # type: ignore[arg-type]
    assert [p for p in view.KEYS.paths.values() if p.split(".")[0] not in attributes] == []


def test_the_path_check_sees_a_wrong_path() -> None:
    @dataclasses.dataclass(frozen=True)
    class Probe(Keyed):
        name: str
        KEYS: ClassVar[Keys["Probe"]] = Keys("name", ("client", "missing.id"))

    attributes = {f.name for f in dataclasses.fields(Probe)} | set(dir(Probe))
    assert [p for p in Probe.KEYS.paths.values() if p.split(".")[0] not in attributes] == [
        "missing.id"
    ]
