"""Help and Click's own words in the interface's language (issue 18; docs/i18n.md).

Help texts stay English in the source: Typer's decorators run at import, before the language is
known, and docs/commands.md (cli/reference.py) is generated from them in English whatever the
language. They are translated when Click renders them, one paragraph at a time (the msgids that
`tools/catalog.py extract` collects from the tree, through `paragraphs`):

- `HelpContext`, the context every command of the tree runs in (cli/_tree.py sets it), puts the
  translations in place while its help is made, and the English back afterwards (the same tree
  may serve the other language next, as it does in the tests): the command's help and epilog,
  each parameter's help (the help option's too), each subcommand's line in a group's list, and
  Typer's panel titles and `[default: ...]`/`[required]` markers (`typer.rich_utils` computes
  them once, at its import, through the standard library's gettext), and the names of Click's
  value types and ranges Typer shows beside an option (`<str>`, `<int range> [x>=1]`: <文本>,
  <整数> [至少 1]); its formatter says "Usage:" in the language. The root's command list comes
  from its index (cli/_tree.py), which translates each line itself, without building the
  commands. Rich breaks lines at spaces only and cuts a longer run in a table's cell: while
  Chinese help is made, a line may break between two Chinese characters (`_words`), and what
  is still too long folds (`_folding`).
- `click_message`: Typer's copy of Click writes its usage errors as English f-strings (no
  gettext), so cli/errors.py hands each one, as it is about to print it, to this table of
  Click's sentences, which says it again in the language, keeping what Click quoted.

In English nothing is looked up: each step returns its text as it is.
"""

import inspect
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from typer.core import TyperGroup

from clientcard import i18n
from clientcard.cli._click import Context, HelpFormatter
from clientcard.i18n import N_, _

# Typer's help words (typer.rich_utils's constants) and their English, put back after each help.
_RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}
USAGE = N_("Usage: ")
# Click's names of its value types, which Typer's help shows in brackets (`<str>`, `<int
# range>`) beside an argument, and beside an option without a metavar of its own. A choice
# lists its values (typed as they are) and stays; a flag's type (boolean) is not shown.
_TYPE_WORDS = {
    "str": N_("text"),
    "int": N_("whole number"),
    "int range": N_("whole number"),
    "float": N_("number"),
    "float range": N_("number"),
    "datetime": N_("date and time"),
    "filename": N_("file name"),
}
_ABSENT = object()


def english() -> bool:
    return i18n.language() == "en"


# A line that keeps its line break in help text: a list item or an indented example.
_KEEPS_ITS_LINE = re.compile(r"\s|[-*] |\d+\. ")


def whole_sentences(text: str) -> str:
    """Help text as paragraphs Typer and Rich wrap themselves: the line breaks a docstring has
    inside a paragraph (it is wrapped at 100 columns in the source) are spaces, except before
    a list item or an indented line. A paragraph starting with Click's `\\b` is left as it is."""
    if "\n" not in text:
        return text
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            paragraphs.append(paragraph)
            continue
        lines = paragraph.split("\n")
        joined = lines[0]
        for line in lines[1:]:
            joined += ("\n" if _KEEPS_ITS_LINE.match(line) else " ") + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def paragraphs(text: str | None) -> list[str]:
    """A help text's paragraphs as they are looked up: the text up to Click's `\\f`, its lines
    joined into sentences (`whole_sentences`, as the CLI shows them)."""
    if not text:
        return []
    shown = whole_sentences(inspect.cleandoc(text).partition("\f")[0])
    return [p.strip() for p in shown.split("\n\n") if p.strip()]


def localize(text: str | None) -> str | None:
    """A help text in the interface's language, paragraph by paragraph (English: as it is)."""
    if not text or english():
        return text
    return "\n\n".join(_(p) for p in paragraphs(text))


