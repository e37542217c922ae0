"""Three-second logging (issue 12, point 3): `log` without --via uses the setting log.via, and
shell completion offers cards, channels, grades, formats and open promise and complaint ids
(docs/completion.md). Completion runs through the CLI as each shell asks for it."""

from pathlib import Path
from typing import Any

import pytest

from clientcard.cli._completion import CHANNELS
from clientcard.domain.channels import Channel
from helpers import Run, add, complaint, promise

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture
def book(ok: Run) -> None:
    add(ok, "张伟", "--company", "平安保险", "--grade", "B")  # 1
    add(ok, "张伟", "--company", "阿里巴巴")  # 2: the same name, so both are offered by id
    add(ok, "张小明")  # 3
    add(ok, "José García", "--company", "Acme")  # 4
    add(ok, "李娜", "--company", "平安银行")  # 5
    for n in range(6, 13):
        add(ok, f"Card {n}")
    ok("archive", "12")


def bash(cli: Run, line: str, **env: str) -> list[str]:
    """The candidates bash gets for the last word of `line` (a trailing space: a new word)."""
    words = line.split(" ")
    result = cli(
        env={
            "_CLIENTCARD_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **env,
        }
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]  # none: an empty line


def zsh(cli: Run, line: str) -> str:
    result = cli(env={"_CLIENTCARD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def fish(cli: Run, line: str, action: str = "get-args") -> Any:
    return cli(
        env={
            "_CLIENTCARD_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": line,
            "_TYPER_COMPLETE_FISH_ACTION": action,
        }
    )


# ---- log without --via --------------------------------------------------------------------


def test_log_without_via_is_a_call(ok: Run, query: Any, book: None) -> None:
    out = ok("log", "张小", "回访").stdout
    assert out.startswith("Logged call with #3 张小明;")
    assert query("SELECT via, summary FROM contact") == [("call", "回访")]


def test_log_via_follows_the_setting(ok: Run, cli: Run, query: Any, book: None) -> None:
    ok("config", "set", "log.via", "Visit")
    ok("log", "李娜", "拜访")
    ok("log", "李娜", "打电话", "--via", "call")  # --via still wins
    assert query("SELECT via FROM contact ORDER BY id") == [("visit",), ("call",)]
    result = cli("config", "set", "log.via", "pigeon")
    assert result.exit_code == 2
    assert "log.via must be one of call, visit" in result.stderr


def test_an_ambiguous_prefix_still_asks(cli: Run, book: None) -> None:
    result = cli("log", "张", "回访")
    assert result.exit_code == 1
    assert "'张' matches 3 cards" in result.stderr


# ---- cards --------------------------------------------------------------------------------


def test_a_chinese_prefix_offers_names_and_ids_of_shared_names(cli: Run, book: None) -> None:
    # 张伟 names two live cards: each is offered by id, which finds it alone
    assert bash(cli, "clientcard log 张") == ["1", "2", "张小明"]


def test_zsh_and_fish_show_what_each_card_is(cli: Run, book: None) -> None:
    out = zsh(cli, "clientcard log 张")
    assert "'1:#1 张伟, 平安保险, grade B'" in out
    assert "'张小明:#3 张小明, grade F'" in out
    assert out.endswith("_describe -V unsorted _clientcard_offer -U")
    result = fish(cli, "clientcard log 张")
    assert result.stdout.splitlines()[0] == "1\t#1 张伟, 平安保险, grade B"


def test_a_company_prefix_offers_its_cards(cli: Run, book: None) -> None:
    assert bash(cli, "clientcard log 平安") == ["李娜", "1"]  # by pinyin: li na, zhang wei


def test_an_id_prefix_offers_the_ids_it_starts(cli: Run, book: None) -> None:
    # 12 is archived: `log` does not offer it, `unarchive` offers only it
    assert bash(cli, "clientcard log 1") == ["1", "10", "11"]
    assert bash(cli, "clientcard unarchive 1") == ["12"]


def test_latin_names_fold_case_and_are_escaped_for_bash(cli: Run, book: None) -> None:
    assert bash(cli, "clientcard show jos") == ["José\\ García"]
    assert bash(cli, "clientcard show CARD 1") == []  # two words typed: no card starts so


def test_nothing_typed_offers_the_follow_ups_due(ok: Run, cli: Run, book: None) -> None:
    assert bash(cli, "clientcard log ") == []  # nothing is due yet
    ok("snooze", "李娜", "today")
    ok("snooze", "José", "today")
    assert bash(cli, "clientcard log ") == ["José\\ García", "李娜"]


def test_an_option_taking_a_client_offers_cards_too(cli: Run, book: None) -> None:
    assert bash(cli, "clientcard add Wang --referred-by 李") == ["李娜"]


def test_no_match_offers_nothing_and_zsh_no_files(cli: Run, book: None) -> None:
    assert bash(cli, "clientcard log 王") == []
    assert zsh(cli, "clientcard log 王") == "return 1"
    assert fish(cli, "clientcard log 王", "is-args").exit_code == 0  # fish: no file names
    # where a file is asked for, the shell offers file names
    assert zsh(cli, "clientcard import ") == "_files"
    assert fish(cli, "clientcard import ", "is-args").exit_code == 1


def test_no_book_offers_nothing_and_creates_none(cli: Run, db_path: Path) -> None:
    db_path.unlink()
    assert bash(cli, "clientcard log 张") == []
    assert not db_path.exists()
    other = db_path.parent / "other.db"
    assert bash(cli, f"clientcard --db {other} log 张") == []
    assert not other.exists()


def test_the_db_on_the_command_line_is_the_book_read(
    ok: Run, cli: Run, db_path: Path, book: None
) -> None:
    other = db_path.parent / "other.db"
    ok("--db", str(other), "add", "王芳")
    assert bash(cli, "clientcard log 王") == []
    assert bash(cli, f"clientcard --db {other} log 王") == ["王芳"]


# ---- channels, grades, formats ------------------------------------------------------------


def test_channels_are_the_domains(cli: Run) -> None:
    assert [c.value for c in Channel] == list(CHANNELS)
    assert bash(cli, "clientcard log 1 --via ") == list(CHANNELS)
    assert bash(cli, "clientcard log 1 --via m") == ["meeting", "message"]
    assert bash(cli, "clientcard contacts --via call,vi") == ["call,visit"]


def test_grades_and_formats(cli: Run) -> None:
    assert bash(cli, "clientcard list --grade ") == list("ABCDEF")
    assert bash(cli, "clientcard list --grade a,") == ["a,B", "a,C", "a,D", "a,E", "a,F"]
    assert bash(cli, "clientcard grade 1 ") == list("ABCDEF")
    assert bash(cli, "clientcard add X --grade b") == ["B"]
    # Issue 15: `due` also writes a calendar.
    assert bash(cli, "clientcard due --format ") == ["table", "json", "csv", "tsv", "ics"]
    assert bash(cli, "clientcard list --format ") == ["table", "json", "csv", "tsv"]


# ---- promise and complaint ids ------------------------------------------------------------


def test_open_promises_and_complaints_are_offered(ok: Run, cli: Run, book: None) -> None:
    promise(ok, "1", "send the quote", "--due", "fri")  # 1
    promise(ok, "李娜", "brochure", "--due", "mon")  # 2
    ok("promise", "done", "1")
    complaint(ok, "李娜", "理赔太慢")
    # Issue 12 point 4: ids are offered as printed, P2 and C1 (typed as P2, p2 or 2).
    assert bash(cli, "clientcard promise done ") == ["P2"]
    assert bash(cli, "clientcard promise done p") == ["P2"]
    assert bash(cli, "clientcard promise done 2") == ["P2"]
    assert bash(cli, "clientcard promise move 1") == []
    assert bash(cli, "clientcard promise move C") == []
    assert fish(cli, "clientcard promise cancel ").stdout.startswith("P2\tbrochure for 李娜, ")
    assert bash(cli, "clientcard complaint step ") == ["C1"]
    assert bash(cli, "clientcard complaint step c1") == ["C1"]
    assert "理赔太慢 for 李娜" in zsh(cli, "clientcard complaint show 1")
    assert bash(cli, "clientcard person remove ") == []  # not ours to offer


def test_a_name_a_terminal_would_obey_is_offered_by_its_id_and_shown_safely(
    ok: Run, cli: Run
) -> None:
    # Issue 12 review: an imported name with ESC and BEL must not reach the shell's menu raw.
    add(ok, "Evil\x1b[31mName\x07", "--company", "Bad\u202eCo")
    assert bash(cli, "clientcard log Ev") == ["1"]
    out = zsh(cli, "clientcard log Ev")
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "#1 Evil?[31mName?, Bad?Co" in out
