"""Archiving and deleting a card, which first say what is still open on it: open promises, open
complaints, a pending thank-you (issue 11). Apart from `clients`, so that adding, editing and
listing cards do not import the promises and complaints services."""

from dataclasses import dataclass
from datetime import datetime

from clientcard.domain.errors import Refused
from clientcard.domain.refs import record_ref
from clientcard.domain.settings import Settings
from clientcard.i18n import _, ngettext
from clientcard.services import complaints, promises
from clientcard.services.clients import view_of
from clientcard.services.lookup import resolve_client
from clientcard.services.schedule import human_moment
from clientcard.services.touches import clear_thanks, deadline_day
from clientcard.services.views import ClientView
from clientcard.services.views.complaints import ComplaintView
from clientcard.services.views.promises import PromiseView
from clientcard.store.db import Db
from clientcard.store.records import Client

# At most this many of each kind are named in a refusal; then "and N more".
MAX_LISTED = 5
ARCHIVED = "archived"  # the reason recorded on what `archive --cancel-open` cancels


@dataclass(frozen=True)
class OpenOnCard:
    """What is still open on a card: open promises, open complaints, a pending thank-you."""

    promises: list[PromiseView]
    complaints: list[ComplaintView]
    thanks: str | None  # the pending thank-you as a person reads it, None when none is due

    def __bool__(self) -> bool:
        return bool(self.promises or self.complaints or self.thanks)

    def describe(self, now: datetime) -> str:
        """`2 open promises (#1 send the quote, due 2026-11-23; ...), 1 open complaint (#1
        late delivery, urgent) and a thank-you due by 2026-11-22`."""

        def listed(count: str, items: list[str]) -> str:
            more = len(items) - MAX_LISTED
            shown = "; ".join(items[:MAX_LISTED])
            if more > 0:
                shown += _("; and {count} more").format(count=more)
            return _("{count} ({shown})").format(count=count, shown=shown)

        parts = []
        if self.promises:
            n = len(self.promises)
            count = ngettext("{n} open promise", "{n} open promises", n).format(n=n)
            parts.append(listed(count, [_promise_text(p, now) for p in self.promises]))
        if self.complaints:
            n = len(self.complaints)
            count = ngettext("{n} open complaint", "{n} open complaints", n).format(n=n)
            parts.append(
                listed(
                    count,
                    [
                        _("{ref} {what}, {severity}").format(
                            ref=record_ref("complaint", c.id), what=c.what, severity=_(c.severity)
                        )
                        for c in self.complaints
                    ],
                )
            )
        if self.thanks:
            parts.append(self.thanks)
        if len(parts) == 1:
            return parts[0]
        return _("{these} and {last}").format(these=_(", ").join(parts[:-1]), last=parts[-1])


def _promise_text(p: PromiseView, now: datetime) -> str:
    if p.due_day is not None:
        return _("{ref} {what}, due {when}").format(
            ref=record_ref("promise", p.id), what=p.what, when=p.due_day.isoformat()
        )
    message = (
        _("{ref} {what}, at {when}") if p.kind == "appointment" else _("{ref} {what}, due {when}")
    )
    return message.format(
        ref=record_ref("promise", p.id), what=p.what, when=human_moment(p.due, now)
    )


def _pending_thanks(client: Client, now: datetime) -> str | None:
    if client.thanks_due_at is None:  # thanks_since is set and cleared with it (touches.py)
        return None
    return _("a thank-you due by {day}").format(
        day=deadline_day(client.thanks_due_at, now).isoformat()
    )


def open_on_card(db: Db, client: Client, *, now: datetime, settings: Settings) -> OpenOnCard:
    return OpenOnCard(
        promises=promises.promises_of(db, client, now=now, settings=settings)[0],
        complaints=complaints.open_complaints(db, client, now=now, settings=settings),
        thanks=_pending_thanks(client, now),
    )


@dataclass(frozen=True)
class Archived:
    """What `archive` did: the card, and what `--cancel-open` cancelled with it."""

    card: ClientView
    promises: list[int]  # cancelled by me, reason "archived": they count against the keep-rate
    complaints: list[int]  # status cancelled
    thanks: bool  # a pending thank-you cleared


def archive_client(
    db: Db, ref: str, *, cancel_open: bool = False, now: datetime, settings: Settings
) -> Archived:
    """Hide a card. Refused while it has open promises, open complaints or a pending thank-you
    (an archived card leaves `due`, so they would be silently forgotten), listing them, unless
    `cancel_open`: its promises are then cancelled by me and its complaints cancelled, both with
    the reason "archived", and the thank-you cleared."""
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is not None:
        raise Refused(_("#{id} {name} is already archived").format(id=client.id, name=client.name))
    still = open_on_card(db, client, now=now, settings=settings)
    if still and not cancel_open:
        raise Refused(
            _(
                "#{id} {name} still has {describe}; settle them first, or add "
                "--cancel-open to cancel them with the card (the promises as cancelled by "
                "you, which counts against your keep-rate: cancel one the client called "
                "off with `clientcard promise cancel ID --by client` first)"
            ).format(id=client.id, name=client.name, describe=still.describe(now))
        )
    for p in still.promises:
        promises.cancel(db, p.id, by="me", reason=ARCHIVED, now=now)
    cancelled = complaints.cancel_open(db, client, reason=ARCHIVED, now=now)
    clear_thanks(client)
    client.archived_at = now
    client.updated_at = now
    client.updated_by = db.author()
    db.update(client)
    return Archived(
        view_of(db, client), [p.id for p in still.promises], cancelled, still.thanks is not None
    )


def unarchive_client(db: Db, ref: str, *, now: datetime) -> ClientView:
    """Bring an archived card back (what `archive --cancel-open` cancelled stays cancelled)."""
    client = db.lock(resolve_client(db, ref))
    if client.archived_at is None:
        raise Refused(_("#{id} {name} is not archived").format(id=client.id, name=client.name))
    client.archived_at = None
    client.updated_at = now
    client.updated_by = db.author()
    db.update(client)
    return view_of(db, client)


def delete_client(
    db: Db, ref: str, *, confirmed: bool, now: datetime, settings: Settings
) -> ClientView:
    """Delete a card and everything on it. Refused unless confirmed (`--yes`); the refusal
    names what is still open on the card, which would go with it."""
    client = db.lock(resolve_client(db, ref))
    view = view_of(db, client)
    if not confirmed:
        still = open_on_card(db, client, now=now, settings=settings)
        with_open = _(", with {these}").format(these=still.describe(now)) if still else ""
        raise Refused(
            _(
                "deleting #{id} {name} removes the card and its history for "
                "good{with_open}; add --yes to confirm (or `clientcard archive` to hide it)"
            ).format(id=client.id, name=client.name, with_open=with_open)
        )
    db.delete(client)
    return view
