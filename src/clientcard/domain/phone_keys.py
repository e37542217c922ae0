"""A phone number's key: how duplicates are compared and a card is found by any of its numbers.

The key is the number's E.164 digits (country calling code and national number, no `+`), as
Google's libphonenumber (the `phonenumbers` library) reads the number typed in the region of
the `phone.region` setting (CN unless set): `138 0013 8000`, `+86 138-0013-8000` and
`0086 13800138000` are all `8613800138000`; `010-6552 1234` is `861065521234`. It follows the
library's rules step for step (international prefix of the region, country calling code,
national prefix and carrier codes, possible lengths) from a table generated from its metadata
(domain/phone_regions.py), because importing the library costs more start-up than a hot
command has (docs/performance.md). tests/test_phone_region.py checks the two agree.

Where the key differs from the library, by design (docs/formats.md, "Phone numbers"):
- an extension (`ext. 8001`, `x8001`, `#8001`, and the Chinese `转 8001`, `分机 8001`) is kept
  in the key after an `x`, `861065521234x8001`: two people behind one switchboard are not one
  number;
- a number written with letters (`1-800-FLOWERS`, `138 0013 8000 张总`) has no key: the
  library turns letters into digits, which is right for a vanity number and wrong for a name;
- text the library refuses but that holds digits (too short, an unknown calling code) still
  has a key, its digits with the calling code, so an internal `8001` matches itself.
"""

import re
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clientcard.domain.phone_regions import Plan

DEFAULT_REGION = "CN"

# An extension at the end of a number (libphonenumber's markers, and the Chinese ones).
_EXTENSION = re.compile(
    r"(?:;ext=|[\s,]*(?:e?xtn?(?:ension|ensión)?|доб|anexo|x|#|~|int|转|轉|分机|分機|内线|內線)"
    r"[:.]?[\s,-]*|\s*(?:,,|;)[:.]?[\s,-]*|\s*,+[:.]?[\s,-]*)(\d{1,20})#?$",
    re.IGNORECASE,
)
# What a number may hold besides digits: blanks, dashes, dots, slashes, brackets; a + first.
_PUNCTUATION = re.compile(r"\+?[\s\-\u2010-\u2015\u2212.()\[\]/\d]*")
_TOO_SHORT, _POSSIBLE, _LOCAL_ONLY, _INVALID_LENGTH, _TOO_LONG = range(5)


@cache
def _plan(region: str) -> "Plan | None":
    from clientcard.domain.phone_regions import REGIONS

    return REGIONS.get(region)


@cache
def _main_plan(code: str) -> "Plan | None":
    from clientcard.domain.phone_regions import MAIN_REGION, REGIONS

    main = MAIN_REGION.get(code)
    return REGIONS[main] if main else None


def known_region(region: str) -> bool:
    """Whether `region` (upper case) is a region the numbering plans know: `CN`, `HK`, `US`."""
    return region.isalpha() and _plan(region) is not None


def _length(number: str, plan: "Plan") -> int:
    lengths, local = plan[5], plan[6]
    if len(number) in local:
        return _LOCAL_ONLY
    if not lengths or len(number) < lengths[0]:
        return _TOO_SHORT
    if len(number) > lengths[-1]:
        return _TOO_LONG
    return _POSSIBLE if len(number) in lengths else _INVALID_LENGTH


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _strip_prefix(number: str, plan: "Plan") -> str:
    """The number without its national prefix (and carrier code), when the plan has one and
    what is left is still a number of the plan (libphonenumber's
    maybe_strip_national_prefix_and_carrier_code)."""
    prefix, transform, whole = plan[2], plan[3], plan[4]
    if not number or not prefix:
        return number
    pattern = _regex(prefix)
    match = pattern.match(number)
    if match is None:
        return number
    viable = _regex(whole).fullmatch(number) is not None
    groups = match.groups()
    if not transform or not groups or groups[-1] is None:
        stripped = number[match.end() :]
    else:
        stripped = pattern.sub(transform, number, count=1)
    if viable and _regex(whole).fullmatch(stripped) is None:
        return number
    return stripped


def _national(number: str, plan: "Plan") -> str:
    """The national significant number: the prefix taken off only when what is left has a
    possible length (else the number may be a short one, kept whole)."""
    stripped = _strip_prefix(number, plan)
    if _length(stripped, plan) in (_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH):
        return number
    return stripped


def _split_code(digits: str) -> tuple[str, str] | None:
    """A known country calling code (1 to 3 digits, none a prefix of another) and the rest."""
    for size in (1, 2, 3):
        if _main_plan(digits[:size]) is not None:
            return digits[:size], digits[size:]
    return None


_NOT_DIGIT = re.compile(r"\D+")


def _digits(text: str) -> str:
    """The digits of the text, of any script (NFKC has made full-width ones ASCII)."""
    digits = _NOT_DIGIT.sub("", text)
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(d)) for d in digits)


# More numbers than an import's chunk of rows holds (services/bringin CHUNK, 5,000): an import
# keys each number when it builds the card, then when the chunk is compared and inserted.
# About 3 MB when full.
CACHED_KEYS = 16_384


@lru_cache(maxsize=CACHED_KEYS)
def phone_key(phone: str | None, region: str = DEFAULT_REGION) -> str | None:
    """The key of a phone number typed in `region` (module docstring): its E.164 digits, then
    `x` and the extension if it has one. None when the text has no digits or has letters.
    (Cached: `add` and `import` key a number several times, in its card's checks.)"""
    if not phone:
        return None
    text = unicodedata.normalize("NFKC", phone).strip()
    extension = ""
    if not _PUNCTUATION.fullmatch(text):
        found = _EXTENSION.search(text)
        if found is None or not any(ch.isdigit() for ch in text[: found.start()]):
            return None
        extension, text = "x" + found.group(1), text[: found.start()]
        if not _PUNCTUATION.fullmatch(text):
            return None
    digits = _digits(text)
    if not digits:
        return None
    plan = _plan(region) or _plan(DEFAULT_REGION)
    assert plan is not None
    code, rest = _calling_code(text, digits, plan)
    if code is None:
        return digits + extension  # an unknown calling code: the digits as typed
    if rest is None:  # a national number: the region's own rules (CA's, GG's...)
        return code + _national(digits, plan) + extension
    main = _main_plan(code)  # a number with its code: the rules of that code's main region
    assert main is not None
    return code + _national(rest, main) + extension


def _calling_code(text: str, digits: str, plan: "Plan") -> tuple[str | None, str | None]:
    """The number's country calling code and what follows it: after a `+`, or the region's
    international prefix (`00`, `011`...), the code typed (None, when no code is known); a
    number that starts with the region's own code and is too long without it, or only whole
    without it, is read as that code; any other number is national: the region's code and
    None."""
    plus = text.startswith("+")
    if plus:
        split = _split_code(digits)
        if split:
            return split
        # No code after the +: libphonenumber reads the digits again without it, and refuses
        # them if they hold no code then either.
    if plan[1]:
        idd = _regex(plan[1]).match(digits)
        if idd is not None and digits[idd.end() : idd.end() + 1] not in ("0", ""):
            split = _split_code(digits[idd.end() :])
            return split if split else (None, None)
    code, whole = plan[0], _regex(plan[4])
    if digits.startswith(code):
        rest = _strip_prefix(digits[len(code) :], plan)
        too_long = _length(digits, plan) == _TOO_LONG
        if too_long or (whole.fullmatch(digits) is None and whole.fullmatch(rest) is not None):
            return code, rest
    return (None, None) if plus else (code, None)
