"""A referral in: POST ServiceRequest makes one referral however often it is sent, applies the
referral page's duplicate rules, refuses a malformed one with every problem at once and saves
nothing, and keeps to the caller's scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fhirpy.base.exceptions import ForbiddenError, OperationOutcome, ResourceNotFound

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients import services
from openips.clients.models import Episode, Person
from openips.fhir.models import InboundReferral
from openips.governance.rights import anonymise
from tests.conftest import World
from tests.factories import nhs_number
from tests.fhir.conftest import Fhir, as_json, referral, validated

FhirFor = Callable[[str], Fhir]


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Episode.objects.count(),
        InboundReferral.objects.count(),
        # Every write but the tokens' (each test's connection makes one).
        AuditEvent.objects.exclude(action=AuditAction.VIEW)
        .exclude(object_type="accounts.apitoken")
        .count(),
    )


def created(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.CREATE, object_type=kind))


def test_a_referral_sent_three_times_is_one_referral(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    first = fhir.post(referral())
    assert first.status_code == 201, first.text
    assert first.headers["Content-Type"] == "application/fhir+json"
    made = validated(first.json())
    assert first.headers["Location"] == f"{fhir.url}/ServiceRequest/{made.id}"

    again = fhir.client.resource("ServiceRequest", **as_json(referral())).save()  # fhirpy
    third = fhir.post(referral())
    assert third.status_code == 200
    assert again["id"] == third.json()["id"] == made.id
    assert validated(third.json()) == made

    episode = Episode.objects.get(pk=made.id)
    assert InboundReferral.objects.get().episode == episode
    assert Person.objects.filter(nhs_number=nhs_number(5001)).count() == 1
    assert (episode.service, episode.referral_date) == (world.service_a, date(2026, 1, 5))
    assert episode.person.given_name == "Ada"
    assert episode.care_coordinator == "Dr Rhea Patel"
    assert episode.employment_status_at_referral == "unemployed"
    # Audited once, as the referral page's referral is: the person and the episode created.
    assert [e.object_id for e in created("clients.episode")] == [str(episode.pk)]
    assert [e.object_id for e in created("clients.person")] == [str(episode.person_id)]
    assert len(created("fhir.inboundreferral")) == 1
    # Each answer after the first shows what is on the record: a view of it.
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, person_id=episode.person_id)
    assert views.count() == 2


def test_a_person_known_by_nhs_number_gets_a_new_episode(world: World, fhir_for: FhirFor) -> None:
    known = world.episode(world.person_a)
    actor = world.users[Role.EMPLOYMENT_SPECIALIST]
    services.discharge(
        actor,
        known,
        started_from=known.version,
        discharge_date=date(2025, 6, 2),
        discharge_reason="moved_on_in_work",
    )
    people = Person.objects.count()
    response = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(
        referral(number=world.person_a.nhs_number, family="Somebody", given="Else")
    )
    assert response.status_code == 201, response.text
    assert Person.objects.count() == people
    episode = Episode.objects.get(pk=response.json()["id"])
    assert episode.person == world.person_a
    assert episode.episode_id == "A001-2"
    assert response.json()["subject"] == {"reference": f"Patient/{world.person_a.pk}"}


def test_an_open_episode_with_the_team_refuses_another(world: World, fhir_for: FhirFor) -> None:
    before = counts()
    with pytest.raises(OperationOutcome) as refused:
        fhir_for(Role.EMPLOYMENT_SPECIALIST).client.resource(
            "ServiceRequest", **as_json(referral(number=world.person_a.nhs_number))
        ).save()
    [issue] = refused.value.resource["issue"]
    assert (issue["code"], issue["expression"]) == ("duplicate", ["ServiceRequest.subject"])
    assert "already has an open referral" in issue["diagnostics"]
    assert counts() == before


def test_someone_maybe_known_without_an_nhs_number_is_for_the_team_to_check(
    world: World, fhir_for: FhirFor
) -> None:
    Person.objects.create(
        service=world.service_a,
        client_id="A900",
        given_name="Ada",
        family_name="Okafor",
        date_of_birth=date(1990, 5, 17),
    )
    before = counts()
    response = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral())
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "duplicate"
    assert counts() == before
    # The same name and birth date with another NHS number is another person.
    Person.objects.filter(client_id="A900").update(nhs_number=nhs_number(5002))
    assert fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral()).status_code == 201


def malformed() -> dict[str, Any]:
    body = as_json(referral(number="9990000010", authored="2099-01-01", service="no-such"))
    body["code"]["coding"][0]["code"] = "183524004"
    body["contained"][0]["birthDate"] = "17/05/1990"  # not a FHIR date
    del body["identifier"], body["requester"]
    return body


def test_a_malformed_referral_names_every_problem_and_saves_nothing(
    world: World, fhir_for: FhirFor
) -> None:
    before = counts()
    response = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(malformed())
    assert response.status_code == 422
    outcome = validated(response.json())
    found = {i.expression[0]: i.code for i in outcome.issue}
    assert found == {
        "ServiceRequest.identifier": "required",
        "ServiceRequest.code": "code-invalid",
        "ServiceRequest.contained[0].identifier[0].value": "value",  # its check digit
        "ServiceRequest.contained[0].birthDate": "value",  # found by the R4B model
        "ServiceRequest.authoredOn": "value",  # in the future
        "ServiceRequest.requester": "required",
        "ServiceRequest.performer": "not-found",
    }
    assert all(i.severity == "error" and i.diagnostics for i in outcome.issue)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "element"),
    [
        (lambda b: b["contained"][0].pop("identifier"), "ServiceRequest.contained[0].identifier"),
        (lambda b: b.update(status="draft"), "ServiceRequest.status"),
        (lambda b: b.update(intent="plan"), "ServiceRequest.intent"),
        (lambda b: b.update(subject={"reference": "Patient/1"}), "ServiceRequest.subject"),
        (lambda b: b.update(invented=True), "ServiceRequest.invented"),
        (lambda b: b.pop("extension"), "ServiceRequest.extension"),
        (lambda b: b["contained"][0].update(gender="f"), "ServiceRequest.contained[0].gender"),
    ],
)
def test_each_rule_names_its_element(
    world: World, fhir_for: FhirFor, change: Callable[[dict[str, Any]], Any], element: str
) -> None:
    body = as_json(referral())
    change(body)
    response = fhir_for(Role.TEAM_LEADER).post(body)
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert issue["expression"][0].startswith(element)
    assert Episode.objects.count() == 2


def test_what_is_no_service_request_is_a_400(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    patient = as_json(referral())["contained"][0] | {"resourceType": "Patient"}
    assert fhir.post(patient).status_code == 405  # /Patient takes no posts
    for body in (b"{not json", b'{"resourceType": "Patient"}', b"[]"):
        response = fhir.post_raw("ServiceRequest", body)
        assert response.status_code == 400
        assert validated(response.json()).issue[0].severity == "error"
    assert fhir.post_raw("ServiceRequest", b"<xml/>", "application/xml").status_code == 415
    huge = b'{"resourceType": "ServiceRequest", "note": "' + b"x" * 3_000_000 + b'"}'
    assert fhir.post_raw("ServiceRequest", huge).status_code == 413
    assert Episode.objects.count() == 2


def test_a_team_outside_the_callers_scope_is_not_found(world: World, fhir_for: FhirFor) -> None:
    before = counts()
    with pytest.raises(ResourceNotFound) as missing:
        fhir_for(Role.EMPLOYMENT_SPECIALIST).client.resource(
            "ServiceRequest", **as_json(referral(service="svc-b"))
        ).save()
    assert '"not-found"' in str(missing.value)
    assert counts() == before


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.COMMISSIONER, Role.FIDELITY_REVIEWER])
def test_a_role_that_does_not_refer_is_refused(world: World, fhir_for: FhirFor, role: str) -> None:
    with pytest.raises(ForbiddenError):
        fhir_for(role).client.resource("ServiceRequest", **as_json(referral())).save()
    assert InboundReferral.objects.count() == 0


def test_a_clinician_refers_from_their_team_and_follows_it(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.CLINICIAN)
    response = fhir.post(referral())
    assert response.status_code == 201, response.text
    episode = Episode.objects.get(pk=response.json()["id"])
    assert episode.clinical_team == world.team_a
    assert fhir.read("ServiceRequest", episode.pk)["status"] == "active"
    assert fhir.read("Task", episode.pk)["status"] == "requested"


def test_without_a_token_nothing_is_read_or_saved(world: World, fhir_for: FhirFor) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    fhir.headers["Authorization"] = "Bearer oips_not-a-token"
    response = fhir.post(referral())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert validated(response.json()).issue[0].code == "login"
    del fhir.headers["Authorization"]
    assert fhir.get(f"Patient/{world.person_a.pk}").status_code == 401
    assert InboundReferral.objects.count() == 0


def test_anonymising_the_person_forgets_the_senders_identifier(
    world: World, fhir_for: FhirFor
) -> None:
    response = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral())
    episode = Episode.objects.get(pk=response.json()["id"])
    Episode.objects.filter(pk=episode.pk).update(
        discharge_date=date(2026, 2, 2), discharge_reason="other"
    )
    anonymise(world.users[Role.IG_LEAD], episode.person, date(2033, 1, 1))
    assert not InboundReferral.objects.exists()
    assert Episode.objects.filter(pk=episode.pk).exists()  # the anonymous episode stays
