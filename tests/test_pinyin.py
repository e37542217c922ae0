"""Issue 18, point 3: pinyin (docs/pinyin.md).

- Every name and company is found by its full pinyin and its initials: `list --search zw`,
  `list --search zhangwei` / `zhang wei`, `show zhangw`, `show zw` (the whole pinyin or
  initials before a prefix; several: ambiguous, as a name prefix is), completion.
- Polyphonic surnames read as surnames (单 shan, 曾 zeng, 尉迟 yuchi ...).
- A search finds a polyphonic character by any of its readings (中国银行 by `zgyh`, 重庆 by
  `cq`, 长城 by `changcheng`, 曾氏贸易 by `zengshi`), a bounded set of spellings per field.
- Names sort by pinyin, then by character, with Latin names, in `list`, `--sort grade`,
  referrals and the agenda's ties; alike on SQLite and PostgreSQL.
- The keys come from a table generated from pypinyin (domain/pinyin_table.py): it is not stale
  and agrees with pypinyin on every character and on a large sample of names; no command
  imports pypinyin (tests/test_startup.py).
- Migration 0012 fills the keys of an old book (SQLite and PostgreSQL); a book file of an
  older schema gets them on import.
"""

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypinyin
import pytest
import sqlalchemy
from alembic import command
from alembic.config import Config
from pypinyin import Style, lazy_pinyin

from clientcard.domain import pinyin, pinyin_gen
from clientcard.store import migrate
from helpers import Run, add, assert_error

TABLE = Path(pinyin_gen.__file__).with_name("pinyin_table.py")


def names(ok: Run, *args: str) -> list[str]:
    return [c["name"] for c in json.loads(ok(*args, "--format", "json").stdout)]


def shown(ok: Run, ref: str, *db: str) -> str:
    return str(json.loads(ok(*db, "show", ref, "--format", "json").stdout)["name"])


# ---- the table ------------------------------------------------------------------------------


def test_the_table_is_what_the_generator_writes_from_the_installed_pypinyin() -> None:
    """`python -m clientcard.domain.pinyin_gen > src/clientcard/domain/pinyin_table.py` after
    upgrading pypinyin."""
    assert TABLE.read_text(encoding="utf-8") == pinyin_gen.render()


def test_every_character_reads_as_pypinyin_reads_it_alone() -> None:
    from pypinyin.pinyin_dict import pinyin_dict

    differ = [
        chr(code)
        for code in pinyin_dict
        if pinyin.reading(chr(code)) != lazy_pinyin(chr(code), style=Style.NORMAL)[0]
    ]
    assert differ == []


def test_every_surname_reading_is_one_pypinyin_knows() -> None:
    """The hand-kept surname list only picks among the library's readings (but 黑, he)."""
    for surname, reading in pinyin_gen.SURNAMES.items():
        for char, syllable in zip(surname, reading.split(), strict=True):
            known = pypinyin.pinyin(char, style=Style.NORMAL, heteronym=True)[0]
            assert syllable in known or (char, syllable) == ("黑", "he"), surname


def test_every_character_has_every_reading_pypinyin_gives_it() -> None:
    """The other readings (ALSO, for the search key) are pypinyin's heteronyms, toneless."""
    from pypinyin.pinyin_dict import pinyin_dict

    differ = []
    for code in pinyin_dict:
        char = chr(code)
        if pinyin.reading(char) is None:
            continue
        known = pypinyin.pinyin(char, style=Style.NORMAL, heteronym=True)[0]
        toneless = tuple(dict.fromkeys(r for r in known if r.isascii() and r.isalpha()))
        if pinyin.readings(char) != toneless:
            differ.append(char)
    assert differ == []
    assert pinyin.readings("行") == ("xing", "hang", "heng")
    assert pinyin.readings("张") == ("zhang",)


def test_the_spellings_of_a_field_are_bounded_the_common_reading_first() -> None:
    found = pinyin.variants("重庆长城银行", person=False)
    assert len(found) == pinyin.VARIANTS
    assert found[0] == pinyin.forms("重庆长城银行", person=False)
    assert ("chongqingzhangchengyinxing", "cqzcyx") in found  # one changed before two
    assert pinyin.variants("张伟") == [("zhangwei", "zw")]
    assert pinyin.variants("Alice") == []
    # a surname reads as the surname only; the given name every way
    assert [full for full, _ in pinyin.variants("曾乐")] == ["zengle", "zengyue"]


COMMON_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国志文海波宇浩然子涵欣怡梓轩思远佳琪雨桐嘉懿俊杰晨阳一鸣紫萱诗琪梦瑶"  # noqa: E501


