from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Job
from tests.conftest import World, signed_in


def date_fields(name: str, d: date) -> dict[str, str]:
    return {f"{name}_day": str(d.day), f"{name}_month": str(d.month), f"{name}_year": str(d.year)}


def referral(**extra: object) -> dict[str, object]:
    return {
        "given_name": "Nia",
        "family_name": "Okafor",
        "referral_source": "primary_care",
        "employment_status_at_referral": "unemployed",
        **date_fields("referral_date", date(2026, 1, 5)),
        **extra,
    }


@pytest.fixture
def es(world: World) -> Client:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST]
    )
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def test_a_referral_creates_a_person_and_episode_in_the_users_service(
    world: World, es: Client
) -> None:
    response = es.post(reverse("clients:refer"), referral(nhs_number="999 000 0034"))
    person = Person.objects.get(family_name="Okafor")
    assert response["Location"] == reverse("record:person", args=[person.pk])
    assert person.service == world.service_a and person.nhs_number == "9990000034"
    episode = person.episodes.get()
    assert (episode.referral_source, episode.accepted_date) == ("primary_care", None)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, person_id=person.pk).count() == 2


def test_a_referral_with_errors_lists_every_one_and_saves_nothing(world: World, es: Client) -> None:
    data = referral(
        nhs_number="999 000 0035",
        given_name="",
        referral_date_day="30",
        referral_date_month="2",
        referral_date_year="2026",
    )
    data.pop("referral_source")
    page = es.post(reverse("clients:refer"), data).content.decode()
    for message in (
        "Enter their first name",
        "Enter a valid NHS number",
        "Referral date must be a real date",
        "Select where the referral came from",
    ):
        assert message in page
    assert 'href="#id_referral_date_day"' in page and 'href="#id_referral_source"' in page
    assert 'id="id_referral_source"' in page  # the link lands on the first choice
    assert not Person.objects.filter(family_name="Okafor").exists()


def test_a_known_nhs_number_is_offered_as_a_re_referral(world: World, es: Client) -> None:
    page = es.post(reverse("clients:refer"), referral(nhs_number="9990000018")).content.decode()
    assert "This person may already be known" in page
    assert reverse("clients:refer_again", args=[world.person_a.pk]) in page
    assert Person.objects.count() == 2


def test_a_re_referral_opens_a_new_episode_for_the_same_person(world: World, es: Client) -> None:
    data = {k: v for k, v in referral().items() if k not in {"given_name", "family_name"}}
    es.post(reverse("clients:refer_again", args=[world.person_a.pk]), data)
    assert list(world.person_a.episodes.order_by("pk").values_list("episode_id", flat=True)) == [
        "A001-1",
        "A001-2",
    ]


def test_accepting_then_a_stale_second_edit_is_shown_the_conflict(world: World, es: Client) -> None:
    episode = Episode.objects.create(
        service=world.service_a,
        person=world.person_a,
        episode_id="A001-9",
        referral_date=date(2026, 1, 5),
        referral_source="self",
        employment_status_at_referral="unemployed",
    )
    es_staff = world.service_a.staff.get(staff_id="ES01")
    url = reverse("clients:accept", args=[episode.pk])
    form = {
        "version": "1",
        "employment_specialist": es_staff.pk,
        **date_fields("accepted_date", date(2026, 1, 7)),
    }
    assert es.post(url, form).status_code == 302
    episode.refresh_from_db()
    assert (episode.accepted_date, episode.version) == (date(2026, 1, 7), 2)

    leader = signed_in(world.users[Role.TEAM_LEADER])
    stale = {**form, **date_fields("accepted_date", date(2026, 1, 9))}  # began from version 1
    page = leader.post(url, stale).content.decode()
    assert "Someone else changed this episode" in page
    assert "7 January 2026" in page  # theirs
    assert 'value="9"' in page  # ours, kept
    episode.refresh_from_db()
    assert episode.accepted_date == date(2026, 1, 7)


