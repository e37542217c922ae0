"""vCard: the reader (domain/vcard.py) against every real vCard file of tests/realdata/ with
what its SOURCES.txt entry expects, the quirks they lack (GBK, GB2312, Big5, folding,
yearless birthdays...), and `export --format vcard` read back by the same import and by
vobject (a test-only dependency: khard reads vCards with it)."""

from pathlib import Path

import pytest

from clientcard.domain.errors import InvalidValue
from clientcard.domain.vcard import VCard, looks_like_vcard, read_cards, split_name
from clientcard.output.vcard import folded
from helpers import Run, assert_error, json_rows, write

REALDATA = Path(__file__).parent / "realdata"


def cards_of(name: str) -> list[VCard]:
    return list(read_cards((REALDATA / name).read_bytes()))


def one(text: str | bytes) -> VCard:
    data = text.encode() if isinstance(text, str) else text
    (card,) = read_cards(data)
    return card


def vcard(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


# ---- every real file, as SOURCES.txt says ---------------------------------------------------


def test_every_real_vcard_file_is_tested_here() -> None:
    names = {p.name for p in REALDATA.iterdir() if p.suffix in (".vcf", ".vcard")}
    tested = {
        name.removeprefix("test_real_").replace("__", ".")
        for name in globals()
        if name.startswith("test_real_")
    }
    assert len(names) == 21
    assert {n.replace(".", "_").replace("-", "_") for n in names} == {
        t.replace(".", "_") for t in tested
    }


def test_real_ezvcard_John_Doe_ANDROID_vcf() -> None:
    cards = cards_of("ezvcard_John_Doe_ANDROID.vcf")
    assert len(cards) == 6
    # Cards 1-2 have only an e-mail and a category: named from the e-mail, with a warning.
    assert [c.name for c in cards[:2]] == ["john.doe@company.com", "jane.doe@company.com"]
    assert cards[0].warnings == ["line 1: a card without a name: named from its e-mail"]
    assert cards[0].tags == []  # "My Contacts", Android's system group, is no tag
    assert cards[2].name == "Ñ Ñ Ñ Ñ Ñ"  # quoted-printable UTF-8
    assert cards[3].name == "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"  # over a soft line break
    assert cards[3].phones == [
        ("mobile", "123456"),
        ("home", "234567"),
        ("mobile", "3456789"),
        ("home", "45678901"),
    ]
    # The card with the 2.1 base64 photo and its blank line: the photo is skipped.
    assert cards[4].phones == [("mobile", "123456"), ("work", "123456"), ("fax", "123456")]
    assert cards[4].company == "ÑÑÑÑÑÑÑÑÑÑÑÑ"
    assert cards[4].emails == [("work", "bob@company.com")]  # the other EMAIL is no address:
    assert cards[4].notes is not None
    assert "E-mail: ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ" in cards[4].notes.splitlines()  # kept in the notes
    assert cards[5].name == "ÑÑÑÑ"
    assert cards[5].emails == [(None, "henry@company.com")]


def test_real_ezvcard_John_Doe_IPHONE_vcf() -> None:
    (card,) = cards_of("ezvcard_John_Doe_IPHONE.vcf")  # CR CR LF, a 46 KB photo
    assert card.name == "Mr. John Richter James Doe Sr."
    assert (card.company, card.title) == ("IBM", "Money Counter")
    assert card.notes is not None
    assert "Department: Accounting" in card.notes.splitlines()
    assert card.birthday == (2012, 6, 6)
    assert card.phones == [
        ("mobile", "905-555-1234"),  # type=pref: the main one
        ("home", "905-666-1234"),
        ("work", "905-777-1234"),
        ("fax", "905-888-1234"),
        ("fax", "905-999-1234"),
        ("pager", "905-111-1234"),
        ("assistant phone", "905-222-1234"),  # item2.X-ABLabel:_$!<AssistantPhone>!$_
    ]
    assert card.emails == [(None, "john.doe@ibm.com")]
    assert card.address == "Silicon Alley 5, New York, New York 12345, United States of America"


def test_real_ezvcard_John_Doe_MS_OUTLOOK_vcf() -> None:
    (card,) = cards_of("ezvcard_John_Doe_MS_OUTLOOK.vcf")
    assert card.name == "Mr. John Richter James Doe Sr."
    assert card.phones == [("work", "(905) 555-1234"), ("home", "(905) 666-1234")]
    assert card.birthday == (1980, 3, 22)  # BDAY:19800322
    assert card.anniversaries == [(2011, 1, 13)]  # X-MS-ANNIVERSARY
    assert card.address == "Cresent moon drive, Albaney, New York 12345, United States of America"
    assert card.notes is not None
    assert card.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE")


def test_real_ezvcard_outlook_2003_vcf() -> None:
    (card,) = cards_of("ezvcard_outlook-2003.vcf")
    assert card.name == "John Doe III"
    assert card.company == "Company, The"  # 2.1: the comma is the company's
    assert card.notes is not None
    assert card.notes.splitlines()[:4] == [
        "This is the note field!!",
        "Second line",
        "",
        "Third line is empty",
    ]
    assert "Department: TheDepartment" in card.notes.splitlines()
    assert card.birthday == (1980, 3, 21)
    assert card.emails == [(None, "jdoe@hotmail.com")]


def test_real_ezvcard_John_Doe_GMAIL_vcf() -> None:
    (card,) = cards_of("ezvcard_John_Doe_GMAIL.vcf")
    assert card.name == "Mr. John Richter, James Doe Sr."  # the unescaped comma: whole
    assert card.anniversaries == [(1975, 3, 1)]  # item1.X-ABDATE, labelled Anniversary
    assert card.birthday == (1980, 3, 22)
    assert card.address == (
        "Crescent moon drive, 555-asd, Nice Area, Albaney, New York 12345, United States of America"
    )  # folded mid-word ("New York\r\n  12345": one blank is the fold's)
    assert card.notes is not None
    assert "Spouse: Jenny" in card.notes.splitlines()
    assert "URL: http://www.ibm.com" in card.notes.splitlines()
    assert "MERCHANTABILITY" in card.notes  # a long NOTE folded mid-word
    assert card.kept == ["URL", "X-ABRELATEDNAMES"]


def test_real_ezvcard_gmail_list_vcf() -> None:
    cards = cards_of("ezvcard_gmail-list.vcf")
    assert [c.name for c in cards] == ["Arnold Smith", "Chris Beatle", "Doug White"]
    assert [c.line for c in cards] == [1, 7, 13]


def test_real_ezvcard_John_Doe_EVOLUTION_vcf() -> None:
    (card,) = cards_of("ezvcard_John_Doe_EVOLUTION.vcf")
    assert card.phones == [("mobile", "905-666-1234"), ("work", "905-555-1234")]  # folded mid-token
    assert card.emails == [("work", "john.doe@ibm.com")]
    assert card.tags == ["VIP"]  # lower-cased by the card's rules: vip
    assert card.name == "Mr. John Richter, James Doe Sr."
    assert card.company == "IBM"


def test_real_ezvcard_John_Doe_BLACK_BERRY_vcf() -> None:
    (card,) = cards_of("ezvcard_John_Doe_BLACK_BERRY.vcf")
    assert (card.name, card.company) == ("John Doe", "Acme Solutions")
    assert card.phones == [("mobile", "+96123456789")]
    assert card.notes is None  # NOTE: empty


def test_real_aosp_v21_japanese_2_vcf() -> None:
    (card,) = cards_of("aosp_v21_japanese_2.vcf")  # raw and quoted-printable Shift_JIS
    assert card.name == "安藤 ロイド 1"
    assert card.address == "東京都渋谷区桜丘町26-1セルリアンタワー6階 150-8512"
    assert card.notes == "メモ"


def test_real_aosp_v21_multiple_entry_vcf() -> None:
    cards = cards_of("aosp_v21_multiple_entry.vcf")
    assert [c.name for c in cards] == ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"]
    assert cards[0].phones[-1] == ("fax", "12")
    assert cards[0].phones[0] == (None, "9")  # TEL;X-NEC-SECRET: a vendor's type, no label


def test_real_aosp_v21_backslash_vcf() -> None:
    # vCard 2.1, read as Android reads it: a text value is literal (docs/import.md).
    (card,) = cards_of("aosp_v21_backslash.vcf")
    assert card.name == "A;B\\C\\;D:E\\\\"


def test_real_aosp_v21_invalid_comment_line_vcf() -> None:
    (card,) = cards_of("aosp_v21_invalid_comment_line.vcf")
    assert card.name == "Conference Call"
    assert card.notes == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )


