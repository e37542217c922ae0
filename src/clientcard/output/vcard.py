"""`export --format vcard`: the cards as vCard 3.0, the version every phone, Google, Outlook
and khard read (docs/formats.md, "vCard").

UTF-8, CR LF line ends, lines folded at 75 octets (on character boundaries, so no character
is cut in two), text escaped (`\\`, `,`, `;`, line breaks). Per card: FN, N (split by
`domain.vcard.split_name`: a phone shows and sorts by it), ORG, TITLE, TEL and EMAIL with their
labels as TYPE (mobile CELL, work WORK, home HOME, fax FAX; any other label, and other, as
Apple's grouped `itemN.X-ABLabel`, which iOS and Google show and our import reads back), the
first one PREF; ADR (the address as its street), NOTE, CATEGORIES (the tags), BDAY (`--MM-DD`
without a year), an anniversary as Apple's and Google's `itemN.X-ABDATE` labelled
`_$!<Anniversary>!$_`, UID (`clientcard-card-ID`, stable) and X-CLIENTCARD-GRADE (the grade:
our import reads it back; other programs keep or ignore an X- property).
"""

from collections.abc import Iterable, Mapping
from typing import IO, Any

from clientcard.domain.vcard import split_name

_FOLD = 75  # octets a line holds, CR LF not counted
# Our labels as a vCard TYPE; any other label is written as an X-ABLabel.
_TYPES = {"mobile": "CELL", "work": "WORK", "home": "HOME", "fax": "FAX"}
_ESCAPES = str.maketrans({"\\": "\\\\", ",": "\\,", ";": "\\;", "\n": "\\n", "\r": ""})


def escaped(text: str) -> str:
    """A text value as vCard 3.0 writes it."""
    return text.replace("\r\n", "\n").translate(_ESCAPES)


def folded(line: str) -> str:
    """`line` and its CR LF, folded into lines of at most 75 octets (a continuation line begins
    with a blank, which counts), never inside a character."""
    if len(line) <= _FOLD // 4 or len(line.encode()) <= _FOLD:
        return line + "\r\n"
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode())
        if size + octets > _FOLD:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def _date(parts: tuple[int | None, int, int]) -> str:
    year, month, day = parts
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def card_lines(row: Mapping[str, Any]) -> list[str]:
    """The content lines of one card (unfolded, without line ends)."""
    name = str(row["name"])
    family, given = split_name(name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//clientcard//clientcard//EN",
        f"UID:clientcard-card-{row['id']}",
        f"FN:{escaped(name)}",
        f"N:{escaped(family)};{escaped(given)};;;",
    ]
    if row.get("company"):
        lines.append(f"ORG:{escaped(row['company'])}")
    if row.get("title"):
        lines.append(f"TITLE:{escaped(row['title'])}")
    item = 0
    for kind, key, base in (("TEL", "number", ""), ("EMAIL", "address", "INTERNET")):
        for index, entry in enumerate(row.get("phones" if kind == "TEL" else "emails") or []):
            label = entry.get("label")
            types = [base] if base else []
            typed = _TYPES.get(label or "")
            if typed:
                types.append(typed)
            if index == 0:
                types.append("PREF")
            params = f";TYPE={','.join(types)}" if types else ""
            value = escaped(str(entry[key]))
            if label and not typed:
                item += 1
                lines.append(f"item{item}.{kind}{params}:{value}")
                shown = "_$!<Other>!$_" if label == "other" else escaped(label)
                lines.append(f"item{item}.X-ABLabel:{shown}")
            else:
                lines.append(f"{kind}{params}:{value}")
    if row.get("address"):
        lines.append(f"ADR:;;{escaped(row['address'])};;;;")
    if row.get("notes"):
        lines.append(f"NOTE:{escaped(row['notes'])}")
    if row.get("tags"):
        lines.append("CATEGORIES:" + ",".join(escaped(t) for t in row["tags"]))
    if row.get("birthday"):
        lines.append(f"BDAY:{_date(row['birthday'])}")
    for anniversary in row.get("anniversaries") or []:
        item += 1
        lines.append(f"item{item}.X-ABDATE:{_date(anniversary)}")
        lines.append(f"item{item}.X-ABLabel:_$!<Anniversary>!$_")
    if row.get("grade"):
        lines.append(f"X-CLIENTCARD-GRADE:{row['grade']}")
    lines.append("END:VCARD")
    return lines


def write_vcards(rows: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write each card as it comes (the stream must write text as UTF-8, CR LF untranslated);
    returns the number of cards."""
    count = 0
    for row in rows:
        out.write("".join(map(folded, card_lines(row))))
        count += 1
    return count
