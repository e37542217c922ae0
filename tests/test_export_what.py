"""Issue 15, point 4: `export --what contacts|promises|sales` writes every record of that kind with
its card's id and name, with the keys and values of its listing, streamed, in CSV, TSV, JSON."""

import csv
import io
import json
from pathlib import Path

import pytest

from clientcard.services import export_records, transfer
from helpers import assert_error


def seed(ok, *db: str) -> None:
    """#1 王小明 (company a formula), #2 Bob (archived); a contact and a promise on each."""
    ok(*db, "add", "王小明", "--company", "=cmd|calc")
    ok(*db, "add", "Bob")
    ok(*db, "log", "1", "=SUM(A1)", "--via", "visit", "--with", "李秘书")
    ok(*db, "log", "2", "called", "--via", "call")
    ok(*db, "promise", "add", "2", "send quote", "--due", "fri")
    ok(*db, "promise", "add", "1", "见面", "--at", "mon 15:00")
    ok(*db, "promise", "move", "2", "--to", "tue 15:00", "--reason", "客户出差")
    ok(*db, "promise", "done", "1")
    ok(*db, "sale", "1", "12,000.50", "--what", "=HYPERLINK(1)", "--no-contact")
    ok(*db, "archive", "2")


def records(ok, *args: str) -> list[dict]:
    return json.loads(ok("export", *args).stdout)


def test_promises_export_with_the_keys_and_values_of_promise_list(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "promises")
    assert [(p["id"], p["client_id"], p["client"]) for p in exported] == [
        (1, 2, "Bob"),
        (2, 1, "王小明"),
    ]
    listed = json.loads(ok("promise", "list", "--all", "--format", "json").stdout)
    assert sorted(exported, key=lambda p: p["id"]) == sorted(listed, key=lambda p: p["id"])
    assert exported[1]["moves"] == 1
    assert exported[1]["reason"] == "客户出差"
    assert list(exported[0]) == list(listed[0])


def test_contacts_export_with_the_keys_and_values_of_contacts(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "contacts")
    assert [(c["id"], c["client_id"], c["client"], c["via"]) for c in exported] == [
        (1, 1, "王小明", "visit"),
        (2, 2, "Bob", "call"),
    ]
    listed = json.loads(ok("contacts", "--format", "json", "--limit", "100").stdout)
    assert sorted(exported, key=lambda c: c["id"]) == sorted(listed, key=lambda c: c["id"])
    assert exported[0]["with"] == "李秘书"


def test_sales_export_with_the_keys_and_values_of_sales(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "sales")
    assert exported == json.loads(ok("sales", "--format", "json").stdout)
    assert [(s["id"], s["client_id"], s["client"], s["amount"]) for s in exported] == [
        (1, 1, "王小明", "12000.50")
    ]
    rows = list(csv.DictReader(io.StringIO(ok("export", "--what", "sales", "-f", "csv").stdout)))
    assert rows[0]["what"] == "'=HYPERLINK(1)"


def test_csv_neutralises_formulas_and_raw_writes_them(ok) -> None:
    seed(ok)
    rows = list(csv.DictReader(io.StringIO(ok("export", "--what", "contacts", "-f", "csv").stdout)))
    assert rows[0]["summary"] == "'=SUM(A1)"
    assert rows[0]["client"] == "王小明"
    raw = ok("export", "--what", "contacts", "-f", "csv", "--raw").stdout
    assert next(iter(csv.DictReader(io.StringIO(raw))))["summary"] == "=SUM(A1)"


def test_tsv_has_the_keys_as_header(ok) -> None:
    seed(ok)
    lines = ok("export", "--what", "promises", "-f", "tsv").stdout.splitlines()
    assert lines[0].split("\t") == list(export_records.keys_of("promises"))
    assert lines[2].split("\t")[:5] == ["2", "1", "王小明", "appointment", "见面"]
    assert len(lines) == 3


def test_live_and_archived_choose_records_by_their_card(ok) -> None:
    seed(ok)
    assert [c["client_id"] for c in records(ok, "--what", "contacts", "--live")] == [1]
    assert {c["client_id"] for c in records(ok, "--what", "contacts", "--archived")} == {2}
    assert [p["id"] for p in records(ok, "--what", "promises", "--archived")] == [1]


def test_output_writes_the_file(ok, tmp_path: Path) -> None:
    seed(ok)
    out = tmp_path / "p.csv"
    assert ok("export", "--what", "promises", "-f", "csv", "-o", str(out)).stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("id,client_id,client,kind,what,due")
    assert "见面" in text


def test_the_default_is_the_cards(ok) -> None:
    seed(ok)
    assert ok("export", "--what", "cards").stdout == ok("export").stdout


def test_an_empty_book_exports_no_records(ok) -> None:
    ok("add", "Solo")
    assert records(ok, "--what", "promises") == []
    assert ok("export", "--what", "contacts", "-f", "csv").stdout == (
        "id,client_id,client,at,via,summary,with,next,source,source_id,greeting,author\n"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "vcard"])
def test_records_are_not_written_as_workbooks_or_vcards(cli, ok, fmt: str) -> None:
    seed(ok)
    assert_error(
        cli("export", "--what", "promises", "-f", fmt),
        2,
        f"--what promises is written as json, csv or tsv, not {fmt}",
    )


def test_an_unknown_kind_is_refused(cli) -> None:
    result = cli("export", "--what", "bananas")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_records_are_read_in_chunks(ok, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(ok)
    whole = ok("export", "--what", "contacts").stdout
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 1)
    monkeypatch.setattr(export_records, "EXPORT_CHUNK", 1)
    assert ok("export", "--what", "contacts").stdout == whole


def test_postgresql_exports_the_same(ok, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    for what in ("contacts", "promises", "sales"):
        for fmt in ("json", "csv"):
            args = ("export", "--what", what, "-f", fmt)
            assert ok("--db", postgres_url, *args).stdout == ok(*args).stdout
