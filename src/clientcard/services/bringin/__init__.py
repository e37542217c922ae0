"""`import`: many cards at once from the files people have (docs/import.md).

A *reader* knows a format: it turns a CSV or TSV file (`text`, `table`), an Excel sheet or a
vCard file into `Incoming` cards (their fields as `add` takes them) or `Refused` ones
(`incoming`). This module knows the book: every incoming card is checked and cleaned by
`clients.new_card`, the function `add` uses; it is compared with the live cards of the book and
the cards before it in the file (same phone, same e-mail, or same name and company) and then
added, skipped or used to update the card it matches (`--on-duplicate`); and the new cards are
inserted `CHUNK` at a time, all in the command's one transaction. A bad row imports nothing,
unless `skip_invalid`; every bad row is still checked and reported.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from clientcard.domain.duplicates import company_key
from clientcard.domain.errors import InvalidValue
from clientcard.domain.errors import Refused as DomainRefused
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.bringin.incoming import Incoming, Reader, Refused, Shape, where
from clientcard.services.clients import EMAIL, PHONE, NewCard, new_card, stored_key
from clientcard.store import fulltext
from clientcard.store.db import Db
from clientcard.store.records import Client, ClientReach, ClientTag, GradeChange, KeyDate

CHUNK = 5000  # rows checked, compared and inserted at a time

IMPORT_FORMATS = ("csv", "tsv", "xlsx", "vcard")


class OnDuplicate(StrEnum):
    skip = "skip"
    update = "update"
    add = "add"


@dataclass
class Imported:
    """What an import did (or, `dry_run`, would do)."""

    cards: int = 0  # new cards
    updated: int = 0  # cards of the book a row changed (--on-duplicate update)
    current: int = 0  # cards of the book a row would update, that had all it holds already
    skipped: list[str] = field(default_factory=list)  # "line 7: 张伟 is already #3 张伟, ..."
    refused: list[str] = field(default_factory=list)  # "line 9: a client's name cannot be empty"
    # The refused rows as read, with their reasons, for --rejects.
    rejects: list[tuple[object, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # the listing's columns a card cannot take
    read_as: str | None = None  # how the text was read, when not plain UTF-8
    kept: list[str] = field(default_factory=list)  # columns whose values went to the notes
    notes: list[str] = field(default_factory=list)  # for stderr: what an update did not take
    occasions: dict[str, int] = field(default_factory=dict)  # birthdays... recorded, by kind
    dry_run: bool = False
    skip_invalid: bool = False
    shape: Shape = field(default_factory=lambda: Shape("csv"))

    # Every skipped and refused row's line, in the file's order: (is it a refusal, the line).
    lines: list[tuple[bool, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Rows were refused and the import may not skip them: nothing is written."""
        return bool(self.refused) and not self.skip_invalid


@dataclass
class _Match:
    client_id: int
    why: str  # "phone 138 0013 8000", "e-mail a@b.cn", "name and company"
    at: str | None = None  # a row of the same file (a card this import adds): "line 7"


Keys = list[tuple[tuple[str, str], str]]  # ((kind, key), what it is: "phone 138 0013 8000")


