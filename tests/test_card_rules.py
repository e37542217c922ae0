"""Issue 11, points 6, 7 and 12: what a card's own commands refuse or leave alone.

- `archive` refuses while promises, complaints or a thank-you are still open, and lists them;
  `--cancel-open` cancels them with the reason "archived". `delete` lists them in its refusal.
- No empty history: `rate` and `edit` with values the card already has write nothing and say
  "Unchanged", exit 0.
- Duplicates at the door: a phone or e-mail already on a live card is refused by `add` and `edit`
  unless `--allow-duplicate`; a name already in the book warns; `CLIENT` is also a phone number.

Now is pinned to Friday 2026-11-20 09:00 in Shanghai (UTC+8); stored in UTC as
"2026-11-20 01:00:00.000000".
"""

# Issue 12 point 4: records other than cards print with their kind's letter (complaint C1,
# sale S1, date D1, holiday H1, close contact K1, promise P1; domain/refs.py): updated below.
import json
from typing import Any

import pytest

from helpers import (
    NOW_UTC,
    ZHANG,
    add,
    assert_error,
    at,
    complaint,
    complaint_row,
    complaint_steps,
    keep_rate,
    promise,
    promise_events,
    promise_status,
    sale,
)
from test_query_plans import full_scans

pytestmark = pytest.mark.usefixtures("migrated")

LATER = at("2026-11-21T10:00")  # Saturday 10:00; stored 2026-11-21 02:00 UTC
LATER_UTC = "2026-11-21 02:00:00.000000"


def due_kinds(ok, *options: str) -> list[tuple[str, str]]:
    items = json.loads(ok("due", "--week", "--format", "json", *options).stdout)
    return [(i["kind"], i["client"]) for i in items]


def client_row(query, client_id: int = 1) -> tuple[Any, ...]:
    return query(
        "SELECT archived_at, updated_at, thanks_due_at, thanks_since FROM client WHERE id = ?",
        (client_id,),
    )[0]


@pytest.fixture
def busy(ok, zhang: int) -> None:
    """张伟 with everything that can be open: a deliverable, an appointment, an urgent complaint
    and the thank-you of today's sale (due by Sunday 2026-11-22)."""
    promise(ok, "1", "送报价", "--due", "mon")  # #1, Monday 2026-11-23
    promise(ok, "1", "续约会谈", "--at", "tue 15:00", "--where", "their office")  # #2
    complaint(ok, "1", "货到晚了三天", "--severity", "urgent")  # #1
    sale(ok, "1", "12000")


BUSY = (
    "2 open promises (P1 送报价, due 2026-11-23; P2 续约会谈, at 2026-11-24 15:00), "
    "1 open complaint (C1 货到晚了三天, urgent) and a thank-you due by 2026-11-22"
)


# ---- archive: what is still open ----------------------------------------------------------


def test_archive_refuses_and_lists_what_is_open(cli, ok, busy, snapshot) -> None:
    before = snapshot()
    assert_error(
        cli("archive", "张伟"),
        3,
        f"#1 张伟 still has {BUSY}; settle them first, or add --cancel-open to cancel them with "
        "the card (the promises as cancelled by you, which counts against your keep-rate: "
        "cancel one the client called off with `clientcard promise cancel ID --by client` first)",
    )
    assert snapshot() == before
    # So `due` still shows all of it: nothing is hidden silently (the drift in the issue).
    kinds = {k for k, _ in due_kinds(ok)}
    assert {"promise", "appointment", "complaint", "thanks"} <= kinds


@pytest.mark.parametrize(
    ("setup", "listed"),
    [
        (
            ["promise", "add", "1", "送报价", "--due", "mon"],
            "1 open promise (P1 送报价, due 2026-11-23)",
        ),
        (["complaint", "add", "1", "坏了", "-s", "low"], "1 open complaint (C1 坏了, low)"),
        (["sale", "1", "100"], "a thank-you due by 2026-11-22"),
    ],
)
def test_each_kind_alone_stops_an_archive(cli, ok, zhang, setup, listed) -> None:
    ok(*setup)
    result = cli("archive", "1")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"clientcard: #1 张伟 still has {listed}; settle them first")


