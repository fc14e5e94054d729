"""Read an interchange folder: every value parsed by its column's type, every problem collected
as `file:line: column: message` (all of them, not only the first)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import nhs_number

from openips.interchange.schema import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    NHS_NUMBER,
    TABLES,
    Column,
)

TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_TEXT = re.compile(r"^-?\d+(\.\d+)?$")
FORMULA_START = ("=", "+", "-", "@")


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
    failed: set[str] = field(default_factory=set)  # cells already reported; later rules skip them


class ParseError(ValueError):
    pass


def parse(column: Column, raw: str) -> Any:
    text = raw.strip()
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
        if not text.isdigit():
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
    # Text: undo the export's formula guard (a quote before = + - @).
    if raw.startswith("'") and raw[1:2] in FORMULA_START:
        return raw[1:]
    return raw


def read_table(path: Path, table: str) -> tuple[list[Row], list[Problem]]:
    file = f"{table}.csv"
    columns = {c.name: c for c in TABLES[table]}
    problems: list[Problem] = []
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return [], [Problem(file, 1, "", "the file is empty: it needs a header row")]
        header = [h.strip() for h in header]
        for name in header:
            if name not in columns:
                problems.append(Problem(file, 1, name, "unknown column"))
            elif header.count(name) > 1:
                problems.append(Problem(file, 1, name, "the column appears more than once"))
        for name, column in columns.items():
            if column.required and name not in header:
                problems.append(Problem(file, 1, name, "a required column is missing"))
        if problems:
            return [], sorted(set(problems))
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        file,
                        line,
                        "",
                        f"the row has {len(cells)} cells; the header has {len(header)}",
                    )
                )
                continue
            row = Row(line, dict.fromkeys(columns))
            for name, raw in zip(header, cells, strict=True):
                try:
                    row.values[name] = parse(columns[name], raw)
                except ParseError as error:
                    problems.append(Problem(file, line, name, str(error)))
                    row.failed.add(name)
            rows.append(row)
    return rows, problems


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
        tables[table], table_problems = read_table(path, table)
        problems += table_problems
    if not found:
        problems.append(
            Problem(str(folder), 0, "", "no interchange files here (staff.csv, episodes.csv …)")
        )
    return tables, problems
