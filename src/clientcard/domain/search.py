"""Search over everything (issue 18): what a search's text means, and how a hit is placed,
quoted and ranked. Pure: the SQL that reads the index is services/search.py's, the index's
layout store/fulltext.py's.

- The text is split into words at blanks (ASCII or full-width); a card matches when it holds
  every word, each anywhere on it (its fields or its records). A text that looks like a phone
  number (domain.cards.is_phone_search) is one word: its digits (and its key with the country
  code), so `138-0013` finds `+86 138 0013 8000`.
- Nothing in the text is syntax: each word is looked up as the characters typed (an FTS5 phrase
  with its quotes doubled, or a LIKE pattern with `%`, `_` and `\\` escaped). Control
  characters are dropped.
- A word of three characters or more is looked up in the trigram index; a shorter one (一, 年终,
  zw) by the short-query path (a LIKE over the indexed text, services/search.py).
"""

import re
import unicodedata
from dataclasses import dataclass

MIN_INDEXED = 3  # a trigram index looks up words of this many characters or more
MAX_WORDS = 8
SNIPPET_CONTEXT = 18  # characters of context each side of a hit
_BLANKS = re.compile(r"[\s\u3000]+")


def _clean(text: str) -> str:
    """Control and format characters dropped (they never match, and never reach SQL as
    anything but text)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")


@dataclass(frozen=True)
class Word:
    """A word of the search: `text` (case-folded), and its other forms, any of which matches
    (a phone number's digits and key)."""

    forms: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.forms[0]

    @property
    def indexed(self) -> bool:
        """Every form long enough for the trigram index."""
        return all(len(f) >= MIN_INDEXED for f in self.forms)


def words_of(text: str, phone_forms: tuple[str, ...] = ()) -> list[Word]:
    """The words of a search: `phone_forms` when the text is a phone number (the caller
    computes them with the phone region), else the blank-separated words, case-folded,
    duplicates and words inside another dropped, at most MAX_WORDS (the longest kept)."""
    if phone_forms:
        return [Word(tuple(dict.fromkeys(phone_forms)))]
    folded = _clean(unicodedata.normalize("NFC", text)).casefold()
    parts = [p for p in _BLANKS.split(folded) if p]
    unique = list(dict.fromkeys(parts))
    kept = [p for p in unique if not any(p != o and p in o for o in unique)]
    kept.sort(key=len, reverse=True)
    return [Word((p,)) for p in kept[:MAX_WORDS]]


def fts_phrase(word: str) -> str:
    """An FTS5 query that means exactly these characters: one phrase in double quotes, its
    own quotes doubled. With the trigram tokenizer a phrase matches as a substring."""
    return '"' + word.replace('"', '""') + '"'


def fts_query(word: Word) -> str:
    """The FTS5 query of a word: any of its forms."""
    return " OR ".join(fts_phrase(f) for f in word.forms)


def like_pattern(word: str) -> str:
    """A LIKE pattern (escape `\\`) matching the word anywhere."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ---- where a word was found ---------------------------------------------------------------

# How good a hit in each place is: the best hit of a card ranks it (a name above a company,
# above a note, above a contact; a recent contact above an old one).
WEIGHTS = {
    "name": 100,
    "pinyin": 90,
    "company": 80,
    "phone": 75,
    "email": 75,
    "person": 60,
    "title": 55,
    "address": 50,
    "notes": 45,
    "promise": 40,
    "complaint": 40,
    "sale": 35,
    "occasion": 35,
    "contact": 30,  # less with age: CONTACT_HALF_LIFE_DAYS
}
CONTACT_HALF_LIFE_DAYS = 180


def find(haystack: str, words: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the first of `words` found in `haystack` (case-folded) is: (start, end)."""
    folded = haystack.casefold()
    if len(folded) != len(haystack):  # a fold that changes the length: positions by search
        folded = "".join(ch.casefold()[:1] or ch for ch in haystack)
    best: tuple[int, int] | None = None
    for w in words:
        at = folded.find(w)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, at + len(w))
    return best


def snippet(text: str, span: tuple[int, int], context: int = SNIPPET_CONTEXT) -> str:
    """The text around a hit, on one line: `context` characters each side, `…` where cut.
    Characters, not bytes, so CJK is never split; the caller makes it safe to print."""
    start, end = span
    left = max(0, start - context)
    right = min(len(text), end + context)
    piece = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")


def score(place: str, age_days: float | None = None) -> float:
    """How good a hit is (WEIGHTS), a contact's less as it ages (half every
    CONTACT_HALF_LIFE_DAYS, never below a tenth)."""
    weight = float(WEIGHTS.get(place, 20))
    if place == "contact" and age_days is not None and age_days > 0:
        weight *= max(0.1, 0.5 ** (age_days / CONTACT_HALF_LIFE_DAYS))
    return weight