def test_a_large_sample_of_names_reads_as_pypinyin_reads_it_character_by_character() -> None:
    """Names built from the commonest surnames and given-name characters: each character as
    pypinyin reads it alone, the surname as SURNAMES says where it is there."""
    rng = random.Random(18)
    for _ in range(5000):
        surname = rng.choice(COMMON_SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        name = surname + given
        expected = [pinyin_gen.SURNAMES.get(surname, lazy_pinyin(surname)[0])] + [
            lazy_pinyin(c, style=Style.NORMAL)[0] for c in given
        ]
        full, initials = pinyin.forms(name) or ("", "")
        assert full == "".join(expected), name
        assert initials == "".join(s[0] for s in expected), name
        assert pinyin.sort_key(name) == " ".join(expected) + "\x1f" + name


# ---- found by pinyin --------------------------------------------------------------------------


@pytest.fixture
def book(ok: Run) -> None:
    add(ok, "张伟", "--company", "平安保险")  # 1
    add(ok, "王芳")  # 2
    add(ok, "周文华")  # 3
    add(ok, "Alice Smith", "--company", "阿里巴巴")  # 4
    add(ok, "单田芳")  # 5


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zgyh", ["王芳"]),
        ("yinhang", ["王芳"]),
        ("zhongguoyinhang", ["王芳"]),
        ("zhongguoyinxing", ["王芳"]),  # the first reading still
        ("cq", ["李娜"]),
        ("chongqing", ["李娜"]),
        ("changcheng", ["Bob"]),
        ("cc", ["Bob"]),
        ("zengshi", ["赵磊"]),
        ("zsmy", ["赵磊"]),
        ("zw", ["张伟"]),
        ("zhangwei", ["张伟"]),
    ],
)
def test_list_search_finds_a_polyphonic_company_by_every_reading(
    ok: Run, typed: str, found: list[str]
) -> None:
    """Issue 18: a company is read as a reader would read it, not only by each character's
    first reading (行 xing, 重 zhong, 长 zhang, 曾 ceng)."""
    add(ok, "张伟")
    add(ok, "王芳", "--company", "中国银行")
    add(ok, "李娜", "--company", "重庆")
    add(ok, "Bob", "--company", "长城")
    add(ok, "赵磊", "--company", "曾氏贸易")
    assert names(ok, "list", "--search", typed) == found


def test_a_polyphonic_reading_is_for_the_search_only(cli: Run, ok: Run) -> None:
    """A CLIENT's lookup keys keep each character's first reading: one key per card."""
    add(ok, "王重阳")
    assert shown(ok, "wzy") == "王重阳"
    assert names(ok, "list", "--search", "wangchongyang") == ["王重阳"]
    assert_error(cli("show", "wcy"), 1, "no card matches 'wcy'; try `clientcard list --search wcy`")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zw", ["张伟", "周文华"]),  # a search finds the text anywhere: zw is in zwh too
        ("ZW", ["张伟", "周文华"]),
        ("zhangwei", ["张伟"]),
        ("zhang wei", ["张伟"]),
        ("Zhang Wei", ["张伟"]),
        ("angwe", ["张伟"]),
        ("zwh", ["周文华"]),
    ],
)
def test_list_search_finds_a_name_by_pinyin_and_initials(
    ok: Run, book: None, typed: str, found: list[str]
) -> None:
    assert names(ok, "list", "--search", typed) == found


def test_list_search_finds_a_company_by_pinyin(ok: Run, book: None) -> None:
    assert names(ok, "list", "--search", "pabx") == ["张伟"]
    assert names(ok, "list", "--search", "alibaba") == ["Alice Smith"]
    assert names(ok, "list", "--search", "shantian") == ["单田芳"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [("zhangw", "张伟"), ("zw", "张伟"), ("zhangwei", "张伟"), ("wf", "王芳"), ("stf", "单田芳")],
)
def test_show_takes_a_pinyin_prefix_or_initials(
    ok: Run, book: None, typed: str, found: str
) -> None:
    assert shown(ok, typed) == found


def test_the_whole_initials_win_over_a_longer_name_that_starts_so(ok: Run, book: None) -> None:
    """zw is 张伟's initials and the start of 周文华's (zwh): 张伟, as an exact name wins over
    a prefix; zwh is 周文华."""
    assert shown(ok, "zw") == "张伟"
    assert shown(ok, "zwh") == "周文华"
    assert shown(ok, "zhou") == "周文华"


