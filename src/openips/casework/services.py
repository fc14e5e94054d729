"""Writes to casework records. Each is audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied

from openips.accounts.models import User
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.core import services as core
from openips.organisations.models import StaffMember


def staff_record(user: User) -> StaffMember:
    """The staff member who is this user; contacts are always recorded as someone's work."""
    staff = StaffMember.objects.filter(user=user).first() if user.service_id else None
    if staff is None:
        raise PermissionDenied("This account is not linked to a member of staff")
    return staff


def record_contact(actor: User, episode: Episode, data: dict[str, Any]) -> Contact:
    contact = Contact(
        service=episode.service,
        episode=episode,
        staff=staff_record(actor),
        contact_id=f"W{uuid.uuid4().hex[:10].upper()}",
        **data,
    )
    return core.create(actor, contact)
