"""Issue 14, points 2 and 3: `import` reads the files people have without being told.

The encodings Excel and other programs write (GBK, GB18030, Big5, UTF-16 "Unicode text",
UTF-8 with a BOM) are detected; headers in Chinese and those of Google, Outlook and Thunderbird
are recognised; columns the import does not know go to the notes. Every fixture but the real
Thunderbird file (tests/realdata/SOURCES.txt) is made here from Python strings, so its bytes
are exactly the encoding named.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import assert_error, listing, write

pytestmark = pytest.mark.usefixtures("migrated")

REALDATA = Path(__file__).parent / "realdata"


def cards(ok, *db: str) -> list[dict[str, Any]]:
    return sorted(listing(ok, *db), key=lambda r: r["id"])


def fields(ok, *keys: str) -> list[tuple[Any, ...]]:
    """The cards' values of `keys`; `phone` is every number of the card, joined by ", " (a
    card has several phones, issue 14 point 1: the first is the main one)."""

    def value(card: dict[str, Any], key: str) -> Any:
        if key == "phone" and card.get("phones"):
            return ", ".join(p["number"] for p in card["phones"])
        return card[key]

    return [tuple(value(r, k) for k in keys) for r in cards(ok)]


# ---- encodings ------------------------------------------------------------------------------

CHINESE_SHEET = (
    "姓名,手机,电话,公司,职位,客户级别,微信号,生日,备注\n"
    "张伟,138 0013 8000,021-5555 0000,平安保险,经理,A级,zw88,1980年3月22日,喜欢普洱\n"
    "李娜,139 0000 0000,,阿里巴巴,,b,,--05-01,\n"
)


def test_a_gbk_sheet_with_chinese_headers_imports_without_options(ok, tmp_path: Path, query):
    """Excel's plain "CSV" on Chinese Windows: GBK, no byte order mark."""
    result = ok("import", write(tmp_path, CHINESE_SHEET.encode("gbk")))
    assert result.stderr == "clientcard: read as GB18030 (detected)\n"
    assert result.stdout == "Birthdays recorded: 2\nImported 2 cards\n"
    assert fields(ok, "name", "phone", "company", "title", "grade", "notes") == [
        ("张伟", "138 0013 8000, 021-5555 0000", "平安保险", "经理", "A", "喜欢普洱\n微信: zw88"),
        ("李娜", "139 0000 0000", "阿里巴巴", None, "B", None),
    ]
    assert query("SELECT client_id, kind, month, day, year, yearly FROM key_date") == [
        (1, "birthday", 3, 22, 1980, 1),
        (2, "birthday", 5, 1, None, 1),
    ]


def test_characters_only_gb18030_has_are_read(ok, tmp_path: Path) -> None:
    """GB18030 reaches every Unicode character (𠮷 is four bytes there; GBK has none)."""
    text = "姓名,公司\n𠮷田,𠀀科技\n王芳,㐀\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    result = ok("import", write(tmp_path, text.encode("gb18030")))
    assert result.stderr == "clientcard: read as GB18030 (detected)\n"
    assert fields(ok, "name", "company") == [("𠮷田", "𠀀科技"), ("王芳", "㐀")]


def test_a_big5_sheet_is_told_from_gbk(ok, tmp_path: Path) -> None:
    """Big5 bytes decode as GB18030 too (as nonsense): the detector chooses between them."""
    text = (
        "客戶姓名,手機,公司名稱,備註\n"
        "張偉,0912 345 678,台灣積體電路製造,重要客戶\n"
        "陳美玲,0913 000 111,鴻海精密工業,\n"
    )
    data = text.encode("big5")
    data.decode("gb18030")  # it does decode, wrongly
    result = ok("import", write(tmp_path, data))
    assert result.stderr == "clientcard: read as Big5 (detected)\n"
    assert fields(ok, "name", "phone", "company", "notes") == [
        ("張偉", "0912 345 678", "台灣積體電路製造", "重要客戶"),
        ("陳美玲", "0913 000 111", "鴻海精密工業", None),
    ]


