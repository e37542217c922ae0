"""`search` and `list --search` (issue 18): cards by any word anywhere on them, through the
search index (store/fulltext.py: search_card, one row a card; search_record, one row a record
with words), best matches first.

How a search runs (docs/search.md):
1. The words (domain/search.py): blank-separated, case-folded; a phone number is one word, its
   digits or its key.
2. The cards holding every word (`condition`): for each word, the cards whose row or one of
   whose records' rows has it (a word of 3+ characters through the trigram index; a shorter
   one by the short-query path, a LIKE over the index's text), intersected.
3. The hits of the first (longest) word among them, newest rows first, at most CAP of the
   cards' rows and CAP of the records': each placed (which field, which record), scored
   (domain.search.WEIGHTS), and the cards ranked by their best hit.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from clientcard.domain.cards import MAX_SEARCH, clean_search, is_phone_search
from clientcard.domain.dates import local_date, zone_of
from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import Grade
from clientcard.domain.phone_keys import DEFAULT_REGION, phone_key
from clientcard.domain.refs import record_ref
from clientcard.domain.search import (
    Word,
    find,
    fts_phrase,
    fts_query,
    like_pattern,
    score,
    snippet,
    words_of,
)
from clientcard.i18n import _
from clientcard.services.views.search import Match, SearchHit
from clientcard.store.db import Db, load_datetime
from clientcard.store.fulltext import (
    CARD_FIELDS,
    CARD_TABLE,
    FIELD_BREAK,
    KEY_FIELDS,
    RECORD_FIELDS,
    RECORD_KINDS,
    RECORD_TABLE,
    SOURCES,
)

# How many rows of each table the ranking reads at most (the newest): a word found on more
# rows than that ranks the cards of the newest ones (docs/search.md). Four times the rows asked
# for, at least CAP (a table for people asks for 101), all of them up to MAX_CAP without one
# (json, csv, tsv without --limit). Reading a row costs about 30-60 µs (its text, its card).
CAP = 500
MAX_CAP = 20_000


def cap_for(limit: int | None) -> int:
    return MAX_CAP if limit is None else min(MAX_CAP, max(CAP, 4 * limit))


def words(text: str, region: str = DEFAULT_REGION) -> list[Word]:
    """The words of a search (domain.search.words_of), a phone number's forms read in
    `region`."""
    forms: tuple[str, ...] = ()
    if is_phone_search(text):
        import unicodedata

        folded = unicodedata.normalize("NFKC", text).strip()
        digits = "".join(ch for ch in folded if ch.isdigit())
        key = phone_key(folded, region)
        forms = tuple(f for f in (digits, key) if f)
    return words_of(text, forms)


# A word shorter than a trigram is looked up through the trigrams that start with it (the
# index's terms, fts5vocab) when there are at most this many (an FTS5 query of that many
# phrases: about 0.1 s for 1,000). More (a common character) and the rows are read in turn,
# newest first, which stops early because so many match; so is a single Latin letter or digit
# among the cards' rows (its terms are many and slow to list). Reading the records in turn is
# slow (2.5 s at a million records when few match), so they allow more terms (docs/search.md).
MAX_TERMS = {CARD_TABLE: 1_000, RECORD_TABLE: 4_000}
_NOTHING = "1 = 0"


def _short_terms(db: Db, table: str, word: Word) -> list[str] | None:
    """The trigrams that start with each form of a short word, or None when the rows are to
    be read in turn instead (SQLite's short-query path)."""
    terms: list[str] = []
    if table == CARD_TABLE and all(len(f) == 1 and f.isascii() for f in word.forms):
        return None
    most = MAX_TERMS[table]
    for form in word.forms:
        rows = db.rows(
            f"SELECT term FROM {table}_terms WHERE term >= :low AND term < :high LIMIT {most + 1}",
            low=form,
            high=form + "\U0010ffff",
        )
        terms.extend(r[0] for r in rows)
        if len(terms) > most:
            return None
    return terms


def _match(db: Db, table: str, alias: str, word: Word, name: str) -> tuple[str, dict[str, Any]]:
    """The condition on `alias` (a row of `table`) that it holds `word`, and its parameters."""
    if db.dialect == "sqlite":
        if word.indexed:
            return f"{alias}.{table} MATCH :{name}", {name: fts_query(word)}
        terms = _short_terms(db, table, word)
        if terms is not None:
            if not terms:
                return _NOTHING, {}
            return f"{alias}.{table} MATCH :{name}", {name: " OR ".join(map(fts_phrase, terms))}
    like = "ILIKE" if db.dialect == "postgresql" else "LIKE"
    parts = []
    params: dict[str, Any] = {}
    for i, form in enumerate(word.forms):
        parts.append(f"{alias}.body {like} :{name}_{i} ESCAPE '\\'")
        params[f"{name}_{i}"] = like_pattern(form)
    return "(" + " OR ".join(parts) + ")", params


def _table_ref(db: Db, table: str, alias: str) -> str:
    """`table AS alias`; FTS5's MATCH names the table, so on SQLite the alias is the table."""
    return table if db.dialect == "sqlite" else f"{table} {alias}"


def _alias(db: Db, table: str, alias: str) -> str:
    return table if db.dialect == "sqlite" else alias


def _card_id(db: Db) -> str:
    return "rowid" if db.dialect == "sqlite" else "client_id"


def _holding(db: Db, word: Word, n: int) -> tuple[str, dict[str, Any]]:
    """The ids of the cards holding `word` (a subquery)."""
    c, r = _alias(db, CARD_TABLE, "sc"), _alias(db, RECORD_TABLE, "sr")
    on_card, p1 = _match(db, CARD_TABLE, c, word, f"w{n}c")
    on_record, p2 = _match(db, RECORD_TABLE, r, word, f"w{n}r")
    sql = (
        f"SELECT {c}.{_card_id(db)} FROM {_table_ref(db, CARD_TABLE, 'sc')} WHERE {on_card} "
        f"UNION SELECT {r}.client_id FROM {_table_ref(db, RECORD_TABLE, 'sr')} "
        f"WHERE {on_record}"
    )
    return sql, {**p1, **p2}


def condition(db: Db, found: list[Word], column: str = "id") -> tuple[str, dict[str, Any]]:
    """`column IN (...)`: the cards holding every word (for `list --search` and `search`)."""
    if len(found) > 1:
        cards = narrow(db, found)
        if cards is not None:
            return _in_list(column, cards, "cards")
    return _holding_every(db, found, column)


def _holding_every(db: Db, found: list[Word], column: str) -> tuple[str, dict[str, Any]]:
    """`column IN (...) AND ...`: each word's cards, a subquery each."""
    parts, params = [], {}
    for n, word in enumerate(found):
        sql, p = _holding(db, word, n)
        parts.append(f"{column} IN ({sql})")
        params.update(p)
    return " AND ".join(parts) or "1 = 1", params


# ---- several words: the rarest first (SQLite) ----------------------------------------------
#
# A card holds every word when each is on it; computing each word's cards in full costs a row
# read per row holding it (about 0.3 µs, 0.1 s for a word on 300,000 contacts), so a common word
# beside a rare one made the search slow. Instead: count each word's rows (their ids only, from
# the index: at most PROBE), take the cards of the rarest, and look for each other word on
# those cards only (its rows among theirs, found by id), rarest first; a word itself rare is
# intersected directly. When every word is common the cards are computed as before.
PROBE = 20_000
# At most this many cards are checked row by row (their records' ids, about 12 a card, each a
# seek in the index: about 10 µs); more, and a word's own cards are computed.
NARROW = 1_000
# Each index table's letter in the names of its parameters (`n0c`, `n0r`).
_SHORT = {CARD_TABLE: "c", RECORD_TABLE: "r"}


def _in_list(column: str, ids: set[int], name: str) -> tuple[str, dict[str, Any]]:
    """`column IN` a list of ids (one parameter however long: Db's `IN :name`)."""
    if not ids:
        return _NOTHING, {}
    return f"{column} IN :{name}", {name: sorted(ids)}


def _record_ids(db: Db, cards: set[int]) -> set[int]:
    """The ids of the search_record rows of `cards` (record id * 8 + kind), from the source
    tables' indexes on client_id."""
    where, params = _in_list("client_id", cards, "cards")
    sql = " UNION ALL ".join(
        f"SELECT id * 8 + {s.kind} FROM {s.table} WHERE {where}" for s in SOURCES
    )
    return {int(r[0]) for r in db.rows(sql, **params)}


def _count(db: Db, table: str, cond: str, params: dict[str, Any]) -> int:
    """How many rows of `table` hold a word (at most PROBE; PROBE for a word read in turn)."""
    if cond == _NOTHING:
        return 0
    if "MATCH" not in cond:  # the short-query path reading the rows: a common word
        return PROBE
    found = db.scalar(
        f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {cond} LIMIT {PROBE})", **params
    )
    return int(found or 0)


