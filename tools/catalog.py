"""The message catalogs (issue 18; docs/i18n.md): extract, update, compile and check them.

    .venv/bin/python tools/catalog.py extract   # the source's messages -> locale/clientcard.pot
    .venv/bin/python tools/catalog.py update    # .pot -> zh_CN's clientcard.po (+ i18n-parts/*.po)
    .venv/bin/python tools/catalog.py update --parts-win  # the parts' translations replace the po's
    .venv/bin/python tools/catalog.py compile   # clientcard.po -> clientcard.mo beside it
    .venv/bin/python tools/catalog.py check     # untranslated, fuzzy, broken placeholders: exit 1

`extract` collects two kinds of message, exactly the strings looked up when they are shown:

- what the source marks: Babel's Python extractor over src/clientcard, keywords `_`, `N_` and
  `ngettext`;
- every header of a people's table that cli/ declares as plain text, `Column(key, "Header")`
  (translated where the table is drawn);
- every help text of the command tree, which stays English in the source (Typer's decorators
  run at import, before the language is known) and is translated when Click renders it
  (cli/_help.py): each command's and group's help, short help and epilog, each option's and
  argument's help and the first paragraphs of the root's index (cli/__init__.py COMMANDS), one
  message per paragraph, as `cli/_help.py`'s `whole_sentences` joins it.

The output is stable: messages sorted by msgid, locations without line numbers, fixed header
dates, so a diff of the catalogs shows only messages that changed. `update` keeps existing
translations, fills empty ones from every `i18n-parts/*.po` file (each helper's own part), and
drops messages the source no longer has. Standard library and Babel only (Babel is a test
dependency: the package reads the compiled .mo with the standard library's gettext).
"""

import argparse
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clientcard"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "clientcard.pot"
LANGUAGES = {"zh_CN": LOCALE / "zh_CN" / "LC_MESSAGES"}
PARTS = ROOT / "i18n-parts"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# Fixed, so that the files change only when a message does.
STAMP = datetime(2026, 12, 1, tzinfo=UTC)
WIDTH = 100
COMMENTS = 3  # where a help text is shown: at most this many commands named

# `{name}`, and printf's forms without the space flag: "one 95% interval" is prose, not "% i".
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


HEADER = """\
# {what} of clientcard (docs/i18n.md).
# Written by tools/catalog.py: extract, then update (which merges i18n-parts/*.po).
#"""


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        header_comment=HEADER.format(what="The Chinese catalog" if locale else "The messages"),
        last_translator="clientcard",
        language_team="clientcard",
        domain="clientcard",
        project="clientcard",
        version="0.1.0",
        copyright_holder="clientcard",
        msgid_bugs_address="clientcard",
        creation_date=STAMP,
        revision_date=STAMP,
        charset="utf-8",
        fuzzy=False,
    )


def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path


# ---- extract -----------------------------------------------------------------------------


def marked_messages() -> Iterator[tuple[str | tuple[str, str], str, str | None]]:
    """(message, file, context) for every string the source marks with _(), N_(), ngettext()
    or pgettext() (a context where one English word has two meanings: a client's "Value" and
    a setting's)."""
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    )
    for filename, _lineno, message, _comments, context in found:
        if isinstance(message, tuple):
            if not message[0]:
                continue
            yield (str(message[0]), str(message[1])), f"src/clientcard/{filename}", context
        elif message:
            yield message, f"src/clientcard/{filename}", context


def header_messages() -> Iterator[tuple[str, str, str | None]]:
    """(header, file, context) for every header cli/ writes as plain text in a people's
    table's `Column(key, "Header")` (made at import, translated where the table is drawn:
    output/_table_parts), with its `context="..."` when it has one."""
    import ast

    for path in sorted((PACKAGE / "cli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Column"
            ):
                continue
            header = node.args[1] if len(node.args) > 1 else None
            context = None
            for keyword in node.keywords:
                if keyword.arg == "header":
                    header = keyword.value
                if keyword.arg == "context" and isinstance(keyword.value, ast.Constant):
                    context = str(keyword.value.value)
            if isinstance(header, ast.Constant) and isinstance(header.value, str) and header.value:
                yield header.value, _relative(str(path)), context


def help_messages() -> Iterator[tuple[str, str, str]]:
    """(paragraph, file, where) for every help text the CLI shows, as cli/_help.py looks it
    up: walking the tree as cli/reference.py does."""
    sys.path.insert(0, str(ROOT / "src"))
    from clientcard.cli import COMMANDS, app
    from clientcard.cli._help import paragraphs
    from clientcard.cli.reference import click_command, walk

    init = "src/clientcard/cli/__init__.py"
    for entry in COMMANDS:
        for paragraph in paragraphs(entry.summary):
            yield paragraph, init, f"clientcard {entry.name} (index)"
    for found in walk(click_command(app)):
        command, ctx = found.command, found.ctx
        callback = getattr(command, "callback", None)
        module = sys.modules.get(getattr(callback, "__module__", "") or "")
        where = _relative(module.__file__) if module and module.__file__ else init
        for text in (command.help, command.short_help, command.epilog):
            for paragraph in paragraphs(text):
                yield paragraph, where, found.path
        for param in command.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            name = max(param.opts, key=lambda o: (len(o), o)) if param.opts else str(param.name)
            for paragraph in paragraphs(getattr(param, "help", None)):
                yield paragraph, where, f"{found.path} {name}"


def extract() -> Catalog:
    catalog = _catalog()
    for message, filename, context in marked_messages():
        catalog.add(message, locations=[(filename, None)], context=context)
    for header, filename, context in header_messages():
        existing = catalog.get(header, context)
        if existing is None:
            catalog.add(header, locations=[(filename, None)], context=context)
        elif (filename, None) not in existing.locations:
            existing.locations.append((filename, None))
    for paragraph, filename, where in help_messages():
        existing = catalog.get(paragraph)
        if existing is None:
            catalog.add(paragraph, locations=[(filename, None)], auto_comments=[where])
        else:
            if (filename, None) not in existing.locations:
                existing.locations.append((filename, None))
            if where not in existing.auto_comments:
                existing.auto_comments.append(where)
    for message in catalog:
        message.locations = sorted(set(message.locations))
        where = sorted(set(message.auto_comments))
        if len(where) > COMMENTS:
            where = [*where[:COMMENTS], f"... and {len(where) - COMMENTS} more"]
        message.auto_comments = where
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_po(
            out,
            catalog,
            width=WIDTH,
            sort_output=True,
            include_lineno=False,
            ignore_obsolete=True,
        )


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale, charset="utf-8")