def test_excel_unicode_text_is_utf16_and_tab_separated_whatever_its_name(ok, tmp_path: Path):
    """Excel's "Unicode text": UTF-16 LE with a byte order mark, tabs, quotes as CSV's."""
    text = (
        "First Name\tLast Name\tMobile Phone\tE-mail Address\tCompany\tNotes\r\n"
        '伟\t张\t138 0013 8000\tzw@example.com\t平安\t"a\tb, ""c"""\r\n'
        "John\tSmith\t\t\t\t\r\n"
    )
    for name in ("contacts.txt", "contacts.csv"):
        path = write(tmp_path, b"\xff\xfe" + text.encode("utf-16-le"), name)
        assert ok("import", path).stderr == "clientcard: read as UTF-16 (byte order mark)\n"
    assert fields(ok, "name", "phone", "email", "company", "notes")[:2] == [
        ("张伟", "138 0013 8000", "zw@example.com", "平安", 'a\tb, "c"'),
        ("John Smith", None, None, None, None),
    ]


def test_utf8_with_or_without_a_bom_says_nothing(ok, tmp_path: Path) -> None:
    for i, data in enumerate((b"", b"\xef\xbb\xbf")):
        text = f"姓名,公司\n张伟,平安{i}\n"
        result = ok("import", write(tmp_path, data + text.encode()))
        assert (result.stdout, result.stderr) == ("Imported 1 card\n", "")
    assert fields(ok, "name", "company") == [("张伟", "平安0"), ("张伟", "平安1")]


def test_encoding_overrides_the_detection(ok, cli, tmp_path: Path) -> None:
    path = write(tmp_path, "name,company\nJosé,Café Müller\n".encode("cp1252"))
    result = ok("import", "--encoding", "cp1252", path)
    assert result.stderr == "clientcard: read as cp1252 (--encoding)\n"
    assert fields(ok, "name", "company") == [("José", "Café Müller")]
    gbk = write(tmp_path, "name\n张伟\n".encode("gbk"), "gbk.csv")
    assert_error(
        cli("import", "--encoding", "utf-8", gbk),
        2,
        f"{gbk}, line 2: not UTF-8 text; save the file as UTF-8 (in a spreadsheet: CSV UTF-8) "
        "and import it again",
    )
    assert_error(
        cli("import", "--encoding", "klingon", path),
        2,
        "--encoding: unknown encoding 'klingon'; for example utf-8, gb18030, big5, utf-16",
    )


# ---- headers people have ----------------------------------------------------------------------


def test_google_contacts_current_format(ok, tmp_path: Path, query) -> None:
    header = (
        "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,Birthday,Notes,"
        "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
        "Organization Name,Organization Title,Labels\n"
    )
    rows = (
        "Anna,Maria,Schmidt,,Anni,1985-07-14,met at fair,* Home,anna@example.com,Work,"
        "anna@work.example,Mobile,+49 170 000,Work,+49 30 111,ACME GmbH,CFO,"
        "* myContacts ::: Trade Fair\n"
        "伟,,张,,,--11-29,,,,,,Mobile,138 0013 8000,,,平安,,* myContacts\n"
    )
    result = ok("import", write(tmp_path, "\ufeff" + header + rows))
    # Issue 14, point 1: every phone and e-mail is the card's, with the label beside it.
    assert result.stderr == "clientcard: kept in notes: Nickname\n"
    assert fields(ok, "name", "phones", "emails", "company", "title", "tags", "notes") == [
        (
            "Anna Maria Schmidt",
            [
                {"label": "mobile", "number": "+49 170 000"},
                {"label": "work", "number": "+49 30 111"},
            ],
            [
                {"label": "home", "address": "anna@example.com"},
                {"label": "work", "address": "anna@work.example"},
            ],
            "ACME GmbH",
            "CFO",
            ["trade-fair"],
            "met at fair\nNickname: Anni",
        ),
        ("张伟", [{"label": "mobile", "number": "138 0013 8000"}], [], "平安", None, [], None),
    ]
    assert query("SELECT client_id, month, day, year FROM key_date") == [
        (1, 7, 14, 1985),
        (2, 11, 29, None),
    ]


