"""The search index (issue 18, migration 0014): what `search` and `list --search` read.

Two derived tables, kept up to date by the database itself (triggers on every source table), so
every writer keeps them right: a command, `import`, `merge`, `import --book`, a delete's
cascade, even a hand-made SQL statement.

- `search_card`: one row a card (its id is the card's): the name, company, title, address and
  notes, and the card's search key (domain.cards.search_key: every phone as typed and as its
  key, every e-mail, and the pinyin of names), joined by FIELD_BREAK in that order
  (CARD_FIELDS), so the searching code tells where a word was found.
- `search_record`: one row a record that carries words: contacts (summary, with whom),
  promises (what, where), complaints (what, result, cause note and every step's text), sales
  (what), occasions (kind, note) and close contacts (name, role, phone, its digits, e-mail,
  note); with the card's id, the record's kind (RECORD_KINDS), its moment and a tag (the
  contact's channel, a person's name...). Its id is the record's id * 8 + its kind, so a
  record's row is found by its id, and the newest records have the highest ids.

On SQLite both are FTS5 tables with the trigram tokenizer (a word of three characters or more is
looked up in the index; case-insensitive); on PostgreSQL, plain tables with a pg_trgm GIN index
on `body` when the extension can be had (store/search_index.py), and read by ILIKE otherwise.

The index is derived: the book file (store/book.py) does not carry it; `rebuild` fills it from
the source tables (the migration, `import --book`, the benchmark's generator).

For later migrations: SQLite drops a table's triggers with it, so a migration that copies one of
the source tables (Alembic's batch mode: dropping or changing a column) must call `rebuild`
afterwards (or `drop` before and `create` after); the triggers' bodies name these columns only
(CARD_COLUMNS and each Source's fields), so adding a column needs nothing.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

FIELD_BREAK = "\x1f"  # between the fields of a row's body (and of client.search_key)

# The fields of a card's body, in order.
CARD_FIELDS = ("name", "company", "title", "address", "notes", "key")
# The fields of client.search_key (domain.cards.search_key's SEARCHED_FIELDS, in order); what
# follows them (the pinyin of names) is the card's `pinyin`.
KEY_FIELDS = ("name", "company", "notes", "phone", "email")

CARD_TABLE = "search_card"
RECORD_TABLE = "search_record"
TABLES = (CARD_TABLE, RECORD_TABLE)
# The client columns a card's body is made of: an update of any other column (a contact's
# last_contact_at...) leaves the index alone.
CARD_COLUMNS = ("name", "company", "title", "address", "notes", "search_key")


@dataclass(frozen=True)
class Source:
    """A table whose rows are records in search_record: its kind (the low 3 bits of the row's
    id), and SQL expressions over a row `{r}` for the body's fields, the card, the moment and
    the tag."""

    table: str
    kind: int
    fields: tuple[str, ...]  # SQL, each a text or NULL
    client: str = "{r}.client_id"
    at: str = "NULL"
    tag: str = "NULL"


SOURCES = (
    Source("contact", 1, ("{r}.summary", "{r}.with_person"), at="{r}.at", tag="{r}.via"),
    Source("promise", 2, ("{r}.what", "{r}.place"), at="{r}.due_at", tag="{r}.kind"),
    Source(
        "complaint",
        3,
        ("{r}.what", "{r}.result", "{r}.cause_note", "{steps}"),
        at="{r}.received_at",
        tag="{r}.status",
    ),
    Source("sale", 4, ("{r}.what",), at="{r}.sold_at"),
    Source("key_date", 5, ("{r}.kind", "{r}.note"), tag="{r}.kind"),
    Source(
        "person",
        6,
        ("{r}.name", "{r}.role", "{r}.phone", "{digits}", "{r}.email", "{r}.note"),
        tag="{r}.name",
    ),
)
RECORD_KINDS = {s.kind: s.table for s in SOURCES}
# The fields of each kind's body, by name, in order.
RECORD_FIELDS = {
    "contact": ("summary", "with"),
    "promise": ("what", "place"),
    "complaint": ("what", "result", "cause", "step"),
    "sale": ("what",),
    "key_date": ("kind", "note"),
    "person": ("name", "role", "phone", "phone", "email", "note"),
}


def _body(fields: tuple[str, ...], dialect: str, r: str) -> str:
    sep = "chr(31)" if dialect == "postgresql" else "char(31)"
    steps = (
        "(SELECT string_agg(s.text, chr(31) ORDER BY s.id) FROM complaint_step s "
        f"WHERE s.complaint_id = {r}.id)"
        if dialect == "postgresql"
        else f"(SELECT group_concat(s.text, char(31)) FROM complaint_step s "
        f"WHERE s.complaint_id = {r}.id)"
    )
    digits = (
        f"regexp_replace({r}.phone, '[^0-9]', '', 'g')"
        if dialect == "postgresql"
        else "replace(replace(replace(replace(replace(replace(replace("
        f"{r}.phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), '/', '')"
    )
    parts = [f"coalesce({f.format(r=r, steps=steps, digits=digits)}, '')" for f in fields]
    # Two breaks at the end: every character then starts a trigram, so a word of one or two
    # characters is found through the index's terms (TERMS tables), even at a body's end.
    return f" || {sep} || ".join(parts) + f" || {sep} || {sep}"


def card_body(dialect: str, r: str = "client") -> str:
    return _body(
        ("{r}.name", "{r}.company", "{r}.title", "{r}.address", "{r}.notes", "{r}.search_key"),
        dialect,
        r,
    )


def _record_select(s: Source, dialect: str, r: str, where: str) -> str:
    """SELECT the search_record row(s) of `s`'s rows `{r}` (FROM added when `r` is the table)."""
    body = _body(s.fields, dialect, r)
    head = (
        f"SELECT {r}.id * 8 + {s.kind}, {s.client.format(r=r)}, {s.kind}, "
        f"{s.at.format(r=r)}, {s.tag.format(r=r)}, {body}"
    )
    return head + (f" FROM {s.table}" if r == s.table else "") + where


