"""The output formats: JSON keys and times, CSV and TSV for scripts, tables for people."""

import csv
import io
import json
from datetime import datetime

import pytest
from rich.cells import cell_len

from helpers import CLIENT_KEYS, add

NOTE = 'line one, "quoted"\nline two\twith a tab and a back\\slash'


@pytest.fixture
def two(ok) -> None:
    add(ok, "Zhang Wei", "--company", "Acme, Inc.", "-t", "vip", "-t", "expo", "--note", NOTE)
    # 赵 zhao: listed after Zhang Wei, names sorting by pinyin (issue 18)
    add(ok, "赵小明", "--referred-by", "Zhang", "--phone", "138 0000", "--grade", "B")


# ---- JSON ---------------------------------------------------------------------------------


def test_json_is_an_array_of_objects_with_the_documented_keys_in_order(ok, two) -> None:
    rows = json.loads(ok("list", "--format", "json").stdout)
    assert isinstance(rows, list)
    assert [list(row) for row in rows] == [CLIENT_KEYS, CLIENT_KEYS]
    assert rows[0] == {
        "id": 1,
        "name": "Zhang Wei",
        "company": "Acme, Inc.",
        "title": None,
        "phone": None,
        "email": None,
        "address": None,
        "source": None,
        "referred_by": None,
        "tags": ["expo", "vip"],
        "notes": NOTE,
        "grade": "F",
        "owner": "li",  # issue 17: the user who added it (conftest's CLIENTCARD_USER)
        "created_at": "2026-11-20T09:00:00+08:00",
        "updated_at": "2026-11-20T09:00:00+08:00",
        "archived": False,
        "customer": False,
        # Issue 11: never visited, so F-new; graded when added, today.
        "f_kind": "new",
        "grade_since": "2026-11-20T09:00:00+08:00",
        "days_in_grade": 0,
        # Issue 14: every phone and e-mail, labelled (none on this card).
        "phones": [],
        "emails": [],
        "created_by": "li",  # issue 17: who added it, who changed it last
        "updated_by": "li",
    }
    assert (rows[1]["name"], rows[1]["referred_by"], rows[1]["tags"]) == ("赵小明", 1, [])


def test_json_writes_unicode_as_is(ok, two) -> None:
    out = ok("list", "-f", "json").stdout
    assert '"name": "赵小明"' in out
    assert "\\u" not in out


def test_json_times_are_iso_8601_with_the_local_offset(ok) -> None:
    add(ok, "Zhang")
    ok("archive", "Zhang", env={"CLIENTCARD_NOW": "2026-11-21T23:30:00"})
    row = json.loads(ok("list", "--archived", "-f", "json").stdout)[0]
    assert row["created_at"] == "2026-11-20T09:00:00+08:00"
    assert row["updated_at"] == "2026-11-21T23:30:00+08:00"
    assert datetime.fromisoformat(row["updated_at"]).utcoffset().total_seconds() == 8 * 3600
    assert row["archived"] is True


def test_json_times_follow_tz(ok) -> None:
    add(ok, "Zhang")
    row = json.loads(ok("list", "-f", "json", env={"TZ": "Europe/Berlin"}).stdout)[0]
    assert row["created_at"] == "2026-11-20T02:00:00+01:00"


def test_a_pinned_now_with_an_offset_is_the_same_moment(ok, query) -> None:
    ok("add", "Zhang", env={"CLIENTCARD_NOW": "2026-11-20T01:00:00+00:00"})
    assert query("SELECT created_at FROM client") == [("2026-11-20 01:00:00.000000",)]
    assert json.loads(ok("list", "-f", "json").stdout)[0]["created_at"] == (
        "2026-11-20T09:00:00+08:00"
    )


# ---- CSV and TSV --------------------------------------------------------------------------


