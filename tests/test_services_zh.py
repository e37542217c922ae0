# ruff: noqa: RUF001 -- the Chinese messages use full-width punctuation, as the glossary asks
"""The services' messages in Chinese (issue 18): errors and agenda reasons a person reads come out
in Simplified Chinese with LANG=zh_CN.UTF-8, with the same exit codes; what a machine reads (JSON,
the agenda's `reason` key) stays English, whatever the language.

The catalog is the package's (src/clientcard/locale); tests/test_catalog.py checks that it
translates every message of the source.
"""

import json
from pathlib import Path

import pytest

from clientcard import i18n
from helpers import Run, add, at, promise

CHINESE = {"LANG": "zh_CN.UTF-8"}
ENGLISH = {"LANG": "C.UTF-8"}


@pytest.fixture(autouse=True)
def catalog() -> None:
    """The language as each command's environment says (the package's catalog)."""
    i18n.use(None)


def both(cli: Run, *args: str) -> tuple[object, object]:
    """The same command in English and in Chinese."""
    return cli(*args, env=ENGLISH), cli(*args, env=CHINESE)


def test_no_card_matches(cli: Run, ok: Run) -> None:
    add(ok, "张伟")
    english, chinese = both(cli, "show", "王五")
    assert english.exit_code == chinese.exit_code != 0
    assert "no card matches '王五'" in english.stderr
    assert chinese.stderr == (
        "clientcard: 没有客户卡匹配 '王五'；试试 `clientcard list --search 王五`\n"
    )
    assert chinese.stdout == english.stdout == ""


def test_ambiguous_names_list_the_cards_in_chinese(cli: Run, ok: Run) -> None:
    add(ok, "张伟", "--company", "阿里", "--grade", "A")
    add(ok, "张伟", "--company", "腾讯", "--grade", "B", "--allow-duplicate")
    english, chinese = both(cli, "show", "张伟")
    assert english.exit_code == chinese.exit_code != 0
    assert "matches 2 cards" in english.stderr
    assert chinese.stderr == (
        "clientcard: '张伟' 匹配到 2 张客户卡：#1 张伟（阿里）A 级; #2 张伟（腾讯）B 级；请用编号\n"
    )


def test_a_grade_already_held_is_refused_in_chinese(cli: Run, ok: Run) -> None:
    add(ok, "张伟", "--grade", "A")
    english, chinese = both(cli, "grade", "张伟", "--up", "--reason", "签约")
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr == "clientcard: #1 张伟 已是 A 级（等级阶梯的最高级）\n"


def test_a_promise_in_the_past_and_an_unknown_record(cli: Run, ok: Run) -> None:
    add(ok, "张伟")
    english, chinese = both(cli, "promise", "add", "张伟", "发报价单", "--due", "2026-11-01")
    assert english.exit_code == chinese.exit_code != 0
    assert "已经过去；请给出更晚的时间" in chinese.stderr
    english, chinese = both(cli, "promise", "done", "P9")
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr == "clientcard: 没有约定 P9；请查看 `clientcard promise list`\n"


def test_a_complaint_without_its_text(cli: Run, ok: Run) -> None:
    add(ok, "张伟")
    english, chinese = both(cli, "complaint", "add", "张伟", " ")
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr == "clientcard: 请说明投诉内容，例如“交货晚了三天”\n"


def test_due_json_is_the_same_in_both_languages(cli: Run, ok: Run) -> None:
    """The agenda's machine keys never change with the language: `reason` and `what` stay
    English in JSON (people read them translated: DueItem.shown_row())."""
    add(ok, "张伟", "--grade", "A")
    add(ok, "李娜", "--grade", "F", env=at("2026-10-01 09:00"))
    promise(ok, "张伟", "发报价单", "--due", "2026-11-19", env=at("2026-11-15 09:00"))
    ok("complaint", "add", "张伟", "交货晚了三天", "--severity", "high")
    english, chinese = both(cli, "due", "--week", "--format", "json")
    assert english.exit_code == chinese.exit_code == 0
    assert chinese.stdout == english.stdout
    reasons = {row["kind"]: row["reason"] for row in json.loads(english.stdout)}
    assert reasons["promise"].startswith("overdue: deliver")