def test_real_aosp_v21_winmo_65_vcf() -> None:
    (card,) = cards_of("aosp_v21_winmo_65.vcf")
    assert card.name == "Example"
    assert card.anniversaries == [(2009, 10, 10)]
    assert card.notes is None  # AGENT and the empty X- properties: nothing


def test_real_aosp_v30_ios_613_multiline_vcf() -> None:
    (card,) = cards_of("aosp_v30_ios_613_multiline.vcf")
    assert (card.name, card.company) == ("Bob Smith", "Smith Auto Repair")
    assert card.phones == [("mobile", "(650) 555-1212")]
    assert card.emails == [(None, "bob@smithauto.com")]


def test_real_khard_korean_c_vcf() -> None:
    (card,) = cards_of("khard_korean-c.vcf")
    assert card.name == "최유림"


def test_real_khard_altid_vcf() -> None:
    (card,) = cards_of("khard_altid.vcf")
    assert card.name == "altid"
    assert card.warnings == []


def test_real_khard_text_bday_vcf() -> None:
    (card,) = cards_of("khard_text-bday.vcf")
    assert card.name == "text birthday"
    assert card.birthday is None
    assert card.warnings == ["line 5: the birthday 'circa 1800' is not a date; kept in the notes"]
    assert card.notes == "Birthday: circa 1800"