# ---- update ------------------------------------------------------------------------------


def _translated(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def part_translations() -> dict[tuple[str | tuple[str, ...], str | None], Message]:
    """Every translated, not fuzzy message of the parts files, by msgid (the files in name
    order: the first translation of a msgid wins), keyed with their context."""
    found: dict[tuple[str | tuple[str, ...], str | None], Message] = {}
    for part in sorted(PARTS.glob("*.po")):
        for message in read(part, "zh_CN"):
            if message.id and _translated(message) and not message.fuzzy:
                found.setdefault((message.id, message.context), message)
    return found


def update(*, parts_win: bool = False) -> dict[str, Path]:
    template = read(POT)
    parts = part_translations()
    written = {}
    for locale, directory in LANGUAGES.items():
        path = directory / "clientcard.po"
        catalog = read(path, locale) if path.exists() else _catalog(locale)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.revision_date = STAMP
        catalog.creation_date = STAMP
        for message in catalog:
            if not message.id or (_translated(message) and not parts_win):
                continue
            part = parts.get((message.id, message.context))
            if part is None:
                continue
            if isinstance(message.id, tuple | list):
                strings = part.string if isinstance(part.string, tuple | list) else (part.string,)
                message.string = tuple(strings[:1]) * catalog.num_plurals
            else:
                message.string = part.string
            message.flags.discard("fuzzy")
        write(catalog, path)
        written[locale] = path
    return written


# ---- compile -----------------------------------------------------------------------------


def compile_mo(path: Path, locale: str) -> bytes:
    """The .mo bytes of the .po at `path` (fuzzy messages left out)."""
    from io import BytesIO

    buffer = BytesIO()
    write_mo(buffer, read(path, locale), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> list[Path]:
    written = []
    for locale, directory in LANGUAGES.items():
        po = directory / "clientcard.po"
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_mo(po, locale))
        written.append(mo)
    return written


# ---- check -------------------------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    """The `{name}` and `%s` forms of a message, sorted (their order may change)."""
    return sorted(m for m in PLACEHOLDER.findall(text) if m not in ("%%",))


def problems(catalog: Catalog, template: Catalog | None = None) -> list[str]:
    found = []
    if template is not None:
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                found.append(f"missing: {message.id!r}")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        if not _translated(message):
            found.append(f"untranslated: {ids[0]!r}")
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = placeholders(ids[-1])
        for string in strings:
            if placeholders(string) != wanted:
                found.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    return found


def check() -> int:
    template = read(POT) if POT.exists() else None
    status = 0
    for locale, directory in LANGUAGES.items():
        path = directory / "clientcard.po"
        if not path.exists():
            print(f"{_relative(str(path))}: missing; run `tools/catalog.py update`")
            status = 1
            continue
        found = problems(read(path, locale), template)
        for line in found:
            print(f"{locale}: {line}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compile_mo(path, locale):
            print(f"{locale}: {_relative(str(mo))} is out of date; run `tools/catalog.py compile`")
            status = 1
        if found:
            print(f"{locale}: {len(found)} problem(s)")
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/catalog.py", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["extract", "update", "compile", "check"])
    parser.add_argument(
        "--parts-win",
        action="store_true",
        help="update: a part's translation replaces the catalog's (after a part was corrected)",
    )
    args = parser.parse_args(argv)
    if args.action == "extract":
        catalog = extract()
        write(catalog, POT)
        print(f"{_relative(str(POT))}: {len(catalog)} messages")
    elif args.action == "update":
        for path in update(parts_win=args.parts_win).values():
            print(f"{_relative(str(path))}: updated")
    elif args.action == "compile":
        for path in compile_all():
            print(f"{_relative(str(path))}: written")
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