def test_agenda_reasons_for_people_in_chinese(
    ok: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each item's reason (and a follow-up's `what`) for people, in the interface's language;
    the machine keys in English."""
    from clientcard.clock import now
    from clientcard.domain.settings import Settings
    from clientcard.services.agenda import Window, due
    from clientcard.store.open import transaction

    add(ok, "张伟", "--grade", "A")
    add(ok, "李娜", "--grade", "F", env=at("2026-10-01 09:00"))
    promise(ok, "张伟", "发报价单", "--due", "2026-11-19", env=at("2026-11-15 09:00"))
    ok("complaint", "add", "张伟", "交货晚了三天", "--severity", "high")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.use(None)
    with transaction(str(db_path), write=False) as db:
        agenda = due(db, window=Window.week, now=now(), settings=Settings())
    shown = {(i.kind.value, i.client): i.shown_row() for i in agenda.items}
    machine = {(i.kind.value, i.client): i.row() for i in agenda.items}
    promised = shown["promise", "张伟"]
    assert promised["reason"] == "已逾期：请交付，或告诉客户原因和新的日期"
    assert machine["promise", "张伟"]["reason"] == (
        "overdue: deliver, or tell the client why and the new date"
    )
    assert shown["complaint", "张伟"]["reason"].startswith("高，尚未答复：请在 ")
    assert machine["complaint", "张伟"]["reason"].startswith("high, no response yet: answer by ")
    first = shown["first_visit", "李娜"]
    assert (first["what"], first["reason"]) == ("首次拜访", "从未拜访：请安排首次拜访")
    assert machine["first_visit", "李娜"]["what"] == "first visit"
    # Everything but the translated keys is the same value.
    for key, row in shown.items():
        assert {k: v for k, v in row.items() if k not in ("reason", "what")} == {
            k: v for k, v in machine[key].items() if k not in ("reason", "what")
        }


def test_english_is_unchanged_for_people(
    ok: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcard.clock import now
    from clientcard.domain.settings import Settings
    from clientcard.services.agenda import Window, due
    from clientcard.store.open import transaction

    add(ok, "张伟", "--grade", "A")
    promise(ok, "张伟", "发报价单", "--due", "2026-11-19", env=at("2026-11-15 09:00"))
    with transaction(str(db_path), write=False) as db:
        agenda = due(db, window=Window.week, now=now(), settings=Settings())
    assert [i.shown_row() for i in agenda.items] == [i.row() for i in agenda.items]


def test_a_report_for_people_in_chinese_and_its_json_unchanged(cli: Run, ok: Run) -> None:
    add(ok, "张伟", "--grade", "A", env=at("2026-06-01 09:00"))
    english, chinese = both(cli, "report", "stale")
    assert english.exit_code == chinese.exit_code == 0
    assert "Stale cards as of 2026-11-20" in english.stdout
    assert "截至 2026-11-20 久未联系的客户卡" in chinese.stdout
    assert "各等级久未联系的客户卡" in chinese.stdout
    english, chinese = both(cli, "report", "stale", "--format", "json")
    assert chinese.stdout == english.stdout


def test_a_duplicate_phone_is_refused_in_chinese(cli: Run, ok: Run) -> None:
    add(ok, "张伟", "--company", "阿里", "--phone", "13800138000")
    english, chinese = both(cli, "add", "王芳", "--phone", "13800138000")
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr.startswith("clientcard: 电话 13800138000 已在 #1 张伟（阿里），电话 138")
    assert "如果不是，请加 --allow-duplicate" in chinese.stderr


def test_a_merge_plan_names_fields_in_chinese_with_what_take_wants(ok: Run) -> None:
    """The plan shown before `merge` asks: the field in Chinese, and as --take takes it."""
    from clientcard.cli._common import session, settings
    from clientcard.services import merge

    add(ok, "张伟", "--company", "平安保险")
    add(ok, "张 伟", "--company", "平安", "--title", "经理")
    i18n.use("zh")
    with session(write=False) as s:
        plan = merge.plan_merge(s, "1", "2", [], settings=settings(s)).describe()
    assert "从 #2 补上 职务（title）" in plan
    assert "公司（company）：保留 '平安保险'，舍弃 '平安'" in plan
    i18n.use("en")
    with session(write=False) as s:
        plan = merge.plan_merge(s, "1", "2", [], settings=settings(s)).describe()
    assert "company: keeps '平安保险' over '平安'" in plan
