"""The client record shows what was written and who wrote it; a clinician sees the summary and
how to reach the employment specialist; the person's trail tells the same story by name."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.employment.models import Job
from openips.organisations.services import set_programme
from tests.clients.test_journey import date_fields
from tests.conftest import World, signed_in
from tests.factories import HospitalStayFactory, MeasureScoreFactory


@pytest.fixture
def es(world: World) -> Client:
    world.service_a.staff.filter(staff_id="ES01").update(
        user=world.users[Role.EMPLOYMENT_SPECIALIST], work_phone="0115 496 0123"
    )
    return signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])


def record_page(client: Client, world: World, **params: str) -> str:
    return client.get(reverse("record:person", args=[world.person_a.pk]), params).content.decode()


def write_everything(world: World, es: Client) -> None:
    """A contact, a profile, a job and a change to it, each through its page."""
    episode = world.episode(world.person_a)
    contact = {
        "contact_with": "client",
        "mode": "face_to_face",
        "setting": "office",
        "purpose": "engagement",
        "attended": "yes",
        "notes": "Talked about parks work.\nWants <mornings> only.",
        **date_fields("date", date(2025, 2, 3)),
    }
    assert (
        es.post(reverse("casework:contact_create", args=[episode.pk]), contact).status_code == 302
    )
    profile = {
        "version": "1",
        "preferred_jobs": "Gardening",
        "barriers": "Early starts",
        **date_fields("started", date(2025, 2, 3)),
    }
    assert es.post(reverse("casework:profile", args=[episode.pk]), profile).status_code == 302
    job = {
        "employer": world.employers["a"].pk,
        "job_title": "Gardener",
        "start_confirmed": "yes",
        "competitive": "yes",
        "hours_per_week": "12",
        **date_fields("start_date", date(2025, 4, 1)),
    }
    assert es.post(reverse("employment:job_start", args=[episode.pk]), job).status_code == 302
    gardener = Job.objects.get(job_title="Gardener")
    change = {
        "version": str(gardener.version),
        "start_confirmed": "yes",
        "hours_per_week": "16",
        **date_fields("effective_date", date(2025, 5, 1)),
    }
    url = reverse("employment:job_change", args=[gardener.pk])
    assert es.post(url, change).status_code == 302


def test_the_record_shows_notes_profile_job_and_prompts(world: World, es: Client) -> None:
    write_everything(world, es)
    page = record_page(es, world)
    # The notes, escaped, their line break kept by the page's style.
    assert "Talked about parks work.\nWants &lt;mornings&gt; only." in page
    assert "<mornings>" not in page
    assert "Recorded by Esme A, Employment specialist" in page
    # The current profile, every section by its label.
    assert "Types of job wanted" in page and "Gardening" in page
    assert "What gets in the way" in page and "Early starts" in page
    assert "Not recorded yet" in page
    assert "Version 1, saved by Esme A, Employment specialist" in page
    assert "In work at Employer A as Gardener since 1 April 2025, 16 hours a week" in page
    # The caseload's prompts for this client.
    assert "What needs doing next" in page and "Not seen for" in page


def test_a_clinician_sees_the_summary_and_how_to_reach_the_specialist(
    world: World, es: Client
) -> None:
    write_everything(world, es)
    page = record_page(signed_in(world.users[Role.CLINICIAN]), world)
    assert "In work at Employer A as Gardener since 1 April 2025, 16 hours a week" in page
    assert "Esme A" in page and "0115 496 0123" in page
    # What the IPS team wrote stays with them.
    assert "parks work" not in page and "Early starts" not in page
    assert "What needs doing next" not in page


def test_the_record_names_the_service_and_the_programme_in_force(world: World, es: Client) -> None:
    page = record_page(es, world)
    assert world.service_a.name in page
    assert "IPS in secondary mental health" in page and "time-limited" not in page
    set_programme(
        world.users[Role.ADMINISTRATOR], world.service_a, "ips_primary_care", date(2020, 1, 1)
    )
    page = record_page(es, world)
    assert "IPS in Primary Care (time-limited support)" in page


def test_a_long_timeline_shows_the_latest_and_offers_them_all(world: World, es: Client) -> None:
    staff = world.service_a.staff.get(staff_id="ES01")
    episode = world.episode(world.person_a)
    Contact.objects.bulk_create(
        Contact(
            service=world.service_a,
            contact_id=f"L{n}",
            date=date(2025, 2, 1 + n),
            staff=staff,
            contact_with="client",
            episode=episode,
            mode="phone",
            purpose="engagement",
            notes=f"note number {n:02d}",
        )
        for n in range(25)
    )
    page = record_page(es, world)
    assert "note number 24" in page and "note number 00" not in page
    assert "Show all" in page
    page = record_page(es, world, timeline="all")
    assert "note number 00" in page and "Show all" not in page


def test_the_record_runs_the_same_queries_for_few_and_many_contacts_stays_and_scores(
    world: World, es: Client
) -> None:
    staff = world.service_a.staff.get(staff_id="ES01")
    episode = world.episode(world.person_a)

    def add(count: int, tag: str) -> int:
        Contact.objects.bulk_create(
            Contact(
                service=world.service_a,
                contact_id=f"{tag}{n}",
                date=date(2025, 2, 1),
                staff=staff,
                contact_with="client",
                episode=episode,
                mode="phone",
                purpose="engagement",
            )
            for n in range(count)
        )
        for n in range(count // 2):  # and hospital stays and outcome-measure scores
            HospitalStayFactory(person=world.person_a, admission_id=f"{tag}H{n}")
            MeasureScoreFactory(episode=episode, measure_id=f"{tag}S{n}")
        url = reverse("record:person", args=[world.person_a.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert es.get(url, {"timeline": "all"}).status_code == 200
        return len(ctx.captured_queries)

    es.get(reverse("record:person", args=[world.person_a.pk]))  # settle the session
    assert add(2, "F") == add(60, "M")


def test_the_persons_trail_tells_their_story_by_name_and_role(world: World, es: Client) -> None:
    write_everything(world, es)
    page = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:person", args=[world.person_a.pk])
    )
    text = page.content.decode()
    who = "Esme A, Employment specialist"
    for record in ("Contact", "Vocational profile", "Job", "Job change", "Episode"):
        assert f'<td class="nhsuk-table__cell">{record} (A001)</td>' in text, record
    assert text.count(who) >= 6  # views and writes alike
    assert ">specialist<" not in text  # never the username
    account = signed_in(world.users[Role.IG_LEAD]).get(
        reverse("governance:user", args=[world.users[Role.EMPLOYMENT_SPECIALIST].pk])
    )
    assert f"What {who} accessed" in account.content.decode()
