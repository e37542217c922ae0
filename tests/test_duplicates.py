"""Issue 14, point 6 (the book's side): `dupes` lists likely duplicates, `merge` joins two cards.

- `dupes` groups live cards by a shared phone or e-mail key, by the same name and company, and
  by a near-identical name at the same company (domain/duplicates.py), each group with its
  reasons; `--archived` looks in the archive too; json/csv/tsv carry documented keys.
- `merge KEEP OTHER` moves every record of OTHER to KEEP and deletes OTHER, without losing one:
  rows are counted per table before and after, on SQLite and on PostgreSQL.
- Migration 0008 adds client_merge, where the merge is recorded.

Now is pinned by the autouse fixtures (tests/conftest.py): Friday 2026-11-20 09:00, Shanghai.
"""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from alembic import command

from clientcard.domain.duplicates import identity_key, loose_name_key, same_name_and_company
from helpers import add, at, complaint, promise, rows, sale
from test_migrations import alembic_config, make_database_at

DUPE_KEYS = [
    "group",
    "reason",
    "match",
    "id",
    "name",
    "company",
    "grade",
    "phone",
    "email",
    "archived",
]
TABLES = [
    "client",
    "client_tag",
    "client_reach",
    "grade_change",
    "contact",
    "promise",
    "promise_event",
    "complaint",
    "complaint_step",
    "sale",
    "key_date",
    "person",
    "rating_change",
    "client_merge",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def book(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> Iterator[sqlalchemy.Engine]:
    """The book on a file, then on a real PostgreSQL database: an engine to read it with."""
    url = f"sqlite:///{db_path}"
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("CLIENTCARD_DB", url)
    engine = sqlalchemy.create_engine(url)
    yield engine
    engine.dispose()


def assert_error(result: Any, code: int, part: str) -> None:
    """A refusal: the exit code, nothing on stdout, one line on stderr that says `part`."""
    assert (result.exit_code, result.stdout) == (code, ""), result.stderr
    assert result.stderr.startswith("clientcard: ")
    assert result.stderr.count("\n") == 1
    assert part in result.stderr, result.stderr


def read(engine: sqlalchemy.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sqlalchemy.text(sql))]


def counts(engine: sqlalchemy.Engine) -> dict[str, int]:
    return {t: read(engine, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


OWNED = [t for t in TABLES if t not in ("client", "promise_event", "complaint_step")]


def owned(engine: sqlalchemy.Engine, client_id: int) -> dict[str, int]:
    """How many rows of each table a card owns (promise events and complaint steps by their
    promise's and complaint's card)."""
    found = {
        t: read(engine, f"SELECT count(*) FROM {t} WHERE client_id = {client_id}")[0][0]
        for t in OWNED
    }
    for table, parent in (("promise_event", "promise"), ("complaint_step", "complaint")):
        found[table] = read(
            engine,
            f"SELECT count(*) FROM {table} JOIN {parent} ON {parent}.id = {table}.{parent}_id"
            f" WHERE {parent}.client_id = {client_id}",
        )[0][0]
    return found


def dupes(ok: Any, *options: str) -> list[dict[str, Any]]:
    return list(json.loads(ok("dupes", "-f", "json", *options).stdout))


def groups(found: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    """(reason, [ids]) per group, in order."""
    out: dict[int, tuple[str, list[int]]] = {}
    for row in found:
        out.setdefault(row["group"], (row["reason"], []))[1].append(row["id"])
    return list(out.values())


# ---- the rules (pure) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("张伟", "张 伟"),
        ("张伟", "张伟先生"),
        ("王芳", "王芳女士"),
        ("Zhang Wei", "zhang  WEI"),
        ("Zhang Wei", "Wei Zhang"),
        (
            "Zhang Wei",
            "\uff3a\uff48\uff41\uff4e\uff47\u3000\uff37\uff45\uff49",
        ),  # full-width, as an IME types it
        ("Wang Fang", "Mr. Wang Fang"),
        ("Li Na", "Li-Na"),
        ("欧阳娜娜", "欧阳·娜娜"),
        ("O'Brien Pat", "Pat OBrien"),
    ],
)
def test_near_identical_names_have_one_loose_key(a: str, b: str) -> None:
    assert loose_name_key(a) == loose_name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("张伟", "伟张"),  # a CJK name keeps its order
        ("张伟", "张伟伟"),
        ("Li Na", "Li Ning"),
        ("先生", "女士"),  # a name that is only a title keeps it
    ],
)
def test_different_names_have_different_loose_keys(a: str, b: str) -> None:
    assert loose_name_key(a) != loose_name_key(b)


