"""Issue 15, point 1: `export --book` writes every record of every kind, losslessly; `import
--book` loads it into an empty book. Export -> import -> export gives the same bytes, on an
SQLite file, through an `sqlite:///` URL, on PostgreSQL, and from one to the other."""

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

from clientcard.services.book import import_book, read_header
from clientcard.store import book as layout
from clientcard.store import models  # noqa: F401  (the tables, for SQLModel.metadata)
from clientcard.store.migrate import create_at_revision
from clientcard.store.open import transaction
from clientcard.store.revision import HEAD_REVISION


def seed(ok, *db: str) -> None:
    """A book with a record of every kind, CJK, a referral pointing forward, a merge, an
    archived card, moved and kept promises, a resolved complaint."""
    ok(
        *db,
        "add",
        "张伟",
        "--company",
        "阿里巴巴",
        "--phone",
        "13800138000, 010 6552 1234",
        "--email",
        "zw@example.cn",
        "--grade",
        "B",
        "--tag",
        "vip",
        "--tag",
        "北京",
    )
    ok(*db, "add", "Li Na", "--tag", "alpha", "--note", "line one\nline two \x7f")
    ok(*db, "add", "王小明", "--referred-by", "Li Na", "--source", "展会")
    ok(*db, "edit", "Li Na", "--referred-by", "王小明")  # a card referred by a later one
    ok(*db, "log", "张伟", "谈了年终奖", "--via", "visit", "--with", "李秘书")
    ok(*db, "log", "Li Na", "called", "--via", "call", "--at", "2026-05-12 10:15")
    ok(*db, "grade", "Li Na", "A", "--reason", "ready to buy")
    ok(*db, "promise", "add", "张伟", "send quote", "--due", "fri")
    ok(*db, "promise", "add", "Li Na", "见面", "--at", "mon 15:00", "--where", "国贸")
    ok(*db, "promise", "move", "2", "--to", "tue 15:00", "--reason", "客户出差", "--by-client")
    ok(*db, "promise", "done", "1")
    ok(*db, "complaint", "add", "张伟", "late delivery", "--severity", "high")
    ok(*db, "complaint", "step", "1", "called back", "--via", "call")
    ok(*db, "complaint", "resolve", "1", "--result", "refund", "--satisfaction", "4")
    ok(*db, "sale", "张伟", "12,000.50", "--what", "设备")
    ok(*db, "rate", "张伟", "--credit", "good", "--satisfaction", "5", "--loyalty", "4")
    ok(*db, "date", "add", "张伟", "birthday", "1980-03-22", "--yearly")
    ok(*db, "holiday", "add", "2027-02-17", "春节", "--for", "all")
    ok(*db, "person", "add", "张伟", "李秘书", "--role", "secretary", "--phone", "13900139000")
    ok(*db, "add", "Old", "--grade", "D")
    ok(*db, "archive", "Old")
    ok(*db, "add", "张伟 dup", "--phone", "13700137000")
    ok(*db, "merge", "张伟", "张伟 dup", "--yes")
    # A card handed over (issue 17): 王芳's card to li, by the `handover` command.
    ok(*db, "edit", "张伟", "--owner", "王芳", env={"CLIENTCARD_USER": "王芳"})
    ok(
        *db,
        "handover",
        "张伟",
        "--to",
        "li",
        "--reason",
        "王芳 休产假",
        env={"CLIENTCARD_USER": "王芳"},
    )
    ok(*db, "config", "set", "--book", "cadence.A", "5")  # a book setting and its change
    ok(*db, "config", "set", "--book", "currency", "EUR")
    ok(*db, "config", "unset", "--book", "currency")  # a change back to the default


def assert_error(result: Any, code: int, part: str) -> None:
    """One line on stderr that says `part`, nothing on stdout, the exit code."""
    assert (result.exit_code, result.stdout) == (code, ""), result.stderr
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.count("\n") == 1
    assert part in result.stderr, result.stderr


def export(ok, *db: str) -> str:
    return ok(*db, "export", "--book").stdout


def load(ok, text: str, tmp_path: Path, *db: str) -> Any:
    file = tmp_path / "book.jsonl"
    file.write_text(text, encoding="utf-8")
    return ok(*db, "import", "--book", str(file))


def test_the_tables_are_every_table_of_the_models() -> None:
    tables = set(SQLModel.metadata.tables)
    assert {k.__table__ for k in layout.TABLES} == tables