def test_a_pinyin_shared_by_several_cards_is_ambiguous(cli: Run, ok: Run, book: None) -> None:
    add(ok, "章伟")  # 6: zhangwei too
    assert_error(
        cli("show", "zhangw"),
        1,
        "'zhangw' matches 2 cards: #1 张伟 (平安保险) grade F; #6 章伟 grade F; use the id",
    )
    assert cli("log", "zhangwei", "--via", "call").exit_code == 1


def test_a_latin_name_prefix_is_tried_before_pinyin(ok: Run, book: None) -> None:
    add(ok, "Zwick")  # 6
    assert shown(ok, "zw") == "Zwick"  # the names as typed first, as before issue 18
    assert shown(ok, "zhangw") == "张伟"


def test_other_commands_take_pinyin_as_client(ok: Run, book: None) -> None:
    ok("log", "zw", "called", "--via", "call")
    ok("grade", "stf", "--up", "--reason", "met")
    cards = {c["name"]: c for c in json.loads(ok("list", "--format", "json").stdout)}
    assert cards["单田芳"]["grade"] == "E"


def test_pinyin_is_kept_in_step_with_an_edited_name(ok: Run, book: None) -> None:
    ok("edit", "2", "--name", "李娜")
    assert shown(ok, "ln") == "李娜"
    assert names(ok, "list", "--search", "wangfang") == []
    assert names(ok, "list", "--search", "lina") == ["李娜"]


def test_no_match_by_pinyin_says_so(cli: Run, book: None) -> None:
    assert_error(cli("show", "xyz"), 1, "no card matches 'xyz'; try `clientcard list --search xyz`")


def bash(cli: Run, line: str) -> list[str]:
    result = cli(
        env={
            "_CLIENTCARD_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(line.split(" ")) - 1),
        }
    )
    assert result.exit_code == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_completion_offers_cards_by_pinyin(cli: Run, book: None) -> None:
    assert bash(cli, "clientcard show zw") == ["张伟", "周文华"]
    assert bash(cli, "clientcard log zhangw") == ["张伟"]
    assert bash(cli, "clientcard log stf") == ["单田芳"]
    assert bash(cli, "clientcard log pa") == ["张伟"]  # 平安保险, its company
    assert bash(cli, "clientcard log al") == ["Alice\\ Smith"]  # its name, and 阿里巴巴


# ---- polyphonic surnames ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("单田芳", "shantianfang"),
        ("曾国藩", "zengguofan"),
        ("解缙", "xiejin"),
        ("区志坚", "ouzhijian"),
        ("仇英", "qiuying"),
        ("朴槿惠", "piaojinhui"),
        ("查良镛", "zhaliangyong"),
        ("盖聂", "genie"),
        ("乐毅", "yueyi"),
        ("尉迟恭", "yuchigong"),
        ("长孙无忌", "zhangsunwuji"),
        ("万俟卨", "moqixie"),
        ("覃芳", "qinfang"),
        ("黑明", "heming"),
        ("缪斯", "miaosi"),
        ("翟天临", "zhaitianlin"),
        ("尉缭", "weiliao"),
        ("欧阳修", "ouyangxiu"),
    ],
)
def test_a_polyphonic_surname_reads_as_a_surname(name: str, full: str) -> None:
    assert (pinyin.forms(name) or ("",))[0] == full


def test_a_surname_reading_is_only_for_the_start_of_a_name(ok: Run) -> None:
    """单 in the middle of a name, or in a company, reads as it usually does."""
    assert pinyin.forms("王单") == ("wangdan", "wd")
    assert pinyin.forms("单位", person=False) == ("danwei", "dw")
    add(ok, "曾乐")
    assert shown(ok, "zengle") == "曾乐"  # 乐 in a given name: its most common reading, le


# ---- sorted by pinyin -------------------------------------------------------------------------

ORDER = ["阿明", "Alice", "李娜", "欧阳娜娜", "单田芳", "王芳", "Zhang Wei", "张伟", "章伟", "Zoe"]


def test_list_sorts_chinese_names_by_pinyin_among_latin_ones(ok: Run) -> None:
    """a ming < alice (syllable by syllable: `a` ends first) ... shan < wang < zhang; 张伟 and
    章伟 read alike, so by character (U+5F20 < U+7AE0); the Latin `Zhang Wei` before them."""
    for name in ["张伟", "Zoe", "王芳", "李娜", "Alice", "阿明", "欧阳娜娜", "章伟", "单田芳"]:
        add(ok, name)
    add(ok, "Zhang Wei")
    assert names(ok, "list") == ORDER
    assert names(ok, "list", "--sort", "name") == ORDER
    ok("grade", "王芳", "--up", "--reason", "met")
    ok("grade", "阿明", "--up", "--reason", "met")
    assert names(ok, "list", "--sort", "grade") == ["阿明", "王芳"] + [
        n for n in ORDER if n not in ("阿明", "王芳")
    ]


