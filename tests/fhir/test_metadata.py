"""The CapabilityStatement lists exactly what is served: every interaction and search parameter it
names answers, and what it does not name is refused with an OperationOutcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from openips.accounts.roles import Role
from openips.fhir import codes
from openips.fhir.routes import ROUTES
from tests.conftest import World
from tests.fhir.conftest import Fhir, validated

FhirFor = Callable[[str], Fhir]


def test_the_statement_is_r4_json_and_needs_no_token(world: World, live_server: Any) -> None:
    response = requests.get(f"{live_server.url}/fhir/R4/metadata", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/fhir+json"
    statement = validated(response.json())
    assert (statement.fhirVersion, statement.format) == ("4.0.1", ["json"])
    assert statement.kind == "instance"
    assert statement.implementation.url == f"{live_server.url}/fhir/R4/"


def test_the_statement_is_the_route_table(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.TEAM_LEADER)
    statement = fhir.client.execute("metadata", method="get")
    validated(statement)
    [rest] = statement["rest"]
    listed = {(r["type"], i["code"]) for r in rest["resource"] for i in r["interaction"]}
    assert listed == {(r.resource, r.interaction) for r in ROUTES}
    params = {(r["type"], p["name"]) for r in rest["resource"] for p in r.get("searchParam", [])}
    assert params == {(r.resource, p.name) for r in ROUTES for p in r.searches}


def values(world: World) -> dict[str, str]:
    """A value for each search parameter, finding service A's person."""
    number = f"{codes.NHS_NUMBER}|{world.person_a.nhs_number}"
    return {
        "identifier": number,
        "patient.identifier": number,
        "patient": f"Patient/{world.person_a.pk}",
        "based-on": f"ServiceRequest/{world.episode(world.person_a).pk}",
    }


STANDARD = {
    ("Patient", "identifier"): "http://hl7.org/fhir/SearchParameter/Patient-identifier",
    ("Task", "based-on"): "http://hl7.org/fhir/SearchParameter/Task-based-on",
    **{
        (kind, "patient"): "http://hl7.org/fhir/SearchParameter/clinical-patient"
        for kind in ("EpisodeOfCare", "Encounter", "Observation")
    },
}


def test_the_search_parameters_are_r4s_own(world: World, fhir_for: FhirFor) -> None:
    """Each is declared by its name and canonical definition in R4; the chained search by the
    patient's NHS number is said in the patient parameter's documentation, and answers."""
    fhir = fhir_for(Role.TEAM_LEADER)
    [rest] = fhir.client.execute("metadata", method="get")["rest"]
    declared = {
        (r["type"], p["name"]): p for r in rest["resource"] for p in r.get("searchParam", [])
    }
    assert {key: p["definition"] for key, p in declared.items()} == STANDARD
    assert declared[("Patient", "identifier")]["type"] == "token"
    for kind in ("EpisodeOfCare", "Encounter", "Observation"):
        param = declared[(kind, "patient")]
        assert param["type"] == "reference"
        assert "patient.identifier" in param["documentation"]
        found = fhir.search(kind, **{"patient.identifier": values(world)["patient.identifier"]})
        assert found["total"] == 1, kind


def test_every_interaction_listed_answers(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.TEAM_LEADER)
    ids = {"Patient": world.person_a.pk, "Encounter": world.contacts["a"].pk}
    rest = fhir.client.execute("metadata", method="get")["rest"][0]
    for resource in rest["resource"]:
        kind = resource["type"]
        for interaction in (i["code"] for i in resource["interaction"]):
            if interaction == "read":
                found = fhir.read(kind, ids.get(kind, world.episode(world.person_a).pk))
                assert found["resourceType"] == kind
        for param in resource.get("searchParam", []):
            found = fhir.search(kind, **{param["name"]: values(world)[param["name"]]})
            assert found["total"] == 1, (kind, param["name"])


def test_what_is_not_listed_is_refused_with_an_outcome(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.TEAM_LEADER)
    headers = {**fhir.headers, "Content-Type": "application/fhir+json"}
    for method, path, status in [
        ("POST", "Patient", 405),
        ("PUT", f"ServiceRequest/{world.episode(world.person_a).pk}", 405),
        ("DELETE", f"Patient/{world.person_a.pk}", 405),
        ("GET", "ServiceRequest", 405),  # no search of referrals
        ("GET", "Practitioner/1", 404),
        ("GET", "Patient/1/_history", 404),
        ("GET", "", 404),
    ]:
        response = requests.request(method, f"{fhir.url}/{path}", headers=headers, timeout=30)
        assert response.status_code == status, (method, path)
        assert response.headers["Content-Type"] == "application/fhir+json"
        assert validated(response.json()).issue[0].severity == "error"
    assert fhir.post_raw("Patient", b"{}").headers["Allow"] == "GET"
