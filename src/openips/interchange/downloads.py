"""Exports too slow for a request (a whole service as a workbook) are prepared by a worker. The
file waits in file storage for the person who asked, for DOWNLOAD_KEEP_HOURS; each fetch is
audited; the schedule removes it once it expires."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.core.tasks import on_commit
from openips.interchange.exporter import export_workbook
from openips.interchange.models import Download, DownloadKind, DownloadStatus
from openips.organisations.models import Service

log = logging.getLogger(__name__)


def ask_for_workbook(actor: User, service: Service) -> Download:
    return ask_for(actor, service, prepare_workbook)


def ask_for(actor: User, service: Service, runner: Task[[int], None], **fields: Any) -> Download:
    """A download of another kind, prepared by `runner` (a task calling `prepare`)."""
    with transaction.atomic():
        download = Download.objects.create(service=service, requested_by=actor, **fields)
        on_commit(runner, download.pk)
    return download


@task()
def prepare_workbook(pk: int) -> None:
    def workbook(download: Download, folder: Path) -> tuple[Path, dict[str, Any]]:
        path = folder / f"openips-{download.service.code}.xlsx"
        return path, export_workbook(download.service, path, actor=download.requested_by)

    prepare(pk, workbook)


Maker = Callable[[Download, Path], tuple[Path, dict[str, Any]]]


class Refused(Exception):
    """A maker's answer when the file cannot be made from the records as they are: the download
    fails with these problems shown to its asker, and nothing is logged as an error."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def prepare(pk: int, make: Maker) -> None:
    """Run `make` (which writes the file into a folder and says how many rows it holds, or
    raises Refused) for a download still preparing, and keep the file for its asker."""
    download = Download.objects.select_related("service", "requested_by").get(pk=pk)
    if download.status != DownloadStatus.PREPARING:
        return  # a retried task: already prepared, failed or gone
    try:
        with tempfile.TemporaryDirectory() as folder:
            path, rows = make(download, Path(folder))
            with path.open("rb") as handle:
                download.file.save(path.name, File(handle), save=False)
    except Refused as refused:
        failed = {"status": DownloadStatus.FAILED, "rows": {"problems": refused.problems}}
        Download.objects.filter(pk=pk).update(**failed)
        return
    except Exception:
        log.exception("download %s could not be prepared", pk)
        Download.objects.filter(pk=pk).update(status=DownloadStatus.FAILED)
        raise
    now = timezone.now()
    download.status, download.rows, download.ready_at = DownloadStatus.READY, rows, now
    download.expires_at = now + timedelta(hours=settings.DOWNLOAD_KEEP_HOURS)
    download.save(update_fields=["status", "file", "rows", "ready_at", "expires_at"])


# What each kind of file is called and where its page sends the reader back to.
SUFFIX = {DownloadKind.WORKBOOK: "xlsx", DownloadKind.MHSDS: "zip"}
BACK = {
    DownloadKind.WORKBOOK: ("interchange:service_data", "Back to import and export"),
    DownloadKind.MHSDS: ("mhsds:extract", "Back to the MHSDS extract"),
}


def extract_name(service: Service, start: date, end: date) -> str:
    """An MHSDS extract's file name, the same whether it is downloaded at once or prepared."""
    return f"mhsds-{service.code}-{start}-{end}.{SUFFIX[DownloadKind.MHSDS]}"


def file_name(download: Download) -> str:
    if download.kind == DownloadKind.MHSDS:
        if download.period_start is None or download.period_end is None:
            raise ValueError(f"download {download.pk} names no period")
        return extract_name(download.service, download.period_start, download.period_end)
    stamp = timezone.localtime(download.ready_at).date().isoformat()
    return f"openips-{download.service.code}-{stamp}.xlsx"


def fetched(actor: User, download: Download) -> None:
    record(
        AuditAction.EXPORT,
        actor=actor,
        obj=download,
        service_id=download.service_id,
        details={
            "rows": download.rows,
            "format": Code(SUFFIX[DownloadKind(download.kind)]),
            "kind": Code(download.kind),
        },
    )


def remove_expired() -> int:
    """Remove files past their time, and give up on any still preparing after that long
    (their worker was lost). Returns how many files were removed."""
    now = timezone.now()
    removed = 0
    for download in Download.objects.filter(status=DownloadStatus.READY, expires_at__lt=now):
        try:
            download.file.delete(save=False)
        except OSError:
            log.exception("the file of download %s could not be removed", download.pk)
            continue
        Download.objects.filter(pk=download.pk).update(status=DownloadStatus.EXPIRED, file="")
        removed += 1
    lost = now - timedelta(hours=settings.DOWNLOAD_KEEP_HOURS)
    Download.objects.filter(status=DownloadStatus.PREPARING, requested_at__lt=lost).update(
        status=DownloadStatus.FAILED
    )
    return removed
