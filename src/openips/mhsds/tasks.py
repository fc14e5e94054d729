"""A large extract is written by a worker into a download kept for the person who asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from openips.interchange.downloads import Refused, prepare
from openips.interchange.models import Download
from openips.mhsds.extract import to_zip
from openips.outcomes.metrics import Period


def _extract(download: Download, folder: Path) -> tuple[Path, dict[str, Any]]:
    if download.period_start is None or download.period_end is None:
        raise ValueError(f"download {download.pk} names no period")
    period = Period(download.period_start, download.period_end)
    path = folder / "mhsds.zip"
    with path.open("wb") as handle:
        outcome = to_zip(download.service, period, handle, actor=download.requested_by)
    if outcome.refused:
        raise Refused([f.message for f in outcome.problems])
    return path, outcome.rows


@task()
def prepare_extract(pk: int) -> None:
    prepare(pk, _extract)
