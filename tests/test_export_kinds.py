"""Issue 15, point 4, the rest: `export --what complaints|occasions|people` writes every record of
that kind with its card's id and name, with the keys and values of its listing (and, for
complaints and occasions, a few more), streamed, in CSV, TSV, JSON, on both databases."""

import csv
import io
import json

import pytest

from clientcard.services import export_records, transfer


def seed(ok, *db: str) -> None:
    """#1 王小明 (live) and #2 Bob (archived), each with a complaint, a key date and a person;
    formulas in the texts a spreadsheet would run."""
    ok(*db, "add", "王小明", "--company", "=cmd|calc")
    ok(*db, "add", "Bob")
    ok(*db, "complaint", "add", "1", "发票金额错误", "-s", "high", "--at", "2026-11-19 10:00")
    ok(*db, "complaint", "step", "C1", "打电话道歉", "--at", "2026-11-19 11:30")
    ok(*db, "complaint", "step", "C1", "=HYPERLINK(1)", "--at", "2026-11-19 15:00")
    ok(*db, "complaint", "resolve", "C1", "--result", "@重开发票", "--satisfaction", "4")
    ok(*db, "complaint", "add", "Bob", "late delivery")
    ok(*db, "date", "add", "1", "birthday", "1980-03-15", "--yearly", "--note", "喜欢茶")
    ok(*db, "date", "add", "Bob", "promotion", "2026-11-02", "--note", "=1+1")
    ok(*db, "date", "add", "1", "anniversary", "02-29", "--yearly")
    ok(
        *db,
        "person",
        "add",
        "1",
        "李娜",
        "--role",
        "秘书",
        "--phone",
        "139 1111 2222",
        "--email",
        "lina@example.com",
    )
    ok(
        *db,
        "person",
        "add",
        "Bob",
        "--role",
        "assistant",
        "--note",
        "-1+1",
        "--phone",
        "+86 138 0013 8000",
        "--",
        "+Sam",
    )
    ok(*db, "archive", "2", "--cancel-open")


def records(ok, *args: str) -> list[dict]:
    return json.loads(ok("export", *args).stdout)


def test_complaints_have_the_keys_of_complaint_list_then_result_and_steps(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "complaints")
    listed = json.loads(ok("complaint", "list", "--all", "--format", "json").stdout)
    assert [(c["id"], c["client_id"], c["client"]) for c in exported] == [
        (1, 1, "王小明"),
        (2, 2, "Bob"),
    ]
    # issue 17: author after result and steps, where it was added
    assert list(exported[0]) == [
        *[k for k in listed[0] if k != "author"],
        "result",
        "steps",
        "author",
    ]
    by_id = {c["id"]: c for c in listed}
    for c in exported:
        assert {k: v for k, v in c.items() if k not in ("result", "steps")} == by_id[c["id"]]
    first = exported[0]
    assert first["what"] == "发票金额错误"
    assert first["first_response_at"] == "2026-11-19T11:30:00+08:00"
    assert first["resolved_at"] == "2026-11-20T09:00:00+08:00"
    assert (first["status"], first["satisfaction"], first["result"]) == ("resolved", 4, "@重开发票")
    assert first["steps"] == 2  # the handling steps, not received or resolved
    assert (exported[1]["status"], exported[1]["steps"], exported[1]["result"]) == (
        "cancelled",
        0,
        None,
    )


def test_occasions_have_the_keys_of_date_list_then_the_day_as_recorded(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "occasions")
    assert [(o["id"], o["client_id"], o["client"], o["kind"]) for o in exported] == [
        (1, 1, "王小明", "birthday"),
        (2, 2, "Bob", "promotion"),
        (3, 1, "王小明", "anniversary"),
    ]
    birthday, promotion, leap = exported
    assert (birthday["date"], birthday["year"], birthday["yearly"], birthday["day"]) == (
        "2027-03-15",
        1980,
        True,
        "1980-03-15",
    )
    assert birthday["note"] == "喜欢茶"
    assert (promotion["date"], promotion["yearly"], promotion["days_until"]) == (
        "2026-11-02",
        False,
        -18,
    )
    assert (leap["day"], leap["year"]) == ("02-29", None)
    listed = json.loads(ok("date", "list", "1", "--format", "json").stdout)
    assert list(birthday) == [*listed[0], "day"]
    for o in listed:
        assert {k: v for k, v in exported[o["id"] - 1].items() if k != "day"} == o


