"""Reading vCard files (`.vcf`, `.vcard`): bytes in, cards out. Pure, no I/O.

`read_cards(data)` yields one `VCard` per `BEGIN:VCARD ... END:VCARD`, with what a client card
takes (name, company, title, phones and e-mails with labels, address, notes, tags, birthday,
anniversaries) and what it found odd (`warnings`). A file that is not vCard at all (text outside
a card, a card that never ends, `BEGIN:VCAR`) raises one InvalidValue naming the line.

Why a reader of our own, not `vobject`
--------------------------------------
Measured on the 21 real vCard files of tests/realdata/ (exports of Android, iOS, Outlook, Gmail,
Evolution, BlackBerry, Windows Mobile and Japanese feature phones): vobject 0.9.9 (and its
unreleased 1.0) raises ParseError on 6 of the 20 good ones as they are -- every quoted-printable
soft line break (Android, Outlook), CR CR LF line ends with a photo (iOS), `#` comment lines --
and cannot read 2 more (Shift_JIS bytes) at all; with a clean-up pass in front it still fails
two (Android 2.1's base64 photo, the `#` continuation of a soft break: the probe in
tests/realdata/SOURCES.txt), and it silently cuts Gmail's `FN:Mr. John Richter, James Doe Sr.`
at the unescaped comma (and reads 2.1's `FN:A;B\\C\\;D:E\\\\` by 3.0's rules). It is also slow:
15 s for 28,000 cards (10.6 MB, two phones, an e-mail, an address and a note each), before any
of our work, where the whole import has 10 s; this module reads them in 1.5 to 1.8 s of CPU.
What would be left of vobject after a clean-up pass good enough for these files is a line
splitter and a parameter parser, about what this module is; so it reads the text itself,
tolerantly, in one pass.
The tests use vobject only to check that what `export --format vcard` writes is standard.

The rules, in the order they apply
----------------------------------
- Text: the file is read as UTF-8; bytes that are not UTF-8 are kept as they are and each value
  holding some is decoded on its own: as UTF-8, then as its CHARSET parameter says (GB2312,
  GBK, GB18030, Shift_JIS, Big5...), then as the `encoding` given (`import --encoding`), then as
  GB18030, Shift_JIS, Big5, and at last Latin-1 (never fails). A UTF-8 byte order mark is
  dropped; a file that begins with a UTF-16 one is read as UTF-16 (Windows' "Unicode").
- Lines end at LF, CR LF, CR CR LF (iOS) or a lone CR; line numbers count those ends.
- A line beginning with a blank continues the one before, without that one blank (folding, in
  any version, also in the middle of a word or a number). A quoted-printable value ending in `=`
  continues on the next line whatever that line starts with, even `#` (a soft line break).
  Otherwise a line starting with `#` is a comment, and blank lines are skipped.
- After a base64 property (PHOTO, LOGO, SOUND, KEY), lines without a colon are its data (vCard
  2.1 writes them unindented and ends them with a blank line); the data is never decoded.
- `group.NAME;PARAM=a,b;BARE:value`, names and parameters in any case; a colon inside a quoted
  parameter value does not end the name. A line without a colon is junk, skipped with a warning.
- Quoted-printable values (ENCODING=QUOTED-PRINTABLE or a bare QUOTED-PRINTABLE) are decoded
  to bytes, then to text as above; their CR LF become line breaks.
- Escapes. vCard 3.0 and 4.0: `\\n` `\\N` is a line break, `\\` followed by any other character
  is that character (so Gmail's `http\\://` is `http://`). vCard 2.1, as Android reads it: a
  text value is taken literally (`FN:A;B\\C\\;D:E\\\\` is the name `A;B\\C\\;D:E\\\\`); in a value
  of parts (N, ADR, ORG) only `\\;` is escaped, a `;` inside a part.
- The name is FN; else N, put together as `import` does columns (张 + 伟 = 张伟, John + Doe =
  "John Doe"); else the organisation, the nickname, the first e-mail or the first phone, with a
  warning; a card with none of these has no name (the caller refuses it, by line). Gmail writes
  FN with an unescaped comma: FN is one value, never split, so the name is whole.
- Single properties (FN, N, TITLE, BDAY...): the first one counts (so a second N, vCard 4.0's
  other representation of one name under the same ALTID, is ignored). NOTEs are joined; a
  second, different ORG goes to the notes.
- ORG `Company;Department;...`: the company is the first part; the departments go to the notes
  as `Department: ...` (the company stays what duplicates are matched on).
- TEL and EMAIL labels: a grouped `itemN.X-ABLabel` wins (Apple's `_$!<Mobile>!$_` read as
  `mobile`, its other labels in lower case, words split: `AssistantPhone` -> `assistant phone`;
  any other text as written); else the TYPE (or 2.1's bare types): FAX -> fax, CELL, MOBILE,
  IPHONE -> mobile, PAGER -> pager, WORK -> work, HOME -> home, OTHER -> other; VOICE, PREF,
  INTERNET and vendor types give no label. PREF ones (TYPE=PREF, PREF=1) come first: the first
  is the card's main one. `TEL;VALUE=URI:tel:+86...` loses its `tel:`.
- ADR: the first is the card's address, others go to the notes. Parts are joined
  largest-first without blanks when the address is Chinese, Japanese or Korean
  (`东京都...26-1`, then the postcode), else "street, locality, region postcode, country";
  line breaks inside parts become ", ". LABEL (2.1's printed address) only when there is no ADR.
- A value said to be UTF-8 (CHARSET=UTF-8) with a stray byte that is not keeps U+FFFD for it.
- BDAY: `1980-03-22`, `19800322`, a date-time's date, yearless `--0415` / `--04-15`, Apple's
  year 1604 (or X-APPLE-OMIT-YEAR) as no year, and what a sheet's birthday column takes
  (`1975-3-22`, `1975/3/22`, `1975年3月22日`: import_headers.birthday_parts); anything else (`circa
  1800`) is a warning and a `Birthday: circa 1800` line in the notes, not an occasion. An EMAIL
  that is no address likewise (`E-mail: ...`). Anniversaries: ANNIVERSARY, X-ANNIVERSARY,
  X-MS-ANNIVERSARY, X-EVOLUTION-ANNIVERSARY, and `itemN.X-ABDATE` labelled
  `_$!<Anniversary>!$_`; other X-ABDATEs go to the notes.
- CATEGORIES -> tags (split at commas; blanks inside a tag become `-`); Android's and Google's
  system group "My Contacts" is dropped.
- Kept in the notes as `Label: value` lines: URLs, nicknames (when not the name), related names
  (X-ABRELATEDNAMES with their label, X-EVOLUTION-SPOUSE, X-MS-MANAGER...), ROLE, IM addresses,
  departments, second addresses. Ignored: PHOTO, LOGO, SOUND, KEY, GEO, UID, REV, PRODID,
  X-AB*/X-MS-*/X-EVOLUTION-* bookkeeping, AGENT.
- `X-CLIENTCARD-GRADE` (what `export --format vcard` writes) is the card's grade.
"""

