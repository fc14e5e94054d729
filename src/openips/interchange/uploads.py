"""Imports started in the browser: check the upload at once, import it when the user confirms.

Small files are imported during the confirming request. Larger ones are imported by a thread of
the app server, and the job's page shows how far it has got. A job is claimed by a conditional
update of its status, so it runs once however many times it is confirmed.

The upload waits in file storage (ADR 0012), not in the job's row, and is removed when the job
finishes, is cancelled or is discarded for waiting too long.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import connections, transaction
from django.utils import timezone

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.interchange.importer import import_dataset, known_for
from openips.interchange.models import ImportJob, ImportStatus
from openips.interchange.reader import read_upload
from openips.interchange.validate import check
from openips.organisations.models import Service

log = logging.getLogger(__name__)
SUFFIXES = (".zip", ".xlsx")
STOPPED = "The import stopped unexpectedly and nothing was saved. Try again."
GONE = "The uploaded file is no longer held and nothing was saved. Upload it again."

# How far each running import has got, in this process: job id → (table, rows written, rows).
PROGRESS: dict[int, tuple[str, int, int]] = {}


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
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED
    ):
        return  # already confirmed, cancelled or discarded
    if job.total_rows <= settings.IMPORT_INLINE_ROWS:
        run(job.pk)
    else:
        name = f"openips-import-{job.pk}"
        threading.Thread(target=_in_background, args=(job.pk,), name=name, daemon=True).start()


def cancel(job: ImportJob) -> None:
    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    ):
        remove_upload(job)


def discard_stale() -> None:
    """A checked upload not confirmed within IMPORT_KEEP_HOURS is discarded, with its file. So a
    job still importing after twice that has been importing for at least that long: its server
    stopped mid-import (its one transaction rolled back), and its file is removed too."""
    now = timezone.now()
    keep = timedelta(hours=settings.IMPORT_KEEP_HOURS)
    for job in ImportJob.objects.filter(status=ImportStatus.CHECKED, uploaded_at__lt=now - keep):
        cancel(job)
    for job in ImportJob.objects.filter(
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING), uploaded_at__lt=now - 2 * keep
    ):
        if ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportStatus.FAILED, problems=[STOPPED], finished_at=now
        ):
            remove_upload(job)
    # A problem may quote a cell (an NHS number that failed its check) and a file's name may
    # name a person: neither outlives the keeping time, so anonymising leaves them nowhere.
    ImportJob.objects.filter(finished_at__lt=now - keep).exclude(problems=[], file_name="").update(
        problems=[], file_name=""
    )


def remove_upload(job: ImportJob) -> None:
    if not job.upload:
        return
    try:
        job.upload.delete(save=False)
    except OSError:
        log.exception("the upload of import %s could not be removed", job.pk)
        return
    ImportJob.objects.filter(pk=job.pk).update(upload="")


def _in_background(pk: int) -> None:
    try:
        run(pk)
    finally:
        connections.close_all()  # this thread's own connections


def run(pk: int) -> None:
    """Import a confirmed job. The import checks everything again (records may have changed
    since the upload) and writes all or nothing."""
    if not ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    ):
        return
    job = ImportJob.objects.select_related("service", "uploaded_by").get(pk=pk)
    PROGRESS[pk] = ("", 0, job.total_rows)
    try:
        if not job.upload:
            raise FileNotFoundError(GONE)
        with job.upload.open("rb") as handle:
            outcome = import_dataset(
                read_upload(handle, job.file_name),
                job.service.code,
                actor=job.uploaded_by,
                source=job.file_name,
                progress=lambda table, done, total: PROGRESS.__setitem__(pk, (table, done, total)),
            )
        job.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
        job.problems = [str(p) for p in outcome.problems]
        job.more_problems = outcome.more_problems
        job.created, job.updated = outcome.created, outcome.updated
    except Exception as error:
        log.exception("import %s stopped", pk)
        job.status = ImportStatus.FAILED
        job.problems, job.more_problems = [GONE if GONE in str(error) else STOPPED], 0
    finally:
        PROGRESS.pop(pk, None)
        job.finished_at = timezone.now()
        job.save(
            update_fields=[
                "status",
                "problems",
                "more_problems",
                "created",
                "updated",
                "finished_at",
            ]
        )
        remove_upload(job)
