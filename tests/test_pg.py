"""store/pg.py, the PostgreSQL backend on psycopg directly (issue 17, "Fast on a server"): the
URL read as SQLAlchemy read it, the layer's `:name` parameters in psycopg's form, and the
behaviours AlchemyDb had, against the throwaway server."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clientcard.store.open import transaction
from clientcard.store.pg import alchemy_url, connect_args, is_pg_url, to_pyformat
from clientcard.store.records import Client
from helpers import Run


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT id FROM client WHERE id = :id", "SELECT id FROM client WHERE id = %(id)s"),
        ("SELECT :a, :b_2", "SELECT %(a)s, %(b_2)s"),
        # a cast, a time in a literal, a literal %: left as they are (the % doubled)
        ("SELECT CAST(:x AS text), y::date", "SELECT CAST(%(x)s AS text), y::date"),
        ("SELECT '12:30'", "SELECT '12:30'"),
        ("WHERE name LIKE '%' || :q || '%'", "WHERE name LIKE '%%' || %(q)s || '%%'"),
        ("SELECT 5 % 3", "SELECT 5 %% 3"),
    ],
)
def test_parameters_are_written_as_psycopg_reads_them(sql: str, expected: str) -> None:
    assert to_pyformat(sql) == expected


@pytest.mark.parametrize(
    ("url", "args"),
    [
        (
            "postgresql+psycopg://postgres@/book_1?host=/run/pg",
            {"user": "postgres", "dbname": "book_1", "host": "/run/pg"},
        ),
        (
            "postgresql://me:p%40ss%3Aw%2Fd@DbHost:5433/cards",
            {"user": "me", "password": "p@ss:w/d", "host": "dbhost", "port": "5433"}
            | {"dbname": "cards"},
        ),
        ("postgresql://me:@h/c", {"user": "me", "password": "", "host": "h", "dbname": "c"}),
        ("postgresql://[::1]:5432/c", {"host": "::1", "port": "5432", "dbname": "c"}),
        (
            "postgresql://me@h/c?sslmode=require&application_name=cards%20cli",
            {"user": "me", "host": "h", "dbname": "c", "sslmode": "require"}
            | {"application_name": "cards cli"},
        ),
        ("postgresql:///%E5%AE%A2%E6%88%B7", {"dbname": "客户"}),
    ],
)
def test_a_url_is_read_into_libpq_keywords(url: str, args: dict[str, str]) -> None:
    assert connect_args(url) == args


def test_which_urls_this_backend_opens() -> None:
    assert is_pg_url("postgresql://me@h/c")
    assert is_pg_url("PostgreSQL+psycopg://me@h/c")
    assert not is_pg_url("postgresql+psycopg2://me@h/c")  # another driver: SQLAlchemy's
    assert not is_pg_url("sqlite:///cards.db")
    assert alchemy_url("postgresql://me@h/c") == "postgresql+psycopg://me@h/c"
    assert alchemy_url("postgresql+psycopg://me@h/c") == "postgresql+psycopg://me@h/c"


NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def card(name: str, **values: object) -> Client:
    return Client(
        name=name, name_key=name.casefold(), created_at=NOW, updated_at=NOW, graded_at=NOW, **values
    )


def test_the_layer_on_psycopg(postgres_url: str) -> None:
    """What AlchemyDb did on PostgreSQL: RETURNING id, lists as arrays, aware UTC times, a
    literal % and a :: cast in the SQL, the server-side cursor of a stream, has_table."""
    with transaction(postgres_url, write=True) as db:
        assert db.dialect == "postgresql"
        assert type(db).__name__ == "PgDb"
        first = db.insert(card("张伟", grade="A", search_key="张伟 100%"))
        db.insert_many([card(f"c{i}", grade="B") for i in range(3)], Client)
    assert first.id == 1
    with transaction(postgres_url, write=False) as db:
        assert db.has_table("client")
        assert not db.has_table("no_such_table")
        assert [c.id for c in db.select(Client, "WHERE id IN :ids ORDER BY id", ids=[4, 1])] == [
            1,
            4,
        ]
        assert db.select(Client, "WHERE name IN :names", names=[]) == []
        assert db.scalar("SELECT count(*) FROM client WHERE name IN :n", n={"c0", "c2"}) == 2
        assert db.scalar("SELECT count(*) FROM client WHERE search_key LIKE '%100\\%'") == 1
        assert db.scalar("SELECT CAST(:d AS date) + 1", d="2026-11-20") == date(2026, 11, 21)
        assert db.scalar("SELECT CAST(:d AS text)::date", d="2026-11-20") == date(2026, 11, 20)
        loaded = db.get(Client, 1)
        assert loaded is not None
        assert loaded.created_at == NOW
        assert loaded.created_at.tzinfo == UTC
        assert [c.name for c in db.stream(Client, "SELECT " + _all() + " ORDER BY id")] == [
            "张伟",
            "c0",
            "c1",
            "c2",
        ]
        assert db.get(Client, 2**70) is None


def _all() -> str:
    from clientcard.store.db import columns

    return f"{columns(Client)} FROM client"


def test_a_write_that_fails_leaves_nothing(postgres_url: str) -> None:
    with transaction(postgres_url, write=True) as db:
        db.insert(card("张伟", grade="A"))

    def fail_after_a_write() -> None:
        with transaction(postgres_url, write=True) as db:
            db.execute("UPDATE client SET grade = :g", g="D")
            raise RuntimeError("the command failed after its first write")

    with pytest.raises(RuntimeError):
        fail_after_a_write()
    with transaction(postgres_url, write=False) as db:
        assert db.scalar("SELECT grade FROM client") == "A"


def test_an_empty_database_is_created_then_opened_on_psycopg(
    ok: Run, postgres_url: str, tmp_path: Path
) -> None:
    """The plain `postgresql://` form too (SQLAlchemy's default driver for it is psycopg2,
    which clientcard does not install): the schema is made through SQLAlchemy on psycopg."""
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    ok("--db", plain, "add", "张伟", "--grade", "A", "-q")
    ok("--db", plain, "log", "张伟", "--via", "call", "报价 100%")
    shown = json.loads(ok("--db", postgres_url, "show", "张伟", "--format", "json").stdout)
    assert shown["name"] == "张伟"
    found = ok("--db", plain, "contacts", "张伟", "--format", "json").stdout
    assert "报价 100%" in found


def test_a_missing_database_is_one_line_exit_74(cli: Run, postgres_server) -> None:
    url = postgres_server.url("no_such_book")
    result = cli("--db", url, "list")
    assert result.exit_code == 74
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"clientcard: cannot open the database {url}: ")
    assert 'database "no_such_book" does not exist' in result.stderr


def test_an_unknown_keyword_in_the_url_is_one_line_exit_74(
    cli: Run, postgres_server, postgres_url: str
) -> None:
    result = cli("--db", f"{postgres_url}&colour=blue", "list")
    assert result.exit_code == 74
    assert result.stderr.count("\n") == 1
    assert 'invalid connection option "colour"' in result.stderr


def test_two_streams_read_at_once(postgres_url: str) -> None:
    """Each stream has its own server-side cursor: one can be read inside another."""
    with transaction(postgres_url, write=True) as db:
        db.insert_many([card(f"c{i}", grade="B") for i in range(3)], Client)
    with transaction(postgres_url, write=False) as db:
        pairs = [
            (outer[0], inner[0])
            for outer in db.stream_rows("SELECT id FROM client ORDER BY id")
            for inner in db.stream_rows("SELECT id FROM client WHERE id <= :i ORDER BY id", i=1)
        ]
    assert pairs == [(1, 1), (2, 1), (3, 1)]