import binascii
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from clientcard.domain.cards import clean_email
from clientcard.domain.errors import InvalidValue
from clientcard.domain.import_headers import birthday_parts, full_name, real_day, split_tags
from clientcard.i18n import N_, _

YMD = tuple[int | None, int, int]

_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# Charsets to try on bytes that are not UTF-8 when the value's own CHARSET fails (or is absent).
_FALLBACKS = ("gb18030", "shift_jis", "big5", "latin-1")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SURROGATE = re.compile("[\udc80-\udcff]")
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?")
_YEARLESS = re.compile(r"--(\d{2})-?(\d{2})")
_APPLE = re.compile(r"_\$!<(.*)>!\$_")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# What a label may not hold (domain.cards.split_label): digits, colons, ;, + and @.
_NOT_IN_LABEL = re.compile("[\\d:\uff1a;+@]")
_ANNIVERSARIES = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
)
# Related people kept in the notes, by the label they get there.
_RELATED = {
    "X-EVOLUTION-SPOUSE": "Spouse",
    "X-MS-SPOUSE": "Spouse",
    "X-SPOUSE": "Spouse",
    "X-EVOLUTION-MANAGER": "Manager",
    "X-MS-MANAGER": "Manager",
    "X-MANAGER": "Manager",
    "X-EVOLUTION-ASSISTANT": "Assistant",
    "X-MS-ASSISTANT": "Assistant",
    "X-ASSISTANT": "Assistant",
}
_IM = frozenset(
    {"IMPP", "X-AIM", "X-ICQ", "X-JABBER", "X-MSN", "X-YAHOO", "X-SKYPE", "X-QQ", "X-WECHAT"}
    | {"X-MS-IMADDRESS", "X-GOOGLE-TALK", "X-SKYPE-USERNAME"}
)
# Every property a card takes something from.
_READ = frozenset(
    {"FN", "N", "NICKNAME", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "LABEL", "NOTE", "CATEGORIES"}
    | {"BDAY", "X-ABDATE", "X-ABRELATEDNAMES", "RELATED", "URL", "ROLE", "X-CLIENTCARD-GRADE"}
    | _ANNIVERSARIES
    | _RELATED.keys()
    | _IM
)
_SYSTEM_GROUPS = frozenset({"my contacts", "starred in android"})
_PHONE_TYPES = (  # the first type found gives the label
    ("FAX", "fax"),
    ("CELL", "mobile"),
    ("MOBILE", "mobile"),
    ("IPHONE", "mobile"),
    ("PAGER", "pager"),
    ("WORK", "work"),
    ("HOME", "home"),
    ("OTHER", "other"),
)
_EMAIL_TYPES = (("WORK", "work"), ("HOME", "home"), ("OTHER", "other"))
_APPLE_LABELS = {
    "mobile": "mobile",
    "iphone": "mobile",
    "home": "home",
    "work": "work",
    "other": "other",
    "homefax": "fax",
    "workfax": "fax",
    "otherfax": "fax",
    "pager": "pager",
    "main": "main",
}


