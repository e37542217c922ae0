"""`clientcard config show|set|unset`: the settings, the book's and your own."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import FormatOption, Listing, RawOption, Table, now, session
from clientcard.i18n import N_, _, ngettext
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.settings import Changed
    from clientcard.services.views.settings import SettingView

app = typer.Typer(name="config", help="Show or change settings.", no_args_is_help=True)


def _source(view: "SettingView") -> str | None:
    """Where the value comes from, for people: `book (li, 2026-11-20)`, `file`; nothing for a
    default (the machine formats say `default`), so the values someone set stand out."""
    if view.file_ignored and view.source == "default":
        return _("file (ignored on a team's book: use config set --book)")
    if view.source == "default":
        return None
    if view.source != "book":
        return _("file") if view.source == "file" else view.source
    from clientcard.clock import local_tz

    who = view.changed_by or _("unknown")
    if view.changed_at:
        return _("book ({who}, {day})").format(
            who=who, day=f"{view.changed_at.astimezone(local_tz()):%Y-%m-%d}"
        )
    return _("book ({who})").format(who=who)


# A setting's scope in words (the machine formats keep the code).
SCOPES = {"personal": N_("personal"), "book": N_("book")}

SETTINGS: "Table[SettingView]" = Table(
    "settings.SettingView",
    [
        Column("key", "Key", no_wrap=True),
        # short, but for a list: Meaning gets the room. A setting's value, not a client's worth
        Column("value", "Value", narrow=True, context="setting"),
        Column("scope_shown", "Scope", no_wrap=True),
        Column("from", "From", spare=True),
        Column("default", "Default", spare=True),
        Column("meaning", "Meaning", detail=True),
    ],
    extra={"from": _source, "scope_shown": lambda view: _(SCOPES.get(view.scope, view.scope))},
)

BookOption = Annotated[
    bool,
    typer.Option(
        "--book",
        help="A setting of the book (cadences, currency, windows, working hours, complaint "
        "targets...): the same for everyone who shares it, recorded with who changed it.",
    ),
]
KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="A key from `clientcard config show`.")]


@app.command("show")
def show(fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """Every setting: its value, scope, source, default and meaning.

    The scope is book (the same for everyone who shares the book, changed with `config set
    --book`) or personal (your settings file). The source is where the value comes from:
    default, file (your settings file) or book (with who changed it and when). Before there
    is a book (no file yet) it shows the defaults and your file, and creates none."""
    from clientcard.cli._common import RUNTIME
    from clientcard.domain.settings import DESCRIPTIONS, KEYS, Settings, to_flat
    from clientcard.services.settings import show_settings
    from clientcard.services.views.settings import SettingView
    from clientcard.store.open import no_book_yet

    missing = no_book_yet(RUNTIME.db)
    if missing is not None:  # showing creates no book
        shown = show_settings(None)
    else:
        with session(write=False) as s:
            shown = show_settings(s)
    current, default = to_flat(shown.settings), to_flat(Settings())
    rows = [
        SettingView(
            k,
            v,
            default[k],
            DESCRIPTIONS[k],
            KEYS[k].scope,
            shown.sources[k].name,
            shown.sources[k].changed_by,
            shown.sources[k].changed_at,
            shown.sources[k].file_ignored,
        )
        for k, v in current.items()
    ]
    footer = _("file: {file}").format(file=shown.file)
    if missing is not None:
        footer = _("{footer}; no book yet at {book}: the defaults and your file").format(
            footer=footer, book=missing
        )
    Listing(fmt, raw=raw).write(rows, SETTINGS, footer=footer)


@app.command("set")
def set_(
    key: KeyArg,
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="The new value (checked before it is saved).")
    ],
    book: BookOption = False,
) -> None:
    """Change one setting, e.g. `clientcard config set --book cadence.A 5`.

    A setting of the book (cadences, currency, windows, working hours, complaint targets,
    phone.region...) takes --book: it is stored in the book, the same for everyone who shares
    it, with who changed it and when. A personal one (date_order, log.via) is saved in your
    settings file: `clientcard config set log.via visit`.

    A new cadence moves the next follow-up of the cards of that grade that follow the
    cadence. A new phone.region reads every card's phone numbers again in that region, so
    duplicates and lookups compare them with its country code."""
    from clientcard.services.settings import change_personal, change_setting

    if not book:  # a personal key: only the file (a book key is refused), no book opened
        changed = change_personal(key, value)
    else:
        with session(write=True) as s:
            changed = change_setting(s, key, value, now=now(), book=book)
    _speak_as_set(changed)
    print_line(
        _("{key} = {value} ({where}){moved}").format(
            key=key, value=changed.value, where=_where(changed), moved=_moved(changed)
        )
    )


@app.command("unset")
def unset(key: KeyArg, book: BookOption = False) -> None:
    """Take a setting back to its default, e.g. `clientcard config unset --book cadence.A`.

    With --book, the book's value is removed (recorded with who did it) and the default
    applies again (on one person's SQLite book, your settings file's value if it has one).
    Without --book, the key is taken out of your settings file, a book key's stale value
    too. A cadence reschedules as `config set` does."""
    from clientcard.domain.settings import is_book_key
    from clientcard.services.settings import reset_setting, unset_personal

    if not book and not is_book_key(key) and key_known(key):  # only the file: no book opened
        changed = unset_personal(key)
    else:
        with session(write=True) as s:
            changed = reset_setting(s, key, now=now(), book=book)
    _speak_as_set(changed)
    if changed.book:
        where = (
            _("the book's value removed")
            if changed.removed
            else _("the book has no value of its own for {key}").format(key=key)
        )
    elif changed.removed:
        where = _("removed from {file}").format(file=changed.where)
    else:
        where = _("not in {file}").format(file=changed.where)
    print_line(f"{key} = {changed.value} ({where}){_moved(changed)}")


def _speak_as_set(changed: "Changed") -> None:
    """A new `language` takes effect at once: `config set language zh` confirms in Chinese,
    `config set language en` (or `auto`, or `config unset language`) in the language it leaves
    (the environment's, for auto)."""
    if changed.key == "language" and not changed.book:
        from clientcard import i18n

        i18n.use(str(changed.value))  # "auto": the environment decides (i18n.use)


def _where(changed: "Changed") -> str:
    return (
        _("saved in the book") if changed.book else _("saved in {file}").format(file=changed.where)
    )


def key_known(key: str) -> bool:
    from clientcard.domain.settings import KEYS

    return key in KEYS


def _moved(changed: "Changed") -> str:
    if changed.key == "phone.region":
        n = changed.rekeyed
        return ngettext(
            "; phone numbers re-keyed on {n} card", "; phone numbers re-keyed on {n} cards", n
        ).format(n=n)
    if not changed.rescheduled:
        return ""
    n = changed.rescheduled
    return ngettext("; {n} card rescheduled", "; {n} cards rescheduled", n).format(n=n)
