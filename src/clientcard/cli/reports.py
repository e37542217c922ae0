"""`clientcard report funnel|movement|activity|promises|complaints|customers|stale|all`: the
cards analysed (docs/reports.md). Each command reads its options, calls its report's service
(services/reports/) in a read-only transaction, and writes the `Report` through
output/reports.py."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientcard.cli._common import RawOption, now, session, settings
from clientcard.output import Format

if TYPE_CHECKING:
    from clientcard.domain.reports import Report

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
    *,
    axis: bool = True,
    **options: Any,
) -> None:
    """Build report `name` over the period typed and write it in the format asked for."""
    report = build(name, since, until, by, axis=axis, **options)
    write([report], fmt, section=section, raw=raw)


def build(
    name: str,
    since: str | None,
    until: str | None,
    by: str | None,
    *,
    axis: bool = True,
    **options: Any,
) -> "Report":
    """Report `name` over the period typed. `axis`: the report has a time axis (`--by`, else
    weeks for a period of up to 92 days and months beyond); the funnel has none."""
    from importlib import import_module

    from clientcard.services.reports import REPORTS, period

    when = now()
    mine = settings()
    default_by = None
    if by is None and axis:
        days = period.resolve(since, until, now=when, date_order=mine.date_order).days
        default_by = period.Step.week if days <= 92 else period.Step.month
    span = period.resolve(
        since, until, now=when, date_order=mine.date_order, by=by, default_by=default_by
    )
    module = import_module(f"clientcard.services.reports.{REPORTS[name]}")
    make: Callable[..., Report] = getattr(module, name)
    with session(write=False) as s:
        return make(s, span, now=when, settings=mine, **options)


def write(
    reports: "list[Report]", fmt: Format, *, section: str | None = None, raw: bool = False
) -> None:
    from clientcard.domain.errors import InvalidValue
    from clientcard.output import reports as out

    if section is not None:
        if fmt not in (Format.csv, Format.tsv):
            raise InvalidValue("--section chooses what csv and tsv write; json writes every one")
        names = [s.name for s in reports[0].sections]
        if section not in names:
            raise InvalidValue(
                f"report {reports[0].name} has no section {section!r}; its sections are "
                + ", ".join(names)
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
    """The ladder now, as a funnel: cards, customers and value per grade.

    Live cards per grade (F split into never visited and slow), customers and prospects, and
    each grade's 12-month and lifetime value. The period counts the cards added in it."""
    run("funnel", since, until, None, fmt, section, raw, axis=False)


@app.command("customers")
def customers(
    since: SinceOption = None,
    until: UntilOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="STEP",
            help="The time axis: month (default) or week.",
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
        by if by is not None else "month",
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
    fmt: ReportFormatOption = Format.table,
    section: SectionOption = None,
    raw: RawOption = False,
) -> None:
    """The dead records to revive, now, by grade and the longest silent first: a visit plan.

    Customers silent for six months, F cards never visited past their first-visit cadence,
    cards silent for twice their cadence. `-f csv` writes the list. The book as it is now:
    --since and --until change nothing."""
    run("stale", since, until, None, fmt, section, raw, axis=False)
