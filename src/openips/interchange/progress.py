"""The progress row of a background import (ADR 0027). Each write is its own statement on the
`progress` database, which commits at once: outside the import's transaction, which is open on
the main database until every row is written."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from openips.interchange.models import ImportProgress


def start(pk: int, task_id: str) -> None:
    fresh = {"task_id": task_id, "table": "", "done": 0, "total": 0, "beat_at": timezone.now()}
    ImportProgress.objects.update_or_create(job_id=pk, defaults=fresh)


def beat(pk: int, table: str, done: int, total: int) -> None:
    ImportProgress.objects.filter(job_id=pk).update(
        table=table, done=done, total=total, beat_at=timezone.now()
    )


def finish(pk: int) -> None:
    ImportProgress.objects.filter(job_id=pk).delete()


def of(pk: int) -> ImportProgress | None:
    return ImportProgress.objects.filter(job_id=pk).first()


def _heard_since() -> datetime:
    return timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS)


def silent() -> list[ImportProgress]:
    """Imports that have not reported for IMPORT_STALL_SECONDS: their worker has gone."""
    return list(ImportProgress.objects.filter(beat_at__lt=_heard_since()))


def is_silent(row: ImportProgress) -> bool:
    return row.beat_at < _heard_since()
