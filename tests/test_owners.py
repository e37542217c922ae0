"""Issue 17, owners: `list --owner`, `due --mine/--all`, `handover`, `claim`, `release` and the
team's pool (`pool sweep`, `due`'s pool_return warning), through the CLI on SQLite and
PostgreSQL, with 王芳 and 李强 as the team (CLIENTCARD_USER)."""

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, add, promise

WANG = {"CLIENTCARD_USER": "王芳"}
LI = {"CLIENTCARD_USER": "李强"}
ZHAO = {"CLIENTCARD_USER": "赵敏"}  # owns nothing


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "postgresql":
        monkeypatch.setenv("CLIENTCARD_DB", str(request.getfixturevalue("postgres_url")))
    else:
        request.getfixturevalue("migrated")
    return str(request.param)


def at(ok: Run, when: str) -> dict[str, str]:
    return {"CLIENTCARD_NOW": when}


def ids(result: Any) -> list[int]:
    return sorted(row["id"] for row in json.loads(result.stdout))


def due_json(ok: Run, *args: str, env: dict[str, str]) -> list[dict[str, Any]]:
    return list(json.loads(ok("due", *args, "--format", "json", env=env).stdout))


def team(ok: Run) -> dict[str, int]:
    """王芳 owns 张伟 (an open promise due today and an open complaint) and Wang Lei; 李强
    owns 刘洋; 陈静 is in the pool."""
    cards = {
        "张伟": add(ok, "张伟", "--owner", "王芳", "--grade", "A", env=WANG),
        "Wang Lei": add(ok, "Wang Lei", "--owner", "王芳", env=WANG),
        "刘洋": add(ok, "刘洋", "--owner", "李强", env=LI),
        "陈静": add(ok, "陈静", "--owner", "李强", env=LI),
    }
    ok("release", "陈静", env=LI)
    promise(ok, "张伟", "送报价", "--due", "today", env=WANG)
    ok("complaint", "add", "张伟", "理赔太慢", "--severity", "high", env=WANG)
    return cards


def test_list_by_owner_me_none_and_a_name(ok: Run, engine: str) -> None:
    cards = team(ok)
    mine = ok("list", "--owner", "me", "--format", "json", env=WANG)
    assert ids(mine) == sorted([cards["张伟"], cards["Wang Lei"]])
    assert ids(ok("list", "--owner", "none", "--format", "json")) == [cards["陈静"]]
    assert ids(ok("list", "--owner", "李强", "--format", "json")) == [cards["刘洋"]]
    # Combined with another filter, and a name nobody has: nothing, not an error.
    both = ok("list", "--owner", "me", "--grade", "A", "--format", "json", env=WANG)
    assert ids(both) == [cards["张伟"]]
    assert ids(ok("list", "--owner", "nobody", "--format", "json")) == []


def test_an_owner_is_matched_in_any_case(ok: Run, engine: str) -> None:
    add(ok, "Alice's card", "--owner", "Alice")
    add(ok, "Bob's card", "--owner", "Bob")
    found = ok("list", "--owner", "ALICE", "--format", "json")
    assert [r["name"] for r in json.loads(found.stdout)] == ["Alice's card"]
    mine = ok("list", "--owner", "me", "--format", "json", env={"CLIENTCARD_USER": "alice"})
    assert [r["name"] for r in json.loads(mine.stdout)] == ["Alice's card"]


def test_due_shows_my_cards_on_a_shared_book_and_all_with_all(ok: Run, engine: str) -> None:
    cards = team(ok)
    ok("snooze", "刘洋", "today", env=LI)
    wang = due_json(ok, env=WANG)
    assert {i["client_id"] for i in wang} == {cards["张伟"]}
    assert {i["kind"] for i in wang} == {"promise", "complaint"}
    assert due_json(ok, "--mine", env=WANG) == wang
    everyone = due_json(ok, "--all", env=WANG)
    assert {i["client_id"] for i in everyone} == {cards["张伟"], cards["刘洋"]}
    # Someone who owns no card sees everyone's, and the page says so.
    assert due_json(ok, env=ZHAO) == everyone
    assert ok("due", env=ZHAO).stdout.startswith("Everyone's agenda · Due today")
    assert ok("due", env=WANG).stdout.startswith("Agenda of 王芳 · Due today")
    assert "Agenda of 李强" in ok("due", "--mine", env=LI).stdout