def test_real_khard_tel_value_uri_vcf() -> None:
    (card,) = cards_of("khard_tel-value-uri.vcf")
    assert card.phones == [("mobile", "67545678")]


def test_real_vobject_radicale_1587_vcf() -> None:
    (card,) = cards_of("vobject_radicale-1587.vcf")
    assert card.name == "Given Family"


def test_real_monica_vcard_stub_vcf() -> None:
    cards = cards_of("monica_vcard_stub.vcf")
    assert [c.name for c in cards] == ["Bono", "John Doe", "Johnny"]
    assert cards[2].warnings == ["line 18: a card without a name: named from its nickname"]
    assert cards[2].address == "17 Shakespeare Ave., Southampton, SO17 2HB, United Kingdom"
    assert (cards[0].company, cards[0].title, cards[0].birthday) == (
        "U2",
        "Lead vocalist",
        (1960, 5, 10),
    )


def test_real_monica_broken_vcard_stub_vcard() -> None:
    with pytest.raises(InvalidValue, match=r"^line 1: 'BEGIN:VCAR' is not BEGIN:VCARD"):
        cards_of("monica_broken_vcard_stub.vcard")


# ---- what the real files lack ---------------------------------------------------------------


def test_quoted_printable_gb2312_and_utf8_and_raw_gbk() -> None:
    name = "张伟".encode("gb2312")
    qp = "".join(f"={b:02X}" for b in name)
    card = one(
        vcard(
            f"N;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:{qp};;;;",
            "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=8C=97=E4=BA=AC=E5=85=AC=E5=8F=B8",
            version="2.1",
        ).encode()
    )
    assert (card.name, card.company) == ("张伟", "北京公司")
    raw = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:" + "李娜".encode("gbk") + b"\r\nEND:VCARD\r\n"
    assert one(raw).name == "李娜"  # no CHARSET: not UTF-8, so GB18030


def test_charset_big5_and_shift_jis_raw_bytes() -> None:
    raw = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=BIG5:"
        + "陳大文".encode("big5")
        + b"\r\nTITLE;CHARSET=SHIFT_JIS:"
        + "ソフト".encode("shift_jis")  # its 0x5C byte is no backslash
        + b"\r\nEND:VCARD\r\n"
    )
    card = one(raw)
    assert (card.name, card.title) == ("陳大文", "ソフト")


def test_a_file_that_is_one_encoding_throughout_keeps_utf8_values_whole() -> None:
    card = one(vcard("FN:王芳", "NOTE:老客户\\, 介绍人王总\\n第二行"))
    assert card.name == "王芳"
    assert card.notes == "老客户, 介绍人王总\n第二行"


def test_folding_in_the_middle_of_a_character_run_and_lf_only() -> None:
    card = one(
        "BEGIN:VCARD\nVERSION:3.0\nFN:欧阳\n 娜娜\nTEL;TYPE=CELL:138 00\n\t13 8000\nEND:VCARD\n"
    )
    assert card.name == "欧阳娜娜"
    assert card.phones == [("mobile", "138 0013 8000")]


def test_utf16_with_its_byte_order_mark() -> None:
    assert one(vcard("FN:张伟").encode("utf-16")).name == "张伟"


def test_lowercase_names_and_parameters_and_a_bom() -> None:
    card = one(
        b"\xef\xbb\xbfbegin:vcard\r\nversion:3.0\r\nfn:Li\r\ntel;type=work:1\r\nend:vcard\r\n"
    )
    assert (card.name, card.phones) == ("Li", [("work", "1")])


@pytest.mark.parametrize(
    ("bday", "expected"),
    [
        ("--0415", (None, 4, 15)),
        ("--04-15", (None, 4, 15)),
        ("1604-04-15", (None, 4, 15)),  # Apple's "no year"
        ("19800322", (1980, 3, 22)),
        ("1980-03-22T00:00:00Z", (1980, 3, 22)),
        ("--0229", (None, 2, 29)),
    ],
)
def test_birthdays(bday: str, expected: tuple[int | None, int, int]) -> None:
    assert one(vcard("FN:A", f"BDAY:{bday}")).birthday == expected


def test_a_date_that_is_no_day_is_a_warning() -> None:
    card = one(vcard("FN:A", "BDAY:1980-02-30", "ANNIVERSARY:sometime"))
    assert card.birthday is None
    assert card.anniversaries == []
    assert card.warnings == [
        "line 4: the birthday '1980-02-30' is not a date; kept in the notes",
        "line 5: the anniversary 'sometime' is not a date; kept in the notes",
    ]
    assert card.notes == "Birthday: 1980-02-30\nAnniversary: sometime"


