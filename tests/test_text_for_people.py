"""The one sanitiser for the terminal, on its own (clientcard.output.safe; docs/formats.md "Text
for people"). tests/test_terminal_safety.py checks that every printing path uses it."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcard.output.safe import (
    ECHO_LIMIT,
    ESCAPED,
    MESSAGE_LIMIT,
    clip,
    for_people,
    json_escaped,
    message_for_people,
)

# Written out here, not imported: what a terminal obeys (C0 but newline, DEL, C1, the bidi
# embeddings/overrides/isolates, the line and paragraph separators) and lone surrogates.
OBEYED = frozenset(
    [chr(c) for c in range(0x20) if c != 0x0A]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u2028", "\u2029"]
    + [chr(c) for c in range(0xD800, 0xE000)]
)
# Any code point, lone surrogates included (arguments that were not UTF-8 arrive as those).
ANY_TEXT = st.text(st.characters(exclude_categories=()))
HOSTILE_TEXT = st.text(
    st.one_of(st.sampled_from(sorted(OBEYED | {"\n", "\\", "[", "]"})), st.characters())
)


def unescape(text: str) -> str:
    """The escapes undone (for text that had no backslash of its own)."""
    named = {"t": "\t", "n": "\n", "r": "\r"}
    return re.sub(
        r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[tnr])",
        lambda m: named.get(m.group(1)) or chr(int(m.group(1)[1:], 16)),
        text,
    )


def test_the_escaped_set_is_the_documented_one() -> None:
    assert {chr(c) for c in ESCAPED} == OBEYED | {"\n"}


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x1b]8;;http://x\x1b\\y", "\\x1b]8;;http://x\\x1b\\y"),
        ("\x9b31m", "\\x9b31m"),
        ("a\rb\bc\x7f", "a\\rb\\x08c\\x7f"),
        ("a\tb\nc", "a\\tb\\nc"),
        ("\x00", "\\x00"),
        ("abc\u202efed", "abc\\u202efed"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("a\u2028b", "a\\u2028b"),
        ("\udcff", "\\udcff"),
    ],
)
def test_control_characters_are_shown_as_escapes(typed: str, shown: str) -> None:
    assert for_people(typed) == shown


@pytest.mark.parametrize(
    "text",
    [
        "张伟 阿里巴巴\uff08杭州\uff09",  # full-width brackets
        "😀 👨\u200d👩\u200d👧 👍🏽",  # joiners and modifiers
        "e\u0301 n\u0303",  # combining marks
        "مرحبا\u200f עברית",  # Arabic and Hebrew, with a right-to-left mark (not an override)
        "[bold]x[/bold] [link=http://x]y[/link]",
        "C:\\Users\\x \\x1b typed",  # backslashes are the user's own
        "全角　空格",  # ideographic space
        "<b>&amp;</b> ' \" ` $ % ~",
    ],
)
def test_text_that_prints_is_unchanged(text: str) -> None:
    assert for_people(text) == text
    assert for_people(text, lines=True) == text


def test_lines_keeps_a_line_break_and_nothing_else() -> None:
    assert for_people("one\ntwo\r\nthree\t!", lines=True) == "one\ntwo\\r\nthree\\t!"


@given(ANY_TEXT)
def test_nothing_a_terminal_obeys_is_left(text: str) -> None:
    shown = for_people(text)
    assert not OBEYED & set(shown)
    assert "\n" not in shown
    assert not OBEYED & set(for_people(text, lines=True))


@given(HOSTILE_TEXT)
def test_hostile_text(text: str) -> None:
    assert not (OBEYED | {"\n"}) & set(for_people(text))


@given(st.text(st.characters(exclude_characters=sorted(OBEYED | {"\n"}))))
def test_text_without_those_characters_is_unchanged(text: str) -> None:
    assert for_people(text) == text


@given(st.text(st.characters(exclude_categories=(), exclude_characters="\\")))
def test_the_escapes_can_be_read_back(text: str) -> None:
    assert unescape(for_people(text)) == text


@given(ANY_TEXT)
def test_showing_twice_changes_nothing_more(text: str) -> None:
    once = for_people(text)
    assert for_people(once) == once


# ---- error messages ------------------------------------------------------------------------


def test_clip() -> None:
    assert clip("x" * ECHO_LIMIT) == "x" * ECHO_LIMIT
    assert clip("x" * (ECHO_LIMIT + 1)) == "x" * ECHO_LIMIT + "…"


def test_a_long_argument_is_cut_wherever_the_message_quotes_it() -> None:
    value = "\x1b" + "y" * 500
    message = f"no card matches {value!r}; try `clientcard list --search {value}`"
    line = message_for_people(message, ["show", value])
    assert line == (
        f"no card matches '{clip(repr(value)[1:-1])}'; "
        f"try `clientcard list --search {clip(for_people(value))}`"
    )


def test_a_stripped_argument_is_cut_too() -> None:
    value = "  " + "z" * 200 + "  "
    line = message_for_people(f"--via is call or visit, not {value.strip()!r}", [value])
    assert line == f"--via is call or visit, not '{'z' * 80}…'"


def test_a_path_or_url_is_quoted_whole_up_to_a_path_s_length() -> None:
    path = "/home/" + "d" * 300 + "/cards.db"
    message = f"cannot open the database {path}: no such folder"
    assert message_for_people(message, ["--db", path]) == message
    huge = "/" + "d" * 5000
    assert message_for_people(f"no card matches {huge!r}", [huge]) == (
        f"no card matches '{clip(huge)}'"
    )


def test_short_arguments_and_the_rest_of_the_message_are_left() -> None:
    assert message_for_people("bad value 'abc'", ["abc"]) == "bad value 'abc'"


def test_a_message_is_cut_at_its_limit_whatever_it_holds() -> None:
    line = message_for_people("w" * 50_000)
    assert line == "w" * MESSAGE_LIMIT + "…"


@given(st.text(), st.lists(st.text()))
def test_a_message_is_always_one_safe_line(message: str, arguments: list[str]) -> None:
    line = message_for_people(message, arguments)
    assert not (OBEYED | {"\n"}) & set(line)
    assert len(line) <= MESSAGE_LIMIT + 1


# ---- JSON ----------------------------------------------------------------------------------


@given(ANY_TEXT)
def test_json_escaped_is_the_same_text_and_nothing_a_terminal_obeys(text: str) -> None:
    encoded = json_escaped(json.dumps({"v": text}, ensure_ascii=False, indent=2))
    assert json.loads(encoded) == {"v": text}
    assert not OBEYED & set(encoded)


def test_json_escaped_leaves_plain_text_alone() -> None:
    encoded = json.dumps(["张伟 😀 [bold]"], ensure_ascii=False)
    assert json_escaped(encoded) == encoded
