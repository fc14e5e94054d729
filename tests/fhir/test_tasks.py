"""Status back: the Task of a referral follows its episode (requested → accepted → in-progress
→ completed, or cancelled with the reason), and so do the ServiceRequest and EpisodeOfCare."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from openips.accounts.roles import Role
from openips.clients import services
from openips.clients.models import Episode
from tests.conftest import World
from tests.factories import nhs_number
from tests.fhir.conftest import Fhir, referral

FhirFor = Callable[[str], Fhir]


def sent(fhir: Fhir, **kwargs: str) -> Episode:
    response = fhir.post(referral(**kwargs))
    assert response.status_code == 201, response.text
    return Episode.objects.get(pk=response.json()["id"])


def statuses(fhir: Fhir, episode: Episode) -> tuple[str, str, str]:
    return (
        fhir.read("Task", episode.pk)["status"],
        fhir.read("ServiceRequest", episode.pk)["status"],
        fhir.read("EpisodeOfCare", episode.pk)["status"],
    )


def test_the_task_follows_the_episode_to_its_discharge(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    episode = sent(fhir)
    task = fhir.read("Task", episode.pk)
    assert task["basedOn"] == [{"reference": f"ServiceRequest/{episode.pk}"}]
    assert task["for"] == {"reference": f"Patient/{episode.person_id}"}
    assert (task["lastModified"], task["authoredOn"]) == ("2026-01-05", "2026-01-05")
    assert statuses(fhir, episode) == ("requested", "active", "waitlist")

    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    es = world.service_a.staff.get(staff_id="ES01")
    services.accept(
        actor,
        episode,
        started_from=episode.version,
        accepted_date=date(2026, 1, 12),
        employment_specialist=es,
    )
    task = fhir.read("Task", episode.pk)
    assert task["status"] == "accepted"  # "accepted by IPS on 12 January 2026"
    assert task["lastModified"] == task["executionPeriod"]["start"] == "2026-01-12"
    assert task["businessStatus"]["coding"][0]["code"] == "accepted"
    assert statuses(fhir, episode) == ("accepted", "active", "active")
    assert fhir.read("EpisodeOfCare", episode.pk)["careManager"] == {"display": "Esme A"}

    Episode.objects.filter(pk=episode.pk).update(vocational_profile_date=date(2026, 1, 20))
    task = fhir.read("Task", episode.pk)
    assert (task["status"], task["lastModified"]) == ("in-progress", "2026-01-20")
    assert task["businessStatus"]["coding"][0]["code"] == "job_seeking"

    episode.refresh_from_db()
    services.discharge(
        actor,
        episode,
        started_from=episode.version,
        discharge_date=date(2026, 3, 2),
        discharge_reason="no_longer_wants_work",
    )
    task = fhir.read("Task", episode.pk)
    assert task["executionPeriod"] == {"start": "2026-01-12", "end": "2026-03-02"}
    assert "statusReason" not in task
    assert statuses(fhir, episode) == ("completed", "completed", "finished")


def test_a_referral_closed_before_acceptance_is_cancelled_with_its_reason(
    world: World, fhir_for: FhirFor
) -> None:
    fhir = fhir_for(Role.TEAM_LEADER)
    episode = sent(fhir, identifier="REF-9", number=nhs_number(5003))
    services.discharge(
        world.users[Role.TEAM_LEADER],
        episode,
        started_from=episode.version,
        discharge_date=date(2026, 1, 19),
        discharge_reason="declined_before_engagement",
    )
    task = fhir.read("Task", episode.pk)
    assert task["status"] == "cancelled"  # the person declined: the team turned no one down
    assert task["statusReason"] == {"text": "Declined before engagement"}
    assert task["lastModified"] == "2026-01-19"
    assert "executionPeriod" not in task
    assert statuses(fhir, episode) == ("cancelled", "revoked", "cancelled")


def test_a_job_keeps_the_task_in_progress(world: World, fhir_for: FhirFor) -> None:
    episode = world.episode(world.person_a)  # accepted, with a job open since March 2025
    task = fhir_for(Role.EMPLOYMENT_SPECIALIST).read("Task", episode.pk)
    assert task["status"] == "in-progress"
    assert task["businessStatus"]["coding"][0]["code"] == "in_work"


def test_tasks_are_found_by_the_referral_they_fulfil(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    episode = sent(fhir)
    found = fhir.search("Task", **{"based-on": f"ServiceRequest/{episode.pk}"})
    assert found["type"] == "searchset"
    assert found["total"] == 1
    [entry] = found["entry"]
    assert entry["fullUrl"] == f"{fhir.url}/Task/{episode.pk}"
    assert entry["resource"]["basedOn"] == [{"reference": f"ServiceRequest/{episode.pk}"}]
    # Another service's referral is nobody's business here: an empty searchset, not an error.
    other = world.episode(world.person_b)
    assert fhir.search("Task", **{"based-on": f"ServiceRequest/{other.pk}"})["total"] == 0
    refused = fhir.get("Task", **{"based-on": "Patient/1"})
    assert refused.status_code == 400


def test_a_client_employed_at_referral_is_given_the_retention_stages(
    world: World, fhir_for: FhirFor
) -> None:
    """Their Task and Observation follow the record: at risk from acceptance, then each change
    in work, while the Task stays in progress."""
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    episode = sent(fhir, employment="employed")
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    services.accept(
        actor,
        episode,
        started_from=episode.version,
        accepted_date=date(2026, 1, 12),
        employment_specialist=world.service_a.staff.get(staff_id="ES01"),
    )
    task = fhir.read("Task", episode.pk)
    assert (task["status"], task["lastModified"]) == ("in-progress", "2026-01-12")
    assert task["businessStatus"]["coding"][0] == {
        "system": "https://openips.nhs.uk/CodeSystem/ips-stage",
        "code": "retention_at_risk",
        "display": "Job retention: at risk",
    }
    services.record_retention_change(actor, episode, status="adjusted_role", date=date(2026, 2, 9))
    task = fhir.read("Task", episode.pk)
    assert task["businessStatus"]["coding"][0]["code"] == "retention_adjusted_role"
    assert (task["status"], task["lastModified"]) == ("in-progress", "2026-02-09")
    summary = fhir.read("Observation", episode.pk)
    assert summary["effectiveDateTime"] == "2026-02-09"
    assert summary["valueCodeableConcept"]["coding"][0]["code"] == "retention_adjusted_role"
    assert summary["valueCodeableConcept"]["text"] == "In an adjusted role since 9 February 2026"
