"""The console script `clientcard`: runs the CLI, except for the one <TAB> typed most, which it
answers before the CLI is even loaded.

Bash asks for completions by running the program with `_CLIENTCARD_COMPLETE=complete_bash`,
`COMP_WORDS` and `COMP_CWORD`. Loading Typer and building every command costs more than the
0.15 s a client's completion may take (issue 12; docs/performance.md), so when the word being
completed is the CLIENT right after a command that takes one (`clientcard log 张<TAB>`,
`clientcard --db book.db promise add Ma<TAB>`), this module reads the book and prints the
candidates itself, through the same service as cli/_completion.py (services/completion.py), in
the same form. Anything else (another shell, an option before the CLIENT, another parameter)
goes to the CLI as before. tests/test_completion_quick.py checks that both answer alike and
that the command table below is the CLI's.
"""

import os
import sys

# The commands whose first argument is a CLIENT (tests/test_completion_quick.py keeps this
# equal to the CLI's), and whether they offer archived cards (`unarchive`) instead of live ones.
CLIENT_FIRST: dict[tuple[str, ...], bool] = {
    ("log",): False,
    ("grade",): False,
    ("show",): False,
    ("edit",): False,
    ("snooze",): False,
    ("contacts",): False,
    ("sale",): False,
    ("sales",): False,
    ("rate",): False,
    ("archive",): False,
    ("unarchive",): True,
    ("delete",): False,
    ("handover",): False,
    ("claim",): False,
    ("release",): False,
    ("promise", "add"): False,
    ("promise", "list"): False,
    ("complaint", "add"): False,
    ("complaint", "list"): False,
    ("date", "add"): False,
    ("date", "list"): False,
    ("person", "add"): False,
    ("person", "list"): False,
}


def _words(line: str) -> list[str]:
    """COMP_WORDS split as Click splits it (shell_completion.split_arg_string): like
    shlex.split, but an unfinished quote or escape keeps its partial word."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _client_word(environ: dict[str, str] | os._Environ[str]) -> tuple[str | None, bool, str] | None:
    """(the --db given, archived?, the word typed) when bash is completing the CLIENT right
    after a command that takes one; else None."""
    if environ.get("_CLIENTCARD_COMPLETE") != "complete_bash":
        return None
    try:
        words = _words(environ["COMP_WORDS"])
        cword = int(environ["COMP_CWORD"])
    except (KeyError, ValueError):
        return None
    if cword < 1 or cword > len(words):
        return None
    args, typed = words[1:cword], words[cword] if cword < len(words) else ""
    db: str | None = None
    if len(args) >= 2 and args[0] == "--db":
        db, args = args[1], args[2:]
    elif args and args[0].startswith("--db="):
        db, args = args[0].removeprefix("--db="), args[1:]
    archived = CLIENT_FIRST.get(tuple(args))
    if archived is None or typed.startswith("-"):
        return None
    return db, archived, typed


def quick_completion(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """What bash gets for a CLIENT right after its command (one candidate a line), or None
    when the CLI must answer."""
    asked = _client_word(environ)
    if asked is None:
        return None
    db, archived, typed = asked
    if db is None:
        db = environ.get("CLIENTCARD_DB") or None
    try:
        from clientcard import clock
        from clientcard.services import completion
        from clientcard.services.views.completion import for_bash
        from clientcard.store.open import peek

        with peek(db) as book:
            found = (
                []
                if book is None
                else completion.cards(book, typed, archived=archived, now=clock.now())
            )
    except Exception:  # a <TAB> never fails: nothing to offer (as cli/_completion.py)
        found = []
    return "\n".join(for_bash(c.value) for c in found)


def main() -> None:
    """The console script `clientcard` (pyproject.toml)."""
    if "_CLIENTCARD_COMPLETE" in os.environ:
        answer = quick_completion(os.environ)
        if answer is not None:
            try:
                sys.stdout.write(answer + "\n")
                sys.stdout.flush()
                return
            except UnicodeEncodeError:
                pass  # an output that cannot say it: the CLI's own handling (docs/formats.md)
    from clientcard.cli import main as cli_main

    cli_main()
