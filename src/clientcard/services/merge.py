"""Merging two cards of one client (`clientcard merge KEEP OTHER`, issue 14; docs/duplicates.md).

Every record of OTHER moves to KEEP: contacts, promises (their events with them), complaints
(their steps), sales, occasions, people, ratings, grade changes, the merges into OTHER before,
its tags and phones and e-mail addresses (one of each key kept), and the cards it referred.
Then OTHER is deleted: nothing is left on it, and an archived copy would be found again by
`dupes`, by lookups and by the duplicate checks. What happened is recorded on KEEP
(`client_merge`): OTHER's id and name, the fields taken, every value that did not win.

The card's fields: one that only OTHER has fills KEEP's; one both have, different, is a
conflict, listed, where KEEP's wins unless `take` names it. Notes are joined instead (KEEP's,
then OTHER's), unless taken or too long together. What is derived from the records is made
right again: the last contact and visit are the later of the two, the first sale and the
added date the earlier, a pending thank-you the earlier; the next follow-up is the one set by
the later sales contact (the earlier date when neither card was contacted). The grade is
KEEP's (or OTHER's, taken); OTHER's grade history joins KEEP's, and when it would end on
another grade, a last entry brings it back to the card's.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from clientcard.domain.cards import MAX_TEXT
from clientcard.domain.errors import InvalidValue, Refused
from clientcard.domain.settings import Settings
from clientcard.i18n import N_, _, language, ngettext
from clientcard.services.clients import (
    EMAIL,
    PHONE,
    CardReach,
    _reach_of,
    _refresh_keys,
    _tags_of,
    _write_reach,
    reach_key,
    view_of,
)
from clientcard.services.lookup import resolve_client
from clientcard.services.views import ClientRef, ClientView
from clientcard.services.views.duplicates import MergeView
from clientcard.store.db import Db
from clientcard.store.records import Client, ClientMerge, ClientTag, GradeChange

# The fields `--take` names, in the order they are listed: the card's own text, its main phone
# and e-mail address, its referrer, grade and ratings.
TEXT = ("name", "company", "title", "address", "source", "owner", "notes")
FIELDS = (*TEXT, "phone", "email", "referred_by", "grade", "credit", "satisfaction", "loyalty")
# Each field as a person reads it; the plan names the field too, as --take wants it typed.
FIELD_WORDS = {
    "name": N_("name"),
    "company": N_("company"),
    "title": N_("title"),
    "address": N_("address"),
    "source": N_("source"),
    "owner": N_("owner"),
    "notes": N_("notes"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "referred_by": N_("referred by"),
    "grade": N_("grade"),
    "credit": N_("credit"),
    "satisfaction": N_("satisfaction"),
    "loyalty": N_("loyalty"),
}


def field_word(name: str) -> str:
    """`company` in English; in Chinese the word with the name in brackets, as --take takes it."""
    if language() == "en" or name not in FIELD_WORDS:
        return name
    return _("{word} ({field})").format(word=_(FIELD_WORDS[name]), field=name)


# The tables whose rows move from OTHER to KEEP by their client_id (promise_event and
# complaint_step follow their promise and complaint), in the order they are reported.
MOVED = (
    "contact",
    "promise",
    "complaint",
    "sale",
    "key_date",
    "person",
    "rating_change",
    "grade_change",
    "client_merge",
)
NOUNS = {
    "contact": "contact",
    "promise": "promise",
    "complaint": "complaint",
    "sale": "sale",
    "key_date": "occasion",
    "person": "person",
    "rating_change": "rating change",
    "grade_change": "grade change",
    "client_merge": "earlier merge",
    "client_tag": "tag",
    "phone": "phone",
    "email": "e-mail address",
    "referral": "referred card",
}


@dataclass(frozen=True)
class Conflict:
    """A field both cards have, with different values: which one the merged card keeps."""

    field: str
    keep: str  # KEEP's value, as text
    other: str  # OTHER's
    taken: bool  # True: OTHER's wins (--take)

    @property
    def kept(self) -> str:
        return self.other if self.taken else self.keep

    @property
    def dropped(self) -> str:
        return self.keep if self.taken else self.other


@dataclass(frozen=True)
class MergePlan:
    """What a merge does, before it is done: shown on a terminal, named in a refusal."""

    keep: ClientRef
    other: ClientRef
    conflicts: list[Conflict]
    filled: list[str]  # fields only OTHER had: KEEP takes them
    notes_joined: bool
    moved: dict[str, int]  # per table (and phone, email, referral): how many move
    same_dates: int  # OTHER's occasions KEEP already has (same kind and day): dropped
    other_archived: bool

    def describe(self) -> str:
        """`moves 3 contacts, 1 promise ... to #1; company: keeps 阿里 over 阿里巴巴`."""
        moved = [_moved(t, n) for t, n in self.moved.items() if n]
        parts = [
            _("moves {what} from #{other} to #{keep}, then deletes #{other}").format(
                what=", ".join(moved) if moved else _("nothing but the card"),
                other=self.other.id,
                keep=self.keep.id,
            )
        ]
        if self.filled:
            parts.append(
                _("fills {fields} from #{other}").format(
                    fields=", ".join(field_word(f) for f in self.filled), other=self.other.id
                )
            )
        if self.notes_joined:
            parts.append(_("joins the notes"))
        for c in self.conflicts:
            parts.append(
                _("{field}: keeps {kept} over {dropped}").format(
                    field=field_word(c.field), kept=repr(c.kept), dropped=repr(c.dropped)
                )
            )
        if self.same_dates:
            parts.append(
                ngettext(
                    "drops {n} occasion #{keep} already has",
                    "drops {n} occasions #{keep} already has",
                    self.same_dates,
                ).format(n=self.same_dates, keep=self.keep.id)
            )
        return _("; ").join(parts)


def _moved(table: str, n: int) -> str:
    """`3 contacts`, `1 person`, `2 people`: how many of a table's rows a merge moves."""
    forms = {
        "contact": lambda: ngettext("{n} contact", "{n} contacts", n),
        "promise": lambda: ngettext("{n} promise", "{n} promises", n),
        "complaint": lambda: ngettext("{n} complaint", "{n} complaints", n),
        "sale": lambda: ngettext("{n} sale", "{n} sales", n),
        "key_date": lambda: ngettext("{n} occasion", "{n} occasions", n),
        "person": lambda: ngettext("{n} person", "{n} people", n),
        "rating_change": lambda: ngettext("{n} rating change", "{n} rating changes", n),
        "grade_change": lambda: ngettext("{n} grade change", "{n} grade changes", n),
        "client_merge": lambda: ngettext("{n} earlier merge", "{n} earlier merges", n),
        "client_tag": lambda: ngettext("{n} tag", "{n} tags", n),
        "phone": lambda: ngettext("{n} phone", "{n} phones", n),
        "email": lambda: ngettext("{n} e-mail address", "{n} e-mail addresses", n),
        "referral": lambda: ngettext("{n} referred card", "{n} referred cards", n),
    }
    form = forms.get(table)
    if form is None:
        return f"{n} {NOUNS.get(table, table)}{'' if n == 1 else 's'}"
    return form().format(n=n)


