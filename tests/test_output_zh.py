# ruff: noqa: RUF001  (Chinese text is written with its own full-width punctuation)
"""Issue 18, item 1: what output/, domain/ and store/ show people, in Chinese (LANG=zh_CN.UTF-8).

Tables and pages read in Chinese (group titles, words for codes, dates as 2026年11月20日, the
ladder's and the settings' meanings, errors) and still fit 80 columns (a CJK character takes
two); JSON, CSV and TSV are byte for byte the English ones. The catalog is the package's compiled
one (src/clientcard/locale).
"""

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clientcard import i18n
from clientcard.domain.grades import Grade
from clientcard.domain.message import Message, shown
from clientcard.output import human_value
from clientcard.output.agenda import cells, when_text
from clientcard.output.words import word
from helpers import add, at, complaint, promise, sale, seeded_database
from test_agenda_page import build_book

pytestmark = pytest.mark.usefixtures("migrated")

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 80
ZH = {"LANG": "zh_CN.UTF-8"}
EN = {"LANG": "C.UTF-8"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The locale folder holding the Chinese catalog: the package's."""
    return i18n.LOCALE_DIR


@pytest.fixture(autouse=True)
def catalog(catalog_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", catalog_dir)
    i18n.use(None)
    yield
    i18n.use(None)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's own language Chinese (for calls made here, not through the CLI)."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.use(None)


@pytest.fixture(scope="module")
def book_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test_agenda_page's book (every group of the agenda, CJK and long Latin text), with a
    sale on a Chinese card for the reports."""

    def build(ok) -> None:
        build_book(ok)
        sale(ok, "张伟", "15000", "--what", "年金险", env=at("2026-11-10T10:00:00"))

    return seeded_database(tmp_path_factory.mktemp("zh"), build)


@pytest.fixture
def book(book_db: Path, db_path: Path) -> None:
    shutil.copyfile(book_db, db_path)


def fits(out: str, width: int = WIDTH) -> None:
    too_wide = [line for line in out.splitlines() if cells(line) > width]
    assert not too_wide, "\n".join(too_wide)


def run_both(ok, *command: str) -> tuple[str, str]:
    english = ok(*command, env={**EN, "COLUMNS": str(WIDTH)}).stdout
    chinese = ok(*command, env={**ZH, "COLUMNS": str(WIDTH)}).stdout
    return english, chinese


# ---- the agenda page ---------------------------------------------------------------------------


def test_the_agenda_page_reads_in_chinese_and_fits_80_columns(ok, book):
    page = ok("due", "--week", env={**ZH, "COLUMNS": "80"}).stdout
    fits(page)
    for title in ("投诉（1）", "约定和约见（", "致谢（", "回访和复查（", "问候（"):
        assert any(line.startswith(title) for line in page.splitlines()), (title, page)
    for english in ("Complaints (", "Promises and appointments", "Follow-ups and re-checks"):
        assert english not in page
    # When: 逾期N天 for what is late, a weekday for this week, 今天 or a time for today.
    assert re.search(r"^  逾期\d+天 ", page, re.M), page
    assert re.search(r"^  (周[一二三四五六日]|今天|\d\d:\d\d)", page, re.M), page
    # The card's head is never broken, CJK or not.
    assert "#1 张伟 · A" in page


@pytest.mark.parametrize("width", [60, 120])
def test_the_chinese_agenda_page_fits_other_widths(ok, book, width):
    fits(ok("due", "--week", env={**ZH, "COLUMNS": str(width)}).stdout, width)


def test_the_today_page_in_chinese_lines_up_its_times(ok, book):
    page = ok("due", "--today", env={**ZH, "COLUMNS": "80"}).stdout
    fits(page)
    items = [line for line in page.splitlines() if re.match(r"^  \S.*#\d+ ", line)]
    assert items, page
    # Every item's card begins in the same column (the "when" column measured in cells).
    starts = {cells(line[: line.index("#")]) for line in items}
    assert len(starts) == 1, page


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_the_agenda_for_scripts_does_not_change_with_the_language(ok, book, fmt):
    english, chinese = run_both(ok, "due", "--week", "--format", fmt)
    assert chinese == english


# ---- show, list, config show, a report -------------------------------------------------------


def test_show_reads_in_chinese_and_fits(ok, book):
    page = ok("show", "张伟", env={**ZH, "COLUMNS": "80"}).stdout
    fits(page)
    assert "2026年" in page  # a moment as Chinese reads it
    assert "2026-10-01 10:00" not in page
    assert re.search(r"^  无$", page, re.M), page  # an empty section
    assert "电话" in page  # a contact's channel in words (log --via call)


def test_show_for_scripts_does_not_change_with_the_language(ok, book):
    english, chinese = run_both(ok, "show", "张伟", "--format", "json")
    assert chinese == english
    assert json.loads(chinese)["grade_meaning"] == Grade.A.meaning  # English in JSON


def test_list_reads_in_chinese_and_fits(ok, book):
    fits(ok("list", env={**ZH, "COLUMNS": "80"}).stdout)
    wide = ok("list", env={**ZH, "COLUMNS": "160"}).stdout  # room for the Updated column
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", wide), wide


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_list_for_scripts_does_not_change_with_the_language(ok, book, fmt):
    english, chinese = run_both(ok, "list", "--format", fmt)
    assert chinese == english


def test_config_show_gives_the_meanings_in_chinese_and_fits(ok):
    out = ok("config", "show", env={**ZH, "COLUMNS": "80"}).stdout
    fits(out)
    assert "A 级客户的回访周期（天）" in out
    assert "界面语言" in out
    assert "days between follow-ups" not in out


def test_config_show_for_scripts_keeps_the_english_meanings(ok):
    english, chinese = run_both(ok, "config", "show", "--format", "json")
    assert chinese == english
    assert "days between follow-ups of a grade A card" in chinese


def test_a_report_reads_in_chinese_and_fits(ok, book):
    out = ok("report", "funnel", env={**ZH, "COLUMNS": "80"}).stdout
    fits(out)
    first = out.splitlines()[0]
    assert "2026年8月23日" in first, first
    assert "至" in first, first
    assert "天" in first, first
    assert "（元）" in out  # an amount's header says its currency as Chinese reads it
    assert "(CNY)" not in out


def test_every_report_in_chinese_fits_80_columns(ok, book):
    """Charts too: a range's "低 至 高" beside its bar is measured in cells."""
    out = ok("report", "all", env={**ZH, "COLUMNS": "80"}).stdout
    fits(out)
    assert " 至 " in out


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_a_report_for_scripts_does_not_change_with_the_language(ok, book, fmt):
    english, chinese = run_both(ok, "report", "funnel", "--format", fmt)
    assert chinese == english


def test_the_html_report_says_its_language(ok, book, tmp_path):
    ok("report", "all", "--html", str(tmp_path / "zh.html"), env=ZH)
    ok("report", "all", "--html", str(tmp_path / "en.html"), env=EN)
    chinese = (tmp_path / "zh.html").read_text(encoding="utf-8")
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in chinese
    assert '<html lang="en">' in english
    assert "Clientcard 报表" in chinese
    assert "（元）" in chinese


# ---- errors from the domain and the store ------------------------------------------------------


def test_a_domain_error_is_in_chinese(cli):
    result = cli("add", "   ", env=ZH)
    assert result.exit_code != 0
    assert "客户姓名不能为空" in result.stderr


def test_a_bad_setting_is_refused_in_chinese(cli):
    result = cli("config", "set", "cadence.A", "zero", env=ZH)
    assert result.exit_code != 0
    assert "cadence.A 应为 1 到 3650 的整数" in result.stderr


def test_an_unreadable_settings_file_is_said_in_chinese(cli, isolated, tmp_path):
    (tmp_path / "config.toml").write_bytes(b"cadence = \xff\n")
    result = cli("config", "show", env=ZH)
    assert result.exit_code != 0
    assert "无法读取设置文件" in result.stderr
    assert "不是 UTF-8 文本" in result.stderr


def test_a_bad_database_url_is_said_in_chinese(cli):
    result = cli("list", env={**ZH, "CLIENTCARD_DB": "postgresql://host:99999/book"})
    assert result.exit_code != 0
    assert "数据库 URL 格式有误" in result.stderr
    assert "端口不是" in result.stderr


# ---- the pieces --------------------------------------------------------------------------------


TODAY = date(2026, 11, 20)  # a Friday
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("due", "overdue", "days", "expected"),
    [
        (date(2026, 11, 17), True, 3, "逾期3天"),
        (datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI), True, 0, "08:00 逾期"),
        (date(2026, 11, 20), True, 0, "逾期"),
        (date(2026, 11, 20), False, 0, "今天"),
        (datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI), False, 0, "15:00"),
        (date(2026, 11, 21), False, 0, "周六"),
        (datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), False, 0, "周一 10:00"),
        (datetime(2026, 11, 28, 13, 6, tzinfo=SHANGHAI), False, 0, "11月28日 13:06"),
        (date(2026, 12, 24), False, 0, "12月24日"),
        (date(2027, 1, 5), False, 0, "2027年1月5日"),
    ],
)
def test_when_in_chinese(chinese, due, overdue, days, expected):
    assert when_text(due, overdue, days, TODAY) == expected


