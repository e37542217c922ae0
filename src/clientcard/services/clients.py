"""Cards: add, edit, list, show, archive, unarchive, delete."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clientcard.domain import pinyin
from clientcard.domain.cards import (
    clean_email,
    clean_label,
    clean_name,
    clean_search,
    clean_tags,
    clean_text,
    email_key,
    name_key,
    search_key,
    split_emails,
    split_label,
    split_phones,
)
from clientcard.domain.dates import zone_of
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.grades import FKind, Grade, GradeSelector, days_held
from clientcard.domain.phone_keys import DEFAULT_REGION, phone_key
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import schedule_by_cadence
from clientcard.services.views import CardView, ClientRef, ClientView, GradeChangeView
from clientcard.store.db import Db
from clientcard.store.records import Client, ClientReach, ClientTag, GradeChange
from clientcard.store.where import Where

# The free-text fields every card has; `add` and `edit` take one option for each. (Phones and
# e-mail addresses, several per card, have their own rules: `Reach`.)
TEXT_FIELDS = ("company", "title", "address", "source", "notes")


@dataclass
class CardFields:
    """What the user typed for `add` or `edit`. None means "not given"; for `edit`, an empty
    string clears the field."""

    name: str | None = None
    company: str | None = None
    title: str | None = None
    # One field that may hold several numbers or addresses (an import's cell): as `phones=[phone]`.
    phone: str | None = None
    email: str | None = None
    # `--phone`, `--email`, each maybe labelled (`work:010 6552 1234`): a card's whole list,
    # the first the main one (None: not given; on `edit` they replace the card's list). Added
    # to it, removed from it (matched by key), made the main one: `--add-phone`, ...
    phones: list[str] | None = None
    emails: list[str] | None = None
    add_phones: list[str] = field(default_factory=list)
    add_emails: list[str] = field(default_factory=list)
    remove_phones: list[str] = field(default_factory=list)
    remove_emails: list[str] = field(default_factory=list)
    main_phone: str | None = None
    main_email: str | None = None
    address: str | None = None
    source: str | None = None
    notes: str | None = None
    owner: str | None = None
    referred_by: str | None = None
    grade: Grade | None = None
    tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)


class SortKey(StrEnum):
    name = "name"
    grade = "grade"
    updated = "updated"
    created = "created"
    in_grade = "in-grade"  # longest held first (client.graded_at, indexed)


@dataclass
class ClientFilter:
    grades: Sequence[Grade | GradeSelector] = ()  # a grade, or one kind of F (F-new, F-slow)
    tags: Sequence[str] = ()
    search: str | None = None
    archived: bool = False
    sort: SortKey = SortKey.name
    limit: int | None = None
    customer: bool | None = None  # True: customers only (a sale recorded); False: prospects only
    credit: Sequence[str] = ()  # only these credit ratings (good, fair, poor)
    min_loyalty: int | None = None  # only cards rated this loyal or more (unrated ones left out)
    now: datetime | None = None  # the views count their time in grade up to it
    phone_region: str = DEFAULT_REGION  # a search for a number reads it here (phone.region)
    owner: str | None = None  # a name, `me` or `none` (the pool's): services/owners.py


# ---- reading -----------------------------------------------------------------------------


def _tags_of(db: Db, ids: Iterable[int]) -> dict[int, list[str]]:
    wanted = list(ids)
    tags: dict[int, list[str]] = {i: [] for i in wanted}
    if not wanted:
        return tags
    rows = db.rows(
        "SELECT client_id, tag FROM client_tag WHERE client_id IN :ids ORDER BY client_id, tag",
        ids=wanted,
    )
    for client_id, tag in rows:
        tags[client_id].append(tag)
    return tags


def _refs(db: Db, ids: Iterable[int | None]) -> dict[int, ClientRef]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.select(Client, "WHERE id IN :ids", ids=wanted)
    return {c.id: ClientRef.of(c) for c in rows if c.id is not None}


def views_of(db: Db, clients: Sequence[Client], now: datetime | None = None) -> list[ClientView]:
    """Views for many cards with three extra queries in all (tags, phones and e-mails,
    referrers), not three per card.
    With `now`, they count their time in grade up to it."""
    tags = _tags_of(db, (c.id for c in clients if c.id is not None))
    reach = _reach_of(db, (c.id for c in clients if c.id is not None))
    refs = _refs(db, (c.referred_by_id for c in clients))
    views = []
    for c in clients:
        assert c.id is not None
        views.append(
            ClientView(
                id=c.id,
                name=c.name,
                company=c.company,
                title=c.title,
                phone=c.phone,
                email=c.email,
                address=c.address,
                source=c.source,
                referred_by=refs.get(c.referred_by_id) if c.referred_by_id else None,
                tags=tags[c.id],
                notes=c.notes,
                grade=Grade(c.grade),
                owner=c.owner,
                created_at=c.created_at,
                updated_at=c.updated_at,
                archived_at=c.archived_at,
                first_sale_at=c.first_sale_at,
                graded_at=c.graded_at,
                last_visit_at=c.last_visit_at,
                as_of=now,
                phones=tuple(reach[c.id].phones),
                emails=tuple(reach[c.id].emails),
                created_by=c.created_by,
                updated_by=c.updated_by,
            )
        )
    return views


def view_of(db: Db, client: Client, now: datetime | None = None) -> ClientView:
    return views_of(db, [client], now)[0]


def _grade_condition(where: Where, selectors: Sequence[Grade | GradeSelector]) -> None:
    """`--grade`: whole grades by the grade index, a kind of F by whether it was visited."""
    whole = [s.value for s in selectors if isinstance(s, Grade)]
    whole += [s.grade.value for s in selectors if isinstance(s, GradeSelector) and not s.kind]
    kinds = {s.kind for s in selectors if isinstance(s, GradeSelector) and s.kind}
    parts = []
    if whole:
        parts.append("grade IN :grades")
    for kind in kinds:
        visited = "IS NOT NULL" if kind is FKind.slow else "IS NULL"
        parts.append(f"(grade = :f_grade AND last_visit_at {visited})")
    where.add(
        "(" + " OR ".join(parts) + ")",
        **({"grades": whole} if whole else {}),
        **({"f_grade": Grade.F.value} if kinds else {}),
    )


def list_clients(db: Db, flt: ClientFilter) -> list[ClientView]:
    if flt.limit is not None and flt.limit < 1:
        raise InvalidValue(_("--limit must be 1 or more, not {limit}").format(limit=flt.limit))
    where = Where("archived_at IS NOT NULL" if flt.archived else "archived_at IS NULL")
    if flt.grades:
        _grade_condition(where, flt.grades)
    if flt.customer is not None:
        where.add("first_sale_at IS NOT NULL" if flt.customer else "first_sale_at IS NULL")
    if flt.credit:
        where.add("credit IN :credit", credit=list(flt.credit))
    if flt.owner is not None:
        from clientcard.services.owners import owner_condition

        owner_condition(db, where, flt.owner)
    if flt.min_loyalty is not None:
        where.add("loyalty >= :min_loyalty", min_loyalty=flt.min_loyalty)
    for i, tag in enumerate(clean_tags(list(flt.tags))):
        where.add(
            f"id IN (SELECT client_id FROM client_tag WHERE tag = :tag{i})", **{f"tag{i}": tag}
        )
    search = clean_search(flt.search)
    if search:
        # Any word anywhere on the card, through the search index (services/search.py, issue
        # 18): the same cards `search` finds, listed in the listing's order.
        from clientcard.services.search import condition, words

        found = words(search, flt.phone_region)
        if found:
            sql, params = condition(db, found, "id")
            where.add(sql, **params)
        else:  # nothing searchable (only control characters): nothing matches
            where.add("1 = 0")
    orders = {
        SortKey.name: "sort_key, id",  # Chinese names by pinyin (issue 18)
        SortKey.grade: "grade, sort_key, id",
        SortKey.updated: "updated_at DESC, id DESC",
        SortKey.created: "created_at DESC, id DESC",
        SortKey.in_grade: "graded_at, id",
    }
    tail = where.tail(orders[flt.sort], flt.limit)
    return views_of(db, db.select(Client, tail, **where.params), flt.now)


def card_of(db: Db, client: Client, now: datetime | None = None) -> CardView:
    """A card with its grade history and the cards it referred (with `now`: how long it has
    held its grade, and each grade of its history)."""
    view = view_of(db, client, now)
    history = grade_history_of(db, client, now)
    referrals = db.select(Client, "WHERE referred_by_id = :id ORDER BY sort_key, id", id=client.id)
    return CardView(client=view, history=history, referrals=[ClientRef.of(c) for c in referrals])


def grade_history_of(db: Db, client: Client, now: datetime | None = None) -> list[GradeChangeView]:
    """The grade changes in the order they were made (by id: the order their commands
    committed, docs/design.md#working-at-the-same-time), the newest last, whose `to` is the
    card's grade; with `now`, how many days each grade was held: until the next change, the
    current one until now."""
    rows = db.select(GradeChange, "WHERE client_id = :id ORDER BY id", id=client.id)
    me = ClientRef.of(client)
    views = []
    for i, r in enumerate(rows):
        current = i == len(rows) - 1
        until = now if current else rows[i + 1].changed_at
        views.append(
            GradeChangeView(
                client=me,
                from_grade=Grade(r.from_grade) if r.from_grade else None,
                to_grade=Grade(r.to_grade),
                changed_at=r.changed_at,
                reason=r.reason,
                held_days=None
                if until is None or now is None
                else days_held(r.changed_at, until, zone_of(now)),
                current=current,
                author=r.author,
            )
        )
    return views


# ---- writing -----------------------------------------------------------------------------


def _apply_text_fields(client: Client, fields: CardFields) -> None:
    """Set the given text fields (not phones and e-mails: `_apply_reach`), cleaned."""
    for name in TEXT_FIELDS:
        value = getattr(fields, name)
        if value is not None:
            setattr(client, name, clean_text(value, name))


_MAKER = "<the card's maker>"


def _owner(db: Db, value: str | None) -> str | None:
    """`--owner` (add, edit, import): a name, `me`, `none` (the pool: None), checked as every
    person's name (services/owners.person); _MAKER when not given or blank."""
    if value is None or not value.strip():
        return _MAKER
    from clientcard.services.owners import person

    return person(db, value, "--owner", pool=True)


def _refresh_keys(client: Client, reach: "CardReach") -> None:
    """The columns derived from the card's text: its name folded (lookups and sorting), its
    searched fields folded (`_search_key`), its main phone's and e-mail's keys. Every write of
    those fields comes through here."""
    client.name_key = name_key(client.name)
    client.sort_key = pinyin.sort_key(client.name)
    client.pinyin, client.initials = pinyin.forms(client.name) or (None, None)
    client.search_key = _search_key(client.name, client.company, client.notes, reach)
    client.phone = reach.phones[0][1] if reach.phones else None
    client.email = reach.emails[0][1] if reach.emails else None
    client.phone_key = phone_key(client.phone, reach.region)
    client.email_key = email_key(client.email)


def _search_key(
    name: str | None, company: str | None, notes: str | None, reach: "CardReach"
) -> str:
    """What `list --search` reads: the searched fields folded, every phone as typed and as its
    key (digits with the country code), every e-mail address; then the pinyin and initials of
    a name or company in Chinese (issue 18: domain/pinyin.py, its table loaded only then)."""
    phones = [value for _, value in reach.phones]
    phone_keys = [key for key in (phone_key(p, reach.region) for p in phones) if key]
    return search_key(
        name,
        company,
        notes,
        " ".join(phones + phone_keys),
        " ".join(value for _, value in reach.emails),
        *pinyin.search_forms(name, company),
    )


# ---- phones and e-mail addresses: several per card (issue 14) ----------------------------

PHONE, EMAIL = "phone", "email"
Reach = tuple[str | None, str]  # (label, the number or address as typed)
# Where one --email value holds several addresses; within a part, blanks split them too.
_EMAIL_PARTS = re.compile("[,;\n\uff0c\uff1b\u3001]")
_NOUN = {PHONE: N_("phone"), EMAIL: N_("e-mail address")}


@dataclass
class CardReach:
    """A card's phones and e-mail addresses, in order: the first of each is the main one."""

    phones: list[Reach] = field(default_factory=list)
    emails: list[Reach] = field(default_factory=list)
    region: str = DEFAULT_REGION  # the phones' keys are read in it (setting phone.region)

    def of(self, kind: str) -> list[Reach]:
        return self.phones if kind == PHONE else self.emails

    def records(self, client_id: int, kind: str) -> list[ClientReach]:
        return [
            ClientReach(
                client_id=client_id,
                kind=kind,
                position=position,
                label=label,
                value=value,
                key=stored_key(kind, value, self.region),
            )
            for position, (label, value) in enumerate(self.of(kind))
        ]


def stored_key(kind: str, value: str, region: str) -> str | None:
    """The key client_reach holds for a phone (read in `region`, setting phone.region) or an
    e-mail address: None for a phone without one (no digits, or letters)."""
    return phone_key(value, region) if kind == PHONE else email_key(value)


def reach_key(kind: str, value: str, region: str) -> str:
    """When two phones (e-mail addresses) of a card are one: the same key (a phone without a
    key: the same text, in any case)."""
    return stored_key(kind, value, region) or value.casefold()


def _parse(kind: str, items: Sequence[str], region: str) -> list[Reach]:
    """`--phone` (`--email`) values: each maybe several (domain.cards.split_phones,
    split_emails), each maybe labelled (`work:...`, when a number, an address, follows the
    colon). Cleaned; a number given twice (by key) is kept once, the first."""
    found: dict[str, Reach] = {}
    for item in items:
        parts = split_phones(item) if kind == PHONE else _EMAIL_PARTS.split(item)
        for part in parts:
            if not part.strip():
                continue
            label, rest = split_label(part)
            if label is not None and not rest:
                raise InvalidValue(
                    _("--{kind} {value} has a label but no {NOUN} after it").format(
                        kind=kind, value=repr(part.strip()), NOUN=_(_NOUN[kind])
                    )
                )
            if label is not None and (
                "@" not in rest if kind == EMAIL else not any(ch.isdigit() for ch in rest)
            ):
                label, rest = None, part.strip()  # "=HYPERLINK(\"http://x\")": no label
            if label is None and kind == PHONE:
                values = [rest]  # a part of split_phones: splitting it again gives itself
            else:
                values = split_phones(rest) if kind == PHONE else split_emails(rest)
            for value in values:
                cleaned = clean_text(value, kind) if kind == PHONE else clean_email(value)
                assert cleaned is not None
                found.setdefault(reach_key(kind, cleaned, region), (clean_label(label), cleaned))
    return list(found.values())


def _one(kind: str, option: str, typed: str, region: str) -> Reach:
    parsed = _parse(kind, [typed], region)
    if len(parsed) != 1:
        raise InvalidValue(
            _("{option} takes one {NOUN}, not {typed}").format(
                option=option, NOUN=_(_NOUN[kind]), typed=repr(typed)
            )
        )
    return parsed[0]


def _reach_of(db: Db, ids: Iterable[int]) -> dict[int, CardReach]:
    """The phones and e-mails of many cards, in one query."""
    wanted = list(ids)
    reach = {i: CardReach() for i in wanted}
    if not wanted:
        return reach
    for client_id, kind, label, value in db.rows(
        "SELECT client_id, kind, label, value FROM client_reach WHERE client_id IN :ids"
        " ORDER BY client_id, kind, position",
        ids=wanted,
    ):
        reach[client_id].of(kind).append((label, value))
    return reach


def _new_list(kind: str, current: list[Reach], fields: CardFields, region: str) -> list[Reach]:
    """The card's phones (e-mails) after `fields`: `--phone` replaces the list, `--add-phone`
    appends a number the card lacks (a label given relabels one it has), `--remove-phone`
    removes one (matched by key; one the card lacks is refused), `--main-phone` moves one to
    the front (added there if the card lacks it)."""
    given: list[str] | None = getattr(fields, f"{kind}s")
    single: str | None = getattr(fields, kind)
    if given is None and single is not None:
        given = [single]
    result = _parse(kind, given, region) if given is not None else list(current)
    keys = [reach_key(kind, value, region) for _, value in result]

    def place(label: str | None, value: str, at: int | None) -> None:
        key = reach_key(kind, value, region)
        if key in keys:
            i = keys.index(key)
            entry = (label if label is not None else result[i][0], result[i][1])
            if at is None:
                result[i] = entry
                return
            del result[i], keys[i]
        else:
            entry = (label, value)
        result.insert(len(result) if at is None else at, entry)
        keys.insert(len(keys) if at is None else at, key)

    for label, value in _parse(kind, getattr(fields, f"add_{kind}s"), region):
        place(label, value, None)
    for typed in getattr(fields, f"remove_{kind}s"):
        _label, value = _one(kind, f"--remove-{kind}", typed, region)
        key = reach_key(kind, value, region)
        if key not in keys:
            has = ", ".join(v for _, v in result) or "none"
            raise InvalidValue(
                _("the card has no {NOUN} {value} to remove; its {NOUN}s: {has}").format(
                    NOUN=_(_NOUN[kind]), value=value, has=has
                )
            )
        i = keys.index(key)
        del result[i], keys[i]
    main: str | None = getattr(fields, f"main_{kind}")
    if main is not None:
        label, value = _one(kind, f"--main-{kind}", main, region)
        place(label, value, 0)
    return result


def _dropped(fields: CardFields, before: CardReach, after: CardReach) -> list[str]:
    """Warnings for the numbers (addresses) an `edit --phone` (`--email`) replaced without
    naming them: the user may have meant --add-phone. None when the list was cleared ("")."""
    warnings = []
    for kind in (PHONE, EMAIL):
        replaced = getattr(fields, f"{kind}s") is not None or getattr(fields, kind) is not None
        if not replaced or not after.of(kind):
            continue
        removed = {
            reach_key(kind, split_label(v)[1], after.region)
            for v in getattr(fields, f"remove_{kind}s")
        }
        gone = [
            v
            for v in _added(kind, after.of(kind), before.of(kind), after.region)
            if reach_key(kind, v, after.region) not in removed
        ]
        if gone:
            warnings.append(
                _(
                    "--{kind} replaced the card's {noun}s; no longer on it: {gone}"
                    " (--add-{kind} adds one and keeps the others)"
                ).format(kind=kind, noun=_(_NOUN[kind]), gone=", ".join(gone))
            )
    return warnings


def _write_reach(db: Db, client_id: int, reach: CardReach, kinds: Iterable[str]) -> None:
    for kind in kinds:
        db.execute(
            "DELETE FROM client_reach WHERE client_id = :id AND kind = :kind",
            id=client_id,
            kind=kind,
        )
        for record in reach.records(client_id, kind):
            db.insert(record)


# Cards re-keyed per query: an IN list well under any database's limit on parameters.
REKEY_CHUNK = 500


def rekey_phones(db: Db, region: str) -> int:
    """Every phone's key read again in `region`, after `config set phone.region`: the numbers'
    keys (client_reach.key) and the cards' main phone_key and search_key (which holds every
    number's key). Only what changed is written; the cards' updated_at stays (the user changed
    no card). The number of cards whose keys changed."""
    changed: list[int] = []
    rows = db.rows(
        "SELECT id, client_id, value, key FROM client_reach WHERE kind = :kind ORDER BY id",
        kind=PHONE,
    )
    for reach_id, client_id, value, key in rows:
        new = phone_key(value, region)
        if new != key:
            db.execute("UPDATE client_reach SET key = :key WHERE id = :id", key=new, id=reach_id)
            changed.append(client_id)
    cards = list(dict.fromkeys(changed))
    for start in range(0, len(cards), REKEY_CHUNK):
        chunk = cards[start : start + REKEY_CHUNK]
        reach = _reach_of(db, chunk)
        # Plain rows, not records: a write transaction remembers every record it loads, and
        # 100,000 cards would hold 200 MB.
        for client_id, name, company, notes in db.rows(
            "SELECT id, name, company, notes FROM client WHERE id IN :ids", ids=chunk
        ):
            card = reach[client_id]
            card.region = region
            db.execute(
                "UPDATE client SET phone_key = :phone_key, search_key = :search_key WHERE id = :id",
                phone_key=phone_key(card.phones[0][1], region) if card.phones else None,
                search_key=_search_key(name, company, notes, card),
                id=client_id,
            )
    return len(cards)


def _referrer_id(db: Db, ref: str | None, itself: Client | None = None) -> int | None:
    if ref is None or not ref.strip():
        return None
    referrer = resolve_client(db, ref)
    if itself is not None and referrer.id == itself.id:
        raise InvalidValue(_("a card cannot be referred by itself"))
    return referrer.id


@dataclass
class NewCard:
    """A new card, checked and cleaned, not yet written: the card itself and its tags. Its
    grade history starts with `first_grade_change` once the card has an id."""

    client: Client
    tags: list[str]
    reach: CardReach = field(default_factory=CardReach)

    def first_grade_change(self) -> GradeChange:
        """(none -> grade, "added"), at the moment the card was added."""
        assert self.client.id is not None
        return GradeChange(
            client_id=self.client.id,
            from_grade=None,
            to_grade=self.client.grade,
            changed_at=self.client.created_at,
            reason="added",
            author=self.client.created_by,
        )

    def tag_records(self) -> list[ClientTag]:
        assert self.client.id is not None
        return [ClientTag(client_id=self.client.id, tag=tag) for tag in self.tags]

    def reach_records(self) -> list[ClientReach]:
        """Its phones, then its e-mail addresses (client_reach)."""
        assert self.client.id is not None
        return [r for kind in (PHONE, EMAIL) for r in self.reach.records(self.client.id, kind)]


def new_card(
    db: Db, fields: CardFields, *, now: datetime, settings: Settings | None = None
) -> NewCard:
    """Every rule of a new card, for `add` and `import` alike, without writing anything: the
    fields checked and cleaned, grade F unless given, the referrer looked up (it only reads),
    and, never contacted yet, a follow-up one cadence after today. Made by the current user
    (`created_by`, `updated_by`), who owns it unless an owner is given."""
    if fields.name is None:
        raise InvalidValue(_("a client's name cannot be empty"))
    grade = fields.grade or Grade.F
    name = clean_name(fields.name)
    client = Client(
        name=name,
        name_key=name_key(name),
        grade=grade.value,
        created_at=now,
        updated_at=now,
        graded_at=now,
        referred_by_id=_referrer_id(db, fields.referred_by),
    )
    client.referred_at = now if client.referred_by_id is not None else None
    _apply_text_fields(client, fields)
    client.created_by = client.updated_by = db.author()  # None: no name found (unknown)
    given = _owner(db, fields.owner)
    client.owner = client.created_by if given is _MAKER else given
    settings = settings or Settings()
    region = settings.phone_region
    reach = CardReach(
        _new_list(PHONE, [], fields, region), _new_list(EMAIL, [], fields, region), region
    )
    _refresh_keys(client, reach)
    schedule_by_cadence(client, settings, zone_of(now))
    return NewCard(client, clean_tags(fields.tags), reach)


# ---- duplicates at the door ----------------------------------------------------------------

# At most this many other cards are named in a warning or a refusal about duplicates.
MAX_NAMED = 3


def _card_label(c: Client) -> str:
    """`#1 张伟 (阿里), phone 138 0013 8000`, for a warning or a refusal about a duplicate."""
    phone = _("phone {phone}").format(phone=c.phone) if c.phone else _("no phone")
    archived = _(", archived") if c.archived_at is not None else ""
    company = _(" ({company})").format(company=c.company) if c.company else ""
    return _("#{id} {name}{company}, {phone}{archived}").format(
        id=c.id, name=c.name, company=company, phone=phone, archived=archived
    )


def _labels(cards: Sequence[Client]) -> str:
    shown = "; ".join(_card_label(c) for c in cards[:MAX_NAMED])
    more = len(cards) - MAX_NAMED
    return shown + (_("; and {count} more").format(count=more) if more > 0 else "")


def _others(db: Db, column: str, key: str | None, itself: int | None) -> list[Client]:
    """The other cards whose `column` (name_key) is `key`, or which have the phone or e-mail
    (`column` "phone", "email") whose key is `key` among theirs (client_reach, by its index on
    kind and key); live ones first, then by id."""
    if key is None:
        return []
    if column in (PHONE, EMAIL):
        found = db.select(
            Client,
            "WHERE id IN (SELECT client_id FROM client_reach WHERE kind = :kind AND key = :key)"
            " ORDER BY id",
            kind=column,
            key=key,
        )
    else:
        found = db.select(Client, f"WHERE {column} = :key ORDER BY id", key=key)
    others = [c for c in found if c.id != itself]
    return sorted(others, key=lambda c: (c.archived_at is not None, c.id or 0))


def _check_duplicates(
    db: Db,
    client: Client,
    new: dict[str, list[str]],
    *,
    name: bool,
    allow: bool,
    region: str,
) -> list[str]:
    """The door of `add` and `edit`, for what was just given: a name (`name`), new phones and
    e-mail addresses (`new`, by kind: the values the card did not have). One already on a live
    card is refused (naming it) unless `allow`; on an archived card, or with `allow`, it is a
    warning. A name already in the book is a warning with the other card's id, company and
    phone. The warnings, for stderr."""
    warnings = []
    refusals = []
    for kind, what in ((PHONE, _("phone")), (EMAIL, _("e-mail"))):
        for value in new.get(kind, []):
            others = _others(db, kind, stored_key(kind, value, region), client.id)
            live = [c for c in others if c.archived_at is None]
            if live and not allow:
                refusals.append(
                    _("the {what} {value} is already on {cards}").format(
                        what=what, value=value, cards=_labels(live)
                    )
                )
            elif others:
                hint = (
                    ""
                    if live
                    else _("; `clientcard unarchive {id}` if it is the same client").format(
                        id=others[0].id
                    )
                )
                warnings.append(
                    _("the {what} {value} is also on {cards}").format(
                        what=what, value=value, cards=_labels(others)
                    )
                    + hint
                )
    if refusals:
        raise Refused(
            _(
                "{refusals}; if this is the same client, use that card "
                "(or `clientcard edit` it); if not, add --allow-duplicate"
            ).format(refusals="; ".join(refusals))
        )
    if name:
        same = _others(db, "name_key", client.name_key, client.id)
        if same:
            warnings.append(
                _("{name} is already in the book: {cards}").format(
                    name=client.name, cards=_labels(same)
                )
            )
    return warnings


def _added(kind: str, before: list[Reach], after: list[Reach], region: str) -> list[str]:
    """The values of `after` whose key `before` lacks: what the door checks."""
    had = {reach_key(kind, value, region) for _, value in before}
    return [value for _, value in after if reach_key(kind, value, region) not in had]


@dataclass(frozen=True)
class Added:
    """What `add` did: the new card, and the warnings for stderr (a name already in the book)."""

    card: ClientView
    warnings: list[str]


def add_client(
    db: Db,
    fields: CardFields,
    *,
    now: datetime,
    settings: Settings | None = None,
    allow_duplicate: bool = False,
) -> Added:
    """A new card (`new_card`); its grade history starts with (none -> grade, "added"). A phone
    or e-mail already on a live card is refused unless `allow_duplicate`; a name already in the
    book is added with a warning (`_check_duplicates`). A card referred by another makes a
    thank-you due to the referrer (not on import: that is history)."""
    card = new_card(db, fields, now=now, settings=settings)
    new = {kind: [value for _, value in card.reach.of(kind)] for kind in (PHONE, EMAIL)}
    warnings = _check_duplicates(
        db, card.client, new, name=True, allow=allow_duplicate, region=card.reach.region
    )
    db.insert(card.client)
    for tag in card.tag_records():
        db.insert(tag)
    for reach in card.reach_records():
        db.insert(reach)
    db.insert(card.first_grade_change())
    _thank_referrer(db, card.client.referred_by_id, now=now, settings=settings)
    return Added(view_of(db, card.client), warnings)


def _thank_referrer(
    db: Db, referrer_id: int | None, *, now: datetime, settings: Settings | None
) -> None:
    """A referral that became a card: thank the referrer (card method, *Keeping in touch*),
    as after a sale. Not an archived referrer: it is out of the agenda."""
    if referrer_id is None:
        return
    referrer = db.get(Client, referrer_id)
    if referrer is not None:
        db.lock(referrer)  # the thank-you it may owe already, as it is now
    if referrer is None or referrer.archived_at is not None:
        return
    from clientcard.services.touches import owe_thanks  # only a referral needs it

    owe_thanks(referrer, now, now=now, settings=settings or Settings())
    db.update(referrer, "thanks_due_at", "thanks_since")


@dataclass(frozen=True)
class Edited:
    """What `edit` did: the card, whether anything changed (every value given may already be
    on the card: then nothing is written), and the warnings for stderr."""

    card: ClientView
    changed: bool
    warnings: list[str]


def _snapshot(client: Client) -> tuple[object, ...]:
    return tuple(getattr(client, column) for column in client.__columns__)


def edit_client(
    db: Db,
    ref: str,
    fields: CardFields,
    *,
    now: datetime,
    settings: Settings | None = None,
    allow_duplicate: bool = False,
) -> Edited:
    """Change the given fields. A grade change goes through `grade` (it needs a reason). A value
    the card already has changes nothing; when every value given is already there, nothing is
    written at all (not even `updated_at`). A new phone or e-mail already on another live card
    is refused unless `allow_duplicate`; a new name already in the book warns. A new referrer is
    owed a thank-you, as on `add`."""
    client = db.lock(resolve_client(db, ref))  # its phones, e-mails and tags as they are now
    assert client.id is not None
    if fields.grade is not None:
        raise InvalidValue(_("change a grade with `clientcard grade CLIENT GRADE --reason TEXT`"))
    before = _snapshot(client)
    if fields.name is not None:
        client.name = clean_name(fields.name)
    _apply_text_fields(client, fields)
    if fields.owner is not None:
        given = _owner(db, fields.owner)
        client.owner = None if given is _MAKER else given  # blank clears, as for other fields
    old_reach = _reach_of(db, [client.id])[client.id]
    region = (settings or Settings()).phone_region
    reach = CardReach(
        _new_list(PHONE, old_reach.phones, fields, region),
        _new_list(EMAIL, old_reach.emails, fields, region),
        region,
    )
    _refresh_keys(client, reach)
    if fields.referred_by is not None:
        # The referrer is looked up against the card as edited so far (as the ORM's autoflush
        # did), so `--name B --referred-by B` names the card itself.
        if _snapshot(client) != before:
            db.update(client)
        referrer_id = _referrer_id(db, fields.referred_by, client)
        if referrer_id != client.referred_by_id:
            _thank_referrer(db, referrer_id, now=now, settings=settings)
            client.referred_at = now if referrer_id is not None else None
        client.referred_by_id = referrer_id
    old = dict(zip(client.__columns__, before, strict=True))
    new = {
        PHONE: _added(PHONE, old_reach.phones, reach.phones, region),
        EMAIL: _added(EMAIL, old_reach.emails, reach.emails, region),
    }
    warnings = _check_duplicates(
        db,
        client,
        new,
        name=client.name_key != old["name_key"],
        allow=allow_duplicate,
        region=region,
    )
    moved = [k for k in (PHONE, EMAIL) if reach.of(k) != old_reach.of(k)]
    _write_reach(db, client.id, reach, moved)
    warnings += _dropped(fields, old_reach, reach)
    # Removals first, then additions (a tag given to both stays); only the difference is written.
    existing = _tags_of(db, [client.id])[client.id]
    wanted = clean_tags(fields.tags)
    kept = [t for t in existing if t not in clean_tags(fields.remove_tags) or t in wanted]
    removed = [t for t in existing if t not in kept]
    added = [t for t in wanted if t not in existing]
    for tag in removed:
        db.execute(
            "DELETE FROM client_tag WHERE client_id = :id AND tag = :tag", id=client.id, tag=tag
        )
    for tag in added:
        db.insert(ClientTag(client_id=client.id, tag=tag))
    changed = _snapshot(client) != before or bool(removed or added or moved)
    if changed:
        client.updated_at = now
        client.updated_by = db.author()
        db.update(client)
    if client.owner != old["owner"]:
        # Issue 17: a new owner by `edit --owner` is a change of hands, kept on the card.
        from clientcard.services.owners import owner_edited

        before_owner = old["owner"]
        owner_edited(db, client, before_owner if isinstance(before_owner, str) else None, now)
    return Edited(view_of(db, client), changed, warnings)


# ---- archive and delete: what is still open ----------------------------------------------
