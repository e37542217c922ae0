"""Resolving the CLIENT a user typed: an id, else an exact name, else a phone number, else a
unique name prefix, else a name's pinyin or initials (issue 18: `zhangwei`, `zhangw`, `zw`
find 张伟), the whole of them before a prefix."""

import re
import unicodedata

from clientcard.domain.cards import clean_name, name_key
from clientcard.domain.errors import Ambiguous, InvalidValue, NotFound
from clientcard.domain.phone_keys import phone_key
from clientcard.domain.pinyin import typed_key
from clientcard.domain.refs import NOUNS, kind_of
from clientcard.i18n import N_, _
from clientcard.store.db import Db
from clientcard.store.records import Client

MAX_CANDIDATES = 10
PREFIX_LIMIT = 200  # prefix matches read at most; more are reported as "200 or more"
MAX_ID_DIGITS = 18  # any 18-digit number fits an SQLite INTEGER
# What a phone number typed as CLIENT looks like: digits, with spaces, dashes, dots, brackets
# and a leading +, and at least MIN_PHONE_DIGITS digits (so a short number is an id, or a name).
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
MIN_PHONE_DIGITS = 5


def _pick(matches: list[Client]) -> Client | None:
    """One card out of the matches; live cards win over archived ones."""
    if len(matches) == 1:
        return matches[0]
    live = [c for c in matches if c.archived_at is None]
    return live[0] if len(live) == 1 else None


def _ambiguous(ref: str, matches: list[Client]) -> Ambiguous:
    matches = sorted(matches, key=lambda c: (c.sort_key, c.id or 0))  # by name, as `list`
    shown = "; ".join(
        (
            _("#{id} {name} ({company}) grade {grade}")
            if c.company
            else _("#{id} {name} grade {grade}")
        ).format(id=c.id, name=c.name, company=c.company, grade=c.grade)
        for c in matches[:MAX_CANDIDATES]
    )
    if len(matches) > MAX_CANDIDATES:
        shown += _("; and {count} more").format(count=len(matches) - MAX_CANDIDATES)
    if len(matches) >= PREFIX_LIMIT:
        message = _("{ref} matches {count} or more cards: {shown}; use the id")
    else:
        message = _("{ref} matches {count} cards: {shown}; use the id")
    return Ambiguous(message.format(ref=repr(ref), count=len(matches), shown=shown))


def resolve_client(db: Db, ref: str) -> Client:
    """The card `ref` names. Raises NotFound or Ambiguous (listing the candidates)."""
    cleaned = ref.strip()
    if not cleaned:
        raise InvalidValue(_("a client must be named: give its id or its name"))
    digits = cleaned.lstrip("#")
    # ASCII digits only ("²".isdigit() is true but int() rejects it), and short enough for an
    # SQLite INTEGER: anything else is looked up as a name, never an internal error.
    if digits.isascii() and digits.isdigit() and len(digits) <= MAX_ID_DIGITS:
        found = db.get(Client, int(digits))
        if found is not None:
            return found
    key = name_key(clean_name(cleaned))  # the same cleaning as when the name was saved
    exact = db.select(Client, "WHERE name_key = :key ORDER BY id", key=key)
    if exact:
        picked = _pick(exact)
        if picked is None:
            raise _ambiguous(ref, exact)
        return picked
    by_phone = _by_phone(db, cleaned)
    if by_phone:
        picked = _pick(by_phone)
        if picked is None:
            raise _ambiguous(ref, by_phone)
        return picked
    # A prefix as a range on the indexed key: portable, and no LIKE escaping pitfalls.
    prefix = db.select(
        Client,
        "WHERE name_key >= :key AND name_key < :end ORDER BY name_key, id LIMIT :limit",
        key=key,
        end=key + "\U0010ffff",
        limit=PREFIX_LIMIT,
    )
    if not prefix:
        prefix = _by_pinyin(db, cleaned)
    if not prefix:
        other = kind_of(ref)
        if other is not None:  # a record's id typed where a card is asked for
            noun = _(RECORD_NOUNS.get(other, NOUNS.get(other, other)))
            raise NotFound(
                _("no card matches {ref}; it reads as a {noun}'s id, a card is #N").format(
                    ref=repr(ref), noun=noun
                )
            )
        raise NotFound(
            _("no card matches {ref}; try `clientcard list --search {cleaned}`").format(
                ref=repr(ref), cleaned=cleaned
            )
        )
    picked = _pick(prefix)
    if picked is None:
        raise _ambiguous(ref, prefix)
    return picked


def _by_pinyin(db: Db, text: str) -> list[Client]:
    """The cards whose name's pinyin or initials are `text` (blanks and case aside: `Zhang
    Wei`), else begin with it; each an indexed range on client.pinyin or client.initials.
    Only for ASCII letters and digits, tried after the names themselves. Read in the index's
    order (the whole ones first: `zw` before `zwh`), so a common prefix stops at the limit;
    then ordered by name."""
    key = typed_key(text)
    if key is None:
        return []
    found: dict[int, Client] = {}
    for column in ("pinyin", "initials"):
        for card in db.select(
            Client,
            f"WHERE {column} >= :key AND {column} < :end ORDER BY {column}, id LIMIT :limit",
            key=key,
            end=key + "\U0010ffff",
            limit=PREFIX_LIMIT,
        ):
            found.setdefault(card.id or 0, card)
    cards = sorted(found.values(), key=lambda c: (c.sort_key, c.id or 0))
    whole = [c for c in cards if key in (c.pinyin, c.initials)]
    return whole or cards[:PREFIX_LIMIT]


# A record's kind as a sentence names it (domain.refs.NOUNS), translated for people.
RECORD_NOUNS = {
    "promise": N_("promise"),
    "complaint": N_("complaint"),
    "sale": N_("sale"),
    "date": N_("date"),
    "holiday": N_("holiday"),
    "person": N_("close contact"),
    "contact": N_("logged contact"),
}


def _by_phone(db: Db, text: str) -> list[Client]:
    """The cards with `text` among their phones, typed with or without spaces (compared as
    `phone_key`: digits with the country code, the number read in the phone.region setting,
    through ix_client_reach_kind_key). Only for text that looks like a phone number."""
    typed = unicodedata.normalize("NFKC", text)
    if not _PHONE.match(typed) or sum(ch.isdigit() for ch in typed) < MIN_PHONE_DIGITS:
        return []
    # The number is read in the region of the settings (phone.region, the book's), read only
    # here: most lookups are an id or a name, and every command that takes a CLIENT comes
    # through here.
    from clientcard.services.effective import effective

    return db.select(
        Client,
        "WHERE id IN (SELECT client_id FROM client_reach WHERE kind = 'phone' AND key = :key)"
        " ORDER BY id",
        key=phone_key(typed, effective(db).phone_region),
    )
