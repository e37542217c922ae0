"""`Where`: a listing's filters, gathered one condition at a time, as readable SQL text.

A listing adds only the conditions its options ask for, each with its own parameters:

    where = Where()
    if client is not None:
        where.add("contact.client_id = :client_id", client_id=client.id)
    if channels:
        where.add("contact.via IN :channels", channels=list(channels))
    sql = f"{CONTACT_WITH_CLIENT} {where.tail('contact.at DESC, contact.id DESC', limit)}"
    db.pairs(Contact, Client, sql, **where.params)

`str(where)` is `WHERE a AND b`, or nothing when no condition was added; `tail()` adds the
order and the limit. The SQL stays text in the service that owns the rule (store/db.py says
how to write it portably).
"""

from typing import Any


class Where:
    def __init__(self, *conditions: str, **params: Any) -> None:
        self.conditions: list[str] = list(conditions)
        self.params: dict[str, Any] = dict(params)

    def add(self, condition: str, /, **params: Any) -> None:
        """AND one more condition; `params` are the values its `:names` stand for."""
        clash = self.params.keys() & params.keys()
        if clash:
            raise ValueError(f"parameter {sorted(clash)} given twice")
        self.conditions.append(condition)
        self.params.update(params)

    def __str__(self) -> str:
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""

    def tail(self, order_by: str, limit: int | None = None) -> str:
        """`WHERE ... ORDER BY order_by`, then `LIMIT n` when a limit is given. End `order_by`
        with a unique column (store/db.py says why). The limit is written into the text as a
        number (`int()` makes sure), so `params` stay the same for a count over the same rows."""
        sql = f"{self} ORDER BY {order_by}".lstrip()
        if limit is None:
            return sql
        if int(limit) < 1:
            raise ValueError(f"a limit of {limit} rows")  # the services refuse it before
        return f"{sql} LIMIT {int(limit)}"
