"""What a request may be before anything is read from it: a small, shallow JSON body, a short
list of problems back, and a signed-in session answered as an API caller, never with a page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.clients.models import Episode
from openips.fhir.models import InboundReferral
from tests.conftest import MODEL_BACKEND, World, signed_in
from tests.fhir.conftest import BASE, as_json, referral, validated

MEDIA = "application/fhir+json"


def token_client(world: World, role: str = Role.EMPLOYMENT_SPECIALIST) -> Client:
    token = create_token(world.users[role], "fhir")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client: Client, body: bytes | dict[str, Any], **extra: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(f"{BASE}/ServiceRequest", data=data, content_type=MEDIA, **extra)


def issues(response: Any) -> list[Any]:
    assert response["Content-Type"] == MEDIA
    return list(validated(response.json()).issue)


def test_a_body_over_64_kb_is_too_costly(world: World) -> None:
    client = token_client(world)
    body = as_json(referral())
    body["note"] = [{"text": "x" * 70_000}]
    response = post(client, body)
    assert response.status_code == 413
    assert [i.code for i in issues(response)] == ["too-costly"]
    # Refused by its declared length before the body is read.
    response = post(client, b"{}", CONTENT_LENGTH=str(65 * 1024))
    assert response.status_code == 413
    assert InboundReferral.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 30_000 + b"]" * 30_000,  # deeper than the JSON decoder goes
        b'{"resourceType": "ServiceRequest", "note": ' + b"[" * 40 + b"]" * 40 + b"}",
    ],
)
def test_a_deeply_nested_body_is_refused_as_structure(world: World, body: bytes) -> None:
    response = post(token_client(world), body)
    assert response.status_code == 400
    [issue] = issues(response)
    assert issue.code == "structure"
    assert "nested" in issue.diagnostics


def test_an_extension_nested_300_deep_is_refused_before_the_model_reads_it(world: World) -> None:
    body = as_json(referral())
    extension: dict[str, Any] = {"url": "https://example.org/e", "valueString": "a"}
    for _ in range(300):
        extension = {"url": "https://example.org/e", "extension": [extension]}
    body["extension"].append(extension)
    response = post(token_client(world), body)
    assert response.status_code == 400
    assert [i.code for i in issues(response)] == ["structure"]
    assert Episode.objects.count() == 2


def test_a_long_list_of_problems_stops_at_fifty(world: World) -> None:
    body = as_json(referral()) | {f"invented{n}": True for n in range(200)}
    response = post(token_client(world), body)
    assert response.status_code == 422
    found = issues(response)
    assert len(found) == 51
    assert all(i.code == "structure" for i in found[:50])
    assert "Too many problems" in found[-1].diagnostics
    assert "correct these and send again" in found[-1].diagnostics


def test_a_sessions_post_without_its_csrf_token_is_forbidden(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.EMPLOYMENT_SPECIALIST], backend=MODEL_BACKEND)
    response = post(client, as_json(referral()))
    assert response.status_code == 403
    assert [i.code for i in issues(response)] == ["forbidden"]
    assert InboundReferral.objects.count() == 0
    # The session reads without one.
    assert client.get(f"{BASE}/Patient/{world.person_a.pk}").status_code == 200


def patient_of(world: World, client: Client) -> Any:
    return client.get(f"{BASE}/Patient/{world.person_a.pk}")


def test_a_session_that_must_change_its_password_is_not_signed_in_here(world: World) -> None:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    response = patient_of(world, signed_in(user))
    assert response.status_code == 401  # not the password page
    assert [i.code for i in issues(response)] == ["login"]
    api = signed_in(user).get(reverse("api:episodes"))
    assert api.status_code == 401 and api["Content-Type"].startswith("application/json")


def test_a_session_without_its_second_factor_is_not_signed_in_here(
    world: World,
    settings: Any,
) -> None:
    settings.OTP_REQUIRED = True
    response = patient_of(world, signed_in(world.users[Role.EMPLOYMENT_SPECIALIST]))
    assert response.status_code == 401  # not the two-factor page
    assert [i.code for i in issues(response)] == ["login"]


def test_a_session_past_its_lifetime_is_signed_out_without_a_message(
    world: World, settings: Any
) -> None:
    settings.SESSION_ABSOLUTE_SECONDS = 20 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
        assert patient_of(world, client).status_code == 200
        clock.shift(timedelta(minutes=20))
        response = patient_of(world, client)
        assert response.status_code == 401
        assert [i.code for i in issues(response)] == ["login"]
        assert list(get_messages(response.wsgi_request)) == []
