"""An import started in the browser: the uploaded file, what checking it found, and its result."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from openips.core import rules


class ImportStatus(models.TextChoices):
    REFUSED = "refused", "Refused: the file has problems"
    CHECKED = "checked", "Checked: waiting for you to confirm"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"
    CANCELLED = "cancelled", "Cancelled"


def upload_name(job: ImportJob, name: str) -> str:
    """A name of our own for the stored file: the uploader's may say whose records it holds."""
    return f"imports/{uuid.uuid4().hex}{PurePath(name).suffix.lower()}"


class ImportJob(models.Model):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    # In file storage that every app server shares (ADR 0012), only while the job waits or runs:
    # removed once it has finished or been cancelled or discarded, and never kept for a refused
    # file. The records themselves are the copy to keep.
    upload = models.FileField(upload_to=upload_name, blank=True, max_length=200)
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    rows = models.JSONField(default=dict, help_text="Rows per table in the file")
    problems = models.JSONField(
        default=list, help_text="The first problems found, as file:line: column: message"
    )
    more_problems = models.PositiveIntegerField(
        default=0, help_text="How many more problems were found than are kept"
    )
    created = models.JSONField(default=dict)
    updated = models.JSONField(default=dict)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems


class ImportProgress(models.Model):
    """How far a background import has got, written outside its transaction in the `progress`
    database (ADR 0027), so every app server shows the same figures. The row goes when the
    import ends; one whose beat is older than IMPORT_STALL_SECONDS has lost its worker."""

    # The job's id, not a foreign key: on SQLite this row lives in another database.
    job_id = models.BigIntegerField(primary_key=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task running the import")
    table = models.CharField(max_length=20, blank=True, help_text="Blank while checking")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Progress of import {self.job_id}"


class DownloadStatus(models.TextChoices):
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    EXPIRED = "expired", "No longer kept"


class DownloadKind(models.TextChoices):
    WORKBOOK = "workbook", "workbook"
    MHSDS = "mhsds", "MHSDS extract"


def download_name(download: Download, name: str) -> str:
    return f"downloads/{uuid.uuid4().hex}{PurePath(name).suffix.lower()}"


class Download(models.Model):
    """A service's records in a file prepared by a worker, for the person who asked for it
    only, kept for DOWNLOAD_KEEP_HOURS and audited each time it is fetched."""

    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        max_length=16, choices=DownloadKind.choices, default=DownloadKind.WORKBOOK
    )
    # The period an extract covers (a workbook holds every record, so has none).
    period_start = models.DateField(null=True, blank=True, validators=[rules.PLANNED])
    period_end = models.DateField(null=True, blank=True, validators=[rules.PLANNED])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=DownloadStatus.choices, default=DownloadStatus.PREPARING
    )
    file = models.FileField(upload_to=download_name, blank=True, max_length=200)
    rows = models.JSONField(
        default=dict, help_text="Rows per table in the file, or the problems that refused it"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.service_id} for {self.requested_by_id}"
