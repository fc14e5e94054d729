"""Read an interchange folder: every value parsed by its column's type, every problem collected
as `file:line: column: message`. What one import may read is limited (ADR 0012): its files'
unzipped size and rows in all, and the problems kept (the first ones, with a count of the rest)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

import nhs_number
from django.conf import settings

from openips.core.spreadsheets import unguard
from openips.interchange.archives import (
    MAX_COLUMNS,
    Unreadable,
    open_zip,
    scan_workbook,
    unzipped_size,
)
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

if TYPE_CHECKING:
    import openpyxl

TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_TEXT = re.compile(r"^-?\d+(\.\d+)?$")
MAX_ROW_CHARS = 1 << 16  # one CSV row, quoted line breaks included; real rows are far shorter
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


@dataclass(frozen=True)
class Limits:
    """How much one import may read: the settings IMPORT_MAX_* (docs/operations.md)."""

    unzipped_bytes: int
    rows: int  # in all its files together, header and blank rows included
    problems: int  # kept to show; the rest are counted

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            settings.IMPORT_MAX_UNZIPPED_BYTES,
            settings.IMPORT_MAX_ROWS,
            settings.IMPORT_MAX_PROBLEMS,
        )


class Problems:
    """Problems as they are found, keeping the first `keep` and counting the rest: a file of a
    hundred thousand wrong rows needs its first screenful shown, not a million messages held."""

    def __init__(self, keep: int) -> None:
        self.keep = max(keep, 1)
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        if len(self.kept) < self.keep:
            self.kept.append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __len__(self) -> int:
        return len(self.kept) + self.more

    def first(self) -> list[Problem]:
        return sorted(self.kept)


@dataclass
class Dataset:
    tables: dict[str, list[Row]]
    problems: Problems


class Refused(Exception):
    """Reading stops: the file is over a limit or cannot be read. Its one problem says which."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_table(lines: Lines, table: str, file: str, problems: Problems) -> list[Row]:
    """Parse one table from (line number, cells) pairs, the first pair being the header."""
    columns = {c.name: c for c in TABLES[table]}
    rows: list[Row] = []
    first = next(lines, None)
    if first is None:
        problems.add(Problem(file, 1, "", "the table is empty: it needs a header row"))
        return []
    header = [h.strip() for h in first[1]]
    while header and not header[-1]:
        header.pop()  # workbooks often carry empty trailing header cells
    found: list[Problem] = []
    counts = Counter(header)
    for name in header:
        if name not in columns:
            found.append(Problem(file, first[0], name, "unknown column"))
        elif counts[name] > 1:
            found.append(Problem(file, first[0], name, "the column appears more than once"))
    for name, column in columns.items():
        if column.required and name not in header:
            found.append(Problem(file, first[0], name, "a required column is missing"))
    if found:
        problems.extend(sorted(set(found)))
        return []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells)) if len(cells) < len(header) else cells
        if len(cells) != len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.add(
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
                problems.add(Problem(file, line, name, str(error)))
                row.failed.add(name)
        rows.append(row)
    return rows


class Feed:
    """A CSV file's lines for csv.reader, refusing a row (quoted line breaks included) longer
    than MAX_ROW_CHARS: csv would hold a row of any length, however many cells, in memory."""

    def __init__(self, text: IO[str], file: str) -> None:
        self.text, self.file = text, file
        self.taken = 0  # characters of the row being read
        self.lines = 0

    def __iter__(self) -> Feed:
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_ROW_CHARS + 1 - self.taken)
        if not line:
            raise StopIteration
        self.lines += 1
        self.taken += len(line)
        if self.taken > MAX_ROW_CHARS:
            message = f"the row is longer than {MAX_ROW_CHARS:,} characters"
            raise Refused(Problem(self.file, self.lines, "", message))
        return line


def csv_rows(text: IO[str], file: str) -> Lines:
    feed = Feed(text, file)
    reader = csv.reader(feed)
    try:
        for cells in reader:
            feed.taken = 0
            yield reader.line_num, cells
    except csv.Error as error:
        problem = Problem(file, reader.line_num, "", f"cannot be read as CSV: {error}")
        raise Refused(problem) from None
    except UnicodeDecodeError:
        message = "is not UTF-8 text; save it as CSV UTF-8 and upload it again"
        raise Refused(Problem(file, 0, "", message)) from None


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


