"""Time `clientcard import` on the files people bring (issue 14, "Speed"): 28,000 rows or cards
into a copy of the 100,000-card book, as a whole process, with its peak memory.

    python benchmarks/imports.py [--rows 28000] [--runs 3] [--book PATH] [--clientcard PATH]
                                 [--formats csv,vcf,xlsx] [--out benchmarks/out/imports.json]

The files (written once to benchmarks/out/, deterministic from --seed):
- csv:  `import-28000-gbk.csv`, as Excel saves plain "CSV" on Chinese Windows (GBK, no byte
  order mark, CRLF) with Chinese headers 姓名, 手机, 公司, 职位, 邮箱, 地址, 客户来源, 意向级别,
  备注, 生日, 微信号;
- vcf:  `import-28000.vcf`, vCard 3.0 as a phone exports it: N, FN, ORG, TITLE, several TEL and
  EMAIL with TYPE, ADR, NOTE, BDAY; CRLF, long lines folded;
- xlsx: `import-28000.xlsx`, the same rows as the CSV in a sheet, phones typed as numbers and
  birthdays as dates, written as Excel saves a workbook (text in the shared string table).
About 5% of the rows are cards the book already holds (the same name and company, or the
same mobile number), so that duplicate checking has something to find.

Each run imports into a fresh copy of the book (`out/scratch-imports.db`, copied from a
prepared copy that the installed clientcard has opened once, so a schema upgrade is never
timed); the book itself is never written. A format the installed clientcard cannot import (it
refuses a 3-row sample) is skipped with a note. Every process gets the pinned clock and zone of
run.py and writes its bytecode (no PYTHONDONTWRITEBYTECODE); its peak memory is its own
maximum resident set (GNU time). Targets: CSV >= 20,000 rows/s, vCard <= 10 s, xlsx <= 10 s,
peak <= 150 MiB. benchmarks/README.md explains it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)
import run  # noqa: E402

DEFAULT_ROWS = 28_000
DEFAULT_BOOK_SIZE = 100_000
DEFAULT_OUT = HERE / "out" / "imports.json"
FORMATS = ("csv", "vcf", "xlsx")
DUPLICATE_SHARE = 0.05
HEADER = ["姓名", "手机", "公司", "职位", "邮箱", "地址", "客户来源", "意向级别", "备注", "生日",
          "微信号"]  # fmt: skip
TARGETS = {  # format -> (what, limit)
    "csv": ("rows_per_s", 20_000),
    "vcf": ("median_s", 10.0),
    "xlsx": ("median_s", 10.0),
}
PEAK_TARGET_MIB = 150.0
LEVELS = [("A级", 3), ("B级", 7), ("C级", 8), ("D级", 10), ("E级", 22), ("F级", 40),
          ("重要", 5), ("一般", 5)]  # fmt: skip
MOBILE_PREFIXES = ["133", "135", "136", "137", "138", "139", "150", "151", "158", "159", "186",
                   "187", "188", "189", "177", "199"]  # fmt: skip
NOTES = [*generate.CN_NOTES, "", "", "", "上次见面聊了孩子留学", "要发报价单", "老板的朋友"]


# ---- the rows -------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _mobile(rng: random.Random) -> str:
    number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    style = rng.random()
    if style < 0.6:
        return number
    if style < 0.85:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"+86 {number}"


def _company(rng: random.Random) -> str:
    return (
        rng.choice(generate.CN_CITY)
        + rng.choice(generate.CN_BRAND)
        + rng.choice(generate.CN_TRADE)
        + rng.choice(generate.CN_SUFFIX)
    )


def _birthday(rng: random.Random) -> date | None:
    if rng.random() > 0.4:
        return None
    return date(rng.randrange(1955, 2001), rng.randrange(1, 13), rng.randrange(1, 29))


def book_people(book: Path, count: int, seed: int) -> list[tuple[str, str | None, str | None]]:
    """(name, company, phone) of `count` live cards of the book, chosen by the seed, among
    those a GBK file can hold."""
    with closing(sqlite3.connect(f"file:{book}?mode=ro", uri=True)) as conn:
        people = conn.execute(
            "SELECT name, company, phone FROM client WHERE archived_at IS NULL ORDER BY id"
        ).fetchall()
    # Only what a GBK file can hold (Zoë Müller cannot be in Excel's Chinese CSV).
    people = [p for p in people if _gbk(" ".join(v or "" for v in p))]
    rng = random.Random(seed)
    return rng.sample(people, min(count, len(people)))


def _gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def make_rows(
    count: int, seed: int, known: list[tuple[str, str | None, str | None]]
) -> list[dict[str, Any]]:
    """`count` clients as a Chinese salesperson's sheet holds them; a share of them are cards
    of the book (`known`): the same name and company, or the same mobile."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(count):
        surname = _weighted(rng, [(s, w) for s, _, w in generate.SURNAMES])
        given = "".join(g for g, _ in rng.sample(generate.GIVEN, rng.choice((1, 2, 2))))
        city, district, street = rng.choice(generate.CN_STREETS)
        row: dict[str, Any] = {
            "姓名": surname + given,
            "手机": _mobile(rng),
            "公司": _company(rng) if rng.random() < 0.85 else "",
            "职位": rng.choice(generate.CN_TITLES) if rng.random() < 0.6 else "",
            "邮箱": f"user{seed}{i}@{rng.choice(['qq.com', '163.com', '126.com', 'sina.com'])}"
            if rng.random() < 0.5
            else "",
            "地址": f"{city}市{district}{street}{rng.randrange(1, 2000)}号"
            if rng.random() < 0.4
            else "",
            "客户来源": _weighted(rng, generate.SOURCES) if rng.random() < 0.7 else "",
            "意向级别": _weighted(rng, LEVELS),
            "备注": rng.choice(NOTES),
            "生日": _birthday(rng),
            "微信号": f"wx_{rng.randrange(10**6, 10**7)}" if rng.random() < 0.5 else "",
            "座机": f"0{rng.randrange(10, 99)}-{rng.randrange(10**7, 10**8)}"
            if rng.random() < 0.2
            else "",  # a second phone (vCard's work TEL)
        }
        if known and rng.random() < DUPLICATE_SHARE:
            name, company, phone = known[rng.randrange(len(known))]
            if phone and rng.random() < 0.5:
                row["手机"] = phone.split(",")[0].strip()
            else:
                row["姓名"], row["公司"] = name, company or ""
        rows.append(row)
    return rows


