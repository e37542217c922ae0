"""`clientcard report ...`: the cards used, not just kept (card method, rule 3; docs/reports.md).

One module per report (`funnel`, `movement`, `activity`, `promises`, `complaints`,
`customers`, `stale`), each with one function that takes an open `Db`, a `Period`, `now` and
the settings, and returns a `Report` (services/views/reports.py): named sections of plain rows
that the output layer draws as charts and tables, or writes as JSON, CSV or HTML.

Every figure is aggregated in SQL (GROUP BY, CASE, window functions that SQLite and PostgreSQL
both have): a report reads counts, not rows, so it answers in the same time on a book of a
hundred cards and of a hundred thousand. Medians are the one exception: they are read as one
sorted column and picked in Python (`period.median`), because SQLite has no median.
`period.py` holds what every report shares: the period and its time axis.
"""

# The reports, in the order `report all` and the HTML page give them: name -> module. Every
# `report NAME` command is here (tests/test_report_html.py checks), and only those: `report all`
# builds each one it names.
REPORTS: dict[str, str] = {
    "funnel": "funnel",
    "movement": "movement",
    "activity": "activity",
    "promises": "promises",
    "complaints": "complaints",
    "customers": "customers",
    "stale": "stale",
}