def test_referrals_on_a_card_are_sorted_by_pinyin(ok: Run) -> None:
    add(ok, "Boss")
    for name in ["张伟", "王芳", "Alice"]:
        add(ok, name, "--referred-by", "Boss")
    card = json.loads(ok("show", "Boss", "--format", "json").stdout)
    assert [r["name"] for r in card["referrals"]] == ["Alice", "王芳", "张伟"]


def test_the_agenda_orders_items_due_alike_by_pinyin(ok: Run) -> None:
    for name in ["张伟", "王芳", "Alice", "阿明"]:
        add(ok, name, "--grade", "B")
        ok("log", name, "met", "--via", "call", "--next", "2026-11-21")
    due = json.loads(ok("due", "--week", "--format", "json").stdout)
    assert [i["client"] for i in due] == ["阿明", "Alice", "王芳", "张伟"]


def test_an_ambiguous_name_lists_its_cards_by_pinyin(cli: Run, ok: Run) -> None:
    for name in ["张伟明", "张伟", "张伟东"]:
        add(ok, name)
    assert shown(ok, "zhangwei") == "张伟"  # the whole pinyin wins over its longer names
    assert_error(
        cli("show", "张"),
        1,
        "'张' matches 3 cards: #2 张伟 grade F; #3 张伟东 grade F; #1 张伟明 grade F; use the id",
    )


# ---- the migration and old books --------------------------------------------------------------


