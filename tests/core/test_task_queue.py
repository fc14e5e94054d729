"""The task queue: a task is queued only when the write that asks for it commits, and a worker
runs each queued task exactly once, however many workers look."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openips.accounts.roles import Role
from openips.core.tasks import on_commit
from openips.interchange.models import ImportJob, ImportStatus
from openips.interchange.tasks import discard_stale_uploads
from tests.conftest import World
from tests.workers import run_queued

pytestmark = pytest.mark.django_db(transaction=True)


def a_forgotten_upload(world: World) -> ImportJob:
    job = ImportJob.objects.create(
        service=world.service_a,
        uploaded_by=world.users[Role.SERVICE_MANAGER],
        file_name="contacts.csv",
        status=ImportStatus.CHECKED,
    )
    long_ago = timezone.now() - timedelta(days=3)
    ImportJob.objects.filter(pk=job.pk).update(uploaded_at=long_ago)
    return job


def test_a_task_asked_for_by_a_write_that_rolled_back_is_never_queued(world: World) -> None:
    def refused_write() -> None:
        with transaction.atomic():
            on_commit(discard_stale_uploads)
            raise RuntimeError("the write is refused")

    with pytest.raises(RuntimeError):
        refused_write()
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        on_commit(discard_stale_uploads)
        assert not DBTaskResult.objects.exists()  # not before the commit
    assert DBTaskResult.objects.get().status == "READY"


def test_a_worker_runs_a_queued_task_once_however_many_workers_look(world: World) -> None:
    job = a_forgotten_upload(world)
    on_commit(discard_stale_uploads)

    run_queued()
    run_queued()  # a second worker finds nothing left to do

    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL" and len(result.worker_ids) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