def test_apple_labels_and_free_labels() -> None:
    card = one(
        vcard(
            "FN:A",
            "item1.TEL:1",
            "item1.X-ABLabel:_$!<Mobile>!$_",
            "item2.TEL;type=WORK:2",
            "item2.X-ABLabel:前台",
            "item3.EMAIL:a@b.cn",
            "item3.X-ABLabel:_$!<Other>!$_",
            "TEL;TYPE=HOME,FAX:3",
            "TEL;VALUE=uri:tel:+86-10-6552-1234",
        )
    )
    assert card.phones == [
        ("mobile", "1"),
        ("前台", "2"),
        ("fax", "3"),
        (None, "+86-10-6552-1234"),
    ]
    assert card.emails == [("other", "a@b.cn")]


def test_pref_comes_first_vcard_4() -> None:
    card = one(vcard("FN:A", "TEL;TYPE=home:1", "TEL;PREF=1;TYPE=cell:2", version="4.0"))
    assert card.phones == [("mobile", "2"), ("home", "1")]


def test_categories_become_tags() -> None:
    card = one(vcard("FN:A", "CATEGORIES:VIP,老客户,Trade Show\\, 2026"))
    assert card.tags == ["VIP", "老客户", "Trade-Show", "2026"]


def test_a_chinese_address_is_joined_largest_first_without_blanks() -> None:
    card = one(vcard("FN:A", "ADR;TYPE=WORK:;;建国路88号;朝阳区;北京市;100022;中国"))
    assert card.address == "中国北京市朝阳区建国路88号 100022"


def test_names_from_n_and_from_what_is_left() -> None:
    assert one(vcard("N:张;伟;;;")).name == "张伟"
    assert one(vcard("N:Doe;John;;Dr.;")).name == "Dr. John Doe"
    assert one(vcard("FN:", "ORG:北京公司")).name == "北京公司"
    assert one(vcard("TEL:138 0013 8000")).name == "138 0013 8000"
    nameless = one(vcard("NOTE:only a note"))
    assert nameless.name is None  # the import refuses it, naming its line


def test_a_nested_agent_card_is_skipped() -> None:
    text = vcard("FN:A", "AGENT:BEGIN:VCARD", "FN:Agent", "END:VCARD", "TEL:1", version="2.1")
    card = one(text)
    assert (card.name, card.phones) == ("A", [(None, "1")])


def test_junk_lines_inside_a_card_are_warnings() -> None:
    card = one(vcard("FN:A", "this is not a property"))
    assert card.warnings == [
        "line 4: skipped a line that is not a property: 'this is not a property'"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\r\n", "line 1: not a vCard line: 'hello'"),
        ("BEGIN:VCARD\r\nFN:A\r\n", "line 1: the card begun here has no END:VCARD"),
        ("BEGIN:VCARD\r\nEND:VCARD\r\nFN:B\r\n", "line 3: 'FN:B' is outside a card"),
        ("BEGIN:VCALENDAR\r\n", "line 1: 'BEGIN:VCALENDAR' is not BEGIN:VCARD"),
    ],
)
def test_a_file_that_is_not_vcard_is_one_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidValue, match="^" + message.replace("(", r"\(")):
        list(read_cards(text.encode()))


def test_the_card_text_is_the_files_lines() -> None:
    raw = "#c\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:" + "李" + "\r\nEND:VCARD\r\n"
    (card,) = read_cards(raw.encode("gbk"))
    assert card.line == 2
    assert card.text.encode("utf-8", "surrogateescape") == raw[4:].encode("gbk")


def test_looks_like_vcard() -> None:
    assert looks_like_vcard(b"\xef\xbb\xbf\r\nbegin:vcard\r\n")
    assert not looks_like_vcard(b"name,phone\r\n")


# ---- export --format vcard -------------------------------------------------------------------

LONG_NOTE = "老客户, 介绍人王总; 周三下午\\有空\n" + "喜欢普洱茶。" * 20


@pytest.fixture
def book(ok: Run) -> None:
    """Two cards with everything a vCard carries: labels of every kind, CJK, a long note."""
    ok(
        "add", "欧阳娜娜", "--company", "北京某某科技有限公司", "--title", "销售经理",
        "--phone", "mobile:138 0013 8000", "--phone", "前台:010 6552 1234",
        "--phone", "other:010 6552 9999", "--phone", "fax:010 6552 1235",
        "--email", "work:na@example.cn", "--email", "home:nana@qq.com",
        "--address", "北京市朝阳区建国路88号", "--note", LONG_NOTE,
        "--tag", "vip", "--tag", "北京", "--grade", "A",
    )  # fmt: skip
    ok("add", "John Doe", "--phone", "work:+1 202-555-0191", "--grade", "C")
    ok("date", "add", "1", "birthday", "1980-03-22")
    ok("date", "add", "1", "anniversary", "05-03")
    ok("date", "add", "2", "birthday", "04-15")