def test_archive_cancel_open_cancels_everything_as_archived(ok, query, busy) -> None:
    out = ok("archive", "张伟", "--cancel-open", env=LATER).stdout
    assert out == (
        "Archived #1 张伟 · 阿里 · grade A · customer · archived; cancelled promises P1, P2 "
        "(by you: counted against your keep-rate), complaint C1, the pending thank-you\n"
    )
    # Promises: cancelled by me, with the reason, as `promise cancel --by me` records it.
    for promise_id in (1, 2):
        assert promise_status(query, promise_id) == ("cancelled_by_me", 0, LATER_UTC)
        assert promise_events(query, promise_id)[-1] == (
            "cancelled",
            LATER_UTC,
            None,
            None,
            None,
            "me",
            0,
            "archived",
        )
    assert keep_rate(ok) == "0% (0 of 2 kept on time)"
    # The complaint: cancelled, neither open nor resolved, with a timeline entry.
    row = complaint_row(query)
    assert (row[3], row[5], row[6], row[7], row[8]) == ("cancelled", None, None, None, None)
    assert complaint_steps(query)[-1] == ("cancelled", LATER_UTC, "archived", None)
    # The thank-you: cleared.
    assert client_row(query) == (LATER_UTC, LATER_UTC, None, None)
    assert due_kinds(ok) == []


def test_a_promise_the_client_called_off_is_spared_from_the_keep_rate(ok, busy) -> None:
    ok("promise", "cancel", "2", "--by", "client")
    out = ok("archive", "1", "--cancel-open").stdout
    assert "cancelled promise P1 (by you: counted against your keep-rate), complaint C1" in out
    assert keep_rate(ok) == "0% (0 of 1 kept on time)"


def test_cancelled_stays_cancelled_after_unarchive(ok, query, busy) -> None:
    ok("archive", "1", "--cancel-open")
    ok("unarchive", "1")
    assert due_kinds(ok) == []  # its follow-up, a week after today, is beyond --week
    assert ok("promise", "list", "1").stdout.startswith("No open promises")


def test_archive_without_anything_open_needs_no_option(ok, query, zhang) -> None:
    promise(ok, "1", "send the quote", "--due", "mon")
    ok("promise", "done", "1")
    assert ok("archive", "1").stdout == "Archived #1 张伟 · 阿里 · grade A · archived\n"
    # --cancel-open on a card with nothing open just archives it.
    add(ok, "Li Na")
    assert (
        ok("archive", "Li Na", "--cancel-open").stdout == "Archived #2 Li Na · grade F · archived\n"
    )


def test_archiving_an_archived_card_is_still_refused(cli, ok, busy) -> None:
    ok("archive", "1", "--cancel-open")
    assert_error(cli("archive", "1", "--cancel-open"), 3, "#1 张伟 is already archived")


def test_a_long_list_is_cut(cli, ok, zhang) -> None:
    for n in range(7):
        promise(ok, "1", f"p{n}", "--due", "mon")
    result = cli("archive", "1")
    assert "7 open promises (P1 p0, due 2026-11-23; " in result.stderr
    assert "P5 p4, due 2026-11-23; and 2 more)" in result.stderr
    assert "P6 p5" not in result.stderr


# ---- the cancelled complaint ----------------------------------------------------------------


def test_a_cancelled_complaint_is_listed_with_all_but_not_open(ok, busy) -> None:
    ok("archive", "1", "--cancel-open", env=LATER)
    assert json.loads(ok("complaint", "list", "-f", "json").stdout) == []
    rows = json.loads(ok("complaint", "list", "--all", "-f", "json").stdout)
    assert [(r["id"], r["status"], r["past_target"]) for r in rows] == [(1, "cancelled", None)]
    page = json.loads(ok("complaint", "show", "1", "-f", "json").stdout)
    assert [(s["kind"], s["text"]) for s in page["timeline"]] == [
        ("received", "货到晚了三天"),
        ("cancelled", "archived"),
    ]
    shown = ok("complaint", "show", "1").stdout
    assert "Status          cancelled\n" in shown
    assert "First response  none\n" in shown
    assert "Resolution      cancelled 2026-11-21 10:00 (archived), never resolved\n" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["complaint", "step", "1", "called"],
        ["complaint", "resolve", "1", "--result", "refund"],
        ["complaint", "reopen", "1"],
    ],
)
def test_a_cancelled_complaint_takes_no_more_steps(cli, ok, busy, snapshot, args) -> None:
    ok("archive", "1", "--cancel-open")
    ok("unarchive", "1")
    before = snapshot()
    assert_error(
        cli(*args),
        3,
        "complaint C1 was cancelled when its card was archived; if the client still complains, "
        "record it again with `clientcard complaint add`",
    )
    assert snapshot() == before


