"""Issue 18, point 5: `search` finds cards by any word anywhere on them, best matches first,
saying where each matched; `list --search` reads the same index. On SQLite and PostgreSQL.

What a user sees (CliRunner); the index itself is checked only through what is found after
each kind of write (edit, delete, merge, archive, import --book).
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import add, at, complaint, promise, sale

Search = Callable[..., list[dict[str, Any]]]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, ok) -> Callable[..., Any]:
    """`ok` on the test's book: the SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return ok
    url = request.getfixturevalue("postgres_url")

    def run(*args: str, **kwargs: Any) -> Any:
        return ok("--db", url, *args, **kwargs)

    return run


def finder(run: Callable[..., Any]) -> Search:
    def search(text: str, *options: str) -> list[dict[str, Any]]:
        return json.loads(run("search", text, "--format", "json", *options).stdout)

    return search


def ids_of(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


@pytest.fixture
def everything(engine) -> Callable[..., Any]:
    """A card with a word in every searchable place, and one plain card."""
    run = engine
    add(
        run,
        "张伟",
        "--company",
        "华为技术",
        "--title",
        "采购经理",
        "--phone",
        "+86 138-0013-8000",
        "--email",
        "zhang.wei@example.com",
        "--address",
        "北京市海淀区中关村大街1号",
        "--note",
        "喜欢喝龙井茶",
    )
    add(run, "Bob Smith", "--company", "Acme")
    run("log", "1", "谈了年终奖的安排", "--via", "visit", env=at("2026-11-03T10:00:00"))
    promise(run, "1", "寄送产品手册 brochure", "--due", "2026-11-25")
    complaint(run, "1", "发票开错了 invoice wrong")
    run("complaint", "step", "1", "打电话道歉 apologised")
    sale(run, "1", "5000", "--what", "年度维护合同")
    run("date", "add", "1", "birthday", "08-15", "--note", "中秋出生 mooncake")
    run("person", "add", "1", "李秘书", "--role", "secretary", "--phone", "010-6552-1234")
    return run


WHERE = [
    ("张伟", "name"),
    ("华为", "company"),
    ("采购经理", "title"),
    ("海淀区", "address"),
    ("龙井", "notes"),
    ("1380013", "phone"),
    ("138-0013", "phone"),
    ("zhang.wei@", "email"),
    ("年终奖", "contact 2026-11-03 visit"),
    ("brochure", "promise P1"),
    ("发票开错", "complaint C1"),
    ("apologised", "complaint C1 step"),
    ("维护合同", "sale S1"),
    ("mooncake", "occasion birthday"),
    ("李秘书", "person K1 李秘书"),
    ("65521234", "person K1 李秘书"),
]


@pytest.mark.parametrize(("text", "where"), WHERE)
def test_every_place_on_a_card_is_found_and_named(everything, text, where) -> None:
    rows = finder(everything)(text)
    assert ids_of(rows) == [1]
    assert rows[0]["where"] == where
    assert rows[0]["snippet"]


@pytest.mark.parametrize("text", ["1380013", "138-0013", "8613800138000", "+86 138"])
def test_a_phone_hit_shows_the_number_as_typed_not_its_key(everything, text) -> None:
    (row,) = finder(everything)(text)
    assert (row["where"], row["snippet"]) == ("phone", "+86 138-0013-8000")


def test_the_table_says_where_and_shows_the_text_around_the_hit(everything) -> None:
    out = everything("search", "年终奖").stdout
    assert "contact 2026-11-03 visit" in out
    assert "谈了年终奖的安排" in out
    assert "1 card" in out


def test_json_keys(everything) -> None:
    (row,) = finder(everything)("龙井")
    assert list(row) == [
        "id",
        "name",
        "company",
        "grade",
        "archived",
        "score",
        "where",
        "snippet",
        "matches",
    ]
    assert (row["name"], row["where"], row["archived"]) == ("张伟", "notes", False)


@pytest.mark.parametrize(("text", "found"), [("年", [1]), ("年终", [1]), ("年终奖", [1])])
def test_one_two_and_three_chinese_characters(everything, text, found) -> None:
    assert ids_of(finder(everything)(text)) == found


def test_two_latin_letters_and_a_miss(everything) -> None:
    search = finder(everything)
    assert ids_of(search("Bo")) == [2]
    assert ids_of(search("xyzzy")) == []
    assert ids_of(search("嗯嗯")) == []


def test_every_word_must_be_on_the_card_each_anywhere(everything) -> None:
    search = finder(everything)
    assert ids_of(search("张伟 年终奖")) == [1]
    assert ids_of(search("年终奖 Acme")) == []
    assert ids_of(search("acme bob")) == [2]


def test_ranking_name_above_notes_above_an_old_contact(engine) -> None:
    run = engine
    add(run, "Old Contact")  # 1: the word in a contact of long ago
    run("log", "1", "talked about 报价单", env=at("2024-01-05T10:00:00"))
    add(run, "Noted", "--note", "needs 报价单 soon")  # 2: in the notes
    add(run, "报价单 Zhou")  # 3: in the name
    rows = finder(run)("报价单")
    assert ids_of(rows) == [3, 2, 1]
    assert [r["where"] for r in rows] == ["name", "notes", "contact 2024-01-05 call"]


def test_a_recent_contact_ranks_above_an_old_one(engine) -> None:
    run = engine
    add(run, "A")
    add(run, "B")
    run("log", "A", "问了年终奖", env=at("2025-01-05T10:00:00"))
    run("log", "B", "问了年终奖", env=at("2026-11-18T10:00:00"))
    assert ids_of(finder(run)("年终奖")) == [2, 1]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"张伟',
        "*",
        "张*",
        "NEAR(",
        "NEAR(张伟 华为)",
        "%",
        "_",
        "\\",
        "AND OR NOT",
        "张伟 OR",
        "column:张伟",
        "{name}: x",
        "^张",
        "😀",
        "a\x07b",
        "\x1b[31m",
        "'; DROP TABLE client; --",
    ],
)
def test_no_query_syntax_breaks_a_search(everything, text) -> None:
    rows = finder(everything)(text)
    assert all(r["id"] in (1, 2) for r in rows)
    assert ids_of(finder(everything)("张伟")) == [1]  # the book is intact