def test_google_contacts_legacy_format(ok, tmp_path: Path) -> None:
    text = (
        "Name,Given Name,Additional Name,Family Name,Birthday,Notes,Group Membership,"
        "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
        "Organization 1 - Name,Organization 1 - Title\n"
        "Li Na,Na,,Li,,,* My Contacts ::: Friends,* Home,lina@example.com,Mobile,139 1234,"
        "Sunrise Bakery,Owner\n"
        ",Wei,,Zhang,,,* My Contacts,,,,,,\n"
    )
    ok("import", write(tmp_path, text))
    assert fields(ok, "name", "phone", "email", "company", "title", "tags") == [
        ("Li Na", "139 1234", "lina@example.com", "Sunrise Bakery", "Owner", ["friends"]),
        ("Wei Zhang", None, None, None, None, []),
    ]


def test_outlook_com_export(ok, tmp_path: Path, query) -> None:
    text = (
        "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
        "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,"
        "Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,"
        "Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,"
        "Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,"
        "Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,"
        "Business City,Business State,Business Postal Code,Business Country/Region,"
        "Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,"
        "Other City,Other State,Other Postal Code,Other Country/Region,Personal Web Page,"
        "Spouse,Schools,Hobby,Location,Web Page,Birthday,Anniversary,Notes,Categories\n"
        "Wang,,Fang,Ms.,,,,,fang@example.com,,,,,021 5555,,138 0000,,,,,,,,,,,,,,Buyer,,Alibaba"
        ",,,,,,,Hangzhou,,,,,,,,,,,,,,,,,,,,3/22/1980,,likes tea,VIP;Key Account\n"
    )
    result = ok("import", write(tmp_path, text))
    # "Title" is Outlook's courtesy title (Mr., Ms.), not the job: kept in notes, not mapped.
    assert fields(ok, "name", "phone", "email", "company", "title", "tags") == [
        ("Wang Fang", "021 5555, 138 0000", "fang@example.com", "Alibaba", "Buyer",
         ["key-account", "vip"]),
    ]  # fmt: skip
    [card] = cards(ok)
    assert card["notes"] == "likes tea\nTitle: Ms.\nBusiness City: Hangzhou"
    assert card["phones"] == [
        {"label": "work", "number": "021 5555"},
        {"label": "mobile", "number": "138 0000"},
    ]
    assert result.stderr == "clientcard: kept in notes: Title, Business City\n"
    # Outlook writes the birthday month first, in the US way: an occasion.
    assert query("SELECT kind, month, day, year FROM key_date") == [("birthday", 3, 22, 1980)]


def test_outlook_desktop_export_leaves_its_defaults_out(ok, tmp_path: Path) -> None:
    """Outlook desktop's own order, many empty columns, and values it writes in every row for
    fields never filled (0/0/00, Normal, Unspecified): not kept as notes."""
    text = (
        '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
        '"Job Title","Business Street","Business Phone","Mobile Phone","Anniversary",'
        '"Birthday","Categories","E-mail Address","E-mail Display Name","Gender","Initials",'
        '"Notes","Priority","Private","Sensitivity"\r\n'
        '"","伟","","张","","平安保险","","经理","","021 5555","138 0013 8000","0/0/00",'
        '"0/0/00","","zw@example.com","张伟 (zw@example.com)","Unspecified","张.伟.","",'
        '"Normal","False","Normal"\r\n'
    )
    result = ok("import", write(tmp_path, text))
    assert fields(ok, "name", "phone", "email", "company", "title", "notes") == [
        (
            "张伟",
            "021 5555, 138 0013 8000",
            "zw@example.com",
            "平安保险",
            "经理",
            "E-mail Display Name: 张伟 (zw@example.com)\nInitials: 张.伟.",
        )
    ]
    assert result.stderr == "clientcard: kept in notes: E-mail Display Name, Initials\n"


def test_the_real_thunderbird_export(ok) -> None:
    """tests/realdata/thunderbird_quote.csv: 37 columns, the name only in Display Name."""
    result = ok("import", str(REALDATA / "thunderbird_quote.csv"))
    assert (result.stdout, result.stderr) == ("Imported 1 card\n", "")
    assert fields(ok, "name", "company", "phone", "email", "notes") == [
        ("Acer America", "Acer America", "(800) 000-0000", None, None)
    ]


