"""Scoped read paths. Every query of personal data starts from one of these."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from openips.accounts.models import GrantStatus, RoleGrant, User
from openips.accounts.roles import Role
from openips.organisations.models import Service


def _attached(services: QuerySet[Service], lookup: str, value: int | None) -> QuerySet[Service]:
    # An account missing its attachment sees nothing, rather than whatever NULL would match.
    return services.filter(**{lookup: value}) if value is not None else services.none()


def services_with_client_access(user: User) -> QuerySet[Service]:
    """The services whose clients' records this user may open (clinicians: see clients.queries)."""
    services = Service.objects.all()
    if not (user.is_authenticated and user.is_active):
        return services.none()
    match user.role:
        case Role.EMPLOYMENT_SPECIALIST | Role.TEAM_LEADER:
            return _attached(services, "pk", user.service_id)
        case Role.SERVICE_MANAGER:
            return _attached(services, "organisation_id", user.organisation_id)
        case Role.FIDELITY_REVIEWER:
            today = timezone.localdate()
            current = user.review_access.filter(starts_on__lte=today, ends_on__gte=today)
            return services.filter(pk__in=current.values("service_id"))
        case _:
            return services.none()


def services_in_view(user: User) -> QuerySet[Service]:
    """The services a user sees named on their pages (no personal data)."""
    services = Service.objects.select_related("organisation__network")
    match user.role:
        case Role.COMMISSIONER:
            return _attached(services, "organisation__network_id", user.network_id)
        case Role.CLINICIAN:
            return _attached(services, "clinical_teams", user.clinical_team_id)
        case Role.IG_LEAD:
            return _attached(services, "organisation_id", user.organisation_id)
        case Role.ADMINISTRATOR:
            return services
        case _:
            return services.filter(pk__in=services_with_client_access(user).values("pk"))


GRANT_RELATIONS = (
    "user",
    "requested_by",
    "decided_by",
    "network",
    "organisation",
    "service",
    "clinical_team",
)
RECENT_GRANT_DAYS = 90


def grants() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.select_related(*GRANT_RELATIONS)


def pending_grants() -> QuerySet[RoleGrant]:
    """Requests for access waiting for an administrator (for the users page)."""
    return grants().filter(status=GrantStatus.PENDING)


def grants_for_ig_lead(ig_lead: User) -> QuerySet[RoleGrant]:
    """Requests for access to the IG lead's organisation's records: every one still waiting and
    every one asked for in the last RECENT_GRANT_DAYS days."""
    if ig_lead.organisation_id is None:
        return RoleGrant.objects.none()
    since = timezone.now() - timedelta(days=RECENT_GRANT_DAYS)
    return grants().filter(
        Q(status=GrantStatus.PENDING) | Q(requested_at__gte=since),
        reaches_id=ig_lead.organisation_id,
    )
