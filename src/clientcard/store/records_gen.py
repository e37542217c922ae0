"""Write `store/records.py`: one plain dataclass per SQLModel table, generated from the models.

The models stay the one source of truth for the schema (and, through Alembic, for migrations).
The services work on these records instead of ORM objects, so a command never has to import
SQLAlchemy, SQLModel or pydantic (issue 5: those imports alone cost more than the whole budget
of a hot command). `tests/test_db.py` regenerates the module and fails when it is stale.

    python -m clientcard.store.records_gen > src/clientcard/store/records.py
"""

import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticUndefined
from sqlmodel import SQLModel

from clientcard.store import models

HEADER = '''"""The records the services work on: one plain dataclass per table.

GENERATED from clientcard/store/models.py by `python -m clientcard.store.records_gen`; do not
edit by hand (tests/test_db.py fails when this file is stale). Times are aware datetimes in
UTC; `__kinds__` tells the data access layer (store/db.py) which columns to convert.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from clientcard.store.recordbase import Record
'''


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


def _strings(name: str, values: Sequence[str]) -> str:
    """A tuple of strings as ruff would format it: on one line when it fits, else one per line."""
    items = ", ".join(f'"{v}"' for v in values) + ("," if len(values) == 1 else "")
    line = f"    {name}: ClassVar[tuple[str, ...]] = ({items})"
    if len(line) <= 100:
        return line
    inner = "".join(f'        "{v}",\n' for v in values)
    return f"    {name}: ClassVar[tuple[str, ...]] = (\n{inner}    )"


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
            "@dataclass(kw_only=True, slots=True)",
            f"class {model.__name__}(Record):",
            f'    """{doc}"""',
            "",
            f'    __table__: ClassVar[str] = "{table.name}"',
            _strings("__columns__", [c.name for c in columns]),
            _strings("__kinds__", [k for _, k in kinds]),
            _strings("__key__", key),
            "",
        ]
        for column, (py_type, _) in zip(columns, kinds, strict=True):
            autoincrement = key == ("id",) and column.name == "id"
            annotation = f"{py_type} | None" if column.nullable or autoincrement else py_type
            default = "None" if autoincrement else _default(model, column.name)
            default = default and default.replace("'", '"')
            if default is None and column.nullable:
                default = "None"
            lines.append(f"    {column.name}: {annotation}" + (f" = {default}" if default else ""))
        parts.append("\n".join(lines))
    return "".join(parts) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate())
