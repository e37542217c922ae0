"""benchmarks/imports.py, issue 14's import benchmark: its files are what they say (a GBK CSV
with Chinese headers, a vCard 3.0 file, a workbook as Excel saves it), the same rows in each,
deterministic, with some clients of the book among them; the CSV and the workbook import into
the same cards. No time is asserted: speed is shown by running the script."""

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from test_benchmarks import _load

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(scope="module")
def bench() -> Any:
    return _load("imports")


def test_rows_are_deterministic_with_some_clients_of_the_book(bench: Any) -> None:
    known = [("张伟", "平安保险", "138 0013 8000"), ("李娜", None, "139 0000 0000")]
    rows = bench.make_rows(2000, 5, known)
    assert rows == bench.make_rows(2000, 5, known)
    assert rows != bench.make_rows(2000, 6, known)
    names = {("张伟", "平安保险"), ("李娜", "")}
    phones = {"138 0013 8000", "139 0000 0000"}
    by_name = [r for r in rows if (r["姓名"], r["公司"]) in names]
    by_phone = [r for r in rows if r["手机"] in phones]
    assert 50 <= len(by_name) + len(by_phone) <= 150  # about 5% of 2,000
    assert by_name
    assert by_phone
    assert {len(r["姓名"]) for r in rows} <= {2, 3, 4}


def test_the_csv_is_gbk_with_chinese_headers_and_imports(ok, bench: Any, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    rows = bench.make_rows(30, 5, [])
    bench.write_csv(path, rows, 5)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("gbk").split("\r\n")[0] == ",".join(bench.HEADER)
    result = ok("import", str(path))
    assert result.stdout.splitlines()[-1] == "Imported 30 cards"
    assert "read as GB18030 (detected)" in result.stderr


def test_the_workbook_holds_numbers_and_dates_and_imports_as_the_csv(
    ok, bench: Any, tmp_path: Path
) -> None:
    rows = bench.make_rows(40, 5, [])
    bench.write_xlsx(tmp_path / "in.xlsx", rows)
    bench.write_csv(tmp_path / "in.csv", rows, 5)
    sheet = openpyxl.load_workbook(tmp_path / "in.xlsx").active
    assert sheet.title == "客户"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == bench.HEADER
    assert any(isinstance(v[1], int) for v in values[1:])  # phones typed as numbers
    assert any(isinstance(v[9], datetime) for v in values[1:])  # birthdays as dates
    ok("--db", str(tmp_path / "a.db"), "import", str(tmp_path / "in.xlsx"))
    ok("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "in.csv"))

    def cards(db: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(tmp_path / db)) as conn:
            return conn.execute(
                "SELECT name, company, title, email, address, source, grade, notes FROM client "
                "ORDER BY id"
            ).fetchall()

    assert cards("a.db") == cards("b.db")
    assert len(cards("a.db")) == 40


def test_the_vcard_file_is_version_3_folded_with_crlf(bench: Any, tmp_path: Path) -> None:
    path = tmp_path / "in.vcf"
    rows = bench.make_rows(50, 5, [])
    bench.write_vcf(path, rows)
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert lines.count(b"BEGIN:VCARD") == lines.count(b"END:VCARD") == 50
    assert lines.count(b"VERSION:3.0") == 50
    assert max(len(line) for line in lines) <= 75
    text = data.decode("utf-8").replace("\r\n ", "")  # unfolded
    assert f"FN:{rows[0]['姓名']}\r\n" in text
    assert "TEL;TYPE=CELL:" in text
    assert "EMAIL;TYPE=INTERNET" in text


def test_a_run_measures_and_judges(bench: Any, tmp_path: Path) -> None:
    sample = bench.timed(["true"], {"PATH": "/usr/bin:/bin"}, tmp_path / "out.txt")
    assert sample.rc == 0
    assert sample.peak_mib > 0
    targets = bench.judge(
        [{"format": "csv", "rows_per_s": 25_000, "median_s": 1.1, "peak_mib": 160.0}]
    )
    assert [(t["target"], t["met"]) for t in targets] == [
        ("csv >= 20,000 rows/s", True),
        ("csv peak <= 150 MiB", False),
    ]
    assert json.dumps(targets)
