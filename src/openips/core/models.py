"""What several apps' models share."""

from django.db import models


class Versioned(models.Model):
    """A record edited in place with a version check: every saved edit raises `version`, and an
    edit that began from an older one is refused (`core.services.update`, ADR 0005)."""

    version = models.PositiveIntegerField(default=1, help_text="Raised by every saved edit")

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """One time a scheduled job was due and queued. The pair is unique, so however many
    `openips schedule` runs overlap, each job is queued once for each time it falls due."""

    job = models.CharField(max_length=60)
    due_at = models.DateTimeField()
    queued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="scheduled_once")]

    def __str__(self) -> str:
        return f"{self.job} due {self.due_at:%Y-%m-%d %H:%M}"
