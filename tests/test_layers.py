"""The layers import only downwards (docs/design.md): checked on the source, not by convention."""

import ast
from pathlib import Path

import pytest

import clientcard

PACKAGE = Path(clientcard.__file__).parent

# What each layer must never import, anywhere in the module (inside functions too).
FORBIDDEN = {
    "domain": (
        "typer",
        "rich",
        "sqlmodel",
        "sqlalchemy",
        "alembic",
        "clientcard.cli",
        "clientcard.services",
        "clientcard.store",
        "clientcard.output",
    ),
    # Services work on plain records through store.db (docs/performance.md): never the ORM.
    "services": (
        "typer",
        "rich",
        "sqlmodel",
        "sqlalchemy",
        "alembic",
        "pydantic",
        "clientcard.cli",
        "clientcard.output",
        "clientcard.store.models",
        "clientcard.store.engine",
        "clientcard.store.migrate",
        "clientcard.store.alchemy",
    ),
    "store": ("typer", "rich", "clientcard.cli", "clientcard.services", "clientcard.output"),
    "output": (
        "typer",
        "sqlmodel",
        "sqlalchemy",
        "clientcard.cli",
        "clientcard.services",
        "clientcard.store",
    ),
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []
