"""Issue 14, points 6 and 7: an import compares every row with the book (same phone, same e-mail,
or same name and company) and skips, updates or adds it; a bad row imports nothing unless
--skip-invalid, and --rejects writes the refused rows back, ready to fix. On SQLite and
PostgreSQL alike."""

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from clientcard.services import bringin
from helpers import assert_error, in_a_terminal, write

SHEET = (
    "姓名,手机,邮箱,公司\n"
    "张伟,138 0013 8000,zw@example.com,平安保险\n"
    "李娜,139 0000 0000,,阿里巴巴\n"
)
SKIP_HINT = "(--on-duplicate update updates the cards, --on-duplicate add adds them)"


@pytest.fixture(params=["sqlite", "postgres"])
def on(request: pytest.FixtureRequest) -> tuple[str, ...]:
    """The options that point a command at the book: the temporary file, or PostgreSQL."""
    if request.param == "sqlite":
        return ()
    return ("--db", request.getfixturevalue("postgres_url"))


def cards(ok: Any, *on: str) -> list[dict[str, Any]]:
    return list(json.loads(ok(*on, "export").stdout))


def test_importing_the_same_file_twice_adds_nothing(ok, tmp_path: Path, on) -> None:
    path = write(tmp_path, SHEET.encode("gbk"))
    assert ok(*on, "import", path).stdout == "Imported 2 cards\n"
    again = ok(*on, "import", path)
    assert again.stdout == (
        "line 2: 张伟 is already #1 张伟 (平安保险), same phone 138 0013 8000: skipped\n"
        "line 3: 李娜 is already #2 李娜 (阿里巴巴), same phone 139 0000 0000: skipped\n"
        f"Skipped 2 duplicates {SKIP_HINT}\n"
        "Imported 0 cards\n"
    )
    assert [c["name"] for c in cards(ok, *on)] == ["张伟", "李娜"]


def test_what_makes_a_duplicate(ok, tmp_path: Path, on) -> None:
    ok(*on, "add", "张伟", "--phone", "138 0013 8000", "--company", "平安保险", "-q")
    ok(*on, "add", "Li Na", "--email", "LiNa@Example.com", "-q")
    ok(*on, "add", "王芳", "--company", "阿里 巴巴", "-q")
    ok(*on, "add", "赵六", "--phone", "137 0000 0000", "-q")
    ok(*on, "archive", "赵六")
    text = (
        "name,phone,email,company\n"
        "Zhang Wei,+86 138-0013-8000,,\n"  # the same number, typed another way
        "Lina,,lina@example.COM,\n"  # the same address, in another case
        "王芳,,,阿里巴巴\n"  # the same name and company (blanks and case aside)
        "王芳,,,腾讯\n"  # the same name, another company: another client
        "赵六,137 0000 0000,,\n"  # only on an archived card: a new one
        "孙七,150 0000 0000,,\n"
        "孙七,150-0000-0000,,\n"  # a row before it in the file
    )
    result = ok(*on, "import", write(tmp_path, text))
    assert result.stdout == (
        "line 2: Zhang Wei is already #1 张伟 (平安保险), same phone +86 138-0013-8000: skipped\n"
        "line 3: Lina is already #2 Li Na, same e-mail lina@example.COM: skipped\n"
        "line 4: 王芳 is already #3 王芳 (阿里 巴巴), same name and company: skipped\n"
        "line 8: 孙七 is the same client as line 7, same phone 150-0000-0000: skipped\n"
        f"Skipped 4 duplicates {SKIP_HINT}\n"
        "Imported 3 cards\n"
    )
    assert [(c["id"], c["name"], c["company"]) for c in cards(ok, *on)][4:] == [
        (5, "王芳", "腾讯"),
        (6, "赵六", None),
        (7, "孙七", None),
    ]


def test_on_duplicate_add_adds_them_all_the_same(ok, tmp_path: Path, on) -> None:
    path = write(tmp_path, SHEET)
    ok(*on, "import", path)
    assert ok(*on, "import", "--on-duplicate", "add", path).stdout == "Imported 2 cards\n"
    assert [c["name"] for c in cards(ok, *on)] == ["张伟", "李娜", "张伟", "李娜"]


def test_on_duplicate_update_updates_the_card(ok, tmp_path: Path, on) -> None:
    ok(
        *on,
        "add",
        "张伟",
        "--phone",
        "mobile:138 0013 8000",
        "--tag",
        "vip",
        "--note",
        "老客户",
        "-q",
    )
    text = (
        "姓名,手机,座机,邮箱,职位,标签,备注,意向级别,生日\n"
        "张伟,138 0013 8000,010-6552 1234,zw@example.com,经理,北京,喜欢茶,B级,1980-03-22\n"
    )
    path = write(tmp_path, text)
    result = ok(*on, "import", "--on-duplicate", "update", path)
    assert result.stdout == "Updated 1 card\nImported 0 cards\n"
    [card] = cards(ok, *on)
    assert (card["title"], card["email"], card["grade"], card["tags"], card["notes"]) == (
        "经理",
        "zw@example.com",
        "B",
        ["vip", "北京"],
        "老客户\n喜欢茶",
    )
    assert card["phones"] == [
        {"label": "mobile", "number": "138 0013 8000"},
        {"label": "work", "number": "010-6552 1234"},
    ]
    history = json.loads(ok(*on, "show", "张伟", "--format", "json").stdout)["grade_history"]
    assert [(h["to_grade"], h["reason"]) for h in history][-1] == ("B", "import")
    dates = json.loads(ok(*on, "date", "list", "--format", "json").stdout)
    assert [(d["kind"], d["date"], d["year"]) for d in dates] == [("birthday", "2027-03-22", 1980)]
    # The same file again: every value is already on the card.
    again = ok(*on, "import", "--on-duplicate", "update", path)
    assert again.stdout == "Already up to date: 1 card\nImported 0 cards\n"


def test_a_row_matching_two_cards_is_not_guessed(cli, ok, tmp_path: Path, on) -> None:
    ok(*on, "add", "张伟", "--phone", "138 0013 8000", "-q")
    ok(*on, "add", "张伟 (2)", "--email", "zw@example.com", "-q")
    path = write(tmp_path, "name,phone,email\n张伟,138 0013 8000,zw@example.com\n")
    assert_error(
        cli(*on, "import", "--on-duplicate", "update", path),
        2,
        "line 2: matches more than one card (is already #1 张伟, same phone 138 0013 8000; is "
        "already #2 张伟 (2), same e-mail zw@example.com): merge them first (clientcard merge), "
        "or import with --on-duplicate add",
    )
    # Skipping needs no choice: the first card is named.
    assert ok(*on, "import", path).stdout.startswith(
        "line 2: 张伟 is already #1 张伟, same phone 138 0013 8000: skipped\n"
    )


# ---- refused rows ---------------------------------------------------------------------------

BAD = "姓名,邮箱\n张伟,\n李娜,bob@\n,wu@example.com\n王芳,a@b.cn\n"  # line 4: no name
REFUSALS = (
    "line 3: 'bob@' is not an e-mail address; expected something like a@b.com\n"
    "line 4: a client's name cannot be empty; type the name as you would say it\n"
)


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(
    cli, ok, tmp_path: Path, on, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bringin, "CHUNK", 1)  # rows of earlier chunks are rolled back too
    result = cli(*on, "import", write(tmp_path, BAD))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        REFUSALS,
        "clientcard: 2 rows refused (listed above); nothing imported: fix them, or import the "
        "rest with --skip-invalid\n",
    )
    assert cards(ok, *on) == []


