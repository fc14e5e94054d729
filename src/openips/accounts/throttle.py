"""Sign-in from one address pauses after many failures in a short time (password spraying),
without locking anyone's account. The failures are those the audit trail already records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from openips.audit.models import AuditAction, AuditEvent
from openips.audit.signals import LOCAL_SIGN_IN


def address_paused(ip_address: str | None) -> bool:
    if ip_address is None:
        return False
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_ADDRESS_WINDOW_MINUTES)
    # Password failures only: a refused single sign-on can be caused by any page that links to
    # the callback, and must not let such a page pause a whole trust's address.
    failures = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED,
        ip_address=ip_address,
        occurred_at__gte=since,
        changes__method=LOCAL_SIGN_IN,
    )
    limit: int = settings.SIGN_IN_ADDRESS_LIMIT
    return failures[:limit].count() >= limit
