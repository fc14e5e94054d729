"""`openips talking_therapies_employment`: a service's Talking Therapies employment records of a
period as a CSV in the data set's field names and codes, read in one query, audited."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Episode
from openips.employment import services, talking_therapies
from openips.employment.codes import EmploymentStatus, Moment, WeeklyHoursWorked
from openips.employment.models import EmploymentRecord
from tests.conftest import World, make_person
from tests.employment.test_employment_records import values

HEADER = [
    "LocalPatientId",
    "ServiceRequestId",
    "EmployStatus",
    "EmployStatusRecDate",
    "WeekHoursWorked",
    "SelfEmployInd",
    "SickAbsenceInd",
    "SSPInd",
    "BenefitRecInd",
    "ESAInd",
    "UCInd",
    "PIPInd",
    "EmpSupportInd",
    "EmpSupportReferral",
    "EmpSupportDischargeDate",
]


def save(world: World, episode: Episode, moment: Moment, **changes: Any) -> EmploymentRecord:
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    return services.record_employment(actor, episode, moment, values(**changes))


def export(tmp_path: Path, service: str, start: str, end: str) -> tuple[list[list[str]], str]:
    target = tmp_path / "out" / "tt.csv"
    out = StringIO()
    call_command(
        "talking_therapies_employment",
        "--service",
        service,
        "--start",
        start,
        "--end",
        end,
        str(target),
        stdout=out,
    )
    raw = target.read_bytes().decode("utf-8")
    return list(csv.reader(StringIO(raw, newline=""))), raw


def test_the_csv_has_the_data_sets_names_and_codes(world: World, tmp_path: Path) -> None:
    episode = world.episode(world.person_a)
    Episode.objects.filter(pk=episode.pk).update(
        discharge_date=date(2025, 6, 30), discharge_reason="moved_on_in_work"
    )
    save(world, episode, Moment.ASSESSMENT, universal_credit=True, benefits_received=True)
    save(
        world,
        episode,
        Moment.DISCHARGE,
        recorded_on=date(2025, 6, 30),
        employment_status=EmploymentStatus.UNEMPLOYED,
        weekly_hours=WeeklyHoursWorked.NOT_EMPLOYED,
        self_employed=None,
        sick_absence=None,
        statutory_sick_pay=False,
        esa=None,
        employment_support_suitable="NA",
    )
    save(world, world.episode(world.person_b), Moment.ASSESSMENT)  # another service's

    rows, raw = export(tmp_path, "svc-a", "2025-01-01", "2025-12-31")
    assert rows[0] == HEADER
    ids, dates = ["A001", "A001-1"], ["2025-01-06", "2025-06-30"]  # referral and discharge
    assert rows[1:] == [
        # Employed, off sick with SSP, receiving Universal Credit, PIP not known.
        [*ids, "01", "2025-02-03", "02", "N", "Y", "Y", "Y", "N", "Y", "U", "Y", *dates],
        # Unemployed: self-employment and sickness absence are not applicable (8).
        [*ids, "02", "2025-06-30", "98", "8", "8", "N", "N", "U", "N", "U", "NA", *dates],
    ]
    assert raw.startswith('"LocalPatientId","ServiceRequestId",')  # every field quoted
    assert raw.count("\r\n") == 3 and "\n" not in raw.replace("\r\n", "")


def test_employed_answers_not_known_are_x_and_others_u(world: World, tmp_path: Path) -> None:
    save(
        world,
        world.episode(world.person_a),
        Moment.ASSESSMENT,
        self_employed=None,
        sick_absence=None,
        statutory_sick_pay=None,
        benefits_received=None,
    )
    rows, _ = export(tmp_path, "svc-a", "2025-02-03", "2025-02-03")
    [row] = rows[1:]
    coded = dict(zip(HEADER, row, strict=True))
    assert (coded["SelfEmployInd"], coded["SickAbsenceInd"]) == ("X", "X")
    assert (coded["SSPInd"], coded["BenefitRecInd"]) == ("U", "U")
    assert coded["EmpSupportDischargeDate"] == ""  # the episode is open


def test_the_period_is_by_the_date_each_record_was_made(world: World, tmp_path: Path) -> None:
    episode = world.episode(world.person_a)
    save(world, episode, Moment.ASSESSMENT)
    save(world, episode, Moment.DISCHARGE, recorded_on=date(2025, 3, 1))
    rows, _ = export(tmp_path, "svc-a", "2025-03-01", "2025-03-31")
    assert [r[3] for r in rows[1:]] == ["2025-03-01"]
    rows, _ = export(tmp_path, "svc-a", "2024-01-01", "2024-12-31")
    assert rows == [HEADER]


def test_the_export_is_audited_and_streams_one_query(world: World, tmp_path: Path) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    for n in range(30):
        person = make_person(world.service_a, world.team_a, es, f"T{n:03d}", "")
        for moment in Moment:
            save(world, person.episodes.get(), moment)
    year = (date(2025, 1, 1), date(2025, 12, 31))
    found = talking_therapies.records_for(world.service_a, *year)
    with CaptureQueriesContext(connection) as ctx:
        written = list(talking_therapies.rows(world.service_a, *year))
    assert len(ctx.captured_queries) == 1 and len(written) == 61 and found.count() == 60
    assert [r[1] for r in written[1:3]] == ["T000-1", "T000-1"]  # assessment, then discharge

    export(tmp_path, "svc-a", "2025-01-01", "2025-12-31")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.service_id == world.service_a.pk and event.actor is None
    assert event.actor_label == "command line"
    assert event.changes["rows"] == 60
    assert event.changes["kind"] == "talking_therapies_employment"
    assert (event.changes["period_start"], event.changes["period_end"]) == (
        "2025-01-01",
        "2025-12-31",
    )


def test_a_formula_in_an_old_id_is_guarded(world: World, tmp_path: Path) -> None:
    episode = world.episode(world.person_a)
    save(world, episode, Moment.ASSESSMENT)
    Episode.objects.filter(pk=episode.pk).update(episode_id="=1+1")  # stored before the rules
    rows, _ = export(tmp_path, "svc-a", "2025-01-01", "2025-12-31")
    assert rows[1][1] == "'=1+1"


@pytest.mark.parametrize(
    ("service", "start", "end", "message"),
    [
        ("nope", "2025-01-01", "2025-01-31", "no service with the code 'nope'"),
        ("svc-a", "2025-13-01", "2025-01-31", "'2025-13-01' is not a date written YYYY-MM-DD"),
        ("svc-a", "2025-02-01", "2025-01-31", "--end must be on or after --start"),
    ],
)
def test_a_wrong_service_or_period_writes_nothing(
    world: World, tmp_path: Path, service: str, start: str, end: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        export(tmp_path, service, start, end)
    assert not (tmp_path / "out").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_failed_export_leaves_no_partial_file(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(world, world.episode(world.person_a), Moment.ASSESSMENT)
    target = tmp_path / "tt.csv"
    target.write_bytes(b"the earlier export\r\n")

    def broken(record: EmploymentRecord) -> list[str]:
        raise RuntimeError("cut off")

    monkeypatch.setattr(talking_therapies, "row", broken)
    with pytest.raises(RuntimeError):
        talking_therapies.to_file(world.service_a, date(2025, 1, 1), date(2025, 12, 31), target)
    assert target.read_bytes() == b"the earlier export\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tt.csv"]
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_every_code_written_is_one_of_the_data_sets() -> None:
    """The indicator codes the export writes, against the lists NHS England's Talking Therapies
    reporting reads (SELF EMPLOYED and SICKNESS ABSENCE: Y N Z X 8; the others Y N U Z)."""
    assert set(talking_therapies.EMPLOYMENT_INDICATOR.values()) | {
        talking_therapies.NOT_APPLICABLE
    } <= {"Y", "N", "Z", "X", "8"}
    assert set(talking_therapies.INDICATOR.values()) <= {"Y", "N", "U", "Z"}
    assert talking_therapies.COLUMNS == HEADER