def test_one_owner_s_book_is_not_shared(ok: Run) -> None:
    """On a file with one owner's cards, `due` is everyone's and says nothing about whose."""
    add(ok, "张伟", "--owner", "王芳")
    add(ok, "李娜")
    ok("release", "李娜")  # a card of nobody's (added before cards had owners)
    ok("snooze", "张伟", "today")
    ok("snooze", "李娜", "today")
    page = ok("due", env=WANG).stdout
    assert page.startswith("Due today")
    assert len(due_json(ok, env=WANG)) == 2
    assert len(due_json(ok, "--mine", env=WANG)) == 1


def test_a_handover_shows_on_the_card_and_in_the_new_owner_s_agenda(ok: Run, engine: str) -> None:
    """The issue's "Done when": 王芳 hands 张伟 to 李强; the card says so, and 李强's agenda
    has 张伟's promise and complaint the same day, 王芳's no longer."""
    cards = team(ok)
    before = ok("show", "张伟", "--format", "json").stdout
    next_on = json.loads(before)["next_followup"]["on"]
    done = ok("handover", "张伟", "--to", "李强", "--reason", "王芳 休产假", env=WANG)
    assert "Handed over 1 card to 李强, with 1 open promise and 1 open complaint" in done.stdout
    li = due_json(ok, env=LI)
    assert {(i["client_id"], i["kind"]) for i in li} == {
        (cards["张伟"], "promise"),
        (cards["张伟"], "complaint"),
    }
    assert due_json(ok, env=WANG) == []
    page = ok("show", "张伟").stdout
    assert "Handovers" in page
    assert "王芳 → 李强" in page
    assert "王芳 休产假" in page
    card = json.loads(ok("show", "张伟", "--format", "json").stdout)
    assert card["owner"] == "李强"
    assert card["next_followup"]["on"] == next_on  # the follow-up stays
    (row,) = card["handovers"]
    assert row["kind"] == "handover"
    assert (row["from_owner"], row["to_owner"], row["author"]) == ("王芳", "李强", "王芳")
    assert row["reason"] == "王芳 休产假"
    assert row["at"].startswith("2026-11-20T09:00")


def test_handover_from_moves_every_live_card_of_an_owner(ok: Run, engine: str) -> None:
    cards = team(ok)
    add(ok, "Old", "--owner", "王芳")
    ok("archive", "Old")
    done = ok("handover", "--from", "王芳", "--to", "李强", "--format", "json", env=LI)
    moved = json.loads(done.stdout)
    assert sorted(r["client_id"] for r in moved) == sorted([cards["张伟"], cards["Wang Lei"]])
    assert {r["author"] for r in moved} == {"李强"}
    assert ids(ok("list", "--owner", "王芳", "--format", "json")) == []
    assert ids(ok("list", "--owner", "王芳", "--archived", "--format", "json")) != []
    assert len(ids(ok("list", "--owner", "李强", "--format", "json"))) == 3
    # --from me, --to a name in another case: the spelling the book has.
    ok("handover", "--from", "me", "--to", "王芳", env=LI)
    back = json.loads(ok("show", "张伟", "--format", "json").stdout)
    assert back["owner"] == "王芳"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["handover", "nobody here", "--to", "李强"], 1, "no card matches"),
        (["handover", "张伟", "--to", "王芳"], 3, "already 王芳's"),
        (["handover", "张伟", "--to", ""], 2, "--to needs a person's name"),
        (["handover", "张伟"], 2, "--to needs a person's name"),
        (["handover", "--to", "李强"], 2, "name the cards"),
        (["handover", "张伟", "--from", "王芳", "--to", "李强"], 2, "either cards or --from"),
        (["handover", "--from", "nobody", "--to", "李强"], 1, "nobody owns no live card"),
        (["handover", "--from", "王芳", "--to", "王芳"], 3, "the same person"),
        (["handover", "张伟", "--to", "none"], 2, "the pool is not a person"),
        (["handover", "刘洋", "--to", "me"], 3, "already 李强's"),
        (["handover", "Old", "--to", "李强"], 3, "archived"),
        (["claim", "张伟"], 3, "is 王芳's, not in the pool"),
        (["claim", "Old"], 3, "archived"),
        (["release", "陈静"], 3, "in the pool already"),
    ],
)
def test_refusals_are_one_line_with_their_exit_code(
    ok: Run, cli: Run, snapshot: Any, args: list[str], code: int, message: str
) -> None:
    team(ok)
    add(ok, "Old", "--owner", "王芳")
    ok("archive", "Old")
    before = snapshot()
    result = cli(*args, env=LI)
    assert result.exit_code == code, result.stderr
    if code:
        assert result.stderr.count("\n") == 1
        assert message in result.stderr
        assert snapshot() == before