# ---- delete lists what is open --------------------------------------------------------------


def test_delete_without_yes_lists_what_is_open(cli, busy, snapshot) -> None:
    before = snapshot()
    assert_error(
        cli("delete", "1"),
        3,
        f"deleting #1 张伟 removes the card and its history for good, with {BUSY}; add --yes to "
        "confirm (or `clientcard archive` to hide it)",
    )
    assert snapshot() == before


def test_delete_of_a_card_with_nothing_open_says_as_before(cli, zhang) -> None:
    assert_error(
        cli("delete", "1"),
        3,
        "deleting #1 张伟 removes the card and its history for good; add --yes to confirm "
        "(or `clientcard archive` to hide it)",
    )


# ---- no empty history -------------------------------------------------------------------------


def test_the_same_rating_twice_records_one_change(ok, query, zhang) -> None:
    ok("rate", "1", "--satisfaction", "4")
    out = ok("rate", "1", "--satisfaction", "4", env=LATER).stdout
    assert out == f"Unchanged {ZHANG}: satisfaction 4/5 already; nothing recorded\n"
    assert query("SELECT count(*) FROM rating_change") == [(1,)]
    assert client_row(query)[1] == NOW_UTC  # updated_at did not move


def test_a_rating_with_one_value_new_records_only_that_one(ok, query, zhang) -> None:
    ok("rate", "1", "--credit", "good", "--satisfaction", "4")
    out = ok("rate", "1", "--credit", "good", "--satisfaction", "5", "-r", "survey").stdout
    assert out == (
        f"Rated {ZHANG}: credit good (unchanged), satisfaction 5/5 (was 4/5), loyalty not rated\n"
    )
    assert query("SELECT credit, satisfaction, loyalty, reason FROM rating_change ORDER BY id") == [
        ("good", 4, None, None),
        (None, 5, None, "survey"),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--owner", "王芳"],
        ["--company", " 阿里 "],  # trimmed, it is the same
        ["--phone", "138 0013 8000", "--owner", "王芳"],
        ["--tag", "vip"],
        ["--remove-tag", "never-there"],
        ["--remove-tag", "VIP", "--tag", "vip"],  # removed, then added back: where it was
        ["--name", "张伟"],
        ["--referred-by", "Li Na"],
        ["--note", ""],  # clearing an empty field
    ],
)
def test_edit_to_what_the_card_has_writes_nothing(ok, query, snapshot, args) -> None:
    add(ok, "Li Na")
    add(ok, "张伟", "--company", "阿里", "--phone", "138 0013 8000", "--owner", "王芳", "-t", "vip")
    ok("edit", "2", "--referred-by", "Li Na")
    before = snapshot()
    out = ok("edit", "张伟", *args, env=LATER).stdout
    assert out == (
        "Unchanged #2 张伟 · 阿里 · grade F · tags vip: the card already has every value given\n"
    )
    assert snapshot() == before


def test_edit_tags_write_only_the_difference(ok, query, zhang) -> None:
    ok("edit", "1", "--tag", "vip", "--tag", "expo")
    out = ok("edit", "1", "--remove-tag", "expo", "--tag", "vip", "--tag", "golf").stdout
    assert out == "Updated #1 张伟 · 阿里 · grade A · tags golf,vip\n"
    assert query("SELECT tag FROM client_tag ORDER BY tag") == [("golf",), ("vip",)]


def test_edit_with_one_new_value_updates(ok, query, zhang) -> None:
    ok("edit", "1", "--owner", "王芳")
    out = ok("edit", "1", "--owner", "王芳", "--title", "经理", env=LATER).stdout
    assert out == "Updated #1 张伟 · 阿里 · grade A\n"
    assert query("SELECT owner, title, updated_at FROM client") == [("王芳", "经理", LATER_UTC)]


def test_person_edit_to_what_they_have_writes_nothing(ok, snapshot, zhang) -> None:
    ok("person", "add", "1", "王芳", "--role", "assistant", "--phone", "139 1111 2222")
    before = snapshot()
    out = ok("person", "edit", "1", "--role", "assistant", "--phone", "139 1111 2222").stdout
    assert out.startswith("Unchanged ")
    assert out.endswith(f" of {ZHANG}\n")
    assert snapshot() == before
    out = ok("person", "edit", "1", "--role", "secretary").stdout
    assert out.startswith("Updated ")
    assert snapshot() != before


