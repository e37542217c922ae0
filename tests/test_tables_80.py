# ruff: noqa: RUF001  (Chinese text is written with its own full-width comma)
"""Issue 12, point 2: every table reads at 60, 80 and 120 columns (docs/formats.md, "Tables at
any width"; the layout's rules are in output/layout.py).

A pinned book with CJK and long Latin text is drawn by each listing and by `show` at each width,
through the CLI with COLUMNS set as a terminal would, and compared with the pages checked in
under tests/pages/ (tables-60.txt, tables-80.txt, tables-120.txt), so that a change of layout
shows as a diff to review. After an intended change, rewrite them with
`CLIENTCARD_UPDATE_PAGES=1 pytest tests/test_tables_80.py` and read the diff.
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from clientcard.output.agenda import cells, wrap
from clientcard.output.layout import DETAIL_FLOOR, FLOOR, Spec, fit, records
from helpers import add, add_date, at, complaint, in_a_terminal, promise, sale, seeded_database

pytestmark = pytest.mark.usefixtures("migrated")

PAGES = Path(__file__).resolve().parent / "pages"
WIDTHS = [60, 80, 120]
LONG_NAME = "Alexandra Montgomery-Smithson"
LONG_COMPANY = "International Business Machines Corporation"
SHORT_NAMES = ["张伟", "欧阳娜娜", "李娜", "Amy Lee", "王芳"]
LONG_LATIN = (
    "The invoice for November was sent twice and charged twice to the corporate card, "
    "and nobody answered the three e-mails their accountant sent about it"
)
LONG_CJK = "理赔太慢，客户等了三个星期还没有收到理赔款，打了五次电话都没有人回复，非常不满意"

# Each listing, and the card pages: what a person reads at the start of a day and after.
COMMANDS = [
    ["list"],
    ["contacts"],
    ["promise", "list"],
    ["complaint", "list"],
    ["sales"],
    ["date", "list"],
    ["person", "list", "1"],
    ["grade"],
    ["show", "1"],
    ["show", "2"],
]


def build_book(ok) -> None:
    old = at("2026-10-01T10:00:00")
    add(ok, "张伟", "--grade", "A", "--company", "中国平安保险集团股份有限公司深圳分公司",
        "--phone", "138 0013 8000", "--tag", "vip", "--tag", "保险", env=old)  # fmt: skip
    add(ok, LONG_NAME, "--grade", "B", "--company", LONG_COMPANY, "--phone", "+1 415 555 0100",
        "--tag", "enterprise", env=old)  # fmt: skip
    add(ok, "欧阳娜娜", "--grade", "C", "--company", "阿里巴巴", env=old)
    add(ok, "Amy Lee", "--grade", "E", env=old)
    add(ok, "王芳", "--grade", "F", "--phone", "021-6888 1234", env=old)
    ok("log", "张伟", "回访客户，讨论年终奖计划和团体保险的续保条款，客户表示需要和财务部门商量后"
       "再答复", "--via", "call", env=at("2026-11-30T10:00:00"))  # fmt: skip
    ok("log", LONG_NAME, "Long call about the renewal of the enterprise agreement; they want a "
       "discount on the support tier and a new contract by January", "--via", "meeting",
       env=at("2026-12-01T15:00:00"))  # fmt: skip
    promise(ok, "张伟", "送去新的团体保险方案和报价单，附带理赔流程说明", "--due", "2026-12-07",
            env=at("2026-12-01T10:00:00"))  # fmt: skip
    promise(ok, LONG_NAME, "Present the revised proposal with the new pricing model", "--at",
            "2026-12-08 10:00", "--where", "Their headquarters, 1 Market Street, San Francisco",
            env=at("2026-12-01T10:00:00"))  # fmt: skip
    complaint(ok, "张伟", LONG_CJK, "-s", "high", env=at("2026-12-02T09:00:00"))
    complaint(ok, LONG_NAME, LONG_LATIN, env=at("2026-12-02T11:00:00"))
    sale(ok, "张伟", "12000", "--what", "团体意外险一年期，覆盖全体员工二百人", "--no-contact",
         env=at("2026-11-20T10:00:00"))  # fmt: skip
    sale(ok, LONG_NAME, "45000", "--what", "Enterprise support renewal for three years with "
         "the premium tier", "--no-contact", env=at("2026-11-21T10:00:00"))  # fmt: skip
    add_date(ok, "张伟", "birthday", "1980-12-20", "--note", "喜欢喝茶，送普洱茶叶和茶具")
    add_date(ok, LONG_NAME, "anniversary", "2019-12-15", "--note", "First contract signed on "
             "this day; send a card to the whole procurement team")  # fmt: skip
    ok("person", "add", "张伟", "李娜", "--role", "财务总监，负责审批所有保险采购", "--phone",
       "139 0000 1111", "--email", "lina@pingan.example.com", env=old)  # fmt: skip
    ok(
        "person",
        "add",
        "张伟",
        "Christopher Wellington",
        "--role",
        "Head of procurement for the southern region",
        "--email",
        "christopher.wellington@pingan.example.com",
        env=old,
    )


@pytest.fixture(scope="module")
def book_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("tables"), build_book)


@pytest.fixture
def book(book_db: Path, db_path: Path) -> None:
    shutil.copyfile(book_db, db_path)


NOW = at("2026-12-04T09:00:00")


def drawn(ok, command: list[str], width: int) -> str:
    out: str = ok(*command, env={**NOW, "COLUMNS": str(width)}).stdout
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_the_tables_at_each_width_are_the_ones_checked_in(ok, book, width):
    pages = "".join(
        f"$ clientcard {' '.join(command)}\n{drawn(ok, command, width)}\n" for command in COMMANDS
    )
    expected = PAGES / f"tables-{width}.txt"
    if os.environ.get("CLIENTCARD_UPDATE_PAGES"):
        expected.write_text(pages, encoding="utf-8")
    assert pages == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_the_terminal_and_no_short_field_is_cut(ok, book, command, width):
    text = drawn(ok, command, width)
    lines = text.splitlines()
    assert all(cells(line) <= width for line in lines), text
    # Names of up to 12 characters are never broken or cut.
    for name in SHORT_NAMES:
        if name in drawn(ok, command, 1000):
            assert any(name in line for line in lines), (name, text)
    # Dates, times, grades and amounts never wrap: each one printed wide is printed whole
    # wherever its first part is printed (a spare column may be left out at 80 columns).
    wide = drawn(ok, command, 1000)
    pattern = r"\d{4}-\d\d-\d\d(?: \d\d:\d\d)?|\b[A-F](?:-new|-slow)?\b|\d[\d,]*\.\d\d(?: CNY)?"
    for field in set(re.findall(pattern, wide)):
        if field.split()[0] in text:
            assert field in text, (field, text)


@pytest.mark.parametrize("width", WIDTHS)
def test_long_text_wraps_in_its_column_never_one_word_per_line(ok, book, width):
    text = drawn(ok, ["complaint", "list"], width)
    words = LONG_LATIN.replace(",", "").replace(";", "").split()
    holding = [line for line in text.splitlines() if any(w in line.split() for w in words)]
    # 24 words: one per line would take 24 lines; a column of at least FLOOR cells holds two.
    assert len(holding) <= len(words) // 2, text
    # Every word is there, in order, whatever the width.
    flat = " ".join(" ".join(text.split()).split())
    assert all(word in flat for word in words)
    # CJK text breaks between characters, never before a closing mark.
    assert not any(line.strip().startswith("，") for line in text.splitlines()), text


def test_at_80_columns_a_listing_is_still_a_table_with_its_headers(ok, book):
    for command, header in [
        (["list"], "ID  Name"),
        (["contacts"], "ID  When"),
        (["promise", "list"], "ID  Due"),
        (["complaint", "list"], "ID  Received"),
        (["sales"], "ID  Sold"),
    ]:
        text = drawn(ok, command, 80)
        assert any(line.startswith(header) for line in text.splitlines()), (command, text)


def test_a_spare_column_folds_into_the_text_it_belongs_to(ok, book):
    # At 80 columns the promise's place moves under what was promised, with its header.
    text = drawn(ok, ["promise", "list"], 80)
    assert "Where" not in text.splitlines()[0]
    assert "Where: Their headquarters" in " ".join(text.split())
    # At 120 it folds too, so that what was promised gets 30 cells; at 200 it has a column.
    assert "Where" not in drawn(ok, ["promise", "list"], 120).splitlines()[0]
    assert "Where" in drawn(ok, ["promise", "list"], 200).splitlines()[0]


def test_a_folded_e_mail_address_stays_whole(ok, book):
    for width in WIDTHS:
        text = drawn(ok, ["person", "list", "1"], width)
        assert "christopher.wellington@pingan.example.com" in text, text


def test_a_word_too_long_for_its_column_is_cut_after_a_hyphen():
    assert wrap("Featherstonehaugh-Worthington", 20) == ["Featherstonehaugh-", "Worthington"]
    assert wrap("bart@featherstonehaugh.example", 24) == ["bart@featherstonehaugh.", "example"]


def test_too_narrow_for_a_table_each_row_is_a_record(ok, book):
    text = drawn(ok, ["promise", "list"], 60)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("P2 "))
    assert lines[first].split("  ")[:2] == ["P2", "2026-12-08 10:00"]
    record = "\n".join(lines[first : first + 6])
    assert "Present the revised proposal" in record
    assert "Where: Their headquarters" in record
    assert all(line.startswith("    ") for line in lines[first + 1 : first + 3])


def test_piped_without_columns_a_table_keeps_its_natural_width(ok, book, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    text = ok("complaint", "list", env=NOW).stdout
    assert any(LONG_LATIN in line for line in text.splitlines())


def test_the_machine_formats_do_not_change_with_the_width(ok, book):
    for command in (["promise", "list"], ["contacts"], ["list"]):
        wide = ok(*command, "--format", "json", env={**NOW, "COLUMNS": "200"}).stdout
        narrow = ok(*command, "--format", "json", env={**NOW, "COLUMNS": "60"}).stdout
        assert json.loads(wide) == json.loads(narrow)


def test_the_installed_clientcard_lays_a_listing_out_at_its_terminal_width(book, db_path, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "COLUMNS"},
        "CLIENTCARD_DB": str(db_path),
        "CLIENTCARD_CONFIG": str(tmp_path / "config.toml"),
        "CLIENTCARD_NOW": "2026-12-04T09:00:00",
        "NO_COLOR": "1",
    }
    exe = str(Path(sys.executable).with_name("clientcard"))
    out = in_a_terminal([exe, "complaint", "list"], env, columns=80)
    lines = [line for line in out.replace("\r", "").splitlines() if line]
    assert all(cells(line) <= 80 for line in lines), out
    assert any(line.startswith("ID  Received") for line in lines), out


# ---- the layout's rules, on their own -------------------------------------------------------


def test_a_free_text_column_never_gets_narrower_than_the_floor():
    specs = [Spec("ID", no_wrap=True), Spec("When", no_wrap=True), Spec("What", detail=True)]
    rows = [["12", "2026-12-04 09:00", LONG_LATIN]]
    grid = fit(specs, rows, 2 + 16 + DETAIL_FLOOR + 4)
    assert grid is not None
    assert grid.widths == [2, 16, DETAIL_FLOOR]
    assert fit(specs, rows, 2 + 16 + DETAIL_FLOOR + 3) is None  # below it: records instead
    # Other free text (a place, a role) gets at least FLOOR cells.
    specs = [Spec("When", no_wrap=True), Spec("Where"), Spec("What", detail=True)]
    grid = fit(specs, [["2026-12-04 09:00", LONG_LATIN, LONG_LATIN]], 16 + FLOOR + DETAIL_FLOOR + 4)
    assert grid is not None
    assert grid.widths == [16, FLOOR, DETAIL_FLOOR]
    assert (FLOOR, DETAIL_FLOOR) == (10, 16)


def test_the_widest_column_gives_way_first():
    specs = [Spec("Client"), Spec("What")]
    grid = fit(specs, [[LONG_NAME, LONG_LATIN]], 80)
    assert grid is not None
    assert grid.widths[0] == len(LONG_NAME)  # the name whole, the long text wraps
    assert sum(grid.widths) + 2 == 80


def test_records_keep_every_value_and_label_the_spare_ones():
    specs = [Spec("ID", no_wrap=True), Spec("Where", spare=True), Spec("What", detail=True)]
    lines = records(specs, [["P1", "上海", "送报价单"]], 40)
    assert lines == ["P1", "    送报价单", "    Where: 上海"]


def test_wrap_never_begins_a_line_with_a_closing_mark():
    assert wrap("喜欢喝茶，送茶叶", 8) == ["喜欢喝", "茶，送茶", "叶"]


def test_wrap_never_ends_a_line_with_an_opening_mark():
    assert wrap("重疾险年缴保费（首年）十二万", 16) == ["重疾险年缴保费", "（首年）十二万"]
    assert wrap("「你好」世界", 4) == ["「你", "好」", "世界"]