class _Index:
    """Who is already in the book or the file, by phone key, e-mail key, and name and
    company: the book's live cards, read a chunk of keys at a time, and the cards this import
    adds, as they come."""

    def __init__(self, db: Db) -> None:
        self._db = db
        self._book: dict[tuple[str, str], list[int]] = {}
        # key -> (card id, where in the file: "line 7", "a.vcf, line 7")
        self._file: dict[tuple[str, str], tuple[int, str]] = {}
        self.labels: dict[int, str] = {}  # the book's cards that matched: "#3 张伟 (平安)"

    @staticmethod
    def keys(card: NewCard) -> Keys:
        """(key, what it is) of a card: its phones, its e-mails, its name and company."""
        out: Keys = []
        for kind, entries in ((PHONE, card.reach.phones), (EMAIL, card.reach.emails)):
            for _kind, value in entries:
                # A phone read in the region of the settings (phone.region), as new_card did.
                key = stored_key(kind, value, card.reach.region)
                if key:
                    out.append(((kind, key), f"{_(_WHAT[kind])} {value}"))
        company = company_key(card.client.company)
        if company:
            out.append((("name", f"{card.client.name_key}\x1f{company}"), _("name and company")))
        elif not out:
            # Nothing but a name (and notes...): the same as a card that has nothing else
            # either, so that importing such a file twice adds nothing the second time.
            out.append((("bare", card.client.name_key), _(_BARE)))
        return out

    def load(self, cards: Iterable[Keys]) -> None:
        """Read the book's live cards that share a key with any of `cards` (their keys)."""
        self._book = {}
        wanted: dict[str, set[str]] = {PHONE: set(), EMAIL: set()}
        names: set[str] = set()
        bare: set[str] = set()
        for card_keys in cards:
            for (kind, key), _typed in card_keys:
                if kind == "name":
                    names.add(key.split("\x1f")[0])
                elif kind == "bare":
                    bare.add(key)
                else:
                    wanted[kind].add(key)
        for kind, keys in wanted.items():
            for part in _parts(sorted(keys)):
                for client_id, key in self._db.rows(
                    "SELECT r.client_id, r.key FROM client_reach r JOIN client c "
                    "ON c.id = r.client_id WHERE c.archived_at IS NULL AND r.kind = :kind "
                    "AND r.key IN :keys ORDER BY r.client_id",
                    kind=kind,
                    keys=part,
                ):
                    self._book.setdefault((kind, key), []).append(client_id)
        for part in _parts(sorted(names)):
            for client_id, key, company in self._db.rows(
                "SELECT id, name_key, company FROM client WHERE archived_at IS NULL "
                "AND company IS NOT NULL AND name_key IN :keys ORDER BY id",
                keys=part,
            ):
                joined = f"{key}\x1f{company_key(company)}"
                self._book.setdefault(("name", joined), []).append(client_id)
        for part in _parts(sorted(bare)):
            for client_id, key in self._db.rows(
                "SELECT id, name_key FROM client WHERE archived_at IS NULL AND company IS NULL "
                "AND phone IS NULL AND email IS NULL AND name_key IN :keys ORDER BY id",
                keys=part,
            ):
                self._book.setdefault(("bare", key), []).append(client_id)
        # The matched cards as a report names them, `#3 张伟 (平安)`, read once per chunk.
        self.labels = {}
        matched = sorted({i for ids in self._book.values() for i in ids})
        for ids in _parts(matched):
            for client_id, name, company in self._db.rows(
                "SELECT id, name, company FROM client WHERE id IN :ids", ids=ids
            ):
                self.labels[client_id] = f"#{client_id} {name}" + (
                    f" ({company})" if company else ""
                )

    def matches(self, keys: Keys) -> list[_Match]:
        """The cards a card with `keys` is the same client as, each once, with the first
        reason. A card this import added is named by its row, even once written (an earlier
        chunk's cards are in the book by then)."""
        found: dict[int, _Match] = {}
        for key, why in keys:
            if key in self._file:
                client_id, at = self._file[key]
                found.setdefault(client_id, _Match(client_id, why, at))
        for key, why in keys:
            for client_id in self._book.get(key, []):
                found.setdefault(client_id, _Match(client_id, why))
        return list(found.values())

    def add(self, keys: Keys, client_id: int, at: str) -> None:
        for key, _typed in keys:
            self._file.setdefault(key, (client_id, at))


_WHAT = {PHONE: N_("phone"), EMAIL: N_("e-mail")}
_BARE = N_("name, and neither has a phone, e-mail or company")
_T = TypeVar("_T")
_IN_LIMIT = 900  # keys in one IN list (well under SQLite's and PostgreSQL's limits)


def _parts(keys: list[_T]) -> Iterable[list[_T]]:
    for start in range(0, len(keys), _IN_LIMIT):
        yield keys[start : start + _IN_LIMIT]


def _insert(db: Db, cards: list[NewCard], dates: list[KeyDate]) -> None:
    ids = [c.client.id for c in cards if c.client.id is not None]
    # SQLite: the new cards are indexed for search in one statement, not by the trigger row
    # by row (store/fulltext.py; the drop and the trigger made again are inside the import's
    # transaction). On PostgreSQL the trigger does it.
    bulk = db.dialect == "sqlite" and len(ids) == len(cards) and bool(ids)
    if bulk:
        db.make_indexes([f"DROP TRIGGER IF EXISTS {fulltext.CLIENT_INSERT_TRIGGER}"])
    db.insert_many((c.client for c in cards), Client, with_ids=True)
    if bulk:
        db.make_indexes([fulltext.client_insert_trigger()])
        db.execute(fulltext.index_cards(), low=min(ids), high=max(ids))
    db.insert_many((t for c in cards for t in c.tag_records()), ClientTag)
    db.insert_many((r for c in cards for r in c.reach_records()), ClientReach)
    db.insert_many((c.first_grade_change() for c in cards), GradeChange)
    if dates:
        db.insert_many(dates, KeyDate)