def test_round_trip_is_byte_identical(ok, tmp_path: Path) -> None:
    seed(ok)
    first = export(ok)
    new = str(tmp_path / "new.db")
    done = load(ok, first, tmp_path, "--db", new)
    assert done.stdout.startswith("Imported the book from ")
    assert "5 cards" not in done.stdout  # one was merged away: 4 cards
    assert "4 cards" in done.stdout
    assert export(ok, "--db", new) == first


def test_every_kind_is_in_the_file(ok) -> None:
    seed(ok)
    lines = [json.loads(line) for line in export(ok).splitlines()]
    assert lines[0] == {"clientcard": "book", "format": 1, "schema": HEAD_REVISION}
    assert lines[-1] == {"end": "book", "records": len(lines) - 2 - len(layout.TABLES)}
    counts = {
        line["table"]: line["rows"] for line in lines if isinstance(line, dict) and "table" in line
    }
    assert [t for t, n in counts.items() if n == 0] == []
    assert "谈了年终奖" in export(ok)


def test_what_the_book_shows_is_the_same_after(ok, tmp_path: Path) -> None:
    seed(ok)
    new = str(tmp_path / "new.db")
    load(ok, export(ok), tmp_path, "--db", new)
    for command in (
        ("show", "张伟", "--format", "json"),
        ("grade", "Li Na", "--format", "json"),
        ("promise", "list", "--all", "--format", "json"),
        ("complaint", "show", "1", "--format", "json"),
        ("due", "--week", "--format", "json"),
        ("list", "--archived", "--format", "json"),
        ("contacts", "--format", "json"),
    ):
        assert ok("--db", new, *command).stdout == ok(*command).stdout, command


def test_the_loaded_book_goes_on_with_new_ids(ok, tmp_path: Path) -> None:
    seed(ok)
    new = str(tmp_path / "new.db")
    load(ok, export(ok), tmp_path, "--db", new)
    assert (
        ok("--db", new, "add", "赵六", "-q").stdout.strip()
        == ok("add", "赵六", "-q").stdout.strip()
    )


def test_sqlite_url_gives_the_same_bytes(ok, tmp_path: Path) -> None:
    seed(ok)
    first = export(ok)
    url = f"sqlite:///{tmp_path / 'url.db'}"
    load(ok, first, tmp_path, "--db", url)
    assert export(ok, "--db", url) == first


def test_postgresql_and_back(ok, tmp_path: Path, postgres_url: str) -> None:
    """A personal book onto the team's server and back: the same bytes every way."""
    seed(ok)
    first = export(ok)
    load(ok, first, tmp_path, "--db", postgres_url)
    assert export(ok, "--db", postgres_url) == first
    back = str(tmp_path / "back.db")
    load(ok, export(ok, "--db", postgres_url), tmp_path, "--db", back)
    assert export(ok, "--db", back) == first
    # the sequences moved past the loaded ids: the next card is #6 on both
    assert ok("--db", postgres_url, "add", "赵六", "-q").stdout == ok("add", "赵六", "-q").stdout


def test_a_book_seeded_on_postgresql_exports_as_on_sqlite(ok, postgres_url: str) -> None:
    seed(ok, "--db", postgres_url)
    seed(ok)
    assert export(ok, "--db", postgres_url) == export(ok)


def test_standard_input(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    first = export(ok)
    new = str(tmp_path / "new.db")
    ok("--db", new, "import", "--book", "-", input=first)
    assert export(ok, "--db", new) == first


def test_a_byte_order_mark_is_no_matter(ok, tmp_path: Path) -> None:
    """An editor on Windows may save the file with one."""
    seed(ok)
    first = export(ok)
    load(ok, "\ufeff" + first, tmp_path, "--db", str(tmp_path / "new.db"))
    assert export(ok, "--db", str(tmp_path / "new.db")) == first


def test_output_file(ok, tmp_path: Path) -> None:
    seed(ok)
    out = tmp_path / "book.jsonl"
    assert ok("export", "--book", "-o", str(out)).stdout == ""
    assert out.read_text(encoding="utf-8") == export(ok)
    assert out.stat().st_mode & 0o777 == 0o600  # a whole book: private, as a backup is


def test_an_empty_book_round_trips(ok, tmp_path: Path) -> None:
    ok("list")
    first = export(ok)
    assert first.count("\n") == 2 + len(layout.TABLES)
    new = str(tmp_path / "new.db")
    load(ok, first, tmp_path, "--db", new)
    assert export(ok, "--db", new) == first


def test_refused_into_a_book_that_holds_anything(ok, cli, tmp_path: Path, query) -> None:
    seed(ok)
    first = export(ok)
    file = tmp_path / "b.jsonl"
    file.write_text(first, encoding="utf-8")
    result = cli("import", "--book", str(file))
    assert_error(result, 3, "the book already holds 4 cards")
    assert export(ok) == first
    other = str(tmp_path / "holiday-only.db")
    ok("--db", other, "holiday", "add", "2027-01-01", "元旦")
    assert_error(cli("--db", other, "import", "--book", str(file)), 3, "already holds 1 records")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--format", "csv"),
        ("--encoding", "utf-8"),
        ("--map", "a=name"),
        ("--dry-run", None),
        ("--skip-invalid", None),
        ("--sheet", "x"),
        ("--on-duplicate", "add"),
    ],
)
def test_import_options_that_do_not_apply(
    cli, tmp_path: Path, option: str, value: str | None
) -> None:
    file = tmp_path / "b.jsonl"
    file.write_text("{}", encoding="utf-8")
    args = [option] if value is None else [option, value]
    assert_error(cli("import", "--book", str(file), *args), 2, f"leave out {option}")


