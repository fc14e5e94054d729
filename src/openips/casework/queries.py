"""Scoped reads of casework records."""

from __future__ import annotations

from django.http import Http404

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.casework.models import Contact


def contact_for(user: User, pk: int) -> Contact:
    """A live contact about a client the user may see; 404 whether missing, deleted or out of
    scope. Opening it opens the client's record, so the view is on their trail."""
    contact = (
        Contact.objects.visible_to(user)
        .filter(pk=pk, episode__isnull=False)
        .select_related("episode__person", "episode__service", "staff", "employer")
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    record(AuditAction.VIEW, actor=user, obj=contact)
    return contact
