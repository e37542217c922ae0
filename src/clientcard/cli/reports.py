"""`clientcard report funnel|movement|activity|promises|complaints|customers|stale|all`: the
cards analysed (docs/reports.md). Each command reads its options, calls its report's service
(services/reports/) in a read-only transaction, and writes the `Report` through
output/reports.py."""

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from clientcard.cli._common import RawOption, now, session, settings, write_file
from clientcard.i18n import _
from clientcard.output import Format

if TYPE_CHECKING:
    from datetime import datetime

    from clientcard.domain.reports import Period, Report
    from clientcard.domain.settings import Settings

app = typer.Typer(
    name="report",
    help="Reports on the book: the funnel, grade movement, activity, promises, complaints, "
    "customers and stale cards, as charts, tables, json, csv or one HTML page.",
    no_args_is_help=True,
)

SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WHEN",
        help="The period's first day (default: 89 days before --until, 90 days in all).",
        show_default=False,
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="WHEN",
        help="The period's last day (default: today).",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="STEP",
        help="The time axis: week or month (default: week for 90 days or less, else month).",
        show_default=False,
    ),
]
ReportFormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output: charts and tables for people, json (every section), csv or tsv (one "
        "section: --section).",
    ),
]
SectionOption = Annotated[
    str | None,
    typer.Option(
        "--section",
        metavar="NAME",
        help="csv, tsv: which section to write (default: the report's first; docs/reports.md "
        "lists them).",
        show_default=False,
    ),
]


def run(
    name: str,
    since: str | None,
    until: str | None,
    by: str | None,
    fmt: Format,
    section: str | None,
    raw: bool,
    **options: Any,
) -> None:
    """Build report `name` over the period typed and write it in the format asked for."""
    report = build(name, since, until, by, **options)
    write([report], fmt, section=section, raw=raw)


def build(
    name: str,
    since: str | None,
    until: str | None,
    by: str | None,
    **options: Any,
) -> "Report":
    """Report `name` over the period typed (its time axis: `_period`)."""
    when = now()
    with session(write=False) as s:
        mine = settings(s)
        span = _period(since, until, by, name, now=when, settings=mine)
        s.for_scans()
        return _maker(name)(s, span, now=when, settings=mine, **options)


def build_all(since: str | None, until: str | None, by: str | None) -> "list[Report]":
    """Every report of services/reports REPORTS, in its order, each with its default options,
    over the same period, in one read-only transaction (one moment of the book), each on its
    own time axis (`_period`)."""
    from clientcard.services.reports import REPORTS

    when = now()
    with session(write=False) as s:
        mine = settings(s)
        spans = {n: _period(since, until, by, n, now=when, settings=mine) for n in REPORTS}
        s.for_scans()
        return [_maker(name)(s, spans[name], now=when, settings=mine) for name in REPORTS]


def _period(
    since: str | None,
    until: str | None,
    by: str | None,
    name: str,
    *,
    now: "datetime",
    settings: "Settings",
) -> "Period":
    """The period typed, and report `name`'s time axis: none when its module says
    `AXIS = False` (the funnel: `--by` is not asked of it); else `--by`, else the module's
    `DEFAULT_BY` (complaints: month), else weeks for up to 92 days and months beyond."""
    from dataclasses import replace
    from importlib import import_module

    from clientcard.services.reports import REPORTS, period

    module = import_module(f"clientcard.services.reports.{REPORTS[name]}")
    axis = getattr(module, "AXIS", True)
    span = period.resolve(
        since, until, now=now, date_order=settings.date_order, by=by if axis else None
    )
    if not axis or span.by is not None:
        return span
    step = getattr(module, "DEFAULT_BY", None) or (
        period.Step.week if span.days <= 92 else period.Step.month
    )
    return replace(span, by=step.value)


def _maker(name: str) -> "Callable[..., Report]":
    from importlib import import_module

    from clientcard.services.reports import REPORTS

    module = import_module(f"clientcard.services.reports.{REPORTS[name]}")
    make: Callable[..., Report] = getattr(module, name)
    return make


def write(
    reports: "list[Report]", fmt: Format, *, section: str | None = None, raw: bool = False
) -> None:
    from clientcard.domain.errors import InvalidValue
    from clientcard.output import reports as out

    if section is not None:
        if fmt not in (Format.csv, Format.tsv):
            raise InvalidValue(_("--section chooses what csv and tsv write; json writes every one"))
        names = [s.name for s in reports[0].sections]
        if section not in names:
            raise InvalidValue(
                _("report {report} has no section {section}; its sections are {sections}").format(
                    report=reports[0].name, section=repr(section), sections=", ".join(names)
                )
            )
    if fmt is Format.table:
        out.write_people(reports)
    else:
        out.write_machine(reports, fmt, section=section, raw=raw)


