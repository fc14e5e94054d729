"""Imports started in the browser: check the upload at once, import it when the user confirms.

Small files are imported during the confirming request. Larger ones are imported by a task that
a worker runs (ADR 0026); the task writes how far it has got to a row every app server reads
(ADR 0027). A job is claimed by a conditional update of its status, so it runs once however many
times it is confirmed. An import whose worker stops reports no more progress: it is shown as
failed, and its one transaction has rolled back, so nothing of it was saved.

The upload waits in file storage (ADR 0012), not in the job's row, and is removed when the job
finishes, is cancelled or is discarded for waiting too long.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.core.tasks import on_commit
from openips.interchange import progress
from openips.interchange.importer import Outcome, import_dataset, known_for
from openips.interchange.models import ImportJob, ImportProgress, ImportStatus
from openips.interchange.reader import read_upload
from openips.interchange.validate import check
from openips.organisations.models import Service

log = logging.getLogger(__name__)
SUFFIXES = (".zip", ".xlsx")
STOPPED = "The import stopped unexpectedly and nothing was saved. Try again."
GONE = "The uploaded file is no longer held and nothing was saved. Upload it again."
WORKING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class UploadLimit(FileUploadHandler):
    """The first upload handler: past IMPORT_MAX_UPLOAD_BYTES it passes nothing on, so an
    oversized upload never fills a temporary file, and the form gets an empty stand-in of the
    size that arrived, which it refuses for its size."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        return None if self.received > settings.IMPORT_MAX_UPLOAD_BYTES else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= settings.IMPORT_MAX_UPLOAD_BYTES:
            return None  # the next handler has the whole file
        refused = SimpleUploadedFile(self.file_name or "upload", b"", self.content_type or "")
        refused.size = self.received
        return refused


def check_upload(actor: User, service: Service, upload: UploadedFile) -> ImportJob:
    """Read and check every row now; nothing is imported until the user confirms."""
    discard_stale()
    name = Path(upload.name or "upload").name[:200]
    dataset = read_upload(upload, name)
    problems = dataset.problems
    problems.extend(check(dataset.tables, known_for(service)))
    job = ImportJob(
        service=service,
        uploaded_by=actor,
        file_name=name,
        status=ImportStatus.REFUSED if problems else ImportStatus.CHECKED,
        rows={table: len(rows) for table, rows in dataset.tables.items()},
        problems=[str(p) for p in problems.first()],
        more_problems=problems.more,
        finished_at=timezone.now() if problems else None,
    )
    del dataset  # the rows are read again when the import runs
    if problems:
        with transaction.atomic():
            job.save()
            record(
                AuditAction.IMPORT,
                actor=actor,
                obj=job,
                service_id=service.pk,
                details={"refused": len(problems)},
            )
        return job
    job.upload.save(name, upload, save=False)
    try:
        job.save()
    except BaseException:
        job.upload.delete(save=False)
        raise
    return job


def confirm(job: ImportJob) -> None:
    discard_stale()
    inline = job.total_rows <= settings.IMPORT_INLINE_ROWS
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.QUEUED
        ):
            return  # already confirmed, cancelled or discarded
        if not inline:
            on_commit(import_in_background, job.pk)
    if inline:
        run(job.pk)


@task(takes_context=True)
def import_in_background(context: TaskContext, pk: int) -> None:
    run(pk, task_id=str(context.task_result.id))


def cancel(job: ImportJob) -> None:
    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    ):
        remove_upload(job)