def test_same_name_and_company_folds_case_blanks_and_width_and_needs_a_company() -> None:
    assert same_name_and_company("Zhang  Wei", "ACME Ltd", "zhang wei", "acme  ltd")
    assert same_name_and_company("张伟", "\uff21\uff2c\uff29", "张伟", "ali")  # full-width ALI
    assert same_name_and_company("张伟", "平安 保险", "张伟", "平安保险")
    assert not same_name_and_company("张伟", "阿里", "张伟", "腾讯")
    assert not same_name_and_company("张伟", "阿里", "张伟", None)
    assert not same_name_and_company("张伟", None, "张伟", "")  # the name alone decides nothing
    assert identity_key(" Li  Na ", "\uff33un rise ") == ("li na", "sunrise")
    assert identity_key("Li Na", " ") is None


# ---- dupes ----------------------------------------------------------------------------------


def test_dupes_groups_cards_by_phone_email_name_and_similar_name_with_reasons(ok, book) -> None:
    add(ok, "张伟", "--company", "阿里", "--phone", "138 0013 8000")  # 1
    add(
        ok,
        "Li Na",
        "--phone",
        "work:010 6552 1234",
        "--phone",
        "+86 13800138000",
        "--allow-duplicate",
    )  # 2: its second number is 1's
    add(ok, "Wang Fang", "--company", "Sunrise", "--email", "wf@x.cn")  # 3
    add(ok, "Mr. Wang Fang", "--company", "SUNRISE", "--email", "WF@X.CN", "--allow-duplicate")
    add(ok, "张 伟", "--company", "阿里")  # 5: similar to 1, same company
    add(ok, "张伟先生", "--company", "阿里")  # 6
    add(ok, "张伟", "--company", "腾讯")  # 7: same name, another company: not a duplicate
    add(ok, "陈静", "--company", "平安")  # 8
    add(ok, "陈静", "--company", "平安")  # 9: same name and company
    add(ok, "Solo")  # 10
    add(ok, "王芳", "--note", "见过一次")  # 11: nothing but a name (and notes)
    add(ok, "王芳")  # 12: the same: the import's rule for such rows
    add(ok, "王芳", "--phone", "139 0013 9000")  # 13: a name without a company decides nothing
    add(ok, "Soloist")  # 14: nothing but a name, like 10, but another name
    found = dupes(ok)
    assert groups(found) == [
        ("phone", [1, 2]),
        ("email,similar-name", [3, 4]),
        ("name", [8, 9]),
        ("bare-name", [11, 12]),
        ("similar-name", [1, 5, 6]),
    ]
    assert list(found[0]) == DUPE_KEYS
    assert found[0]["match"] == "8613800138000"
    assert found[2]["match"] == "wf@x.cn"
    assert {r["match"] for r in found if r["group"] == 5} == {"张伟 · 阿里"}
    assert {r["match"] for r in found if r["group"] == 4} == {"王芳"}
    assert found[1] == {
        "group": 1,
        "reason": "phone",
        "match": "8613800138000",
        "id": 2,
        "name": "Li Na",
        "company": None,
        "grade": "F",
        "phone": "010 6552 1234",
        "email": None,
        "archived": False,
    }


def test_dupes_table_csv_and_tsv(ok) -> None:
    add(ok, "陈静", "--company", "平安", "--phone", "139 0013 9000")
    add(ok, "陈静", "--company", "平安", "--phone", "13900139000", "--allow-duplicate")
    table = ok("dupes").stdout
    assert "same phone; same name and company" in table
    assert "1 group of likely duplicates (2 cards)" in table
    csv = ok("dupes", "-f", "csv").stdout.splitlines()
    assert csv == [
        ",".join(DUPE_KEYS),
        '1,"phone,name",8613900139000,1,陈静,平安,F,139 0013 9000,,false',
        '1,"phone,name",8613900139000,2,陈静,平安,F,13900139000,,false',
    ]
    tsv = ok("dupes", "-f", "tsv").stdout.splitlines()
    assert tsv[0] == "\t".join(DUPE_KEYS)
    assert tsv[1].split("\t")[:4] == ["1", "phone,name", "8613900139000", "1"]