def test_when_in_english_is_unchanged():
    assert when_text(date(2026, 11, 17), True, 3, TODAY) == "3 d late"
    assert when_text(date(2026, 11, 21), False, 0, TODAY) == "Sat"


def test_a_message_is_english_for_machines_and_translated_for_people(chinese):
    meaning = Grade.A.meaning
    english = "on the edge of buying: a little persuasion and they sign"
    assert json.dumps(meaning) == json.dumps(english)
    assert str(meaning) == english
    assert human_value(meaning) == shown(meaning) == "即将成交：稍加说服就会签约"
    assert f"A: {meaning}" == "A: 即将成交：稍加说服就会签约"  # a sentence for people
    template = "({m})"  # str.format, as a message's placeholders are filled
    assert template.format(m=meaning) == "(即将成交：稍加说服就会签约)"
    templated = Message("days between follow-ups of a grade {grade} card", grade="B")
    assert templated == "days between follow-ups of a grade B card"
    assert human_value(templated) == "B 级客户的回访周期（天）"


def test_values_for_people_in_chinese(chinese):
    assert human_value(True) == "是"
    assert human_value(False) == "否"
    assert human_value(date(2026, 11, 20)) == "2026年11月20日"
    assert word("cancelled_by_client") == "客户取消"
    assert word("call") == "电话"
    assert word("visit") == "拜访"
    assert word("no_such_code") == "no such code"