@dataclass(frozen=True)
class Merged:
    """What `merge` did: the kept card as it is now, and the plan it carried out."""

    card: ClientView
    plan: MergePlan


@dataclass
class _Work:
    keep: Client
    other: Client
    values: dict[str, object] = field(default_factory=dict)  # the merged card's field values
    dropped: dict[str, object] = field(default_factory=dict)  # the values that did not win
    reach: CardReach = field(default_factory=CardReach)  # the merged phones and e-mails
    same_dates: list[int] = field(default_factory=list)  # OTHER's occasions KEEP has
    new_tags: list[str] = field(default_factory=list)  # OTHER's tags KEEP lacks


def _value(client: Client, name: str) -> object:
    return client.referred_by_id if name == "referred_by" else getattr(client, name)


def _shown(name: str, value: object) -> str:
    """A field's value as a conflict lists it: a referrer as `#3`."""
    return f"#{value}" if name == "referred_by" else str(value)


def parse_take(take: list[str]) -> list[str]:
    """`--take` values (any case, also `a,b`), checked against FIELDS."""
    fields = [f.strip().lower().replace("-", "_") for t in take for f in t.split(",") if f.strip()]
    for f in fields:
        if f not in FIELDS:
            raise InvalidValue(
                _("--take {f}: not a field of a card; one of {value}").format(
                    f=repr(f), value=", ".join(FIELDS)
                )
            )
    return list(dict.fromkeys(fields))


