# ruff: noqa: RUF001  (Chinese text is written with its own full-width punctuation)
"""Help in Chinese (issue 18): chosen by the locale environment or `config set language`, every
help line translated, Click's usage errors too, while command and option names, machine formats
and docs/commands.md stay as they are."""

import json
import re

import pytest

from clientcard import i18n
from clientcard.cli import app
from clientcard.cli.reference import click_command, render, walk
from helpers import Run

ZH = {"LANG": "zh_CN.UTF-8"}
COMMAND_PATHS = [e.path.split()[1:] for e in walk(click_command(app))]
# Words a Chinese help may show in Latin letters: the program's and its commands' names, and
# values (UPPER-CASE metavars, option names, formats) are checked apart below.
NAMES = {"clientcard"} | {word for path in COMMAND_PATHS for word in path}
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'][A-Za-z]{2,}){2,}")


def english_runs(text: str) -> list[str]:
    """Three or more English words in a row that are not names: a sentence left English."""
    return [
        run
        for run in ENGLISH_RUN.findall(text)
        if any(w not in NAMES and not w.isupper() for w in re.split(r"[ ,']", run))
    ]


@pytest.fixture(autouse=True)
def _back_to_english() -> None:
    i18n.use(None)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=[" ".join(p) or "root" for p in COMMAND_PATHS])
def test_every_help_is_chinese(cli: Run, path: list[str]) -> None:
    result = cli(*path, "--help", env=ZH)
    assert result.exit_code == 0, result.stderr
    assert "用法：clientcard" in result.stdout
    assert "选项" in result.stdout
    assert english_runs(result.stdout) == []
    assert "Show this message and exit" not in result.stdout


def test_help_has_chinese_headings_and_markers(cli: Run) -> None:
    out = cli("add", "--help", env=ZH).stdout
    assert "为客户或准客户添加一张客户卡" in out
    assert "参数" in out
    assert "[必填]" in out
    assert "[默认：F]" in out
    assert "--allow-duplicate" in out
    assert "[LABEL:]NUMBER" in out
    root = cli("--help", env=ZH).stdout
    assert "命令" in root
    assert "记录成交" in root
    assert "[环境变量：CLIENTCARD_DB]" in root


def test_a_long_chinese_option_help_is_wrapped_not_cut(cli: Run) -> None:
    """Rich breaks lines only at spaces; a Chinese sentence in a table cell folds instead of
    ending in an ellipsis."""
    out = cli("add", "--help", env={**ZH, "COLUMNS": "80"}).stdout
    assert "…" not in out
    assert "第一个为" in out


@pytest.mark.parametrize("width", ["80", "100", "120"])
def test_chinese_help_breaks_lines_between_characters_not_inside_words(
    cli: Run, width: str
) -> None:
    """A line breaks between two Chinese characters, never before a full-width comma or
    period, and never inside a value such as `first_visit` or an option name."""
    out = cli("due", "--help", env={**ZH, "COLUMNS": width}).stdout
    cells = [line.strip("│ ").split("  ")[-1].strip() for line in out.splitlines()]
    assert not [c for c in cells if c[:1] in ("，", "。", "、", "）", "；")]
    assert "first_visit" in out
    assert "pool_return" in out
    assert "--greeting" in cli("log", "--help", env={**ZH, "COLUMNS": width}).stdout


def test_the_setting_chooses_chinese_and_english(cli: Run, ok: Run) -> None:
    ok("config", "set", "language", "zh")
    assert "用法：clientcard" in cli("--help").stdout
    ok("config", "set", "language", "en", env=ZH)
    out = cli("--help", env=ZH).stdout
    assert "Usage: clientcard" in out
    assert "用法" not in out
    ok("config", "set", "language", "auto")
    assert "用法：clientcard" in cli("--help", env=ZH).stdout


def test_lc_all_c_wins_over_a_chinese_lang(cli: Run) -> None:
    out = cli("log", "--help", env={**ZH, "LC_ALL": "C"}).stdout
    assert "Usage: clientcard log" in out
    assert "Log a contact the moment it happens" in out
    assert (
        "用法：clientcard log"
        in cli("log", "--help", env={"LANG": "C", "LC_MESSAGES": "zh_CN"}).stdout
    )


def test_english_help_comes_back_after_chinese_in_one_process(cli: Run) -> None:
    assert "用法" in cli("promise", "--help", env=ZH).stdout
    out = cli("promise", "--help").stdout
    assert "Usage: clientcard promise" in out
    assert "Record a promise" in out
    assert "╭─ Commands" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["log", "--bogus"], "没有这个选项：--bogus（见 `clientcard log --help`）"),
        (["log"], "缺少参数 'CLIENT'"),
        (["list", "--format", "xml"], "'xml' 不是 'table', 'json', 'csv', 'tsv' 之一"),
        (["due", "--limit", "x"], "'--limit' / '-n' 的值无效：'x' 不是整数"),
        (["list", "--limit", "0"], "'--limit' / '-n' 的值无效：0 超出范围（至少 1）"),
        (["report", "customers", "--lost-after", "0"], "0 超出范围（1 到 3650）"),
        (["list", "--limit"], "选项 '--limit' 需要一个值"),
        (["list", "--archived=3"], "选项 '--archived' 不接受值"),
        (["promis"], "没有命令 'promis'；是否要用 'promise'？"),
        (["bogus"], "没有命令 'bogus'（见 `clientcard --help`）"),
        (["log", "1", "a", "b", "c"], "多余的参数（b c）"),
        (["sale", "1", "-5"], "'-5' 是负数：这里的值都不能小于零"),
    ],
)
def test_click_usage_errors_in_chinese(cli: Run, args: list[str], said: str) -> None:
    result = cli(*args, env=ZH)
    assert result.exit_code == 2
    assert said in result.stderr
    assert result.stderr.count("\n") == 1


