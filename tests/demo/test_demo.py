from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import nhs_number
from django.core.management import call_command
from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.clients.models import Episode, Person, RetentionChange
from openips.employment.models import EmploymentRecord, Job
from openips.organisations.models import Organisation, Service
from openips.organisations.queries import programme_on


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_builds_the_network_with_a_user_for_every_role(db: None) -> None:
    output = run_demo()
    assert Organisation.objects.count() == 2
    assert Service.objects.count() == 5
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.username in output
        user.full_clean()  # every account is attached as its role requires
    assert "password is: openips-demo" in output


def test_demo_is_safe_to_run_again(db: None) -> None:
    run_demo()
    counts = (User.objects.count(), Person.objects.count(), Episode.objects.count())
    run_demo()
    assert (User.objects.count(), Person.objects.count(), Episode.objects.count()) == counts


def test_demo_nhs_numbers_are_valid_and_from_the_999_test_range(db: None) -> None:
    run_demo()
    numbers = list(Person.objects.values_list("nhs_number", flat=True))
    assert numbers
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)


def test_the_demo_team_leader_sees_every_caseload_prompt(db: None) -> None:
    from django.test import Client
    from django.urls import reverse

    run_demo()
    client = Client()
    client.force_login(
        User.objects.get(username="demo-team-leader"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    page = client.get(reverse("casework:team_caseload")).content.decode()
    for prompt in (
        "First employer contact due by day 30",
        "First employer contact overdue",
        "Not seen for",
        "In-work support due since",
        "-week job anniversary on",
        "No benefits counselling recorded before the job start",
        "Above 20",
    ):
        assert prompt in page, prompt


def test_demo_journeys_follow_the_interchange_rules(db: None) -> None:
    from openips.casework.models import Contact
    from openips.employment.models import Job

    run_demo()
    for episode in Episode.objects.all():
        episode.full_clean()
    assert Contact.objects.filter(contact_with="client", episode__isnull=True).count() == 0
    assert Job.objects.starts().count() > 20
    assert Contact.objects.filter(contact_with="employer", mode="face_to_face").count() > 100


def test_the_demo_staff_who_sign_in_are_shown_with_their_own_names(db: None) -> None:
    from django.test import Client
    from django.urls import reverse

    run_demo()
    for username in ("demo-es", "demo-team-leader"):
        user = User.objects.get(username=username)
        assert user.staff_member.name == user.get_full_name()
    client = Client()
    client.force_login(
        User.objects.get(username="demo-es"), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = " ".join(client.get(reverse("casework:my_week")).content.decode().split())
    assert "Sam Specialist (you)" in page
    assert page.count("(you)") == 1


def test_the_demo_runs_ips_beyond_secondary_care(db: None) -> None:
    """An IPS in Primary Care service referred to by GPs, with job-retention clients and job
    outcomes both reached and missed, and a Talking Therapies employment service."""
    run_demo()
    today = timezone.localdate()
    primary = Service.objects.get(code="sherwood-primary-care")
    therapies = Service.objects.get(code="trentside-talking-therapies")
    assert programme_on(primary, today).code == "ips_primary_care"
    assert programme_on(therapies, today).code == "talking_therapies_employment"
    assert programme_on(Service.objects.get(code="sherwood-north"), today).code == "ips_smi"
    for service, source in ((primary, "primary_care"), (therapies, "talking_therapies")):
        episodes = Episode.objects.filter(service=service)
        assert episodes.filter(referral_source=source).count() > episodes.count() / 2
        assert episodes.filter(employment_status_at_referral="employed").count() >= 3
    out = StringIO()
    start = (today - timedelta(days=730)).isoformat()
    call_command(
        "report",
        "--service",
        primary.code,
        "--start",
        start,
        "--end",
        today.isoformat(),
        stdout=out,
    )
    reached = json.loads(out.getvalue())["metrics"]["job_outcomes"]["outcomes"]
    started = Job.objects.starts().filter(episode__service=primary).values("episode").distinct()
    assert 0 < reached < started.count()  # some reach the outcome, some do not
    assert RetentionChange.objects.filter(episode__service=primary).exists()
    records = EmploymentRecord.objects.filter(episode__service=therapies)
    assert records.filter(moment="assessment").exists()
    assert not EmploymentRecord.objects.exclude(episode__service=therapies).exists()


def test_the_demo_has_hospital_stays_and_paired_outcome_measures(db: None) -> None:
    """Every service has stays and scores valid by the import's rules, and a year's report
    finds hospital use before and during IPS and paired scores to compare."""
    from openips.clients.models import HospitalStay, MeasureScore

    run_demo()
    for service in Service.objects.all():
        assert HospitalStay.objects.filter(service=service).exists(), service
        assert MeasureScore.objects.filter(service=service).exists(), service
    for record in [*HospitalStay.objects.all(), *MeasureScore.objects.all()]:
        record.full_clean()
    today = timezone.localdate()
    out = StringIO()
    call_command(
        "report",
        "--start",
        (today - timedelta(days=364)).isoformat(),
        "--end",
        today.isoformat(),
        stdout=out,
    )
    metrics = json.loads(out.getvalue())["metrics"]
    use = metrics["hospital_use"]
    assert use["bed_days_before"] > use["bed_days_during"] > 0
    assert metrics["measures"]["reqol_10"]["paired"] > 10
    assert metrics["in_work_on_anniversary"]["1_year"]["in_work"] > 0