def test_dupes_leaves_archived_cards_out_unless_asked(ok) -> None:
    add(ok, "Old Li", "--phone", "138 0013 8000")
    ok("archive", "1")
    add(ok, "Li", "--company", "X", "--phone", "138 0013 8000")
    add(ok, "Li", "--company", "X", "--phone", "139 0013 9000")
    assert groups(dupes(ok)) == [("name", [2, 3])]
    found = dupes(ok, "--archived")
    assert groups(found) == [("phone", [1, 2]), ("name", [2, 3])]
    assert [r["archived"] for r in found[:2]] == [True, False]
    assert "(archived)" in ok("dupes", "--archived").stdout


def test_dupes_with_none_found_and_limit(cli, ok) -> None:
    assert ok("dupes").stdout.strip() == "No likely duplicates."
    assert dupes(ok) == []
    for _ in range(3):
        add(ok, "陈静", "--company", "平安")
        add(ok, "Li Na", "--company", "X")
        add(ok, "王芳", "--email", f"wf{_}@x.cn")  # no company: not grouped by name
    assert ok("dupes", "-f", "csv").stdout.count("\n") == 7
    limited = dupes(ok, "--limit", "1")
    assert groups(limited) == [("name", [1, 4, 7])]
    assert "The first 1 of 2 groups (3 cards)" in ok("dupes", "-n", "1").stdout
    assert_error(cli("dupes", "--limit", "0"), 2, "--limit")


def test_dupes_reads_the_book_in_a_few_queries_whatever_its_size(ok, statements) -> None:
    """No query per card or per pair: the same number of statements for 4 cards as for 40."""

    def queries(n: int) -> int:
        for i in range(n):
            add(
                ok,
                f"Li {i % 2}",
                "--company",
                "X",
                "--phone",
                f"13800{i % 3:06d}",
                "--allow-duplicate",
            )
        statements.clear()
        ok("dupes")
        return len(statements)

    few = queries(4)
    ok("delete", "1", "--yes")
    assert queries(40) == few


# ---- merge: a pair of cards with one of everything ------------------------------------------


def two_cards(ok: Any) -> None:
    """#1 张伟 (kept) and #2 张 伟 (merged), each with records of every kind; #3 referred by #2;
    #4 merged into #2 before."""
    add(
        ok,
        "张伟",
        "--company",
        "阿里",
        "--phone",
        "mobile:138 0013 8000",
        "--tag",
        "vip",
        "--note",
        "老客户",
        "--grade",
        "B",
    )
    add(
        ok,
        "张 伟",
        "--company",
        "阿里巴巴",
        "--title",
        "经理",
        "--phone",
        "13800138000",
        "--phone",
        "work:010 6552 1234",
        "--email",
        "zw@ali.cn",
        "--tag",
        "vip",
        "--tag",
        "tea",
        "--note",
        "喜欢普洱",
        "--allow-duplicate",
    )
    add(ok, "Referred", "--referred-by", "2")
    add(ok, "Old copy", "--phone", "139 0013 9000")
    ok("merge", "2", "4", "--yes")
    ok("log", "1", "--via", "call", "--at", "2026-11-18 10:00")
    ok("log", "2", "--via", "visit", "--at", "2026-11-19 15:00")
    promise(ok, "2", "送报价", "--due", "fri")
    promise(ok, "1", "回电", "--due", "mon")
    complaint(ok, "2", "发票错了")
    ok("complaint", "step", "1", "已重开发票")
    sale(ok, "2", "1200", "--on", "2026-11-19 16:00")
    ok("date", "add", "1", "birthday", "03-04")
    ok("date", "add", "2", "birthday", "03-04")  # the same: dropped, not doubled
    ok("date", "add", "2", "anniversary", "2020-06-01", "--note", "合作开始")
    ok("person", "add", "2", "小李", "--role", "秘书")
    ok("rate", "2", "--credit", "good", "--loyalty", "4")
    ok("rate", "1", "--credit", "fair")
    ok("grade", "2", "C", "--reason", "兴趣不大")