def test_machine_formats_do_not_change_with_the_language(cli: Run, ok: Run) -> None:
    ok("add", "张伟", "--company", "阿里", "--tag", "vip")
    english = ok("list", "--format", "json").stdout
    chinese = ok("list", "--format", "json", env=ZH).stdout
    assert chinese == english
    assert json.loads(chinese)[0]["grade"] == "F"
    assert ok("list", "--format", "csv", env=ZH).stdout == ok("list", "--format", "csv").stdout


def test_the_command_reference_stays_english(monkeypatch: pytest.MonkeyPatch) -> None:
    english = render()
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.use("zh")
    assert render() == english


def zsh(cli: Run, line: str, **env: str) -> str:
    env = {"_CLIENTCARD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line, **env}
    result = cli(env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_zsh_describes_commands_and_options_in_chinese(cli: Run) -> None:
    """Completion's descriptions are help too: the root's commands, a group's (whole first
    paragraphs, not Click's 45 characters) and options."""
    assert "'log:联系后立即记录；客户卡的下次回访随之调整。'" in zsh(cli, "clientcard ", **ZH)
    group = zsh(cli, "clientcard promise ", **ZH)
    assert "'add:记录约定：在某时间前交付的事（--due）或约见（--at）。'" in group
    assert "'--with:不是和客户本人谈时，写上谈话对象。'" in zsh(cli, "clientcard log 1 --", **ZH)
    english = zsh(cli, "clientcard promise ")
    assert "'add:Record a promise: something to deliver by...'" in english


# ---- Click's and Typer's own words ---------------------------------------------------------


def test_chinese_help_shows_no_english_type_label(cli: Run) -> None:
    """Typer shows each option's type and range beside it (`<str>`, `<int range> [x>=1]`);
    in Chinese they are words, while a choice's values, typed as they are, stay."""
    out = cli("list", "--help", env=ZH).stdout
    assert "<整数> [至少 1]" in out  # --limit
    assert "<文本>" in out  # --search, --tag
    assert "<table|json|csv|tsv>" in out
    assert "[默认：table]" in out
    for english in ("<str>", "<int", "range>", "x>=", "INTEGER", "TEXT", "[default"):
        assert english not in out
    assert "[1 到 3650]" in cli("report", "customers", "--help", env=ZH).stdout
    argument = cli("log", "--help", env=ZH).stdout  # an argument's type: CLIENT <文本>
    assert "<文本>" in argument
    assert "<str>" not in argument


def test_english_type_labels_are_back_after_chinese_help(cli: Run) -> None:
    english = cli("list", "--help").stdout
    assert "<int range> [x>=1]" in english
    assert "<str>" in english
    cli("list", "--help", env=ZH)
    assert cli("list", "--help").stdout == english


def _on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from clientcard.cli import cards

    monkeypatch.setattr(cards, "on_a_terminal", lambda: True)


def test_a_question_on_a_terminal_has_a_chinese_suffix(
    cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_terminal(monkeypatch)
    ok("add", "张伟")
    no = cli("delete", "张伟", input="n\n", env=ZH)
    assert "删除" in no.stdout
    assert "（输入 y 确认，直接回车取消）：" in no.stdout
    assert "[y/N]" not in no.stdout
    assert no.exit_code == 3
    assert no.stderr == "clientcard: 已中止；没有做任何更改\n"  # not "add --yes": they said no
    unread = cli("delete", "张伟", input="x\n\n", env=ZH)  # an answer it cannot read, then Enter
    assert "请输入 y（确认）或 n（取消）。" in unread.stdout
    assert "Error" not in unread.stdout
    assert unread.exit_code == 3
    full_width_n = cli("delete", "张伟", input="\uff4e\n", env=ZH)  # an input method's n
    assert "请输入" not in full_width_n.stdout
    assert full_width_n.exit_code == 3
    yes = ok("delete", "张伟", input="是\n", env=ZH)
    assert yes.stdout.endswith("（输入 y 确认，直接回车取消）：是\n已删除 #1 张伟 · F 级\n")


def test_a_question_in_english_is_clicks(
    cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_terminal(monkeypatch)
    ok("add", "Li Na")
    no = cli("delete", "Li Na", input="n\n")
    assert "Delete the card 'Li Na' and all its history for good? [y/N]: n\n" in no.stdout
    assert (no.exit_code, no.stderr) == (3, "clientcard: aborted; nothing was changed\n")
    ended = cli("delete", "Li Na", input="", env=ZH)  # the end of input: aborted, in Chinese
    assert ended.exit_code == 3
    assert ended.stderr == "clientcard: 已中止；没有做任何更改\n"
    assert "Deleted" in ok("delete", "Li Na", input="y\n").stdout
