"""Text for people: what a terminal is given to show (docs/formats.md, "Text for people").

A card's name, a note or a reason can come from anyone (an imported file, a shared book), and a
terminal obeys some characters instead of showing them: ESC starts colour, cursor and title
sequences, and OSC 8 plants a hyperlink; the 8-bit CSI (U+009B) does the same in one character;
a carriage return or backspace overwrites what was printed; the bidi overrides and isolates
reorder the rest of the line. So every piece of text printed for a person passes through
`for_people`, which writes these characters as the escapes of a Python string literal:

- tab, newline and carriage return as `\\t`, `\\n`, `\\r`;
- the other C0 controls, DEL and the C1 controls (U+0080 to U+009F) as `\\xNN` (ESC is `\\x1b`);
- the bidi embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), the line and
  paragraph separators (U+2028, U+2029) and lone surrogates (bytes that were not UTF-8) as
  `\\uNNNN`.

Everything else prints as it is: CJK, emoji (with their joiners and variation selectors),
combining marks, punctuation, and markup-like text such as `[bold]`. A backslash typed by the
user is left alone, so `\\x1b` typed literally looks like an escaped ESC: the aim is a safe and
readable screen, not a reversible encoding (the machine formats carry the exact text).

Pure and cheap: a string that is all printable (nearly every one) is returned after one test.
"""

import re
from collections.abc import Iterable
from functools import cache

# What a one-line value quotes of a bad value at most (docs/exit-codes.md), and the mark left
# where it was cut.
ECHO_LIMIT = 80
ELLIPSIS = "…"
# A path or URL (an argument with a `/`) is worth reading whole in a message (`cannot open the
# database /a/long/path: ...`): it is cut only beyond this, the longest path Linux takes.
PATH_LIMIT = 4_096
# A message longer than this is cut whatever it holds: a value that did not come from the
# command line (a file's line, an environment variable) is still not echoed without bound. Room
# for the longest a message may rightly be: an ambiguous name's ten candidates, each with a name
# and a company of up to 200 characters.
MESSAGE_LIMIT = 6_000

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(code: int) -> str:
    char = chr(code)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_CODES = [
    *range(0x00, 0x20),  # C0: NUL .. US, with BEL, BS, TAB, LF, CR, ESC
    0x7F,  # DEL
    *range(0x80, 0xA0),  # C1, with the 8-bit CSI (0x9B) and OSC (0x9D)
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x2028,  # LINE SEPARATOR: str.splitlines (and some terminals) break the line there
    0x2029,  # PARAGRAPH SEPARATOR
    *range(0xD800, 0xE000),  # lone surrogates: undecodable input, which cannot be printed
]
ESCAPED = frozenset(_CODES)


@cache
def _table(lines: bool) -> dict[int, str]:
    """The str.translate table: for a single line, or for a Rich cell that may hold line breaks.
    Built on first use (some 2,200 entries): most commands print only printable text."""
    return {code: _escape(code) for code in _CODES if not (lines and code == 0x0A)}


def for_people(text: str, *, lines: bool = False) -> str:
    """`text` safe to print on a terminal: control characters, bidi overrides and isolates shown
    as escapes (module docstring). `lines=True` keeps a newline as a line break: for a table's
    cell or a page's value, which Rich lays out inside its column; a line of its own (a
    confirmation, an error) shows it as `\\n`, so a value can never add a line."""
    if text.isprintable():  # every character prints: none of ours (they are all unprintable)
        return text
    return text.translate(_table(lines))


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """At most `limit` characters of `text`, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


def message_for_people(message: str, echoed: Iterable[str] = ()) -> str:
    """An error message as one safe line. Each over-long value in `echoed` (the command's
    arguments) is cut to `ECHO_LIMIT` characters wherever the message quotes it, as typed or as
    its `repr` (a path or URL only beyond `PATH_LIMIT`); the whole line is cut at
    `MESSAGE_LIMIT`."""
    line = for_people(message)
    for value in echoed:
        if len(value) <= ECHO_LIMIT or ("/" in value and len(value) <= PATH_LIMIT):
            continue
        for typed in {value, value.strip()}:
            for form in (for_people(typed), repr(typed)[1:-1]):
                if len(form) > ECHO_LIMIT and form in line:
                    line = line.replace(form, clip(form))
    return clip(line, MESSAGE_LIMIT)


# What JSON may carry raw but a terminal would obey: DEL, the C1 controls, the bidi overrides and
# isolates, the line and paragraph separators, and lone surrogates (which cannot even be written
# as UTF-8). JSON escapes the C0 controls itself.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_escaped(encoded: str) -> str:
    """Encoded JSON with the characters above written as `\\uNNNN`: the same text once
    decoded (they can only stand inside a string), but nothing a terminal obeys."""
    if encoded.isprintable():  # none of them is printable; nearly every row of an export
        return encoded
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
