"""Hostile or careless input never ends in an internal error (issue 13, "Deliver 2").

Each class of bad input the issue found ending in `internal error` (exit 70) is a regular test
here: an argument that is not UTF-8 text, a value longer than its field holds, an id beyond 64
bits, a settings or import file that is not UTF-8, a `--db` file that is not a clientcard book.
Every refusal is one line on stderr starting `clientcard: `, nothing on stdout, its documented
code (docs/exit-codes.md), and the book as it was (`snapshot`).
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import Result

from helpers import Run, add, promise, write

pytestmark = pytest.mark.usefixtures("migrated")

SCRIPT = Path(sys.executable).parent / "clientcard"
Snapshot = Callable[[], list[str]]


def refused(result: Result, code: int, *parts: str) -> str:
    """A user's mistake: `code`, one line on stderr naming each of `parts`, nothing on stdout."""
    assert (result.exit_code, result.stdout) == (code, ""), (result.exit_code, result.stderr)
    message = result.stderr
    assert message.startswith("clientcard: "), message
    assert message.endswith("\n"), message
    assert message.count("\n") == 1, message
    assert "internal error" not in message
    for part in parts:
        assert part in message, (part, message)
    return message


@pytest.fixture
def book(migrated: None, ok: Run) -> None:
    """A small book: a card with a promise, a complaint, a date and a person."""
    add(ok, "张伟", "--company", "阿里", "--note", "喜欢普洱茶")
    promise(ok, "张伟", "send the quote", "--due", "tomorrow")
    ok("complaint", "add", "张伟", "the delivery came late")
    ok("date", "add", "张伟", "birthday", "11-29")
    ok("person", "add", "张伟", "李娜", "--role", "秘书")
    ok("holiday", "add", "2027-02-06", "春节")


# ---- arguments that are not UTF-8 text -----------------------------------------------------

# On Linux, argv bytes that are not UTF-8 reach Python as lone surrogates (PEP 383): b"\xff"
# is "\udcff". CliRunner is given such strings; the installed script is given the bytes.
NOT_TEXT = "\udcff\udcfe"


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["add", NOT_TEXT], "'NAME'"),
        (["add", "Li", "--company", "阿里" + NOT_TEXT], "'--company'"),
        (["add", "Li", f"--company={NOT_TEXT}"], "'--company'"),
        (["add", "Li", "--tag", "vip", "--tag", NOT_TEXT], "'--tag'"),
        (["edit", "张伟", "--note", NOT_TEXT], "'--note'"),
        (["list", "--search", NOT_TEXT], "'--search'"),
        (["show", NOT_TEXT], "'CLIENT'"),
        (["log", "张伟", "--via", "call", NOT_TEXT], "'SUMMARY'"),
        (["promise", "add", "张伟", NOT_TEXT, "--due", "tomorrow"], "'WHAT'"),
        (["grade", "张伟", "A", "--reason", NOT_TEXT], "'--reason'"),
        (["config", "set", "date_order", NOT_TEXT], "'VALUE'"),
        # Values no parameter takes as text: said without a name, never quoted back raw.
        (["add", "Li", NOT_TEXT], "an argument"),
        (["list", "--format", NOT_TEXT], "an argument"),
        (["promise", "done", NOT_TEXT], "an argument"),
        ([NOT_TEXT], "an argument"),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_naming_it(
    cli: Run, snapshot: Snapshot, args: list[str], named: str
) -> None:
    before = snapshot()
    message = refused(cli(*args), 2, named, "not UTF-8 text (the bytes \\xff\\xfe)", "UTF-8")
    assert "\\udc" not in message
    assert snapshot() == before


def test_a_database_url_that_is_not_utf8_names_the_variable(cli: Run) -> None:
    result = cli("list", env={"CLIENTCARD_DB": f"postgresql://u:{NOT_TEXT}@localhost/book"})
    refused(result, 2, "'--db'", "CLIENTCARD_DB", "not UTF-8 text")


def test_an_import_file_name_with_a_nul_is_a_usage_error(cli: Run) -> None:
    refused(cli("import", "cards\x00.csv"), 2, "a file name has no NUL character")


def test_a_file_name_need_not_be_utf8(cli: Run, ok: Run, tmp_path: Path) -> None:
    # Any bytes make a file name on Linux: such a file still imports, such a book still opens.
    named = write(tmp_path, "name\n王芳\n", name="客户\udcff.csv")
    assert ok("import", named).stdout == "Imported 1 card\n"
    other = str(tmp_path / "book\udcfe.db")
    assert ok("--db", other, "add", "Li").stdout.startswith("Added #1 Li")


@pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"clientcard is not installed next to {sys.executable}"
)
@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([b"add", b"\xff\xfe"], "'NAME'"),
        ([b"add", "张伟".encode(), b"--company", b"\xd5\xc5"], "'--company'"),  # 张 in GBK
        ([b"list", b"--search", b"\xff"], "'--search'"),
    ],
)
def test_the_installed_script_refuses_bytes_that_are_not_utf8(
    tmp_path: Path, db_path: Path, snapshot: Snapshot, args: list[bytes], named: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env.update(CLIENTCARD_DB=str(db_path), LC_ALL="C.UTF-8")
    before = snapshot()
    done = subprocess.run(
        [bytes(SCRIPT), *args], env=env, capture_output=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout) == (2, b""), done.stderr
    message = done.stderr.decode("utf-8")
    assert message.startswith("clientcard: "), message
    assert message.count("\n") == 1, message
    assert named in message, message
    assert "not UTF-8 text" in message, message
    assert snapshot() == before


# ---- values longer than their field holds --------------------------------------------------

TEN_THOUSAND_AND_ONE = "长" * 10_001


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Li", "--note", TEN_THOUSAND_AND_ONE], "notes is 10,001 characters long"),
        (["edit", "张伟", "--note", TEN_THOUSAND_AND_ONE], "notes is 10,001 characters long"),
        (["edit", "张伟", "--address", "x" * 501], "address is 501 characters long; at most 500"),
        (["add", "x" * 120_000], "name is 120,000 characters long; at most 200 fit"),
        (["log", "张伟", "--via", "call", TEN_THOUSAND_AND_ONE], "summary is 10,001"),
        (["log", "张伟", "--via", "call", "--with", "x" * 201], "person is 201"),
        (["grade", "张伟", "A", "--reason", TEN_THOUSAND_AND_ONE], "reason is 10,001"),
        (["snooze", "张伟", "+3d", "--reason", TEN_THOUSAND_AND_ONE], "reason is 10,001"),
        (["promise", "add", "张伟", TEN_THOUSAND_AND_ONE, "--due", "tomorrow"], "what is 10,001"),
        (
            ["promise", "add", "张伟", "visit", "--at", "tomorrow 3pm", "--where", "x" * 201],
            "place is 201 characters long; at most 200 fit",
        ),
        (["promise", "move", "1", "--to", "+3d", "--reason", TEN_THOUSAND_AND_ONE], "reason is"),
        (["promise", "cancel", "1", "--by", "me", "--reason", TEN_THOUSAND_AND_ONE], "reason is"),
        (["complaint", "add", "张伟", TEN_THOUSAND_AND_ONE], "what is 10,001"),
        (["complaint", "step", "1", TEN_THOUSAND_AND_ONE], "text is 10,001"),
        (["complaint", "resolve", "1", "--result", TEN_THOUSAND_AND_ONE], "result is 10,001"),
        (["sale", "张伟", "100", "--what", TEN_THOUSAND_AND_ONE], "what is 10,001"),
        (["rate", "张伟", "--credit", "good", "--reason", TEN_THOUSAND_AND_ONE], "reason is"),
        (["date", "add", "张伟", "promotion", "+3d", "--note", TEN_THOUSAND_AND_ONE], "note is"),
        (["person", "add", "张伟", "王", "--role", "x", "--note", TEN_THOUSAND_AND_ONE], "note is"),
        (["person", "edit", "1", "--note", TEN_THOUSAND_AND_ONE], "note is 10,001"),
        (["list", "--search", "a" * 120_000], "--search is 120,000 characters long"),
        (["list", "--search", "北" * 201], "search for at most 200 characters"),
    ],
)
def test_a_value_longer_than_its_field_is_refused_before_anything_is_written(
    cli: Run, snapshot: Snapshot, args: list[str], message: str
) -> None:
    before = snapshot()
    refused(cli(*args), 2, message)
    assert snapshot() == before


def test_a_value_as_long_as_its_field_fits(ok: Run, query) -> None:
    add(ok, "名" * 200, "--note", "长" * 10_000, "--address", "x" * 500)
    assert query("SELECT length(name), length(notes), length(address) FROM client") == [
        (200, 10_000, 500)
    ]
    assert ok("list", "--search", "名" * 200, "--format", "json").stdout.count('"id"') == 1


