"""Chinese amounts (issue 18): 1.5万, 2千, 3k, ¥, 元, Chinese numerals, exactly in minor units;
a currency other than the book's refused; refused amounts say what is accepted in both
languages."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcard.domain.errors import InvalidValue
from clientcard.domain.money import parse_amount
from helpers import add, assert_error

pytestmark = pytest.mark.usefixtures("migrated")

ACCEPTED = (
    "give a number above 0 with at most 2 decimals, e.g. 1234, 1234.5, 1,234.56 or 1 234.56; "
    "also 1.5万, 2千, 3k, 1.2w, 一万五, ¥1,500, 1500元 or CNY 1500"
)


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        # multipliers: exact, never through a float
        ("1.5万", 1_500_000),
        ("1.5 万", 1_500_000),
        ("10万", 10_000_000),
        ("0.015万", 15_000),
        ("1.2345万", 1_234_500),  # 12,345.00: exact, so accepted
        ("1.234567万", 1_234_567),  # 12,345.67
        ("2千", 200_000),
        ("3k", 300_000),
        ("3K", 300_000),
        ("2.5k", 250_000),
        ("1.2w", 1_200_000),
        ("1.2W", 1_200_000),
        ("3千万", 3_000_000_000),
        ("1亿", 10_000_000_000),
        ("0.5亿", 5_000_000_000),
        ("1,500万", 1_500_000_000),
        ("9999.9999999999亿", 99_999_999_999_999),  # the largest amount, to the fen
        # currencies: the book's (CNY)
        ("10万元", 10_000_000),
        ("¥1,500", 150_000),
        ("\uffe51500", 150_000),  # the full-width yen sign a Chinese input method types
        ("1500元", 150_000),
        ("1500 元", 150_000),
        ("1500块", 150_000),
        ("1500块钱", 150_000),
        ("RMB 1500", 150_000),
        ("rmb1500", 150_000),
        ("1500 RMB", 150_000),
        ("CNY 1,500.50", 150_050),
        ("1500CNY", 150_000),
        ("人民币1500元", 150_000),
        ("¥1.5万", 1_500_000),
        ("¥1500元", 150_000),
        # separators and full-width digits
        ("1,500.50", 150_050),
        ("\uff11\uff0c\uff15\uff10\uff10\uff0e\uff15\uff10", 150_050),
        ("\uff11\uff0e\uff15万", 1_500_000),
        # Chinese numerals: whole units
        ("一万五", 1_500_000),
        ("三千", 300_000),
        ("两万", 2_000_000),
        ("三千五", 350_000),
        ("一千二百", 120_000),
        ("三百五十", 35_000),
        ("一万零五百", 1_050_000),
        ("两千五百万", 2_500_000_000),
        ("一亿", 10_000_000_000),
        ("1万5", 1_500_000),
        ("1万5千", 1_500_000),
        ("五万元", 5_000_000),
        ("一万五千块", 1_500_000),
        ("两万五", 2_500_000),
        ("二万五", 2_500_000),
        ("十五万", 15_000_000),
        ("一百二十万", 120_000_000),
        ("1万5000", 1_500_000),  # all of 万's four places: as written
        ("2百50", 25_000),
        # a Chinese decimal point (点), exactly, as 1.5万
        ("一点五万", 1_500_000),
        ("1点5万", 1_500_000),
        ("十二点五万", 12_500_000),
        ("一万二千三百四十五点六七", 1_234_567),  # a whole part with 万, then decimals
        ("三百四十五点六七", 34_567),
        ("零点五万", 500_000),
        ("一点二三四五六七万", 1_234_567),  # 12,345.67
        ("一点五", 150),  # 1.50
        ("三点五千", 350_000),
        ("一点五亿", 15_000_000_000),
        ("¥一点五万", 1_500_000),
        ("一点五万元", 1_500_000),
    ],
)
def test_a_chinese_amount_is_read_exactly_into_minor_units(typed: str, minor: int) -> None:
    assert parse_amount(typed) == minor
    assert parse_amount(typed, "CNY") == minor


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1.2345678万", "amount '1.2345678万' has more than 2 decimals"),  # 12,345.678
        ("0.0000001万", "amount '0.0000001万' has more than 2 decimals"),
        ("0.000001k", "amount '0.000001k' has more than 2 decimals"),
        ("-1.5万", "amount '-1.5万' is negative"),
        ("-¥100", "amount '-¥100' is negative"),
        ("0万", "amount '0万' is not above 0"),
        ("零", "amount '零' is not above 0"),
        ("1万亿", "cannot read '1万亿' as an amount"),
        ("10000亿", "amount '10000亿' is above the largest amount, 999,999,999,999.99"),
        ("万", "cannot read '万' as an amount"),
        ("k", "cannot read 'k' as an amount"),
        ("1.5万万", "cannot read '1.5万万' as an amount"),
        ("1.5kk", "cannot read '1.5kk' as an amount"),
        ("十百", "cannot read '十百' as an amount"),
        ("一点二三四五六七八万", "amount '一点二三四五六七八万' has more than 2 decimals"),
        ("一点两万", "cannot read '一点两万' as an amount"),  # decimals are digits: 一点二万
        ("一万点五万", "cannot read '一万点五万' as an amount"),
        ("一点五万五", "cannot read '一点五万五' as an amount"),
        ("一点五点五万", "cannot read '一点五点五万' as an amount"),
        ("点五万", "cannot read '点五万' as an amount"),
        ("一点", "cannot read '一点' as an amount"),
        ("1万50000", "cannot read '1万50000' as an amount"),
        # digits after a unit: one (1万5 is 15,000) or all its places (1万5000); between is
        # ambiguous
        ("1万50", "amount '1万50' is ambiguous: 10,050.00 or 15,000.00? write 10050 or 15000"),
        ("1万500", "amount '1万500' is ambiguous: 10,500.00 or 15,000.00? write 10500 or 15000"),
        ("3千50", "amount '3千50' is ambiguous: 3,050.00 or 3,500.00? write 3050 or 3500"),
        ("两万50", "amount '两万50' is ambiguous: 20,050.00 or 25,000.00? write 20050 or 25000"),
        ("¥", "cannot read '¥' as an amount"),
        ("元", "cannot read '元' as an amount"),
        ("1,5万", "has a decimal comma"),
    ],
)
def test_a_bad_chinese_amount_says_what_is_accepted(typed: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_amount(typed)
    message = str(raised.value)
    assert problem in message
    assert message.endswith(f"; {ACCEPTED}")


@pytest.mark.parametrize(
    ("typed", "book", "given"),
    [
        ("¥100", "USD", "CNY/JPY"),
        ("100元", "USD", "CNY"),
        ("RMB 100", "EUR", "CNY"),
        ("USD 100", "CNY", "USD"),
        ("100美元", "CNY", "USD"),
        ("$100", "CNY", "USD"),
        ("€100", "CNY", "EUR"),
        ("100 EUR", "CNY", "EUR"),
    ],
)
def test_an_amount_in_another_currency_is_refused_never_converted(
    typed: str, book: str, given: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_amount(typed, book)
    assert str(raised.value) == (
        f"amount {typed!r} is in {given}, but this book's amounts are in {book} and are never "
        f"converted; give it in {book} or without a currency"
    )


@pytest.mark.parametrize(
    ("typed", "book", "minor"),
    [("¥100", "JPY", 10_000), ("$100", "USD", 10_000), ("100 usd", "USD", 10_000)],
)
def test_a_currency_that_is_the_books_is_accepted(typed: str, book: str, minor: int) -> None:
    assert parse_amount(typed, book) == minor


TOKENS = ["1", "5", ".", ",", " ", "万", "千", "k", "w", "亿", "¥", "元", "一", "两", "十", "零"]
TOKENS += ["-", "CNY", "USD", "块", "\uff11", "\uff0c", "百", "0", "点", "三", "50"]


@given(st.lists(st.sampled_from(TOKENS), max_size=8).map("".join), st.sampled_from(["CNY", "USD"]))
def test_any_amount_text_is_whole_minor_units_or_one_line_refusal(text: str, book: str) -> None:
    try:
        minor = parse_amount(text, book)
    except InvalidValue as e:
        message, minor = str(e), 1
    else:
        message = ""
    assert isinstance(minor, int)
    assert 0 < minor <= 10**14 - 1
    assert len(message.splitlines()) <= 1


# ---- through the CLI ---------------------------------------------------------------------


def test_sale_of_1_5_wan_is_15000_exactly(ok, query) -> None:
    add(ok, "张伟")
    out = ok("sale", "张伟", "1.5万").stdout
    assert out.startswith("Sale S1: 15,000.00 CNY to #1 张伟")
    ok("sale", "张伟", "¥1,500")
    ok("sale", "张伟", "一万五")
    assert query("SELECT amount_minor FROM sale ORDER BY id") == [
        (1_500_000,),
        (150_000,),
        (1_500_000,),
    ]


def test_sale_in_another_currency_than_the_books_is_refused(cli, ok, query) -> None:
    add(ok, "张伟")
    ok("config", "set", "--book", "currency", "USD")
    assert_error(
        cli("sale", "张伟", "1.5万元"),
        2,
        "amount '1.5万元' is in CNY, but this book's amounts are in USD and are never converted; "
        "give it in USD or without a currency",
    )
    assert query("SELECT count(*) FROM sale") == [(0,)]
    ok("sale", "张伟", "1.5k")
    assert query("SELECT amount_minor FROM sale") == [(150_000,)]


def test_a_bad_amount_is_refused_before_the_book_is_opened(cli, db_path: Path) -> None:
    assert_error(
        cli("sale", "张伟", "1.2345678万"),
        2,
        f"amount '1.2345678万' has more than 2 decimals; {ACCEPTED}",
    )


def test_a_bad_amount_is_refused_in_chinese_with_chinese_examples(
    cli, ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_dates_zh import zh_catalog

    add(ok, "张伟")
    zh_catalog(tmp_path, monkeypatch)
    result = cli("sale", "张伟", "abc")
    assert result.exit_code == 2
    assert result.stderr == (
        "clientcard: 无法识别金额 'abc'。请写大于 0、最多两位小数的数字\uff0c例如 1500、1500.5、"
        "1,500.50、1.5万、2千、3k、一万五、两万、¥1,500、1500元\n"
    )


def test_an_ambiguous_amount_is_refused_in_chinese_with_both_readings(
    cli, ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_dates_zh import zh_catalog

    add(ok, "张伟")
    zh_catalog(tmp_path, monkeypatch)
    result = cli("sale", "张伟", "1万50")
    assert result.exit_code == 2
    assert result.stderr == (
        "clientcard: 金额 '1万50' 有歧义\uff1a是 10,050.00 还是 15,000.00\uff1f请直接写 10050 或 "
        "15000\uff0c或写大于 0、最多两位小数的数字\uff0c例如 1500、1500.5、1,500.50、1.5万、"
        "2千、3k、一万五、两万、¥1,500、1500元\n"
    )


def test_sale_of_yi_dian_wu_wan_is_15000_exactly(ok, query) -> None:
    add(ok, "张伟")
    ok("sale", "张伟", "一点五万")
    ok("sale", "张伟", "两万五")
    assert query("SELECT amount_minor FROM sale ORDER BY id") == [(1_500_000,), (2_500_000,)]


# ---- amounts shown to people -------------------------------------------------------------


@pytest.mark.parametrize(
    ("minor", "currency", "english", "chinese"),
    [
        (1_500_000, "CNY", "15,000.00 CNY", "¥15,000.00"),
        (1_234_567, "CNY", "12,345.67 CNY", "¥12,345.67"),  # every fen, never 1.23万元
        (5, "CNY", "0.05 CNY", "¥0.05"),
        (-150_000, "CNY", "-1,500.00 CNY", "-¥1,500.00"),
        (150_000, "RMB", "1,500.00 RMB", "¥1,500.00"),
        (150_000, "USD", "1,500.00 USD", "1,500.00 USD"),  # only the yuan takes ¥
        (150_000, "JPY", "1,500.00 JPY", "1,500.00 JPY"),  # ¥ is the yen too: keep its code
    ],
)
def test_money_for_people_reads_as_the_interface_language_does(
    minor: int, currency: str, english: str, chinese: str
) -> None:
    from clientcard import i18n
    from clientcard.domain.money import format_money

    assert format_money(minor, currency, "en") == english
    assert format_money(minor, currency, "zh") == chinese
    i18n.use("zh")
    try:
        assert format_money(minor, currency) == chinese
    finally:
        i18n.use(None)
    assert format_money(minor, currency) == english


def test_a_sale_in_chinese_says_yuan_as_chinese_does(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(ok, "张伟")
    english = ok("sale", "张伟", "1.5万", "--what", "保单").stdout
    assert "15,000.00 CNY" in english
    assert "¥" not in english
    from test_dates_zh import zh_catalog

    zh_catalog(tmp_path, monkeypatch)
    said = ok("sale", "张伟", "一点五万", "--what", "年金险").stdout
    assert "¥15,000.00" in said
    assert "CNY" not in said
    page = ok("show", "张伟").stdout
    assert "¥30,000.00" in page  # the card's sales, in all
    assert "¥15,000.00" in page  # the sales table and the contact the second sale logged
    assert "15,000.00 CNY" in page  # the first sale's contact, written when it was English
    listed = ok("sales", "张伟").stdout
    assert "¥30,000.00" in listed  # the footer's total
    assert "CNY" not in listed


def test_amounts_for_scripts_do_not_change_with_the_language(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(ok, "张伟")
    ok("sale", "张伟", "15000", "--what", "保单")
    english = [ok(*c, "--format", "json").stdout for c in (["sales"], ["show", "张伟"], ["due"])]
    from test_dates_zh import zh_catalog

    zh_catalog(tmp_path, monkeypatch)
    chinese = [ok(*c, "--format", "json").stdout for c in (["sales"], ["show", "张伟"], ["due"])]
    assert chinese == english
    assert '"15000.00"' in english[0]
    assert "¥" not in "".join(chinese)
    assert "sale of 15,000.00 CNY on 2026-11-20" in chinese[2]  # the thanks' basis, English