_RECORD_COLUMNS = "(id, client_id, kind, at, tag, body)"
_SQLITE_RECORD_COLUMNS = "(rowid, client_id, kind, at, tag, body)"


# ---- SQLite -------------------------------------------------------------------------------


def _sqlite_create() -> Iterator[str]:
    yield f"CREATE VIRTUAL TABLE {CARD_TABLE} USING fts5(body, tokenize = 'trigram')"
    yield (
        f"CREATE VIRTUAL TABLE {RECORD_TABLE} USING fts5(body, client_id UNINDEXED, "
        "kind UNINDEXED, at UNINDEXED, tag UNINDEXED, tokenize = 'trigram')"
    )
    # The index's terms (trigrams), by which a word of one or two characters is looked up:
    # the trigrams that start with it.
    for t in TABLES:
        yield f"CREATE VIRTUAL TABLE {t}_terms USING fts5vocab({t}, 'row')"


_CARD_NEW = f"INSERT INTO {CARD_TABLE} (rowid, body) VALUES (new.id, {card_body('sqlite', 'new')});"
CLIENT_INSERT_TRIGGER = "search_client_ai"


def client_insert_trigger() -> str:
    """SQLite: the trigger that indexes a new card (`import` drops it while it inserts its
    cards, then indexes them in one statement: `index_cards`, about 5 times faster)."""
    return f"CREATE TRIGGER {CLIENT_INSERT_TRIGGER} AFTER INSERT ON client BEGIN {_CARD_NEW} END"


def index_cards() -> str:
    """SQLite: index the cards with ids from :low to :high (just inserted without the
    trigger)."""
    return (
        f"INSERT INTO {CARD_TABLE} (rowid, body) SELECT id, {card_body('sqlite')} FROM client "
        "WHERE id BETWEEN :low AND :high"
    )


