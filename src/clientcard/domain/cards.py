"""Rules for what a card may hold: names, tags, e-mail addresses."""

import re
import unicodedata

from clientcard.domain.errors import InvalidValue
from clientcard.domain.phone_keys import DEFAULT_REGION, phone_key
from clientcard.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_BLANKS = re.compile(r"\s+")


# The longest free text any field holds: notes, summaries, reasons, results, what was promised
# or sold... Their columns have no size, but no note is a book, and a value that long is a
# mistake (a file pasted whole, a runaway script) better refused than stored and printed.
MAX_TEXT = 10_000
# The longest `list --search`: a longer one cannot be a word inside a field, and SQLite refuses
# a LIKE pattern of more than 50,000 bytes ("LIKE or GLOB pattern too complex").
MAX_SEARCH = 200

# The longest value each field holds, in characters (docs/exit-codes.md lists them): the
# columns' sizes in store/models.py, MAX_TEXT for the others. Checked here, because SQLite
# would store anything and PostgreSQL would fail with an internal error.
MAX_LENGTH = {
    "name": 200,
    "company": 200,
    "title": 200,
    "phone": 100,
    "email": 200,
    "address": 500,
    "source": 200,
    "owner": 100,
    "tag": 100,
    "role": 100,  # a person's, next to a client
    "place": 200,  # an appointment's
    "person": 200,  # whom a contact was with (`log --with`)
    "label": 50,  # a phone's or e-mail's (`--phone work:...`)
}


def check_length(field: str, value: str | None) -> str | None:
    """`value` if it fits `field` (MAX_LENGTH, else MAX_TEXT); InvalidValue naming both lengths
    otherwise."""
    limit = MAX_LENGTH.get(field, MAX_TEXT)
    if value is not None and len(value) > limit:
        raise InvalidValue(
            _("{field} is {length} characters long; at most {limit} fit").format(
                field=field, length=f"{len(value):,}", limit=f"{limit:,}"
            )
        )
    return value


def clean_text(value: str | None, field: str = "text") -> str | None:
    """Trim a free-text field; blank becomes None (an empty field, not an empty string). A
    value longer than the field holds (`check_length`) is refused, named by `field`."""
    if value is None:
        return None
    if "\x00" in value:  # SQLite would keep it, PostgreSQL refuses it: never real text
        raise InvalidValue(_("text cannot contain a NUL character (\\0); remove it and try again"))
    value = unicodedata.normalize("NFC", value).strip()
    return check_length(field, value) or None


def clean_user(value: str, source: str) -> str | None:
    """THE check of a person's name the book stores (issue 17): who did what (CLIENTCARD_USER,
    the database role, the login name) and a card's owner (`add`/`edit --owner`, `handover
    --to/--from`). Trimmed, NFC, at most as long as an owner, without control characters (Cc)
    nor formatting ones (Cf: bidi overrides and isolates, zero-width ones, BOM) that hide or
    reorder text; None when blank. `source` names where it came from (CLIENTCARD_USER, the
    database role, the login name) for the message when it cannot be a name."""
    text = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidValue(
            _("{source} holds a control character; a person's name is plain text").format(
                source=source
            )
        )
    if any(unicodedata.category(c) == "Cf" for c in text):
        raise InvalidValue(
            _(
                "{source} holds an invisible formatting character (one that hides or reorders "
                "text, such as U+202E); a person's name is plain text"
            ).format(source=source)
        )
    limit = MAX_LENGTH["owner"]
    if len(text) > limit:
        raise InvalidValue(
            _("{field} is {length} characters long; at most {limit} fit").format(
                field=source, length=f"{len(text):,}", limit=f"{limit:,}"
            )
        )
    return text or None


def clean_name(value: str) -> str:
    """A client's name: any Unicode, trimmed, inner runs of blanks folded, never empty."""
    cleaned = clean_text(value, "name")
    if cleaned is None:
        raise InvalidValue(_("a client's name cannot be empty; type the name as you would say it"))
    return str(check_length("name", _BLANKS.sub(" ", cleaned)))


def name_key(name: str) -> str:
    """The key used to find a card by name: case-folded, so `ZHANG` finds `Zhang` and `ß`
    finds `ss`. Stored next to the name so lookups and sorting use an index."""
    return name.casefold()


def clean_email(value: str | None) -> str | None:
    cleaned = clean_text(value, "email")
    if cleaned is not None and not _EMAIL.match(cleaned):
        raise InvalidValue(
            _("{value} is not an e-mail address; expected something like a@b.com").format(
                value=repr(value)
            )
        )
    return check_length("email", cleaned)


def clean_tag(value: str) -> str:
    """A tag: trimmed, lower-cased (so `VIP` and `vip` are one tag), no commas or blanks inside."""
    cleaned = clean_text(value, "tag")
    if cleaned is None:
        raise InvalidValue(_("a tag cannot be empty"))
    if "," in cleaned or _BLANKS.search(cleaned):
        raise InvalidValue(
            _("tag {value} has a comma or a blank; give one word per --tag").format(
                value=repr(value)
            )
        )
    return str(check_length("tag", cleaned.casefold()))


def clean_tags(values: list[str] | None) -> list[str]:
    seen: dict[str, None] = {}
    for value in values or []:
        seen[clean_tag(value)] = None
    return list(seen)


# `list --search TEXT` looks for TEXT inside these fields, in any case.
SEARCHED_FIELDS = ("name", "company", "notes", "phone", "email")
_FIELD_BREAK = "\x1f"  # between fields, so a match never spans two of them


def search_key(*values: str | None) -> str:
    """The searched fields of a card (SEARCHED_FIELDS, in order), case-folded and joined: stored
    on the card so a search is one plain LIKE that SQLite runs natively on every card (a Unicode
    case-fold per field and card at query time cost 0.3 s at 100,000 cards)."""
    return _FIELD_BREAK.join((value or "").casefold() for value in values)


