from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from openips.interchange.exporter import export_folder, export_workbook
from openips.interchange.importer import import_folder
from openips.organisations.models import Service
from tests.interchange.test_import_export import EXAMPLE

pytestmark = pytest.mark.django_db


def test_a_workbook_round_trips_like_the_csv_folder(tmp_path: Path) -> None:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    export_workbook(Service.objects.get(code="EXAMPLE"), tmp_path / "example.xlsx")
    outcome = import_folder(tmp_path / "example.xlsx", "FROM-XLSX", organisation="Workbook trust")
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    assert outcome.created["contacts"] == 6075
    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "a")
    export_folder(Service.objects.get(code="FROM-XLSX"), tmp_path / "b")
    for table in ("staff", "employers", "episodes", "contacts", "jobs"):
        assert (tmp_path / "a" / f"{table}.csv").read_text() == (
            tmp_path / "b" / f"{table}.csv"
        ).read_text()


def test_a_real_date_cell_is_accepted_and_errors_name_the_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "staff"
    sheet.append(["staff_id", "name", "role", "fte", "start_date", "end_date"])
    naive = datetime(2024, 4, 1)  # noqa: DTZ001  (a workbook's date cell has no time zone)
    sheet.append(["ES01", "Ana", "employment_specialist", 0.8, naive, None])
    sheet.append(["ES02", "Bo", "employment_specialist", 1.2, "1/4/2024", None])
    book.save(tmp_path / "staff.xlsx")
    problems = [str(p) for p in import_folder(tmp_path / "staff.xlsx", "X").problems]
    assert problems == [
        "staff.xlsx[staff]:3: fte: must be more than 0 and at most 1",
        "staff.xlsx[staff]:3: start_date: must be a date written YYYY-MM-DD, not '1/4/2024'",
    ] or sorted(problems) == sorted(
        [
            "staff.xlsx[staff]:3: start_date: must be a date written YYYY-MM-DD, not '1/4/2024'",
            "staff.xlsx[staff]:3: fte: must be more than 0 and at most 1",
        ]
    )
    fixed = tmp_path / "fixed.xlsx"
    sheet.delete_rows(3)
    book.save(fixed)
    assert import_folder(fixed, "X").ok
    staff = Service.objects.get(code="X").staff.get()
    assert (str(staff.start_date), str(staff.fte.normalize())) == ("2024-04-01", "0.8")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    assert [str(p) for p in import_folder(tmp_path / "bad.xlsx", "X").problems] == [
        "bad.xlsx:0: : cannot be read as an .xlsx workbook"
    ]
