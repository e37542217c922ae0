"""Money, exactly: amounts typed by people become integer minor units (cents, fen), never floats.

What `sale CLIENT AMOUNT` accepts (docs/sales.md):

* digits with an optional decimal point and at most 2 decimals: `1234`, `1234.5`, `1234.56`;
* thousands grouped by commas or by blanks, in groups of three: `1,234.56`, `12 345`, `1 234.5`
  (one kind of separator per amount). Full-width digits and punctuation (as a Chinese input
  method types them) are read as their ASCII forms.
* The decimal separator is always `.`. A comma is never a decimal comma: `1 234,56` and `12,5`
  are refused rather than guessed (is `1,234` one thousand two hundred and thirty-four, or one
  and a bit?). Likewise more than 2 decimals is refused, never rounded: `1.000` may be a
  European thousand.
* The amount must be above 0 and at most MAX_MINOR minor units. No sign, no currency
  symbol, no exponent, no NaN or Infinity.

For people an amount is written with thousands commas and 2 decimals (`12,345.60 CNY`, and in
the Chinese interface `¥12,345.60`: format_money); for
machines as a plain decimal string (`"12345.60"`), never a JSON number, so no reader turns it
into a float.
"""

import re
import unicodedata

from clientcard.domain.errors import InvalidValue
from clientcard.i18n import N_, _
from clientcard.i18n import language as interface_language

MINOR_PER_MAJOR = 100
DECIMALS = 2
# The largest single amount: 999,999,999,999.99. Far below the 64-bit column's limit, so that
# even the sum of a great many sales (and 1000 x that sum, the largest lifetime value) fits.
MAX_MINOR = 10**14 - 1

# Translated where shown: the Chinese catalog gives Chinese examples (1.5万, 一万五, 1500元).
ACCEPTED = N_(
    "a number above 0 with at most 2 decimals, e.g. 1234, 1234.5, 1,234.56 or 1 234.56; "
    "also 1.5万, 2千, 3k, 1.2w, 一万五, ¥1,500, 1500元 or CNY 1500"
)

