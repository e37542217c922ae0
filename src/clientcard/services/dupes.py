"""Likely duplicates already in the book (`clientcard dupes`, issue 14), and the rule "same name
and company" that `import --on-duplicate` shares (`cards_named`, `name_company_index`).

The rules are domain/duplicates.py's. How they are found, in a few queries whatever the size of
the book, never a comparison of every pair of cards:

- phones and e-mail addresses: one query per kind groups `client_reach` by key (its index on
  kind and key) and returns the cards of every key that more than one card has;
- names at a company: one pass over the cards' (id, name, company), grouped in a dict by
  (`loose_name_key`, `company_key`): the loose key is not a column, so SQL cannot group it, but
  the pass is linear;
- cards with nothing but a name (no phone, e-mail or company): one query groups them by
  name_key, the import's rule for such rows (services/bringin).

A group is the cards that share one key; groups of the same cards (the same phone and the same
name) are one group with every reason. Live cards only, unless `archived`: then a card in the
archive can be in a group too (merging it into a live card brings its history back).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from clientcard.domain.cards import name_key
from clientcard.domain.duplicates import company_key, identity_key, loose_name_key
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import Grade
from clientcard.i18n import N_, _
from clientcard.services.views.duplicates import DupeView
from clientcard.store.db import Db
from clientcard.store.records import Client

# The reasons, strongest first; a group lists all it has, in this order.
PHONE, EMAIL, NAME, BARE_NAME, SIMILAR_NAME = (
    "phone",
    "email",
    "name",
    "bare-name",
    "similar-name",
)
REASONS = (PHONE, EMAIL, NAME, BARE_NAME, SIMILAR_NAME)
_CHUNK = 5000  # ids per `IN` list when the grouped cards are read


# ---- the rule "same name and company", for others to call ----------------------------------


def cards_named(db: Db, name: str, company: str | None, *, archived: bool = False) -> list[Client]:
    """The live cards (with `archived`: every card) that are the same client as `name` at
    `company` by the rule "same name and company" (domain.duplicates.identity_key), by id;
    none without a company. One indexed lookup by name_key; the company is compared here (SQL
    cannot fold it portably)."""
    key = identity_key(name, company)
    if key is None:
        return []
    found = db.select(
        Client, "WHERE name_key = :key AND company IS NOT NULL ORDER BY id", key=key[0]
    )
    return [
        c for c in found if (archived or c.archived_at is None) and company_key(c.company) == key[1]
    ]


def name_company_index(db: Db, *, archived: bool = False) -> dict[tuple[str, str], list[int]]:
    """Every live card with a company (with `archived`: archived ones too) by its
    `identity_key`, in one pass: for checking many incoming rows at once without a query
    each."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    live = "" if archived else "archived_at IS NULL AND "
    for id_, key, company in db.rows(
        f"SELECT id, name_key, company FROM client WHERE {live}company IS NOT NULL ORDER BY id"
    ):
        folded = company_key(company)
        if folded:
            index[(key, folded)].append(id_)
    return dict(index)


# ---- dupes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dupes:
    """What `dupes` found: its rows (one per card of each group, group by group), and how many
    groups there are in all (more than the rows hold when `limit` cut them)."""

    rows: list[DupeView]
    groups: int


@dataclass
class _Group:
    ids: tuple[int, ...]
    reasons: list[str]
    match: str


def _shared_reach(db: Db, kind: str, archived: bool) -> dict[str, list[int]]:
    """The keys of `kind` (phone, email) that more than one card has, each with its cards.
    The keys held twice are found on the index on (kind, key) alone; then their rows are read
    with their cards, and a key left on one live card (the other archived) is no group."""
    live = "" if archived else " AND c.archived_at IS NULL"
    sql = (
        "SELECT DISTINCT r.key, r.client_id FROM client_reach r JOIN client c ON c.id = r.client_id"
        f" WHERE r.kind = :kind{live} AND r.key IN (SELECT key FROM client_reach"
        " WHERE kind = :kind AND key IS NOT NULL GROUP BY key HAVING count(*) > 1)"
        " ORDER BY r.key, r.client_id"
    )
    shared: dict[str, list[int]] = defaultdict(list)
    for key, client_id in db.rows(sql, kind=kind):
        shared[key].append(client_id)
    return {key: ids for key, ids in shared.items() if len(ids) > 1}