def test_merge_moves_every_record_and_loses_none(cli, ok, book) -> None:
    two_cards(ok)
    before = counts(book)
    kept_one, merged_one, referred = owned(book, 1), owned(book, 2), owned(book, 3)
    assert all(merged_one.values()), merged_one  # one of everything to move
    ok("merge", "1", "2", "--yes")
    after = counts(book)
    # Every row is still there, on the kept card, except: the merged card; its tag and phone
    # that #1 already had (one each); its birthday #1 already had; plus one row recording the
    # merge, and one grade change bringing the joined history back to #1's grade (B).
    expected = dict(before)
    expected.update(
        client=before["client"] - 1,
        client_tag=before["client_tag"] - 1,
        client_reach=before["client_reach"] - 1,
        key_date=before["key_date"] - 1,
        client_merge=before["client_merge"] + 1,
        grade_change=before["grade_change"] + 1,
    )
    assert after == expected
    # ... and all of them on #1: what #1 and #2 owned, less what was dropped, plus the merge.
    dropped = {"client_tag": 1, "client_reach": 1, "key_date": 1}
    added = {"client_merge": 1, "grade_change": 1}
    assert owned(book, 1) == {
        t: kept_one[t] + merged_one[t] - dropped.get(t, 0) + added.get(t, 0) for t in kept_one
    }
    assert owned(book, 3) == referred
    assert read(book, "SELECT id, referred_by_id FROM client ORDER BY id") == [(1, None), (3, 1)]
    shown = json.loads(ok("show", "1", "-f", "json").stdout)
    assert [p["number"] for p in shown["phones"]] == [
        "138 0013 8000",
        "010 6552 1234",
        "139 0013 9000",
    ]
    assert [e["address"] for e in shown["emails"]] == ["zw@ali.cn"]
    assert shown["tags"] == ["tea", "vip"]
    assert_error(cli("show", "2"), 1, "no card matches '2'")


def test_merge_lists_conflicts_keeps_keeps_values_fills_gaps_and_joins_notes(ok, query) -> None:
    two_cards(ok)
    result = ok("merge", "1", "2", "--yes")
    assert result.stdout.splitlines()[0] == (
        "Merged #2 张 伟 into #1 张伟 · 阿里 · grade B · tags tea,vip · customer"
    )
    said = result.stdout.splitlines()[1]
    for part in [
        "moves 2 contacts, 1 promise, 1 complaint, 1 sale, 1 occasion, 1 person, "
        "1 rating change, 3 grade changes, 1 earlier merge, 1 tag, 2 phones, "
        "1 e-mail address, 1 referred card from #2 to #1, then deletes #2",
        "fills title, email, loyalty from #2",
        "joins the notes",
        "name: keeps '张伟' over '张 伟'",
        "company: keeps '阿里' over '阿里巴巴'",
        "grade: keeps 'B' over 'C'",
        "credit: keeps 'fair' over 'good'",
        "drops 1 occasion #1 already has",
    ]:
        assert part in said, part
    card = query(
        "SELECT name, company, title, notes, grade, credit, loyalty, email FROM client WHERE id = 1"
    )
    assert card == [("张伟", "阿里", "经理", "老客户\n\n喜欢普洱", "B", "fair", 4, "zw@ali.cn")]
    merges = query(
        "SELECT client_id, merged_id, merged_name, merged_at, taken, dropped, moved "
        "FROM client_merge ORDER BY id"
    )
    assert [m[:3] for m in merges] == [(1, 4, "Old copy"), (1, 2, "张 伟")]
    assert merges[1][3] == "2026-11-20 01:00:00.000000"
    assert merges[1][4] is None
    assert json.loads(merges[1][5]) == {
        "company": "阿里巴巴",
        "credit": "good",
        "grade": "C",
        "name": "张 伟",
    }
    assert json.loads(merges[1][6])["contact"] == 2  # the visit, the sale's


def test_merge_take_gives_others_values_and_records_keeps_dropped(ok, query) -> None:
    two_cards(ok)
    ok("merge", "1", "2", "--yes", "--take", "company", "--take", "grade,credit,phone")
    card = query("SELECT company, grade, credit, phone FROM client WHERE id = 1")
    assert card == [("阿里巴巴", "C", "good", "13800138000")]
    taken, dropped = query("SELECT taken, dropped FROM client_merge WHERE merged_id = 2")[0]
    assert taken == "company,grade,credit,phone"
    assert json.loads(dropped) == {
        "company": "阿里",
        "credit": "fair",
        "grade": "B",
        "name": "张 伟",
    }
    # The main phone taken: the same number as #1's (one key), kept once, as #2 wrote it.
    numbers = query(
        "SELECT position, value FROM client_reach WHERE client_id = 1 AND kind = 'phone'"
        " ORDER BY position"
    )
    assert numbers[0] == (0, "13800138000")