def test_claim_takes_a_card_from_the_pool(ok: Run, engine: str, cli: Run) -> None:
    cards = team(ok)
    done = ok("claim", "陈静", env=WANG)
    assert "Claimed" in done.stdout
    assert "now 王芳's" in done.stdout
    card = json.loads(ok("show", "陈静", "--format", "json").stdout)
    assert card["owner"] == "王芳"
    kinds = [(h["kind"], h["from_owner"], h["to_owner"]) for h in card["handovers"]]
    assert kinds == [("release", "李强", None), ("claim", None, "王芳")]
    again = cli("claim", "陈静", env=LI)
    assert again.exit_code == 3
    assert "王芳's" in again.stderr
    assert cards["陈静"] in ids(ok("list", "--owner", "me", "--format", "json", env=WANG))


POOL_SETTINGS = (("pool.return_after.A", "30"), ("pool.return_after.F", "60"))


def pool_book(ok: Run) -> dict[str, int]:
    """Three owned cards added 2026-10-01 and never contacted: an A (back after 30 days, on
    10-31) and two F (60 days: 11-30), one of which is contacted on 11-01; an unowned F."""
    old = {"CLIENTCARD_NOW": "2026-10-01T09:00"}
    cards = {
        "A": add(ok, "阿A", "--owner", "王芳", "--grade", "A", env=old),
        "F": add(ok, "阿F", "--owner", "王芳", env=old),
        "F contacted": add(ok, "阿F2", "--owner", "李强", env=old),
        "pool": add(ok, "池", "--owner", "李强", env=old),
    }
    ok("release", "池", env=old)
    ok("log", "阿F2", "--via", "call", env={"CLIENTCARD_NOW": "2026-11-01T09:00"})
    for key, value in POOL_SETTINGS:
        ok("config", "set", "--book", key, value)
    return cards


def test_pool_sweep_returns_exactly_the_cards_past_their_limit(ok: Run, engine: str) -> None:
    cards = pool_book(ok)
    first = ok("pool", "sweep", "--format", "json", env={"CLIENTCARD_NOW": "2026-11-20T09:00"})
    (row,) = json.loads(first.stdout)
    assert row["client_id"] == cards["A"]
    assert (row["kind"], row["from_owner"], row["to_owner"]) == ("pool", "王芳", None)
    assert row["reason"] == "50 days with no contact since it was added on 2026-10-01"
    again = ok("pool", "sweep", env={"CLIENTCARD_NOW": "2026-11-20T09:00"})
    assert again.stdout.strip() == "No card is past the pool's limit."
    later = ok("pool", "sweep", "--format", "json", env={"CLIENTCARD_NOW": "2026-11-30T09:00"})
    assert [r["client_id"] for r in json.loads(later.stdout)] == [cards["F"]]
    pooled = ids(ok("list", "--owner", "none", "--format", "json"))
    assert sorted(pooled) == sorted([cards["A"], cards["F"], cards["pool"]])
    # A later contact kept 阿F2 until 2026-12-31.
    assert ids(ok("list", "--owner", "李强", "--format", "json")) == [cards["F contacted"]]


def test_a_claimed_card_gets_the_whole_period_again(ok: Run, engine: str) -> None:
    cards = pool_book(ok)
    ok("pool", "sweep", env={"CLIENTCARD_NOW": "2026-11-20T09:00"})
    ok("claim", "阿A", env={**LI, "CLIENTCARD_NOW": "2026-11-21T09:00"})
    swept = ok("pool", "sweep", "--format", "json", env={"CLIENTCARD_NOW": "2026-12-20T09:00"})
    assert cards["A"] not in [r["client_id"] for r in json.loads(swept.stdout)]


def test_claim_takes_a_card_past_its_limit_before_the_sweep(ok: Run, engine: str) -> None:
    cards = pool_book(ok)
    done = ok("claim", "阿A", env={**LI, "CLIENTCARD_NOW": "2026-11-20T09:00"})
    assert "was 王芳's: 50 days with no contact since it was added on 2026-10-01" in done.stdout
    card = json.loads(ok("show", str(cards["A"]), "--format", "json").stdout)
    assert [(h["kind"], h["to_owner"]) for h in card["handovers"]] == [
        ("pool", None),
        ("claim", "李强"),
    ]


