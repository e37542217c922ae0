"""Pinyin: how a Chinese name is found by the letters a pinyin input method types, and where it
sorts among Latin names (issue 18; docs/pinyin.md).

A card keeps three keys, computed on every write of its name (services/clients.py):
- `pinyin`: the name's full pinyin, toneless, without spaces (张伟 -> `zhangwei`);
- `initials`: the first letter of each syllable, and of each Latin word (张伟 -> `zw`);
  both None for a name without a Chinese character; `show zhangw`, `show zw` and completion
  look them up as prefixes;
- `sort_key`: what every listing by name orders by: the name's pinyin syllables, spaced (Latin
  words as they are, case-folded, accents off), then a break and the name itself (`name_key`),
  so 张伟 sorts under z with Latin names and equal pinyin orders by the characters (code point).
  It is compared byte by byte (SQLite's BINARY, PostgreSQL's "C" collation): the same order on
  both.
The search key also holds the pinyin and initials of the name and the company (`search_forms`),
so `list --search zw` finds them with its existing index; there a polyphonic character reads
every way it may (中国银行 as `zhongguoyinhang` and `zgyh` too, 重庆 as `chongqing`), up to
VARIANTS spellings of each field, the ones that change fewest characters first.

Readings come from `domain/pinyin_table.py`, generated from pypinyin (domain/pinyin_gen.py); it
is imported only when a text holds a Chinese character, and pypinyin itself never is. In the
lookup keys and the sort each character reads as its most common reading (pypinyin's first);
a person's surname at the start of the name reads as a surname (单 shan, 曾 zeng, 尉迟 yuchi:
SURNAMES), there and in the search key.
"""

import itertools
import re
import unicodedata
from functools import cache

SORT_BREAK = "\x1f"  # between the pinyin and the name in a sort key: before any letter
_CODE_BASE = 0x100  # as domain/pinyin_gen.py writes the table
VARIANTS = 8  # at most so many spellings (and as many initials) of a field in the search key


def is_han(char: str) -> bool:
    """Whether a character may have a pinyin reading: CJK Extension A and the Unified
    Ideographs, U+3007, the compatibility ideographs, the supplementary ideographic planes.
    (Comparisons, not a regular expression: compiling that one cost 3 ms of every start-up.)"""
    return (
        "\u3400" <= char <= "\u9fff"
        or "\U00020000" <= char <= "\U000323af"
        or "\uf900" <= char <= "\ufaff"
        or char == "\u3007"
    )


def has_han(text: str | None) -> bool:
    """Whether `text` holds a character that may have a pinyin reading."""
    return bool(text) and any(map(is_han, text or ""))


@cache
def _table() -> tuple[tuple[str, ...], int, str, dict[str, tuple[str, ...]]]:
    from clientcard.domain import pinyin_table as t

    return tuple(t.SYLLABLES.split()), t.MAIN_FIRST, t.MAIN, t.SURNAMES


@cache
def _others() -> dict[str, str]:
    """The rare characters outside MAIN (the supplementary planes...): read only when met."""
    from clientcard.domain.pinyin_table import OTHERS

    return {OTHERS[i]: OTHERS[i + 1] for i in range(0, len(OTHERS), 2)}


def _also(char: str) -> str:
    """A polyphonic character's other readings, coded as in MAIN ("" for none): read only for
    a search key, never for a lookup key or a sort key. Found in the table's string, not
    through a dict: building one would cost 4 ms, a search of the string some microseconds
    (a character is in it once, at the head of its entry; the codes are not Chinese)."""
    from clientcard.domain.pinyin_table import ALSO

    start = ALSO.find(char)
    if start < 0:
        return ""
    end = ALSO.find(" ", start)
    return ALSO[start + 1 : end if end >= 0 else len(ALSO)]


def readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of a character, its most common first; () when it has none."""
    first = reading(char)
    if first is None:
        return ()
    syllables = _table()[0]
    return (first, *(syllables[ord(code) - _CODE_BASE] for code in _also(char)))


def reading(char: str) -> str | None:
    """A character's most common pinyin reading, toneless (ü as v); None when it has none."""
    syllables, first, main, _ = _table()
    index = ord(char) - first
    code = main[index] if 0 <= index < len(main) else _others().get(char, " ")
    return None if code == " " else syllables[ord(code) - _CODE_BASE]


