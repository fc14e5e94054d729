"""Delivery receipts: Notify's callback, with its bearer token, moves a message's status on."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openips.messaging.models import Message, Status
from tests.conftest import World

TOKEN = "test-callback-token"  # settings/test.py


@pytest.fixture
def sent(world: World) -> Message:
    return Message.objects.create(
        key="appointment_reminder:1",
        person=world.person_a,
        purpose="appointment_reminder",
        channel="sms",
        to="07700 900123",
        status=Status.CREATED,
        notify_id=uuid.uuid4(),
    )


def receipt(message: Message | None, status: str = "delivered", **extra: Any) -> dict[str, Any]:
    """A receipt as Notify posts it."""
    return {
        "id": str(message.notify_id if message else uuid.uuid4()),
        "reference": message.reference if message else None,
        "to": "07700900123",
        "status": status,
        "created_at": "2026-12-07T10:00:00.000000Z",
        "completed_at": "2026-12-07T10:00:05.000000Z",
        "sent_at": "2026-12-07T10:00:01.000000Z",
        "notification_type": "sms",
        "template_id": str(uuid.uuid4()),
        "template_version": 1,
    } | extra


def post(body: Any, token: str | None = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    # A fresh client that enforces CSRF, as a real caller meets it: the receipt needs no token.
    return Client(enforce_csrf_checks=True).post(
        reverse("messaging:notify_receipts"),
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_a_receipt_with_the_token_updates_the_status(sent: Message) -> None:
    answer = post(receipt(sent))
    assert answer.status_code == 200 and answer.json() == {"status": "delivered"}
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED
    assert sent.completed_at is not None and sent.completed_at.isoformat().startswith("2026-12-07")


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_without_the_right_token_it_is_refused(sent: Message, token: str | None) -> None:
    answer = post(receipt(sent), token=token)
    assert answer.status_code == 401 and "error" in answer.json()
    sent.refresh_from_db()
    assert sent.status == Status.CREATED


def test_no_token_set_refuses_every_receipt(sent: Message, settings: Any) -> None:
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert post(receipt(sent), token="").status_code == 401


def test_an_unknown_notification_is_a_404_in_json(sent: Message) -> None:
    answer = post(receipt(None))
    assert answer.status_code == 404 and answer.json() == {"error": "No such notification"}


@pytest.mark.parametrize("body", [{}, {"id": "not-a-uuid", "status": "delivered"}, [1, 2], "x"])
def test_a_malformed_receipt_is_a_400(sent: Message, body: Any) -> None:
    assert post(body).status_code == 400


def test_a_late_receipt_does_not_undo_a_final_status(sent: Message) -> None:
    post(receipt(sent, "permanent-failure"))
    post(receipt(sent, "sending"))  # out of order: Notify's earlier news arrives last
    sent.refresh_from_db()
    assert sent.status == Status.PERMANENT_FAILURE


def test_a_message_whose_answer_was_lost_is_found_by_its_reference(world: World) -> None:
    lost = Message.objects.create(
        key="appointment_reminder:2",
        person=world.person_a,
        purpose="appointment_reminder",
        channel="sms",
        status=Status.SENDING,
        reason="Not known whether it was sent: no answer",
    )
    notify_id = uuid.uuid4()
    answer = post(receipt(lost, id=str(notify_id)))
    assert answer.status_code == 200
    lost.refresh_from_db()
    assert (lost.status, lost.notify_id, lost.reason) == (Status.DELIVERED, notify_id, "")


def test_only_a_post_is_taken(sent: Message) -> None:
    url = reverse("messaging:notify_receipts")
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405