def test_special_characters_are_found_as_typed(engine) -> None:
    run = engine
    add(run, "Cotton", "--company", "100% Cotton_Co")
    add(run, 'Quote "Q" Ltd', "--note", "a\\b NEAR(x) * AND")
    add(run, "Plain")
    search = finder(run)
    assert ids_of(search("100%")) == [1]
    assert ids_of(search("n_c")) == [1]
    assert ids_of(search('"Q"')) == [2]
    assert ids_of(search("a\\b")) == [2]
    assert ids_of(search("NEAR(x)")) == [2]
    assert ids_of(search("* AND")) == [2]
    assert ids_of(search("%")) == [1]


def test_emoji_and_markup_in_a_snippet_reach_the_terminal_safely(engine) -> None:
    run = engine
    add(run, "Emo", "--note", "likes 🍵 tea \x1b[31mred [bold]x[/bold]")
    out = run("search", "🍵").stdout
    assert "\x1b" not in out
    assert "🍵" in out
    out = run("search", "red").stdout
    assert "[bold]x[/bold]" in out
    assert "\x1b" not in out


def test_edits_and_deletes_are_reflected(engine, tmp_path: Path) -> None:
    run = engine
    add(run, "张伟", "--note", "龙井茶")
    search = finder(run)
    assert ids_of(search("龙井")) == [1]
    run("edit", "1", "--note", "碧螺春")
    assert ids_of(search("龙井")) == []
    assert ids_of(search("碧螺春")) == [1]
    run("edit", "1", "--name", "张小伟")
    assert ids_of(search("小伟")) == [1]
    run("person", "add", "1", "王助理", "--role", "assistant")
    assert ids_of(search("王助理")) == [1]
    run("delete", "1", "--yes")
    assert ids_of(search("碧螺春")) == []
    assert ids_of(search("王助理")) == []


def test_archived_cards_only_when_asked(engine) -> None:
    run = engine
    add(run, "Live Wang", "--note", "共同词")
    add(run, "Gone Wang", "--note", "共同词")
    run("archive", "Gone")
    search = finder(run)
    assert ids_of(search("共同词")) == [1]
    assert ids_of(search("共同词", "--archived")) == [2]
    assert sorted(ids_of(search("共同词", "--all"))) == [1, 2]
    rows = search("Gone", "--all")
    assert rows[0]["archived"] is True
    run("unarchive", "Gone")
    assert sorted(ids_of(search("共同词"))) == [1, 2]


def test_a_merge_moves_the_other_cards_words(engine) -> None:
    run = engine
    add(run, "张伟", "--phone", "13800138000")
    add(run, "张伟 (dup)", "--note", "重复卡")
    run("log", "2", "谈了年终奖", env=at("2026-11-10T10:00:00"))
    run("merge", "1", "2", "--yes")
    search = finder(run)
    rows = search("年终奖")
    assert ids_of(rows) == [1]
    assert rows[0]["where"] == "contact 2026-11-10 call"