@dataclass
class VCard:
    """One card as read: what a client card takes, and what the reader found odd."""

    line: int  # where BEGIN:VCARD is
    version: str = ""
    name: str | None = None  # None: nothing to name it by (refused by the caller)
    company: str | None = None
    title: str | None = None
    phones: list[tuple[str | None, str]] = field(default_factory=list)  # (label, number)
    emails: list[tuple[str | None, str]] = field(default_factory=list)
    address: str | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    grade: str | None = None  # X-CLIENTCARD-GRADE, as written
    birthday: YMD | None = None
    anniversaries: list[YMD] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # properties whose values went to the notes
    warnings: list[str] = field(default_factory=list)  # "line 5: the birthday 'circa 1800' is..."
    span: tuple[int, int] = (0, 0)  # where the card is in `source`
    source: str = field(default="", repr=False)  # the file's text, lines ended by LF

    @property
    def text(self) -> str:
        """The card's lines as in the file, CR LF after each; bytes that were not UTF-8 as
        surrogate escapes (`.encode("utf-8", "surrogateescape")` gives them back)."""
        start, end = self.span
        return self.source[start:end].replace("\n", "\r\n") + "\r\n"


class _Property:
    """A content line: its head (`_Head`) and its value as in the file, not yet decoded."""

    __slots__ = ("eight_bit", "group", "head", "line", "name", "params", "value")

    def __init__(self, line: int, head: "_Head", value: str, eight_bit: str | None) -> None:
        self.line = line
        # None: the file is UTF-8 throughout. Else it has bytes that are not (maybe not in this
        # value), and this is the encoding the user gave for them ("" for none).
        self.eight_bit = eight_bit
        self.head = head
        self.group = head.group
        self.name = head.name
        self.params = head.params
        self.value = value


# ---- lines --------------------------------------------------------------------------------