def _cards_with(db: Db, cond: dict[str, tuple[str, dict[str, Any]]]) -> set[int]:
    """Every card holding a word (its conditions on each table)."""
    on_card, p1 = cond[CARD_TABLE]
    on_record, p2 = cond[RECORD_TABLE]
    rows = db.rows(
        f"SELECT rowid FROM {CARD_TABLE} WHERE {on_card} "
        f"UNION SELECT client_id FROM {RECORD_TABLE} WHERE {on_record}",
        **p1,
        **p2,
    )
    return {int(r[0]) for r in rows}


def _cards_among(db: Db, cond: dict[str, tuple[str, dict[str, Any]]], cards: set[int]) -> set[int]:
    """Which of `cards` hold a word: its rows among theirs, each found by id."""
    if not cards:
        return set()
    on_card, p1 = cond[CARD_TABLE]
    on_record, p2 = cond[RECORD_TABLE]
    among_cards, p3 = _in_list("rowid", cards, "among_cards")
    among_records, p4 = _in_list("rowid", _record_ids(db, cards), "among_records")
    rows = db.rows(
        f"SELECT rowid FROM {CARD_TABLE} WHERE {on_card} AND {among_cards} "
        f"UNION SELECT client_id FROM {RECORD_TABLE} WHERE {on_record} AND {among_records}",
        **p1,
        **p2,
        **p3,
        **p4,
    )
    return {int(r[0]) for r in rows}