def exported(ok: Run) -> bytes:
    return ok("export", "--format", "vcard").stdout_bytes


pytestmark_book = pytest.mark.usefixtures("book")


@pytestmark_book
def test_export_is_vcard_3_utf8_crlf_folded_at_75_octets(ok: Run) -> None:
    data = exported(ok)
    assert data.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # ends with CR LF
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) == 75  # the note is folded, at 75 octets
    for line in lines:
        line.decode("utf-8")  # folded on character boundaries: every line is whole UTF-8
    text = data.decode()
    assert "TEL;TYPE=CELL,PREF:138 0013 8000\r\n" in text
    assert "item1.TEL:010 6552 1234\r\nitem1.X-ABLabel:前台\r\n" in text
    assert "item2.X-ABLabel:_$!<Other>!$_\r\n" in text
    assert "TEL;TYPE=FAX:010 6552 1235\r\n" in text
    assert "EMAIL;TYPE=INTERNET,HOME:nana@qq.com\r\n" in text
    assert "FN:欧阳娜娜\r\nN:欧阳;娜娜;;;\r\nORG:北京某某科技有限公司\r\n" in text
    assert "NOTE:老客户\\, 介绍人王总\\; 周三下午\\\\有空\\n喜欢" in text
    assert "CATEGORIES:vip,北京\r\n" in text
    assert "BDAY:1980-03-22\r\n" in text
    assert "item3.X-ABDATE:--05-03\r\nitem3.X-ABLabel:_$!<Anniversary>!$_\r\n" in text
    assert "BDAY:--04-15\r\n" in text
    assert "UID:clientcard-card-1\r\n" in text
    assert "X-CLIENTCARD-GRADE:A\r\n" in text


@pytestmark_book
def test_export_reads_back_as_the_same_cards(ok: Run) -> None:
    cards = list(read_cards(exported(ok)))
    rows = json_rows("export")(ok)
    assert [c.name for c in cards] == [r["name"] for r in rows]
    for card, row in zip(cards, rows, strict=True):
        assert card.company == row["company"]
        assert card.title == row["title"]
        assert card.phones == [(p["label"], p["number"]) for p in row["phones"]]
        assert card.emails == [(e["label"], e["address"]) for e in row["emails"]]
        assert card.address == row["address"]
        assert card.notes == row["notes"]
        assert card.tags == row["tags"]
        assert card.grade == row["grade"]
        assert card.warnings == []
    assert cards[0].notes == LONG_NOTE.strip()
    assert (cards[0].birthday, cards[0].anniversaries) == ((1980, 3, 22), [(None, 5, 3)])
    assert (cards[1].birthday, cards[1].anniversaries) == ((None, 4, 15), [])


@pytestmark_book
def test_vobject_reads_the_export(ok: Run) -> None:
    """khard (and many a Python tool) read vCards with vobject: ours parse there, whole."""
    vobject = pytest.importorskip("vobject")
    parsed = list(vobject.readComponents(exported(ok).decode()))
    assert [c.fn.value for c in parsed] == ["欧阳娜娜", "John Doe"]
    first = parsed[0]
    assert first.n.value.family == "欧阳"
    assert first.n.value.given == "娜娜"
    assert first.org.value == ["北京某某科技有限公司"]
    assert first.note.value == LONG_NOTE.strip()
    assert [t.value for t in first.tel_list][:2] == ["138 0013 8000", "010 6552 1234"]
    assert first.categories.value == ["vip", "北京"]
    assert first.bday.value == "1980-03-22"


def test_export_of_an_empty_book_is_empty(ok: Run) -> None:
    assert exported(ok) == b""


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("张伟", ("张", "伟")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("司马光", ("司马", "光")),
        ("北京某某科技有限公司", ("北京某某科技有限公司", "")),
        ("安藤 ロイド", ("安藤", "ロイド")),
        ("John Doe", ("Doe", "John")),
        ("Cher", ("Cher", "")),
    ],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_folding_never_cuts_a_character() -> None:
    line = "NOTE:" + "a" * 69 + "中文" * 40
    out = folded(line).encode()
    physical = out.split(b"\r\n")[:-1]
    assert all(len(p) <= 75 for p in physical)
    assert b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode() == line
    assert [len(p) for p in physical][:2] == [74, 73]  # 中 does not fit the first line's last octet


def test_export_is_the_same_from_postgresql(ok: Run, postgres_url: str) -> None:
    for db in ([], ["--db", postgres_url]):
        ok(*db, "add", "张伟", "--phone", "mobile:138 0013 8000", "--tag", "vip")
        ok(*db, "add", "李娜", "--email", "work:li@example.cn")
        ok(*db, "date", "add", "2", "birthday", "1990-07-01")
        ok(*db, "date", "add", "2", "anniversary", "2015-10-01")
    on_postgres = ok("--db", postgres_url, "export", "--format", "vcard").stdout_bytes
    assert on_postgres == exported(ok)
    assert b"BDAY:1990-07-01\r\nitem1.X-ABDATE:2015-10-01\r\n" in on_postgres


