"""Upload bombs: each is refused, quickly, by a reader held to a few hundred MB of memory.

The reader runs in a child process with its address space limited (resource.RLIMIT_AS), so a
reader that tried to unpack or hold the bomb would fail there with MemoryError, or run out of
time, instead of passing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.interchange.bombs import (
    CONTACTS_HEADER,
    header_row,
    read_limited,
    repeated,
    replaced,
    sheet_xml,
    workbook,
    zip_of,
)
from tests.interchange.test_import_export import EXAMPLE


def test_the_example_reads_within_the_memory_limit_as_a_zip_and_a_workbook(
    tmp_path: Path,
) -> None:
    members = {f"data/{p.name}": p.read_bytes() for p in EXAMPLE.glob("*.csv")}
    read = read_limited(zip_of(tmp_path / "example.zip", members))
    assert read["problems"] == [] and read["rows"]["contacts"] == 6075

    book = openpyxl.Workbook(write_only=True)
    for table in ("staff", "employers", "episodes", "contacts", "jobs"):
        sheet = book.create_sheet(table)
        for line in (EXAMPLE / f"{table}.csv").read_text().splitlines():
            sheet.append(line.split(","))
    book.save(tmp_path / "example.xlsx")
    read = read_limited(tmp_path / "example.xlsx")
    assert read["problems"] == [] and read["rows"]["contacts"] == 6075


def test_a_zip_that_unzips_past_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = repeated(
        tmp_path / "bomb.zip", "contacts.csv", CONTACTS_HEADER.encode(), b"\n", 64 << 20
    )
    assert bomb.stat().st_size < 1 << 20  # under 1 MB, 64 MB unzipped
    read = read_limited(bomb, seconds=10, OPENIPS_IMPORT_MAX_UNZIPPED_MB="16")
    assert read["problems"] == [
        "bomb.zip:0: : unzips to 64 MB, more than the 16 MB an import may hold; "
        "split it into smaller files"
    ]
    assert read["seconds"] < 1


@pytest.mark.parametrize(
    "line", [b"\n", b",,,,,\n", b"x\n", b"C1,2024-01-01,ES01,client,E1,,phone,,30,job_search,,\n"]
)
def test_millions_of_rows_are_refused_at_the_row_limit(tmp_path: Path, line: bytes) -> None:
    """Blank rows cost time, invalid ones a problem each, valid ones memory: all are counted."""
    bomb = repeated(
        tmp_path / "rows.zip", "contacts.csv", CONTACTS_HEADER.encode(), line, 2_000_000
    )
    read = read_limited(bomb, seconds=60, OPENIPS_IMPORT_MAX_ROWS="50000")
    assert read["problems"] == [
        "contacts.csv:50001: : more than 50,000 rows in one import (blank rows count); "
        "split it into smaller files"
    ]
    assert read["more"] == 0 and read["rows"]["contacts"] == 0


def test_the_row_limit_counts_every_file_of_the_import(tmp_path: Path) -> None:
    members = {
        "staff.csv": b"staff_id,name,role\n" + b"\n" * 150,
        "contacts.csv": CONTACTS_HEADER.encode() + b"\n" * 150,
    }
    read = read_limited(zip_of(tmp_path / "two.zip", members), OPENIPS_IMPORT_MAX_ROWS="200")
    assert read["problems"][0].startswith("contacts.csv:50: : more than 200 rows in one import")


def test_a_workbook_that_unzips_past_the_limit_is_refused_before_openpyxl_opens_it(
    tmp_path: Path,
) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>contact_id</t></is></c></row>'
    padding = "<row/>" * (6 << 20)  # 36 MB of XML
    bomb = replaced(
        workbook(tmp_path / "bomb.xlsx"),
        {"xl/worksheets/sheet1.xml": sheet_xml(rows + padding)},
    )
    assert bomb.stat().st_size < 1 << 20
    read = read_limited(bomb, seconds=10, OPENIPS_IMPORT_MAX_UNZIPPED_MB="16")
    assert len(read["problems"]) == 1
    assert read["problems"][0].startswith("bomb.xlsx:0: : unzips to 36 MB, more than the 16 MB")


def test_a_workbook_row_of_a_million_cells_is_refused(tmp_path: Path) -> None:
    bomb = replaced(
        workbook(tmp_path / "wide.xlsx"),
        {"xl/worksheets/sheet1.xml": sheet_xml("<row>" + "<c/>" * 1_000_000 + "</row>")},
    )
    read = read_limited(bomb, seconds=20)
    assert read["problems"] == [
        "wide.xlsx:1: : a row has more than 64 cells; the interchange tables have at most 21 "
        "columns"
    ]


def test_a_workbook_that_claims_every_row_and_column_is_refused(tmp_path: Path) -> None:
    """openpyxl fills in the rows and cells a sheet skips: one cell at XFD1048576 would become
    17 billion empty ones."""
    last = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    bomb = replaced(
        workbook(tmp_path / "far.xlsx"),
        {"xl/worksheets/sheet1.xml": sheet_xml(header_row() + last, "A1:XFD1048576")},
    )
    read = read_limited(bomb, seconds=20)
    assert read["problems"] == [
        "far.xlsx:1048576: : a sheet reaches row 1,048,576; an import may hold at most "
        "300,000 rows (blank rows count)"
    ]


def test_a_row_beyond_the_interchange_columns_is_refused_not_padded(tmp_path: Path) -> None:
    bomb = replaced(
        workbook(tmp_path / "far.xlsx"),
        {
            "xl/worksheets/sheet1.xml": sheet_xml(
                header_row() + '<row r="2"><c r="XFD2"><v>1</v></c></row>'
            )
        },
    )
    read = read_limited(bomb, seconds=20)
    assert read["problems"] == [
        "far.xlsx:2: : a row has more than 64 cells; the interchange tables have at most 21 columns"
    ]


def test_a_workbook_with_a_million_styles_is_refused(tmp_path: Path) -> None:
    """openpyxl reads a workbook's styles whole, however many."""
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cellXfs count="1000000">' + "<xf/>" * 1_000_000 + "</cellXfs></styleSheet>"
    )
    bomb = replaced(workbook(tmp_path / "styles.xlsx"), {"xl/styles.xml": styles.encode()})
    read = read_limited(bomb, seconds=20)
    assert read["problems"] == [
        "styles.xlsx:0: : cannot be read as an .xlsx workbook: its part xl/styles.xml has more "
        "than 100,000 elements"
    ]


def test_a_zip_with_thousands_of_members_is_refused_before_they_are_listed(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for n in range(5_000):  # a 1.2 MB directory: each entry's name is 200 characters long
            archive.writestr(f"{n:0>200}", b"")
    read = read_limited(tmp_path / "many.zip", seconds=20)
    assert read["problems"] == ["many.zip:0: : holds too many files to be an import"]


def test_a_sheet_whose_root_is_renamed_is_still_limited(tmp_path: Path) -> None:
    """openpyxl reads a sheet's rows whatever its root element is called."""
    renamed = sheet_xml(header_row() + '<row r="2"><c r="XFD2"/></row>' * 50_000)
    renamed = renamed.replace(b"<worksheet", b"<ws").replace(b"</worksheet>", b"</ws>")
    bomb = replaced(workbook(tmp_path / "ws.xlsx"), {"xl/worksheets/sheet1.xml": renamed})
    read = read_limited(bomb, seconds=20)
    assert read["problems"] == [
        "ws.xlsx:2: : a row has more than 64 cells; the interchange tables have at most 21 columns"
    ]