class LocalFormatter(HelpFormatter):
    """Click's help formatter, with "Usage:" in the interface's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE) if prefix is None else prefix)


# Where Rich may break a line (rich._wrap's `words`: a word is text up to the next space): Chinese
# has no spaces, so each Chinese character is a word of its own, with the punctuation that may not
# start a line (full-width comma, period, closing bracket...) kept after it and the one that may
# not end a line (an opening bracket or quote) before it; a run of other characters (an option
# name, `first_visit`, a path) stays whole. A loop, not a regular expression: compiling one with
# these ranges costs 10 ms.
_CJK_RANGES = (
    (0x2E80, 0x2FFF),
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
_OPENING = frozenset("（「『《〈【‘“")  # noqa: RUF001
_CLOSING = frozenset("，。、；：？！）」』》〉】’”…")  # noqa: RUF001


def _cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _words(text: str) -> Iterator[tuple[int, int, str]]:
    """rich._wrap.words for text with Chinese in it: (start, end, word with its trailing
    spaces), a Chinese character being a word."""
    size, position = len(text), 0
    while position < size:
        start = position
        while position < size and text[position].isspace():
            position += 1
        if position == size:
            return
        while position < size and text[position] in _OPENING:
            position += 1
        if position < size and _cjk(text[position]):
            position += 1
        else:
            while position < size and not text[position].isspace() and not _cjk(text[position]):
                position += 1
        while position < size and text[position] in _CLOSING:
            position += 1
        while position < size and text[position].isspace():
            position += 1
        yield start, position, text[start:position]


def _folding(make: Any) -> Any:
    """Typer's maker of help text, whose text folds where a line is full: Rich breaks lines at
    spaces only, and in a table's cell cuts a longer run with an ellipsis, which a Chinese
    sentence (no spaces) always is."""

    def made(*, text: str, style: str = "", markup_mode: Any) -> Any:
        text_ = make(text=text, style=style, markup_mode=markup_mode)
        if getattr(text_, "overflow", "") is None:
            text_.overflow = "fold"
        return text_

    return made


def _range_words(kind: Any) -> str:
    """A number range's bounds as help shows them after the type (Click's `x>=1`,
    `1<=x<=3650`), in words."""
    low = high = None
    if kind.min is not None:
        low = (_("more than {min}") if kind.min_open else _("at least {min}")).format(min=kind.min)
    if kind.max is not None:
        high = (_("less than {max}") if kind.max_open else _("at most {max}")).format(max=kind.max)
    if low and high:
        if not kind.min_open and not kind.max_open:
            return _("{min} to {max}").format(min=kind.min, max=kind.max)
        return _("{low}, {high}").format(low=low, high=high)
    return low or high or ""


@contextmanager
def _translated(ctx: Context) -> Iterator[None]:
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, attribute: str, value: Any) -> None:
        # What the object itself held (a class's attribute or method: nothing, put back so)
        saved.append((obj, attribute, vars(obj).get(attribute, _ABSENT)))
        setattr(obj, attribute, value)

    def swap_help(obj: Any, attribute: str) -> None:
        value = getattr(obj, attribute, None)
        if value:
            swap(obj, attribute, localize(value))

    command = ctx.command
    for attribute in ("help", "short_help", "epilog"):
        swap_help(command, attribute)
    for param in command.get_params(ctx):
        swap_help(param, "help")
        kind = param.type  # shared by parameters (Click's STRING): put back after the help
        word = _TYPE_WORDS.get(getattr(kind, "name", ""))
        if word is not None:
            swap(kind, "name", _(word))
        if hasattr(kind, "_describe_range"):
            swap(kind, "_describe_range", lambda kind=kind: _range_words(kind))
    # A group's subcommands (the root's come from its index, translated there: cli/_tree.py).
    if isinstance(command, TyperGroup) and not hasattr(command, "index"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                swap_help(sub, "short_help")
                swap_help(sub, "help")
    from typer import rich_utils

    for name, word in _RICH_WORDS.items():
        swap(rich_utils, name, _(word))
    swap(rich_utils, "_make_rich_text", _folding(rich_utils._make_rich_text))
    from rich import _wrap

    swap(_wrap, "words", _words)
    try:
        yield
    finally:
        for obj, attribute, value in reversed(saved):
            if value is _ABSENT:
                delattr(obj, attribute)
            else:
                setattr(obj, attribute, value)


class HelpContext(Context):
    """The context of every clientcard command: its help in the interface's language."""

    formatter_class = LocalFormatter

    def get_help(self) -> str:
        if english():
            return super().get_help()
        with _translated(self):
            return super().get_help()


# ---- Click's usage errors ----------------------------------------------------------------