def _name_groups(db: Db, archived: bool) -> list[_Group]:
    """Cards with the same loose name and the same company (cards without one are not grouped
    by name): `name` when their names are the same (as name_key folds them), `similar-name`
    when only the loose key is."""
    where = "WHERE company IS NOT NULL" + ("" if archived else " AND archived_at IS NULL")
    by_key: dict[tuple[str, str], list[tuple[int, str, str | None]]] = defaultdict(list)
    # Names and companies repeat (a book of 100,000 cards has some 40,000 names): each is
    # folded once.
    names: dict[str, str] = {}
    companies: dict[str | None, str] = {}
    for id_, name, company in db.rows(f"SELECT id, name, company FROM client {where}"):
        loose = names.get(name)
        if loose is None:
            loose = names[name] = loose_name_key(name)
        folded = companies.get(company)
        if folded is None:
            folded = companies[company] = company_key(company)
        if not folded:
            continue
        by_key[(loose, folded)].append((id_, name, company))
    groups = []
    for cards in by_key.values():
        if len(cards) < 2:
            continue
        cards.sort()
        same = len({name_key(name) for _, name, _ in cards}) == 1
        first_name, first_company = cards[0][1], cards[0][2]
        match = first_name + (f" · {first_company}" if first_company else "")
        groups.append(_Group(tuple(c[0] for c in cards), [NAME if same else SIMILAR_NAME], match))
    return groups


def _bare_groups(db: Db, archived: bool) -> list[_Group]:
    """Cards with nothing but a name (no phone, e-mail or company) and the same name (as
    name_key folds it): the import's rule for such rows. One GROUP BY on name_key."""
    bare = "company IS NULL AND phone IS NULL AND email IS NULL" + (
        "" if archived else " AND archived_at IS NULL"
    )
    sql = (
        f"SELECT id, name_key, name FROM client WHERE {bare} AND name_key IN ("
        f"SELECT name_key FROM client WHERE {bare} GROUP BY name_key HAVING count(*) > 1)"
        " ORDER BY name_key, id"
    )
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for id_, key, name in db.rows(sql):
        by_key[key].append((id_, name))
    return [
        _Group(tuple(sorted(i for i, _ in cards)), [BARE_NAME], min(cards)[1])
        for cards in by_key.values()
    ]


def _cards(db: Db, ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The columns a row shows of each card, by id, in a few narrow queries."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[Any, ...]] = {}
    sql = (
        "SELECT id, name, company, grade, phone, email, archived_at IS NOT NULL FROM client"
        " WHERE id IN :ids"
    )
    for start in range(0, len(wanted), _CHUNK):
        for row in db.rows(
            sql, ("", "", "", "", "", "", "bool"), ids=wanted[start : start + _CHUNK]
        ):
            found[row[0]] = row
    return found


def find_dupes(db: Db, *, archived: bool = False, limit: int | None = None) -> Dupes:
    """The groups of likely duplicates (the module doc says how they are found), strongest
    reason first, then by their first card's id; at most `limit` groups."""
    if limit is not None and limit < 1:
        raise InvalidValue(_("--limit must be 1 or more, not {limit}").format(limit=limit))
    groups: dict[tuple[int, ...], _Group] = {}
    found: list[_Group] = []
    for kind in (PHONE, EMAIL):
        for key, ids in _shared_reach(db, kind, archived).items():
            found.append(_Group(tuple(ids), [kind], key))
    found += _name_groups(db, archived)
    found += _bare_groups(db, archived)
    for g in found:
        same = groups.get(g.ids)
        if same is None:
            groups[g.ids] = g
        elif g.reasons[0] not in same.reasons:
            same.reasons.append(g.reasons[0])
    ordered = sorted(
        groups.values(), key=lambda g: (min(REASONS.index(r) for r in g.reasons), g.ids)
    )
    shown = ordered if limit is None else ordered[:limit]
    cards = _cards(db, (i for g in shown for i in g.ids))
    rows = []
    for number, g in enumerate(shown, 1):
        reasons = tuple(sorted(g.reasons, key=REASONS.index))
        for id_ in g.ids:
            _id, name, company, grade, phone, email, archived = cards[id_]
            rows.append(
                DupeView(
                    group=number,
                    reasons=reasons,
                    match=g.match,
                    id=id_,
                    name=str(name),
                    company=company,
                    grade=Grade(grade),
                    phone=phone,
                    email=email,
                    archived=bool(archived),
                )
            )
    return Dupes(rows, len(ordered))


def reasons_text(reasons: Sequence[str]) -> str:
    """`same phone and name`, for people."""
    words = {
        PHONE: N_("phone"),
        EMAIL: N_("e-mail"),
        NAME: N_("name and company"),
        SIMILAR_NAME: N_("similar name, same company"),
    }
    said = [_(words[r]) for r in reasons]
    if len(said) == 1:
        return _("same {what}").format(what=said[0])
    return _("same {these} and {last}").format(these=", ".join(said[:-1]), last=said[-1])
