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

For people an amount is written with thousands commas and 2 decimals (`12,345.60 CNY`); for
machines as a plain decimal string (`"12345.60"`), never a JSON number, so no reader turns it
into a float.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from clientcard.domain.errors import InvalidValue

MINOR_PER_MAJOR = 100
DECIMALS = 2
# The largest single amount: 999,999,999,999.99. Far below the 64-bit column's limit, so that
# even the sum of a great many sales (and 1000 x that sum, the largest lifetime value) fits.
MAX_MINOR = 10**14 - 1

ACCEPTED = "a number above 0 with at most 2 decimals, e.g. 1234, 1234.5, 1,234.56 or 1 234.56"

# The integer part: plain digits, or groups of three after 1-3 leading digits, separated by one
# kind of separator (a comma, or a blank) throughout.
_AMOUNT = re.compile(
    r"(?P<int>\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+)(?:\.(?P<frac>\d+))?", re.ASCII
)


def _refuse(text: str, problem: str) -> InvalidValue:
    return InvalidValue(f"amount {text!r} {problem}; give {ACCEPTED}")


def parse_amount(text: str) -> int:
    """The amount `text` in minor units: `1,234.5` -> 123450. InvalidValue otherwise."""
    # NFKC folds full-width digits, commas and points, and no-break and thin spaces, to ASCII.
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise InvalidValue(f"an amount is needed; give {ACCEPTED}")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        if cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:].strip()):
            raise _refuse(text, "is negative")
        if re.fullmatch(r"[\d, ]*\d,\d{1,2}", cleaned, re.ASCII):
            raise _refuse(text, "has a decimal comma")
        raise InvalidValue(f"cannot read {text!r} as an amount; give {ACCEPTED}")
    frac = match["frac"] or ""
    if len(frac) > DECIMALS:
        raise _refuse(text, f"has more than {DECIMALS} decimals")
    try:
        value = Decimal(match["int"].replace(",", "").replace(" ", "") + "." + (frac or "0"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidValue(f"cannot read {text!r} as an amount; give {ACCEPTED}") from None
    minor = int(value * MINOR_PER_MAJOR)
    if minor <= 0:
        raise _refuse(text, "is not above 0")
    if minor > MAX_MINOR:
        raise _refuse(text, f"is above the largest amount, {format_amount(MAX_MINOR)}")
    return minor


def _split(minor: int) -> tuple[str, int, int]:
    sign = "-" if minor < 0 else ""
    major, cents = divmod(abs(minor), MINOR_PER_MAJOR)
    return sign, major, cents


def format_amount(minor: int) -> str:
    """For people: thousands commas and 2 decimals, `1234560` -> `12,345.60`."""
    sign, major, cents = _split(minor)
    return f"{sign}{major:,}.{cents:02d}"


def format_money(minor: int, currency: str) -> str:
    """For people, with the currency code: `12,345.60 CNY`."""
    return f"{format_amount(minor)} {currency}"


def machine_amount(minor: int) -> str:
    """For machines: a plain decimal string, `1234560` -> `"12345.60"` (JSON never gets a
    float)."""
    sign, major, cents = _split(minor)
    return f"{sign}{major}.{cents:02d}"
