"""The interactions, thin: the caller is signed in and their role checked by the route
(routes.py); each reads through `queries`, words the records through `resources`, and a
referral goes through `referrals` (reading) and `services` (saving)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from fhir.resources.R4B.resource import Resource

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients.models import Episode
from openips.fhir import queries, referrals, resources, services
from openips.fhir.http import Issue, Refused, answer, body_of, path_id, refused


def address(request: HttpRequest, resource: Resource) -> str:
    name = f"fhir:{resource.get_resource_type().lower()}"
    return request.build_absolute_uri(reverse(name, kwargs={"pk": resource.id}))


def searchset(request: HttpRequest, found: Sequence[Resource]) -> HttpResponse:
    entries = [(address(request, r), r) for r in found]
    return answer(resources.bundle(entries, request.build_absolute_uri()))


def only(found: Sequence[Resource]) -> Resource:
    if not found:
        raise Http404
    return found[0]


def summary_only(user: User) -> bool:
    """A clinician's team sees the employment summary, as on the record page."""
    return user.role == Role.CLINICIAN


# Patient


def patients(user: User, criteria: Q) -> list[Resource]:
    people = queries.people(user, criteria)
    return [resources.patient(p, summary_only=summary_only(user)) for p in people]


def read_patient(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(patients(user, Q(pk=path_id(pk)))))


def search_patients(request: HttpRequest, user: User, criteria: Q) -> HttpResponse:
    return searchset(request, patients(user, criteria))


# The resources about an episode: its referral, the task of working it, the episode of care,
# the employment summary.


def referral_requests(user: User, criteria: Q) -> list[Resource]:
    found = queries.episodes(user, criteria)
    inbound = queries.inbound_of(found)
    return [resources.service_request(e, inbound.get(e.pk)) for e in found]


def read_service_request(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(referral_requests(user, Q(pk=path_id(pk)))))


def tasks(user: User, criteria: Q) -> list[Resource]:
    return [
        resources.task(e, in_work=bool(getattr(e, "in_work", False)))
        for e in queries.episodes(user, criteria)
    ]


def read_task(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(tasks(user, Q(pk=path_id(pk)))))


def search_tasks(request: HttpRequest, user: User, criteria: Q) -> HttpResponse:
    return searchset(request, tasks(user, criteria))


def episodes_of_care(user: User, criteria: Q) -> list[Resource]:
    return [resources.episode_of_care(e) for e in queries.episodes(user, criteria)]


def read_episode_of_care(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(episodes_of_care(user, Q(pk=path_id(pk)))))


def search_episodes_of_care(request: HttpRequest, user: User, criteria: Q) -> HttpResponse:
    return searchset(request, episodes_of_care(user, criteria))


def observations(user: User, criteria: Q) -> list[Resource]:
    found = queries.episodes(user, criteria)
    jobs = queries.jobs_of(user, found)
    return [resources.observation(e, jobs.get(e.pk, [])) for e in found]


def read_observation(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(observations(user, Q(pk=path_id(pk)))))


def search_observations(request: HttpRequest, user: User, criteria: Q) -> HttpResponse:
    return searchset(request, observations(user, criteria))


# Encounter: contacts with the client


def encounters(user: User, criteria: Q) -> list[Resource]:
    return [resources.encounter(c) for c in queries.contacts(user, criteria)]


def read_encounter(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(encounters(user, Q(pk=path_id(pk)))))


def search_encounters(request: HttpRequest, user: User, criteria: Q) -> HttpResponse:
    return searchset(request, encounters(user, criteria))


# A referral in


def create_service_request(request: HttpRequest, user: User) -> HttpResponse:
    """201 with the new referral; 200 with the one made before if the sender's identifier was
    received already; 422 with every problem, and nothing saved."""
    body = body_of(request)
    if body.get("resourceType") != "ServiceRequest":
        raise refused(400, "structure", "Post a ServiceRequest here", "resourceType")
    referral, issues = referrals.read(body)
    code = referral.service_code
    service, team = queries.referral_target(user, code) if code else (None, None)
    if code and service is None:
        path = "ServiceRequest.performer"
        issues.append(Issue("not-found", f"{path}: no IPS team has the service code {code}", path))
    if service is None or issues:
        raise Refused(422, issues)
    received = services.receive(user, referral, service, team)
    episode = received.inbound.episode
    if not Episode.objects.visible_to(user).filter(pk=episode.pk).exists():
        raise refused(409, "duplicate", "This identifier belongs to a referral you cannot see")
    if not received.created:  # answered with what is on the person's record: a view of it
        record(AuditAction.VIEW, actor=user, obj=episode)
    resource = resources.service_request(episode, received.inbound)
    if not received.created:
        return answer(resource)
    return answer(resource, 201, Location=address(request, resource))