def test_the_agenda_warns_the_owner_days_ahead_and_not_before(ok: Run, engine: str) -> None:
    """阿F returns on 2026-11-30: pool.warn_days 7 warns from 11-23 on, not on 11-22."""
    cards = pool_book(ok)
    ok("config", "set", "--book", "pool.return_after.A", "0")

    def warnings(day: str, *args: str, env: dict[str, str] = WANG) -> list[dict[str, Any]]:
        items = due_json(ok, *args, env={**env, "CLIENTCARD_NOW": f"{day}T09:00"})
        return [i for i in items if i["kind"] == "pool_return"]

    assert warnings("2026-11-22") == []
    (item,) = warnings("2026-11-23")
    assert item["client_id"] == cards["F"]
    assert item["reason"] == (
        "returns to the pool in 7 days: no contact since it was added on 2026-10-01"
    )
    assert item["due"] == "2026-11-30"
    assert not item["overdue"]
    (item,) = warnings("2026-11-27")
    assert item["reason"].startswith("returns to the pool in 3 days")
    assert warnings("2026-11-27", env=LI) == []  # not 李强's card
    assert [i["client_id"] for i in warnings("2026-11-27", "--all", env=LI)] == [cards["F"]]
    page = ok("due", env={**WANG, "CLIENTCARD_NOW": "2026-11-27T09:00"}).stdout
    assert "Cards about to return to the pool (1)" in page
    ok("config", "set", "--book", "pool.warn_days", "2")
    assert warnings("2026-11-27") == []
    assert len(warnings("2026-11-28")) == 1
    # A contact keeps the card: no warning.
    ok("log", "阿F", "--via", "call", env={"CLIENTCARD_NOW": "2026-11-28T08:00"})
    assert warnings("2026-11-28") == []


def test_pool_settings_are_checked(cli: Run) -> None:
    result = cli("config", "set", "--book", "pool.return_after.B", "5000")
    assert result.exit_code == 2
    assert "pool.return_after.B must be a whole number from 0 to 3650" in result.stderr


def test_due_mine_and_all_together_are_refused(cli: Run) -> None:
    result = cli("due", "--mine", "--all")
    assert result.exit_code == 2
    assert result.stderr.strip() == "clientcard: give only one of --mine, --all"


def test_list_owner_needs_a_word(cli: Run, tmp_path: Path) -> None:
    result = cli("list", "--owner", " ")
    assert result.exit_code == 2
    assert "--owner needs a person's name, me or none" in result.stderr


def test_edit_owner_is_kept_as_a_change_of_hands(ok: Run, engine: str) -> None:
    """The issue: a handover used to be an `edit --owner` that left no trace."""
    add(ok, "张伟", "--owner", "王芳")
    ok("edit", "张伟", "--owner", "李强", env=WANG)
    ok("edit", "张伟", "--owner", "", env=LI)
    ok("edit", "张伟", "--note", "no owner change", env=LI)
    card = json.loads(ok("show", "张伟", "--format", "json").stdout)
    rows = [(h["kind"], h["from_owner"], h["to_owner"], h["author"]) for h in card["handovers"]]
    assert rows == [("handover", "王芳", "李强", "王芳"), ("release", "李强", None, "李强")]
    assert {h["reason"] for h in card["handovers"]} == {"edit --owner"}


def test_handover_to_a_new_name_gives_the_card_to_that_person(ok: Run, engine: str) -> None:
    team(ok)
    ok("handover", "张伟", "--to", "wang", env=LI)
    card = json.loads(ok("show", "张伟", "--format", "json").stdout)
    assert card["owner"] == "wang"
    last = card["handovers"][-1]
    assert (last["kind"], last["from_owner"], last["to_owner"]) == ("handover", "王芳", "wang")


def test_owner_me_and_none_on_add_and_edit(ok: Run, engine: str) -> None:
    mine = add(ok, "甲", "--owner", "me", env=LI)
    pooled = add(ok, "乙", "--owner", "none", env=LI)
    assert json.loads(ok("show", str(mine), "--format", "json").stdout)["owner"] == "李强"
    assert json.loads(ok("show", str(pooled), "--format", "json").stdout)["owner"] is None
    assert ids(ok("list", "--owner", "none", "--format", "json")) == [pooled]
    ok("edit", str(mine), "--owner", "NONE", env=LI)
    ok("edit", str(pooled), "--owner", "me", env=WANG)
    released = json.loads(ok("show", str(mine), "--format", "json").stdout)
    assert released["owner"] is None
    last = released["handovers"][-1]
    assert (last["kind"], last["from_owner"], last["to_owner"]) == ("release", "李强", None)
    taken = json.loads(ok("show", str(pooled), "--format", "json").stdout)
    assert taken["owner"] == "王芳"
    last = taken["handovers"][-1]
    assert (last["kind"], last["from_owner"], last["to_owner"]) == ("handover", None, "王芳")


