# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation)
"""The command line's own lines in Chinese (issue 18): what `add`, `log`, `grade`, `promise`,
`complaint` and `due` say after they act, and the errors raised in cli/, with LANG=zh_CN.UTF-8
or `config set language zh`; exit codes and machine output stay as they are in English.

Only the lines written in src/clientcard/cli are asserted here: the tables' headers and the
services' phrases (a card's summary, a follow-up's description) are translated elsewhere. The
catalog is the package's (tools/catalog.py builds it; tests/test_catalog.py checks that it
translates every message of the source).
"""

from collections.abc import Iterator

import pytest

import clientcard.services.clients as clients_service
from clientcard import i18n
from helpers import add, at, complaint, promise

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def catalog() -> Iterator[None]:
    """The Chinese catalog: the package's (src/clientcard/locale)."""
    i18n.use(None)
    yield
    i18n.use(None)  # no catalog of this test is kept for the next one


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


def out(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return str(result.stdout)


@pytest.mark.usefixtures("zh")
def test_add_edit_archive_say_it_in_chinese(ok) -> None:
    assert out(ok("add", "张伟", "--company", "阿里", "--grade", "A")).startswith("已添加 #1 张伟")
    assert ok("add", "王芳", "--quiet").stdout == "2\n"  # --quiet: the id, in any language
    assert ok("edit", "张伟", "--title", "经理").stdout.startswith("已更新 #1 张伟")
    unchanged = ok("edit", "张伟", "--title", "经理").stdout
    assert unchanged.startswith("未更改 #1 张伟")
    assert "客户卡上已是这些值" in unchanged
    assert ok("archive", "王芳").stdout.startswith("已归档 #2 王芳")
    assert ok("unarchive", "王芳").stdout.startswith("已取消归档 #2 王芳")


@pytest.mark.usefixtures("zh")
def test_log_and_grade_say_it_in_chinese(ok) -> None:
    add(ok, "张伟", "--company", "阿里", "--grade", "B")
    logged = ok("log", "张伟", "谈了报价", "--via", "visit").stdout
    assert logged.startswith("已记录联系（拜访）：#1 张伟（阿里）；下次回访 ")
    regraded = ok("grade", "张伟", "A", "--reason", "下周签约").stdout
    assert regraded.startswith("已调级 #1 张伟（阿里）：B -> A")


@pytest.mark.usefixtures("zh")
def test_promises_say_it_in_chinese(ok) -> None:
    add(ok, "张伟", "--company", "阿里")
    added = ok("promise", "add", "张伟", "寄报价单", "--due", "2026-11-21").stdout
    assert added.startswith("已记录约定：约定 P1 '寄报价单'，客户卡 #1 张伟（阿里），交付 ")
    assert ok("promise", "done", "P1").stdout.startswith("已守约：约定 P1 '寄报价单'")
    promise(ok, "张伟", "上门演示", "--at", "2026-11-20 15:00")
    done = ok("promise", "done", "P2", "--via", "visit", env=at("2026-11-20T16:00:00")).stdout
    assert done.startswith("已守约：约定 P2 '上门演示'，客户卡 #1 张伟（阿里），约见 ")
    assert done.endswith("；已记为一次拜访\n")
    promise(ok, "张伟", "回电话", "--due", "2026-11-25")
    assert ok("promise", "cancel", "P3", "--by", "client").stdout.startswith("客户取消：约定 P3")
    assert ok("promise", "list").stdout.startswith("没有未完成的约定。")


@pytest.mark.usefixtures("zh")
def test_complaints_say_it_in_chinese(ok) -> None:
    add(ok, "张伟", "--company", "阿里")
    added = ok("complaint", "add", "张伟", "发货晚了", "--severity", "high").stdout
    assert added.startswith("投诉 C1（#1 张伟（阿里）），高：")
    assert "前答复" in added
    later = {"CLIENTCARD_NOW": "2026-11-21T15:25:00+08:00"}  # 1 day 6 h 25 min after receipt
    step = ok("complaint", "step", "C1", "打电话道歉", "--via", "call", env=later).stdout
    assert step.startswith(
        "已为 #1 张伟（阿里）的投诉 C1 记录处理步骤：收到后 1 天 6 小时 首次答复"
    )
    assert step.endswith("；已记为一次电话\n")
    shown = ok("complaint", "show", "C1", env=later).stdout
    assert "收到后 1 天 6 小时（迟了" in shown  # durations in Chinese, not "1 d 6 h"
    assert " d " not in shown
    assert " h" not in shown
    resolved = ok(
        "complaint", "resolve", "C1", "--result", "补发了", "--satisfaction", "4", env=later
    )
    assert resolved.stdout.startswith("已解决 #1 张伟（阿里）的投诉 C1，收到后 1 天 6 小时")
    assert resolved.stdout.endswith("；满意度 4/5\n")
    assert ok("complaint", "list").stdout == "没有未解决的投诉。\n"


@pytest.mark.usefixtures("zh")
def test_shows_grade_and_snooze_use_chinese_punctuation(ok) -> None:
    add(ok, "张伟", "--grade", "D")
    grade = next(
        line for line in ok("show", "张伟").stdout.splitlines() if line.startswith("等级 ")
    )
    assert grade.split(maxsplit=1)[1].startswith("D（只差钱")
    assert ok("snooze", "张伟", "下周一").stdout.startswith("#1 张伟：下次回访 2026-11-23")


@pytest.mark.usefixtures("zh")
def test_a_built_in_cause_is_shown_in_chinese_and_a_books_own_as_typed(ok) -> None:
    add(ok, "张伟")
    ok("complaint", "add", "张伟", "送晚了", "--cause", "delivery", "--responsible", "partner")
    shown = ok("complaint", "show", "C1").stdout.splitlines()
    assert next(line for line in shown if line.startswith("原因")).split() == ["原因", "配送"]
    ok("config", "set", "--book", "complaint.causes", "delivery,物流")
    changed = ok("complaint", "set", "C1", "--cause", "物流").stdout
    assert "物流" in changed
    assert "delivery" not in ok("complaint", "show", "C1", "--format", "json").stdout


@pytest.mark.usefixtures("zh")
def test_a_settings_value_is_not_a_clients_worth(ok) -> None:
    """One English word, two meanings: "Value" is 值 for a setting (`config show`,
    `db status`) and 价值 for a client (`show`); `db status` names items 名称, not 姓名."""
    add(ok, "张伟")
    assert ok("config", "show").stdout.splitlines()[0].split()[:2] == ["设置项", "值"]
    status = ok("db", "status").stdout.splitlines()
    header = next(line for line in status if line.startswith("部分"))
    assert header.split()[:3] == ["部分", "名称", "值"]
    assert next(line for line in status if " upgrade " in line).split()[2] == "否"
    assert "个人" in ok("config", "show").stdout.splitlines()[2].split()
    assert any(line.startswith("价值") for line in ok("show", "张伟").stdout.splitlines())


@pytest.mark.usefixtures("zh")
def test_due_today_on_an_empty_and_a_full_book(ok) -> None:
    empty = ok("due", "--today").stdout
    assert empty.startswith("今天没有到期事项：客户簿是空的。添加第一张客户卡：clientcard add ")
    add(ok, "张伟", "--company", "阿里")
    complaint(ok, "张伟", "发货晚了")
    page = ok("due", "--today").stdout
    assert page.splitlines()[0] == "今日待办，周五 2026-11-20：1 项"


@pytest.mark.usefixtures("zh")
def test_errors_raised_in_cli_are_chinese_with_their_codes(cli, ok, monkeypatch) -> None:
    add(ok, "张伟")
    both = cli("due", "--today", "--week")
    assert (both.exit_code, both.stdout) == (2, "")
    assert both.stderr == "clientcard: --today、--tomorrow、--week 只能选一个\n"
    kinds = cli("list", "--customers", "--prospects")
    assert (kinds.exit_code, kinds.stderr) == (
        2,
        "clientcard: --customers、--prospects 只能选一个\n",
    )
    unknown = cli("show", "王五")
    assert (unknown.exit_code, unknown.stdout) == (1, "")
    assert unknown.stderr.startswith("clientcard: ")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret client data")

    monkeypatch.setattr(clients_service, "list_clients", broken)
    internal = cli("list")
    assert (internal.exit_code, internal.stdout) == (70, "")
    assert internal.stderr == (
        "clientcard: 内部错误（RuntimeError）；没有做任何更改。"
        "设置 CLIENTCARD_TRACEBACK=1 再运行可查看错误追踪，请报告此问题\n"
    )


def test_the_setting_language_zh_over_an_english_locale(ok) -> None:
    ok("config", "set", "language", "zh")
    assert ok("add", "张伟").stdout.startswith("已添加 #1 张伟")
    assert ok("due", "--today").stdout.startswith("今天没有到期事项。")
    ok("config", "set", "language", "en")
    assert ok("add", "王芳").stdout.startswith("Added #2 王芳")


def test_machine_output_is_the_same_in_both_languages(ok, monkeypatch) -> None:
    add(ok, "张伟", "--company", "阿里", "--grade", "A")
    ok("log", "张伟", "谈了报价")
    promise(ok, "张伟", "寄报价单", "--due", "2026-11-21")
    complaint(ok, "张伟", "发货晚了")
    commands = [
        ("list", "--format", "json"),
        ("list", "--format", "csv"),
        ("due", "--week", "--format", "json"),
        ("show", "张伟", "--format", "json"),
        ("promise", "list", "--format", "tsv"),
        ("complaint", "list", "--format", "json"),
        ("contacts", "--format", "json"),
    ]
    english = [ok(*command).stdout for command in commands]
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = [ok(*command).stdout for command in commands]
    assert chinese == english
    # and the Chinese interface is on: a line for people does change
    assert ok("promise", "list", "--all").stdout != ""
    assert ok("add", "王芳").stdout.startswith("已添加")


@pytest.mark.usefixtures("zh")
def test_words_not_english_in_chinese_output(ok, cli) -> None:
    """Issue 18's review: the record's noun, weekdays, occasions' kinds, a sale's contact note
    and an audience error read in Chinese."""
    add(ok, "张伟", "--company", "阿里")
    complaint(ok, "张伟", "发货晚了")
    promise(ok, "张伟", "寄报价单", "--due", "2026-11-21")
    page = ok("due", "--today").stdout
    assert "（投诉 C1）" in page
    assert "(complaint" not in page
    added = ok("date", "add", "张伟", "birthday", "--lunar", "八月十五").stdout
    assert "下次 周" in added
    for english in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        assert english not in added
    held = ok("holiday", "add", "--preset", "cn").stdout
    assert "Fri" not in held
    assert "周五 2027-01-01" in held
    assert "问候对象：成交客户" in held
    assert "customers" not in held
    assert "成交客户" in ok("holiday", "list").stdout
    ok("sale", "张伟", "15000", "--what", "保单")
    ok("date", "add", "张伟", "anniversary", "--lunar", "十一月初一")
    shown = ok("show", "张伟").stdout
    assert "纪念日 农历冬月初一" in shown
    assert "节日" in shown
    assert "成交 ¥15,000.00：保单" in shown
    assert "sale of" not in shown
    bad = cli("holiday", "add", "2027-01-01", "元旦", "--for", "老客户")
    assert "--for 可选 customers（成交客户）" in bad.stderr
    taken = ok("holiday", "add", "2027-10-01", "国庆", "--for", "全部").stdout
    assert "问候对象：全部" in taken
