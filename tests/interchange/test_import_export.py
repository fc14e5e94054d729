from __future__ import annotations

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openips.audit.models import AuditAction, AuditEvent
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Employer, Job
from openips.interchange.exporter import export_folder
from openips.interchange.importer import import_folder
from openips.organisations.models import Service, StaffMember
from tests.conftest import World
from tests.examples import SMALL_SERVICE

EXAMPLE = SMALL_SERVICE
pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (StaffMember, Employer, Person, Episode, Contact, Job))


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell, `line` counted as in error messages (the header is line 1)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_the_example_imports_exports_and_reimports_with_identical_files(
    example: Path, tmp_path: Path
) -> None:
    first = import_folder(example, "EXAMPLE")
    assert first.ok, first.problems
    assert first.created == {
        "staff": 4,
        "employers": 30,
        "episodes": 120,
        "contacts": 6075,
        "jobs": 51,
        "admissions": 0,  # the example has no stays or scores: the files are optional
        "measures": 0,
    }
    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "out1")
    assert import_folder(tmp_path / "out1", "COPY", organisation="Copy trust").ok  # a new service
    export_folder(Service.objects.get(code="COPY"), tmp_path / "out2")
    for table in ("staff", "employers", "episodes", "contacts", "jobs"):
        one, two = (tmp_path / d / f"{table}.csv" for d in ("out1", "out2"))
        assert one.read_text() == two.read_text(), table
    with (tmp_path / "out1" / "contacts.csv").open() as handle:
        assert sum(1 for _ in handle) == 6076


def test_reimporting_the_same_files_changes_nothing(example: Path) -> None:
    import_folder(example, "EXAMPLE")
    before = counts()
    again = import_folder(example, "EXAMPLE")
    assert set(again.created.values()) == {0} and set(again.updated.values()) == {0}
    assert counts() == before


def test_a_changed_row_is_updated_and_absent_records_are_kept(example: Path) -> None:
    import_folder(example, "EXAMPLE")
    edit_csv(example / "episodes.csv", 2, "discharge_reason", "moved_away")
    (example / "jobs.csv").write_text((example / "jobs.csv").read_text().splitlines()[0] + "\n")
    outcome = import_folder(example, "EXAMPLE")
    assert outcome.updated["episodes"] == 1 and outcome.created["jobs"] == 0
    episode = Episode.objects.get(episode_id="EP00001")
    assert (episode.discharge_reason, episode.version) == ("moved_away", 2)
    assert Job.objects.count() == 51


def test_planted_errors_are_all_listed_and_nothing_is_written(example: Path) -> None:
    edit_csv(example / "episodes.csv", 2, "nhs_number", "999 625 2761")
    edit_csv(example / "episodes.csv", 3, "referral_source", "jobcentre")
    edit_csv(example / "jobs.csv", 3, "end_date", "2024-01-01")
    edit_csv(example / "contacts.csv", 4, "staff_id", "ES99")
    edit_csv(example / "contacts.csv", 5, "date", "03/02/2025")
    edit_csv(example / "staff.csv", 2, "fte", "1.5")
    outcome = import_folder(example, "EXAMPLE")
    found = [str(p) for p in outcome.problems]
    assert found == sorted(found)
    for expected in (
        "episodes.csv:2: nhs_number: '999 625 2761' is not a valid NHS number",
        "episodes.csv:3: referral_source: 'jobcentre' is not a known code",
        "jobs.csv:3: end_date: must be on or after start_date (2024-09-14)",
        "contacts.csv:4: staff_id: unknown staff_id ES99",
        "contacts.csv:5: date: must be a date written YYYY-MM-DD, not '03/02/2025'",
        "staff.csv:2: fte: must be more than 0 and at most 1",
    ):
        assert any(line.startswith(expected) for line in found), expected
    assert len(found) == 6
    assert counts() == (0, 0, 0, 0, 0, 0)
    assert not Service.objects.filter(code="EXAMPLE").exists()


def test_header_problems_are_reported(example: Path) -> None:
    text = (example / "employers.csv").read_text().replace("sector", "sectr", 1)
    (example / "employers.csv").write_text(text)
    problems = [str(p) for p in import_folder(example, "EXAMPLE").problems]
    assert "employers.csv:1: sectr: unknown column" in problems


def test_references_to_records_already_in_the_service_are_accepted(
    example: Path, tmp_path: Path
) -> None:
    import_folder(example, "EXAMPLE")
    only_jobs = tmp_path / "jobs-only"
    only_jobs.mkdir()
    shutil.copy(example / "jobs.csv", only_jobs / "jobs.csv")
    assert import_folder(only_jobs, "EXAMPLE").ok


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(
    example: Path, tmp_path: Path
) -> None:
    edit_csv(example / "employers.csv", 2, "name", '=HYPERLINK("http://example.com")')
    import_folder(example, "EXAMPLE")
    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "out")
    assert "'=HYPERLINK" in (tmp_path / "out" / "employers.csv").read_text()
    import_folder(tmp_path / "out", "COPY", organisation="Copy trust")
    assert Employer.objects.get(service__code="COPY", employer_id="EMP001").name.startswith(
        "=HYPERLINK"
    )


def test_import_and_export_are_audited(example: Path, tmp_path: Path) -> None:
    import_folder(example, "EXAMPLE")
    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "out")
    events = {e.action: e for e in AuditEvent.objects.all()}
    assert events[AuditAction.IMPORT].changes["created"]["contacts"] == 6075
    assert events[AuditAction.EXPORT].changes["rows"]["contacts"] == 6075


def test_the_command_prints_every_problem_and_exits_non_zero(example: Path) -> None:
    edit_csv(example / "staff.csv", 2, "fte", "2")
    edit_csv(example / "staff.csv", 3, "role", "boss")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems found; nothing was imported"):
        call_command("import", str(example), service="EXAMPLE", stderr=err)
    assert "staff.csv:2: fte: must be more than 0 and at most 1" in err.getvalue()
    assert "staff.csv:3: role: 'boss' is not a known code" in err.getvalue()


def test_the_commands_round_trip(example: Path, tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "import", str(example), service="EXAMPLE", organisation="Example Trust", stdout=out
    )
    assert "contacts: 6075 created" in out.getvalue()
    assert Service.objects.get(code="EXAMPLE").organisation.name == "Example Trust"
    call_command("export", str(tmp_path / "out"), service="EXAMPLE", stdout=out)
    assert "contacts.csv: 6075 rows" in out.getvalue()


def test_a_service_re_imports_its_export_when_a_client_is_also_anothers(
    world: World, tmp_path: Path
) -> None:
    """A person known first to service A and referred to A2 since: A2's files name them, and
    A2 can import its own export again without a second record of them."""
    from datetime import date

    other = Service.objects.create(organisation=world.org1, code="svc-a2", name="Service A2")
    Episode.objects.create(
        service=other,
        person=world.person_a,
        episode_id="A001-2",
        referral_date=date(2025, 6, 1),
        referral_source="self",
        employment_status_at_referral="unemployed",
    )
    export_folder(other, tmp_path / "a2")
    people = Person.objects.count()
    again = import_folder(tmp_path / "a2", "svc-a2")
    assert again.ok, again.problems
    assert Person.objects.count() == people
    assert Episode.objects.get(episode_id="A001-2", service=other).person_id == world.person_a.pk