# Click's sentences as cli/errors.py shows them (first letter lower-cased, no final period),
# each with its message in the catalog; the named groups are what Click quoted, kept as they
# are. The reason after "invalid value for X:" is Click's value types' (_TYPE_REASONS) or
# clientcard's own, translated where it was raised.
_USAGE_ERRORS = [
    (
        r"no such option: (?P<name>.+?) \(Possible options: (?P<options>.+)\)",
        N_("no such option: {name} (did you mean {options}?)"),
    ),
    (r"no such option: (?P<name>.+)", N_("no such option: {name}")),
    (
        r"no such command (?P<name>.+?)\. Did you mean (?P<matches>.+)\?",
        N_("no such command {name}; did you mean {matches}?"),
    ),
    (r"no such command (?P<name>.+)", N_("no such command {name}")),
    (r"missing command", N_("missing command")),
    (r"missing argument (?P<name>.+?)(?:\. (?P<more>.*))?", N_("missing argument {name}")),
    (r"missing option (?P<name>.+?)(?:\. (?P<more>.*))?", N_("missing option {name}")),
    (r"missing parameter (?P<name>.+?)(?:\. (?P<more>.*))?", N_("missing parameter {name}")),
    (r"option (?P<name>.+) requires an argument", N_("option {name} needs a value")),
    (
        r"option (?P<name>.+) requires (?P<count>\d+) arguments",
        N_("option {name} needs {count} values"),
    ),
    (r"option (?P<name>.+) does not take a value", N_("option {name} takes no value")),
    (
        r"got unexpected extra argument\(s\) \((?P<arguments>.*)\)",
        N_("unexpected extra arguments ({arguments})"),
    ),
    (r"invalid value for (?P<name>.+?): (?P<reason>.+)", N_("invalid value for {name}: {reason}")),
    (r"invalid value: (?P<reason>.+)", N_("invalid value: {reason}")),
]
_TYPE_REASONS = [
    (
        r"(?P<value>.+) is not one of (?P<choices>.+?)\.?",
        N_("{value} is not one of {choices}"),
    ),
    (
        r"(?P<value>.+) is not a valid int(?:eger)?(?: range)?\.?",
        N_("{value} is not a whole number"),
    ),
    (r"(?P<value>.+) is not a valid float(?: range)?\.?", N_("{value} is not a number")),
    (
        r"(?P<value>.+) is not a valid boolean\. Recognized values: (?P<values>.+)",
        N_("{value} is not yes or no (one of {values})"),
    ),
    (
        r"(?P<value>.+) is not in the range (?P<range>.+?)\.?",
        N_("{value} is out of range ({range})"),
    ),
    (
        r"(?P<value>.+) does not match the formats (?P<formats>.+?)\.?",
        N_("{value} does not match the formats {formats}"),
    ),
]


class _Bounds:
    """A range as Click describes it in an error (`x>=1`, `1<=x<=3650`), read back for
    `_range_words`."""

    def __init__(self, text: str) -> None:
        self.min = self.max = None
        self.min_open = self.max_open = False
        low = re.fullmatch(r"(?P<min>[^<>=x]+)(?P<op><=?)x(?P<rest>.*)", text)
        if low:
            self.min, self.min_open, text = low["min"], low["op"] == "<", "x" + low["rest"]
        high = re.fullmatch(r"x(?P<op><=?)(?P<max>[^<>=x]+)", text)
        above = re.fullmatch(r"x(?P<op>>=?)(?P<min>[^<>=x]+)", text)
        if high:
            self.max, self.max_open = high["max"], high["op"] == "<"
        elif above and low is None:
            self.min, self.min_open = above["min"], above["op"] == ">"


def _say_again(message: str, table: list[tuple[str, str]]) -> str | None:
    for pattern, words in table:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            quoted = {k: v for k, v in found.groupdict().items() if v is not None}
            if "reason" in quoted:
                quoted["reason"] = _say_again(quoted["reason"], _TYPE_REASONS) or quoted["reason"]
            if "range" in quoted:
                quoted["range"] = _range_words(_Bounds(quoted["range"])) or quoted["range"]
            return _(words).format(**quoted)
    return None


def click_message(message: str) -> str:
    """One of Click's usage errors, as cli/errors.py words it in English, in the interface's
    language (a sentence Click did not write: as it is)."""
    if english():
        return message
    return _say_again(message, _USAGE_ERRORS) or message
