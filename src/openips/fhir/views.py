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
from openips.audit.services import Code, Detail, record
from openips.clients.models import Episode
from openips.fhir import queries, referrals, resources, services
from openips.fhir.http import Refused, answer, body_of, path_id, refused
from openips.fhir.search import Asked


def address(request: HttpRequest, resource: Resource) -> str:
    name = f"fhir:{resource.get_resource_type().lower()}"
    return request.build_absolute_uri(reverse(name, kwargs={"pk": resource.id}))


def searchset(
    request: HttpRequest, user: User, asked: Asked, found: Sequence[Resource]
) -> HttpResponse:
    """The Bundle of what a search found. Every search is on the trail, as the people search
    page's are (what it was by and how many it found, never its values), even one that found
    no one; each person found is also a view of them (queries.py)."""
    details: dict[str, Detail] = {
        "kind": Code(asked.kind),
        "resource": Code(asked.resource),
        "results": len(found),
    }
    record(AuditAction.SEARCH, actor=user, details=details)
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


def search_patients(request: HttpRequest, user: User, asked: Asked) -> HttpResponse:
    return searchset(request, user, asked, patients(user, asked.where))


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


def search_tasks(request: HttpRequest, user: User, asked: Asked) -> HttpResponse:
    return searchset(request, user, asked, tasks(user, asked.where))


def episodes_of_care(user: User, criteria: Q) -> list[Resource]:
    return [resources.episode_of_care(e) for e in queries.episodes(user, criteria)]


def read_episode_of_care(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(episodes_of_care(user, Q(pk=path_id(pk)))))


def search_episodes_of_care(request: HttpRequest, user: User, asked: Asked) -> HttpResponse:
    return searchset(request, user, asked, episodes_of_care(user, asked.where))


def observations(user: User, criteria: Q) -> list[Resource]:
    found = queries.episodes(user, criteria)
    jobs = queries.jobs_of(user, found)
    return [resources.observation(e, jobs.get(e.pk, [])) for e in found]


def read_observation(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(observations(user, Q(pk=path_id(pk)))))


def search_observations(request: HttpRequest, user: User, asked: Asked) -> HttpResponse:
    return searchset(request, user, asked, observations(user, asked.where))


# Encounter: contacts with the client


def encounters(user: User, criteria: Q) -> list[Resource]:
    return [resources.encounter(c) for c in queries.contacts(user, criteria)]


def read_encounter(request: HttpRequest, user: User, pk: str) -> HttpResponse:
    return answer(only(encounters(user, Q(pk=path_id(pk)))))


def search_encounters(request: HttpRequest, user: User, asked: Asked) -> HttpResponse:
    return searchset(request, user, asked, encounters(user, asked.where))


# A referral in


NO_TEAM = "ServiceRequest.performer: no IPS team you may refer to has this service code"
USED = "This identifier was already used for another referral"


def create_service_request(request: HttpRequest, user: User) -> HttpResponse:
    """201 with the new referral; 200 with the one made before if the sender's identifier was
    received already; 422 with every problem, and nothing saved. A team the caller may not refer
    to is 404, whether it exists or not."""
    body = body_of(request)
    if body.get("resourceType") != "ServiceRequest":
        raise refused(400, "structure", "Post a ServiceRequest here", "resourceType")
    referral, issues = referrals.read(body)
    code = referral.service_code
    target = queries.referral_target(user, code) if code else None
    if code and target is None:
        raise refused(404, "not-found", NO_TEAM, "ServiceRequest.performer")
    if target is None or issues:
        raise Refused(422, issues)
    try:
        received = services.receive(user, referral, *target)
    except services.Duplicate as duplicate:
        raise refused(422, "duplicate", str(duplicate), "ServiceRequest.subject") from duplicate
    inbound = received.inbound
    if received.created:
        resource = resources.service_request(inbound.episode, inbound)
        return answer(resource, 201, Location=address(request, resource))
    # Received before: answered only to someone who may see it, and only if it is this one.
    if not Episode.objects.visible_to(user).filter(pk=inbound.episode_id).exists():
        raise refused(409, "duplicate", "This identifier belongs to a referral you cannot see")
    if not received.same:
        raise refused(422, "duplicate", USED, "ServiceRequest.identifier")
    record(AuditAction.VIEW, actor=user, obj=inbound.episode)  # what is on the record: a view
    return answer(resources.service_request(inbound.episode, inbound))