def test_a_complaint_step_is_found_and_a_complaint_deleted_with_its_card(engine) -> None:
    run = engine
    add(run, "客户甲")
    complaint(run, "1", "送货太慢")
    run("complaint", "step", "1", "换了快递公司")
    search = finder(run)
    assert search("快递公司")[0]["where"] == "complaint C1 step"
    run("delete", "1", "--yes")
    assert search("快递公司") == []


def test_list_search_reads_the_same_index_and_keeps_its_output(everything) -> None:
    listed = json.loads(everything("list", "--search", "年终奖", "--format", "json").stdout)
    assert [r["id"] for r in listed] == [1]
    assert "phones" in listed[0]  # list's own keys
    out = everything("list", "--search", "mooncake").stdout
    assert "张伟" in out
    assert "Bob" not in out
    assert json.loads(everything("list", "-s", "Acme", "--format", "json").stdout)[0]["id"] == 2


def test_limit_and_formats(everything) -> None:
    add(everything, "Another 张")
    rows = finder(everything)("张", "--limit", "1")
    assert len(rows) == 1
    csv = everything("search", "张", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,company,grade,archived,score,where,snippet,matches"
    tsv = everything("search", "张", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[0] == "id"


def test_nothing_found_says_so(everything) -> None:
    assert "No cards match." in everything("search", "不存在的词").stdout


def test_a_too_long_search_is_refused(cli, ok) -> None:
    add(ok, "A")
    result = cli("search", "x" * 201)
    assert result.exit_code == 2
    assert result.stderr == (
        "clientcard: the search text has 201 characters; at most 200\n"
    )  # not `--search`: `search` takes an argument
    assert "Traceback" not in result.stderr


def test_a_too_long_search_is_refused_in_chinese(cli, ok, monkeypatch) -> None:
    from clientcard import i18n

    add(ok, "A")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.use(None)
    result = cli("search", "x" * 201)
    assert result.exit_code == 2
    assert result.stderr == "clientcard: 搜索内容有 201 个字符\uff0c最多 200 个\n"


def test_import_book_then_search(ok, tmp_path: Path) -> None:
    add(ok, "张伟", "--note", "龙井茶")
    ok("log", "1", "谈了年终奖")
    book = tmp_path / "book.jsonl"
    ok("export", "--book", "--output", str(book))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", "--book", str(book))
    found = json.loads(ok("--db", str(other), "search", "年终奖", "--format", "json").stdout)
    assert [r["id"] for r in found] == [1]


def test_migration_0014_builds_the_index_for_an_existing_book_and_its_downgrade_drops_it(
    ok, db_path: Path
) -> None:
    import sqlite3

    from alembic import command
    from alembic.config import Config

    from clientcard.store.migrate import MIGRATIONS_DIR, create_at_revision, make_engine

    create_at_revision(db_path, "0013")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, name_key, grade, created_at, updated_at, graded_at, "
            "search_key, followup_kind) VALUES (1, '张伟', '张伟', 'A', '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '张伟', 'cadence')"
        )
        conn.execute(
            "INSERT INTO contact (client_id, at, via, summary, logged_at, greeting) VALUES "
            "(1, '2026-11-03 02:00:00.000000', 'call', '谈了年终奖', '2026-11-03 02:00:00', 0)"
        )
    assert ids_of(finder(ok)("年终奖")) == [1]  # the command upgrades the book first
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, "0013")
    finally:
        engine.dispose()
    with sqlite3.connect(db_path) as conn:
        left = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search%'").fetchall()
        assert left == []
        assert conn.execute("SELECT count(*) FROM contact").fetchone() == (1,)


def test_imported_cards_are_found_and_later_cards_too(ok, tmp_path: Path) -> None:
    csv = tmp_path / "cards.csv"
    csv.write_text("name,company,notes\n王芳,星海贸易,问过年终奖\nAnn Lee,Acme,likes tea\n")
    ok("import", str(csv))
    search = finder(ok)
    assert ids_of(search("年终奖")) == [1]
    assert ids_of(search("星海")) == [1]
    assert ids_of(search("tea")) == [2]
    add(ok, "新卡", "--note", "后来加的")
    assert ids_of(search("后来")) == [3]


def test_a_refused_import_leaves_the_index_working(cli, ok, tmp_path: Path) -> None:
    csv = tmp_path / "cards.csv"
    csv.write_text("name,email\nGood,good@example.com\nBad,not-an-email\n")
    assert cli("import", str(csv)).exit_code != 0
    add(ok, "张伟", "--note", "龙井")
    assert ids_of(finder(ok)("龙井")) == [1]