def test_merge_keeps_derived_fields_right(ok, query) -> None:
    two_cards(ok)
    ok("merge", "1", "2", "--yes")
    (row,) = query(
        "SELECT last_contact_at, last_visit_at, first_sale_at, thanks_due_at IS NOT NULL, "
        "created_at, graded_at, next_followup_on FROM client WHERE id = 1"
    )
    assert row[0] == "2026-11-19 08:00:00.000000"  # the sale's contact, 16:00 local
    assert row[1] is not None  # #2's visit
    assert row[2] == "2026-11-19 08:00:00.000000"  # a customer now
    assert row[3] == 1  # #2's thank-you for the sale is still owed
    history = query(
        "SELECT from_grade, to_grade, reason FROM grade_change WHERE client_id = 1 "
        "ORDER BY changed_at, id"
    )
    assert history[-1] == ("C", "B", "merged #2 张 伟 (grade C)")
    assert row[5] == "2026-11-20 01:00:00.000000"  # #1 was added (as B) now too
    shown = json.loads(ok("show", "1", "-f", "json").stdout)
    assert shown["grade"] == "B"
    assert shown["customer"] is True
    assert ok("list", "--customers", "-f", "json").stdout.count('"id"') == 1
    # The lookups find the card by the merged card's numbers; the old card is gone.
    assert json.loads(ok("show", "010 6552 1234", "-f", "json").stdout)["id"] == 1


def test_merge_without_yes_off_a_terminal_is_refused_and_changes_nothing(cli, ok, snapshot) -> None:
    two_cards(ok)
    before = snapshot()
    result = cli("merge", "1", "2")
    assert_error(result, 3, "merging moves 2 contacts")
    assert "add --yes to confirm" in result.stderr
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1", "1"], 2, "#1 张伟 cannot be merged into itself"),
        (["1", "9"], 1, "no card matches '9'"),
        (["1", "2", "--take", "colour"], 2, "--take 'colour': not a field of a card"),
        (["3", "1"], 3, "#3 Gone is archived; unarchive it first"),
    ],
)
def test_merge_refuses_bad_requests(cli, ok, snapshot, args, code, message) -> None:
    add(ok, "张伟")
    add(ok, "Li")
    add(ok, "Gone")
    ok("archive", "3")
    before = snapshot()
    assert_error(cli("merge", *args, "--yes"), code, message)
    assert snapshot() == before


def test_an_archived_card_merges_into_a_live_one_and_leaves_dupes(ok) -> None:
    add(ok, "Li Na", "--company", "X", "--phone", "138 0013 8000")
    ok("log", "1", "--via", "call", "--at", "2026-11-01 10:00")
    ok("archive", "1")
    add(ok, "Li Na", "--company", "X", "--phone", "138 0013 8000")
    assert groups(dupes(ok, "--archived")) == [("phone,name", [1, 2])]
    ok("merge", "2", "1", "--yes")
    assert dupes(ok, "--archived") == []
    assert len(json.loads(ok("contacts", "2", "-f", "json").stdout)) == 1


