"""Write `store/records.py`: one plain dataclass per SQLModel table, generated from the models.

The models stay the one source of truth for the schema (and, through Alembic, for migrations).
The services work on these records instead of ORM objects, so a command never has to import
SQLAlchemy, SQLModel or pydantic (issue 5: those imports alone cost more than the whole budget
of a hot command). `tests/test_db.py` regenerates the module and fails when it is stale.

    python -m clientcard.store.records_gen > src/clientcard/store/records.py
"""

import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticUndefined
from sqlmodel import SQLModel

from clientcard.store import models

HEADER = '''"""The records the services work on: one plain class per table.

GENERATED from clientcard/store/models.py by `python -m clientcard.store.records_gen`; do not
edit by hand (tests/test_db.py fails when this file is stale). Times are aware datetimes in
UTC; `__kinds__` tells the data access layer (store/db.py) which columns to convert.

Each record is what `@dataclass(kw_only=True, slots=True)` would make (slots, a keyword-only
`__init__`, and `__eq__` and `__repr__` from store/recordbase.py), written out: a dataclass
writes and compiles its methods each time its module is imported, which cost every command
about 45 M instructions (issue 12, speed), where this file's bytecode is cached.
"""

from datetime import date, datetime
from typing import ClassVar

from clientcard.store.recordbase import Record
'''


@dataclass(frozen=True)
class Projection:
    """A narrower record over some of a table's columns, generated inside the table's record
    (`Client.Export`), for a reader that must not load whole rows. Its columns take their types
    and kinds from the model, so they cannot drift from the table; the ones in `as_stored` are
    left as the database returns them (typed `object`), for a reader that only asks whether
    they are set."""

    table: str
    name: str
    doc: str
    columns: tuple[str, ...]
    as_stored: tuple[str, ...] = ()


PROJECTIONS = (
    Projection(
        table="client",
        name="Export",
        doc=(
            "What `export` reads of a card (services/transfer.py): only the columns its row "
            "needs, and only the two times it prints converted (loading whole cards cost as much "
            "again as the rest of the export)."
        ),
        columns=(
            "id",
            "name",
            "company",
            "title",
            "phone",
            "email",
            "address",
            "source",
            "referred_by_id",
            "notes",
            "grade",
            "owner",
            "created_at",
            "updated_at",
            "archived_at",
            "first_sale_at",
            "graded_at",
            "last_visit_at",
        ),
        # the row says only whether they are set (last visit: an F card's kind)
        as_stored=("archived_at", "first_sale_at", "last_visit_at"),
    ),
)


def _kind(column: Any) -> tuple[str, str]:
    """(python type, conversion kind) of a column."""
    sql_type = column.type
    python_type = getattr(sql_type, "impl_instance", sql_type).python_type  # TypeDecorators
    for known, kind in ((datetime, "datetime"), (date, "date"), (bool, "bool")):
        if issubclass(python_type, known):
            return known.__name__, kind
    if python_type in (int, str):
        return python_type.__name__, ""
    raise TypeError(f"{column.table.name}.{column.name}: no record type for {python_type!r}")


def _lengths(columns: Sequence[Any]) -> list[str]:
    """`__lengths__`: the most characters each sized text column holds (PostgreSQL enforces
    them; a book file is checked against them: store/book.py). None when no column is sized."""
    sized = {c.name: c.type.length for c in columns if getattr(c.type, "length", None)}
    if not sized:
        return []
    pairs = ", ".join(f'"{name}": {length}' for name, length in sized.items())
    line = f"    __lengths__: ClassVar[dict[str, int]] = {{{pairs}}}"
    if len(line) <= 100:
        return [line]
    body = [f'        "{name}": {length},' for name, length in sized.items()]
    return ["    __lengths__: ClassVar[dict[str, int]] = {", *body, "    }"]


def _model_of(table_name: str) -> type[SQLModel]:
    for value in vars(models).values():
        if isinstance(value, type) and getattr(value, "__tablename__", None) == table_name:
            return value
    raise LookupError(table_name)


def _default(model: type[SQLModel], name: str) -> str | None:
    field = model.model_fields[name]
    if field.default is PydanticUndefined:
        return None
    return repr(field.default)