def _birthday_text(day: date | None, rng: random.Random) -> str:
    if day is None:
        return ""
    y, m, d = day.year, day.month, day.day
    return rng.choice([day.isoformat(), f"{y}/{m}/{d}", f"{y}年{m}月{d}日"])


def write_csv(path: Path, rows: list[dict[str, Any]], seed: int) -> None:
    """GBK, no byte order mark, CRLF: Excel's plain "CSV" on Chinese Windows."""
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_birthday_text(row[h], rng) if h == "生日" else row[h] for h in HEADER])
    path.write_bytes(out.getvalue().encode("gbk"))


def _xlsx_values(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The rows as a salesperson's workbook holds them: phones without blanks or +86 typed as
    numbers (as people type them into Excel), birthdays as dates, empty cells empty."""
    table: list[list[Any]] = [list(HEADER)]
    for row in rows:
        values: list[Any] = []
        for h in HEADER:
            value = row[h]
            if h == "手机" and value.isdigit():
                value = int(value)
            elif h == "生日" and value is not None:
                value = datetime(value.year, value.month, value.day)
            values.append(value if value != "" else None)
        table.append(values)
    return table


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    # Style 0 is General, style 1 Excel's built-in short date (numFmtId 14).
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}


def _column_letter(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    """One sheet `客户` as Excel saves it: text in the shared string table (`t="s"`), numbers
    and dates (serial days, the date style) as numbers; see _xlsx_values. (openpyxl writes
    every text inline instead, which it reads back about 1.5 times slower: a file from Excel
    or WPS is what people import.)"""
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    sheet = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    epoch = date(1899, 12, 30).toordinal()
    table = _xlsx_values(rows)
    sheet.append(f'<dimension ref="A1:{_column_letter(len(HEADER))}{len(table)}"/>')
    sheet.append("<sheetData>")
    for number, values in enumerate(table, 1):
        cells = []
        for column, value in enumerate(values, 1):
            ref = f"{_column_letter(column)}{number}"
            if value is None:
                continue
            if isinstance(value, datetime):
                cells.append(f'<c r="{ref}" s="1"><v>{value.toordinal() - epoch}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        sheet.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet.append("</sheetData></worksheet>")
    shared = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">',
        *(f"<si><t>{escape(text)}</t></si>" for text in strings),
        "</sst>",
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml", "".join(shared))
        archive.writestr("xl/worksheets/sheet1.xml", "".join(sheet))


def _vcard_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 6350 folding at 75 octets, never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return [*out, current]


def write_vcf(path: Path, rows: list[dict[str, Any]]) -> None:
    """vCard 3.0, one card per row, as a phone exports its contacts."""
    lines: list[str] = []
    for row in rows:
        name = row["姓名"]
        family, given = name[:1], name[1:]
        if name[:2] in {s for s, _, _ in generate.SURNAMES if len(s) == 2}:
            family, given = name[:2], name[2:]
        card = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{_vcard_text(family)};{_vcard_text(given)};;;",
            f"FN:{_vcard_text(name)}",
        ]
        if row["公司"]:
            card.append(f"ORG:{_vcard_text(row['公司'])}")
        if row["职位"]:
            card.append(f"TITLE:{_vcard_text(row['职位'])}")
        card.append(f"TEL;TYPE=CELL:{row['手机']}")
        if row["座机"]:
            card.append(f"TEL;TYPE=WORK,VOICE:{row['座机']}")
        if row["邮箱"]:
            card.append(f"EMAIL;TYPE=INTERNET,HOME:{row['邮箱']}")
            if len(row["邮箱"]) % 3 == 0:
                card.append(f"EMAIL;TYPE=INTERNET,WORK:{row['邮箱'].replace('@', '.work@')}")
        if row["地址"]:
            card.append(f"ADR;TYPE=WORK:;;{_vcard_text(row['地址'])};;;;中国")
        if row["生日"] is not None:
            card.append(f"BDAY:{row['生日'].isoformat()}")
        note = "\n".join(t for t in (row["备注"], row["微信号"] and f"微信: {row['微信号']}") if t)
        if note:
            card.append(f"NOTE:{_vcard_text(note)}")
        card.append("END:VCARD")
        for line in card:
            lines.extend(_fold(line))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_inputs(
    out: Path, rows_count: int, seed: int, book: Path, formats: list[str], force: bool = False
) -> dict[str, Path]:
    """The input files (reused when they exist, unless `force`)."""
    paths = {
        "csv": out / f"import-{rows_count}-gbk.csv",
        "vcf": out / f"import-{rows_count}.vcf",
        "xlsx": out / f"import-{rows_count}.xlsx",
    }
    wanted = {f: paths[f] for f in formats}
    if not force and all(p.exists() for p in wanted.values()):
        return wanted
    known = book_people(book, max(rows_count // 10, 1), seed)
    rows = make_rows(rows_count, seed, known)
    writers = {
        "csv": lambda p: write_csv(p, rows, seed),
        "vcf": lambda p: write_vcf(p, rows),
        "xlsx": lambda p: write_xlsx(p, rows),
    }
    for fmt, path in wanted.items():
        if force or not path.exists():
            part = path.with_name(path.name + ".part")
            writers[fmt](part)
            part.replace(path)
    return wanted


def write_sample(out: Path, fmt: str, seed: int) -> Path:
    """3 rows of a format, to ask the installed clientcard whether it imports it."""
    path = out / f"import-sample.{fmt}"
    rows = make_rows(3, seed, [])
    {"csv": lambda: write_csv(path, rows, seed), "vcf": lambda: write_vcf(path, rows),
     "xlsx": lambda: write_xlsx(path, rows)}[fmt]()  # fmt: skip
    return path


# ---- running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    seconds: float  # wall
    cpu: float  # user + system seconds of the process
    peak_mib: float
    rc: int
    stderr: str


def timed(argv: list[str], env: dict[str, str], stdout: Path) -> Timed:
    """One whole process through GNU time: wall time around it, its own CPU time and peak
    resident memory. (CPU time shows the cost when other work shares the machine.)"""
    gnu = run.gnu_time()
    if gnu is None:
        raise SystemExit("imports.py: needs GNU time (/usr/bin/time; Debian: apt-get install time)")
    with (
        stdout.open("wb") as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".time") as report,
    ):
        started = time.perf_counter()
        proc = subprocess.run(
            [gnu, "-f", "%U %S %M", "-o", report.name, *argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")[-2000:]
        fields = Path(report.name).read_text().strip().splitlines()[-1].split()
    user, system, peak = float(fields[0]), float(fields[1]), int(fields[2])
    return Timed(seconds, user + system, peak / 1024, proc.returncode, stderr)


def can_import(clientcard: Path, env: dict[str, str], out: Path, fmt: str, seed: int) -> str | None:
    """None when the program imports a 3-row sample of the format (dry run); else why not."""
    sample = write_sample(out, fmt, seed)
    probe_db = out / "import-probe.db"
    probe_db.unlink(missing_ok=True)
    proc = subprocess.run(
        [str(clientcard), "--db", str(probe_db), "import", "--dry-run", str(sample)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    probe_db.unlink(missing_ok=True)
    if proc.returncode == 0:
        return None
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]


def prepared_book(source: Path, out: Path, clientcard: Path, env: dict[str, str]) -> Path:
    """A copy of the book that the program has opened once (any schema upgrade done), from
    which every run copies: the source book is never written."""
    target = out / "imports-book.db"
    run.fresh_copy(source, target)
    subprocess.run(
        [str(clientcard), "--db", str(target), "list", "--limit", "1", "--format", "json"],
        env=env,
        capture_output=True,
        check=True,
    )
    for backup in out.glob(f"{target.name}.*.bak"):  # clientcard's copy before an upgrade
        backup.unlink()
    return target


def last_count(stdout: Path) -> int | None:
    lines = stdout.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    found = re.search(r"(\d[\d,]*) cards?$", lines[-1]) if lines else None
    return int(found[1].replace(",", "")) if found else None


def measure(
    clientcard: Path,
    env: dict[str, str],
    book: Path,
    out: Path,
    inputs: dict[str, Path],
    rows_count: int,
    runs: int,
) -> list[dict[str, Any]]:
    """Warm up once per format, then `runs` rounds over the formats; a fresh copy each time."""
    scratch = out / "scratch-imports.db"
    stdout = out / "imports-stdout.txt"
    samples: dict[str, list[Timed]] = {fmt: [] for fmt in inputs}
    imported: dict[str, int | None] = {}
    for round_ in range(runs + 1):
        for fmt, path in inputs.items():
            run.fresh_copy(book, scratch)
            argv = [str(clientcard), "--db", str(scratch), "import", str(path)]
            sample = timed(argv, env, stdout)
            if sample.rc != 0:
                raise SystemExit(f"imports.py: {' '.join(argv)} failed: {sample.stderr}")
            imported[fmt] = last_count(stdout)
            if round_:  # the first round warms up
                samples[fmt].append(sample)
            print(
                f"  {fmt} run {round_ or 'warm-up'}: {sample.seconds:.2f} s "
                f"(cpu {sample.cpu:.2f} s), {sample.peak_mib:.1f} MiB",
                file=sys.stderr,
            )
    results = []
    for fmt, taken in samples.items():
        seconds = statistics.median(s.seconds for s in taken)
        cpu = statistics.median(s.cpu for s in taken)
        results.append(
            {
                "format": fmt,
                "file": str(inputs[fmt]),
                "bytes": inputs[fmt].stat().st_size,
                "rows": rows_count,
                "imported": imported[fmt],
                "median_s": round(seconds, 4),
                "rows_per_s": round(rows_count / seconds),
                "median_cpu_s": round(cpu, 4),
                "rows_per_cpu_s": round(rows_count / cpu),
                "peak_mib": round(max(s.peak_mib for s in taken), 1),
                "samples": [
                    {"s": round(s.seconds, 4), "cpu_s": round(s.cpu, 4), "peak_mib": s.peak_mib}
                    for s in taken
                ],
            }
        )
    return results


def judge(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    targets = []
    for r in results:
        what, limit = TARGETS[r["format"]]
        value = r[what]
        met = value >= limit if what == "rows_per_s" else value <= limit
        sign, unit = (">=", " rows/s") if what == "rows_per_s" else ("<=", " s")
        targets.append({"target": f"{r['format']} {sign} {limit:,}{unit}", "value": value,
                        "met": met})  # fmt: skip
        targets.append(
            {
                "target": f"{r['format']} peak <= {PEAK_TARGET_MIB:g} MiB",
                "value": r["peak_mib"],
                "met": r["peak_mib"] <= PEAK_TARGET_MIB,
            }
        )
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows or cards per file")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    parser.add_argument(
        "--book",
        type=Path,
        help="the book to import into (copied, never written); default: run.py's cached "
        f"book of {DEFAULT_BOOK_SIZE:,} cards in benchmarks/out/, built if needed",
    )
    parser.add_argument("--book-size", type=int, default=DEFAULT_BOOK_SIZE)
    parser.add_argument(
        "--clientcard", type=Path, help="the console script to time (default: the installed one)"
    )
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--now", default=generate.DEFAULT_NOW)
    parser.add_argument("--tz", default=generate.DEFAULT_TZ)
    parser.add_argument("--rebuild", action="store_true", help="write the input files again")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown formats {sorted(unknown)}; known: {', '.join(FORMATS)}")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    out = args.out.resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    clientcard = (args.clientcard or run.installed_clientcard()).absolute()
    python = run.script_interpreter(clientcard)
    env = run.child_env(out, args.now, args.tz)
    if args.book is not None:
        source = args.book.resolve()
        book_meta: dict[str, Any] = {"path": str(source)}
    else:
        meta = run.book_for(args.book_size, out, args.seed, args.now, args.tz, False)
        source = out / f"book-{args.book_size}.db"
        book_meta = {"path": str(source), "cards": meta.get("cards"), "rows": meta.get("rows")}
    print(f"clientcard: {clientcard}; book: {source}")
    skipped = {}
    for fmt in list(formats):
        why = can_import(clientcard, env, out, fmt, args.seed)
        if why is not None:
            skipped[fmt] = why
            formats.remove(fmt)
            print(f"note: skipping {fmt}: this clientcard cannot import it ({why})")
    inputs = write_inputs(out, args.rows, args.seed, source, formats, force=args.rebuild)
    book = prepared_book(source, out, clientcard, env)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    results = measure(clientcard, env, book, out, inputs, args.rows, args.runs)
    targets = judge(results)
    load_after = os.getloadavg()
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": run.machine(python),
        "load_average": [load_before[0], load_after[0]],  # 1-minute, before and after
        "clientcard": str(clientcard),
        "book": book_meta,
        "runs": args.runs,
        "pinned": {"CLIENTCARD_NOW": args.now, "TZ": args.tz},
        "skipped": skipped,
        "results": results,
        "targets": targets,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\n{'format':<6} {'file':>10} {'median':>9} {'rows/s':>9} {'cpu':>9} {'rows/cpu s':>10} "
        f"{'peak':>10}  imported"
    )
    for r in results:
        print(
            f"{r['format']:<6} {r['bytes'] / 2**20:>6.1f} MiB {r['median_s']:>7.2f} s "
            f"{r['rows_per_s']:>9,} {r['median_cpu_s']:>7.2f} s {r['rows_per_cpu_s']:>10,} "
            f"{r['peak_mib']:>6.1f} MiB  {r['imported']}"
        )
    for fmt, why in skipped.items():
        print(f"{fmt:<6} skipped: {why}")
    print()
    for t in targets:
        print(f"{'ok' if t['met'] else 'NO':<3} {t['target']}: {t['value']:,}")
    print(
        f"\nload average {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
        f"on {os.cpu_count()} cores"
    )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