@pytest.mark.parametrize(
    "args", [("--format", "csv"), ("--what", "contacts"), ("--live",), ("--archived",), ("--raw",)]
)
def test_export_options_that_do_not_apply(cli, args: tuple[str, ...]) -> None:
    assert_error(cli("export", "--book", *args), 2, f"leave out {args[0]}")


# -- files that are not whole books -----------------------------------------------------------


def refused(cli, tmp_path: Path, text: str, part: str) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(text, encoding="utf-8")
    target = tmp_path / "target.db"
    result = cli("--db", str(target), "import", "--book", str(file))
    assert_error(result, 2, part)
    if target.exists():  # nothing was written: the book is still empty
        with sqlite3.connect(target) as c:
            assert c.execute("SELECT count(*) FROM client").fetchone() == (0,)


def test_newer_format_refused(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    text = export(ok).replace('"format":1', '"format":2', 1)
    refused(cli, tmp_path, text, "written by a newer clientcard (book format 2")


def test_newer_schema_refused(ok, cli, tmp_path: Path) -> None:
    newer = f"{int(HEAD_REVISION) + 1:04d}"
    text = export(ok).replace(f'"schema":"{HEAD_REVISION}"', f'"schema":"{newer}"', 1)
    refused(cli, tmp_path, text, f"schema revision '{newer}', newer than this clientcard")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("name,phone\n张伟,1\n", "not a book export"),
        ('{"clientcard":"book"}\n', "format should be a whole number, not null"),
        ('{"clientcard":"book","format":"1","schema":"0008"}\n', 'not "1"'),
        ('{"clientcard":"book","format":1,"schema":8}\n', "schema should be a revision"),
        ("", "it is empty"),
    ],
)
def test_not_a_book_refused(cli, tmp_path: Path, text: str, part: str) -> None:
    refused(cli, tmp_path, text, part)


