"""Any terminal (docs/formats.md, "Any terminal"): what is written when standard output cannot
encode a character, and when no escape codes may be written at all.

Python refuses to write a character its stream's encoding lacks (`PYTHONIOENCODING=ascii`, a
legacy console, a C locale), which would end a command half-way. `guard()` gives stdout and
stderr an error handler instead, only when their encoding is not UTF-8:

- text for people (tables, pages, messages, help) gets `?` for each such character, `??` for a
  wide (CJK) one and nothing for a combining mark, so columns stay aligned; the box-drawing
  lines and typographic marks Rich and Typer draw get their ASCII look-alikes (`─` `-`, `│` `|`,
  `╭` `+`, `…` `.`, `“` `"`);
- the machine formats (json, csv, tsv: `machine()` says one is being written) get `\\uXXXX`
  (two of them, a surrogate pair, beyond U+FFFF): in JSON that is the same text once decoded,
  in CSV and TSV it is the escape as written. The first such character adds one line on stderr
  saying so.

`plain()` says whether escape codes are banned: NO_COLOR set (to anything but empty) or
TERM=dumb. Output that is not a terminal never gets them either (output/__init__.py).
"""

import codecs
import contextlib
import os
import sys
import unicodedata
from typing import IO

from clientcard.i18n import N_, _

HANDLER = "clientcard-replace"
NOTE = N_(
    "clientcard: standard output ({encoding}) cannot show every character; those it cannot are "
    "written as \\uXXXX escapes. Set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) for the text "
    "as stored.\n"
)

# One-cell characters Rich and Typer draw, and typographic marks, by their ASCII look-alike.
_LOOK_ALIKES = {
    **dict.fromkeys("─━═╌┄┈⎯", "-"),
    **dict.fromkeys("│┃║╎┆┊", "|"),
    **dict.fromkeys("┌┐└┘├┤┬┴┼╭╮╯╰╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋╞╡╪╘╛╒╕", "+"),
    **dict.fromkeys("\u2018\u2019\u201a\u2032", "'"),  # quotes, prime
    **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),  # double quotes, double prime
    **dict.fromkeys("\u2013\u2014\u2015\u2212", "-"),  # dashes, minus sign
    "\u2026": ".",  # the ellipsis Rich cuts text with: one cell, one character
    "\u2022": "*",  # bullet
    "\u00b7": ".",  # middle dot
    "\u00d7": "x",  # multiplication sign
    "\u00a0": " ",  # no-break space
}


class _State:
    machine = False  # a machine format is being written
    noted = False  # the line on stderr was written


STATE = _State()


def _for_people(char: str) -> str:
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return ""
    return "??" if unicodedata.east_asian_width(char) in ("W", "F") else "?"


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    if STATE.machine:
        if not STATE.noted:
            STATE.noted = True
            _note(exc.encoding)
        return "".join(map(_escaped, bad)), exc.end
    return "".join(map(_for_people, bad)), exc.end


def _note(encoding: str) -> None:
    with contextlib.suppress(Exception):  # stderr itself gone: the output is still right
        sys.stderr.write(_(NOTE).format(encoding=encoding))


def _utf(stream: IO[str]) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig", "utf16", "utf32")


def guard() -> None:
    """Give stdout and stderr the replacing error handler when they are not UTF-8 (nothing to
    do, the everyday case, costs two attribute reads)."""
    STATE.machine = STATE.noted = False
    streams = [s for s in (sys.stdout, sys.stderr) if s is not None and not _utf(s)]
    if not streams:
        return
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _replace)
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):  # a stream that cannot change: left alone
                reconfigure(errors=HANDLER)


def machine() -> None:
    """A machine format is being written: escape what cannot be encoded, and say so once."""
    STATE.machine = True


def plain() -> bool:
    """No escape codes at all, even on a terminal: NO_COLOR (not empty) or TERM=dumb."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