def test_the_short_query_path_reads_the_rows_when_a_word_starts_too_many_trigrams(
    ok, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcard.services import search as searching

    add(ok, "Bob", "--note", "问了年终奖")
    add(ok, "王芳")
    search = finder(ok)
    assert ids_of(search("b")) == [1]  # one Latin letter: the cards' rows read in turn
    monkeypatch.setattr(searching, "MAX_TERMS", {"search_card": 0, "search_record": 0})
    assert ids_of(search("年")) == [1]
    assert ids_of(search("年终")) == [1]
    assert ids_of(search("王")) == [2]
    assert ids_of(search("%")) == []


# Several words: the rarest is looked up first and the others only on its cards (or each
# word's cards computed, when they are many, or the first word's rows read in turn when every
# word is common). Whichever way runs, the cards found and their order are the same.
WAYS = {
    "rarest first, the others by its cards' rows": {},
    "every word's cards in full": {"NARROW": 0},
    "every word common: read in turn": {"PROBE": 1},
    "short words read row by row": {"MAX_TERMS": {"search_card": 0, "search_record": 0}},
}
QUERIES = {
    "林芳 报价": [2, 3],
    "报价 林芳": [2, 3],
    "报价 客户 林芳": [3],
    "林芳 budget": [2],
    "报价 budget": [1, 2],
    "13900139 报价": [3],
    "报价 没有": [],
    "林 报价": [2, 3],
}


@pytest.mark.parametrize("way", WAYS)
def test_several_words_find_the_same_cards_in_the_same_order_whichever_way_they_run(
    ok, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    from clientcard.services import search as searching

    add(ok, "张伟", "--note", "budget 2027")  # 1: 报价 only in an old contact
    ok("log", "1", "发了报价", env=at("2025-03-05T10:00:00"))
    add(ok, "林芳", "--company", "报价通")  # 2: 报价 in the company, budget in a promise
    promise(ok, "2", "send the budget", "--due", "2026-11-25")
    add(ok, "王林芳", "--phone", "139 0013 9000")  # 3: 报价 and 客户 in contacts
    ok("log", "3", "客户要报价", env=at("2026-11-10T10:00:00"))
    add(ok, "Bob", "--note", "报价")  # 4: 报价 alone
    for name, value in WAYS[way].items():
        monkeypatch.setattr(searching, name, value)
    search = finder(ok)
    for text, found in QUERIES.items():
        assert ids_of(search(text)) == found, text
        listed = json.loads(ok("list", "--search", text, "--format", "json").stdout)
        assert sorted(ids_of(listed)) == sorted(found), text


def test_db_status_says_when_the_servers_ctype_leaves_chinese_out_of_the_index(
    ok, postgres_server, postgres_url: str
) -> None:
    """pg_trgm makes no trigrams of Chinese under LC_CTYPE C (the test server's, initdb
    --no-locale): a Chinese search then reads every row. A UTF-8 LC_CTYPE has them."""
    import psycopg

    def note(url: str) -> str:
        rows = json.loads(ok("--db", url, "db", "status", "--format", "json").stdout)
        (found,) = [r for r in rows if (r["section"], r["name"]) == ("book", "search")]
        assert found["value"] == "trigram"
        return str(found["note"])

    ok("--db", postgres_url, "add", "张伟", "--note", "报价单")  # found, but not by the index
    assert ids_of(finder(lambda *a, **k: ok("--db", postgres_url, *a, **k))("报价单")) == [1]
    assert "but not for Chinese: the database's LC_CTYPE is C" in note(postgres_url)
    name = "book_utf8_ctype"
    try:
        postgres_server._admin(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8'"
        )
    except psycopg.Error as exc:  # a server without the C.UTF-8 locale
        pytest.skip(f"no C.UTF-8 locale on the test server: {exc}")
    url = postgres_server.url(name)
    try:
        ok("--db", url, "add", "张伟", "--note", "报价单")
        assert note(url).startswith("a trigram index (pg_trgm ")
        assert "Chinese" not in note(url)
        assert ids_of(finder(lambda *a, **k: ok("--db", url, *a, **k))("报价单")) == [1]
    finally:
        postgres_server.drop_database(url)


def test_several_words_need_no_quotes(ok) -> None:
    """`search 年终奖 家庭` is `search "年终奖 家庭"`: every word, on the same card."""
    add(ok, "张伟", "--note", "年终奖 家庭保障")
    add(ok, "王芳", "--note", "年终奖")
    unquoted = ok("search", "年终奖", "家庭", "--format", "json").stdout
    assert unquoted == ok("search", "年终奖 家庭", "--format", "json").stdout
    assert [hit["name"] for hit in json.loads(unquoted)] == ["张伟"]