def narrow(db: Db, found: list[Word], scanned: Word | None = None) -> set[int] | None:
    """SQLite: the ids of the cards holding every word, the rarest first, but `scanned` when
    it is common (the caller reads its rows in turn, newest first, which checks it). None on
    PostgreSQL, and when every word is common and none is scanned: then `condition`'s
    subqueries."""
    if db.dialect != "sqlite":
        return None
    conds = [
        {t: _match(db, t, t, word, f"n{n}{short}") for t, short in _SHORT.items()}
        for n, word in enumerate(found)
    ]
    each = [[_count(db, t, *c[t]) for t in c] for c in conds]
    common = [max(n) >= PROBE for n in each]  # its rows not all counted
    order = sorted(range(len(found)), key=lambda i: (common[i], sum(each[i])))
    if scanned is None and common[order[0]]:
        return None
    cards: set[int] | None = None
    for i in order:
        if common[i] and found[i] == scanned:
            continue
        if cards is None:
            cards = _cards_with(db, conds[i])
        elif len(cards) <= NARROW:
            cards &= _cards_among(db, conds[i], cards)
        else:
            cards &= _cards_with(db, conds[i])
        if not cards:
            break
    return cards


@dataclass(frozen=True)
class _Row:
    client: int
    name: str
    company: str | None
    grade: str
    archived: bool
    name_key: str


