"""Creating and updating through the API: the interchange rules, the version check, the audit."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.audit.models import AuditAction, AuditEvent
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Job
from tests.conftest import World


class Api:
    def __init__(self, world: World, role: str = Role.EMPLOYMENT_SPECIALIST) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(world.users[role], 't')[1]}"}

    def post(self, name: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            reverse(name), data=body, content_type="application/json", **self.headers
        )

    def put(self, name: str, pk: int, body: dict[str, Any]) -> Any:
        return self.client.put(
            reverse(name, kwargs={"pk": pk}),
            data=body,
            content_type="application/json",
            **self.headers,
        )


def problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {p["loc"][-1]: p["msg"] for p in response.json()["detail"]}


NEW_EPISODE = {
    "service": "svc-a",
    "episode_id": "EP-NEW",
    "client_id": "C-NEW",
    "nhs_number": "999 000 0034",
    "referral_date": "2025-04-01",
    "referral_source": "primary_care",
    "employment_status_at_referral": "unemployed",
    "accepted_date": "2025-04-02",
    "employment_specialist": "ES01",
    "clinical_team": "Team A",
}


def test_an_episode_created_through_the_api_is_stored_like_an_imported_row(world: World) -> None:
    response = Api(world).post("api:create_episode", NEW_EPISODE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["episode_id"] == "EP-NEW" and body["version"] == 1
    episode = Episode.objects.get(service=world.service_a, episode_id="EP-NEW")
    assert episode.person.nhs_number == "9990000034"
    assert episode.clinical_team == world.team_a
    assert episode.employment_specialist.staff_id == "ES01"  # type: ignore[union-attr]
    created = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="clients.episode", object_id=str(episode.pk)
    )
    assert created.actor == world.users[Role.EMPLOYMENT_SPECIALIST]


def test_every_problem_with_a_record_is_listed_and_nothing_is_saved(world: World) -> None:
    body = NEW_EPISODE | {
        "nhs_number": "999 000 0035",  # fails the check digit
        "accepted_date": "2025-03-01",  # before the referral
        "employment_specialist": "ES99",
    }
    found = problems(Api(world).post("api:create_episode", body))
    assert "not a valid NHS number" in found["nhs_number"]
    assert found["accepted_date"] == "must be on or after referral_date (2025-04-01)"
    assert found["employment_specialist"] == "unknown staff_id ES99"
    assert not Episode.objects.filter(episode_id="EP-NEW").exists()
    assert not Person.objects.filter(client_id="C-NEW").exists()


def test_an_id_already_in_the_service_is_refused_rather_than_overwritten(world: World) -> None:
    found = problems(Api(world).post("api:create_episode", NEW_EPISODE | {"episode_id": "A001-1"}))
    assert found["episode_id"] == "A001-1 already exists in this service; update it instead"


def test_a_record_may_not_refer_to_another_services_episode(world: World) -> None:
    job = {
        "service": "svc-a",
        "job_id": "J-NEW",
        "episode_id": "B001-1",  # exists, but in service B
        "job_title": "Porter",
        "start_date": "2025-05-01",
        "competitive": True,
    }
    assert problems(Api(world).post("api:create_job", job)) == {
        "episode_id": "unknown episode_id B001-1"
    }
    assert not Job.objects.filter(job_id="J-NEW").exists()


def test_an_update_with_the_version_read_saves_and_a_stale_one_is_refused(world: World) -> None:
    api = Api(world)
    contact = world.contacts["a"]
    edit = {
        "date": "2025-01-10",
        "staff_id": "ES01",
        "contact_with": "client",
        "episode_id": "A001-1",
        "mode": "face_to_face",
        "setting": "community",
        "minutes": 50,
        "purpose": "engagement",
        "version": 1,
    }
    saved = api.put("api:update_contact", contact.pk, edit)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2 and saved.json()["mode"] == "face_to_face"
    stale = api.put("api:update_contact", contact.pk, edit | {"minutes": 5})
    assert stale.status_code == 409
    assert "now version 2" in stale.json()["detail"]
    contact.refresh_from_db()
    assert (contact.minutes, contact.version) == (50, 2)
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="casework.contact", object_id=str(contact.pk)
    )
    assert event.changes["fields"] == ["date", "minutes", "mode", "setting"]


def test_a_client_contact_needs_its_episode(world: World) -> None:
    body = {
        "service": "svc-a",
        "contact_id": "C-NEW",
        "date": "2025-02-01",
        "staff_id": "ES01",
        "contact_with": "client",
        "mode": "phone",
        "purpose": "engagement",
    }
    assert problems(Api(world).post("api:create_contact", body)) == {
        "episode_id": "is required for a contact with a client"
    }
    assert not Contact.objects.filter(contact_id="C-NEW").exists()


def test_staff_are_managed_by_team_leaders_and_the_fte_is_checked(world: World) -> None:
    body = {"service": "svc-a", "staff_id": "ES05", "name": "Five", "role": "employment_specialist"}
    leader = Api(world, Role.TEAM_LEADER)
    assert problems(leader.post("api:create_staff", body | {"fte": "1.5"})) == {
        "fte": "must be more than 0 and at most 1"
    }
    assert leader.post("api:create_staff", body | {"fte": "0.6"}).status_code == 201
    specialist = Api(world)
    assert specialist.post("api:create_staff", body | {"staff_id": "ES06"}).status_code == 403


def test_an_anonymous_write_is_401(world: World) -> None:
    response = Client().post(
        reverse("api:create_episode"), data=NEW_EPISODE, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_clinician_reads_episodes_without_identifiers_or_contact_details(world: World) -> None:
    from openips.clients.models import Person

    Person.objects.filter(pk=world.person_a.pk).update(phone="0113 496 0000", email="a@example.com")
    for role, shown in ((Role.CLINICIAN, False), (Role.EMPLOYMENT_SPECIALIST, True)):
        api = Api(world, role)
        listed = api.client.get(reverse("api:episodes"), **api.headers).json()["items"]
        mine = next(e for e in listed if e["client_id"] == world.person_a.client_id)
        pk = world.episode(world.person_a).pk
        one = api.client.get(reverse("api:episode", kwargs={"pk": pk}), **api.headers).json()
        for episode in (mine, one):
            held = (episode["nhs_number"], episode["phone"], episode["email"])
            expected = ("9990000018", "0113 496 0000", "a@example.com") if shown else ("", "", "")
            assert held == expected
            if not shown:
                assert episode["date_of_birth"] is None
