"""The layers import only downwards (docs/design.md): checked on the source, not by convention."""

from pathlib import Path

import pytest

import clientcard
from helpers import imported_names, imports_in

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
    # Services work on plain records through store.db (docs/performance.md): never the ORM, and
    # never a backend or the opener (the CLI opens the command's transaction).
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
        "clientcard.store.migrate",
        "clientcard.store.alchemy",
        "clientcard.store.pg",
        "psycopg",
        "clientcard.store.sqlite",
        "clientcard.store.open",
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


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in sorted(imported_names(path)):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []


# ---- no import cycles ------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """The clientcard modules a module imports, anywhere in it (inside functions and
    `if TYPE_CHECKING:` too). `from pkg import name` imports the module `pkg.name` when there is
    one, else `pkg` itself; a parent package's `__init__`, which Python also runs, is not
    counted (a package that imports its own submodules is not a cycle)."""
    found: set[str] = set()
    for module, names in imports_in(path):
        if not names:
            found.add(module)
        for name in names:
            submodule = f"{module}.{name}"
            found.add(submodule if submodule in MODULES else module)
    return {name for name in found if name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (or a module importing itself),
    each as one cycle through it: Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_itself_back() -> None:
    """Imports point one way, inside functions too: `a` imports `b`, so `b` (and nothing `b`
    imports) never imports `a`, not even lazily. A cycle makes the import order matter and hides
    which module is the lower one (issue 10: the store was one)."""
    graph = {name: imports_of(path) for name, path in MODULES.items()}
    assert cycles(graph) == []


def test_the_cycle_check_sees_lazy_imports_and_cycles() -> None:
    """Not vacuous: an import inside a function is an edge, `from pkg import mod` names the
    module, and a cycle, long or short, is found."""
    assert "clientcard.store.migrate" in imports_of(MODULES["clientcard.store.open"])
    assert "clientcard.store.location" in imports_of(MODULES["clientcard.store.sqlite"])
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