def test_discharge_needs_a_reason_and_a_date_in_order(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    url = reverse("clients:discharge", args=[episode.pk])
    page = es.post(
        url, {"version": "1", **date_fields("discharge_date", date(2025, 1, 1))}
    ).content.decode()
    assert "Select the reason" in page and "must be on or after" in page
    es.post(
        url,
        {
            "version": "1",
            "discharge_reason": "moved_away",
            **date_fields("discharge_date", date(2026, 1, 1)),
        },
    )
    episode.refresh_from_db()
    assert (episode.discharge_date, episode.discharge_reason) == (date(2026, 1, 1), "moved_away")


def test_recording_contacts_and_a_job_shows_on_the_timeline(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    contact = {
        "contact_with": "employer",
        "employer": world.employers["a"].pk,
        "mode": "face_to_face",
        "setting": "community",
        "minutes": "30",
        "purpose": "job_development",
        "attended": "yes",
        "matches_preferences": "yes",
        **date_fields("date", date(2025, 2, 1)),
    }
    assert (
        es.post(reverse("casework:contact_create", args=[episode.pk]), contact).status_code == 302
    )
    saved = Contact.objects.get(contact_id__startswith="W")
    assert (saved.staff.staff_id, saved.matches_preferences, saved.attended) == ("ES01", True, True)

    job = {
        "job_title": "Gardener",
        "start_confirmed": "yes",
        "competitive": "yes",
        "hours_per_week": "16",
        **date_fields("start_date", date(2025, 4, 1)),
    }
    assert es.post(reverse("employment:job_start", args=[episode.pk]), job).status_code == 302
    page = es.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Job development: Employer A" in page and "Started work: Gardener" in page


def test_a_contact_form_refuses_an_employer_contact_without_an_employer(
    world: World, es: Client
) -> None:
    episode = world.episode(world.person_a)
    page = es.post(
        reverse("casework:contact_create", args=[episode.pk]),
        {
            "contact_with": "employer",
            "mode": "phone",
            "setting": "community",
            "purpose": "job_search",
            "attended": "yes",
            **date_fields("date", date(2099, 1, 1)),
        },
    ).content.decode()
    for message in (
        "Select the employer",
        "Only face-to-face contacts have a setting",
        "Date of the contact must be today or in the past",
    ):
        assert message in page
    assert not Contact.objects.filter(contact_id__startswith="W").exists()


def test_ending_a_job_before_it_started_is_refused(world: World, es: Client) -> None:
    job = world.jobs["a"]
    url = reverse("employment:job_end", args=[job.pk])
    page = es.post(
        url, {"version": "1", "end_reason": "resigned", **date_fields("end_date", date(2025, 1, 1))}
    )
    assert "must be on or after the first day" in page.content.decode()
    es.post(
        url, {"version": "1", "end_reason": "resigned", **date_fields("end_date", date(2025, 6, 1))}
    )
    assert Job.objects.get(pk=job.pk).end_date == date(2025, 6, 1)


def test_changing_team_and_consent_is_version_checked_and_audited(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    url = reverse("clients:context", args=[episode.pk])
    page = es.get(url).content.decode()
    assert 'value="Team A"' in page or "Team A" in page
    response = es.post(
        url,
        {
            "version": "1",
            "clinical_team": world.team_a.pk,
            "care_coordinator": "Dr Rao",
            "consent_to_share_with_employers": "yes",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.care_coordinator, episode.consent_to_share_with_employers, episode.version) == (
        "Dr Rao",
        True,
        2,
    )
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(episode.pk))
    assert "care_coordinator" in event.changes["fields"] and "Rao" not in str(event.changes)
    # A team from another service is refused.
    page = es.post(url, {"version": "2", "clinical_team": world.team_b.pk}).content.decode()
    assert "There is a problem" in page


def test_an_intervention_alongside_ips_shows_on_the_timeline(world: World, es: Client) -> None:
    episode = world.episode(world.person_a)
    url = reverse("casework:intervention_create", args=[episode.pk])
    page = es.post(
        url,
        {
            "kind": "skills_training",
            "start_date_day": "1",
            "start_date_month": "3",
            "start_date_year": "2025",
            "end_date_day": "1",
            "end_date_month": "2",
            "end_date_year": "2025",
        },
    ).content.decode()
    assert "End date must be on or after the start date" in page
    es.post(
        url,
        {
            "kind": "cognitive_remediation",
            "description": "Thinking skills group",
            "start_date_day": "1",
            "start_date_month": "3",
            "start_date_year": "2025",
        },
    )
    page = es.get(reverse("record:person", args=[world.person_a.pk])).content.decode()
    assert "Started: Cognitive remediation" in page and "Thinking skills group" in page


def test_confirming_a_start_and_changing_pay_keeps_the_history(world: World, es: Client) -> None:
    job = world.jobs["a"]
    Job.objects.filter(pk=job.pk).update(start_confirmed=False)
    url = reverse("employment:job_change", args=[job.pk])
    page = es.post(
        url,
        {
            "version": "1",
            "start_confirmed": "yes",
            "hourly_pay": "13.50",
            **date_fields("effective_date", date(2025, 1, 1)),
        },
    ).content.decode()
    assert "The change must be on or after the first day of work" in page
    es.post(
        url,
        {
            "version": "1",
            "start_confirmed": "yes",
            "hours_per_week": "20",
            "hourly_pay": "13.50",
            **date_fields("effective_date", date(2025, 4, 1)),
        },
    )
    job.refresh_from_db()
    assert (job.start_confirmed, str(job.hourly_pay), job.version) == (True, "13.50", 2)
    assert list(job.changes.values_list("effective_date", "hours_per_week")) == [
        (date(2025, 4, 1), 20)
    ]
    assert Job.objects.starts().filter(pk=job.pk).exists()


def test_a_job_lead_is_added_on_the_employer_page(world: World, es: Client) -> None:
    employer = world.employers["a"]
    url = reverse("casework:lead_create", args=[employer.pk])
    page = es.post(url, {"title": ""}).content.decode()
    assert "Enter the job" in page and "There is a problem" in page
    assert es.post(url, {"title": "Kitchen porter", "hours": "16 a week"}).status_code == 302
    page = es.get(reverse("casework:employer", args=[employer.pk])).content.decode()
    assert "Kitchen porter" in page and "16 a week" in page