def test_people_have_the_keys_of_person_list(ok) -> None:
    seed(ok)
    exported = records(ok, "--what", "people")
    assert exported[0] == {
        "id": 1,
        "client_id": 1,
        "client": "王小明",
        "name": "李娜",
        "role": "秘书",
        "phone": "139 1111 2222",
        "email": "lina@example.com",
        "note": None,
    }
    assert [exported[0]] == json.loads(ok("person", "list", "1", "--format", "json").stdout)
    assert (exported[1]["client"], exported[1]["name"]) == ("Bob", "+Sam")


@pytest.mark.parametrize(
    ("what", "key", "stored"),
    [
        ("complaints", "result", "@重开发票"),
        ("occasions", "note", "=1+1"),
        ("people", "name", "+Sam"),
        ("people", "note", "-1+1"),
    ],
)
def test_csv_and_tsv_neutralise_formulas_and_raw_writes_them(
    ok, what: str, key: str, stored: str
) -> None:
    seed(ok)
    for fmt in ("csv", "tsv"):
        text = ok("export", "--what", what, "-f", fmt).stdout
        cells = [r[key] for r in csv.DictReader(io.StringIO(text), dialect=_dialect(fmt))]
        assert f"'{stored}" in cells
        raw = ok("export", "--what", what, "-f", fmt, "--raw").stdout
        assert stored in [r[key] for r in csv.DictReader(io.StringIO(raw), dialect=_dialect(fmt))]
    assert stored in [r[key] for r in records(ok, "--what", what)]  # JSON: as stored


def test_a_phone_number_is_no_formula(ok) -> None:
    seed(ok)
    text = ok("export", "--what", "people", "-f", "csv").stdout
    assert [r["phone"] for r in csv.DictReader(io.StringIO(text))] == [
        "139 1111 2222",
        "+86 138 0013 8000",
    ]


def _dialect(fmt: str) -> type[csv.Dialect]:
    return csv.excel if fmt == "csv" else csv.excel_tab


@pytest.mark.parametrize("what", ["complaints", "occasions", "people"])
def test_headers_are_the_documented_keys(ok, what: str) -> None:
    seed(ok)
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        lines = ok("export", "--what", what, "-f", fmt).stdout.splitlines()
        assert lines[0].split(sep) == list(export_records.keys_of(what))


def test_an_empty_kind_writes_only_its_header(ok) -> None:
    ok("add", "Solo")
    assert records(ok, "--what", "complaints") == []
    assert ok("export", "--what", "people", "-f", "csv").stdout == (
        "id,client_id,client,name,role,phone,email,note\n"
    )


def test_live_and_archived_choose_records_by_their_card(ok) -> None:
    seed(ok)
    for what in ("complaints", "occasions", "people"):
        live = {r["client_id"] for r in records(ok, "--what", what, "--live")}
        archived = {r["client_id"] for r in records(ok, "--what", what, "--archived")}
        assert (live, archived) == ({1}, {2}), what


@pytest.mark.parametrize("what", ["complaints", "occasions", "people"])
def test_records_are_read_in_chunks(ok, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    seed(ok)
    whole = ok("export", "--what", what).stdout
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 1)
    monkeypatch.setattr(export_records, "EXPORT_CHUNK", 1)
    assert ok("export", "--what", what).stdout == whole


def test_the_output_file_holds_cjk_as_utf8(ok, tmp_path) -> None:
    seed(ok)
    out = tmp_path / "people.tsv"
    assert ok("export", "--what", "people", "-f", "tsv", "-o", str(out)).stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[1].split("\t")[3:5] == ["李娜", "秘书"]


def test_postgresql_exports_the_same(ok, postgres_url: str) -> None:
    seed(ok)
    seed(ok, "--db", postgres_url)
    for what in ("complaints", "occasions", "people"):
        for fmt in ("json", "csv", "tsv"):
            args = ("export", "--what", what, "-f", fmt)
            assert ok("--db", postgres_url, *args).stdout == ok(*args).stdout
