"""An import started in the browser: the uploaded file, what checking it found, and its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    REFUSED = "refused", "Refused: the file has problems"
    CHECKED = "checked", "Checked: waiting for you to confirm"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"
    CANCELLED = "cancelled", "Cancelled"


class ImportJob(models.Model):
    service = models.ForeignKey("organisations.Service", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    # Kept in the database, not on one server's disk, so any app server can process it. Emptied
    # once the import has finished or been refused: the records themselves are the copy to keep.
    content = models.BinaryField(blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    rows = models.JSONField(default=dict, help_text="Rows per table in the file")
    problems = models.JSONField(default=list, help_text="file:line: column: message")
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
