"""On the client's record: the one-button stop to messages, and the appointments and messages
read in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.clients.models import Person
from openips.messaging.models import Message, Status
from tests.clients.test_identity import details_form
from tests.conftest import World, signed_in
from tests.messaging.conftest import plan, reachable


def es_client(world: World) -> Client:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def page_of(client: Client, world: World) -> str:
    return client.get(reverse("record:person", args=[world.person_a.pk])).content.decode()


def test_stop_messages_withdraws_consent_says_who_and_is_audited(world: World) -> None:
    person = reachable(world.person_a)
    es = es_client(world)
    answer = es.post(
        reverse("clients:stop_messages", args=[person.pk]), {"version": person.version}
    )
    assert answer.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.message_consent is False and person.messages_stopped_at is not None
    assert person.messages_stopped_by == world.users[Role.EMPLOYMENT_SPECIALIST]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, person_id=person.pk)
    assert {"message_consent", "messages_stopped_at", "messages_stopped_by"} <= set(
        event.changes["fields"]
    )
    page = page_of(es, world)
    assert "No: messages stopped on" in page and "by Esme A, Employment specialist" in page
    assert ">Stop messages<" not in page  # nothing left to stop


def test_a_stale_stop_is_refused_and_changes_nothing(world: World) -> None:
    person = reachable(world.person_a)
    es = es_client(world)
    answer = es.post(
        reverse("clients:stop_messages", args=[person.pk]), {"version": person.version - 1}
    )
    assert answer.status_code == 302
    assert Person.objects.get(pk=person.pk).message_consent is True
    assert "Someone changed this record just now" in page_of(es, world)


def test_consent_given_again_ends_the_stop(world: World) -> None:
    person = reachable(world.person_a)
    es = es_client(world)
    es.post(reverse("clients:stop_messages", args=[person.pk]), {"version": person.version})
    person = Person.objects.get(pk=person.pk)
    form = details_form(person, message_consent="yes", phone=person.phone)
    form["version"] = str(person.version)
    assert es.post(reverse("clients:change_details", args=[person.pk]), form).status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.message_consent is True and person.messages_stopped_at is None


def test_the_record_reads_appointments_and_messages_in_fixed_queries(world: World) -> None:
    reachable(world.person_a)
    es = es_client(world)
    episode = world.episode(world.person_a)

    def add(count: int) -> int:
        for n in range(count):
            planned = plan(episode, timezone.localdate() + timedelta(days=1 + n % 5))
            Message.objects.create(
                key=f"appointment_reminder:{planned.pk}",
                person=world.person_a,
                appointment=planned,
                purpose="appointment_reminder",
                channel="sms",
                to="07700 900123",
                status=Status.DELIVERED,
            )
        url = reverse("record:person", args=[world.person_a.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert es.get(url).status_code == 200
        return len(ctx.captured_queries)

    page_of(es, world)  # settle the session
    assert add(1) == add(30)
    assert "Text message: delivered" in page_of(es, world)
