"""What shell completion offers from the book (docs/completion.md): cards for CLIENT, open
promises and complaints for an ID. Read-only and quick: each is one or two indexed queries,
run on every <TAB>, and this module imports no more than the store's data access layer.

A card is offered as its name when that name finds it again (`resolve_client` tries an exact
name first), else as its id: two live cards named 张伟 are offered as `17` and `203`, with the
name, company and grade beside each.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from clientcard.domain.cards import clean_name, name_key
from clientcard.domain.pinyin import forms, typed_key
from clientcard.domain.refs import LETTERS, record_ref
from clientcard.services.views.completion import Candidate
from clientcard.store.db import Db

LIMIT = 30  # a shell lists them all; more than a screenful helps nobody
MAX_ID_DIGITS = 18  # as services/lookup.py: longer digits are no id
_SEP = "\x1f"  # between the fields of client.search_key (domain/cards.py)

_CARD = "SELECT id, name, name_key, company, grade, archived_at, sort_key FROM client"


def _shown(text: str) -> str:
    """Text a shell prints in its menu, with no character a terminal would obey (an ESC, a bidi
    override from an imported name) left in: each becomes `?`."""
    return text if text.isprintable() else "".join(c if c.isprintable() else "?" for c in text)


def _card_help(row: tuple[Any, ...]) -> str:
    _, name, _, company, grade, archived_at = row[:6]
    words = [f"#{row[0]} {_shown(name)}"]
    if company:
        words.append(_shown(company))
    words.append(f"grade {grade}")
    if archived_at is not None:
        words.append("archived")
    return ", ".join(words)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS


def _ids_starting(db: Db, table: str, digits: str, where: str, limit: int) -> list[int]:
    """The ids written with these leading digits, smallest first: `12` is 12, 120-129,
    1200-1299 ... each an indexed range, up to the largest id."""
    top = db.scalar(f"SELECT max(id) FROM {table}")
    found: list[int] = []
    low, high = int(digits), int(digits)
    while top is not None and low <= int(top) and len(found) < limit:
        rows = db.rows(
            f"SELECT id FROM {table} WHERE id BETWEEN :low AND :high{where} "
            "ORDER BY id LIMIT :limit",
            low=low,
            high=high,
            limit=limit - len(found),
        )
        found += [int(r[0]) for r in rows]
        if low == 0:
            break
        low, high = low * 10, high * 10 + 9
    return found


def cards(
    db: Db, typed: str, *, archived: bool = False, now: datetime, limit: int = LIMIT
) -> list[Candidate]:
    """The cards `typed` may name: by id (leading digits), by name and by company (leading
    letters, case-folded: `zh` finds Zhang, `张` finds 张伟 and 张小明, `平安` the cards of
    平安保险), and by the pinyin or initials of either (`zw` and `zhangw` find 张伟, `pa` the
    cards of 平安保险): names first, in the order of `list`. Live cards, or with `archived` the
    archived ones (`unarchive`). Nothing typed: the cards whose follow-up is due today or
    overdue, the most overdue first."""
    state = "archived_at IS NOT NULL" if archived else "archived_at IS NULL"
    text = typed.strip().lstrip("#")
    rows: list[tuple[Any, ...]]
    if not text:
        # imported here: domain.dates is the biggest of our imports, and a typed prefix (the
        # <TAB> that must answer in 0.15 s, docs/performance.md) never needs it
        from clientcard.domain.dates import local_date, zone_of

        today: date = local_date(now, zone_of(now))
        rows = db.rows(
            f"{_CARD} WHERE next_followup_on <= :today AND {state} "
            "ORDER BY next_followup_on, id LIMIT :limit",
            ("", "", "", "", "", "datetime", ""),
            today=today,
            limit=limit,
        )
    elif _digits(text):
        ids = _ids_starting(db, "client", text, f" AND {state}", limit)
        rows = db.rows(f"{_CARD} WHERE id IN :ids ORDER BY id", ids=ids) if ids else []
        return [Candidate(str(r[0]), _card_help(r)) for r in rows]
    else:
        key = name_key(clean_name(text))
        rows = list(
            db.rows(
                f"{_CARD} WHERE name_key >= :key AND name_key < :end AND {state} "
                "ORDER BY name_key, id LIMIT :limit",
                key=key,
                end=key + "\U0010ffff",
                limit=limit,
            )
        )
        spelled = typed_key(text)
        if spelled is not None and len(rows) < limit:  # then names by their pinyin (issue 18)
            seen = {r[0] for r in rows}
            for column in ("pinyin", "initials"):
                for r in db.rows(
                    f"{_CARD} WHERE {column} >= :key AND {column} < :end AND {state} "
                    f"ORDER BY {column}, id LIMIT :limit",  # the index's order: it stops early
                    key=spelled,
                    end=spelled + "\U0010ffff",
                    limit=limit,
                ):
                    if r[0] not in seen:
                        seen.add(r[0])
                        rows.append(r)
        rows = sorted(rows, key=lambda r: (r[6], r[0]))[:limit]
        if len(rows) < limit:  # then the cards of companies that start so
            pattern = (
                "%" + _SEP + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            seen = {r[0] for r in rows}
            more = db.rows(
                f"{_CARD} WHERE id IN (SELECT id FROM client WHERE search_key LIKE :pattern "
                f"ESCAPE '\\') AND {state} ORDER BY sort_key, id",
                pattern=pattern,
            )
            rows += [r for r in more if r[0] not in seen and _company_starts(r[3], key, spelled)][
                : limit - len(rows)
            ]
    return _named(db, rows, state)


def _company_starts(company: str | None, key: str, spelled: str | None) -> bool:
    """Whether a company starts with what was typed, or its pinyin or initials do."""
    if not company:
        return False
    if name_key(company).startswith(key):
        return True
    found = forms(company, person=False) if spelled is not None else None
    return found is not None and any(f.startswith(spelled or "") for f in found)


def _named(db: Db, rows: Sequence[tuple[Any, ...]], state: str) -> list[Candidate]:
    """Each card as its name when the name finds it alone and can be typed (nothing in it a
    terminal would obey), else as its id."""
    keys = sorted({r[2] for r in rows})
    shared = {
        k
        for k, n in db.rows(
            f"SELECT name_key, count(*) FROM client WHERE name_key IN :keys AND {state} "
            "GROUP BY name_key",
            keys=keys,
        )
        if n > 1
    }
    return [
        Candidate(
            str(r[0]) if r[2] in shared or _digits(r[1]) or not r[1].isprintable() else r[1],
            _card_help(r),
        )
        for r in rows
    ]


def _clock(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime | date) else ""


def promises(db: Db, typed: str, *, now: datetime, limit: int = LIMIT) -> list[Candidate]:
    """Open promises by id, offered as printed (`P3`; typed `P3`, `p3` or `3`, leading digits;
    nothing typed: the soonest due)."""
    return _records(
        db,
        "promise",
        typed,
        "p",
        "SELECT p.id, p.what, p.due_at, c.name FROM promise p JOIN client c ON c.id = p.client_id",
        "p.due_at, p.id",
        now=now,
        limit=limit,
    )


def complaints(db: Db, typed: str, *, now: datetime, limit: int = LIMIT) -> list[Candidate]:
    """Open complaints by id, offered as printed (`C3`; typed `C3`, `c3` or `3`, leading
    digits; nothing typed: the oldest first)."""
    return _records(
        db,
        "complaint",
        typed,
        "k",
        "SELECT k.id, k.what, k.received_at, c.name FROM complaint k JOIN client c "
        "ON c.id = k.client_id",
        "k.received_at, k.id",
        now=now,
        limit=limit,
    )


def _records(
    db: Db,
    table: str,
    typed: str,
    alias: str,
    select: str,
    order: str,
    *,
    now: datetime,
    limit: int,
) -> list[Candidate]:
    text = typed.strip()
    if text[:1].upper() == LETTERS[table]:
        text = text[1:]
    open_ = f"{alias}.status = 'open'"
    if not text:
        rows = db.rows(
            f"{select} WHERE {open_} ORDER BY {order} LIMIT :limit",
            ("", "", "datetime", ""),
            limit=limit,
        )
    elif _digits(text):
        ids = _ids_starting(db, table, text, " AND status = 'open'", limit)
        rows = (
            db.rows(
                f"{select} WHERE {alias}.id IN :ids ORDER BY {alias}.id",
                ("", "", "datetime", ""),
                ids=ids,
            )
            if ids
            else []
        )
    else:
        return []
    from clientcard.domain.dates import zone_of

    tz = zone_of(now)
    return [
        Candidate(
            record_ref(table, r[0]),
            f"{r[1]} for {r[3]}"
            + (f", {_clock(r[2].astimezone(tz))}" if isinstance(r[2], datetime) else ""),
        )
        for r in rows
    ]
