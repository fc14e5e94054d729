"""Which episodes a user may see, as a filter: the one rule every scoped read of client data
starts from (`Episode.objects.visible_to`, `Person.objects.visible_to`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Role

if TYPE_CHECKING:
    from openips.accounts.models import User

NOTHING = Q(pk__in=[])


def episode_scope(user: User) -> Q:
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.CLINICIAN:
        # A clinician sees the employment summary of their own clinical team's clients.
        return Q(clinical_team_id=user.clinical_team_id) if user.clinical_team_id else NOTHING
    return Q(service__in=services_with_client_access(user))
