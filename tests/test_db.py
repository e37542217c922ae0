"""The data access layer (store/db.py) and the records it loads (store/records.py)."""

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from clientcard.domain.errors import DatabaseError
from clientcard.store import records
from clientcard.store.db import Db, is_busy, load_date, load_datetime
from clientcard.store.open import transaction
from clientcard.store.records import Client, ClientTag, Promise
from clientcard.store.records_gen import generate

pytestmark = pytest.mark.usefixtures("migrated")

RECORDS_FILE = Path(records.__file__)
SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)


def test_the_records_module_is_generated_from_the_current_models() -> None:
    assert RECORDS_FILE.read_text(encoding="utf-8") == generate(), (
        "store/records.py is stale: run "
        "`python -m clientcard.store.records_gen > src/clientcard/store/records.py`"
    )


def test_every_table_has_a_record_with_the_same_columns() -> None:
    kinds = {
        k.__table__: k
        for k in vars(records).values()
        if isinstance(k, type) and k.__dict__.get("__table__")
    }
    assert set(kinds) == set(SQLModel.metadata.tables)
    for name, table in SQLModel.metadata.tables.items():
        assert kinds[name].__columns__ == tuple(c.name for c in table.columns)


def card(name: str = "张伟", **values: object) -> Client:
    return Client(
        name=name, name_key=name.casefold(), created_at=NOW, updated_at=NOW, graded_at=NOW, **values
    )


def test_a_record_goes_in_and_comes_back_the_same(db_path: Path) -> None:
    with transaction(str(db_path), write=True) as db:
        written = db.insert(card(next_followup_on=date(2026, 11, 27), satisfaction=4))
        assert written.id == 1
    with transaction(str(db_path), write=False) as db:
        read = db.get(Client, 1)
    assert read == written
    assert read is not None
    assert read.created_at == NOW
    assert read.created_at.tzinfo == UTC


def test_times_are_stored_as_the_utc_text_sqlalchemy_wrote(db_path: Path) -> None:
    """Books written by earlier versions (through SQLAlchemy) read the same, and compare right."""
    with transaction(str(db_path), write=True) as db:
        db.insert(card())
    stored = (
        sqlite3.connect(db_path).execute("SELECT created_at, updated_at FROM client").fetchone()
    )
    assert stored == ("2026-11-20 01:00:00.000000", "2026-11-20 01:00:00.000000")


def test_booleans_and_dates_load_as_python_values(db_path: Path) -> None:
    with transaction(str(db_path), write=True) as db:
        db.insert(card())
        promise = db.insert(
            Promise(
                client_id=1, what="x", kind="deliverable", due_at=NOW, all_day=True, made_at=NOW
            )
        )
        assert promise.id == 1
    with transaction(str(db_path), write=False) as db:
        loaded = db.first(Promise, "WHERE all_day = :yes", yes=True)
    assert loaded is not None
    assert loaded.all_day is True
    assert loaded.short_notice is False


@pytest.fixture(params=["sqlite3", "sqlalchemy", "postgresql"])
def book(request: pytest.FixtureRequest, db_path: Path) -> str:
    """A book at the current schema on each backend: the file opened with sqlite3 (SqliteDb),
    the same file through SQLAlchemy (AlchemyDb, which a URL store/open.py does not open itself
    still takes: one with a query), and a new PostgreSQL database (PgDb, on conftest's
    `postgres_url`)."""
    if request.param == "sqlalchemy":
        return f"sqlite:///{db_path}?timeout=5"
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return str(db_path)


def test_a_raw_read_loads_the_kinds_it_names_the_same_on_every_path(book: str) -> None:
    """Without kinds a time comes back as the backend returns it (text on SQLite, a datetime on
    PostgreSQL); with them, as a record's would: an aware UTC datetime, a date, a bool."""
    with transaction(book, write=True) as db:
        db.insert(card(next_followup_on=date(2026, 11, 27)))
        db.insert(card("Li Na"))
    with transaction(book, write=False) as db:
        assert db.rows(
            "SELECT id, created_at, next_followup_on, archived_at FROM client ORDER BY id",
            ("", "datetime", "date", "datetime"),
        ) == [(1, NOW, date(2026, 11, 27), None), (2, NOW, None, None)]
        [(_, created)] = db.rows(
            "SELECT id, created_at FROM client WHERE id = :id", ("", "datetime"), id=1
        )
        latest = db.scalar("SELECT max(created_at) FROM client", "datetime")
        soonest = db.scalar("SELECT min(next_followup_on) FROM client", "date")
        missing = db.scalar("SELECT created_at FROM client WHERE id = :id", "datetime", id=9)
        archived = db.scalar("SELECT max(archived_at) FROM client", "datetime")
        live = db.scalar("SELECT archived_at IS NULL FROM client WHERE id = :id", "bool", id=1)
        as_stored = db.scalar("SELECT created_at FROM client WHERE id = :id", id=1)
    assert (created.tzinfo, latest, soonest) == (UTC, NOW, date(2026, 11, 27))
    assert latest is not None
    assert latest.tzinfo == UTC
    assert (missing, archived, live) == (None, None, True)
    assert isinstance(as_stored, datetime if book.startswith("postgresql") else str)