def test_a_cut_short_file_loads_nothing(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    lines = export(ok).splitlines(keepends=True)
    for cut in (2, 3, len(lines) // 2, len(lines) - 1):
        refused(cli, tmp_path, "".join(lines[:cut]), "cut short")


def test_a_damaged_value_names_its_line(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    lines = export(ok).splitlines(keepends=True)
    row = json.loads(lines[2])  # the first card
    row[1] = 12  # a name that is a number
    lines[2] = json.dumps(row, ensure_ascii=False) + "\n"
    refused(cli, tmp_path, "".join(lines), "line 3: client: name cannot be 12")


def test_a_broken_reference_is_refused(ok, cli, tmp_path: Path) -> None:
    seed(ok)
    text = export(ok)
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith('{"table":"contact"'))
    row = json.loads(lines[at + 1])
    row[1] = 999  # a contact of a card that is not in the book
    lines[at + 1] = json.dumps(row, ensure_ascii=False) + "\n"
    refused(cli, tmp_path, "".join(lines), "table contact")


def test_an_unknown_table_or_column_is_refused(ok, cli, tmp_path: Path) -> None:
    text = export(ok)
    refused(cli, tmp_path, text.replace('"table":"holiday"', '"table":"x"'), "'x' is not a table")
    renamed = text.replace('"name","audience","author"', '"name","audience2","author"')
    refused(cli, tmp_path, renamed, "not known: audience2")


def test_more_after_the_end_is_refused(ok, cli, tmp_path: Path) -> None:
    refused(cli, tmp_path, export(ok) + "[1]\n", "more after the end")


# -- an older schema's book -------------------------------------------------------------------


def old_book(tmp_path: Path) -> str:
    """A book file at schema 0006 (before several phones per card), written as a clientcard of
    that time would: its tables and columns, read from a book the migrations build at 0006."""
    path = tmp_path / "old.db"
    create_at_revision(path, "0006")
    with sqlite3.connect(path) as c:
        c.execute(
            "INSERT INTO client (id, name, name_key, phone, grade, created_at, updated_at, "
            "followup_kind, search_key, graded_at) VALUES (1, '张伟', '张伟', "
            "'13800138000 / 13900139000', 'B', '2026-11-01 02:00:00.000000', "
            "'2026-11-01 02:00:00.000000', 'cadence', '张伟', '2026-11-01 02:00:00.000000')"
        )
        c.execute(
            "INSERT INTO grade_change (id, client_id, from_grade, to_grade, changed_at, reason) "
            "VALUES (1, 1, NULL, 'B', '2026-11-01 02:00:00.000000', 'added')"
        )
    return book_file_of(path, "0006")


def book_file_of(path: Path, schema: str) -> str:
    """The SQLite book at `path`, at schema `schema`, as a book file (docs/book-format.md),
    as the clientcard of that schema wrote it: its tables and columns as they are in the file."""
    with sqlite3.connect(path) as c:
        present = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [k.__table__ for k in layout.TABLES if k.__table__ in present]
        kinds = {"DATETIME": "datetime", "DATE": "date", "BOOLEAN": "bool"}
        lines: list[Any] = [{"clientcard": "book", "format": 1, "schema": schema}]
        total = 0
        for table in tables:
            info = c.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [i[1] for i in info]
            types = [kinds.get(i[2], "") for i in info]
            rows = c.execute(f'SELECT * FROM "{table}"').fetchall()
            lines.append({"table": table, "rows": len(rows), "columns": columns, "kinds": types})
            for row in rows:
                lines.append(
                    [
                        (v.replace(" ", "T") + "Z") if k == "datetime" and v else v
                        for v, k in zip(row, types, strict=True)
                    ]
                )
            total += len(rows)
        lines.append({"end": "book", "records": total})
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in lines)


def test_an_older_schema_is_upgraded(ok, tmp_path: Path) -> None:
    text = old_book(tmp_path)
    new = str(tmp_path / "new.db")
    done = load(ok, text, tmp_path, "--db", new)
    assert "brought from schema revision 0006 to the current one" in done.stdout
    card = json.loads(ok("--db", new, "show", "张伟", "--format", "json").stdout)
    assert [p["number"] for p in card["phones"]] == ["13800138000", "13900139000"]
    assert (
        ok("--db", new, "list", "--search", "13900139000", "--format", "tsv").stdout.count("\n")
        == 2
    )


def test_an_older_schema_into_postgresql(ok, tmp_path: Path, postgres_url: str) -> None:
    text = old_book(tmp_path)
    load(ok, text, tmp_path, "--db", postgres_url)
    sqlite_book = str(tmp_path / "new.db")
    load(ok, text, tmp_path, "--db", sqlite_book)
    assert export(ok, "--db", postgres_url) == export(ok, "--db", sqlite_book)


def test_the_service_reads_lines_as_bytes(ok, tmp_path: Path) -> None:
    seed(ok)
    lines = iter(export(ok).encode().splitlines(keepends=True))
    header = read_header(next(lines), "test")
    with transaction(str(tmp_path / "s.db"), write=True) as db:
        done = import_book(db, header, lines, "test")
    assert (done.cards, done.upgraded_from) == (4, None)


def edited(text: str, table: str, column: str, value: Any) -> str:
    """The book file with `column` of the first row of `table` set to `value`."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f'{{"table":"{table}"'))
    columns = json.loads(lines[at])["columns"]
    row = json.loads(lines[at + 1])
    row[columns.index(column)] = value
    lines[at + 1] = json.dumps(row, ensure_ascii=False) + "\n"
    return "".join(lines)


@pytest.mark.parametrize(
    ("table", "column", "value", "part"),
    [
        ("client", "grade", "G", 'grade cannot be "G"'),
        ("client", "satisfaction", 9, "satisfaction cannot be 9"),
        ("client", "name", "x" * 201, 'name cannot be "xxxx'),
        ("client", "name", "平安\x00保险", "name cannot be"),
        ("client", "referred_by_id", 999, "referred_by_id 999 is not a card of the book"),
        ("contact", "via", "pigeon", 'via cannot be "pigeon"'),
        ("sale", "amount_minor", 2**63, "amount_minor cannot be 9223372036854775808"),
        ("promise", "status", "lost", 'status cannot be "lost"'),
        ("complaint", "severity", "mild", 'severity cannot be "mild"'),
        ("key_date", "month", 13, "month cannot be 13"),
        ("client", "created_at", "2026-12-04", 'created_at cannot be "2026-12-04"'),
    ],
)
def test_a_value_the_book_cannot_hold_is_refused(
    ok, cli, tmp_path: Path, table: str, column: str, value: Any, part: str
) -> None:
    """Values a file edited by hand may hold that no command writes: refused with their line,
    not loaded (every command reading them would fail) and not an internal error."""
    seed(ok)
    refused(cli, tmp_path, edited(export(ok), table, column, value), part)


def test_a_value_the_book_cannot_hold_is_refused_on_postgresql(
    ok, cli, tmp_path: Path, postgres_url: str
) -> None:
    seed(ok)
    file = tmp_path / "bad.jsonl"
    for column, value in (("name", "x" * 201), ("name", "a\x00b"), ("referred_by_id", 999)):
        file.write_text(edited(export(ok), "client", column, value), encoding="utf-8")
        result = cli("--db", postgres_url, "import", "--book", str(file))
        assert_error(result, 2, "cannot import")
    assert ok("--db", postgres_url, "list", "--format", "tsv").stdout.count("\n") == 1


@pytest.mark.parametrize("args", [("--book",), ("--format", "csv"), ("--format", "ics")])
def test_output_that_is_no_regular_file_is_refused(
    cli, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`-o` renames the export over FILE: a folder, or a device (-o /dev/null) that would
    become a file of every client's data, is refused and left as it was."""
    assert_error(cli("export", *args, "-o", str(tmp_path)), 2, "it is a folder")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_error(cli("export", *args, "-o", str(fifo)), 2, "it is not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_format_json_is_refused_with_book_too(cli) -> None:
    assert_error(cli("export", "--book", "--format", "json"), 2, "leave out --format")


def test_the_book_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    """A whole book (text with any character a client's notes hold) is for a file: on a
    terminal it is refused, as an xlsx export is. Run through a pseudo-terminal."""
    import pty
    import subprocess
    import sys

    script = Path(sys.executable).parent / "clientcard"
    main, secondary = pty.openpty()
    env = {**os.environ, "CLIENTCARD_DB": str(tmp_path / "b.db")}
    done = subprocess.run(
        [str(script), "export", "--book"], stdout=secondary, stderr=subprocess.PIPE, env=env
    )
    os.close(secondary)
    os.close(main)
    assert done.returncode == 2
    assert b"a terminal cannot show" in done.stderr


def test_the_load_leaves_other_tables_indexes_alone(ok, tmp_path: Path, postgres_url: str) -> None:
    """A team's database may hold another program's tables: their indexes stay; the book's
    come back."""
    import sqlalchemy

    ok("--db", postgres_url, "list")  # the book's tables first: a database of others' is refused
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE other (id int PRIMARY KEY, note text)")
        c.exec_driver_sql("CREATE INDEX ix_other_note ON other (note)")
    seed(ok)
    load(ok, export(ok), tmp_path, "--db", postgres_url)
    with engine.begin() as c:
        names = {r[0] for r in c.exec_driver_sql("SELECT indexname FROM pg_indexes")}
    engine.dispose()
    assert {"ix_other_note", "ix_contact_at", "ix_client_ladder"} <= names


def test_the_examples_of_book_format_md_are_real(tmp_path: Path) -> None:
    """docs/book-format.md's console examples (not the server's): each `$` line run by a shell
    in an empty folder, through the installed script, prints what the page says."""
    import re
    import shutil
    import subprocess
    import sys

    page = (Path(__file__).parent.parent / "docs" / "book-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", page, re.DOTALL)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "CLIENTCARD_DB": str(tmp_path / "clientcard.db"),
        "CLIENTCARD_NOW": "2026-12-04T09:00",
    }
    replayed = 0
    for block in blocks:
        if "postgresql" in block or ("jq " in block and shutil.which("jq") is None):
            continue
        commands = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
        for command in commands:
            line, _, expected = command.partition("\n")
            done = subprocess.run(
                ["sh", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True
            )
            assert done.stdout + done.stderr == expected, line
            replayed += 1
    assert replayed >= 8
