"""Property tests: whatever a user types into a card comes back cleaned, never mangled, and the
machine formats carry any text losslessly."""

import csv
import io
import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcard.domain.cards import split_phones
from clientcard.domain.formulas import restore as restore_cell
from clientcard.output import Column, Format, flat_value, write_listing
from clientcard.services.clients import CardFields, add_client, card_of, edit_client
from clientcard.store.open import transaction
from helpers import stored_card

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)

# Text a user can type on one line: anything but control characters (and lone surrogates).
LINE_CHARS = st.characters(exclude_categories=("Cc", "Cs"))
# Notes may span lines.
NOTE_CHARS = st.one_of(LINE_CHARS, st.sampled_from("\n\t"))

names = st.text(LINE_CHARS, min_size=1, max_size=200).filter(lambda s: s.strip())
optional_text = st.none() | st.text(LINE_CHARS, max_size=60)
notes = st.none() | st.text(NOTE_CHARS, max_size=300)
tags = st.lists(
    st.text(LINE_CHARS, min_size=1, max_size=20).filter(
        lambda t: "," not in t and not any(c.isspace() for c in t)
    ),
    max_size=5,
)
emails = st.none() | st.emails()
# A phone field holds one number here: no separator, no label, not two whole numbers (those are
# several phones, issue 14: tests/test_phones.py).
phones = st.none() | optional_text.filter(
    lambda t: t is not None and len(split_phones(t)) <= 1 and ":" not in t and "\uff1a" not in t
)

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def expected_name(name: str) -> str:
    return " ".join(nfc(name).split())


def expected_text(value: str | None) -> str | None:
    return (nfc(value).strip() or None) if value is not None else None


def expected_tags(values: list[str]) -> list[str]:
    return sorted({nfc(t).strip().casefold() for t in values})


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One database for every example; each card is read back by its id."""
    return str(tmp_path_factory.mktemp("properties") / "cards.db")


@PROPERTY_SETTINGS
@given(
    name=names,
    company=optional_text,
    title=optional_text,
    phone=phones,
    email=emails,
    address=optional_text,
    source=optional_text,
    note=notes,
    tag_list=tags,
)
def test_card_fields_round_trip_cleaned(
    book: str,
    name: str,
    company: str | None,
    title: str | None,
    phone: str | None,
    email: str | None,
    address: str | None,
    source: str | None,
    note: str | None,
    tag_list: list[str],
) -> None:
    fields = CardFields(
        name=name,
        company=company,
        title=title,
        phone=phone,
        email=email,
        address=address,
        source=source,
        notes=note,
        tags=tag_list,
    )
    with transaction(book, write=True) as session:
        # Issue 11: a phone or e-mail already in this shared book is refused unless allowed;
        # examples repeat them, and the round trip is what this test is about.
        added = add_client(session, fields, now=NOW, allow_duplicate=True).card
    with transaction(book, write=False) as session:
        card = card_of(session, stored_card(session, added.id)).client

    assert card.name == expected_name(name)
    assert card.company == expected_text(company)
    assert card.title == expected_text(title)
    assert card.phone == expected_text(phone)
    assert card.email == expected_text(email)
    assert card.address == expected_text(address)
    assert card.source == expected_text(source)
    assert card.notes == expected_text(note)
    assert card.tags == expected_tags(tag_list)
    assert card.created_at == NOW
    assert card == added  # what `add` reported is what was stored


@PROPERTY_SETTINGS
@given(name=names)
def test_a_card_is_found_by_its_name_typed_in_any_case(book: str, name: str) -> None:
    with transaction(book, write=True) as session:
        added = add_client(session, CardFields(name=name), now=NOW).card  # issue 11: + warnings
    # Unique among the cards of this database: the name plus a suffix of its own id.
    unique = f"{added.name} #{added.id}"
    with transaction(book, write=True) as session:
        edit_client(session, str(added.id), CardFields(name=unique), now=NOW)
    with transaction(book, write=False) as session:
        assert stored_card(session, unique.casefold()).id == added.id
        shouted = unique.upper()
        if shouted.casefold() == unique.casefold():  # not so for U+0131 (dotless i): upper is I
            assert stored_card(session, shouted).id == added.id


# ---- the machine formats carry any text ---------------------------------------------------

FIELDS = ["id", "text", "tags"]
COLUMNS = [Column("id", "ID"), Column("text", "Text")]


def _tsv_unescape(field: str) -> str:
    out, chars = [], iter(field)
    for c in chars:
        if c == "\\":
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[next(chars)])
        else:
            out.append(c)
    return "".join(out)


def _listing(fmt: Format, rows: list[dict[str, object]], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    write_listing(rows, FIELDS, COLUMNS, fmt)
    return capsys.readouterr().out


any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)


@PROPERTY_SETTINGS
@given(values=st.lists(any_text, min_size=1, max_size=5))
def test_tsv_rows_stay_one_line_and_unescape_to_the_value(
    values: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[dict[str, object]] = [{"id": i, "text": v, "tags": []} for i, v in enumerate(values)]
    lines = _listing(Format.tsv, rows, capsys).split("\n")
    assert lines[0] == "id\ttext\ttags"
    assert lines[-1] == ""
    body = [line.split("\t") for line in lines[1:-1]]
    assert [(int(r[0]), restore_cell(_tsv_unescape(r[1])), r[2]) for r in body] == [
        (i, v, "") for i, v in enumerate(values)
    ]


@PROPERTY_SETTINGS
@given(values=st.lists(any_text, min_size=1, max_size=5))
def test_csv_rows_parse_back_to_the_value(
    values: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[dict[str, object]] = [
        {"id": i, "text": v, "tags": ["a", "b"]} for i, v in enumerate(values)
    ]
    parsed = list(csv.reader(io.StringIO(_listing(Format.csv, rows, capsys), newline="")))
    parsed[1:] = [[i, restore_cell(v), t] for i, v, t in parsed[1:]]
    assert parsed == [FIELDS] + [[str(i), v, "a,b"] for i, v in enumerate(values)]


def test_flat_value_of_none_and_booleans() -> None:
    assert (flat_value(None), flat_value(True), flat_value(False)) == ("", "true", "false")