# ---- import FILE.vcf, import DIR (through the CLI) ----------------------------------------------

cards_listing = json_rows("export")


def dates(ok: Run) -> list[tuple[str, str, str, int | None]]:
    return [
        (d["client"], d["kind"], d["date"][5:], d["year"]) for d in json_rows("date", "list")(ok)
    ]


# What each real file gives through `import`, as its SOURCES.txt entry expects: (the names of
# the new cards, the last stdout line). ANDROID's card on line 36 has the phone 123456 of the
# card on line 18: the import's duplicate rule skips it, naming both lines (6 with
# --on-duplicate add).
IMPORTED = {
    "ezvcard_John_Doe_ANDROID.vcf": (
        [
            "john.doe@company.com",
            "jane.doe@company.com",
            "Ñ Ñ Ñ Ñ Ñ",
            "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",
            "ÑÑÑÑ",
        ],
        "Imported 5 cards",
    ),
    "ezvcard_John_Doe_IPHONE.vcf": (["Mr. John Richter James Doe Sr."], "Imported 1 card"),
    "ezvcard_John_Doe_MS_OUTLOOK.vcf": (["Mr. John Richter James Doe Sr."], "Imported 1 card"),
    "ezvcard_outlook-2003.vcf": (["John Doe III"], "Imported 1 card"),
    "ezvcard_John_Doe_GMAIL.vcf": (["Mr. John Richter, James Doe Sr."], "Imported 1 card"),
    "ezvcard_gmail-list.vcf": (["Arnold Smith", "Chris Beatle", "Doug White"], "Imported 3 cards"),
    "ezvcard_John_Doe_EVOLUTION.vcf": (["Mr. John Richter, James Doe Sr."], "Imported 1 card"),
    "ezvcard_John_Doe_BLACK_BERRY.vcf": (["John Doe"], "Imported 1 card"),
    "aosp_v21_japanese_2.vcf": (["安藤 ロイド 1"], "Imported 1 card"),
    "aosp_v21_multiple_entry.vcf": (
        ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"],
        "Imported 3 cards",
    ),
    "aosp_v21_backslash.vcf": (["A;B\\C\\;D:E\\\\"], "Imported 1 card"),
    "aosp_v21_invalid_comment_line.vcf": (["Conference Call"], "Imported 1 card"),
    "aosp_v21_winmo_65.vcf": (["Example"], "Imported 1 card"),
    "aosp_v30_ios_613_multiline.vcf": (["Bob Smith"], "Imported 1 card"),
    "khard_korean-c.vcf": (["최유림"], "Imported 1 card"),
    "khard_altid.vcf": (["altid"], "Imported 1 card"),
    "khard_text-bday.vcf": (["text birthday"], "Imported 1 card"),
    "khard_tel-value-uri.vcf": (["bug 195"], "Imported 1 card"),
    "vobject_radicale-1587.vcf": (["Given Family"], "Imported 1 card"),
    "monica_vcard_stub.vcf": (["Bono", "John Doe", "Johnny"], "Imported 3 cards"),
}


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_every_real_vcard_file_imports_as_sources_txt_says(ok: Run, name: str) -> None:
    names, last = IMPORTED[name]
    result = ok("import", str(REALDATA / name))
    assert result.stdout.splitlines()[-1] == last
    assert [c["name"] for c in cards_listing(ok)] == names


def test_the_broken_real_file_is_one_error_and_imports_nothing(cli: Run, ok: Run, snapshot) -> None:
    ok("add", "张伟")
    before = snapshot()
    result = cli("import", str(REALDATA / "monica_broken_vcard_stub.vcard"))
    assert_error(result, 2, "line 1: 'BEGIN:VCAR' is not BEGIN:VCARD; is this a vCard file?")
    assert snapshot() == before


def test_what_the_real_files_hold_is_stored(ok: Run) -> None:
    ok("import", str(REALDATA / "ezvcard_John_Doe_GMAIL.vcf"))
    ok("import", str(REALDATA / "ezvcard_John_Doe_EVOLUTION.vcf"), "--on-duplicate", "add")
    gmail, evolution = cards_listing(ok)
    assert gmail["phones"] == [
        {"label": "mobile", "number": "905-555-1234"},
        {"label": "home", "number": "905-666-1234"},
    ]
    assert gmail["emails"] == [{"label": "home", "address": "john.doe@ibm.com"}]
    assert (gmail["company"], gmail["title"]) == ("IBM", "Money Counter")
    assert evolution["tags"] == ["vip"]
    assert dates(ok) == [
        ("Mr. John Richter, James Doe Sr.", "anniversary", "03-01", 1975),
        ("Mr. John Richter, James Doe Sr.", "birthday", "03-22", 1980),
        ("Mr. John Richter, James Doe Sr.", "birthday", "03-22", 1980),
        ("Mr. John Richter, James Doe Sr.", "anniversary", "03-22", 1980),
    ]


