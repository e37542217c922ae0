"""Chinese numerals, read by hand: the closed set a date or an amount uses (issue 18).

`read_number("二十三") == 23`, `read_number("两万") == 20000`, `read_number("二零二六") == 2026`.
Digits U+3007 (the circle zero) 零 一 二 两 三 四 五 六 七 八 九 (and 0-9 runs), units 十 百
千, and the big units 万 亿.
A digit straight after a unit counts in the next lower unit, as people say amounts: 一万五 is
15000, 三千五 is 3500, 十一 is 11 (二百零五 is 205: after 零 a digit counts ones). Digits with no
unit at all are read one by one, as years are written (二零二六). No library: the set is small,
and a date or an amount is read in the hot commands (docs/performance.md).
"""

DIGITS = {
    "\u3007": 0,  # the circle zero of 二〇二六
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
# Every character a Chinese number may contain (for regular expressions).
CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_MAX_DIGITS = 20  # a run of arabic digits longer than any date or amount


def read_number(text: str) -> int | None:
    """The integer `text` writes in Chinese numerals (arabic digit runs allowed among them:
    1万5千), or None if it is not a well-formed number."""
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() and len(text) <= _MAX_DIGITS else None
    if not any(c in SMALL_UNITS or c in BIG_UNITS for c in text):
        if len(text) == 1:
            return DIGITS.get(text)
        if len(text) <= _MAX_DIGITS and "两" not in text and all(c in DIGITS for c in text):
            return int("".join(str(DIGITS[c]) for c in text))
        return None
    return _positional(text)


def _positional(text: str) -> int | None:
    total = 0  # finished 亿/万 groups
    section = 0  # the group being read (below 万)
    digit: int | None = None  # a digit waiting for its unit
    last_small = 10**5  # the last small unit read in this section (they must decrease)
    last_big = 10**9  # the last big unit read (they must decrease, 亿 before 万)
    after_zero = False
    i = 0
    while i < len(text):
        c = text[i]
        if c.isascii() and c.isdigit():
            j = i
            while j < len(text) and text[j].isascii() and text[j].isdigit():
                j += 1
            if digit is not None or j - i > _MAX_DIGITS:
                return None
            digit = int(text[i:j])
            i = j
            continue
        if c in DIGITS:
            if digit is not None:
                return None
            digit = DIGITS[c]
            if digit == 0:
                after_zero = True
                digit = None
        elif c in SMALL_UNITS:
            unit = SMALL_UNITS[c]
            if unit >= last_small:
                return None
            if digit is None and (section or total or after_zero) and unit != 10:
                return None  # 百 with no digit, except at the start (十 = 10)
            section += (1 if digit is None else digit) * unit
            digit, last_small, after_zero = None, unit, False
        elif c in BIG_UNITS:
            unit = BIG_UNITS[c]
            if unit >= last_big:
                return None
            section += digit or 0
            if section == 0:
                return None
            total = (total + section) * unit if unit == 10**8 else total + section * unit
            section, digit, last_small, last_big, after_zero = 0, None, 10**5, unit, False
        else:
            return None
        i += 1
    if digit is not None:
        if after_zero or digit >= 10:
            section += digit
        elif last_small < 10**5:
            section += digit * (last_small // 10)  # 一万五 is not 10005: 三千五 is 3500
        elif last_big < 10**9:
            section += digit * (last_big // 10)  # 一万五: 5 thousands
        else:
            section += digit
    return total + section
