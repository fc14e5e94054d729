"""The interface's reads, through the same scoped queries as the pages: a record out of scope
is missing (404 by id, absent from a search). Every person read is on their audit trail, one
view event per person a search finds (`audit.services.record_views`, as the REST API's pages),
and each read runs the same queries however much it finds."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.audit.services import record_views
from openips.casework.codes import ContactWith
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.clients.queries import has_open_job, latest_retention, referral_services
from openips.employment.models import Job
from openips.fhir.models import InboundReferral
from openips.organisations.models import ClinicalTeam, Service


def people(user: User, criteria: Q) -> list[Person]:
    found = list(
        Person.objects.visible_to(user).filter(criteria).select_related("service").order_by("pk")
    )
    record_views(user, found)
    return found


def episodes(user: User, criteria: Q) -> list[Episode]:
    """Episodes with their person, team and specialist, each annotated with `in_work` and, for
    the job retention stages, the status and date of the latest change in work."""
    found = list(
        Episode.objects.visible_to(user)
        .filter(criteria)
        .select_related("person", "service", "employment_specialist")
        .annotate(
            in_work=has_open_job(user, "pk"),
            latest_retention=latest_retention(),
            latest_retention_date=latest_retention(value="date"),
        )
        .order_by("referral_date", "pk")
    )
    record_views(user, found)
    return found


def jobs_of(user: User, found: list[Episode]) -> dict[int, list[Job]]:
    by_episode: dict[int, list[Job]] = defaultdict(list)
    for job in Job.objects.visible_to(user).filter(episode__in=found).select_related("employer"):
        by_episode[job.episode_id].append(job)
    return by_episode


def inbound_of(found: list[Episode]) -> dict[int, InboundReferral]:
    return {r.episode_id: r for r in InboundReferral.objects.filter(episode__in=found)}


def contacts(user: User, criteria: Q) -> list[Contact]:
    """Contacts with the client themselves (not with an employer or their clinical team)."""
    found = list(
        Contact.objects.visible_to(user)
        .filter(criteria, contact_with=ContactWith.CLIENT, episode__isnull=False)
        .select_related("staff", "episode__service")
        .order_by("date", "pk")
    )
    record_views(user, found)
    return found


def referral_target(user: User, code: str) -> tuple[Service, ClinicalTeam | None] | None:
    """The team a referral names and the referrer's clinical team, as the referral page decides:
    a clinician refers from their team to a service it works with, anyone else to their own
    service. None for a team outside that and for a code no team has alike, so that codes
    cannot be probed."""
    if user.role == Role.CLINICIAN:
        if user.clinical_team is None:
            raise PermissionDenied
        service = referral_services(user).filter(code=code).first()
        return (service, user.clinical_team) if service is not None else None
    if user.service_id is None:
        raise PermissionDenied
    service = Service.objects.filter(pk=user.service_id, code=code).first()
    return (service, None) if service is not None else None