def search(
    db: Db,
    text: str,
    *,
    archived: bool | None = False,
    limit: int | None = None,
    now: datetime,
    region: str = DEFAULT_REGION,
) -> list[SearchHit]:
    """The cards holding every word of `text`, best first. `archived`: False live cards only,
    True archived ones only, None both."""
    length = len(text.strip())
    if length > MAX_SEARCH:  # `search` takes an argument: clean_search's message names --search
        raise InvalidValue(
            _("the search text has {length} characters; at most {most}").format(
                length=f"{length:,}", most=MAX_SEARCH
            )
        )
    cleaned = clean_search(text)
    found = words(cleaned or "", region)
    if not found:
        return []
    first = found[0]
    cap = cap_for(limit)
    live = {False: "c.archived_at IS NULL", True: "c.archived_at IS NOT NULL", None: "1 = 1"}
    where = [live[archived]]
    params: dict[str, Any] = {}
    # Several words: the cards holding them all, the rarest first (`narrow`); a few hundred are
    # then read by their rows' ids, not by reading the first word's rows in turn.
    among: set[int] | None = None
    if len(found) > 1:
        holding = narrow(db, found, first)
        if holding is None:  # PostgreSQL
            cond, params = _holding_every(db, found[1:], "c.id")
        elif not holding:
            return []
        elif len(holding) <= NARROW:
            among, cond = holding, "1 = 1"
        else:
            cond, params = _in_list("c.id", holding, "cards")
        where.append(cond)
    rest = " AND ".join(where)
    client_columns = "c.id, c.name, c.company, c.grade, c.archived_at, c.name_key"
    # SQLite: the index's rows first (CROSS JOIN keeps that order), newest first, so a common
    # word stops at CAP rows instead of reading every card.
    join = "CROSS JOIN" if db.dialect == "sqlite" else "JOIN"
    c = _alias(db, CARD_TABLE, "sc")
    on_card, p1 = _match(db, CARD_TABLE, c, first, "fc")
    if among is not None:
        on_these, p3 = _in_list(f"{c}.rowid", among, "among_cards")
        on_card, p1 = f"{on_card} AND {on_these}", {**p1, **p3}
    card_rows = db.rows(
        f"SELECT {client_columns}, {c}.body FROM {_table_ref(db, CARD_TABLE, 'sc')} "
        f"{join} client c ON c.id = {c}.{_card_id(db)} WHERE {on_card} AND {rest} "
        f"ORDER BY {c}.{_card_id(db)} DESC LIMIT {cap}",
        **params,
        **p1,
    )
    r = _alias(db, RECORD_TABLE, "sr")
    on_record, p2 = _match(db, RECORD_TABLE, r, first, "fr")
    if among is not None:
        on_these, p4 = _in_list(f"{r}.rowid", _record_ids(db, among), "among_records")
        on_record, p2 = f"{on_record} AND {on_these}", {**p2, **p4}
    rid = "rowid" if db.dialect == "sqlite" else "id"
    record_rows = db.rows(
        f"SELECT {client_columns}, {r}.body, {r}.{rid}, {r}.at, {r}.tag "
        f"FROM {_table_ref(db, RECORD_TABLE, 'sr')} {join} client c ON c.id = {r}.client_id "
        f"WHERE {on_record} AND {rest} ORDER BY {r}.{rid} DESC LIMIT {cap}",
        **params,
        **p2,
    )
    cards: dict[int, _Row] = {}
    matches: dict[int, list[Match]] = {}

    def card_of(row: tuple[Any, ...]) -> int:
        client = int(row[0])
        if client not in cards:
            cards[client] = _Row(client, row[1], row[2], row[3], row[4] is not None, row[5])
        return client

    for row in card_rows:
        hit = _card_match(row[6], first.forms)
        if hit is not None:
            matches.setdefault(card_of(row), []).append(hit)
    for row in record_rows:
        hit = _record_match(row[6], int(row[7]), row[8], row[9], first.forms, now)
        if hit is not None:
            matches.setdefault(card_of(row), []).append(hit)
    _show_typed_phones(db, matches, first.forms, region)
    ranked = []
    for client, found_here in matches.items():
        found_here.sort(key=lambda m: -m.score)
        card = cards[client]
        best = found_here[0].score + min(len(found_here) - 1, 5)  # a little for more hits
        ranked.append((best, card, tuple(found_here)))
    ranked.sort(key=lambda t: (-t[0], t[1].name_key, t[1].client))
    if limit is not None:
        ranked = ranked[:limit]
    return [
        SearchHit(
            id=card.client,
            name=card.name,
            company=card.company,
            grade=Grade(card.grade),
            archived=card.archived,
            score=best,
            matches=hits,
        )
        for best, card, hits in ranked
    ]