def test_warnings_and_kept_properties_are_said_on_stderr(ok: Run) -> None:
    result = ok("import", str(REALDATA / "khard_text-bday.vcf"))
    assert result.stderr == (
        "clientcard: line 5: the birthday 'circa 1800' is not a date; kept in the notes\n"
    )
    assert cards_listing(ok)[0]["notes"] == "Birthday: circa 1800"
    result = ok("import", str(REALDATA / "ezvcard_John_Doe_GMAIL.vcf"))
    assert result.stderr == "clientcard: kept in notes: URL, X-ABRELATEDNAMES\n"


def test_a_folder_imports_its_vcard_files_in_name_order(ok: Run, tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "b.VCF").write_text(vcard("FN:李娜", "TEL:139 0000 0000"), newline="")
    (folder / "a.vcard").write_text(vcard("FN:张伟", "TEL:138 0013 8000"), newline="")
    (folder / "c.vcf").write_text(vcard("FN:王芳", "TEL:138 0013 8000"), newline="")
    (folder / "notes.txt").write_text("not a card")
    (folder / "sub").mkdir()
    (folder / "sub" / "d.vcf").write_text(vcard("FN:赵六"))
    result = ok("import", str(folder))
    # The earlier card is named with its file.
    assert result.stdout.splitlines() == [
        "c.vcf, line 1: 王芳 is the same client as a.vcard, line 1, same phone 138 0013 8000: "
        "skipped",
        "Skipped 1 duplicate (--on-duplicate update updates the cards, --on-duplicate add adds "
        "them)",
        "Imported 2 cards",
    ]
    assert [c["name"] for c in cards_listing(ok)] == ["张伟", "李娜"]


def test_a_folder_with_a_broken_file_imports_nothing_and_names_it(
    cli: Run, tmp_path: Path, snapshot
) -> None:
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "a.vcf").write_text(vcard("FN:张伟"), newline="")
    (folder / "b.vcf").write_text("BEGIN:VCARD\r\nFN:李娜\r\n", newline="")
    cli("add", "王芳")
    before = snapshot()
    result = cli("import", str(folder))
    assert_error(result, 2, "b.vcf, line 1: the card begun here has no END:VCARD")
    assert snapshot() == before
    (folder / "a.vcf").unlink()
    (folder / "b.vcf").unlink()
    assert_error(
        cli("import", str(folder)),
        2,
        f"{folder} is a folder without .vcf or .vcard files; give a file",
    )


def test_a_nameless_card_is_refused_by_line_and_written_to_rejects(
    cli: Run, ok: Run, tmp_path: Path
) -> None:
    nameless = vcard("NOTE:nobody")
    path = write(tmp_path, nameless + vcard("FN:李娜", "TEL:139 0000 0000"), "cards.vcf")
    assert_error(
        cli("import", path),
        2,
        "line 1: a card without a name, organisation, nickname, e-mail or phone",
    )
    assert cards_listing(ok) == []
    rejects = tmp_path / "rejects.vcf"
    result = ok("import", path, "--skip-invalid", "--rejects", str(rejects))
    assert result.stdout.splitlines()[-1] == "Imported 1 card"
    assert rejects.read_bytes() == (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody\r\n"
        b"X-CLIENTCARD-REASON:a card without a name\\, organisation\\, nickname\\, e-mai\r\n"
        b" l or phone\r\nEND:VCARD\r\n"
    )
    # The rejects file is a vCard file: fixed, it imports.
    fixed = rejects.read_text().replace("NOTE:nobody", "FN:赵六")
    assert ok("import", write(tmp_path, fixed, "fixed.vcf")).stdout == "Imported 1 card\n"


def test_rejects_keep_the_cards_own_bytes(ok: Run, tmp_path: Path) -> None:
    raw = b"BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE:" + "备注".encode("gbk") + b"\r\nEND:VCARD\r\n"
    path = write(tmp_path, raw, "gbk.vcf")
    rejects = tmp_path / "rejects.vcf"
    ok("import", path, "--skip-invalid", "--rejects", str(rejects))
    assert rejects.read_bytes().startswith(raw.removesuffix(b"END:VCARD\r\n"))


