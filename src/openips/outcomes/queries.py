"""Which episodes a dashboard counts, by the viewer's role. Dashboards show aggregates, but they
are still scoped: a team leader sees their service, a manager their organisation's services, an
employment specialist their own caseload, a commissioner their network (with small numbers
hidden)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from openips.accounts.models import User
from openips.accounts.queries import services_in_view, services_with_client_access
from openips.clients.models import Episode
from openips.organisations.models import Service


def service_for(user: User, pk: int) -> Service:
    return get_object_or_404(services_with_client_access(user), pk=pk)


def own_caseload(user: User) -> QuerySet[Episode]:
    return Episode.objects.visible_to(user).filter(employment_specialist__user=user)


def network_services(user: User) -> QuerySet[Service]:
    return services_in_view(user).order_by("name")


def service_episodes(user: User, service: Service) -> QuerySet[Episode]:
    return Episode.objects.visible_to(user).filter(service=service)


def network_episodes(user: User) -> QuerySet[Episode]:
    """Every episode of the services in the commissioner's view: for figures with small numbers
    withheld, never for records (a commissioner opens no one's)."""
    return Episode.objects.filter(service__in=network_services(user))