@app.command("funnel")
def funnel(
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """The ladder now, as a funnel.

    Live cards per grade (F split into never visited and slow), customers and prospects, and
    each grade's 12-month and lifetime value. The period counts the cards added in it."""
    run("funnel", since, until, None, fmt, section, raw)


@app.command("movement")
def movement(
    since: SinceOption = None,
    until: UntilOption = None,
    by: ByOption = None,
    lookback: Annotated[
        int,
        typer.Option(
            "--lookback",
            metavar="DAYS",
            help="The days, ending with the period, over which each grade's conversion into "
            "a first sale is measured for the forecast.",
        ),
    ] = 365,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """How cards moved on the ladder in the period, and a forecast of first sales as a range.

    The grade changes as a from -> to matrix, moves up and down per week or month, each
    grade's cards moved up, down or stayed, the median days held before a move up, the
    conversion into a first sale, and a grade-weighted forecast: prospects x conversion
    (measured over --lookback) x the median first sale, low to high (docs/reports.md)."""
    run("movement", since, until, by, fmt, section, raw, lookback=lookback)


@app.command("activity")
def activity(
    since: SinceOption = None,
    until: UntilOption = None,
    by: ByOption = None,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """What was done: contacts, first visits, follow-ups and greetings.

    Contacts per week or month, visits against remote contacts, greetings apart from sales
    follow-ups, first visits to F cards, follow-ups on time, late or still overdue, and
    greetings sent against those due (docs/reports.md#activity)."""
    run("activity", since, until, by, fmt, section, raw)


@app.command("promises")
def promises(
    since: SinceOption = None,
    until: UntilOption = None,
    by: ByOption = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            metavar="N",
            help="How many clients to list by broken promises (default 10).",
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """Were promises kept: keep-rate, moves, broken promises.

    The keep-rate per week or month and per kind (the card page's rule), moves (yours told in
    time, yours at short notice, the client's), missed and cancelled, and the clients with the
    most broken promises (docs/reports.md#promises)."""
    run("promises", since, until, by, fmt, section, raw, top=top)


@app.command("complaints")
def complaints(
    since: SinceOption = None,
    until: UntilOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="STEP",
            help="The time axis: month (the default) or week.",
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """Complaints received in the period: by month and severity, cause and responsibility.

    Also the median times to answer and to resolve against the targets, the reopen rate, the
    satisfaction after the resolution, and the clients who complain again."""
    run("complaints", since, until, by, fmt, section, raw)


@app.command("customers")
def customers(
    since: SinceOption = None,
    until: UntilOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="STEP",
            help="The time axis: month (the default) or week.",
            show_default=False,
        ),
    ] = None,
    repeat_within: Annotated[
        int,
        typer.Option(
            "--repeat-within",
            metavar="DAYS",
            min=1,
            max=3650,
            help="A repeat order is a second sale within this many days of the first.",
        ),
    ] = 365,
    lost_after: Annotated[
        int | None,
        typer.Option(
            "--lost-after",
            metavar="DAYS",
            min=1,
            max=3650,
            help="A customer with no sale and no contact for this many days is lost "
            "(default: the lost_after setting, 365).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option("--top", metavar="N", min=1, max=1000, help="How many top clients."),
    ] = 10,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """Repeat orders, new and lost customers, loyalty beside satisfaction, the top clients.

    Per month (or week): new customers, lost ones (no sale and no contact for lost_after
    days) and those active; the repeat-order rate of the customers whose window closed; the
    live cards' loyalty and satisfaction side by side; the top clients by 12-month value with
    their lifetime value."""
    run(
        "customers",
        since,
        until,
        by,
        fmt,
        section,
        raw,
        repeat_within=repeat_within,
        lost_after=lost_after,
        top=top,
    )


@app.command("stale")
def stale(
    since: SinceOption = None,
    until: UntilOption = None,
    per_grade: Annotated[
        int,
        typer.Option(
            "--per-grade",
            metavar="N",
            min=1,
            help="The list's longest silent cards of each grade (the summary counts all).",
        ),
    ] = 25,
    every: Annotated[
        bool, typer.Option("--all", help="List every stale card (in every format).")
    ] = False,
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """The dead records to revive, now, by grade and the longest silent first: a visit plan.

    Customers silent for six months, F cards never visited past their first-visit cadence,
    cards silent for twice their cadence. The list has the 25 longest silent of each grade
    (--per-grade N, --all); `-f csv` writes it. The book as it is now: --since and --until
    change nothing."""
    run("stale", since, until, None, fmt, section, raw, per_grade=None if every else per_grade)


HtmlOption = Annotated[
    str | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Write every report as one HTML page to FILE (replaced whole; `-`: standard "
        "output): charts, tables and notes, no scripts, nothing fetched, printable on A4.",
        show_default=False,
    ),
]
AllFormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output: charts and tables for people (the default), or json (one object, each "
        "report's under its name). Not with --html.",
        show_default=False,
    ),
]


@app.command("all")
def every(
    since: SinceOption = None,
    until: UntilOption = None,
    by: ByOption = None,
    fmt: AllFormatOption = None,
    html: HtmlOption = None,
) -> None:
    """Every report, one after the other, over the same period.

    On the terminal, as json (one object, each report under its name), or as one HTML page for
    a manager or a weekly mail (--html FILE): charts, tables and notes, printable on A4."""
    from clientcard.domain.errors import InvalidValue

    if html is not None and fmt is not None:
        raise InvalidValue(_("--html writes the page, --format the terminal's output: give one"))
    if fmt in (Format.csv, Format.tsv):
        raise InvalidValue(
            _(
                "report all writes table or json; {format} writes one section of one report "
                "(report NAME --section)"
            ).format(format=fmt.value)
        )
    reports = build_all(since, until, by)
    if html is not None:
        _write_html(reports, html)
    elif fmt is Format.json:
        from clientcard.output import write_json
        from clientcard.output.reports import report_object

        write_json({r.name: report_object(r) for r in reports})
    else:
        write(reports, Format.table)


def _write_html(reports: "list[Report]", output: str) -> None:
    import sys

    from clientcard.output import report_html

    page = report_html.page(reports, now=now())
    if output == "-":
        sys.stdout.write(page)
        return
    data = page.encode("utf-8")

    def fill(target: IO[bytes]) -> None:
        target.write(data)

    write_file(output, fill)
