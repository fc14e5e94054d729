"""Governance's scheduled work."""

from typing import Any

from django.utils import timezone
from django_tasks import task

from openips.governance import retention


@task()
def anonymise_past_retention() -> dict[str, Any]:
    """The nightly job: who is due is listed first (the task's result keeps the list, by
    service and client id), then each is anonymised and audited."""
    today = timezone.localdate()
    listed = retention.due(today)
    done = retention.anonymise_due(today)
    return {
        "due": len(listed),
        "anonymised": [f"{d.service}/{d.client_id}" for d in done],
    }
