"""Appointment reminders: through the real Notify client against the local Notify, exactly one
for each planned appointment tomorrow whose client agreed to messages, however the runs go."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.messaging import reminders
from openips.messaging.models import Message, Status
from openips.messaging.tasks import send_appointment_reminders
from tests.conftest import World, signed_in
from tests.messaging.conftest import plan, reachable
from tests.messaging.fake_notify import FakeNotify


def tomorrow() -> Any:
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def planned(world: World) -> Any:
    """Client A agreed to texts and sees their specialist tomorrow."""
    reachable(world.person_a)
    return plan(world.episode(world.person_a), tomorrow())


def test_a_client_who_agreed_gets_one_text_the_day_before(
    world: World, planned: Any, notify: FakeNotify, settings: Any
) -> None:
    assert send_appointment_reminders.call() == 1
    [sent] = notify.created
    assert sent["type"] == "sms" and sent["to"] == "07700 900123"
    assert sent["template_id"] == settings.NOTIFY_TEMPLATES["appointment_reminder_sms"]
    day = tomorrow()
    assert sent["personalisation"] == {
        "first_name": "Test",
        "date": f"{day:%A} {day.day} {day:%B %Y}",
        "time": "2:30pm",
        "place": "at Leeds Central Library",
        "staff_first_name": "Esme",
    }
    message = Message.objects.get()
    assert (message.status, str(message.notify_id)) == (Status.CREATED, sent["id"])
    assert sent["reference"] == message.reference == f"openips-message-{message.pk}"
    assert message.person == world.person_a and message.appointment == planned
    event = AuditEvent.objects.get(action=AuditAction.MESSAGE)
    assert (event.person_id, event.object_id) == (world.person_a.pk, str(message.pk))
    assert event.changes == {
        "purpose": "appointment_reminder",
        "channel": "sms",
        "status": "created",
    }


def test_email_when_they_prefer_it_and_nothing_clinical_in_it(
    world: World, notify: FakeNotify
) -> None:
    reachable(world.person_a, email="sam@example.org", preferred_contact="email")
    plan(world.episode(world.person_a), tomorrow(), mode="phone", place="", purpose="disclosure")
    reminders.send_reminders(tomorrow())
    [sent] = notify.created
    assert (sent["type"], sent["to"]) == ("email", "sam@example.org")
    assert sent["personalisation"]["place"] == "by phone"
    assert "isclosure" not in str(sent)  # the purpose never leaves


@pytest.mark.parametrize(
    "details",
    [
        {"message_consent": None},
        {"message_consent": False},
        {"phone": "", "email": ""},
    ],
)
def test_no_reminder_without_consent_or_a_way_to_reach_them(
    world: World, notify: FakeNotify, details: dict[str, Any]
) -> None:
    reachable(world.person_a, **details)
    plan(world.episode(world.person_a), tomorrow())
    assert reminders.send_reminders(tomorrow()) == 0
    assert notify.created == [] and not Message.objects.exists()


def test_stop_messages_on_the_record_stops_the_reminder(
    world: World, planned: Any, notify: FakeNotify
) -> None:
    es = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    person = world.person_a
    person.refresh_from_db()
    page = es.get(reverse("record:person", args=[person.pk])).content.decode()
    assert "Text message to 07700 900123, the day before" in page and "Stop messages" in page
    es.post(reverse("clients:stop_messages", args=[person.pk]), {"version": person.version})
    assert reminders.send_reminders(tomorrow()) == 0
    assert notify.created == []


def test_only_tomorrows_planned_appointments(world: World, notify: FakeNotify) -> None:
    reachable(world.person_a)
    episode = world.episode(world.person_a)
    plan(episode, tomorrow() + timedelta(days=1))
    plan(episode, tomorrow(), status="cancelled")
    assert reminders.send_reminders(tomorrow()) == 0 and notify.created == []


@pytest.mark.parametrize("status", [429, 500])
def test_busy_then_answered_sends_one(planned: Any, notify: FakeNotify, status: int) -> None:
    notify.fail_next(status)
    assert reminders.send_reminders(tomorrow()) == 1
    assert len(notify.created) == 1 and notify.requests == 2
    message = Message.objects.get()
    assert (message.status, message.attempts) == (Status.CREATED, 2)


def test_still_busy_after_the_last_attempt_waits_for_the_next_run(
    world: World, planned: Any, notify: FakeNotify, settings: Any
) -> None:
    notify.fail_next(429, times=settings.NOTIFY_ATTEMPTS)
    reminders.send_reminders(tomorrow())
    message = Message.objects.get()
    assert message.status == Status.PENDING and "busy" in message.reason
    assert notify.created == [] and not AuditEvent.objects.filter(action=AuditAction.MESSAGE)
    reachable(world.person_a, phone="07700 900456")  # a new number meanwhile
    reminders.send_reminders(tomorrow())  # the next run takes it again, as the record is now
    [sent] = notify.created
    assert sent["to"] == "07700 900456"
    assert Message.objects.get().status == Status.CREATED


def test_a_refused_number_fails_with_the_reason_and_is_not_retried(
    world: World, notify: FakeNotify
) -> None:
    reachable(world.person_a, phone="0113 496 0000")  # a landline: Notify refuses it
    plan(world.episode(world.person_a), tomorrow())
    reminders.send_reminders(tomorrow())
    message = Message.objects.get()
    assert message.status == Status.FAILED
    assert message.reason == "400 ValidationError: phone_number Not a UK mobile number"
    assert AuditEvent.objects.get(action=AuditAction.MESSAGE).changes["status"] == "failed"
    reminders.send_reminders(tomorrow())
    assert notify.requests == 1 and notify.created == []


def test_a_bad_key_fails_with_the_reason(planned: Any, notify: FakeNotify, settings: Any) -> None:
    settings.NOTIFY_API_KEY = f"wrong-{notify.service_id}-00000000-0000-4000-8000-000000000000"
    reminders.send_reminders(tomorrow())
    message = Message.objects.get()
    assert message.status == Status.FAILED and message.reason.startswith("403 AuthError")


def test_running_twice_sends_one(planned: Any, notify: FakeNotify) -> None:
    assert send_appointment_reminders.call() == 1
    assert send_appointment_reminders.call() == 0
    assert len(notify.created) == 1 and Message.objects.count() == 1


def test_a_message_someone_else_claimed_is_left_to_them(
    world: World, planned: Any, notify: FakeNotify
) -> None:
    Message.objects.create(
        key=f"appointment_reminder:{planned.pk}",
        person=world.person_a,
        appointment=planned,
        purpose="appointment_reminder",
        channel="sms",
        status=Status.SENDING,
    )
    assert reminders.send_reminders(tomorrow()) == 0
    assert notify.created == [] and notify.requests == 0


def test_a_lost_answer_is_found_by_its_reference_not_sent_again(
    planned: Any, notify: FakeNotify
) -> None:
    notify.drop_next()
    reminders.send_reminders(tomorrow())
    [sent] = notify.created
    message = Message.objects.get()
    assert (message.status, str(message.notify_id)) == (Status.CREATED, sent["id"])
    assert notify.requests == 1  # the second attempt asked first, and found it


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one(world: World, notify: FakeNotify) -> None:
    """Two workers (or two schedule runs) at the same moment, each with its own connection."""
    reachable(world.person_a)
    plan(world.episode(world.person_a), tomorrow())
    notify.delay = 0.3  # the first run is still sending when the second looks
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(reminders.send_reminders(tomorrow()))
        finally:
            connection.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for r in runs:
        r.start()
    for r in runs:
        r.join(timeout=30)
    assert sorted(counts) == [0, 1]
    assert len(notify.created) == 1 and Message.objects.count() == 1


def test_without_a_key_the_log_records_it_and_the_record_shows_it(
    world: World, planned: Any, caplog: Any
) -> None:
    with caplog.at_level("INFO", logger="openips.messaging.backends"):
        assert send_appointment_reminders.call() == 1
    message = Message.objects.get()
    assert message.status == Status.LOGGED and message.notify_id is None
    assert "07700" not in caplog.text  # the log holds no contact details
    assert AuditEvent.objects.get(action=AuditAction.MESSAGE).changes["status"] == "logged"
    es = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    page = es.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Logged, not sent (no GOV.UK Notify key is set)" in page
    assert f"Appointment reminder for {planned.date.day} {planned.date:%B %Y}" in page
