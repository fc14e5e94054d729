"""Every page runs a fixed number of SQL queries, whatever the size of the caseload: each page is
measured with 5 episodes in its service and again with 200 (with contacts and jobs, and a
quarter of them employed at referral with a change in work)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import RetentionChange
from openips.employment.models import Job
from tests.conftest import World, make_person, signed_in
from tests.test_access_matrix import RULES

PREFERRED = [
    Role.TEAM_LEADER,
    Role.EMPLOYMENT_SPECIALIST,
    Role.SERVICE_MANAGER,
    Role.IG_LEAD,
    Role.ADMINISTRATOR,
    Role.CLINICIAN,
    Role.COMMISSIONER,
    Role.FIDELITY_REVIEWER,
]


def grow(world: World, count: int, tag: str) -> None:
    es = world.service_a.staff.get(staff_id="ES01")
    for n in range(count):
        person = make_person(world.service_a, world.team_a, es, f"{tag}{n:03d}", "")
        episode = person.episodes.get()
        if n % 4 == 0:  # a client employed at referral, with a change in work (job retention)
            episode.employment_status_at_referral = "employed"
            episode.save()
            RetentionChange.objects.create(
                episode=episode,
                status="back_at_work",
                date=date(2025, 2, 3),
                recorded_by=world.users[Role.EMPLOYMENT_SPECIALIST],
            )
        for k in range(3):
            Contact.objects.create(
                service=world.service_a,
                contact_id=f"{tag}C{n}-{k}",
                date=date(2025, 2, 1) + timedelta(days=k),
                staff=es,
                contact_with="employer" if k == 2 else "client",
                episode=episode,
                employer=world.employers["a"] if k == 2 else None,
                mode="face_to_face",
                purpose="job_development" if k == 2 else "engagement",
            )
        Job.objects.create(
            service=world.service_a,
            episode=episode,
            job_id=f"{tag}J{n}",
            job_title="Porter",
            employer=world.employers["a"],
            start_date=date(2025, 3, 1),
            competitive=True,
        )


def measure(world: World) -> dict[str, int]:
    counts = {}
    for name, rule in sorted(RULES.items()):
        if rule.public or rule.method != "get" or rule.api:
            continue
        role = next(r for r in PREFERRED if r in rule.allowed)
        client = signed_in(world.users[role])
        url = reverse(name, kwargs=rule.own(world, role) if rule.own else {})
        client.get(url)  # settle the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


def test_pages_run_the_same_queries_for_5_and_200_episodes(world: World) -> None:
    grow(world, 4, "S")
    small = measure(world)
    grow(world, 195, "L")
    large = measure(world)
    assert {name: (small[name], large[name]) for name in small if small[name] != large[name]} == {}


# Pages whose queries depend on what the address asks for: each measured with its parameters.
WITH_PARAMETERS = [
    ("clients:search", {"q": "test"}, Role.EMPLOYMENT_SPECIALIST),  # everyone: capped at 50
    ("clients:search", {"q": "test s0"}, Role.SERVICE_MANAGER),
    ("clients:search", {"q": "999 000 0018"}, Role.CLINICIAN),
    ("clients:search", {"q": "6 January 2025"}, Role.TEAM_LEADER),
    ("governance:search", {"person": "test"}, Role.IG_LEAD),
    ("clients:list", {"stage": "accepted", "sort": "stage", "dir": "desc"}, Role.SERVICE_MANAGER),
    ("clients:list", {"sort": "specialist", "page": "2"}, Role.TEAM_LEADER),
    ("casework:team_caseload", {"stage": "in_work", "sort": "last_contact"}, Role.TEAM_LEADER),
    ("casework:caseload", {"sort": "client", "dir": "desc"}, Role.EMPLOYMENT_SPECIALIST),
]


def measure_with_parameters(world: World) -> tuple[list[int], str]:
    counts, first = [], ""
    for name, params, role in WITH_PARAMETERS:
        client = signed_in(world.users[role])
        client.get(reverse(name), params)  # settle the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name), params)
            assert response.status_code == 200, name
        counts.append(len(ctx.captured_queries))
        first = first or response.content.decode()
    return counts, first


def test_searches_and_filtered_lists_run_the_same_queries_whatever_they_find(world: World) -> None:
    grow(world, 4, "S")
    small, found = measure_with_parameters(world)
    assert "5 people found" in found
    grow(world, 195, "L")
    large, found = measure_with_parameters(world)
    assert "The first 50 people found" in found
    assert large == small