def _text(data: bytes) -> tuple[str, bool]:
    """The file's text, each line ended by LF, and whether it holds bytes that are not UTF-8
    (kept as surrogate escapes, and decoded value by value)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        try:
            return _text(data.decode("utf-16").encode("utf-8"))
        except UnicodeError:
            pass  # not UTF-16 after all: read as below
    try:
        text, eight_bit = data.decode("utf-8"), False
    except UnicodeDecodeError:
        text, eight_bit = data.decode("utf-8", "surrogateescape"), True
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return text, eight_bit


def _lines(text: str) -> Iterator[tuple[int, str, int]]:
    """(number, line, where it starts in `text`) for each line, made as it is read: a list of
    them all would hold a second copy of a big file."""
    find = text.find
    start = 0
    number = 0
    while True:
        number += 1
        end = find("\n", start)
        if end < 0:
            yield number, text[start:], start
            return
        yield number, text[start:end], start
        start = end + 1


def _split_property(line: str) -> tuple[str, str] | None:
    """(name and parameters, value) split at the first colon outside double quotes."""
    head, colon, value = line.partition(":")
    if not colon:
        return None
    if '"' in head:  # a quoted parameter value may hold a colon
        quoted = False
        for index, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                return line[:index], line[index + 1 :]
        return None
    return head, value


def _params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        key, eq, value = part.partition("=")
        if not eq:  # vCard 2.1's bare parameter: a type, or an encoding, or a charset
            bare = key.strip().upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(bare)
            else:
                params.setdefault("TYPE", []).append(bare)
            continue
        key = key.strip().upper()
        values = params.setdefault(key, [])
        for item in value.split(","):
            item = item.strip().strip('"')
            values.append(item.upper() if key in ("TYPE", "ENCODING", "VALUE") else item)
    return params


@dataclass(frozen=True)
class _Head:
    group: str  # upper case, "" for none
    name: str  # upper case
    params: dict[str, list[str]]  # upper-case keys; bare 2.1 types under "TYPE"; read only
    qp: bool  # quoted-printable
    binary: bool  # base64 data, or a photo, logo, sound or key: skipped


_NO_PARAMS: dict[str, list[str]] = {}


@functools.lru_cache(maxsize=4096)
def _parse_head(head: str) -> _Head:
    """The group, name and parameters before a value's colon. Cached: a file repeats a few
    dozen of them (`TEL;TYPE=CELL`) thousands of times."""
    if '"' in head:
        parts = [p.replace("\0", ";") for p in _quoted_semicolons(head).split(";")]
    else:
        parts = head.split(";")
    group, _, name = parts[0].strip().upper().rpartition(".")
    params = _params(parts[1:]) if len(parts) > 1 else _NO_PARAMS
    encodings = params.get("ENCODING", ())
    return _Head(
        group,
        name,
        params,
        "QUOTED-PRINTABLE" in encodings,
        name in _BINARY or "BASE64" in encodings or "B" in encodings,
    )


def _quoted_semicolons(text: str) -> str:
    """`text` with each `;` inside double quotes as NUL (put back after splitting)."""
    out, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        out.append("\0" if char == ";" and quoted else char)
    return "".join(out)


def _cards(
    text: str, eight_bit: str | None
) -> Iterator[tuple[int, tuple[int, int], list[_Property], list[str]]]:
    """(BEGIN line, where the card is in `text`, properties, warnings) for each card."""
    card: list[_Property] | None = None
    warnings: list[str] = []
    begin = begin_at = 0
    nested = 0  # a 2.1 AGENT holding a whole card: skipped
    binary = False  # in the data of a base64 property
    numbered = _lines(text)
    for number, raw, at in numbered:
        if not raw or raw.isspace():
            binary = False  # 2.1 ends base64 data with a blank line
            continue
        first = raw[0]
        if first == " " or first == "\t":
            if card and not binary and not nested:  # folded: the one blank is not the value's
                card[-1].value += raw[1:]
            continue
        head_text, colon, value = raw.partition(":")
        if binary and not colon:
            continue
        binary = False
        if first == "#":
            continue
        if '"' in head_text:
            split = _split_property(raw)
            if split is not None:
                head_text, value = split
        if not colon:
            if card is None:
                raise InvalidValue(
                    _("line {line}: not a vCard line: {text}").format(line=number, text=_shown(raw))
                )
            warnings.append(
                _("line {line}: skipped a line that is not a property: {text}").format(
                    line=number, text=_shown(raw)
                )
            )
            continue
        head = _parse_head(head_text)
        name = head.name
        if head.qp:
            while value.endswith("="):  # a soft line break
                following = next(numbered, None)
                if following is None:
                    break
                value = value[:-1] + following[1]
        if name == "BEGIN":
            if value.strip().upper() != "VCARD":
                raise InvalidValue(
                    _("line {line}: {text} is not BEGIN:VCARD; is this a vCard file?").format(
                        line=number, text=_shown(raw)
                    )
                )
            if card is not None:
                nested += 1
                continue
            card, warnings, begin, begin_at = [], [], number, at
            continue
        if card is None:
            raise InvalidValue(
                _(
                    "line {line}: {text} is outside a card (BEGIN:VCARD ... END:VCARD); "
                    "is this a vCard file?"
                ).format(line=number, text=_shown(raw))
            )
        if name == "END":
            if nested:
                nested -= 1
                continue
            yield begin, (begin_at, at + len(raw)), card, warnings
            card = None
            continue
        if nested:
            continue
        if name == "AGENT" and value.strip().upper() == "BEGIN:VCARD":
            nested = 1  # vCard 2.1: the agent's own card follows, up to its END:VCARD
            continue
        if head.binary:
            binary = True
            continue
        card.append(_Property(number, head, value, eight_bit))
    if card is not None:
        raise InvalidValue(
            _("line {line}: the card begun here has no END:VCARD").format(line=begin)
        )


def _shown(raw: str) -> str:
    text = _SURROGATE.sub("?", raw.strip())
    return repr(text if len(text) <= 40 else text[:37] + "...")


# ---- values -------------------------------------------------------------------------------


def _text_of(raw: bytes, charset: str | None, given: str | None = None) -> str:
    if charset is not None and charset.replace("_", "-").upper() in ("UTF-8", "UTF8"):
        return raw.decode("utf-8", "replace")  # said UTF-8: a stray byte is one, not GB18030
    for encoding in ("utf-8", charset, given or None, *_FALLBACKS):
        if encoding is None:
            continue
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")  # never reached: Latin-1 decodes every byte


def _decoded(prop: _Property) -> str:
    """The value as text, before unescaping: quoted-printable and 8-bit bytes decoded."""
    value = prop.value
    charsets = prop.params.get("CHARSET")
    charset = charsets[0] if charsets else None
    if prop.head.qp:
        raw = binascii.a2b_qp(value.encode("utf-8", "surrogateescape"))
        given = prop.eight_bit
        return _text_of(raw, charset, given).replace("\r\n", "\n").replace("\r", "\n")
    if prop.eight_bit is not None and _SURROGATE.search(value):
        return _text_of(value.encode("utf-8", "surrogateescape"), charset, prop.eight_bit)
    return value


def _unescape(text: str) -> str:
    """A vCard 3.0/4.0 text: `\\n` a line break, `\\x` the character x."""
    if "\\" not in text:
        return text
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "\\")
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def _split(text: str, sep: str, v21: bool) -> list[str]:
    """The parts of a value of parts (N, ADR, ORG; CATEGORIES at commas), unescaped."""
    if "\\" not in text:
        return text.split(sep)
    parts, current = [], []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length:
            nxt = text[index + 1]
            if v21:
                current.append(sep if nxt == sep else char + nxt)
            else:
                current.append("\n" if nxt in "nN" else nxt)
            index += 2
            continue
        if char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


# ---- a card -------------------------------------------------------------------------------


def _date_of(text: str, params: dict[str, list[str]]) -> YMD | None:
    text = text.strip()
    found = _DATE.fullmatch(text)
    if found:
        year: int | None = int(found[1])
        month, day = int(found[2]), int(found[3])
        omit = params.get("X-APPLE-OMIT-YEAR")
        if year == 1604 or (omit and omit[0] == found[1]):
            year = None
    elif found := _YEARLESS.fullmatch(text):
        year, month, day = None, int(found[1]), int(found[2])
    else:
        # What a sheet's birthday column takes too (`1975-3-22`, `1975/3/22`, `1975年3月22日`):
        # phones write what their users typed.
        parts = birthday_parts(text)
        if parts is None:
            return None
        year, month, day = parts
    return real_day((year, month, day))


def _apple_label(text: str) -> str:
    found = _APPLE.fullmatch(text.strip())
    if not found:
        return text.strip()
    inner = found[1]
    return _APPLE_LABELS.get(inner.casefold(), _CAMEL.sub(" ", inner).lower())


@functools.lru_cache(maxsize=1024)
def _label(text: str | None) -> str | None:
    """A label a card can hold: without digits, colons, `;`, `+`, `@`; at most 50 characters."""
    if not text:
        return None
    cleaned = " ".join(_NOT_IN_LABEL.sub(" ", text).split())[:50].strip()
    return cleaned or None


def _typed_label(params: dict[str, list[str]], table: tuple[tuple[str, str], ...]) -> str | None:
    types = params.get("TYPE", ())
    for key, label in table:
        if key in types:
            return label
    return None


def _preferred(params: dict[str, list[str]]) -> bool:
    return "PREF" in params.get("TYPE", ()) or "PREF" in params


def _address(parts: list[str]) -> str:
    parts = [
        ", ".join(q for p in part.split("\n") if (q := p.strip(" \t,")))
        if "\n" in part
        else part.strip(" \t,")
        for part in parts
    ]
    parts += [""] * (7 - len(parts))
    box, extended, street, locality, region, code, country = parts[:7]
    if _CJK.search("".join(parts)):
        joined = "".join((country, region, locality, street, extended, box))
        return " ".join(p for p in (joined, code) if p)
    tail = " ".join(p for p in (region, code) if p)
    return ", ".join(p for p in (box, extended, street, locality, tail, country) if p)


def _tel(value: str, params: dict[str, list[str]]) -> str:
    value = value.strip()
    if value[:4].lower() == "tel:":
        value = value[4:]
        value = value.replace(";ext=", " ext. ")
    return value


def card_of(begin: int, props: list[_Property], warnings: list[str]) -> VCard:
    """The card of one BEGIN ... END's properties."""
    card = VCard(begin)
    version = next((p.value.strip() for p in props if p.name == "VERSION"), "")
    card.version = version
    v21 = version == "2.1"
    labels: dict[str, str] = {}  # group -> X-ABLabel
    for prop in [p for p in props if p.group]:
        if prop.name == "X-ABLABEL":
            labels[prop.group] = _apple_label(_unescape(_decoded(prop)))
    fn: str | None = None
    n: list[str] | None = None
    nickname: str | None = None
    org: list[str] | None = None
    notes: list[str] = []
    extra: list[str] = []  # "Label: value" lines for the notes
    kept: dict[str, None] = {}
    phones: list[tuple[bool, str | None, str]] = []
    emails: list[tuple[bool, str | None, str]] = []
    addresses: list[str] = []
    printed: str | None = None  # LABEL

    def text_of(prop: _Property) -> str:
        value = (
            prop.value if prop.eight_bit is None and not prop.head.qp else _decoded(prop)
        )  # (most values need no decoding: one call less)
        return value if v21 or "\\" not in value else _unescape(value)

    def keep(prop_name: str, label: str, value: str) -> None:
        if value.strip():
            extra.append(f"{label}: {value.strip()}")
            kept[prop_name] = None

    for prop in props:
        name = prop.name
        if name not in _READ:
            continue  # UID, REV, PRODID, GEO, X-...: the writing program's bookkeeping
        if name == "FN":
            if fn is None:
                fn = text_of(prop).strip() or None
        elif name == "N":
            if n is None:  # a second N (vCard 4.0: another ALTID representation) is ignored
                n = _split(_decoded(prop), ";", v21)
        elif name == "NICKNAME":
            if nickname is None:
                nickname = text_of(prop).strip() or None
        elif name == "ORG":
            parts = [p.strip() for p in _split(_decoded(prop), ";", v21)]
            if org is None:
                org = parts
            elif parts != org and any(parts):
                keep("ORG", "Organisation", ", ".join(p for p in parts if p))
        elif name == "TITLE":
            if card.title is None:
                card.title = text_of(prop).strip() or None
        elif name == "TEL":
            number = _tel(text_of(prop), prop.params)
            if number:
                label = labels.get(prop.group) or _typed_label(prop.params, _PHONE_TYPES)
                phones.append((_preferred(prop.params), _label(label), number))
        elif name == "EMAIL":
            address = text_of(prop).strip()
            if address.lower().startswith("mailto:"):
                address = address[7:]
            if address and not _is_email(address):
                extra.append(f"E-mail: {address}")
                card.warnings.append(
                    _("line {line}: {text} is not an e-mail address; kept in the notes").format(
                        line=prop.line, text=_shown(address)
                    )
                )
            elif address:
                label = labels.get(prop.group) or _typed_label(prop.params, _EMAIL_TYPES)
                emails.append((_preferred(prop.params), _label(label), address))
        elif name == "ADR":
            address = _address(_split(_decoded(prop), ";", v21))
            if address:
                addresses.append(address)
        elif name == "LABEL":
            if printed is None:
                lines = [p.strip() for p in text_of(prop).split("\n") if p.strip()]
                printed = ", ".join(lines) or None
        elif name == "NOTE":
            note = text_of(prop).strip()
            if note:
                notes.append(note)
        elif name == "CATEGORIES":
            value = _decoded(prop)
            for part in [value] if v21 else _split(value, ",", v21=False):
                for tag in split_tags(part):
                    if tag.replace("-", " ").casefold() not in _SYSTEM_GROUPS:
                        card.tags.append(tag)
        elif name == "BDAY":
            value = text_of(prop)
            when = _date_of(value, prop.params)
            if when is None:
                extra.append(f"Birthday: {value.strip()}")
                card.warnings.append(
                    _("line {line}: the birthday {text} is not a date; kept in the notes").format(
                        line=prop.line, text=_shown(value)
                    )
                )
            elif card.birthday is None:
                card.birthday = when
        elif name in _ANNIVERSARIES or name == "X-ABDATE":
            value = text_of(prop)
            label = labels.get(prop.group, "")
            if name == "X-ABDATE" and label.casefold() != "anniversary":
                keep(name, (label or "date").capitalize(), value)
                continue
            when = _date_of(value, prop.params)
            if when is None:
                extra.append(f"Anniversary: {value.strip()}")
                card.warnings.append(
                    _(
                        "line {line}: the anniversary {text} is not a date; kept in the notes"
                    ).format(line=prop.line, text=_shown(value))
                )
            elif when not in card.anniversaries:
                card.anniversaries.append(when)
        elif name == "X-ABRELATEDNAMES" or name == "RELATED":
            label = labels.get(prop.group) or (prop.params.get("TYPE") or ["related"])[0]
            keep(name, label.capitalize(), text_of(prop))
        elif name in _RELATED:
            keep(name, _RELATED[name], text_of(prop))
        elif name in _IM:
            keep(name, "IM", text_of(prop))
        elif name == "URL":
            keep(name, "URL", text_of(prop))
        elif name == "ROLE":
            keep(name, "Role", text_of(prop))
        elif name == "X-CLIENTCARD-GRADE":
            card.grade = text_of(prop).strip() or None
        # Anything else (UID, REV, PRODID, GEO, X-...) is bookkeeping of the program that wrote it.

    if org:
        card.company = org[0] or None
        departments = [p for p in org[1:] if p]
        if departments:
            keep("ORG", "Department", ", ".join(departments))
    card.phones = [(label, number) for pref, label, number in _pref_first(phones)]
    card.emails = [(label, address) for pref, label, address in _pref_first(emails)]
    if addresses:
        card.address = addresses[0]
        for other in addresses[1:]:
            extra.append(f"Address: {other}")
            kept["ADR"] = None
    elif printed:
        card.address = printed
    named = fn or _name_of(n)
    if nickname and nickname != named and (named or card.company):  # else it is the name
        extra.append(f"Nickname: {nickname}")
    card.notes = "\n".join(notes + extra) or None
    card.kept = list(kept)
    card.name = named
    if card.name is None:
        for what, fallback in (
            (N_("organisation"), card.company),
            (N_("nickname"), nickname),
            (N_("e-mail"), card.emails[0][1] if card.emails else None),
            (N_("phone"), card.phones[0][1] if card.phones else None),
        ):
            if fallback:
                card.name = fallback
                card.warnings.append(
                    _("line {line}: a card without a name: named from its {what}").format(
                        line=begin, what=_(what)
                    )
                )
                break
    if card.name is not None:
        card.name = unicodedata.normalize("NFC", card.name)
    card.warnings[:0] = warnings
    return card