def test_regrading_to_the_same_grade_stays_refused(cli, zhang) -> None:
    assert_error(cli("grade", "1", "A", "--reason", "again"), 3, "#1 张伟 is already grade A")


# ---- duplicates at the door -------------------------------------------------------------------


@pytest.fixture
def maria(ok) -> int:
    return add(
        ok, "Maria Chen", "--company", "Acme", "--phone", "138 0013 8000", "--email", "m@acme.cn"
    )


MARIA = "#1 Maria Chen (Acme), phone 138 0013 8000"
ALLOW = (
    "; if this is the same client, use that card (or `clientcard edit` it); if not, add "
    "--allow-duplicate"
)


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "\uff11\uff13\uff18\uff10\uff10\uff11\uff13\uff18\uff10\uff10\uff10",  # full width
    ],
)
def test_the_same_phone_however_typed_is_refused(cli, query, maria, phone) -> None:
    assert_error(
        cli("add", "Zhang Wei", "--phone", phone),
        3,
        f"the phone {phone} is already on {MARIA}{ALLOW}",
    )
    assert query("SELECT count(*) FROM client") == [(1,)]


def test_the_same_email_in_any_case_is_refused(cli, maria) -> None:
    assert_error(
        cli("add", "Zhang Wei", "--email", "M@ACME.cn"),
        3,
        f"the e-mail M@ACME.cn is already on {MARIA}{ALLOW}",
    )


def test_phone_and_email_both_named(cli, maria) -> None:
    result = cli("add", "X", "--phone", "13800138000", "--email", "m@acme.cn")
    assert result.exit_code == 3
    assert f"the phone 13800138000 is already on {MARIA}; the e-mail m@acme.cn is" in result.stderr


def test_another_country_is_another_phone(ok, maria) -> None:
    add(ok, "Tom", "--phone", "+1 138 0013 8000")


def test_allow_duplicate_adds_and_warns(ok, query, maria) -> None:
    result = ok("add", "Maria Chen", "--phone", "13800138000", "--allow-duplicate")
    assert result.stdout == "Added #2 Maria Chen · grade F\n"
    assert result.stderr == (
        f"clientcard: warning: the phone 13800138000 is also on {MARIA}\n"
        f"clientcard: warning: Maria Chen is already in the book: {MARIA}\n"
    )
    assert query("SELECT phone_key FROM client ORDER BY id") == [("8613800138000",)] * 2


def test_a_phone_on_an_archived_card_warns_only(ok, maria) -> None:
    ok("archive", "1")
    result = ok("add", "Zhang Wei", "--phone", "13800138000")
    assert result.stderr == (
        f"clientcard: warning: the phone 13800138000 is also on {MARIA}, archived; "
        "`clientcard unarchive 1` if it is the same client\n"
    )


def test_a_name_already_in_the_book_is_added_with_a_warning(ok, query) -> None:
    add(ok, "张伟", "--company", "阿里", "--phone", "138 0013 8000")
    add(ok, "张伟", "--company", "腾讯")
    result = ok("add", "张伟")
    assert result.stdout == "Added #3 张伟 · grade F\n"
    assert result.stderr == (
        "clientcard: warning: 张伟 is already in the book: #1 张伟 (阿里), phone 138 0013 8000; "
        "#2 张伟 (腾讯), no phone\n"
    )
    assert query("SELECT count(*) FROM client") == [(3,)]


def test_a_name_in_another_case_warns_and_quiet_still_prints_the_id(ok) -> None:
    add(ok, "Li Na")
    result = ok("add", "LI NA", "-q")
    assert result.stdout == "2\n"
    assert (
        result.stderr == "clientcard: warning: LI NA is already in the book: #1 Li Na, no phone\n"
    )


def test_a_new_name_adds_silently(ok, maria) -> None:
    assert ok("add", "Zhang Wei", "--phone", "139 0000 0000").stderr == ""