def _sqlite_triggers() -> Iterator[str]:
    card_new = _CARD_NEW
    card_old = f"DELETE FROM {CARD_TABLE} WHERE rowid = old.id;"
    columns = ", ".join(CARD_COLUMNS)
    yield client_insert_trigger()
    yield f"CREATE TRIGGER search_client_ad AFTER DELETE ON client BEGIN {card_old} END"
    yield (
        f"CREATE TRIGGER search_client_au AFTER UPDATE OF {columns} ON client "
        f"BEGIN {card_old} {card_new} END"
    )
    for s in SOURCES:
        new = (
            f"INSERT INTO {RECORD_TABLE} {_SQLITE_RECORD_COLUMNS} "
            f"{_record_select(s, 'sqlite', 'new', '')};"
        )
        old = f"DELETE FROM {RECORD_TABLE} WHERE rowid = old.id * 8 + {s.kind};"
        t = s.table
        yield f"CREATE TRIGGER search_{t}_ai AFTER INSERT ON {t} BEGIN {new} END"
        yield f"CREATE TRIGGER search_{t}_ad AFTER DELETE ON {t} BEGIN {old} END"
        yield f"CREATE TRIGGER search_{t}_au AFTER UPDATE ON {t} BEGIN {old} {new} END"
    # A complaint's steps are in its body: a step written rewrites the complaint's row.
    complaint = next(s for s in SOURCES if s.table == "complaint")

    def again(key: str) -> str:
        where = f" WHERE complaint.id = {key}"
        return (
            f"DELETE FROM {RECORD_TABLE} WHERE rowid = {key} * 8 + {complaint.kind}; "
            f"INSERT INTO {RECORD_TABLE} {_SQLITE_RECORD_COLUMNS} "
            f"{_record_select(complaint, 'sqlite', 'complaint', where)};"
        )

    yield (
        "CREATE TRIGGER search_complaint_step_i AFTER INSERT ON complaint_step "
        f"BEGIN {again('new.complaint_id')} END"
    )
    yield (
        "CREATE TRIGGER search_complaint_step_d AFTER DELETE ON complaint_step "
        f"BEGIN {again('old.complaint_id')} END"
    )
    yield (
        "CREATE TRIGGER search_complaint_step_u AFTER UPDATE ON complaint_step "
        f"BEGIN {again('old.complaint_id')} {again('new.complaint_id')} END"
    )


def _trigger_names() -> Iterator[str]:
    for t in ("client", *(s.table for s in SOURCES)):
        for suffix in ("ai", "ad", "au"):
            yield f"search_{t}_{suffix}"
    for e in "idu":
        yield f"search_complaint_step_{e}"


def _sqlite_fill() -> Iterator[str]:
    yield (f"INSERT INTO {CARD_TABLE} (rowid, body) SELECT id, {card_body('sqlite')} FROM client")
    for s in SOURCES:
        yield (
            f"INSERT INTO {RECORD_TABLE} {_SQLITE_RECORD_COLUMNS} "
            f"{_record_select(s, 'sqlite', s.table, '')}"
        )
    # Merge the index's segments: a fresh index reads fastest in one piece.
    for t in TABLES:
        yield f"INSERT INTO {t} ({t}) VALUES ('optimize')"


# ---- PostgreSQL ---------------------------------------------------------------------------


def _pg_create() -> Iterator[str]:
    yield f"CREATE TABLE {CARD_TABLE} (client_id integer PRIMARY KEY, body text NOT NULL)"
    yield (
        f"CREATE TABLE {RECORD_TABLE} (id bigint PRIMARY KEY, client_id integer NOT NULL, "
        "kind smallint NOT NULL, at timestamp with time zone, tag text, body text NOT NULL)"
    )


def pg_indexes() -> Iterator[str]:
    """The trigram indexes (pg_trgm): made only where the extension is."""
    for t in TABLES:
        yield f"CREATE INDEX IF NOT EXISTS ix_{t}_body ON {t} USING gin (body gin_trgm_ops)"