@pytest.mark.parametrize(
    ("args", "source"),
    [
        (["handover", "张伟", "--to", "\x1b[31mred"], "--to holds a control character"),
        (["handover", "--from", "a\u200fb", "--to", "李强"], "--from holds an invisible"),
        (["add", "X", "--owner", "a\u202eb"], "--owner holds an invisible"),
        (["add", "X", "--owner", "a\u200bb"], "--owner holds an invisible"),
        (["edit", "张伟", "--owner", "a\u202eb"], "--owner holds an invisible"),
        (["edit", "张伟", "--owner", "a\u2066b"], "--owner holds an invisible"),
        (["add", "X"], "CLIENTCARD_USER holds an invisible"),
    ],
)
def test_a_name_that_hides_or_colours_text_is_refused(
    ok: Run, cli: Run, engine: str, args: list[str], source: str
) -> None:
    team(ok)
    before = ok("list", "--format", "json").stdout
    env = {"CLIENTCARD_USER": "\u200e李强"} if args == ["add", "X"] else LI
    result = cli(*args, env=env)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert source in result.stderr
    assert "\x1b" not in result.stderr
    assert ok("list", "--format", "json").stdout == before
    history = json.loads(ok("show", "张伟", "--format", "json").stdout)["handovers"]
    assert history == []


def test_due_mine_of_nobody_s_cards_says_so_not_an_empty_book(ok: Run, engine: str) -> None:
    add(ok, "甲", "--owner", "王芳", env=WANG)
    add(ok, "乙", "--owner", "李强", env=LI)
    shown = ok("due", "--mine", env={**ZHAO, "CLIENTCARD_NOW": "2026-11-20T09:00"}).stdout
    assert "the book is empty" not in shown
    assert "you own no live card (2 in the book; `due --all` shows everyone's)" in shown
    assert "赵敏" in shown
    machine = ok("due", "--mine", "--format", "json", env=ZHAO).stdout
    assert json.loads(machine) == []


def test_list_owner_of_nobody_says_whose(ok: Run, engine: str) -> None:
    team(ok)
    assert "Nobody named 某人 owns a live card." in ok("list", "--owner", "某人").stdout
    assert "You (赵敏) own no live card." in ok("list", "--owner", "me", env=ZHAO).stdout
    # Another filter to blame: the usual message.
    other = ok("list", "--owner", "李强", "--grade", "A").stdout
    assert "No cards match." in other


def test_the_pool_says_when_its_clock_started(ok: Run, engine: str) -> None:
    """阿F, added 2026-10-01, handed over on 11-01: 60 days from then."""
    cards = pool_book(ok)
    ok("handover", "阿F", "--to", "李强", env={**WANG, "CLIENTCARD_NOW": "2026-11-01T09:00"})
    (item,) = [
        i
        for i in due_json(ok, "--all", env={**LI, "CLIENTCARD_NOW": "2026-12-25T09:00"})
        if i["kind"] == "pool_return" and i["client_id"] == cards["F"]
    ]
    assert item["reason"].endswith("no contact since it was handed over on 2026-11-01")
    swept = ok("pool", "sweep", "--format", "json", env={"CLIENTCARD_NOW": "2027-01-01T09:00"})
    (row,) = [r for r in json.loads(swept.stdout) if r["client_id"] == cards["F"]]
    assert row["reason"] == "61 days with no contact since it was handed over on 2026-11-01"


def test_a_user_named_unknown_owns_cards_and_no_name_stores_null(
    ok: Run, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = add(ok, "甲", env={"CLIENTCARD_USER": "unknown"})
    card = json.loads(ok("show", str(named), "--format", "json").stdout)
    assert (card["owner"], card["created_by"]) == ("unknown", "unknown")

    def nobody() -> str:
        raise OSError("no login name")

    monkeypatch.setattr("getpass.getuser", nobody)
    if engine == "postgresql":
        return  # the database role is a name there
    nameless = add(ok, "乙", env={"CLIENTCARD_USER": ""})
    card = json.loads(ok("show", str(nameless), "--format", "json").stdout)
    assert (card["owner"], card["created_by"], card["updated_by"]) == (None, None, None)
    page = ok("show", str(nameless), env={"CLIENTCARD_USER": ""}).stdout
    assert "by unknown" in page