def test_an_import_refuses_a_value_too_long_naming_its_line(
    cli: Run, snapshot: Snapshot, tmp_path: Path
) -> None:
    before = snapshot()
    text = f"name,notes\n王芳,ok\n李娜,{'x' * 10_001}\n"
    refused(cli("import", write(tmp_path, text)), 2, "line 3: notes is 10,001 characters long")
    assert snapshot() == before


# ---- ids beyond 64 bits ---------------------------------------------------------------------

HUGE = "123456789012345678901234"


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", HUGE], f"no card matches '{HUGE}'"),
        (["edit", "张伟", "--referred-by", HUGE], f"no card matches '{HUGE}'"),
        (["promise", "done", HUGE], f"no promise P{HUGE}"),
        (["promise", "move", HUGE, "--to", "+3d"], f"no promise P{HUGE}"),
        (["promise", "cancel", HUGE, "--by", "me"], f"no promise P{HUGE}"),
        (["promise", "missed", HUGE], f"no promise P{HUGE}"),
        (["promise", "done", "--", f"-{HUGE}"], f"no promise P-{HUGE}"),
        (["promise", "done", str(2**63)], f"no promise P{2**63}"),
        (["promise", "done", str(2**63 - 1)], f"no promise P{2**63 - 1}"),
        (["complaint", "show", HUGE], f"no complaint C{HUGE}"),
        (["complaint", "step", HUGE, "called"], f"no complaint C{HUGE}"),
        (["complaint", "resolve", HUGE, "--result", "ok"], f"no complaint C{HUGE}"),
        (["complaint", "reopen", HUGE], f"no complaint C{HUGE}"),
        (["date", "remove", HUGE], f"no date D{HUGE}"),
        (["holiday", "remove", HUGE], f"no holiday H{HUGE}"),
        (["person", "edit", HUGE, "--note", "x"], f"no person K{HUGE}"),
        (["person", "remove", HUGE], f"no person K{HUGE}"),
    ],
)
def test_an_id_beyond_64_bits_is_not_found(
    cli: Run, snapshot: Snapshot, args: list[str], message: str
) -> None:
    before = snapshot()
    refused(cli(*args), 1, message)
    assert snapshot() == before


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("command", [["list"], ["contacts"], ["sales"], ["due"], ["date", "list"]])
def test_a_limit_beyond_64_bits_shows_everything(ok: Run, command: list[str]) -> None:
    everything = ok(*command, "--format", "json").stdout
    assert ok(*command, "--limit", HUGE, "--format", "json").stdout == everything


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rate", "张伟", "--satisfaction", "9" * 5000], "satisfaction must be a whole number"),
        (["complaint", "resolve", "1", "--result", "ok", "--satisfaction", "9" * 5000], "from 1"),
        (["snooze", "张伟", f"+{'9' * 5000}d"], "offset goes out of range"),
    ],
)
def test_a_number_of_thousands_of_digits_is_a_usage_error(
    cli: Run, snapshot: Snapshot, args: list[str], message: str
) -> None:
    # Python reads no integer of more than 4,300 digits (ValueError).
    before = snapshot()
    refused(cli(*args), 2, message)
    assert snapshot() == before


# ---- settings and import files that are not UTF-8 -------------------------------------------


