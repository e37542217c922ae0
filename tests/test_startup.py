"""Start-up: help and shell completion answer without importing the database stack."""

from pathlib import Path

import pytest

from helpers import run_main

# (pydantic is not listed: Typer is pinned below 0.29, which validated options with it.)
# Issue 14: the encoding detector only `import` needs belongs here too, the Excel workbook
# reader and writer only `import` and `export` need, and `phonenumbers`, which no command
# loads (domain/phone_keys.py reads a table generated from it).
# Issue 15: `icalendar`, which only `due --format ics` and `export --format ics` need.
# Issue 16: `pygal`, which only `report all --html` needs.
# Issue 18: `pypinyin`, which no command loads (domain/pinyin.py reads a table generated from it).
# Issue 18: a lunar library, which no command loads (domain/lunar.py reads a table generated
# from lunar-python).
STACK = {
    "pypinyin",
    "sqlmodel",
    "sqlalchemy",
    "alembic",
    "charset_normalizer",
    "openpyxl",
    "phonenumbers",
    "icalendar",
    "orjson",
    "pygal",
    "lunar_python",
    "lunardate",
    "babel",  # issue 18: the catalogs' tooling only; gettext reads the compiled catalog
}


def run_cli(tmp_path: Path, args: list[str], **env: str) -> tuple[str, list[str]]:
    """Run the CLI's main in a fresh interpreter; return its output and the database modules
    it loaded."""
    output, loaded = run_main(args, {"CLIENTCARD_DB": str(tmp_path / "cards.db"), **env})
    return output, sorted(loaded & STACK)


@pytest.mark.parametrize("args", [["--help"], ["grade", "--help"], ["add", "--help"], []])
def test_help_does_not_import_the_database_stack(tmp_path: Path, args: list[str]) -> None:
    output, loaded = run_cli(tmp_path, args)
    assert "Usage: clientcard" in output
    assert loaded == []
    assert not (tmp_path / "cards.db").exists()


@pytest.mark.parametrize("args", [["--help"], ["log", "--help"], ["promise"], []])
def test_chinese_help_does_not_import_the_database_stack(tmp_path: Path, args: list[str]) -> None:
    """Issue 18: help in Chinese costs a catalog read (gettext), nothing heavier."""
    output, loaded = run_cli(tmp_path, args, LANG="zh_CN.UTF-8")
    assert "用法：clientcard" in output  # noqa: RUF001 -- full-width, as Chinese writes it
    assert loaded == []
    assert not (tmp_path / "cards.db").exists()


def test_everyday_commands_in_chinese_do_not_import_the_database_stack(tmp_path: Path) -> None:
    run_cli(tmp_path, ["list"])
    for args in EVERYDAY[:6]:
        _, loaded = run_cli(tmp_path, args, LANG="zh_CN.UTF-8")
        assert loaded == [], args


def test_shell_completion_does_not_import_the_database_stack(tmp_path: Path) -> None:
    output, loaded = run_cli(
        tmp_path,
        [],
        _CLIENTCARD_COMPLETE="complete_bash",
        COMP_WORDS="clientcard gr",
        COMP_CWORD="1",
    )
    assert "grade" in output.split()
    assert loaded == []


def test_completing_a_client_from_the_book_does_not_import_the_database_stack(
    tmp_path: Path,
) -> None:
    """Issue 12: <TAB> on CLIENT reads the book (read-only, never migrating it)."""
    run_cli(tmp_path, ["add", "张伟", "-q"])  # creates and migrates the book
    for typed in ("张", "zw", "zhangw"):  # issue 18: by its pinyin too, without pypinyin
        output, loaded = run_cli(
            tmp_path,
            [],
            _CLIENTCARD_COMPLETE="complete_bash",
            COMP_WORDS=f"clientcard log {typed}",
            COMP_CWORD="2",
        )
        assert output.split() == ["张伟"], typed
        assert loaded == [], typed