def test_csv_has_a_header_row_and_parses_back(ok, two) -> None:
    out = ok("list", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == CLIENT_KEYS
    assert rows[1] == [
        "1",
        "Zhang Wei",
        "Acme, Inc.",
        "",
        "",
        "",
        "",
        "",
        "",
        "expo,vip",
        NOTE,
        "F",
        "li",
        "2026-11-20T09:00:00+08:00",
        "2026-11-20T09:00:00+08:00",
        "false",
        "false",
        "new",  # issue 11: f_kind, grade_since, days_in_grade
        "2026-11-20T09:00:00+08:00",
        "0",
        "",  # issue 14: phones, emails
        "",
        "li",  # issue 17: created_by, updated_by
        "li",
    ]
    assert rows[2][:3] == ["2", "赵小明", ""]
    assert rows[2][8] == "1"
    assert len(rows) == 3


def test_tsv_has_a_header_row_and_escapes_tab_newline_and_backslash(ok, two) -> None:
    out = ok("list", "--format", "tsv").stdout
    lines = out.split("\n")
    assert lines[0] == "\t".join(CLIENT_KEYS)
    assert lines[3:] == [""]  # header, two rows, and the final newline
    first = lines[1].split("\t")
    assert len(first) == len(CLIENT_KEYS)
    assert first[:3] == ["1", "Zhang Wei", "Acme, Inc."]
    assert first[9] == "expo,vip"
    assert first[10] == 'line one, "quoted"\\nline two\\twith a tab and a back\\\\slash'
    assert first[15] == "false"


def test_tsv_escapes_a_carriage_return(ok) -> None:
    add(ok, "Zhang", "--note", "a\r\nb")
    row = ok("list", "-f", "tsv").stdout.split("\n")[1].split("\t")
    assert row[10] == "a\\r\\nb"


# ---- empty listings -----------------------------------------------------------------------


def test_an_empty_list_says_so_in_a_table(ok) -> None:
    assert ok("list").stdout == (
        'No cards match. Add one with: clientcard add "Name" --company "Company"\n'
    )


def test_an_empty_archived_list_says_so(ok) -> None:
    add(ok, "Zhang")
    assert ok("list", "--archived").stdout == "No archived cards match.\n"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", "[]\n"),
        ("csv", ",".join(CLIENT_KEYS) + "\n"),
        ("tsv", "\t".join(CLIENT_KEYS) + "\n"),
    ],
)
def test_an_empty_list_in_a_machine_format_is_empty(ok, fmt: str, expected: str) -> None:
    assert ok("list", "--format", fmt).stdout == expected


# ---- tables for people --------------------------------------------------------------------


def test_piped_table_is_not_wrapped_at_80_columns(ok) -> None:
    company = "The Very Long Name Of A Trading Company " * 4
    note = "下周二再打电话; " * 40 + " and more"
    add(ok, "Zhang", "--company", company.strip(), "--note", note)
    # Issue 12: tables and `show` are laid out at COLUMNS when it is set (as `due`), piped too
    # (tests/test_tables_80.py); without it, piped, they keep their natural width.
    listed = ok("list", env={"COLUMNS": ""}).stdout
    assert any(company.strip() in line for line in listed.splitlines())
    assert any(
        note in line for line in ok("show", "Zhang", env={"COLUMNS": ""}).stdout.splitlines()
    )


def test_piped_table_has_no_escape_codes(ok, two) -> None:
    assert "\x1b" not in ok("list").stdout + ok("show", "1").stdout + ok("grade").stdout


def test_chinese_names_line_up_with_ascii_names(ok) -> None:
    add(ok, "王小明", "--company", "Alpha")
    add(ok, "Bob", "--company", "Beta")
    add(ok, "张伟伟伟伟伟", "--company", "Gamma")
    rows = ok("list").stdout.splitlines()[2:5]
    starts = {
        company: cell_len(line[: line.index(company)])
        for line in rows
        for company in ("Alpha", "Beta", "Gamma")
        if company in line
    }
    assert len(starts) == 3
    assert len(set(starts.values())) == 1, starts
    ends = {cell_len(line.rstrip()) for line in rows}  # the Updated column ends together
    assert len(ends) == 1


def test_markup_in_user_text_prints_as_typed_in_a_table(ok) -> None:
    add(ok, "[bold]Acme[/]", "--company", "[link=file:///etc/passwd]x[/link]", "-t", "[red]")
    out = ok("list").stdout
    assert "[bold]Acme[/]" in out
    assert "[link=file:///etc/passwd]x[/link]" in out
    assert "[red]" in out