def test_skip_invalid_imports_the_rest_and_rejects_writes_them_back(ok, tmp_path: Path, on) -> None:
    path = write(tmp_path, BAD.encode("gbk"))
    rejects = tmp_path / "待修改.csv"
    result = ok(*on, "import", "--skip-invalid", "--rejects", str(rejects), path)
    assert result.stdout == REFUSALS + "Refused 2 rows\nImported 2 cards\n"
    assert result.stderr == (
        f"clientcard: read as GB18030 (detected)\nclientcard: refused rows written to {rejects}\n"
    )
    # In the file's own encoding and separator, with the reason last, ready to fix.
    assert rejects.read_bytes().decode("gbk") == (
        "姓名,邮箱,clientcard_refused\r\n"
        "李娜,bob@,'bob@' is not an e-mail address; expected something like a@b.com\r\n"
        ",wu@example.com,a client's name cannot be empty; type the name as you would say it\r\n"
    )
    fixed = rejects.read_bytes().decode("gbk").replace("bob@", "bob@example.com")
    fixed = fixed.replace(",wu@", "赵六,wu@")
    again = ok(*on, "import", write(tmp_path, fixed.encode("gbk"), "fixed.csv"))
    assert again.stdout == (
        "Ignored the columns a new card cannot take: clientcard_refused\nImported 2 cards\n"
    )
    assert [c["name"] for c in cards(ok, *on)] == ["张伟", "王芳", "李娜", "赵六"]


def test_rejects_of_a_tsv_file_are_tsv(ok, tmp_path: Path) -> None:
    rejects = tmp_path / "bad.tsv"
    text = "name\temail\nA\\tB\tbob@\nB\t\n"  # `A\tB`: a tab in the name, escaped
    ok("import", "--format", "tsv", "--skip-invalid", "--rejects", str(rejects),
       write(tmp_path, text, "in.tsv"))  # fmt: skip
    assert rejects.read_text(encoding="utf-8") == (
        "name\temail\tclientcard_refused\n"
        "A\\tB\tbob@\t'bob@' is not an e-mail address; expected something like a@b.com\n"
    )


def test_dry_run_says_what_would_be_skipped(cli, ok, tmp_path: Path) -> None:
    ok("import", write(tmp_path, SHEET))
    result = cli("import", "--dry-run", write(tmp_path, SHEET + "王芳,137 0000 0000,,\n"))
    assert (result.exit_code, result.stdout) == (
        0,
        "line 2: 张伟 is already #1 张伟 (平安保险), same phone 138 0013 8000: skipped\n"
        "line 3: 李娜 is already #2 李娜 (阿里巴巴), same phone 139 0000 0000: skipped\n"
        f"Would skip 2 duplicates {SKIP_HINT}\n"
        "Would import 1 card\n",
    )
    assert [c["name"] for c in cards(ok)] == ["张伟", "李娜"]


def test_a_progress_bar_on_a_terminal_only(ok, tmp_path: Path, db_path: Path) -> None:
    rows = "".join(f"客户{i},139{i:08d}\n" for i in range(3000))
    path = write(tmp_path, "姓名,手机\n" + rows)
    script = Path(sys.executable).parent / "clientcard"
    if not script.exists():
        pytest.skip("no installed clientcard console script next to this Python")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env |= {"CLIENTCARD_DB": str(db_path), "TERM": "xterm", "PYTHONIOENCODING": "utf-8"}
    drawn = in_a_terminal([str(script), "import", path], env)
    assert "Importing" in drawn
    assert drawn.rstrip().endswith("Imported 3,000 cards")
    # Piped: nothing but the report.
    assert ok("import", "--on-duplicate", "add", path).stdout == "Imported 3,000 cards\n"


def test_a_card_with_nothing_but_a_name_is_not_added_twice(ok, tmp_path: Path, on) -> None:
    """Two cards with the same name and no phone, e-mail or company cannot be told apart:
    importing such a file twice adds nothing the second time. A card of that name with a
    phone is another client."""
    ok(*on, "add", "李娜", "--phone", "139 0000 0000", "-q")
    path = write(tmp_path, "name,notes\n张伟,met at the fair\n李娜,\n")
    assert ok(*on, "import", path).stdout == "Imported 2 cards\n"
    assert ok(*on, "import", path).stdout == (
        "line 2: 张伟 is already #2 张伟, same name, and neither has a phone, e-mail or "
        "company: skipped\n"
        "line 3: 李娜 is already #3 李娜, same name, and neither has a phone, e-mail or "
        "company: skipped\n"
        f"Skipped 2 duplicates {SKIP_HINT}\n"
        "Imported 0 cards\n"
    )


