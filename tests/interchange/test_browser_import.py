"""The service manager's import and export in the browser: check, confirm, background, audit."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Episode
from openips.interchange import downloads, uploads
from openips.interchange.models import (
    Download,
    DownloadStatus,
    ImportJob,
    ImportProgress,
    ImportStatus,
)
from tests.conftest import World, make_user, signed_in
from tests.interchange.test_import_export import EXAMPLE, edit_csv
from tests.workers import run_queued


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
        "admissions.csv",
        "contacts.csv",
        "employers.csv",
        "episodes.csv",
        "jobs.csv",
        "measures.csv",
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


@pytest.mark.django_db(transaction=True)
def test_a_workbook_is_prepared_by_a_worker_kept_for_its_asker_and_audited_when_fetched(
    world: World, settings: Any
) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    asked = manager.post(reverse("interchange:ask_for_workbook", args=[world.service_a.pk]))
    download = Download.objects.get()
    assert asked["Location"] == reverse("interchange:download", args=[download.pk])
    page = manager.get(asked["Location"]).content.decode()
    assert "Preparing the workbook" in page and 'http-equiv="refresh"' in page
    file_url = reverse("interchange:download_file", args=[download.pk])
    assert manager.get(file_url).status_code == 404  # not before it is ready

    run_queued()

    page = manager.get(asked["Location"]).content.decode()
    assert "Workbook ready" in page and 'http-equiv="refresh"' not in page
    response = manager.get(file_url)
    assert response["Content-Disposition"].startswith('attachment; filename="openips-svc-a-')
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    fetched = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=download.pk)
    assert fetched.get().actor_id == world.users[Role.SERVICE_MANAGER].pk

    other = make_user("other-manager", Role.SERVICE_MANAGER, organisation=world.org1)
    assert signed_in(other).get(file_url).status_code == 404  # only the person who asked

    with time_machine.travel(timezone.now() + timedelta(hours=settings.DOWNLOAD_KEEP_HOURS + 1)):
        assert downloads.remove_expired() == 1
    download.refresh_from_db()
    assert download.status == DownloadStatus.EXPIRED and not download.file
    assert manager.get(file_url).status_code == 404
    assert "no longer kept" in manager.get(asked["Location"]).content.decode()


def test_a_workbook_is_not_made_in_the_request(world: World) -> None:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    response = manager.get(reverse("interchange:export", args=[world.service_a.pk, "xlsx"]))
    assert response.status_code == 404


WITH_PROGRESS = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


@WITH_PROGRESS
def test_a_large_import_waits_for_a_worker_then_runs_as_a_task(world: World, settings: Any) -> None:
    settings.IMPORT_INLINE_ROWS = 10
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "Waiting to start" in page and 'http-equiv="refresh"' in page

    run_queued()

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.problems
    assert Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not ImportProgress.objects.exists()  # the progress row goes with the import
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "Import complete" in page and 'http-equiv="refresh"' not in page


def running(world: World, **progress: Any) -> ImportJob:
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    ImportProgress.objects.create(job_id=job.pk, **progress)
    return job


@WITH_PROGRESS
def test_a_running_import_shows_the_progress_its_worker_wrote_and_refreshes(world: World) -> None:
    job = running(world, table="contacts", done=4000, total=6075, beat_at=timezone.now())
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "Writing contacts: 4,000 of 6,075 new or changed rows" in page
    assert '<progress max="6075" value="4000"' in page


@WITH_PROGRESS
def test_an_import_whose_worker_went_silent_is_shown_failed_not_importing(
    world: World, settings: Any
) -> None:
    settings.IMPORT_STALL_SECONDS = 60
    last_heard = timezone.now() - timedelta(seconds=61)
    job = running(world, table="contacts", done=2000, total=6075, beat_at=last_heard)
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    page = manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()
    assert "The import stopped unexpectedly and nothing was saved" in page
    assert 'http-equiv="refresh"' not in page
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.upload
    assert not ImportProgress.objects.exists()


@WITH_PROGRESS
def test_an_import_heard_from_lately_is_left_running(world: World, settings: Any) -> None:
    settings.IMPORT_STALL_SECONDS = 60
    last_heard = timezone.now() - timedelta(seconds=30)
    job = running(world, table="contacts", done=2000, total=6075, beat_at=last_heard)
    uploads.discard_stale()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.upload


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
