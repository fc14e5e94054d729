"""Hostile text in an export: every field quoted, rows ending CRLF, formula starts guarded. Text
the rules accept comes back unchanged through export and import; text stored before the rules
(a bare CR in a job title) stays inside its own row, and import names it instead of splitting it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from openips.employment.models import Employer, Job
from openips.interchange.exporter import export_folder, export_workbook
from openips.interchange.importer import import_folder
from openips.organisations.models import Service
from tests.conftest import World

# Text a spreadsheet would run, quotes that look like the guard, CSV's own punctuation.
ACCEPTED = [
    "=1+1",
    "+44 7700 900123",
    "-2+3",
    "@SUM(A1:A9)",
    "'quoted",
    "'=already guarded",
    "''=twice",
    'say "hi", then; go',
    "  padded  ",
    "Café Ünïcode ☕",
]


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def names_in(service: Service) -> list[str]:
    employers = Employer.objects.filter(service=service).order_by("employer_id")
    return [e.name for e in employers]


def hostile_employers(world: World) -> None:
    Employer.objects.bulk_create(
        Employer(service=world.service_a, employer_id=f"H{n:02d}", name=name)
        for n, name in enumerate(ACCEPTED)
    )


@pytest.mark.parametrize("container", ["folder", "workbook"])
def test_text_the_rules_accept_comes_back_unchanged(
    world: World, tmp_path: Path, container: str
) -> None:
    hostile_employers(world)
    before = names_in(world.service_a)
    if container == "folder":
        export_folder(world.service_a, tmp_path / "out")
        source = tmp_path / "out"
    else:
        export_workbook(world.service_a, tmp_path / "out.xlsx")
        source = tmp_path / "out.xlsx"
    outcome = import_folder(source, "restored")
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert names_in(Service.objects.get(code="restored")) == before


def test_every_field_is_quoted_rows_end_crlf_and_formulas_are_guarded(
    world: World, tmp_path: Path
) -> None:
    hostile_employers(world)
    export_folder(world.service_a, tmp_path / "out")
    raw = (tmp_path / "out" / "employers.csv").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(line.startswith(b'"') for line in lines[:-1])
    assert b'"=1+1"' not in raw and b'"\'=1+1"' in raw
    cells = [cell for row in rows(tmp_path / "out" / "employers.csv") for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_a_bare_cr_stored_before_the_rules_stays_in_its_row_and_is_named_on_import(
    world: World, tmp_path: Path
) -> None:
    # update(): written around validation, as rows stored before the one-line rule were.
    Job.objects.filter(pk=world.jobs["a"].pk).update(job_title="Cleaner\r=1+1")
    Employer.objects.filter(pk=world.employers["a"].pk).update(name="\t=HYPERLINK(1)")
    export_folder(world.service_a, tmp_path / "out")
    jobs = rows(tmp_path / "out" / "jobs.csv")
    assert [r[0] for r in jobs] == ["job_id", "J-a"]  # one record, one row
    assert jobs[1][3] == "Cleaner\r=1+1"
    employers = rows(tmp_path / "out" / "employers.csv")
    assert employers[1][1] == "'\t=HYPERLINK(1)"  # a tab before a formula is guarded too
    problems = [str(p) for p in import_folder(tmp_path / "out", "restored").problems]
    assert problems == [
        "employers.csv:2: name: must be on one line, without line breaks, tabs or control "
        "characters",
        "jobs.csv:3: job_title: must be on one line, without line breaks, tabs or control "
        "characters",
    ]
    assert not Service.objects.filter(code="restored").exists()  # nothing half-imported


def test_an_export_with_a_job_far_ahead_still_writes(world: World, tmp_path: Path) -> None:
    Job.objects.filter(pk=world.jobs["a"].pk).update(start_date=date.max)
    counts = export_folder(world.service_a, tmp_path / "out")
    assert counts["jobs"] == 1
    assert rows(tmp_path / "out" / "jobs.csv")[1][5] == "9999-12-31"
