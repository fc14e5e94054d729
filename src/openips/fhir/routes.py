"""Everything the interface serves, in one table: the URLs (urls.py) and the CapabilityStatement
(capability.py) are both made from it, so neither can list what the other does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from openips.accounts.roles import Capability
from openips.fhir import search, views
from openips.fhir.http import caller
from openips.fhir.search import SearchParam

READ, SEARCH, CREATE = "read", "search-type", "create"
METHODS = {READ: "GET", SEARCH: "GET", CREATE: "POST"}


@dataclass(frozen=True)
class Route:
    resource: str
    interaction: str
    capability: Capability
    handler: Callable[..., HttpResponse]
    searches: tuple[SearchParam, ...] = ()

    @property
    def method(self) -> str:
        return METHODS[self.interaction]

    @property
    def on_instance(self) -> bool:
        return self.interaction == READ

    def __call__(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user = caller(request, self.capability)
        if self.interaction == SEARCH:
            asked = search.criteria(self.resource, self.searches, request.GET)
            return self.handler(request, user, asked)
        return self.handler(request, user, **kwargs)


def about_a_patient(resource: str, person: str, read: Any, find: Any) -> list[Route]:
    """Read by id, and search by the patient (their id, or chained, their NHS number)."""
    return [
        Route(resource, READ, Capability.VIEW_CLIENTS, read),
        Route(resource, SEARCH, Capability.VIEW_CLIENTS, find, (search.patient(person),)),
    ]


ROUTES: list[Route] = [
    Route("Patient", READ, Capability.VIEW_CLIENTS, views.read_patient),
    Route(
        "Patient", SEARCH, Capability.VIEW_CLIENTS, views.search_patients, (search.identifier(),)
    ),
    Route("ServiceRequest", CREATE, Capability.REFER_CLIENTS, views.create_service_request),
    Route("ServiceRequest", READ, Capability.VIEW_CLIENTS, views.read_service_request),
    Route("Task", READ, Capability.VIEW_CLIENTS, views.read_task),
    Route("Task", SEARCH, Capability.VIEW_CLIENTS, views.search_tasks, (search.based_on(),)),
    *about_a_patient(
        "EpisodeOfCare", "person", views.read_episode_of_care, views.search_episodes_of_care
    ),
    *about_a_patient("Encounter", "episode__person", views.read_encounter, views.search_encounters),
    *about_a_patient("Observation", "person", views.read_observation, views.search_observations),
]
