"""`report all` and its HTML page (docs/reports.md#one-page): every report of REPORTS in its
order, as tables, as one JSON object, or as one self-contained page: it parses, has every
section with its chart (inline SVG from pygal, or a shaded table for a heat map) and its
numbers as text, no script, nothing fetched, user text escaped, an A4 print rule; and, where a
headless Chromium is installed, the browser renders and prints it without an error."""

import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clientcard.cli.reports import app as report_app
from clientcard.domain.reports import (
    Chart,
    ChartKind,
    Col,
    Kind,
    Period,
    Report,
    Section,
)
from clientcard.output import report_html
from clientcard.services.reports import REPORTS

pytestmark = pytest.mark.usefixtures("migrated")

NOW = {"CLIENTCARD_NOW": "2026-11-20T09:00", "TZ": "Asia/Shanghai"}
MARKUP = '<script>alert("x")</script> & <b>Bold</b>'
CJK = "张伟·欧阳"


class Page(HTMLParser):
    """What the tests read of a page: its tags, attributes, text, and figures."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def sample_reports() -> list[Report]:
    """A report with every chart kind, CJK and markup-like names among its labels."""
    period = Period(date(2026, 8, 23), date(2026, 11, 20), "month")
    text = Kind.text
    sections = (
        Section(
            "steps",
            "The ladder",
            (Col("grade", "Grade", text), Col("cards", "Cards")),
            (("A", 3), ("B", 7), ("F-new", 50)),
            Chart(ChartKind.funnel, "grade", ("cards",)),
        ),
        Section(
            "top",
            "Top clients",
            (Col("name", "Name", text), Col("value", "Value", Kind.money)),
            ((CJK, 1_234_560), (MARKUP, 99)),
            Chart(ChartKind.bars, "name", ("value",)),
            notes=(f"Note about {MARKUP}",),
        ),
        Section(
            "channels",
            "Visits and remote",
            (Col("who", "Who", text), Col("visits", "Visits"), Col("remote", "Remote")),
            (("王芳", 4, 6), ("Zoë", 0, 2)),
            Chart(ChartKind.stacked, "who", ("visits", "remote")),
        ),
        Section(
            "weeks",
            "By month",
            (
                Col("month", "Month", text),
                Col("contacts", "Contacts"),
                Col("sales", "Sales", Kind.money),
                Col("kept", "Kept", Kind.share),
            ),
            (("2026-08", 10, 500, 0.5), ("2026-09", 12, 700, None), ("2026-10", 8, 0, 1.0)),
            Chart(ChartKind.spark, "month", ("contacts", "sales")),
        ),
        Section(
            "times",
            "Response times",
            (
                Col("cause", "Cause", text),
                Col("low", "Fastest", Kind.days),
                Col("high", "Slowest", Kind.days),
            ),
            (("delivery", 1, 4.5), ("quality", 2, 9)),
            Chart(ChartKind.range, "cause", ("low", "high")),
        ),
        Section(
            "matrix",
            "Moves",
            (Col("from", "From", text), Col("to_a", "To A"), Col("to_b", "To B")),
            (("A", 0, 3), ("B", 5, 0)),
            Chart(ChartKind.heat, "from", ("to_a", "to_b")),
        ),
        Section(
            "nothing",
            "Nothing here",
            (Col("k", "K", text), Col("n", "N")),
            (),
            Chart(ChartKind.bars, "k", ("n",)),
            empty="No rows at all.",
        ),
    )
    return [Report("sample", f"Sample {MARKUP}", period, "CNY", sections, notes=(CJK,))]


def check_page(text: str) -> Page:
    """What every page must be: self-contained, scriptless, escaped, printable on A4."""
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>")
    (html,) = page.all("html")
    assert html["lang"] == "en"
    assert page.all("title")
    # No JavaScript: no script element, no handler, no javascript: URL.
    assert not page.all("script")
    assert "<script" not in text.lower()
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE)
    assert "javascript:" not in text.lower()
    # Nothing fetched: no outside address at all, no link, image, font or import.
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|file:", text, re.IGNORECASE)
    for tag in ("link", "img", "iframe", "object", "embed", "image", "use"):
        assert not page.all(tag), tag
    for rule in ("@import", "@font-face", "url("):
        assert rule not in text, rule
    for _tag, attrs in page.tags:
        for name in ("href", "src", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (name, value)
    policy = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy
    assert "default-src 'none'" in (policy[0]["content"] or "")
    # Prints on A4.
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", text)
    assert "break-inside: avoid" in text
    # Every chart is an image with a name and a description, inside a figure with a caption.
    for svg in page.all("svg"):
        assert svg["role"] == "img"
        assert svg.get("aria-labelledby")
        assert svg.get("aria-describedby")
        assert "width" not in svg  # it scales to the page (viewBox)
        assert "height" not in svg
        assert svg.get("viewbox")
    assert len(page.all("figcaption")) == len(page.all("figure"))
    return page


def test_every_chart_kind_is_drawn_with_its_numbers_in_text() -> None:
    reports = sample_reports()
    text = report_html.page(
        reports, now=datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    page = check_page(text)
    words = page.words
    assert "Clientcard reports, 2026-08-23 to 2026-11-20" in words
    # One figure per section with rows; the spark draws counts and money apart; heat is a table.
    figures = [f["id"] for f in page.all("figure")]
    assert figures == [
        "sample-steps-chart",
        "sample-top-chart",
        "sample-channels-chart",
        "sample-weeks-chart",
        "sample-times-chart",
        "sample-matrix-chart",
    ]
    assert len(page.all("svg")) == 6  # funnel, bars, stacked, 2 lines, range
    assert "No rows at all." in words
    # Every number is on the page as text, in the tables and in the charts' descriptions.
    for number in ("50", "12,345.60", "0.99", "4.5", "9", "5"):
        assert number in words
    assert "Grade F-new: Cards 50" not in words  # the description reads label: values
    assert "F-new: Cards 50" in words
    assert "王芳: Visits 4, Remote 6" in words
    assert f"{CJK}: Value 12,345.60 CNY" in words
    # Every section has its table of numbers (the heat map's is its figure).
    assert len(page.all("table")) == 6
    # The heat map shades its cells, darkest the largest.
    assert 'style="background:rgba(47,111,159,1.00)' in text
    # User text is escaped everywhere: the markup-like name is text, never a tag.
    assert MARKUP in words
    assert not any(t == "b" for t, _ in page.tags)
    assert "&lt;script&gt;" in text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in text
    assert CJK in words
    # The same reports make the same page (pygal's random ids are replaced).
    assert report_html.page(reports) == report_html.page(reports)


def test_report_all_is_every_report_in_order(ok: Any, cli: Any) -> None:
    """REPORTS names every `report NAME` command, in the order `report all` gives them."""
    commands = [c.name for c in report_app.registered_commands if c.name != "all"]
    assert sorted(commands) == sorted(REPORTS)
    ok("add", CJK, "-q", env=NOW)
    ok("add", MARKUP, "-q", env=NOW)
    ok("log", "1", "--via", "visit", env=NOW)
    table = ok("report", "all", env={**NOW, "COLUMNS": "80"}).stdout
    assert all(len(line) <= 80 for line in table.splitlines())
    for name in REPORTS:
        single = ok("report", name, env={**NOW, "COLUMNS": "80"}).stdout
        assert single.strip() in table
    found = json.loads(ok("report", "all", "-f", "json", env=NOW).stdout)
    assert list(found) == list(REPORTS)
    for name in REPORTS:
        alone = json.loads(ok("report", name, "-f", "json", env=NOW).stdout)
        assert found[name] == alone


def test_the_page_has_every_report_and_section(ok: Any, tmp_path: Path) -> None:
    ok("add", CJK, "-q", env=NOW)
    ok("add", MARKUP, "--company", MARKUP, "-q", env=NOW)
    ok("log", "2", "--via", "visit", env=NOW)
    target = tmp_path / "week.html"
    assert ok("report", "all", "--html", str(target), env=NOW).stdout == ""
    text = target.read_text("utf-8")
    assert text == ok("report", "all", "--html", "-", env=NOW).stdout
    page = check_page(text)
    assert "Clientcard reports, 2026-08-23 to 2026-11-20" in page.words
    data = json.loads(ok("report", "all", "-f", "json", env=NOW).stdout)
    ids = {attrs.get("id") for _, attrs in page.tags}
    from clientcard.cli.reports import build_all

    charted = {
        (report.name, section.name)
        for report in build_all(None, None, None)
        for section in report.sections
        if section.chart is not None and section.rows
    }
    assert len(charted) >= len(REPORTS)
    for name in REPORTS:
        assert name in ids
        for section in data[name]["sections"]:
            assert f"{name}-{section}" in ids
            assert (f"{name}-{section}-chart" in ids) == ((name, section) in charted)
    assert not list(tmp_path.glob(".export-*"))  # the temporary file was renamed
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--html", "{tmp}"], "it is a folder"),
        (["--html", "/dev/null"], "not a regular file"),
        (["--html", ""], "an empty file name"),
        (["--html", "{tmp}/x.html", "-f", "json"], "give one"),
        (["-f", "csv"], "report all writes table or json"),
        (["--since", "2026-11-10", "--until", "2026-11-01"], "starts after it ends"),
        (["--by", "day"], "--by must be"),
    ],
)
def test_report_all_refuses_in_one_line(
    cli: Any, tmp_path: Path, args: list[str], says: str
) -> None:
    result = cli("report", "all", *[a.format(tmp=tmp_path) for a in args], env=NOW)
    assert result.exit_code == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_a_failed_page_leaves_the_old_file(
    ok: Any, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "week.html"
    target.write_text("last week")
    target.chmod(0o640)

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("drawing failed")

    # Only the page is patched back, never the whole monkeypatch: undo() would also drop
    # conftest's isolation and send the next command to the user's own book.
    with monkeypatch.context() as patched:
        patched.setattr(report_html, "page", broken)
        assert cli("report", "all", "--html", str(target), env=NOW).exit_code != 0
    assert target.read_text() == "last week"
    assert not list(tmp_path.glob(".export-*"))
    ok("report", "all", "--html", str(target), env=NOW)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert target.stat().st_mode & 0o777 == 0o640  # its permissions are kept


def browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def test_a_browser_renders_and_prints_the_page(tmp_path: Path) -> None:
    """Skipped without a headless Chromium, but not where CLIENTCARD_REQUIRE_BROWSER is set
    (.ci/run installs Debian's chromium and sets it)."""
    chromium = browser()
    if chromium is None:
        if os.environ.get("CLIENTCARD_REQUIRE_BROWSER"):
            pytest.fail("CLIENTCARD_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("no headless Chromium installed")
    source = tmp_path / "page.html"
    source.write_text(report_html.page(sample_reports()), "utf-8")
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", source.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    # The browser built the page: every figure and chart is in its DOM.
    assert dom.stdout.count("<figure") == 6
    assert dom.stdout.count("<svg") == 6
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert "Refused to" not in dom.stderr  # the page asked for nothing its policy forbids
    pdf = tmp_path / "page.pdf"
    printed = subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF")
    # Every page is A4: 595 x 842 points (Chromium writes 594.96 x 841.92).
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", head)
    assert boxes
    assert all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)


def test_postgresql_gives_the_same_reports_and_page(ok: Any, postgres_url: str) -> None:
    for db in ((), ("--db", postgres_url)):
        ok(*db, "add", CJK, "-q", env=NOW)
        ok(*db, "add", MARKUP, "-q", env=NOW)
        ok(*db, "log", "2", "--via", "visit", env=NOW)
    sqlite = ok("report", "all", "-f", "json", env=NOW).stdout
    assert ok("--db", postgres_url, "report", "all", "-f", "json", env=NOW).stdout == sqlite
    page = ok("report", "all", "--html", "-", env=NOW).stdout
    assert ok("--db", postgres_url, "report", "all", "--html", "-", env=NOW).stdout == page


def test_a_chart_axis_counts_in_whole_numbers_and_shares_to_100_percent() -> None:
    from clientcard.domain.reports import Col, Kind

    counts = report_html._scale([Col("n", "N")], [[0, 1, 2]])
    assert counts["y_labels"] == [0, 1, 2, 3]  # never 0.5
    big = report_html._scale([Col("n", "N")], [[0, 1234]])["y_labels"]
    assert all(isinstance(t, int) for t in big)
    assert big[-1] >= 1234
    shares = report_html._scale([Col("r", "R", Kind.share)], [[0.5, 0.25]])
    assert shares["range"] == (0, 1)
    assert report_html._scale([Col("m", "M", Kind.money)], [[1]]) == {}


def test_the_svg_has_one_title_of_its_own(ok: Any) -> None:
    ok("add", CJK, "-q", env=NOW)
    page = ok("report", "all", "--html", "-", env=NOW).stdout
    assert "<title>Pygal</title>" not in page
    assert "Keep-rate: Keep-rate" not in page
