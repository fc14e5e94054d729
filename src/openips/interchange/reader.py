"""Read an interchange folder: every value parsed by its column's type, every problem collected
as `file:line: column: message` (all of them, not only the first)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import IO, Any

import nhs_number
import openpyxl

from openips.interchange.schema import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    NHS_NUMBER,
    TABLES,
    Column,
    unguard,
)

TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_TEXT = re.compile(r"^-?\d+(\.\d+)?$")
MAX_ZIPPED_FILE = 2 * 1024**3  # a guard against a zip bomb; far above any real service
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks may stay


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    file: str = ""  # where the row came from, as problems name it
    failed: set[str] = field(default_factory=set)  # cells already reported; later rules skip them


class ParseError(ValueError):
    pass


def parse(column: Column, raw: str) -> Any:
    text = raw.strip()
    if UNPRINTABLE.search(raw):
        raise ParseError("contains a control character; remove it")
    if not text:
        if column.required:
            raise ParseError("is required")
        return None
    if column.kind == DATE:
        try:
            if not ISO_DATE.match(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise ParseError(f"must be a date written YYYY-MM-DD, not {text!r}") from None
    if column.kind == BOOL:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ParseError(f"must be yes or no, not {text!r}")
    if column.kind == DECIMAL:
        if not DECIMAL_TEXT.match(text):
            raise ParseError(f"must be a number with . as the decimal point, not {text!r}")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ParseError(f"must be a number, not {text!r}") from None
    if column.kind == INTEGER:
        if not (text.isascii() and text.isdigit()):
            raise ParseError(f"must be a whole number, 0 or more, not {text!r}")
        return int(text)
    if column.kind == CODE:
        if text.lower() not in column.codes:
            raise ParseError(f"{text!r} is not a known code; use one of: {', '.join(column.codes)}")
        return text.lower()
    if column.kind == NHS_NUMBER:
        digits = text.replace(" ", "")
        if not (digits.isdigit() and len(digits) == 10 and nhs_number.is_valid(digits)):
            raise ParseError(
                f"{text!r} is not a valid NHS number (10 digits passing the check digit)"
            )
        return digits
    return unguard(raw)  # undo the export's formula guard


Lines = Iterator[tuple[int, list[str]]]


def read_table(lines: Lines, table: str, file: str) -> tuple[list[Row], list[Problem]]:
    """Parse one table from (line number, cells) pairs, the first pair being the header."""
    columns = {c.name: c for c in TABLES[table]}
    problems: list[Problem] = []
    rows: list[Row] = []
    first = next(lines, None)
    if first is None:
        return [], [Problem(file, 1, "", "the table is empty: it needs a header row")]
    header = [h.strip() for h in first[1]]
    while header and not header[-1]:
        header.pop()  # workbooks often carry empty trailing header cells
    for name in header:
        if name not in columns:
            problems.append(Problem(file, first[0], name, "unknown column"))
        elif header.count(name) > 1:
            problems.append(Problem(file, first[0], name, "the column appears more than once"))
    for name, column in columns.items():
        if column.required and name not in header:
            problems.append(Problem(file, first[0], name, "a required column is missing"))
    if problems:
        return [], sorted(set(problems))
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells)) if len(cells) < len(header) else cells
        if len(cells) != len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                Problem(
                    file, line, "", f"the row has {len(cells)} cells; the header has {len(header)}"
                )
            )
            continue
        row = Row(line, dict.fromkeys(columns), file)
        for name, raw in zip(header, cells[: len(header)], strict=True):
            try:
                row.values[name] = parse(columns[name], raw)
            except ParseError as error:
                problems.append(Problem(file, line, name, str(error)))
                row.failed.add(name)
        rows.append(row)
    return rows, problems


def csv_lines(path: Path) -> Lines:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from stream_lines(handle)


def stream_lines(handle: IO[str]) -> Lines:
    reader = csv.reader(handle)
    for cells in reader:
        yield reader.line_num, cells


def workbook_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    """One sheet per table, named like the CSV files without .csv; a real date cell is a date."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return {t: [] for t in TABLES}, [
            Problem(path.name, 0, "", "cannot be read as an .xlsx workbook")
        ]
    tables: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    try:
        for name in book.sheetnames:
            if name not in TABLES:
                problems.append(Problem(path.name, 0, name, "unknown sheet"))
        for table in TABLES:
            if table not in book.sheetnames:
                tables[table] = []
                continue
            sheet = book[table]
            lines = (
                (n, [workbook_cell(v) for v in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), 1)
            )
            tables[table], found = read_table(lines, table, f"{path.name}[{table}]")
            problems += found
    finally:
        book.close()
    return tables, problems


def read_dataset(path: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    """A folder of CSV files, a .zip of them, or one .xlsx workbook."""
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    if path.suffix.lower() == ".zip":
        return read_zip(path)
    return read_folder(path)


def read_zip(path: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    """The CSV files of a folder, zipped: at the top or inside one folder."""
    tables: dict[str, list[Row]] = {t: [] for t in TABLES}
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return tables, [Problem(path.name, 0, "", "cannot be read as a .zip file")]
    problems: list[Problem] = []
    with archive:
        members = {PurePosixPath(i.filename).name: i for i in archive.infolist() if not i.is_dir()}
        for table in TABLES:
            info = members.get(f"{table}.csv")
            if info is None:
                continue
            if info.file_size > MAX_ZIPPED_FILE:
                problems.append(Problem(info.filename, 0, "", "is too large to import"))
                continue
            with archive.open(info) as raw, io.TextIOWrapper(raw, "utf-8-sig", newline="") as text:
                tables[table], found = read_table(stream_lines(text), table, f"{table}.csv")
            problems += found
        if not any(f"{t}.csv" in members for t in TABLES):
            problems.append(
                Problem(path.name, 0, "", "no interchange files inside (staff.csv, episodes.csv …)")
            )
    return tables, problems


def read_folder(folder: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    """A missing file is an empty table: absent records are left as they are."""
    tables: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    found = False
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.exists():
            tables[table] = []
            continue
        found = True
        tables[table], table_problems = read_table(csv_lines(path), table, f"{table}.csv")
        problems += table_problems
    if not found:
        problems.append(
            Problem(str(folder), 0, "", "no interchange files here (staff.csv, episodes.csv …)")
        )
    return tables, problems
