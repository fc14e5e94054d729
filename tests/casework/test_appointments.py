"""Planned appointments: planned from the record for today or later, listed on it, and
afterwards recorded as what happened, which saves an ordinary contact (ADR 0029)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.casework.codes import AppointmentStatus
from openips.casework.models import Appointment, Contact
from openips.clients.models import Episode
from openips.outcomes.facts import episode_facts
from tests.clients.test_journey import date_fields
from tests.conftest import World, signed_in
from tests.messaging.conftest import plan, reachable


@pytest.fixture
def es(world: World) -> Client:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def planning(**fields: Any) -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=3)
    return {
        **date_fields("date", day),
        "time": "2:30pm",
        "place": "Leeds Central Library",
        "mode": "face_to_face",
        "purpose": "job_search",
    } | fields


def record_page(client: Client, world: World) -> str:
    return client.get(reverse("record:person", args=[world.person_a.pk])).content.decode()


def test_plan_one_from_the_record_and_see_it_listed(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    assert "Plan an appointment" in record_page(es, world)
    url = reverse("casework:appointment_create", args=[episode.pk])
    assert es.get(url).status_code == 200
    assert es.post(url, planning()).status_code == 302
    planned = Appointment.objects.get()
    assert (planned.time, planned.status, planned.staff.staff_id) == (
        time(14, 30),
        AppointmentStatus.PLANNED,
        "ES01",
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="casework.appointment", person_id=world.person_a.pk
    ).exists()
    page = record_page(es, world)
    day = planned.date
    assert f"{day.day} {day:%B %Y} at 2:30pm" in page
    assert "Face to face, Leeds Central Library" in page
    assert "None: no consent to messages recorded" in page  # beside the reminder, the consent
    assert "Record what happened" not in page  # not until the day


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            date_fields("date", timezone.localdate() - timedelta(days=1)),
            "Date of the appointment must be today or in the future",
        ),
        (
            date_fields("date", timezone.localdate() + timedelta(days=400)),
            "Date of the appointment must be no more than a year from today",
        ),
        ({"time": "25:00"}, "Time must be a time, like 14:30 or 2:30pm"),
        ({"time": ""}, "Enter the time"),
        ({"mode": ""}, "Select how you will meet"),
        ({"place": "Library\nroom 2"}, "Where must be on one line"),
    ],
)
def test_bad_input_is_said_in_the_error_summary(
    world: World, es: Client, fields: dict[str, str], message: str
) -> None:
    url = reverse("casework:appointment_create", args=[world.episode(world.person_a).pk])
    page = es.post(url, planning(**fields)).content.decode()
    assert "nhsuk-error-summary" in page and message in page
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("14:30", time(14, 30)), ("9am", time(9)), ("12pm", time(12)), ("9.15 am", time(9, 15))],
)
def test_times_are_read_as_people_write_them(
    world: World, es: Client, typed: str, meant: time
) -> None:
    url = reverse("casework:appointment_create", args=[world.episode(world.person_a).pk])
    es.post(url, planning(time=typed))
    assert Appointment.objects.get().time == meant


def test_attended_records_a_contact_the_figures_count(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    planned = plan(episode, timezone.localdate())
    before = Contact.objects.count()
    assert "Record what happened" in record_page(es, world)
    url = reverse("casework:appointment_outcome", args=[planned.pk])
    answer = es.post(
        url,
        {
            "version": "1",
            "attended": "yes",
            "minutes": "45",
            "setting": "community",
            "notes": "Went well",
        },
    )
    assert answer.status_code == 302
    planned.refresh_from_db()
    contact = planned.contact
    assert planned.status == AppointmentStatus.ATTENDED and contact is not None
    assert (contact.date, contact.attended, contact.mode, contact.purpose) == (
        planned.date,
        True,
        "face_to_face",
        "job_search",
    )
    assert (contact.contact_with, contact.minutes, contact.setting) == ("client", 45, "community")
    assert Contact.objects.count() == before + 1
    [fact] = episode_facts(Episode.objects.filter(pk=episode.pk), timezone.localdate())
    assert fact.client_contact_recently  # counted as any contact is
    page = record_page(es, world)
    assert "Job search: Client" in page and "No appointments planned." in page


def test_did_not_attend_records_a_contact_that_did_not_happen(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    planned = plan(episode, timezone.localdate() - timedelta(days=2))
    url = reverse("casework:appointment_outcome", args=[planned.pk])
    es.post(url, {"version": "1", "attended": "no", "minutes": "30"})
    planned.refresh_from_db()
    assert planned.status == AppointmentStatus.DID_NOT_ATTEND
    assert planned.contact is not None and planned.contact.attended is False
    assert planned.contact.minutes is None
    [fact] = episode_facts(Episode.objects.filter(pk=episode.pk), timezone.localdate())
    assert not fact.client_contact_recently  # no figure counts it
    assert "did not happen" in record_page(es, world)
    # Recorded once: the page now sends them back to the record.
    assert es.get(url).status_code == 302


def test_an_outcome_needs_an_answer_and_waits_for_the_day(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    today = plan(episode, timezone.localdate())
    page = es.post(
        reverse("casework:appointment_outcome", args=[today.pk]), {"version": "1"}
    ).content.decode()
    assert (
        "nhsuk-error-summary" in page and "Answer the question: Did the appointment happen?" in page
    )
    later = plan(episode, timezone.localdate() + timedelta(days=1))
    url = reverse("casework:appointment_outcome", args=[later.pk])
    assert "has not happened yet" in es.get(url).content.decode()
    es.post(url, {"version": "1", "attended": "yes"})
    later.refresh_from_db()
    assert later.status == AppointmentStatus.PLANNED and later.contact is None


def test_cancel_takes_it_off_the_list(world: World, es: Client) -> None:
    planned = plan(world.episode(world.person_a), timezone.localdate() + timedelta(days=1))
    url = reverse("casework:appointment_cancel", args=[planned.pk])
    assert es.post(url, {"version": "1"}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == AppointmentStatus.CANCELLED and planned.version == 2
    assert "No appointments planned." in record_page(es, world)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(planned.pk)).exists()


def test_someone_elses_save_in_between_is_a_conflict_not_two_contacts(
    world: World, es: Client
) -> None:
    planned = plan(world.episode(world.person_a), timezone.localdate())
    Appointment.objects.filter(pk=planned.pk).update(version=2)  # saved elsewhere meanwhile
    url = reverse("casework:appointment_outcome", args=[planned.pk])
    page = es.post(url, {"version": "1", "attended": "yes"}).content.decode()
    assert "Someone else changed this appointment" in page
    assert not Contact.objects.filter(date=planned.date).exists()


def test_outsiders_get_404(world: World) -> None:
    theirs = plan(world.episode(world.person_b), timezone.localdate())
    es = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    for name in ("casework:appointment_outcome", "casework:appointment_cancel"):
        assert es.get(reverse(name, args=[theirs.pk])).status_code == 404
    url = reverse("casework:appointment_create", args=[world.episode(world.person_b).pk])
    assert es.post(url, planning()).status_code == 404
    assert Appointment.objects.count() == 1


def test_the_record_says_how_the_reminder_goes(world: World, es: Client) -> None:
    reachable(world.person_a)
    plan(world.episode(world.person_a), timezone.localdate() + timedelta(days=2))
    page = record_page(es, world)
    assert 'Consent to receive messages</dt><dd class="nhsuk-summary-list__value">Yes' in page
    assert "Text message to 07700 900123, the day before" in page
    clinician = record_page(signed_in(world.users[Role.CLINICIAN]), world)
    assert "Upcoming appointments" not in clinician and "07700" not in clinician
