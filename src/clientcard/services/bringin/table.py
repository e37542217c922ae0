"""A sheet's rows as cards: a CSV or TSV file's, or an Excel sheet's. The header row names the
columns (domain/import_headers.py: ours, Chinese, Google, Outlook, Thunderbird, `--map`); each
row becomes an `Incoming` card, with what it holds beyond a card's fields in the notes as
`Header: value` lines.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from clientcard.domain import import_headers as headers
from clientcard.domain.errors import Ambiguous, InvalidValue, NotFound
from clientcard.domain.formulas import restore
from clientcard.domain.grades import Grade, parse_grade
from clientcard.i18n import _, ngettext
from clientcard.services.bringin.incoming import Day, Incoming, Refused, Shape, labelled
from clientcard.services.clients import CardFields
from clientcard.services.lookup import resolve_client
from clientcard.store.db import Db

Records = Iterator[tuple[int, list[str]]]  # (line, the row's values), the header first


def parse_map(items: list[str]) -> dict[str, str]:
    """`--map 'Header=target'` options as {header key: target}."""
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        target = target.strip().lower()
        if not sep or not header.strip():
            raise InvalidValue(
                _("--map {item}: write it as 'Header=field', e.g. '客户=name'").format(
                    item=repr(item)
                )
            )
        if target not in headers.TARGETS:
            raise InvalidValue(
                _("--map {item}: unknown field {target}; the fields are {fields}").format(
                    item=repr(item), target=repr(target), fields=", ".join(headers.TARGETS)
                )
            )
        mapping[headers.header_key(header)] = target
    return mapping


@dataclass(frozen=True)
class _Column:
    index: int
    header: str  # as the file writes it, trimmed
    key: str  # as it is matched (headers.header_key)
    target: str | None  # None: kept in the notes
    label: str | None  # the label its phones or e-mails take (`mobile`), if the header says
    group: str | None  # Google's numbered column: "phone 1" (its value and its label)


def _plan(names: list[str], mapping: dict[str, str]) -> tuple[list[_Column], list[str]]:
    """The columns of the header (empty ones left out), and the listing's columns to ignore."""
    ignored: list[str] = []
    seen: set[str] = set()
    plan: list[_Column] = []
    targets = headers.targets_of(names, mapping)
    for index, (raw, target) in enumerate(zip(names, targets, strict=True)):
        key = headers.header_key(raw)
        if key and key in seen:
            raise InvalidValue(
                _("the header names the column {value} twice").format(value=repr(raw.strip()))
            )
        seen.add(key)
        if target == "ignore":
            ignored.append(raw.strip())
            continue
        group = headers.numbered(key)
        plan.append(
            _Column(
                index,
                raw.strip() or f"column {index + 1}",
                key,
                target,
                headers.REACH_LABELS.get(key),
                group[0] if group else None,
            )
        )
    if not any(c.target in ("name", "first_name", "last_name") for c in plan):
        raise InvalidValue(
            _(
                "the header has no name column (name, 姓名, First Name, Display Name...); "
                "name one with --map 'Header=name'"
            )
        )
    return plan, ignored