@pytest.mark.usefixtures("book")
def test_a_settings_file_that_is_not_utf8_names_the_file_and_line(
    cli: Run, snapshot: Snapshot, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"  # CLIENTCARD_CONFIG (conftest.py)
    config.write_bytes(b'date_order = "dmy"\n# ' + "客户 in GBK".encode("gbk") + b"\n")
    before = snapshot()
    for args in (
        ["due"],
        ["add", "Li"],
        ["config", "show"],
        ["config", "set", "--book", "notice_hours", "3"],
    ):
        refused(
            cli(*args),
            2,
            f"cannot read the settings file {config}: line 2 is not UTF-8 text",
            "save the file as UTF-8",
        )
    assert snapshot() == before


def test_a_settings_file_with_a_byte_order_mark_is_read(ok: Run, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_bytes(b'\xef\xbb\xbfdate_order = "dmy"\n')
    assert "dmy" in ok("config", "show").stdout


def test_a_settings_number_of_thousands_of_digits_is_refused(cli: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"notice_hours = {'9' * 5000}\n", encoding="utf-8")
    refused(cli("due"), 2, f"cannot read the settings file {config}: it holds a number too long")


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_an_import_file_that_is_not_utf8_names_the_file_and_line(
    cli: Run, snapshot: Snapshot, tmp_path: Path, fmt: str
) -> None:
    gbk = "name\n王芳\n李娜\n".encode("gbk")
    path = write(tmp_path, "name\n王芳\n".encode() + gbk.splitlines(keepends=True)[2])
    before = snapshot()
    refused(
        cli("import", "--format", fmt, "--encoding", "utf-8", path),
        2,
        f"{path}, line 3: not UTF-8 text; save the file as UTF-8",
    )
    refused(
        cli("import", "--format", fmt, "--encoding", "utf-8", "-", input=Path(path).read_bytes()),
        2,
        "standard input, line 3: not UTF-8 text",
    )
    assert snapshot() == before


# ---- a --db file that is not a clientcard book ---------------------------------------------

NOT_A_DATABASE = {
    "text": b"this is not a database, it is a shopping list\n" * 200,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500),
    "zeros": bytes(8192),
}


@pytest.mark.parametrize("kind", sorted(NOT_A_DATABASE))
@pytest.mark.parametrize("as_url", [False, True], ids=["path", "sqlite-url"])
def test_a_file_that_is_not_a_database_is_not_a_book(
    cli: Run, tmp_path: Path, kind: str, as_url: bool
) -> None:
    path = tmp_path / f"{kind}.db"
    path.write_bytes(NOT_A_DATABASE[kind])
    db = f"sqlite:///{path}" if as_url else str(path)
    for args in (["list"], ["add", "Li"], ["import", write(tmp_path, "name\nLi\n")]):
        refused(cli("--db", db, *args), 74, f"{path} is not a clientcard book", "not an SQLite")
    assert path.read_bytes() == NOT_A_DATABASE[kind]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(kind)) == [path.name]


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("/dev/null", "cannot open the database /dev/null: it is not a file"),
        (".", "cannot open the database .: it is not a file"),
        ("~nobody-has-this-name/cards.db", "the folder ~nobody-has-this-name does not exist"),
        ("cards\x00.db", "--db holds a NUL character"),  # never in a real argv; in a test
    ],
)
def test_a_db_that_is_not_a_file_is_a_database_error(cli: Run, db: str, message: str) -> None:
    for args in (["list"], ["add", "Li"]):
        refused(cli("--db", db, *args), 74, message)


def someone_elses(path: Path) -> bytes:
    """Another program's SQLite database, in the default rollback-journal mode: its bytes."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO recipe (name) VALUES ('红烧肉')")
        connection.commit()
    return path.read_bytes()


@pytest.mark.parametrize("as_url", [False, True], ids=["path", "sqlite-url"])
def test_another_programs_database_is_refused_and_left_as_it_was(
    cli: Run, tmp_path: Path, as_url: bool
) -> None:
    path = tmp_path / "recipes.db"
    original = someone_elses(path)
    db = f"sqlite:///{path}" if as_url else str(path)
    for args in (["list"], ["add", "Li"], ["show", "1"]):
        refused(
            cli("--db", db, *args),
            74,
            f"{path} is not a clientcard book: it is a database with tables of its own (recipe)",
        )
    assert path.read_bytes() == original  # not migrated into, not even switched to WAL
    # No backup, no -wal or -shm file left: nothing but the file itself.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("recipes")) == [
        "recipes.db"
    ]


def test_an_empty_file_or_database_is_a_new_book(ok: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert ok("--db", str(empty), "add", "Li").stdout.startswith("Added #1 Li")
    tableless = tmp_path / "tableless.db"
    with closing(sqlite3.connect(tableless)) as connection:
        connection.execute("VACUUM")
    assert ok("--db", str(tableless), "add", "Li").stdout.startswith("Added #1 Li")


@pytest.mark.usefixtures("book")
def test_a_damaged_book_is_a_database_error(cli: Run, db_path: Path, tmp_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    damaged = bytearray(db_path.read_bytes())
    for page in range(2, pages):  # every page but the first (the header, the schema's root)
        damaged[page * size : page * size + 64] = b"\xde\xad" * 32
    db_path.write_bytes(bytes(damaged))
    for args in (["list"], ["show", "张伟"], ["add", "Li"], ["export"]):
        refused(cli(*args), 74, f"the database {db_path} is damaged", "Restore it from a backup")
    assert db_path.read_bytes() == bytes(damaged)


def test_another_programs_postgresql_database_is_refused(cli: Run, postgres_url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE recipe (id serial PRIMARY KEY, name text)")
        refused(cli("--db", postgres_url, "add", "Li"), 74, "is not a clientcard book", "recipe")
        assert sqlalchemy.inspect(engine).get_table_names() == ["recipe"]
    finally:
        engine.dispose()