def test_thunderbird_birth_columns_make_a_birthday(ok, tmp_path: Path, query) -> None:
    text = (
        "First Name,Last Name,Display Name,Primary Email,Birth Year,Birth Month,Birth Day\n"
        "Na,Li,Li Na,lina@example.com,1990,2,29\n"  # no 29 February in 1990: not a date
        "Wei,Zhang,,,,12,24\n"
    )
    ok("import", write(tmp_path, text))
    assert fields(ok, "name", "email") == [("Li Na", "lina@example.com"), ("Wei Zhang", None)]
    assert query("SELECT client_id, month, day, year FROM key_date") == [(2, 12, 24, None)]


def test_map_names_any_other_header(ok, cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Kunde,Handy,Firma\nMüller,0170 1,ACME\n")
    assert_error(
        cli("import", path),
        2,
        "the header has no name column (name, 姓名, First Name, Display Name...); "
        "name one with --map 'Header=name'",
    )
    assert_error(
        cli("import", "--map", "Kunde=nom", path),
        2,
        "--map 'Kunde=nom': unknown field 'nom'; the fields are name, first_name, middle_name, "
        "last_name, company, title, phone, email, address, source, notes, owner, grade, tags, "
        "referred_by, birthday, birth_year, birth_month, birth_day, wechat, phones, emails, "
        "anniversary, ignore",
    )
    result = ok("import", "--map", " kunde = Name", "--map", "HANDY=phone", path)
    assert result.stderr == "clientcard: kept in notes: Firma\n"
    assert fields(ok, "name", "phone", "notes") == [("Müller", "0170 1", "Firma: ACME")]


def test_grades_referrers_and_unknown_columns_never_refuse_the_file(ok, tmp_path: Path):
    ok("add", "王五", "-q")
    text = "客户姓名,意向级别,推荐人,爱好\n张伟,重要,王五,茶\n李娜,c类,张伟,\n"
    result = ok("import", write(tmp_path, text))
    assert result.stderr == (
        "clientcard: kept in notes: 意向级别 (not a grade A to F), 爱好, "
        "推荐人 (not one card of the book)\n"
    )
    assert fields(ok, "name", "grade", "referred_by", "notes") == [
        ("王五", "F", None, None),
        ("张伟", "F", 1, "意向级别: 重要\n爱好: 茶"),
        ("李娜", "C", None, "推荐人: 张伟"),  # a row of the same file is not a card yet
    ]


def test_an_empty_header_column_is_kept_only_when_it_has_values(ok, tmp_path: Path) -> None:
    ok("import", write(tmp_path, "姓名,,\n张伟,,x\n"))
    assert fields(ok, "name", "notes") == [("张伟", "column 3: x")]


# ---- bad input --------------------------------------------------------------------------------


def test_a_binary_file_is_one_clear_line(cli, tmp_path: Path, snapshot) -> None:
    before = snapshot()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    path = write(tmp_path, png, "photo.csv")
    assert_error(
        cli("import", path),
        2,
        f"{path}: cannot tell what text this is (not UTF-8, GB18030, Big5 or UTF-16): "
        "is it a CSV or TSV file? If it is, give its --encoding",
    )
    assert snapshot() == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_empty_and_header_only_files_in_any_encoding(cli, ok, tmp_path: Path, encoding: str):
    assert ok("import", write(tmp_path, "姓名,手机\n".encode(encoding))).stdout.endswith(
        "Imported 0 cards\n"
    )
    result = cli("import", write(tmp_path, "".encode(encoding)))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "the file is empty; its first line must name the columns: "
        "name, company, title, phone, email, address, source, notes, owner, grade, tags, phones, "
        "emails\n"
    )
    assert listing(ok) == []


# ---- --dry-run --------------------------------------------------------------------------------