def test_a_raw_read_needs_one_kind_per_column(db_path: Path) -> None:
    with (
        transaction(str(db_path), write=False) as db,
        pytest.raises(ValueError, match="zip"),
    ):
        db.rows("SELECT 1, 2", ("",))


def test_a_list_parameter_expands_and_an_empty_one_matches_nothing(db_path: Path) -> None:
    with transaction(str(db_path), write=True) as db:
        for name in ("A", "B", "C"):
            db.insert(card(name))
        assert [c.name for c in db.select(Client, "WHERE id IN :ids ORDER BY id", ids=[1, 3])] == [
            "A",
            "C",
        ]
        assert db.select(Client, "WHERE id IN :ids", ids=[]) == []
        # a name that starts like another is not touched by the expansion
        assert db.rows("SELECT count(*) FROM client WHERE id IN :i OR id = :id", i=(2,), id=3) == [
            (2,)
        ]


def test_an_update_writes_only_what_changed(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the ORM did: a command that edits one field must not write back the others it read
    (on PostgreSQL another command may have changed them meanwhile)."""
    from clientcard.store.sqlite import SqliteDb

    with transaction(str(db_path), write=True) as db:
        db.insert(card())
    sent: list[str] = []
    run = SqliteDb._run

    def record(self: SqliteDb, sql: str, params: dict[str, object]) -> int:
        sent.append(sql)
        return run(self, sql, params)

    monkeypatch.setattr(SqliteDb, "_run", record)
    with transaction(str(db_path), write=True) as db:
        zhang = db.get(Client, 1)
        assert zhang is not None
        db.update(zhang)  # nothing changed: nothing written
        zhang.notes, zhang.grade = "prefers WeChat", "B"
        db.update(zhang)
        zhang.notes = "calls after 6"
        db.update(zhang)  # only what changed since the last write
        db.update(zhang, "grade")  # named columns are written as asked
        fresh = Client(id=1, name="X", name_key="x", created_at=NOW, updated_at=NOW, graded_at=NOW)
        db.update(fresh)  # a record this transaction never read: every column
    assert sent[:3] == [
        'UPDATE "client" SET "notes" = :notes, "grade" = :grade WHERE "id" = :id',
        'UPDATE "client" SET "notes" = :notes WHERE "id" = :id',
        'UPDATE "client" SET "grade" = :grade WHERE "id" = :id',
    ]
    assert sent[3].count(" = :") == len(Client.__columns__)


def test_a_long_list_is_one_parameter(db_path: Path) -> None:
    """`list` passes one id per card: 70,000 ids must not become 70,000 named parameters, which
    SQLite compiles in time growing with their square (and PostgreSQL refuses past 65,535)."""
    with transaction(str(db_path), write=True) as db:
        for name in ("A", "B", "C"):
            db.insert(card(name))
        ids = [*range(-70_000, 0), 3, 1]
        _, params = db._prepare(
            "SELECT name FROM client WHERE id IN :ids ORDER BY id", {"ids": ids}
        )
        assert list(params) == ["ids"]
        assert db.rows("SELECT name FROM client WHERE id IN :ids ORDER BY id", ids=ids) == [
            ("A",),
            ("C",),
        ]
        assert db.rows("SELECT id FROM client WHERE name IN :n", n={"B", "张伟"}) == [(2,)]


def test_a_time_before_the_year_1000_keeps_four_digits(db_path: Path) -> None:
    """strftime("%Y") writes 999, not 0999, on Linux: such a row could never be read back."""
    early = datetime(999, 1, 1, 12, 0, tzinfo=UTC)
    with transaction(str(db_path), write=True) as db:
        db.insert(card(archived_at=early))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT archived_at FROM client").fetchone() == (
            "0999-01-01 12:00:00.000000",
        )
    with transaction(str(db_path), write=False) as db:
        found = db.get(Client, 1)
    assert found is not None
    assert found.archived_at == early


def test_a_folder_given_as_the_book_is_refused_plainly(tmp_path: Path) -> None:
    with (
        pytest.raises(DatabaseError, match="cannot open the database"),
        transaction(str(tmp_path), write=False),
    ):
        pass


def test_update_delete_and_a_composite_key(db_path: Path) -> None:
    with transaction(str(db_path), write=True) as db:
        zhang = db.insert(card())
        db.insert(ClientTag(client_id=1, tag="vip"))
        zhang.grade = "A"
        db.update(zhang, "grade")
        db.delete(ClientTag(client_id=1, tag="vip"))
        assert db.execute("UPDATE client SET notes = :n WHERE id = :id", n="好", id=1) == 1
    with transaction(str(db_path), write=False) as db:
        assert [(c.grade, c.notes) for c in db.select(Client)] == [("A", "好")]
        assert db.select(ClientTag) == []


def test_a_failed_command_writes_nothing(db_path: Path) -> None:
    def add_then_fail() -> None:
        with transaction(str(db_path), write=True) as db:
            db.insert(card())
            raise RuntimeError("a rule failed after the insert")

    with pytest.raises(RuntimeError):
        add_then_fail()
    with transaction(str(db_path), write=False) as db:
        assert db.select(Client) == []


def test_a_naive_time_is_a_bug_not_a_value(db_path: Path) -> None:
    with transaction(str(db_path), write=True) as db, pytest.raises(ValueError, match="naive"):
        db.insert(card(last_contact_at=datetime(2026, 11, 20, 9, 0)))


def test_a_file_that_is_not_a_book_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an SQLite file, just some text" * 100)
    with (
        pytest.raises(DatabaseError, match="is not a clientcard book"),
        transaction(str(junk), write=False),
    ):
        pass


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, None),
        ("2026-11-20 01:00:00.000000", datetime(2026, 11, 20, 1, tzinfo=UTC)),
        ("2026-11-20 01:00:00", datetime(2026, 11, 20, 1, tzinfo=UTC)),
        (datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), datetime(2026, 11, 20, 1, tzinfo=UTC)),
    ],
)
def test_load_datetime(stored: object, expected: datetime | None) -> None:
    assert load_datetime(stored) == expected
    if expected is not None:
        assert load_datetime(stored).tzinfo == UTC  # type: ignore[union-attr]


def test_load_date() -> None:
    assert load_date("2026-11-27") == date(2026, 11, 27)
    assert load_date(date(2026, 11, 27)) == date(2026, 11, 27)
    assert load_date(None) is None


def test_every_backend_implements_the_same_api() -> None:
    from clientcard.store.alchemy import AlchemyDb
    from clientcard.store.pg import PgDb
    from clientcard.store.sqlite import SqliteDb

    # The methods the base class leaves to each path (it raises NotImplementedError in them).
    primitives = {"_fetch", "_iterate", "_run", "_insert_rows", "_insert", "has_table"}
    assert primitives <= set(vars(Db))
    for implementation in (SqliteDb, PgDb, AlchemyDb):
        assert primitives <= set(vars(implementation)), implementation


class _DriverError(Exception):
    """A driver's error as PEP 249 names it, without importing the driver."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class OperationalError(_DriverError):
    pass


class _Wrapped(Exception):
    """What SQLAlchemy raises around a driver's error: the original in `.orig`."""

    def __init__(self, orig: BaseException) -> None:
        super().__init__(str(orig))
        self.orig = orig


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("no such table: client"), False),
        (_Wrapped(sqlite3.OperationalError("database is locked")), True),
        (OperationalError("canceling statement due to lock timeout", "55P03"), True),
        (_Wrapped(OperationalError("deadlock detected", "40P01")), True),
        (_Wrapped(OperationalError("connection refused", "08006")), False),
        (ValueError("the card is locked"), False),  # not an operational error of a driver
        (sqlite3.IntegrityError("locked"), False),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
)
def test_is_busy_knows_another_writer_from_every_driver(error: BaseException, busy: bool) -> None:
    assert is_busy(error) is busy
