"""Browser imports run by a worker in a process of its own, as in production: the job page
shows the figures the worker writes, and a worker killed mid-import saves nothing and leaves
the job failed, not importing for ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.interchange.models import ImportJob, ImportProgress, ImportStatus
from tests.conftest import World, signed_in
from tests.interchange.test_browser_import import EXAMPLE, upload, zipped
from tests.resilience.test_failures import write_import
from tests.workers import wait_until, worker

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


def job_page(manager: Client, job: ImportJob) -> str:
    return manager.get(reverse("interchange:import_job", args=[job.pk])).content.decode()


def status(job: ImportJob) -> str:
    job.refresh_from_db()
    return job.status


def test_a_large_import_completes_through_a_worker_process(world: World, settings: Any) -> None:
    settings.IMPORT_INLINE_ROWS = 10
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(EXAMPLE))
    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})

    with worker():
        wait_until(lambda: status(job) == ImportStatus.DONE, "the import to finish")

    assert Episode.objects.filter(service=world.service_a, episode_id="EP00001").exists()
    assert "Import complete" in job_page(manager, job)
    (result,) = DBTaskResult.objects.all()
    assert result.status == "SUCCESSFUL" and len(result.worker_ids) == 1


def test_a_worker_killed_mid_import_saves_nothing_and_the_job_fails(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_INLINE_ROWS = 10
    write_import(tmp_path, 60_000)
    manager = signed_in(world.users[Role.SERVICE_MANAGER])
    job = upload(manager, world, zipped(tmp_path))
    before = Episode.objects.count(), Contact.objects.count()
    manager.post(reverse("interchange:import_job", args=[job.pk]), {"action": "confirm"})

    with worker() as process:
        writing = ImportProgress.objects.filter(job_id=job.pk, table="contacts", done__gt=0)
        wait_until(writing.exists, "the worker to write contacts")
        process.kill()
        process.wait(timeout=30)

    # Another server's view of the import: the figures its worker last wrote.
    page = job_page(manager, job)
    assert "Writing contacts:" in page and "of 60,000 new or changed rows" in page

    settings.IMPORT_STALL_SECONDS = 1  # the worker's last word is soon older than this
    wait_until(lambda: "stopped unexpectedly" in job_page(manager, job), "the job shown failed")
    assert (Episode.objects.count(), Contact.objects.count()) == before
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.upload
    assert DBTaskResult.objects.get().status == "FAILED"
    assert not ImportProgress.objects.exists()
    assert 'http-equiv="refresh"' not in job_page(manager, job)
