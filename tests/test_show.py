"""`show`: the whole card, the page a salesperson reads before a visit (issue 4, part 6)."""

import io
import json
import re
import sys

import pytest
from rich.cells import cell_len

NOW = {"CLIENTCARD_NOW": "2026-11-20T09:00:00"}


@pytest.fixture
def busy(ok) -> None:
    """One card with something of every kind on it."""
    ok("add", "张伟", "--company", "阿里", "--grade", "B", "--phone", "138 0013 8000")
    ok("log", "张伟", "demo at their office", "--via", "visit", "--with", "王秘书",
       "--at", "2026-11-18 10:00")  # fmt: skip
    ok("sale", "张伟", "12000", "--what", "family plan", "--on", "2026-11-18 16:00")
    ok("rate", "张伟", "--credit", "good", "--satisfaction", "4", "--loyalty", "3")
    ok("complaint", "add", "张伟", "invoice was wrong", "--severity", "high")
    ok("promise", "add", "张伟", "send the revised invoice", "--due", "mon")
    ok("date", "add", "张伟", "birthday", "12-03", "--note", "likes tea")
    ok("person", "add", "张伟", "王秘书", "--role", "secretary", "--phone", "021-5555")


def test_the_page_puts_complaints_first_and_shows_every_part_of_the_card(ok, busy) -> None:
    out = ok("show", "张伟").stdout
    lines = out.splitlines()
    assert lines[0] == "#1 张伟 · 阿里 · customer"
    fields = {line[:16].strip(): line[16:].strip() for line in lines[1 : lines.index("")]}
    assert fields["Grade"].startswith("B: would buy")
    assert fields["Value"] == (
        "12,000.00 CNY in the last 12 months; lifetime value 240,000.00 CNY (20 x); "
        "1 sale, 0 repeat orders"
    )
    assert fields["Ratings"] == "credit good, satisfaction 4/5, loyalty 3/5"
    assert fields["Last contact"] == "2026-11-18 16:00"  # issue 11: the sale was a meeting
    assert fields["Keep-rate"] == "no closed promises yet"
    titles = [line for line in lines if line and not line.startswith((" ", "─")) and
              line == line.strip() and "   " not in line and line in {
                  "Open complaints", "Open promises",
                  "Coming occasions (60 days)", "Close contacts", "Recent contacts",
                  "Grade history", "Referred"}]  # fmt: skip
    assert titles == [
        "Open complaints",
        "Open promises",
        "Coming occasions (60 days)",
        "Close contacts",
        "Recent contacts",
        "Grade history",
        "Referred",
    ]
    assert "invoice was wrong" in out
    assert "send the revised invoice" in out
    assert "likes tea" in out
    assert "021-5555" in out
    assert "demo at their office" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [80, 100])
def test_on_a_terminal_the_page_fits_its_width_and_keeps_every_part(
    ok, busy, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    from clientcard.cli.show import show

    screen = Terminal()
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(sys, "stdout", screen)
    show("张伟")
    text = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    assert max(cell_len(line) for line in text.splitlines()) <= width
    for part in ("lifetime value", "invoice was wrong", "likes tea", "021-5555", "secretary"):
        assert part in text.replace("\n", " ") or part in text


def test_the_json_is_complete(ok, busy) -> None:
    data = json.loads(ok("show", "张伟", "--format", "json").stdout)
    assert data["customer"] is True
    assert data["value"]["purchases_12m"] == "12000.00"
    assert data["value"]["lifetime_value"] == "240000.00"
    assert data["ratings"]["credit"] == "good"
    assert [c["what"] for c in data["open_complaints"]] == ["invoice was wrong"]
    assert [p["what"] for p in data["open_promises"]] == ["send the revised invoice"]
    assert [o["kind"] for o in data["upcoming_occasions"]] == ["birthday"]
    assert [(p["name"], p["role"]) for p in data["people"]] == [("王秘书", "secretary")]
    # Issue 11: the sale at 16:00 is a contact too, newest first.
    assert [(c["with"], c["source"]) for c in data["recent_contacts"]] == [
        (None, "sale"),
        ("王秘书", None),
    ]
    assert data["next_followup"]["on"] == "2026-12-02"  # visit and sale on 11-18 + B's 14 days
    assert data["keep_rate"] == {"kept_on_time": 0, "counted": 0, "rate": None}
    assert [h["to_grade"] for h in data["grade_history"]] == ["B"]
