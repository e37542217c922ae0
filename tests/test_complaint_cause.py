"""A complaint's cause and who was responsible (issue 16, docs/complaints.md#why-it-happened):
`--cause`, `--cause-note`, `--responsible` on `complaint add` and `resolve`, `complaint set`,
the `complaint.causes` setting, migration 0009 (old complaints: responsibility `unknown`) on
SQLite and PostgreSQL, and the book file (0009; an 0008 file still loads)."""

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from alembic import command

from clientcard.store.migrate import create_at_revision
from helpers import Run, assert_error, rows
from test_book import book_file_of, edited, export, load, refused, seed
from test_migrations import alembic_config, make_database_at


def one(ok: Run, ref: str = "1") -> dict[str, Any]:
    page: dict[str, Any] = json.loads(ok("complaint", "show", ref, "-f", "json").stdout)
    return page


def why(page: dict[str, Any]) -> tuple[Any, Any, Any]:
    return page["cause"], page["cause_note"], page["responsibility"]


def test_add_resolve_and_set(ok: Run) -> None:
    ok("add", "张伟")
    ok("complaint", "add", "1", "货到晚了", "--cause", " Delivery ", "--cause-note", "快递丢件")
    assert why(one(ok)) == ("delivery", "快递丢件", "unknown")
    ok("complaint", "resolve", "1", "--result", "补发", "--responsible", "PARTNER")
    assert why(one(ok)) == ("delivery", "快递丢件", "partner")
    said = ok("complaint", "set", "1", "--cause", "product", "--responsible", "company").stdout
    assert said == "Complaint C1 from #1 张伟: cause product (快递丢件), responsible: company\n"
    ok("complaint", "set", "C1", "--cause-note", "")
    assert why(one(ok)) == ("product", None, "company")
    ok("complaint", "set", "1", "--cause", "")
    assert why(one(ok)) == (None, None, "company")
    ok("complaint", "add", "1", "rude", "--responsible", "us")
    assert why(one(ok, "2")) == (None, None, "us")
    listed = json.loads(ok("complaint", "list", "--all", "-f", "json").stdout)
    assert [why(c) for c in listed] == [(None, None, "us"), (None, None, "company")]


def test_show_says_why_once_known(ok: Run) -> None:
    ok("add", "张伟")
    ok("complaint", "add", "1", "late")
    assert "Cause" not in ok("complaint", "show", "1").stdout
    assert "Responsible" not in ok("complaint", "show", "1").stdout
    ok("complaint", "set", "1", "--cause", "delivery", "--cause-note", "lost", "--responsible",
       "partner")  # fmt: skip
    page = ok("complaint", "show", "1").stdout.splitlines()
    assert "Cause           delivery - lost" in page
    assert "Responsible     partner" in page


def test_the_export_has_the_new_keys(ok: Run) -> None:
    ok("add", "张伟")
    ok("complaint", "add", "1", "late", "--cause", "delivery", "--responsible", "partner")
    (row,) = json.loads(ok("export", "--what", "complaints", "-f", "json").stdout)
    assert list(row)[-6:] == [
        "cause",
        "cause_note",
        "responsibility",
        "result",
        "steps",
        "author",  # issue 17, after the keys that were there before it
    ]
    assert why(row) == ("delivery", None, "partner")


def test_the_causes_are_a_setting(ok: Run, cli: Run) -> None:
    ok("add", "张伟")
    ok("config", "set", "--book", "complaint.causes", "Late-Delivery, quality ,quality")
    ok("complaint", "add", "1", "late", "--cause", "late-delivery")
    assert one(ok)["cause"] == "late-delivery"
    assert_error(
        cli("complaint", "add", "1", "late", "--cause", "delivery"),
        2,
        "unknown cause 'delivery'; a cause is one of late-delivery, quality "
        "(config complaint.causes)",
    )
    for bad in ("", "a b", "x" * 41):
        result = cli("config", "set", "--book", "complaint.causes", bad)
        assert result.exit_code == 2
        assert result.stderr.startswith("clientcard: complaint.causes ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("complaint", "add", "1", "late", "--cause", "weather"),
            "unknown cause 'weather'; a cause is one of product, delivery, service, price, "
            "billing, communication, other (config complaint.causes)",
        ),
        (
            ("complaint", "add", "1", "late", "--responsible", "them"),
            "unknown responsibility 'them'; it is one of us, company, partner, client, unknown",
        ),
        (
            ("complaint", "resolve", "1", "--result", "ok", "--responsible", "nobody"),
            "unknown responsibility 'nobody'; it is one of us, company, partner, client, unknown",
        ),
        (
            ("complaint", "set", "1"),
            "say what to set: --cause, --cause-note and/or --responsible (e.g. --cause delivery "
            "--responsible partner)",
        ),
        (
            ("complaint", "set", "1", "--cause", "x"),
            "unknown cause 'x'; a cause is one of "
            "product, delivery, service, price, billing, communication, other (config "
            "complaint.causes)",
        ),
    ],
)
def test_unknown_values_are_refused(
    ok: Run, cli: Run, snapshot: Any, args: tuple[str, ...], message: str
) -> None:
    ok("add", "张伟")
    ok("complaint", "add", "1", "first")
    before = snapshot()
    assert_error(cli(*args), 2, message)
    assert snapshot() == before


def test_set_on_a_missing_complaint(ok: Run, cli: Run) -> None:
    ok("add", "张伟")
    result = cli("complaint", "set", "9", "--cause", "product")
    assert result.exit_code == 1
    assert result.stderr.startswith("clientcard: no complaint C9")


# ---- migration 0009 -------------------------------------------------------------------------