def clean_search(value: str | None) -> str | None:
    """The text of `list --search`, trimmed; None for no search. At most MAX_SEARCH characters."""
    if value is not None and len(value.strip()) > MAX_SEARCH:
        raise InvalidValue(
            _(
                "--search is {length} characters long; search for at most "
                "{most} characters, a word or a part of one"
            ).format(length=f"{len(value.strip()):,}", most=MAX_SEARCH)
        )
    return clean_text(value, "search")


def phone_patterns(text: str, region: str = DEFAULT_REGION) -> list[str]:
    """The extra LIKE patterns of a search that looks like (part of) a phone number: its digits
    alone and its `phone_key` (read in `region`), so `6552 1234`, `01065521234` and `+86 10 6552
    1234` all find `010-6552 1234` (the search key holds every number's key too:
    services.clients)."""
    if not is_phone_search(text):
        return []
    folded = unicodedata.normalize("NFKC", text).strip()
    digits = "".join(ch for ch in folded if ch.isdigit())
    return list(dict.fromkeys(f"%{key}%" for key in (digits, phone_key(folded, region)) if key))


def is_phone_search(text: str) -> bool:
    """Whether a search looks like (part of) a phone number: digits with blanks, dashes, dots,
    brackets, a leading +, and MIN_SEARCH_DIGITS digits at least."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return bool(_PHONE_TEXT.match(folded)) and (
        sum(ch.isdigit() for ch in folded) >= MIN_SEARCH_DIGITS
    )


# What a search for a phone looks like: digits with blanks, dashes, dots, brackets, a leading +.
_PHONE_TEXT = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
MIN_SEARCH_DIGITS = 4


def search_pattern(text: str) -> str:
    """The LIKE pattern (escape character `\\`) for a search: the text case-folded, anywhere."""
    folded = text.casefold().replace(_FIELD_BREAK, " ")
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# What separates the numbers of a phone field that holds several ("138 0013 8000, 010 6552
# 1234", "... / ..."): a comma, semicolon or slash, ASCII or full-width (U+FF0C, U+FF1B,
# U+FF0F), the ideographic comma (U+3001), or a line break.
PHONE_SEPARATORS = re.compile("[,;/\n\uff0c\uff1b\uff0f\u3001]")


def first_phone(phone: str | None) -> str | None:
    """The number to call: the first part of a phone field that holds a digit, as typed
    (trimmed). None when there is none."""
    if not phone:
        return None
    for part in PHONE_SEPARATORS.split(phone):
        if any(ch.isdigit() for ch in part):
            return " ".join(part.split())
    return None


def email_key(email: str | None) -> str | None:
    """An e-mail address as duplicates are compared: trimmed and case-folded."""
    return email.strip().casefold() or None if email else None


# ---- several phones and e-mails per card (issue 14) ---------------------------------------

# The labels `--phone mobile:...` knows; any other text without digits before a colon is a
# label of the user's own (`--phone "前台:010 6552 1234"`), kept as typed.
KNOWN_LABELS = ("mobile", "work", "home", "fax", "other")
# (A colon is ASCII or full-width, U+FF1A.)
_LABEL = re.compile("^([^\\d:\uff1a;+@]+)[:\uff1a](.*)$", re.DOTALL)
# The shortest run of digits that is a whole number on its own (a landline without its area
# code has 7 or 8): "138 0013 8000" is one number in three groups, "13800138000 13900139000"
# two numbers.
MIN_NUMBER_DIGITS = 7


def split_label(value: str) -> tuple[str | None, str]:
    """`mobile:138 0013 8000` -> ("mobile", "138 0013 8000"). A known label in any case is
    lower-cased; other text before a colon (no digit, +, or @ in it) is a label of the user's
    own. Text without such a prefix ("+86 138...", "010-6552 1234") has no label."""
    text = unicodedata.normalize("NFC", value).strip()
    match = _LABEL.match(text)
    if match is None or not match.group(1).strip():
        return None, text
    label = " ".join(match.group(1).split())
    if label.casefold() in KNOWN_LABELS:
        label = label.casefold()
    return label, match.group(2).strip()


def split_phones(text: str | None) -> list[str]:
    """The numbers of a phone field that may hold several, each as typed (trimmed). Split at
    PHONE_SEPARATORS when two parts or more hold a whole number (MIN_NUMBER_DIGITS digits or
    more: "010 6552 1234 / 8001", "ask reception / 8001" or a formula stays whole), then each
    part at blanks when every blank-separated group is a whole number. Blank parts dropped."""
    text = (text or "").strip()
    parts = [p.strip() for p in PHONE_SEPARATORS.split(text)]
    # (A number per part is the common case, and an import splits every row's numbers: the
    # digits are counted with map(str.isdigit), which is several times quicker than a loop.)
    if len(parts) < 2 or sum(sum(map(str.isdigit, p)) >= MIN_NUMBER_DIGITS for p in parts) < 2:
        parts = [text]
    numbers: list[str] = []
    for part in parts:
        groups = part.split()
        if len(groups) > 1 and all(sum(map(str.isdigit, g)) >= MIN_NUMBER_DIGITS for g in groups):
            numbers.extend(groups)
        elif part:
            numbers.append(part)
    return numbers


EMAIL_SEPARATORS = re.compile(r"[,;\s\uff0c\uff1b\u3001]+")


def split_emails(text: str | None) -> list[str]:
    """The addresses of an e-mail field that may hold several (commas, semicolons, blanks)."""
    return [part for part in EMAIL_SEPARATORS.split(text or "") if part]


def clean_label(label: str | None) -> str | None:
    return clean_text(label, "label")