def _is_email(text: str) -> bool:
    try:
        clean_email(text)
    except InvalidValue:
        return False
    return True


def _pref_first(
    entries: list[tuple[bool, str | None, str]],
) -> list[tuple[bool, str | None, str]]:
    return sorted(entries, key=lambda entry: not entry[0])  # stable: the file's order kept


def _name_of(n: list[str] | None) -> str | None:
    if not n:
        return None
    parts = [p.strip() for p in n] + [""] * 5
    family, given, additional, prefix, suffix = parts[:5]
    core = full_name(given, additional, family)
    if not core:
        return None
    if _CJK.search(core):
        return core
    return " ".join(p for p in (prefix, core, suffix) if p)


def read_cards(data: bytes, encoding: str | None = None) -> Iterator[VCard]:
    """Each card of a vCard file, in the file's order. InvalidValue, naming the line, when the
    file is not vCard (see the module's docstring for every rule). `encoding`: what bytes that
    are not UTF-8 are, when a value does not say it with CHARSET (a Python codec name)."""
    text, eight_bit = _text(data)
    given = (encoding or "") if eight_bit else None
    for begin, span, props, warnings in _cards(text, given):
        card = card_of(begin, props, warnings)
        card.source = text
        card.span = span
        yield card


def looks_like_vcard(data: bytes) -> bool:
    """Whether a file's first line that is not blank is BEGIN:VCARD (in any case)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:11].upper() == b"BEGIN:VCARD"


# ---- writing: what a phone needs that a card does not hold --------------------------------

# Chinese family names of two characters (simplified and traditional): 欧阳娜娜 is 欧阳 + 娜娜.
_COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "诸葛",
        "諸葛",
        "上官",
        "东方",
        "東方",
        "皇甫",
        "尉迟",
        "尉遲",
        "公孙",
        "公孫",
        "慕容",
        "长孙",
        "長孫",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "轩辕",
        "軒轅",
        "端木",
        "独孤",
        "獨孤",
        "南宫",
        "南宮",
        "西门",
        "西門",
        "百里",
        "呼延",
        "闻人",
        "聞人",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "濮陽",
        "太史",
        "申屠",
        "钟离",
        "鍾離",
        "赫连",
        "赫連",
        "鲜于",
        "鮮于",
        "闾丘",
        "閭丘",
        "司空",
        "拓跋",
        "东郭",
        "東郭",
        "左丘",
        "第五",
    }
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def split_name(name: str) -> tuple[str, str]:
    """(family name, given name) for a vCard's N, which phones sort and show by: a Chinese name
    of two to four Han characters is its family name (one character, or two for 欧阳, 司马...)
    and the rest; a CJK name with a blank, the part before the blank first (安藤 ロイド); any
    other name of several words, its last word and the words before it (John Doe); anything
    else (one word, 北京某某公司) is all family name."""
    name = " ".join(name.split())
    if _HAN.fullmatch(name) and 2 <= len(name) <= 4:
        cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:cut], name[cut:]
    words = name.split(" ")
    if len(words) < 2:
        return name, ""
    if _CJK.search(name):
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])