def _plain(text: str) -> str:
    """Latin text case-folded with its accents off (é -> e), for ordering and initials."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))


def _pieces(text: str, person: bool) -> list[tuple[str, bool, str]]:
    """`text` as its pieces: (syllable, True, the character) for each Chinese character with a
    reading (a person's surname first, read as a surname: its character ""), (other text,
    False, "") in between."""
    out: list[tuple[str, bool, str]] = []
    rest = text.strip()
    if person:
        surnames = _table()[3]
        for size in (2, 1):
            if rest[:size] in surnames:
                out += [(s, True, "") for s in surnames[rest[:size]]]
                rest = rest[size:]
                break
    other = ""
    for char in rest:
        syllable = reading(char) if is_han(char) else None
        if syllable is None:
            other += char
            continue
        if other:
            out.append((other, False, ""))
            other = ""
        out.append((syllable, True, char))
    if other:
        out.append((other, False, ""))
    return out


def forms(text: str | None, *, person: bool = True) -> tuple[str, str] | None:
    """(full pinyin, initials) of a name (`person`: its surname read as one) or a company; None
    when it holds no Chinese character with a reading. Latin words count as they are: 张伟 ->
    (`zhangwei`, `zw`), `Alice 王` -> (`alicewang`, `aw`)."""
    if not text or not has_han(text):
        return None
    slots = _slots(text, person, every=False)
    if slots is None:
        return None
    words = [slot[0] for slot in slots]
    return "".join(words), "".join(w[0] for w in words)


def _slots(text: str, person: bool, *, every: bool) -> list[tuple[str, ...]] | None:
    """The words of `text`'s pinyin, each as the readings it may have (`every`: all the readings
    of a polyphonic character, else only its first; a surname and a Latin word have one); None
    when it holds no Chinese character with a reading."""
    pieces = _pieces(text, person)
    if not any(han for _, han, _ in pieces):
        return None
    slots: list[tuple[str, ...]] = []
    for piece, han, char in pieces:
        if han:
            slots.append(readings(char) if every and char else (piece,))
        else:
            slots += [(word,) for word in re.findall(r"\w+", _plain(piece))]
    return slots


def variants(text: str | None, *, person: bool = True) -> list[tuple[str, str]]:
    """The spellings a reader may type for a name or a company, as (full pinyin, initials): the
    common reading first (`forms`), then those with other readings of its polyphonic
    characters, fewest changed first, at most VARIANTS ([] without Chinese). 中国银行 ->
    (`zhongguoyinxing`, `zgyx`), (`zhongguoyinhang`, `zgyh`), (`zhongguoyinheng`, `zgyh`)."""
    if not text or not has_han(text):
        return []
    slots = _slots(text, person, every=True)
    if slots is None:
        return []
    first = [slot[0] for slot in slots]
    out = [first]
    several = [i for i, slot in enumerate(slots) if len(slot) > 1]
    for changed in range(1, len(several) + 1):
        for places in itertools.combinations(several, changed):
            for picked in itertools.product(*(slots[i][1:] for i in places)):
                if len(out) == VARIANTS:
                    return _spelled(out)
                words = list(first)
                for place, word in zip(places, picked, strict=True):
                    words[place] = word
                out.append(words)
    return _spelled(out)


def _spelled(variants: list[list[str]]) -> list[tuple[str, str]]:
    return [("".join(words), "".join(w[0] for w in words)) for words in variants]


def sort_key(name: str) -> str:
    """The key a name sorts by (see the module's doc): `zhang wei\\x1f张伟`, `alice\\x1falice`."""
    folded = name.casefold()
    if not has_han(name):
        spelled = _plain(name)
    else:
        spelled = " ".join(
            piece if han else _plain(piece) for piece, han, _ in _pieces(name, person=True)
        )
    return " ".join(spelled.split()) + SORT_BREAK + folded


def search_forms(name: str | None, company: str | None) -> list[str]:
    """The pinyin and initials of a card's name and company, the fields the search key adds
    after its own (domain.cards.search_key): none for a card without Chinese. Each field's
    spellings (`variants`: every reading of a polyphonic character), then its initials, each
    once: 重庆 -> `zhongqing`, `chongqing`, `zq`, `cq`."""
    out: list[str] = []
    for text, person in ((name, True), (company, False)):
        found = variants(text, person=person)
        out += dict.fromkeys(full for full, _ in found)
        out += dict.fromkeys(initials for _, initials in found)
    return out


def typed_key(text: str) -> str | None:
    """What a user typed as pinyin (`zhangw`, `zw`, `Zhang Wei`): case-folded, blanks off;
    None when it cannot be pinyin (anything but ASCII letters and digits, or digits alone)."""
    key = "".join(text.casefold().split())
    if not key or not key.isascii() or not key.isalnum() or key.isdigit():
        return None
    return key