def _row(db: Db, plan: list[_Column], values: list[str], line: int, before: int) -> Incoming:
    """A row as `add` would have been given it. A referrer is a card whose id is below
    `before`."""
    first: dict[str, str] = {}
    phones: list[str] = []
    emails: list[str] = []
    lists: dict[str, list[str]] = {}  # our own `phones`, `emails` columns: the whole lists
    group_labels: dict[str, str | None] = {}
    parts = {"first_name": "", "middle_name": "", "last_name": ""}
    born = {"birth_year": "", "birth_month": "", "birth_day": ""}
    lines: list[str] = []
    kept: list[str] = []
    tags: list[str] = []
    grade: Grade | None = None
    occasions: list[tuple[str, Day]] = []

    def keep(column: _Column, value: str, why: str | None = None, label: str = "") -> None:
        """A value kept in the notes; its column is named on stderr, with why when it has a
        field (a grade that is not A to F...). WeChat ids are at home there: not named."""
        lines.append(f"{label or column.header}: {value}")
        if label:
            return
        named = column.header + (f" ({why})" if why else "")
        if named not in kept:
            kept.append(named)

    for column in plan:  # Google's labels first: "Phone 1 - Label" may follow its value
        if column.target == "reach_label" and column.group is not None:
            group_labels[column.group] = headers.google_label(values[column.index])
    for column in plan:
        value = restore(values[column.index])
        if not value.strip() or value.strip() in headers.EMPTY_VALUES.get(column.key, ()):
            continue
        value = value.strip() if column.target not in ("notes", None) else value
        target = column.target
        if target in ("phone", "email"):
            label = column.label
            if column.group is not None:
                label = group_labels.get(column.group)
            # Google joins a label's several values with " ::: ".
            for one in value.split(":::"):
                if one.strip():
                    (phones if target == "phone" else emails).append(labelled(label, one.strip()))
        elif target in ("phones", "emails"):
            # As the listing joins them (output.flat_value): `; `, which no number holds.
            lists[target] = [v for v in value.split("; ") if v.strip()]
        elif target == "reach_label":
            continue
        elif target in parts:
            parts[target] = value
        elif target in born:
            born[target] = value.strip()
        elif target == "grade":
            if column.key == "grade":  # ours: A to F, or refused
                grade = parse_grade(value)
            elif (letter := headers.grade_letter(value)) is not None and grade is None:
                grade = Grade(letter)
            else:
                keep(column, value, _("not a grade A to F"))
        elif target == "tags":
            if column.key == "tags":  # ours, as `list` writes them
                tags += [t for t in value.split(",") if t.strip()]
            else:
                tags += headers.split_tags(value)
        elif target in ("birthday", "anniversary"):
            found = headers.real_day(headers.birthday_parts(value))
            if found is None or any(kind == target for kind, _ in occasions):
                keep(
                    column,
                    value,
                    _("not a date")
                    if found is None
                    else _("a second {kind}").format(kind=_(target)),
                )
            else:
                occasions.append((target, found))
        elif target == "referred_by":
            try:
                referrer = resolve_client(db, value).id
            except (NotFound, Ambiguous, InvalidValue):
                referrer = None
            # Only a card of the book as it was: a row of the same file is not one yet.
            if referrer is None or referrer >= before or "referred_by" in first:
                keep(column, value, _("not one card of the book"))
            else:
                first["referred_by"] = f"#{referrer}"
        elif target == "wechat":
            keep(column, value, label="微信")
        elif target is None:
            keep(column, value)
        elif target in first:  # a second company, title...: kept, not lost
            keep(column, value, "a second " + target)
        else:
            first[target] = value
    if born["birth_month"] and born["birth_day"] and not occasions:
        try:
            year = int(born["birth_year"]) if born["birth_year"] else None
            found = headers.real_day((year, int(born["birth_month"]), int(born["birth_day"])))
        except ValueError:
            found = None
        if found is not None:
            occasions.append(("birthday", found))
    name = first.get("name") or headers.full_name(*parts.values()) or first.get("company", "")
    notes = "\n".join(([first["notes"]] if "notes" in first else []) + lines) or None
    return Incoming(
        line,
        CardFields(
            name=name,
            company=first.get("company"),
            title=first.get("title"),
            phones=lists.get("phones", phones) or None,
            emails=lists.get("emails", emails) or None,
            address=first.get("address"),
            source=first.get("source"),
            notes=notes,
            owner=first.get("owner"),
            referred_by=first.get("referred_by"),
            grade=grade,
            tags=tags,
        ),
        occasions,
        kept,
        values,
    )


class Table:
    """A sheet being imported: its header, then its rows as cards. `shape` says what the file
    is (csv, tsv, xlsx; a CSV file's separator and encoding), for its refused rows."""

    def __init__(
        self,
        db: Db,
        records: Records,
        mapping: dict[str, str],
        *,
        shape: Shape,
        read_as: str | None = None,
        size: int | None = None,
        empty: str | None = None,
    ) -> None:
        first = next(records, None)
        if first is None:
            raise InvalidValue(
                _("{empty}; its first line must name the columns: {columns}").format(
                    empty=_("the file is empty") if empty is None else empty,
                    columns=", ".join(headers.OWN_COLUMNS),
                )
            )
        self._db = db
        self._records = records
        self.header = first[1]
        self.plan, self.ignored = _plan(self.header, mapping)
        self.read_as = read_as
        self.size = size
        self.warnings: list[str] = []  # a sheet's notes are its kept columns (`Imported.kept`)
        self.shape = Shape(shape.fmt, self.header, shape.separator, shape.encoding)

    def cards(self, before: int) -> Iterator[Incoming | Refused]:
        width = len(self.header)
        for line, values in self._records:
            if not any(v.strip() for v in values):
                continue  # a row of empty cells, as Excel leaves below a sheet: a blank line
            if len(values) > width and not any(v.strip() for v in values[width:]):
                values = values[:width]  # empty cells past the header's last column
            if len(values) != width:
                found = ngettext("{n} field", "{n} fields", len(values)).format(n=len(values))
                yield Refused(
                    line,
                    _("{found}, but the header has {width} columns").format(
                        found=found, width=width
                    ),
                    values,
                )
                continue
            try:
                yield _row(self._db, self.plan, values, line, before)
            except InvalidValue as exc:
                yield Refused(line, str(exc), values)
