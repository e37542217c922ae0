"""Reading a CSV or TSV file people have: its text encoding (detected unless given), commas or
tabs, and its records with the line each starts on. docs/import.md, "Encodings", says the rules.
"""

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator

from clientcard.domain.errors import InvalidValue
from clientcard.domain.import_headers import LISTING_ONLY, OWN_COLUMNS, target_of
from clientcard.i18n import _

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The detector's names for what people call these encodings.
_NAMES = {"utf_8": "UTF-8", "gb18030": "GB18030", "big5": "Big5", "utf_16": "UTF-16"}


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1


def _strict(data: bytes, encoding: str, name: str, source: str) -> str:
    """The bytes as text in `encoding`, or InvalidValue naming the file and line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start, encoding)
        advice = (
            _("save the file as UTF-8 (in a spreadsheet: CSV UTF-8) and import it again")
            if name == "UTF-8"
            else _("give the file's own --encoding, or leave --encoding out to have it detected")
        )
        raise InvalidValue(
            _("{source}, line {line}: not {name} text; {advice}").format(
                source=source, line=line, name=name, advice=advice
            )
        ) from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def codec_of(encoding: str, examples: str) -> str:
    """The codec `--encoding` names, or InvalidValue giving `examples` of names that are."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidValue(
            _("--encoding: unknown encoding {encoding}; for example {examples}").format(
                encoding=repr(encoding), examples=examples
            )
        ) from None


def decoded(data: bytes, encoding: str | None, source: str) -> tuple[str, str | None, str]:
    """The file's text, how it was read (None for plain UTF-8, the documented default), and
    the codec that read it (to write its refused rows back as they came).

    Given an encoding, that one, strictly. Else: a byte order mark says UTF-8 or UTF-16; text
    that is UTF-8 is UTF-8; text that is GB18030 (which GBK and GB2312 are part of) and not
    Big5 is GB18030; otherwise the detector (charset-normalizer) decides, between GB18030 and
    Big5 when both read, and among all it knows when neither does."""
    if encoding is not None:
        codec = codec_of(encoding, "utf-8, gb18030, big5, utf-16")
        if codec == "utf-8" and data.startswith(_BOM):
            codec = "utf-8-sig"
        name = _NAMES.get(codec.replace("-", "_").removesuffix("_sig"), encoding)
        text = _strict(data, codec, name, source)
        said = None if name == "UTF-8" else f"{name} (--encoding)"
        return text.removeprefix("\ufeff"), said, codec
    if data.startswith(_BOM):
        return _strict(data[len(_BOM) :], "utf-8", "UTF-8", source), None, "utf-8-sig"
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", "UTF-16", source), "UTF-16 (byte order mark)", "utf-16"
    if _decodes(data, "utf-8"):
        return data.decode("utf-8"), None, "utf-8"
    gb18030, big5 = _decodes(data, "gb18030"), _decodes(data, "big5")
    if gb18030 and not big5:
        return data.decode("gb18030"), "GB18030 (detected)", "gb18030"
    import charset_normalizer  # only `import` reads text of unknown encodings

    isolation = ["gb18030", "big5"] if gb18030 else None
    best = charset_normalizer.from_bytes(data, cp_isolation=isolation).best()
    if best is None or "\x00" in str(best):
        raise InvalidValue(
            _(
                "{source}: cannot tell what text this is (not UTF-8, GB18030, Big5 or "
                "UTF-16): is it a CSV or TSV file? If it is, give its --encoding"
            ).format(source=source)
        )
    name = _NAMES.get(best.encoding, best.encoding)
    return str(best).removeprefix("\ufeff"), f"{name} (detected)", best.encoding


def csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its fields) for each CSV record; blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    start = 1
    try:
        for values in reader:
            if values:
                yield start, values
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidValue(
            _("line {start}: not valid CSV ({exc})").format(start=start, exc=exc)
        ) from None


# The escapes the TSV listing writes (output._tsv_escape); any other backslash is kept as is.
_TSV_ESCAPE = re.compile(r"\\([tnr\\])")
_TSV_CHARS = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def tsv_field(text: str) -> str:
    if "\\" not in text:
        return text
    return _TSV_ESCAPE.sub(lambda m: _TSV_CHARS[m.group(1)], text)


def tsv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each TSV line: tab-separated, escaped as `list` writes them;
    blank lines skipped."""
    for number, line in enumerate(io.StringIO(text, newline="\n"), start=1):
        line = line.removesuffix("\n").removesuffix("\r")
        if line:
            yield number, [tsv_field(f) for f in line.split("\t")]


def separator_of(text: str) -> str:
    """Tab or comma, whichever the header line has more of (Excel's "Unicode text" is
    tab-separated whatever the file is called)."""
    header = text[: text.find("\n")] if "\n" in text else text
    return "\t" if header.count("\t") > header.count(",") else ","


def is_our_tsv(text: str) -> bool:
    """Whether the text is clientcard's own TSV (`list` or `export --format tsv`): its header
    line is tab-separated and names only the listing's columns, `id` and `name` among them.
    Its fields are escaped (`\\t`, `\\n`), so it is read as TSV, not as tab-separated CSV."""
    header = text[: text.find("\n")] if "\n" in text else text
    names = header.removesuffix("\r").split("\t")
    own = set(OWN_COLUMNS) | set(LISTING_ONLY)
    return len(names) > 1 and {"id", "name"} <= set(names) and set(names) <= own


# Rows looked at for the header below title rows (a sheet saved as CSV with its title on top).
TITLE_LOOKAHEAD = 10


def below_titles(
    records: Iterator[tuple[int, list[str]]],
) -> tuple[Iterator[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The records from the header on, and the title rows above it, (line, text): rows of one
    non-empty cell, not a header import knows (`姓名`), before the first other row, within
    TITLE_LOOKAHEAD rows (as the Excel reader skips a sheet's title). A file whose rows are all
    such keeps its first row."""

    def title(values: list[str]) -> bool:
        cells = [v for v in values if v.strip()]
        return len(cells) <= 1 and all(target_of(c) is None for c in cells)

    ahead: list[tuple[int, list[str]]] = []
    for record in records:
        ahead.append(record)
        if len(ahead) == TITLE_LOOKAHEAD or not title(record[1]):
            break
    at = next((i for i, (_, v) in enumerate(ahead) if not title(v)), 0)
    titles = [(line, next((c.strip() for c in v if c.strip()), "")) for line, v in ahead[:at]]
    return itertools.chain(ahead[at:], records), titles