def answer_in_a_terminal(args: list[str], answer: str) -> tuple[str, int]:
    """Run clientcard in a pseudo-terminal, answer its question once asked, return what it
    printed and its exit code."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "clientcard", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    out = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not answered and b"[y/N]" in out:
                os.write(leader, answer.encode() + b"\n")
                answered = True
        elif proc.poll() is not None:
            break
    os.close(leader)
    return out.decode("utf-8", "replace"), proc.wait(timeout=10)


def test_merge_shows_what_it_will_do_and_asks_on_a_terminal(ok, db_path: Path) -> None:
    add(ok, "张伟", "--company", "阿里")
    add(ok, "张 伟", "--company", "阿里巴巴")
    out, code = answer_in_a_terminal(["merge", "1", "2"], "n")
    assert "Merging moves 1 grade change from #2 to #1, then deletes #2; name: keeps" in out
    assert "Merge #2 into #1? [y/N]" in out
    assert code == 3
    assert rows(db_path, "SELECT id FROM client") == [(1,), (2,)]
    out, code = answer_in_a_terminal(["merge", "1", "2"], "y")
    assert code == 0
    assert "Merged #2 张 伟 into #1 张伟 · 阿里 · grade F" in out
    assert rows(db_path, "SELECT id FROM client") == [(1,)]


# ---- migration 0008 --------------------------------------------------------------------------


def test_0008_adds_client_merge_and_keeps_every_row(ok, db_path: Path) -> None:
    make_database_at(db_path, "0007")
    with sqlite3.connect(db_path) as conn:
        for id_, name in ((1, "张伟"), (2, "张 伟")):
            conn.execute(
                "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
                " graded_at, followup_kind, search_key) VALUES (?, ?, ?, 'B', ?, ?, ?,"
                " 'cadence', '')",
                (id_, name, name, *["2026-10-01 01:00:00.000000"] * 3),
            )
        conn.execute(
            "INSERT INTO contact (client_id, at, via, logged_at, greeting) VALUES"
            " (2, '2026-10-02 01:00:00.000000', 'call', '2026-10-02 01:00:00.000000', 0)"
        )
    ok("list")
    assert rows(db_path, "SELECT id, name FROM client ORDER BY id") == [(1, "张伟"), (2, "张 伟")]
    assert rows(db_path, "SELECT count(*) FROM client_merge") == [(0,)]
    ok("merge", "1", "2", "--yes")
    assert rows(db_path, "SELECT client_id FROM contact") == [(1,)]
    assert rows(db_path, "SELECT client_id, merged_id FROM client_merge") == [(1, 2)]
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007")
    engine.dispose()
    assert rows(db_path, "SELECT name FROM sqlite_master WHERE name = 'client_merge'") == []
    assert rows(db_path, "SELECT id, name FROM client") == [(1, "张伟")]


def test_the_kept_cards_page_names_the_cards_merged_into_it(ok) -> None:
    two_cards(ok)
    ok("merge", "1", "2", "--yes", "--take", "title,grade")
    page = ok("show", "1").stdout
    assert "Merged in       #4 Old copy, #2 张 伟" in page
    merged = json.loads(ok("show", "1", "-f", "json").stdout)["merged"]
    assert merged == [
        {"id": 4, "name": "Old copy", "at": "2026-11-20T09:00:00+08:00", "taken": []},
        {"id": 2, "name": "张 伟", "at": "2026-11-20T09:00:00+08:00", "taken": ["title", "grade"]},
    ]


@pytest.mark.parametrize(
    ("take", "grade", "since"),
    [
        ([], "B", "2026-06-01 01:00:00.000000"),  # #1's grade, held since #1 took it
        (["--take", "grade"], "F", "2026-11-01 01:00:00.000000"),  # #2's, since #2 took it
    ],
)
def test_the_merged_card_holds_its_grade_since_the_card_it_came_from(
    ok, query, take: list[str], grade: str, since: str
) -> None:
    """A copy imported after the card's last regrade does not restart its time in grade: the
    joined history gets a last entry back to the card's grade, the card keeps its date."""
    add(ok, "张伟", "--grade", "B", env=at("2026-06-01 09:00"))
    add(ok, "张 伟", env=at("2026-11-01 09:00"))
    ok("merge", "1", "2", "--yes", *take)
    assert query("SELECT grade, graded_at FROM client") == [(grade, since)]
    history = query("SELECT from_grade, to_grade, reason FROM grade_change ORDER BY changed_at, id")
    expected = [(None, "B", "added"), (None, "F", "added")]
    if grade == "B":
        expected.append(("F", "B", "merged #2 张 伟 (grade F)"))
    assert history == expected


def test_the_next_follow_up_is_the_one_the_later_sales_contact_set(ok, query) -> None:
    """#1, never contacted, was due long ago; #2 was visited on Wednesday: the merged card is
    due by #2's cadence, not overdue by #1's."""
    add(ok, "张伟", "--grade", "B", env=at("2026-06-01 09:00"))
    add(ok, "张 伟", "--grade", "B")
    ok("log", "2", "--via", "visit", "--at", "2026-11-18 15:00")
    (due_2,) = query("SELECT next_followup_on FROM client WHERE id = 2")[0]
    (due_1,) = query("SELECT next_followup_on FROM client WHERE id = 1")[0]
    assert due_1 < "2026-11-20" < due_2
    ok("merge", "1", "2", "--yes")
    assert query("SELECT next_followup_on, followed_up_at FROM client") == [
        (due_2, "2026-11-18 07:00:00.000000")
    ]