def test_edit_to_another_cards_phone_is_refused(cli, ok, query, maria, snapshot) -> None:
    add(ok, "Zhang Wei")
    before = snapshot()
    assert_error(
        cli("edit", "Zhang Wei", "--phone", "+86 13800138000"),
        3,
        f"the phone +86 13800138000 is already on {MARIA}{ALLOW}",
    )
    assert snapshot() == before
    ok("edit", "Zhang Wei", "--phone", "+86 13800138000", "--allow-duplicate")
    assert query("SELECT phone FROM client WHERE id = 2") == [("+86 13800138000",)]


def test_edit_of_a_cards_own_phone_spacing_is_not_a_duplicate(ok, maria) -> None:
    result = ok("edit", "1", "--phone", "13800138000")
    assert (result.stdout, result.stderr) == ("Updated #1 Maria Chen · Acme · grade F\n", "")


def test_edit_to_a_name_already_in_the_book_warns(ok, maria) -> None:
    add(ok, "Zhang Wei")
    result = ok("edit", "Zhang Wei", "--name", "maria chen")
    assert result.stderr == f"clientcard: warning: maria chen is already in the book: {MARIA}\n"


def test_import_is_history_and_not_checked(ok, tmp_path, maria) -> None:
    path = tmp_path / "more.csv"
    path.write_text("name,phone\nMaria Chen,13800138000\n", encoding="utf-8")
    assert ok("import", str(path)).stderr == ""


# ---- CLIENT by phone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "(138) 0013 8000"],
)
def test_a_client_is_found_by_its_phone(ok, maria, typed) -> None:
    add(ok, "Other")
    assert ok("show", typed, "-f", "json").stdout.count('"name": "Maria Chen"') == 1
    ok("log", typed, "called", "--via", "call")
    assert ok("contacts", "Maria").stdout.count("called") == 1


def test_an_id_stays_an_id(ok) -> None:
    add(ok, "A", "--phone", "12345")
    add(ok, "B")
    assert json.loads(ok("show", "2", "-f", "json").stdout)["name"] == "B"
    # A number that is no id is tried as a phone.
    assert json.loads(ok("show", "12345", "-f", "json").stdout)["name"] == "A"


def test_a_shared_phone_is_ambiguous_and_lists_the_cards(cli, ok, maria) -> None:
    add(ok, "Maria Chen", "--company", "Beta", "--phone", "13800138000", "--allow-duplicate")
    assert_error(
        cli("show", "138 0013 8000"),
        1,
        "'138 0013 8000' matches 2 cards: #1 Maria Chen (Acme) grade F; #2 Maria Chen (Beta) "
        "grade F; use the id",
    )
    # The live one wins over an archived one, as for names.
    ok("archive", "1")
    assert json.loads(ok("show", "138 0013 8000", "-f", "json").stdout)["id"] == 2


def test_an_unknown_phone_is_not_found(cli, maria) -> None:
    assert_error(
        cli("show", "139 0000 0000"),
        1,
        "no card matches '139 0000 0000'; try `clientcard list --search 139 0000 0000`",
    )


def test_referred_by_a_phone(ok, query, maria) -> None:
    add(ok, "Zhang Wei", "--referred-by", "138 0013 8000")
    assert query("SELECT referred_by_id FROM client WHERE id = 2") == [(1,)]


def test_a_warning_shows_a_hostile_name_safely(ok) -> None:
    add(ok, "A\x1b[31mB", "--company", "C\u202eD")
    result = ok("add", "a\x1b[31mb")
    assert result.stderr == (
        "clientcard: warning: a\\x1b[31mb is already in the book: #1 A\\x1b[31mB (C\\u202eD), "
        "no phone\n"
    )


# ---- read through indexes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["add", "Maria Chen", "--phone", "139 0000 0000", "--email", "new@acme.cn"],
        ["add", "X", "--phone", "13800138000", "--allow-duplicate"],
        ["edit", "1", "--phone", "139 0000 0001", "--email", "other@acme.cn", "--name", "Li"],
        ["show", "138 0013 8000"],
        ["log", "+86 138-0013-8000", "--via", "call"],
        ["archive", "1", "--cancel-open"],
    ],
    ids=" ".join,
)
def test_the_door_and_the_phone_lookup_read_through_indexes(
    ok, cli, db_path, maria, statements, command
) -> None:
    add(ok, "Li")
    promise(ok, "1", "send the quote", "--due", "mon")
    complaint(ok, "1", "late")
    statements.clear()
    assert cli(*command).exit_code == 0
    assert statements, "the probe saw no statement: it would prove nothing"
    assert full_scans(db_path, statements) == []
