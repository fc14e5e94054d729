"""Imports started in the browser: check the upload at once, import it when the user confirms.

Small files are imported during the confirming request. Larger ones are imported by a thread of
the app server, and the job's page shows how far it has got. A job is claimed by a conditional
update of its status, so it runs once however many times it is confirmed.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections
from django.utils import timezone

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.interchange.importer import import_folder, known_for
from openips.interchange.models import ImportJob, ImportStatus
from openips.interchange.reader import read_dataset
from openips.interchange.validate import check
from openips.organisations.models import Service

log = logging.getLogger(__name__)
SUFFIXES = (".zip", ".xlsx")

# How far each running import has got, in this process: job id → (table, rows written, rows).
PROGRESS: dict[int, tuple[str, int, int]] = {}


@contextmanager
def staged(file_name: str, content: bytes) -> Iterator[Path]:
    """The upload as a file again, for the reader; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="openips-import-") as folder:
        path = Path(folder) / f"upload{Path(file_name).suffix.lower()}"
        path.write_bytes(content)
        yield path


def check_upload(actor: User, service: Service, upload: UploadedFile) -> ImportJob:
    """Read and check every row now; nothing is imported until the user confirms."""
    name = Path(upload.name or "upload").name[:200]
    content = upload.read()
    with staged(name, content) as path:
        tables, problems = read_dataset(path)
    problems += check(tables, known_for(service))
    job = ImportJob.objects.create(
        service=service,
        uploaded_by=actor,
        file_name=name,
        content=b"" if problems else content,
        status=ImportStatus.REFUSED if problems else ImportStatus.CHECKED,
        rows={table: len(rows) for table, rows in tables.items()},
        problems=[str(p) for p in sorted(problems)],
        finished_at=timezone.now() if problems else None,
    )
    if problems:
        record(
            AuditAction.IMPORT,
            actor=actor,
            obj=job,
            service_id=service.pk,
            details={"refused": len(problems)},
        )
    return job


def confirm(job: ImportJob) -> None:
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED
    ):
        return  # already confirmed, or cancelled
    if job.total_rows <= settings.IMPORT_INLINE_ROWS:
        run(job.pk)
    else:
        name = f"openips-import-{job.pk}"
        threading.Thread(target=_in_background, args=(job.pk,), name=name, daemon=True).start()


def cancel(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.CANCELLED, content=b"", finished_at=timezone.now()
    )


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
        with staged(job.file_name, bytes(job.content)) as path:
            outcome = import_folder(
                path,
                job.service.code,
                actor=job.uploaded_by,
                progress=lambda table, done, total: PROGRESS.__setitem__(pk, (table, done, total)),
            )
        job.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
        job.problems = [str(p) for p in outcome.problems]
        job.created, job.updated = outcome.created, outcome.updated
    except Exception:
        log.exception("import %s stopped", pk)
        job.status = ImportStatus.FAILED
        job.problems = ["The import stopped unexpectedly and nothing was saved. Try again."]
    finally:
        PROGRESS.pop(pk, None)
        job.content = b""
        job.finished_at = timezone.now()
        job.save(
            update_fields=["status", "problems", "created", "updated", "content", "finished_at"]
        )
