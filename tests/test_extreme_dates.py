"""Records already stored with extreme dates (from before the date rules, or written around
them) never take a page down: date arithmetic clamps instead of overflowing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import Episode
from openips.employment.models import Job
from openips.fidelity.models import Review
from tests.conftest import World

EXTREMES = [date.max, date.min]


def pages(world: World, review: Review) -> list[tuple[str, str, dict[str, Any]]]:
    a = world.service_a
    return [
        (Role.EMPLOYMENT_SPECIALIST, "casework:team_caseload", {}),
        (Role.EMPLOYMENT_SPECIALIST, "casework:caseload", {}),
        (Role.EMPLOYMENT_SPECIALIST, "record:person", {"pk": world.person_a.pk}),
        (Role.EMPLOYMENT_SPECIALIST, "outcomes:index", {}),
        (Role.TEAM_LEADER, "outcomes:service", {"pk": a.pk}),
        (Role.COMMISSIONER, "outcomes:network", {}),
        (Role.TEAM_LEADER, "fidelity:estimates", {"pk": a.pk}),
        (Role.TEAM_LEADER, "fidelity:data_pack", {"pk": review.pk}),
        (Role.TEAM_LEADER, "fidelity:review", {"pk": review.pk}),
        (Role.IG_LEAD, "governance:person", {"pk": world.person_a.pk}),
        (Role.IG_LEAD, "governance:subject_access", {"pk": world.person_a.pk}),
    ]


@pytest.mark.parametrize("day", EXTREMES, ids=["date.max", "date.min"])
def test_pages_answer_with_extreme_stored_dates(world: World, client_for: Any, day: date) -> None:
    specialist = world.visible(Role.EMPLOYMENT_SPECIALIST, "staff")
    specialist.user = world.users[Role.EMPLOYMENT_SPECIALIST]
    specialist.save()
    episode = world.episode(world.person_a)
    Episode.objects.filter(pk=episode.pk).update(
        accepted_date=date(2025, 1, 8), vocational_profile_date=date(2025, 1, 8)
    )
    # Written with update(): no validation, as rows stored before the rules were.
    Job.objects.filter(pk=world.jobs["a"].pk).update(start_date=day, end_date=None)
    Contact.objects.filter(pk=world.contacts["a"].pk).update(date=day)
    Contact.objects.create(
        service=world.service_a,
        contact_id="C-EMP",
        date=day,
        staff=specialist,
        contact_with="employer",
        episode=episode,
        employer=world.employers["a"],
        mode="face_to_face",
        purpose="job_development",
    )
    review = Review.objects.create(
        service=world.service_a,
        kind="self",
        scale_id="ips25-uk-1",
        visit_start=day,
        visit_end=day,
        planned_by=world.users[Role.TEAM_LEADER],
    )
    review.reviewers.set([world.users[Role.TEAM_LEADER]])
    for role, name, kwargs in pages(world, review):
        client: Client = client_for(role)
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)
    download = client_for(Role.TEAM_LEADER).get(
        reverse(
            "outcomes:return_download",
            kwargs={"kind": "ips-grow", "quarter": "2024-25-Q4", "format": "csv"},
        )
    )
    assert download.status_code == 200


def date_fields(name: str, d: date) -> dict[str, str]:
    return {f"{name}_day": str(d.day), f"{name}_month": str(d.month), f"{name}_year": str(d.year)}


def test_editing_a_record_stored_outside_the_rules_says_so_instead_of_failing(
    world: World, client_for: Any
) -> None:
    job = world.jobs["a"]
    Job.objects.filter(pk=job.pk).update(job_title="Cleaner\r=1+1")
    episode = world.episode(world.person_a)
    Episode.objects.filter(pk=episode.pk).update(care_coordinator="Dr\rWho")
    es: Client = client_for(Role.EMPLOYMENT_SPECIALIST)
    change = es.post(
        reverse("employment:job_change", args=[job.pk]),
        {"version": 1, "start_confirmed": "yes", **date_fields("effective_date", date(2025, 4, 1))},
    )
    assert change.status_code == 200
    assert "The saved job needs correcting first: job title must be on one line" in (
        change.content.decode()
    )
    discharge = es.post(
        reverse("clients:discharge", args=[episode.pk]),
        {
            "version": 1,
            "discharge_reason": "other",
            **date_fields("discharge_date", date(2025, 2, 1)),
        },
    )
    assert discharge.status_code == 200
    assert "The saved episode needs correcting first: care coordinator must be on one line" in (
        discharge.content.decode()
    )
    episode.refresh_from_db()
    assert episode.discharge_date is None  # nothing half-saved
    assert not Job.objects.get(pk=job.pk).changes.exists()