def _card_match(body: str, forms: tuple[str, ...]) -> Match | None:
    fields = body.split(FIELD_BREAK)
    named = list(zip(CARD_FIELDS, fields, strict=False))
    key_parts = fields[len(CARD_FIELDS) - 1 :]
    for place, text in named[:-1]:
        span = find(text, forms)
        if span is not None:
            return Match(place, "", snippet(text, span), score(place))
    for i, text in enumerate(key_parts):  # the search key: phones, e-mails, pinyin
        span = find(text, forms)
        if span is not None:
            place = KEY_FIELDS[i] if i < len(KEY_FIELDS) else "pinyin"
            return Match(place, "", snippet(text, span), score(place))
    return None


def _show_typed_phones(
    db: Db, matches: dict[int, list[Match]], forms: tuple[str, ...], region: str
) -> None:
    """A phone hit's snippet is the number as typed, not the search key's field (every number
    followed by its internal key: `138 0013 8000 8613800138000`)."""
    cards = [client for client, hits in matches.items() if any(m.place == "phone" for m in hits)]
    if not cards:
        return
    numbers: dict[int, list[str]] = {}
    marks = ", ".join(f":c{i}" for i in range(len(cards)))
    for client, value in db.rows(
        f"SELECT client_id, value FROM client_reach WHERE kind = 'phone' "
        f"AND client_id IN ({marks}) ORDER BY client_id, position",
        **{f"c{i}": client for i, client in enumerate(cards)},
    ):
        numbers.setdefault(int(client), []).append(value)
    for client in cards:
        typed = next(
            (
                value
                for value in numbers.get(client, [])
                if any(
                    form in text
                    for form in forms
                    for text in (
                        value.casefold(),
                        "".join(ch for ch in value if ch.isdigit()),
                        phone_key(value, region) or "",
                    )
                )
            ),
            None,
        )
        if typed is not None:
            matches[client] = [
                replace(m, snippet=" ".join(typed.split())) if m.place == "phone" else m
                for m in matches[client]
            ]


_PLACES = {"key_date": "occasion"}


def _record_match(
    body: str, rid: int, at: Any, tag: str | None, forms: tuple[str, ...], now: datetime
) -> Match | None:
    kind = RECORD_KINDS.get(rid % 8)
    if kind is None:
        return None
    record = rid // 8
    names = RECORD_FIELDS[kind]
    for i, text in enumerate(body.split(FIELD_BREAK)):
        span = find(text, forms)
        if span is None:
            continue
        field = names[i] if i < len(names) else names[-1]
        place = _PLACES.get(kind, kind)
        moment = load_datetime(at) if at is not None else None
        age = None if moment is None else (now - moment).total_seconds() / 86_400
        if kind == "contact":
            day = local_date(moment, zone_of(now)).isoformat() if moment else ""
            ref = f"{day} {tag or ''}".strip()
        elif kind == "key_date":
            ref = tag or ""
        elif kind == "person":
            ref = f"{record_ref('person', record)} {tag or ''}".strip()
        else:
            ref = record_ref(kind, record)
        if kind == "complaint" and field == "step":
            ref += " step"
        return Match(place, ref, snippet(text, span), score(place, age))
    return None