def test_an_import_asks_the_book_for_a_bigger_cache_a_dry_run_does_not(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/performance.md: 32 MiB of SQLite page cache halves the inserts of a big import."""
    from clientcard.store.sqlite import SqliteDb

    asked: list[int] = []
    monkeypatch.setattr(SqliteDb, "for_bulk_writes", lambda self: asked.append(1))
    path = write(tmp_path, SHEET)
    ok("import", "--dry-run", path)
    assert asked == []
    ok("import", path)
    assert asked == [1]


def test_a_row_repeating_one_of_an_earlier_chunk_names_its_line(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bringin, "CHUNK", 2)  # line 2's card is written before line 5 is read
    text = "name,phone\n张伟,138 0013 8000\n李娜,\n王芳,\n张伟,+86 138 0013 8000\n"
    assert ok("import", write(tmp_path, text)).stdout == (
        "line 5: 张伟 is the same client as line 2, same phone +86 138 0013 8000: skipped\n"
        f"Skipped 1 duplicate {SKIP_HINT}\n"
        "Imported 3 cards\n"
    )


def test_rejects_never_replace_the_file_being_imported(cli, tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    assert_error(
        cli("import", "--skip-invalid", "--rejects", path, path),
        2,
        f"--rejects {path} is the file being imported; name another file",
    )
    assert Path(path).read_text(encoding="utf-8") == BAD


def test_a_rejects_file_that_cannot_be_written_is_refused_before_anything_is_imported(
    cli, ok, tmp_path: Path
) -> None:
    missing = tmp_path / "no such folder" / "bad.csv"
    result = cli("import", "--skip-invalid", "--rejects", str(missing), write(tmp_path, BAD))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"clientcard: cannot write {missing}: ")
    assert cards(ok) == []


def test_rejected_short_rows_keep_the_reason_in_its_column(ok, tmp_path: Path) -> None:
    rejects = tmp_path / "fix.csv"
    text = "name,phone,company\nA,138 0013 8000,X\nB,139 0000 0000\n"
    ok("import", "--skip-invalid", "--rejects", str(rejects), write(tmp_path, text))
    assert rejects.read_bytes().decode("utf-8") == (
        "name,phone,company,clientcard_refused\r\n"
        'B,139 0000 0000,,"2 fields, but the header has 3 columns"\r\n'
    )
    fixed = rejects.read_text(encoding="utf-8").replace("0000,,", "0000,Y,")
    assert ok("import", write(tmp_path, fixed, "fixed.csv")).stdout.endswith("Imported 1 card\n")


def test_rows_of_empty_cells_are_blank_lines(ok, tmp_path: Path) -> None:
    """Excel leaves `,,` rows below a sheet and empty cells past its last column."""
    text = "姓名,手机,公司\r\n张三,13800000001,甲\r\n李四,13800000002,,\r\n,,\r\n,,\r\n"
    assert ok("import", write(tmp_path, text)).stdout == "Imported 2 cards\n"


def test_a_failed_import_says_no_birthdays_were_recorded(cli, tmp_path: Path) -> None:
    text = "name,birthday,email\nA,1980-03-22,\nB,1981-01-01,bob@\nC,,c@\n"
    result = cli("import", write(tmp_path, text))
    assert "Birthdays" not in result.stdout
    assert result.exit_code == 2


def test_an_update_says_when_it_keeps_the_cards_own_birthday(ok, tmp_path: Path) -> None:
    ok("import", write(tmp_path, "name,phone,birthday\n张伟,138 0013 8000,1980-03-22\n"))
    text = "name,phone,birthday,grade\n张伟,138 0013 8000,1981-01-01,C\n"
    result = ok("import", "--on-duplicate", "update", write(tmp_path, text, "new.csv"))
    assert result.stdout == "Updated 1 card\nImported 0 cards\n"
    assert result.stderr == (
        "clientcard: line 2: birthday 1981-01-01 differs from the card's (1980-03-22): the "
        "card's is kept (`clientcard date` changes it)\n"
    )
