"""Checks on a .zip or .xlsx before anything unpacks it (ADR 0012).

Both are zip archives, and a small archive can unpack to gigabytes. A workbook's XML can also
make openpyxl build millions of objects out of a few megabytes: a row of a million empty cells, a
cell at XFD1048576 (openpyxl fills in every row and cell before it), a million styles. So the
archive's own directory is checked first, then every part is scanned as a stream of XML tags,
keeping nothing, before openpyxl opens the workbook."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import IO, Any
from xml.parsers import expat

from openips.interchange.schema import TABLES

MAX_DIRECTORY_BYTES = 1024**2  # the archive's list of its files: some 20,000 of them at most
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what zip tools and Excel write
MAX_COLUMNS = 64  # cells in a workbook row; the widest table has 15 columns
WIDEST = max(len(columns) for columns in TABLES.values())
MAX_ROW_TAGS = 1000  # tags in one workbook row: its cells, values and rich-text runs
MAX_PART_TAGS = 100_000  # tags in a part openpyxl reads whole (styles, the workbook, relations)
CHUNK = 1 << 16
# zipfile's own reader of an archive's last record, which gives the size of its directory before
# ZipFile would hold an object for each entry. Private to zipfile, so not in its type hints.
_end_record: Callable[[IO[bytes]], Sequence[Any] | None] = vars(zipfile)["_EndRecData"]
_DIRECTORY_SIZE: int = vars(zipfile)["_ECD_SIZE"]  # where the directory's size is in that record


class Unreadable(Exception):
    """The archive is over a limit or malformed; the message says why, for the person."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def open_zip(handle: IO[bytes], what: str) -> zipfile.ZipFile:
    """The archive, once its directory is small and every file in it readable. `what` names the
    format for messages ("a .zip file", "an .xlsx workbook")."""
    try:
        end = _end_record(handle)
    except OSError:
        end = None
    if not end:
        raise Unreadable(f"cannot be read as {what}")
    if end[_DIRECTORY_SIZE] > MAX_DIRECTORY_BYTES:
        raise Unreadable("holds too many files to be an import")
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError):
        raise Unreadable(f"cannot be read as {what}") from None
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise Unreadable("is protected by a password; save it again without one")
        if info.compress_type not in METHODS and not info.is_dir():
            raise Unreadable(
                f"cannot be read as {what}: {info.filename} is compressed in a way OpenIPS "
                "does not read; zip it again with a standard zip tool"
            )
    return archive


def unzipped_size(members: list[zipfile.ZipInfo], limit: int) -> None:
    """Refuse members that unzip past `limit` bytes in all. zipfile reads no more of a member
    than its directory entry declares, and refuses a member whose data does not match it."""
    size = sum(m.file_size for m in members)
    if size > limit:
        raise Unreadable(
            f"unzips to {size // 1024**2:,} MB, more than the {limit // 1024**2:,} MB an import "
            "may hold; split it into smaller files"
        )


def scan_workbook(archive: zipfile.ZipFile, max_rows: int) -> None:
    """Scan every part of a workbook before openpyxl opens it (see the module's docstring)."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        scan = PartScan(info.filename, max_rows)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = scan.start
        parser.EndElementHandler = scan.end
        try:
            with archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            # Not XML (a picture, say): openpyxl would stop at the same byte if it read it.
            continue
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise Unreadable("cannot be read as an .xlsx workbook") from None


class PartScan:
    """Counts the tags of one part as they stream past. A worksheet is read row by row, so only
    its rows are limited (how many, how wide, how many tags each); the shared strings are held
    as one list, a string per cell at most; any other part is read whole and kept small."""

    def __init__(self, name: str, max_rows: int) -> None:
        self.name = name
        self.max_rows = max_rows
        self.kind = ""
        self.tags = 0
        self.row = 0
        self.in_row: int | None = None  # tags so far in the row being read
        self.column = 0
        self.strings = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if not self.kind:
            self.kind = tag
        elif self.kind == "sst":
            self.shared_string(tag)
        elif self.kind == "worksheet" or tag in ("row", "c"):
            # openpyxl reads rows whatever a part's root is called, so rows are limited anywhere.
            self.worksheet(tag, attrs)
        else:
            self.count()

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] in ("row", "si"):
            self.in_row = None

    def count(self) -> None:
        self.tags += 1
        if self.tags > MAX_PART_TAGS:
            raise Unreadable(
                f"cannot be read as an .xlsx workbook: its part {self.name} has more than "
                f"{MAX_PART_TAGS:,} elements"
            )

    def worksheet(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "row":
            self.row = self.number(attrs.get("r"), self.row + 1)
            if self.row > self.max_rows:
                raise Unreadable(
                    f"a sheet reaches row {self.row:,}; an import may hold at most "
                    f"{self.max_rows:,} rows (blank rows count)",
                    self.row,
                )
            self.in_row, self.column = 0, 0
            return
        if self.in_row is None:
            self.count()  # outside the rows: merged cells, formatting rules, links
            return
        self.in_row += 1
        if tag == "c":
            self.column = self.cell_column(attrs.get("r"))
        if self.in_row > MAX_ROW_TAGS or self.column > MAX_COLUMNS:
            raise Unreadable(
                f"a row has more than {MAX_COLUMNS} cells; the interchange tables have at most "
                f"{WIDEST} columns",
                self.row,
            )

    def shared_string(self, tag: str) -> None:
        if tag == "si":
            self.strings += 1
            self.in_row = 0
            if self.strings > self.max_rows * WIDEST:
                raise Unreadable("cannot be read as an .xlsx workbook: it has too many strings")
        elif self.in_row is not None:
            self.in_row += 1
            if self.in_row > MAX_ROW_TAGS:
                raise Unreadable("cannot be read as an .xlsx workbook: a cell is too complex")

    def number(self, text: str | None, default: int) -> int:
        if text is None:
            return default
        if not text.isdigit():
            raise Unreadable("cannot be read as an .xlsx workbook", self.row)
        return int(text)

    def cell_column(self, reference: str | None) -> int:
        if reference is None:
            return self.column + 1
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.utils.exceptions import CellCoordinatesException

        try:
            return coordinate_to_tuple(reference)[1]
        except (ValueError, TypeError, CellCoordinatesException):
            raise Unreadable("cannot be read as an .xlsx workbook", self.row) from None