def import_cards(
    db: Db,
    reader: Reader,
    *,
    now: datetime,
    settings: Settings,
    on_duplicate: OnDuplicate = OnDuplicate.skip,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    """Add a card for every row or card `reader` gives, in its order (ids follow it).

    Each is checked as `add` checks a card; a bad one is refused (named by its line). One that
    is the same client as a live card of the book or an earlier row (same phone or e-mail, or
    same name and company) is skipped, updates that card (`update`: `update_card`), or is
    added all the same (`add`). Refused rows make the result `failed` unless `skip_invalid`:
    the caller then raises, and its transaction writes nothing. `dry_run` writes nothing and
    reports what the import would do. `progress` is told how many rows are done, now and then.
    """
    result = Imported(
        ignored=reader.ignored,
        read_as=reader.read_as,
        dry_run=dry_run,
        shape=reader.shape,
        skip_invalid=skip_invalid,
    )
    # No other card can take these ids meanwhile: the write transaction holds SQLite's lock,
    # and on PostgreSQL the table is locked first.
    if not dry_run:
        db.lock_for_new_ids("client")
        db.for_bulk_writes()
    first_id = int(db.scalar("SELECT max(id) FROM client") or 0) + 1
    if on_duplicate is OnDuplicate.update:
        from clientcard.services.bringin.update import update_card
    index = _Index(db)
    kept: dict[str, None] = {}
    done = 0
    pending: list[tuple[int, Incoming, NewCard]] = []  # (its place in the file, ...)
    said: list[tuple[int, bool, str]] = []  # skipped and refused rows, by their place

    def refuse(place: int, item: Incoming | Refused, reason: str) -> None:
        result.refused.append(f"{where(item)}: {reason}")
        result.rejects.append((item.raw, reason))
        said.append((place, True, result.refused[-1]))

    def settle() -> None:
        """Compare the pending cards with the book and each other, then write them."""
        nonlocal pending
        keyed = [_Index.keys(card) for _, _, card in pending]
        index.load(keyed)
        added: list[NewCard] = []
        dates: list[KeyDate] = []
        for (place, item, card), keys in zip(pending, keyed, strict=True):
            matches = [] if on_duplicate is OnDuplicate.add else index.matches(keys)
            if (
                matches
                and on_duplicate is OnDuplicate.update
                and len(matches) == 1
                and (matches[0].at is None)
            ):
                if not dry_run and not result.failed:
                    try:
                        changed, said_of = update_card(
                            db, matches[0].client_id, item, now=now, settings=settings
                        )
                        result.notes += [f"{where(item)}: {note}" for note in said_of]
                    except (InvalidValue, DomainRefused) as exc:
                        refuse(place, item, str(exc))
                        continue
                    kept.update(dict.fromkeys(item.kept))
                    if not changed:
                        result.current += 1
                        continue
                result.updated += 1
                continue
            if matches and on_duplicate is OnDuplicate.update and len(matches) > 1:
                named = "; ".join(_same_as(index, m) for m in matches[:3])
                refuse(
                    place,
                    item,
                    _(
                        "matches more than one card ({cards}): merge them first (clientcard "
                        "merge), or import with --on-duplicate add"
                    ).format(cards=named),
                )
                continue
            if matches:
                result.skipped.append(
                    _("{where}: {name} {same}: skipped").format(
                        where=where(item), name=card.client.name, same=_same_as(index, matches[0])
                    )
                )
                said.append((place, False, result.skipped[-1]))
                continue
            card.client.id = first_id + result.cards
            result.cards += 1
            index.add(keys, card.client.id, where(item))
            kept.update(dict.fromkeys(item.kept))
            for kind, _text in item.occasions:
                result.occasions[kind] = result.occasions.get(kind, 0) + 1
            if dry_run or result.failed:
                continue
            added.append(card)
            for kind, (year, month, day) in item.occasions:
                dates.append(
                    KeyDate(
                        client_id=card.client.id,
                        kind=kind,
                        month=month,
                        day=day,
                        year=year,
                        yearly=True,
                        author=card.client.created_by,
                    )
                )
        if added:
            _insert(db, added, dates)
        pending = []

    for item in reader.cards(first_id):
        done += 1
        if progress is not None and done % 500 == 0:
            progress(done)
        if isinstance(item, Refused):
            refuse(done, item, item.reason)
            continue
        try:
            card = new_card(db, item.fields, now=now, settings=settings)
        except InvalidValue as exc:
            refuse(done, item, str(exc))
            continue
        pending.append((done, item, card))
        if len(pending) == CHUNK:
            settle()
    settle()
    if progress is not None:
        progress(done)
    result.kept = list(kept)
    result.lines = [(refusal, line) for _, refusal, line in sorted(said)]
    return result


def open_reader(
    db: Db,
    data: bytes,
    fmt: str | None,
    *,
    source: str | None = None,
    encoding: str | None = None,
    mapping: list[str] | None = None,
    folder: list[tuple[str, bytes]] | None = None,
    sheet: str | None = None,
) -> Reader:
    """The reader of a file's bytes: `fmt` csv, tsv, xlsx or vcard, or None: an Excel workbook
    when the bytes are one (a zip, or an old .xls to refuse); vCard when `source` is named
    `.vcf` or `.vcard` or the text begins with BEGIN:VCARD; else CSV separated by commas or
    tabs, whichever the header line has more of. The text's encoding is detected unless given
    (`text.decoded`); text that cannot be read raises InvalidValue naming `source`.
    `folder`: the (name, bytes) of a folder's vCard files, read in that order (`data` unused).
    A workbook is read by `xlsx`: the sheet named `sheet`, else the first."""
    from clientcard.services.bringin import text
    from clientcard.services.bringin.table import Table, parse_map

    if source is None:
        source = _("the file")

    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise InvalidValue(
            _("unknown import format {fmt}; use {value}").format(
                fmt=repr(fmt), value=", ".join(IMPORT_FORMATS)
            )
        )
    if fmt == "vcard" or folder is not None or (fmt is None and _is_vcard(data, source)):
        from clientcard.services.bringin.vcard import VCards

        if folder is not None and fmt not in (None, "vcard"):
            raise InvalidValue(_("a folder is read as vCard files, not as {fmt}").format(fmt=fmt))
        if mapping:
            raise InvalidValue(_("--map names a sheet's columns; a vCard file has none"))
        if sheet is not None:
            raise InvalidValue(
                _("--sheet is for Excel workbooks (.xlsx); {source} is vCard").format(source=source)
            )
        return VCards(folder if folder is not None else [(None, data)], encoding)
    from clientcard.services.bringin import xlsx  # cheap: openpyxl only when a sheet is read

    if fmt == "xlsx" or (fmt is None and xlsx.is_workbook(data)):
        if encoding is not None:
            raise InvalidValue(_("--encoding is for CSV and TSV text; a workbook says its own"))
        return xlsx.reader(db, data, sheet=sheet, source=source, mapping=mapping)
    if sheet is not None:
        raise InvalidValue(
            _("--sheet is for Excel workbooks (.xlsx); {source} is text").format(source=source)
        )
    columns = parse_map(mapping or [])
    decoded, read_as, codec = text.decoded(data, encoding, source)
    size = decoded.count("\n")
    if fmt is None and decoded.lstrip()[:1] in ("[", "{"):
        raise InvalidValue(
            _(
                "{source} is JSON; import reads CSV, TSV, Excel and vCard: export the book "
                "with --format csv (or tsv) to import it"
            ).format(source=source)
        )
    titles: list[tuple[int, str]] = []
    if fmt == "tsv" or (fmt is None and text.is_our_tsv(decoded)):
        records = text.tsv_records(decoded)
        shape = Shape("tsv", None, "\t", codec)
    else:
        separator = "," if fmt == "csv" else text.separator_of(decoded)
        records, titles = text.below_titles(text.csv_records(decoded, separator))
        shape = Shape("csv", None, separator, codec)
    table = Table(db, records, columns, shape=shape, read_as=read_as, size=size)
    if titles:
        said = "; ".join(
            _("line {line}: {title}").format(line=line, title=title) for line, title in titles
        )
        table.warnings.append(_("the header is below the title ({lines})").format(lines=said))
    return table


def _is_vcard(data: bytes, source: str) -> bool:
    from clientcard.domain.vcard import looks_like_vcard

    return source.lower().endswith((".vcf", ".vcard")) or looks_like_vcard(data)


def _same_as(index: _Index, match: _Match) -> str:
    """`is already #3 张伟 (平安), same phone 138 0013 8000`, or the line of the file it
    repeats."""
    if match.at is not None:
        return _("is the same client as {at}, same {why}").format(at=match.at, why=match.why)
    return _("is already {card}, same {why}").format(
        card=index.labels[match.client_id], why=match.why
    )