def test_0009_gives_old_complaints_unknown_and_downgrades(ok: Run, db_path: Path) -> None:
    make_database_at(db_path, "0008")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
            " graded_at, followup_kind, search_key) VALUES (1, '张伟', '张伟', 'B', ?, ?, ?,"
            " 'cadence', '')",
            ["2026-10-01 01:00:00.000000"] * 3,
        )
        conn.execute(
            "INSERT INTO complaint (id, client_id, what, severity, status, received_at)"
            " VALUES (1, 1, 'late', 'normal', 'open', '2026-10-02 01:00:00.000000')"
        )
        conn.execute(
            "INSERT INTO complaint_step (id, complaint_id, kind, at, text)"
            " VALUES (1, 1, 'received', '2026-10-02 01:00:00.000000', 'late')"
        )
    assert why(one(ok)) == (None, None, "unknown")
    assert rows(db_path, "SELECT responsibility FROM complaint") == [("unknown",)]
    ok("complaint", "set", "1", "--cause", "delivery", "--responsible", "partner")
    ok("complaint", "add", "1", "again")  # the application writes `unknown` itself
    assert rows(db_path, "SELECT cause, responsibility FROM complaint ORDER BY id") == [
        ("delivery", "partner"),
        (None, "unknown"),
    ]
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")
    engine.dispose()
    columns = [r[1] for r in rows(db_path, "PRAGMA table_info(complaint)")]
    assert "cause" not in columns
    assert "responsibility" not in columns
    assert rows(db_path, "SELECT id, what FROM complaint ORDER BY id") == [
        (1, "late"),
        (2, "again"),
    ]


def test_0009_on_postgresql(ok: Run, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0008")
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
                    " graded_at, followup_kind, search_key) VALUES (1, '张伟', '张伟', 'B',"
                    " :at, :at, :at, 'cadence', '')"
                ),
                {"at": "2026-10-01 01:00+00"},
            )
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO complaint (id, client_id, what, severity, status, received_at)"
                    " VALUES (1, 1, 'late', 'normal', 'open', '2026-10-02 01:00+00')"
                )
            )
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO complaint_step (id, complaint_id, kind, at, text)"
                    " VALUES (1, 1, 'received', '2026-10-02 01:00+00', 'late')"
                )
            )
        monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
        ok("db", "upgrade")  # a PostgreSQL book is upgraded by `db upgrade` only (issue 17)
        assert why(one(ok)) == (None, None, "unknown")
        ok("complaint", "set", "1", "--cause", "billing", "--responsible", "client")
        assert why(one(ok)) == ("billing", None, "client")
        with engine.connect() as connection:
            default = connection.execute(
                sqlalchemy.text(
                    "SELECT column_default FROM information_schema.columns"
                    " WHERE table_name = 'complaint' AND column_name = 'responsibility'"
                )
            ).scalar()
        assert default is None  # the server default was only for the rows already there
    finally:
        engine.dispose()


# ---- the book file --------------------------------------------------------------------------


def book_at(tmp_path: Path, schema: str) -> str:
    """A book file at `schema`, as a clientcard of that time wrote it: a card and a complaint."""
    path = tmp_path / "old.db"
    create_at_revision(path, schema)
    with sqlite3.connect(path) as c:
        c.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, "
            "followup_kind, search_key, graded_at) VALUES (1, '张伟', '张伟', 'B', "
            "'2026-11-01 02:00:00.000000', '2026-11-01 02:00:00.000000', 'cadence', '张伟', "
            "'2026-11-01 02:00:00.000000')"
        )
        c.execute(
            "INSERT INTO complaint (id, client_id, what, severity, status, received_at)"
            " VALUES (1, 1, 'late', 'high', 'open', '2026-11-02 02:00:00.000000')"
        )
        c.execute(
            "INSERT INTO complaint_step (id, complaint_id, kind, at, text)"
            " VALUES (1, 1, 'received', '2026-11-02 02:00:00.000000', 'late')"
        )
    return book_file_of(path, schema)


def test_a_0008_book_file_loads_with_unknown_responsibility(ok: Run, tmp_path: Path) -> None:
    text = book_at(tmp_path, "0008")
    assert '"responsibility"' not in text
    new = str(tmp_path / "new.db")
    done = load(ok, text, tmp_path, "--db", new)
    assert "brought from schema revision 0008 to the current one" in done.stdout
    page = json.loads(ok("--db", new, "complaint", "show", "1", "-f", "json").stdout)
    assert why(page) == (None, None, "unknown")


def test_the_book_file_keeps_the_cause(ok: Run, tmp_path: Path) -> None:
    seed(ok)
    ok("complaint", "set", "1", "--cause", "service", "--cause-note", "说话太冲",
       "--responsible", "us")  # fmt: skip
    text = export(ok)
    assert text.startswith('{"clientcard":"book","format":1,"schema":"0014"}\n')
    new = str(tmp_path / "new.db")
    load(ok, text, tmp_path, "--db", new)
    assert export(ok, "--db", new) == text
    page = json.loads(ok("--db", new, "complaint", "show", "1", "-f", "json").stdout)
    assert why(page) == ("service", "说话太冲", "us")


@pytest.mark.parametrize(
    ("column", "value", "part"),
    [
        ("responsibility", "nobody", 'responsibility cannot be "nobody"'),
        ("responsibility", None, "responsibility cannot be null"),
        ("cause", "Bad Cause", 'cause cannot be "Bad Cause"'),
        ("cause", "x" * 41, 'cause cannot be "xxxx'),
    ],
)
def test_a_value_the_book_cannot_hold_is_refused(
    ok: Run, cli: Run, tmp_path: Path, column: str, value: Any, part: str
) -> None:
    seed(ok)
    refused(cli, tmp_path, edited(export(ok), "complaint", column, value), part)