EVERYDAY = [
    ["add", "Zhang Wei", "-q"],
    ["log", "1", "--via", "call"],
    ["promise", "add", "1", "send the brochure", "--due", "fri"],
    # Issue 18: lunar dates and holidays are written and read through a generated table.
    ["date", "add", "1", "birthday", "--lunar", "十月初五"],
    ["holiday", "add", "--preset", "cn", "--for", "all"],
    ["due", "--today"],
    ["due", "--week", "--format", "json"],
    ["show", "1"],
    ["show", "1", "--format", "json"],
    ["list", "--grade", "F", "--limit", "50"],
    ["list", "--search", "zhang"],
    # Issue 14: a phone is keyed, looked up and searched without `phonenumbers`.
    ["add", "Li Na", "--phone", "010-6552 1234", "-q"],
    ["show", "+86 10 6552 1234"],
    ["list", "--search", "6552 1234"],
    # Issue 18: a Chinese name gets its pinyin keys, and is found by them, without `pypinyin`.
    ["add", "张伟", "--company", "平安保险", "-q"],
    ["show", "zw"],
    ["list", "--search", "zhang wei"],
    ["list", "--sort", "name"],
    # Issue 18: search over everything, one, two and three characters, and a phone.
    ["search", "zhang"],
    ["search", "张"],
    ["search", "6552 1234", "--format", "json"],
]


def test_everyday_commands_on_a_book_do_not_import_the_database_stack(tmp_path: Path) -> None:
    """Where the speed of issue 5 comes from: on an SQLite file at the current schema, the
    everyday commands run on the stdlib sqlite3 driver (store/db.py), not SQLAlchemy."""
    run_cli(tmp_path, ["list"])  # creates and migrates the new book (that does load Alembic)
    for args in EVERYDAY:
        _, loaded = run_cli(tmp_path, args)
        assert loaded == [], args


# Issue 17: on a PostgreSQL URL too, and an `sqlite:///PATH` URL is the file by its path.
# (pydantic is checked here: SQLModel would bring it.)
URL_STACK = {"sqlmodel", "sqlalchemy", "alembic", "pydantic"}
HOT = [
    ["add", "Zhang Wei", "-q"],
    ["log", "1", "--via", "call", "called about the quote"],
    ["due", "--today"],
    ["show", "1"],
    ["list"],
    ["list", "--grade", "A"],
]


def url_run(tmp_path: Path, url: str, args: list[str]) -> list[str]:
    """The ORM modules a command loaded; it must have printed its answer (not failed)."""
    output, loaded = run_main(args, {"CLIENTCARD_DB": url})
    assert output.strip(), args
    return sorted(loaded & URL_STACK)


def test_hot_commands_on_a_postgresql_url_do_not_import_the_orm_stack(
    tmp_path: Path, postgres_url: str
) -> None:
    """Once the database is at the current schema, a command on a PostgreSQL URL runs on psycopg
    directly (store/pg.py); creating the schema is the one that loads Alembic."""
    assert {"alembic", "sqlalchemy"} <= set(url_run(tmp_path, postgres_url, ["list"]))
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    for url in (postgres_url, plain):
        for args in HOT:
            assert url_run(tmp_path, url, args) == [], (url, args)


def test_hot_commands_on_an_sqlite_url_do_not_import_the_orm_stack(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    assert {"alembic", "sqlalchemy"} <= set(url_run(tmp_path, url, ["list"]))
    for args in HOT:
        assert url_run(tmp_path, url, args) == [], args


def test_the_probe_would_see_the_database_stack(tmp_path: Path) -> None:
    """The checks above are not vacuous: creating a book migrates it with Alembic, and a
    database URL that store/open.py cannot open itself goes through SQLAlchemy."""
    _, loaded = run_cli(tmp_path, ["list"])
    assert {"alembic", "sqlalchemy"} <= set(loaded)
    odd = f"sqlite:///{tmp_path / 'cards.db'}?timeout=5"
    _, loaded = run_cli(tmp_path, ["--db", odd, "list"])
    assert "sqlalchemy" in loaded
    latin = tmp_path / "latin.csv"  # neither UTF-8 nor GB18030: the detector decides
    latin.write_bytes("name\nJosé\n".encode("cp1252"))
    _, loaded = run_cli(tmp_path, ["import", str(latin)])
    assert "charset_normalizer" in loaded  # the probe sees it where it is used
    _, loaded = run_cli(tmp_path, ["due", "--week", "--format", "ics"])
    assert loaded == ["icalendar"]  # only the calendar loads it
