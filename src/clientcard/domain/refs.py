"""How records are named for people (docs/formats.md, "Record references").

A card is `#1`; every other kind of record prints its id behind a letter of its own, so no two
kinds read alike and none reads as a card: promise `P3`, complaint `C3`, sale `S3`, date (an
occasion) `D3`, holiday `H3`, close contact (a person around a client) `K3`, logged contact
`L3`. The machine formats keep the number. An id is accepted back as printed, in either case,
or as a bare number: `C3`, `c3` and `3` are complaint 3.
"""

from clientcard.i18n import N_, _

LETTERS = {
    "promise": "P",
    "complaint": "C",
    "sale": "S",
    "date": "D",
    "holiday": "H",
    "person": "K",  # a close contact: C is taken by complaints, P by promises
    "contact": "L",  # a logged contact: `log` writes it
}
KIND_OF = {letter: kind for kind, letter in LETTERS.items()}
# The kinds as an error message names them, where the code's name could be misread.
NOUNS = {"person": "close contact", "contact": "logged contact"}
# The kinds as a sentence names them, for the catalog (translated where shown).
WORDS = {
    "promise": N_("promise"),
    "complaint": N_("complaint"),
    "sale": N_("sale"),
    "date": N_("date"),
    "holiday": N_("holiday"),
    "person": N_("person"),
    "contact": N_("contact"),
    "close contact": N_("close contact"),
    "logged contact": N_("logged contact"),
}


def _noun(kind: str) -> str:
    """The kind's noun in the interface's language (`close contact`, 关键人)."""
    noun = NOUNS.get(kind, kind)
    return _(WORDS.get(noun, noun))


def kind_of(typed: str) -> str | None:
    """The kind of record a typed reference names by its letter (`P3`: "promise"), if any."""
    text = typed.strip()
    rest = text[1:]
    if rest.isascii() and rest.isdigit() and text[:1].upper() in KIND_OF:
        return KIND_OF[text[:1].upper()]
    return None


def record_ref(kind: str, record_id: int | None) -> str:
    """A record's id as a person reads it: `record_ref("complaint", 3)` is `C3`."""
    return f"{LETTERS[kind]}{record_id}"


def named(kind: str, record_id: int | None) -> str:
    """The record with its noun, for a sentence: `complaint C3`."""
    return _("{noun} {ref}").format(noun=_(WORDS.get(kind, kind)), ref=record_ref(kind, record_id))


def read_ref(kind: str, typed: str) -> int:
    """The id of a `kind` record as typed (`C3`, `c3` or `3` for complaint 3); ValueError with
    a message for people when it is not one: another kind's (`P3`: a promise), a card's (`#3`)
    or no id at all."""
    text = typed.strip()
    letter, noun = LETTERS[kind], _noun(kind)
    example = _("(e.g. {letter}3 or 3)").format(letter=letter)
    head = text[:1].upper()
    digits = text[1:] if head == letter else text
    unsigned = digits[1:] if digits[:1] in ("+", "-") else digits
    if unsigned.isascii() and unsigned.isdigit():
        try:
            return int(digits)  # a negative id names no record: not found, as any number
        except ValueError:  # more digits than Python reads (4,300): no record's either
            raise ValueError(
                _("{count} digits are too many for a {noun} id").format(
                    count=f"{len(unsigned):,}", noun=noun
                )
            ) from None
    rest = text[1:]
    if rest.isascii() and rest.isdigit():
        if head == "#":
            raise ValueError(
                _("{text} is a card; a {noun} id is {letter}{rest} or {rest}").format(
                    text=repr(text), noun=noun, letter=letter, rest=rest
                )
            )
        if head in KIND_OF:
            other = _noun(KIND_OF[head])
            raise ValueError(
                _(
                    "{text} is a {other}, not a {noun}; a {noun} id is {letter}{rest} or {rest}"
                ).format(text=repr(text), other=other, noun=noun, letter=letter, rest=rest)
            )
    raise ValueError(
        _("{text} is not a {noun} id {example}").format(text=repr(text), noun=noun, example=example)
    )