def alembic_config(connection: sqlalchemy.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


OLD_CARDS = [
    (1, "张伟", "张伟", "平安保险", "张伟\x1f平安保险\x1f\x1f\x1f"),
    (2, "Alice", "alice", None, "alice\x1f\x1f\x1f\x1f"),
    (3, "单田芳", "单田芳", None, "单田芳\x1f\x1f\x1f\x1f"),
    (4, "王芳", "王芳", None, "王芳\x1f\x1f\x1f\x1f"),
]


def insert_old_cards(execute: Any) -> None:
    for key, name, folded, company, searched in OLD_CARDS:
        execute(
            "INSERT INTO client (id, name, name_key, company, grade, created_at, updated_at,"
            " followup_kind, search_key, graded_at) VALUES (:id, :name, :key, :company, 'F',"
            " :at, :at, 'cadence', :searched, :at)",
            {
                "id": key,
                "name": name,
                "key": folded,
                "company": company,
                "searched": searched,
                "at": "2026-11-01 02:00:00.000000",
            },
        )


def check_upgraded(ok: Run, *db: str) -> None:
    assert names(ok, *db, "list") == ["Alice", "单田芳", "王芳", "张伟"]
    assert names(ok, *db, "list", "--search", "zw") == ["张伟"]
    assert names(ok, *db, "list", "--search", "pinganbaoxian") == ["张伟"]
    assert shown(ok, "stf", *db) == "单田芳"


def test_migration_0012_fills_the_keys_of_an_old_sqlite_book(ok: Run, db_path: Path) -> None:
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0011")
            insert_old_cards(lambda sql, p: conn.execute(sqlalchemy.text(sql), p))
    finally:
        engine.dispose()
    check_upgraded(ok)
    with sqlite3.connect(db_path) as conn:
        keys = conn.execute(
            "SELECT id, pinyin, initials, sort_key, search_key FROM client ORDER BY id"
        ).fetchall()
    assert keys[:2] == [
        (1, "zhangwei", "zw", "zhang wei\x1f张伟", "张伟\x1f平安保险\x1f\x1f\x1f\x1fzhangwei\x1fzw"
         "\x1fpinganbaoxian\x1fpiananbaoxian\x1fbinganbaoxian\x1fbenganbaoxian\x1fpabx\x1fbabx"),
        (2, None, None, "alice\x1falice", "alice\x1f\x1f\x1f\x1f"),
    ]  # fmt: skip
    # the same keys as a fresh `add` writes
    fresh = str(db_path.with_name("fresh.db"))
    for _, name, _, company, _ in OLD_CARDS:
        ok("--db", fresh, "add", name, "-q", *(["--company", company] if company else []))
    with sqlite3.connect(fresh) as conn:
        assert (
            conn.execute(
                "SELECT id, pinyin, initials, sort_key, search_key FROM client ORDER BY id"
            ).fetchall()
            == keys
        )


def test_migration_0012_goes_down_and_up_again(db_path: Path) -> None:
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0011")
            insert_old_cards(lambda sql, p: conn.execute(sqlalchemy.text(sql), p))
            command.upgrade(alembic_config(conn), "0012")
            command.downgrade(alembic_config(conn), "0011")
            searched = conn.exec_driver_sql("SELECT search_key FROM client ORDER BY id").all()
            assert [s for (s,) in searched] == [c[4] for c in OLD_CARDS]
            command.upgrade(alembic_config(conn), "0012")
    finally:
        engine.dispose()


@pytest.fixture
def pg(postgres_url: str) -> Iterator[sqlalchemy.Engine]:
    engine = sqlalchemy.create_engine(postgres_url)
    yield engine
    engine.dispose()


def test_migration_0012_on_postgresql_and_the_same_order_as_sqlite(
    ok: Run, postgres_url: str, pg: sqlalchemy.Engine, db_path: Path
) -> None:
    with pg.begin() as conn:
        command.upgrade(alembic_config(conn), "0011")
        insert_old_cards(lambda sql, p: conn.execute(sqlalchemy.text(sql), p))
        conn.exec_driver_sql("SELECT setval('client_id_seq', 4)")  # ids given above
    ok("--db", postgres_url, "db", "upgrade")
    check_upgraded(ok, "--db", postgres_url)
    for name in [
        "Zoe",
        "阿明",
        "欧阳娜娜",
        "章伟",
        "Zhang Wei",
        "李娜",
        "émile",
        "Émile",
        "O'Neil",
    ]:
        ok("--db", postgres_url, "add", name, "-q")
        add(ok, name)
    for name in ["Alice", "单田芳", "王芳", "张伟"]:
        add(ok, name)
    on_pg = names(ok, "--db", postgres_url, "list")
    assert on_pg == names(ok, "list")
    assert on_pg == [
        "阿明", "Alice", "émile", "Émile", "李娜", "O'Neil", "欧阳娜娜", "单田芳", "王芳",
        "Zhang Wei", "张伟", "章伟", "Zoe",
    ]  # fmt: skip
    assert names(ok, "--db", postgres_url, "list", "--search", "zw") == ["张伟", "章伟"]
    # The throwaway server has no locale; a real one's would ignore blanks and punctuation, so
    # the keys' columns are compared in the "C" collation whatever the server's.
    with pg.connect() as conn:
        collations = conn.exec_driver_sql(
            "SELECT column_name, collation_name FROM information_schema.columns"
            " WHERE table_name = 'client' AND column_name IN ('sort_key', 'pinyin', 'initials')"
            " ORDER BY column_name"
        ).all()
    assert collations == [("initials", "C"), ("pinyin", "C"), ("sort_key", "C")]


def test_a_polyphonic_company_is_found_by_every_reading_on_postgresql(
    ok: Run, postgres_url: str
) -> None:
    for name, company in [
        ("王芳", "中国银行"),
        ("李娜", "重庆"),
        ("Bob", "长城"),
        ("赵磊", "曾氏贸易"),
    ]:
        ok("--db", postgres_url, "add", name, "--company", company, "-q")
    for typed, found in [
        ("zgyh", ["王芳"]),
        ("yinhang", ["王芳"]),
        ("cq", ["李娜"]),
        ("changcheng", ["Bob"]),
        ("zengshi", ["赵磊"]),
    ]:
        assert names(ok, "--db", postgres_url, "list", "--search", typed) == found, typed


def test_an_older_book_file_gets_the_keys_on_import(ok: Run, tmp_path: Path) -> None:
    from test_book import book_file_of, load

    path = tmp_path / "old.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0011")
            insert_old_cards(lambda sql, p: conn.execute(sqlalchemy.text(sql), p))
    finally:
        engine.dispose()
    new = str(tmp_path / "new.db")
    load(ok, book_file_of(path, "0011"), tmp_path, "--db", new)
    check_upgraded(ok, "--db", new)
    exported = ok("--db", new, "export", "--book").stdout
    assert '"sort_key"' in exported
    assert "shan tian fang" in exported


def test_the_benchmark_book_holds_the_keys_clientcard_writes(generated_book: Path) -> None:
    """benchmarks/generate.py fills the pinyin keys as `add` would, so the benchmark lists,
    looks up and searches a book like a real one."""
    with sqlite3.connect(generated_book) as conn:
        cards = conn.execute(
            "SELECT name, company, pinyin, initials, sort_key, search_key FROM client"
        ).fetchall()
    assert any(full for _, _, full, _, _, _ in cards)
    for name, company, full, initials, order, searched in cards:
        assert (full, initials) == (pinyin.forms(name) or (None, None)), name
        assert order == pinyin.sort_key(name), name
        extra = pinyin.search_forms(name, company)
        assert searched.split("\x1f")[5:] == extra, name