def test_dry_run_checks_everything_and_writes_nothing(ok, cli, tmp_path: Path, snapshot):
    ok("add", "Before", "-q")
    before = snapshot()
    result = ok("import", "--dry-run", write(tmp_path, CHINESE_SHEET.encode("gbk")))
    assert result.stdout == "Birthdays to record: 2\nWould import 2 cards\n"
    assert snapshot() == before
    bad = write(
        tmp_path, "姓名,邮箱\n张伟,\n李娜,bob@\n,wu@example.com\n王芳,a@b.cn,x\n", "bad.csv"
    )
    result = cli("import", "--dry-run", bad)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "line 3: 'bob@' is not an e-mail address; expected something like a@b.com\n"
        "line 4: a client's name cannot be empty; type the name as you would say it\n"
        "line 5: 3 fields, but the header has 2 columns\n"
        "3 rows refused, 1 good: the import would import 0 cards (with --skip-invalid, 1)\n",
        "clientcard: --dry-run: 3 rows would be refused; fix them and run it again\n",
    )
    assert snapshot() == before
    # Without --dry-run, a bad row imports nothing; every bad row is still named.
    result = cli("import", bad)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "line 3: 'bob@' is not an e-mail address; expected something like a@b.com\n"
        "line 4: a client's name cannot be empty; type the name as you would say it\n"
        "line 5: 3 fields, but the header has 2 columns\n",
        "clientcard: 3 rows refused (listed above); nothing imported: fix them, or import the "
        "rest with --skip-invalid\n",
    )
    assert snapshot() == before


# ---- both databases ----------------------------------------------------------------------------


def test_a_gbk_sheet_imports_the_same_into_postgresql(ok, postgres_url: str, tmp_path: Path):
    path = write(tmp_path, CHINESE_SHEET.encode("gbk"))
    ok("import", path)
    ok("--db", postgres_url, "import", path)
    assert ok("--db", postgres_url, "export").stdout == ok("export").stdout
    assert ok("--db", postgres_url, "date", "list").stdout == ok("date", "list").stdout


# ---- the documented table ---------------------------------------------------------------------


def test_every_recognised_header_is_in_docs_import_md() -> None:
    """docs/import.md's table names every header domain/import_headers.py recognises."""
    from clientcard.domain.import_headers import ALIASES, header_key

    text = (Path(__file__).parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in text.splitlines() if line.startswith("| "))
    documented = {header_key(token) for token in re.findall(r"`([^`]+)`", table)}
    assert sorted(set(ALIASES) - documented) == []


def test_our_own_tsv_export_imports_back_without_format(ok, tmp_path: Path) -> None:
    """Issue 14 review: `export --format tsv` escapes tabs and line breaks; the header says it
    is ours, so the import reads it as TSV without being told."""
    ok("add", "张伟", "--note", "第一行\n第二行; 分号 \\ 反斜杠\ttab", "-q")
    path = write(tmp_path, ok("export", "--format", "tsv").stdout, "book.tsv")
    other = str(tmp_path / "other.db")
    ok("--db", other, "import", path)
    [card] = json.loads(ok("--db", other, "export").stdout)
    assert card["notes"] == "第一行\n第二行; 分号 \\ 反斜杠\ttab"


def test_a_json_export_is_refused_in_one_line(cli, ok, tmp_path: Path) -> None:
    ok("add", "张伟", "-q")
    path = write(tmp_path, ok("export").stdout, "book.json")
    assert_error(
        cli("import", path),
        2,
        f"{path} is JSON; import reads CSV, TSV, Excel and vCard: export the book with "
        "--format csv (or tsv) to import it",
    )


def test_outlooks_other_numbers_are_phones_with_their_labels(ok, tmp_path: Path) -> None:
    text = "First Name,Car Phone,Pager,Assistant's Phone,Other Fax\nWang,138 1,139 2,137 3,010 4\n"
    ok("import", write(tmp_path, text))
    [card] = json.loads(ok("export").stdout)
    assert card["phones"] == [
        {"label": "car", "number": "138 1"},
        {"label": "pager", "number": "139 2"},
        {"label": "assistant", "number": "137 3"},
        {"label": "fax", "number": "010 4"},
    ]


def test_a_title_row_above_the_header_is_skipped_and_named(ok, tmp_path: Path) -> None:
    """A sheet saved as CSV with its title on top (as the Excel reader skips one)."""
    text = "\n\n客户名单2026,,\n姓名,手机,公司\n张三,13800000001,甲\n"
    result = ok("import", write(tmp_path, text))
    assert (result.stdout, result.stderr) == (
        "Imported 1 card\n",
        "clientcard: the header is below the title (line 3: 客户名单2026)\n",
    )
    # A file of one column keeps its first row as its header.
    assert ok("import", write(tmp_path, "name\n李四\n", "one.csv")).stdout == "Imported 1 card\n"
