"""Reads for clinicians: Patient, EpisodeOfCare, Encounter and Observation by id and by the
patient's NHS number, through the pages' scoped queries (out of scope: 404 by id, an empty
searchset), each person read on their audit trail, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fhirpy.base.exceptions import ForbiddenError, ResourceNotFound

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Person
from openips.fhir import codes
from openips.record.presenters import ClientRecordPresenter
from tests.conftest import World
from tests.factories import ContactFactory, EpisodeFactory, JobFactory
from tests.fhir.conftest import Fhir, validated

FhirFor = Callable[[str], Fhir]
ABOUT_A_PATIENT = ["EpisodeOfCare", "Encounter", "Observation"]


def by_nhs_number(world: World, which: str = "a") -> str:
    person = world.person_a if which == "a" else world.person_b
    return f"{codes.NHS_NUMBER}|{person.nhs_number}"


def views_of(world: World) -> list[int | None]:
    events = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("pk")
    return [e.person_id for e in events]


def test_a_patient_is_found_by_nhs_number_and_read_by_id(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    found = fhir.search("Patient", identifier=by_nhs_number(world))
    [entry] = found["entry"]
    patient = fhir.read("Patient", world.person_a.pk)
    assert entry["resource"] == patient
    assert {"system": codes.NHS_NUMBER, "value": "9990000018"} in patient["identifier"]
    assert patient["name"] == [{"family": "A001", "given": ["Test"]}]
    assert views_of(world) == [world.person_a.pk, world.person_a.pk]


def test_a_clinician_reads_the_summary_without_the_persons_details(
    world: World, fhir_for: FhirFor
) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(
        date_of_birth=date(1990, 1, 2), gender="male"
    )
    fhir = fhir_for(Role.CLINICIAN)
    [entry] = fhir.search("Patient", identifier=by_nhs_number(world))["entry"]
    patient = entry["resource"]
    assert patient["identifier"] == [{"system": codes.CLIENT_ID, "value": "A001"}]
    assert "birthDate" not in patient and "gender" not in patient
    [observation] = fhir.search("Observation", **{"patient.identifier": by_nhs_number(world)})[
        "entry"
    ]
    assert observation["resource"]["valueCodeableConcept"]["coding"][0]["code"] == "in_work"


@pytest.mark.parametrize("kind", ABOUT_A_PATIENT)
def test_a_patients_records_are_found_by_nhs_number_or_id(
    world: World, fhir_for: FhirFor, kind: str
) -> None:
    fhir = fhir_for(Role.TEAM_LEADER)
    by_number = fhir.search(kind, **{"patient.identifier": by_nhs_number(world)})
    by_id = fhir.search(kind, patient=f"Patient/{world.person_a.pk}")
    assert by_number["entry"] == by_id["entry"]
    [entry] = by_number["entry"]
    resource = entry["resource"]
    assert fhir.read(kind, resource["id"]) == resource
    assert entry["fullUrl"] == f"{fhir.url}/{kind}/{resource['id']}"
    # Three searches and a read: each a view of the one person, on their trail.
    assert views_of(world) == [world.person_a.pk] * 3


@pytest.mark.parametrize("kind", ["Patient", *ABOUT_A_PATIENT])
def test_out_of_scope_is_missing_by_id_and_absent_from_searches(
    world: World, fhir_for: FhirFor, kind: str
) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    hidden = {
        "Patient": world.person_b.pk,
        "Encounter": world.contacts["b"].pk,
    }.get(kind, world.episode(world.person_b).pk)
    with pytest.raises(ResourceNotFound):
        fhir.read(kind, hidden)
    name = "identifier" if kind == "Patient" else "patient.identifier"
    found = fhir.search(kind, **{name: by_nhs_number(world, "b")})
    assert (found["total"], found.get("entry")) == (0, None)
    assert views_of(world) == []


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.IG_LEAD, Role.ADMINISTRATOR])
@pytest.mark.parametrize("kind", ["Patient", "ServiceRequest", "Task", *ABOUT_A_PATIENT])
def test_a_role_without_client_records_is_refused(
    world: World, fhir_for: FhirFor, role: str, kind: str
) -> None:
    with pytest.raises(ForbiddenError):
        fhir_for(role).read(kind, 1)
    assert views_of(world) == []


def test_encounters_are_contacts_with_the_client_without_their_notes(
    world: World, fhir_for: FhirFor
) -> None:
    episode = world.episode(world.person_a)
    ContactFactory(episode=episode, notes="Talked about her sister", mode="face_to_face")
    ContactFactory(episode=episode, contact_with="clinical_team", purpose="mdt_meeting")
    found = fhir_for(Role.EMPLOYMENT_SPECIALIST).search(
        "Encounter", patient=f"Patient/{world.person_a.pk}"
    )
    assert found["total"] == 2  # the phone call and the meeting; not the team's MDT
    classes = [e["resource"]["class"]["code"] for e in found["entry"]]
    assert classes == ["VR", "FLD"]
    assert "sister" not in str(found)
    assert found["entry"][0]["resource"]["episodeOfCare"] == [
        {"reference": f"EpisodeOfCare/{episode.pk}"}
    ]


def test_the_observation_is_the_summary_the_record_page_shows(
    world: World, fhir_for: FhirFor
) -> None:
    episode = world.episode(world.person_a)
    observation = fhir_for(Role.EMPLOYMENT_SPECIALIST).read("Observation", episode.pk)
    value = observation["valueCodeableConcept"]
    assert value["text"] == ClientRecordPresenter.headline(episode, [world.jobs["a"]])
    assert value["text"] == "In work at Employer A as Barista since 3 March 2025"
    assert observation["effectiveDateTime"] == "2025-03-03"
    assert observation["code"]["coding"][0] == {
        "system": codes.OBSERVATION,
        "code": codes.EMPLOYMENT_SUMMARY,
        "display": "IPS employment summary",
    }


def test_searches_need_a_parameter_served_here(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    for path, params in [
        ("Patient", {}),
        ("Patient", {"name": "Test"}),
        ("Patient", {"identifier": "9990000018"}),  # no system
        ("Encounter", {"patient": "Patient/abc"}),
        ("Encounter", {"patient": "Patient/" + "9" * 5000}),  # past what int() reads
        ("Task", {"based-on": "ServiceRequest/" + "0" * 30 + "1"}),  # longer than any id
    ]:
        response = fhir.get(path, **params)
        assert response.status_code == 400, (path, params)
        assert validated(response.json()).issue[0].severity == "error"
    assert fhir.get("Patient/99999999999999999999").status_code == 404
    assert fhir.get("Patient/x").status_code == 404


def test_every_search_is_on_the_trail_even_one_that_finds_nobody(
    world: World, fhir_for: FhirFor
) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    assert fhir.search("Patient", identifier=by_nhs_number(world, "b"))["total"] == 0
    assert fhir.search("Encounter", patient=f"Patient/{world.person_a.pk}")["total"] == 1
    searched = AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("pk")
    assert [(e.person_id, e.changes) for e in searched] == [
        (None, {"kind": "nhs_number", "resource": "Patient", "results": 0}),
        (None, {"kind": "patient", "resource": "Encounter", "results": 1}),
    ]
    assert all(e.actor == world.users[Role.EMPLOYMENT_SPECIALIST] for e in searched)
    assert views_of(world) == [world.person_a.pk]  # and what was found, a view


def searches(fhir: Fhir, world: World, first: int) -> list[int]:
    """The queries each search and read runs (`first`: the person's first episode)."""
    counts = []
    number = {"patient.identifier": by_nhs_number(world)}
    asks: list[tuple[str, dict[str, Any]]] = [
        ("Patient", {"identifier": by_nhs_number(world)}),
        *[(kind, number) for kind in ABOUT_A_PATIENT],
        ("Task", {"based-on": f"ServiceRequest/{first}"}),
        (f"ServiceRequest/{first}", {}),
    ]
    client = Client()
    for path, params in asks:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/fhir/R4/{path}", params, **fhir_auth(fhir))
            assert response.status_code == 200, response.content
        counts.append(len(ctx.captured_queries))
    return counts


def fhir_auth(fhir: Fhir) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": fhir.headers["Authorization"]}


def test_reads_run_the_same_queries_whatever_they_find(world: World) -> None:
    token = create_token(world.users[Role.EMPLOYMENT_SPECIALIST], "t")[1]
    fhir = Fhir("http://testserver/fhir/R4", token)
    first = world.episode(world.person_a).pk
    small = searches(fhir, world, first)
    for _ in range(3):  # more episodes of the person, each with contacts and jobs
        episode = EpisodeFactory(person=world.person_a)
        ContactFactory.create_batch(4, episode=episode)
        JobFactory.create_batch(2, episode=episode)
    assert searches(fhir, world, first) == small, small
