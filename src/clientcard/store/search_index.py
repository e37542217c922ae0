"""Whether search has its index: on SQLite the FTS5 trigram tables of store/fulltext.py (issue
18, migration 0014); on PostgreSQL trigram (GIN) indexes on the search key and on the search
index's text, which need the pg_trgm extension (PostgreSQL's contrib).
Migration 0004 makes it where it can; a book made where pg_trgm could not be had goes without,
and this says so (`db status`, the creation of a book, `db upgrade`: docs/team.md).
"""

from typing import Any

from clientcard.i18n import N_, _
from clientcard.store.db import Db

SEARCH_INDEX = "ix_client_search_key"
CJK_PROBE = "报价单"  # Chinese text: pg_trgm makes trigrams of it only under a UTF-8 LC_CTYPE


class SearchIndex:
    """Whether `list --search` has its index, and what to do when it has not."""

    __slots__ = ("indexed", "kind", "message", "values")

    def __init__(self, indexed: bool, kind: str, message: str, **values: Any) -> None:
        self.indexed = indexed
        self.kind = kind  # "fts5" (SQLite), "trigram" (PostgreSQL), "plain" or "none"
        self.message = message  # marked N_() where written; `values` fill its placeholders
        self.values = values

    @property
    def note(self) -> str:
        """What the index is, or what to do, in English (`db status`'s machine formats)."""
        return self.message.format(**self.values)

    def shown(self) -> str:
        """The note in the interface's language, for people."""
        return _(self.message).format(**self.values)


def search_index(db: Db) -> SearchIndex:
    """The search key's index: on SQLite a plain index; on PostgreSQL a trigram (GIN) index,
    which needs the pg_trgm extension (PostgreSQL's contrib)."""
    if db.dialect == "postgresql":
        index = db.scalar(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname = :name",
            name=SEARCH_INDEX,
        )
        installed = db.scalar("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'")
        available = db.scalar(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        # The search index's tables (0014) have trigram indexes of their own; a book behind
        # 0014 has neither the tables nor the indexes yet.
        bodies = db.scalar(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname IN ('ix_search_card_body', 'ix_search_record_body')"
        )
        tables = db.scalar("SELECT to_regclass('search_card') IS NOT NULL")
        if index is not None and "gin_trgm_ops" in str(index) and (bodies == 2 or not tables):
            if not db.scalar("SELECT cardinality(show_trgm(:cjk)) > 0", cjk=CJK_PROBE):
                # pg_trgm takes a letter for a letter by the database's LC_CTYPE: under C (or
                # POSIX) no CJK character is one, so a Chinese word has no trigrams and its
                # search reads the whole index (docs/search.md).
                return SearchIndex(
                    True,
                    "trigram",
                    N_(
                        "a trigram index (pg_trgm {version}), but not for Chinese: the "
                        "database's LC_CTYPE is {ctype}, under which pg_trgm finds no words "
                        "in Chinese text, so a Chinese search reads every row; a database "
                        "created with a UTF-8 LC_CTYPE (C.UTF-8, zh_CN.UTF-8) has them "
                        "(docs/search.md)"
                    ),
                    version=installed,
                    ctype=db.scalar("SHOW lc_ctype"),
                )
            return SearchIndex(
                True, "trigram", N_("a trigram index (pg_trgm {version})"), version=installed
            )
        if installed is not None:
            return SearchIndex(
                False,
                "none",
                N_(
                    "pg_trgm {version} is installed but the search index is missing: "
                    "the book's owner role runs `clientcard db upgrade`"
                ),
                version=installed,
            )
        if available is not None:
            return SearchIndex(
                False,
                "none",
                N_(
                    "pg_trgm {version} is on the server but not in this database; "
                    "the database's owner (or a superuser) runs CREATE EXTENSION pg_trgm, then "
                    "`clientcard db upgrade` (docs/team.md)"
                ),
                version=available,
            )
        return SearchIndex(
            False,
            "none",
            N_(
                "the server has no pg_trgm (PostgreSQL's contrib, e.g. the package "
                "postgresql-contrib); a search reads the whole client table (docs/team.md)"
            ),
        )
    if db.dialect == "sqlite":
        found = db.scalar(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name",
            name=SEARCH_INDEX,
        )
        fts = db.scalar("SELECT 1 FROM sqlite_master WHERE name = 'search_record'")
        if found and fts:
            version = db.scalar("SELECT sqlite_version()")
            return SearchIndex(
                True,
                "fts5",
                N_(
                    "an FTS5 trigram index over every card and record "
                    "(SQLite {version}: docs/search.md)"
                ),
                version=version,
            )
        if found:
            return SearchIndex(
                True, "plain", N_("a plain index on the search key (SQLite has no trigram index)")
            )
        return SearchIndex(False, "none", N_("no index on the search key"))
    return SearchIndex(False, "none", N_("no search index on {dialect}"), dialect=db.dialect)
