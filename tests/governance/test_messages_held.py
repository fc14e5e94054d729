"""Appointments and messages are in what a person is given, and anonymising forgets what the
messages said and where they went."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.casework.models import Appointment
from openips.clients.models import Episode, Person
from openips.governance.rights import anonymise, everything_held
from openips.messaging import reminders
from openips.messaging.models import Message, Status
from tests.conftest import World, signed_in
from tests.messaging.conftest import plan, reachable


def reminded(world: World) -> Message:
    reachable(world.person_a)
    day = timezone.localdate() + timedelta(days=1)
    plan(world.episode(world.person_a), day)
    reminders.send_reminders(day)  # the log backend in tests: recorded, not sent
    return Message.objects.get()


def test_subject_access_gives_their_appointments_and_messages(world: World) -> None:
    message = reminded(world)
    bundle = everything_held(world.users[Role.IG_LEAD], Person.objects.get(pk=world.person_a.pk))
    [appointment] = bundle["episodes"][0]["appointments"]
    assert appointment | {"date": None} == {
        "date": None,
        "time": "14:30:00",
        "place": "Leeds Central Library",
        "mode": "face_to_face",
        "purpose": "job_search",
        "status": "planned",
        "staff": "Esme A",
    }
    [sent] = bundle["messages"]
    assert (sent["channel"], sent["to"], sent["status"]) == ("sms", "07700 900123", "logged")
    assert sent["personalisation"]["place"] == "at Leeds Central Library"
    assert sent["appointment_date"] == message.appointment.date.isoformat()
    page = (
        signed_in(world.users[Role.IG_LEAD])
        .get(reverse("governance:subject_access", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "Appointments planned" in page and "Messages sent to you" in page
    assert "staff first name: Esme" in page and "{" not in page.split("<article")[1]


def test_anonymising_forgets_what_messages_said(world: World) -> None:
    message = reminded(world)
    person = Person.objects.get(pk=world.person_a.pk)
    Episode.objects.filter(person=person).update(
        discharge_date=date(2025, 6, 30), discharge_reason="other"
    )
    person.messages_stopped_at = timezone.now()
    person.save()
    anonymise(world.users[Role.IG_LEAD], person, date(2031, 7, 1))
    message.refresh_from_db()
    assert (message.to, message.personalisation, message.status) == ("", {}, Status.LOGGED)
    assert Appointment.objects.get().place == ""
    assert Person.objects.get(pk=person.pk).messages_stopped_at is None


def test_the_persons_trail_shows_each_message_sent(world: World) -> None:
    reminded(world)
    trail = (
        signed_in(world.users[Role.IG_LEAD])
        .get(reverse("governance:person", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "Sent a message" in trail and "GOV.UK Notify messages" in trail
    assert "07700" not in trail
