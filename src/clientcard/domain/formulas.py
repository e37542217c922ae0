"""Spreadsheet formulas in CSV and TSV (docs/formats.md, "Opening CSV and TSV in a spreadsheet").

A cell a spreadsheet would run as a formula is written with a `'` in front (`neutral`, used by
output's CSV and TSV writers), and `import` reads such a cell back to the text it was
(`restore`): the two rules stand here side by side, so that the round trip stays lossless.
"""

import re

# A cell that begins with one of these is read by a spreadsheet as a formula (OWASP, "CSV
# injection"): `=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(1)`, `-1+1`, or those behind a tab
# or carriage return.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# The first characters `neutral` looks further at: a trigger, or the `'` it adds.
_LOOK_FURTHER = FORMULA_TRIGGERS | {"'"}
# Cells left as they are although they begin with `+` or `-`: a plain number (`-12.50`, an
# amount) or a phone number (`+86 138 0000 0000`, `+44 (0)20 7946-0000`), which a spreadsheet
# reads as a number at most. A `+` after the first character (`-1+1`, `+1+1`) is arithmetic, so
# it is not one; a leading `-` is followed by a plain number only, `-1-1` being arithmetic too.
_is_number = re.compile(r"-[0-9]+(?:\.[0-9]+)?|\+[0-9 ().-]*[0-9][0-9 ().-]*").fullmatch


def neutral(text: str) -> str:
    """A cell as csv and tsv write it: with a `'` in front when it begins with a formula
    trigger and is not a plain number or phone number, or when it already begins with `'`s
    followed by a trigger (so that reading back drops exactly one `'`: lossless)."""
    first = text[:1]
    if first not in _LOOK_FURTHER:
        return text
    if first == "'":
        return "'" + text if text.lstrip("'")[:1] in FORMULA_TRIGGERS else text
    return text if _is_number(text) else "'" + text


def restore(text: str) -> str:
    """A cell as it was before `neutral` guarded it: a `'` dropped from the front of a cell
    that begins with `'`s followed by a formula trigger (`'=1+1` is `=1+1`, `''=x` is `'=x`);
    any other cell as it is. Lossless for what `list` and `export` write."""
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