def test_detection_by_content_and_by_format(ok: Run, tmp_path: Path) -> None:
    text = vcard("FN:张伟", "TEL;TYPE=CELL:138 0013 8000")
    assert ok("import", "-", input=text).stdout == "Imported 1 card\n"  # BEGIN:VCARD
    path = write(tmp_path, vcard("FN:李娜"), "contacts.txt")
    assert ok("import", path, "--format", "vcard").stdout == "Imported 1 card\n"
    first, second = cards_listing(ok)
    assert first["phones"] == [{"label": "mobile", "number": "138 0013 8000"}]
    assert second["name"] == "李娜"


def test_map_and_a_folder_as_csv_are_refused(cli: Run, tmp_path: Path) -> None:
    path = write(tmp_path, vcard("FN:张伟"), "a.vcf")
    assert_error(
        cli("import", path, "--map", "姓名=name"),
        2,
        "--map names a sheet's columns; a vCard file has none",
    )
    assert_error(
        cli("import", str(tmp_path), "--format", "csv"),
        2,
        "a folder is read as vCard files, not as csv",
    )


def test_encoding_names_the_bytes_a_card_does_not_name(ok: Run, cli: Run, tmp_path: Path) -> None:
    raw = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:" + "陳大文".encode("big5") + b"\r\nEND:VCARD\r\n"
    path = write(tmp_path, raw, "big5.vcf")
    ok("import", path, "--encoding", "big5")
    assert [c["name"] for c in cards_listing(ok)] == ["陳大文"]
    assert_error(
        cli("import", path, "--encoding", "klingon"),
        2,
        "--encoding: unknown encoding 'klingon'; for example gb18030, big5, shift_jis",
    )


def test_the_same_file_twice_adds_nothing(ok: Run) -> None:
    path = str(REALDATA / "ezvcard_gmail-list.vcf")
    ok("import", path)
    assert ok("import", path).stdout.splitlines()[-1] == "Imported 0 cards"


@pytestmark_book
def test_export_then_import_into_a_fresh_book_gives_the_same_cards(
    ok: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, exported(ok), "book.vcf")
    before, dates_before = cards_listing(ok), dates(ok)
    monkeypatch.setenv("CLIENTCARD_DB", str(tmp_path / "fresh.db"))
    assert ok("import", path).stdout.splitlines() == [
        "Birthdays recorded: 2",
        "Anniversaries recorded: 1",
        "Imported 2 cards",
    ]
    after = cards_listing(ok)
    same = ("id", "name", "company", "title", "phone", "email", "phones", "emails", "address",
            "notes", "tags", "grade")  # fmt: skip
    assert [{k: c[k] for k in same} for c in after] == [{k: c[k] for k in same} for c in before]
    assert dates(ok) == dates_before


def test_import_into_postgresql_is_the_same(ok: Run, postgres_url: str) -> None:
    for db in ([], ["--db", postgres_url]):
        ok(*db, "import", str(REALDATA / "ezvcard_John_Doe_IPHONE.vcf"))
        ok(*db, "import", str(REALDATA / "monica_vcard_stub.vcf"))
    assert ok("--db", postgres_url, "export").stdout == ok("export").stdout
    assert ok("--db", postgres_url, "date", "list").stdout == ok("date", "list").stdout


def test_dry_run_of_a_vcard_file_writes_nothing(ok: Run, tmp_path: Path) -> None:
    path = write(tmp_path, vcard("FN:张伟", "BDAY:--0322") + vcard("FN:李娜"), "a.vcf")
    assert ok("import", path, "--dry-run").stdout.splitlines() == [
        "Birthdays to record: 1",
        "Would import 2 cards",
    ]
    assert cards_listing(ok) == []


def test_a_grade_that_is_not_a_to_f_goes_to_the_notes(ok: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        vcard("FN:张伟", "X-CLIENTCARD-GRADE:B") + vcard("FN:李娜", "X-CLIENTCARD-GRADE:Z"),
        "a.vcf",
    )
    result = ok("import", path)
    assert result.stderr == "clientcard: kept in notes: X-CLIENTCARD-GRADE (not a grade A to F)\n"
    first, second = cards_listing(ok)
    assert (first["grade"], second["grade"], second["notes"]) == ("B", "F", "Grade: Z")


def test_the_reader_says_how_many_cards_for_the_progress_bar() -> None:
    from clientcard.services.bringin.vcard import VCards

    data = (vcard("FN:A") + vcard("FN:B")).replace("BEGIN:VCARD", "begin:vcard", 1).encode()
    assert VCards([("a.vcf", data), ("b.vcf", data)]).size == 4


def test_a_birthday_typed_as_a_sheet_would_have_it_is_a_date() -> None:
    """Phones write what their users typed: `1975-3-22` and `1975年3月22日` are dates, as in a
    sheet's birthday column (issue 14 review)."""
    from clientcard.domain.vcard import read_cards

    for typed in ("1975-3-22", "1975/3/22", "1975年3月22日"):
        text = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nBDAY:{typed}\r\nEND:VCARD\r\n"
        [card] = read_cards(text.encode())
        assert card.birthday == (1975, 3, 22), typed
