"""Every read of personal data through the API is on the audit trail of the person it is about:
a single record as one view event, a page as one view event per person on it. Employers and
staff are about nobody, so reading them records no view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from openips.accounts.roles import Role
from openips.api.urls import api
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Person
from tests.api.test_writes import Api
from tests.conftest import World
from tests.factories import (
    ContactFactory,
    EpisodeFactory,
    HospitalStayFactory,
    JobFactory,
    MeasureScoreFactory,
    PersonFactory,
)

Find = Callable[[World], models.Model]
PERSONAL_RECORDS: dict[str, Find] = {  # url name: the record it opens, service A's
    "api:episode": lambda w: w.episode(w.person_a),
    "api:contact": lambda w: w.contacts["a"],
    "api:job": lambda w: w.jobs["a"],
    "api:admission": lambda w: HospitalStayFactory(person=w.person_a),
    "api:measure": lambda w: MeasureScoreFactory(episode=w.episode(w.person_a)),
}
# How many of each the crowded page holds.
PERSONAL_LISTS = {
    "api:episodes": 2,
    "api:contacts": 4,
    "api:jobs": 3,
    "api:admissions": 2,
    "api:measures": 2,
}
ABOUT_NOBODY: dict[str, Find | None] = {  # None: a list
    "api:employers": None,
    "api:employer": lambda w: w.employers["a"],
    "api:staff_list": None,
    "api:staff": lambda w: w.service_a.staff.get(),
}


def get(world: World, name: str, obj: models.Model | None = None) -> dict[str, Any]:
    caller = Api(world, role=Role.TEAM_LEADER)
    url = reverse(name, kwargs={"pk": obj.pk}) if obj else reverse(name)
    response = caller.client.get(url, **caller.headers)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("person_id"))


def test_every_read_endpoint_is_listed_here() -> None:
    """A new GET endpoint must say whether it reads personal data, and so be tested below."""
    listed = {reverse(name, kwargs={"pk": 1}) for name in PERSONAL_RECORDS}
    listed |= {reverse(name) for name in PERSONAL_LISTS}
    listed |= {reverse(n, kwargs={"pk": 1}) if f else reverse(n) for n, f in ABOUT_NOBODY.items()}
    paths = api.get_openapi_schema()["paths"]
    assert listed == {path.replace("{pk}", "1") for path, ops in paths.items() if "get" in ops}


@pytest.mark.parametrize("name", PERSONAL_RECORDS)
def test_a_personal_record_read_is_a_view_of_its_person(world: World, name: str) -> None:
    obj = PERSONAL_RECORDS[name](world)
    assert get(world, name, obj)["id"] == obj.pk
    [event] = views()
    assert (event.person_id, event.service_id) == (world.person_a.pk, world.service_a.pk)
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.actor == world.users[Role.TEAM_LEADER]


@pytest.fixture
def crowded(world: World) -> World:
    """Service A with a second person, and two contacts and two jobs for the first: a page holds
    several records of one person, and a contact with an employer is about nobody."""
    other = EpisodeFactory(person=PersonFactory(service=world.service_a))
    for episode in (other, world.episode(world.person_a)):
        ContactFactory(episode=episode)
        JobFactory(episode=episode)
        HospitalStayFactory(person=episode.person)
        MeasureScoreFactory(episode=episode)
    ContactFactory(
        episode=None,
        service=world.service_a,
        staff=world.service_a.staff.first(),
        contact_with="employer",
        employer=world.employers["a"],
    )
    return world


@pytest.mark.parametrize("name", PERSONAL_LISTS)
def test_a_page_of_personal_records_is_one_view_per_person_on_it(crowded: World, name: str) -> None:
    assert get(crowded, name)["count"] == PERSONAL_LISTS[name]
    people = Person.objects.filter(service=crowded.service_a).order_by("pk")
    assert [e.person_id for e in views()] == [p.pk for p in people]
    assert len(people) == 2
    assert {e.actor_id for e in views()} == {crowded.users[Role.TEAM_LEADER].pk}


@pytest.mark.parametrize("name", ABOUT_NOBODY)
def test_a_read_of_what_is_about_nobody_records_no_view(world: World, name: str) -> None:
    find = ABOUT_NOBODY[name]
    body = get(world, name, find(world) if find else None)
    assert body.get("count", 1) >= 1
    assert views() == []