def _pg_triggers() -> Iterator[str]:
    columns = ", ".join(CARD_COLUMNS)
    yield (
        "CREATE FUNCTION search_client_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN DELETE FROM {CARD_TABLE} WHERE client_id = OLD.id; END IF; "
        f"IF TG_OP <> 'DELETE' THEN INSERT INTO {CARD_TABLE} (client_id, body) "
        f"VALUES (NEW.id, {card_body('postgresql', 'NEW')}); END IF; "
        "RETURN NULL; END $$"
    )
    yield (
        f"CREATE TRIGGER search_client_sync AFTER INSERT OR DELETE OR UPDATE OF {columns} "
        "ON client FOR EACH ROW EXECUTE PROCEDURE search_client_sync()"
    )
    for s in SOURCES:
        t = s.table
        yield (
            f"CREATE FUNCTION search_{t}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN DELETE FROM {RECORD_TABLE} "
            f"WHERE id = OLD.id * 8 + {s.kind}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN INSERT INTO {RECORD_TABLE} {_RECORD_COLUMNS} "
            f"{_record_select(s, 'postgresql', 'NEW', '')}; END IF; "
            "RETURN NULL; END $$"
        )
        yield (
            f"CREATE TRIGGER search_{t}_sync AFTER INSERT OR UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE PROCEDURE search_{t}_sync()"
        )
    complaint = next(s for s in SOURCES if s.table == "complaint")
    again = (
        f"DELETE FROM {RECORD_TABLE} WHERE id = k * 8 + {complaint.kind}; "
        f"INSERT INTO {RECORD_TABLE} {_RECORD_COLUMNS} "
        f"{_record_select(complaint, 'postgresql', 'complaint', ' WHERE complaint.id = k')};"
    )
    yield (
        "CREATE FUNCTION search_complaint_step_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE k integer; BEGIN "
        f"IF TG_OP <> 'INSERT' THEN k := OLD.complaint_id; {again} END IF; "
        f"IF TG_OP <> 'DELETE' THEN k := NEW.complaint_id; {again} END IF; "
        "RETURN NULL; END $$"
    )
    yield (
        "CREATE TRIGGER search_complaint_step_sync AFTER INSERT OR UPDATE OR DELETE ON "
        "complaint_step FOR EACH ROW EXECUTE PROCEDURE search_complaint_step_sync()"
    )


def _pg_functions() -> Iterator[str]:
    for t in ("client", *(s.table for s in SOURCES), "complaint_step"):
        yield f"search_{t}_sync"


def _pg_fill() -> Iterator[str]:
    yield (
        f"INSERT INTO {CARD_TABLE} (client_id, body) SELECT id, {card_body('postgresql')} "
        "FROM client"
    )
    for s in SOURCES:
        yield (
            f"INSERT INTO {RECORD_TABLE} {_RECORD_COLUMNS} "
            f"{_record_select(s, 'postgresql', s.table, '')}"
        )


# ---- what the migration and the bulk writers run ------------------------------------------


def create(execute: Callable[[str], object], dialect: str, *, trigram: bool = False) -> None:
    """Make the index's tables and triggers, and fill them from the book's rows. `trigram`
    (PostgreSQL): pg_trgm is in the database, so the GIN indexes are made too."""
    if dialect == "postgresql":
        for sql in (*_pg_create(), *_pg_fill(), *_pg_triggers()):
            execute(sql)
        if trigram:
            for sql in pg_indexes():
                execute(sql)
        execute(f"CREATE INDEX ix_{RECORD_TABLE}_client_id ON {RECORD_TABLE} (client_id)")
        return
    for sql in (*_sqlite_create(), *_sqlite_fill(), *_sqlite_triggers()):
        execute(sql)


def drop(execute: Callable[[str], object], dialect: str) -> None:
    """Drop the index: its triggers and tables."""
    if dialect == "postgresql":
        for t in ("client", *(s.table for s in SOURCES), "complaint_step"):
            execute(f"DROP TRIGGER IF EXISTS search_{t}_sync ON {t}")
        for f in _pg_functions():
            execute(f"DROP FUNCTION IF EXISTS {f}()")
    else:
        for name in _trigger_names():
            execute(f"DROP TRIGGER IF EXISTS {name}")
    for t in TABLES:
        if dialect != "postgresql":
            execute(f"DROP TABLE IF EXISTS {t}_terms")
        execute(f"DROP TABLE IF EXISTS {t}")


def rebuild(execute: Callable[[str], object], dialect: str, *, trigram: bool = False) -> None:
    """Drop the index and build it again from the book's rows: after a bulk load that ran
    without it (the triggers dropped for speed), or to repair it."""
    drop(execute, dialect)
    create(execute, dialect, trigram=trigram)


def is_index_table(name: str | None) -> bool:
    """Whether a table is the search index's (or one of SQLite's FTS5 shadow tables of it):
    derived, so not in store/models.py, and left out when the schema is compared with them."""
    return name is not None and name.startswith(TABLES)


def not_index(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name`: everything but the search index's tables."""
    return not (type_ == "table" and is_index_table(name))
