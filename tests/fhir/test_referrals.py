"""A referral in: POST ServiceRequest makes one referral however often it is sent, applies the
referral page's duplicate rules, refuses a malformed one with every problem at once and saves
nothing, and keeps to the caller's scope."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fhirpy.base.exceptions import ForbiddenError, OperationOutcome, ResourceNotFound

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.audit.models import AuditAction, AuditEvent
from openips.clients import services
from openips.clients.models import Episode, Person
from openips.fhir.models import InboundReferral
from openips.governance.rights import anonymise
from openips.organisations.models import ClinicalTeam, Service
from tests.conftest import World, make_user
from tests.factories import nhs_number
from tests.fhir.conftest import BASE, Fhir, as_json, referral, validated

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
    # The sender's identifier beside them, on the person's trail too.
    [inbound] = created("fhir.inboundreferral")
    assert (inbound.person_id, inbound.service_id) == (episode.person_id, episode.service_id)
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
    body = as_json(referral(number="9990000010", authored="2099-01-01", service="no such"))
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
        "ServiceRequest.performer": "value",  # no service code at all
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


@pytest.fixture
def fhir_of(live_server: Any) -> Callable[[Service, str], Fhir]:
    """fhir_of(service, username) → a connection for a new specialist of that team."""

    def connect(service: Service, username: str) -> Fhir:
        user = make_user(username, Role.EMPLOYMENT_SPECIALIST, service=service)
        return Fhir(live_server.url + BASE, create_token(user, "fhir")[1])

    return connect


FhirOf = Callable[[Service, str], Fhir]


def test_two_trusts_may_use_the_same_identifier(
    world: World, fhir_for: FhirFor, fhir_of: FhirOf
) -> None:
    first = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral())
    other = fhir_of(world.service_b, "specialist-b")
    second = other.post(referral(number=nhs_number(5002), service="svc-b"))
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json()["id"] != second.json()["id"]
    kept = InboundReferral.objects.order_by("pk")
    assert [r.organisation for r in kept] == [world.org1, world.org2]


def test_an_identifier_of_another_team_of_the_organisation_names_nothing(
    world: World, fhir_for: FhirFor, fhir_of: FhirOf
) -> None:
    other = Service.objects.create(organisation=world.org1, code="svc-c", name="Service C")
    assert fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral()).status_code == 201
    before = counts()
    response = fhir_of(other, "specialist-c").post(referral(service="svc-c"))
    assert response.status_code == 409
    [issue] = response.json()["issue"]
    assert issue["code"] == "duplicate"
    assert "Okafor" not in response.text and nhs_number(5001) not in response.text
    assert counts() == before


def test_an_identifier_sent_again_for_someone_else_is_refused(
    world: World, fhir_for: FhirFor
) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    made = fhir.post(referral())
    assert made.status_code == 201
    before = counts()
    response = fhir.post(referral(number=nhs_number(5002), family="Other"))
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert issue["code"] == "duplicate"
    assert issue["diagnostics"] == "This identifier was already used for another referral"
    assert made.json()["id"] not in response.text and "Okafor" not in response.text
    assert counts() == before


def test_an_identifier_sent_again_to_another_team_is_refused(
    world: World, fhir_for: FhirFor
) -> None:
    """A clinician's team that has moved to another IPS team still sees its earlier referral."""
    fhir = fhir_for(Role.CLINICIAN)
    assert fhir.post(referral()).status_code == 201
    other = Service.objects.create(organisation=world.org1, code="svc-c", name="Service C")
    ClinicalTeam.objects.filter(pk=world.team_a.pk).update(service=other)
    response = fhir.post(referral(service="svc-c"))
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "duplicate"
    assert Episode.objects.filter(service=other).count() == 0


CLINICIANS_WORDS = (
    "This person may already be known to the service. Check with the employment team before "
    "referring them again"
)


def test_a_clinician_is_told_of_a_duplicate_as_the_referral_page_tells_them(
    world: World, fhir_for: FhirFor
) -> None:
    fhir = fhir_for(Role.CLINICIAN)
    open_episode = fhir.post(referral(number=world.person_a.nhs_number))
    Person.objects.create(
        service=world.service_a,
        client_id="A900",
        given_name="Ada",
        family_name="Okafor",
        date_of_birth=date(1990, 5, 17),
    )
    maybe_known = fhir.post(referral(identifier="REF-2"))
    for response in (open_episode, maybe_known):
        assert response.status_code == 422
        [issue] = response.json()["issue"]
        assert (issue["code"], issue["diagnostics"]) == ("duplicate", CLINICIANS_WORDS)


@pytest.mark.parametrize("code", ["x" * 41, "svc a", "svc-a/../b", "é"])
def test_a_service_code_that_is_no_slug_is_refused_without_being_echoed(
    world: World, fhir_for: FhirFor, code: str
) -> None:
    response = fhir_for(Role.EMPLOYMENT_SPECIALIST).post(referral(service=code))
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert (issue["code"], issue["expression"]) == ("value", ["ServiceRequest.performer"])
    assert code not in issue["diagnostics"]


def test_an_unknown_team_and_one_out_of_scope_are_answered_alike(
    world: World, fhir_for: FhirFor
) -> None:
    fhir = fhir_for(Role.EMPLOYMENT_SPECIALIST)
    unknown = fhir.post(referral(service="no-such"))
    elsewhere = fhir.post(referral(service="svc-b"))
    assert unknown.status_code == elsewhere.status_code == 404
    assert unknown.json() == elsewhere.json()
    assert unknown.json()["issue"][0]["code"] == "not-found"
    assert "no-such" not in unknown.text


def at_once(*sends: Callable[[], Any]) -> list[Any]:
    """Each send in a thread of its own, all let go together."""
    gate = threading.Barrier(len(sends))
    answers: list[Any] = [None] * len(sends)

    def run(n: int) -> None:
        gate.wait()
        answers[n] = sends[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(sends))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_one_referral_sent_twice_at_once_is_one_referral(world: World, fhir_for: FhirFor) -> None:
    fhirs = [fhir_for(Role.EMPLOYMENT_SPECIALIST) for _ in range(2)]
    answers = at_once(*(lambda f=f: f.post(referral()) for f in fhirs))
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert InboundReferral.objects.count() == 1


def test_one_identifier_sent_by_two_trusts_at_once_is_two_referrals(
    world: World, fhir_for: FhirFor, fhir_of: FhirOf
) -> None:
    home, other = fhir_for(Role.EMPLOYMENT_SPECIALIST), fhir_of(world.service_b, "specialist-b")
    answers = at_once(
        lambda: home.post(referral()),
        lambda: other.post(referral(number=nhs_number(5002), service="svc-b")),
    )
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert InboundReferral.objects.count() == 2