def discard_stale() -> None:
    """A checked upload not confirmed within IMPORT_KEEP_HOURS is discarded, with its file. An
    import whose worker has gone is failed (below); one run by a request, which reports no
    progress, is failed once it has been importing for longer than IMPORT_KEEP_HOURS."""
    now = timezone.now()
    keep = timedelta(hours=settings.IMPORT_KEEP_HOURS)
    for job in ImportJob.objects.filter(status=ImportStatus.CHECKED, uploaded_at__lt=now - keep):
        cancel(job)
    if ImportJob.objects.filter(status__in=WORKING).exists():  # the progress database waits
        for row in progress.silent():
            fail_lost(row)
    for job in ImportJob.objects.filter(status__in=WORKING, uploaded_at__lt=now - 2 * keep):
        if ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportStatus.FAILED, problems=[STOPPED], finished_at=now
        ):
            remove_upload(job)
    # A problem may quote a cell (an NHS number that failed its check) and a file's name may
    # name a person: neither outlives the keeping time, so anonymising leaves them nowhere.
    ImportJob.objects.filter(finished_at__lt=now - keep).exclude(problems=[], file_name="").update(
        problems=[], file_name=""
    )


def progress_of(job: ImportJob) -> ImportProgress | None:
    """How far a waiting or running background import has got. One whose worker has gone is
    failed here, so its page never shows it importing for ever."""
    if job.status not in WORKING:
        return None
    row = progress.of(job.pk)
    if row is not None and progress.is_silent(row):
        fail_lost(row)
        job.refresh_from_db()
        return None
    return row


def fail_lost(row: ImportProgress) -> None:
    """The worker running this import stopped (killed, or its machine went): the import's
    transaction rolled back with it, so the job failed with nothing saved, and so did its task."""
    now = timezone.now()
    failed = ImportJob.objects.filter(pk=row.job_id, status__in=WORKING).update(
        status=ImportStatus.FAILED, problems=[STOPPED], more_problems=0, finished_at=now
    )
    if row.task_id:
        DBTaskResult.objects.filter(pk=row.task_id, status="RUNNING").update(
            status="FAILED", finished_at=now
        )
    progress.finish(row.job_id)
    if failed:
        log.error("import %s lost its worker: failed, nothing saved", row.job_id)
        remove_upload(ImportJob.objects.get(pk=row.job_id))


def remove_upload(job: ImportJob) -> None:
    if not job.upload:
        return
    try:
        job.upload.delete(save=False)
    except OSError:
        log.exception("the upload of import %s could not be removed", job.pk)
        return
    ImportJob.objects.filter(pk=job.pk).update(upload="")


def run(pk: int, *, task_id: str = "") -> None:
    """Import a confirmed job. The import checks everything again (records may have changed
    since the upload) and writes all or nothing. A task (`task_id`) reports its progress."""
    if task_id:
        progress.start(pk, task_id)  # before the claim, so a worker lost after it is noticed
    if not ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    ):
        return
    job = ImportJob.objects.select_related("service", "uploaded_by").get(pk=pk)
    try:
        if not job.upload:
            raise FileNotFoundError(GONE)
        with job.upload.open("rb") as handle:
            outcome = import_dataset(
                read_upload(handle, job.file_name),
                job.service.code,
                actor=job.uploaded_by,
                source=job.file_name,
                progress=partial(progress.beat, pk) if task_id else None,
                # Done is saved with the records, so a worker lost between the two cannot
                # leave records saved under a job that says nothing was.
                written=partial(finished, job),
            )
        if not outcome.ok:
            finished(job, outcome)
    except BaseException as error:  # a worker told to stop mid-import lands here too
        log.exception("import %s stopped", pk)
        job.status = ImportStatus.FAILED
        job.problems, job.more_problems = [GONE if GONE in str(error) else STOPPED], 0
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "problems", "more_problems", "finished_at"])
        if not isinstance(error, Exception):
            raise
    finally:
        if task_id:
            progress.finish(pk)
        remove_upload(job)


def finished(job: ImportJob, outcome: Outcome) -> None:
    job.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
    job.problems = [str(p) for p in outcome.problems]
    job.more_problems = outcome.more_problems
    job.created, job.updated = outcome.created, outcome.updated
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "problems", "more_problems", "created", "updated", "finished_at"]
    )
