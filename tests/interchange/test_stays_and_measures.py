"""admissions.csv and measures.csv: imported, exported and round-tripped like the other files,
all or nothing with every problem listed, and written one record at a time through the API."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from openips.clients.models import HospitalStay, MeasureScore
from openips.interchange.exporter import export_folder
from openips.interchange.importer import import_folder
from openips.organisations.models import Service
from tests.api.test_writes import Api, problems
from tests.conftest import World
from tests.examples import SMALL_SERVICE

pytestmark = pytest.mark.django_db

# P00001's episode EP00001 was referred and accepted on 2024-12-18; P00002's on 2023-12-19.
ADMISSIONS = """admission_id,client_id,admission_date,discharge_date,setting
ADM1,P00001,2024-10-02,2024-10-30,mental_health_inpatient
ADM2,P00001,2025-03-03,,mental_health_inpatient
ADM3,P00002,2024-01-10,2024-01-10,other_inpatient
"""
MEASURES = """measure_id,episode_id,measure,date,score
M1,EP00001,reqol_10,2024-12-20,14
M2,EP00001,reqol_10,2025-04-01,22
M3,EP00001,swemwbs,2024-12-20,19.25
M4,EP00002,core_10,2023-12-19,30
M5,EP00002,dialog,2024-03-20,4.50
"""


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(SMALL_SERVICE, copy)
    (copy / "admissions.csv").write_text(ADMISSIONS)
    (copy / "measures.csv").write_text(MEASURES)
    return copy


def test_stays_and_scores_import_export_and_reimport_with_identical_files(
    example: Path, tmp_path: Path
) -> None:
    first = import_folder(example, "EXAMPLE")
    assert first.ok, first.problems
    assert (first.created["admissions"], first.created["measures"]) == (3, 5)
    still_in = HospitalStay.objects.get(admission_id="ADM2")
    assert still_in.discharge_date is None and still_in.person.client_id == "P00001"
    score = MeasureScore.objects.get(measure_id="M5")
    assert (score.episode.episode_id, score.score) == ("EP00002", Decimal("4.50"))

    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "out1")
    assert import_folder(tmp_path / "out1", "COPY", organisation="Copy trust").ok
    export_folder(Service.objects.get(code="COPY"), tmp_path / "out2")
    for table in ("admissions", "measures"):
        one, two = (tmp_path / d / f"{table}.csv" for d in ("out1", "out2"))
        assert one.read_text() == two.read_text(), table
    exported = (tmp_path / "out1" / "admissions.csv").read_text().splitlines()
    assert exported[2] == '"ADM2","P00001","2025-03-03","","mental_health_inpatient"'
    scores = (tmp_path / "out1" / "measures.csv").read_text()
    assert '"M5","EP00002","dialog","2024-03-20","4.5"' in scores
    again = import_folder(tmp_path / "out1", "COPY")
    assert again.created["measures"] == again.updated["measures"] == 0


def test_a_folder_without_them_imports_and_exports_them_with_a_header_only(
    tmp_path: Path,
) -> None:
    assert import_folder(SMALL_SERVICE, "EXAMPLE").ok
    export_folder(Service.objects.get(code="EXAMPLE"), tmp_path / "out")
    assert (tmp_path / "out" / "admissions.csv").read_bytes() == (
        b'"admission_id","client_id","admission_date","discharge_date","setting"\r\n'
    )
    assert (tmp_path / "out" / "measures.csv").read_text().startswith('"measure_id","episode_id"')


def test_every_problem_is_listed_and_nothing_is_written(example: Path) -> None:
    (example / "admissions.csv").write_text(
        ADMISSIONS
        + "ADM4,P99999,2024-05-01,2024-05-03,mental_health_inpatient\n"
        + "ADM5,P00003,2024-05-09,2024-05-01,mental_health_inpatient\n"
        + "ADM6,P00003,2024-05-09,,ward\n"
        + "ADM1,P00003,2024-06-01,,other_inpatient\n"
    )
    (example / "measures.csv").write_text(
        MEASURES
        + "M6,EP00001,reqol_10,2025-01-02,41\n"
        + "M7,EP00001,reqol_10,2025-01-02,12.5\n"
        + "M8,EP00001,swemwbs,2025-01-02,6.99\n"
        + "M9,EP00001,dialog,2025-01-02,3.125\n"
        + "M10,EP99999,core_10,2025-01-02,10\n"
        + "M11,EP00001,core_10,2024-12-01,10\n"
        + "M12,EP00001,phq_9,2025-01-02,10\n"
    )
    outcome = import_folder(example, "EXAMPLE")
    found = [str(p) for p in outcome.problems]
    assert found == [
        "admissions.csv:5: client_id: unknown client_id P99999",
        "admissions.csv:6: discharge_date: must be on or after admission_date (2024-05-09)",
        "admissions.csv:7: setting: 'ward' is not a known code; use one of: "
        "mental_health_inpatient, other_inpatient",
        "admissions.csv:8: admission_id: ADM1 appears more than once (first on line 2)",
        "measures.csv:7: score: must be between 0 and 40",  # no measure's total goes above
        "measures.csv:8: score: must be a whole number for ReQoL-10",
        "measures.csv:9: score: must be between 7 and 35 for SWEMWBS",
        "measures.csv:10: score: Ensure that there are no more than 2 decimal places.",
        "measures.csv:11: episode_id: unknown episode_id EP99999",
        "measures.csv:12: date: is before the episode's referral_date (2024-12-18)",
        "measures.csv:13: measure: 'phq_9' is not a known code; use one of: "
        "reqol_10, swemwbs, core_10, dialog",
    ]
    assert not Service.objects.filter(code="EXAMPLE").exists()
    assert not HospitalStay.objects.exists() and not MeasureScore.objects.exists()


def test_the_api_writes_a_stay_and_a_score_with_the_same_rules(world: World) -> None:
    api = Api(world)
    stay = {
        "service": "svc-a",
        "admission_id": "ADM-1",
        "client_id": world.person_a.client_id,
        "admission_date": "2024-11-04",
        "discharge_date": "2024-11-20",
        "setting": "mental_health_inpatient",
    }
    response = api.post("api:create_admission", stay)
    assert response.status_code == 201, response.content
    assert response.json()["client_id"] == world.person_a.client_id
    assert HospitalStay.objects.get(admission_id="ADM-1").person == world.person_a
    # Someone of another service is unknown here, as an episode of theirs would be.
    other = stay | {"admission_id": "ADM-2", "client_id": world.person_b.client_id}
    assert problems(api.post("api:create_admission", other)) == {
        "client_id": f"unknown client_id {world.person_b.client_id}"
    }
    score = {
        "service": "svc-a",
        "measure_id": "M-1",
        "episode_id": world.episode(world.person_a).episode_id,
        "measure": "core_10",
        "date": "2025-01-08",
        "score": "7.5",
    }
    assert problems(api.post("api:create_measure", score)) == {
        "score": "must be a whole number for CORE-10"
    }
    response = api.post("api:create_measure", score | {"score": "18"})
    assert response.status_code == 201, response.content
    assert MeasureScore.objects.get(measure_id="M-1").score == Decimal("18")


def test_the_browser_upload_takes_them_and_lists_their_problems(
    world: World, example: Path, settings: Any
) -> None:
    settings.IMPORT_INLINE_ROWS = 100_000  # imported in the request, once confirmed
    from django.urls import reverse

    from openips.accounts.roles import Role
    from openips.interchange.models import ImportStatus
    from tests.conftest import signed_in
    from tests.interchange.test_browser_import import upload, zipped

    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    (example / "measures.csv").write_text(MEASURES + "M9,EP00001,dialog,2025-01-02,7.5\n")
    job = upload(manager, world, zipped(example))
    assert job.status == ImportStatus.REFUSED
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "measures.csv:7: score: must be between 1 and 7 for DIALOG" in page
    assert not MeasureScore.objects.exists()
    (example / "measures.csv").write_text(MEASURES)
    job = upload(manager, world, zipped(example))
    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})
    assert HospitalStay.objects.filter(service=world.service_a).count() == 3
    assert MeasureScore.objects.filter(service=world.service_a).count() == 5


def test_a_stay_of_a_merged_record_is_refused_with_the_kept_one_named(
    world: World, tmp_path: Path
) -> None:
    from openips.accounts.roles import Role
    from openips.clients.services import merge
    from tests.factories import PersonFactory

    duplicate = PersonFactory(service=world.service_a, client_id="DUP1")
    merge(world.users[Role.SERVICE_MANAGER], world.person_a, duplicate)
    folder = tmp_path / "stays"
    folder.mkdir()
    (folder / "admissions.csv").write_text(
        "admission_id,client_id,admission_date,discharge_date,setting\n"
        "ADM1,DUP1,2024-10-02,2024-10-30,mental_health_inpatient\n"
    )
    outcome = import_folder(folder, world.service_a.code)
    assert [str(p) for p in outcome.problems] == [
        f"admissions.csv:2: client_id: DUP1 was merged into client {world.person_a.client_id}"
    ]
    assert not HospitalStay.objects.exists()