def test_referrals_through_the_merged_card_and_ratings_are_listed_as_they_are(ok, query) -> None:
    """#2 and #3 referred each other: the merged card cannot refer itself, so it has no
    referrer (no conflict either). A score is listed as a number."""
    add(ok, "Ref")
    add(ok, "张伟", "--referred-by", "1")  # 2
    add(ok, "张 伟")  # 3
    ok("edit", "3", "--referred-by", "2")
    ok("edit", "2", "--referred-by", "3")
    ok("rate", "2", "--satisfaction", "4")
    ok("rate", "3", "--satisfaction", "2")
    said = ok("merge", "2", "3", "--yes").stdout
    assert "satisfaction: keeps '4' over '2'" in said
    assert "referred_by" not in said
    assert query("SELECT id, referred_by_id FROM client ORDER BY id") == [(1, None), (2, None)]


def test_the_referrer_of_the_merged_card_fills_the_kept_cards(ok, query) -> None:
    add(ok, "Ref")
    add(ok, "张伟")
    add(ok, "张 伟", "--referred-by", "Ref")
    add(ok, "Other ref")
    ok("edit", "2", "--referred-by", "3")
    ok("merge", "2", "3", "--yes")
    assert query("SELECT referred_by_id, referred_at IS NOT NULL FROM client WHERE id = 2") == [
        (1, 1)
    ]


def test_cards_with_nothing_but_a_name_are_grouped_by_it_in_any_case(ok) -> None:
    add(ok, "li na")
    add(ok, "Li Na")
    add(ok, "Li  Na", "--email", "ln@x.cn")  # has an e-mail: not bare
    add(ok, "Li Na", "--company", "X")  # has a company: not bare
    found = dupes(ok)
    assert groups(found) == [("bare-name", [1, 2])]
    assert found[0]["match"] == "li na"
    assert "same name, nothing else" in ok("dupes").stdout


def test_the_rule_same_name_and_company_for_the_import(ok, db_path: Path) -> None:
    """What `import --on-duplicate` calls: the live cards of a name and company, one lookup;
    every live card by its key, one pass."""
    from clientcard.services.dupes import cards_named, name_company_index
    from clientcard.store.open import transaction

    add(ok, "张伟", "--company", "阿里")
    add(ok, "ZHANG wei", "--company", "ACME  Ltd")
    add(ok, "张伟")
    add(ok, "张伟", "--company", "阿里")
    ok("archive", "4")
    with transaction(str(db_path), write=False) as db:
        assert [c.id for c in cards_named(db, " 张伟 ", "阿里")] == [1]
        assert [c.id for c in cards_named(db, "张伟", "阿里", archived=True)] == [1, 4]
        assert [c.id for c in cards_named(db, "Zhang Wei", "acme ltd")] == [2]
        assert cards_named(db, "张伟", None) == []  # the name alone decides nothing
        assert cards_named(db, "张伟", "腾讯") == []
        assert name_company_index(db) == {("张伟", "阿里"): [1], ("zhang wei", "acmeltd"): [2]}


def test_0008_on_postgresql(ok, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0007")
            for id_, name in ((1, "张伟"), (2, "张 伟")):
                connection.execute(
                    sqlalchemy.text(
                        "INSERT INTO client (id, name, name_key, grade, created_at, updated_at,"
                        " graded_at, followup_kind, search_key) VALUES (:id, :name, :name, 'B',"
                        " :at, :at, :at, 'cadence', '')"
                    ),
                    {"id": id_, "name": name, "at": "2026-10-01 01:00+00"},
                )
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO contact (client_id, at, via, logged_at, greeting) VALUES"
                    " (2, '2026-10-02 01:00+00', 'call', '2026-10-02 01:00+00', false)"
                )
            )
        monkeypatch.setenv("CLIENTCARD_DB", postgres_url)
        ok("db", "upgrade")  # a PostgreSQL book is upgraded by `db upgrade` only (issue 17)
        ok("list")
        assert read(engine, "SELECT count(*) FROM client_merge") == [(0,)]
        ok("merge", "1", "2", "--yes")
        assert read(engine, "SELECT client_id FROM contact") == [(1,)]
        assert read(engine, "SELECT client_id, merged_id, merged_name FROM client_merge") == [
            (1, 2, "张 伟")
        ]
    finally:
        engine.dispose()
