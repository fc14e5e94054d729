"""Read a record, send the same body back: nothing changes. Leave a column out: it keeps its
value. (An update once cleared a person's NHS number, date of birth, gender and ethnicity,
because the read left them out and the update overwrote what it was not sent.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openips.api.urls import api
from openips.interchange import exporter
from openips.interchange.schema import TABLES
from tests.api.test_writes import Api
from tests.conftest import World

RESOURCES = {  # interchange table: (read url, update url, record in the world)
    "episodes": ("api:episode", "api:update_episode", lambda w: w.episode(w.person_a)),
    "contacts": ("api:contact", "api:update_contact", lambda w: w.contacts["a"]),
    "employers": ("api:employer", "api:update_employer", lambda w: w.employers["a"]),
    "jobs": ("api:job", "api:update_job", lambda w: w.jobs["a"]),
    "staff": ("api:staff", "api:update_staff", lambda w: w.service_a.staff.get()),
}


@pytest.fixture
def full_world(world: World) -> World:
    """Every writable column of every record holds a value."""
    person = world.person_a
    person.date_of_birth, person.gender, person.ethnicity = date(1980, 5, 6), "female", "asian"
    person.save()
    job = world.jobs["a"]
    job.hours_per_week, job.hourly_pay, job.permanent = Decimal("16"), Decimal("12.6"), True
    job.save()
    contact = world.contacts["a"]
    contact.minutes, contact.matches_preferences = 45, True
    contact.save()
    return world


def test_every_update_schema_column_is_read_back() -> None:
    schema = api.get_openapi_schema()["components"]["schemas"]
    for table, out in (
        ("episodes", "EpisodeOut"),
        ("contacts", "ContactOut"),
        ("employers", "EmployerOut"),
        ("jobs", "JobOut"),
        ("staff", "StaffOut"),
    ):
        missing = {c.name for c in TABLES[table]} - set(schema[out]["properties"])
        assert not missing, f"{out} leaves out {missing}"


@pytest.mark.parametrize("table", RESOURCES)
def test_sending_back_what_was_read_changes_nothing(full_world: World, table: str) -> None:
    read, update, find = RESOURCES[table]
    obj = find(full_world)
    caller = Api(full_world, role="team_leader")
    before = exporter.current_values(obj.service, table, obj.pk)
    body: dict[str, Any] = caller.client.get(reverse(read, args=[obj.pk]), **caller.headers).json()
    response = caller.put(update, obj.pk, body)
    assert response.status_code == 200, response.content
    assert exporter.current_values(obj.service, table, obj.pk) == before
    assert before.get("nhs_number", "x") and before.get("ethnicity", "x")


@pytest.mark.parametrize("table", RESOURCES)
def test_an_update_changes_only_what_it_is_sent(full_world: World, table: str) -> None:
    _, update, find = RESOURCES[table]
    obj = find(full_world)
    before = exporter.current_values(obj.service, table, obj.pk)
    response = Api(full_world, role="team_leader").put(update, obj.pk, {"version": obj.version})
    assert response.status_code == 200, response.content
    assert exporter.current_values(obj.service, table, obj.pk) == before


def test_an_episode_cannot_be_moved_to_another_person(full_world: World) -> None:
    episode = full_world.episode(full_world.person_a)
    body = {"version": episode.version, "client_id": "A002"}
    response = Api(full_world, role="team_leader").put("api:update_episode", episode.pk, body)
    assert response.status_code == 422
    assert "cannot be changed" in str(response.json())
    episode.refresh_from_db()
    assert episode.person_id == full_world.person_a.pk


def test_a_new_episode_leaving_identifiers_out_keeps_the_persons(full_world: World) -> None:
    body = {
        "service": "svc-a",
        "episode_id": "A001-2",
        "client_id": "A001",
        "referral_date": "2025-06-02",
        "referral_source": "self",
        "employment_status_at_referral": "unemployed",
    }
    response = Api(full_world, role="team_leader").post("api:create_episode", body)
    assert response.status_code == 201, response.content
    full_world.person_a.refresh_from_db()
    assert full_world.person_a.nhs_number == "9990000018"
    assert full_world.person_a.date_of_birth == date(1980, 5, 6)
