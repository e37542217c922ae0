"""Issue 18: every report reads in Chinese (LANG=zh_CN.UTF-8) on a realistic book (the generated
one, tests/conftest.py): no English word left in a table's header or cells but the codes people
read as they are (A-F, F-new, F-slow), ids, numbers, the currency and the book's own text (names,
companies); and the machine formats (json, csv) are byte for byte the English ones."""

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from clientcard import i18n
from clientcard.output.agenda import cells
from helpers import Run, at

NOW = at("2026-11-20T09:00:00")
ZH = {**NOW, "LANG": "zh_CN.UTF-8"}
EN = {**NOW, "LANG": "C.UTF-8"}
REPORTS = ("funnel", "movement", "activity", "promises", "complaints", "customers", "stale")
WORD = re.compile(r"[A-Za-z]{3,}")
RULE = re.compile(r"^─{3,}$")
SENTENCE = re.compile("[\uff1a\u3002]")  # a full-width colon or full stop
# Codes and units a Chinese reader sees as they are.
KEPT = ("F-new", "F-slow", "CNY", "EUR", "USD")


@pytest.fixture(autouse=True)
def catalog(monkeypatch: pytest.MonkeyPatch):
    i18n.use(None)
    yield
    i18n.use(None)


@pytest.fixture(scope="module")
def own_text(generated_book: Path) -> list[str]:
    """The book's own text that a table may show: names and companies, longest first."""
    with closing(sqlite3.connect(generated_book)) as conn:
        found = {
            str(value)
            for (value,) in conn.execute(
                "SELECT name FROM client UNION SELECT company FROM client WHERE company IS NOT NULL"
            )
        }
    return sorted(found, key=len, reverse=True)


@pytest.fixture
def book(generated_copy: Path) -> str:
    return str(generated_copy)


def tables(out: str) -> list[tuple[str, list[str]]]:
    """Each table of a report page: its header line and its rows (up to the next blank line or
    note: a note is a sentence, with a full-width colon or full stop, and no gap between
    columns)."""
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        if not RULE.match(line):
            continue
        rows = []
        for row in lines[i + 1 :]:
            if not row.strip() or SENTENCE.search(row) or "  " not in row.strip():
                break
            rows.append(row)
        found.append((lines[i - 1], rows))
    return found


def english_left(line: str, own: list[str]) -> list[str]:
    for text in (*own, *KEPT):
        if text in line:
            line = line.replace(text, " ")
    return WORD.findall(line)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("report", REPORTS)
def test_every_report_table_reads_in_chinese(ok: Run, book, own_text, report, width):
    out = ok("--db", book, "report", report, env={**ZH, "COLUMNS": str(width)}).stdout
    assert all(cells(line) <= width for line in out.splitlines()), out
    drawn = tables(out)
    assert drawn, out
    left = {
        line: words
        for header, rows in drawn
        for line in (header, *rows)
        if (words := english_left(line, own_text))
    }
    assert not left, "\n".join(f"{words}: {line}" for line, words in left.items())


def test_the_matrix_headers_are_filled_in_each_language(ok: Run, book):
    chinese = ok("--db", book, "report", "movement", env=ZH).stdout
    english = ok("--db", book, "report", "movement", env=EN).stdout
    for grade in "AF":
        assert f"到 {grade}" in chinese
        assert f"to {grade}" in english
    assert "{grade}" not in english + chinese


def test_row_labels_that_are_codes_read_in_chinese(ok: Run, book):
    out = ok("--db", book, "report", "all", env={**ZH, "COLUMNS": "120"}).stdout
    labels = ("未记录", "仍逾期", "我方改期\uff08临时\uff09", "我方取消", "未填写", "合计")
    labels += ("是", "否")
    for label in labels:
        assert label in out, label
    assert "会面和拜访" in out


@pytest.mark.parametrize("report", REPORTS)
def test_json_does_not_change_with_the_language(ok: Run, book, report):
    english = ok("--db", book, "report", report, "-f", "json", env=EN).stdout
    chinese = ok("--db", book, "report", report, "-f", "json", env=ZH).stdout
    assert chinese == english
    # The codes stay codes.
    assert "未" not in english
    assert json.loads(english)["report"] == report


@pytest.mark.parametrize(
    ("report", "section"),
    [("activity", "followups"), ("promises", "moves"), ("complaints", "causes")],
)
def test_csv_keeps_the_english_codes(ok: Run, book, report, section):
    command = ("--db", book, "report", report, "-f", "csv", "--section", section)
    english = ok(*command, env=EN).stdout
    assert ok(*command, env=ZH).stdout == english
    assert not re.search(r"[\u4e00-\u9fff]", english)
