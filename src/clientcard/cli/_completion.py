"""Shell completion (docs/completion.md): what <TAB> offers, and how each shell gets it.

What a parameter offers follows from its metavar, so every command gets it without a word in
its module: CLIENT offers cards (archived ones for `unarchive`), CHANNEL(S) the channels,
GRADE(S) the grades, the ID of a `promise` or `complaint` command the open ones; a parameter
with choices (--format) offers them, as Click does. Cards, promises and complaints come from the
book, opened read-only through `store.open.peek` (never created, migrated or waited for: no
database stack is imported), and `services.completion`. Whatever goes wrong while completing,
the answer is "nothing to offer": a <TAB> never prints an error.

Typer's shell adapters are adjusted (`register`, run only when completing):
- bash gets values escaped as the shell would type them (`José\\ García`);
- zsh gets its candidates unfiltered (`_describe ... -U`), so `平安<TAB>` can offer the cards of
  平安保险, with their descriptions, in our order;
- neither zsh nor fish fall back to file names, except for a parameter that names a file
  (`import FILE`, `--db`). (The bash script Typer installs falls back by itself when nothing
  matches.)
"""

import os
import re
from collections.abc import Callable
from typing import Any

from clientcard import clock
from clientcard.cli._click import (
    BashComplete,
    Command,
    CompletionItem,
    Context,
    FishComplete,
    Parameter,
    ZshComplete,
    add_completion_class,
    completing,
)
from clientcard.cli._help import english, localize

# The parameters that name a file: the shell offers file names there.
FILE_PARAMETERS = frozenset({"db", "file"})
GRADES = "ABCDEF"
CHANNELS = (
    "call",
    "visit",
    "meeting",
    "email",
    "letter",
    "fax",
    "sms",
    "message",
    "card",
    "gift",
    "other",
)  # fmt: skip  (domain/channels.py; tests/test_completion.py keeps them equal)

Offer = list[tuple[str, str]]


def _book(ctx: Context) -> str | None:
    """The --db given on the command line being completed, else None (CLIENTCARD_DB, then the
    default location: store.location)."""
    root = ctx.find_root()
    value = root.params.get("db")
    return value if isinstance(value, str) else None


def _from_book(ctx: Context, ask: Callable[..., Any]) -> Offer:
    try:
        from clientcard.store.open import peek

        with peek(_book(ctx)) as db:
            if db is None:
                return []
            return [(c.value, c.help) for c in ask(db, clock.now())]
    except Exception:  # a <TAB> never fails: nothing to offer
        return []


def complete_client(ctx: Context, incomplete: str) -> Offer:
    """Cards by id, name or company (services/completion.py); archived cards for `unarchive`."""
    from clientcard.services import completion

    archived = ctx.info_name == "unarchive"
    return _from_book(
        ctx, lambda db, now: completion.cards(db, incomplete, archived=archived, now=now)
    )


def complete_promise_id(ctx: Context, incomplete: str) -> Offer:
    from clientcard.services import completion

    return _from_book(ctx, lambda db, now: completion.promises(db, incomplete, now=now))


def complete_complaint_id(ctx: Context, incomplete: str) -> Offer:
    from clientcard.services import completion

    return _from_book(ctx, lambda db, now: completion.complaints(db, incomplete, now=now))


def _listed(incomplete: str, choices: tuple[str, ...], fold: Callable[[str], str]) -> list[str]:
    """Choices for the last item of a comma-separated list (`--via call,vi` offers
    `call,visit`); one value alone is a list of one."""
    head, _, last = incomplete.rpartition(",")
    done = {fold(part) for part in head.split(",") if part}
    prefix = f"{head}," if head else ""
    return [prefix + c for c in choices if c.startswith(fold(last)) and c not in done]


def complete_channel(ctx: Context, incomplete: str) -> Offer:
    """A channel, or the next of a list of them (`contacts --via call,vi`)."""
    return [(c, "") for c in _listed(incomplete, CHANNELS, str.lower)]


def complete_grade(ctx: Context, incomplete: str) -> Offer:
    """A grade, or the next of a list of them (`list --grade A,`)."""
    return [(g, "") for g in _listed(incomplete, tuple(GRADES), str.upper)]


BY_METAVAR: dict[str, Callable[[Context, str], Offer]] = {
    "CLIENT": complete_client,
    "CHANNEL": complete_channel,
    "CHANNELS": complete_channel,
    "GRADE": complete_grade,
    "GRADES": complete_grade,
}
BY_GROUP_ID: dict[str, Callable[[Context, str], Offer]] = {
    "promise": complete_promise_id,
    "complaint": complete_complaint_id,
}


def offer(param: Parameter, ctx: Context, incomplete: str) -> Offer | None:
    """What this parameter offers for `incomplete`, or None when it is not ours to say."""
    metavar = getattr(param, "metavar", None)
    if metavar == "ID" and ctx.parent is not None:
        by_id = BY_GROUP_ID.get(ctx.parent.info_name or "")
        return None if by_id is None else by_id(ctx, incomplete)
    complete = BY_METAVAR.get(metavar or "")
    return None if complete is None else complete(ctx, incomplete)


# ---- the shells ---------------------------------------------------------------------------


class _Completing:
    """What every adapter shares: it remembers what it completed, to know whether file
    names may stand in when nothing else matches."""

    cli: Command
    ctx_args: Any
    prog_name: str
    wants_files = False

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        obj, incomplete, ctx = completing(self.cli, self.ctx_args, self.prog_name, args, incomplete)
        self.wants_files = isinstance(obj, Parameter) and obj.name in FILE_PARAMETERS
        if isinstance(obj, Parameter):
            ours = offer(obj, ctx, incomplete)
            if ours is not None:
                return [CompletionItem(value, help=help or None) for value, help in ours]
        items: list[CompletionItem] = obj.shell_complete(ctx, incomplete)
        if not english():  # an option's or a command's help, as zsh and fish show it
            # (a group's commands: the first paragraph, which Click cut to 45 characters)
            commands = {} if hasattr(obj, "index") else getattr(obj, "commands", {})
            for item in items:
                sub = commands.get(item.value)
                whole = localize(sub.help if sub is not None and sub.help else item.help)
                item.help = whole.split("\n\n")[0] if whole else whole
        return items


class Bash(_Completing, BashComplete):
    def format_completion(self, item: CompletionItem) -> str:
        from clientcard.services.views.completion import for_bash

        return for_bash(str(item.value))


def _zsh_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


class Zsh(_Completing, ZshComplete):
    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if not items:
            return "_files" if self.wants_files else "return 1"
        described = [
            str(i.value).replace("\\", "\\\\").replace(":", "\\:")
            + (":" + re.sub(r"\s+", " ", i.help) if i.help else "")
            for i in items
        ]
        words = " ".join(_zsh_quoted(d) for d in described)
        return f"local -a _clientcard_offer=({words}); _describe -V unsorted _clientcard_offer -U"


class Fish(_Completing, FishComplete):
    def complete(self) -> str:
        if os.getenv("_TYPER_COMPLETE_FISH_ACTION", "") == "is-args":
            # fish asks first whether we answer; "no" lets it offer file names instead
            args, incomplete = self.get_completion_args()
            items = self.get_completions(args, incomplete)
            raise SystemExit(1 if self.wants_files and not items else 0)
        return str(super().complete())


def register() -> None:
    """Use these adapters for this run (called only when the shell asks for completions)."""
    add_completion_class(Bash, "bash")
    add_completion_class(Zsh, "zsh")
    add_completion_class(Fish, "fish")