def test_values_for_people_in_english_are_unchanged():
    assert human_value(True) == "yes"
    assert human_value(date(2026, 11, 20)) == "2026-11-20"
    assert word("cancelled_by_client") == "cancelled by the client"
    assert word("call") == "call"


def test_every_chinese_line_of_a_cjk_book_fits(ok):
    """A book of long Chinese names, companies and promises: every page at 80 columns."""
    old = at("2026-10-01T10:00:00")
    company = "中国平安人寿保险股份有限公司上海分公司"
    what = "把新的报价单、理赔流程说明和年终奖方案一并发给张总和他的助理"
    for n in range(3):
        name = f"欧阳{n}号客户"
        add(ok, name, "--grade", "B", "--company", company, "--phone", f"1391234567{n}", env=old)
        promise(ok, name, what, "--due", "2026-11-18", env=old)
    complaint(ok, "欧阳0号客户", "理赔太慢，三个星期没有回复，客户非常不满意", "-s", "urgent")
    for command in (["due", "--week"], ["list"], ["show", "欧阳0号客户"], ["config", "show"]):
        out = ok(*command, env={**ZH, "COLUMNS": "80"}).stdout
        fits(out)
        assert CJK.search(out)


def test_one_weekday_table_in_both_languages() -> None:
    """domain/weekdays.py: the weekday in the interface's language, for every command."""
    from datetime import date

    from clientcard.domain.weekdays import day_name

    i18n.use("en")
    assert day_name(date(2027, 9, 15)) == "Wed 2027-09-15"
    i18n.use("zh")
    assert day_name(date(2027, 9, 15)) == "周三 2027-09-15"
    i18n.use(None)