def _strings(name: str, values: Sequence[str], indent: str = "    ") -> str:
    """A tuple of strings as ruff would format it: on one line when it fits, else one per line."""
    items = ", ".join(f'"{v}"' for v in values) + ("," if len(values) == 1 else "")
    line = f"{indent}{name}: ClassVar[tuple[str, ...]] = ({items})"
    if len(line) <= 100:
        return line
    inner = "".join(f'{indent}    "{v}",\n' for v in values)
    return f"{indent}{name}: ClassVar[tuple[str, ...]] = (\n{inner}{indent})"


def _projection(table: Any, projection: Projection) -> list[str]:
    """The lines of a projection's record, nested in its table's record."""
    by_name = {c.name: c for c in table.columns}
    unknown = [n for n in (*projection.columns, *projection.as_stored) if n not in by_name]
    if unknown or not set(projection.as_stored) <= set(projection.columns):
        raise LookupError(f"{projection.name}: {table.name} has no column {unknown}")
    chosen = [by_name[n] for n in projection.columns]
    types_and_kinds = [
        ("object", "") if c.name in projection.as_stored else _kind(c) for c in chosen
    ]
    key = tuple(c.name for c in table.columns if c.primary_key)
    indent = "        "
    lines = [
        "",
        f"    class {projection.name}(Record):",
        textwrap.fill(
            f'"""{projection.doc}"""', width=97, initial_indent=indent, subsequent_indent=indent
        ),
        "",
        f'{indent}__table__: ClassVar[str] = "{table.name}"',
        _strings("__columns__", projection.columns, indent),
        _strings("__kinds__", [k for _, k in types_and_kinds], indent),
        _strings("__key__", key, indent),
        f"{indent}__slots__ = __columns__",
        "",
    ]
    fields = []
    for column, (py_type, _) in zip(chosen, types_and_kinds, strict=True):
        nullable = column.nullable and py_type != "object"
        fields.append((column.name, py_type + (" | None" if nullable else ""), None))
    return lines + _body(fields, indent)


def _body(fields: Sequence[tuple[str, str, str | None]], indent: str) -> list[str]:
    """The annotations and the keyword-only `__init__` of a record: (name, type, default)."""
    lines = [f"{indent}{name}: {annotation}" for name, annotation, _ in fields]
    lines += ["", f"{indent}def __init__(", f"{indent}    self,", f"{indent}    *,"]
    for name, annotation, default in fields:
        lines.append(f"{indent}    {name}: {annotation}" + (f" = {default}," if default else ","))
    lines.append(f"{indent}) -> None:")
    lines += [f"{indent}    self.{name} = {name}" for name, _, _ in fields]
    return lines


def generate() -> str:
    parts = [HEADER.rstrip("\n")]
    tables = sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name)
    for table in tables:
        model = _model_of(table.name)
        doc = (model.__doc__ or "").strip().splitlines()[0]
        columns = list(table.columns)
        kinds = [_kind(c) for c in columns]
        key = tuple(c.name for c in columns if c.primary_key)
        lines = [
            "",
            "",
            "",
            f"class {model.__name__}(Record):",
            f'    """{doc}"""',
            "",
            f'    __table__: ClassVar[str] = "{table.name}"',
            _strings("__columns__", [c.name for c in columns]),
            _strings("__kinds__", [k for _, k in kinds]),
            _strings("__key__", key),
            *_lengths(columns),
            "    __slots__ = __columns__",
            "",
        ]
        fields = []
        for column, (py_type, _) in zip(columns, kinds, strict=True):
            autoincrement = key == ("id",) and column.name == "id"
            annotation = f"{py_type} | None" if column.nullable or autoincrement else py_type
            default = "None" if autoincrement else _default(model, column.name)
            default = default and default.replace("'", '"')
            if default is None and column.nullable:
                default = "None"
            fields.append((column.name, annotation, default))
        lines += _body(fields, "    ")
        for projection in PROJECTIONS:
            if projection.table == table.name:
                lines += _projection(table, projection)
        parts.append("\n".join(lines))
    return "".join(parts) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate())
