"""The trail holds ids and field names, never what a person typed or who a client is; it is
filtered to the reader's organisation; and every read and write names the people it touches."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openips.accounts.models import ReviewerAccess
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.audit.services import record
from openips.casework import services as casework
from openips.casework.models import Intervention
from openips.clients.models import Person
from openips.core import services as core
from openips.employment import services as employment
from openips.governance import rights
from tests.conftest import PASSWORD, World, signed_in

MARKERS = ("Zebedee", "Quimby", "9990000034", "1961-04-12", "secret-note-text")


def _every_value_in_the_trail() -> str:
    rows = AuditEvent.objects.values_list(
        "actor_label", "object_type", "object_id", "object_label", "changes", "path", "user_agent"
    )
    # And beside it: the earlier values of corrections (ADR 0020).
    earlier = EarlierValue.objects.values_list("field", "label", "value")
    return repr(list(rows)) + repr(list(earlier))


def test_anonymising_leaves_nothing_identifying_in_the_trail(world: World) -> None:
    specialist = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=specialist)
    person, episode = world.person_a, world.episode(world.person_a)
    ig = signed_in(world.users[Role.IG_LEAD])
    # A record with identifying values, edited, noted, looked at and exported.
    person.given_name, person.family_name = "Zebedee", "Quimby"
    person.nhs_number, person.date_of_birth = "9990000034", date(1961, 4, 12)
    person.save()
    note = {"date": date(2025, 2, 3), "contact_with": "client", "mode": "phone"}
    casework.record_contact(
        specialist, episode, {**note, "purpose": "engagement", "notes": "secret-note-text"}
    )
    # Corrected, so the earlier values hold the identifying ones.
    episode.care_coordinator = "Zebedee Quimby's friend"
    core.update(specialist, episode, started_from=1)
    episode.care_coordinator = "Someone else"
    core.update(specialist, episode, started_from=2)
    contact = casework.record_contact(
        specialist, episode, {**note, "purpose": "outreach", "notes": "secret-note-text again"}
    )
    casework.change_contact(specialist, contact, started_from=1, notes="corrected")
    casework.delete_contact(specialist, contact, started_from=2, reason="duplicate")
    before = _every_value_in_the_trail()
    assert "secret-note-text" in before and "Zebedee" in before  # the scan can see them
    signed_in(specialist).get(reverse("record:person", args=[person.pk]))
    ig.get(reverse("governance:subject_access", args=[person.pk]))
    ig.get(reverse("governance:subject_access", args=[person.pk]), {"format": "json"})
    episode.discharge_date, episode.discharge_reason = date(2025, 6, 2), "other"
    episode.save()
    rights.anonymise(world.users[Role.IG_LEAD], person, date(2040, 1, 1))

    trail = _every_value_in_the_trail()
    for marker in MARKERS:
        assert marker not in trail
    for page in ("governance:person", "governance:subject_access"):
        text = ig.get(reverse(page, args=[person.pk])).content.decode()
        assert "Zebedee" not in text and "Quimby" not in text
    text = ig.get(reverse("governance:user", args=[specialist.pk])).content.decode()
    assert "Zebedee" not in text and f"Person (ANON{person.pk})" in text


def test_a_detail_must_be_a_count_flag_date_or_code(world: World) -> None:
    with pytest.raises(TypeError, match="free text"):
        record(AuditAction.VIEW, actor=None, details={"note": "Mr Quimby rang"})


def test_ig_lead_sees_only_their_own_organisations_part_of_an_accounts_trail(
    world: World,
) -> None:
    """A reviewer who once reviewed organisation 1's service, and now reviews organisation 2's."""
    reviewer = world.users[Role.FIDELITY_REVIEWER]
    past = timezone.localdate() - timedelta(days=400)
    ReviewerAccess.objects.create(
        reviewer=reviewer, service=world.service_a, starts_on=past, ends_on=past + timedelta(7)
    )
    record(AuditAction.VIEW, actor=reviewer, obj=world.person_a)
    assert (
        signed_in(reviewer).get(reverse("record:person", args=[world.person_b.pk])).status_code
        == 200
    )
    assert AuditEvent.objects.filter(person_id=world.person_b.pk, actor=reviewer).exists()

    page = signed_in(world.users[Role.IG_LEAD]).get(reverse("governance:user", args=[reviewer.pk]))
    text = page.content.decode()
    assert "Person (A001)" in text
    assert "B001" not in text and "Viewed" in text
    assert text.count("Viewed") == 1


def test_ig_lead_of_the_other_organisation_cannot_open_its_people(world: World) -> None:
    ig = signed_in(world.users[Role.IG_LEAD])
    assert ig.get(reverse("governance:person", args=[world.person_b.pk])).status_code == 404


def test_every_casework_write_is_on_the_persons_trail(world: World) -> None:
    specialist = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=specialist)
    episode = world.episode(world.person_a)
    contact = casework.record_contact(
        specialist,
        episode,
        {
            "date": date(2025, 2, 3),
            "contact_with": "client",
            "mode": "phone",
            "purpose": "engagement",
        },
    )
    profile = casework.save_profile(
        specialist,
        episode,
        started_from=episode.version,
        started=date(2025, 2, 3),
    )
    intervention = casework.add_intervention(
        specialist, episode, Intervention(kind="peer_support", start_date=date(2025, 2, 1))
    )
    job = employment.start_job(
        specialist,
        episode,
        {"job_title": "Porter", "start_date": date(2025, 3, 1), "competitive": True},
    )
    employment.change_job(
        specialist,
        job,
        started_from=job.version,
        effective_date=date(2025, 4, 1),
        start_confirmed=True,
        hours_per_week=20,
        hourly_pay=None,
    )
    written = {contact, profile, intervention, job, *job.changes.all()}
    for obj in written:
        event = AuditEvent.objects.get(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action=AuditAction.CREATE
        )
        assert (event.person_id, event.service_id) == (world.person_a.pk, world.service_a.pk)
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:person", args=[world.person_a.pk])
    )
    for label in ("Contact", "Vocational profile", "Job", "Job change"):
        assert label in page.content.decode()


def test_api_lists_and_reads_are_on_each_persons_trail(world: World) -> None:
    api = signed_in(world.users[Role.TEAM_LEADER])
    for name in ("episodes", "contacts", "jobs"):
        assert api.get(reverse(f"api:{name}")).status_code == 200
        views = AuditEvent.objects.filter(action=AuditAction.VIEW, path=reverse(f"api:{name}"))
        assert list(views.values_list("person_id", flat=True)) == [world.person_a.pk]
    for name, obj in (("contact", world.contacts["a"]), ("job", world.jobs["a"])):
        url = reverse(f"api:{name}", args=[obj.pk])
        assert api.get(url).status_code == 200
        assert AuditEvent.objects.get(path=url).person_id == world.person_a.pk


def test_a_service_export_is_on_the_trail_of_everyone_in_the_service(world: World) -> None:
    manager = world.users[Role.SERVICE_MANAGER]
    record(AuditAction.EXPORT, actor=manager, service_id=world.service_a.pk)
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:person", args=[world.person_a.pk])
    )
    assert "Exported" in page.content.decode()


@override_settings(OTP_REQUIRED=True)
def test_sign_in_is_recorded_when_the_second_factor_passes(world: World) -> None:
    user = world.users[Role.EMPLOYMENT_SPECIALIST]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("accounts:sign_in"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("accounts:two_factor_verify"), {"token": "000000"})
    # Past the device's throttle after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        client.post(reverse("accounts:two_factor_verify"), {"token": f"{code:06d}"})
    actions = list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action"))
    assert [a for (a,) in actions] == [
        AuditAction.AWAITING_SECOND_FACTOR,
        AuditAction.SECOND_FACTOR_FAILED,
        AuditAction.SIGN_IN,
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_to_truncate_the_trail(world: World) -> None:
    record(AuditAction.VIEW, actor=None, obj=world.person_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


def test_a_hostile_client_id_cannot_break_the_download_header(world: World) -> None:
    Person.objects.filter(pk=world.person_a.pk).update(client_id='A1"; x=y\r\nSet-Cookie: a=b')
    response = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:subject_access", args=[world.person_a.pk]), {"format": "json"}
    )
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\r" not in header and "\n" not in header
    assert '"' not in header.removeprefix("attachment; ").replace("filename*=", "")
    assert not response.has_header("Set-Cookie") or "a=b" not in response["Set-Cookie"]


def test_every_page_that_opens_one_persons_record_is_on_their_trail(world: World) -> None:
    specialist = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode, job = world.episode(world.person_a), world.jobs["a"]
    pages = [
        reverse("record:person", args=[world.person_a.pk]),
        reverse("casework:contact_create", args=[episode.pk]),
        reverse("casework:profile", args=[episode.pk]),
        reverse("employment:job_start", args=[episode.pk]),
        reverse("employment:job_change", args=[job.pk]),
        reverse("employment:employment_record", args=[episode.pk, "discharge"]),
        reverse("benefits:estimate", args=[episode.pk]),
    ]
    for url in pages:
        assert specialist.get(url).status_code == 200, url
        event = AuditEvent.objects.get(path=url)
        assert (event.action, event.person_id) == (AuditAction.VIEW, world.person_a.pk), url


def test_every_kind_of_record_leading_to_a_person_is_found_without_a_list() -> None:
    from django.apps import apps

    from openips.audit.services import _paths_to_person

    about_people = {m._meta.label_lower for m in apps.get_models() if _paths_to_person(m)}
    assert about_people == {
        "clients.person",  # a record merged into another leads to it
        "clients.personmerge",
        "clients.handover",
        "clients.retentionchange",
        "clients.hospitalstay",
        "clients.measurescore",
        "clients.searchkey",
        "clients.episode",
        "casework.contact",
        "casework.vocationalprofile",
        "casework.intervention",
        "employment.job",
        "employment.jobchange",
        "employment.employmentrecord",
        "benefits.estimate",
        "casework.appointment",
        "messaging.message",
        "fhir.inboundreferral",  # by its one-to-one episode
    }


def test_a_job_change_names_its_person_and_general_employer_work_names_none(world: World) -> None:
    from openips.employment.models import JobChange

    change = JobChange(job=world.jobs["a"], effective_date=date(2025, 4, 1), start_confirmed=True)
    event = record(AuditAction.VIEW, actor=None, obj=change)
    assert (event.person_id, event.service_id) == (world.person_a.pk, world.service_a.pk)
    employer_contact = world.contacts["a"]
    employer_contact.episode = None
    assert record(AuditAction.VIEW, actor=None, obj=employer_contact).person_id is None
