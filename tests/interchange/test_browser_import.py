"""The service manager's import and export in the browser: check, confirm, background, audit."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Episode
from openips.interchange import uploads
from openips.interchange.models import ImportJob, ImportStatus
from tests.conftest import World, signed_in
from tests.interchange.test_import_export import EXAMPLE, edit_csv


@pytest.fixture(autouse=True)
def imported_while_confirming(settings: Any) -> None:
    settings.IMPORT_INLINE_ROWS = 100_000


def zipped(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"data/{path.name}")
    return SimpleUploadedFile("records.zip", buffer.getvalue(), content_type="application/zip")


def upload(client: Client, world: World, file: SimpleUploadedFile) -> ImportJob:
    response = client.post(
        reverse("interchange:service_data", args=[world.service_a.pk]), {"file": file}
    )
    assert response.status_code == 302, response.content
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_an_upload_is_checked_then_imported_once_confirmed(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    assert job.status == ImportStatus.CHECKED
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "Check the file, then import it" in page and "Import these records" in page
    assert not Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()

    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not job.upload
    assert (
        job.created["episodes"]
        == Episode.objects.filter(service=world.service_a, episode_id__startswith="EP").count()
        > 0
    )
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, service_id=world.service_a.pk)
    assert event.actor == world.users[Role.SERVICE_MANAGER]
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "Import complete" in page

    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1  # runs once


def test_a_file_with_problems_is_refused_with_every_problem_listed(
    world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in EXAMPLE.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    edit_csv(folder / "episodes.csv", 2, "referral_date", "01/02/2024")
    edit_csv(folder / "staff.csv", 3, "fte", "1.2")
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(folder))
    assert job.status == ImportStatus.REFUSED and not job.upload
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "episodes.csv:2: referral_date: must be a date written YYYY-MM-DD" in page
    assert "staff.csv:3: fte: must be more than 0 and at most 1" in page
    assert "Nothing was saved" in page
    assert not Episode.objects.filter(episode_id__startswith="EP").exists()


def test_a_file_that_is_not_a_zip_or_workbook_is_refused_on_the_form(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    response = manager.post(
        reverse("interchange:service_data", args=[world.service_a.pk]),
        {"file": SimpleUploadedFile("notes.txt", b"hello")},
    )
    assert response.status_code == 200
    assert "The selected file must be a .zip or an .xlsx file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_zip_download_streams_every_table_and_is_audited(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    response = manager.get(reverse("interchange:export", args=[world.service_a.pk, "zip"]))
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]
    assert sorted(archive.namelist()) == [
        "contacts.csv",
        "employers.csv",
        "episodes.csv",
        "jobs.csv",
        "staff.csv",
    ]
    assert '"A001-1","A001",' in archive.read("episodes.csv").decode()
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.users[Role.SERVICE_MANAGER]
    assert event.changes["rows"]["episodes"] == 1 and event.changes["complete"] is True

    # The download imports again unchanged.
    again = upload(manager, world, SimpleUploadedFile("back.zip", archive.fp.getvalue()))  # type: ignore[union-attr]
    manager.post(reverse("interchange:import_job", args=[again.pk]), {"action": "confirm"})
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0


def test_the_workbook_download(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    response = manager.get(reverse("interchange:export", args=[world.service_a.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="openips-svc-a-')
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_background(world: World, settings: Any) -> None:
    settings.IMPORT_INLINE_ROWS = 10
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})
    worker = next(t for t in threading.enumerate() if t.name == f"openips-import-{job.pk}")
    worker.join(timeout=120)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.problems
    assert Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "Import complete" in page and 'http-equiv="refresh"' not in page


def test_a_running_import_shows_its_progress_and_refreshes(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    job.status = ImportStatus.RUNNING
    job.save()
    uploads.PROGRESS[job.pk] = ("contacts", 4000, 6075)
    try:
        page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    finally:
        uploads.PROGRESS.pop(job.pk)
    assert 'http-equiv="refresh"' in page
    assert "Writing contacts: 4,000 of 6,075 new or changed rows" in page
    assert '<progress max="6075" value="4000"' in page


def test_another_organisations_manager_cannot_see_the_import(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    world.users[Role.SERVICE_MANAGER].organisation = world.org2
    world.users[Role.SERVICE_MANAGER].save()
    assert manager.get(reverse("interchange:import_job", args=[job.pk])).status_code == 404
    assert (
        manager.get(reverse("interchange:service_data", args=[world.service_a.pk])).status_code
        == 404
    )