# The integer part: plain digits, or groups of three after 1-3 leading digits, separated by one
# kind of separator (a comma, or a blank) throughout.
_AMOUNT = re.compile(
    r"(?P<int>\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+)(?:\.(?P<frac>\d+))?", re.ASCII
)
# A multiplier after the number: 1.5万 is 15000, 3k is 3000, 2亿 is 200000000.
_MULTIPLIERS = {"k": 3, "千": 3, "w": 4, "万": 4, "百万": 6, "千万": 7, "亿": 8, "百": 2}
_MULTIPLIER = re.compile(r"(?P<num>.*?)\s*(?P<mult>千万|百万|万|千|百|亿|k|w)", re.IGNORECASE)
# A currency before or after the number (after NFKC, ￥ is ¥): the currencies each names.
_YUAN = frozenset({"CNY"})
_YUAN_CODES = frozenset({"CNY", "RMB"})  # a book's currency that is the yuan
_SIGNS = {"¥": frozenset({"CNY", "JPY"}), "$": frozenset({"USD"}), "€": frozenset({"EUR"})}
_SIGNS["£"] = frozenset({"GBP"})
_WORDS = {"元": _YUAN, "元整": _YUAN, "块": _YUAN, "块钱": _YUAN, "人民币": _YUAN, "rmb": _YUAN}
_FOREIGN = {"美元": "USD", "美金": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD"}
_FOREIGN.update({"港币": "HKD", "英镑": "GBP"})
_WORDS.update({word: frozenset({code}) for word, code in _FOREIGN.items()})
_BEFORE = re.compile(r"(?P<mark>[¥$€£]|rmb|人民币|[a-z]{3}(?![a-z]))\s*(?P<rest>.+)", re.I)
_AFTER = re.compile(
    r"(?P<rest>.+?)\s*(?P<mark>美元|美金|欧元|日元|港元|港币|英镑|元整|元|块钱|块|人民币|rmb|(?<![a-z])[a-z]{3})",
    re.I,
)
_CHINESE_AMOUNT = re.compile(r"[0-9\u3007零一二两三四五六七八九十百千万亿]+")
# 一点五万, 1点5万, 十二点五, 一万二千三百四十五点六七: a Chinese decimal point (点), its decimals
# digit by digit, and an optional multiplier, as 1.5万 (not after a whole part with 万 or 亿).
_CHINESE_POINT = re.compile(
    r"(?P<int>[0-9\u3007零一二两三四五六七八九十百千万亿]+)点"
    r"(?P<frac>[0-9\u3007零一二三四五六七八九]+)(?P<mult>千万|百万|万|千|百|亿)?"
)
# A run of digits straight after a unit (1万5, 1万5000, 3千500): one digit counts in the next
# lower unit, as people say it (1万5 is 15,000); all of the unit's places are as written
# (1万5000). Fewer (1万50: 10,050, or 1.50万?) is ambiguous and refused.
_PLACES = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
_RUN_AFTER_UNIT = re.compile(r"(?P<unit>[十百千万亿])(?P<run>[0-9]+)$")
_MAX_DIGITS = 40  # far more digits than the largest amount has


class _Unreadable(Exception):
    """Internal: the text is not an amount at all."""


def _refuse(text: str, message: str, **values: object) -> InvalidValue:
    return InvalidValue(message.format(text=repr(text), accepted=_(ACCEPTED), **values))


def _currencies(mark: str) -> frozenset[str]:
    lower = mark.lower()
    if mark in _SIGNS:
        return _SIGNS[mark]
    if lower in _WORDS:
        return _WORDS[lower]
    code = mark.upper()
    return _YUAN if code == "CNY" else frozenset({code})


def _strip_currency(cleaned: str) -> tuple[str, list[str]]:
    """The number without its currency marks, and the marks (¥1,500元 has two)."""
    marks = []
    before = _BEFORE.fullmatch(cleaned)
    if before is not None:
        marks.append(before["mark"])
        cleaned = before["rest"]
    after = _AFTER.fullmatch(cleaned)
    if after is not None:
        marks.append(after["mark"])
        cleaned = after["rest"]
    return cleaned.strip(), marks


def _minor(number: str, text: str) -> int:
    """`number` (digits, a multiplier, or a Chinese numeral) in minor units, exactly."""
    exponent = 0
    match = _AMOUNT.fullmatch(number)
    if match is None:
        multiplied = _MULTIPLIER.fullmatch(number)
        if multiplied is not None:
            match = _AMOUNT.fullmatch(multiplied["num"])
            exponent = _MULTIPLIERS[multiplied["mult"].lower()]
    if match is None:
        return _chinese_minor(number, text)
    frac = match["frac"] or ""
    if len(frac) > DECIMALS and not exponent:
        raise _refuse(
            text,
            _("amount {text} has more than {decimals} decimals; give {accepted}"),
            decimals=DECIMALS,
        )
    digits = match["int"].replace(",", "").replace(" ", "") + frac
    if len(digits) > _MAX_DIGITS:
        raise _Unreadable
    shift = exponent + DECIMALS - len(frac)  # 1.5万: 15 x 10^(4 + 2 - 1) fen
    if shift >= 0:
        return int(digits) * int(10**shift)
    minor, rest = divmod(int(digits), int(10**-shift))
    if rest:  # 1.2345678万 is 12345.678: a fraction of a fen
        raise _refuse(
            text,
            _("amount {text} has more than {decimals} decimals; give {accepted}"),
            decimals=DECIMALS,
        )
    return minor


def _chinese_minor(number: str, text: str) -> int:
    """一万五, 两千, 三百五十, 1万5千: whole units of the currency; 一点五万: a decimal."""
    from clientcard.domain.numerals import DIGITS, read_number

    point = _CHINESE_POINT.fullmatch(number)
    if point is not None:
        whole = read_number(point["int"])
        if whole is None or (point["mult"] and any(c in "万亿" for c in point["int"])):
            raise _Unreadable
        frac = "".join(str(DIGITS.get(c, c)) for c in point["frac"])
        exponent = _MULTIPLIERS[point["mult"]] if point["mult"] else 0
        return _exact(whole * 10 ** len(frac) + int(frac), exponent - len(frac), text)
    if number.isascii() or not _CHINESE_AMOUNT.fullmatch(number):
        raise _Unreadable
    run = _RUN_AFTER_UNIT.search(number)
    if run is not None and len(run["run"]) not in (1, _PLACES[run["unit"]]):
        if len(run["run"]) > _PLACES[run["unit"]]:
            raise _Unreadable
        head = read_number(number[: run.start("run")])
        if head is None:
            raise _Unreadable
        places = _PLACES[run["unit"]]
        raise _refuse(
            text,
            _(
                "amount {text} is ambiguous: {literal} or {spoken}? write {literal_digits} "
                "or {spoken_digits}; give {accepted}"
            ),
            literal=format_amount((head + int(run["run"])) * MINOR_PER_MAJOR),
            spoken=format_amount(
                (head + int(run["run"]) * 10 ** (places - len(run["run"]))) * MINOR_PER_MAJOR
            ),
            literal_digits=str(head + int(run["run"])),
            spoken_digits=str(head + int(run["run"]) * 10 ** (places - len(run["run"]))),
        )
    value = read_number(number)
    if value is None:
        raise _Unreadable
    return value * MINOR_PER_MAJOR


def _exact(digits: int, exponent: int, text: str) -> int:
    """`digits` x 10^`exponent` major units in minor units, exactly; refused below a fen."""
    shift = exponent + DECIMALS
    if shift >= 0:
        return digits * int(10**shift)
    minor, rest = divmod(digits, int(10**-shift))
    if rest:
        raise _refuse(
            text,
            _("amount {text} has more than {decimals} decimals; give {accepted}"),
            decimals=DECIMALS,
        )
    return minor


def parse_amount(text: str, currency: str | None = None) -> int:
    """The amount `text` in minor units: `1,234.5` -> 123450, `1.5万` -> 1500000. InvalidValue
    otherwise. A currency typed with it (¥ ￥ 元 RMB CNY, or a code) must be `currency`, the
    book's, when it is given: amounts are never converted."""
    # NFKC folds full-width digits, commas and points, and no-break and thin spaces, to ASCII.
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise InvalidValue(_("an amount is needed; give {accepted}").format(accepted=_(ACCEPTED)))
    negative = cleaned.startswith("-")
    number, marks = _strip_currency(cleaned[1:].strip() if negative else cleaned)
    if number.startswith("-") and not negative:
        negative, number = True, number[1:].strip()
    try:
        minor = _minor(number, text)
    except _Unreadable:
        if re.fullmatch(r"[\d, ]*\d,\d{1,2}\s*(?:千万|百万|万|千|百|亿|k|w)?", number, re.I | re.A):
            raise _refuse(text, _("amount {text} has a decimal comma; give {accepted}")) from None
        raise _refuse(text, _("cannot read {text} as an amount; give {accepted}")) from None
    if negative:
        raise _refuse(text, _("amount {text} is negative; give {accepted}"))
    book = _YUAN if currency is not None and currency.upper() == "RMB" else None
    for mark in marks:
        named = _currencies(mark)
        if currency is not None and currency.upper() not in named and not (book and named & book):
            raise _refuse(
                text,
                _(
                    "amount {text} is in {given}, but this book's amounts are in {currency} "
                    "and are never converted; give it in {currency} or without a currency"
                ),
                given="/".join(sorted(named)),
                currency=currency,
            )
    if minor <= 0:
        raise _refuse(text, _("amount {text} is not above 0; give {accepted}"))
    if minor > MAX_MINOR:
        raise _refuse(
            text,
            _("amount {text} is above the largest amount, {largest}; give {accepted}"),
            largest=format_amount(MAX_MINOR),
        )
    return minor


def _split(minor: int) -> tuple[str, int, int]:
    sign = "-" if minor < 0 else ""
    major, cents = divmod(abs(minor), MINOR_PER_MAJOR)
    return sign, major, cents


def format_amount(minor: int) -> str:
    """For people: thousands commas and 2 decimals, `1234560` -> `12,345.60`."""
    sign, major, cents = _split(minor)
    return f"{sign}{major:,}.{cents:02d}"


def format_money(minor: int, currency: str, language: str | None = None) -> str:
    """For people, in `language` (default: the interface's): `12,345.60 CNY`; in Chinese, yuan
    as Chinese invoices and shops print them, `¥12,345.60` (every fen kept, the same digits as
    the tables' Amount column). Other currencies keep their code: `12,345.60 USD`."""
    if language is None:
        language = interface_language()
    if language == "zh" and currency.upper() in _YUAN_CODES:
        sign, major, cents = _split(minor)
        return f"{sign}¥{major:,}.{cents:02d}"
    return f"{format_amount(minor)} {currency}"


def machine_amount(minor: int) -> str:
    """For machines: a plain decimal string, `1234560` -> `"12345.60"` (JSON never gets a
    float)."""
    sign, major, cents = _split(minor)
    return f"{sign}{major}.{cents:02d}"
