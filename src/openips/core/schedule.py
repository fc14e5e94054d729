"""The schedule (settings.SCHEDULE): which task runs when, as a cron expression in the service's
time zone. `openips schedule`, called every few minutes by a timer, queues each job whose time
has come, once for that time, and nothing else: the workers run them (ADR 0028)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cronsim import CronSim
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from openips.core.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # the dotted path of a `@task`
    cron: str  # minute hour day-of-month month day-of-week

    def last_due(self, now: datetime) -> datetime:
        """The latest time at or before `now` when this job fell due."""
        local = timezone.localtime(now).replace(second=0, microsecond=0) + timedelta(minutes=1)
        return next(CronSim(self.cron, local, reverse=True))


def jobs() -> list[Job]:
    return [Job(name, **spec) for name, spec in settings.SCHEDULE.items()]


def queue_due(now: datetime | None = None) -> list[ScheduledRun]:
    """Queue every job due and not yet queued for that time; return what was queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs():
        due = job.last_due(now)
        if ScheduledRun.objects.filter(job=job.name, due_at=due).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, due_at=due)
                result: Any = import_string(job.task).enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another run of the schedule queued it a moment ago
        queued.append(run)
    return queued
