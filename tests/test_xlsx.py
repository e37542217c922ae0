"""Excel workbooks (issue 14, point 4): `import FILE.xlsx [--sheet NAME]` reads a sheet as its
user sees it, through the same header recognition as CSV; `export --format xlsx` writes the
cards a spreadsheet user expects, and they import back.

Every workbook here is written by the test itself with openpyxl (the library Excel files are
read and written with), as Excel and WPS would save them: Chinese headers, phones typed as
numbers, dates as dates, a title merged over the table, a second sheet.
"""

import io
import json
import os
import pty
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from clientcard.services.bringin import xlsx as xlsx_read
from helpers import assert_error, listing, rows

pytestmark = pytest.mark.usefixtures("migrated")

HEADER = ["姓名", "手机", "公司", "职位", "邮箱", "生日", "客户级别", "微信号", "备注"]


def workbook(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]]) -> str:
    """Write a workbook: each sheet's rows (None: an empty cell), and its merged ranges."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, lines in sheets.items():
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
        for merge in merges.get(title, []):
            sheet.merge_cells(merge)
    book.save(path)
    return str(path)


ZHANG_WEI = ["张伟", 13800138000, "平安保险", "经理", "zw@pingan.cn", datetime(1980, 3, 22)]
ZHANG_WEI += ["A级", "zw88", None]


def clients_book(tmp_path: Path, name: str = "客户.xlsx") -> str:
    """A salesperson's workbook: a title merged over the table, then the header on row 3;
    phones typed as numbers, birthdays as dates; a company merged down over two rows; a
    second sheet of notes."""
    return workbook(
        tmp_path / name,
        {
            "客户名单": [
                ["2026年客户名单"],
                [],
                HEADER,
                ZHANG_WEI,
                ["李娜", 13900000000.0, "阿里巴巴", None, None, date(1990, 1, 2), "重要"],
                ["王芳", None, None, None, None, None, "b类", None, "老客户"],
                [],
                [],
            ],
            "说明": [["姓名", "备注"], ["Not a client", "just notes"]],
        },
        {"客户名单": ["A1:I1", "C5:C6"]},
    )


def stored(query: Any) -> list[tuple[Any, ...]]:
    return query("SELECT id, name, company, phone, grade, notes FROM client ORDER BY id")


# ---- reading a cell -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("张伟", "张伟"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),  # Excel keeps every number as a float
        (0.1 + 0.2, "0.3"),  # 15 significant digits, as Excel shows it
        (1.5, "1.5"),
        (-3.0, "-3"),
        (1e20, "1e+20"),
        (True, "TRUE"),
        (False, "FALSE"),
        (datetime(1980, 3, 22), "1980-03-22"),
        (datetime(1980, 3, 22, 14, 30), "1980-03-22 14:30"),
        (datetime(1980, 3, 22, 14, 30, 5), "1980-03-22 14:30:05"),
        (date(1980, 3, 22), "1980-03-22"),
        (time(9, 30), "09:30"),
    ],
)
def test_a_cell_reads_as_its_user_sees_it(value: Any, text: str) -> None:
    assert xlsx_read.cell_text(value) == text


def test_a_sheet_yields_its_own_row_numbers_from_the_header_on(tmp_path: Path) -> None:
    data = Path(clients_book(tmp_path)).read_bytes()
    sheet = xlsx_read.Sheet(data, None, "客户.xlsx")
    got = list(sheet)
    assert [n for n, _ in got] == [3, 4, 5, 6]
    assert got[0][1] == HEADER
    assert got[1][1] == [
        "张伟",
        "13800138000",
        "平安保险",
        "经理",
        "zw@pingan.cn",
        "1980-03-22",
        "A级",
        "zw88",
        "",
    ]
    # The company merged down over rows 5 and 6 is 王芳's too; short rows are filled out.
    assert got[2][1][:3] == ["李娜", "13900000000", "阿里巴巴"]
    assert got[3][1] == ["王芳", "", "阿里巴巴", "", "", "", "b类", "", "老客户"]
    assert (sheet.name, sheet.names, sheet.titles) == (
        "客户名单",
        ["客户名单", "说明"],
        [(1, "2026年客户名单")],
    )


def test_shared_strings_are_read_as_excel_keeps_them() -> None:
    """Excel keeps text in a shared table (openpyxl writes it inline: the benchmark's workbook,
    tests/test_bench_imports.py, imports through it): plain, rich-text runs, and without the
    phonetic guide Japanese Excel adds."""
    xml = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>张伟</t></si>"
        "<si><r><t>平安</t></r><r><rPr><b/></rPr><t>保险</t></r></si>"
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'
        '<si><t xml:space="preserve"> a _x000D_ </t></si>'
        "<si><t/></si></sst>"
    )
    assert xlsx_read.shared_strings(io.BytesIO(xml.encode())) == [
        "张伟",
        "平安保险",
        "東京",
        " a _x000D_ ",  # unescaped by cell_text, as every text cell
        "",
    ]


def test_a_dimension_the_file_gets_wrong_does_not_cut_rows(tmp_path: Path) -> None:
    """Some programs write `<dimension ref="A1"/>` whatever the size: every row is read."""
    path = Path(workbook(tmp_path / "a.xlsx", {"s": [["name", "phone"], ["A", 1], ["B", 2]]}, {}))
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    assert b'<dimension ref="A1:B3" />' in parts[member]
    parts[member] = parts[member].replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1" />')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert list(xlsx_read.Sheet(out.getvalue(), None, "a.xlsx")) == [
        (1, ["name", "phone"]),
        (2, ["A", "1"]),
        (3, ["B", "2"]),
    ]


# ---- import -------------------------------------------------------------------------------


def test_a_chinese_workbook_imports_without_options(ok, tmp_path: Path, query) -> None:
    result = ok("import", clients_book(tmp_path))
    assert result.stdout == "Birthdays recorded: 2\nImported 3 cards\n"
    assert result.stderr == (
        "clientcard: read as the sheet 客户名单 (the first of 2), below the title "
        "(row 1: 2026年客户名单)\n"
        "clientcard: kept in notes: 客户级别 (not a grade A to F)\n"
    )
    assert stored(query) == [
        (1, "张伟", "平安保险", "13800138000", "A", "微信: zw88"),
        (2, "李娜", "阿里巴巴", "13900000000", "F", "客户级别: 重要"),
        (3, "王芳", "阿里巴巴", None, "B", "老客户"),
    ]
    assert query("SELECT client_id, kind, year, month, day FROM key_date ORDER BY id") == [
        (1, "birthday", 1980, 3, 22),
        (2, "birthday", 1990, 1, 2),
    ]
    assert listing(ok, "--search", "13800138000")[0]["name"] == "张伟"


def test_sheet_picks_another_sheet(ok, tmp_path: Path) -> None:
    result = ok("import", "--sheet", "说明", clients_book(tmp_path))
    assert result.stdout == "Imported 1 card\n"
    assert result.stderr == "clientcard: read as the sheet 说明 (--sheet)\n"
    assert [(c["name"], c["notes"]) for c in listing(ok)] == [("Not a client", "just notes")]


def test_an_unknown_sheet_names_the_sheets(cli, tmp_path: Path, db_path: Path) -> None:
    path = clients_book(tmp_path)
    result = cli("import", "--sheet", "客户", path)
    sheets = "its sheets are 客户名单, 说明"
    assert_error(result, 2, f"--sheet '客户': {path} has no such sheet; {sheets}")
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]


def test_a_workbook_of_one_sheet_says_nothing_about_sheets(ok, tmp_path: Path) -> None:
    path = workbook(tmp_path / "one.xlsx", {"Sheet1": [["name", "phone"], ["Bob", 1234567]]}, {})
    result = ok("import", path)
    assert (result.stdout, result.stderr) == ("Imported 1 card\n", "")
    assert listing(ok)[0]["phone"] == "1234567"


def test_a_bad_row_names_the_sheets_row(cli, tmp_path: Path, db_path: Path) -> None:
    path = workbook(
        tmp_path / "bad.xlsx",
        {"s": [["客户名单"], ["姓名", "邮箱"], ["张伟", "zw@pingan.cn"], [], ["李娜", "bob@"]]},
        {},
    )
    result = cli("import", path)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "clientcard: line 5: 'bob@' is not an e-mail address; expected something like a@b.com\n"
    )
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]


def test_a_value_right_of_the_header_is_refused_by_its_column(cli, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "wide.xlsx",
        {"s": [["name", "phone", None], ["A", 1], ["B", None, None, None, "x"]]},
        {},
    )
    result = cli("import", "--dry-run", path)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "line 3: 'x' in column E, right of the header's last column (B); give its column a header"
    )


def test_trailing_empty_columns_and_rows_are_left_out(ok, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "t.xlsx",
        {"s": [["name", "company", None, None], ["A", "X", None, None], [None, None], [None]]},
        {},
    )
    assert ok("import", path).stdout == "Imported 1 card\n"


def test_an_empty_sheet_is_refused(cli, tmp_path: Path) -> None:
    path = workbook(tmp_path / "e.xlsx", {"空": []}, {})
    result = cli("import", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"clientcard: {path}: the sheet '空' is empty; its first line must name the columns: name,"
    )


def test_importing_a_workbook_twice_adds_nothing_the_second_time(ok, tmp_path: Path) -> None:
    path = clients_book(tmp_path)
    ok("import", path)
    again = ok("import", path)
    assert again.stdout.splitlines()[-1] == "Imported 0 cards"
    assert "line 4: 张伟 is already #1 张伟 (平安保险), same phone 13800138000: skipped" in (
        again.stdout
    )
    assert len(listing(ok)) == 3


def test_refused_rows_go_back_to_a_sheet_that_imports_once_fixed(ok, cli, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "bad.xlsx",
        {
            "s": [
                ["姓名", "邮箱", "手机"],
                ["张伟", "zw@pingan.cn", 13800138000],
                ["李娜", "bob@", None],
            ]
        },
        {},
    )
    rejects = tmp_path / "rejects.xlsx"
    result = ok("import", "--skip-invalid", "--rejects", str(rejects), path)
    assert result.stdout.splitlines()[-1] == "Imported 1 card"
    book = openpyxl.load_workbook(rejects)
    assert [list(r) for r in book.active.iter_rows(values_only=True)] == [
        ["姓名", "邮箱", "手机", "clientcard_refused"],
        ["李娜", "bob@", None, "'bob@' is not an e-mail address; expected something like a@b.com"],
    ]
    assert book.active["B2"].data_type == "s"
    book.active["B2"] = "li@na.cn"  # fixed, as a person would in Excel
    book.save(tmp_path / "fixed.xlsx")
    again = ok("import", str(tmp_path / "fixed.xlsx")).stdout
    assert again.splitlines()[-1] == "Imported 1 card"
    # by name: 李娜 (li na) before 张伟 (zhang wei), names sorting by pinyin (issue 18)
    assert [c["email"] for c in listing(ok)] == ["li@na.cn", "zw@pingan.cn"]


def test_a_workbook_from_standard_input(ok, tmp_path: Path) -> None:
    data = Path(clients_book(tmp_path)).read_bytes()
    assert ok("import", "-", input=data).stdout.endswith("Imported 3 cards\n")


def test_an_old_xls_file_says_what_to_do(cli, tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(xlsx_read.XLS_MAGIC + b"\x00" * 600)
    assert_error(
        cli("import", str(path)),
        2,
        f"{path} is an old Excel 97-2003 workbook (.xls), which import cannot read; "
        + xlsx_read.SAVE_AS,
    )


def test_a_zip_that_is_no_workbook_says_what_to_do(cli, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"clientcard: {path} is not an Excel workbook (.xlsx)")
    assert result.stderr.endswith(xlsx_read.SAVE_AS + "\n")
    assert result.stderr.count("\n") == 1


def test_text_named_xlsx_with_format_xlsx_says_what_to_do(cli, tmp_path: Path) -> None:
    path = tmp_path / "cards.xlsx"
    path.write_text("name\nBob\n")
    result = cli("import", "--format", "xlsx", str(path))
    assert result.exit_code == 2
    assert "is not an Excel workbook (.xlsx)" in result.stderr


def test_sheet_and_encoding_belong_to_their_kind_of_file(cli, tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("name\nBob\n")
    assert_error(
        cli("import", "--sheet", "x", str(csv_path)),
        2,
        f"--sheet is for Excel workbooks (.xlsx); {csv_path} is text",
    )
    assert_error(
        cli("import", "--encoding", "gbk", clients_book(tmp_path)),
        2,
        "--encoding is for CSV and TSV text; a workbook says its own",
    )


# ---- export -------------------------------------------------------------------------------


# A note with what XML cannot carry as it is: a carriage return, an escape character, and text
# that reads as Excel's escape of one.
NOTE = "+1 line\nnext\tand\rreturn \x1b[1m _x0041_"


@pytest.fixture
def book(ok) -> None:
    ok("add", "张伟", "--company", "平安保险", "--grade", "A", "--tag", "vip", "--tag", "北京")
    ok("add", "=HYPERLINK(1)", "--phone", "13800138000", "--phone", "work:021 5555 0000")
    ok("add", "Zoë", "--email", "z@example.com", "--note", NOTE, "-q")
    ok("add", "Old", "--referred-by", "1", "-q")
    ok("archive", "Old")


def exported(ok, tmp_path: Path, *options: str) -> Path:
    path = tmp_path / "cards.xlsx"
    ok("export", "--format", "xlsx", "--output", str(path), *options)
    return path


def test_export_xlsx_is_a_sheet_a_spreadsheet_user_expects(ok, book: None, tmp_path: Path) -> None:
    path = exported(ok, tmp_path)
    sheet = openpyxl.load_workbook(path)["cards"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    cards = json.loads(ok("export").stdout)
    assert values[0] == list(cards[0])
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width == 16
    assert sheet.column_dimensions["K"].width == 40  # notes
    by_key = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert [r["id"] for r in by_key] == [1, 2, 3, 4]  # numbers
    assert by_key[3]["referred_by"] == 1
    assert (by_key[3]["archived"], by_key[0]["archived"]) == (True, False)
    # Local time (Shanghai), as a real date that Excel formats.
    assert by_key[0]["created_at"] == datetime(2026, 11, 20, 9, 0)
    assert sheet["N2"].is_date
    assert sheet["N2"].number_format == "yyyy-mm-dd hh:mm"
    assert by_key[1]["phone"] == "13800138000"  # text, not 1.38E+10
    assert by_key[1]["phones"] == "13800138000; work:021 5555 0000"  # as in CSV
    assert by_key[0]["tags"] == "vip,北京"
    assert by_key[2]["notes"] == NOTE.replace("\r", "_x000D_").replace("\x1b", "_x001B_").replace(
        "_x0041_", "_x005F_x0041_"
    )  # as Excel writes them
    # Text is text: never a formula, whatever it starts with.
    assert sheet["B3"].value == "=HYPERLINK(1)"
    assert sheet["B3"].data_type == "s"
    assert by_key[0]["title"] is None  # an empty field is an empty cell


def test_export_xlsx_imports_back_into_a_fresh_book(ok, book: None, tmp_path: Path) -> None:
    path = exported(ok, tmp_path)
    other = str(tmp_path / "other.db")
    result = ok("--db", other, "import", str(path))
    assert result.stdout.endswith("Imported 4 cards\n")
    fresh = ("id", "referred_by", "created_at", "updated_at", "archived", "customer")
    # The same cards as the book (but for what a new card gets itself), as a CSV export gives.
    via_csv = str(tmp_path / "via-csv.db")
    ok("--db", via_csv, "import", "--format", "csv", "-", input=ok("export", "-f", "csv").stdout)

    def cards(*db: str) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in r.items() if k not in fresh}
            for r in json.loads(ok(*db, "export").stdout)
        ]

    assert cards("--db", other) == cards("--db", via_csv) == cards()
    assert [c["name"] for c in cards("--db", other)] == ["张伟", "=HYPERLINK(1)", "Zoë", "Old"]
    assert cards("--db", other)[2]["notes"] == NOTE


def test_export_xlsx_of_an_empty_book_has_its_header(ok, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(exported(ok, tmp_path))["cards"]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("id", "name", "company")
    assert sheet.max_row == 1


def test_export_xlsx_to_a_pipe(ok, book: None) -> None:
    result = ok("export", "--format", "xlsx")
    assert result.stdout_bytes.startswith(xlsx_read.XLSX_MAGIC)
    sheet = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))["cards"]
    assert sheet.max_row == 5


def test_export_xlsx_refuses_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "clientcard", "export", "--format", "xlsx"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "CLIENTCARD_DB": str(tmp_path / "t.db")},
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "clientcard: --format xlsx writes a workbook, which a terminal cannot show: give "
        "--output FILE.xlsx, or redirect it to a file (> cards.xlsx)\n"
    )


def test_output_writes_any_format_to_a_file(ok, book: None, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("old")
    path.chmod(0o640)
    assert ok("export", "-f", "csv", "-o", str(path)).stdout == ""
    assert path.read_bytes().decode() == ok("export", "-f", "csv").stdout
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".export-")) == []


def test_output_in_a_missing_folder_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("export", "-o", str(tmp_path / "no" / "cards.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"clientcard: cannot write {tmp_path / 'no' / 'cards.json'}: ")