def _resolve(db: Db, keep_ref: str, other_ref: str) -> tuple[Client, Client]:
    keep = resolve_client(db, keep_ref)
    other = resolve_client(db, other_ref)
    if keep.id == other.id:
        raise InvalidValue(
            _("#{id} {name} cannot be merged into itself; give two cards").format(
                id=keep.id, name=keep.name
            )
        )
    db.lock_all([keep, other])  # in id order: a merge of the two the other way round waits
    if keep.archived_at is not None:
        raise Refused(
            _(
                "#{id} {name} is archived; unarchive it first, or keep the other card "
                "(`clientcard merge {id2} {id}`)"
            ).format(id=keep.id, name=keep.name, id2=other.id)
        )
    return keep, other


def _count(db: Db, table: str, client_id: int | None) -> int:
    return int(db.scalar(f"SELECT count(*) FROM {table} WHERE client_id = :id", id=client_id) or 0)


def _same_dates(db: Db, keep: Client, other: Client) -> list[int]:
    """OTHER's occasions that KEEP already has: the same kind, day, year and yearliness, and
    no note of their own (or the same note). The import of one client twice gives them."""
    sql = (
        "SELECT o.id FROM key_date o WHERE o.client_id = :other AND EXISTS (SELECT 1 FROM "
        "key_date k WHERE k.client_id = :keep AND k.kind = o.kind AND k.month = o.month AND "
        "k.day = o.day AND k.yearly = o.yearly AND k.lunar = o.lunar AND k.leap = o.leap "
        "AND (k.year = o.year OR (k.year IS NULL AND "
        "o.year IS NULL)) AND (o.note IS NULL OR k.note = o.note)) ORDER BY o.id"
    )
    return [r[0] for r in db.rows(sql, other=other.id, keep=keep.id)]


def _merged_reach(keep: CardReach, other: CardReach, take: list[str], region: str) -> CardReach:
    """KEEP's numbers and addresses, then OTHER's it lacks (by key); OTHER's main one first
    when taken (`--take phone`)."""
    merged = CardReach(region=region)
    for kind in (PHONE, EMAIL):
        first, second = keep.of(kind), other.of(kind)
        if kind in take and second:
            first, second = [second[0]], first + second[1:]
        seen: set[str] = set()
        for label, value in first + second:
            key = reach_key(kind, value, region)
            if key not in seen:
                seen.add(key)
                merged.of(kind).append((label, value))
    return merged