class Reader:
    """One import's reading: every file it reads counts towards the same limits."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_settings()
        self.tables: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.problems = Problems(self.limits.problems)
        self.rows = 0

    def read(self, how: Callable[..., None], *args: Any) -> Dataset:
        try:
            how(*args)
        except Refused as refused:
            self.tables = {t: [] for t in TABLES}
            self.problems = Problems(self.limits.problems)
            self.problems.add(refused.problem)
        return Dataset(self.tables, self.problems)

    def table(self, table: str, lines: Lines, file: str) -> None:
        self.tables[table] = read_table(self.counted(lines, file), table, file, self.problems)

    def counted(self, lines: Lines, file: str) -> Lines:
        for line, cells in lines:
            self.rows += 1
            if self.rows > self.limits.rows:
                message = (
                    f"more than {self.limits.rows:,} rows in one import (blank rows count); "
                    "split it into smaller files"
                )
                raise Refused(Problem(file, line, "", message))
            yield line, cells

    def folder(self, folder: Path) -> None:
        """A missing file is an empty table: absent records are left as they are."""
        paths = {t: folder / f"{t}.csv" for t in TABLES if (folder / f"{t}.csv").exists()}
        if not paths:
            message = "no interchange files here (staff.csv, episodes.csv …)"
            self.problems.add(Problem(str(folder), 0, "", message))
            return
        size = sum(path.stat().st_size for path in paths.values())
        if size > self.limits.unzipped_bytes:
            limit = self.limits.unzipped_bytes // 1024**2
            message = (
                f"holds {size // 1024**2:,} MB of files, more than the {limit:,} MB an import "
                "may hold; split it into smaller files"
            )
            raise Refused(Problem(str(folder), 0, "", message))
        for table, path in paths.items():
            with path.open(encoding="utf-8-sig", newline="") as text:
                self.table(table, csv_rows(text, path.name), path.name)

    def zip(self, handle: IO[bytes], name: str) -> None:
        """The CSV files of a folder, zipped: at the top or inside one folder."""
        with refusing(name), open_zip(handle, "a .zip file") as archive:
            members = {
                PurePosixPath(i.filename).name: i for i in archive.infolist() if not i.is_dir()
            }
            present = {t: members[f"{t}.csv"] for t in TABLES if f"{t}.csv" in members}
            if not present:
                message = "no interchange files inside (staff.csv, episodes.csv …)"
                self.problems.add(Problem(name, 0, "", message))
                return
            unzipped_size(list(present.values()), self.limits.unzipped_bytes)
            for table, info in present.items():
                try:
                    with (
                        archive.open(info) as raw,
                        io.TextIOWrapper(raw, "utf-8-sig", newline="") as text,
                    ):
                        self.table(table, csv_rows(text, f"{table}.csv"), f"{table}.csv")
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                    raise Unreadable("cannot be read as a .zip file") from None

    def workbook(self, handle: IO[bytes], name: str) -> None:
        """One sheet per table, named like the CSV files without .csv; a real date cell is a
        date. The archive and its XML are checked before openpyxl opens it."""
        with refusing(name):
            with open_zip(handle, "an .xlsx workbook") as archive:
                unzipped_size(
                    [i for i in archive.infolist() if not i.is_dir()], self.limits.unzipped_bytes
                )
                scan_workbook(archive, self.limits.rows)
            handle.seek(0)
            import openpyxl  # on first use: commands and workers start without it

            try:
                book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            except Exception:  # openpyxl raises many kinds for a file that is not a workbook
                raise Unreadable("cannot be read as an .xlsx workbook") from None
            try:
                self.sheets(book, name)
            except Refused:
                raise
            except Exception:  # a sheet's XML broken part way through, say
                raise Unreadable("cannot be read as an .xlsx workbook") from None
            finally:
                book.close()

    def sheets(self, book: openpyxl.Workbook, name: str) -> None:
        for title in book.sheetnames:
            if title not in TABLES:
                self.problems.add(Problem(name, 0, title, "unknown sheet"))
        for table in TABLES:
            if table not in book.sheetnames:
                continue
            sheet: Any = book[table]
            sheet.reset_dimensions()  # the sheet's own claim of its size may be false
            lines = (
                (n, [workbook_cell(v) for v in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1)
            )
            self.table(table, lines, f"{name}[{table}]")


@contextmanager
def refusing(name: str) -> Iterator[None]:
    """The archive checks' Unreadable as the reader's Refused, naming the file."""
    try:
        yield
    except Unreadable as error:
        raise Refused(Problem(name, error.line, "", str(error))) from None


def read_dataset(path: Path, limits: Limits | None = None) -> Dataset:
    """A folder of CSV files, a .zip of them, or one .xlsx workbook."""
    if path.suffix.lower() in (".zip", ".xlsx"):
        with path.open("rb") as handle:
            return read_upload(handle, path.name, limits)
    reader = Reader(limits)
    return reader.read(reader.folder, path)


def read_upload(handle: IO[bytes], name: str, limits: Limits | None = None) -> Dataset:
    """An uploaded .zip of the CSV files or .xlsx workbook, told apart by its name."""
    reader = Reader(limits)
    if name.lower().endswith(".xlsx"):
        return reader.read(reader.workbook, handle, name)
    return reader.read(reader.zip, handle, name)
