"""The local Notify checks what the real one checks, so the tests against it mean something."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from tests.messaging.fake_notify import FakeNotify


@pytest.fixture
def server() -> FakeNotify:
    started = FakeNotify(templates={"f33517ff-2a88-4f6e-b855-c550268ce08a": ("first_name",)})
    yield started.start()
    started.stop()


TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def test_a_good_key_sends_and_gets_the_documented_answer(server: FakeNotify) -> None:
    client = NotificationsAPIClient(server.api_key, base_url=server.url)
    answer = client.send_sms_notification(
        phone_number="07700 900123",
        template_id=TEMPLATE,
        personalisation={"first_name": "Sam"},
        reference="ref-1",
    )
    assert set(answer) == {"id", "reference", "content", "uri", "template"}
    assert answer["reference"] == "ref-1" and answer["template"]["id"] == TEMPLATE
    assert [n["id"] for n in server.created] == [answer["id"]]
    assert client.get_all_notifications(reference="ref-1")["notifications"][0]["id"] == answer["id"]


def test_a_wrong_secret_or_service_is_refused_with_403(server: FakeNotify) -> None:
    for key in (
        f"name-{server.service_id}-{uuid.uuid4()}",
        f"name-{uuid.uuid4()}-{server.secret}",
    ):
        client = NotificationsAPIClient(key, base_url=server.url)
        with pytest.raises(HTTPError) as refused:
            client.send_sms_notification(phone_number="07700900123", template_id=TEMPLATE)
        assert refused.value.status_code == 403
        assert refused.value.message[0]["error"] == "AuthError"
    assert server.created == []


def test_a_token_from_a_wrong_clock_is_refused(server: FakeNotify) -> None:
    old = jwt.encode({"iss": server.service_id, "iat": int(time.time()) - 60}, server.secret)
    answer = requests.post(
        f"{server.url}/v2/notifications/sms",
        json={"phone_number": "07700900123", "template_id": TEMPLATE},
        headers={"Authorization": f"Bearer {old}"},
        timeout=5,
    )
    assert answer.status_code == 403
    assert answer.json() == {
        "status_code": 403,
        "errors": [
            {
                "error": "AuthError",
                "message": "Error: Your system clock must be accurate to within 30 seconds",
            }
        ],
    }


def test_a_bad_number_or_missing_placeholder_is_a_400(server: FakeNotify) -> None:
    client = NotificationsAPIClient(server.api_key, base_url=server.url)
    with pytest.raises(HTTPError) as refused:
        client.send_sms_notification(
            phone_number="0113 496 0000", template_id=TEMPLATE, personalisation={"first_name": "A"}
        )
    assert refused.value.status_code == 400
    assert refused.value.message == [
        {"error": "ValidationError", "message": "phone_number Not a UK mobile number"}
    ]
    with pytest.raises(HTTPError) as refused:
        client.send_email_notification(email_address="sam@example.org", template_id=TEMPLATE)
    assert "Missing personalisation: first_name" in str(refused.value)
    assert server.created == []


def test_it_can_be_busy_or_broken_without_creating_anything(server: FakeNotify) -> None:
    client = NotificationsAPIClient(server.api_key, base_url=server.url)
    server.fail_next(429)
    server.fail_next(500)
    for status in (429, 500):
        with pytest.raises(HTTPError) as failed:
            client.send_sms_notification(
                phone_number="07700900123",
                template_id=TEMPLATE,
                personalisation={"first_name": "A"},
            )
        assert failed.value.status_code == status
    assert server.created == [] and server.requests == 2