def _plan(
    db: Db, keep: Client, other: Client, take: list[str], region: str
) -> tuple[MergePlan, _Work]:
    work = _Work(keep, other)
    conflicts: list[Conflict] = []
    filled: list[str] = []
    notes_joined = False
    for name in FIELDS:
        mine, theirs = _value(keep, name), _value(other, name)
        if name in (PHONE, EMAIL):  # every one moves; only which is the main one is a choice
            if mine and theirs and getattr(keep, f"{name}_key") != getattr(other, f"{name}_key"):
                conflicts.append(Conflict(name, str(mine), str(theirs), name in take))
            elif theirs and not mine:
                filled.append(name)
            continue
        if name == "referred_by":
            # OTHER referred by KEEP, or KEEP by OTHER: the card cannot refer itself.
            theirs = None if theirs == keep.id else theirs
            mine = None if mine == other.id else mine
        if theirs is None or theirs == "" or theirs == mine:
            work.values[name] = mine
        elif mine is None or mine == "":
            work.values[name] = theirs
            filled.append(name)
        elif name == "notes" and name not in take and len(f"{mine}\n\n{theirs}") <= MAX_TEXT:
            work.values[name] = f"{mine}\n\n{theirs}"
            notes_joined = True
        else:
            taken = name in take
            conflicts.append(Conflict(name, _shown(name, mine), _shown(name, theirs), taken))
            work.values[name] = theirs if taken else mine
            work.dropped[name] = mine if taken else theirs
    assert keep.id is not None
    assert other.id is not None
    reach = _reach_of(db, [keep.id, other.id])
    merged = _merged_reach(reach[keep.id], reach[other.id], take, region)
    tags = _tags_of(db, [keep.id, other.id])
    same_dates = _same_dates(db, keep, other)
    moved = {t: _count(db, t, other.id) for t in MOVED}
    moved["key_date"] -= len(same_dates)
    moved["client_tag"] = len(set(tags[other.id]) - set(tags[keep.id]))
    for kind in (PHONE, EMAIL):
        moved[kind] = len(merged.of(kind)) - len(reach[keep.id].of(kind))
    moved["referral"] = int(
        db.scalar(
            "SELECT count(*) FROM client WHERE referred_by_id = :other AND id <> :keep",
            other=other.id,
            keep=keep.id,
        )
        or 0
    )
    for c in conflicts:
        if c.field in (PHONE, EMAIL) and c.taken:
            work.dropped[c.field] = f"{c.keep} (main; still on the card)"
    plan = MergePlan(
        keep=ClientRef.of(keep),
        other=ClientRef.of(other),
        conflicts=conflicts,
        filled=filled,
        notes_joined=notes_joined,
        moved=moved,
        same_dates=len(same_dates),
        other_archived=other.archived_at is not None,
    )
    work.reach = merged
    work.same_dates = same_dates
    work.new_tags = [t for t in tags[other.id] if t not in tags[keep.id]]
    return plan, work


def plan_merge(
    db: Db, keep_ref: str, other_ref: str, take: list[str], *, settings: Settings
) -> MergePlan:
    """What merging `other_ref` into `keep_ref` would do, without doing it."""
    keep, other = _resolve(db, keep_ref, other_ref)
    return _plan(db, keep, other, parse_take(take), settings.phone_region)[0]


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _follows_up(other: Client, keep: Client) -> bool:
    """Whether the merged card's next follow-up is OTHER's: it was set by the later sales
    contact (OTHER was followed up after KEEP, or KEEP never was); when neither card was
    followed up yet, the earlier date. An archived OTHER's never: it is out of the agenda."""
    if other.archived_at is not None or other.next_followup_on is None:
        return False
    if keep.next_followup_on is None:
        return True
    if other.followed_up_at is None and keep.followed_up_at is None:
        return other.next_followup_on < keep.next_followup_on
    if other.followed_up_at is None or keep.followed_up_at is None:
        return keep.followed_up_at is None
    return other.followed_up_at > keep.followed_up_at


def merge_cards(
    db: Db,
    keep_ref: str,
    other_ref: str,
    *,
    take: list[str],
    confirmed: bool,
    now: datetime,
    settings: Settings,
) -> Merged:
    """Merge `other_ref` into `keep_ref` (the module doc says how). Refused unless `confirmed`
    (`--yes`), saying what it would do. `settings` is the caller's: its phone.region keys the
    numbers, so that one on both cards is kept once. (The follow-up dates are the cards' own:
    nothing is rescheduled.)"""
    fields = parse_take(take)
    keep, other = _resolve(db, keep_ref, other_ref)
    plan, work = _plan(db, keep, other, fields, settings.phone_region)
    if not confirmed:
        raise Refused(
            _("merging {describe}; add --yes to confirm").format(describe=plan.describe())
        )
    assert keep.id is not None
    assert other.id is not None
    values = work.values

    # The records: moved by their client_id (OTHER's duplicate occasions first dropped).
    for id_ in work.same_dates:
        db.execute("DELETE FROM key_date WHERE id = :id", id=id_)
    for table in MOVED:
        db.execute(
            f"UPDATE {table} SET client_id = :keep WHERE client_id = :other",
            keep=keep.id,
            other=other.id,
        )
    for tag in work.new_tags:
        db.insert(ClientTag(client_id=keep.id, tag=tag))
    db.execute(
        "UPDATE client SET referred_by_id = :keep WHERE referred_by_id = :other AND id <> :keep",
        keep=keep.id,
        other=other.id,
    )

    # The card's fields, and what derives from the records.
    for name in TEXT:
        setattr(keep, name, values[name])
    referrer = values["referred_by"]
    if referrer is None:
        keep.referred_at = None
    elif referrer != keep.referred_by_id:
        keep.referred_at = other.referred_at  # OTHER's referrer, since OTHER's referral
    keep.referred_by_id = referrer  # type: ignore[assignment]
    # Since when the card holds its grade: since the card it comes from held it (both, when
    # they agree: the earlier), not since the merge (_end_grade_history).
    if values["grade"] != keep.grade:
        keep.graded_at = other.graded_at
    elif other.grade == keep.grade:
        keep.graded_at = min(keep.graded_at, other.graded_at)
    keep.grade = str(values["grade"])
    keep.credit = values["credit"]  # type: ignore[assignment]
    keep.satisfaction = values["satisfaction"]  # type: ignore[assignment]
    keep.loyalty = values["loyalty"]  # type: ignore[assignment]
    keep.created_at = min(keep.created_at, other.created_at)
    keep.last_contact_at = _later(keep.last_contact_at, other.last_contact_at)
    keep.last_visit_at = _later(keep.last_visit_at, other.last_visit_at)
    keep.first_visit_at = _earlier(keep.first_visit_at, other.first_visit_at)
    keep.first_sale_at = _earlier(keep.first_sale_at, other.first_sale_at)
    if _follows_up(other, keep):
        keep.next_followup_on = other.next_followup_on
        keep.followup_kind = other.followup_kind
        keep.followup_note = other.followup_note
    keep.followed_up_at = _later(keep.followed_up_at, other.followed_up_at)
    if other.archived_at is None:
        keep.thanks_due_at = _earlier(keep.thanks_due_at, other.thanks_due_at)
        keep.thanks_since = _earlier(keep.thanks_since, other.thanks_since)
    _write_reach(db, keep.id, work.reach, (PHONE, EMAIL))
    _refresh_keys(keep, work.reach)
    _end_grade_history(db, keep, other, now)
    keep.updated_at = now
    keep.updated_by = db.author()
    db.update(keep)
    db.insert(
        ClientMerge(
            author=db.author(),
            client_id=keep.id,
            merged_id=other.id,
            merged_name=other.name,
            merged_at=now,
            taken=",".join(fields) or None,
            dropped=json.dumps(work.dropped, ensure_ascii=False, sort_keys=True)
            if work.dropped
            else None,
            moved=json.dumps({k: n for k, n in plan.moved.items() if n}, sort_keys=True),
        )
    )
    # OTHER now holds nothing but its own phones, e-mail addresses and tags, which KEEP has.
    db.delete(other)
    return Merged(view_of(db, keep, now), plan)


def _end_grade_history(db: Db, keep: Client, other: Client, now: datetime) -> None:
    """The joined grade history ends on the card's grade: when its newest entry (OTHER's,
    perhaps: an imported copy was added after KEEP's last regrade) took another grade, a last
    entry, at `now`, brings it back. The card holds its grade since the card it came from held
    it (client.graded_at: KEEP's, or OTHER's when its grade was taken), not since the merge:
    the client's grade did not change by joining two cards."""
    newest = db.first(GradeChange, "WHERE client_id = :id ORDER BY id DESC", id=keep.id)
    if newest is None or newest.to_grade != keep.grade:
        db.insert(
            GradeChange(
                author=db.author(),
                client_id=keep.id,  # type: ignore[arg-type]
                from_grade=newest.to_grade if newest is not None else None,
                to_grade=keep.grade,
                changed_at=now,
                reason=f"merged #{other.id} {other.name} (grade {other.grade})",
            )
        )


def merges_of(db: Db, client: Client) -> list[MergeView]:
    """The cards merged into this one, oldest first (the card page)."""
    found = db.select(ClientMerge, "WHERE client_id = :id ORDER BY merged_at, id", id=client.id)
    return [
        MergeView(
            m.merged_id, m.merged_name, m.merged_at, tuple(m.taken.split(",") if m.taken else ())
        )
        for m in found
    ]
